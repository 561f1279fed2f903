"""The survival plot draws exactly what core/curves.py computed: items, table, legend, hover."""
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest

from evidencegui.core import curves as cc
from evidencegui.core.model import Arm, Endpoint, Landmark, PatientData, Project, Trial
from evidencegui.io.project_file import load_project
from evidencegui.resources import resource


@pytest.fixture(scope="module")
def project():
    return load_project(resource("examples", "cleopatra.evidence.json"))


@pytest.fixture
def plot(qtbot, project):
    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    w = SurvivalPlotWidget()
    qtbot.addWidget(w)
    w.resize(900, 620)
    w.show()
    qtbot.waitExposed(w)
    trial = project.trials[0]
    w.set_endpoint(project, trial, trial.endpoint("OS"))
    return w


def core_curves(project, unit="months", name="OS"):
    ep = project.trials[0].endpoint(name)
    return {c.label: c for c in cc.endpoint_curves(ep, project.ci_method, unit,
                                                     data_unit=project.time_unit)}


def test_curve_items_hold_the_core_arrays(plot, project):
    ref = core_curves(project)
    assert set(plot.curve_items) == set(ref) and len(ref) == 2
    for label, item in plot.curve_items.items():
        x, y = item.getData()
        np.testing.assert_array_equal(x, ref[label].time)
        np.testing.assert_array_equal(y, ref[label].survival)
        sx, sy = plot.censor_items[label].getData()
        np.testing.assert_array_equal(sx, ref[label].censor_time)
        np.testing.assert_array_equal(sy, ref[label].censor_survival)
        mx, my = plot.median_items[label].getData()
        assert list(my) == [0.5, 0.5, 0.0] and mx[1] == mx[2] == ref[label].median


def test_steps_are_right_continuous(plot):
    # Horizontal then vertical: each drop repeats x, the value before the drop is held up to it.
    for item in plot.curve_items.values():
        x, y = item.getData()
        assert x[0] == 0 and y[0] == 1
        assert np.all(np.diff(x) >= 0) and np.all(np.diff(y) <= 1e-15)
        assert np.all(x[1:-1:2] == x[2:-1:2])                  # vertical segments
        assert np.all(y[2:-1:2] == y[3::2])                    # then horizontal
        assert y[-1] == y[-2] and x[-1] >= x[-2]               # last value held to the end


def test_step_shape_of_a_tiny_arm(qtbot):
    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    w = SurvivalPlotWidget()
    qtbot.addWidget(w)
    arm = Arm("A", n=4, patients=PatientData([2.0, 5.0, 7.0, 9.0], [1, 1, 0, 0]))
    ep = Endpoint("OS", arms=[arm])
    w.set_endpoint(Project(trials=[Trial("T", endpoints=[ep])]), None, ep)
    x, y = w.curve_items["A"].getData()
    assert list(x) == [0, 2, 2, 5, 5, 9]
    assert list(y) == [1, 1, 0.75, 0.75, 0.5, 0.5]
    assert w.show_readout(4.999) and w.hover_values["A"] == 0.75
    w.show_readout(5.0)
    assert w.hover_values["A"] == 0.5                         # S(t) holds from t_i on


def test_ci_bands_follow_the_switch(plot, project):
    ref = core_curves(project)
    assert set(plot.ci_items) == set(ref)
    for label, (lo, hi) in ((k, d.ci_edges) for k, d in plot.drawn.items()):
        np.testing.assert_array_equal(lo.getData()[1], ref[label].lower)
        np.testing.assert_array_equal(hi.getData()[1], ref[label].upper)
        assert plot.ci_items[label].scene() is plot.glw.scene()
    plot.set_show_ci(False)
    assert plot.ci_items == {}
    from pyqtgraph import FillBetweenItem
    assert not [i for i in plot.plot_item.items if isinstance(i, FillBetweenItem)]
    plot.set_show_ci(True)
    assert len([i for i in plot.plot_item.items if isinstance(i, FillBetweenItem)]) == 2


def test_legend_has_n_events_median(plot, project):
    ref = core_curves(project)
    texts = plot.legend.texts()
    # the annotation: the reported HR, and that the curves are reconstructed
    assert len(texts) == 4 and texts[2] == "HR 0.68 (0.56–0.84); p = 0.0002"
    assert texts[3] in ("Reconstructed from the published figure", "Reconstructed curves")
    texts = texts[:2]
    for label, c in ref.items():
        t = plot.drawn[label].legend_text
        assert f"n={c.n}" in t and f"events={c.events}" in t and f"median {c.median:.1f} mo" in t
        # inside the axes: name and median; above them (no free spot): the name alone
        flat = [x.replace("\n", "") for x in texts]
        assert any(label in x and (f"{c.median:.1f}" in x or plot._legend_compact) for x in flat)


def test_at_risk_cells_are_cores_and_sit_under_the_ticks(plot, project, qtbot):
    ref = core_curves(project)
    for rng in (None, (10, 40), (0, 80)):
        if rng is not None:
            plot.plot_item.setXRange(*rng, padding=0)
            qtbot.wait(10)
        lo, hi = plot.vb.viewRange()[0]
        ax = plot.bottom_axis
        ticks = [t for t in ax.tickValues(*sorted(ax.range), ax.geometry().width())[0][1]
                 if lo - 1e-9 <= t <= hi + 1e-9]
        assert len(ticks) >= 3
        rows = cc.at_risk_rows(list(ref.values()), ticks)
        table = plot.at_risk_cells()
        assert [r["label"] for r in table] == [r.label for r in rows]
        for drawn, row in zip(table, rows):
            assert drawn["cells"] == row.cells()
            assert drawn["x"] == pytest.approx(ticks)
        # Same pixel column: the table's view and the plot's view share the x mapping.
        rvb = plot.risk_item.getViewBox()
        for t in ticks:
            a = plot.vb.mapViewToScene(pg.Point(t, 0.5))
            b = rvb.mapViewToScene(pg.Point(t, 0))
            assert abs(a.x() - b.x()) < 0.5
    assert table[0]["cells"][0] == "" or int(table[0]["cells"][0]) > 0


def test_table_stays_aligned_after_resize(plot, qtbot):
    plot.resize(600, 500)
    qtbot.wait(20)
    assert plot.vb.sceneBoundingRect().left() == pytest.approx(
        plot.risk_item.getViewBox().sceneBoundingRect().left(), abs=0.5)
    assert plot.vb.sceneBoundingRect().width() == pytest.approx(
        plot.risk_item.getViewBox().sceneBoundingRect().width(), abs=0.5)
    assert [c["x"] for c in plot.at_risk_cells()][0] == pytest.approx(plot.at_risk_times())


def test_row_labels_coloured_like_the_arms(plot):
    colours = [d.colour for d in plot.drawn.values()]
    assert list(plot.risk_axis.colours.values()) == colours
    for row, col in zip(plot.at_risk_items, colours):
        assert row.color.name().lower() == col.lower()


def test_hover_readout_is_the_km_value(plot, project):
    ref = core_curves(project)
    text = plot.show_readout(24.0)
    for label, c in ref.items():
        s = float(c.evaluate(24.0)[0])
        assert plot.hover_values[label] == s
        km = c.km
        idx = np.searchsorted(km.time, 24.0, side="right") - 1
        assert s == pytest.approx(km.survival[idx])
        assert f"{label} {s:.3f}" in text
    assert plot.hover_line.isVisible() and plot.hover_line.value() == 24.0


def test_hover_through_the_mouse_proxy(plot, qtbot):
    pos = plot.vb.mapViewToScene(pg.Point(30.0, 0.5))
    plot._mouse_moved((pos,))
    assert plot.hover_text.startswith("t = 30.0 mo")


def test_years_divide_times_by_twelve(plot, project):
    plot.set_time_unit("years")
    ref = core_curves(project)
    for label, item in plot.curve_items.items():
        x, _ = item.getData()
        np.testing.assert_allclose(x, ref[label].time / 12.0)
    assert "Years" in plot.plot_item.getAxis("bottom").labelText
    assert max(plot.at_risk_times()) <= 6.5


def test_modelled_arm_is_dashed_and_labelled(qtbot):
    from PySide6.QtCore import Qt

    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    w = SurvivalPlotWidget()
    qtbot.addWidget(w)
    ep = Endpoint("OS", arms=[Arm("Ctl", role="control", n=100, events=60, median=12.0),
                              Arm("Exp", n=100, events=50, median=18.0,
                                  landmarks=[Landmark(24, 0.4, 0.3, 0.5)])])
    w.set_endpoint(Project(trials=[Trial("T", endpoints=[ep])]), None, ep)
    ref = {c.label: c for c in cc.endpoint_curves(ep)}
    assert set(w.curve_items) == {"Ctl", "Exp"}
    for key, d in w.drawn.items():
        c = ref[f"{key} (modelled)"]
        np.testing.assert_array_equal(d.curve_item.getData()[0], c.time)
        np.testing.assert_array_equal(d.curve_item.getData()[1], c.survival)
        assert d.curve_item.opts["pen"].style() != Qt.PenStyle.SolidLine
        assert "modelled" in d.legend_text
        assert d.ci_item is None
    assert w.landmark_times == [24.0]
    assert w.drawn["Exp"].landmark_items            # marker + the reported CI
    assert [r["cells"] for r in w.at_risk_cells()][0] == [""] * len(w.at_risk_times())


def test_cross_trial_overlay(qtbot, project):
    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    w = SurvivalPlotWidget()
    qtbot.addWidget(w)
    other = Trial("OTHER", endpoints=[Endpoint("OS", arms=[Arm("Drug", median=30.0, n=50)])])
    t = project.trials[0]
    w.set_arms([(t, t.endpoint("OS"), t.endpoint("OS").arms[0]),
                (other, other.endpoints[0], other.endpoints[0].arms[0])], project)
    assert set(w.curve_items) == {f"CLEOPATRA: {t.endpoint('OS').arms[0].label}", "OTHER: Drug"}
    assert w.drawn["OTHER: Drug"].curve.modelled


def test_presentation_style_is_larger(plot):
    from evidencegui.ui import style as st
    w0 = plot.drawn[next(iter(plot.drawn))].curve_item.opts["pen"].widthF()
    plot.set_style("presentation")
    w1 = plot.drawn[next(iter(plot.drawn))].curve_item.opts["pen"].widthF()
    assert w1 > w0
    assert plot.bottom_axis.style["tickFont"].pixelSize() > st.SCREEN.font(st.SCREEN.tick_pt).pixelSize()
    assert st.PALETTE[:2] == ("#0072B2", "#D55E00")


def test_empty_endpoint_draws_nothing(qtbot):
    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    w = SurvivalPlotWidget()
    qtbot.addWidget(w)
    w.set_endpoint(Project(), None, None)
    assert w.curve_items == {} and w.at_risk_cells() == []
    ep = Endpoint("OS", arms=[Arm("No data")])
    w.set_endpoint(Project(), None, ep)
    assert w.curve_items == {}
    w.set_endpoint(Project(), None, Endpoint("OS"))
    assert w.curve_items == {} and w.hover_text == ""
    twins = Endpoint("OS", arms=[Arm("Same", median=10.0), Arm("Same", median=14.0)])
    w.set_endpoint(Project(), None, twins)
    assert set(w.curve_items) == {"Same", "Same (2)"}
    assert len(w.at_risk_cells()) == 2


def test_main_window_uses_the_widget(window):
    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    assert isinstance(window.plot.widget, SurvivalPlotWidget)
    assert len(window.plot.widget.curve_items) == 2
    assert window.plot.widget.at_risk_cells()


def test_screenshot(plot, qtbot):
    out = Path(__file__).resolve().parents[2] / "screenshots" / "tmp"   # git-ignored
    out.mkdir(parents=True, exist_ok=True)
    plot.show_readout(24.0)
    qtbot.wait(20)
    img = plot.grab()
    assert img.width() == 900
    img.save(str(out / "plot_screen.png"))


def test_hover_from_a_real_mouse_move(plot, qtbot):
    """Through the rate-limited SignalProxy, as the user's mouse would."""
    scene_pos = plot.vb.mapViewToScene(pg.Point(36.0, 0.5))
    view_pos = plot.glw.mapFromScene(scene_pos)
    qtbot.mouseMove(plot.glw.viewport(), view_pos)
    qtbot.waitUntil(lambda: plot.hover_text.startswith("t = "), timeout=2000)
    t = plot._last_t
    assert abs(t - 36.0) < 0.5 and plot.hover_text.startswith(f"t = {t:.1f} mo")
    for key, d in plot.drawn.items():
        assert plot.hover_values[key] == float(d.curve.evaluate(t)[0])


def test_window_view_menu_reaches_the_plot(window):
    w = window.plot.widget
    window.settings.time_unit = "years"
    window.settings.style = "presentation"
    window.settings.show_ci = False
    window.plot.show_endpoint(window.project, window.t_index, window.e_index, "years", "presentation", False)
    assert w.time_unit == "years" and w.style.name == "presentation" and w.ci_items == {}
    assert "Years" in w.plot_item.getAxis("bottom").labelText


def test_pyside_refcount_guard_survives_many_void_calls(qapp):
    """PySide6 6.12 on Python 3.11 drops a reference to None on every void call; the guard (applied
    when the plot module loads) keeps 100,000 of them from killing the process."""
    import sys

    from PySide6 import QtCore

    from evidencegui.ui import pyside_guard
    assert pyside_guard.apply() == pyside_guard.applied
    if sys.version_info < (3, 12) and pyside_guard.leaks():
        assert pyside_guard.applied
    p = QtCore.QPointF()
    for _ in range(100_000):
        p.setX(1.0)
    assert sys.getrefcount(None) > 0
