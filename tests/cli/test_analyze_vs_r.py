"""`evidencegui analyze ... --json` (contract: CLI.md) against R's survival package.

Reads the fixtures written by tests/fixtures/r/make_reference.R (see its README); runs the
command as a user would (a subprocess with this interpreter) on each dataset CSV, for each
--ci-method, with the dataset's landmarks, once with the default tau and once per extra tau, and
compares the CLI.md keys with R:

  arms[]: n, events, median, median_ci (print(fit) / summary(fit)$table; quantile(fit) differs
          in rare corner cases, see survival.median), survival[].estimate/ci (summary(fit, times=)),
          rmst, rmst_se (summary(fit, rmean=tau)$table)
  comparisons[] (two arms only): hr, hr_ci (coxph, Efron, Wald), logrank_chisq, logrank_p,
          median_gain, median_ratio (from R's medians)
          (survdiff), rmst_difference(_ci), rmst_ratio, survival_difference[].difference/ci
  tau: the default is the smallest of the arms' largest follow-up times

Tolerances as in tests/core/test_survival_vs_r.py: 1e-9 relative for the closed forms (JSON
carries full precision), 1e-9 absolute for times, 1e-6 relative for Cox (R's default
convergence criterion).
"""
from __future__ import annotations

import functools
import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# EVIDENCEGUI_R_FIXTURES: another output folder of make_reference.R (a stress run, see README)
R_DIR = Path(os.environ.get("EVIDENCEGUI_R_FIXTURES") or ROOT / "tests" / "fixtures" / "r")
REF = json.loads((R_DIR / "reference.json").read_text(encoding="utf-8"))
DATASETS = REF["datasets"]
CONF_TYPES = ("log-log", "log", "plain")
REL, ABS_TIME, REL_COX = 1e-9, 1e-9, 1e-6

if importlib.util.find_spec("evidencegui.cli.analyze") is None:
    pytest.skip("evidencegui.cli.analyze does not exist yet (the analyze command is being "
                "written); these tests compare it with R once it does", allow_module_level=True)


def _lst(v):
    return v if isinstance(v, list) else [v]


def _num(x: float) -> str:
    return repr(int(x)) if float(x).is_integer() else repr(float(x))


@functools.lru_cache(maxsize=None)
def run(name: str, ct: str, tau: float | None):
    ds = DATASETS[name]
    cmd = [sys.executable, "-m", "evidencegui", "analyze", str(R_DIR / ds["csv"]),
           "--time", "time", "--event", "event", "--arm", "arm", "--control", ds["control"],
           "--landmarks", ",".join(_num(t) for t in _lst(ds["landmarks"])),
           "--ci-method", ct, "--json"]
    if tau is not None:
        cmd[7:7] = ["--tau", _num(tau)]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    if p.returncode != 0 and ("invalid choice" in p.stderr or "unknown command" in p.stderr):
        pytest.skip(f"the analyze command is not available yet: {p.stderr.strip()[-200:]}")
    assert p.returncode == 0, f"{' '.join(cmd)}\nexit {p.returncode}\n{p.stderr}"
    return json.loads(p.stdout)


def _f(v):
    return math.nan if v is None else float(v)


def check(key, ours, ref, rel=REL, abs_=0.0):
    ours, ref = _f(ours), _f(ref)
    if math.isnan(ref):
        assert math.isnan(ours), f"{key}: CLI {ours!r}, R NA (null)"
        return
    assert not math.isnan(ours), f"{key}: CLI null, R {ref!r}"
    assert abs(ours - ref) <= max(rel * abs(ref), abs_), \
        f"{key}: CLI {ours!r}, R {ref!r} (rel {abs(ours - ref) / max(abs(ref), 1e-300):.3g})"


def _pair(v):
    assert isinstance(v, list) and len(v) == 2, f"expected [lower, upper], got {v!r}"
    return v


# every CI method on the named sets; the small random trials (rnd_*) with log-log only
RUNS = [(name, ct, None) for name in DATASETS for ct in CONF_TYPES
        if ct == "log-log" or not name.startswith("rnd_")] + \
       [(name, "log-log", tau) for name, ds in DATASETS.items() for tau in _lst(ds["taus"])[1:]]


@pytest.mark.parametrize("case", RUNS, ids=lambda c: f"{c[0]}-{c[1]}-tau{c[2]}")
def test_analyze_matches_r(case):
    name, ct, tau = case
    ds = DATASETS[name]
    out = run(name, ct, tau)
    tau_used = ds["tau_default"] if tau is None else tau
    assert out["ci_method"] == ct
    check(f"{name} tau", out["tau"], tau_used, abs_=ABS_TIME)
    j_tau = _lst(ds["taus"]).index(tau_used)

    arms = {a["arm"]: a for a in out["arms"]}
    assert set(arms) == set(_lst(ds["arms"])), f"{name}: arms {sorted(arms)}"
    for ref in ds["conf"][ct]["arms"]:
        a = arms[ref["arm"]]
        w = f"{name}/{ref['arm']}/{ct}"
        assert a["n"] == ref["n"] and a["events"] == ref["events"], w
        # print(fit) / summary(fit)$table: median, LCL, UCL (see survival.median)
        tab = ref["table"]
        check(f"{w} median", a["median"], tab["median"], 0, ABS_TIME)
        lo, hi = _pair(a["median_ci"])
        check(f"{w} median_ci[0]", lo, tab["lcl"], 0, ABS_TIME)
        check(f"{w} median_ci[1]", hi, tab["ucl"], 0, ABS_TIME)

        # extra keys beyond CLI.md, when present: quartiles with CIs (quantile.survfit)
        q = ref["quantile"]
        for j, key in ((0, "quantile_25"), (2, "quantile_75")):
            if key in a:
                check(f"{w} {key}", a[key], _lst(q["estimate"])[j], 0, ABS_TIME)
                qlo, qhi = _pair(a[f"{key}_ci"])
                check(f"{w} {key}_ci[0]", qlo, _lst(q["lower"])[j], 0, ABS_TIME)
                check(f"{w} {key}_ci[1]", qhi, _lst(q["upper"])[j], 0, ABS_TIME)

        surv = {float(s["time"]): s for s in a["survival"]}
        for lm in ref["landmarks"]:
            s = surv[float(lm["time"])]
            r = lm["summary"]
            ww = f"{w} survival t={lm['time']}"
            slo, shi = _pair(s["ci"])
            if r["surv"] is None and lm["extend"]["surv"] == 0:
                # past the last time of a curve that reached 0: R's summary() gives nothing,
                # extend=TRUE gives 0; either is right
                assert s["estimate"] in (None, 0), ww
                continue
            check(f"{ww} estimate", s["estimate"], r["surv"])
            check(f"{ww} ci[0]", slo, r["lower"])
            check(f"{ww} ci[1]", shi, r["upper"])

        rm = ref["rmst"][j_tau]
        if rm.get("error"):
            # R refuses a tau before the arm's first time; S = 1 up to tau: RMST = tau
            check(f"{w} rmst tau={tau_used} (before the first time)", a["rmst"], tau_used)
            continue
        check(f"{w} rmst tau={tau_used}", a["rmst"], rm["rmean"])
        check(f"{w} rmst_se tau={tau_used}", a["rmst_se"], rm["se"])

    comps = {c["arm"]: c for c in out["comparisons"]}
    assert set(comps) == {c["arm"] for c in ds["comparisons"]}, f"{name}: comparisons"
    for ref in ds["comparisons"]:
        c = comps[ref["arm"]]
        w = f"{name}/{ref['arm']} vs {ref['control']}"
        assert c["control"] == ref["control"], w
        if ref["cox"]["warning"] is not None:
            # "coefficient may be infinite" / "did not converge": no HR
            assert c["hr"] is None, f"{w}: R warns {ref['cox']['warning']!r}; CLI {c['hr']!r}"
        else:
            check(f"{w} hr", c["hr"], ref["cox"]["hr"], REL_COX)
            hlo, hhi = _pair(c["hr_ci"])
            check(f"{w} hr_ci[0]", hlo, ref["cox"]["lower"], REL_COX)
            check(f"{w} hr_ci[1]", hhi, ref["cox"]["upper"], REL_COX)
            if "hr_p" in c:      # beyond CLI.md: the Wald p
                check(f"{w} hr_p", c["hr_p"], ref["cox"]["p"], REL_COX)
        # median gain and ratio from R's medians (null when either is not reached)
        med = {r["arm"]: r["table"]["median"] for r in ds["conf"][ct]["arms"]}
        me, mc = med[ref["arm"]], med[ref["control"]]
        check(f"{w} median_gain", c["median_gain"],
              None if me is None or mc is None else me - mc, 0, ABS_TIME)
        check(f"{w} median_ratio", c["median_ratio"],
              None if me is None or mc is None or mc == 0 else me / mc)
        if ref["logrank"]["chisq"] is None or ref["logrank"]["df"] < 1:
            # no events / singular variance: survdiff has no test; the CLI gives none or p 1
            assert c["logrank_p"] in (None, 1.0), w
        else:
            check(f"{w} logrank_chisq", c["logrank_chisq"], ref["logrank"]["chisq"])
            check(f"{w} logrank_p", c["logrank_p"], ref["logrank"]["p"])

        rd = ref["rmst_difference"][j_tau]
        if rd.get("error"):      # tau before an arm's first time: R refuses
            continue
        check(f"{w} rmst_difference", c["rmst_difference"], rd["difference"], abs_=1e-12)
        dlo, dhi = _pair(c["rmst_difference_ci"])
        check(f"{w} rmst_difference_ci[0]", dlo, rd["lower"], abs_=1e-12)
        check(f"{w} rmst_difference_ci[1]", dhi, rd["upper"], abs_=1e-12)
        check(f"{w} rmst_ratio", c["rmst_ratio"], rd["ratio"])

        sdiff = {float(s["time"]): s for s in c["survival_difference"]}
        for sd in ref["survival_difference"]:
            s = sdiff[float(sd["time"])]
            ww = f"{w} survival_difference t={sd['time']}"
            if sd["difference"] is None:
                continue      # past one arm's follow-up (see test_survival_vs_r)
            check(f"{ww} difference", s["difference"], sd["difference"], abs_=1e-12)
            if sd["se"] is None:
                continue      # an arm's S is 0 there: R's SE is NaN, ours 0 (see core tests)
            slo, shi = _pair(s["ci"])
            check(f"{ww} ci[0]", slo, sd["lower"], abs_=1e-12)
            check(f"{ww} ci[1]", shi, sd["upper"], abs_=1e-12)
