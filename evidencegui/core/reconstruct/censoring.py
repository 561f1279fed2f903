"""Stage 3: where few are at risk, censorings placed where the heights of the drops say they fell
(a drop of 1/n means n at risk), scored against Guyot's even spread."""
from __future__ import annotations

import math

import numpy as np

from evidencegui.core.reconstruct.constants import (EXTRA_EVENT_COST, FIT_SD, SPREAD_MAX_N, TIE_X,
                                                   WINDOWS)
from evidencegui.core.reconstruct.intervals import _solve_interval, _walk


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
