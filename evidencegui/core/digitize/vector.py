"""Curves read from a PDF page's vector drawing (points, y from the top).

Stages: split the stroked paths into straight segments; find the plot box (axis lines near the
tick labels); drop grid and axis lines and filled shapes (confidence bands); group what is left
by stroke style (colour, dash, width) and by connection into pieces; long pieces are curves,
small pieces are censor marks (on a curve) or legend samples (a short line with text to its
right, which names the curve)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .model import Curve


@dataclass(eq=False)
class Piece:
    style: tuple
    colour: tuple[int, int, int]
    dash: tuple | None
    pts: list[np.ndarray] = field(default_factory=list)    # polylines (N, 2)

    @cached_property          # read once the piece is complete (after _connect)
    def all_pts(self) -> np.ndarray:
        return np.vstack(self.pts)

    @cached_property
    def bbox(self):
        a = self.all_pts
        return a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()


def straight_segments(paths) -> np.ndarray:
    """(N, 4) x0, y0, x1, y1 of every stroked 2-point path (tick marks, grid and axis lines)."""
    segs = [p.pts[:2].ravel() for p in paths if p.stroke is not None and len(p.pts) == 2]
    return np.array(segs, float).reshape(-1, 4)


def plot_box(xaxis, yaxis, segments) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the axes' box in points: axis lines where drawn, else the outermost
    tick positions."""
    ax, bx = xaxis.fit()
    ay, by = yaxis.fit()
    x_ticks, y_ticks = xaxis.pos, yaxis.pos
    label_top = min(w.top for w in xaxis.words)
    label_right = max(w.x1 for w in yaxis.words)
    x0, x1 = float(x_ticks.min()), float(x_ticks.max())
    y0, y1 = float(y_ticks.min()), float(y_ticks.max())   # y0 top (highest value)
    if len(segments):
        s = segments
        horiz = s[np.abs(s[:, 1] - s[:, 3]) < 0.05]
        vert = s[np.abs(s[:, 0] - s[:, 2]) < 0.05]
        span_x = x1 - x0
        span_y = y1 - y0
        # x axis line: long horizontal line between the lowest y tick and the x labels
        hl = [h for h in horiz if abs(h[2] - h[0]) > 0.5 * span_x and y1 - 1 <= h[1] <= label_top + 0.5]
        if hl:
            h = min(hl, key=lambda h: label_top - h[1])
            y1 = max(y1, float(h[1]))
            x1 = max(x1, float(max(h[0], h[2])))
            x0 = min(x0, float(min(h[0], h[2])))
        vl = [v for v in vert if abs(v[3] - v[1]) > 0.5 * span_y and label_right - 0.5 <= v[0] <= x0 + 1]
        if vl:
            v = min(vl, key=lambda v: v[0] - label_right)
            x0 = min(x0, float(v[0]))
            y0 = min(y0, float(min(v[1], v[3])))
    return x0, y0, x1, y1


def _pieces(paths, box, grid_tol) -> tuple[list[Piece], int, int]:
    """Stroked paths grouped into connected pieces per style; returns also the counts of dropped
    grid/axis lines and filled shapes."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    n_grid = n_fill = 0
    by_style: dict[tuple, list[np.ndarray]] = {}
    colours: dict[tuple, tuple] = {}
    for p in paths:
        pts = p.pts
        px0, py0 = pts.min(0)
        px1, py1 = pts.max(0)
        if p.fill is not None and (min(p.fill) >= 245 or (px1 - px0) * (py1 - py0) > 0.8 * w * h):
            if p.stroke is None or p.kind == "rect":
                continue          # a white or background box (axes, legend frame), not a band
        if p.stroke is None:
            if p.fill is not None and len(pts) >= 3 and (px1 - px0) * (py1 - py0) > 0.002 * w * h \
                    and px0 >= x0 - grid_tol and px1 <= x1 + grid_tol and py0 >= y0 - grid_tol and py1 <= y1 + grid_tol:
                n_fill += 1
            continue
        if p.kind == "rect" and (px1 - px0) > 0.5 * w and (py1 - py0) > 0.5 * h:
            n_grid += 1
            continue
        if len(pts) == 2 and ((abs(pts[0, 1] - pts[1, 1]) < 0.05 and (px1 - px0) > 0.5 * w)
                              or (abs(pts[0, 0] - pts[1, 0]) < 0.05 and (py1 - py0) > 0.5 * h)):
            n_grid += 1       # grid line or axis line
            continue
        if len(pts) >= 4 and np.allclose(pts[0], pts[-1], atol=0.05):
            n_grid += 1       # a closed outline (legend frame, box): never a survival curve
            continue
        if p.fill is not None and min(p.fill) < 245 and len(pts) > 4 and (px1 - px0) * (py1 - py0) > 0.002 * w * h:
            n_fill += 1       # a filled and outlined shape: a band, a box, not a curve
            continue
        key = (p.stroke, p.dash and tuple(round(d, 2) for d in p.dash), round(p.width, 1))
        by_style.setdefault(key, []).append(pts)
        colours[key] = p.stroke
    pieces: list[Piece] = []
    for key, polys in by_style.items():
        pieces.extend(_connect(key, colours[key], polys))
    return pieces, n_grid, n_fill


def _connect(key, colour, polys) -> list[Piece]:
    """Polylines of one style joined where one ends where another starts (a curve written as
    many short strokes becomes one piece again)."""
    n = len(polys)
    parent = list(range(n))

    def find(i):  # union-find over shared end points
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    ends = {}
    for i, p in enumerate(polys):
        for q in (p[0], p[-1]):
            k = (round(q[0], 1), round(q[1], 1))
            if k in ends:
                a, b = find(i), find(ends[k])
                if a != b:
                    parent[a] = b
            else:
                ends[k] = i
    groups: dict[int, Piece] = {}
    for i, p in enumerate(polys):
        r = find(i)
        if r not in groups:
            groups[r] = Piece(key, colour, key[1])
        groups[r].pts.append(p)
    return list(groups.values())


def _non_increasing(piece: Piece) -> bool:
    """Survival never rises: in drawing order or sorted by x, y (from the top) never goes up."""
    a = _steps(piece)
    return bool(np.all(np.diff(a[:, 1]) >= -0.05))


def _legend_name(piece: Piece, words) -> tuple[str | None, tuple[float, float] | None]:
    bx0, by0, bx1, by1 = piece.bbox
    if by1 - by0 > 1.0 or bx1 - bx0 < 3:
        return None, None
    y = (by0 + by1) / 2
    line = sorted((wd for wd in words if abs(wd.yc - y) < 0.6 * (wd.bottom - wd.top)
                   and wd.x0 >= bx1 - 0.5), key=lambda wd: wd.x0)
    if not line or line[0].x0 - bx1 > 2.5 * (line[0].bottom - line[0].top):
        return None, None
    name = [line[0]]
    for wd in line[1:]:
        if wd.x0 - name[-1].x1 > 1.2 * (wd.bottom - wd.top):
            break
        name.append(wd)
    return " ".join(wd.text for wd in name), (bx0, y)


def _steps(piece: Piece) -> np.ndarray:
    a = piece.all_pts
    order = np.lexsort((a[:, 1], a[:, 0]))     # time ascending; for equal time, y from the top
    a = a[order]
    keep = np.ones(len(a), bool)
    keep[1:] = np.any(np.abs(np.diff(a, axis=0)) > 1e-6, axis=1)
    return a[keep]


def extract_curves(page, box, to_data, plot_w) -> tuple[list[Curve], list[str]]:
    """Curves (named from the legend where it can) with the censor marks found on them."""
    warnings: list[str] = []
    x0, y0, x1, y1 = box
    tol = 0.01 * plot_w
    pieces, n_grid, n_fill = _pieces(page.paths, box, tol)
    inside = [p for p in pieces if p.bbox[0] >= x0 - tol and p.bbox[2] <= x1 + tol
              and p.bbox[1] >= y0 - tol and p.bbox[3] <= y1 + tol]
    long = [p for p in inside if p.bbox[2] - p.bbox[0] >= 0.15 * plot_w and _non_increasing(p)]
    mark_size = max(12.0, 0.05 * plot_w)
    small = [p for p in inside if p not in long and max(p.bbox[2] - p.bbox[0], p.bbox[3] - p.bbox[1]) <= mark_size
             and p.bbox[0] > x0 + 0.5 and p.bbox[3] < y1 - 0.5]     # not the tick marks on the axes
    # legend samples anywhere on the page (inside or outside the box)
    names: dict[tuple, str] = {}
    used_samples = set()
    for p in pieces:
        if p in long:
            continue
        name, _ = _legend_name(p, page.words)
        if name and p.style not in names:
            names[p.style] = name
            used_samples.add(id(p))
    # one curve per style; several long pieces of one style are joined when they do not
    # overlap in time, else kept apart (two arms drawn alike, or confidence limits)
    by_style: dict[tuple, list[Piece]] = {}
    for p in long:
        by_style.setdefault(p.style, []).append(p)
    curves_pts = []
    for style, ps in by_style.items():
        ps.sort(key=lambda p: p.bbox[0])
        merged: list[Piece] = []
        for p in ps:
            if merged and p.bbox[0] >= merged[-1].bbox[2] - 0.5:
                merged[-1] = Piece(style, p.colour, p.dash, merged[-1].pts + p.pts)
            else:
                merged.append(p)
        if len(merged) > 1:
            warnings.append(f"{len(merged)} overlapping lines drawn in the same style (colour "
                            f"#{'%02x%02x%02x' % p.colour}): kept as separate curves; check that they are arms "
                            "and not confidence limits")
        for m in merged:
            curves_pts.append((m, _steps(m)))
    # confidence limits drawn as lines: two lines of one style enclosing a line of the same colour
    curves_pts = _drop_ci_lines(curves_pts, to_data, warnings)
    curves: list[Curve] = []
    t_span = abs(float(np.diff(to_data(np.array([x0, x1]), np.array([y0, y0]))[0])[0])) or 1.0
    t_dec = max(0, 7 - int(np.floor(np.log10(t_span))))
    for m, pts in curves_pts:
        t, s = to_data(pts[:, 0], pts[:, 1])
        # the fit's float noise off: a PDF's coordinates carry about 7 significant digits, and
        # noise of 1e-8 between two curves' copies of one time changed a reconstruction's ties
        t, s = np.round(t, t_dec), np.clip(np.round(s, 7), 0.0, 1.0)
        curves.append(Curve(names.get(m.style, ""), tuple(int(c) for c in m.colour),
                            [(float(a), float(b)) for a, b in zip(t, s)], [], m.dash))
    _censor_marks(curves, [p for p in small if id(p) not in used_samples], to_data, box, warnings, t_dec)
    if n_fill:
        warnings.append(f"{n_fill} filled shape(s) inside the plot ignored (confidence bands)")
    return curves, warnings


def _drop_ci_lines(curves_pts, to_data, warnings):
    if len(curves_pts) < 3:
        return curves_pts
    out = list(curves_pts)
    styles: dict[tuple, list] = {}
    for m, pts in curves_pts:
        styles.setdefault(m.style, []).append((m, pts))
    for style, group in styles.items():
        if len(group) != 2:
            continue
        mates = [(m, pts) for m, pts in curves_pts if m.style != style and m.colour == group[0][0].colour]
        if len(mates) != 1:
            continue
        mid = mates[0][1]

        def level(pts, x):
            i = np.searchsorted(pts[:, 0], x, side="right") - 1
            return pts[max(i, 0), 1]
        xs = np.linspace(mid[0, 0], mid[-1, 0], 9)[1:-1]
        a = np.array([level(group[0][1], x) - level(mid, x) for x in xs])
        b = np.array([level(group[1][1], x) - level(mid, x) for x in xs])
        if np.all(a * b <= 0) and np.any(a != 0):
            for g in group:
                out.remove(g)
            warnings.append("two dashed lines around a curve of the same colour read as its confidence limits and ignored")
    return out


def _censor_marks(curves, small, to_data, box, warnings, t_dec: int = 9):
    """A small mark whose centre lies on a curve of its colour is a censoring time of that curve."""
    if not curves:
        return
    found = 0
    centres = []
    for p in small:
        bx0, by0, bx1, by1 = p.bbox
        centres.append(((bx0 + bx1) / 2, (by0 + by1) / 2, max(by1 - by0, bx1 - bx0), p.colour))
    # "+" drawn as two strokes: one mark
    uniq = []
    for c in centres:
        if not any(abs(c[0] - u[0]) < 0.5 and abs(c[1] - u[1]) < 0.5 and c[3] == u[3] for u in uniq):
            uniq.append(c)
    curve_colours = {c.colour for c in curves}
    for cx, cy, size, colour in uniq:
        t, s = to_data(np.array([cx]), np.array([cy]))
        t, s = float(t[0]), float(s[0])
        _, s_half = to_data(np.array([cx, cx]), np.array([cy, cy + max(size, 1.0) / 2 + 0.5]))
        tol = abs(float(s_half[1] - s_half[0]))
        t_half, _ = to_data(np.array([cx, cx + 0.5]), np.array([cy, cy]))
        tol_t = abs(float(t_half[1] - t_half[0]))             # half a point of time
        best, best_d = None, np.inf
        for c in curves:
            pts = np.array(c.points)
            if t < pts[0, 0] - tol_t or t > pts[-1, 0] + tol_t:     # a mark may sit on the end
                continue
            i = np.searchsorted(pts[:, 0], t, side="right") - 1
            level = pts[max(i, 0), 1]
            # a mark of a curve's colour goes to that curve; a mark of another colour (inside a
            # form XObject the colour is not known, see io/figure_sources) to the nearest level
            d = abs(level - s) + (0 if c.colour == colour or colour not in curve_colours else 10)
            if d < best_d:
                best, best_d = c, d
        if best is not None and best_d <= tol:
            best.censor_times.append(round(t, t_dec))
            found += 1
    for c in curves:
        c.censor_times.sort()
