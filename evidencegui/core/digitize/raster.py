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
    rows = [(r, *_longest_run(dark[r])) for r in range(h // 3, h)]
    rows = [r for r in rows if r[1] >= 0.4 * w]
    cols = [(c, *_longest_run(dark[:, c])) for c in range(0, 2 * w // 3)]
    cols = [c for c in cols if c[1] >= 0.3 * h]
    if not rows or not cols:
        return None
    best = max(r[1] for r in rows)
    ax = [r for r in rows if r[1] >= 0.8 * best]
    yrow = max(ax, key=lambda r: r[0])            # lowest long line: the x axis
    best = max(c[1] for c in cols)
    ay = [c for c in cols if c[1] >= 0.8 * best]
    xcol = min(ay, key=lambda c: c[0])            # leftmost long line: the y axis
    return int(xcol[0]), int(xcol[2]), int(yrow[3] - 1), int(yrow[0])


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
    # merge centres closer than a just-noticeable colour difference for lines
    merged: list[np.ndarray] = []
    for c in centres:
        for i, m in enumerate(merged):
            if np.sqrt(((c - m) ** 2).sum()) < 15:
                merged[i] = (m + c) / 2
                break
        else:
            merged.append(c)
    cen = np.array(merged)
    labels = np.argmin(((feat[:, None, :] - cen[None]) ** 2).sum(-1), axis=1)
    out = []
    idx = np.flatnonzero(mask.ravel())
    for j in range(len(cen)):
        m = np.zeros(mask.size, bool)
        m[idx[labels == j]] = True
        out.append((cen[j] / np.array([0.5, 1, 1], np.float32), m.reshape(mask.shape)))
    return out


def _runs(col: np.ndarray) -> np.ndarray:
    d = np.diff(np.concatenate([[0], col.astype(np.int8), [0]]))
    return np.stack([np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1], axis=1)  # inclusive


def _line_width(runs_by_col) -> float:
    lens = [r[1] - r[0] + 1 for runs in runs_by_col for r in runs]
    return float(np.median(lens)) if lens else 1.0


def trace_mask(m: np.ndarray) -> tuple[list[tuple[float, float]], list[float], float]:
    """Step corners (x, y) in mask pixels, censor-mark x positions, and the traced x extent."""
    h, w = m.shape
    runs_by_col = [_runs(m[:, c]) for c in range(w)]
    lw = max(_line_width(runs_by_col), 1.0)
    tol = max(1.5 * lw, 2.0)
    look = int(max(3 * lw, 8))
    cols = [c for c in range(w) if len(runs_by_col[c])]
    if not cols:
        return [], [], 0.0
    c0 = cols[0]
    r0 = runs_by_col[c0][0]
    y = (r0[0] + r0[1]) / 2
    corners = [(float(c0), y)]
    marks: list[float] = []
    last_seen = c0
    c = c0
    flat: list[float] = [y]

    def near(runs, level):
        return [r for r in runs if r[0] - tol <= level <= r[1] + tol]

    def thin(r):
        return r[1] - r[0] + 1 <= 2 * lw + 1

    while c < w - 1:
        c += 1
        runs = runs_by_col[c]
        hit = near(runs, y)
        if not hit:
            # a gap (dashes, another curve drawn over this one): a thin line lower down that
            # continues for a few columns, close after the gap, is the curve after a drop
            below = [r for r in runs if r[0] > y + tol and thin(r)]
            if below and c - last_seen <= max(0.1 * w, 3 * look):
                r = min(below, key=lambda r: r[0])
                ny = (r[0] + r[1]) / 2
                ok = sum(1 for k in range(c + 1, min(w, c + look)) if any(abs((q[0] + q[1]) / 2 - ny) <= lw for q in runs_by_col[k]))
                if ok >= min(2, w - c - 1):
                    xd = (last_seen + c) / 2
                    y_old = float(np.median(flat))
                    corners += [(xd, y_old), (xd, ny)]
                    y, flat, last_seen = ny, [ny], c
            continue
        r = max(hit, key=lambda r: r[1])
        top, bot = r
        if top < y - tol:             # sticks out above the level: a censor mark
            start = c
            while c + 1 < w and any(q[0] < y - tol for q in near(runs_by_col[c + 1], y)):
                c += 1
            marks.append((start + c) / 2)
            last_seen = c
            continue
        if bot > y + tol:             # leaves the level downward: a drop if a thin line follows lower
            start = c
            while c + 1 < w and any(q[1] > y + tol for q in near(runs_by_col[c + 1], y)):
                c += 1
            ny = None
            for k in range(c + 1, min(w, c + 1 + look)):
                rk = [q for q in runs_by_col[k] if thin(q)]
                lower = [q for q in rk if q[0] > y + tol and q[0] <= bot + tol]
                if lower:
                    q = min(lower, key=lambda q: abs(q[1] - bot))
                    ny = (q[0] + q[1]) / 2
                    break
                if any(abs((q[0] + q[1]) / 2 - y) <= lw for q in rk):
                    break
            if ny is None and c + 1 >= w - 1:
                ny = bot - (lw - 1) / 2      # the drop is the last thing drawn
            if ny is not None:
                xd = (start + c) / 2
                y_old = float(np.median(flat))
                corners += [(xd, y_old), (xd, ny)]
                y, flat = ny, [ny]
            else:
                marks.append((start + c) / 2)
            last_seen = c
            continue
        centre = (top + bot) / 2
        if thin(r) and abs(centre - y) <= lw:
            flat.append(centre)
        last_seen = c
    y_end = float(np.median(flat))
    # re-level the flat stretches on the median of their columns
    out = [(corners[0][0], corners[0][1])]
    for i in range(1, len(corners), 2):
        out.append(corners[i])
        out.append(corners[i + 1])
    out.append((float(last_seen), y_end))
    # the level of each stretch: the median recorded when it ended
    fixed = [out[0]]
    for i in range(1, len(out)):
        fixed.append(out[i])
    for i in range(0, len(fixed) - 1, 2):
        lvl = fixed[i + 1][1]
        fixed[i] = (fixed[i][0], lvl)
    return fixed, marks, float(last_seen - c0)


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
    inset = 3
    sub = rgb[y0 + inset: y1 - 1, x0 + inset: x1 - 1, :3]
    if min(sub.shape[:2]) < MIN_SIDE // 2:
        raise DigitizeError(f"the plot area found is {sub.shape[1]}×{sub.shape[0]} pixels, too small to trace; "
                            "crop to the figure or give a larger image")
    sh, sw = sub.shape[:2]
    lab = rgb_to_lab(sub)
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    coloured = chroma > CHROMA
    dark = (lab[..., 0] < DARK_L) & ~coloured
    groups = colour_clusters(lab, coloured)
    if dark.sum() > 0.2 * sw:
        groups.append((np.array([float(lab[..., 0][dark].mean()), 0.0, 0.0]), dark))
    found = []
    n_band = n_short = 0
    for centre, m in groups:
        per_col = m.sum(axis=0)
        used = per_col[per_col > 0]
        if len(used) < 0.15 * sw:
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


def _leftover(m, corners, warnings, colour):
    """Pixels of this colour far from the traced steps across much of the plot: a second curve
    of the same colour (dashed beside solid) that tracing by colour cannot separate."""
    h, w = m.shape
    covered = np.zeros_like(m)
    pad = 4
    for (xa, ya), (xb, yb) in zip(corners, corners[1:]):
        c0, c1 = int(min(xa, xb)), int(max(xa, xb)) + 1
        r0, r1 = int(min(ya, yb)) - pad, int(max(ya, yb)) + pad + 1
        covered[max(r0, 0):max(r1, 0), max(c0 - pad, 0):c1 + pad] = True
    rest = m & ~covered
    cols = np.flatnonzero(rest.any(axis=0))
    if len(cols) > 0.3 * w:
        warnings.append(f"pixels of colour #{'%02x%02x%02x' % colour} left over across {len(cols) / w:.0%} of the plot: "
                        "probably a second curve in the same colour (e.g. dashed beside solid), not separated; "
                        "click its points by hand")
