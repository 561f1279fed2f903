"""Curves for drawing: step shape, censor marks and numbers at risk against lifelines."""
import numpy as np
import pytest

from evidencegui.core.curves import (arm_curve, at_risk_rows, convert_time, km_steps,
                                     median_marker)
from evidencegui.core.model import Arm, Landmark, PatientData


def _arm(seed=1, n=120):
    rng = np.random.default_rng(seed)
    t = np.round(rng.exponential(20, n), 1)
    c = np.round(rng.uniform(5, 60, n), 1)
    time = np.minimum(t, c)
    event = (t <= c).astype(int)
    return Arm("A", patients=PatientData(list(time), list(event))), time, event


def test_steps_are_right_continuous_and_end_flat():
    x, y = km_steps(np.array([2.0, 5.0]), np.array([0.8, 0.5]), end_time=9.0)
    assert list(x) == [0, 2, 2, 5, 5, 9]
    assert list(y) == [1, 1, 0.8, 0.8, 0.5, 0.5]


def test_curve_matches_lifelines():
    lifelines = pytest.importorskip("lifelines")
    arm, time, event = _arm()
    c = arm_curve(arm)
    kmf = lifelines.KaplanMeierFitter().fit(time, event)
    grid = np.linspace(0, time.max(), 400)
    ref = kmf.survival_function_at_times(grid).to_numpy()
    assert np.allclose(c.evaluate(grid), ref, atol=1e-12)
    # every plotted vertex lies on the step function (right-continuous: value after the drop)
    for xv, yv in zip(c.time, c.survival):
        left = kmf.survival_function_at_times(xv - 1e-9).iloc[0] if xv > 0 else 1.0
        assert yv == pytest.approx(kmf.survival_function_at_times(xv).iloc[0]) or \
            yv == pytest.approx(left)
    assert c.time[-1] == pytest.approx(time.max())
    cens_times = np.unique(time[event == 0])
    assert np.allclose(c.censor_time, cens_times)
    assert np.allclose(c.censor_survival, kmf.survival_function_at_times(cens_times).to_numpy())
    rows = at_risk_rows([c], [0, 10, 20])
    assert rows[0].counts == tuple(int((time >= t).sum()) for t in (0, 10, 20))
    assert c.median == pytest.approx(kmf.median_survival_time_, abs=1e-9)


def test_modelled_exponential_and_piecewise():
    c = arm_curve(Arm("B", median=10.0))
    assert c.modelled and "modelled" in c.label
    assert c.evaluate(10.0)[0] == pytest.approx(0.5)
    assert c.evaluate(20.0)[0] == pytest.approx(0.25)
    c2 = arm_curve(Arm("C", median=10.0, landmarks=[Landmark(24, 0.3)]))
    assert c2.evaluate(24.0)[0] == pytest.approx(0.3)
    assert c2.evaluate(5.0)[0] == pytest.approx(0.5 ** 0.5)
    assert arm_curve(Arm("D")) is None
    assert at_risk_rows([c], [0, 12])[0].counts == (None, None)
    assert median_marker(c).time == 10.0


def test_time_units():
    assert convert_time(24.0, "months", "years") == 2.0
    c = arm_curve(Arm("B", median=12.0)).in_unit("years")
    assert c.median == 1.0 and c.evaluate(1.0)[0] == pytest.approx(0.5)
