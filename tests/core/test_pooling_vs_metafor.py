"""core.pooling against R's metafor: reference values made by tests/fixtures/metafor/make_reference.R
(8 datasets × REML and DL: fixed and random estimates, CIs, p, Q, I², tau², HKSJ, prediction
intervals, weights, groups and the group-difference tests).

Tolerances (issue 11): 1e-4 relative on HRs, CIs, p, Q, I² and weights; 1e-3 relative on tau² and
the HKSJ interval; values that are 0 in R are compared with an absolute 1e-10 (tau², Q, I²)."""
import csv
import math
from collections import defaultdict
from pathlib import Path

import pytest

from evidencegui.core.pooling import pool, study_from_log

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "metafor"


def _datasets():
    out = defaultdict(list)
    with open(HERE / "datasets.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out[r["dataset"]].append(study_from_log(r["study"], float(r["yi"]), float(r["sei"]),
                                                    r["group"] or None))
    return out


def _reference():
    out = defaultdict(dict)
    with open(HERE / "reference.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out[(r["dataset"], r["method"])][r["quantity"]] = float(r["value"])
    return out


DATA = _datasets()
REF = _reference()
CASES = sorted(REF)


def close(ours, theirs, rel, what):
    assert ours is not None, f"{what}: None, metafor {theirs}"
    if theirs == 0:
        assert abs(ours) <= 1e-10, f"{what}: {ours} vs 0"
    else:
        assert ours == pytest.approx(theirs, rel=rel), f"{what}: {ours} vs metafor {theirs}"


def check_block(ref, prefix, fixed, random, het, k, label):
    exp = math.exp
    g = lambda q: ref[prefix + q]  # noqa: E731
    close(fixed.hr, exp(g("fixed.est")), 1e-4, f"{label} fixed HR")
    close(fixed.hr_ci[0], exp(g("fixed.ci.lb")), 1e-4, f"{label} fixed CI lower")
    close(fixed.hr_ci[1], exp(g("fixed.ci.ub")), 1e-4, f"{label} fixed CI upper")
    close(fixed.se, g("fixed.se"), 1e-4, f"{label} fixed SE")
    close(fixed.p, g("fixed.pval"), 1e-4, f"{label} fixed p")
    close(het.q, g("Q"), 1e-4, f"{label} Q")
    assert het.df == k - 1
    if k > 1:
        close(het.p, g("Qp"), 1e-4, f"{label} Q p")
        close(het.i2, g("I2"), 1e-4, f"{label} I2")
    else:
        assert het.p is None and het.i2 is None
    close(random.tau2, g("tau2"), 1e-3, f"{label} tau2")
    close(random.hr, exp(g("random.est")), 1e-4, f"{label} random HR")
    close(random.hr_ci[0], exp(g("random.ci.lb")), 1e-4, f"{label} random CI lower")
    close(random.hr_ci[1], exp(g("random.ci.ub")), 1e-4, f"{label} random CI upper")
    close(random.se, g("random.se"), 1e-4, f"{label} random SE")
    close(random.p, g("random.pval"), 1e-4, f"{label} random p")
    if k > 1:
        close(random.hksj_ci[0], exp(g("hksj.ci.lb")), 1e-3, f"{label} HKSJ lower")
        close(random.hksj_ci[1], exp(g("hksj.ci.ub")), 1e-3, f"{label} HKSJ upper")
    else:
        assert random.hksj_ci is None
    if k > 2:
        close(random.prediction_interval[0], exp(g("pi.lb")), 1e-4, f"{label} PI lower")
        close(random.prediction_interval[1], exp(g("pi.ub")), 1e-4, f"{label} PI upper")
    else:
        assert random.prediction_interval is None
    if prefix + "I2.metafor.DL" in ref:        # for DL, metafor's own I² is Higgins & Thompson's
        close(het.i2, g("I2.metafor.DL"), 1e-4, f"{label} I2 (metafor DL)")


@pytest.mark.parametrize("dataset,method", CASES, ids=[f"{d}-{m}" for d, m in CASES])
def test_matches_metafor(dataset, method):
    ref = REF[(dataset, method)]
    studies = DATA[dataset]
    res = pool(studies, method)
    assert res.random.method == method
    check_block(ref, "", res.fixed, res.random, res.heterogeneity, len(studies), dataset)
    for i, w in enumerate(res.studies if len(studies) <= 50 else [], start=1):
        close(w.weight_fixed, ref[f"weight_fixed.{i}"], 1e-4, f"{dataset} weight_fixed {i}")
        close(w.weight_random, ref[f"weight_random.{i}"], 1e-4, f"{dataset} weight_random {i}")
    assert sum(w.weight_fixed for w in res.studies) == pytest.approx(1.0, abs=1e-12)
    assert sum(w.weight_random for w in res.studies) == pytest.approx(1.0, abs=1e-12)
    if "between.fixed.Q" not in ref:
        assert res.groups is None and res.group_difference is None
        return
    for gr in res.groups:
        check_block(ref, f"group.{gr.group}.", gr.fixed, gr.random, gr.heterogeneity, gr.k,
                    f"{dataset} group {gr.group}")
    for model in ("fixed", "random"):
        d = res.group_difference[model]
        close(d["q"], ref[f"between.{model}.Q"], 1e-4, f"{dataset} between {model} Q")
        assert d["df"] == ref[f"between.{model}.df"]
        close(d["p"], ref[f"between.{model}.p"], 1e-4, f"{dataset} between {model} p")


def test_reference_covers_the_cases_the_issue_names():
    names = {d for d, _ in CASES}
    assert {"cdk46", "her2", "bcg", "single", "identical", "group_of_one", "sim1000"} <= names
    assert {m for _, m in CASES} == {"REML", "DL"}
    assert REF[("bcg_nogroups", "REML")]["tau2"] > 0.1       # a heterogeneous set
