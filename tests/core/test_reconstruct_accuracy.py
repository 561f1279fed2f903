"""Fast deterministic subset of the accuracy study (benchmarks/accuracy_reconstruct.py):
simulated two-arm trials, digitized as a reader would, reconstructed and compared with the truth
(Cox HR of the true vs the reconstructed patients, medians, RMST, landmarks)."""
import importlib.util
import math
import sys

import numpy as np
import pytest

from tests.conftest import ROOT


def _study():
    spec = importlib.util.spec_from_file_location("accuracy_reconstruct",
                                                  ROOT / "benchmarks" / "accuracy_reconstruct.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["accuracy_reconstruct"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def study():
    return _study()


@pytest.mark.parametrize("seed", [101, 202])
def test_hazard_ratio_goal(study, seed):
    s = study.summary(study.run(60, seed))
    assert s["log_hr"]["median"] <= 0.02
    assert s["log_hr"]["p95"] <= 0.05
    assert s["within_5pct"] >= 0.95


def test_medians_rmst_landmarks(study):
    s = study.summary(study.run(60, 303))
    assert s["median_ok"] >= 0.9          # within a month or 5%
    assert s["landmark_abs"]["p95"] <= 0.02
    assert s["rmst_abs"]["median"] <= 0.2
    assert s["events_rel"]["median"] <= 0.02


def test_total_events_is_met(study):
    rng = np.random.default_rng(404)
    for _ in range(10):
        trial = study.make_trial(rng)
        r = study.evaluate(trial, total_events=True)
        assert r["log_hr_err"] <= math.log(1.06)


def test_deterministic(study):
    a = study.run(5, 505)
    b = study.run(5, 505)
    assert [x["hr_rec"] for x in a] == [x["hr_rec"] for x in b]


def test_heavy_ties_scenario(study):
    # times on a coarse grid, many censored at once at a fixed end of follow-up (as rats)
    s = study.summary(study.run(80, 606, ties=True))
    assert s["log_hr"]["median"] <= 0.02
    assert s["within_5pct"] >= 0.8
    assert s["events_rel"]["median"] <= 0.03


def test_medians_the_figure_does_not_reach_are_not_reported(study):
    # issue 15: small trials where one rounded event takes the reconstruction just below 0.5
    # while the digitized curve stays above it (seed 9101: 4 such arms in 400 trials); each is
    # reported not reached, and the truth agrees
    s = study.summary(study.run(400, 9101, small=True))
    assert s["median_flagged"] >= 1
    assert s["median_flag_right"] == s["median_flagged"]
