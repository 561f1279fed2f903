"""A new trial: its name, its endpoint(s) and the names of its two arms, asked together (no empty
"OS" endpoint made behind the user's back)."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout,
                               QLabel, QLineEdit, QVBoxLayout, QWidget)

from evidencegui.core.model import STANDARD_ENDPOINTS
from evidencegui.ui.dialogs import ok_cancel


class NewTrialDialog(QDialog):
    def __init__(self, parent=None, name: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Add trial")
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("e.g. CLEOPATRA")
        self.checks: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        for i, ep in enumerate(STANDARD_ENDPOINTS):
            box = QCheckBox(ep)
            box.setChecked(ep == "OS")
            box.toggled.connect(lambda _c: self._check())
            self.checks[ep] = box
            grid.addWidget(box, i // 3, i % 3)
        eps = QWidget()
        eps.setLayout(grid)
        self.other = QLineEdit()
        self.other.setPlaceholderText("other endpoints, separated by commas")
        self.control = QLineEdit("Control")
        self.experimental = QLineEdit("Experimental")
        # regimen names are long ("Placebo+Trastuzumab+Docetaxel"): show them whole
        wide = self.fontMetrics().horizontalAdvance("Pyrotinib+Trastuzumab+Docetaxel") + 24
        for edit in (self.name, self.other, self.control, self.experimental):
            edit.setMinimumWidth(wide)
        form = QFormLayout()
        form.addRow("Trial &name", self.name)
        form.addRow("&Endpoints", eps)
        form.addRow("Other endpoints", self.other)
        form.addRow("&Control arm", self.control)
        form.addRow("E&xperimental arm", self.experimental)
        self.why = QLabel()
        self.buttons = ok_cancel(self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.why)
        lay.addWidget(self.buttons)
        for w in (self.name, self.other, self.control, self.experimental):
            w.textChanged.connect(lambda _t: self._check())
        self._check()

    def endpoints(self) -> list[str]:
        chosen = [ep for ep, box in self.checks.items() if box.isChecked()]
        for extra in self.other.text().split(","):
            if extra.strip() and extra.strip() not in chosen:
                chosen.append(extra.strip())
        return chosen

    def arms(self) -> list[str]:
        return [x for x in (self.control.text().strip(), self.experimental.text().strip()) if x]

    def _check(self) -> None:
        why = ""
        if not self.name.text().strip():
            why = "Type the trial's name."
        elif not self.endpoints():
            why = "Choose at least one endpoint."
        elif len(set(self.arms())) != len(self.arms()):
            why = "The two arms need different names."
        self.why.setText(why)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not why)
