"""Import patient-level data: map the file's columns to time, event and arm, with a preview."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QLabel, QLineEdit,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from evidencegui.core.curves import convert_time
from evidencegui.ui.dialogs import ok_cancel

# months per unit of the file's times, from the project's one table (core.curves)
TIME_FACTORS = {u: convert_time(1.0, u, "months") for u in ("days", "weeks", "months", "years")}


CONTROL_WORDS = ("control", "placebo", "obs", "standard", "soc", "usual", "comparator", "ctl", "ctrl")
UNIT_WORDS = (("day", "days"), ("week", "weeks"), ("wk", "weeks"), ("year", "years"), ("yr", "years"),
              ("month", "months"), ("mo", "months"))


def _guess_unit(column: str) -> str | None:
    low = column.lower()
    for word, unit in UNIT_WORDS:
        if word in low:
            return unit
    return None


def _guess(columns: list[str], words: tuple[str, ...]) -> int:
    for i, c in enumerate(columns):
        if any(w in c.lower() for w in words):
            return i
    return 0


class PatientImportDialog(QDialog):
    """``mapping()`` after accept: time_col, event_col, arm_col, event_value, time_unit,
    control, trial, endpoint."""

    def __init__(self, path, columns: list[str], rows: list[list], parent: QWidget | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.columns = [str(c) for c in columns]
        self.rows = rows
        self.setWindowTitle(f"Import patient-level data — {self.path.name}")
        self.resize(720, 560)
        form = QFormLayout()
        self.time_col, self.event_col, self.arm_col = QComboBox(), QComboBox(), QComboBox()
        for combo, words in ((self.time_col, ("time", "month", "day", "os", "pfs")),
                             (self.event_col, ("event", "status", "dead", "death", "cens")),
                             (self.arm_col, ("arm", "group", "treat", "rx"))):
            combo.addItems(self.columns)
            combo.setCurrentIndex(_guess(self.columns, words))
        self.event_value = QComboBox()
        self.event_value.setEditable(True)
        self.event_hint = QLabel("")
        self.event_hint.setWordWrap(True)
        self.event_hint.setStyleSheet("color: #a15c00;")
        self.time_unit = QComboBox()
        self.time_unit.addItems(list(TIME_FACTORS))
        self.time_unit.setCurrentText("months")
        self.control = QComboBox()
        self.control.setEditable(True)
        self.trial = QLineEdit(self.path.name.split(".")[0])
        self.endpoint = QLineEdit("OS")
        form.addRow("Time column", self.time_col)
        form.addRow("Event column", self.event_col)
        form.addRow("Value meaning 'event' (others: censored)", self.event_value)
        form.addRow("", self.event_hint)
        self.unit_hint = QLabel("")
        self.unit_hint.setWordWrap(True)
        self.unit_hint.setStyleSheet("color: #a15c00;")
        form.addRow("Time unit in the file (converted to months)", self.time_unit)
        form.addRow("", self.unit_hint)
        form.addRow("Arm column", self.arm_col)
        form.addRow("Control arm", self.control)
        form.addRow("Trial", self.trial)
        form.addRow("Endpoint", self.endpoint)
        self.preview = QTableWidget(len(rows), len(self.columns))
        self.preview.setHorizontalHeaderLabels(self.columns)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                self.preview.setItem(r, c, QTableWidgetItem("" if v is None else str(v)))
        self.event_col.currentIndexChanged.connect(self._fill_values)
        self.arm_col.currentIndexChanged.connect(self._fill_values)
        self.time_col.currentIndexChanged.connect(self._guess_time_unit)
        self.time_unit.currentIndexChanged.connect(self._check_time_unit)
        self._fill_values()
        self._guess_time_unit()
        buttons = ok_cancel(self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel(f"Preview (first {len(rows)} rows):"))
        lay.addWidget(self.preview)
        lay.addWidget(buttons)

    def _values(self, col: int) -> list[str]:
        seen: list[str] = []
        for row in self.rows:
            if col < len(row):
                v = "" if row[col] is None else str(row[col])
                if v not in seen:
                    seen.append(v)
        return seen

    def _fill_values(self) -> None:
        ev = self._values(self.event_col.currentIndex())
        self.event_value.clear()
        self.event_value.addItems(ev)
        hint = ""
        if set(ev) == {"1", "2"}:
            # R's Surv() and many registries: 1 = censored (alive), 2 = event (dead)
            self.event_value.setCurrentText("2")
            hint = ("Coded 1 and 2: taken as R's convention (1 censored, 2 event). Choose 1 if "
                    "1 means the event in this file.")
        else:
            for cand in ("1", "1.0", "dead", "event", "yes", "TRUE", "True", "true"):
                if cand in ev:
                    self.event_value.setCurrentText(cand)
                    break
            else:
                opposite = {"0": "1", "0.0": "1", "alive": "dead", "censored": "event", "no": "yes",
                            "FALSE": "TRUE", "False": "True", "false": "true"}
                only = [opposite[v] for v in ev if v in opposite]
                if ev and len(only) == len(ev) == 1:
                    # every preview row censored: the event code is the other one, not this one
                    self.event_value.setEditText(only[0])
                    hint = (f"All {len(self.rows)} preview rows are {ev[0]!r} (censored?): the event "
                            f"is taken to be {only[0]!r}. Check the file's coding.")
        self.event_hint.setText(hint)
        self.event_hint.setVisible(bool(hint))
        arms = self._values(self.arm_col.currentIndex())
        self.control.clear()
        self.control.addItems(arms)
        # "Obs", "Placebo", "Control arm": the likely control ("X + standard chemo" after
        # "Standard chemo": an add-on arm names its comparator too)
        likely = [i for i, a in enumerate(arms) if any(w in a.lower() for w in CONTROL_WORDS)]
        likely.sort(key=lambda i: "+" in arms[i])
        if likely:
            self.control.setCurrentIndex(likely[0])

    def _guess_time_unit(self) -> None:
        unit = _guess_unit(self.time_col.currentText())
        if unit is not None:
            self.time_unit.setCurrentText(unit)
        self._check_time_unit()

    def _max_time(self) -> float | None:
        col, top = self.time_col.currentIndex(), None
        for row in self.rows:
            try:
                v = float(str(row[col]).replace(",", "."))
            except (ValueError, IndexError, TypeError):
                continue
            top = v if top is None else max(top, v)
        return top

    def _check_time_unit(self) -> None:
        """A hint when the times shown do not look like the unit chosen (3000 'months')."""
        top, unit = self._max_time(), self.time_unit.currentText()
        hint = ""
        if top is not None:
            months = top * TIME_FACTORS[unit]
            if months > 240:
                hint = (f"Times in the preview go up to {top:g} {unit}, that is {months / 12:.0f} "
                        "years of follow-up: are they in days or weeks?")
        self.unit_hint.setText(hint)
        self.unit_hint.setVisible(bool(hint))

    def mapping(self) -> dict:
        return {"time_col": self.time_col.currentText(), "event_col": self.event_col.currentText(),
                "arm_col": self.arm_col.currentText(), "event_value": self.event_value.currentText(),
                "time_unit": self.time_unit.currentText(), "control": self.control.currentText().strip(),
                "trial": self.trial.text().strip() or "Imported", "endpoint": self.endpoint.text().strip() or "OS"}
