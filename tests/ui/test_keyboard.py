"""Without a mouse: a new trial, its numbers typed, the workbook exported — with QTest key presses
only; F6/Shift+F6 and Ctrl+Tab go from pane to pane; Tab leaves the table after its last cell."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from evidencegui.resources import resource
from evidencegui.ui import keyboard


def _active(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def _keys(text):
    for ch in text:              # the first key opens the cell's editor, the others go to it
        QTest.keyClicks(QApplication.focusWidget(), ch)


def _press(key, mod=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(QApplication.focusWidget(), key, mod)
    QApplication.processEvents()         # the editor commits on Return through a queued call


def test_new_trial_typed_and_exported_with_the_keyboard_only(make_window, qtbot, tmp_path, monkeypatch):
    window = make_window()
    _active(window, qtbot)

    def type_in_dialog():
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.windowTitle() == "Add trial"
        _keys("PHILA")                                  # the name field has the focus
        _press(Qt.Key.Key_Tab)                          # → the first endpoint box (OS, checked)
        _press(Qt.Key.Key_Space)                        # OS off
        _press(Qt.Key.Key_Tab)
        _press(Qt.Key.Key_Space)                        # PFS on
        _press(Qt.Key.Key_Return)                       # OK
    QTimer.singleShot(100, type_in_dialog)
    QTest.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert [t.name for t in window.project.trials] == ["PHILA"]
    assert [e.name for e in window.project.trials[0].endpoints] == ["PFS"]
    _active(window, qtbot)               # the dialog closed: the window is active again
    # F6 until the arms table has the focus, then type the control's n and events
    for _ in range(4):
        if keyboard.current_pane(window) is window.table:
            break
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F6)
    assert keyboard.current_pane(window) is window.table
    assert window.table.currentIndex().row() == 0 and window.table.currentIndex().column() == 0
    _press(Qt.Key.Key_Tab)                              # Arm → Role
    _press(Qt.Key.Key_Tab)                              # Role → n
    _keys("294")
    _press(Qt.Key.Key_Tab)                              # commits, → Events
    _keys("200")
    _press(Qt.Key.Key_Tab)                              # → Median
    _keys("10.4")
    _press(Qt.Key.Key_Return)
    arm = window.project.trials[0].endpoints[0].arms[0]
    assert (arm.n, arm.events, arm.median) == (294, 200, 10.4)
    window.settings.set_last_dir("export", tmp_path / "x.xlsx")     # File → Export… writes here
    seen = []

    def answer_export():
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.windowTitle() if dialog is not None else None)
        QTest.keyClick(dialog, Qt.Key.Key_Return)                     # the dialog's OK
    QTimer.singleShot(200, answer_export)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert seen == ["Export"]
    written = [p for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".pptx", ".png", ".svg")]
    assert written, list(tmp_path.iterdir())


def test_f6_and_ctrl_tab_cycle_the_panes(window, qtbot):
    _active(window, qtbot)
    window.open_path(resource("examples", "cleopatra.evidence.json"))
    order = keyboard.panes(window)
    assert len(order) == 4
    window.tree.setFocus()
    seen = []
    for _ in range(4):
        seen.append(keyboard.current_pane(window))
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert seen == order and keyboard.current_pane(window) is order[0]      # round and back
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert keyboard.current_pane(window) is order[-1]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert keyboard.current_pane(window) is order[0]


def test_tab_leaves_the_table_after_its_last_cell(window, qtbot):
    _active(window, qtbot)
    window.open_path(resource("examples", "cleopatra.evidence.json"))
    m = window.model
    window.table.setFocus()
    window.table.setCurrentIndex(m.index(m.rowCount() - 1, m.columnCount() - 1))
    QTest.keyClick(window.table, Qt.Key.Key_Tab)
    assert keyboard.current_pane(window) is not window.table
    window.table.setFocus()
    window.table.setCurrentIndex(m.index(0, 0))
    QTest.keyClick(window.table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert keyboard.current_pane(window) is window.tree


def test_f2_and_delete_in_the_tree_rename_and_remove_with_undo(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog
    _active(window, qtbot)
    window.open_path(resource("examples", "cleopatra.evidence.json"))
    window.tree.setFocus()
    window.tree.select_path((0, 1, None))                      # the PFS endpoint
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("PFS (investigator)", True)))
    QTest.keyClick(window.tree, Qt.Key.Key_F2)
    assert [e.name for e in window.project.trials[0].endpoints] == ["OS", "PFS (investigator)"]
    window.tree.setFocus()
    window.tree.select_path((0, 1, None))
    QTest.keyClick(window.tree, Qt.Key.Key_Delete)
    assert [e.name for e in window.project.trials[0].endpoints] == ["OS"]
    QTest.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [e.name for e in window.project.trials[0].endpoints] == ["OS", "PFS (investigator)"]
    # an arm: Alt+Down moves it, F2 renames it
    window.tree.setFocus()
    window.tree.select_path((0, 0, 0))
    QTest.keyClick(window.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.project.trials[0].endpoints[0].arms[1].label == "Pertuzumab+Trastuzumab+Docetaxel"


def test_the_keyboard_starts_in_the_project_tree(make_window, qtbot):
    """At start (launch.run_gui's order: open, then show) the keyboard is in the project tree,
    not on a button; F6 then moves on through the panes."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from evidencegui.ui import launch
    w = make_window()
    launch.open_initial(w)
    launch.show_window(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: w.tree.hasFocus(), timeout=2000)
    QTest.keyClick(w, Qt.Key.Key_F6)
    assert not w.tree.hasFocus()
