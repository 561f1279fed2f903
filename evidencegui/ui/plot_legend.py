"""The survival figure's legend: a box drawn with painter primitives (PNG, SVG and PDF alike),
placed inside the axes where it crosses no curve, else above them, and the HR annotation it
carries. ``LegendPlacement`` is a part of SurvivalPlotWidget (ui/survival_plot.py)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from evidencegui.io import format as fmt
from evidencegui.ui import style as st


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
    out = np.zeros(len(segs), bool)
    idx = np.flatnonzero(boxes)             # the line test only where the boxes overlap
    if len(idx) == 0:
        return out
    xa, ya, xb, yb = segs[idx].T
    dx, dy = xb - xa, yb - ya
    side = np.stack([dx * (cy - ya) - dy * (cx - xa)
                     for cx, cy in ((left, top), (right, top), (left, bottom), (right, bottom))])
    apart = np.all(side > 0, axis=0) | np.all(side < 0, axis=0)
    out[idx] = ~apart
    return out


def rects_hit(segs: np.ndarray, rects: np.ndarray) -> np.ndarray:
    """For each rectangle (rows left, top, right, bottom): does any segment cross it? The same
    test as ``segments_hit``, for several rectangles at once."""
    rects = np.asarray(rects, float).reshape(-1, 4)
    hit = np.zeros(len(rects), bool)
    if len(segs) == 0 or len(rects) == 0:
        return hit
    xa, ya, xb, yb = segs.T
    left, top, right, bottom = (v[:, None] for v in rects.T)
    box = ((np.minimum(xa, xb) <= right) & (np.maximum(xa, xb) >= left)
           & (np.minimum(ya, yb) <= bottom) & (np.maximum(ya, yb) >= top))
    ri, si = np.nonzero(box)                # the line test only where the boxes overlap
    if len(si) == 0:
        return hit
    xa, ya, xb, yb = xa[si], ya[si], xb[si], yb[si]
    dx, dy = xb - xa, yb - ya
    left, top, right, bottom = (v[ri] for v in rects.T)
    side = np.stack([dx * (cy - ya) - dy * (cx - xa)
                     for cx, cy in ((left, top), (right, top), (left, bottom), (right, bottom))])
    apart = np.all(side > 0, axis=0) | np.all(side < 0, axis=0)
    hit[ri[~apart]] = True
    return hit


def occupied_pixels(segs: np.ndarray, width: int, height: int) -> np.ndarray:
    """Summed-area table (height + 1, width + 1) of the pixels the segments reach: each end, and
    along segments longer than a pixel a point every half pixel. Every point of a segment then
    lies within half a pixel of a marked point (read with ``boxes_occupied``, grow ≥ 1)."""
    grid = np.zeros((height, width), bool)

    def mark(x, y):
        xs, ys = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
        ok = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
        grid[ys[ok], xs[ok]] = True
    if len(segs):
        x0, y0, x1, y1 = segs.T
        mark(x0, y0)
        mark(x1, y1)
        length = np.hypot(x1 - x0, y1 - y0)
        long_ = (length > 1) & (np.maximum(x0, x1) >= -1) & (np.minimum(x0, x1) <= width + 1) \
            & (np.maximum(y0, y1) >= -1) & (np.minimum(y0, y1) <= height + 1)
        if long_.any():
            x0, y0, x1, y1 = x0[long_], y0[long_], x1[long_], y1[long_]
            k = np.minimum(np.ceil(length[long_] * 2).astype(np.int64) + 1, 4 * (width + height))
            seg = np.repeat(np.arange(len(k)), k)
            first = np.repeat(np.cumsum(k) - k, k)
            t = (np.arange(len(seg)) - first) / np.maximum(k[seg] - 1, 1)
            mark(x0[seg] + (x1 - x0)[seg] * t, y0[seg] + (y1 - y0)[seg] * t)
    sat = np.zeros((height + 1, width + 1), np.int64)
    sat[1:, 1:] = grid.cumsum(0).cumsum(1)
    return sat


def boxes_occupied(sat: np.ndarray, rects: np.ndarray, grow: float = 1.0) -> np.ndarray:
    """Whether any pixel of each rectangle (grown by ``grow`` pixels) is occupied."""
    h, w = sat.shape[0] - 1, sat.shape[1] - 1
    r = np.asarray(rects, float).reshape(-1, 4)
    left = np.clip(np.floor(r[:, 0] - grow), 0, w).astype(np.int64)
    top = np.clip(np.floor(r[:, 1] - grow), 0, h).astype(np.int64)
    right = np.clip(np.floor(r[:, 2] + grow) + 1, 0, w).astype(np.int64)
    bottom = np.clip(np.floor(r[:, 3] + grow) + 1, 0, h).astype(np.int64)
    count = sat[bottom, right] - sat[top, right] - sat[bottom, left] + sat[top, left]
    return count > 0


class LegendPlacement:
    """Where the legend goes and what it says (a mixin of SurvivalPlotWidget: it uses the
    widget's view box, drawn arms, style and annotation)."""

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
        if self.vb.width() - 2 * off < bw or self.vb.height() - 2 * off < bh:
            return None                 # the box does not fit inside the axes at all
        for guides in (True, False):
            spot = self._free_spot_among(bw, bh, off, self._obstacles(guides))
            if spot is not None:
                return spot
        return None

    def _obstacles(self, guides: bool) -> tuple:
        """(segments, occupied-pixel table or None) of the drawn lines, kept while the lines, the
        view and its size stay the same (the placement tries several boxes on them)."""
        items = [(id(d.curve_item.getData()[0]), id(d.median_item.getData()[0])
                  if d.median_item is not None else 0) for d in self.drawn.values()]
        key = (guides, tuple(map(tuple, self.vb.viewRange())), self.vb.width(), self.vb.height(),
               tuple(items))
        cache = self.__dict__.setdefault("_obstacle_cache", {})
        if key not in cache:
            segs = self.curve_segments_px(guides)
            sat = None
            if len(segs) > 5000:        # many segments (curves of 100,000 patients): a pixel table
                sat = occupied_pixels(segs, int(np.ceil(self.vb.width())) + 2,
                                      int(np.ceil(self.vb.height())) + 2)
            if len(cache) > 4:
                cache.clear()
            cache[key] = (segs, sat)
        return cache[key]

    def _free_spot_among(self, bw, bh, off, obstacles) -> tuple[float, float] | None:
        W, H = self.vb.width(), self.vb.height()       # the box fits: _free_spot checked
        pad = self.style.px(self.style.censor_pt) / 2 + self.style.px(self.style.line_pt)
        xs = np.linspace(off, W - off - bw, 7)
        ys = np.linspace(off, H - off - bh, 6)
        best, best_cost = None, None
        hits = self._hits_grid(obstacles, xs, ys, bw, bh, pad)
        for i, x in enumerate(xs):
            for j, y in enumerate(ys):
                if hits[i, j]:
                    continue
                corner = x in (xs[0], xs[-1]) and y in (ys[0], ys[-1])
                cost = self._band_cover((x, y, x + bw, y + bh), W, H) + (0.0 if corner else 0.05)
                if best_cost is None or cost < best_cost - 1e-9:
                    best, best_cost = (float(x), float(y)), cost
        return best

    @staticmethod
    def _hits_grid(obstacles, xs, ys, bw, bh, pad) -> np.ndarray:
        """Which legend positions (xs × ys, boxes grown by pad) a curve segment crosses: exactly
        for a few segments; for many, by the pixels they pass through, each box grown by a pixel
        (never calls a crossed box free; may refuse one a pixel away)."""
        segs, sat = obstacles
        grid = np.array([(x - pad, y - pad, x + bw + pad, y + bh + pad) for x in xs for y in ys])
        if sat is None:
            return rects_hit(segs, grid).reshape(len(xs), len(ys))
        return boxes_occupied(sat, grid).reshape(len(xs), len(ys))

    SHORT_NOTES = {"Reconstructed from the published figure": "Reconstructed curves"}

    def _wrapped(self, text: str, max_px: float, pattern: str, bold: bool = False) -> list[str]:
        """``text`` in lines of at most max_px, broken only after the pieces ``pattern`` finds
        (each piece keeps its separator; a piece is never cut)."""
        fm = QtGui.QFontMetricsF(self.style.font(self.style.legend_pt, bold=bold))
        if fm.horizontalAdvance(text) <= max_px:
            return [text]
        import re
        parts = re.findall(pattern, text) or [text]
        lines, cur = [], ""
        for part in parts:
            if cur and fm.horizontalAdvance((cur + part).rstrip()) > max_px:
                lines.append(cur.rstrip())
                cur = ""
            cur += part
        lines.append(cur.rstrip())
        return lines

    def _wrapped_name(self, name: str, max_px: float) -> list[str]:
        """An arm name (bold) broken after '+', '/' or spaces."""
        return self._wrapped(name, max_px, r"[^+/ ]+[+/ ]*", bold=True)

    def _wrapped_text(self, text: str, max_px: float) -> list[str]:
        """A note broken after ', '."""
        return self._wrapped(text, max_px, r"[^,]+,? ?")

    _hr_notes: tuple | list = ()     # (its line in the note, 'label HR') per arm with an HR
    _hr_notes_control = ""

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
        hr_notes = [(line, short) for line, short in self._hr_notes if line in self.annotation]
        if compact and len(hr_notes) > 2:
            # Many arms: one line of HRs (wrapped) instead of a line each, so that the curves keep
            # their room; each arm's full note stays in the comparison panel.
            hr_lines = {line for line, _ in hr_notes}
            ctl = self._hr_notes_control
            summary = f"HR vs {ctl}: " + ", ".join(short for _, short in hr_notes)
            wrap_px = max_px if columns == 1 else self.plot_item.width() - s.px(16)
            notes = self._wrapped_text(summary, wrap_px) + [x for x in notes if x not in hr_lines]
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

    @property
    def _outside_columns(self) -> dict:
        """The column count chosen for a legend above the axes, by width, style and texts."""
        return self.__dict__.setdefault("_outside_columns_cache", {})

    def _set_legend_outside(self, outside: bool) -> None:
        lay = self.plot_item.layout
        if outside:
            # As many columns as make the box lowest while it fits the width (names wrap to fit
            # their column): the curves below keep their room.
            room = self.plot_item.width() - self.style.px(8)
            key = (room, self.style, tuple((n, m) for _, n, m in self._legend_entries), tuple(self.annotation))
            columns = self._outside_columns.get(key)
            searched = columns is None
            if searched:
                best = None
                for columns in range(min(max(len(self._legend_entries), 1), 5), 0, -1):
                    self._fill_legend(compact=True, columns=columns)
                    br = self.legend.boundingRect()
                    if br.width() <= room and (best is None or br.height() < best[1] - 0.5):
                        best = (columns, br.height())
                columns = best[0] if best is not None else 1
                if len(self._outside_columns) > 32:
                    self._outside_columns.clear()
                self._outside_columns[key] = columns
            if not (searched and columns == 1):     # the search ended on one column
                self._fill_legend(compact=True, columns=columns)
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
        if self._y_padded == (pad, tuple(self.vb.viewRange()[1])):
            return                  # as shown: setting it again would redraw the axes for nothing
        self.vb.setLimits(yMin=-pad - 0.05, yMax=1.0 + pad + 0.1)
        self.plot_item.setYRange(-pad, 1.0 + pad, padding=0)
        self._y_padded = (pad, tuple(self.vb.viewRange()[1]))

    # ------------------------------------------------------------------ HR annotation
    def _annotation_lines(self) -> list[str]:
        """'HR 0.68 (95% CI 0.56–0.84); p <0.001' per experimental arm of the endpoint shown: the
        reported values, else those computed from the patient data (marked as such). Never for
        a cross-trial overlay (arms of different trials have no HR between them)."""
        if not self._source or self._source[0] != "endpoint":
            return []
        _, _project, trial, ep = self._source
        ctl = getattr(ep, "control", None)
        self._hr_notes = []
        if ep is None or ctl is None:
            return []
        exps = [a for a in ep.arms if a is not ctl]
        lines, hr_notes = [], []
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
                text += "; " + fmt.p_equals(p, bound)
            text += tag
            lines.append(text if len(exps) == 1 else f"{a.label} vs {ctl.label}: {text}")
            hr_notes.append((lines[-1], f"{a.label} {fmt.fmt_ratio(hr)}"))
        self._hr_notes, self._hr_notes_control = hr_notes, ctl.label
        return lines
