"""The project tree on the left: trials → endpoints → arms; selecting picks the shown endpoint."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

ROLE_PATH = Qt.ItemDataRole.UserRole


class ProjectTree(QTreeWidget):
    endpoint_selected = Signal(int, int)     # trial index, endpoint index
    MAX_DEFAULT_WIDTH = 310                  # px; longer names scroll (and show in full on hover)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderLabels(["Trials, endpoints, arms"])
        self.headerItem().setToolTip(0, "Select an endpoint to show it; the control arm is in bold")
        self.setMinimumWidth(160)
        self.setIndentation(14)
        # long arm names ("Pertuzumab+Trastuzumab+Docetaxel") scroll rather than being cut;
        # every item also carries its full name as a tooltip
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._updating = False
        self.currentItemChanged.connect(self._on_current)

    def set_project(self, project, t_index=None, e_index=None) -> None:
        self._updating = True
        self.clear()
        select = None
        for ti, trial in enumerate(project.trials):
            t_item = QTreeWidgetItem([trial.name or f"(trial {ti + 1})"])
            t_item.setToolTip(0, f"Trial {trial.name}" + (f" — {trial.source}" if trial.source else ""))
            t_item.setData(0, ROLE_PATH, (ti, None))
            self.addTopLevelItem(t_item)
            for ei, ep in enumerate(trial.endpoints):
                e_item = QTreeWidgetItem([ep.name or f"(endpoint {ei + 1})"])
                e_item.setToolTip(0, f"{trial.name} — {ep.name}: {len(ep.arms)} arm(s); "
                                  "select to show its curves, arms and comparison")
                e_item.setData(0, ROLE_PATH, (ti, ei))
                t_item.addChild(e_item)
                for arm in ep.arms:
                    a_item = QTreeWidgetItem([arm.label])
                    if arm.is_control:      # bold, as in the arms table: saves width for long names
                        font = a_item.font(0)
                        font.setBold(True)
                        a_item.setFont(0, font)
                    a_item.setToolTip(0, f"{arm.label} — {'control' if arm.is_control else 'experimental'}"
                                      f" arm" + (f", n = {arm.n}" if arm.n is not None else ""))
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
        self.updateGeometry()

    def content_width(self) -> int:
        """The width that shows every name in full (for the dock's default width)."""
        self.resizeColumnToContents(0)
        slack = 2 * self.frameWidth() + 20     # the dock's own margins and a little air
        return self.sizeHintForColumn(0) + slack

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(min(max(self.content_width(), 180), self.MAX_DEFAULT_WIDTH), 400)

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
