"""The main window, driven as a user would: the example, typing, undo, closing, dropping, recovery."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

ROOT = Path(__file__).resolve().parents[2]


def cell(w, row, key):
    return w.model.index(row, w.model.column_index(key))


def type_in(w, row, key, text):
    assert w.model.setData(cell(w, row, key), text, Qt.ItemDataRole.EditRole)


def test_first_run_shows_cleopatra_os_with_both_arms(window):
    arms = window.model.arms()
    ep = window.project.trials[window.t_index].endpoints[window.e_index]
    assert window.project.trials[window.t_index].name == "CLEOPATRA" and ep.name == "OS"
    assert len(arms) == 2 and {a.role for a in arms} == {"control", "experimental"}
    assert window.tree.topLevelItem(0).text(0) == "CLEOPATRA"
    assert window.path is None          # the example is a template, never overwritten


def test_typing_a_value_updates_the_comparison(window):
    exp = next(i for i, a in enumerate(window.model.arms()) if not a.is_control)
    before = window.comparison.last_text if window.comparison.external is None else None
    type_in(window, exp, "median", "60.8")
    assert window.model.arms()[exp].median == 60.8
    if window.comparison.external is None:
        assert "20.0" in window.comparison.last_text and window.comparison.last_text != before
    else:
        assert window.comparison.external.text_of(None, "median_gain") == "+20.0"
    assert window.isWindowModified()


def test_the_tree_follows_names_and_keeps_itself_through_other_edits(window):
    """Typing a median leaves the project tree as it is (a trial the user collapsed stays
    collapsed); renaming an arm, or undoing the rename, shows in the tree at once."""
    trial_item = window.tree.topLevelItem(0)
    trial_item.setExpanded(False)
    exp = next(i for i, a in enumerate(window.model.arms()) if not a.is_control)
    type_in(window, exp, "median", "60.8")
    assert window.tree.topLevelItem(0) is trial_item and not trial_item.isExpanded()

    def names():           # the arms under the endpoint shown
        ep = window.tree.topLevelItem(window.t_index).child(window.e_index)
        return [ep.child(i).text(0) for i in range(ep.childCount())]
    old = window.model.arms()[exp].label
    type_in(window, exp, "label", "Renamed arm")
    assert "Renamed arm" in names() and old not in names()
    window.act_undo.trigger()
    assert old in names() and "Renamed arm" not in names()


def test_columns_widen_for_a_longer_value_and_keep_a_width_the_user_set(window):
    """A longer text typed widens its column so it stays readable; typing a value of the same
    length leaves the widths alone, including one the user dragged."""
    exp = next(i for i, a in enumerate(window.model.arms()) if not a.is_control)
    p_col = window.model.column_index("p_value")
    med_col = window.model.column_index("median")
    window.table.setColumnWidth(p_col, 30)              # narrower than "<0.0001"
    type_in(window, exp, "p_value", "<0.0001")
    fm = window.table.fontMetrics()
    assert window.table.columnWidth(p_col) >= fm.horizontalAdvance("<0.0001")
    window.table.setColumnWidth(med_col, 140)           # the user widens a column
    type_in(window, exp, "median", "60.8")
    type_in(window, exp, "median", "61.8")
    assert window.table.columnWidth(med_col) == 140


def test_invalid_text_is_kept_marked_and_not_applied(window):
    type_in(window, 0, "n", "four hundred")
    assert window.model.arms()[0].n == 402 or window.model.arms()[0].n == 406
    idx = cell(window, 0, "n")
    assert window.model.data(idx) == "four hundred"
    assert "expected a number" in window.model.data(idx, Qt.ItemDataRole.ToolTipRole)
    assert window.model.data(idx, Qt.ItemDataRole.BackgroundRole) is not None
    assert window.controller.stack.count() == 0


def test_value_breaking_validation_shows_cores_message(window):
    exp = next(i for i, a in enumerate(window.model.arms()) if not a.is_control)
    type_in(window, exp, "hr_lower", "0.9")     # above the HR of 0.68
    msg = window.model.cell_problem(exp, "hr_lower")
    assert msg and "above the estimate" in msg


def test_undo_redo_and_clean_mark(window):
    n0 = window.model.arms()[0].n
    type_in(window, 0, "n", "500")
    type_in(window, 0, "events", "300")
    assert window.isWindowModified()
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert window.model.arms()[0].n == n0 and not window.isWindowModified()
    window.act_redo.trigger()
    assert window.model.arms()[0].n == 500


def test_arm_editing_buttons(window):
    window.table.setCurrentIndex(window.model.index(0, 0))
    window.duplicate_arm()
    assert len(window.model.arms()) == 3 and window.model.arms()[1].label.endswith("(copy)")
    window.table.setCurrentIndex(window.model.index(1, 0))
    window.move_arm(1)
    assert window.model.arms()[2].label.endswith("(copy)")
    window.make_control()
    assert [a.is_control for a in window.model.arms()].count(True) == 1
    assert window.model.arms()[2].is_control
    window.remove_arm()
    assert len(window.model.arms()) == 2
    window.add_trial("NEW TRIAL")
    assert window.project.trials[window.t_index].name == "NEW TRIAL"
    type_in(window, 1, "median", "NR")
    assert window.model.arms()[1].median_not_reached and window.model.data(cell(window, 1, "median")) == "NR"


def test_landmark_column_accepts_percent_and_ci(window):
    window.model.add_landmark_time(36)
    type_in(window, 0, "surv:36.0", "68% (63%–73%)")
    lm = window.model.arms()[0].landmark_at(36)
    assert (lm.survival, lm.lower, lm.upper) == pytest.approx((0.68, 0.63, 0.73))


def test_close_with_unsaved_changes_asks(window, monkeypatch):
    type_in(window, 0, "n", "401")
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert asked and window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.close()


def test_save_and_reopen_last_project(window, make_window, tmp_path):
    from evidencegui.ui import launch
    type_in(window, 0, "source", "NEJM 2015")
    out = tmp_path / "mine.evidence.json"
    assert window.save_to(out) and not window.isWindowModified()
    window.close()
    w2 = make_window()
    launch.open_initial(w2)
    assert w2.path == out and any(a.source == "NEJM 2015" for a in w2.model.arms())
    assert str(out) in w2.settings.recent_files()


def test_autosave_then_recovery_after_a_crash(window, make_window, qtbot, monkeypatch):
    from evidencegui.ui import launch
    type_in(window, 0, "source", "typed before the crash")
    with qtbot.waitSignal(window.autosaver.saved, timeout=3000):
        pass
    assert window.autosaver.path.is_file()
    # the crash: the window never closes cleanly; a new session starts with the same settings
    offered = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: offered.append(a) or QMessageBox.StandardButton.Yes)
    w2 = make_window()
    launch.open_initial(w2)
    assert offered
    assert any(a.source == "typed before the crash" for a in w2.model.arms())
    assert w2.isWindowModified()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    w2.close()
    assert not w2.autosaver.path.exists()    # a clean exit removes the recovery file


def test_import_patients_with_mapping_and_drop(window, tmp_path):
    csv = tmp_path / "patients.csv"
    rows = ["weeks,status,group"] + [f"{4 * (i + 1)},{i % 2},{'A' if i < 6 else 'B'}" for i in range(12)]
    csv.write_text("\n".join(rows) + "\n")
    mapping = {"time_col": "weeks", "event_col": "status", "arm_col": "group", "event_value": "1",
               "time_unit": "weeks", "control": "A", "trial": "IPD trial", "endpoint": "PFS"}
    assert window.import_patients(str(csv), mapping)
    trial = window.project.trial("IPD trial")
    arms = trial.endpoint("PFS").arms
    assert [a.label for a in arms] == ["A", "B"] and arms[0].is_control
    assert arms[0].n == 6 and arms[0].events == 3
    assert arms[0].patients.time[0] == pytest.approx(4 * 12 / 52.1775)
    window.act_undo.trigger()
    assert window.project.trial("IPD trial") is None


def test_drop_of_a_project_file_opens_it(window, tmp_path, monkeypatch):
    from evidencegui.io.project_file import load_project, save_project
    from conftest import EXAMPLE
    p = load_project(EXAMPLE)
    p.trials[0].name = "DROPPED"
    path = tmp_path / "dropped.evidence.json"
    save_project(p, path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    window.dropEvent(ev)
    assert window.project.trials[0].name == "DROPPED" and window.path == path


def test_screenshot_of_the_main_window(window, qtbot):
    """At a normal workstation size (1400×900): the CLEOPATRA OS curves, arms table and the full
    comparison (reported vs reconstructed, the flagged median) — look at the PNG after changes."""
    window.resize(1400, 900)
    qtbot.wait(50)
    out = ROOT / "screenshots" / "tmp" / "main_window.png"   # git-ignored; copy up to keep
    out.parent.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(out))
    assert out.stat().st_size > 10_000
    # the detail view: the ESMO-MCBS row opened and selected, its rule explained below
    panel = window.comparison.external
    if panel is not None:
        item = panel.items[(panel.section().experimental, "esmo")]
        item.setExpanded(True)
        panel.tree.setCurrentItem(item)
        qtbot.wait(20)
        detail = ROOT / "screenshots" / "tmp" / "main_window_esmo_detail.png"
        assert window.grab().save(str(detail))


def test_smoke_test_subprocess_exits_0_quickly(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EVIDENCEGUI_SETTINGS=str(tmp_path / "s.ini"))
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "evidencegui", "--smoke-test"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert time.perf_counter() - t0 < 20


def test_summary_table_is_recognised_and_imported(window, tmp_path):
    csv = tmp_path / "summary.csv"
    csv.write_text("trial,endpoint,arm,role,n,events,median,median_lower,median_upper,hr,hr_lower,hr_upper,p_value\n"
                   "NEWT,OS,Ctl,control,200,120,20.1,18,23,,,,\n"
                   "NEWT,OS,Exp,experimental,201,100,25.3,22,29,0.75,0.6,0.93,0.008\n")
    from evidencegui.ui.file_ops import kind_of
    assert kind_of(csv) == "summary"
    assert window.import_file(str(csv))
    ep = window.project.trial("NEWT").endpoint("OS")
    assert [a.label for a in ep.arms] == ["Ctl", "Exp"] and ep.arms[1].hr == 0.75
    assert window.project.trials[window.t_index].name == "NEWT"


def test_export_entries_follow_what_exists(window):
    import importlib.util
    for suffix, module in ((".xlsx", "evidencegui.io.xlsx_writer"), (".png", "evidencegui.ui.figure")):
        assert window.export_actions[suffix].isEnabled() == (importlib.util.find_spec(module) is not None)


@pytest.mark.parametrize("key, text, shown", [("hr", "0.69", "HR 0.69 (0.56–0.84)"),
                                              ("hr_upper", "0.90", "HR 0.68 (0.56–0.90)"),
                                              ("p_value", "0.03", "p = 0.030")])
def test_the_plots_hr_note_follows_what_is_typed(window, key, text, shown, monkeypatch):
    """The plot's 'HR … ; p = …' note is redrawn when the reported HR, its CI or p is typed, even
    though the curves (from patient data) stay as they are (not redrawn); Undo brings the old note
    back."""
    plot = window.plot.widget
    before = list(plot.annotation)
    assert before[0].startswith("HR 0.68 (0.56–0.84)")
    redraws = []
    real = plot.redraw
    monkeypatch.setattr(plot, "redraw", lambda: (redraws.append(1), real())[1])
    exp = next(i for i, a in enumerate(window.model.arms()) if not a.is_control)
    type_in(window, exp, key, text)
    assert shown in plot.annotation[0]
    assert any(shown in t for t in plot.legend.texts())           # what the legend box shows
    window.act_undo.trigger()
    assert plot.annotation == before and redraws == []


def test_a_reconstructed_curves_legend_gives_the_reported_median_beside_its_own(window):
    """The example's OS curves are rebuilt from the published figure: the legend gives each curve's
    own median and the reported one ('median 60.3 mo (reported 56.5)'), and typing another reported
    median updates it without redrawing the curves."""
    texts = window.plot.widget.legend.texts()
    assert any(t.endswith("\nmedian 60.3 mo (reported 56.5)") for t in texts), texts
    assert any(t.endswith("\nmedian 41.8 mo (reported 40.8)") for t in texts), texts
    exp = next(i for i, a in enumerate(window.model.arms()) if not a.is_control)
    type_in(window, exp, "median", "57.1")
    assert any(t.endswith("(reported 57.1)") for t in window.plot.widget.legend.texts())
    window.act_undo.trigger()
    assert any(t.endswith("(reported 56.5)") for t in window.plot.widget.legend.texts())


def test_a_median_typed_for_arms_drawn_from_their_own_patients_redraws_nothing(window, monkeypatch):
    """Arms drawn from patient-level data (not rebuilt from a figure): the legend shows the
    curves' medians, so a reported median typed leaves the plot alone (no redraw, no note)."""
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_edit import _big_project
    window.set_project(_big_project(2, 300))
    window.show_endpoint(0, 0)
    plot = window.plot.widget
    calls = []
    real_redraw, real_note = plot.redraw, plot.update_note
    monkeypatch.setattr(plot, "redraw", lambda: (calls.append("redraw"), real_redraw())[1])
    monkeypatch.setattr(plot, "update_note", lambda: (calls.append("note"), real_note())[1])
    type_in(window, 0, "median", "21.5")
    assert window.project.trials[0].endpoints[0].arms[0].median == 21.5 and calls == []
    window.controller.set_clean()


def test_experimental_and_control_keep_their_colours_whatever_the_row_order(window):
    """The example lists the experimental arm first, a typed trial the control: the experimental
    arm takes the first colour and the control the second either way (plot, legend, risk table),
    so two trials on one deck read alike; Make control swaps them."""
    from evidencegui.core.model import Arm, Endpoint, Project, Trial
    from evidencegui.ui import style as st
    plot = window.plot.widget
    ex = {d.curve.label: d.colour for d in plot.drawn.values()}
    arms = window.model.arms()
    exp_colour = ex[next(a.label for a in arms if not a.is_control)]
    ctl_colour = ex[next(a.label for a in arms if a.is_control)]
    assert (exp_colour, ctl_colour) == (st.colour(0, plot.style), st.colour(1, plot.style))
    window.set_project(Project(trials=[Trial("PHILA", [Endpoint("PFS", [
        Arm("Placebo+Trastuzumab+Docetaxel", role="control", n=293, median=10.4),
        Arm("Pyrotinib+Trastuzumab+Docetaxel", n=297, median=24.3, hr=0.41)])])]))
    window.show_endpoint(0, 0)
    colours = {d.curve.label.replace(" (modelled)", ""): d.colour for d in plot.drawn.values()}
    assert colours["Pyrotinib+Trastuzumab+Docetaxel"] == exp_colour
    assert colours["Placebo+Trastuzumab+Docetaxel"] == ctl_colour
    assert [row.color.name().lower() for row in plot.at_risk_items] == [ctl_colour.lower(), exp_colour.lower()]
    window.controller.set_clean()
