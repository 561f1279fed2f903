"""The main window's finish (issue #5): shortcuts, toolbar, status bar, recent files, dropping
files, the unexpected-error dialog that keeps the data, cancelling a long import, settings, and
a layout where the key numbers and names fit at 1400×900."""
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QProgressDialog

ROOT = Path(__file__).resolve().parents[2]


def drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    window.dropEvent(ev)


def all_actions(window):
    seen, out = set(), []
    for a in window.findChildren(type(window.act_open)):
        if id(a) not in seen:
            seen.add(id(a))
            out.append(a)
    return out


def test_shortcuts_are_set_and_unambiguous(window):
    from PySide6.QtGui import QKeySequence
    SK = QKeySequence.StandardKey
    for action, key in ((window.act_open, SK.Open), (window.act_save, SK.Save),
                        (window.act_undo, SK.Undo), (window.act_new, SK.New)):
        assert action.shortcut() == QKeySequence(key)
    assert window.act_copy_comparison.shortcut() == QKeySequence("Ctrl+Alt+C")
    assert window.act_redo.shortcuts()
    keys = [s.toString() for a in all_actions(window) for s in a.shortcuts() if not s.isEmpty()]
    dupes = {k for k in keys if keys.count(k) > 1}
    assert not dupes, f"shortcuts used twice: {dupes}"


def test_toolbar_holds_the_everyday_actions(window):
    tb = window.findChild(type(window.addToolBar("x")), "main_toolbar")
    acts = tb.actions()
    for a in (window.act_new, window.act_open, window.act_save, window.act_undo, window.act_redo,
              window.act_add_arm, window.act_import_patients, window.act_import_digitized,
              window.act_copy_comparison):
        assert a in acts
        assert a.toolTip()


def test_status_bar_tells_what_happened(window):
    idx = window.model.index(0, window.model.column_index("n"))
    window.model.setData(idx, "500", Qt.ItemDataRole.EditRole)
    msg = window.statusBar().currentMessage()
    assert msg.startswith("set ") and msg.endswith(" n")
    window.model.setData(idx, "many", Qt.ItemDataRole.EditRole)
    assert window.statusBar().currentMessage().startswith("Not accepted — ")


def test_copy_comparison_action_puts_the_table_on_the_clipboard(window):
    window.act_copy_comparison.trigger()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("CLEOPATRA — OS") and "0.68 (0.56–0.84)" in text
    assert "clipboard" in window.statusBar().currentMessage()
    from evidencegui.ui.comparison_panel import release_clipboard
    release_clipboard()            # as at quit: Qt-owned data, so the test process exits cleanly


def test_recent_files_menu_reopens_a_project(window, tmp_path):
    out = tmp_path / "recent.evidence.json"
    assert window.save_to(out)
    entries = [a.text() for a in window.recent_menu.actions()]
    assert str(out.resolve()) in entries and window.recent_menu.isEnabled()
    window.add_trial("ONLY IN MEMORY")
    window.controller.set_clean()
    next(a for a in window.recent_menu.actions() if a.text() == str(out.resolve())).trigger()
    assert window.project.trial("ONLY IN MEMORY") is None and window.path == out.resolve()


def test_dropping_a_summary_table_picks_the_summary_importer(window, tmp_path):
    csv = tmp_path / "dropped_summary.csv"
    csv.write_text("trial,endpoint,arm,role,n,events,median,hr,hr_lower,hr_upper\n"
                   "DROP,PFS,Ctl,control,100,80,6.1,,,\n"
                   "DROP,PFS,Exp,experimental,100,70,8.3,0.72,0.55,0.94\n")
    drop(window, csv)
    ep = window.project.trial("DROP").endpoint("PFS")
    assert [a.label for a in ep.arms] == ["Ctl", "Exp"]
    assert window.comparison.external.text_of(None, "median_gain") == "+2.2"
    assert window.project.trial("CLEOPATRA") is not None       # imported beside, not instead


def test_dropping_an_unknown_file_explains_and_keeps_the_project(window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04")
    n_trials = len(window.project.trials)
    drop(window, bad)
    assert shown and "not a project" in shown[0]
    assert window.project.trial("CLEOPATRA") is not None and len(window.project.trials) == n_trials


def test_unexpected_error_shows_a_dialog_and_keeps_the_data(window, monkeypatch):
    from evidencegui.ui.dialogs.error import install_excepthook
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)   # restored after the test
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(
        (self.windowTitle(), self.text(), self.detailedText())) or 0)
    idx = window.model.index(0, window.model.column_index("source"))
    window.model.setData(idx, "typed before the error", Qt.ItemDataRole.EditRole)
    install_excepthook(window)
    try:
        raise RuntimeError("something broke in a slot")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert shown and shown[0][0] == "Unexpected error"
    assert "something broke" in shown[0][1] and "recovery file" in shown[0][1]
    assert "Traceback" in shown[0][2]
    assert window.autosaver.path.is_file()                       # the data are on disk
    assert "typed before the error" in window.autosaver.path.read_text(encoding="utf-8")
    assert window.model.arms()[0].source == "typed before the error"   # and still in the window
    assert window.isWindowModified()


def test_a_large_patient_file_is_read_on_a_worker_and_can_be_cancelled(window, tmp_path, qtbot,
                                                                       monkeypatch):
    """The read runs on a worker (the GUI thread keeps ticking), the progress dialog appears when
    it takes long, and its Cancel stops the read: nothing imported, no undo step. The real
    reader is slowed so the read outlasts the dialog's delay on any machine."""
    import threading
    import time

    from evidencegui.ui import file_ops
    csv = tmp_path / "big.csv"
    rows = ["months,dead,arm"] + [f"{(i % 600) / 10 + 0.1},{i % 3 == 0:d},{'A' if i % 2 else 'B'}"
                                  for i in range(30_000)]
    csv.write_text("\n".join(rows) + "\n")
    mapping = {"time_col": "months", "event_col": "dead", "arm_col": "arm", "event_value": "1",
               "time_unit": "months", "control": "A", "trial": "BIG", "endpoint": "OS"}
    real = file_ops.read_patient_arms
    threads = []

    def slow_read(path, mapping, progress=None):
        threads.append(threading.current_thread() is threading.main_thread())
        for _ in range(1000):              # up to 10 s, unless cancelled
            time.sleep(0.01)
            progress(None, "reading")      # raises Cancelled once the user has cancelled
        return real(path, mapping, progress=progress)
    monkeypatch.setattr(file_ops, "read_patient_arms", slow_read)
    ticks, cancelled = [], []

    def tick():          # the GUI thread keeps running while the file is read
        ticks.append(1)
        dialogs = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
        if not cancelled and dialogs:
            cancelled.append(len(dialogs))
            for d in dialogs:
                d.canceled.emit()          # what the dialog's Cancel button sends
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(20)
    t0 = time.perf_counter()
    ok = window.import_patients(str(csv), mapping)
    elapsed = time.perf_counter() - t0
    timer.stop()
    assert threads == [False]                       # read on a worker
    assert cancelled == [1], (cancelled, len(ticks), elapsed, window.statusBar().currentMessage())
    assert not ok and elapsed < 5
    assert window.project.trial("BIG") is None and len(ticks) >= 5
    assert window.controller.stack.count() == 0


def test_settings_keep_window_state_and_choices(make_window, settings_path):
    w = make_window()
    w.show()
    next(a for a in w.unit_group.actions() if a.text() == "years").trigger()
    next(a for a in w.style_group.actions() if a.text() == "presentation").trigger()
    w.comparison_dock.hide()
    w.close()
    assert settings_path.is_file() and w.settings.geometry() is not None
    w2 = make_window()
    assert w2.settings.time_unit == "years" and w2.settings.style == "presentation"
    assert w2.unit_group.checkedAction().text() == "years"
    assert w2.style_group.checkedAction().text() == "presentation"
    w2.show()
    assert not w2.comparison_dock.isVisible() and w2.tree_dock.isVisible()   # dock state restored


def test_layout_at_1400_by_900_shows_names_and_key_numbers(window, qtbot):
    window.resize(1400, 900)
    qtbot.wait(50)
    tree = window.tree
    needed = tree.sizeHintForColumn(0)
    assert tree.viewport().width() >= needed, "arm names are cut in the project tree"
    for i in range(tree.topLevelItemCount()):
        for j in range(tree.topLevelItem(i).childCount()):
            for k in range(tree.topLevelItem(i).child(j).childCount()):
                arm = tree.topLevelItem(i).child(j).child(k)
                assert arm.text(0) in arm.toolTip(0)
    panel = window.comparison.external
    header = panel.tree.header()
    used = sum(header.sectionSize(c) for c in range(3) if not panel.tree.isColumnHidden(c))
    assert used <= panel.tree.viewport().width() + 1, "the comparison needs horizontal scrolling"
    fm = panel.tree.fontMetrics()
    assert header.sectionSize(0) >= fm.horizontalAdvance("Relative reduction")
    assert window.plot.width() >= 560          # the plot keeps a useful width
    # the arms table spans the window's width: every column, HR and p included, without scrolling
    table = window.table
    widths = sum(table.columnWidth(c) for c in range(window.model.columnCount()))
    assert widths <= table.viewport().width() + 1, "the arms table needs horizontal scrolling"
    hr = window.model.column_index("hr")
    assert table.columnViewportPosition(hr) + table.columnWidth(hr) <= table.viewport().width()


def test_a_new_trial_can_be_typed_in_and_compared(window):
    window.add_trial("MY TRIAL")
    panel = window.comparison.external
    assert panel.text_of(None, "median_gain") == "—"
    assert panel.text_of(None, "esmo") == "not graded (form 2a)"
    arms = window.model.arms()
    ctl = next(i for i, a in enumerate(arms) if a.is_control)
    exp = 1 - ctl

    def type_in(row, key, text):
        idx = window.model.index(row, window.model.column_index(key))
        assert window.model.setData(idx, text, Qt.ItemDataRole.EditRole)
    type_in(ctl, "median", "11.2")
    type_in(exp, "median", "16.9")
    type_in(exp, "hr", "0.71")
    type_in(exp, "hr_lower", "0.60")
    type_in(exp, "hr_upper", "0.84")
    assert panel.title == "MY TRIAL — OS"
    assert panel.text_of(None, "median_gain") == "+5.7"
    assert panel.text_of(None, "hr") == "0.71 (0.60–0.84)"
    assert panel.text_of(None, "relative_reduction") == "29%"
    assert panel.text_of(None, "esmo").startswith("grade ")
    assert window.tree.topLevelItem(len(window.project.trials) - 1).text(0) == "MY TRIAL"


def test_dropping_patient_data_opens_the_column_mapping_dialog(window, tmp_path, monkeypatch):
    from evidencegui.ui.dialogs.column_mapping import PatientImportDialog
    csv = tmp_path / "ipd.csv"
    csv.write_text("id,os_months,death,arm\n" + "".join(
        f"{i},{i * 1.5 + 1},{i % 2},{'Ctl' if i < 10 else 'Exp'}\n" for i in range(20)))
    seen = []

    def accept(dialog):
        seen.append((dialog.path.name, dialog.preview.rowCount(), dialog.mapping()["time_col"]))
        return PatientImportDialog.DialogCode.Accepted
    monkeypatch.setattr(PatientImportDialog, "exec", accept)
    drop(window, csv)
    assert seen == [("ipd.csv", 20, "os_months")]
    imported = window.project.trials[-1]
    assert {a.label for a in imported.endpoints[0].arms} == {"Ctl", "Exp"}
    assert sum(a.patients.n for a in imported.endpoints[0].arms) == 20


def test_dropping_a_digitized_curve_opens_the_guided_dialog(window, monkeypatch):
    from evidencegui.resources import resource
    from evidencegui.ui.dialogs.digitized import DigitizedImportDialog
    seen = []
    monkeypatch.setattr(DigitizedImportDialog, "exec",
                        lambda d: seen.append(sorted(d.curves)) or DigitizedImportDialog.DialogCode.Rejected)
    n_trials = len(window.project.trials)
    drop(window, resource("examples", "cleopatra", "os_digitized.csv"))
    assert seen and len(seen[0]) == 2                 # both digitized datasets, ready to map
    assert len(window.project.trials) == n_trials      # cancelled: nothing added


def test_esmo_context_adjusts_the_grade_and_undoes(window, monkeypatch):
    from evidencegui.ui.dialogs.esmo import EsmoContextDialog
    panel = window.comparison.external
    assert panel.text_of(None, "esmo") == "grade 4 (form 2a)"

    def answer(dialog):
        assert dialog.setting.currentData() == "non-curative" and not dialog.single_arm.isChecked()
        dialog.flags["qol_improved"].setChecked(True)
        return EsmoContextDialog.DialogCode.Accepted
    monkeypatch.setattr(EsmoContextDialog, "exec", answer)
    panel.esmo_button.click()                  # the panel's button opens the window's dialog
    ep = window.project.trials[window.t_index].endpoints[window.e_index]
    assert ep.name == "OS" and ep.esmo_flags == {"qol_improved": True}
    assert panel.text_of(None, "esmo") == "grade 4 → 5 (form 2a)"
    assert "quality-of-life" in panel.section().row("esmo").children[-1][1]
    assert window.statusBar().currentMessage() == "set ESMO-MCBS context"
    window.act_undo.trigger()
    assert ep.esmo_flags == {} and panel.text_of(None, "esmo") == "grade 4 (form 2a)"
    # the curative setting switches to Form 1; nothing changed → no undo step
    assert window.edit_esmo_context({"setting": "curative"})
    assert panel.text_of(None, "esmo") == "not graded (form 1)"   # Form 1 needs a late OS landmark
    assert "OS survival in both arms at a landmark of 3 years" in panel.section().row("esmo").rule
    n = window.controller.stack.count()
    assert not window.edit_esmo_context({"setting": "curative"})
    assert window.controller.stack.count() == n


def test_resizing_many_times_never_aborts_the_interpreter(window, qtbot):
    """PySide6 6.12.0 loses references to None/True/False in overridden itemChange (pyqtgraph);
    on Python 3.11 that aborted the process after some resizing. pyproject.toml keeps PySide6
    below 6.12, and ui/pyside_guard.py pins the singletons where a leaking build is installed."""
    from evidencegui.ui import pyside_guard

    if pyside_guard.apply():
        assert sys.getrefcount(None) > 1 << 39 and sys.getrefcount(True) > 1 << 39
    for i in range(60):
        window.resize(1100 + 5 * i, 760 + 2 * i)
        qtbot.wait(1)
    assert sys.getrefcount(None) > 1000 and sys.getrefcount(False) > 1000


def test_choosing_an_endpoint_in_the_tree_shows_its_comparison(window):
    panel = window.comparison.external
    os_item = window.tree.topLevelItem(0).child(0)
    pfs_item = window.tree.topLevelItem(0).child(1)
    assert os_item.text(0) == "OS" and pfs_item.text(0) == "PFS"
    window.tree.setCurrentItem(pfs_item)
    assert panel.title == "CLEOPATRA — PFS"
    assert panel.text_of(None, "median_gain") == "+6.3"
    assert panel.text_of(None, "hr") == "0.68 (0.58–0.80)"
    assert "graded on OS" in panel.section().row("esmo").rule
    assert not panel.section().row("median_experimental").flag     # PFS medians agree
    window.tree.setCurrentItem(os_item)
    assert panel.text_of(None, "median_gain") == "+15.7"
