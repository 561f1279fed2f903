"""Stage 2: Guyot's walk over one interval of the risk table: censorings spread, events from the
drops, the number censored adjusted until the number at risk at the interval's end agrees."""
from __future__ import annotations

import math
from contextvars import ContextVar

import numpy as np

from evidencegui.core.errors import InputError
from evidencegui.core.reconstruct.constants import EVEN, ZERO_S


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
