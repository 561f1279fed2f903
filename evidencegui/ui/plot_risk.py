"""The numbers-at-risk table under the survival plot: each arm's full name (wrapped, never cut)
over its numbers, or, where that would take too much height, a row per arm keyed by its line
sample. ``RiskTable`` is a part of SurvivalPlotWidget (ui/survival_plot.py)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from evidencegui.core import curves as cc
from evidencegui.ui import style as st

ZWSP = "\u200b"


def breakable(name: str) -> str:
    """An arm name that may wrap after "+", "/" and "," (drug combinations have no spaces)."""
    for ch in "+/,":
        name = name.replace(ch, ch + ZWSP)
    return name


def _set_text(item: pg.TextItem, text: str, colour, font: QtGui.QFont) -> None:
    """Text, colour and font of a reused cell, set only where they changed (each setter lays the
    item out again: a table of 10 arms was ~6 ms per redraw)."""
    if getattr(item, "_shown", None) == (text, colour):
        pass
    elif colour is None:
        item.setText(text)
    else:
        item.setText(text, color=colour)
    item._shown = (text, colour)
    if getattr(item, "_shown_font", None) != font:
        item.setFont(font)
        item._shown_font = QtGui.QFont(font)


class CellRow(pg.GraphicsObject):
    """One arm's numbers at risk: each text centred on its (time, row) in the table's view, the
    same pixel size at any zoom, drawn by one item (a pyqtgraph TextItem a cell took ~0.3 ms to
    make and lay out: 28 of them were a tenth of the window's start-up)."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.xs = np.zeros(0)
        self.y = 0.0
        self.color = QtGui.QColor(st.TEXT)
        self.font = QtGui.QFont()
        self._shown: tuple = ()

    def set_cells(self, texts, xs, y: float, colour, font: QtGui.QFont) -> None:
        key = (tuple(texts), tuple(float(x) for x in xs), float(y), str(colour), font.toString())
        if key == self._shown:
            return
        self._shown = key
        self.prepareGeometryChange()
        self.texts, self.xs, self.y = list(texts), np.asarray(xs, float), float(y)
        self.color, self.font = QtGui.QColor(colour), QtGui.QFont(font)
        self.update()

    def viewTransformChanged(self):  # noqa: N802
        self.prepareGeometryChange()
        super().viewTransformChanged()

    def boundingRect(self):  # noqa: N802
        if not self.texts:
            return QtCore.QRectF()
        fm = QtGui.QFontMetricsF(self.font)
        half_w = max(fm.horizontalAdvance(t) for t in self.texts) / 2 + 2
        half_h = fm.height() / 2 + 2
        px, py = self.pixelVectors()
        dx = 0.0 if px is None else px.length() * half_w
        dy = 0.0 if py is None else py.length() * half_h
        x0, x1 = float(self.xs.min()), float(self.xs.max())
        return QtCore.QRectF(x0 - dx, self.y - dy, x1 - x0 + 2 * dx, 2 * dy)

    def paint(self, p, *_):
        if not self.texts:
            return
        t = p.transform()
        fm = QtGui.QFontMetricsF(self.font)
        lift = (fm.ascent() - fm.descent()) / 2
        p.save()
        try:
            p.resetTransform()
            p.setFont(self.font)
            p.setPen(self.color)
            for text, x in zip(self.texts, self.xs):
                if not text:
                    continue
                X = t.m11() * x + t.m21() * self.y + t.dx()
                Y = t.m12() * x + t.m22() * self.y + t.dy()
                p.drawText(QtCore.QPointF(X - fm.horizontalAdvance(text) / 2, Y + lift), text)
        finally:
            p.restore()


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


class RiskTable:
    """The at-risk rows (a mixin of SurvivalPlotWidget: it uses the widget's plot items, drawn
    arms and style)."""

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
        for i, item in enumerate(self._cell_pool):
            if i >= len(self.at_risk):
                item.setVisible(False)
        for i, (row, d) in enumerate(zip(self.at_risk, self.drawn.values())):
            if i == len(self._cell_pool):
                item = CellRow()
                rvb.addItem(item, ignoreBounds=True)
                self._cell_pool.append(item)
            item = self._cell_pool[i]
            item.set_cells(row.cells(), row.times, self._numbers_y(i), d.colour, font)
            item.setVisible(True)
            self.at_risk_items.append(item)
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
            _set_text(it, breakable(keys[k]), self.drawn[keys[k]].colour, font)
            if it.textItem.textWidth() != width:
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
            _set_text(it, "not reported (modelled curve)", None, font)
            it.setPos((lo + hi) / 2, self._numbers_y(rows[k]))
            it.setVisible(True)

    def at_risk_cells(self) -> list[dict]:
        """The table as drawn: per row its label, the cell texts and their x positions."""
        out = []
        for row, item in zip(self.at_risk, self.at_risk_items):
            out.append({"label": row.label, "cells": list(item.texts),
                        "x": [float(x) for x in item.xs], "counts": list(row.counts)})
        return out
