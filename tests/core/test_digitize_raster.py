"""Images traced by colour: a matplotlib PNG (100 dpi) and PDF pages rendered to pixels,
against lifelines' Kaplan–Meier of the patients that drew them."""
from pathlib import Path

import numpy as np
import pytest

from evidencegui.core.digitize import AxisCalibration, DigitizeError, digitize, trace_image
from evidencegui.io.figure_sources import FigureSource, load_image, open_figure, render_page

from tests.core.test_digitize_vector import FIX, mean_abs_error, patients


def png_calibration(path) -> AxisCalibration:
    """The two points per axis a user types (the fixture's .cal file, written when drawn)."""
    lines = Path(str(path) + ".cal").read_text().split()
    pts = [tuple(tuple(float(v) for v in p.split(":")) for p in line.split(",")) for line in lines]
    return AxisCalibration(pts[0], pts[1])


def image_source(arr):
    return FigureSource("image", arr, 1.0, None)


def test_png_curves_traced():
    data = patients()
    png = FIX / "mpl_table.png"
    res = digitize(image_source(load_image(png)), calibration=png_calibration(png))
    assert res.source == "raster" and len(res.curves) == 2
    assert [c.name for c in res.curves] == ["Curve 1", "Curve 2"]          # top to bottom
    colours = {"Experimental": (214, 39, 40), "Control": (31, 119, 180)}
    for curve, arm in zip(res.curves, ("Experimental", "Control")):
        assert max(abs(a - b) for a, b in zip(curve.colour, colours[arm])) < 40
        t, e = data[arm]
        # 100 dpi: one pixel is 0.004 of the y axis; measured 0.0027 and 0.0032
        assert mean_abs_error(curve, t, e, min(t.max(), 36)) < 0.005, arm
        s = np.array(curve.points)[:, 1]
        assert np.all(np.diff(s) <= 1e-9)                                  # a step that never rises
        # censor ticks removed from the curve, most of them seen
        cens = np.unique(t[e == 0])
        got = np.array(curve.censor_times)
        assert len(got) >= 0.5 * len(cens)
        assert np.all(np.min(np.abs(got[:, None] - cens[None]), axis=1) < 0.4)
    assert res.plot_box is not None


@pytest.mark.parametrize("name", ["r_base.pdf", "r_ggplot.pdf"])
def test_rendered_pdf_page_traced_at_150_dpi(name):
    """The page as an image, with the calibration the vector reading found (what a user would
    click on the tick marks)."""
    data = patients()
    vec = digitize(open_figure(FIX / name))
    img = render_page(FIX / name, 1, 150)
    curves, warnings = trace_image(img, vec.calibration)
    assert len(curves) == 2, warnings
    for c in curves:
        errs = {a: mean_abs_error(c, *data[a], min(data[a][0].max(), 36)) for a in data}
        assert min(errs.values()) < 0.005, errs


def test_same_colour_curves_reported():
    vec = digitize(open_figure(FIX / "mpl_percent_dashed.pdf"))
    img = render_page(FIX / "mpl_percent_dashed.pdf", 1, 150)
    curves, warnings = trace_image(img, vec.calibration)
    assert any("two curves in the same colour" in w for w in warnings)


def test_bad_images():
    cal = AxisCalibration(((10, 0), (40, 36)), ((40, 0), (10, 1)))
    with pytest.raises(DigitizeError, match=r"50×60 pixels, too small"):
        digitize(image_source(np.full((60, 50, 3), 255, np.uint8)), calibration=cal)
    blank = np.full((400, 600, 3), 255, np.uint8)
    blank[350, 50:580] = 0          # axes but no curve
    blank[20:351, 50] = 0
    cal = AxisCalibration(((50, 0), (580, 36)), ((350, 0), (20, 1)))
    with pytest.raises(DigitizeError, match="no curve found"):
        digitize(image_source(blank), calibration=cal)
    with pytest.raises(DigitizeError, match="needs a calibration"):
        digitize(image_source(blank))
    flipped = AxisCalibration(((580, 0), (50, 36)), ((350, 0), (20, 1)))
    with pytest.raises(DigitizeError, match="reversed axis"):
        digitize(image_source(blank), calibration=flipped)


def test_five_coloured_curves_traced():
    vec = digitize(open_figure(FIX / "mpl_five.pdf"))
    img = render_page(FIX / "mpl_five.pdf", 1, 150)
    curves, warnings = trace_image(img, vec.calibration)
    assert len(curves) == 5
    # each traced curve lies on the vector curve of its colour
    truth = {v.colour: v for v in vec.curves}
    for c in curves:
        near = min(truth, key=lambda k: sum(abs(a - b) for a, b in zip(k, c.colour)))
        v = np.array(truth[near].points)
        p = np.array(c.points)
        g = np.linspace(1, min(v[-1, 0], p[-1, 0]) - 0.5, 500)
        i = np.clip(np.searchsorted(v[:, 0], g, side="right") - 1, 0, len(v) - 1)
        j = np.clip(np.searchsorted(p[:, 0], g, side="right") - 1, 0, len(p) - 1)
        assert np.mean(np.abs(v[i, 1] - p[j, 1])) < 0.01


def test_crop_around_the_figure_finds_the_axes_inside():
    png = FIX / "mpl_table.png"
    img = load_image(png)
    cal = png_calibration(png)
    whole = digitize(image_source(img), calibration=cal)
    cropped = digitize(image_source(img), calibration=cal, crop=(5, 5, 695, 400))
    assert cropped.plot_box == whole.plot_box
    assert [c.points for c in cropped.curves] == [c.points for c in whole.curves]


def test_pdf_with_the_curves_as_a_picture():
    """Axes and tick labels drawn as vectors, the curves embedded as an image: the page is
    rendered and traced with the calibration read from the tick labels."""
    data = patients()
    res = digitize(open_figure(FIX / "mpl_rasterized.pdf"))
    assert res.source == "raster" and len(res.curves) == 2
    assert any("traced as an image" in w for w in res.warnings)
    for c in res.curves:
        errs = {a: mean_abs_error(c, *data[a], min(data[a][0].max(), 36)) for a in data}
        assert min(errs.values()) < 0.004, errs     # measured 0.0019 and 0.0023
