"""Thinning what is drawn to the screen's resolution: a 100,000-step Kaplan–Meier curve drawn into
about a thousand pixel columns needs only a few vertices per column to give the same picture.

``thin_polyline`` keeps, per run of consecutive vertices that fall in one column of width ``dx``,
the first and the last vertex and the lowest and the highest (in the vertices' order; "M4"
thinning). Within a column the thinned line then spans the same heights between the same first
and last points, and the segments joining two columns are the full line's own segments: the two
lines never lie more than ``dx`` apart horizontally and not at all apart vertically (at each
height the full line reaches within a column, the thinned one reaches too). With ``dx`` at most a
pixel the drawn pictures agree to within a pixel (tests/core/test_curve_thin.py rasterises both).

``thin_marks`` keeps one mark per cell of ``dx`` × ``dy``: marks drawn on the same spot look like
one mark.

Pure numpy (no Qt): the plot (ui/survival_plot.py) calls these with the pixel size of its view.
"""
from __future__ import annotations

import numpy as np

__all__ = ["thin_polyline", "thin_steps", "thin_marks", "THIN_MIN_POINTS"]

# Below this many vertices a curve is drawn as it is: thinning would save little.
THIN_MIN_POINTS = 2000


def _first_per_run(hit: np.ndarray, run_id: np.ndarray) -> np.ndarray:
    """Index of the first True of ``hit`` in each run (runs without one give nothing)."""
    idx = np.flatnonzero(hit)
    if len(idx) == 0:
        return idx
    rid = run_id[idx]
    first = np.ones(len(idx), bool)
    first[1:] = rid[1:] != rid[:-1]
    return idx[first]


def thin_polyline(x, y, dx: float, x0: float = 0.0, dy: float | None = None) -> np.ndarray:
    """Indices of the vertices to keep (ascending) so that the polyline (x[i], y[i]) drawn with
    columns of width ``dx`` (starting at ``x0``) looks the same.

    With ``dy`` the cells are ``dx`` × ``dy`` (a run ends where the line enters another row as
    well): a steep stretch keeps a vertex about every ``dy`` of height.

    Vertices whose x or y is not finite are kept and break runs (a gap stays a gap). ``dx`` not
    positive or not finite keeps every vertex."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n != len(y):
        raise ValueError("x and y differ in length")
    if n <= 4 or not (np.isfinite(dx) and dx > 0):
        return np.arange(n)
    bad = ~(np.isfinite(x) & np.isfinite(y))
    col = np.floor((np.where(bad, 0.0, x) - x0) / dx)
    brk = np.empty(n, bool)
    brk[0] = True
    brk[1:] = (col[1:] != col[:-1]) | bad[1:] | bad[:-1]
    if dy is not None and np.isfinite(dy) and dy > 0:
        row = np.floor(np.where(bad, 0.0, y) / dy)
        brk[1:] |= row[1:] != row[:-1]
    starts = np.flatnonzero(brk)
    keep = np.zeros(n, bool)
    keep[starts] = True
    keep[np.r_[starts[1:] - 1, n - 1]] = True          # each run's last vertex
    if len(starts) < n:                                  # some run holds more than two vertices
        run_id = np.cumsum(brk) - 1
        yy = np.where(bad, 0.0, y)
        lo = np.minimum.reduceat(yy, starts)
        hi = np.maximum.reduceat(yy, starts)
        ok = ~bad
        keep[_first_per_run(ok & (yy == lo[run_id]), run_id)] = True
        keep[_first_per_run(ok & (yy == hi[run_id]), run_id)] = True
    return np.flatnonzero(keep)


def thin_steps(x, y, dx: float, x0: float = 0.0, dy: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A step curve (every segment horizontal or vertical, as core.curves.km_steps draws a
    Kaplan–Meier curve) thinned like ``thin_polyline`` and kept a step curve: where two kept
    vertices differ in both x and y, the corner (next x, previous y) is put between them (the
    value held, then the drop). Returns the new x and y.

    A stroke along thousands of sub-pixel steps is thicker than one along their diagonal (the
    pen's width is added horizontally and vertically): keeping the steps keeps the curve's look,
    and the corner lies within the column the thinned vertices came from."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    idx = thin_polyline(x, y, dx, x0, dy)
    xs, ys = x[idx], y[idx]
    if len(xs) < 2:
        return xs, ys
    diag = np.flatnonzero((xs[1:] != xs[:-1]) & (ys[1:] != ys[:-1]))
    if len(diag) == 0:
        return xs, ys
    # corner k goes after vertex diag[k]: (x of the next vertex, y of this one)
    return (np.insert(xs, diag + 1, xs[diag + 1]), np.insert(ys, diag + 1, ys[diag]))


def thin_marks(x, y, dx: float, dy: float, x0: float = 0.0, y0: float = 0.0) -> np.ndarray:
    """Indices (ascending) of the marks to keep: the first of each cell of ``dx`` × ``dy``.

    Marks with a non-finite coordinate are kept. ``dx`` or ``dy`` not positive keeps all."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n <= 1 or not (np.isfinite(dx) and dx > 0 and np.isfinite(dy) and dy > 0):
        return np.arange(n)
    bad = ~(np.isfinite(x) & np.isfinite(y))
    cx = np.floor((np.where(bad, 0.0, x) - x0) / dx).astype(np.int64)
    cy = np.floor((np.where(bad, 0.0, y) - y0) / dy).astype(np.int64)
    # Sorted times and a monotone curve put the marks of a cell next to each other: the cheap way
    # first, and a full check (np.unique) only when a cell turns up again later.
    new = np.ones(n, bool)
    new[1:] = (cx[1:] != cx[:-1]) | (cy[1:] != cy[:-1]) | bad[1:] | bad[:-1]
    new |= bad
    idx = np.flatnonzero(new)
    good = idx[~bad[idx]]
    span = int(cy[~bad].max() - cy[~bad].min()) + 1 if len(good) else 1
    key = cx * span + (cy - (cy[~bad].min() if len(good) else 0))      # one integer a cell
    if len(good) and len(np.unique(key[good])) < len(good):
        ok = np.flatnonzero(~bad)
        _, first = np.unique(key[ok], return_index=True)
        idx = np.union1d(ok[first], np.flatnonzero(bad))
    return idx
