"""Choose arms from several trials to overlay on one survival plot (a cross-trial look)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QLabel, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from evidencegui.ui.dialogs import ok_cancel

ROLE = Qt.ItemDataRole.UserRole


class OverlayDialog(QDialog):
    """A tree trial → endpoint → arm with a check box per arm; ``chosen()`` gives the checked arms
    as (trial index, endpoint index, arm index), in the project's order."""

    def __init__(self, project, checked=(), parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Overlay arms from several trials")
        self.resize(520, 460)
        note = QLabel("Tick the arms to draw together. Arms of different trials are not "
                      "randomised against each other: read the overlay as a cross-trial look, "
                      "not a comparison.")
        note.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Trial / endpoint / arm", "n"])
        checked = set(checked)
        self._items: list[QTreeWidgetItem] = []
        for ti, trial in enumerate(project.trials):
            t_item = QTreeWidgetItem(self.tree, [trial.name or f"Trial {ti + 1}"])
            for ei, ep in enumerate(trial.endpoints):
                e_item = QTreeWidgetItem(t_item, [ep.name or f"Endpoint {ei + 1}"])
                for ai, arm in enumerate(ep.arms):
                    n = getattr(arm, "n", None)
                    a_item = QTreeWidgetItem(e_item, [arm.label, "" if n is None else str(n)])
                    a_item.setToolTip(0, arm.label)
                    a_item.setData(0, ROLE, (ti, ei, ai))
                    a_item.setFlags(a_item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    a_item.setCheckState(0, Qt.CheckState.Checked if (ti, ei, ai) in checked
                                         else Qt.CheckState.Unchecked)
                    self._items.append(a_item)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = ok_cancel(self)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addWidget(self.tree)
        lay.addWidget(buttons)

    def set_checked(self, keys) -> None:
        keys = set(keys)
        for item in self._items:
            item.setCheckState(0, Qt.CheckState.Checked if item.data(0, ROLE) in keys
                               else Qt.CheckState.Unchecked)

    def chosen(self) -> list[tuple[int, int, int]]:
        return [tuple(item.data(0, ROLE)) for item in self._items
                if item.checkState(0) == Qt.CheckState.Checked]
