"""ESMO-MCBS context of an endpoint: the trial's setting and design, and the findings (quality of
life, toxicity, overall survival) that choose the form or adjust the preliminary grade."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout,
                               QGroupBox, QLabel, QVBoxLayout, QWidget)

from evidencegui.ui.dialogs import ok_cancel
from evidencegui.core.model import ESMO_FLAG_LABELS, ESMO_FLAGS

SETTINGS = (("non-curative", "non-curative (advanced or metastatic disease)"),
            ("curative", "curative (adjuvant or neoadjuvant)"))


class EsmoContextDialog(QDialog):
    """``values()`` after accept: {"setting", "single_arm", "primary", "esmo_flags"}."""

    def __init__(self, trial, endpoint, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"ESMO-MCBS context — {trial.name}, {endpoint.name}")
        self.setting = QComboBox()
        for key, text in SETTINGS:
            self.setting.addItem(text, key)
        keys = [k for k, _ in SETTINGS]
        self.setting.setCurrentIndex(keys.index(trial.setting) if trial.setting in keys else 0)
        self.single_arm = QCheckBox("single-arm study (graded with Form 3)")
        self.single_arm.setChecked(bool(trial.single_arm))
        self.primary = QCheckBox(f"{endpoint.name} is the trial's primary endpoint")
        self.primary.setChecked(bool(endpoint.primary))
        form = QFormLayout()
        form.addRow("Setting", self.setting)
        form.addRow("", self.single_arm)
        form.addRow("", self.primary)
        box = QGroupBox(f"Findings for {endpoint.name} (they adjust the grade or choose the form)")
        bl = QVBoxLayout(box)
        self.flags: dict[str, QCheckBox] = {}
        for key in ESMO_FLAGS:
            cb = QCheckBox(ESMO_FLAG_LABELS.get(key, key))
            cb.setChecked(bool(endpoint.esmo_flags.get(key)))
            self.flags[key] = cb
            bl.addWidget(cb)
        note = QLabel("The grade in the comparison panel is preliminary until these are set from "
                      "the publication; each adjustment that applies is named beside the final grade.")
        note.setWordWrap(True)
        buttons = ok_cancel(self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(box)
        lay.addWidget(note)
        lay.addWidget(buttons)

    def values(self) -> dict:
        return {"setting": self.setting.currentData(), "single_arm": self.single_arm.isChecked(),
                "primary": self.primary.isChecked(),
                "esmo_flags": {k: True for k, cb in self.flags.items() if cb.isChecked()}}
