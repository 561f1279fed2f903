"""Which existing arm an imported arm is, when their names differ; with a preview of every change
the import will make."""
from __future__ import annotations

import html

from PySide6.QtWidgets import (QComboBox, QDialog, QLabel, QTableWidget, QTableWidgetItem,
                               QTextBrowser, QVBoxLayout)

from evidencegui.core.merge import NEW_ARM, plan_merge, unmatched
from evidencegui.ui.dialogs import ok_cancel

ADD_NEW = "(add as a new arm)"


class ArmMatchDialog(QDialog):
    def __init__(self, project, incoming, guess: dict, source: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle("Match the imported arms")
        self.resize(680, 460)
        self.project, self.incoming = project, incoming
        rows = [(t, e, label, free) for t, e, new, free in unmatched(project, incoming) for label in new]
        self.keys = [(t, e, label) for t, e, label, _ in rows]
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Trial / endpoint", "Arm in the file", "Is this arm of the project"])
        self.combos: list[QComboBox] = []
        for r, (t, e, label, free) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(f"{t} / {e}"))
            self.table.setItem(r, 1, QTableWidgetItem(label))
            box = QComboBox()
            box.addItems(list(free) + [ADD_NEW])
            pick = guess.get((t, e, label))
            box.setCurrentText(pick if pick is not None else ADD_NEW)
            box.currentIndexChanged.connect(lambda _i: self._preview())
            self.table.setCellWidget(r, 2, box)
            self.combos.append(box)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.preview = QTextBrowser()
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(("The arms of " + html.escape(source) if source else "Some imported arms")
                             + " have names the project does not use. Say which arm each one is:"))
        lay.addWidget(self.table)
        lay.addWidget(QLabel("What the import will change:"))
        lay.addWidget(self.preview, 1)
        lay.addWidget(ok_cancel(self))
        self._preview()

    def arm_map(self) -> dict:
        return {k: NEW_ARM if b.currentText() == ADD_NEW else b.currentText()
                for k, b in zip(self.keys, self.combos)}

    def _preview(self) -> None:
        plan = plan_merge(self.project, self.incoming, self.arm_map())
        if plan.empty:
            self.preview.setPlainText("Nothing: the project already has everything in the file.")
        else:
            self.preview.setHtml("<ul>" + "".join(f"<li>{html.escape(c)}</li>" for c in plan.changes) + "</ul>")
