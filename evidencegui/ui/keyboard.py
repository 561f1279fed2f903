"""Working without a mouse: the arms table lets Tab leave at its last cell (Shift+Tab at its
first), F6/Shift+F6 and Ctrl+Tab/Ctrl+Shift+Tab go from pane to pane (tree, table, plot,
comparison), Ctrl+C copies whatever has the focus."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView


class ArmsTableView(QTableView):
    """The arms table: Tab moves cell to cell and, at the last cell, on to the next pane."""
    leave = Signal(int)        # +1: Tab past the last cell, -1: Shift+Tab before the first

    def keyPressEvent(self, event):  # noqa: N802
        idx = self.currentIndex()
        model = self.model()
        if model is not None and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                                       Qt.KeyboardModifier.ShiftModifier):
            rows, cols = model.rowCount(), model.columnCount()
            last = not idx.isValid() or (idx.row() == rows - 1 and idx.column() == cols - 1)
            first = not idx.isValid() or (idx.row() == 0 and idx.column() == 0)
            if event.key() == Qt.Key.Key_Tab and last:
                self.leave.emit(1)
                return
            if event.key() == Qt.Key.Key_Backtab and first:
                self.leave.emit(-1)
                return
        super().keyPressEvent(event)


def panes(window) -> list:
    """The panes in their Tab order, those shown only."""
    out = []
    for dock, widget in ((window.tree_dock, window.tree), (window.table_dock, window.table),
                         (None, window.plot.widget or window.plot),
                         (window.comparison_dock, window.comparison.external or window.comparison)):
        if dock is not None and not dock.isVisible():
            continue
        if widget is not None and widget.isVisible():
            out.append(widget)
    return out


def _contains(widget, child) -> bool:
    while child is not None:
        if child is widget:
            return True
        child = child.parentWidget()
    return False


def current_pane(window):
    focus = window.focusWidget()
    for p in panes(window):
        if _contains(p, focus):
            return p
    return None


def cycle(window, step: int) -> None:
    shown = panes(window)
    if not shown:
        return
    now = current_pane(window)
    k = (shown.index(now) + step) % len(shown) if now in shown else (0 if step > 0 else -1)
    target = shown[k]
    if target.focusPolicy() == Qt.FocusPolicy.NoFocus:
        target.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    target.setFocus(Qt.FocusReason.TabFocusReason if step > 0 else Qt.FocusReason.BacktabFocusReason)
    if target is window.table and not window.table.currentIndex().isValid() and window.model.rowCount():
        window.table.setCurrentIndex(window.model.index(0, 0))
    names = {id(window.tree): "project tree", id(window.table): "arms table"}
    window.statusBar().showMessage(f"Focus: {names.get(id(target), 'plot' if _contains(window.plot, target) else 'comparison')}"
                                   " — F6 / Ctrl+Tab for the next pane", 3000)


def copy_cells(window) -> bool:
    """The selected cells of the arms table as tab-separated text (pastes into a spreadsheet)."""
    sel = sorted(window.table.selectedIndexes(), key=lambda i: (i.row(), i.column()))
    if not sel and window.table.currentIndex().isValid():
        sel = [window.table.currentIndex()]
    if not sel:
        return False
    rows: dict[int, dict[int, str]] = {}
    for i in sel:
        rows.setdefault(i.row(), {})[i.column()] = str(window.model.data(i) or "")
    cols = sorted({c for r in rows.values() for c in r})
    text = "\n".join("\t".join(r.get(c, "") for c in cols) for _, r in sorted(rows.items()))
    QGuiApplication.clipboard().setText(text)
    window.statusBar().showMessage(f"Copied {len(sel)} cell(s).", 3000)
    return True


def copy_focused(window) -> bool:
    """Ctrl+C: the table's cells, the figure, or the comparison, by where the focus is; any other
    widget with the focus (a view another module adds, a text field) gets its own Ctrl+C."""
    pane = current_pane(window)
    focus = window.focusWidget()
    if pane is None and focus is not None:
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QApplication
        action = getattr(window, "act_copy", None)
        if action is not None:
            action.setEnabled(False)          # not this action again
        try:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(focus, QKeyEvent(kind, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier, "c"))
        finally:
            if action is not None:
                action.setEnabled(True)
        return True
    if pane is window.table:
        return copy_cells(window)
    if pane is not None and _contains(window.plot, pane):
        action = getattr(window, "export_actions", {}).get("clipboard")
        if action is not None and action.isEnabled():
            action.trigger()
            return True
    window.copy_comparison()
    return True
