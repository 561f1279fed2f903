"""Axis calibration from a vector page: the numeric tick labels (words with boxes) and, where the
drawing has them, the tick marks or grid lines they label (exact positions; a label's text box
is only good to about half a point).

All coordinates are PDF points with y counted from the top. Linear axes only: a log-scale axis
(labels 1, 10, 100 equally spaced) or a reversed axis is refused with a clear message."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .model import DigitizeError

_NUM = re.compile(r"^[+\-\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.,]\d+)?%?$")


def parse_number(text: str) -> float | None:
    """A printed number: "0.5", "0,5" (decimal comma), "1,234", "50%", "−1". None otherwise."""
    t = text.strip().replace("\u2212", "-")
    if not t or not _NUM.match(t):
        return None
    t = t.rstrip("%")
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", t):
        t = t.replace(",", "")
    else:
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


@dataclass
class TickAxis:
    """Tick labels of one axis: positions along the axis (points) and their values."""
    pos: np.ndarray
    values: np.ndarray
    words: list
    snapped: bool          # positions from tick marks / grid lines (True) or text centres

    def fit(self) -> tuple[float, float]:
        b, a = np.polyfit(self.pos, self.values, 1)
        return float(a), float(b)


def _linear(pos: np.ndarray, vals: np.ndarray) -> bool:
    if len(pos) < 3 or np.ptp(pos) <= 0:
        return False
    b, a = np.polyfit(pos, vals, 1)
    resid = vals - (a + b * pos)
    step = np.median(np.abs(np.diff(vals)))
    return bool(step > 0 and np.max(np.abs(resid)) < 0.06 * step)


def _looks_log(vals: np.ndarray, pos: np.ndarray) -> bool:
    if len(vals) < 3 or np.any(vals <= 0):
        return False
    return _linear(pos, np.log10(vals)) and not _linear(pos, vals)


def _groups(words, key, tol):
    order = sorted(words, key=key)
    groups, cur = [], []
    for w in order:
        if cur and key(w) - key(cur[-1]) > tol:
            groups.append(cur)
            cur = []
        cur.append(w)
    if cur:
        groups.append(cur)
    return groups


def _candidates(numeric, axis: str, problems: list[str]):
    """Rows (x axis) or columns (y axis) of ≥3 numbers linear in their position."""
    if axis == "x":
        groups = _groups(numeric, key=lambda w: w[0].bottom, tol=1.0)
    else:
        groups = _groups(numeric, key=lambda w: w[0].x1, tol=1.5)
        groups += [g for g in _groups(numeric, key=lambda w: w[0].xc, tol=1.5) if len(g) >= 3]
    out = []
    for g in groups:
        if len(g) < 3:
            continue
        g = sorted(g, key=(lambda w: w[0].xc) if axis == "x" else (lambda w: -w[0].yc))
        pos = np.array([w[0].xc if axis == "x" else w[0].yc for w in g])
        vals = np.array([w[1] for w in g])
        if len(set(np.round(pos, 1))) < len(pos):
            continue
        increasing = np.all(np.diff(vals) > 0)
        decreasing = np.all(np.diff(vals) < 0)
        if not (increasing or decreasing):
            continue
        if _looks_log(vals if increasing else vals[::-1], pos if increasing else pos[::-1]):
            problems.append(f"the {axis} axis looks logarithmic (labels {', '.join(w[0].text for w in g)})")
            continue
        if not _linear(pos, vals):
            continue
        if decreasing:
            problems.append(f"the {axis} axis is reversed (labels {', '.join(w[0].text for w in g)} "
                            f"run {'right to left' if axis == 'x' else 'top to bottom'})")
            continue
        out.append(g)
    return out


def _snap(axis: str, g, segments, spacing: float) -> tuple[np.ndarray, bool]:
    """Exact positions of the labels' tick marks or grid lines where the drawing has them.
    ``segments``: (N, 4) array x0, y0, x1, y1 of straight 2-point strokes."""
    words = [w[0] for w in g]
    if axis == "x":
        pos = np.array([w.xc for w in words])
        vert = segments[np.abs(segments[:, 0] - segments[:, 2]) < 0.05]
        cand = [(s[0], max(s[1], s[3])) for s in vert]
    else:
        pos = np.array([w.yc for w in words])
        hor = segments[np.abs(segments[:, 1] - segments[:, 3]) < 0.05]
        cand = [(s[1], min(s[0], s[2])) for s in hor]
    if not cand:
        return pos, False
    c = np.array(cand)
    out = pos.copy()
    hits = 0
    for i, w in enumerate(words):
        if axis == "x":   # a tick mark or grid line ending just above the label
            ok = (np.abs(c[:, 0] - pos[i]) < 0.3 * spacing) & (c[:, 1] <= w.top + 1) & (c[:, 1] >= w.top - 20)
        else:             # starting just right of the label
            ok = (np.abs(c[:, 0] - pos[i]) < 0.3 * spacing) & (c[:, 1] >= w.x1 - 1) & (c[:, 1] <= w.x1 + 20)
        if ok.any():
            # the stroke reaching nearest the label: its tick mark, else the grid line (a
            # censor mark on a curve near the axis starts further in)
            key = -c[:, 1] if axis == "x" else c[:, 1]
            j = int(np.argmin(np.where(ok, key, np.inf)))
            out[i] = c[j, 0]
            hits += 1
    if hits == len(words):
        vals = np.array([w[1] for w in g])
        b, a = np.polyfit(out, vals, 1)
        if np.max(np.abs(a + b * out - vals)) < 0.01 * np.median(np.abs(np.diff(vals))):
            return out, True
    return pos, False


def _power_labels(words) -> list[str]:
    """Labels written as powers ("10" with a raised exponent beside it), as log axes have."""
    out = []
    for w in words:
        if w.text.strip() != "10":
            continue
        h = w.bottom - w.top
        for e in words:
            if e is not w and 0 <= e.x0 - w.x1 < 0.3 * h and e.bottom < w.bottom - 0.2 * h \
                    and (e.bottom - e.top) < 0.9 * h and parse_number(e.text) is not None:
                out.append(f"10^{e.text}")
    return out


def find_axes(words, segments) -> tuple[TickAxis, TickAxis, list[str]]:
    """The x and y tick axes of the figure. Raises DigitizeError when they cannot be read."""
    powers = _power_labels(words)
    if len(powers) >= 2:
        raise DigitizeError(f"a logarithmic axis (labels {', '.join(powers)}): only linear axes are read; "
                            "digitize this figure by clicking points on a calibrated image instead")
    numeric = [(w, v) for w in words if (v := parse_number(w.text)) is not None]
    problems: list[str] = []
    xs = _candidates(numeric, "x", problems)
    ys = _candidates(numeric, "y", problems)
    if problems and (not xs or not ys):
        raise DigitizeError("; ".join(problems) + ": only linear axes running left to right and bottom to top "
                            "are read; digitize this figure by clicking points on a calibrated image instead")
    if not ys or not xs:
        raise DigitizeError(f"no {'x' if not xs else 'y'}-axis tick labels found ({len(words)} words, "
                            f"{len(numeric)} of them numbers, on the page): is there a Kaplan–Meier figure here? "
                            "Choose the page (--page) or crop to the figure, or calibrate by hand (--x-cal/--y-cal)")
    ycol = max(ys, key=lambda g: (len(g), -g[0][0].x1))
    y_low = max(w[0].yc for w in ycol)
    y_left = min(w[0].x1 for w in ycol)
    below = [g for g in xs if min(w[0].top for w in g) > y_low - 2 and max(w[0].xc for w in g) > y_left]
    if not below:
        raise DigitizeError("numeric labels found for the y axis but no row of x-axis tick labels under it; "
                            "crop to the figure or calibrate by hand (--x-cal/--y-cal)")
    xrow = min(below, key=lambda g: min(w[0].top for w in g))
    warnings = []
    axes = []
    for axis, g in (("x", xrow), ("y", ycol)):
        vals = np.array([w[1] for w in g])
        raw = np.array([w[0].xc if axis == "x" else w[0].yc for w in g])
        spacing = float(np.median(np.abs(np.diff(raw))))
        pos, snapped = _snap(axis, g, segments, spacing)
        if not snapped:
            warnings.append(f"{axis} axis calibrated from the tick labels' text positions (no tick marks or grid "
                            "lines found at them): positions good to about half a point")
        axes.append(TickAxis(pos, vals, [w[0] for w in g], snapped))
    return axes[0], axes[1], warnings
