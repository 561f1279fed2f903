"""The reconstruction of one arm as named stages: inputs cleaned and checked (clean), the risk
table walked interval by interval (intervals, censoring), the part after the table's last time,
and the patients assembled with the fit report (result)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from evidencegui.core.errors import InputError
from evidencegui.core.reconstruct.censoring import _click_sse, _solve_spread
from evidencegui.core.reconstruct.clean import (_clean_table, _curve_before, _implausible_counts,
                                                _with_anchors, clean_curve)
from evidencegui.core.reconstruct.constants import (END_MARGIN, END_TIE, FEASIBILITY_ABS,
                                                    FEASIBILITY_REL, FEASIBILITY_X, FIT_SD, TIE_X,
                                                    ZERO_S)
from evidencegui.core.reconstruct.intervals import (_MARKS, _censor_counts, _censor_times,
                                                    _marks_array, _trend, _walk)
from evidencegui.core.reconstruct.result import Reconstruction, _fit, _fmt


@dataclass
class _Inputs:
    """Cleaned inputs: clicks (ct, cs_arr), risk table (T, N), the time of its first zero."""
    ct: np.ndarray
    cs_arr: np.ndarray
    T: np.ndarray
    N: np.ndarray
    zero_time: float | None
    total_events: int | None
    warnings: list[str]


@dataclass
class _Walk:
    """What the walk over the table has built so far."""
    ct: np.ndarray                 # clicks with the anchors before each table time
    cs_arr: np.ndarray
    cs: list[float]
    lower: np.ndarray              # first click of each interval
    last_click: float
    end_eps: float                 # the clicks' precision at the curve's end
    ends_flat: bool
    d_all: np.ndarray              # events per click
    cen_times: list[np.ndarray] = field(default_factory=list)
    km_last: float = 1.0
    n_start: int = 0               # number at risk at the start of the current interval
    total_cens: int = 0
    n_uneven: int = 0


# ------------------------------------------------------------------------------ stage 1

def _check_total_events(total_events, n0: int) -> int | None:
    if total_events is None:
        return None
    try:
        te = float(total_events)
    except (TypeError, ValueError):
        raise InputError(f"the total number of events must be a whole number, "
                         f"not {total_events!r}", field="total_events") from None
    if not math.isfinite(te) or te < 0 or te != round(te) or te > n0:
        raise InputError(f"the total number of events must be a whole number between 0 and "
                         f"the number of patients ({n0}), not {total_events!r}",
                         field="total_events")
    return int(te)


def _check_feasible(ct, cs_arr, T, N) -> None:
    """N_j ≤ N_1·S(T_j⁻) (censoring only removes patients faster than the curve); S is read a
    little before T_j (FEASIBILITY_X of the time axis) so that a drop just after T_j clicked
    slightly left of it does not count."""
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


def _prepare(t, s, at_risk_times, at_risk_counts, total_events) -> _Inputs:
    """Clean the clicks and the table, check them against each other; every change a warning."""
    ct, cs_arr, warnings = clean_curve(t, s)
    T, N, table_warnings, zero_time = _clean_table(at_risk_times, at_risk_counts)
    warnings.extend(table_warnings)
    total_events = _check_total_events(total_events, N[0])
    if zero_time is not None:
        past = ct >= zero_time
        if past.any():
            warnings.append(f"dropped {int(past.sum())} point(s) at or after t = "
                            f"{_fmt(zero_time)}, where the risk table has nobody left")
            ct, cs_arr = ct[~past], cs_arr[~past]
    _check_feasible(ct, cs_arr, T, N)
    warnings.extend(_implausible_counts(ct, cs_arr, T, N))
    last_click = float(ct[-1])
    if T[-1] > last_click and T.size > 1:
        warnings.append(f"the curve has no points after t = {_fmt(last_click)} but the risk "
                        f"table runs to t = {_fmt(T[-1])}: no events assumed after the last point")
    return _Inputs(ct, cs_arr, T, N, zero_time, total_events, warnings)


def _start_walk(inp: _Inputs) -> _Walk:
    """The clicks with an extra point at each table time (the curve's value just before it)."""
    last_click = float(inp.ct[-1])
    T = inp.T
    ct, cs_arr = _with_anchors(inp.ct, inp.cs_arr, T)
    end_eps = TIE_X * max(last_click, float(T[-1]) if inp.zero_time is None else 0.0, 1e-12)
    level = np.flatnonzero(cs_arr <= cs_arr[-1] + 2 * FIT_SD)
    ends_flat = bool(level.size) and (last_click - float(ct[level[0]])
                                      > TIE_X * max(last_click, 1e-12))
    if T.size == 1:
        inp.warnings.append(
            "the risk table gives only the number at time 0: the censoring cannot be "
            "checked against the table, and a hazard ratio from this reconstruction is "
            "much less reliable (give the numbers at risk, or at least the total events)")
    return _Walk(ct=ct, cs_arr=cs_arr, cs=cs_arr.tolist(),
                 lower=np.searchsorted(ct, T, side="left"), last_click=last_click,
                 end_eps=end_eps, ends_flat=ends_flat, d_all=np.zeros(ct.size, dtype=np.int64),
                 n_start=int(inp.N[0]))


# ------------------------------------------------------------------------------ stage 2

def _walk_table(inp: _Inputs, w: _Walk, progress) -> None:
    """Guyot's walk over every interval [T_i, T_{i+1}) of the table."""
    T, N, warnings = inp.T, inp.N, inp.warnings
    ct, cs, cs_arr, lower, last_click = w.ct, w.cs, w.cs_arr, w.lower, w.last_click
    m = T.size
    n_intervals = m  # the last one is the part after the last table time
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
        n_end, d_k, c_k, km_new, placed = _solve_spread(ct, cs, lo, hi, t0, t1s, w.n_start,
                                                        w.km_last, target)
        end_mass = False
        if target == 0 and i >= 1 and t0 < last_click < t1 and cs_arr[-1] > ZERO_S and hi >= lo:
            _, solve_to = _trend(T, N, i, w.n_start, last_click)
            if solve_to > 0:
                # kept only where the drops' heights fit it better than the even spread to 0 (a
                # drop of 1/n means n at risk): after staggered entry few are left at the end
                alt = _solve_spread(ct, cs, lo, hi, t0, t1s, w.n_start, w.km_last, solve_to)
                end_mass = alt[0] > 0 and (
                    _click_sse(cs, lo, hi, w.n_start, w.km_last, alt[1], alt[2], END_TIE)
                    < _click_sse(cs, lo, hi, w.n_start, w.km_last, d_k, c_k) - END_MARGIN - 1e-9)
                if end_mass:
                    n_end, d_k, c_k, km_new, placed = alt
        if end_mass:
            _censor_end_mass(w, warnings, n_end, t1)
            n_end = 0
        w.d_all[lo:hi + 1] = d_k
        w.cen_times.append(_censor_times(ct, lo, hi, t0, t1s, c_k, placed))
        w.n_uneven += placed is not None
        w.total_cens += int(sum(c_k))
        if n_end < target:
            warnings.append(
                f"between t = {_fmt(t0)} and t = {_fmt(t1)} the curve drops more than the risk "
                f"table allows (even with no censoring only {n_end} would be left, the table says "
                f"{target}); the reconstruction continues with {n_end} at risk")
        w.km_last = km_new
        w.n_start = n_end
        if progress is not None:
            progress((i + 1) / n_intervals)


def _censor_end_mass(w: _Walk, warnings: list[str], n_end: int, t1: float) -> None:
    """Those still followed at the curve's end, before the table's 0 at t1: a curve drawn flat
    to its end shows where follow-up stopped; one that ends at the bottom of a drop (the reader
    stopped at the last drop) does not: those left were followed beyond it, up to t1 at most."""
    last_click = w.last_click
    if w.ends_flat:
        w.cen_times.append(np.full(n_end, last_click + w.end_eps))
    else:
        w.cen_times.append(last_click + np.arange(1, n_end + 1) * ((t1 - last_click)
                                                                   / (n_end + 1)))
    warnings.append(
        f"the curve ends at t = {_fmt(last_click)}, above 0, before the table's 0 at "
        f"t = {_fmt(t1)}: {n_end} patient(s) still followed at the curve's end (the trend "
        f"of the table's last two columns, which the drops' heights fit better than "
        f"censoring spread evenly up to the end) were censored "
        + (f"at t = {_fmt(last_click)}" if w.ends_flat else
           f"between t = {_fmt(last_click)} and t = {_fmt(t1)} (the curve ends at a drop)"))


# ------------------------------------------------------------------------------ stage 3

def _after_table(inp: _Inputs, w: _Walk) -> tuple[int, float]:
    """The part after the last table time: the numbers at risk follow the trend of the table (or
    Guyot's average censoring rate), or the censoring makes the events add up to the total
    given. Returns (patients left at the end, the curve's end time)."""
    T, N, warnings, total_events = inp.T, inp.N, inp.warnings, inp.total_events
    ct, cs, km_last, n_start = w.ct, w.cs, w.km_last, w.n_start
    m = T.size
    K = ct.size
    lo, hi = int(w.lower[-1]), K - 1
    t0 = float(T[-1])
    t_end = max(float(ct[-1]), t0)
    d_prev = int(w.d_all.sum())
    span_prev = float(T[-1] - T[0])
    n_after = K - lo  # clicks at or after the last table time
    if m > 1 and span_prev > 0:
        rate = w.total_cens / span_prev
    else:
        rate = 0.0
    placed_last = None

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
            if n_after > 0 and inp.zero_time is None:
                warnings.append(
                    f"{n_after} point(s) lie at or after the last risk-table time t = {_fmt(t0)}: the "
                    f"number at risk was continued along the trend of the table's last two "
                    f"columns ({slope:.3g} per unit time), to {target} at the curve's end "
                    f"t = {_fmt(t_end)} ({int(sum(c_k))} censored on the way); those left are "
                    f"censored at t = {_fmt(t_end)}")
        else:
            c = min(int(round(rate * (t_end - t0))), n_start)
            if n_after > 0 and inp.zero_time is None:
                warnings.append(
                    f"{n_after} point(s) lie at or after the last risk-table time t = {_fmt(t0)}: "
                    f"reconstructed with the average censoring rate of the earlier intervals "
                    f"({rate:.3g} per unit time, {c} censored); the rest are censored at "
                    f"t = {_fmt(t_end)}")
            n_end, d_k, c_k, _ = run_last(c)
    else:
        c = _censoring_for_total(run_last, total_events, d_prev, n_start, rate, t0, t_end,
                                 warnings)
        if n_after > 0:
            warnings.append(f"{n_after} point(s) lie at or after the last risk-table time "
                            f"t = {_fmt(t0)}: {c} censoring(s) spread after it so that the "
                            f"events match the total given; the rest are censored at "
                            f"t = {_fmt(t_end)}")
        n_end, d_k, c_k, _ = run_last(c)
    w.d_all[lo:hi + 1] = d_k
    w.cen_times.append(_censor_times(ct, lo, hi, t0, t_end, c_k, placed_last))
    w.n_uneven += placed_last is not None
    if w.n_uneven:
        warnings.append(
            f"in {w.n_uneven} interval(s) of the risk table the censorings were not spread evenly: "
            "few were at risk there, and the heights of the drops (a drop of 1/n means n at "
            "risk) show where they fell")
    return int(n_end), t_end


def _censoring_for_total(run_last, total_events, d_prev, n_start, rate, t0, t_end,
                         warnings) -> int:
    """The number censored after the last table time so that the events add up to the total."""
    want = total_events - d_prev
    n0, d0, ck0, _ = run_last(0)
    max_events = sum(d0)
    if want < 0:
        warnings.append(f"the curve already has {d_prev} events before t = {_fmt(t0)}, more "
                        f"than the total of {total_events} given; the total is not used")
        return min(int(round(rate * (t_end - t0))), n_start)
    if want >= max_events:
        if want > max_events:
            warnings.append(f"the curve allows at most {d_prev + max_events} events but the "
                            f"total given is {total_events}: no censoring after "
                            f"t = {_fmt(t0)}, {d_prev + max_events} events reconstructed")
        return 0
    # events fall as censoring rises: bisect for the smallest c with events ≤ want
    lo_c, hi_c = 0, n_start
    while lo_c < hi_c:
        mid = (lo_c + hi_c) // 2
        if sum(run_last(mid)[1]) <= want:
            hi_c = mid
        else:
            lo_c = mid + 1
    got = d_prev + sum(run_last(lo_c)[1])
    if got != total_events:
        warnings.append(f"the events could not be made to add up exactly to the "
                        f"total of {total_events} given: {got} reconstructed")
    return lo_c


# ------------------------------------------------------------------------------ stage 4

def _assemble(inp: _Inputs, w: _Walk, remaining: int, t_end: float,
              figure_end: float | None) -> Reconstruction:
    """One row per patient (events at the clicks, censorings where they were placed), sorted by
    time, with the fit report."""
    T, N, warnings = inp.T, inp.N, inp.warnings
    ev_idx = np.flatnonzero(w.d_all)
    ev_t = np.repeat(w.ct[ev_idx], w.d_all[ev_idx])
    # many censored at the end of the curve (end of follow-up, or a cut axis) are placed just
    # after it, by the clicks' precision (TIE_X of the axis): the other arm's events clicked at
    # the same time then keep them at risk, as in the trial where both arms' follow-up ended
    # together
    cz_t = np.concatenate(w.cen_times + [np.full(remaining, t_end + (w.end_eps if remaining > 1
                                                                      else 0.0))])
    # no follow-up past what the figure shows: censoring no later than the last click, or than
    # the last table time that still has patients at risk when the table runs beyond the curve
    # (within the clicks' precision, end_eps: many censored together at the end keep the other
    # arm's events clicked at the same time at risk; without it the HR of tied data moved 5%)
    limit = max(w.last_click, float(T[N > 0][-1]),
                float(figure_end) if figure_end is not None and math.isfinite(figure_end)
                else 0.0) + w.end_eps
    late = cz_t > limit
    if late.any():
        cz_t = np.minimum(cz_t, limit)
        warnings.append(f"{int(late.sum())} censoring(s) placed at t = {_fmt(limit)}, the end of what "
                        "the figure shows (the last point of the curve, or the last time of the "
                        "risk table with patients at risk, within the clicks' precision), not later")
    time = np.concatenate((ev_t, cz_t))
    event = np.concatenate((np.ones(ev_t.size, dtype=np.int64), np.zeros(cz_t.size, dtype=np.int64)))
    order = np.argsort(time, kind="stable")
    time, event = time[order], event[order]
    fit = _fit(time, event, w.ct, w.cs_arr, T, N)
    return Reconstruction(time=time, event=event, warnings=warnings, fit=fit,
                          curve_time=w.ct, curve_survival=w.cs_arr)


def reconstruct(t, s, at_risk_times, at_risk_counts, total_events: int | None = None,
                progress: Callable[[float], object] | None = None,
                censor_times=None, *, figure_end: float | None = None) -> Reconstruction:
    """Rebuild patient-level data from digitized clicks (t, s) of one Kaplan–Meier curve and
    its numbers at risk (times starting at 0, counts). ``total_events`` (optional) fixes the
    censoring after the last time of the table. ``progress(fraction)`` is called as the
    intervals are done; an exception raised in it cancels the reconstruction. ``figure_end``
    (optional): the last time any curve of the figure shows (the other arms' last clicks); no
    patient is censored later than it, the curve's last click or the risk table's last time
    with patients at risk, whichever is latest (within the clicks' precision).

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
            return reconstruct(t, s, at_risk_times, at_risk_counts, total_events, progress,
                               figure_end=figure_end)
        finally:
            _MARKS.reset(token)
    inp = _prepare(t, s, at_risk_times, at_risk_counts, total_events)
    w = _start_walk(inp)
    _walk_table(inp, w, progress)
    remaining, t_end = _after_table(inp, w)
    rec = _assemble(inp, w, remaining, t_end, figure_end)
    median = rec.level_time(0.5)
    if median["not_reached_in_figure"]:
        rec.warnings.append(median["note"])
    if progress is not None:
        progress(1.0)
    return rec


def reconstruct_many(curves: dict, tables: dict, total_events: dict | None = None,
                     progress: Callable[[float], object] | None = None,
                     censor_times: dict | None = None) -> dict[str, Reconstruction]:
    """Reconstruct several arms: ``curves[name] = (t, s)``, ``tables[name] = (times, counts)``,
    optionally ``censor_times[name]`` (censor marks read on that curve; see ``reconstruct``);
    no arm is censored past the last time any of the curves shows."""
    out = {}
    names = [n for n in curves if n in tables]
    end = max((float(np.max(curves[n][0])) for n in names if len(curves[n][0])), default=None)
    for k, name in enumerate(names):
        def sub(f, k=k):
            if progress is not None:
                progress((k + f) / len(names))
        t, s = curves[name]
        times, counts = tables[name]
        out[name] = reconstruct(t, s, times, counts,
                                total_events=(total_events or {}).get(name), progress=sub,
                                censor_times=(censor_times or {}).get(name) or None,
                                figure_end=end)
    return out
