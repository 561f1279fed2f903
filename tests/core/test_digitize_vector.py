"""Vector PDFs drawn by matplotlib, R base graphics and ggplot2 from known patients
(tests/fixtures/digitize/make_figures.py and make_figures.R): the curves, censor marks and
numbers at risk read back, checked against lifelines' Kaplan–Meier of the same patients."""
import csv
from pathlib import Path

import numpy as np
import pytest

from evidencegui.core.digitize import AxisCalibration, DigitizeError, digitize
from evidencegui.io.figure_sources import open_figure

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "digitize"
ARMS = ("Control", "Experimental")


def patients():
    data = {}
    with open(FIX / "patients.csv") as fh:
        for r in csv.DictReader(fh):
            t, e = data.setdefault(r["arm"], ([], []))
            t.append(float(r["time"]))
            e.append(int(r["event"]))
    return {a: (np.array(t), np.array(e)) for a, (t, e) in data.items()}


def lifelines_km(t, e):
    from lifelines import KaplanMeierFitter
    f = KaplanMeierFitter().fit(t, e)
    sf = f.survival_function_
    return sf.index.to_numpy(float), sf.iloc[:, 0].to_numpy(float)


def step_at(x, y, t):
    i = np.searchsorted(x, t, side="right") - 1
    return y[np.clip(i, 0, len(y) - 1)]


def mean_abs_error(curve, t, e, t_end):
    kx, ky = lifelines_km(t, e)
    p = np.array(curve.points)
    g = np.linspace(0, t_end, 5000)
    return float(np.mean(np.abs(step_at(p[:, 0], p[:, 1], g) - step_at(kx, ky, g))))


@pytest.mark.parametrize("name", ["mpl_table.pdf", "r_base.pdf", "r_ggplot.pdf", "mpl_percent_dashed.pdf"])
def test_curves_read_exactly(name):
    data = patients()
    res = digitize(open_figure(FIX / name))
    assert res.source == "vector"
    assert sorted(c.name for c in res.curves) == sorted(ARMS)
    for c in res.curves:
        t, e = data[c.name]
        # the whole visible curve: lifelines' KM of the true patients, to the PDF's precision
        # (R writes coordinates with 2 decimals: 0.01 pt ≈ 3e-5 of the y axis)
        assert mean_abs_error(c, t, e, min(t.max(), 36)) < 2e-4, c.name
        # every event time is a step of the curve
        steps = np.array(c.points)[:, 0]
        for u in np.unique(t[e == 1]):
            assert np.min(np.abs(steps - u)) < 0.01, (c.name, u)
    if name == "mpl_percent_dashed.pdf":
        assert res.calibration.percent and any("percent" in w for w in res.warnings)
        assert {c.colour for c in res.curves} == {(0, 0, 0)}     # told apart by the dash only


@pytest.mark.parametrize("name", ["mpl_table.pdf", "r_base.pdf", "r_ggplot.pdf", "mpl_percent_dashed.pdf"])
def test_numbers_at_risk_read_exactly(name):
    data = patients()
    res = digitize(open_figure(FIX / name))
    ar = res.at_risk
    assert ar is not None and ar.times == [0, 6, 12, 18, 24, 30, 36]
    for arm in ARMS:
        t = data[arm][0]
        assert ar.counts[arm] == [int(np.sum(t >= x)) for x in ar.times], arm


@pytest.mark.parametrize("name", ["mpl_table.pdf", "r_base.pdf", "r_ggplot.pdf", "mpl_percent_dashed.pdf"])
def test_censor_marks_are_true_censoring_times(name):
    data = patients()
    res = digitize(open_figure(FIX / name))
    for c in res.curves:
        t, e = data[c.name]
        cens = np.unique(t[e == 0])
        got = np.array(c.censor_times)
        # none invented: each mark is a censoring time of this arm (R: 2-decimal coordinates)
        assert np.all(np.min(np.abs(got[:, None] - cens[None]), axis=1) < 0.02), c.name
        # most are found (marks at the same time coincide; marks at a drop sit on its corner)
        assert len(np.unique(np.round(got, 1))) >= 0.85 * len(cens), (c.name, len(got), len(cens))


def test_calibration_and_plot_box_in_image_pixels():
    src = open_figure(FIX / "mpl_table.pdf", dpi=100)
    res = digitize(src)
    cal = res.calibration
    # matplotlib: axes from 0.2 to 0.96 of 700 px wide, x from 0 to 36.72 (xlim 0..36*1.02)
    px, py = cal.to_pixels([0.0, 36.0], [0.0, 1.0])
    assert px[0] == pytest.approx(0.2 * 700, abs=0.05)
    assert px[1] == pytest.approx(0.2 * 700 + 0.76 * 700 * 36 / 36.72, abs=0.05)
    t, s = cal.to_data(px, py)
    assert np.allclose(t, [0, 36]) and np.allclose(s, [0, 1])
    x0, y0, x1, y1 = res.plot_box
    assert x0 == pytest.approx(140, abs=0.5) and x1 == pytest.approx(672, abs=0.5)


def test_one_curve_and_five_curves():
    one = digitize(open_figure(FIX / "mpl_one.pdf"))
    assert [c.name for c in one.curves] == ["Control"] and one.at_risk is None
    five = digitize(open_figure(FIX / "mpl_five.pdf"))
    assert sorted(c.name for c in five.curves) == [f"Arm {c}" for c in "ABCDE"]
    assert len({c.colour for c in five.curves}) == 5


@pytest.mark.parametrize("name, words", [
    ("mpl_logx.pdf", "logarithmic axis"),
    ("mpl_reversed.pdf", "x axis is reversed"),
    ("no_figure.pdf", "no x-axis tick labels found .* is there a Kaplan–Meier figure here"),
])
def test_figures_that_cannot_be_read_say_why(name, words):
    with pytest.raises(DigitizeError, match=words):
        digitize(open_figure(FIX / name))


def test_crop_without_the_figure():
    src = open_figure(FIX / "mpl_table.pdf", dpi=100)
    with pytest.raises(DigitizeError, match="tick labels"):
        digitize(src, crop=(0, 0, 120, 100))
    with pytest.raises(DigitizeError, match="empty"):
        digitize(src, crop=(50, 50, 50, 80))
    # the crop around the axes and the table reads the same
    res = digitize(src, crop=(0, 0, 700, 500))
    assert len(res.curves) == 2 and res.at_risk is not None


def test_calibration_points_must_differ():
    with pytest.raises(DigitizeError, match="same pixel"):
        AxisCalibration(((100, 0), (100.4, 36)), ((400, 0), (50, 1)))
    with pytest.raises(DigitizeError, match="same value"):
        AxisCalibration(((100, 0), (600, 36)), ((400, 1), (50, 1)))
    with pytest.raises(DigitizeError, match="finite"):
        AxisCalibration(((100, 0), (600, float("nan"))), ((400, 0), (50, 1)))
    cal = AxisCalibration(((100, 0), (600, 36)), ((400, 0), (50, 100)), percent=True)
    t, s = cal.to_data([100, 350], [400, 225])
    assert np.allclose(t, [0, 18]) and np.allclose(s, [0, 0.5])
