"""Curves traced on an image (pure numpy).

Stages: find the plot box (the longest dark horizontal and vertical lines, the axes) unless
given; keep the pixels inside it that are coloured (chroma in CIE Lab) or dark; cluster the
coloured ones by colour (k-means in Lab, near clusters merged) — grey grid lines, white and
light text are left out by the thresholds; drop clusters that fill areas (confidence bands) or
span too little of the plot (legend samples, text); trace each cluster column by column as a
right-continuous step (a drop is a run that leaves the current level downward and is followed by
a thin line at the new level; a run that sticks out above the level is a censor mark and is
skipped, its time kept)."""
from __future__ import annotations

import numpy as np

from .model import Curve, DigitizeError

MIN_SIDE = 100          # pixels; smaller images are refused
CHROMA = 22.0           # Lab chroma above which a pixel is "coloured"
DARK_L = 40.0           # Lab lightness below which a low-chroma pixel is "dark"


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    c = rgb.astype(np.float32) / 255.0
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]], np.float32)
    xyz = c @ m.T / np.array([0.95047, 1.0, 1.08883], np.float32)
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    L = 116 * f[..., 1] - 16
    a = 500 * (f[..., 0] - f[..., 1])
    b = 200 * (f[..., 1] - f[..., 2])
    return np.stack([L, a, b], axis=-1)


def _longest_run(mask_1d: np.ndarray) -> tuple[int, int, int]:
    """(length, start, end) of the longest run of True."""
    if not mask_1d.any():
        return 0, 0, 0
    d = np.diff(np.concatenate([[0], mask_1d.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    k = int(np.argmax(ends - starts))
    return int(ends[k] - starts[k]), int(starts[k]), int(ends[k])


def find_plot_box(rgb: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1): the x axis is the lowest long dark row, the y axis the leftmost long
    dark column they share a corner with. None if no such lines."""
    h, w = rgb.shape[:2]
    dark = rgb.astype(np.int16).sum(axis=2) < 3 * 110
    row_n, col_n = dark.sum(axis=1), dark.sum(axis=0)
    rows = [(r, *_longest_run(dark[r])) for r in range(h // 3, h) if row_n[r] >= 0.4 * w]
    rows = [r for r in rows if r[1] >= 0.4 * w]
    cols = [(c, *_longest_run(dark[:, c])) for c in range(0, 2 * w // 3) if col_n[c] >= 0.3 * h]
    cols = [c for c in cols if c[1] >= 0.3 * h]
    if not rows or not cols:
        return None
    best = max(r[1] for r in rows)
    ax = [r for r in rows if r[1] >= 0.8 * best]
    yrow = max(ax, key=lambda r: r[0])            # lowest long line: the x axis
    best = max(c[1] for c in cols)
    ay = [c for c in cols if c[1] >= 0.8 * best]
    xcol = min(ay, key=lambda c: c[0])            # leftmost long line: the y axis
    # the box inside the axis lines, however thick they are drawn
    x0 = int(xcol[0])
    while x0 + 1 < w and dark[xcol[2] - 1 - (xcol[1] // 2), x0 + 1] and x0 - xcol[0] < 20:
        x0 += 1
    y1 = int(yrow[0])
    while y1 - 1 > 0 and dark[y1 - 1, yrow[2] + (yrow[1] // 2)] and yrow[0] - y1 < 20:
        y1 -= 1
    return x0, int(xcol[2]), int(yrow[3] - 1), y1


def _kmeans(x: np.ndarray, k: int, iters: int = 15) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    centres = [x[rng.integers(len(x))]]
    for _ in range(1, k):          # farthest-point start: distinct colours get a centre each
        d = np.min([((x - c) ** 2).sum(1) for c in centres], axis=0)
        if d.max() < 1:
            break
        centres.append(x[int(np.argmax(d))])
    c = np.array(centres)
    for _ in range(iters):
        lab = np.argmin(((x[:, None, :] - c[None]) ** 2).sum(-1), axis=1)
        new = np.array([x[lab == j].mean(0) if np.any(lab == j) else c[j] for j in range(len(c))])
        if np.allclose(new, c, atol=0.1):
            break
        c = new
    return c, lab


def colour_clusters(lab: np.ndarray, mask: np.ndarray, max_k: int = 8) -> list[tuple[np.ndarray, np.ndarray]]:
    """(centre Lab, boolean mask) per colour cluster among the coloured pixels of ``mask``."""
    pix = lab[mask]
    if len(pix) == 0:
        return []
    feat = pix * np.array([0.5, 1.0, 1.0], np.float32)       # lightness matters less than hue
    rng = np.random.default_rng(1)
    sample = feat[rng.choice(len(feat), min(len(feat), 6000), replace=False)]
    centres, _ = _kmeans(sample, max_k)
    # merge centres of the same hue: a line's anti-aliased edges are its colour mixed with
    # white (same hue angle, less chroma); two arms never differ by lightness alone here
    # (black and grey are the "dark" group, outside this clustering)
    hue = np.degrees(np.arctan2(centres[:, 2], centres[:, 1]))
    order = np.argsort(-np.hypot(centres[:, 1], centres[:, 2]))
    merged: list[tuple[np.ndarray, float]] = []
    for i in order:
        for m, h in merged:
            if abs((hue[i] - h + 180) % 360 - 180) < 20:
                break
        else:
            merged.append((centres[i], hue[i]))
    cen = np.array([m for m, _ in merged])
    ph = np.degrees(np.arctan2(feat[:, 2], feat[:, 1]))
    mh = np.array([h for _, h in merged])
    labels = np.argmin(np.abs((ph[:, None] - mh[None] + 180) % 360 - 180), axis=1)
    out = []
    idx = np.flatnonzero(mask.ravel())
    for j in range(len(cen)):
        m = np.zeros(mask.size, bool)
        m[idx[labels == j]] = True
        out.append((cen[j] / np.array([0.5, 1, 1], np.float32), m.reshape(mask.shape)))
    return out


def _all_runs(m: np.ndarray) -> list[np.ndarray]:
    """Per column, the (top, bottom) rows (inclusive) of each vertical run of True."""
    h, w = m.shape
    pad = np.zeros((w, h + 2), np.int8)
    pad[:, 1:-1] = m.T
    d = np.diff(pad, axis=1)
    sc, sr = np.nonzero(d == 1)           # sorted by column, then row
    _, er = np.nonzero(d == -1)
    runs = np.stack([sr, er - 1], axis=1)
    bounds = np.searchsorted(sc, np.arange(w + 1))
    return [runs[bounds[c]:bounds[c + 1]] for c in range(w)]


def _line_width(runs_by_col) -> float:
    lens = [r[1] - r[0] + 1 for runs in runs_by_col for r in runs]
    return float(np.median(lens)) if lens else 1.0


def trace_mask(m: np.ndarray) -> tuple[list[tuple[float, float]], list[float], float]:
    """Step corners (x, y) in mask pixels, censor-mark x positions, and the traced x extent.

    Column by column, the run of pixels connected to the previous column's run is the curve
    there. A thin run near the current level is a flat column (it refines the level); a run that
    sticks out above the level is a censor mark (skipped, its column kept); a run that leaves
    the level downward is part of a drop. Flat columns at one level make a stretch; between two
    stretches the drop sits at the middle of the drop columns between them."""
    runs_by_col = _all_runs(m)
    lw = max(_line_width(runs_by_col), 1.0)
    cols = [c for c in range(m.shape[1]) if len(runs_by_col[c])]
    if not cols:
        return [], [], 0.0
    flat, drops, marks, last_seen = _classify_columns(runs_by_col, cols[0], lw)
    if not flat:
        return [], [], 0.0
    corners, end = _steps(flat, drops, last_seen, lw)
    return corners, _mark_centres(marks), float(end - cols[0])


def _classify_columns(runs_by_col, c0: int, lw: float):
    """Follow the curve from column c0: (flat columns (c, centre), drop columns (c, bottom),
    censor-mark columns, last column seen)."""
    w = len(runs_by_col)
    prev = runs_by_col[c0][0]
    level = prev[0] + (lw - 1) / 2          # a curve starts at its top (it only goes down)
    flat: list[tuple[int, float]] = []        # (column, centre) of flat columns
    drops: list[tuple[int, int]] = []         # (column, bottom) of drop columns
    marks: list[int] = []
    last_seen = c0
    max_gap = max(0.1 * w, 6 * lw)
    for c in range(c0, w):
        rs = runs_by_col[c]
        if not len(rs):
            continue
        conn = [r for r in rs if r[0] <= prev[1] + 1 and r[1] >= prev[0] - 1]
        if conn:
            r = min(conn, key=lambda r: abs(r[0] - prev[0]))
        else:
            # a gap (dashes, a curve drawn over this one): a thin run at or below the level,
            # close after the gap, continues the curve
            if c - last_seen > max_gap:
                continue
            cand = [r for r in rs if (r[0] + r[1]) / 2 >= level - lw and r[1] - r[0] + 1 <= lw + 2]
            if not cand:
                continue
            r = min(cand, key=lambda r: r[0])
        top, bot = int(r[0]), int(r[1])
        centre = (top + bot) / 2
        up = level - lw / 2 - top            # how far the run reaches above the line
        down = bot - level - lw / 2          # and below it
        if bot - top + 1 <= lw + 1.5:               # thin: a flat column
            flat.append((c, centre))
            level = centre if abs(centre - level) > lw / 2 else level
        elif up >= 1.5 and up >= 0.4 * down:        # above and below the line: a censor mark
            marks.append(c)
        elif down > 1:                              # leaves the level downward: a drop
            drops.append((c, bot))
        else:
            flat.append((c, centre))
        prev = (top, bot)
        last_seen = c
    return flat, drops, marks, last_seen


def _steps(flat, drops, last_seen: int, lw: float) -> tuple[list[tuple[float, float]], float]:
    """Step corners from the classified columns, and the x where the curve ends."""
    stretches: list[list[tuple[int, float]]] = [[flat[0]]]
    total = flat[0][1]
    for c, y in flat[1:]:
        if abs(y - total / len(stretches[-1])) > max(lw / 2, 0.75):
            stretches.append([])
            total = 0.0
        stretches[-1].append((c, y))
        total += y
    levels = [float(np.median([q[1] for q in st])) for st in stretches]
    drop_cols = np.array([d[0] for d in drops]) if drops else np.zeros(0)
    corners = [(float(stretches[0][0][0]), levels[0])]
    for i in range(1, len(stretches)):
        a, b = stretches[i - 1][-1][0], stretches[i][0][0]
        if levels[i] < levels[i - 1]:              # higher again: survival cannot rise
            levels[i] = levels[i - 1]
            continue
        between = drop_cols[(drop_cols > a) & (drop_cols < b)] if len(drop_cols) else drop_cols
        xd = float(between.mean()) if len(between) else (a + b) / 2
        corners += [(xd, levels[i - 1]), (xd, levels[i])]
    end = float(max(stretches[-1][-1][0], last_seen))
    tail = [d for d in drops if d[0] > stretches[-1][-1][0]]
    if tail:                                        # a last drop with nothing drawn after it
        xd = float(np.mean([d[0] for d in tail]))
        yb = max(d[1] for d in tail) - (lw - 1) / 2
        corners += [(xd, levels[-1]), (xd, yb)]
        end = xd
    else:
        corners.append((end, levels[-1]))
    return corners, end


def _mark_centres(marks: list[int]) -> list[float]:
    """Neighbouring mark columns are one mark, at their middle."""
    mk: list[float] = []
    grp: list[int] = []
    for c in marks:
        if grp and c - grp[-1] > 1:
            mk.append(float(np.mean(grp)))
            grp = []
        grp.append(c)
    if grp:
        mk.append(float(np.mean(grp)))
    return mk


def trace_image(rgb, calibration, plot_box=None, n_curves=None) -> tuple[list[Curve], list[str]]:
    """Curves traced on ``rgb`` (H×W×3 uint8) with ``calibration`` (AxisCalibration in image
    pixels). ``plot_box`` (x0, y0, x1, y1) in image pixels limits the search; found from the axis
    lines when None. ``n_curves`` keeps the n longest."""
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] < 3:
        raise DigitizeError(f"an RGB image is needed (got an array of shape {rgb.shape})")
    h, w = rgb.shape[:2]
    if min(h, w) < MIN_SIDE:
        raise DigitizeError(f"the image is {w}×{h} pixels, too small to trace (at least {MIN_SIDE} pixels a side); "
                            "use a larger image or a higher resolution, or click the points by hand")
    (qx0, vx0), (qx1, vx1) = calibration.x
    (qy0, vy0), (qy1, vy1) = calibration.y
    if (vx1 - vx0) / (qx1 - qx0) < 0 or (vy1 - vy0) / (qy1 - qy0) > 0:
        raise DigitizeError("the calibration describes a reversed axis (time growing to the left, or survival "
                            "growing downward): check the points typed; reversed axes are not traced")
    warnings: list[str] = []
    if plot_box is None:
        plot_box = find_plot_box(rgb[..., :3])
        if plot_box is None:
            (px0, _), (px1, _) = calibration.x
            (py0, _), (py1, _) = calibration.y
            plot_box = (min(px0, px1), min(py0, py1), max(px0, px1), max(py0, py1))
            warnings.append("no axis lines found: the plot area is taken as the box between the calibration points")
    x0, y0, x1, y1 = (int(round(v)) for v in plot_box)
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, w - 1), min(y1, h - 1)
    inset = max(2, int(round(0.004 * max(h, w))))     # clear of the axis and frame lines
    sub = rgb[y0 + inset: y1 - 1, x0 + inset: x1 - 1, :3]
    if min(sub.shape[:2]) < MIN_SIDE // 2:
        raise DigitizeError(f"the plot area found is {sub.shape[1]}×{sub.shape[0]} pixels, too small to trace; "
                            "crop to the figure or give a larger image")
    sh, sw = sub.shape[:2]
    lab = np.zeros(sub.shape, np.float32)
    lab[..., 0] = 100.0
    ink = (sub.min(axis=2) < 235) | (sub.max(axis=2).astype(np.int16) - sub.min(axis=2) > 15)
    lab[ink] = rgb_to_lab(sub[ink])            # the white background needs no conversion
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    coloured = chroma > CHROMA
    dark = (lab[..., 0] < DARK_L) & ~coloured
    groups = colour_clusters(lab, coloured)
    if dark.sum() > 0.2 * sw:
        groups.append((np.array([float(lab[..., 0][dark].mean()), 0.0, 0.0]), dark))
    found = []
    n_band = n_short = 0
    biggest = max((int(m.sum()) for _, m in groups), default=0)
    for centre, m in groups:
        per_col = m.sum(axis=0)
        used = per_col[per_col > 0]
        # colours that only appear where two curves touch (anti-aliased blends) are few pixels
        if len(used) < 0.15 * sw or m.sum() < 0.2 * biggest:
            n_short += 1
            continue
        if np.median(used) > 0.06 * sh:
            n_band += 1
            continue
        corners, marks, extent = trace_mask(m)
        if extent < 0.15 * sw or len(corners) < 2:
            n_short += 1
            continue
        found.append((centre, m, corners, marks, extent))
    found, n_late = _starting_at_zero(found, sw)
    n_short += n_late
    if n_band:
        warnings.append(f"{n_band} colour area(s) filling the plot ignored (confidence bands)")
    if not found:
        raise DigitizeError(f"no curve found inside the plot area ({x0},{y0})–({x1},{y1}): "
                            f"{len(groups)} colour group(s), {n_band} filled area(s), {n_short} too short. "
                            "Crop to the plot, or click the curve's points by hand")
    if n_curves is not None and len(found) > n_curves:
        found.sort(key=lambda f: -f[4])
        found = found[:n_curves]
    curves = []
    for centre, m, corners, marks, extent in found:
        px = np.array([c[0] for c in corners]) + x0 + inset
        py = np.array([c[1] for c in corners]) + y0 + inset
        t, s = calibration.to_data(px, py)
        s = np.clip(s, 0.0, 1.0)
        ct, _ = calibration.to_data(np.array(marks, float) + x0 + inset, np.zeros(len(marks)))
        colour = tuple(int(v) for v in np.median(sub[m], axis=0))
        curves.append(Curve("", colour, [(float(a), float(b)) for a, b in zip(t, s)], sorted(float(v) for v in ct)))
        _leftover(m, corners, warnings, colour)
    return curves, warnings


def _level_at(corners, x) -> float | None:
    xs = [c[0] for c in corners]
    if x < xs[0] or x > xs[-1]:
        return None
    i = max(k for k in range(len(xs)) if xs[k] <= x)
    return corners[i][1]


def _starting_at_zero(found, width):
    """A survival curve starts at time 0: keep traces that start near the left edge, or later
    but on another curve's line (hidden under it until they part); text and legends inside the
    plot start anywhere."""
    early = [f for f in found if f[2][0][0] <= 0.1 * width]
    late = [f for f in found if f[2][0][0] > 0.1 * width]
    keep = list(early)
    for f in late:
        x, y = f[2][0]
        if any((lv := _level_at(g[2], x)) is not None and abs(lv - y) <= 6 for g in early):
            keep.append(f)
    return keep, len(found) - len(keep)


def _leftover(m, corners, warnings, colour):
    """A second curve in the same colour (dashed beside solid, two black arms) that tracing by
    colour cannot separate: in many columns the colour forms two separate lines."""
    h, w = m.shape
    c0, c1 = int(corners[0][0]), int(corners[-1][0])
    if c1 <= c0:
        return
    d = np.diff(m[:, c0:c1 + 1].astype(np.int8), axis=0)
    starts = (d == 1).sum(axis=0) + m[0, c0:c1 + 1]
    two = float(np.mean(starts >= 2))
    if two > 0.3:
        warnings.append(f"the colour #{'%02x%02x%02x' % colour} draws two lines over {two:.0%} of the traced range: "
                        "probably two curves in the same colour (e.g. dashed beside solid); only one was traced and it "
                        "may jump between them: click the points of these curves by hand")
