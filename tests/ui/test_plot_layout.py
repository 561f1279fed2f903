"""Published-figure conventions, checked on the drawn items' geometry: the legend's rectangle
crosses no curve, the at-risk table names every arm in full, the HR annotation can be turned off,
median lines are optional, the journal style tells arms apart by line style."""
import numpy as np
import pyqtgraph as pg
import pytest

from evidencegui.io.project_file import load_project
from evidencegui.resources import resource


@pytest.fixture(scope="module")
def project():
    return load_project(resource("examples", "cleopatra.evidence.json"))


def _scene_segments(plot):
    """Every curve segment in scene coordinates (mapped by the view box, not by the code under test)."""
    segs = []
    for d in plot.drawn.values():
        x, y = d.curve_item.getData()
        pts = [plot.vb.mapViewToScene(pg.Point(float(a), float(b))) for a, b in zip(x, y)]
        segs += [(p.x(), p.y(), q.x(), q.y()) for p, q in zip(pts[:-1], pts[1:])]
    return np.array(segs)


def _crossings(plot) -> int:
    from evidencegui.ui.survival_plot import segments_hit
    r = plot.legend.sceneBoundingRect()
    return int(segments_hit(_scene_segments(plot), (r.left(), r.top(), r.right(), r.bottom())).sum())


def _widget(qtbot, w, h, style="screen"):
    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    plot = SurvivalPlotWidget(style=style)
    qtbot.addWidget(plot)
    plot.resize(w, h)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


@pytest.mark.parametrize("size", [(900, 600), (1280 - 300, 720 - 260), (1920 - 400, 1080 - 300), (500, 380)])
@pytest.mark.parametrize("endpoint", ["OS", "PFS"])
def test_legend_crosses_no_curve(qtbot, project, size, endpoint):
    plot = _widget(qtbot, *size)
    plot.set_endpoint(project, project.trials[0], project.trials[0].endpoint(endpoint))
    qtbot.wait(20)
    assert plot.legend.isVisible()
    assert _crossings(plot) == 0, (plot.legend_corner, plot.legend.sceneBoundingRect())
    # inside the figure, whole
    assert plot.glw.sceneRect().contains(plot.legend.sceneBoundingRect()) or \
        plot.glw.viewport().rect().contains(plot.legend.sceneBoundingRect().toRect())


def test_overlay_legend_crosses_no_curve(qtbot, project):
    t = project.trials[0]
    arms = [(t, e, a) for e in t.endpoints for a in e.arms]
    plot = _widget(qtbot, 980, 460, "presentation")
    plot.set_arms(arms, project=project)
    qtbot.wait(20)
    assert _crossings(plot) == 0
    # no HR across arms of an overlay; what it shows is said
    assert plot.annotation == ["CLEOPATRA: OS and PFS", "Reconstructed from the published figure"]


def test_figure_legend_crosses_no_curve(qapp, project):
    from evidencegui.ui.figure import build_widget
    for style, dpi in (("presentation", 150), ("journal", 300), ("screen", 96)):
        w = build_widget(project, 0, 0, dpi / 72, style, round(8 * dpi), round(5.5 * dpi))
        try:
            assert _crossings(w) == 0, style
        finally:
            w.deleteLater()


def test_at_risk_names_are_never_cut(qtbot, project):
    modes = set()
    for width, height in ((1500, 900), (700, 560), (420, 900), (900, 420)):
        plot = _widget(qtbot, width, height, "presentation")
        t = project.trials[0]
        arms = [(t, e, a) for e in t.endpoints for a in e.arms]
        plot.set_arms(arms, project=project)
        qtbot.wait(20)
        if plot.risk_key:
            # colour key: each row starts with its arm's line sample; the legend names it in full
            assert len(plot.risk_axis.samples) == len(plot.drawn)
            pens = [p.color().name() for p in plot.risk_axis.samples.values()]
            assert pens == [d.colour.lower() for d in plot.drawn.values()]
            legend = ["".join(x.split()) for x in plot.legend.texts()]     # wrapped lines joined
            assert all(any("".join(k.split()) == x for x in legend) for k in plot.drawn)
            modes.add("key")
            continue
        modes.add("names")
        assert plot.at_risk_names() == list(plot.drawn)       # full names, in order
        assert not any("…" in n for n in plot.at_risk_names())
        view = plot.glw.viewport().rect()
        for it in plot._name_pool[:len(plot.drawn)]:
            r = plot.glw.mapFromScene(it.sceneBoundingRect()).boundingRect()
            assert r.right() <= view.right() + 1 and r.left() >= -1, (width, r, view)
    assert modes == {"key", "names"}          # both ways were drawn and checked


def test_hr_annotation_and_median_lines_can_be_turned_off(qtbot, project):
    plot = _widget(qtbot, 900, 600)
    t = project.trials[0]
    plot.set_endpoint(project, t, t.endpoint("OS"))
    assert any(x.startswith("HR 0.68") for x in plot.annotation)
    assert plot.median_items
    plot.set_view(show_hr=False, show_median=False)
    assert not any(x.startswith("HR") for x in plot.annotation)
    assert not plot.median_items
    texts = plot.legend.texts()
    assert not any(x.startswith("HR") for x in texts)


def test_reconstructed_only_trial_shows_the_computed_hr(qtbot, project):
    import copy
    p = copy.deepcopy(project)
    ep = p.trials[0].endpoint("OS")
    for a in ep.arms:
        a.hr = a.hr_lower = a.hr_upper = a.p_value = None
    plot = _widget(qtbot, 900, 600)
    plot.set_endpoint(p, p.trials[0], ep)
    line = next(x for x in plot.annotation if x.startswith("HR"))
    assert line.endswith("(reconstructed)") and "—" not in line


def test_journal_style_is_grey_with_line_styles(qtbot, project):
    from PySide6.QtCore import Qt
    plot = _widget(qtbot, 900, 600, "journal")
    t = project.trials[0]
    plot.set_endpoint(project, t, t.endpoint("OS"))
    pens = [d.curve_item.opts["pen"] for d in plot.drawn.values()]
    for p in pens:
        c = p.color()
        assert c.red() == c.green() == c.blue()                # grey
    assert {p.style() for p in pens} == {Qt.PenStyle.SolidLine, Qt.PenStyle.CustomDashLine}


def test_ten_arms_in_the_window_at_1280x720_keep_their_curves_visible(qtbot):
    """Ten arms in the plot area a 1280×720 window leaves (about 640 × 430 px): the legend goes
    above the axes in several columns, the nine HRs make one wrapped line instead of nine, the
    at-risk table keeps every arm, the curves keep a readable height and the legend crosses none."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_edit import _big_project
    project = _big_project(10, 500)
    plot = _widget(qtbot, 640, 430)
    trial = project.trials[0]
    plot.set_endpoint(project, trial, trial.endpoints[0])
    qtbot.wait(50)
    assert plot.legend_corner == "outside" and plot.legend.columns >= 3
    texts = plot.legend.texts()
    assert sum(t.startswith("HR vs Arm 1:") for t in texts) == 1
    assert not any(" vs Arm 1: HR " in t for t in texts)               # no line per arm
    joined = " ".join(texts)
    for k in range(2, 11):
        assert f"Arm {k} " in joined                                    # each arm's HR is there
    assert len(plot.at_risk) == 10
    assert plot.vb.height() >= 90, plot.vb.height()
    assert _crossings(plot) == 0
