"""evidencegui.core.survival against R's survival package (the oracle).

The reference numbers come from tests/fixtures/r/make_reference.R (R and survival versions are
in reference.json); CI has no R, so these tests read only the committed fixtures. Each dataset's
CSV is the data R computed on (R read it back before computing).

Tolerances, and why:
- Kaplan–Meier, Greenwood, the pointwise CIs, log-rank, RMST and its SE are closed forms: the
  only differences are float rounding and the 15 significant digits jsonlite writes, so
  REL = 1e-9 (far inside the four significant digits we promise).
- Quantiles are data times or midpoints of two data times: ABS_TIME = 1e-9.
- Cox: R's coxph stops at a relative log-likelihood change of 1e-9 (coxph.control eps), so its
  default coefficient is exact only to about 1e-8 (absolute, in log HR); we iterate to 1e-12.
  Against R's default fit 1e-6 (absolute on log HR, relative on the rest); against R refitted
  with eps = 1e-14 ("cox_tight") REL = 1e-9.
- p-values: our chi-square/normal tails (distributions.py) against R's pchisq/pnorm: REL = 1e-9.

Run as a script (``python tests/core/test_survival_vs_r.py``) to print the number of values
compared and the largest relative discrepancy per quantity.
"""
from __future__ import annotations

import csv
import json
import math
import os
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from evidencegui.core import survival as sv

# EVIDENCEGUI_R_FIXTURES: another output folder of make_reference.R (a stress run, see README)
R_DIR = Path(os.environ.get("EVIDENCEGUI_R_FIXTURES")
             or Path(__file__).resolve().parent.parent / "fixtures" / "r")
REF = json.loads((R_DIR / "reference.json").read_text(encoding="utf-8"))
DATASETS = REF["datasets"]
CONF_TYPES = ("log-log", "log", "plain")

REL = 1e-9
ABS_TIME = 1e-9
REL_COX = 1e-6

# quantity -> [number of values compared, largest relative discrepancy]
STATS: dict[str, list] = defaultdict(lambda: [0, 0.0])


def _lst(v):
    """jsonlite unboxes length-1 vectors; make everything a list."""
    return v if isinstance(v, list) else [v]


def _f(v):
    return math.nan if v is None else float(v)


def check(qty: str, ours, ref, rel: float = REL, abs_: float = 0.0, where: str = ""):
    """ours == ref within rel (or abs_); a value R leaves NA (null) must be missing in ours
    (None or NaN), and the other way round."""
    ours, ref = _f(ours), _f(ref)
    s = STATS[qty]
    s[0] += 1
    if math.isnan(ref) or math.isnan(ours) or math.isinf(ours):
        assert not math.isfinite(ours) and math.isnan(ref), \
            f"{qty} {where}: ours {ours!r}, R {ref!r} (one is missing)"
        return
    d = abs(ours - ref)
    r = d / abs(ref) if ref != 0 else d
    s[1] = max(s[1], r)
    assert d <= max(rel * abs(ref), abs_, 1e-300 if ref == 0 else 0) or \
        (ref == 0 and d <= rel), f"{qty} {where}: ours {ours!r}, R {ref!r} (rel {r:.3g})"


def load(name: str):
    """(time, event, arm) arrays from the dataset CSV."""
    with open(R_DIR / DATASETS[name]["csv"], newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    t = np.array([float(r["time"]) for r in rows])
    e = np.array([int(r["event"]) for r in rows])
    a = np.array([r["arm"] for r in rows])
    return t, e, a


_DATA = {name: load(name) for name in DATASETS}


def arm_fit(name, arm, ct):
    t, e, a = _DATA[name]
    m = a == arm
    return sv.kaplan_meier(t[m], e[m], ci_method=ct)


ARM_CASES = [(name, ct, i) for name, ds in DATASETS.items() for ct in CONF_TYPES
             for i in range(len(_lst(ds["arms"])))]
CMP_CASES = [(name, i) for name, ds in DATASETS.items() for i in range(len(ds["comparisons"]))]


def _arm_ref(name, ct, i):
    return DATASETS[name]["conf"][ct]["arms"][i]


def _id(case):
    return "-".join(str(c) for c in case)


# ----------------------------------------------------------------------------- fixture sanity

def test_fixture_provenance():
    assert REF["r_version"].startswith("R version")
    assert REF["survival_version"]
    if "EVIDENCEGUI_R_FIXTURES" not in os.environ:       # the committed set stays small
        assert sum(p.stat().st_size for p in R_DIR.iterdir()) < 1_000_000
    # the three-arm trial is there, and every edge case the brief asks for
    assert len(DATASETS["colon"]["arms"]) == 3
    for name in ("syn_all_censored", "syn_ties_months", "syn_plateau_half",
                 "syn_landmark_beyond", "syn_not_reached"):
        assert name in DATASETS


# ----------------------------------------------------------------------------- per arm

@pytest.mark.parametrize("case", ARM_CASES, ids=_id)
def test_counts_quantiles_landmarks_rmst(case):
    name, ct, i = case
    ref = _arm_ref(name, ct, i)
    km = arm_fit(name, ref["arm"], ct)
    where = f"{name}/{ref['arm']}/{ct}"
    assert km.n == ref["n"] and km.events == ref["events"], where
    STATS["n, events"][0] += 2
    assert km.max_time == ref["max_time"]

    # quantile.survfit: estimate, and where the lower/upper CI curves cross 1 − p
    q = ref["quantile"]
    for j, p in enumerate(_lst(q["probs"])):
        got = sv.quantile(km, p)
        w = f"{where} p={p}"
        check(f"quantile {p} estimate", got.estimate, _lst(q["estimate"])[j], 0, ABS_TIME, w)
        check(f"quantile {p} CI lower", got.lower, _lst(q["lower"])[j], 0, ABS_TIME, w)
        check(f"quantile {p} CI upper", got.upper, _lst(q["upper"])[j], 0, ABS_TIME, w)

    # survival at landmarks (summary(fit, times=t)); past the last follow-up R gives nothing
    # (NA) unless extend=TRUE. Ours: NaN there too, except when the curve has reached 0, where
    # we keep 0 (R's extend=TRUE value), the SE is 0 and the CI does not exist.
    for lm in ref["landmarks"]:
        s, lo, hi, se = (float(x[0]) for x in km.evaluate([lm["time"]]))
        w = f"{where} t={lm['time']}"
        r = lm["summary"]
        if lm["beyond_last"] and lm["extend"]["surv"] == 0:
            assert s == 0.0, w
            assert math.isnan(lo) and math.isnan(hi), w
            STATS["landmark surv (reached 0, past last time)"][0] += 1
            continue
        check("landmark surv", s, r["surv"], where=w)
        check("landmark std.err (SE of S)", se, r["std_err"], where=w)
        check("landmark CI lower", lo, r["lower"], where=w)
        check("landmark CI upper", hi, r["upper"], where=w)

    # RMST and its SE (summary(fit, rmean=tau)$table: rmean, se(rmean)), tau beyond the last
    # time included (the last value carried forward, as R does)
    for rm in ref["rmst"]:
        got = sv.rmst(km, rm["tau"])
        w = f"{where} tau={rm['tau']}"
        if rm.get("error"):
            # R refuses a tau before the arm's first time; S = 1 up to tau, so RMST = tau
            assert rm["tau"] < km.time[0] and got.estimate == rm["tau"] and got.se == 0, w
            STATS["rmst with tau before the first time (R: error; ours tau, se 0)"][0] += 1
            continue
        check("rmst", got.estimate, rm["rmean"], where=w)
        check("rmst se", got.se, rm["se"], where=w)


@pytest.mark.parametrize("case", ARM_CASES, ids=_id)
def test_median_matches_print_survfit_table(case):
    """median() is print(fit)'s median and CI (summary(fit)$table, survmean's rule: where a line
    at 0.5 first meets the curve and its CI curves). median(rule="quantile") is
    quantile(fit, 0.5); the two R functions differ in rare corner cases (a curve ending on
    S = 0.5 exactly, a CI curve that rises back after crossing 0.5), counted here."""
    name, ct, i = case
    ref = _arm_ref(name, ct, i)
    km = arm_fit(name, ref["arm"], ct)
    w = f"{name}/{ref['arm']}/{ct}"
    m = sv.median(km)
    tab = ref["table"]
    check("median (print table)", m.estimate, tab["median"], 0, ABS_TIME, w)
    check("median CI lower (print table)", m.lower, tab["lcl"], 0, ABS_TIME, w)
    check("median CI upper (print table)", m.upper, tab["ucl"], 0, ABS_TIME, w)
    mq = sv.median(km, rule="quantile")
    q = ref["quantile"]
    check("median (rule=quantile)", mq.estimate, _lst(q["estimate"])[1], 0, ABS_TIME, w)
    check("median CI lower (rule=quantile)", mq.lower, _lst(q["lower"])[1], 0, ABS_TIME, w)
    check("median CI upper (rule=quantile)", mq.upper, _lst(q["upper"])[1], 0, ABS_TIME, w)
    for a, b, key in ((m.estimate, mq.estimate, "estimate"), (m.lower, mq.lower, "lower"),
                      (m.upper, mq.upper, "upper")):
        if not (a == b or (a is None and b is None)):
            STATS[f"median {key}: print(fit) differs from quantile(fit) in R"][0] += 1
    if name == "syn_plateau_half" and ref["arm"] == "End":   # the curve ends on S = 0.5
        assert m.estimate == 4 and mq.estimate == 6.5


KM_CASES = [c for c in ARM_CASES if "km" in _arm_ref(*c)]


@pytest.mark.parametrize("case", KM_CASES, ids=_id)
def test_full_km_table(case):
    """summary(fit, censored=TRUE): every distinct time, counts, S, SE, CI."""
    name, ct, i = case
    ref = _arm_ref(name, ct, i)
    km = arm_fit(name, ref["arm"], ct)
    r = ref["km"]
    where = f"{name}/{ref['arm']}/{ct}"
    np.testing.assert_array_equal(km.time, _lst(r["time"]), err_msg=where)
    np.testing.assert_array_equal(km.n_risk, _lst(r["n_risk"]), err_msg=where)
    np.testing.assert_array_equal(km.n_event, _lst(r["n_event"]), err_msg=where)
    np.testing.assert_array_equal(km.n_censor, _lst(r["n_censor"]), err_msg=where)
    STATS["KM time, n.risk, n.event, n.censor"][0] += 4 * len(km.time)
    for j, tj in enumerate(km.time):
        w = f"{where} t={tj}"
        check("KM surv", km.survival[j], _lst(r["surv"])[j], where=w)
        # KaplanMeier.std_err is the SE of S (summary()'s std.err); survfit's own std.err is
        # the SE of −log S, which is sqrt(var_log)
        check("KM std.err (SE of S)", km.std_err[j], _lst(r["std_err"])[j], where=w)
        check("KM survfit std.err (SE of -log S)", math.sqrt(km.var_log[j]),
              _lst(r["std_err_log"])[j], where=w)
        check("KM CI lower", km.lower[j], _lst(r["lower"])[j], where=w)
        check("KM CI upper", km.upper[j], _lst(r["upper"])[j], where=w)


# ----------------------------------------------------------------------------- comparisons

@pytest.mark.parametrize("case", CMP_CASES, ids=_id)
def test_comparison(case):
    name, i = case
    ds = DATASETS[name]
    c = ds["comparisons"][i]
    t, e, a = _DATA[name]
    two = (a == c["arm"]) | (a == c["control"])
    t2, e2, a2 = t[two], e[two], a[two]
    where = f"{name}/{c['arm']} vs {c['control']}"

    # Cox, Efron ties, Wald CI and p
    hr = sv.cox_hr(t2, e2, a2 == c["arm"])
    if c["cox"]["warning"] is not None:
        # R warns ("coefficient may be infinite", "Ran out of iterations and did not
        # converge") and reports a meaningless number; we say it cannot be estimated
        assert hr.hr is None and hr.warning, f"{where}: R warned {c['cox']['warning']!r}"
        STATS["Cox HR not estimable (R warns: infinite / not converged)"][0] += 1
    else:
        for key, ours in (("coef", hr.log_hr), ("hr", hr.hr), ("se", hr.se),
                          ("lower", hr.lower), ("upper", hr.upper), ("p", hr.p),
                          ("loglik", hr.loglik)):
            # R's default fit is good to ~1e-8 in log HR: absolute 1e-6 there (relative is
            # meaningless near log HR = 0); abs 1e-12 against the tight fit (0 vs 1e-16)
            check(f"Cox {key} (R default eps)", ours, c["cox"][key], REL_COX,
                  REL_COX if key == "coef" else 1e-12, where)
            check(f"Cox {key} (R eps=1e-14)", ours, c["cox_tight"][key], REL, 1e-12, where)

    # log-rank (survdiff) on the two arms
    lr = sv.logrank(t2, e2, a2)
    if c["logrank"]["chisq"] is None or c["logrank"]["df"] < 1:
        # no events, or a singular variance (every event at a time when all at risk have it):
        # survdiff stops with an error or has df 0; we give no test (df 0, p 1)
        assert lr.df == 0 and lr.p == 1.0, where
        STATS["log-rank without information (R: error or df 0; ours df 0, p 1)"][0] += 1
    else:
        check("log-rank chisq", lr.chisq, c["logrank"]["chisq"], where=where)
        check("log-rank p", lr.p, c["logrank"]["p"], where=where)
        assert lr.df == c["logrank"]["df"]
    # our groups are in sorted label order; R's in (control, experimental) order
    labels = sorted({c["control"], c["arm"]})
    informative = c["logrank"]["chisq"] is not None   # else R has no observed/expected
    for g, lab in enumerate(_lst(c["logrank"]["groups"]) if informative else []):
        k = labels.index(lab)
        check("log-rank observed", lr.observed[k], _lst(c["logrank"]["observed"])[g], where=where)
        check("log-rank expected", lr.expected[k], _lst(c["logrank"]["expected"])[g], where=where)

    # landmark survival differences and RMST differences (closed forms from per-arm values)
    ke = sv.kaplan_meier(t[a == c["arm"]], e[a == c["arm"]])
    kc = sv.kaplan_meier(t[a == c["control"]], e[a == c["control"]])
    for sd in c["survival_difference"]:
        got = sv.survival_difference(ke, kc, sd["time"])
        w = f"{where} t={sd['time']}"
        if sd["difference"] is None:
            # past one arm's last follow-up: R has no survival there; neither do we, unless
            # that arm's curve reached 0 (then S = 0 is known and the difference exists)
            t_max = {x: _DATA[name][0][a == x].max() for x in (c["arm"], c["control"])}
            reached0 = [x for x, k in ((c["arm"], ke), (c["control"], kc))
                        if sd["time"] > t_max[x] and k.survival[-1] == 0]
            if not reached0:
                assert got.difference is None, w
            STATS["survival difference past last follow-up"][0] += 1
            continue
        check("survival difference", got.difference, sd["difference"], abs_=1e-12, where=w)
        if sd["se"] is None:
            # an arm's curve is 0 at t: R's Greenwood SE is NaN there (0 · ∞); the value is
            # certain, so we take its SE as 0 and keep the other arm's
            s0 = [float(k.evaluate([sd["time"]])[0][0]) for k in (ke, kc)]
            assert 0.0 in s0 and got.se is not None, w
            STATS["survival difference se where an arm's S = 0 (R NaN; ours SE 0)"][0] += 1
            continue
        check("survival difference se", got.se, sd["se"], where=w)
        check("survival difference CI lower", got.lower, sd["lower"], abs_=1e-12, where=w)
        check("survival difference CI upper", got.upper, sd["upper"], abs_=1e-12, where=w)
    for rd in c["rmst_difference"]:
        got = sv.rmst_comparison(ke, kc, rd["tau"])
        w = f"{where} tau={rd['tau']}"
        if rd.get("error"):     # tau before an arm's first time: R refuses (see above)
            STATS["rmst difference with tau before an arm's first time (R: error)"][0] += 1
            continue
        check("rmst difference", got.difference, rd["difference"], abs_=1e-12, where=w)
        check("rmst difference se", got.se, rd["se"], where=w)
        check("rmst difference CI lower", got.lower, rd["lower"], where=w)
        check("rmst difference CI upper", got.upper, rd["upper"], where=w)
        check("rmst ratio", got.ratio, rd["ratio"], where=w)


@pytest.mark.parametrize("name", [n for n, ds in DATASETS.items() if "logrank_all" in ds])
def test_logrank_all_arms(name):
    """survdiff over all arms of a multi-arm trial (df = arms − 1)."""
    t, e, a = _DATA[name]
    lr = sv.logrank(t, e, a)
    ref = DATASETS[name]["logrank_all"]
    if ref["chisq"] is None or ref["df"] < 1:     # no events at all: no test
        assert lr.df == 0 and lr.p == 1.0
        return
    assert lr.df == ref["df"]
    check("log-rank chisq (all arms)", lr.chisq, ref["chisq"], where=name)
    check("log-rank p (all arms)", lr.p, ref["p"], where=name)


def test_default_tau_is_smallest_last_time():
    """The CLI's default tau: the smallest of the arms' largest follow-up times."""
    for name, ds in DATASETS.items():
        t, _, a = _DATA[name]
        assert min(t[a == x].max() for x in _lst(ds["arms"])) == ds["tau_default"], name


if __name__ == "__main__":   # the discrepancy table for the report
    for case in ARM_CASES:
        test_counts_quantiles_landmarks_rmst(case)
        test_median_matches_print_survfit_table(case)
    for case in KM_CASES:
        test_full_km_table(case)
    for case in CMP_CASES:
        test_comparison(case)
    for name in [n for n, ds in DATASETS.items() if "logrank_all" in ds]:
        test_logrank_all_arms(name)
    total = sum(v[0] for v in STATS.values())
    print(f"R {REF['r_version']}, survival {REF['survival_version']}: {total} values compared")
    for k, (n, r) in sorted(STATS.items()):
        print(f"  {k:60s} {n:6d}  max rel {r:.2e}")
