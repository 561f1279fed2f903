"""Stage 1: the clicks and the risk table cleaned (every change a warning a user can read), checked
for plausibility, and the curve read just before each table time."""
from __future__ import annotations

import math

import numpy as np

from evidencegui.core.errors import InputError
from evidencegui.core.reconstruct.constants import (FEASIBILITY_ABS, MAX_VALUE, OUTLIER_X,
                                                   PLAUSIBLE_FRAC, PLAUSIBLE_RATIO)
from evidencegui.core.reconstruct.result import _fmt


def _two_float_arrays(a, b, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Two sequences as flat float arrays, or an InputError saying ``what`` must be numbers."""
    try:
        return np.array(a, dtype=float).ravel(), np.array(b, dtype=float).ravel()
    except (TypeError, ValueError) as e:
        raise InputError(f"{what} must be numbers ({e})") from None


def _along_curve(t, s) -> tuple[float, np.ndarray]:
    """The time axis' span and the order of the points along the curve (see clean_curve)."""
    span = float(t.max()) if t.size and t.max() > 0 else 1.0
    return span, np.lexsort((-s, t, t / span + (1.0 - s)))


def clean_curve(t, s) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Cleaned clicks: t ≥ 0, S in [0, 1], sorted (t ascending, S descending at equal t),
    non-increasing (running minimum), starting at (0, 1). Returns (t, s, warnings)."""
    warnings: list[str] = []
    t, s = _two_float_arrays(t, s, "the curve's points")
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
    T, Nf = _two_float_arrays(times, counts, "the numbers at risk")
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


def _implausible_counts(ct, cs, T, N) -> list[str]:
    """Warnings for numbers at risk out of line with the curve and their neighbours."""
    if T.size < 3:
        return []
    S = _curve_before(ct, cs, T)
    S[0] = 1.0
    frac = np.zeros(T.size - 1)
    for j in range(T.size - 1):
        if N[j] > 0 and S[j] > 0:
            frac[j] = max(0.0, (N[j] * S[j + 1] / S[j] - N[j + 1]) / N[j])
    out = []
    for j in range(frac.size):
        others = np.delete(frac, j)
        ref = max(float(others.max()) if others.size else 0.0, 0.05)
        if frac[j] > PLAUSIBLE_FRAC and frac[j] > PLAUSIBLE_RATIO * ref:
            guess = ""
            if N[j] >= 10 and N[j] // 10 >= N[j + 1]:
                alt = (N[j] // 10) * S[j + 1] / S[j] - N[j + 1]
                if alt >= -FEASIBILITY_ABS:
                    guess = f" (was {N[j] // 10} meant?)"
            out.append(f"the number at risk {N[j]} at t = {_fmt(T[j])} is out of line with the curve "
                       f"and the next count ({N[j + 1]} at t = {_fmt(T[j + 1])}): "
                       f"{100 * frac[j]:.0f}% of the patients would be censored in that interval, "
                       f"against at most {100 * ref:.0f}% in the others; check the count{guess}")
    return out


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
