"""The project tree on the left: trials → endpoints → arms; selecting picks the shown endpoint.
Each item knows its place (trial, endpoint, arm indices; None below its level), for the context
menu, F2 (rename) and Delete (remove) of the window."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

ROLE_PATH = Qt.ItemDataRole.UserRole


class ProjectTree(QTreeWidget):
    endpoint_selected = Signal(int, int)     # trial index, endpoint index
    arm_selected = Signal(int, int, int)     # trial, endpoint, arm index
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

    def selected_path(self) -> tuple[int | None, int | None, int | None] | None:
        """(trial, endpoint, arm) indices of the current item (None below its level), or None."""
        item = self.currentItem()
        return None if item is None else tuple(item.data(0, ROLE_PATH))

    def select_path(self, path) -> None:
        """Make the item at ``path`` (trial, endpoint, arm indices) current, without signals."""
        for item in self._items():
            if tuple(item.data(0, ROLE_PATH)) == tuple(path):
                self._updating = True
                self.setCurrentItem(item)
                self._updating = False
                return

    def _items(self):
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            yield item
            stack.extend(item.child(i) for i in range(item.childCount()))

    @staticmethod
    def _shape(project, t_index, e_index) -> tuple:
        """Everything the tree shows: when an edit leaves it unchanged the tree is not rebuilt (an
        edit of a median would otherwise rebuild it at every keystroke and undo collapsed items)."""
        return (t_index, e_index, tuple(
            (t.name, t.source, tuple((e.name, tuple((a.label, a.is_control, a.n) for a in e.arms))
                                     for e in t.endpoints)) for t in project.trials))

    def set_project(self, project, t_index=None, e_index=None) -> None:
        shape = self._shape(project, t_index, e_index)
        if shape == getattr(self, "_shown_shape", None) and self.topLevelItemCount() == len(project.trials):
            return
        self._shown_shape = shape
        keep = self.selected_path()
        self._updating = True
        self.clear()
        select = None
        for ti, trial in enumerate(project.trials):
            t_item = QTreeWidgetItem([trial.name or f"(trial {ti + 1})"])
            t_item.setToolTip(0, f"Trial {trial.name}" + (f" — {trial.source}" if trial.source else ""))
            t_item.setData(0, ROLE_PATH, (ti, None, None))
            self.addTopLevelItem(t_item)
            for ei, ep in enumerate(trial.endpoints):
                e_item = QTreeWidgetItem([ep.name or f"(endpoint {ei + 1})"])
                e_item.setToolTip(0, f"{trial.name} — {ep.name}: {len(ep.arms)} arm(s); "
                                  "select to show its curves, arms and comparison")
                e_item.setData(0, ROLE_PATH, (ti, ei, None))
                t_item.addChild(e_item)
                for ai, arm in enumerate(ep.arms):
                    a_item = QTreeWidgetItem([arm.label])
                    if arm.is_control:      # bold, as in the arms table: saves width for long names
                        font = a_item.font(0)
                        font.setBold(True)
                        a_item.setFont(0, font)
                    a_item.setToolTip(0, f"{arm.label} — {'control' if arm.is_control else 'experimental'}"
                                      f" arm" + (f", n = {arm.n}" if arm.n is not None else ""))
                    a_item.setData(0, ROLE_PATH, (ti, ei, ai))
                    e_item.addChild(a_item)
                if (ti, ei) == (t_index, e_index):
                    select = e_item
            t_item.setExpanded(True)
            for i in range(t_item.childCount()):
                t_item.child(i).setExpanded(True)
        if select is not None:
            self.setCurrentItem(select)
        self._updating = False
        # an arm or a trial chosen in the tree stays chosen when it still belongs to the shown
        # endpoint (an edit rebuilds the tree)
        if keep is not None and keep[2] is not None and keep[:2] == (t_index, e_index):
            self.select_path(keep)
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
        ti, ei, ai = item.data(0, ROLE_PATH)
        if ei is None:
            if item.childCount():
                ei = 0
            else:
                return
        self.endpoint_selected.emit(ti, ei)
        if ai is not None:
            self.arm_selected.emit(ti, ei, ai)
