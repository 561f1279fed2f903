"""The subgroup table of one comparison (variable, level, HR and 95% CI, n and events per arm):
typed in a small grid or imported from CSV/XLSX, every change one undoable step."""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from evidencegui.core.model import SubgroupResult
from evidencegui.io import format as fmt

# (attribute, header, kind) — kind "text", "float" or "int"
COLUMNS = (("variable", "Variable", "text"), ("level", "Level", "text"),
           ("hr", "HR", "float"), ("hr_lower", "Lower 95%", "float"), ("hr_upper", "Upper 95%", "float"),
           ("n_experimental", "n exp.", "int"), ("events_experimental", "Events exp.", "int"),
           ("n_control", "n control", "int"), ("events_control", "Events control", "int"))


@dataclass
class SetSubgroups:
    """Replace an experimental arm's subgroup rows (core.commands style: apply returns the inverse)."""
    trial: int
    endpoint: int
    arm: int
    rows: list = field(default_factory=list)
    text: str = "edit subgroups"

    @property
    def focus(self):
        return (self.trial, self.endpoint)

    def apply(self, project) -> "SetSubgroups":
        from evidencegui.core.commands import CommandError
        try:
            arm = project.trials[self.trial].endpoints[self.endpoint].arms[self.arm]
        except IndexError:
            raise CommandError("the arm of these subgroups no longer exists") from None
        old = copy.deepcopy(arm.subgroups)
        arm.subgroups = copy.deepcopy(list(self.rows))
        return SetSubgroups(self.trial, self.endpoint, self.arm, old, self.text)


def parse_cell(text: str, kind: str) -> tuple[Any, str]:
    """(value, error): a typed cell as the model stores it; '' is None."""
    t = text.strip().replace(",", ".").replace("−", "-")
    if kind == "text":
        return text.strip(), ""
    if not t:
        return None, ""
    try:
        v = float(t)
    except ValueError:
        return None, f"{text!r} is not a number"
    if not math.isfinite(v):
        return None, f"{text!r} is not a finite number"
    if kind == "int":
        if v != int(v) or v < 0:
            return None, f"{text!r} is not a whole number ≥ 0"
        return int(v), ""
    return v, ""


def cell_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "float":
        return f"{value:g}"
    return str(value)


class SubgroupEditor(QWidget):
    """A grid over ``arm.subgroups``; ``changed(list)`` asks for the new rows to be applied (the
    owner pushes a SetSubgroups on the undo stack). ``invalid(str)`` reports a refused cell."""

    changed = Signal(object)
    invalid = Signal(str)
    import_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[SubgroupResult] = []
        self._filling = False
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([h for _, h, _ in COLUMNS])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.itemChanged.connect(self._item_changed)
        self.add_button = QPushButton("Add row")
        self.remove_button = QPushButton("Remove row")
        self.import_button = QPushButton("Import CSV/XLSX…")
        self.import_button.setToolTip("Columns: variable, level, hr, hr_lower, hr_upper and optional "
                                      "n/events per arm (template: resources/templates/subgroups_template.csv)")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(lambda: self.remove_row())
        self.import_button.clicked.connect(lambda: self.import_requested.emit())
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.import_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#555")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(buttons)
        lay.addWidget(self.table)
        lay.addWidget(self.note)

    def set_rows(self, rows, enabled: bool = True) -> None:
        self.rows = copy.deepcopy(list(rows))
        self._filling = True
        try:
            self.table.setRowCount(len(self.rows))
            for i, sg in enumerate(self.rows):
                for j, (attr, _, kind) in enumerate(COLUMNS):
                    item = QTableWidgetItem(cell_text(getattr(sg, attr), kind))
                    if kind != "text":
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(i, j, item)
        finally:
            self._filling = False
        self.table.resizeColumnsToContents()
        for w in (self.table, self.add_button, self.remove_button, self.import_button):
            w.setEnabled(enabled)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        i, j = item.row(), item.column()
        attr, header, kind = COLUMNS[j]
        value, error = parse_cell(item.text(), kind)
        if error:
            self.invalid.emit(f"subgroup row {i + 1}, {header}: {error}")
            self.set_rows(self.rows)              # back to the stored value
            return
        if getattr(self.rows[i], attr) == value:
            return
        new = copy.deepcopy(self.rows)
        setattr(new[i], attr, value)
        self.changed.emit(new)

    def add_row(self) -> None:
        variable = self.rows[-1].variable if self.rows else "Subgroup"
        self.changed.emit(copy.deepcopy(self.rows) + [SubgroupResult(variable, f"level {len(self.rows) + 1}")])

    def remove_row(self) -> None:
        i = self.table.currentRow()
        if 0 <= i < len(self.rows):
            self.changed.emit([r for k, r in enumerate(copy.deepcopy(self.rows)) if k != i])

    def summary(self) -> str:
        n = len(self.rows)
        return f"{n} subgroup row{'s' if n != 1 else ''}" if n else fmt.MISSING
