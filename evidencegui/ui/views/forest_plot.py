"""The forest plot: one row per trial (or subgroup level), squares sized by weight, 95% CI
whiskers on a log hazard-ratio axis, diamonds for the pooled estimates, the prediction interval,
and the text columns (study, HR (95% CI), weights) and heterogeneity under it.

Draws what core.pooling computed; nothing statistical happens here. Sizes come from ui/style.py
in points, so the same widget laid out at a figure's pixel size gives a print-resolution PNG
(``render_png``), as ui/figure.py does for the survival plot.

Layout (a pyqtgraph GraphicsLayout): a header row; then the study column, the plot, the
HR (95% CI) column and the two weight columns, all sharing one y axis (row i at y = i); under the
plot its log axis, then "favours" labels either side of HR = 1; a wrapped footer line with the
heterogeneity statistics at the bottom.
"""
from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from evidencegui.io import format as fmt
from evidencegui.ui import style as st
from evidencegui.ui.views.forest_rows import ForestData, ForestRow, axis_bound, forest_data  # noqa: F401

SQUARE = "#1F3F99"
DIAMOND_FIXED = "#555555"
DIAMOND_RANDOM = "#D55E00"
LABEL_CHARS = 44              # longer study names are cut ("…"): the plot keeps its room


def short(label: str, limit: int = LABEL_CHARS) -> str:
    """A study label as drawn: at most ``limit`` characters, "…" where it was cut."""
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


COLUMNS = ("study", "plot", "hr", "w_fixed", "w_random")


class _Column(pg.ViewBox):
    """A text column sharing the plot's y axis (x runs 0–1 across the column)."""

    def __init__(self):
        super().__init__(enableMouse=False, enableMenu=False, invertY=True, defaultPadding=0)
        self.setXRange(0, 1, padding=0)


class _ColumnText(QtWidgets.QGraphicsObject):
    """All texts of one column, painted in one pass (one QGraphicsTextItem per cell cost most of
    a redraw). A child of the column's ViewBox, so it works in the box's pixels; row i sits where
    the shared y axis puts it, read from the view range at paint time."""

    def __init__(self, vb: pg.ViewBox, left: bool):
        super().__init__(vb)
        self.vb = vb
        self.left = left
        self.pad = 4.0
        self.cells: list[tuple[str, QtGui.QFont]] = []
        vb.sigResized.connect(self._resized)
        vb.sigYRangeChanged.connect(lambda *_: self.update())

    def _resized(self, *_):
        self.prepareGeometryChange()
        self.update()

    def set_cells(self, cells: list[tuple[str, QtGui.QFont]]) -> None:
        if cells != self.cells:
            self.cells = cells
            self.update()

    def texts(self) -> list[str]:
        return [t for t, _ in self.cells]

    def boundingRect(self):  # noqa: N802
        return QtCore.QRectF(0, 0, self.vb.width(), self.vb.height())

    def paint(self, p, *args):
        w, h = self.vb.width(), self.vb.height()
        y0, y1 = self.vb.viewRange()[1]
        if h <= 0 or y1 <= y0:
            return
        step = h / (y1 - y0)
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        p.setPen(QtGui.QColor(st.TEXT))
        flags = (QtCore.Qt.AlignmentFlag.AlignLeft if self.left else QtCore.Qt.AlignmentFlag.AlignRight) \
            | QtCore.Qt.AlignmentFlag.AlignVCenter
        for i, (text, font) in enumerate(self.cells):
            if text:
                y = (i - y0) * step
                p.setFont(font)
                p.drawText(QtCore.QRectF(self.pad, y - step / 2, max(w - 2 * self.pad, 1.0), step),
                           int(flags), text)


class ForestPlotWidget(QtWidgets.QWidget):
    """A forest plot over a PoolResult (``set_result``). Its items carry the drawn data for tests:
    ``square_item`` (x = log HR, y = row), ``whisker_item`` (pairs of CI ends), ``diamonds``
    (kind → polygon in data coordinates) and ``pi_item``."""

    def __init__(self, parent=None, style: str | st.PlotStyle = "screen", px_per_pt: float | None = None,
                 interactive: bool = True):
        super().__init__(parent)
        self.interactive = interactive
        self.style = st.get_style(style).at(px_per_pt or st.SCREEN_PX_PER_PT)
        self.data = ForestData([])
        self.favours = ("experimental", "control")
        self.message = ""
        self.diamonds: dict[str, list[QtWidgets.QGraphicsPolygonItem]] = {}
        self.square_item = self.whisker_item = self.pi_item = None
        self.arrow_item = None
        self.bound = 2.0
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.glw = pg.GraphicsLayoutWidget()
        self.glw.setBackground("w")
        lay.addWidget(self.glw)
        gl = self.glw.ci
        gl.setContentsMargins(0, 0, 0, 0)
        gl.layout.setHorizontalSpacing(0)
        gl.layout.setVerticalSpacing(0)
        self.header = pg.ViewBox(enableMouse=False, enableMenu=False, invertY=True, defaultPadding=0)
        gl.addItem(self.header, row=0, col=0, colspan=5)
        self.columns = {c: _Column() for c in COLUMNS if c != "plot"}
        self.vb = pg.ViewBox(enableMouse=False, enableMenu=False, invertY=True, defaultPadding=0)
        for i, c in enumerate(COLUMNS):
            gl.addItem(self.vb if c == "plot" else self.columns[c], row=1, col=i)
            if c != "plot":
                self.columns[c].setYLink(self.vb)
        self.column_text = {c: _ColumnText(col, c == "study") for c, col in self.columns.items()}
        self.axis = pg.AxisItem("bottom", linkView=self.vb)
        self.axis.enableAutoSIPrefix(False)
        gl.addItem(self.axis, row=2, col=1)
        self.favours_vb = pg.ViewBox(enableMouse=False, enableMenu=False, invertY=True, defaultPadding=0)
        gl.addItem(self.favours_vb, row=3, col=0, colspan=5)
        self.footer_vb = pg.ViewBox(enableMouse=False, enableMenu=False, invertY=True, defaultPadding=0)
        gl.addItem(self.footer_vb, row=4, col=0, colspan=5)
        self.footer_item = pg.TextItem("", color=st.TEXT, anchor=(0, 0))
        self.footer_vb.addItem(self.footer_item, ignoreBounds=True)
        self.favours_items = (pg.TextItem("", color=st.TEXT, anchor=(1, 0)),
                              pg.TextItem("", color=st.TEXT, anchor=(0, 0)))
        for it in self.favours_items:
            self.favours_vb.addItem(it, ignoreBounds=True)
        self.header_items: dict[str, pg.TextItem] = {}
        for c in COLUMNS:
            it = pg.TextItem("", color=st.TEXT, anchor=(0.5, 0.5))
            self.header.addItem(it, ignoreBounds=True)
            self.header_items[c] = it
        self.line_one = pg.InfiniteLine(0.0, angle=90, movable=False)
        self.vb.addItem(self.line_one, ignoreBounds=True)
        self.vb.sigResized.connect(self._place_fixed)
        self.header.sigResized.connect(self._place_fixed)
        self.footer_vb.sigResized.connect(self._place_fixed)
        self.message_item = pg.TextItem("", color="#666666", anchor=(0.5, 0.5))
        self.vb.addItem(self.message_item, ignoreBounds=True)

    # ------------------------------------------------------------------ public API
    def set_result(self, result, mode: str = "studies", title: str = "",
                   favours: tuple[str, str] = ("experimental", "control")) -> None:
        """Draw a core.pooling.PoolResult (see ``forest_data`` for the two modes)."""
        self.favours = favours
        self.message = ""
        self.data = forest_data(result, mode, title)
        self.redraw()

    def set_style(self, name: str | st.PlotStyle) -> None:
        """The window's View → Style (screen or presentation), at this widget's resolution."""
        new = st.get_style(name).at(self.style.px_per_pt)
        if new != self.style:
            self.style = new
            self.redraw()

    def set_message(self, text: str) -> None:
        """No plot: a grey message where it would be (e.g. "fewer than two trials ...")."""
        self.data = ForestData([])
        self.message = text
        self.redraw()

    def row_count(self) -> int:
        return len(self.data.rows)

    # ------------------------------------------------------------------ drawing
    def _font(self, pt: float, bold: bool = False, italic: bool = False) -> QtGui.QFont:
        f = self.style.font(pt, bold)
        f.setItalic(italic)
        return f

    @property
    def text_pt(self) -> float:
        return self.style.at_risk_pt

    @property
    def row_px(self) -> float:
        return self.style.px(self.text_pt) * 1.9

    def column_widths(self) -> dict[str, float]:
        """Pixel widths of the text columns, from the texts they hold."""
        fm = QtGui.QFontMetricsF(self._font(self.text_pt))
        fb = QtGui.QFontMetricsF(self._font(self.text_pt, bold=True))
        pad = self.style.px(self.text_pt) * 1.2
        rows = self.data.rows
        w = {
            "study": max([fb.horizontalAdvance("Study")]
                         + [(fb if r.bold else fm).horizontalAdvance(short(r.label)) for r in rows]),
            "hr": max([fb.horizontalAdvance("HR (95% CI)")]
                      + [(fb if r.bold else fm).horizontalAdvance(r.hr_text) for r in rows]),
            "w_fixed": max(fb.horizontalAdvance("fixed"), fm.horizontalAdvance("100.0%")),
            "w_random": max(fb.horizontalAdvance("random"), fm.horizontalAdvance("100.0%")),
        }
        if not rows:                    # a message only: the plot column takes the width
            return {k: 0.0 for k in w}
        if not any(r.w_fixed or r.w_random for r in rows):
            w["w_fixed"] = w["w_random"] = 0.0
            return {k: (v + pad if v else 0.0) for k, v in w.items()}
        return {k: v + pad for k, v in w.items()}

    def natural_height(self, width_px: float | None = None) -> int:
        """Pixels the plot needs at its style: rows, header, axis, favours labels and footer."""
        s = self.style
        n = max(len(self.data.rows), 1)
        fm = QtGui.QFontMetricsF(self._font(s.legend_pt))
        lines = 0
        width = width_px or self.width()
        for line in self.data.footer:
            lines += max(1, math.ceil(fm.horizontalAdvance(line) / max(width - s.px(12), 50.0)))
        return int(math.ceil(self._header_px() + n * self.row_px + self._axis_px() + self._favours_px()
                             + lines * fm.height() * 1.15 + s.px(10)))

    def _header_px(self) -> float:
        return self.style.px(self.text_pt) * 3.4

    def _axis_px(self) -> float:
        fm = QtGui.QFontMetricsF(self._font(self.style.tick_pt))
        return fm.height() + self.style.px(8)

    def _favours_px(self) -> float:
        fm = QtGui.QFontMetricsF(self._font(self.text_pt))
        return fm.height() * 2.3

    def redraw(self) -> None:
        s = self.style
        vb = self.vb
        for items in self.diamonds.values():
            for it in items:
                vb.removeItem(it)
        self.diamonds = {}
        for name in ("pi_item", "arrow_item"):
            it = getattr(self, name)
            if it is not None:
                vb.removeItem(it)
                setattr(self, name, None)
        rows = self.data.rows
        self.bound, ticks = axis_bound(rows)
        lb = math.log(self.bound)
        self._draw_studies(rows, lb)
        self._draw_pooled(rows)
        self._texts(rows)
        self.line_one.setPen(pg.mkPen(st.TEXT, width=max(1.0, s.px(0.75))))
        self.line_one.setVisible(bool(rows))
        n = max(len(rows), 1)
        vb.setRange(xRange=(-lb * 1.1, lb * 1.1), yRange=(-0.5, n - 0.5), padding=0)
        self.axis.setTicks([[(math.log(t), fmt.fmt_tick(t)) for t in ticks], []])
        self.axis.setVisible(bool(rows))
        self.axis.setStyle(tickFont=self._font(s.tick_pt), tickLength=-s.ipx(3.5, 2),
                           tickTextOffset=s.ipx(2.5, 2))
        self.axis.setPen(pg.mkPen(st.TEXT, width=max(1.0, s.px(0.6))))
        self.axis.setTextPen(pg.mkPen(st.TEXT))
        self.message_item.setHtml(f"<div style='text-align:center'>{html.escape(self.message)}</div>")
        self.message_item.setFont(self._font(self.text_pt, italic=True))
        self.message_item.setPos(0, (n - 1) / 2)
        self.message_item.setVisible(bool(self.message))
        self._layout_sizes()
        self._place_fixed()

    def _draw_studies(self, rows: list[ForestRow], lb: float) -> None:
        s = self.style
        ys, xs, sizes, wx, wy, ax, ay, asym = [], [], [], [], [], [], [], []
        weights = [r.weight for r in rows if r.kind == "study" and fmt.finite(r.weight)]
        wmax = max(weights, default=1.0) or 1.0
        big = self.row_px * 0.8
        for i, r in enumerate(rows):
            if r.kind != "study" or not fmt.finite(r.log_hr):
                continue
            xs.append(r.log_hr)
            ys.append(i)
            w = r.weight if fmt.finite(r.weight) else wmax
            sizes.append(max(s.px(3.0), big * math.sqrt(max(w, 0.0) / wmax)))   # area ∝ weight
            if fmt.finite(r.log_lo) and fmt.finite(r.log_hi):
                lo, hi = max(r.log_lo, -lb), min(r.log_hi, lb)
                wx += [lo, hi]
                wy += [i, i]
                for end, cut, sym in ((r.log_lo, -lb, "t3"), (r.log_hi, lb, "t2")):
                    if (end < cut) if cut < 0 else (end > cut):
                        ax.append(cut)
                        ay.append(i)
                        asym.append(sym)
        pen = pg.mkPen(st.TEXT, width=max(1.0, s.px(1.0)))
        # The two items live as long as the widget and get new data.
        if self.whisker_item is None:
            self.whisker_item = pg.PlotCurveItem(connect="pairs")
            self.vb.addItem(self.whisker_item)
            # squares drawn as paths: no pixmap per size to render again when weights change,
            # and vector output in SVG and print
            self.square_item = pg.ScatterPlotItem(symbol="s", pxMode=True, useCache=False)
            self.square_item.setZValue(5)
            self.vb.addItem(self.square_item)
        self.whisker_item.setData(np.array(wx, dtype=float), np.array(wy, dtype=float), pen=pen,
                                  connect="pairs")
        self.whisker_item.setVisible(bool(wx))
        self.square_item.setData(np.array(xs, dtype=float), np.array(ys, dtype=float), symbol="s",
                                 size=np.array(sizes, dtype=float), pen=pg.mkPen(SQUARE),
                                 brush=pg.mkBrush(SQUARE))
        self.square_item.setVisible(bool(xs))
        if ax:
            self.arrow_item = pg.ScatterPlotItem(np.array(ax), np.array(ay), symbol=asym,
                                                 size=s.px(5), pen=pen, brush=pg.mkBrush(st.TEXT))
            self.vb.addItem(self.arrow_item)

    def _draw_pooled(self, rows: list[ForestRow]) -> None:
        s = self.style
        for i, r in enumerate(rows):
            if r.kind in ("fixed", "random") and fmt.finite(r.log_hr) and fmt.finite(r.log_lo):
                h = 0.34
                poly = QtGui.QPolygonF([QtCore.QPointF(r.log_lo, i), QtCore.QPointF(r.log_hr, i - h),
                                        QtCore.QPointF(r.log_hi, i), QtCore.QPointF(r.log_hr, i + h)])
                item = QtWidgets.QGraphicsPolygonItem(poly)
                colour = DIAMOND_FIXED if r.kind == "fixed" else DIAMOND_RANDOM
                pen = QtGui.QPen(QtGui.QColor(colour))
                pen.setCosmetic(True)
                pen.setWidthF(max(1.0, s.px(0.75)))
                item.setPen(pen)
                item.setBrush(QtGui.QBrush(QtGui.QColor(colour)))
                item.setZValue(6)
                self.vb.addItem(item)
                self.diamonds.setdefault(r.kind, []).append(item)
            elif r.kind == "pi" and fmt.finite(r.log_lo) and fmt.finite(r.log_hi):
                lb = math.log(self.bound)
                lo, hi = max(r.log_lo, -lb), min(r.log_hi, lb)
                cap = 0.22
                x = [lo, hi, lo, lo, hi, hi]
                y = [i, i, i - cap, i + cap, i - cap, i + cap]
                self.pi_item = pg.PlotCurveItem(np.array(x), np.array(y), connect="pairs",
                                                pen=pg.mkPen(DIAMOND_RANDOM, width=max(1.0, s.px(2.0))))
                self.pi_item.pi = (r.log_lo, r.log_hi)
                self.vb.addItem(self.pi_item)

    def _texts(self, rows: list[ForestRow]) -> None:
        fonts = {(b, i): self._font(self.text_pt, b, i) for b in (False, True) for i in (False, True)}
        pad = self.style.px(self.text_pt) * 0.5
        self._pad = pad
        cells = {
            "study": [(short(r.label), fonts[(r.bold, r.kind == "pi")]) for r in rows],
            "hr": [(r.hr_text, fonts[(r.bold and r.kind != "pi", False)]) for r in rows],
            "w_fixed": [(r.w_fixed, fonts[(r.bold, False)]) for r in rows],
            "w_random": [(r.w_random, fonts[(r.bold, False)]) for r in rows],
        }
        for c, item in self.column_text.items():
            item.pad = pad
            item.set_cells(cells[c])
        has_weights = any(r.w_fixed or r.w_random for r in rows)
        heads = {"study": "Study" if rows else "", "plot": "Hazard ratio (log scale)" if rows else "",
                 "hr": "HR (95% CI)" if rows else "",
                 "w_fixed": "Weight<br>fixed" if has_weights else "",
                 "w_random": "Weight<br>random" if has_weights else ""}
        for c, it in self.header_items.items():
            it.setHtml(f"<div style='text-align:center'><b>{heads[c]}</b></div>" if heads[c] else "")
            it.setFont(self._font(self.text_pt, bold=True))
            it.setColor(st.TEXT)
        self.footer_item.setText("\n".join(self.data.footer))
        self.footer_item.setFont(self._font(self.style.legend_pt))
        self.footer_item.setColor("#333333")

    def _layout_sizes(self) -> None:
        s = self.style
        gl = self.glw.ci.layout
        widths = self.column_widths()
        for i, c in enumerate(COLUMNS):
            if c == "plot":
                continue
            gl.setColumnFixedWidth(i, widths[c])
        gl.setColumnMinimumWidth(1, s.px(80))       # narrow panes: the text columns are not cut
        gl.setColumnMaximumWidth(1, s.px(330))      # wide screens: the numbers stay near the names
        gl.setColumnStretchFactor(1, 1)
        gl.setRowFixedHeight(0, self._header_px())
        gl.setRowFixedHeight(2, self._axis_px())
        self.axis.setHeight(self._axis_px())
        gl.setRowFixedHeight(3, self._favours_px())
        fm = QtGui.QFontMetricsF(self._font(s.legend_pt))
        gl.setRowFixedHeight(4, len(self.data.footer) * fm.height() * 1.15 + s.px(8) if self.data.footer else s.px(4))
        gl.setRowStretchFactor(1, 1)
        if self.interactive:        # on screen rows keep their pitch; a scroll area holds the rest
            self.setFixedHeight(self.natural_height(max(self.width(), 400)))

    def _place_fixed(self, *_):
        """Positions that depend on pixel sizes: text anchors, headers, favours labels, footer."""
        pad = getattr(self, "_pad", 4.0)
        # headers, centred over their columns (the study header left-aligned)
        hdr = self.header
        W = hdr.width() or 1.0
        H = hdr.height() or 1.0
        hdr.setRange(xRange=(0, W), yRange=(0, H), padding=0)
        x0 = 0.0
        for i, c in enumerate(COLUMNS):
            cw = self.vb.width() if c == "plot" else self.columns[c].width()
            it = self.header_items[c]
            if c == "study":
                it.setAnchor((0, 1))
                it.setPos(x0 + pad, H * 0.92)
            else:
                it.setTextWidth(max(cw, 1.0))
                it.setAnchor((0.5, 1))
                it.setPos(x0 + cw / 2, H * 0.92)
            x0 += cw
        left, right = self.favours_items
        gap = self.style.px(4)
        # the labels may reach into the text columns: the favours row spans the whole width
        fw_, fh_ = self.favours_vb.width() or 1.0, self.favours_vb.height() or 1.0
        self.favours_vb.setRange(xRange=(0, fw_), yRange=(0, fh_), padding=0)
        x_one = self.vb.geometry().left() - self.favours_vb.geometry().left() + (self.vb.width() or 1.0) / 2
        fm = QtGui.QFontMetricsF(self._font(self.text_pt))
        for it, text, align, room in ((left, f"← Favours {self.favours[0]}", "right", x_one - gap),
                                      (right, f"Favours {self.favours[1]} →", "left", fw_ - x_one - gap)):
            if not self.data.rows:
                it.setText("")
                continue
            if fm.horizontalAdvance(text) > room:        # two lines rather than cut
                a, _, b = text.partition("Favours ")
                text = f"{a}Favours<br>{b}"
            it.setHtml(f"<div style='text-align:{align}'>{text}</div>")
            it.setFont(self._font(self.text_pt))
            it.setColor(st.TEXT)
        left.setPos(x_one - gap, 0)
        right.setPos(x_one + gap, 0)
        self.message_item.setTextWidth(max((self.vb.width() or 1.0) * 0.9, 50.0))
        fv = self.footer_vb
        fw, fh = fv.width() or 1.0, fv.height() or 1.0
        fv.setRange(xRange=(0, fw), yRange=(0, fh), padding=0)
        self.footer_item.setTextWidth(max(fw - pad * 2, 50.0))
        self.footer_item.setPos(pad, 0)
        self.footer_item.setAnchor((0, 0))

    # ------------------------------------------------------------------ for tests and exports
    def drawn_rows(self) -> list[dict]:
        """What is drawn, row by row: kind, label, texts and the positions (log HR) of marks."""
        out = []
        for i, r in enumerate(self.data.rows):
            out.append({"row": i, "kind": r.kind, "label": r.label, "hr": r.hr_text,
                        "w_fixed": r.w_fixed, "w_random": r.w_random,
                        "log_hr": r.log_hr, "log_ci": (r.log_lo, r.log_hi)})
        return out


# ---------------------------------------------------------------------------- offscreen figure

def build_offscreen(result, mode: str = "studies", dpi: int = 300, style: str = "presentation",
                    width_in: float = 10.0, height_in: float | None = None, title: str = "",
                    favours: tuple[str, str] = ("experimental", "control")):
    """A ForestPlotWidget laid out at the figure's pixel size, never shown on screen; the height
    follows the rows when ``height_in`` is None."""
    from evidencegui.ui.figure import ensure_app
    ensure_app()
    w = ForestPlotWidget(style=style, px_per_pt=dpi / 72.0, interactive=False)
    w.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    w.glw.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    w.glw.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    w.glw.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    m = w.style.px(6)
    w.glw.ci.setContentsMargins(m, m, m * 1.5, m)
    if result is None:
        w.set_message("No hazard ratios to plot")
    else:
        w.set_result(result, mode, title, favours)
    # never narrower than the text columns and a readable plot column (long names widen it)
    width_px = max(round(width_in * dpi), round(sum(w.column_widths().values()) + w.style.px(150) + 3 * m))
    height_px = round(height_in * dpi) if height_in else w.natural_height(width_px) + round(2 * m)
    w.setFixedSize(width_px, height_px)
    w.show()                       # delivers the resize; WA_DontShowOnScreen keeps it off screen
    w.glw.ci.layout.activate()
    w._place_fixed()
    return w, width_px, height_px


def render_image(result, mode: str = "studies", dpi: int = 300, style: str = "presentation",
                 width_in: float = 10.0, height_in: float | None = None, title: str = "",
                 favours: tuple[str, str] = ("experimental", "control")) -> QtGui.QImage:
    """The forest plot as a QImage at ``dpi`` (fonts and pens scaled with it)."""
    from evidencegui.ui.figure import check_dpi, paint_image      # the survival figure's painter
    check_dpi(dpi)
    w, wp, hp = build_offscreen(result, mode, dpi, style, width_in, height_in, title, favours)
    return paint_image(w, wp, hp, dpi)


def image_png(img: QtGui.QImage) -> bytes:
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    if not img.convertToFormat(QtGui.QImage.Format.Format_RGB888).save(buf, "PNG", 75):
        raise RuntimeError("Qt could not encode the PNG")
    return bytes(buf.data())


def render_png(result, mode: str = "studies", dpi: int = 300, style: str = "presentation",
               width_in: float = 10.0, height_in: float | None = None, title: str = "",
               favours: tuple[str, str] = ("experimental", "control")) -> bytes:
    """PNG bytes of the forest plot (for the workbook, the slides and File → Export)."""
    return image_png(render_image(result, mode, dpi, style, width_in, height_in, title, favours))


def render_svg(result, mode: str = "studies", style: str = "presentation", width_in: float = 10.0,
               height_in: float | None = None, title: str = "",
               favours: tuple[str, str] = ("experimental", "control")) -> bytes:
    """SVG bytes of the forest plot (Qt's SVG generator; see ui/figure.py for why not pyqtgraph's)."""
    from PySide6.QtSvg import QSvgGenerator

    from evidencegui.ui.figure import _dispose, _paint
    dpi = 96
    w, wp, hp = build_offscreen(result, mode, dpi, style, width_in, height_in, title, favours)
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    try:
        gen = QSvgGenerator()
        gen.setOutputDevice(buf)
        gen.setSize(QtCore.QSize(wp, hp))
        gen.setViewBox(QtCore.QRect(0, 0, wp, hp))
        gen.setResolution(dpi)
        gen.setTitle(title or "Forest plot")
        gen.setDescription("Forest plot drawn by EvidenceGUI")
        _paint(w, gen, wp, hp)
    finally:
        _dispose(w)
    data = bytes(buf.data())
    try:        # ui/figure.py's rewrite for librsvg/LibreOffice, where that module has it (issue 14)
        from evidencegui.ui.figure import portable_svg
    except ImportError:
        return data
    return portable_svg(data)
