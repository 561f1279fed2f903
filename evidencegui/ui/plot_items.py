"""The survival plot's items per arm (curve, CI band, censor marks, median drop-line, landmark
markers): made once, then updated in place with ``setData`` while the drawing keeps its shape,
and thinned to the view's resolution (core/curve_thin.py) so that 100,000-step curves and their
marks cost what a screen of pixels costs. ``ArmItems`` is a part of SurvivalPlotWidget
(ui/survival_plot.py): it uses the widget's plot item, view box, style and drawn arms.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from evidencegui.core import curves as cc
from evidencegui.core.curve_thin import THIN_MIN_POINTS, thin_marks, thin_polyline, thin_steps
from evidencegui.ui import style as st


@dataclass
class DrawnArm:
    """What was drawn for one arm, kept for tests and the hover readout. ``curve`` holds every
    vertex; the items may hold fewer (thinned to the view's resolution)."""
    key: str
    curve: cc.CurveData
    colour: str
    curve_item: Any = None
    ci_item: Any = None
    ci_edges: tuple = ()
    censor_item: Any = None
    median_item: Any = None
    landmark_items: list = field(default_factory=list)
    legend_text: str = ""
    index: int = 0
    marker_kw: dict = field(default_factory=dict)     # kind of marker: its symbol, pen, brush


class BandItem(pg.FillBetweenItem):
    """The CI band between two curves, its outline built from the curves' arrays in one numpy
    step (pyqtgraph's FillBetweenItem joins Qt polygons: ~17 ms for a band of 4,000 steps).
    ``hold`` lets both edges change before the outline is built once."""

    hold = False

    def curveChanged(self):  # noqa: N802 (pyqtgraph override)
        if not self.hold:
            self.updatePath()

    def updatePath(self):  # noqa: N802
        if self.curves is None:
            self.setPath(QtGui.QPainterPath())
            return
        (xl, yl), (xh, yh) = (c.getData() for c in self.curves)
        if xl is None or xh is None or len(xl) == 0 or len(xh) == 0:
            self.setPath(QtGui.QPainterPath())
            return
        x = np.concatenate([np.asarray(xl, float), np.asarray(xh, float)[::-1]])
        y = np.concatenate([np.asarray(yl, float), np.asarray(yh, float)[::-1]])
        path = pg.arrayToQPath(x, y, connect="all")
        path.closeSubpath()
        path.setFillRule(self.fillRule())
        self.setPath(path)


class TickMarks(pg.GraphicsObject):
    """Censor marks: pyqtgraph's '|' symbol (a bar 0.2 × 1 of ``size`` pixels, filled and
    outlined) at each (x, y). On screen one pre-rendered mark is stamped at every point (as
    ScatterPlotItem's cache does, without styling each of 5,000 marks in Python); in a figure
    (``cached`` False) the marks are one vector path."""

    def __init__(self, x, y, size: float, pen, brush, cached: bool = True):
        super().__init__()
        self.size, self.pen, self.brush, self.cached = float(size), pen, brush, cached
        self._x = self._y = np.zeros(0)
        self._stamp: tuple | None = None          # (device pixel ratio, pixmap)
        self._frags = None
        self.setData(x, y)

    def setData(self, x, y, **_):  # noqa: N802 (the ScatterPlotItem call)
        self.prepareGeometryChange()
        self._x = np.asarray(x, float)
        self._y = np.asarray(y, float)
        self.update()

    def getData(self):  # noqa: N802
        return self._x, self._y

    def dataBounds(self, ax, frac=1.0, orthoRange=None):  # noqa: N802
        v = self._x if ax == 0 else self._y
        return (float(v.min()), float(v.max())) if len(v) else (None, None)

    def viewTransformChanged(self):  # noqa: N802
        self.prepareGeometryChange()
        super().viewTransformChanged()

    def boundingRect(self):  # noqa: N802
        if len(self._x) == 0:
            return QtCore.QRectF()
        x0, x1 = float(self._x.min()), float(self._x.max())
        y0, y1 = float(self._y.min()), float(self._y.max())
        px, py = self.pixelVectors()
        pad = self.size / 2 + self.pen.widthF()
        dx = 0.0 if px is None else px.length() * pad
        dy = 0.0 if py is None else py.length() * pad
        return QtCore.QRectF(x0 - dx, y0 - dy, x1 - x0 + 2 * dx, y1 - y0 + 2 * dy)

    def paint(self, p, option=None, widget=None):
        if len(self._x) == 0:
            return
        t = p.transform()
        X = t.m11() * self._x + t.m21() * self._y + t.dx()
        Y = t.m12() * self._x + t.m22() * self._y + t.dy()
        p.save()
        try:
            p.resetTransform()
            if self.cached:
                self._paint_stamps(p, X, Y, widget)
            else:
                self._paint_path(p, X, Y)
        finally:
            p.restore()

    def _paint_stamps(self, p, X, Y, widget) -> None:
        from pyqtgraph.graphicsItems.ScatterPlotItem import renderSymbol
        from pyqtgraph.Qt import internals
        dpr = widget.devicePixelRatioF() if widget is not None else 1.0
        if self._stamp is None or self._stamp[0] != dpr:
            img = renderSymbol("|", self.size, self.pen, self.brush, dpr=dpr)
            self._stamp = (dpr, QtGui.QPixmap.fromImage(img))
        pm = self._stamp[1]
        if self._frags is None:
            self._frags = internals.PrimitiveArray(QtGui.QPainter.PixmapFragment, 10)
        self._frags.resize(len(X))
        f = self._frags.ndarray()
        f[:, 0], f[:, 1] = X, Y                               # centre of each stamp
        f[:, 2:6] = [0, 0, pm.width(), pm.height()]           # the whole pixmap
        f[:, 6:10] = [1 / dpr, 1 / dpr, 0.0, 1.0]             # scale, rotation, opacity
        p.drawPixmapFragments(*self._frags.drawargs(), pm)

    def _paint_path(self, p, X, Y) -> None:
        hw, hh = 0.1 * self.size, 0.5 * self.size
        xs = np.stack([X - hw, X + hw, X + hw, X - hw, X - hw], axis=1).ravel()
        ys = np.stack([Y - hh, Y - hh, Y + hh, Y + hh, Y - hh], axis=1).ravel()
        connect = np.ones(len(xs), bool)
        connect[4::5] = False
        p.setPen(self.pen)
        p.setBrush(self.brush)
        p.drawPath(pg.arrayToQPath(xs, ys, connect=connect))


def _thinnable(c: cc.CurveData) -> bool:
    return len(c.time) > THIN_MIN_POINTS or len(c.censor_time) > THIN_MIN_POINTS


class ArmItems:
    """Per-arm items of the survival plot (a mixin of SurvivalPlotWidget)."""

    thin = True              # False: every vertex and mark drawn (comparisons in tests)
    # Columns and mark cells of a power of two in data units, between half a pixel and a pixel:
    # the same for every view of nearly the same scale (a resize or a zoom within an octave
    # keeps them; a fresh widget of that size picks the same), and within a pixel of the full
    # drawing. Past an octave (zoom, resize) the arms are thinned again.
    _thin_res: tuple | None = None      # (dx, dy) of the current thinning, None: not thinned

    # ------------------------------------------------------------------ structure
    def _drawing_shape(self, arms) -> tuple:
        """What decides which arms are drawn and how their lines look (their colour, dash and
        the style's pens); a redraw with the same shape updates the items in place (bands,
        marks, median lines and markers are made or removed there as needed)."""
        return (self.style, self.interactive, tuple((k, i, c.modelled) for k, c, i in arms))

    # ------------------------------------------------------------------ thinning
    def _px_size(self, span_x: float | None = None) -> tuple[float, float]:
        """Data units per pixel (x, y) of the view; before the widget is laid out, of a
        1000 × 600 px view."""
        W, H = self.vb.width(), self.vb.height()
        (x0, x1), (y0, y1) = self.vb.viewRange()
        if W < 50 or H < 50:
            W, H = 1000.0, 600.0
        sx = (x1 - x0) if span_x is None else span_x
        return abs(sx) / W, abs(y1 - y0) / H

    @staticmethod
    def _octave(px: float) -> float:
        """The largest power of two not above ``px`` (0 when px is not a positive number)."""
        return float(2.0 ** np.floor(np.log2(px))) if np.isfinite(px) and px > 0 else 0.0

    def _set_thin_res(self, px: tuple[float, float], curves=None) -> bool:
        """Choose the thinning for a pixel size; True when the arms must be thinned again."""
        if curves is None:
            curves = [d.curve for d in self.drawn.values()]
        res = None
        if self.thin and any(_thinnable(c) for c in curves):
            res = (self._octave(px[0]), self._octave(px[1]))
            if not all(res):
                res = None
        changed = res != self._thin_res
        self._thin_res = res
        return changed

    def _ensure_thinning(self) -> None:
        """Thin again when the view has been zoomed (or resized) past the current thinning."""
        if self._set_thin_res(self._px_size()):
            for d in self.drawn.values():
                if _thinnable(d.curve):
                    self._set_arm_data(d)

    def _thinned(self, c: cc.CurveData) -> dict:
        """The arrays to draw: every vertex, or those the view's resolution shows. A curve drawn
        from patients is thinned once per fit, unit and resolution (a redraw that leaves an
        arm's data alone, e.g. the CI switched on, reuses its arrays)."""
        res = self._thin_res if self.thin else None
        out = {"curve": (c.time, c.survival), "censor": (c.censor_time, c.censor_survival)}
        if c.lower is not None and c.upper is not None:
            out["lower"], out["upper"] = (c.time, c.lower), (c.time, c.upper)
        if res is None or not _thinnable(c):
            return out
        key = (id(c.km), c.time_unit, c.ci_method, len(c.time), res) if c.km is not None else None
        cache = self.__dict__.setdefault("_thin_cache", {})
        if key is not None and key in cache:
            return cache[key][1]
        dx, dy = res
        for name in ("curve", "lower", "upper"):
            if name in out and len(out[name][0]) > THIN_MIN_POINTS:
                x, y = out[name]
                if name == "curve" and not c.modelled:     # a stroked step curve stays one
                    out[name] = thin_steps(x, y, dx)
                else:
                    idx = thin_polyline(x, y, dx)
                    out[name] = (x[idx], np.asarray(y)[idx])
        if len(c.censor_time) > THIN_MIN_POINTS:
            idx = thin_marks(c.censor_time, c.censor_survival, dx, dy)
            out["censor"] = (c.censor_time[idx], c.censor_survival[idx])
        if key is not None:
            if len(cache) > 64:
                cache.clear()
            cache[key] = (c.km, out)        # the fit held, so that its id is not reused
        return out

    # ------------------------------------------------------------------ items
    def _make_arm(self, d: DrawnArm) -> None:
        """Create an arm's curve (then its band, marks and median line) and add them to the plot."""
        s = self.style
        d.curve_item = pg.PlotCurveItem(pen=s.pen(d.colour, d.curve.modelled, dash=st.dashes(d.index, s)),
                                        antialias=True)
        d.curve_item.setZValue(10)
        self.plot_item.addItem(d.curve_item)
        self._set_arm_data(d)

    def _set_arm_data(self, d: DrawnArm) -> None:
        """Give an arm's items the arrays of its (new) curve; make or remove its band, marks and
        median line as the view settings and the curve now ask (Show CI switched, say)."""
        s, c, col = self.style, d.curve, d.colour
        data = self._thinned(c)
        want_band = self.show_ci and "lower" in data
        if want_band and d.ci_item is None:
            lo, hi = pg.PlotCurveItem(pen=None), pg.PlotCurveItem(pen=None)
            d.ci_edges = (lo, hi)
            d.ci_item = BandItem(lo, hi, brush=s.ci_brush(col))
            d.ci_item.setZValue(-10)
            self.plot_item.addItem(d.ci_item)
        elif not want_band and d.ci_item is not None:
            self.plot_item.removeItem(d.ci_item)
            d.ci_item, d.ci_edges = None, ()
        if d.ci_item is not None:
            d.ci_item.hold = True           # one outline for both edges
            d.ci_edges[0].setData(*data["lower"])
            d.ci_edges[1].setData(*data["upper"])
            d.ci_item.hold = False
            d.ci_item.updatePath()
        # A Kaplan–Meier curve thinned to the screen's pixels (thousands of patients) is drawn
        # without antialiasing: its segments are all horizontal or vertical and a pixel apart, so
        # it looks the same, and it draws about twice as fast (10 arms × 100,000 patients: a
        # frame's curves 34 → 15 ms). Smaller curves, modelled ones and figures keep it.
        thinned = data["curve"][0] is not c.time
        d.curve_item.setData(*data["curve"], antialias=not (thinned and self.interactive and not c.modelled))
        if len(c.censor_time) and d.censor_item is None:
            d.censor_item = TickMarks(*data["censor"], size=s.px(s.censor_pt),
                                      pen=pg.mkPen(col, width=max(1.0, s.px(s.censor_line_pt))),
                                      brush=pg.mkBrush(col),
                                      cached=self.interactive)   # a figure: one vector path
            d.censor_item.setZValue(11)
            self.plot_item.addItem(d.censor_item)
        elif not len(c.censor_time) and d.censor_item is not None:
            self.plot_item.removeItem(d.censor_item)
            d.censor_item = None
        elif d.censor_item is not None:
            d.censor_item.setData(*data["censor"])
        m = cc.median_marker(c) if self.show_median else None
        if m is None and d.median_item is not None:
            self.plot_item.removeItem(d.median_item)
            d.median_item = None
        elif m is not None and d.median_item is None:
            d.median_item = pg.PlotCurveItem([0.0, m.time, m.time], [0.5, 0.5, 0.0],
                                             pen=s.pen(col, width_pt=s.guide_pt,
                                                       style=QtCore.Qt.PenStyle.DotLine))
            d.median_item.setZValue(5)
            self.plot_item.addItem(d.median_item)
        elif m is not None:
            x, _ = d.median_item.getData()
            if x is None or float(x[1]) != m.time:
                d.median_item.setData([0.0, m.time, m.time], [0.5, 0.5, 0.0])

    def _marker_specs(self, key: str, c: cc.CurveData, lm_times: list[float], beam: float) -> list[tuple]:
        """(kind, arguments) of each marker item of an arm: landmark circles on the curve, and
        the reported landmarks (diamonds, with their CI as an error bar)."""
        out = []
        pts = cc.landmark_markers(c, lm_times) if lm_times else []
        if pts:
            out.append(("circles", dict(x=[p.time for p in pts], y=[p.survival for p in pts])))
        for rm in self.reported.get(key, []):
            if rm.lower is not None and rm.upper is not None:
                out.append(("bar", dict(x=np.array([rm.time]), y=np.array([rm.survival]),
                                        top=np.array([rm.upper - rm.survival]),
                                        bottom=np.array([rm.survival - rm.lower]), beam=beam)))
            out.append(("diamond", dict(x=[rm.time], y=[rm.survival])))
        return out

    def _marker_style(self, kind: str, colour: str) -> dict:
        s = self.style
        if kind == "circles":
            return dict(symbol="o", size=s.px(s.marker_pt), brush=pg.mkBrush("w"),
                        pen=pg.mkPen(colour, width=max(1.0, s.px(s.guide_pt))))
        if kind == "bar":
            return dict(pen=pg.mkPen(colour, width=max(1.0, s.px(s.guide_pt))))
        return dict(symbol="d", size=s.px(s.marker_pt) * 1.2, pen=pg.mkPen(colour), brush=pg.mkBrush(colour))

    def _set_markers(self, d: DrawnArm, specs: list[tuple], in_place: bool) -> None:
        """Make the marker items, or (same kinds as drawn) give the existing ones new data."""
        if in_place and len(specs) == len(d.landmark_items):
            for (kind, args), it in zip(specs, d.landmark_items):
                it.setData(**args, **({} if kind == "bar" else d.marker_kw[kind]))
            return
        for it in d.landmark_items:
            self.plot_item.removeItem(it)
        d.landmark_items = []
        for kind, args in specs:
            kw = d.marker_kw.setdefault(kind, self._marker_style(kind, d.colour))
            if kind == "bar":
                it = pg.ErrorBarItem(**args, **kw)
            else:
                it = pg.ScatterPlotItem(**args, **kw, useCache=self.interactive)
                it.setZValue(12 if kind == "circles" else 13)
            self.plot_item.addItem(it)
            d.landmark_items.append(it)
