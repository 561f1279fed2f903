"""A redraw in place (the same items given new data) draws what a fresh widget draws: after an edit,
every item's arrays, the legend's texts and place and the at-risk table equal those of a new widget
drawing the same project. Also: large curves are thinned to the view's resolution, thinned again
after a zoom, and the range/size signals of a burst give one update."""
import copy

import numpy as np
import pytest

from evidencegui.core.model import Arm, Endpoint, Landmark, PatientData, Project, Trial
from evidencegui.io.project_file import load_project
from evidencegui.resources import resource


def make_plot(qtbot, size=(900, 620)):
    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    w = SurvivalPlotWidget()
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


def draw(qtbot, w, project, unit="months", show_ci=True):
    w.set_view(time_unit=unit, show_ci=show_ci, redraw=False)
    t = project.trials[0]
    w.set_endpoint(project, t, t.endpoints[0])
    qtbot.wait(30)                      # the range/size burst settles


def arrays(item):
    if item is None:
        return None
    if hasattr(item, "getData"):
        x, y = item.getData()
        return np.asarray(x, float), np.asarray(y, float)
    return np.asarray(item.opts["x"], float), np.asarray(item.opts["y"], float)


def drawing(w) -> dict:
    """What the widget shows, as comparable values."""
    out = {"keys": list(w.drawn), "legend": w.legend.texts(), "legend_pos": (w.legend.pos().x(), w.legend.pos().y()),
           "corner": w.legend_corner, "risk": w.at_risk_cells(), "names": w.at_risk_names(),
           "x_range": tuple(w.vb.viewRange()[0]), "annotation": list(w.annotation)}
    for k, d in w.drawn.items():
        out[k] = {"curve": arrays(d.curve_item), "median": arrays(d.median_item),
                  "censor": arrays(d.censor_item),
                  "band": [arrays(e) for e in d.ci_edges],
                  "band_path": d.ci_item.path().elementCount() if d.ci_item is not None else None,
                  "markers": [arrays(it) for it in d.landmark_items],
                  "pen": d.curve_item.opts["pen"].color().name()}
    return out


def assert_same(a, b, path="drawing"):
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            assert_same(a[k], b[k], f"{path}[{k!r}]")
    elif isinstance(a, (list, tuple)) and not isinstance(a, str):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, np.ndarray):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9, err_msg=path)
    elif isinstance(a, float):
        assert a == pytest.approx(b, abs=1e-6), path
    else:
        assert a == b, path


def typed_project(median=10.4):
    return Project(trials=[Trial("PHILA", [Endpoint("PFS", [
        Arm("Placebo+Trastuzumab+Docetaxel", role="control", n=294, events=200, median=median,
            landmarks=[Landmark(12, 0.45)]),
        Arm("Pyrotinib+Trastuzumab+Docetaxel", n=296, events=150, median=24.3, hr=0.41,
            landmarks=[Landmark(12, 0.7)])])])])


def big_project(n=12_000, arms=3):
    """Arms of n patients drawn from patient data (benchmarks/bench_edit.py builds them)."""
    from benchmarks.bench_edit import _big_project
    return _big_project(arms=arms, n=n)


def edit_then_compare(qtbot, before, after, **view):
    w = make_plot(qtbot)
    draw(qtbot, w, before, **view)
    items = {k: d.curve_item for k, d in w.drawn.items()}
    draw(qtbot, w, after, **view)
    in_place = all(w.drawn[k].curve_item is items.get(k) for k in w.drawn)
    fresh = make_plot(qtbot)
    draw(qtbot, fresh, after, **view)
    assert_same(drawing(w), drawing(fresh))
    return w, in_place


def test_typed_median_edit_updates_in_place_like_a_fresh_widget(qtbot):
    w, in_place = edit_then_compare(qtbot, typed_project(10.4), typed_project(31.0))
    assert in_place
    assert any("31" in t for t in w.legend.texts())


def test_patients_replaced_in_place_like_a_fresh_widget(qtbot):
    before = load_project(resource("examples", "cleopatra.evidence.json"))
    after = copy.deepcopy(before)
    arm = after.trials[0].endpoints[0].arms[1]
    keep = slice(0, len(arm.patients.time) // 2)
    arm.patients = PatientData(arm.patients.time[keep], arm.patients.event[keep])
    arm.n = len(arm.patients.time)
    w, in_place = edit_then_compare(qtbot, before, after)
    assert in_place


def test_time_unit_change_in_place_like_a_fresh_widget(qtbot):
    proj = load_project(resource("examples", "cleopatra.evidence.json"))
    w = make_plot(qtbot)
    draw(qtbot, w, proj)
    items = {k: d.curve_item for k, d in w.drawn.items()}
    draw(qtbot, w, proj, unit="years")
    assert all(w.drawn[k].curve_item is items[k] for k in w.drawn)
    fresh = make_plot(qtbot)
    draw(qtbot, fresh, proj, unit="years")
    assert_same(drawing(w), drawing(fresh))


def test_ci_switched_off_in_place_like_a_fresh_widget(qtbot):
    proj = load_project(resource("examples", "cleopatra.evidence.json"))
    w = make_plot(qtbot)
    draw(qtbot, w, proj)
    items = {k: d.curve_item for k, d in w.drawn.items()}
    draw(qtbot, w, proj, show_ci=False)
    assert w.ci_items == {}
    assert all(w.drawn[k].curve_item is items[k] for k in w.drawn)
    from pyqtgraph import FillBetweenItem
    assert not [i for i in w.plot_item.items if isinstance(i, FillBetweenItem)]
    fresh = make_plot(qtbot)
    draw(qtbot, fresh, proj, show_ci=False)
    assert_same(drawing(w), drawing(fresh))
    draw(qtbot, w, proj, show_ci=True)                    # and back on
    draw(qtbot, fresh, proj, show_ci=True)
    assert len(w.ci_items) == 2
    assert_same(drawing(w), drawing(fresh))


def test_big_arm_replaced_thinned_like_a_fresh_widget(qtbot):
    before = big_project()
    after = copy.deepcopy(before)
    rng = np.random.default_rng(9)
    n = 12_000
    t, c = rng.exponential(30, n), rng.uniform(0, 80, n)
    after.trials[0].endpoints[0].arms[2].patients = PatientData(
        np.round(np.minimum(t, c), 3).tolist(), (t <= c).astype(int).tolist())
    w, in_place = edit_then_compare(qtbot, before, after)
    assert in_place
    d = w.drawn["Arm 3"]
    x, _ = d.curve_item.getData()
    assert w._thin_res is not None and len(x) < len(d.curve.time) / 2     # thinned
    cx, _ = d.censor_item.getData()
    assert len(cx) < len(d.curve.censor_time)


def test_zoom_thins_again_and_keeps_the_full_curve_within_a_pixel(qtbot):
    w = make_plot(qtbot)
    draw(qtbot, w, big_project(arms=1))
    d = next(iter(w.drawn.values()))
    coarse = len(d.curve_item.getData()[0])
    res = w._thin_res
    w.plot_item.setXRange(10, 14, padding=0)           # a 20× zoom
    qtbot.wait(30)
    assert w._thin_res != res and w._thin_res[0] < res[0] / 10
    x, y = d.curve_item.getData()
    assert len(x) > coarse / 4                          # finer where it is looked at
    # every vertex of the full curve inside the view lies within a pixel of the thinned one
    (x0, x1), _ = w.vb.viewRange()
    px = (x1 - x0) / w.vb.width()
    full_x = d.curve.time[(d.curve.time > x0) & (d.curve.time < x1)]
    gap = np.abs(full_x[:, None] - x[None, :]).min(axis=1) if len(full_x) < 5000 else \
        np.abs(x[np.clip(np.searchsorted(x, full_x), 0, len(x) - 1)] - full_x)
    assert gap.max() < px


def test_a_burst_of_range_and_size_signals_updates_once(qtbot):
    w = make_plot(qtbot)
    draw(qtbot, w, load_project(resource("examples", "cleopatra.evidence.json")))
    calls = []
    orig = w._range_changed
    w._range_changed = lambda *a: (calls.append(1), orig(*a))
    for k in range(5):
        w.resize(880 - 10 * k, 600)
        w.plot_item.setXRange(-2, 60 + k, padding=0)
    qtbot.wait(40)
    assert len(calls) == 1
    cells = w.at_risk_cells()
    assert cells and all(-2 <= x <= 64 for row in cells for x in row["x"])
    qtbot.wait(40)
    assert len(calls) == 1                               # nothing changed since: no more work
