"""The across-trials view through the user's door: View → Across trials (menu action and
Ctrl+Shift+T), trial choice, the forest plot's drawn data, the table copied, exports, subgroup
edits with undo. pytest-qt fails a test on any exception raised in a slot."""
import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

import across_projects as ap
from evidencegui.core.model import SubgroupResult
from evidencegui.core.pooling import pool, study_from_hr


@pytest.fixture
def errors(monkeypatch):
    """Any error dialog is recorded (and fails the test where it must not appear)."""
    seen = []
    from evidencegui.ui.dialogs import error
    monkeypatch.setattr(error, "show_error", lambda parent, title, message, details=None: seen.append((title, message)))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: seen.append(("box", self.text())) or 0)
    return seen


def _open(window, project):
    window.set_project(project)
    window.act_across.trigger()
    return window.across_view


def test_menu_item_and_shortcut_switch_to_the_view(window, qtbot, errors):
    assert window.across_view is None                # built on first use, not at start-up
    assert window.act_across.shortcut().toString() == "Ctrl+Shift+T"
    texts = [a.text() for a in window.menuBar().actions() if a.menu()]
    view_menu = [a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View"][0]
    assert window.act_across in view_menu.actions(), texts
    window.act_across.trigger()
    view = window.across_view
    assert view is not None and view.isVisible() and window.act_across.isChecked()
    window.act_across.trigger()                      # again: back to the survival plot
    assert window.central_tabs.currentIndex() == 0
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.central_tabs.currentIndex() == 1, timeout=2000)
    assert not errors


def test_no_shortcut_clash(window):
    seen = {}
    for a in window.findChildren(type(window.act_across)):
        for k in a.shortcuts():
            key = k.toString()
            assert key not in seen or seen[key] is a, f"{key}: {a.text()} and {seen[key].text()}"
            seen[key] = a


def test_forest_plot_items_carry_the_pooled_numbers(window, errors):
    view = _open(window, ap.cdk46())
    assert view.endpoint == "PFS"
    assert view.chosen_trials() == ["PALOMA-2", "MONALEESA-2", "MONARCH 3"]
    f = view.forest
    # squares at the log HRs, one per trial, rows 0..2; whiskers at the CI ends
    x, y = f.square_item.getData()
    assert np.allclose(x, [math.log(r[3]) for r in ap.CDK])
    assert list(y) == [0, 1, 2]
    wx, wy = f.whisker_item.xData, f.whisker_item.yData
    assert np.allclose(wx, [v for r in ap.CDK for v in (math.log(r[4]), math.log(r[5]))])
    assert list(wy) == [0, 0, 1, 1, 2, 2]
    # the squares' areas follow the random-effects weights
    sizes = f.square_item.data["size"]
    w = [s.weight_random for s in view.result.studies]
    assert np.allclose((sizes / sizes.max()) ** 2, np.array(w) / max(w), rtol=1e-6)
    # diamonds: centre at the pooled log HR, ends at its CI
    ref = pool([study_from_hr(r[0], r[3], r[4], r[5]) for r in ap.CDK])
    for kind, est in (("fixed", ref.fixed), ("random", ref.random)):
        poly = f.diamonds[kind][0].polygon()
        xs = sorted(poly.at(i).x() for i in range(poly.count()))
        assert xs[0] == pytest.approx(math.log(est.hr_ci[0]))
        assert xs[-1] == pytest.approx(math.log(est.hr_ci[1]))
        assert poly.at(1).x() == pytest.approx(math.log(est.hr))
    assert f.pi_item.pi == pytest.approx(tuple(math.log(v) for v in ref.random.prediction_interval))
    rows = f.drawn_rows()
    assert rows[0]["hr"] == "0.58 (0.46–0.72)" and rows[3]["label"] == "Fixed effect"
    assert any("I² = 0%" in line for line in f.data.footer)
    assert not errors


def test_unchecking_a_trial_repools(window, errors):
    view = _open(window, ap.cdk46())
    item = view.trial_list.item(2)
    item.setCheckState(Qt.CheckState.Unchecked)
    assert view.chosen_trials() == ["PALOMA-2", "MONALEESA-2"]
    assert len(view.result.studies) == 2
    assert [r["label"] for r in view.forest.drawn_rows()][:2] == ["PALOMA-2", "MONALEESA-2"]
    assert view.table.rowCount() == 2
    view.set_trials(["PALOMA-2"])
    assert len(view.result.studies) == 1 and "One trial: nothing to pool." in view.forest.data.footer
    assert not errors


def test_indirect_comparisons_with_rule_and_caveat(window, errors):
    from evidencegui.core.across import TRANSITIVITY_CAVEAT
    view = _open(window, ap.her2())
    text = view.indirect_box.toPlainText()
    assert "HR 1.66 (1.23–2.24)" in text                 # 0.68 / 0.41 through the shared control
    assert "equivalently PHILA vs CLEOPATRA: HR 0.60 (0.45–0.81)" in text   # 0.41 / 0.68
    assert "HR_A / HR_B through Placebo+Trastuzumab+Docetaxel" in text
    assert TRANSITIVITY_CAVEAT in text
    assert not errors


def test_table_copied_with_ctrl_c_as_text_and_html(window, qtbot, errors):
    view = _open(window, ap.her2())
    view.tabs.setCurrentIndex(1)
    view.table.setFocus()
    QGuiApplication.clipboard().clear()
    QTest.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    lines = mime.text().splitlines()
    assert lines[0].split("\t")[:3] == ["Trial", "Endpoint", "Arm"]
    assert lines[1].split("\t")[8] == "0.68 (0.58–0.80)"
    assert "<table" in mime.html() and "PHILA" in mime.html()
    view.copy_button.click()
    assert QGuiApplication.clipboard().text().count("\n") == 3
    assert not errors


def test_export_forest_png_svg_and_workbook(window, tmp_path, monkeypatch, errors):
    from PySide6.QtWidgets import QFileDialog, QInputDialog
    view = _open(window, ap.cdk46())
    acts = window.across_export_actions
    for key, name in (("forest_png", "f.png"), ("forest_svg", "f.svg")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, n=name, **k: (str(tmp_path / n), "")))
        acts[key].trigger()
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "f.svg").read_bytes()[:4000]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "w.xlsx"), "")))
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(lambda *a, **k: (150, True)))
    window.export_actions[".xlsx"].trigger()
    import openpyxl
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert {"Across trials", "Forest"} <= set(wb.sheetnames)
    assert len(wb["Forest"]._images) == 1                 # the forest figure is embedded
    assert view.result is not None and not errors


def test_overlay_export_with_caveat(window, tmp_path, monkeypatch, errors):
    from PySide6.QtWidgets import QFileDialog
    window.set_project(ap.her2())
    window.choose_overlay([(0, 0, 1), (1, 0, 1)])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "o.png"), "")))
    window.export_menu.aboutToShow.emit()              # File → Export opened
    assert window.across_export_actions["overlay_png"].isEnabled()
    window.across_export_actions["overlay_png"].trigger()
    assert (tmp_path / "o.png").stat().st_size > 10000
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "s.pptx"), "")))
    window.export_actions[".pptx"].trigger()
    from pptx import Presentation
    texts = [sh.text_frame.text for s in Presentation(tmp_path / "s.pptx").slides for sh in s.shapes
             if sh.has_text_frame]
    assert any("not a comparison" in t for t in texts)
    assert any(t.startswith("PFS: pooled HR") for t in texts)
    assert not errors


def test_subgroups_typed_imported_and_undone(window, tmp_path, errors):
    window.set_project(ap.her2())
    window.show_endpoint(0, 0)
    window.act_across.trigger()
    view = window.across_view
    view.tabs.setCurrentIndex(2)
    arm = window.project.trials[0].endpoints[0].arms[1]
    assert len(arm.subgroups) == 4
    labels = [r["label"] for r in view.subgroup_forest.drawn_rows()]
    assert labels[:3] == ["Age", "< 65 years", "≥ 65 years"] and "Region" in labels
    assert view.subgroup_forest.diamonds.get("random") is None      # no pooling across variables
    # type a new HR into row 1 through the grid
    view.subgroup_editor.table.item(0, 2).setText("0.6")
    assert window.project.trials[0].endpoints[0].arms[1].subgroups[0].hr == 0.6
    view.subgroup_editor.add_button.click()
    assert len(window.project.trials[0].endpoints[0].arms[1].subgroups) == 5
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert window.project.trials[0].endpoints[0].arms[1].subgroups[0].hr == 0.65
    assert len(window.project.trials[0].endpoints[0].arms[1].subgroups) == 4
    # a refused cell: a message, no change
    view.subgroup_editor.table.item(0, 2).setText("abc")
    assert window.project.trials[0].endpoints[0].arms[1].subgroups[0].hr == 0.65
    # import a CSV (io/subgroups.py)
    csv = tmp_path / "sg.csv"
    csv.write_text("variable,level,hr,hr_lower,hr_upper\nECOG,0,0.6,0.5,0.8\nECOG,1,0.8,0.6,1.1\n")
    pytest.importorskip("evidencegui.io.subgroups")
    assert view.import_subgroups(str(csv))
    assert [s.level for s in window.project.trials[0].endpoints[0].arms[1].subgroups] == ["0", "1"]
    window.act_undo.trigger()
    assert len(window.project.trials[0].endpoints[0].arms[1].subgroups) == 4
    assert not errors


def test_subgroups_follow_the_endpoint_chosen_in_the_tree(window, errors):
    window.set_project(ap.her2())
    window.act_across.trigger()
    view = window.across_view
    view.tabs.setCurrentIndex(2)
    window.show_endpoint(0, 0)
    window.tree.endpoint_selected.emit(0, 0)
    assert "CLEOPATRA" in view.subgroup_title.text() and view.subgroup_editor.table.rowCount() == 4
    window.show_endpoint(1, 0)
    window.tree.endpoint_selected.emit(1, 0)
    assert "PHILA" in view.subgroup_title.text() and view.subgroup_editor.table.rowCount() == 0
    assert not errors


def test_empty_project_and_unusable_rows_give_messages_not_errors(window, errors):
    from evidencegui.core.model import Project
    view = _open(window, Project())
    assert view.result is None and "no endpoints" in view.forest.message
    assert view.table.rowCount() == 0
    p = ap.cdk46()
    bad = p.trials[1].endpoints[0].arms[1]
    bad.hr_lower, bad.hr_upper = 0.60, 0.72          # a CI that does not contain its HR (0.56)
    p.trials[2].endpoints[0].arms[1].hr_lower = None  # no CI: no weight
    view = _open(window, p)
    assert [s.study.name for s in view.result.studies] == ["PALOMA-2"]
    assert view.left_out_label.isVisibleTo(view) and "MONALEESA-2" in view.left_out_label.text()
    assert "MONARCH 3" in view.left_out_label.text()
    assert "nan" not in " ".join(r["hr"] for r in view.forest.drawn_rows()).lower()
    assert not errors


def test_view_style_follows_the_window(window, errors):
    view = _open(window, ap.cdk46())
    small = view.forest.row_px
    presentation = [a for a in window.style_group.actions() if a.text() == "presentation"][0]
    presentation.trigger()
    assert view.forest.style.name == "presentation" and view.forest.row_px > small * 1.3
    assert not errors


def test_overlay_export_is_offered_only_with_an_overlay_on_the_plot(window, errors):
    """File → Export → Overlay as PNG is disabled (with the way to get one in its status tip)
    until an overlay is on the plot, and disabled again when it ends; no error dialog."""
    window.set_project(ap.her2())
    act = window.across_export_actions["overlay_png"]
    window.export_menu.aboutToShow.emit()
    assert not act.isEnabled() and "View → Overlay" in act.statusTip()
    window.choose_overlay([(0, 0, 1), (1, 0, 1)])
    window.export_menu.aboutToShow.emit()
    assert act.isEnabled()
    window.end_overlay()
    window.export_menu.aboutToShow.emit()
    assert not act.isEnabled() and not errors
