"""The numbers-at-risk table of a vector figure: rows of integers under the x axis, each number
centred on an x tick (or on a time the x calibration gives), each row matched to a curve by its
label (text left of the row), else by the colour of its numbers, else by order with a warning."""
from __future__ import annotations

import numpy as np

from .model import AtRisk
from .ticks import parse_number


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def _match_label(label: str, names: list[str]) -> str | None:
    if not label:
        return None
    key = _norm(label)
    exact = [n for n in names if _norm(n) == key]
    if len(exact) == 1:
        return exact[0]
    part = [n for n in names if n and (_norm(n) in key or key in _norm(n))]
    return part[0] if len(part) == 1 else None


def read_at_risk(words, xaxis, box, curves, warnings: list[str]) -> AtRisk | None:
    """``words`` of the page, ``xaxis`` the x TickAxis, ``box`` the plot box (points),
    ``curves`` the curves found (their names and colours)."""
    a, b = xaxis.fit()
    ticks_t = xaxis.values
    spacing_pt = float(np.median(np.diff(np.sort(xaxis.pos))))
    label_bottom = max(w.bottom for w in xaxis.words)
    x0, _, x1, _ = box
    ints = []
    for w in words:
        if w.top < label_bottom - 0.5 or w in xaxis.words:
            continue
        v = parse_number(w.text)
        if v is None or v < 0 or v != int(v) or "." in w.text or "%" in w.text:
            continue
        if not (x0 - 0.3 * spacing_pt <= w.xc <= x1 + 0.3 * spacing_pt):
            continue
        ints.append((w, int(v)))
    if not ints:
        return None
    # rows by vertical centre
    ints.sort(key=lambda e: e[0].yc)
    rows, cur = [], [ints[0]]
    for e in ints[1:]:
        if e[0].yc - cur[-1][0].yc > 0.5 * (e[0].bottom - e[0].top):
            rows.append(cur)
            cur = []
        cur.append(e)
    rows.append(cur)
    table = []
    for r in rows:
        r.sort(key=lambda e: e[0].xc)
        t = a + b * np.array([e[0].xc for e in r])
        # snap to the tick times when within a quarter of a tick spacing
        snapped = []
        for ti in t:
            j = int(np.argmin(np.abs(ticks_t - ti)))
            tol = 0.25 * abs(b) * spacing_pt
            snapped.append(float(ticks_t[j]) if abs(ticks_t[j] - ti) <= tol else float(ti))
        counts = [e[1] for e in r]
        if len(r) < 2:
            continue
        if np.allclose(snapped, counts):      # a second row of tick labels (a table's own time axis)
            continue
        if len(set(snapped)) < len(snapped):
            continue
        table.append((r, snapped, counts))
    if not table:
        return None
    names = [c.name for c in curves]
    assigned: dict[str, tuple] = {}
    unmatched = []
    for r, times, counts in table:
        yc = np.mean([e[0].yc for e in r])
        h = r[0][0].bottom - r[0][0].top
        left = sorted((w for w in words if abs(w.yc - yc) < 0.5 * h and w.x1 < r[0][0].x0 - 0.5
                       and parse_number(w.text) is None), key=lambda w: w.x0)
        label = " ".join(w.text for w in left)
        name = _match_label(label, names)
        if name is None:
            cols = {e[0].colour for e in r}
            if len(cols) == 1:
                col = next(iter(cols))
                same = [c.name for c in curves if c.colour == col]
                if len(same) == 1 and col not in ((0, 0, 0),):
                    name = same[0]
        if name is None or name in assigned:
            unmatched.append((r, times, counts, label))
        else:
            assigned[name] = (times, counts)
    rest = [n for n in names if n not in assigned]
    if unmatched and len(unmatched) == len(rest):
        warnings.append("numbers-at-risk rows matched to curves by order (row labels "
                        f"{', '.join(repr(u[3]) for u in unmatched)} do not name a curve): check them")
        order = sorted(rest, key=lambda n: names.index(n))
        for u, n in zip(unmatched, order):
            assigned[n] = (u[1], u[2])
    elif unmatched:
        warnings.append(f"{len(unmatched)} row(s) of integers under the x axis not matched to a curve: ignored")
    if not assigned:
        return None
    times = sorted({t for ts, _ in assigned.values() for t in ts})
    counts: dict[str, list[int]] = {}
    for n in names:
        if n not in assigned:
            continue
        ts, cs = assigned[n]
        m = dict(zip(ts, cs))
        col = []
        for t in times:
            if t not in m:
                break
            col.append(m[t])
        if len(col) < len(ts):
            warnings.append(f"numbers at risk of {n!r}: a number is missing at time {times[len(col)]:g}; "
                            "the row is kept up to there")
        if any(b_ > a_ for a_, b_ in zip(col, col[1:])):
            warnings.append(f"numbers at risk of {n!r} increase along the row ({col}): check the table")
        counts[n] = col
    return AtRisk(times, counts)
