"""The survival plot: draws the curves, bands, marks and numbers at risk that core/curves.py computed.

Nothing statistical is computed here. Every size comes from ui/style.py in points, so the same widget
laid out at a figure's pixel size (ui/figure.py) gives a print-resolution figure, not an upscaled grab.
"""
from __future__ import annotations

import html
import math
from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from evidencegui.core import curves as cc
from evidencegui.io import format as fmt
from evidencegui.ui import style as st
from evidencegui.ui.plot_items import ArmItems, DrawnArm  # noqa: F401
from evidencegui.ui.plot_legend import FigureLegend, LegendPlacement, segments_hit  # noqa: F401
from evidencegui.ui.plot_risk import ZWSP, RiskTable, RowLabelAxis, breakable  # noqa: F401

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


class SurvivalPlotWidget(ArmItems, LegendPlacement, RiskTable, QtWidgets.QWidget):
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
        self.at_risk_items: list = []          # plot_risk.CellRow per row shown
        self._cell_pool: list = []             # plot_risk.CellRow, reused
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
        # enableMenu=False: no pyqtgraph context menus (the window has its own), and their view
        # boxes' menus are never built (~3.5 ms each at start-up)
        self.plot_item = pg.PlotItem(enableMenu=False, axisItems={"bottom": self.bottom_axis,
                                                                  "left": ProbabilityAxis("left")})
        self.glw.addItem(self.plot_item, row=0, col=0)
        self.risk_axis = RowLabelAxis("left")
        self.risk_item = pg.PlotItem(enableMenu=False, axisItems={"left": self.risk_axis})
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
        # Range and size signals come in bursts (a project opening lays the window out: ~9 of
        # them): the at-risk cells and the legend are updated once, when the burst is over.
        self._range_done: tuple = ()
        self._range_timer = QtCore.QTimer(self)
        self._range_timer.setSingleShot(True)
        self._range_timer.setInterval(0)
        self._range_timer.timeout.connect(self._range_settled)
        self.vb.sigXRangeChanged.connect(self._range_signal)
        self.vb.sigResized.connect(self._range_signal)
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
        curves = cc.arms_curves(arms, ci, self.time_unit, labels=keys, data_unit=unit,
                                horizon=getattr(self, "model_horizon", None))   # set by the window
        out, reported = [], []
        self._origin = {}
        self._arm_of = {}
        by_label = {c.label: c for c in curves}
        slots = self._colour_slots(arms)
        for i, (a, k) in enumerate(zip(arms, keys)):
            c = by_label.get(k) or by_label.get(f"{k} (modelled)")
            if c is None:
                continue
            out.append((k, c, slots[i]))
            self._arm_of[k] = a
            self._origin[k] = getattr(a.patients, "origin", "") if a.patients is not None else ""
            reported.append((k, cc.reported_landmarks(a, k, self.time_unit, unit)))
        return out, reported

    def _colour_slots(self, arms) -> list[int]:
        """Colour (and dash) index per arm. An endpoint's control takes the second colour and its
        experimental arms the others in their order, whichever row the control is in: a typed
        trial (control first) and the example (control second) colour alike, on screen and in
        every export. An overlay keeps the order chosen (its arms come from different trials)."""
        if self._source[0] != "endpoint" or len(arms) < 2:
            return list(range(len(arms)))
        controls = [i for i, a in enumerate(arms) if getattr(a, "is_control", False)]
        if len(controls) != 1:
            return list(range(len(arms)))
        others = iter(j for j in range(len(arms)) if j != 1)
        return [1 if i == controls[0] else next(others) for i in range(len(arms))]

    def redraw(self) -> None:
        """Draw what the source says now. When the drawing keeps its shape (the same arms, colours
        and items: a value typed, an arm's patients replaced, the time unit changed) the items are
        updated in place; otherwise they are made anew."""
        arms, reported = self._compute()
        self.curves = [c for _, c, _ in arms]
        self._style_legend()
        self.reported = dict(reported)
        lm_times = sorted({round(m.time, 9) for _, ms in reported for m in ms})
        beam = max((c.max_time for c in self.curves), default=1.0) * 0.012
        self.landmark_times = lm_times
        xmax = max((c.max_time for c in self.curves), default=1.0) or 1.0
        # A little room left of 0 so the first at-risk column is not cut in half.
        pad = xmax * 0.045
        markers = {key: self._marker_specs(key, c, lm_times, beam) for key, c, _ in arms}
        shape = self._drawing_shape(arms)
        in_place = bool(self.drawn) and shape == self._drawn_shape
        old = self.drawn
        self.drawn = {}
        self._legend_entries: list[tuple] = []
        if not in_place:
            self.plot_item.clear()
        self._drawn_shape = shape
        self._updating_risk = True          # the range signals of what follows: one update, below
        try:
            self._set_ranges(pad, xmax)
        finally:
            self._updating_risk = False
        self._thin_res = None           # thinned for this x range
        self._set_thin_res(self._px_size(), self.curves)
        for key, c, i in arms:
            if in_place:
                d = old[key]
                d.curve = c
                self._set_arm_data(d)
            else:
                d = DrawnArm(key, c, st.colour(i, self.style), index=i)
                self._make_arm(d)
            self._set_markers(d, markers[key], in_place)
            d.legend_text = legend_text(c)
            self._legend_entries.append(self._legend_entry(key, d))
            self.drawn[key] = d
        self._set_annotation()
        if not in_place:
            self.plot_item.addItem(self.hover_line, ignoreBounds=True)
        self._set_frame_texts()
        self._updating_risk = True
        try:
            if not in_place:
                self._build_risk_rows()
            self._y_ticks()
            self._align_axes()
        finally:
            self._updating_risk = False
        self._range_changed()               # at-risk cells and the legend's corner, for the new curves
        if self.hover_values:
            self.show_readout(self._last_t)

    def _set_annotation(self) -> None:
        """The HR and p note (and the reconstructed-curves line) into the legend; where the legend
        goes is chosen again at the next range update."""
        self.annotation = self._annotation_lines() if self.show_hr else []
        if self._source and self._source[0] == "arms" and self.drawn:
            # An overlay: which endpoint it shows (the window's table and panel may show another)
            # and that its arms were never randomised against each other.
            endpoints = " and ".join(sorted({e.name for _, e, _ in self._source[2]}))
            trials = sorted({t.name for t, _, _ in self._source[2]})
            self.annotation.insert(0, f"{endpoints} of {len(trials)} trials: not randomised against "
                                      "each other" if len(trials) > 1 else f"{trials[0]}: {endpoints}")
        if any(self._origin.get(k) == "reconstructed" for k in self.drawn):
            # Say so: these curves come from a digitized figure, not from the trial's data.
            self.annotation.append("Reconstructed from the published figure")
        self._fill_legend(compact=False)
        self._legend_mode_dirty = True

    def _legend_entry(self, key: str, d) -> tuple:
        """(line item, name, median line) of an arm in the legend: two short lines, so that a small
        box finds a free spot (n is the risk table's first column; n and events stay in
        legend_text). A curve rebuilt from a published figure whose median was reported says
        both: 'median 60.3 mo (reported 56.5)' (they differ where the curve runs flat near 50%,
        and the board must not take one for the other)."""
        name, numbers = legend_parts(d.curve)
        med = numbers[numbers.index("median"):] if "median" in numbers else ""
        arm = getattr(self, "_arm_of", {}).get(key)
        if med and arm is not None and self._origin.get(key) == "reconstructed" \
                and (arm.median is not None or arm.median_not_reached):
            if arm.median is not None:
                m = cc.convert_time(arm.median, self._data_unit(self._source[1]), self.time_unit)
                rep = fmt.fmt_time(m)
            else:
                rep = fmt.NOT_REACHED
            own = fmt.fmt_time(d.curve.median) if d.curve.median is not None else fmt.NOT_REACHED
            ab = cc.UNIT_ABBREV.get(self.time_unit, self.time_unit)
            med = f"median {own} {ab} (reported {rep})"     # the curve's CI left to the panel
        return d.curve_item, name, med

    def update_note(self) -> None:
        """Only reported values the legend shows changed (the HR, its CI, p; the median of a
        reconstructed arm): the note, the legend and its place, not the curves (the window's
        redraw check, ui/plot_signature.py, tells the two apart)."""
        if not self.drawn and not self.annotation:
            return
        self._legend_entries = [self._legend_entry(k, d) for k, d in self.drawn.items()]
        self._set_annotation()
        self._place_legend()

    _drawn_shape: tuple = ()
    _frame_texts: tuple = ()
    _limits: tuple = ()

    def _set_ranges(self, pad: float, xmax: float) -> None:
        """The full time range (a redraw undoes a zoom); left alone when it is what is shown
        already, since each call makes pyqtgraph lay out and draw its axes anew. The y range is
        0–1 with room for half a tick label above and below (plot_legend._pad_y, once the view
        has its size; 0.045 of the range until then)."""
        if self._limits != (pad, xmax):
            self._limits = (pad, xmax)
            self.vb.setLimits(xMin=-pad, xMax=xmax * 1.5)
        x_range = self.vb.viewRange()[0]
        if self._x_set != ((pad, xmax), tuple(x_range)):
            self.plot_item.setXRange(-pad, xmax * 1.03, padding=0)
            self._x_set = ((pad, xmax), tuple(self.vb.viewRange()[0]))
        if self.vb.height() <= 0 or not self._y_padded:
            self.plot_item.setYRange(0, 1.0, padding=0.045)

    _x_set: tuple = ()
    _y_padded: tuple = ()

    def _set_frame_texts(self) -> None:
        """The axis title, the plot's title and a figure's margins (set again only when changed:
        pyqtgraph lays the label out anew on each call)."""
        s = self.style
        texts = (self.time_unit, self.title, self.show_title, s, self.interactive)
        if texts == self._frame_texts:
            return
        self._frame_texts = texts
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

    def resizeEvent(self, ev):  # noqa: N802
        self._legend_mode_dirty = True
        super().resizeEvent(ev)


    def _y_ticks(self) -> None:
        vals = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        txt = [f"{v * 100:.0f}%" if self.percent else f"{v:.1f}" for v in vals]
        minor = [(v, "") for v in (0.1, 0.3, 0.5, 0.7, 0.9)]
        ticks = [list(zip(vals, txt)), minor]
        left = self.plot_item.getAxis("left")
        if getattr(left, "_tickLevels", None) != ticks:       # setTicks redraws the axis
            left.setTicks(ticks)

    def _align_axes(self) -> None:
        """Same left-axis width above and below, so the table's columns fall under the ticks."""
        s = self.style
        left = self.plot_item.getAxis("left")
        fm_tick = QtGui.QFontMetricsF(s.font(s.tick_pt))
        fm_lab = QtGui.QFontMetricsF(s.font(s.label_pt))
        main_w = fm_lab.height() + fm_tick.horizontalAdvance("100%" if self.percent else "0.0") \
            + s.px(2.5) + s.px(3.5) + s.px(6)
        w = int(math.ceil(main_w))
        if (left.fixedWidth, self.risk_axis.fixedWidth) != (w, w):
            left.setWidth(w)
            self.risk_axis.setWidth(w)

    def at_risk_times(self) -> list[float]:
        lo, hi = sorted(self.vb.viewRange()[0])
        return [t for t in self.bottom_axis.tickValues(lo, hi, self.bottom_axis.geometry().width())[0][1]
                if lo - 1e-9 <= t <= hi + 1e-9]


    def _range_state(self) -> tuple:
        return (tuple(self.vb.viewRange()[0]), self.vb.width(), self.vb.height(),
                self.width(), self.height())

    def _range_signal(self, *_) -> None:
        """The view's x range or size changed: update the at-risk cells and the legend once the
        burst of signals is over (a figure, laid out offscreen with no event loop: at once)."""
        if self._updating_risk:
            return
        if self.interactive:
            self._range_timer.start()
        else:
            self._range_settled()

    def _range_settled(self) -> None:
        if self._range_state() != self._range_done:
            self._range_changed()

    def _range_changed(self, *_):
        """Thinning, at-risk cells and the legend's place for the view as it is now."""
        if self._updating_risk:
            return
        self._updating_risk = True
        try:
            self._ensure_thinning()
            self._update_risk_cells()
            self._place_legend()
        finally:
            self._updating_risk = False
        self._range_timer.stop()
        self._range_done = self._range_state()

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
