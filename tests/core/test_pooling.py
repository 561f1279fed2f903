"""core.pooling beyond the metafor references: bad input named by row and field, the edge cases
the issue lists (k = 1, tau² = 0, identical studies, a group of one, 1,000 studies), the JSON
document of CLI.md, and the t / chi-square tails of core.distributions against scipy."""
import json
import math
import random

import pytest

from evidencegui.core import distributions as dist
from evidencegui.core.pooling import (PoolingInputError, Study, pool, study_from_hr,
                                      study_from_log, to_json)

CDK = [("PALOMA-2", 0.58, 0.46, 0.72), ("MONALEESA-2", 0.56, 0.43, 0.72),
       ("MONARCH 3", 0.54, 0.41, 0.72)]


def cdk():
    return [study_from_hr(n, h, lo, hi) for n, h, lo, hi in CDK]


@pytest.mark.parametrize("args,field,words", [
    ((0, 0.5, 0.9), "hr", "> 0"),
    ((-0.5, 0.5, 0.9), "hr", "> 0"),
    ((0.7, 0, 0.9), "hr_lower", "> 0"),
    ((0.7, 0.75, 0.9), "hr_lower", "contain"),
    ((0.7, 0.5, 0.65), "hr_upper", "contain"),
    ((0.7, None, 0.9), "hr_lower", "missing"),
    ((None, 0.5, 0.9), "hr", "missing"),
    ((0.7, 0.7, 0.7), "hr_upper", "no width"),
    ((0.7, float("nan"), 0.9), "hr_lower", "number"),
    ((1e-30, 1e-31, 1e-29), "hr", "outside"),
])
def test_bad_hr_rows_name_row_and_field(args, field, words):
    with pytest.raises(PoolingInputError) as ei:
        study_from_hr("X", *args, row=7)
    assert ei.value.row == 7 and ei.value.field == field
    assert words in str(ei.value) and "row 7" in str(ei.value)


def test_missing_or_bad_se():
    for se, words in ((None, "missing"), (0.0, "> 0"), (-1.0, "> 0"), (float("inf"), "finite")):
        with pytest.raises(PoolingInputError) as ei:
            study_from_log("S", -0.3, se)
        assert ei.value.field == "se" and words in str(ei.value)
        assert "study 'S'" in str(ei.value)       # no table row: the study is named
    with pytest.raises(PoolingInputError):
        pool([Study("S", -0.3, 0.0)])            # a Study built by hand is checked too


def test_no_studies_and_unknown_method():
    with pytest.raises(PoolingInputError, match="no study"):
        pool([])
    with pytest.raises(PoolingInputError) as ei:
        pool(cdk(), "PM")
    assert ei.value.field == "method"
    assert pool(cdk(), "dl").random.method == "DL"


def test_one_study_pools_to_itself():
    s = study_from_hr("only", 0.7, 0.55, 0.89)
    r = pool([s])
    for est in (r.fixed, r.random):
        assert est.hr == pytest.approx(0.7) and est.se == pytest.approx(s.se)
    assert r.random.tau2 == 0 and r.random.hksj_ci is None and r.random.prediction_interval is None
    assert (r.heterogeneity.df, r.heterogeneity.p, r.heterogeneity.i2) == (0, None, None)
    assert r.studies[0].weight_fixed == r.studies[0].weight_random == 1.0
    json.dumps(to_json(r), allow_nan=False)


def test_identical_numbers_give_tau2_zero_and_the_same_row_twice_is_refused():
    same = [study_from_log(n, math.log(0.8), 0.1) for n in "abc"]
    r = pool(same)
    assert r.random.tau2 == 0 and r.heterogeneity.q == pytest.approx(0, abs=1e-20)
    assert r.heterogeneity.i2 == 0 and r.fixed.hr == pytest.approx(0.8)
    with pytest.raises(PoolingInputError) as ei:
        pool([study_from_log("a", -0.2, 0.1, row=2), study_from_log("a", -0.2, 0.1, row=5)])
    assert ei.value.row == 5 and ei.value.field == "study" and "row 2" in str(ei.value)
    # the same name with other numbers is two reports (dat.bcg has two "Rosenthal et al")
    assert pool([study_from_log("a", -0.2, 0.1), study_from_log("a", -0.4, 0.2)]).k == 2


def test_groups_need_a_group_on_every_row_and_a_group_of_one_is_fine():
    s = [study_from_log("A1", -0.5, 0.1, "A"), study_from_log("A2", -0.3, 0.15, "A"),
         study_from_log("B1", 0.1, 0.2, "B")]
    r = pool(s)
    b = next(g for g in r.groups if g.group == "B")
    assert b.k == 1 and b.fixed.hr == pytest.approx(math.exp(0.1)) and b.random.tau2 == 0
    assert r.group_difference["fixed"]["df"] == 1
    with pytest.raises(PoolingInputError) as ei:
        pool(s + [study_from_log("C1", 0.0, 0.2, None, row=9)])
    assert ei.value.row == 9 and ei.value.field == "group"
    assert pool(cdk()).groups is None and "groups" not in to_json(pool(cdk()))


def test_cli_md_example_numbers():
    doc = to_json(pool(cdk()))
    assert doc["fixed"]["hr"] == pytest.approx(0.563, abs=5e-4)
    assert doc["fixed"]["hr_ci"] == pytest.approx([0.487, 0.651], abs=5e-4)
    assert doc["fixed"]["p"] == pytest.approx(7.7e-15, rel=0.01)
    assert doc["random"]["hksj_ci"] == pytest.approx([0.515, 0.615], abs=5e-4)
    assert doc["random"]["prediction_interval"] == pytest.approx([0.22, 1.44], abs=5e-3)
    assert doc["heterogeneity"] == pytest.approx({"q": 0.154, "df": 2, "p": 0.926, "i2": 0.0},
                                                 abs=5e-4)
    assert doc["studies"][0]["hr_ci"] == [0.46, 0.72]        # as reported
    assert list(doc) == ["studies", "fixed", "random", "heterogeneity"]


def test_a_thousand_studies_extreme_but_valid_values():
    rng = random.Random(1)
    s = [study_from_log(f"s{i}", rng.gauss(-0.2, 0.5), rng.uniform(0.01, 3.0)) for i in range(1000)]
    s.append(study_from_hr("tight", 0.5, 0.4999, 0.5001))
    for method in ("REML", "DL"):
        r = pool(s, method)
        text = json.dumps(to_json(r), allow_nan=False)      # never NaN or Infinity
        assert r.random.tau2 > 0 and r.heterogeneity.df == 1000 and "NaN" not in text
        assert sum(w.weight_random for w in r.studies) == pytest.approx(1.0)


def test_distributions_against_scipy():
    stats = pytest.importorskip("scipy.stats")
    for df in (1, 2, 3, 7, 30, 999, 10000):
        for p in (0.6, 0.975, 0.9999):
            assert dist.t_ppf(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-10)
        for x in (0.001, 0.7, df * 0.5, df, df * 2 + 30):
            assert dist.chi2_sf_large(x, df) == pytest.approx(stats.chi2.sf(x, df), rel=1e-9)
    assert dist.t_ppf(0.025, 5) == pytest.approx(-stats.t.ppf(0.975, 5), rel=1e-10)


def test_reml_is_the_maximum_of_the_restricted_likelihood_on_random_sets():
    """Oracle: a brute-force grid over tau² (0 and 4,000 log-spaced points) of the restricted
    log-likelihood; our tau² is never worse. Includes sets where Fisher scoring converges slowly
    and sets whose score is negative at 0 but that have an interior maximum."""
    import numpy as np
    from evidencegui.core.pooling import _reml_loglik, tau2_reml
    rng = np.random.default_rng(5)
    grid = np.concatenate([[0.0], np.logspace(-9, 3, 4000)])
    for _ in range(400):
        k = int(rng.integers(2, 30))
        v = rng.uniform(1e-4, 2, k) ** rng.uniform(0.5, 3)
        y = rng.normal(0, rng.uniform(0, 3), k)
        w = 1.0 / (v[None, :] + grid[:, None])
        mu = (w * y).sum(1) / w.sum(1)
        ll = -0.5 * (np.log(v[None, :] + grid[:, None]).sum(1) + np.log(w.sum(1))
                     + (w * (y[None, :] - mu[:, None]) ** 2).sum(1))
        tau2, _ = tau2_reml(y, v)
        assert tau2 >= 0 and _reml_loglik(y, v, tau2) >= ll.max() - 1e-9
