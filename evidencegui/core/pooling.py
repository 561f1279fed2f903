"""Pooling of hazard ratios on the log scale: a forest plot's numbers.

Inverse-variance common (fixed) effect; random effects with REML (default; Fisher scoring on the
restricted likelihood) or DerSimonian–Laird; Cochran's Q, I² (Higgins & Thompson 2002, as a
fraction), tau²; the Hartung–Knapp–Sidik–Jonkman interval (metafor ``test="knha"``, no
truncation); the prediction interval (t with k − 2 df, Higgins 2009); groups pooled separately and
the Q test for group differences. Definitions are those of CLI.md (`pool`), checked against R's
metafor by tests/core/test_pooling_vs_metafor.py. Pure: numpy (inside functions) and
core.distributions (no scipy: it is left out of the frozen program).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from evidencegui.core.distributions import chi2_sf_large, t_ppf
from evidencegui.core.errors import InputError

Z975 = 1.959963984540054          # standard normal 97.5% quantile
METHODS = ("REML", "DL")
MAX_ABS_LOG_HR = 46.0             # HRs between 1e-20 and 1e20
MAX_SE = 10.0                     # a 95% CI spanning more than a factor e^39 is not a result


class PoolingInputError(InputError):
    """A study that cannot be pooled. ``row`` is the 1-based row of the input table (header =
    row 1) or, for studies not read from a table, the study's name; ``field`` the column."""

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if isinstance(self.row, str):
            where.append(f"study {self.row!r}")
        elif self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        return (", ".join(where) + ": " + self.message) if where else self.message


# ----------------------------------------------------------------------------- inputs

@dataclass(frozen=True)
class Study:
    """One row of a forest plot: a log hazard ratio and its standard error."""
    name: str
    log_hr: float
    se: float
    group: str | None = None
    hr_ci: tuple[float, float] | None = None    # as reported; else exp(log_hr ± z·se)
    source: str = ""
    row: int | str | None = None                # where it came from (table row), for messages

    @property
    def hr(self) -> float:
        return math.exp(self.log_hr)

    def ci(self) -> tuple[float, float]:
        """The 95% CI of the HR: as reported, else exp(log_hr ± 1.959964·se)."""
        if self.hr_ci is not None:
            return self.hr_ci
        return (math.exp(self.log_hr - Z975 * self.se), math.exp(self.log_hr + Z975 * self.se))


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def study_from_hr(name: str, hr: Any, lower: Any, upper: Any, group: str | None = None,
                  row: int | str | None = None, source: str = "") -> Study:
    """A Study from an HR and its 95% CI: SE = (ln upper − ln lower) / (2·1.959964).

    Raises PoolingInputError naming the row (or the study) and the field for an HR ≤ 0, a missing
    bound, a CI that does not contain its HR, or lower == upper."""
    where = row if row is not None else name
    for fld, v in (("hr", hr), ("hr_lower", lower), ("hr_upper", upper)):
        if v is None:
            what = "the hazard ratio" if fld == "hr" else "this limit of the 95% CI"
            raise PoolingInputError(f"{what} is missing", row=where, field=fld)
        if not _finite(v):
            raise PoolingInputError(f"must be a number, not {v!r}", row=where, field=fld)
        if v <= 0:
            raise PoolingInputError(f"a hazard ratio must be > 0, not {v:g}", row=where, field=fld)
    if lower > hr:
        raise PoolingInputError(f"lower limit {lower:g} is above the HR {hr:g}; the CI must "
                                "contain its estimate", row=where, field="hr_lower")
    if upper < hr:
        raise PoolingInputError(f"upper limit {upper:g} is below the HR {hr:g}; the CI must "
                                "contain its estimate", row=where, field="hr_upper")
    if lower == upper:
        raise PoolingInputError(f"the CI {lower:g}–{upper:g} has no width, so the standard error "
                                "would be 0", row=where, field="hr_upper")
    se = (math.log(upper) - math.log(lower)) / (2.0 * Z975)
    study = Study(str(name), math.log(hr), se, group, (float(lower), float(upper)), source, row)
    _check_study(study)
    return study


def study_from_log(name: str, log_hr: Any, se: Any, group: str | None = None,
                   row: int | str | None = None, source: str = "") -> Study:
    """A Study from a log HR and its SE (checked like study_from_hr)."""
    study = Study(str(name), log_hr, se, group, None, source, row)
    _check_study(study)
    return Study(study.name, float(log_hr), float(se), group, None, source, row)


def _check_study(s: Study) -> None:
    where = s.row if s.row is not None else s.name
    if s.log_hr is None:
        raise PoolingInputError("the log hazard ratio is missing", row=where, field="log_hr")
    if s.se is None:
        raise PoolingInputError("the standard error is missing", row=where, field="se")
    if not _finite(s.log_hr):
        raise PoolingInputError(f"must be a finite number, not {s.log_hr!r}", row=where,
                                field="log_hr")
    if not _finite(s.se):
        raise PoolingInputError(f"must be a finite number, not {s.se!r}", row=where, field="se")
    if s.se <= 0:
        raise PoolingInputError(f"a standard error must be > 0, not {s.se:g}", row=where,
                                field="se")
    if abs(s.log_hr) > MAX_ABS_LOG_HR:
        raise PoolingInputError(f"the HR {math.exp(min(s.log_hr, 700)):.3g} lies outside "
                                "1e-20 … 1e20", row=where, field="hr" if s.hr_ci else "log_hr")
    if s.se > MAX_SE:
        raise PoolingInputError(f"the standard error {s.se:.3g} is implausibly large (above "
                                f"{MAX_SE:g} on the log scale)", row=where,
                                field="hr_upper" if s.hr_ci else "se")


# ----------------------------------------------------------------------------- results

@dataclass(frozen=True)
class Estimate:
    hr: float
    hr_ci: tuple[float, float]
    log_hr: float
    se: float
    p: float                                     # two-sided, z-test


@dataclass(frozen=True)
class RandomEstimate(Estimate):
    method: str = "REML"                         # "REML" or "DL"
    tau2: float = 0.0
    hksj_ci: tuple[float, float] | None = None   # None for k = 1
    prediction_interval: tuple[float, float] | None = None   # None for k < 3
    iterations: int = 0                          # REML: Fisher scoring steps taken


@dataclass(frozen=True)
class Heterogeneity:
    q: float
    df: int
    p: float | None                              # None for df = 0
    i2: float | None                             # fraction in [0, 1); None for df = 0


@dataclass(frozen=True)
class WeightedStudy:
    study: Study
    weight_fixed: float                          # fractions, sum 1
    weight_random: float


@dataclass(frozen=True)
class GroupResult:
    group: str
    k: int
    fixed: Estimate
    random: RandomEstimate
    heterogeneity: Heterogeneity


@dataclass(frozen=True)
class PoolResult:
    studies: list[WeightedStudy]
    fixed: Estimate
    random: RandomEstimate
    heterogeneity: Heterogeneity
    groups: list[GroupResult] | None = None
    group_difference: dict | None = None         # {"fixed": {q, df, p}, "random": {q, df, p}}

    @property
    def k(self) -> int:
        return len(self.studies)


# ----------------------------------------------------------------------------- distributions

def _p_normal(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0))


def _p_chi2(q: float, df: int) -> float | None:
    if df <= 0:
        return None
    return chi2_sf_large(max(q, 0.0), df)


def _t975(df: int) -> float:
    return t_ppf(0.975, df)


# ----------------------------------------------------------------------------- the models

def _estimate(y, w, extra: dict | None = None, cls=Estimate) -> Estimate:
    sw = float(w.sum())
    mu = float((w * y).sum() / sw)
    se = math.sqrt(1.0 / sw)
    return cls(math.exp(mu), (math.exp(mu - Z975 * se), math.exp(mu + Z975 * se)), mu, se,
               _p_normal(mu / se), **(extra or {}))


def _q(y, v) -> float:
    w = 1.0 / v
    mu = (w * y).sum() / w.sum()
    return float((w * (y - mu) ** 2).sum())


def tau2_dl(y, v) -> float:
    """DerSimonian–Laird: max(0, (Q − (k − 1)) / (Σw − Σw²/Σw))."""
    k = len(y)
    if k < 2:
        return 0.0
    w = 1.0 / v
    c = float(w.sum() - (w ** 2).sum() / w.sum())
    return max(0.0, (_q(y, v) - (k - 1)) / c) if c > 0 else 0.0


def _reml_score(y, v, tau2: float) -> tuple[float, float]:
    """Score (× 2) of the restricted log-likelihood in tau² and its Fisher information (× 2):
    Y'PPY − tr P and tr PP, with P = W − w w' / Σw for the intercept-only model."""
    w = 1.0 / (v + tau2)
    sw = w.sum()
    mu = (w * y).sum() / sw
    r = w * (y - mu)                             # P y
    sw2, sw3 = (w ** 2).sum(), (w ** 3).sum()
    tr_p = sw - sw2 / sw
    tr_pp = sw2 - 2.0 * sw3 / sw + (sw2 / sw) ** 2
    return float((r ** 2).sum() - tr_p), float(tr_pp)


def _reml_loglik(y, v, tau2: float) -> float:
    """Restricted log-likelihood of the intercept-only model, up to a constant."""
    import numpy as np
    w = 1.0 / (v + tau2)
    sw = w.sum()
    mu = (w * y).sum() / sw
    return float(-0.5 * (np.log(v + tau2).sum() + math.log(sw) + (w * (y - mu) ** 2).sum()))


def tau2_reml(y, v) -> tuple[float, int]:
    """REML tau² by Fisher scoring (as metafor), from the DL estimate, step-halving to stay
    ≥ 0; (tau², iterations). Where scoring has not settled after 100 steps the root of the score
    is bracketed around the last iterate and bisected; the boundary tau² = 0 is taken when its
    restricted likelihood is at least as high."""
    if len(y) < 2:
        return 0.0, 0
    tau2 = tau2_dl(y, v)
    converged = False
    it = 0
    for it in range(1, 101):
        score, info = _reml_score(y, v, tau2)
        if not info > 0:
            break
        adj = score / info
        while tau2 + adj < 0:
            adj /= 2.0
        tau2 += adj
        if abs(adj) <= 1e-12 + 1e-10 * tau2:
            converged = True
            break
    if not converged:
        tau2 = _reml_root_near(y, v, tau2)
    if tau2 > 0 and _reml_score(y, v, 0.0)[0] <= 0 and \
            _reml_loglik(y, v, 0.0) >= _reml_loglik(y, v, tau2):
        tau2 = 0.0
    return max(tau2, 0.0), it


def _reml_root_near(y, v, t: float) -> float:
    """A root of the REML score near t where the score falls through zero (a maximum), by
    bracketing and bisection; 0 when the score is negative all the way down to 0."""
    t = max(t, 0.0)
    if _reml_score(y, v, t)[0] > 0:
        lo, hi = t, 2.0 * t + 1e-8
        while _reml_score(y, v, hi)[0] > 0:
            lo, hi = hi, 2.0 * hi
            if hi > 1e12:
                return hi
    else:
        lo, hi = t / 2.0, t
        while _reml_score(y, v, lo)[0] <= 0:
            lo, hi = lo / 2.0, lo
            if lo < 1e-300:
                return 0.0
    for _ in range(300):
        mid = 0.5 * (lo + hi)
        if _reml_score(y, v, mid)[0] > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * hi:
            break
    return 0.5 * (lo + hi)


def _heterogeneity(y, v) -> Heterogeneity:
    k = len(y)
    df = k - 1
    q = _q(y, v) if k > 1 else 0.0
    if df == 0:
        return Heterogeneity(q, 0, None, None)
    i2 = max(0.0, (q - df) / q) if q > 0 else 0.0
    return Heterogeneity(q, df, _p_chi2(q, df), i2)


def _random(y, v, method: str) -> RandomEstimate:
    k = len(y)
    if method == "REML":
        tau2, iterations = tau2_reml(y, v)
    else:
        tau2, iterations = tau2_dl(y, v), 0
    w = 1.0 / (v + tau2)
    est = _estimate(y, w, {"method": method, "tau2": tau2, "iterations": iterations},
                    RandomEstimate)
    hksj = pred = None
    if k >= 2:
        # Hartung–Knapp: variance scaled by the weighted residual variance, t with k − 1 df.
        s2 = float((w * (y - est.log_hr) ** 2).sum()) / (k - 1)
        se_h = math.sqrt(s2 / float(w.sum()))
        t = _t975(k - 1)
        hksj = (math.exp(est.log_hr - t * se_h), math.exp(est.log_hr + t * se_h))
    if k >= 3:
        t = _t975(k - 2)
        half = t * math.sqrt(tau2 + est.se ** 2)
        pred = (math.exp(est.log_hr - half), math.exp(est.log_hr + half))
    return RandomEstimate(est.hr, est.hr_ci, est.log_hr, est.se, est.p, method, tau2, hksj, pred,
                          iterations)


def _arrays(studies: Sequence[Study]):
    import numpy as np
    y = np.fromiter((s.log_hr for s in studies), float, len(studies))
    v = np.fromiter((s.se * s.se for s in studies), float, len(studies))
    return y, v


def _check_all(studies: Sequence[Study], method: str) -> None:
    if method not in METHODS:
        raise PoolingInputError(f"unknown method {method!r}; use REML or DL", field="method")
    if not studies:
        raise PoolingInputError("there is no study to pool")
    seen: dict[tuple, Any] = {}
    grouped = [s.group is not None and str(s.group).strip() != "" for s in studies]
    any_grouped = any(grouped)
    for i, s in enumerate(studies):
        if not isinstance(s, Study):
            raise PoolingInputError(f"item {i + 1} is not a Study", row=i + 1)
        _check_study(s)
        where = s.row if s.row is not None else s.name
        if any_grouped and not grouped[i]:
            raise PoolingInputError("some studies have a group and this one has none; give "
                                    "every study a group, or none", row=where, field="group")
        # The same name may appear twice (two reports by one author); the same name with the
        # same numbers is a row entered twice, which would double its weight.
        key = (s.group, s.name, s.log_hr, s.se)
        if key in seen:
            also = seen[key]
            raise PoolingInputError(
                f"the study {s.name!r} is given twice with the same numbers"
                + (f" (also row {also})" if isinstance(also, int) else "")
                + "; a study counted twice would get double weight", row=where, field="study")
        seen[key] = s.row


def _pool_plain(studies: Sequence[Study], method: str):
    y, v = _arrays(studies)
    fixed = _estimate(y, 1.0 / v)
    random = _random(y, v, method)
    return y, v, fixed, random, _heterogeneity(y, v)


def _q_between(estimates: list[Estimate]) -> dict:
    import numpy as np
    y = np.array([e.log_hr for e in estimates])
    v = np.array([e.se ** 2 for e in estimates])
    df = len(estimates) - 1
    q = _q(y, v) if df > 0 else 0.0
    return {"q": q, "df": df, "p": _p_chi2(q, df)}


def pool(studies: Sequence[Study], method: str = "REML") -> PoolResult:
    """Pool the studies; with groups, each group too, and the test for group differences."""
    method = str(method).upper()
    studies = list(studies)
    _check_all(studies, method)
    y, v, fixed, random, het = _pool_plain(studies, method)
    wf = (1.0 / v) / (1.0 / v).sum()
    wr_raw = 1.0 / (v + random.tau2)
    wr = wr_raw / wr_raw.sum()
    weighted = [WeightedStudy(s, float(a), float(b)) for s, a, b in zip(studies, wf, wr)]
    groups = diff = None
    if studies[0].group is not None and str(studies[0].group).strip() != "":
        order: dict[str, list[Study]] = {}
        for s in studies:
            order.setdefault(str(s.group), []).append(s)
        groups = []
        for name, members in order.items():
            _, _, gf, gr, gh = _pool_plain(members, method)
            groups.append(GroupResult(name, len(members), gf, gr, gh))
        diff = {"fixed": _q_between([g.fixed for g in groups]),
                "random": _q_between([g.random for g in groups])}
    return PoolResult(weighted, fixed, random, het, groups, diff)


# ----------------------------------------------------------------------------- JSON (CLI.md)

def _pair(x) -> list | None:
    return None if x is None else [x[0], x[1]]


def _fixed_json(e: Estimate) -> dict:
    return {"hr": e.hr, "hr_ci": _pair(e.hr_ci), "se": e.se, "p": e.p, "log_hr": e.log_hr}


def _random_json(e: RandomEstimate) -> dict:
    return {"method": e.method, "hr": e.hr, "hr_ci": _pair(e.hr_ci), "se": e.se, "p": e.p,
            "tau2": e.tau2, "hksj_ci": _pair(e.hksj_ci),
            "prediction_interval": _pair(e.prediction_interval), "log_hr": e.log_hr}


def _het_json(h: Heterogeneity) -> dict:
    return {"q": h.q, "df": h.df, "p": h.p, "i2": h.i2}


def to_json(result: PoolResult) -> dict:
    """The `pool --json` document of CLI.md."""
    doc: dict[str, Any] = {
        "studies": [{"study": w.study.name, "group": w.study.group, "hr": w.study.hr,
                     "hr_ci": _pair(w.study.ci()), "log_hr": w.study.log_hr, "se": w.study.se,
                     "weight_fixed": w.weight_fixed, "weight_random": w.weight_random}
                    for w in result.studies],
        "fixed": _fixed_json(result.fixed),
        "random": _random_json(result.random),
        "heterogeneity": _het_json(result.heterogeneity),
    }
    if result.groups is not None:
        doc["groups"] = [{"group": g.group, "k": g.k, "fixed": _fixed_json(g.fixed),
                          "random": _random_json(g.random),
                          "heterogeneity": _het_json(g.heterogeneity)} for g in result.groups]
        doc["group_difference"] = result.group_difference
    return doc
