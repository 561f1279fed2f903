"""Digitize a published Kaplan–Meier figure (pure: works on arrays and path lists, not files).

``digitize(source)`` takes a FigureSource (evidencegui.io.figure_sources; only its attributes
``kind``, ``image``, ``scale`` and ``vector`` are used) and returns the curves in data units:
from the vector drawing when the page has one (exact), else traced on the image. Modules:
model (data classes, errors), ticks (tick-label calibration), vector (curves, legend, censor
marks from paths), risk_table (numbers at risk), raster (colour clustering and step tracing)."""
from __future__ import annotations

import numpy as np

from .model import AtRisk, AxisCalibration, Curve, DigitizeError, DigitizeResult
from .raster import trace_image

__all__ = ["AtRisk", "AxisCalibration", "Curve", "DigitizeError", "DigitizeResult", "digitize",
           "trace_image", "name_curves"]


def name_curves(curves: list[Curve]) -> list[Curve]:
    """Unnamed curves become "Curve 1", "Curve 2", … from top to bottom (mean survival over the
    common time range); names are made unique."""
    if not curves:
        return curves
    lo = max(c.points[0][0] for c in curves)
    hi = min(c.points[-1][0] for c in curves)
    grid = np.linspace(lo, hi, 50) if hi > lo else np.array([lo])

    def mean_s(c):
        p = np.array(c.points)
        i = np.clip(np.searchsorted(p[:, 0], grid, side="right") - 1, 0, len(p) - 1)
        return float(p[i, 1].mean())
    order = sorted(range(len(curves)), key=lambda i: -mean_s(curves[i]))
    ranked = [curves[i] for i in order]
    k = 0
    seen: set[str] = set()
    for c in ranked:
        if not c.name:
            k += 1
            c.name = f"Curve {k}"
        base, n = c.name, 2
        while c.name in seen:
            c.name = f"{base} ({n})"
            n += 1
        seen.add(c.name)
    return ranked


def _crop_page(vector, crop, scale):
    """Only the paths and words whose boxes lie in ``crop`` (image pixels)."""
    from copy import copy
    x0, y0, x1, y1 = (v / scale for v in crop)
    page = copy(vector)
    page.paths = [p for p in vector.paths if p.pts[:, 0].min() >= x0 and p.pts[:, 0].max() <= x1
                  and p.pts[:, 1].min() >= y0 and p.pts[:, 1].max() <= y1]
    page.words = [w for w in vector.words if w.x0 >= x0 and w.x1 <= x1 and w.top >= y0 and w.bottom <= y1]
    return page


def _digitize_vector(vector, scale, crop):
    from .risk_table import read_at_risk
    from .ticks import find_axes
    from .vector import extract_curves, plot_box, straight_segments

    page = _crop_page(vector, crop, scale) if crop is not None else vector
    segs = straight_segments(page.paths)
    xaxis, yaxis, warnings = find_axes(page.words, segs)
    percent = float(np.max(yaxis.values)) > 1.5
    if percent:
        warnings.append("y axis in percent (0–100): survival divided by 100")
    ax, bx = xaxis.fit()
    ay, by = yaxis.fit()
    k = 100.0 if percent else 1.0

    def to_data(x, y):
        return ax + bx * np.asarray(x, float), (ay + by * np.asarray(y, float)) / k
    box = plot_box(xaxis, yaxis, segs)
    p0, p1 = float(xaxis.pos.min()), float(xaxis.pos.max())
    q0, q1 = float(yaxis.pos.min()), float(yaxis.pos.max())
    cal = AxisCalibration(((p0 * scale, ax + bx * p0), (p1 * scale, ax + bx * p1)),
                          ((q0 * scale, ay + by * q0), (q1 * scale, ay + by * q1)), percent)
    curves, w2 = extract_curves(page, box, to_data, box[2] - box[0])
    warnings += w2
    box_px = tuple(v * scale for v in box)
    if not curves:
        return None, cal, box_px, warnings, xaxis
    curves = name_curves(curves)
    at_risk = read_at_risk(page.words, xaxis, box, curves, warnings)
    return DigitizeResult("vector", cal, curves, at_risk, warnings, box_px), cal, box_px, warnings, xaxis


def digitize(source, crop: tuple | None = None, calibration: AxisCalibration | None = None) -> DigitizeResult:
    """Curves of the figure in ``source`` (a FigureSource), optionally only inside ``crop``
    (image pixels x0, y0, x1, y1). With a vector page the drawing is read; when it holds no
    curve paths (a picture inside the PDF) the rendered page is traced with the calibration read
    from the tick labels. ``calibration`` (image pixels) is needed for an image."""
    warnings = list(getattr(source, "warnings", []) or [])
    image = np.asarray(source.image)
    if crop is not None:
        x0, y0, x1, y1 = (float(v) for v in crop)
        if not (x1 > x0 and y1 > y0):
            raise DigitizeError(f"the crop rectangle {crop} is empty; drag a rectangle around the figure")
    vector = getattr(source, "vector", None)
    if vector is not None and calibration is None:
        res, cal, box_px, w, _ = _digitize_vector(vector, float(source.scale), crop)
        if res is not None:
            res.warnings = warnings + res.warnings
            return res
        warnings += w + ["no curve paths in the PDF's drawing: the rendered page is traced as an image"]
        calibration = cal
        box = box_px
    else:
        box = None
    if calibration is None:
        raise DigitizeError("an image needs a calibration: two known points per axis (e.g. "
                            "--x-cal 331:0,1109:96 --y-cal 609:0,81:1, pixel:value); no text recognition is "
                            "available to read the tick labels of an image")
    if crop is not None and box is None:
        # the user's rectangle is around the figure: the axes inside it, else the rectangle
        from .raster import find_plot_box
        cx0, cy0, cx1, cy1 = (int(round(v)) for v in crop)
        cx0, cy0 = max(cx0, 0), max(cy0, 0)
        part = image[cy0:cy1, cx0:cx1, :3] if image.ndim == 3 else image
        inner = find_plot_box(part) if min(part.shape[:2]) >= 16 else None
        box = crop if inner is None else (inner[0] + cx0, inner[1] + cy0, inner[2] + cx0, inner[3] + cy0)
    if box is None:
        from .raster import find_plot_box
        box = find_plot_box(image[..., :3]) if image.ndim == 3 and min(image.shape[:2]) >= 16 else None
    curves, w = trace_image(image, calibration, plot_box=box)
    return DigitizeResult("raster", calibration, name_curves(curves), None, warnings + w,
                          None if box is None else tuple(float(v) for v in box))
