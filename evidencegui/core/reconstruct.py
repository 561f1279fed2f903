"""Patient-level data rebuilt from a digitized Kaplan–Meier curve and its numbers at risk.

The method is the one of Guyot, Ades, Ouwens & Welton (BMC Med Res Methodol 2012;12:9),
written here from its published description (see RECONSTRUCTION.md):

1. The clicks are cleaned, and every change is reported as a warning a user can read.
2. Between two times of the risk table, censorings are spread evenly over the interval and the
   events at each click follow from the drop of the curve relative to the reconstructed
   Kaplan–Meier value at the last click that had an event. The number censored is adjusted until
   the reconstructed number at risk at the end of the interval equals the published one.
3. After the last time of the table, censoring follows the trend of the numbers at risk, or is
   set so that the events add up to a given total.

Details that differ from the original description, each measured on simulated trials
(benchmarks/accuracy_reconstruct.py, figures in benchmarks/RECONSTRUCT.md):

- the clicks are ordered along the curve (time plus drop), so a drop whose top was clicked right
  of its bottom keeps its top (moved back to the bottom's time); stray clicks far out of time
  order are dropped;
- the curve gets an extra point just before every time of the risk table carrying S(T⁻), so a
  drop up to T is counted in the interval that ends there (read along the straddling segment for
  readers who click both corners of the drops, at the step for one click per step);
- censorings between a table time and the interval's first click come before its events; when
  rounding leaves one or two patients too many at the end of an interval they are censored just
  before its end instead of carrying the error into the next interval;
- where few are at risk (at most SPREAD_MAX_N at the start of an interval, and one death moves
  the curve by more than the click noise) the censorings need not be spread evenly: a drop of
  1/n shows that n were at risk there, so the numbers censored between the drops are chosen
  (dynamic programming over the number at risk at each drop, and spreads over part of the
  interval) to fit the drops' heights with one death per drop where possible, against a cost for
  departing from the even spread; the even spread stands unless another scores better;
- where the curve ends above 0 before the table's 0 (the end of follow-up: many censored at
  once, as with a fixed study end) those still followed there follow the trend of the table if
  the drops' heights fit that better than the even spread to 0; many censored at the curve's
  end are placed just after it (the clicks' precision), so the other arm's events clicked at
  the same time keep them at risk;
- the first zero of the table closes the last interval; where the curve reaches 0 the censoring
  leaves one patient for the final drop; after the last table time the number at risk follows
  the trend of the table's last two columns (Guyot's average censoring rate when the table has
  only the count at 0).

numpy only; no Qt; deterministic.
"""
from __future__ import annotations

import math
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from evidencegui.core.errors import InputError

#: A risk table is infeasible when a count exceeds N_1·S(T⁻) by more than this many patients
#: plus FEASIBILITY_REL·N_1 (room for click noise).
FEASIBILITY_ABS = 2.0
FEASIBILITY_REL = 0.02
FEASIBILITY_X = 0.01
#: A click farther than this fraction of the time axis from both its neighbours along the curve
#: (which agree with each other) is a stray click and is dropped.
OUTLIER_X = 0.05
#: Survival at or below this (half a percent of the axis: click noise) counts as the curve
#: reaching 0 when the censoring is chosen.
ZERO_S = 0.005
#: Censorings spread over the whole interval between two table times (Guyot).
EVEN = (0.0, 1.0)
#: Other spreads tried where few are at risk: censorings in one part of the interval only (fractions of
#: it), as when patients entered in a burst and the end of the study censors them together.
WINDOWS = ((0.0, 0.25), (0.0, 0.5), (0.0, 0.75), (0.25, 1.0), (0.5, 1.0), (0.75, 1.0),
           (0.25, 0.5), (0.5, 0.75), (0.25, 0.75))
#: Click noise assumed when the spreads are compared (survival scale; the fit is counted in
#: units of its square), and the cost of each event beyond the first in one drop (about
#: 2·log(1/0.14): with continuous times a tie is unlikely).
FIT_SD = 0.003
EXTRA_EVENT_COST = 4.0
#: Clicks closer in time than this fraction of the axis belong to one drop (for the cost above).
TIE_X = 0.004
#: Where the curve ends above 0 before a table count of 0 (the end of follow-up), the patients
#: still followed then are taken from the trend of the table and censored at the curve's end only
#: if the clicks fit that better by more than this (units of FIT_SD², as EXTRA_EVENT_COST) than
#: the even spread to 0, and no click gets several events among fewer than 1/END_TIE at risk (a
#: big drop at the end is the last few patients' events, not a tie among many).
END_MARGIN = 4.0
END_TIE = 0.25
#: Largest number at risk at the start of an interval for which other spreads are tried.
SPREAD_MAX_N = 150
#: Largest time or count accepted (anything larger is a broken file, not a trial).
MAX_VALUE = 1e9


@dataclass(frozen=True)
class Fit:
    """How well the reconstruction reproduces its inputs.

    max_abs_distance / rms_distance: vertical distance between each cleaned click and the
    reconstructed Kaplan–Meier step curve (a click on a vertical segment of the step counts as on
    the curve: the distance is to the interval [S(t), S(t⁻)]).
    at_risk_times / at_risk_given / at_risk_reconstructed: the (cleaned) risk table beside the
    number of reconstructed patients with time ≥ each table time.
    """
    max_abs_distance: float
    rms_distance: float
    at_risk_times: np.ndarray
    at_risk_given: np.ndarray
    at_risk_reconstructed: np.ndarray

    def to_json(self) -> dict:
        return {
            "max_abs_distance": float(self.max_abs_distance),
            "rms_distance": float(self.rms_distance),
            "at_risk": [
                {"time": float(t), "given": int(g), "reconstructed": int(r)}
                for t, g, r in zip(self.at_risk_times, self.at_risk_given,
                                   self.at_risk_reconstructed)
            ],
        }


@dataclass(frozen=True)
class Reconstruction:
    """Reconstructed patients of one arm: ``time`` (float64) and ``event`` (int64, 1 = event)."""
    time: np.ndarray
    event: np.ndarray
    warnings: list[str]
    fit: Fit
    curve_time: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    curve_survival: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))

    @property
    def n(self) -> int:
        return int(self.time.size)

    @property
    def events(self) -> int:
        return int(self.event.sum())


# ----------------------------------------------------------------------------------------------
# Small Kaplan–Meier step evaluator (for the fit report; the statistics live in core.survival)

def km_steps(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct event times and the Kaplan–Meier survival just after each of them."""
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=np.int64)
    if time.size == 0:
        return np.zeros(0), np.zeros(0)
    order = np.argsort(time, kind="stable")
    ts, es = time[order], event[order]
    uniq, first = np.unique(ts, return_index=True)
    at_risk = ts.size - first
    deaths = np.add.reduceat(es, first)
    keep = deaths > 0
    factors = 1.0 - deaths[keep] / at_risk[keep]
    return uniq[keep], np.cumprod(factors)


def km_evaluate(step_t: np.ndarray, step_s: np.ndarray, t, left: bool = False) -> np.ndarray:
    """S(t) of a right-continuous step curve (``left=True``: S(t⁻)); 1 before the first step."""
    t = np.asarray(t, dtype=float)
    idx = np.searchsorted(step_t, t, side="left" if left else "right")
    vals = np.concatenate(([1.0], step_s))
    return vals[idx]


# ----------------------------------------------------------------------------------------------
# Cleaning

def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _along_curve(t, s) -> tuple[float, np.ndarray]:
    """The time axis' span and the order of the points along the curve (see clean_curve)."""
    span = float(t.max()) if t.size and t.max() > 0 else 1.0
    return span, np.lexsort((-s, t, t / span + (1.0 - s)))


def clean_curve(t, s) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Cleaned clicks: t ≥ 0, S in [0, 1], sorted (t ascending, S descending at equal t),
    non-increasing (running minimum), starting at (0, 1). Returns (t, s, warnings)."""
    warnings: list[str] = []
    try:
        t = np.array(t, dtype=float).ravel()
        s = np.array(s, dtype=float).ravel()
    except (TypeError, ValueError) as e:
        raise InputError(f"the curve's points must be numbers ({e})") from None
    if t.size != s.size:
        raise InputError(f"the curve has {t.size} times but {s.size} survival values")
    bad = ~np.isfinite(t) | ~np.isfinite(s)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise InputError(f"point {k + 1} of the curve is not a finite number "
                         f"(t = {t[k]}, S = {s[k]})")
    if t.size and np.abs(t).max() > MAX_VALUE:
        k = int(np.argmax(np.abs(t)))
        raise InputError(f"point {k + 1} of the curve has an implausible time ({t[k]:.6g})")
    if s.size and (s.max() > 1.5 or s.min() < -0.5):
        k = int(np.argmax(np.abs(s - 0.5)))
        raise InputError(f"point {k + 1} of the curve has survival {s[k]:.6g}, which is not a "
                         "probability (a curve in percent must be read with the percent scale)")
    neg = t < 0
    if neg.any():
        warnings.append(f"dropped {int(neg.sum())} point(s) with a negative time "
                        f"(smallest t = {_fmt(t.min())})")
        t, s = t[~neg], s[~neg]
    if t.size == 0:
        raise InputError("the curve has no points at or after time 0")
    hi, lo = s > 1, s < 0
    if hi.any():
        warnings.append(f"clamped {int(hi.sum())} survival value(s) above 1 to 1 "
                        f"(largest {_fmt(s.max())})")
    if lo.any():
        warnings.append(f"clamped {int(lo.sum())} survival value(s) below 0 to 0 "
                        f"(smallest {_fmt(s.min())})")
    s = np.clip(s, 0.0, 1.0)
    # order along the curve: on a monotone step curve both t and 1 − S grow, so their sum
    # (t on the scale of the x axis) grows too and click noise moves it only a little; the
    # bottom of a drop clicked slightly left of its top stays after the top
    span, order = _along_curve(t, s)
    # stray clicks (on a label, the legend, the other curve): along the curve times never go
    # back; a point out of time order by more than OUTLIER_X of the axis with two or more of
    # its neighbours along the curve (four on either side) is dropped, worst first
    if order.size >= 4:
        to = t[order]
        tol = OUTLIER_X * span
        alive = np.ones(to.size, dtype=bool)
        for _ in range(max(1, to.size // 10)):
            idx_alive = np.flatnonzero(alive)
            ta = to[idx_alive]
            na = ta.size
            v = np.zeros(na, dtype=np.int64)
            for off in range(1, 5):
                if off >= na:
                    break
                late = ta[:-off] > ta[off:] + tol      # an earlier point with a later time
                v[off:] += late
                v[:-off] += late
            k = int(np.argmax(v))
            if v[k] < 2 or idx_alive[k] == 0:
                break
            alive[idx_alive[k]] = False
        stray = ~alive
        if stray.any():
            idx = order[stray]
            shown = ", ".join(f"({_fmt(t[i])}, {_fmt(s[i])})" for i in idx[:3])
            more = f" and {idx.size - 3} more" if idx.size > 3 else ""
            warnings.append(f"dropped {idx.size} stray point(s) that do not lie on the curve "
                            f"(far in time from the points of the curve around them): "
                            f"{shown}{more}")
            keep = np.ones(t.size, dtype=bool)
            keep[idx] = False
            t, s = t[keep], s[keep]
            span, order = _along_curve(t, s)
    # points that come before an earlier one in the file (a later time, or the same time and a
    # lower survival, than the point that follows them)
    moved = int(np.count_nonzero((t[1:] < t[:-1]) | ((t[1:] == t[:-1]) & (s[1:] > s[:-1]))))
    if np.any(order != np.arange(order.size)):
        warnings.append(f"sorted the points along the curve (by time; the bottom of a drop after "
                        f"its top); {moved} of {order.size} point(s) came before a point with an "
                        "earlier time (or the same time and higher survival)")
        t, s = t[order], s[order]
    if not (t[0] == 0.0 and s[0] == 1.0):
        first = f"({_fmt(t[0])}, {_fmt(s[0])})"
        warnings.append(f"the curve did not start at (0, 1) (first point {first}): "
                        "the point (0, 1) was added")
        t = np.concatenate(([0.0], t))
        s = np.concatenate(([1.0], s))
    # a drop whose bottom was clicked left of its top: the top moves back to the bottom's
    # time (the drop happens where its bottom was clicked, as for a drop clicked in line)
    t_fix = np.minimum.accumulate(t[::-1])[::-1]
    if np.any(t_fix != t):
        k = int(np.count_nonzero(t_fix != t))
        shift = float((t - t_fix).max())
        j = int(np.argmax(t - t_fix))
        big = (f"; that is large: check the point ({_fmt(t[j])}, {_fmt(s[j])}), it does not "
               "lie on the curve" if shift > 0.05 * span else "")
        warnings.append(f"made the times non-decreasing along the curve: {k} point(s) (the top "
                        f"of a drop clicked right of its bottom) moved back to the time of the "
                        f"point after them, largest shift {_fmt(shift)}{big}")
        t = t_fix
    runmin = np.minimum.accumulate(s)
    lowered = runmin < s
    if lowered.any():
        warnings.append(f"made the curve non-increasing with a running minimum: "
                        f"{int(lowered.sum())} point(s) lowered to the lowest value before them "
                        f"(largest change {_fmt(float((s - runmin).max()))})")
        s = runmin
    return t, s, warnings


def clean_at_risk(times, counts) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Cleaned risk table: equal lengths, strictly increasing times starting at 0, counts that
    never increase, trailing zeros trimmed. Returns (times, counts, warnings); the trimmed
    time of the first trailing zero (if any) is reported through the warnings and returned by
    :func:`_clean_table`."""
    T, N, w, _ = _clean_table(times, counts)
    return T, N, w


def _clean_table(times, counts):
    warnings: list[str] = []
    try:
        T = np.array(times, dtype=float).ravel()
        Nf = np.array(counts, dtype=float).ravel()
    except (TypeError, ValueError) as e:
        raise InputError(f"the numbers at risk must be numbers ({e})") from None
    if T.size != Nf.size:
        k = min(T.size, Nf.size)
        warnings.append(f"the risk table has {T.size} time(s) but {Nf.size} count(s): "
                        f"only the first {k} pair(s) are used")
        T, Nf = T[:k], Nf[:k]
    if T.size == 0:
        raise InputError("the risk table is empty: give at least the number at risk at time 0")
    for k in range(T.size):
        if not math.isfinite(T[k]) or abs(T[k]) > MAX_VALUE:
            raise InputError(f"risk-table time {k + 1} is not a usable number ({T[k]})")
        if not math.isfinite(Nf[k]) or Nf[k] < 0 or Nf[k] > MAX_VALUE or Nf[k] != round(Nf[k]):
            raise InputError(f"risk-table count {k + 1} (at t = {_fmt(T[k])}) must be a "
                             f"whole number ≥ 0, not {Nf[k]}")
    if T[0] != 0:
        raise InputError(f"the risk table must start at time 0 with the number of patients "
                         f"(it starts at t = {_fmt(T[0])})")
    if np.any(np.diff(T) <= 0):
        k = int(np.flatnonzero(np.diff(T) <= 0)[0]) + 1
        raise InputError(f"risk-table times must increase: t = {_fmt(T[k])} follows "
                         f"t = {_fmt(T[k - 1])}")
    N = Nf.astype(np.int64)
    if N[0] <= 0:
        raise InputError("the number at risk at time 0 must be at least 1")
    # counts that increase: ignore the row (it cannot be right)
    keep = np.ones(N.size, dtype=bool)
    last = N[0]
    for k in range(1, N.size):
        if N[k] > last:
            warnings.append(f"the number at risk at t = {_fmt(T[k])} ({N[k]}) is larger than "
                            f"an earlier one ({last}); numbers at risk cannot increase, so "
                            "that row is ignored")
            keep[k] = False
        else:
            last = N[k]
    T, N = T[keep], N[keep]
    zero_time = None
    nz = np.flatnonzero(N > 0)
    if nz[-1] < N.size - 1:
        # the first zero is kept: it closes the last interval (everyone left by then)
        zero_time = float(T[nz[-1] + 1])
        trimmed = N.size - 2 - nz[-1]
        if trimmed:
            warnings.append(f"trimmed {trimmed} trailing zero count(s) from the risk table "
                            f"(nobody at risk from t = {_fmt(zero_time)})")
        T, N = T[: nz[-1] + 2], N[: nz[-1] + 2]
    return T, N, warnings, zero_time


# ----------------------------------------------------------------------------------------------
# The Guyot walk

# censor marks of the curve being reconstructed (reconstruct(censor_times=...)); a context
# variable so that reconstructions in other threads are not affected
_MARKS: ContextVar[np.ndarray | None] = ContextVar("censor_marks", default=None)


def _marks_array(censor_times) -> np.ndarray:
    try:
        m = np.asarray(list(censor_times), dtype=float).ravel()
    except (TypeError, ValueError):
        raise InputError("censoring times must be numbers", field="censor_times") from None
    return np.unique(m[np.isfinite(m) & (m >= 0)])


def _grid_from_marks(marks: np.ndarray, t_start: float, t_end: float, c: int) -> np.ndarray | None:
    """c censoring times at the censor marks in [t_start, t_end): every mark used once before
    any is used twice, spread along the interval; None when the interval has no mark."""
    mk = marks[(marks >= t_start) & (marks < t_end)]
    k = mk.size
    if k == 0:
        return None
    base = np.repeat(mk, c // k)
    r = c - base.size
    pick = mk[np.floor((np.arange(r) + 0.5) * k / r).astype(int)] if r else np.zeros(0)
    return np.sort(np.concatenate([base, pick]))


def _censor_grid(t_start: float, t_end: float, c: int, win=EVEN) -> np.ndarray:
    """c censoring times spread evenly over the part (win[0], win[1]) of (t_start, t_end); at
    the curve's censor marks instead when reconstruct() was given them (even spread only)."""
    marks = _MARKS.get()
    if marks is not None and win == EVEN and c > 0:
        placed = _grid_from_marks(marks, t_start, t_end, c)
        if placed is not None:
            return placed
    a = t_start + win[0] * (t_end - t_start)
    b = t_start + win[1] * (t_end - t_start)
    return a + np.arange(1, c + 1) * ((b - a) / (c + 1))


def _censor_counts(ct: np.ndarray, lo: int, hi: int, t_start: float, t_end: float,
                   c: int, win=EVEN) -> np.ndarray:
    """Spread c censorings evenly over (t_start, t_end) (or the part ``win`` of it) and count
    them between the clicks lo..hi: entry 0 counts those before click lo, entry k + 1 those in
    [t_k, t_{k+1}) (the last one up to t_end)."""
    m = max(hi - lo + 1, 0)
    if c <= 0:
        return np.zeros(m + 1, dtype=np.int64)
    cen_t = _censor_grid(t_start, t_end, c, win)
    idx = np.searchsorted(ct[lo:hi + 1], cen_t, side="right")
    return np.bincount(idx, minlength=m + 1).astype(np.int64)


def _walk(cs: list[float], lo: int, hi: int, n0: int, km0: float, cen: np.ndarray):
    """Events per click of one interval, given the censorings before the first click
    (``cen[0]``) and between clicks (``cen[k + 1]`` after click k).
    Returns (n_end, events per click, censored per gap, km_last)."""
    m = max(hi - lo + 1, 0)
    cen_l = cen.tolist()
    n = n0
    km = km0
    d_out = [0] * m
    c_out = [0] * (m + 1)
    c = min(cen_l[0], n)
    c_out[0] = c
    n -= c
    for j in range(m):
        if n <= 0:
            break
        sk = cs[lo + j]
        if km > 0:
            d = int(math.floor(n * (1.0 - sk / km) + 0.5))
            if d < 0:
                d = 0
            elif d > n:
                d = n
        else:
            d = 0
        if d:
            km *= 1.0 - d / n
            d_out[j] = d
        n -= d
        c = cen_l[j + 1]
        if c > n:
            c = n
        c_out[j + 1] = c
        n -= c
    return n, d_out, c_out, km


def _trend(T, N, j, n, t) -> tuple[float, int]:
    """The trend of the table's columns j − 1 and j: its slope (≤ 0, per unit time) and the
    number at risk at t when it is continued from n at T_j."""
    slope = min(0.0, float(N[j] - N[j - 1]) / float(T[j] - T[j - 1]))
    return slope, max(0, int(round(n + slope * (t - float(T[j])))))


def _solve_interval(ct, cs, lo, hi, t0, t1, n_start, km_last, target, win=EVEN):
    """Guyot's steps 1–4 on the clicks lo..hi of [t0, t1): the number censored, spread evenly,
    adjusted until the reconstructed number at risk at t1 is ``target`` (or as close as the
    curve allows: fewer left only when even no censoring cannot leave that many).
    Returns (n_end, events per click, censored per click, KM at the last event).

    Where the curve reaches 0 (ZERO_S) inside the interval, nobody is left at its end whatever the
    censoring, so the number at risk cannot pin the censoring down; it is then chosen so that one
    patient is left just before the final drop (the last patient's event: a drop to 0 with
    several at risk would mean several deaths at the very same time)."""
    z = next((j for j in range(lo, hi + 1) if cs[j] <= ZERO_S), None)
    if z is not None and z > lo and target <= 1:
        n1, d1, c1, km1 = _solve_interval(ct, cs, lo, z - 1, t0, float(ct[z]), n_start,
                                          km_last, 1, win)
        n2, d2, c2, km2 = _walk(cs, z, hi, n1, km1, np.zeros(hi - z + 2, dtype=np.int64))
        return n2, list(d1) + list(d2), list(c1) + list(c2[1:]), km2
    s0 = cs[lo - 1] if lo > 0 else 1.0
    s1 = cs[hi] if hi >= lo else s0
    ratio = s1 / s0 if s0 > 0 else 0.0
    c = min(max(0, int(round(n_start * ratio - target))), n_start)

    def run(c_):
        return _walk(cs, lo, hi, n_start, km_last, _censor_counts(ct, lo, hi, t0, t1, c_, win))

    n_end, d_k, c_k, km_new = run(c)
    seen = {c: n_end}
    for _ in range(60):
        diff = n_end - target
        if diff == 0:
            break
        c_new = min(max(c + diff, 0), n_start)
        if c_new in seen:
            break
        c = c_new
        n_end, d_k, c_k, km_new = run(c)
        seen[c] = n_end
    if n_end < target and c > 0:
        # step back to the largest c that leaves at least the target
        cand = [cc for cc, ne in seen.items() if ne >= target]
        c = max(cand) if cand else 0
        while True:
            n_end, d_k, c_k, km_new = run(c)
            if n_end >= target or c == 0:
                break
            c -= 1
    if n_end > target and c_k:
        # too many left by rounding: censor the rest just before the table time
        c_k[-1] += n_end - target
        n_end = target
    return n_end, d_k, c_k, km_new


def _score(ct, cs, lo, hi, n0, km0, d_k, c_k, tie_dt) -> float:
    """How badly a solution of one interval fits: squared distance between the clicks and the
    reconstructed curve (in units of FIT_SD²; clicks less than tie_dt apart are one drop, and a
    click between the curve's values before and after that drop lies on its vertical line)
    plus EXTRA_EVENT_COST for every event beyond the first in one drop. With continuous times
    ties are rare: a big drop seen with few at risk is one death among few, not several among
    many."""
    n = n0 - c_k[0]
    km = km0
    sse = 0.0
    extra = 0
    g_events = 0
    g_top = km
    g_clicks: list[float] = []
    t_prev = -math.inf

    def close(top, bottom):
        out = 0.0
        for sv in g_clicks:
            if sv > top:
                out += (sv - top) ** 2
            elif sv < bottom:
                out += (bottom - sv) ** 2
        return out

    for j in range(hi - lo + 1):
        t = ct[lo + j]
        if t - t_prev > tie_dt:
            sse += close(g_top, km)
            g_clicks = []
            g_top = km
            g_events = 0
        t_prev = t
        d = d_k[j]
        if d and n > 0:
            km *= 1.0 - d / n
            extra += min(d, g_events + d - 1)
            g_events += d
        g_clicks.append(cs[lo + j])
        n -= d + c_k[j + 1]
    sse += close(g_top, km)
    return sse / (FIT_SD * FIT_SD) + EXTRA_EVENT_COST * extra


def _click_sse(cs, lo, hi, n0, km0, d_k, c_k, max_tie=1.0) -> float:
    """Squared vertical distance between the clicks lo..hi and the reconstructed curve, click by
    click (a click where events fall may lie anywhere on that drop's vertical line), in units of
    FIT_SD², plus EXTRA_EVENT_COST per event beyond the first at one click; infinite when
    several events at one click are more than ``max_tie`` of those at risk."""
    n = n0 - c_k[0]
    km = km0
    out = 0.0
    for j in range(hi - lo + 1):
        top = km
        d = d_k[j]
        if d and n > 0:
            if d > 1 and d > max_tie * n:
                return math.inf
            km *= 1.0 - d / n
        sv = cs[lo + j]
        if sv > top:
            out += (sv - top) ** 2
        elif sv < km:
            out += (km - sv) ** 2
        n -= d + c_k[j + 1]
    return out / (FIT_SD * FIT_SD) + EXTRA_EVENT_COST * sum(max(d - 1, 0) for d in d_k)


def _drop_segments(ct, cs, lo, hi, n_start, tie_dt) -> list[tuple[int, int]]:
    """First and last click (relative to lo) of each drop of at least half an event among
    n_start (clicks less than tie_dt apart are one drop): the censorings between two such drops
    can move freely without changing the events."""
    out = []
    j = 0
    m = hi - lo + 1
    while j < m:
        k = j
        while k + 1 < m and ct[lo + k + 1] - ct[lo + k] <= tie_dt:
            k += 1
        top = cs[lo + j - 1] if lo + j > 0 else 1.0
        if top > 0 and (top - cs[lo + k]) / top >= 0.5 / max(n_start, 1):
            out.append((j, k))
        j = k + 1
    return out


def _deviance(k, e):
    """Poisson deviance of k censorings in a stretch where e were expected (even spread)."""
    if e <= 0:
        return 0.0 if k == 0 else 1e9
    return 2.0 * ((k * math.log(k / e) if k > 0 else 0.0) - (k - e))


def _spread_dp(cs, lo, hi, drops, n_start, target, expect):
    """Numbers censored between the drops (first and last click of each, from _drop_segments;
    one number per stretch, len(drops) + 1) chosen by dynamic
    programming over the number at risk at each drop: each drop costs the squared distance
    between its bottom and the drop that whole events among that many would make (times the
    clicks that lie on the level after it), EXTRA_EVENT_COST per event beyond the first, and each
    stretch the deviance of its censorings from the even spread. None when nothing fits."""
    m = hi - lo + 1
    K = len(drops)
    ns = np.arange(n_start + 1, dtype=float)
    inv = 1.0 / (FIT_SD * FIT_SD)
    cost, after = [], []
    for s, (b, e) in enumerate(drops):
        nxt = drops[s + 1][0] if s + 1 < K else m
        w = max(nxt - e, 1)
        top = cs[lo + b - 1] if lo + b > 0 else 1.0
        bot = cs[lo + e]
        h = 1.0 - bot / top if top > 0 else 0.0
        d = np.clip(np.floor(ns * h + 0.5), 0, ns)
        with np.errstate(divide="ignore", invalid="ignore"):
            model = np.where(ns > 0, top * (1.0 - d / np.where(ns > 0, ns, 1.0)), top)
        cost.append(w * inv * (model - bot) ** 2 + EXTRA_EVENT_COST * np.maximum(d - 1, 0))
        after.append(ns - d)

    def dev(k, e):
        if e <= 0:
            return np.where(k == 0, 0.0, 1e9)
        with np.errstate(divide="ignore", invalid="ignore"):
            return 2.0 * (np.where(k > 0, k * np.log(np.where(k > 0, k, 1.0) / e), 0.0) - (k - e))

    V = dev(n_start - ns, expect[0]) + cost[0]
    back = []
    for s in range(1, K):
        k = after[s - 1][:, None] - ns[None, :]        # censored between drop s-1 and drop s
        M = np.where(k >= 0, V[:, None] + dev(np.maximum(k, 0), expect[s]), np.inf)
        arg = np.argmin(M, axis=0)
        back.append(arg)
        V = M[arg, np.arange(ns.size)] + cost[s]
    k_last = after[K - 1] - target
    tot = np.where(k_last >= 0, V + dev(np.maximum(k_last, 0), expect[K]), np.inf)
    n = int(np.argmin(tot))
    if not np.isfinite(tot[n]):
        return None
    path = [n]
    for arg in reversed(back):
        path.append(int(arg[path[-1]]))
    path.reverse()
    out = [n_start - path[0]]
    for s in range(1, K):
        out.append(int(after[s - 1][path[s - 1]]) - path[s])
    out.append(int(after[K - 1][path[K - 1]]) - target)
    return out


def _solve_spread(ct, cs, lo, hi, t0, t1, n_start, km_last, target):
    """_solve_interval with the censorings spread evenly (Guyot) or, where few are at risk,
    placed where the heights of the drops say they fell: a drop of 1/n means n were at risk
    there. Candidates, each giving the number censored between consecutive drops (spread evenly
    within that stretch) and each reaching the table's number at the end: the even spread, the
    spreads over parts of the interval (WINDOWS) and the dynamic programme of _spread_dp. The
    one with the lowest _score plus the deviance of its counts from the even spread is kept if
    it beats the even spread (else Guyot's even spread stands).
    Returns (n_end, events, censored, km_last, censoring times or None for the even spread)."""
    best = _solve_interval(ct, cs, lo, hi, t0, t1, n_start, km_last, target)
    if n_start > SPREAD_MAX_N or hi < lo or best[0] != target:
        return (*best, None)
    c_even = int(sum(best[2]))
    ctl = ct.tolist()
    tie_dt = TIE_X * max(float(ct[-1]), 1e-12)
    drops = _drop_segments(ctl, cs, lo, hi, n_start, tie_dt)
    bounds = [b for b, _ in drops]
    if not bounds or c_even + target >= n_start:
        return (*best, None)
    # one event among n_start moves the curve less than the click noise at every drop: the
    # heights cannot tell where the censorings fell
    if max((cs[lo + b - 1] if lo + b > 0 else 1.0) for b in bounds) / n_start < FIT_SD:
        return (*best, None)
    m = hi - lo + 1
    S = len(bounds) + 1
    edges = [t0] + [ctl[lo + b] for b in bounds] + [t1]
    lengths = [max(edges[s + 1] - edges[s], 0.0) for s in range(S)]
    total_len = sum(lengths) or 1.0
    gap_seg = np.searchsorted(np.asarray(bounds), np.arange(m + 1), side="left")
    sub = ct[lo:hi + 1]

    def place(k):
        ts = [edges[s] + (edges[s + 1] - edges[s]) * np.arange(1, k[s] + 1) / (k[s] + 1)
              for s in range(S) if k[s] > 0]
        return np.concatenate(ts) if ts else np.zeros(0)

    def evaluate(k):
        times = place(k)
        idx = np.searchsorted(sub, times, side="right")
        cen = np.bincount(idx, minlength=m + 1).astype(np.int64)
        n_end, d_k, c_k, km = _walk(cs, lo, hi, n_start, km_last, cen)
        if n_end != target:
            return None
        g = 0.0
        for s in range(S):
            g += _deviance(k[s], expect[s])
        sc = _score(ctl, cs, lo, hi, n_start, km_last, d_k, c_k, tie_dt) + g
        return sc, (n_end, d_k, c_k, km, times)

    def counts_of(c_k):
        k = [0] * S
        for g, c in enumerate(c_k):
            k[int(gap_seg[g])] += int(c)
        return k

    expect = [max(c_even, 1) * ln / total_len for ln in lengths]
    start = [counts_of(best[2])]
    k_dp = _spread_dp(cs, lo, hi, drops, n_start, target, expect)
    if k_dp is not None:
        start.append(k_dp)
    for w in WINDOWS:
        sol = _solve_interval(ct, cs, lo, hi, t0, t1, n_start, km_last, target, w)
        if sol[0] == target:
            start.append(counts_of(sol[2]))
    even_r = evaluate(start[0])
    cur = even_r
    for k in start[1:]:
        r = evaluate(k)
        if r is not None and (cur is None or r[0] < cur[0] - 1e-9):
            cur = r
    if cur is None or cur is even_r:
        return (*best, None)
    return cur[1]


def reconstruct(t, s, at_risk_times, at_risk_counts, total_events: int | None = None,
                progress: Callable[[float], object] | None = None,
                censor_times=None) -> Reconstruction:
    """Rebuild patient-level data from digitized clicks (t, s) of one Kaplan–Meier curve and
    its numbers at risk (times starting at 0, counts). ``total_events`` (optional) fixes the
    censoring after the last time of the table. ``progress(fraction)`` is called as the
    intervals are done; an exception raised in it cancels the reconstruction.

    ``censor_times`` (optional): times of the censor marks read on the curve (a vector PDF's
    "+" or "|" marks, core/digitize). What changes: HOW MANY are censored in each interval of
    the table is still solved as before; WHERE they fall is no longer an even spread across the
    interval but at the marks inside it (several per mark when there are more censorings than
    marks, a spread-out subset when fewer); an interval without marks keeps the even spread.
    On simulated trials this halves the error of the number at risk at each event time (tests/
    core/test_digitize_censor_marks.py)."""
    if censor_times is not None:
        token = _MARKS.set(_marks_array(censor_times))
        try:
            return reconstruct(t, s, at_risk_times, at_risk_counts, total_events, progress)
        finally:
            _MARKS.reset(token)
    ct, cs_arr, warnings = clean_curve(t, s)
    T, N, table_warnings, zero_time = _clean_table(at_risk_times, at_risk_counts)
    warnings.extend(table_warnings)
    if total_events is not None:
        try:
            te = float(total_events)
        except (TypeError, ValueError):
            raise InputError(f"the total number of events must be a whole number, "
                             f"not {total_events!r}", field="total_events") from None
        if not math.isfinite(te) or te < 0 or te != round(te) or te > N[0]:
            raise InputError(f"the total number of events must be a whole number between 0 and "
                             f"the number of patients ({N[0]}), not {total_events!r}",
                             field="total_events")
        total_events = int(te)

    if zero_time is not None:
        past = ct >= zero_time
        if past.any():
            warnings.append(f"dropped {int(past.sum())} point(s) at or after t = "
                            f"{_fmt(zero_time)}, where the risk table has nobody left")
            ct, cs_arr = ct[~past], cs_arr[~past]

    # feasibility: N_j ≤ N_1·S(T_j⁻) (censoring only removes patients faster than the curve);
    # S is read a little before T_j (FEASIBILITY_X of the time axis) so that a drop just after
    # T_j clicked slightly left of it does not count
    x_slack = FEASIBILITY_X * max(float(ct[-1]), float(T[-1]))
    s_before = _curve_before(ct, cs_arr, np.maximum(T - x_slack, 0.0))
    allowed = N[0] * s_before
    excess = N - allowed
    tol = FEASIBILITY_ABS + FEASIBILITY_REL * N[0]
    bad = np.flatnonzero(excess > tol)
    if bad.size:
        j = int(bad[0])
        raise InputError(
            f"the risk table does not fit the curve: at t = {_fmt(T[j])} it has {N[j]} at risk, "
            f"but with {N[0]} patients and the curve at {s_before[j]:.3f} just before that time "
            f"at most {allowed[j]:.0f} can still be at risk (censoring only lowers the number). "
            "Check that the table belongs to this curve (often it is the other arm's table) and "
            "that the curve's scale is right")

    last_click = float(ct[-1])
    if T[-1] > last_click and T.size > 1:
        warnings.append(f"the curve has no points after t = {_fmt(last_click)} but the risk "
                        f"table runs to t = {_fmt(T[-1])}: no events assumed after the last point")

    # an extra point at each table time, with the curve's value just before it
    ct, cs_arr = _with_anchors(ct, cs_arr, T)
    K = ct.size
    lower = np.searchsorted(ct, T, side="left")
    m = T.size
    cs = cs_arr.tolist()
    d_all = np.zeros(K, dtype=np.int64)
    cen_times: list[np.ndarray] = []
    km_last = 1.0
    n_start = int(N[0])
    total_cens = 0
    n_uneven = 0
    placed_last = None
    end_eps = TIE_X * max(last_click, float(T[-1]) if zero_time is None else 0.0, 1e-12)
    level = np.flatnonzero(cs_arr <= cs_arr[-1] + 2 * FIT_SD)
    ends_flat = bool(level.size) and (last_click - float(ct[level[0]])
                                      > TIE_X * max(last_click, 1e-12))
    n_intervals = m  # the last one is the part after the last table time
    if m == 1:
        warnings.append("the risk table gives only the number at time 0: the censoring cannot be "
                        "checked against the table, and a hazard ratio from this reconstruction is "
                        "much less reliable (give the numbers at risk, or at least the total events)")

    for i in range(m - 1):
        lo, hi = int(lower[i]), int(lower[i + 1]) - 1
        t0, t1 = float(T[i]), float(T[i + 1])
        target = int(N[i + 1])
        # the curve ends inside the interval: its last patients were followed up to there, so
        # the censorings are spread up to the end of the curve, not to the next table time
        t1s = last_click if t0 < last_click < t1 else t1
        # the curve ends above 0 inside the interval and the table's next count is 0: the zero
        # says nobody was left by t1, not how many were still followed at the curve's end (at
        # the end of a study many are censored at once); those follow the trend of the table's
        # last two columns up to the curve's end and are censored there
        n_end, d_k, c_k, km_new, placed = _solve_spread(ct, cs, lo, hi, t0, t1s, n_start,
                                                        km_last, target)
        end_mass = False
        if target == 0 and i >= 1 and t0 < last_click < t1 and cs_arr[-1] > ZERO_S and hi >= lo:
            _, solve_to = _trend(T, N, i, n_start, last_click)
            if solve_to > 0:
                # kept only where the drops' heights fit it better than the even spread to 0 (a
                # drop of 1/n means n at risk): after staggered entry few are left at the end
                alt = _solve_spread(ct, cs, lo, hi, t0, t1s, n_start, km_last, solve_to)
                end_mass = alt[0] > 0 and (
                    _click_sse(cs, lo, hi, n_start, km_last, alt[1], alt[2], END_TIE)
                    < _click_sse(cs, lo, hi, n_start, km_last, d_k, c_k) - END_MARGIN - 1e-9)
                if end_mass:
                    n_end, d_k, c_k, km_new, placed = alt
        if end_mass:
            # a curve drawn flat to its end shows where follow-up stopped; one that ends at the
            # bottom of a drop (the reader stopped at the last drop) does not: those left were
            # followed beyond it, up to t1 at most
            if ends_flat:
                cen_times.append(np.full(n_end, last_click + end_eps))
            else:
                cen_times.append(last_click + np.arange(1, n_end + 1) * ((t1 - last_click)
                                                                         / (n_end + 1)))
            warnings.append(
                f"the curve ends at t = {_fmt(last_click)}, above 0, before the table's 0 at "
                f"t = {_fmt(t1)}: {n_end} patient(s) still followed at the curve's end (the trend "
                f"of the table's last two columns, which the drops' heights fit better than "
                f"censoring spread evenly up to the end) were censored "
                + (f"at t = {_fmt(last_click)}" if ends_flat else
                   f"between t = {_fmt(last_click)} and t = {_fmt(t1)} (the curve ends at a drop)"))
            n_end = 0
        d_all[lo:hi + 1] = d_k
        cen_times.append(_censor_times(ct, lo, hi, t0, t1s, c_k, placed))
        n_uneven += placed is not None
        total_cens += int(sum(c_k))
        if n_end < target:
            warnings.append(
                f"between t = {_fmt(t0)} and t = {_fmt(t1)} the curve drops more than the risk "
                f"table allows (even with no censoring only {n_end} would be left, the table says "
                f"{target}); the reconstruction continues with {n_end} at risk")
        km_last = km_new
        n_start = n_end
        if progress is not None:
            progress((i + 1) / n_intervals)

    # the part after the last table time
    lo, hi = int(lower[-1]), K - 1
    t0 = float(T[-1])
    t_end = max(float(ct[-1]), t0)
    d_prev = int(d_all.sum())
    span_prev = float(T[-1] - T[0])
    n_after = K - lo  # clicks at or after the last table time
    if m > 1 and span_prev > 0:
        rate = total_cens / span_prev
    else:
        rate = 0.0

    def run_last(c_):
        cen = _censor_counts(ct, lo, hi, t0, t_end, c_)
        return _walk(cs, lo, hi, n_start, km_last, cen)

    if total_events is None:
        if m >= 2 and n_start > 0 and hi >= lo:
            # the numbers at risk continue along the trend of the table's last two columns
            slope, target = _trend(T, N, -1, n_start, t_end)
            if cs[-1] <= ZERO_S:
                target = 0   # the curve ends at 0: the last patient had the event
            n_end, d_k, c_k, _, placed_last = _solve_spread(ct, cs, lo, hi, t0, t_end, n_start,
                                                            km_last, target)
            if n_after > 0 and zero_time is None:
                warnings.append(
                    f"{n_after} point(s) lie at or after the last risk-table time t = {_fmt(t0)}: the "
                    f"number at risk was continued along the trend of the table's last two "
                    f"columns ({slope:.3g} per unit time), to {target} at the curve's end "
                    f"t = {_fmt(t_end)} ({int(sum(c_k))} censored on the way); those left are "
                    f"censored at t = {_fmt(t_end)}")
        else:
            c = min(int(round(rate * (t_end - t0))), n_start)
            if n_after > 0 and zero_time is None:
                warnings.append(
                    f"{n_after} point(s) lie at or after the last risk-table time t = {_fmt(t0)}: "
                    f"reconstructed with the average censoring rate of the earlier intervals "
                    f"({rate:.3g} per unit time, {c} censored); the rest are censored at "
                    f"t = {_fmt(t_end)}")
            n_end, d_k, c_k, _ = run_last(c)
    else:
        want = total_events - d_prev
        n0, d0, ck0, _ = run_last(0)
        max_events = sum(d0)
        if want < 0:
            c = n_start
            warnings.append(f"the curve already has {d_prev} events before t = {_fmt(t0)}, more "
                            f"than the total of {total_events} given; the total is not used")
            c = min(int(round(rate * (t_end - t0))), n_start)
        elif want >= max_events:
            c = 0
            if want > max_events:
                warnings.append(f"the curve allows at most {d_prev + max_events} events but the "
                                f"total given is {total_events}: no censoring after "
                                f"t = {_fmt(t0)}, {d_prev + max_events} events reconstructed")
        else:
            # events fall as censoring rises: bisect for the smallest c with events ≤ want
            lo_c, hi_c = 0, n_start
            while lo_c < hi_c:
                mid = (lo_c + hi_c) // 2
                if sum(run_last(mid)[1]) <= want:
                    hi_c = mid
                else:
                    lo_c = mid + 1
            c = lo_c
            got = d_prev + sum(run_last(c)[1])
            if got != total_events:
                warnings.append(f"the events could not be made to add up exactly to the "
                                f"total of {total_events} given: {got} reconstructed")
        if n_after > 0:
            warnings.append(f"{n_after} point(s) lie at or after the last risk-table time "
                            f"t = {_fmt(t0)}: {c} censoring(s) spread after it so that the "
                            f"events match the total given; the rest are censored at "
                            f"t = {_fmt(t_end)}")
        n_end, d_k, c_k, _ = run_last(c)
    d_all[lo:hi + 1] = d_k
    cen_times.append(_censor_times(ct, lo, hi, t0, t_end, c_k, placed_last))
    n_uneven += placed_last is not None
    remaining = int(n_end)
    if n_uneven:
        warnings.append(
            f"in {n_uneven} interval(s) of the risk table the censorings were not spread evenly: "
            "few were at risk there, and the heights of the drops (a drop of 1/n means n at "
            "risk) show where they fell")

    ev_idx = np.flatnonzero(d_all)
    ev_t = np.repeat(ct[ev_idx], d_all[ev_idx])
    # many censored at the end of the curve (end of follow-up, or a cut axis) are placed just
    # after it, by the clicks' precision (TIE_X of the axis): the other arm's events clicked at
    # the same time then keep them at risk, as in the trial where both arms' follow-up ended
    # together
    cz_t = np.concatenate(cen_times + [np.full(remaining, t_end + (end_eps if remaining > 1
                                                                    else 0.0))])
    time = np.concatenate((ev_t, cz_t))
    event = np.concatenate((np.ones(ev_t.size, dtype=np.int64), np.zeros(cz_t.size, dtype=np.int64)))
    order = np.argsort(time, kind="stable")
    time, event = time[order], event[order]

    fit = _fit(time, event, ct, cs_arr, T, N)
    if progress is not None:
        progress(1.0)
    return Reconstruction(time=time, event=event, warnings=warnings, fit=fit,
                          curve_time=ct, curve_survival=cs_arr)


def _curve_before(ct: np.ndarray, cs: np.ndarray, T: np.ndarray) -> np.ndarray:
    """S(T⁻) of the cleaned clicks read as a step curve (value of the last click before T)."""
    idx = np.searchsorted(ct, T, side="left") - 1
    return np.where(idx >= 0, cs[np.clip(idx, 0, None)], 1.0)


def _curve_interp(ct: np.ndarray, cs: np.ndarray, T: np.ndarray) -> np.ndarray:
    """S(T⁻) read between the clicks on either side of T (straight line from the last click
    before T to the first click at or after it). Where the reader clicked both corners of every
    drop the two clicks have the same survival and this is the step value; where clicks run
    along a sloping stretch it avoids putting the whole slope on one side of T."""
    after = np.searchsorted(ct, T, side="left")
    before = after - 1
    out = _curve_before(ct, cs, T)
    ok = (before >= 0) & (after < ct.size)
    b, a = before[ok], after[ok]
    dt = ct[a] - ct[b]
    frac = np.where(dt > 0, (T[ok] - ct[b]) / np.where(dt > 0, dt, 1.0), 1.0)
    out[ok] = cs[b] + frac * (cs[a] - cs[b])
    return out


def _clicks_corners(ct: np.ndarray, cs: np.ndarray) -> bool:
    """True when the reader clicked both ends of the drops: then about half the segments
    between clicks are flat (the bottom of one drop to the top of the next), and a sloping
    segment is a stretch of small steps, read along the line. With one click per step (no flat
    segments) a drop is read at its click, as Guyot does."""
    if ct.size < 4:
        return False
    dt = np.diff(ct)
    ds = -np.diff(cs)
    span = float(ct[-1] - ct[0]) or 1.0
    flat = (ds <= 0.002) & (dt > 0.002 * span)
    return float(np.mean(flat)) >= 0.25


def _with_anchors(ct, cs, T):
    """The clicks plus one point just before each table time T_j (j ≥ 1) carrying S(T_j⁻), so
    the drop up to T_j is counted in the interval that ends there."""
    Tj = np.asarray(T[1:], dtype=float)
    s_before = (_curve_interp(ct, cs, Tj) if _clicks_corners(ct, cs)
                else _curve_before(ct, cs, Tj))
    scale = max(float(ct[-1]) if ct.size else 1.0, float(T[-1]), 1.0)
    ta = np.maximum(Tj - 1e-9 * scale, np.nextafter(Tj, -np.inf))
    t2 = np.concatenate((ct, ta))
    s2 = np.concatenate((cs, s_before))
    order = np.lexsort((-s2, t2))
    t2, s2 = t2[order], s2[order]
    return t2, np.minimum.accumulate(s2)


def _censor_times(ct, lo, hi, t_start, t_end, c_k, placed=None) -> np.ndarray:
    """Times for the censorings actually used: the even spread of the interval, c_k[0] of them
    before click lo and c_k[k + 1] between click k and the next (the spread positions inside
    that gap); or, given the times ``placed`` chosen by _solve_spread, as many of them per click
    gap as the walk used."""
    if placed is not None:
        idx = np.searchsorted(ct[lo:hi + 1], placed, side="right")
        out = [placed[idx == g][:c] for g, c in enumerate(c_k) if c > 0]
        return np.concatenate(out) if out else np.zeros(0)
    total = int(sum(c_k))
    if total == 0:
        return np.zeros(0)
    grid = _censor_grid(t_start, t_end, total)
    # place each click-gap's censorings at the grid points that fall in it, falling back to the
    # gap's midpoint when the counts were adjusted
    out = []
    edges = np.concatenate(([t_start], ct[lo:hi + 1], [t_end]))
    for j, c in enumerate(c_k):
        if c <= 0:
            continue
        a, b = edges[j], edges[j + 1]
        inside = grid[(grid >= a) & (grid < b)]
        if inside.size >= c:
            out.append(inside[:c])
        else:
            if b > a:
                pts = a + np.arange(1, c + 1) * ((b - a) / (c + 1))
            else:
                pts = np.full(c, min(a, b))
            out.append(pts)
    return np.concatenate(out)


def _fit(time, event, ct, cs, T, N) -> Fit:
    st, ss = km_steps(time, event)
    after = km_evaluate(st, ss, ct)
    before = km_evaluate(st, ss, ct, left=True)
    dist = np.where(cs > before, cs - before, np.where(cs < after, after - cs, 0.0))
    sorted_t = np.sort(time)
    at_risk = time.size - np.searchsorted(sorted_t, T, side="left")
    return Fit(max_abs_distance=float(dist.max()) if dist.size else 0.0,
               rms_distance=float(np.sqrt(np.mean(dist ** 2))) if dist.size else 0.0,
               at_risk_times=np.asarray(T, dtype=float),
               at_risk_given=np.asarray(N, dtype=np.int64),
               at_risk_reconstructed=at_risk.astype(np.int64))


def reconstruct_many(curves: dict, tables: dict, total_events: dict | None = None,
                     progress: Callable[[float], object] | None = None) -> dict[str, Reconstruction]:
    """Reconstruct several arms: ``curves[name] = (t, s)``, ``tables[name] = (times, counts)``."""
    out = {}
    names = [n for n in curves if n in tables]
    for k, name in enumerate(names):
        def sub(f, k=k):
            if progress is not None:
                progress((k + f) / len(names))
        t, s = curves[name]
        times, counts = tables[name]
        out[name] = reconstruct(t, s, times, counts,
                                total_events=(total_events or {}).get(name), progress=sub)
    return out
