"""A figure of large arms (4 × 50,000 patients) drawn thinned to its pixels looks like the figure drawn
from every vertex and mark: pixel by pixel, the few that differ are antialiased edges of the CI
bands and the curves (coverage of an edge pixel changes when the vertices inside a column do)."""
import numpy as np
import pytest
from PySide6 import QtGui

from test_plot_in_place import big_project


@pytest.fixture(scope="module")
def project():
    return big_project(n=50_000, arms=4)


def _pixels(img: QtGui.QImage) -> np.ndarray:
    img = img.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes())
    return a.reshape(img.height(), img.bytesPerLine() // 4, 4)[:, :img.width(), :3].astype(int)


def _render(project, dpi, thin, monkeypatch):
    from evidencegui.ui import figure
    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    monkeypatch.setattr(SurvivalPlotWidget, "thin", thin)
    return _pixels(figure.render_image(project, dpi=dpi))


@pytest.mark.parametrize("dpi, any_diff, strong_diff", [(150, 0.005, 0.005), (100, 0.012, 0.005)])
def test_thinned_figure_matches_the_full_one(qapp, project, monkeypatch, dpi, any_diff, strong_diff):
    thin = _render(project, dpi, True, monkeypatch)
    full = _render(project, dpi, False, monkeypatch)
    assert thin.shape == full.shape
    diff = np.abs(thin - full).max(axis=2)
    # At 150 dpi (figures in the workbook and slides) under 0.5 % of the pixels differ at all; at
    # 100 dpi, where a 100,000-vertex band edge crowds each pixel, under 1.2 % differ, under 0.5 %
    # by more than 32 of 255 levels.
    assert (diff > 0).mean() < any_diff
    assert (diff > 32).mean() < strong_diff
    # every pixel that differs clearly lies on an edge of the full drawing (colours change within
    # a pixel of it): no mark or piece of band missing as a block
    ys, xs = np.nonzero(diff > 96)
    for y, x in zip(ys, xs):
        win = full[max(0, y - 1):y + 2, max(0, x - 1):x + 2].reshape(-1, 3)
        assert (win.max(axis=0) - win.min(axis=0)).max() > 32, (x, y)


def test_figure_widget_is_thinned(qapp, project):
    from evidencegui.ui import figure
    w = figure.build_widget(project, None, None, 150 / 72, width_px=1200, height_px=825)
    try:
        assert w._thin_res is not None
        for d in w.drawn.values():
            assert len(d.curve_item.getData()[0]) < len(d.curve.time) / 3
            assert len(d.censor_item.getData()[0]) < len(d.curve.censor_time)
            # the resolution is that of the figure's own pixels
            (x0, x1), _ = w.vb.viewRange()
            px = (x1 - x0) / w.vb.width()
            assert px / 2 < w._thin_res[0] <= px
    finally:
        figure._dispose(w)
