"""core.analysis.analyze against independent oracles: lifelines and statsmodels.

Tolerances, and why:
- Kaplan–Meier estimates, Greenwood variances and log(-log) CIs are the same closed forms in
  lifelines (its only CI is the "exponential" Greenwood one, = R's log-log), so REL = 1e-9.
- Log-rank chi-square: the same hypergeometric sums in lifelines/statsmodels: REL = 1e-8.
- Cox HR: lifelines stops Newton–Raphson when the step norm is below 1e-7 (precision=1e-07)
  and statsmodels at its gradient tolerance; we iterate to 1e-12, so the HR can differ by about
  1e-7 relative: REL_COX = 1e-5 (still far inside four significant digits).
- Medians are data times: compared exactly where neither curve sits at exactly 0.5 (lifelines
  takes the left end of such a flat stretch, R and we the midpoint; see PITFALLS), and checked by
  hand where it does.
- RMST: lifelines' estimate is the same integral (REL = 1e-9); its variance is not the RMST's
  (PITFALLS), so the SE is checked against a per-patient-time loop written out here.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from evidencegui.core.analysis import analyze
from evidencegui.core.errors import InputError

lifelines = pytest.importorskip("lifelines")
from lifelines import CoxPHFitter, KaplanMeierFitter  # noqa: E402
from lifelines.statistics import logrank_test  # noqa: E402
from lifelines.utils import median_survival_times, restricted_mean_survival_time  # noqa: E402

REL = 1e-9
REL_LR = 1e-8
REL_COX = 1e-5


def _data(seed=0, n=(150, 170, 130), scales=(12.0, 18.0, 9.0), labels=("Ctl", "ExpA", "ExpB"),
          rounding=None, cens=40.0):
    rng = np.random.default_rng(seed)
    t, e, a = [], [], []
    for k, (m, s, lab) in enumerate(zip(n, scales, labels)):
        tt = rng.exponential(s, m)
        cc = rng.uniform(0, cens, m)
        obs = np.minimum(tt, cc)
        if rounding:
            obs = np.maximum(np.round(obs / rounding) * rounding, rounding)
        t.append(obs)
        e.append((tt <= cc).astype(int))
        a += [lab] * m
    return np.concatenate(t), np.concatenate(e), np.array(a, dtype=object)


def _km(t, e):
    return KaplanMeierFitter().fit(t, e, alpha=0.05)


def _ll_at(kmf, times):
    """lifelines survival and CI at the given times (right-continuous step lookup)."""
    s = kmf.survival_function_at_times(times).to_numpy()
    ci = kmf.confidence_interval_survival_function_
    idx = np.searchsorted(ci.index.to_numpy(), times, side="right") - 1
    return s, ci.iloc[idx, 0].to_numpy(), ci.iloc[idx, 1].to_numpy()


def _greenwood_var(t, e, at):
    """Var S(at) = S² Σ d/(n(n−d)), written out over distinct event times."""
    s, g = 1.0, 0.0
    for u in np.unique(t[(e == 1) & (t <= at)]):
        n = np.sum(t >= u)
        d = np.sum((t == u) & (e == 1))
        s *= 1 - d / n
        if n > d:
            g += d / (n * (n - d))
    return s * s * g


def _rmst_se(t, e, tau):
    """R's survmean variance: Σ_{event times ≤ τ} A_i² d_i/(Y_i(Y_i−d_i)), A_i = ∫_{t_i}^τ S."""
    ut = np.unique(t[(e == 1) & (t <= tau)])
    s, surv = 1.0, []
    for u in ut:
        n = np.sum(t >= u)
        d = np.sum((t == u) & (e == 1))
        s *= 1 - d / n
        surv.append((u, n, d, s))
    var = 0.0
    for i, (u, n, d, _) in enumerate(surv):
        area, prev_t, prev_s = 0.0, u, surv[i][3]
        for (u2, _, _, s2) in surv[i + 1:]:
            area += prev_s * (u2 - prev_t)
            prev_t, prev_s = u2, s2
        area += prev_s * (tau - prev_t)
        if n > d:
            var += area ** 2 * d / (n * (n - d))
    return math.sqrt(var)


def _check_arm(arm, t, e, landmarks, tau):
    kmf = _km(t, e)
    assert arm["n"] == len(t) and arm["events"] == int(e.sum())
    s, lo, hi = _ll_at(kmf, np.array(landmarks, float))
    for k, row in enumerate(arm["survival"]):
        assert row["time"] == landmarks[k]
        assert row["estimate"] == pytest.approx(s[k], rel=REL)
        assert row["ci"][0] == pytest.approx(lo[k], rel=REL)
        assert row["ci"][1] == pytest.approx(hi[k], rel=REL)
        assert row["std_err"] == pytest.approx(math.sqrt(_greenwood_var(t, e, landmarks[k])), rel=1e-8)
        assert row["n_risk"] == int(np.sum(t >= landmarks[k]))
    assert arm["rmst"] == pytest.approx(restricted_mean_survival_time(kmf, t=tau), rel=REL)
    assert arm["rmst_se"] == pytest.approx(_rmst_se(t, e, tau), rel=1e-8)
    sf = kmf.survival_function_.iloc[:, 0]
    if not np.any(np.isclose(sf.to_numpy(), 0.5, rtol=0, atol=1e-12)):
        med = kmf.median_survival_time_
        assert arm["median"] == (None if math.isinf(med) else pytest.approx(med, abs=1e-12))
        ci = median_survival_times(kmf.confidence_interval_)
        ll, ul = float(ci.iloc[0, 0]), float(ci.iloc[0, 1])
        cis = kmf.confidence_interval_
        if not np.any(np.isclose(cis.to_numpy(), 0.5, rtol=0, atol=1e-12)):
            assert arm["median_ci"][0] == (None if math.isinf(ll) else pytest.approx(ll, abs=1e-12))
            assert arm["median_ci"][1] == (None if math.isinf(ul) else pytest.approx(ul, abs=1e-12))


def _check_comparison(c, t, e, a, exp, ctl, landmarks):
    m = (a == exp) | (a == ctl)
    tt, ee, x = t[m], e[m], (a[m] == exp).astype(int)
    lr = logrank_test(tt[x == 1], tt[x == 0], ee[x == 1], ee[x == 0])
    assert c["arm"] == exp and c["control"] == ctl
    assert c["logrank_chisq"] == pytest.approx(lr.test_statistic, rel=REL_LR)
    assert c["logrank_p"] == pytest.approx(lr.p_value, rel=1e-6)
    cph = CoxPHFitter().fit(pd.DataFrame({"t": tt, "e": ee, "x": x}), "t", "e")
    assert c["hr"] == pytest.approx(float(cph.hazard_ratios_["x"]), rel=REL_COX)
    lo, hi = np.exp(cph.confidence_intervals_.loc["x"].to_numpy())
    assert c["hr_ci"][0] == pytest.approx(lo, rel=REL_COX)
    assert c["hr_ci"][1] == pytest.approx(hi, rel=REL_COX)
    assert c["hr_p"] == pytest.approx(float(cph.summary.loc["x", "p"]), rel=1e-4)
    for k, d in enumerate(c["survival_difference"]):
        t0 = landmarks[k]
        s1 = _ll_at(_km(tt[x == 1], ee[x == 1]), np.array([t0]))[0][0]
        s0 = _ll_at(_km(tt[x == 0], ee[x == 0]), np.array([t0]))[0][0]
        se = math.sqrt(_greenwood_var(tt[x == 1], ee[x == 1], t0) + _greenwood_var(tt[x == 0], ee[x == 0], t0))
        assert d["difference"] == pytest.approx(s1 - s0, rel=1e-9, abs=1e-15)
        assert d["ci"][0] == pytest.approx(s1 - s0 - 1.959963984540054 * se, rel=1e-8)
        assert d["ci"][1] == pytest.approx(s1 - s0 + 1.959963984540054 * se, rel=1e-8)
        if s1 != s0:
            assert d["nnt"] == math.ceil(1 / abs(s1 - s0))  # Altman: 1/|difference| rounded up
            assert d["nnt_kind"] == ("benefit" if s1 > s0 else "harm")
            assert d["nnt_ci_unbounded"] == (d["ci"][0] < 0 < d["ci"][1])


@pytest.mark.parametrize("rounding", [None, 1.0], ids=["continuous", "ties-whole-months"])
def test_three_arms_against_lifelines(rounding):
    t, e, a = _data(seed=3, rounding=rounding)
    landmarks = [6.0, 12.0, 24.0]
    doc = analyze(t, e, a, "Ctl", landmarks=landmarks)
    assert [x["arm"] for x in doc["arms"]] == ["Ctl", "ExpA", "ExpB"]
    tau = min(t[a == lab].max() for lab in ("Ctl", "ExpA", "ExpB"))
    assert doc["tau"] == tau and doc["ci_method"] == "log-log"
    for arm in doc["arms"]:
        m = a == arm["arm"]
        _check_arm(arm, t[m], e[m], landmarks, tau)
    assert [(c["arm"], c["control"]) for c in doc["comparisons"]] == [("ExpA", "Ctl"), ("ExpB", "Ctl")]
    for c in doc["comparisons"]:
        _check_comparison(c, t, e, a, c["arm"], "Ctl", landmarks)
        ctl_arm, exp_arm = doc["arms"][0], next(x for x in doc["arms"] if x["arm"] == c["arm"])
        assert c["rmst_difference"] == pytest.approx(exp_arm["rmst"] - ctl_arm["rmst"], rel=1e-12)
        assert c["rmst_ratio"] == pytest.approx(exp_arm["rmst"] / ctl_arm["rmst"], rel=1e-12)
        se = math.hypot(exp_arm["rmst_se"], ctl_arm["rmst_se"])
        assert c["rmst_difference_ci"][0] == pytest.approx(c["rmst_difference"] - 1.959963984540054 * se, rel=1e-9)
        if exp_arm["median"] is not None and ctl_arm["median"] is not None:
            assert c["median_gain"] == pytest.approx(exp_arm["median"] - ctl_arm["median"], abs=1e-12)
            assert c["median_ratio"] == pytest.approx(exp_arm["median"] / ctl_arm["median"], rel=1e-12)
    assert doc["warnings"] == []


def test_cox_and_logrank_against_statsmodels_heavy_ties():
    from statsmodels.duration.hazard_regression import PHReg
    from statsmodels.duration.survfunc import survdiff

    t, e, a = _data(seed=11, n=(400, 400), scales=(10.0, 14.0), labels=("Obs", "Trt"), rounding=1.0)
    doc = analyze(t, e, a, "Obs")
    c = doc["comparisons"][0]
    x = (a == "Trt").astype(float)
    res = PHReg(t, x[:, None], status=e, ties="efron").fit()
    # statsmodels' default optimiser stops near gtol 1e-5 on the score: REL 1e-4 on the HR
    assert c["hr"] == pytest.approx(math.exp(res.params[0]), rel=1e-4)
    assert c["log_hr_se"] == pytest.approx(res.bse[0], rel=1e-4)
    chisq, p = survdiff(t, e, a)
    assert c["logrank_chisq"] == pytest.approx(chisq, rel=REL_LR)
    assert c["logrank_p"] == pytest.approx(p, rel=1e-6)


def test_ci_methods_log_and_plain_against_statsmodels():
    from statsmodels.duration.survfunc import SurvfuncRight

    t, e, a = _data(seed=5, n=(200, 210), scales=(10.0, 14.0), labels=("C", "E"))
    for method in ("log", "plain"):
        doc = analyze(t, e, a, "C", landmarks=[5.0, 10.0], ci_method=method)
        assert doc["ci_method"] == method
        for arm in doc["arms"]:
            m = a == arm["arm"]
            sf = SurvfuncRight(t[m], e[m])
            for row in arm["survival"]:
                k = np.searchsorted(sf.surv_times, row["time"], side="right") - 1
                s, se = sf.surv_prob[k], sf.surv_prob_se[k]
                assert row["estimate"] == pytest.approx(s, rel=REL)
                assert row["std_err"] == pytest.approx(se, rel=1e-8)
                z = 1.959963984540054
                if method == "plain":
                    want = (max(s - z * se, 0.0), min(s + z * se, 1.0))
                else:   # log: exp(log S ± z SE/S), upper capped at 1 (R survfit conf.type="log")
                    want = (s * math.exp(-z * se / s), min(s * math.exp(z * se / s), 1.0))
                assert row["ci"][0] == pytest.approx(want[0], rel=1e-8)
                assert row["ci"][1] == pytest.approx(want[1], rel=1e-8)


def test_all_censored_arm_gives_null_hr_and_warning():
    t = np.array([1, 2, 3, 4, 5, 6, 2.5, 3.5, 4.5, 7.0])
    e = np.array([1, 1, 0, 1, 1, 0, 0, 0, 0, 0])
    a = np.array(["C"] * 6 + ["E"] * 4, dtype=object)
    doc = analyze(t, e, a, "C", landmarks=[3.0])
    exp = doc["arms"][1]
    assert exp["events"] == 0 and exp["median"] is None and exp["median_ci"] == [None, None]
    assert exp["survival"][0]["estimate"] == 1.0
    c = doc["comparisons"][0]
    assert c["hr"] is None and c["hr_ci"] == [None, None] and c["median_gain"] is None
    assert any("hazard ratio" in w for w in doc["warnings"])
    lr = logrank_test(t[a == "E"], t[a == "C"], e[a == "E"], e[a == "C"])
    assert c["logrank_chisq"] == pytest.approx(lr.test_statistic, rel=REL_LR)
    assert exp["rmst"] == pytest.approx(doc["tau"], rel=1e-12)   # S = 1 throughout
    assert exp["rmst_se"] == 0.0


def test_landmark_past_an_arms_follow_up_is_null_with_warning():
    t = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1.5, 2.5, 3.5, 4.0])
    e = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
    a = np.array(["C"] * 10 + ["E"] * 4, dtype=object)
    doc = analyze(t, e, a, "C", landmarks=[3.0, 6.0])
    ctl, exp = doc["arms"]
    assert exp["survival"][1] == {"time": 6.0, "estimate": None, "ci": [None, None], "std_err": None,
                                  "n_risk": 0}
    assert ctl["survival"][1]["estimate"] is not None
    d = doc["comparisons"][0]["survival_difference"]
    assert d[0]["difference"] is not None
    assert d[1]["difference"] is None and d[1]["ci"] == [None, None] and d[1]["nnt"] is None
    assert sum("past its last follow-up" in w for w in doc["warnings"]) == 1
    assert doc["tau"] == 4.0   # the smallest of the arms' largest follow-up times


def test_tau_beyond_an_arms_last_time_extends_its_curve_as_r():
    # R's survmean carries the last value of S to tau; lifelines' RMST integrates the same way
    t = np.array([1.0, 2, 3, 4, 5, 6, 2, 3, 8, 9])
    e = np.array([1, 0, 1, 1, 0, 0, 1, 1, 0, 1])
    a = np.array(["C"] * 6 + ["E"] * 4, dtype=object)
    doc = analyze(t, e, a, "C", tau=8.5)
    kmf = _km(t[a == "C"], e[a == "C"])
    assert doc["arms"][0]["rmst"] == pytest.approx(restricted_mean_survival_time(kmf, t=8.5), rel=REL)
    assert any("tau 8.5" in w for w in doc["warnings"])


def test_arm_labels_na_and_none_are_labels_and_order_is_control_then_first_appearance():
    t, e, _ = _data(seed=2, n=(30, 30, 30))
    a = np.array(["None"] * 30 + ["NA"] * 30 + ["null"] * 30, dtype=object)
    rng = np.random.default_rng(0)
    perm = rng.permutation(90)
    t, e, a = t[perm], e[perm], a[perm]
    first = list(dict.fromkeys(a.tolist()))
    doc = analyze(t, e, a, "NA")
    assert [x["arm"] for x in doc["arms"]] == ["NA"] + [x for x in first if x != "NA"]
    assert [c["control"] for c in doc["comparisons"]] == ["NA", "NA"]


def test_median_midpoint_where_the_curve_sits_at_one_half():
    # S = 1/2 from t = 2 to t = 5: R (and we) take the midpoint 3.5; lifelines would say 2
    t = np.array([1.0, 2, 5, 6, 3, 4, 7, 8])
    e = np.array([1, 0, 1, 1, 1, 1, 1, 0])
    a = np.array(["A"] * 4 + ["B"] * 4, dtype=object)
    doc = analyze(t, e, a, "A")
    # A: S = 3/4 after 1, censor at 2, then 3/4·1/2 = 3/8 at 5: never exactly 1/2 -> median 5
    assert doc["arms"][0]["median"] == 5.0
    # B: 3/4 at 3, 1/2 at 4, 1/4 at 7: flat at 1/2 over [4, 7) -> midpoint 5.5
    assert doc["arms"][1]["median"] == 5.5


def test_json_shape_keys_and_types():
    t, e, a = _data(seed=1, n=(40, 40), labels=("C", "E"))
    doc = analyze(t, e, a, "C", landmarks=[12])
    for k in ("ci_method", "tau", "arms", "comparisons", "warnings"):
        assert k in doc
    for arm in doc["arms"]:
        for k in ("arm", "n", "events", "median", "median_ci", "survival", "rmst", "rmst_se"):
            assert k in arm
        assert set(arm["survival"][0]) >= {"time", "estimate", "ci"}
    for k in ("arm", "control", "hr", "hr_ci", "logrank_chisq", "logrank_p", "median_gain", "median_ratio",
              "rmst_difference", "rmst_difference_ci", "rmst_ratio", "survival_difference"):
        assert k in doc["comparisons"][0]
    assert set(doc["comparisons"][0]["survival_difference"][0]) >= {"time", "difference", "ci", "nnt"}
    import json
    text = json.dumps(doc, allow_nan=False)   # no NaN, no numpy types
    assert json.loads(text) == doc


@pytest.mark.parametrize("kwargs, field", [
    (dict(control="X"), "control"),
    (dict(control="C", tau=-1), "tau"),
    (dict(control="C", landmarks=[float("nan")]), "landmarks"),
    (dict(control="C", ci_method="arcsine"), "ci-method"),
])
def test_bad_arguments_raise_input_error(kwargs, field):
    t, e, a = _data(seed=1, n=(10, 10), labels=("C", "E"))
    with pytest.raises(InputError) as err:
        analyze(t, e, a, **kwargs)
    assert err.value.field == field
    if field == "control":
        assert "'C'" in str(err.value) and "'E'" in str(err.value)


def test_single_arm_is_an_input_error():
    with pytest.raises(InputError, match="only one arm"):
        analyze([1.0, 2.0], [1, 0], ["A", "A"], "A")


def test_arm_codes_with_labels_give_the_same_document():
    t, e, a = _data(seed=9, n=(50, 60, 40))
    labels = ("ExpB", "Ctl", "ExpA", "Unused")
    codes = np.array([labels.index(x) for x in a])
    assert analyze(t, e, codes, "Ctl", landmarks=[6], arm_labels=labels) == \
        analyze(t, e, a, "Ctl", landmarks=[6])


def test_singular_logrank_variance_gives_null_test_and_warning():
    # every patient has the event at the same time: d(n − d)/(n − 1) = 0, so no test (R stops)
    doc = analyze([1.0, 1.0, 1.0], [1, 1, 1], ["A", "B", "A"], "A")
    c = doc["comparisons"][0]
    assert c["logrank_chisq"] is None and c["logrank_p"] is None and c["logrank_df"] is None
    assert any("log-rank" in w and "singular" in w for w in doc["warnings"])


def test_no_events_in_either_arm_message():
    from evidencegui.core.survival import cox_hr

    r = cox_hr([1.0, 2.0, 3.0, 4.0], [0, 0, 0, 0], [1, 1, 0, 0])
    assert r.hr is None
    assert "no events in either arm" in r.warning
