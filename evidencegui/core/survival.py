"""Survival statistics on patient-level data: Kaplan–Meier, medians, RMST, log-rank, Cox HR.

Everything is computed on per-distinct-time counts (``np.unique`` + ``np.bincount``), in float64,
so a million tied observations take a fraction of a second and no integer product can overflow.
Conventions follow R's survival package (survfit, quantile.survfit, print(..., rmean=),
survdiff, coxph(ties="efron")); where we deviate it is said at the spot.

Times are in the unit of the input; probabilities are in [0, 1]. A value that does not exist
(a median not reached, a CI limit not reached) is ``None`` in the result objects; array fields
use NaN for it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from evidencegui.core.distributions import chi2_sf, norm_ppf, norm_sf

CI_METHODS = ("log-log", "log", "plain")
# R's quantile.survfit / findq tolerance: sqrt(.Machine$double.eps)
_TOL = math.sqrt(np.finfo(float).eps)


def _z(conf_level: float) -> float:
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level must be in (0, 1), got {conf_level}")
    return norm_ppf(1 - (1 - conf_level) / 2)


def _opt(v) -> float | None:
    """A float, or None where the value does not exist (NaN/inf)."""
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


# ----------------------------------------------------------------------------- Kaplan–Meier

@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan–Meier fit: one entry per distinct observed time (events or censorings), ascending.

    std_err is the Greenwood standard error of S (R's summary() std.err); lower/upper the
    pointwise CI by ``ci_method``. Where R's survfit gives NA we give NaN: S = 0 under log and
    log-log, S = 1 under log-log (a censoring before the first event: log(−log 1) does not
    exist), and the Greenwood SE after the curve reaches 0. log and plain give [1, 1] where
    S = 1, as R does; before the first time every method gives [1, 1] (evaluate()), as R's
    summary(fit, times=) does.
    """
    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    n_censor: np.ndarray
    survival: np.ndarray
    std_err: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    n: int
    events: int
    ci_method: str = "log-log"
    conf_level: float = 0.95
    # Greenwood sum Σ d/(n(n−d)): the variance of log S (R's survfit std.err is its square root)
    var_log: np.ndarray | None = None

    @property
    def max_time(self) -> float:
        """The largest observed time (event or censoring); NaN for an empty fit."""
        return float(self.time[-1]) if len(self.time) else math.nan

    def evaluate(self, t, extend: bool = False):
        """(survival, lower, upper, std_err) at times t, as the right-continuous step function.

        S = 1 (CI [1, 1], SE 0) before the first time. After the last observed time the curve is
        unknown (NaN) unless it has reached 0 (then it stays 0) or ``extend`` is True (then the
        last value is carried forward, as R's summary(..., extend=TRUE) does)."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        idx = np.searchsorted(self.time, t, side="right") - 1
        before = idx < 0
        safe = np.where(before, 0, idx)
        if len(self.time) == 0:
            ones, zeros = np.ones_like(t), np.zeros_like(t)
            return ones, ones.copy(), ones.copy(), zeros
        out = []
        for arr, start in ((self.survival, 1.0), (self.lower, 1.0), (self.upper, 1.0),
                           (self.std_err, 0.0)):
            v = np.where(before, start, arr[safe])
            out.append(v)
        beyond = t > self.time[-1]
        if beyond.any() and not extend and self.survival[-1] > 0:
            for v in out:
                v[beyond] = np.nan
        return tuple(out)

    def at_risk(self, t) -> np.ndarray:
        """Number of patients with time ≥ t."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        idx = np.searchsorted(self.time, t, side="left")
        nr = np.append(self.n_risk, 0)
        return nr[idx].astype(np.int64)


def _ci(surv: np.ndarray, se_log: np.ndarray, method: str, z: float):
    """Pointwise CI as R's survfit_confint (logse=TRUE, ulimit=TRUE)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if method == "plain":
            se2 = z * se_log * surv
            lower = np.maximum(surv - se2, 0.0)
            upper = np.minimum(surv + se2, 1.0)
            bad = ~np.isfinite(se2)           # S = 0 with infinite Greenwood sum: R gives NaN
            lower[bad] = np.nan
            upper[bad] = np.nan
        elif method == "log":
            xx = np.where(surv == 0, np.nan, surv)
            se2 = z * se_log
            lower = np.exp(np.log(xx) - se2)
            upper = np.minimum(np.exp(np.log(xx) + se2), 1.0)
        elif method == "log-log":
            xx = np.where((surv == 0) | (surv == 1), np.nan, surv)
            lx = np.log(xx)
            se2 = z * se_log / lx
            lower = np.exp(-np.exp(np.log(-lx) - se2))
            upper = np.exp(-np.exp(np.log(-lx) + se2))
        else:
            raise ValueError(f"ci_method must be one of {', '.join(CI_METHODS)}, got {method!r}")
    return lower, upper


def _as_arrays(time, event):
    t = np.asarray(time, dtype=float).ravel()
    e = np.asarray(event).ravel()
    if e.dtype == bool:
        e = e.astype(np.float64)
    else:
        e = e.astype(np.float64)
    if t.shape != e.shape:
        raise ValueError(f"time and event differ in length ({len(t)} and {len(e)})")
    if len(t) and (not np.all(np.isfinite(t)) or t.min() < 0):
        raise ValueError("times must be finite and ≥ 0")
    if len(e) and not np.all((e == 0) | (e == 1)):
        raise ValueError("events must be 0 or 1")
    return t, e


def _distinct_times(t: np.ndarray, timefix: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(distinct times ascending, index of each patient's time into them): np.unique(t,
    return_inverse=True), with R survival's aeqSurv when ``timefix`` (the default of survfit,
    survdiff and coxph): times that differ by at most sqrt(eps), absolutely or relative to the
    mean of the distinct times, are one tied time, the smallest of the run. Without it, times
    such as 0.1 + 0.2 and 0.3, or a day count divided by 30.4375 two ways, would be distinct
    here and tied in R. One sort: the runs are merged on the distinct times."""
    y, inv = np.unique(t, return_inverse=True)
    if not timefix or len(y) < 2:
        return y, inv
    dy = np.diff(y)
    scale = float(np.mean(np.abs(y)))
    tied = (dy <= _TOL) | ((dy / scale <= _TOL) if scale > 0 else False)
    if not np.any(tied):
        return y, inv
    start = np.concatenate([[True], ~tied])
    return y[start], (np.cumsum(start) - 1)[inv]


def kaplan_meier(time, event, ci_method: str = "log-log", conf_level: float = 0.95,
                 timefix: bool = True) -> KaplanMeier:
    """Kaplan–Meier estimate with Greenwood variance and a pointwise CI (R's conf.type names).
    ``timefix``: near-equal times are tied, as R's survfit does (see _distinct_times)."""
    if ci_method not in CI_METHODS:
        raise ValueError(f"ci_method must be one of {', '.join(CI_METHODS)}, got {ci_method!r}")
    z = _z(conf_level)
    t, e = _as_arrays(time, event)
    ut, inv = _distinct_times(t, timefix)
    total = np.bincount(inv, minlength=len(ut)).astype(np.float64)
    d = np.bincount(inv, weights=e, minlength=len(ut))
    n_risk = total[::-1].cumsum()[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1.0 - d / n_risk)
        g_terms = np.where(d > 0, d / (n_risk * (n_risk - d)), 0.0)   # n = d gives +inf, as R
        var_log = np.cumsum(g_terms)
        se_log = np.sqrt(var_log)
        std_err = surv * se_log
    std_err = np.where(np.isfinite(se_log), std_err, np.nan)
    lower, upper = _ci(surv, se_log, ci_method, z)
    return KaplanMeier(
        time=ut, n_risk=n_risk.astype(np.int64), n_event=d.astype(np.int64),
        n_censor=(total - d).astype(np.int64), survival=surv, std_err=std_err,
        lower=lower, upper=upper, n=int(len(t)), events=int(e.sum()),
        ci_method=ci_method, conf_level=conf_level, var_log=var_log)


# ----------------------------------------------------------------------------- quantiles

@dataclass(frozen=True)
class Quantile:
    """A survival-time quantile and its CI; None where not reached."""
    estimate: float | None
    lower: float | None
    upper: float | None
    p: float = 0.5


def _approx_const_right(xs: np.ndarray, ys: np.ndarray, v: float) -> float:
    """R's approx(xs, ys, v, method="constant", f=1, rule=1) (NA pairs dropped, xs sorted)."""
    ok = ~np.isnan(xs)
    xs, ys = xs[ok], ys[ok]
    if len(xs) == 0:
        return math.nan
    order = np.argsort(xs, kind="stable")
    xs, ys = xs[order], ys[order]
    if v < xs[0] or v > xs[-1]:
        return math.nan
    j = int(np.searchsorted(xs, v, side="left"))
    return float(ys[j])


def _findq(x: np.ndarray, y: np.ndarray, p: float, tol: float = _TOL) -> float:
    """R survival's findq: the time where the distribution curve y = 1 − S(x) first reaches p;
    the midpoint of the interval where y equals p (within tol)."""
    if np.all(np.isnan(y)) or np.nanmax(y) < p:
        return math.nan
    xmax = x[-1]
    # duplicated(y): keep first occurrence of each value (NaN equal to NaN)
    key = np.where(np.isnan(y), np.inf, y)
    _, first = np.unique(key, return_index=True)
    keep = np.zeros(len(y), bool)
    keep[first] = True
    x, y = x[keep], y[keep]
    n = len(y)
    idx = np.arange(1, n + 1, dtype=float)
    i1 = _approx_const_right(y + tol, idx, p)
    i2 = _approx_const_right(y - tol, idx, p)
    x1 = x[int(i1) - 1] if math.isfinite(i1) else math.nan
    x2 = x[int(i2) - 1] if math.isfinite(i2) else math.nan
    q = (x1 + x2) / 2
    if p == 0:
        q = x[0]
    if not math.isnan(y[-1]) and abs(p - y[-1]) < tol:
        q = (x1 + xmax) / 2
    return float(q)


def quantile(km: KaplanMeier, p: float = 0.5) -> Quantile:
    """The time by which a fraction p has had the event (S crosses 1 − p), with CI, as R's
    quantile.survfit: the estimate where the KM curve crosses, the CI limits where the lower and
    upper CI curves cross (Brookmeyer–Crowley style), the midpoint where a curve equals the
    level over an interval; None when not reached."""
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    x = np.concatenate([[0.0], km.time])
    est = _findq(x, np.concatenate([[0.0], 1 - km.survival]), p)
    lo = _findq(x, np.concatenate([[0.0], 1 - km.lower]), p)
    hi = _findq(x, np.concatenate([[0.0], 1 - km.upper]), p)
    return Quantile(_opt(est), _opt(lo), _opt(hi), p)


def _first_below(time: np.ndarray, y: np.ndarray, level: float, tol: float = _TOL) -> float:
    """R survival's survmean/minmin (print.survfit, summary(fit)$table): the first time the
    curve y is below ``level`` (within tol); where it equals the level there, the midpoint of
    that time and the first time the curve drops further; NaN when never."""
    keep = ~np.isnan(y) & (y < level + tol)
    if not keep.any():
        return math.nan
    x, yy = time[keep], y[keep]
    if abs(yy[0] - level) < tol:
        lower = np.flatnonzero(yy < yy[0])
        if len(lower):
            return float((x[0] + x[lower[0]]) / 2)
    return float(x[0])


MEDIAN_RULES = ("print", "quantile")


def median(km: KaplanMeier, rule: str = "print") -> Quantile:
    """Median survival time with CI; None when not reached.

    rule "print" (default) is R's print(survfit) / summary(survfit)$table: the first time the
    curve, and its lower and upper CI curves, fall to 0.5 or below — where a horizontal line at
    0.5 meets each curve, with the midpoint rule where a curve equals 0.5 over an interval.
    rule "quantile" is R's quantile(survfit, 0.5) (see quantile()). They agree except in two
    corner cases: a curve that equals 0.5 up to its last time (print: the start of that
    plateau; quantile: its midpoint with the last time), and a CI curve that rises back
    towards 0.5 after crossing it, where quantile.survfit's approx() on the unsorted curve can
    answer a later time at which the curve is still below 0.5 (print: the first crossing)."""
    if rule == "quantile":
        return quantile(km, 0.5)
    if rule != "print":
        raise ValueError(f"rule must be one of {', '.join(MEDIAN_RULES)}, got {rule!r}")
    est = _first_below(km.time, km.survival, 0.5)
    lo = _first_below(km.time, km.lower, 0.5)
    hi = _first_below(km.time, km.upper, 0.5)
    return Quantile(_opt(est), _opt(lo), _opt(hi), 0.5)


# ----------------------------------------------------------------------------- RMST

@dataclass(frozen=True)
class Rmst:
    """Restricted mean survival time up to tau and its SE (R's print(survfit, rmean=tau))."""
    estimate: float
    se: float
    tau: float
    extended: bool = False   # tau lies beyond the last observed time: the last value was carried


def rmst(km: KaplanMeier, tau: float) -> Rmst:
    """Area under the KM curve from 0 to tau; Var = Σ_{t_i ≤ τ} A_i² d_i / (Y_i (Y_i − d_i)),
    A_i = ∫_{t_i}^{τ} Ŝ, terms with Y_i = d_i left out (as R's survmean)."""
    tau = float(tau)
    if not math.isfinite(tau) or tau < 0:
        raise ValueError(f"tau must be a finite number ≥ 0, got {tau}")
    keep = km.time <= tau
    tt = np.concatenate([km.time[keep], [tau]])
    s_keep = km.survival[keep]
    ss = np.concatenate([s_keep, [s_keep[-1] if len(s_keep) else 1.0]])
    nr = km.n_risk[keep].astype(float)
    d = km.n_event[keep].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        hh = np.where(nr - d == 0, 0.0, d / (nr * (nr - d)))
    hh = np.concatenate([hh, [0.0]])
    delta = np.diff(np.concatenate([[0.0], tt]))
    rect = delta * np.concatenate([[1.0], ss[:-1]])
    area_after = np.cumsum(rect[::-1])[::-1] - rect     # A_i = Σ_{k>i} rect_k
    var = float(np.sum(area_after ** 2 * hh))
    return Rmst(float(rect.sum()), math.sqrt(var), tau, bool(len(km.time) and tau > km.time[-1]))


@dataclass(frozen=True)
class RmstComparison:
    """RMST difference (experimental − control, normal CI) and ratio (CI on the log scale)."""
    difference: float
    lower: float
    upper: float
    ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    se: float = math.nan
    tau: float = math.nan
    p: float | None = None


def rmst_comparison(km_exp: KaplanMeier, km_ctl: KaplanMeier, tau: float,
                    conf_level: float = 0.95) -> RmstComparison:
    z = _z(conf_level)
    a, b = rmst(km_exp, tau), rmst(km_ctl, tau)
    diff = a.estimate - b.estimate
    se = math.hypot(a.se, b.se)
    p = 2 * norm_sf(abs(diff) / se) if se > 0 else None
    ratio = rl = ru = None
    if a.estimate > 0 and b.estimate > 0:
        ratio = a.estimate / b.estimate
        se_log = math.hypot(a.se / a.estimate, b.se / b.estimate)
        rl, ru = ratio * math.exp(-z * se_log), ratio * math.exp(z * se_log)
    return RmstComparison(diff, diff - z * se, diff + z * se, ratio, rl, ru, se, float(tau), p)


# ----------------------------------------------------------------------------- log-rank

@dataclass(frozen=True)
class LogRank:
    chisq: float
    df: int
    p: float
    observed: tuple = ()
    expected: tuple = ()


def _group_codes(group):
    g = np.asarray(group).ravel()
    labels, codes = np.unique(g, return_inverse=True)
    return labels, codes


def _group_counts(inv, m: int, e, g, k: int):
    """(at risk, events), each m × k: per distinct time (inv indexes each patient's time into
    the m distinct times, _distinct_times) and group (g: codes 0..k−1)."""
    cell = inv * k + g
    tot = np.bincount(cell, minlength=m * k).astype(np.float64).reshape(m, k)
    dg = np.bincount(cell, weights=e, minlength=m * k).reshape(m, k)
    return tot[::-1].cumsum(axis=0)[::-1], dg


def logrank(time, event, group, timefix: bool = True) -> LogRank:
    """The log-rank test over the groups (R's survdiff, rho = 0), all sums in float64.

    Groups with no expected events are left out, and the first remaining group is dropped from
    the quadratic form, as survdiff does. ``timefix``: near-equal times tied, as survdiff."""
    t, e = _as_arrays(time, event)
    labels, g = _group_codes(group)
    if len(g) != len(t):
        raise ValueError("group differs in length from time")
    ut, inv = _distinct_times(t, timefix)
    return _logrank_counts(*_group_counts(inv, len(ut), e, g, len(labels)))


def _logrank_counts(ng, dg) -> LogRank:
    """logrank() from the per-time, per-group numbers at risk and events (_group_counts)."""
    n = ng.sum(axis=1)
    d = dg.sum(axis=1)
    ev = d > 0
    ng, dg, n, d = ng[ev], dg[ev], n[ev], d[ev]
    frac = ng / n[:, None]
    observed = dg.sum(axis=0)
    expected = (frac * d[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(n > 1, d * (n - d) / (n - 1), 0.0)
    # V_gh = Σ w (frac_g δ_gh − frac_g frac_h)
    var = np.diag((w[:, None] * frac).sum(axis=0)) - (w[:, None, None] * frac[:, :, None]
                                                      * frac[:, None, :]).sum(axis=0)
    use = expected > 0
    if use.sum() < 2:
        return LogRank(0.0, 0, 1.0, tuple(observed), tuple(expected))
    oe = (observed - expected)[use][1:]
    vv = var[np.ix_(use, use)][1:, 1:]
    # A singular variance (e.g. every event at a time when everyone at risk has it, so each
    # d(n − d)/(n − 1) is 0) leaves no test: survdiff stops there ("system is exactly /
    # computationally singular"); we return no test (df 0, p 1), as for a single group.
    try:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            rcond = 1.0 / np.linalg.cond(vv, 1)
        singular = not rcond >= np.finfo(float).eps
        if not singular:
            chisq = float(oe @ np.linalg.solve(vv, oe))
    except np.linalg.LinAlgError:
        singular = True
    if singular:
        return LogRank(0.0, 0, 1.0, tuple(observed), tuple(expected))
    df = len(oe)
    return LogRank(chisq, df, chi2_sf(chisq, df), tuple(observed), tuple(expected))


# ----------------------------------------------------------------------------- Cox HR

@dataclass(frozen=True)
class CoxHR:
    """HR of the experimental group against the rest, Efron ties, Wald CI and p.
    None values when not estimable (an arm with no events, or an infinite estimate)."""
    hr: float | None
    lower: float | None
    upper: float | None
    log_hr: float | None
    se: float | None
    z: float | None
    p: float | None
    iterations: int = 0
    loglik: float | None = None
    warning: str | None = None


def cox_hr(time, event, experimental_mask, conf_level: float = 0.95, max_iter: int = 50,
           tol: float = 1e-12, timefix: bool = True) -> CoxHR:
    """Cox PH model with one binary covariate (1 = experimental), Efron's tie correction.

    The partial likelihood is evaluated on per-distinct-time counts: at an event time with
    d = d1 + d0 tied events, Efron's term is Σ_{k<d} log(n1 r + n0 − k/d (d1 r + d0)), r = e^β.
    Newton–Raphson from β = 0 with step halving; Wald CI from the observed information.
    ``timefix``: near-equal times tied, as coxph's default."""
    t, e = _as_arrays(time, event)
    x = _binary(experimental_mask, t)
    ut, inv = _distinct_times(t, timefix)
    return _cox_counts(*_group_counts(inv, len(ut), e, x, 2), conf_level, max_iter, tol)


def _binary(experimental_mask, t) -> np.ndarray:
    x = np.asarray(experimental_mask).ravel().astype(bool).astype(np.int64)
    if len(x) != len(t):
        raise ValueError("experimental_mask differs in length from time")
    return x


def _cox_counts(nr, dd, conf_level: float, max_iter: int, tol: float) -> CoxHR:
    """cox_hr() from the per-time numbers at risk and events, columns control and experimental
    (_group_counts)."""
    z = _z(conf_level)
    e1, e0 = float(dd[:, 1].sum()), float(dd[:, 0].sum())
    if e1 == 0 or e0 == 0:
        where = "either arm" if e1 == 0 and e0 == 0 else \
            ("the experimental arm" if e1 == 0 else "the control arm")
        msg = f"no events in {where}: the hazard ratio cannot be estimated"
        return CoxHR(None, None, None, None, None, None, None, 0, None, msg)
    ev = dd.sum(axis=1) > 0
    d1, d0, n1, n0 = dd[ev, 1], dd[ev, 0], nr[ev, 1], nr[ev, 0]
    d = d1 + d0
    rep = np.repeat(np.arange(len(d)), d.astype(np.int64))
    # k/d for k = 0..d−1 within each tied set
    starts = np.concatenate([[0], np.cumsum(d.astype(np.int64))[:-1]])
    frac = (np.arange(len(rep)) - starts[rep]) / d[rep]
    D1 = d1.sum()

    def parts(beta):
        r = math.exp(beta)
        a = (n1 * r + n0)[rep] - frac * (d1 * r + d0)[rep]
        b = (n1 * r)[rep] - frac * (d1 * r)[rep]
        q = b / a
        return beta * D1 - np.log(a).sum(), D1 - q.sum(), (q - q * q).sum()

    beta = 0.0
    ll, u, info = parts(beta)
    it = 0
    converged = False
    for it in range(1, max_iter + 1):
        if info <= 0:
            break
        step = u / info
        new = beta + step
        ll_new, u_new, info_new = parts(new)
        halvings = 0
        while ll_new < ll - 1e-12 * abs(ll) and halvings < 30:
            step /= 2
            new = beta + step
            ll_new, u_new, info_new = parts(new)
            halvings += 1
        done = abs(new - beta) < tol * max(1.0, abs(beta)) or abs(ll_new - ll) < 1e-15 * abs(ll)
        beta, ll, u, info = new, ll_new, u_new, info_new
        if done:
            converged = True
            break
        if abs(beta) > 40:
            break
    if not converged or abs(beta) > 30 or info <= 0:
        msg = ("the hazard ratio does not converge (the partial likelihood is monotone: one arm's "
               "events all precede or follow the other's); it cannot be estimated")
        return CoxHR(None, None, None, None, None, None, None, it, None, msg)
    se = 1.0 / math.sqrt(info)
    zz = beta / se
    return CoxHR(math.exp(beta), math.exp(beta - z * se), math.exp(beta + z * se), float(beta),
                 se, float(zz), 2 * norm_sf(abs(zz)), it, float(ll))


def logrank_cox(time, event, experimental_mask, conf_level: float = 0.95,
                timefix: bool = True) -> tuple[LogRank, CoxHR]:
    """(logrank(time, event, experimental_mask), cox_hr(time, event, experimental_mask)) from
    one pass over the patients: one check, one sort of the times and one count for both."""
    t, e = _as_arrays(time, event)
    x = _binary(experimental_mask, t)
    ut, inv = _distinct_times(t, timefix)
    nr, dd = _group_counts(inv, len(ut), e, x, 2)
    # a group with no patient is no group to logrank()
    present = nr[0] > 0 if len(nr) else np.zeros(2, dtype=bool)
    lr = _logrank_counts(nr[:, present], dd[:, present])
    return lr, _cox_counts(nr, dd, conf_level, 50, 1e-12)


# ----------------------------------------------------------------------------- landmarks, NNT

@dataclass(frozen=True)
class Nnt:
    """Number needed to treat (Altman 1998) from a survival difference and its CI.

    value: ceil(1/|difference|); kind: "benefit" (experimental survives more) or "harm";
    lower/upper: the NNT limits from the CI of the difference when the CI excludes zero;
    when it crosses zero the NNT interval runs from NNT(benefit) = 1/upper through infinity to
    NNT(harm) = 1/|lower| and ``crosses_zero`` is True."""
    value: int | None
    kind: str | None
    lower: float | None
    upper: float | None
    crosses_zero: bool
    note: str


def nnt(difference: float | None, lower: float | None = None, upper: float | None = None) -> Nnt:
    if difference is None or not math.isfinite(difference) or difference == 0:
        return Nnt(None, None, None, None, False,
                   "no difference: the NNT is infinite" if difference == 0 else "no difference")
    kind = "benefit" if difference > 0 else "harm"
    value = math.ceil(1 / abs(difference) - 1e-12)
    lo = hi = None
    crosses = False
    if lower is not None and upper is not None and math.isfinite(lower) and math.isfinite(upper):
        if lower > 0 or upper < 0:
            a, b = sorted((1 / abs(lower), 1 / abs(upper)))
            lo, hi = a, b
            note = f"NNT{'B' if kind == 'benefit' else 'H'} {value} (95% CI {a:.1f} to {b:.1f})"
        else:
            crosses = True
            parts = []
            if upper > 0:
                parts.append(f"NNTB {1 / upper:.1f} to ∞")
            if lower < 0:
                parts.append(f"NNTH {1 / abs(lower):.1f} to ∞")
            note = (f"NNT{'B' if kind == 'benefit' else 'H'} {value}; the CI of the difference "
                    "crosses zero, so the NNT CI is unbounded (" + " and ".join(parts) + ")")
    else:
        note = f"NNT{'B' if kind == 'benefit' else 'H'} {value}"
    return Nnt(value, kind, lo, hi, crosses, note)


@dataclass(frozen=True)
class Difference:
    """S_exp(t) − S_ctl(t) with Greenwood SEs and a normal CI; None where not estimable."""
    difference: float | None
    lower: float | None
    upper: float | None
    se: float | None
    time: float = math.nan
    nnt: Nnt | None = None


def survival_difference(km_exp: KaplanMeier, km_ctl: KaplanMeier, t: float,
                        conf_level: float = 0.95) -> Difference:
    z = _z(conf_level)
    s1, _, _, se1 = km_exp.evaluate([t])
    s0, _, _, se0 = km_ctl.evaluate([t])
    s1, s0, se1, se0 = float(s1[0]), float(s0[0]), float(se1[0]), float(se0[0])
    if not (math.isfinite(s1) and math.isfinite(s0)):
        return Difference(None, None, None, None, float(t), nnt(None))
    diff = s1 - s0
    # SE of S is 0 where S is 1 or after S reached 0 (R gives NaN there; the estimate is certain)
    se1 = se1 if math.isfinite(se1) else (0.0 if s1 == 0 else math.nan)
    se0 = se0 if math.isfinite(se0) else (0.0 if s0 == 0 else math.nan)
    se = math.hypot(se1, se0)
    if not math.isfinite(se):
        return Difference(diff, None, None, None, float(t), nnt(diff))
    lo, hi = diff - z * se, diff + z * se
    return Difference(diff, lo, hi, se, float(t), nnt(diff, lo, hi))
