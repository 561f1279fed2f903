"""The survival plot: draws the curves, bands, marks and numbers at risk that core/curves.py computed.

Nothing statistical is computed here. Every size comes from ui/style.py in points, so the same widget
laid out at a figure's pixel size (ui/figure.py) gives a print-resolution figure, not an upscaled grab.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from evidencegui.core import curves as cc
from evidencegui.io import format as fmt
from evidencegui.ui import style as st

UNIT_WORD = {"months": "Months", "years": "Years", "weeks": "Weeks", "days": "Days"}
# Tick steps that read naturally for follow-up times (months: quarters, half-years, years).
_STEPS = {"months": (1, 3, 6, 12, 24, 36, 48, 60, 120, 240),
          "years": (0.25, 0.5, 1, 2, 3, 5, 10, 20),
          "weeks": (1, 2, 4, 8, 13, 26, 52, 104, 260),
          "days": (7, 14, 30, 60, 90, 180, 365, 730, 1825)}


class TimeAxis(pg.AxisItem):
    """Bottom axis whose major ticks fall on natural follow-up steps; the at-risk table uses them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = "months"
        self.min_spacing_px = 60.0

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (Qt/pyqtgraph override)
        lo, hi = sorted((float(minVal), float(maxVal)))
        span = hi - lo
        if not (span > 0 and math.isfinite(span)) or size <= 0:
            return [(1.0, [])]
        most = max(2.0, size / self.min_spacing_px)
        steps = _STEPS.get(self.unit, _STEPS["months"])
        step = next((s for s in steps if span / s <= most), None)
        if step is None:
            step = float(pg.AxisItem.tickSpacing(self, lo, hi, size)[0][0])
        first = math.ceil(lo / step - 1e-9) * step
        ticks = [round(v, 9) for v in np.arange(first, hi + step * 1e-6, step) if v >= -1e-9]
        return [(float(step), ticks), (float(step) / 2, [])]

    def major_ticks(self) -> list[float]:
        """The major tick positions drawn for the current range and length."""
        lo, hi = sorted(self.range)
        return list(self.tickValues(lo, hi, self.geometry().width())[0][1])

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [f"{v:g}" for v in values]


class ProbabilityAxis(pg.AxisItem):
    """Left axis whose title sits next to its tick labels, however wide the axis is made."""

    def resizeEvent(self, ev=None):  # noqa: N802
        super().resizeEvent(ev)
        font = self.style["tickFont"] or QtGui.QFont()
        tick_w = QtGui.QFontMetricsF(font).horizontalAdvance("100%")
        br = self.label.boundingRect()
        offset = self.style["tickTextOffset"][0] if isinstance(self.style["tickTextOffset"], list) \
            else self.style["tickTextOffset"]
        x = self.width() - tick_w - offset - abs(self.style["tickLength"]) - br.height() * 1.05
        self.label.setPos(QtCore.QPointF(max(0.0, x), self.label.pos().y()))


class RowLabelAxis(pg.AxisItem):
    """Left axis of the at-risk table. With the names over the rows it is empty; as a colour key
    (little room) each row starts with its arm's line sample, as in the legend."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.colours: dict[str, str] = {}       # arm name: colour
        self.samples: dict[str, QtGui.QPen] = {}   # tick label: the arm's pen (colour-key mode)

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802
        p.setRenderHint(p.RenderHint.Antialiasing, True)
        for rect, flags, text in textSpecs:
            pen = self.samples.get(text)
            if pen is None:
                continue
            p.setPen(pen)
            y = rect.center().y()
            p.drawLine(QtCore.QPointF(rect.right() - rect.width() * 0.9, y), QtCore.QPointF(rect.right(), y))


class FigureLegend(QtWidgets.QGraphicsObject):
    """The legend box: per entry a line sample (or none) and lines of text, in one or more
    columns. Drawn with QPainter primitives only (lines, rectangles, text), so that PNG, SVG and
    PDF show the same box."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[tuple] = []      # (pen or None, [(text, bold), ...])
        self.columns = 1
        self._style: st.PlotStyle | None = None
        self._rect = QtCore.QRectF()
        self._cells: list[tuple] = []       # (x, y, pen, lines)

    def set_entries(self, entries: list[tuple], style: st.PlotStyle, columns: int = 1) -> None:
        self.prepareGeometryChange()
        self.entries, self._style, self.columns = list(entries), style, max(1, columns)
        self._layout()
        self.update()

    def texts(self) -> list[str]:
        """Each entry's text, its lines joined by newlines (for tests and the hover)."""
        return ["\n".join(t for t, _ in lines) for _, lines in self.entries]

    def _fonts(self):
        s = self._style
        return s.font(s.legend_pt), s.font(s.legend_pt, bold=True)

    def _layout(self) -> None:
        s = self._style
        if s is None or not self.entries:
            self._rect, self._cells = QtCore.QRectF(), []
            return
        normal, bold = self._fonts()
        fm_n, fm_b = QtGui.QFontMetricsF(normal), QtGui.QFontMetricsF(bold)
        line_h = max(fm_n.lineSpacing(), fm_b.lineSpacing())
        sample_w = s.px(s.legend_pt) * 2.0
        gap = s.px(4)
        pad = s.px(4)
        ncol = self.columns
        # In columns, the arms fill the grid and the notes (no line sample) follow, a row each
        # across the whole box; in one column everything is one list.
        grid = [e for e in self.entries if e[0] is not None or ncol == 1]
        notes = [e for e in self.entries if e[0] is None and ncol > 1]

        def width_of(pen, lines):
            w = max((fm_b if b else fm_n).horizontalAdvance(t) for t, b in lines)
            return (sample_w + gap if pen is not None or ncol == 1 else 0) + w
        col_w = [0.0] * ncol
        row_h: list[float] = []
        for k, (pen, lines) in enumerate(grid):
            r, c = divmod(k, ncol)
            col_w[c] = max(col_w[c], width_of(pen, lines))
            if r == len(row_h):
                row_h.append(0.0)
            row_h[r] = max(row_h[r], line_h * len(lines))
        self._cells = []
        for k, (pen, lines) in enumerate(grid):
            r, c = divmod(k, ncol)
            x = pad + sum(col_w[:c]) + c * gap * 3
            y = pad + sum(row_h[:r]) + r * s.px(1.5)
            self._cells.append((x, y, pen, lines, line_h, sample_w, gap))
        width = sum(col_w) + (ncol - 1) * gap * 3
        y = pad + sum(row_h) + len(row_h) * s.px(1.5)
        for pen, lines in notes:
            self._cells.append((pad, y, pen, lines, line_h, sample_w, gap))
            width = max(width, width_of(pen, lines))
            y += line_h * len(lines)
        height = y - (s.px(1.5) if not notes else 0) + pad
        self._rect = QtCore.QRectF(0, 0, width + 2 * pad, height)

    def boundingRect(self):  # noqa: N802
        return QtCore.QRectF(self._rect)

    def paint(self, p, *args):
        if self._style is None or not self.entries:
            return
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        p.setPen(pg.mkPen("#bbbbbb", width=1))
        p.setBrush(pg.mkBrush(255, 255, 255, 225))
        p.drawRect(self._rect)
        normal, bold = self._fonts()
        ascent = max(QtGui.QFontMetricsF(normal).ascent(), QtGui.QFontMetricsF(bold).ascent())
        text_pen = pg.mkPen(st.TEXT)
        for x, y, pen, lines, line_h, sample_w, gap in self._cells:
            tx = x
            if pen is not None:
                p.setPen(pen)
                mid = y + line_h / 2
                p.drawLine(QtCore.QPointF(x, mid), QtCore.QPointF(x + sample_w, mid))
            if pen is not None or self.columns == 1:
                tx = x + sample_w + gap
            p.setPen(text_pen)
            for k, (text, is_bold) in enumerate(lines):
                p.setFont(bold if is_bold else normal)
                p.drawText(QtCore.QPointF(tx, y + k * line_h + ascent), text)


@dataclass
class DrawnArm:
    """What was drawn for one arm, kept for tests and the hover readout."""
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


ZWSP = "\u200b"


def breakable(name: str) -> str:
    """An arm name that may wrap after "+", "/" and "," (drug combinations have no spaces)."""
    for ch in "+/,":
        name = name.replace(ch, ch + ZWSP)
    return name


def segments_hit(segs: np.ndarray, rect: tuple[float, float, float, float]) -> np.ndarray:
    """Which segments (rows x0, y0, x1, y1) cross the rectangle (left, top, right, bottom).

    Separating axes: the rectangle's two axes (bounding boxes) and the segment's normal (all
    four corners on one side of the segment's line)."""
    if len(segs) == 0:
        return np.zeros(0, bool)
    left, top, right, bottom = rect
    xa, ya, xb, yb = segs.T
    boxes = ((np.minimum(xa, xb) <= right) & (np.maximum(xa, xb) >= left)
             & (np.minimum(ya, yb) <= bottom) & (np.maximum(ya, yb) >= top))
    dx, dy = xb - xa, yb - ya
    side = np.stack([dx * (cy - ya) - dy * (cx - xa)
                     for cx, cy in ((left, top), (right, top), (left, bottom), (right, bottom))])
    apart = np.all(side > 0, axis=0) | np.all(side < 0, axis=0)
    return boxes & ~apart


def legend_parts(curve: cc.CurveData) -> tuple[str, str]:
    """The legend's two lines: arm name, then n, events and median (with its CI). A number that is
    not known is left out, never shown as "?"."""
    ab = cc.UNIT_ABBREV.get(curve.time_unit, curve.time_unit)
    parts = []
    if curve.n is not None:
        parts.append(f"n={curve.n}")
    if curve.events is not None:
        parts.append(f"events={curve.events}")
    if curve.median is not None:
        med = f"median {fmt.fmt_time(curve.median)} {ab}"
        ci = fmt.fmt_ci(curve.median_lower, curve.median_upper, fmt.fmt_time, "NR")
        parts.append(med + (f" ({ci})" if ci else ""))
    elif curve.median_not_reached or curve.km is not None:
        parts.append(f"median {fmt.NOT_REACHED}")
    return curve.label, ", ".join(parts)


def legend_text(curve: cc.CurveData) -> str:
    name, numbers = legend_parts(curve)
    return f"{name}: {numbers}"


class SurvivalPlotWidget(QtWidgets.QWidget):
    """Kaplan–Meier (or modelled) curves of one endpoint, or of arms from several trials."""

    def __init__(self, parent=None, style: str | st.PlotStyle = "screen", px_per_pt: float | None = None,
                 interactive: bool = True, show_title: bool = False):
        super().__init__(parent)
        self.interactive = interactive
        self.show_title = show_title
        self.style = st.get_style(style).at(px_per_pt or st.SCREEN_PX_PER_PT)
        self.time_unit = "months"
        self.show_ci = True
        self.percent = False
        self.title = ""
        self._source: tuple = ()            # ("endpoint", project, trial, endpoint) or ("arms", ...)
        self.curves: list[cc.CurveData] = []
        self.drawn: dict[str, DrawnArm] = {}
        self.landmark_times: list[float] = []
        self.reported: dict[str, list[cc.Marker]] = {}
        self.at_risk: list[cc.AtRiskRow] = []
        self.at_risk_items: list[list[pg.TextItem]] = []
        self._cell_pool: list[list[pg.TextItem]] = []
        self._risk_notes: list[pg.TextItem] = []
        self._origin: dict[str, str] = {}
        self.hover_text = ""
        self.hover_values: dict[str, float] = {}
        self._updating_risk = False
        self.legend_corner = "bottom-left"   # or "inside" / "outside"
        self.show_hr = True                   # the HR (95% CI) and p annotation
        self.show_median = True               # median drop-lines
        self.annotation: list[str] = []
        self.legend_outside = False
        self.risk_key = False                 # at-risk rows keyed by line samples (little room)
        self._force_risk_key = False
        self._risk_layout_for: tuple = ()
        self._legend_compact = False
        self._legend_entries: list[tuple] = []
        self._legend_mode_dirty = True
        self._name_pool: list[pg.TextItem] = []
        self._name_lines: list[int] = []
        self._row_y: list[float] = []

        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.glw = pg.GraphicsLayoutWidget()
        self.glw.setBackground("w")
        self.glw.ci.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.glw, 1)
        self.bottom_axis = TimeAxis("bottom")
        self.plot_item = pg.PlotItem(axisItems={"bottom": self.bottom_axis,
                                                "left": ProbabilityAxis("left")})
        self.glw.addItem(self.plot_item, row=0, col=0)
        self.risk_axis = RowLabelAxis("left")
        self.risk_item = pg.PlotItem(axisItems={"left": self.risk_axis})
        self.glw.addItem(self.risk_item, row=1, col=0)
        self.glw.ci.layout.setRowStretchFactor(0, 1)
        self.glw.ci.layout.setRowStretchFactor(1, 0)
        self.risk_item.setXLink(self.plot_item)
        self.risk_item.hideAxis("bottom")
        self.risk_item.setMouseEnabled(x=False, y=False)
        self.risk_item.setMenuEnabled(False)
        self.risk_item.hideButtons()
        self.risk_item.getViewBox().invertY(True)
        self.plot_item.hideButtons()
        self.plot_item.setMenuEnabled(False)
        self.vb = self.plot_item.getViewBox()
        self.vb.setLimits(yMin=-0.05, yMax=1.1)
        self.vb.sigXRangeChanged.connect(self._range_changed)
        self.vb.sigResized.connect(self._range_changed)
        self.legend = FigureLegend()
        self.legend.setParentItem(self.plot_item)    # inside the axes or above them
        self.legend.setZValue(100)
        self._top_row = (self.plot_item.layout.rowMinimumHeight(1),
                         self.plot_item.layout.rowMaximumHeight(1))
        self.hover_line = pg.InfiniteLine(angle=90, movable=False,
                                          pen=pg.mkPen("#888888", width=1, style=QtCore.Qt.PenStyle.DotLine))
        self.hover_line.setVisible(False)
        self.hover_line.setZValue(50)
        self.hover_label = QtWidgets.QLabel(" ")
        self.hover_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.hover_label.setContentsMargins(0, 0, 0, 2)
        self.hover_label.setIndent(8)
        self.hover_label.setWordWrap(True)
        self.hover_label.setVisible(interactive)
        lay.addWidget(self.hover_label)
        if interactive:
            self._proxy = pg.SignalProxy(self.glw.scene().sigMouseMoved, rateLimit=30,
                                         slot=self._mouse_moved)
        self._apply_style()

    # ------------------------------------------------------------------ public API
    @property
    def curve_items(self) -> dict[str, pg.PlotCurveItem]:
        return {k: d.curve_item for k, d in self.drawn.items()}

    @property
    def ci_items(self) -> dict[str, pg.FillBetweenItem]:
        return {k: d.ci_item for k, d in self.drawn.items() if d.ci_item is not None}

    @property
    def censor_items(self) -> dict[str, pg.ScatterPlotItem]:
        return {k: d.censor_item for k, d in self.drawn.items() if d.censor_item is not None}

    @property
    def median_items(self) -> dict[str, pg.PlotCurveItem]:
        return {k: d.median_item for k, d in self.drawn.items() if d.median_item is not None}

    def set_endpoint(self, project, trial, endpoint) -> None:
        """Draw every arm of ``endpoint`` (objects of core.model)."""
        self._source = ("endpoint", project, trial, endpoint)
        self.title = "" if endpoint is None else \
            f"{getattr(trial, 'name', '') + ' — ' if trial is not None else ''}{endpoint.name}"
        self.redraw()

    def set_arms(self, arms: Sequence[tuple], project=None) -> None:
        """Overlay arms from different trials: a list of (trial, endpoint, arm)."""
        self._source = ("arms", project, list(arms))
        names = sorted({f"{t.name} {e.name}" for t, e, _ in arms})
        self.title = "Cross-trial overlay: " + ", ".join(names) if arms else ""
        self.redraw()

    def set_time_unit(self, unit: str) -> None:
        self.set_view(time_unit=unit)

    def set_style(self, name: str | st.PlotStyle) -> None:
        self.set_view(style=name)

    def set_show_ci(self, show: bool) -> None:
        self.set_view(show_ci=show)

    def set_view(self, time_unit: str | None = None, style: str | st.PlotStyle | None = None,
                 show_ci: bool | None = None, redraw: bool = True, show_hr: bool | None = None,
                 show_median: bool | None = None) -> None:
        """Several view settings at once, with at most one redraw (the window sets all three)."""
        changed = False
        for name, value in (("show_hr", show_hr), ("show_median", show_median)):
            if value is not None and bool(value) != getattr(self, name):
                setattr(self, name, bool(value))
                changed = True
        if time_unit is not None and time_unit != self.time_unit:
            if time_unit not in cc.TIME_UNITS:
                raise ValueError(f"unknown time unit {time_unit!r}")
            self._last_t = float(cc.convert_time(self._last_t, self.time_unit, time_unit))
            self.time_unit, changed = time_unit, True
        if style is not None:
            new = st.get_style(style).at(self.style.px_per_pt)     # same output resolution
            if new != self.style:
                self.style, changed = new, True
                self._apply_style()
        if show_ci is not None and bool(show_ci) != self.show_ci:
            self.show_ci, changed = bool(show_ci), True
        if changed and redraw:
            self.redraw()

    def set_percent(self, percent: bool) -> None:
        self.percent = bool(percent)
        self._y_ticks()

    # ------------------------------------------------------------------ drawing
    def _data_unit(self, project) -> str:
        u = getattr(project, "time_unit", "months")
        return u if u in cc.TIME_UNITS else "months"

    def _compute(self) -> tuple[list[tuple[str, cc.CurveData, int]], list]:
        """(key, curve, colour index) per drawable arm, and the arms' reported landmarks."""
        if not self._source:
            return [], []
        if self._source[0] == "endpoint":
            _, project, _trial, ep = self._source
            arms = list(ep.arms) if ep is not None else []
            keys = [a.label for a in arms]
        else:
            _, project, items = self._source
            arms = [a for _, _, a in items]
            # "trial: arm"; the endpoint joins in when the overlay mixes endpoints (OS with PFS)
            mixed = len({e.name for _, e, _ in items}) > 1
            keys = [f"{t.name} {e.name}: {a.label}" if mixed else f"{t.name}: {a.label}"
                    for t, e, a in items]
        if not arms:
            return [], []
        seen: dict[str, int] = {}
        for i, k in enumerate(keys):          # two arms typed with one name still get two rows
            seen[k] = seen.get(k, 0) + 1
            if seen[k] > 1:
                keys[i] = f"{k} ({seen[k]})"
        ci = getattr(project, "ci_method", None) or "log-log"
        unit = self._data_unit(project)
        curves = cc.arms_curves(arms, ci, self.time_unit, labels=keys, data_unit=unit)
        out, reported = [], []
        self._origin = {}
        by_label = {c.label: c for c in curves}
        for i, (a, k) in enumerate(zip(arms, keys)):
            c = by_label.get(k) or by_label.get(f"{k} (modelled)")
            if c is None:
                continue
            out.append((k, c, i))
            self._origin[k] = getattr(a.patients, "origin", "") if a.patients is not None else ""
            reported.append((k, cc.reported_landmarks(a, k, self.time_unit, unit)))
        return out, reported

    def redraw(self) -> None:
        self.plot_item.clear()
        self._legend_entries: list[tuple] = []
        self.drawn = {}
        s = self.style
        arms, reported = self._compute()
        self.curves = [c for _, c, _ in arms]
        self._style_legend()
        self.reported = dict(reported)
        lm_times = sorted({round(m.time, 9) for _, ms in reported for m in ms})
        beam = max((c.max_time for c in self.curves), default=1.0) * 0.012
        self.landmark_times = lm_times
        vector = not self.interactive       # a figure: symbols as paths, not cached pixmaps
        for key, c, i in arms:
            col = st.colour(i, s)
            d = DrawnArm(key, c, col)
            if self.show_ci and c.lower is not None and c.upper is not None:
                lo = pg.PlotCurveItem(c.time, c.lower, pen=None)
                hi = pg.PlotCurveItem(c.time, c.upper, pen=None)
                d.ci_edges = (lo, hi)
                d.ci_item = pg.FillBetweenItem(lo, hi, brush=s.ci_brush(col))
                d.ci_item.setZValue(-10)
                self.plot_item.addItem(d.ci_item)
            d.curve_item = pg.PlotCurveItem(c.time, c.survival,
                                            pen=s.pen(col, c.modelled, dash=st.dashes(i, s)),
                                            antialias=True)
            d.curve_item.setZValue(10)
            self.plot_item.addItem(d.curve_item)
            if len(c.censor_time):
                d.censor_item = pg.ScatterPlotItem(
                    c.censor_time, c.censor_survival, symbol="|", size=s.px(s.censor_pt),
                    pen=pg.mkPen(col, width=max(1.0, s.px(s.censor_line_pt))), brush=pg.mkBrush(col),
                    useCache=not vector)
                d.censor_item.setZValue(11)
                self.plot_item.addItem(d.censor_item)
            m = cc.median_marker(c)
            if m is not None and self.show_median:
                d.median_item = pg.PlotCurveItem([0.0, m.time, m.time], [0.5, 0.5, 0.0],
                                                 pen=s.pen(col, width_pt=s.guide_pt,
                                                           style=QtCore.Qt.PenStyle.DotLine))
                d.median_item.setZValue(5)
                self.plot_item.addItem(d.median_item)
            if lm_times:
                pts = cc.landmark_markers(c, lm_times)
                if pts:
                    it = pg.ScatterPlotItem([p.time for p in pts], [p.survival for p in pts],
                                            symbol="o", size=s.px(s.marker_pt),
                                            pen=pg.mkPen(col, width=max(1.0, s.px(s.guide_pt))),
                                            brush=pg.mkBrush("w"), useCache=not vector)
                    it.setZValue(12)
                    self.plot_item.addItem(it)
                    d.landmark_items.append(it)
            for rm in self.reported.get(key, []):
                if rm.lower is not None and rm.upper is not None:
                    eb = pg.ErrorBarItem(x=np.array([rm.time]), y=np.array([rm.survival]),
                                         top=np.array([rm.upper - rm.survival]),
                                         bottom=np.array([rm.survival - rm.lower]),
                                         beam=beam,
                                         pen=pg.mkPen(col, width=max(1.0, s.px(s.guide_pt))))
                    self.plot_item.addItem(eb)
                    d.landmark_items.append(eb)
                it = pg.ScatterPlotItem([rm.time], [rm.survival], symbol="d", size=s.px(s.marker_pt) * 1.2,
                                        pen=pg.mkPen(col), brush=pg.mkBrush(col), useCache=not vector)
                it.setZValue(13)
                self.plot_item.addItem(it)
                d.landmark_items.append(it)
            d.legend_text = legend_text(c)
            name, numbers = legend_parts(c)
            # two short lines (name; median): a small box finds a free spot. n is the risk
            # table's first column; n and events stay in legend_text (hover, tests).
            med = numbers[numbers.index("median"):] if "median" in numbers else ""
            self._legend_entries.append((d.curve_item, name, med))
            self.drawn[key] = d
        self.annotation = self._annotation_lines() if self.show_hr else []
        if any(self._origin.get(k) == "reconstructed" for k in self.drawn):
            # Say so: these curves come from a digitized figure, not from the trial's data.
            self.annotation.append("Reconstructed from the published figure")
        self._fill_legend(compact=False)
        self._legend_mode_dirty = True
        self.plot_item.addItem(self.hover_line, ignoreBounds=True)
        self.plot_item.setLabel("bottom", f"{UNIT_WORD.get(self.time_unit, self.time_unit)} since randomisation",
                                **self._label_css())
        self.bottom_axis.unit = self.time_unit
        self.plot_item.setTitle(self.title if (self.show_title and self.title) else None,
                                **self._title_css())
        if self.show_title and self.title:
            h = s.px(s.title_pt) * 2.0       # pyqtgraph fixes the title row at 30 px
            self.plot_item.titleLabel.setMaximumHeight(h)
            self.plot_item.layout.setRowFixedHeight(0, h)
        if not self.interactive:             # a figure: a little white all round
            m = s.px(5)
            self.glw.ci.setContentsMargins(m, m * 1.5, m, m)
        xmax = max((c.max_time for c in self.curves), default=1.0) or 1.0
        # A little room left of 0 so the first at-risk column is not cut in half.
        pad = xmax * 0.045
        self._updating_risk = True          # the range signals of what follows: one update, below
        try:
            self.vb.setLimits(xMin=-pad, xMax=xmax * 1.5)
            self.plot_item.setXRange(-pad, xmax * 1.03, padding=0)
            # Room above 1.0 and below 0: an axis with a grid drops tick labels that would overflow it.
            self.plot_item.setYRange(0, 1.0, padding=0.045)
            self._build_risk_rows()
            self._y_ticks()
            self._align_axes()
        finally:
            self._updating_risk = False
        self._range_changed()               # at-risk cells and the legend's corner, for the new curves
        if self.hover_values:
            self.show_readout(self._last_t)

    # ------------------------------------------------------------------ style
    def _label_css(self) -> dict:
        return {"color": st.TEXT, "font-size": f"{self.style.ipx(self.style.label_pt, 6)}px"}

    def _title_css(self) -> dict:
        return {"color": st.TEXT, "size": f"{self.style.ipx(self.style.title_pt, 6)}px", "bold": True}

    def _apply_style(self) -> None:
        s = self.style
        tick_font = s.font(s.tick_pt)
        for ax in (self.plot_item.getAxis("left"), self.bottom_axis):
            ax.setStyle(tickFont=tick_font, tickLength=-s.ipx(3.5, 2), tickTextOffset=s.ipx(2.5, 2),
                        autoExpandTextSpace=True)
            ax.setPen(pg.mkPen(st.TEXT, width=max(1.0, s.px(0.6))))
            ax.setTextPen(pg.mkPen(st.TEXT))
            ax.enableAutoSIPrefix(False)
        self.bottom_axis.min_spacing_px = s.px(s.tick_pt) * 4
        self.plot_item.getAxis("left").setGrid(int(255 * st.GRID_ALPHA))
        self.bottom_axis.setGrid(int(255 * st.GRID_ALPHA))
        self.plot_item.getAxis("left").setStyle(hideOverlappingLabels=False)
        fm_tick = QtGui.QFontMetricsF(tick_font)
        fm_label = QtGui.QFontMetricsF(s.font(s.label_pt))
        # Room between the tick labels and the axis title (pyqtgraph's estimate lets them touch).
        self.bottom_axis.setHeight(int(math.ceil(fm_tick.height() + s.px(2.5) + s.px(3.5)
                                                 + fm_label.height() * 1.35)))
        self.risk_axis.setStyle(tickFont=s.font(s.at_risk_pt, bold=True), tickLength=0,
                                tickTextOffset=s.ipx(4, 2), autoExpandTextSpace=False)
        self.risk_axis.setPen(pg.mkPen(None))
        self.plot_item.setLabel("left", "Survival probability", **self._label_css())
        m = s.ipx(6, 2)
        self.plot_item.layout.setContentsMargins(m / 2, m, m * 2, m / 2)
        self.risk_item.layout.setContentsMargins(m / 2, 0, m * 2, m / 2)
        self.hover_label.setFont(s.at(st.SCREEN_PX_PER_PT).font(s.legend_pt))

    def _style_legend(self) -> None:
        """The legend follows the style (fonts and sizes are read when it is filled)."""
        self._legend_compact = False

    def curve_segments_px(self, guides: bool = True) -> np.ndarray:  # noqa: C901
        """Every drawn line as segments (x0, y0, x1, y1) in the view box's pixels: the curves, and
        with ``guides`` the median drop-lines."""
        W, H = self.vb.width(), self.vb.height()
        (x0, x1), (y0, y1) = self.vb.viewRange()
        if W <= 0 or H <= 0 or x1 == x0 or y1 == y0:
            return np.zeros((0, 4))
        out = []
        for d in self.drawn.values():
            for item in (d.curve_item, d.median_item if guides else None):
                if item is None:
                    continue
                x, y = item.getData()
                if x is None or len(x) < 2:
                    continue
                px = (np.asarray(x, float) - x0) / (x1 - x0) * W
                py = (y1 - np.asarray(y, float)) / (y1 - y0) * H
                out.append(np.column_stack([px[:-1], py[:-1], px[1:], py[1:]]))
        return np.concatenate(out) if out else np.zeros((0, 4))

    def _band_cover(self, rect, W: float, H: float) -> float:
        """Share of sample points of ``rect`` (view-box pixels) that lie inside a CI band."""
        (x0, x1), (y0, y1) = self.vb.viewRange()
        gx, gy = np.meshgrid(np.linspace(rect[0], rect[2], 9), np.linspace(rect[1], rect[3], 5))
        tx = x0 + gx.ravel() / W * (x1 - x0)
        sy = y1 - gy.ravel() / H * (y1 - y0)
        inside = np.zeros(tx.shape, bool)
        for d in self.drawn.values():
            c = d.curve
            if d.ci_item is None or c.lower is None or c.upper is None:
                continue
            idx = np.clip(np.searchsorted(c.time, tx, side="right") - 1, 0, len(c.time) - 1)
            ok = (tx >= 0) & (tx <= c.max_time)
            inside |= ok & (sy >= np.asarray(c.lower)[idx]) & (sy <= np.asarray(c.upper)[idx])
        return float(inside.mean())

    def _free_spot(self, bw: float, bh: float, off: float) -> tuple[float, float] | None:
        """Top-left corner (view-box pixels) of a legend box that crosses no curve (and, if it
        can, no median line): corners first, then a grid of positions; the one over the least CI
        band. None when there is none."""
        for guides in (True, False):
            spot = self._free_spot_among(bw, bh, off, self.curve_segments_px(guides))
            if spot is not None:
                return spot
        return None

    def _free_spot_among(self, bw, bh, off, segs) -> tuple[float, float] | None:
        W, H = self.vb.width(), self.vb.height()
        if W - 2 * off < bw or H - 2 * off < bh:
            return None
        pad = self.style.px(self.style.censor_pt) / 2 + self.style.px(self.style.line_pt)
        xs = np.linspace(off, W - off - bw, 7)
        ys = np.linspace(off, H - off - bh, 6)
        best, best_cost = None, None
        for x in xs:
            for y in ys:
                rect = (x - pad, y - pad, x + bw + pad, y + bh + pad)
                if segments_hit(segs, rect).any():
                    continue
                corner = x in (xs[0], xs[-1]) and y in (ys[0], ys[-1])
                cost = self._band_cover((x, y, x + bw, y + bh), W, H) + (0.0 if corner else 0.05)
                if best_cost is None or cost < best_cost - 1e-9:
                    best, best_cost = (float(x), float(y)), cost
        return best

    SHORT_NOTES = {"Reconstructed from the published figure": "Reconstructed curves"}

    def _wrapped_name(self, name: str, max_px: float) -> list[str]:
        """An arm name broken after '+', '/' or spaces into lines of at most max_px (never cut)."""
        fm = QtGui.QFontMetricsF(self.style.font(self.style.legend_pt, bold=True))
        if fm.horizontalAdvance(name) <= max_px:
            return [name]
        import re
        parts = re.findall(r"[^+/ ]+[+/ ]*", name) or [name]
        lines, cur = [], ""
        for part in parts:
            if cur and fm.horizontalAdvance((cur + part).rstrip()) > max_px:
                lines.append(cur.rstrip())
                cur = ""
            cur += part
        lines.append(cur.rstrip())
        return lines

    def _fill_legend(self, compact: bool, columns: int = 1) -> None:
        """Full: name and median per arm, then the annotation lines. Compact: the names only and
        short notes (in columns: the notes on one line). Long names wrap, so that the box stays
        narrow (in columns: so that the columns fit side by side)."""
        s = self.style
        self._legend_compact = compact
        max_px = max(self.vb.width() * 0.42, s.px(s.legend_pt) * 14)
        if columns > 1:
            max_px = max(s.px(s.legend_pt) * 8,
                         (self.plot_item.width() - s.px(8)) / columns - s.px(s.legend_pt) * 2.0 - s.px(16))
        entries = []
        for item, name, med in self._legend_entries:
            lines = [(x, True) for x in self._wrapped_name(name, max_px)]
            if med and not compact:
                lines.append((med, False))
            entries.append((item.opts["pen"], lines))
        notes = [self.SHORT_NOTES.get(x, x) if compact else x for x in self.annotation]
        if compact and "Reconstructed curves" in notes:   # said once, not after each HR
            notes = [x.replace(" (reconstructed)", "") for x in notes]
        if compact and columns > 1 and notes:
            fm = QtGui.QFontMetricsF(s.font(s.legend_pt))
            joined = "  ·  ".join(notes)
            if fm.horizontalAdvance(joined) <= self.plot_item.width() - s.px(16):
                notes = [joined]
        for line in notes:
            entries.append((None, [(line, False)]))
        self.legend.set_entries(entries, s, columns)

    def _set_legend_outside(self, outside: bool) -> None:
        lay = self.plot_item.layout
        if outside:
            self._fill_legend(compact=True, columns=2)
            if self.legend.boundingRect().width() > self.plot_item.width() - self.style.px(8):
                self._fill_legend(compact=True, columns=1)
            h = self.legend.boundingRect().height() + self.style.px(4)
            lay.setRowMinimumHeight(1, h)
            lay.setRowMaximumHeight(1, h)
        else:
            self._fill_legend(compact=False)
            lay.setRowMinimumHeight(1, self._top_row[0])
            lay.setRowMaximumHeight(1, self._top_row[1])
        self.legend_outside = outside
        lay.activate()
        self.glw.ci.layout.activate()

    def _place_legend(self) -> None:
        """Inside the axes where the box crosses no curve (nor, if it can, a median line), over
        the least CI band: first with names and medians, then names only; else above the axes,
        in columns. The choice is made again after each redraw or resize of the widget; range
        changes only move the box (or give up a spot that no longer is free)."""
        if not self._legend_entries and not self.annotation:
            self.legend.setVisible(False)
            return
        self.legend.setVisible(True)
        off = self.style.ipx(8, 4)
        if self._legend_mode_dirty:
            self._legend_mode_dirty = False
            if self._force_risk_key:
                self._force_risk_key = False
                self._relayout_risk()
            if self.legend_outside:
                self._set_legend_outside(False)
            self._fill_legend(compact=False)
        self._pad_y()
        if not self.legend_outside:
            for compact in ((False, True) if not self._legend_compact else (True,)):
                if compact != self._legend_compact:
                    self._fill_legend(compact)
                br = self.legend.boundingRect()
                spot = self._free_spot(br.width(), br.height(), off)
                if spot is not None:
                    vb_geo = self.vb.geometry()
                    self.legend_corner = "inside"
                    self.legend.setPos(vb_geo.left() + spot[0], vb_geo.top() + spot[1])
                    return
            self._set_legend_outside(True)
            if self.vb.height() < 0.4 * self.height() and not self.risk_key and self.drawn:
                # the curves first: the at-risk rows give up their name lines (colour key)
                self._force_risk_key = True
                self._relayout_risk()
            self._pad_y()
        br = self.legend.boundingRect()
        vb_geo = self.vb.geometry()
        self.legend_corner = "outside"
        x = vb_geo.left() + (vb_geo.width() - br.width()) / 2
        x = max(self.style.px(4), min(x, self.plot_item.width() - br.width() - self.style.px(4)))
        self.legend.setPos(x, vb_geo.top() - br.height() - self.style.px(2))

    def _relayout_risk(self) -> None:
        self._layout_risk_rows(self._measure_name_lines())
        self._update_risk_cells()
        self.plot_item.layout.activate()
        self.glw.ci.layout.activate()

    def _pad_y(self) -> None:
        """Room above 1.0 and below 0 for half a tick label: an axis drops labels that overflow it."""
        h = self.vb.height()
        if h <= 0:
            return
        half = QtGui.QFontMetricsF(self.style.font(self.style.tick_pt)).height() / 2 + self.style.px(1)
        pad = min(0.2, half / h)
        self.vb.setLimits(yMin=-pad - 0.05, yMax=1.0 + pad + 0.1)
        self.plot_item.setYRange(-pad, 1.0 + pad, padding=0)

    def resizeEvent(self, ev):  # noqa: N802
        self._legend_mode_dirty = True
        super().resizeEvent(ev)

    # ------------------------------------------------------------------ HR annotation
    def _annotation_lines(self) -> list[str]:
        """'HR 0.68 (95% CI 0.56–0.84); p <0.001' per experimental arm of the endpoint shown: the
        reported values, else those computed from the patient data (marked as such). Never for
        a cross-trial overlay (arms of different trials have no HR between them)."""
        if not self._source or self._source[0] != "endpoint":
            return []
        _, _project, trial, ep = self._source
        ctl = getattr(ep, "control", None)
        if ep is None or ctl is None:
            return []
        exps = [a for a in ep.arms if a is not ctl]
        lines = []
        for a in exps:
            hr, lo, hi, p, bound, tag = a.hr, a.hr_lower, a.hr_upper, a.p_value, a.p_value_upper_bound, ""
            if hr is None and a.patients is not None and ctl.patients is not None:
                try:
                    from evidencegui.core.effects import compare_arms
                    comp = compare_arms(trial, ep, a, ctl, grade=False).computed or {}
                except Exception:       # noqa: BLE001 — no annotation rather than no plot
                    comp = {}
                if comp.get("hr") is not None:
                    hr, (lo, hi) = comp["hr"], comp.get("hr_ci") or (None, None)
                    p, bound = comp.get("logrank_p"), False
                    origins = {x.patients.origin for x in (a, ctl)}
                    tag = " (reconstructed)" if "reconstructed" in origins else " (patient data)"
            if hr is None:
                continue
            text = "HR " + fmt.fmt_hr(hr, lo, hi)
            if fmt.finite(p):
                text += "; " + fmt.fmt_p_phrase(p, bound)
            text += tag
            lines.append(text if len(exps) == 1 else f"{a.label} vs {ctl.label}: {text}")
        return lines

    def _y_ticks(self) -> None:
        vals = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        txt = [f"{v * 100:.0f}%" if self.percent else f"{v:.1f}" for v in vals]
        minor = [(v, "") for v in (0.1, 0.3, 0.5, 0.7, 0.9)]
        self.plot_item.getAxis("left").setTicks([list(zip(vals, txt)), minor])

    def _align_axes(self) -> None:
        """Same left-axis width above and below, so the table's columns fall under the ticks."""
        s = self.style
        left = self.plot_item.getAxis("left")
        fm_tick = QtGui.QFontMetricsF(s.font(s.tick_pt))
        fm_lab = QtGui.QFontMetricsF(s.font(s.label_pt))
        main_w = fm_lab.height() + fm_tick.horizontalAdvance("100%" if self.percent else "0.0") \
            + s.px(2.5) + s.px(3.5) + s.px(6)
        w = int(math.ceil(main_w))
        left.setWidth(w)
        self.risk_axis.setWidth(w)

    # ------------------------------------------------------------------ numbers at risk
    def _name_font(self) -> QtGui.QFont:
        return self.style.font(self.style.at_risk_pt, bold=True)

    def _line_px(self) -> float:
        return QtGui.QFontMetricsF(self.style.font(self.style.at_risk_pt)).lineSpacing() * 1.1

    def _measure_name_lines(self) -> list[int]:
        """Lines each arm's full name takes above its row of numbers, wrapped at the plot's width
        (never cut)."""
        fm = QtGui.QFontMetricsF(self._name_font())
        width = max(self.vb.width(), self.style.px(self.style.at_risk_pt) * 12)
        flags = int(QtCore.Qt.TextFlag.TextWordWrap)
        out = []
        for key in self.drawn:
            r = fm.boundingRect(QtCore.QRectF(0, 0, width, 1e6), flags, breakable(key))
            out.append(max(1, round(r.height() / fm.lineSpacing())))
        return out

    def _layout_risk_rows(self, name_lines: list[int]) -> None:
        """Rows in line units: each arm's name (full, in its colour) over its numbers; where that
        would take more than 30 % of the figure's height, one line a row with the arm's line
        sample as a key (the legend names the arms in full)."""
        s = self.style
        self._risk_layout_for = (tuple(name_lines), round(self.height()))
        named_total = sum(k + 1.3 for k in name_lines) - 0.3
        self.risk_key = bool(name_lines) and (self._force_risk_key or (
            self._line_px() * named_total > 0.30 * max(self.height(), 1) and self.height() > 0))
        if self.risk_key:
            name_lines = [0] * len(name_lines)
        self._set_key_samples()
        self._name_lines = list(name_lines)
        self._row_y, y = [], 0.0
        for k in name_lines:
            self._row_y.append(y)
            y += k + 1 + (0.3 if k else 0.15)
        total = max(y - 0.3, 1.0)
        self.risk_item.setYRange(0, total, padding=0)
        title_px = s.px(s.at_risk_pt) * 2.0
        h = self._line_px() * total + title_px + s.px(6)
        self.risk_item.setMinimumHeight(h)
        self.risk_item.setMaximumHeight(h)

    def _set_key_samples(self) -> None:
        """The risk axis' line samples, one a row, in colour-key mode (none otherwise)."""
        self.risk_axis.samples = {}
        ticks = []
        if self.risk_key:
            for i, d in enumerate(self.drawn.values()):
                label = "\u2014\u2014" + ZWSP * (i + 1)      # distinct, sample-wide labels
                pen = QtGui.QPen(d.curve_item.opts["pen"])
                self.risk_axis.samples[label] = pen
                ticks.append((self._numbers_y_for(i), label))
        self.risk_axis.setTicks([ticks, []])

    def _numbers_y_for(self, i: int) -> float:
        return i * 1.15 + 0.5          # colour-key rows: one line each

    def _build_risk_rows(self) -> None:
        s = self.style
        self.risk_key = False
        self.risk_axis.colours = {key: d.colour for key, d in self.drawn.items()}
        self.risk_axis.setTicks([[], []])
        self._layout_risk_rows(self._measure_name_lines())
        title_px = s.px(s.at_risk_pt) * 2.0
        self.risk_item.setTitle("Number at risk", justify="left", color=st.TEXT,
                                size=f"{s.ipx(s.at_risk_pt, 6)}px", bold=True)
        self.risk_item.titleLabel.setMaximumHeight(title_px)
        self.risk_item.layout.setRowFixedHeight(0, title_px)

    def at_risk_times(self) -> list[float]:
        lo, hi = sorted(self.vb.viewRange()[0])
        return [t for t in self.bottom_axis.tickValues(lo, hi, self.bottom_axis.geometry().width())[0][1]
                if lo - 1e-9 <= t <= hi + 1e-9]

    def _range_changed(self, *_):
        if self._updating_risk:
            return
        self._updating_risk = True
        try:
            self._update_risk_cells()
            self._place_legend()
        finally:
            self._updating_risk = False

    def _update_risk_cells(self) -> None:
        # Text items are reused, never removed: this runs inside resize and range signals, and
        # deleting scene items there crashed PySide6 6.12 (a refcount error at garbage collection).
        rvb = self.risk_item.getViewBox()
        lines = self._measure_name_lines()
        if (tuple(lines), round(self.height())) != self._risk_layout_for:
            self._layout_risk_rows(lines)
        times = self.at_risk_times()
        self.at_risk = cc.at_risk_rows(self.curves, times) if self.curves else []
        font = self.style.font(self.style.at_risk_pt)
        self.at_risk_items = []
        self._update_risk_names(rvb)
        for i, row in enumerate(self._cell_pool):
            if i >= len(self.at_risk):
                for it in row:
                    it.setVisible(False)
        for i, (row, d) in enumerate(zip(self.at_risk, self.drawn.values())):
            if i == len(self._cell_pool):
                self._cell_pool.append([])
            pool = self._cell_pool[i]
            cells = row.cells()
            while len(pool) < len(cells):
                it = pg.TextItem("", anchor=(0.5, 0.5))
                rvb.addItem(it, ignoreBounds=True)
                pool.append(it)
            y = self._numbers_y(i)
            for j, it in enumerate(pool):
                if j >= len(cells):
                    it.setVisible(False)
                    continue
                it.setText(cells[j], color=d.colour)
                it.setFont(font)
                it.setPos(row.times[j], y)
                it.setVisible(True)
            self.at_risk_items.append(pool[:len(cells)])
        self._update_risk_notes(rvb)

    def _numbers_y(self, i: int) -> float:
        return self._row_y[i] + self._name_lines[i] + 0.5 if i < len(self._row_y) else float(i)

    def _update_risk_names(self, rvb) -> None:
        """Each arm's full name, wrapped (never elided), left-aligned over its numbers."""
        lo = self.vb.viewRange()[0][0]
        width = max(self.vb.width(), self.style.px(self.style.at_risk_pt) * 12)
        font = self._name_font()
        keys = list(self.drawn)
        while len(self._name_pool) < len(keys):
            it = pg.TextItem("", anchor=(0, 0))
            it.textItem.document().setDocumentMargin(0)
            opt = it.textItem.document().defaultTextOption()
            opt.setWrapMode(QtGui.QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            it.textItem.document().setDefaultTextOption(opt)
            rvb.addItem(it, ignoreBounds=True)
            self._name_pool.append(it)
        for k, it in enumerate(self._name_pool):
            if k >= len(keys) or self.risk_key:
                it.setVisible(False)
                continue
            it.setText(breakable(keys[k]), color=self.drawn[keys[k]].colour)
            it.setFont(font)
            it.textItem.setTextWidth(width)
            it.setPos(lo, self._row_y[k] if k < len(self._row_y) else k)
            it.setVisible(True)

    def at_risk_names(self) -> list[str]:
        """The row names as drawn (wrapping marks removed), for tests: never cut. Empty in
        colour-key mode (then the legend names the arms)."""
        return [it.toPlainText().replace(ZWSP, "") for it in self._name_pool if it.isVisible()]

    def _update_risk_notes(self, rvb) -> None:
        """A grey note in rows with no numbers at all (modelled arms), so the row is not just empty."""
        lo, hi = self.vb.viewRange()[0]
        font = self.style.font(self.style.at_risk_pt)
        font.setItalic(True)
        rows = [i for i, r in enumerate(self.at_risk) if all(c is None for c in r.counts)]
        while len(self._risk_notes) < len(rows):
            it = pg.TextItem("", color="#777777", anchor=(0.5, 0.5))
            rvb.addItem(it, ignoreBounds=True)
            self._risk_notes.append(it)
        for k, it in enumerate(self._risk_notes):
            if k >= len(rows):
                it.setVisible(False)
                continue
            it.setText("not reported (modelled curve)")
            it.setFont(font)
            it.setPos((lo + hi) / 2, self._numbers_y(rows[k]))
            it.setVisible(True)

    def at_risk_cells(self) -> list[dict]:
        """The table as drawn: per row its label, the cell texts and their x positions."""
        out = []
        for row, items in zip(self.at_risk, self.at_risk_items):
            out.append({"label": row.label, "cells": [it.toPlainText() for it in items],
                        "x": [it.pos().x() for it in items], "counts": list(row.counts)})
        return out

    # ------------------------------------------------------------------ hover
    _last_t = 0.0

    def _mouse_moved(self, evt) -> None:
        pos = evt[0]
        if not self.plot_item.sceneBoundingRect().contains(pos) or not self.curves:
            return
        t = self.vb.mapSceneToView(pos).x()
        if t >= 0:
            self.show_readout(t)

    def show_readout(self, t: float) -> str:
        """Every arm's S(t) at time t (display unit), in the label under the plot."""
        self._last_t = float(t)
        ab = cc.UNIT_ABBREV.get(self.time_unit, self.time_unit)
        parts, self.hover_values = [], {}
        for key, d in self.drawn.items():
            v = float(d.curve.evaluate(t)[0])
            self.hover_values[key] = v
            shown = fmt.fmt_pct(v, digits=1) if self.percent else fmt.fmt_prob(v)
            parts.append((key, d.colour, shown))
        tt = fmt.fmt_time(t)
        self.hover_text = f"t = {tt} {ab}: " + "; ".join(f"{k} {v}" for k, _, v in parts)
        self.hover_label.setText(f"<b>t = {tt} {ab}</b>&nbsp;&nbsp;" + "&nbsp;&nbsp;".join(
            f"<span style='color:{c}'>■</span> {html.escape(k)}: <b>{v}</b>" for k, c, v in parts))
        self.hover_line.setPos(t)
        self.hover_line.setVisible(True)
        return self.hover_text


if __name__ == "__main__":     # preview on the bundled example
    import sys

    from evidencegui.io.project_file import load_project
    from evidencegui.resources import resource
    from evidencegui.ui import pyside_guard

    pyside_guard.apply()        # as app.py does: PySide6 6.12 on Python 3.11 leaks references to None
    app = QtWidgets.QApplication(sys.argv)
    proj = load_project(resource("examples", "cleopatra.evidence.json"))
    w = SurvivalPlotWidget()
    w.set_endpoint(proj, proj.trials[0], proj.trials[0].endpoints[0])
    w.resize(900, 600)
    w.show()
    app.exec()
