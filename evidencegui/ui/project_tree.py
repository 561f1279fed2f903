"""The project tree on the left: trials → endpoints → arms; selecting picks the shown endpoint."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

ROLE_PATH = Qt.ItemDataRole.UserRole


class ProjectTree(QTreeWidget):
    endpoint_selected = Signal(int, int)     # trial index, endpoint index

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderLabels(["Project"])
        self.setMinimumWidth(180)
        self._updating = False
        self.currentItemChanged.connect(self._on_current)

    def set_project(self, project, t_index=None, e_index=None) -> None:
        self._updating = True
        self.clear()
        select = None
        for ti, trial in enumerate(project.trials):
            t_item = QTreeWidgetItem([trial.name or f"(trial {ti + 1})"])
            t_item.setData(0, ROLE_PATH, (ti, None))
            self.addTopLevelItem(t_item)
            for ei, ep in enumerate(trial.endpoints):
                e_item = QTreeWidgetItem([ep.name or f"(endpoint {ei + 1})"])
                e_item.setData(0, ROLE_PATH, (ti, ei))
                t_item.addChild(e_item)
                for arm in ep.arms:
                    a_item = QTreeWidgetItem([arm.label + ("  (control)" if arm.is_control else "")])
                    a_item.setData(0, ROLE_PATH, (ti, ei))
                    a_item.setFlags(a_item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                    e_item.addChild(a_item)
                if (ti, ei) == (t_index, e_index):
                    select = e_item
            t_item.setExpanded(True)
            for i in range(t_item.childCount()):
                t_item.child(i).setExpanded(True)
        if select is not None:
            self.setCurrentItem(select)
        self._updating = False

    def _on_current(self, item, _previous) -> None:
        if self._updating or item is None:
            return
        ti, ei = item.data(0, ROLE_PATH)
        if ei is None:
            if item.childCount():
                ei = 0
            else:
                return
        self.endpoint_selected.emit(ti, ei)
