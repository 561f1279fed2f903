"""File → Digitize a figure… end to end, through what a user triggers: the menu action, the
window's buttons and actions, clicks on the canvas, typing in the grid. A figure the test draws
itself (tests/ui/digitize_drawn.py) is calibrated, its curves found, the numbers at risk typed,
the arms reconstructed into a new trial; the comparison shows reconstructed numbers; undo in the
main window restores the project. The unexpected-error dialog is a failure (pytest-qt fails a
test on any exception raised in a Qt slot)."""
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

import digitize_drawn as drawn

DIGITIZE = Path(__file__).resolve().parent.parent / "fixtures" / "digitize"   # drawn by issue 12's scripts


@pytest.fixture
def figure_png(tmp_path):
    path = tmp_path / "km_figure.png"
    arms = drawn.draw(path)
    return path, arms


def _open_window(window, monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    window.act_digitize_figure.trigger()
    dw = window.digitize_window
    assert dw.isVisible()
    dw.act_open.trigger()
    return dw


def _click(dw, x, y):
    c = dw.canvas
    QTest.mouseClick(c.viewport(), Qt.MouseButton.LeftButton, pos=c.mapFromScene(QPointF(x, y)))


def _type(widget, text):
    widget.setFocus()
    widget.selectAll()
    QTest.keyClicks(widget, text)


def _calibrate(dw, x_values=(0, 30), y_values=(0, 1)):
    """Place X₁ at t=0, X₂ at t=30 on the x axis, Y₁ at S=0, Y₂ at S=1; type the values."""
    QTest.mouseClick(dw.cal.buttons["x1"], Qt.MouseButton.LeftButton)
    places = (drawn.to_px(0, 0), drawn.to_px(30, 0), drawn.to_px(0, 0), drawn.to_px(0, 1))
    for key, (x, y), v in zip(("x1", "x2", "y1", "y2"), places, (*x_values, *y_values)):
        assert dw.canvas.cal_target == key
        _click(dw, x, y)
        _type(dw.cal.values[key], str(v))
    cal, why = dw.calibration()
    assert cal is not None, why
    return cal


def _type_at_risk(dw, counts: dict, step="6", until="30"):
    _type(dw.grid.step, step)
    _type(dw.grid.until, until)
    QTest.mouseClick(dw.grid.fill_btn, Qt.MouseButton.LeftButton)
    table = dw.grid.table
    names = dw.grid.names()
    for name, row in counts.items():
        r = names.index(name) + 1
        for c, n in enumerate(row):
            _type_cell(table, r, c, str(n))


def _type_cell(table, r, c, text):
    """Double-click the cell (its editor opens), type, Return."""
    from PySide6.QtWidgets import QLineEdit
    table.scrollToItem(table.item(r, c))
    rect = table.visualItemRect(table.item(r, c))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = next(e for e in table.viewport().findChildren(QLineEdit) if e.isVisible())
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()            # the delegate commits on a queued call
    assert table.item(r, c).text() == text


def _rename(dw, row, name):
    dw.curves.table.item(row, 0).setText(name)


def test_image_calibrate_find_reconstruct_undo(window, monkeypatch, figure_png, qtbot):
    path, arms = figure_png
    n_trials = len(window.project.trials)
    dw = _open_window(window, monkeypatch, path)
    assert dw.source is not None and dw.source.kind == "image"
    _calibrate(dw)
    dw.act_find.trigger()
    curves = dw.canvas.curves
    assert len(curves) == 2, dw.note.text()
    # Curve 1 is the upper one: the drug arm (longer median)
    _rename(dw, 0, "Drug")
    _rename(dw, 1, "Control")
    assert [c.name for c in dw.canvas.curves] == ["Drug", "Control"]
    assert dw.curves.role(1) == "control"
    counts = {a.name: a.at_risk() for a in arms}
    _type_at_risk(dw, counts)
    tables, problems = dw.grid.tables()
    assert not problems
    assert tables["Drug"] == (list(map(float, drawn.TICKS)), counts["Drug"])
    _type(dw.target.trial_name, "Drawn trial")
    QTest.mouseClick(dw.run_btn, Qt.MouseButton.LeftButton)
    assert len(window.project.trials) == n_trials + 1, dw.note.text()
    trial = window.project.trials[-1]
    assert trial.name == "Drawn trial"
    ep = trial.endpoints[0]
    by = {a.label: a for a in ep.arms}
    assert set(by) == {"Drug", "Control"} and by["Control"].role == "control"
    for a in arms:
        rec = by[a.name].patients
        assert rec.origin == "reconstructed" and rec.n == a.at_risk()[0]
        # events: the true count within a few patients (the table fixes the censoring)
        assert abs(rec.events - int(a.event.sum())) <= 4
    # the comparison panel shows numbers from the reconstructed patients
    assert (window.t_index, window.e_index) == (n_trials, 0)
    section = window.comparison.external.section("Drug")
    assert section is not None and section.computed_source is not None
    hr_row = section.row("hr")
    assert hr_row is not None and hr_row.computed not in ("", "—")
    # undo in the main window removes the trial again
    window.act_undo.trigger()
    assert len(window.project.trials) == n_trials


def test_reconstructed_hr_close_to_the_true_data(window, monkeypatch, figure_png):
    """Oracle: lifelines' Cox HR on the patients the figure was drawn from."""
    lifelines = pytest.importorskip("lifelines")
    import pandas as pd
    path, arms = figure_png
    dw = _open_window(window, monkeypatch, path)
    _calibrate(dw)
    dw.act_find.trigger()
    _rename(dw, 0, "Drug")
    _rename(dw, 1, "Control")
    _type_at_risk(dw, {a.name: a.at_risk() for a in arms})
    assert dw.reconstruct(), dw.note.text()
    ep = window.project.trials[-1].endpoints[0]

    def cox(time_by_arm):
        rows = [(t, e, int(name == "Drug")) for name, (ts, es) in time_by_arm.items()
                for t, e in zip(ts, es)]
        df = pd.DataFrame(rows, columns=["t", "e", "drug"])
        return float(np.exp(lifelines.CoxPHFitter().fit(df, "t", "e").params_["drug"]))
    true = cox({a.name: (a.time, a.event) for a in arms})
    rec = cox({a.label: (np.array(a.patients.time), np.array(a.patients.event)) for a in ep.arms})
    # 50 patients an arm traced at 900×640 px: a few percent (the goal at 150 dpi: 0.04)
    assert abs(np.log(rec / true)) < 0.06, (rec, true)


def test_manual_clicks_when_finding_fails(window, monkeypatch, figure_png):
    """No curves found (here: Find is not used): New curve, click the corners, reconstruct."""
    path, arms = figure_png
    dw = _open_window(window, monkeypatch, path)
    _calibrate(dw)
    control = next(a for a in arms if a.name == "Control")
    QTest.mouseClick(dw.curves.new, Qt.MouseButton.LeftButton)
    assert dw.canvas.mode == "add"
    for t, s in control.corners():
        _click(dw, *drawn.to_px(t, s))
    assert len(dw.canvas.curves[0].points) == len(control.corners())
    _rename(dw, 0, "Control")
    _type_at_risk(dw, {"Control": control.at_risk()})
    assert dw.reconstruct(), dw.note.text()
    arm = window.project.trials[-1].endpoints[0].arms[0]
    assert arm.patients.n == 50 and abs(arm.patients.events - int(control.event.sum())) <= 2


def test_into_an_existing_endpoint_replaces_the_modelled_curves(window, monkeypatch, figure_png):
    """A trial typed from the paper (Edit → Add trial; reported medians only, so its curves are
    modelled): the reconstructed patients go into its arms (chosen by name), one undo step
    takes them out again."""

    from evidencegui.core import commands as cmd
    path, arms = figure_png
    from PySide6.QtWidgets import QDialog

    from evidencegui.ui.dialogs.new_trial import NewTrialDialog

    def typed(dialog):            # Edit → Add trial asks the name, endpoints and arms together
        dialog.name.setText("Typed trial")
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(NewTrialDialog, "exec", typed)
    next(a for a in window.findChildren(type(window.act_new))
         if a.text().replace("&", "").rstrip("…") == "Add trial").trigger()
    ti = len(window.project.trials) - 1
    ep = window.project.trials[ti].endpoints[0]
    for ai, median in enumerate((9.0, 16.0)):
        window.push(cmd.SetArmField(ti, 0, ai, "median", median))
    labels = [a.label for a in ep.arms]
    control_label = ep.control.label
    exp_label = next(a.label for a in ep.arms if not a.is_control)
    assert all(a.patients is None for a in ep.arms)
    dw = _open_window(window, monkeypatch, path)
    _calibrate(dw)
    dw.act_find.trigger()
    dw.target.trial.setCurrentIndex(ti)
    dw.target.endpoint.setCurrentIndex(0)
    _rename(dw, 0, exp_label)
    _rename(dw, 1, control_label)
    assert dw.curves.into(0) == exp_label and dw.curves.into(1) == control_label
    _type_at_risk(dw, {exp_label: arms[1].at_risk(), control_label: arms[0].at_risk()})
    assert dw.reconstruct(), dw.note.text()
    ep = window.project.trials[ti].endpoints[0]
    assert [a.label for a in ep.arms] == labels
    assert all(a.patients is not None and a.patients.origin == "reconstructed" for a in ep.arms)
    assert [a.median for a in ep.arms] == [9.0, 16.0]          # reported values kept
    assert "Typed trial" in dw.note.text()
    window.act_undo.trigger()
    assert all(a.patients is None for a in window.project.trials[ti].endpoints[0].arms)


def test_pdf_page_crop_find_reconstruct(window, monkeypatch, tmp_path):
    """A two-page PDF drawn by matplotlib (vector): page 1 has no figure and says so; page 2,
    cropped by dragging, gives the curves named from the legend and the numbers at risk read
    from the text, exactly; Reconstruct puts both arms into a new trial."""
    pytest.importorskip("matplotlib")
    path = tmp_path / "article.pdf"
    arms = drawn.draw_pdf(path)
    dw = _open_window(window, monkeypatch, path)
    assert dw.source.kind == "pdf" and dw.page.maximum() == 2 and dw.canvas.mode == "crop"
    dw.act_find.trigger()
    assert "No curves found" in dw.note.text() and dw.canvas.curves == []
    spin = dw.page
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin.lineEdit(), "2")
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert dw.source.page == 2
    h, w = dw.source.image.shape[:2]
    vp = dw.canvas.viewport()
    a, b = dw.canvas.mapFromScene(QPointF(4, 4)), dw.canvas.mapFromScene(QPointF(w - 5, h - 5))
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    QTest.mouseMove(vp, b)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)
    assert dw.canvas.crop is not None
    QTest.mouseClick(dw.curves.find, Qt.MouseButton.LeftButton)
    assert sorted(c.name for c in dw.canvas.curves) == ["Control", "Drug"], dw.note.text()
    assert len(dw.canvas.cal_points) == 4 and dw.cal.value("x2") == pytest.approx(30)
    tables, problems = dw.grid.tables()
    assert not problems
    for arm in arms:
        assert tables[arm.name] == (list(map(float, drawn.TICKS)), arm.at_risk())
    row = [c.name for c in dw.canvas.curves].index("Control")
    dw.curves.table.cellWidget(row, 2).setCurrentText("control")
    dw.curves.table.cellWidget(1 - row, 2).setCurrentText("experimental")
    QTest.mouseClick(dw.run_btn, Qt.MouseButton.LeftButton)
    ep = window.project.trials[-1].endpoints[0]
    by = {a.label: a for a in ep.arms}
    assert by["Control"].role == "control", dw.note.text()
    for arm in arms:
        rec = by[arm.name].patients
        assert rec.n == 50 and rec.reconstruction["page"] == 2
        assert abs(rec.events - int(arm.event.sum())) <= 2


# ----------------------------------------------------------------------------- bad input, cancel

def test_bad_image_says_so(window, monkeypatch, tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    dw = _open_window(window, monkeypatch, bad)
    assert dw.source is None
    assert "broken.png" in dw.note.text() and "cannot" in dw.note.text().lower()


def test_cancel_the_file_dialog_changes_nothing(window, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    window.act_digitize_figure.trigger()
    dw = window.digitize_window
    dw.act_open.trigger()
    assert dw.source is None
    dw.act_find.trigger()
    dw.act_reconstruct.trigger()
    assert "Open a figure" in dw.note.text()


def test_coinciding_calibration_points_and_missing_values(window, monkeypatch, figure_png):
    path, _arms = figure_png
    n = len(window.project.trials)
    dw = _open_window(window, monkeypatch, path)
    QTest.mouseClick(dw.cal.buttons["x1"], Qt.MouseButton.LeftButton)
    x, y = drawn.to_px(0, 0)
    for _ in range(4):
        _click(dw, x, y)           # all four on the same spot
    dw.act_find.trigger()
    assert "type the value" in dw.note.text().lower()
    for key in ("x1", "x2", "y1", "y2"):
        _type(dw.cal.values[key], "0")
    dw.act_find.trigger()
    assert "same place" in dw.note.text() and "same value" in dw.note.text()
    dw.act_reconstruct.trigger()
    assert "same place" in dw.note.text()
    assert len(window.project.trials) == n


def test_counts_must_be_whole_and_never_rise(window, monkeypatch, figure_png):
    path, arms = figure_png
    dw = _open_window(window, monkeypatch, path)
    _calibrate(dw)
    dw.act_find.trigger()
    _type_at_risk(dw, {"Curve 1": [50, 40, 45], "Curve 2": [50, "x", -1]})
    _tables, problems = dw.grid.tables()
    text = dw.grid.status.text()
    assert "45 at risk is more than the 40" in text
    assert "'x' is not a whole number" in text and "'-1' is not a whole number" in text
    n = len(window.project.trials)
    dw.act_reconstruct.trigger()
    assert dw.note.text().startswith("Numbers at risk:")
    assert len(window.project.trials) == n


def test_cancelled_work_leaves_the_project_alone(window, monkeypatch, figure_png):
    from evidencegui.ui import workers
    path, arms = figure_png
    dw = _open_window(window, monkeypatch, path)
    _calibrate(dw)

    def cancelled(*a, **k):
        raise workers.Cancelled()
    monkeypatch.setattr(workers, "run_with_progress", cancelled)
    dw.act_find.trigger()
    assert "cancelled" in dw.note.text()
    monkeypatch.undo()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    dw.act_find.trigger()
    _type_at_risk(dw, {"Curve 1": arms[1].at_risk(), "Curve 2": arms[0].at_risk()})
    monkeypatch.setattr(workers, "run_with_progress", cancelled)
    n = len(window.project.trials)
    dw.act_reconstruct.trigger()
    assert "cancelled" in dw.note.text() and len(window.project.trials) == n
    dw.close()
    assert len(window.project.trials) == n


def test_local_undo_of_find_curves_and_ctrl_z(window, monkeypatch, figure_png, qtbot):
    path, _arms = figure_png
    dw = _open_window(window, monkeypatch, path)
    _calibrate(dw)
    dw.act_find.trigger()
    assert len(dw.canvas.curves) == 2
    dw.canvas.setFocus()
    dw.act_undo.trigger()
    assert dw.canvas.curves == []
    dw.act_redo.trigger()
    assert len(dw.canvas.curves) == 2


def test_paste_an_image_from_the_clipboard(window, figure_png):
    from PySide6.QtGui import QGuiApplication, QImage
    path, _arms = figure_png
    window.act_digitize_figure.trigger()
    dw = window.digitize_window
    QGuiApplication.clipboard().setImage(QImage(str(path)))
    dw.act_paste.trigger()
    assert dw.source is not None and dw.source.image.shape == (drawn.H, drawn.W, 3)
    QGuiApplication.clipboard().clear()
    dw.act_paste.trigger()
    assert "no image" in dw.note.text()


def test_menu_entry_and_shortcut(window):
    act = window.act_digitize_figure
    assert act.shortcut().toString() == "Ctrl+Shift+F"
    others = [a.shortcut().toString() for a in window.findChildren(type(act))
              if a is not act and not a.shortcut().isEmpty()]
    assert "Ctrl+Shift+F" not in others


def test_counts_follow_a_renamed_curve_and_reconstruct_again_replaces(window, monkeypatch, figure_png):
    path, arms = figure_png
    dw = _open_window(window, monkeypatch, path)
    _calibrate(dw)
    dw.act_find.trigger()
    _type_at_risk(dw, {"Curve 1": arms[1].at_risk(), "Curve 2": arms[0].at_risk()})
    _rename(dw, 0, "Drug")
    _rename(dw, 1, "Control")
    tables, problems = dw.grid.tables()
    assert not problems and tables["Drug"][1] == arms[1].at_risk()
    n = len(window.project.trials)
    assert dw.reconstruct(), dw.note.text()
    assert len(window.project.trials) == n + 1
    # the target is now that trial: a second Reconstruct (after an edit) replaces its arms' data
    assert dw.target.trial_index() == n and dw.curves.into(0) == "Drug"
    first = window.project.trials[n].endpoints[0].arm("Drug").patients
    c = dw.canvas
    c.set_points(0, c.curves[0].points[:-4])
    assert dw.reconstruct(), dw.note.text()
    assert len(window.project.trials) == n + 1
    assert window.project.trials[n].endpoints[0].arm("Drug").patients is not first
    window.act_undo.trigger()
    assert window.project.trials[n].endpoints[0].arm("Drug").patients is first


def test_curves_of_one_colour_are_drawn_apart(window, monkeypatch, figure_png):
    """Black solid and black dashed curves (one colour on the figure) get distinct colours."""
    from evidencegui.core import digitize as dg
    from evidencegui.ui import digitize_window as dwm
    path, _arms = figure_png
    dw = _open_window(window, monkeypatch, path)
    cal = _calibrate(dw)
    black = [dg.Curve("A", (0, 0, 0), [(0, 1), (10, 1), (10, 0.5)]),
             dg.Curve("B", (0, 0, 0), [(0, 1), (5, 1), (5, 0.4)], dash=(4, 2))]
    monkeypatch.setattr(dwm, "_find_job", lambda *a, **k: dg.DigitizeResult(
        "raster", cal, black, None, ["two curves share a colour"], None))
    dw.act_find.trigger()
    assert len({c.colour for c in dw.canvas.curves}) == 2
    assert "two curves share a colour" in dw.note.text()


def test_closes_with_the_main_window_and_reopens_as_left(window, monkeypatch, figure_png):
    path, _arms = figure_png
    dw = _open_window(window, monkeypatch, path)
    window.controller.set_clean()
    window.close()
    assert not dw.isVisible()
    window.act_digitize_figure.trigger()
    assert window.digitize_window is dw and dw.isVisible() and dw.source is not None


def test_a_percent_axis_typed_as_0_and_100(window, monkeypatch, figure_png):
    """Y values 0 and 100 typed without ticking percent: taken as percent, survival in [0, 1]."""
    path, arms = figure_png
    dw = _open_window(window, monkeypatch, path)
    cal = _calibrate(dw, y_values=(0, 100))
    assert dw.cal.percent.isChecked() and cal.percent
    _t, s = cal.to_data([drawn.X0], [drawn.Y1])
    assert s[0] == pytest.approx(1.0, abs=0.01)


def test_ggplot2_pdf_to_comparison(window, monkeypatch):
    """The project's own ggplot2 figure (tests/fixtures/digitize, drawn by make_figures.R from
    patients.csv, with CI ribbons and "+" censor marks): read from the PDF in the window,
    reconstructed; oracle: lifelines' Cox HR on the patients the figure was drawn from."""
    lifelines = pytest.importorskip("lifelines")
    import pandas as pd

    dw = _open_window(window, monkeypatch, DIGITIZE / "r_ggplot.pdf")
    dw.act_find.trigger()
    assert sorted(c.name for c in dw.canvas.curves) == ["Control", "Experimental"], dw.note.text()
    assert "confidence bands" in dw.note.text()
    assert "Censor marks read" in dw.note.text()
    assert all(len(c.censor_marks) == len(c.censor_times) > 0 for c in dw.canvas.curves)
    row = [c.name for c in dw.canvas.curves].index("Control")
    dw.curves.table.cellWidget(row, 2).setCurrentText("control")
    dw.curves.table.cellWidget(1 - row, 2).setCurrentText("experimental")
    assert dw.reconstruct(), dw.note.text()
    ep = window.project.trials[-1].endpoints[0]
    true = pd.read_csv(DIGITIZE / "patients.csv", keep_default_na=False)
    true["x"] = (true["arm"] == "Experimental").astype(int)
    rec = pd.DataFrame([(t, e, int(a.label == "Experimental")) for a in ep.arms
                        for t, e in zip(a.patients.time, a.patients.event)], columns=["time", "event", "x"])
    hr = [float(np.exp(lifelines.CoxPHFitter().fit(d[["time", "event", "x"]], "time", "event").params_["x"]))
          for d in (true, rec)]
    assert abs(np.log(hr[1] / hr[0])) < 0.03, hr      # the vector goal
    assert window.comparison.external.section("Experimental").computed_source is not None
    # the censor marks read on each curve go into its reconstruction (core.reconstruct's
    # censor_times): the window's patients are those of a reconstruction with the marks, whose
    # censorings sit nearer the marks than those of one without
    from evidencegui.core.reconstruct import reconstruct_many
    from evidencegui.ui.digitize_apply import gather
    (curves, tables, _rows), _why = gather(dw)
    marks = {c.name: c.censor_times for c in dw.canvas.curves}
    with_marks = reconstruct_many(curves, tables, censor_times=marks)
    without = reconstruct_many(curves, tables)
    for name, m in marks.items():
        arm = ep.arm(name)
        assert np.allclose(np.sort(arm.patients.time), np.sort(with_marks[name].time))
        m = np.asarray(m, float)

        def distance(rec):
            cens = np.asarray(rec.time, float)[np.asarray(rec.event) == 0]
            cens = cens[cens <= m.max()]
            return np.abs(cens[:, None] - m[None, :]).min(axis=1).mean()
        assert distance(with_marks[name]) < distance(without[name]), name


def test_calibration_read_from_the_pdf_shows_round_values_on_the_same_line(window, monkeypatch):
    dw = _open_window(window, monkeypatch, DIGITIZE / "r_ggplot.pdf")
    dw.act_find.trigger()
    found = dw.result.calibration
    values = [dw.cal.values[k].text() for k in ("x1", "x2", "y1", "y2")]
    assert values == ["0", "36", "1", "0"]
    mine, _why = dw.calibration()
    px = [100.0, 500.0, 900.0]
    py = [50.0, 300.0, 600.0]
    for a, b in zip(mine.to_data(px, py), found.to_data(px, py)):
        assert np.allclose(a, b, atol=1e-6)


def test_every_action_of_the_window_with_and_without_a_figure(window, monkeypatch, figure_png):
    """Trigger each QAction of the digitizing window (dialogs cancelled): never an exception."""
    from PySide6.QtGui import QAction, QGuiApplication
    path, _arms = figure_png
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    QGuiApplication.clipboard().clear()
    window.act_digitize_figure.trigger()
    dw = window.digitize_window
    n = len(window.project.trials)
    for _round in range(2):
        for a in dw.findChildren(QAction):
            if a.isEnabled():
                a.trigger()
        assert len(window.project.trials) == n
        dw.open_file(str(path))
        assert dw.source is not None


def test_time_axis_in_years_is_stored_in_months(window, monkeypatch, figure_png):
    path, arms = figure_png
    dw = _open_window(window, monkeypatch, path)
    _calibrate(dw)
    dw.cal.unit.setCurrentText("years")
    dw.act_find.trigger()
    _type_at_risk(dw, {"Curve 1": arms[1].at_risk(), "Curve 2": arms[0].at_risk()})
    assert dw.reconstruct(), dw.note.text()
    arm = window.project.trials[-1].endpoints[0].arm("Curve 1")
    assert max(arm.patients.time) == pytest.approx(12 * max(arms[1].time), rel=0.03)
    assert arm.patients.reconstruction["axis_unit"] == "years"


def test_percent_axis_and_two_black_curves_from_a_pdf(window, monkeypatch):
    """issue12-core's fixture: y axis 0–100, a solid and a dashed black curve."""
    dw = _open_window(window, monkeypatch, DIGITIZE / "mpl_percent_dashed.pdf")
    dw.act_find.trigger()
    curves = {c.name: c for c in dw.canvas.curves}
    assert set(curves) == {"Experimental", "Control"}
    assert curves["Experimental"].dashed and not curves["Control"].dashed
    assert curves["Experimental"].colour != curves["Control"].colour
    assert dw.cal.percent.isChecked() and dw.cal.values["y2"].text() in ("0", "100")
    cal, _why = dw.calibration()
    t, s = cal.to_data(*zip(*curves["Control"].points))
    assert 0.0 <= s.min() and s.max() <= 1.0 + 1e-6


def test_a_page_without_a_figure_says_what_to_do_in_window_words(window, monkeypatch):
    dw = _open_window(window, monkeypatch, DIGITIZE / "no_figure.pdf")
    dw.act_find.trigger()
    text = dw.note.text()
    assert "No curves found" in text and "--" not in text and "Page box" in text


def test_drop_a_figure_file_on_the_window(window, figure_png):
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDropEvent
    path, _arms = figure_png
    window.act_digitize_figure.trigger()
    dw = window.digitize_window
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    ev = QDropEvent(QPointF(QPoint(50, 50)), Qt.DropAction.CopyAction, mime,
                    Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    # QApplication does not deliver a drop that no drag entered, and a real drag cannot be made
    # offscreen: the window's handler gets the event the drop would bring
    dw.dropEvent(ev)
    assert dw.source is not None and dw.source.name == str(path), dw.note.text()
