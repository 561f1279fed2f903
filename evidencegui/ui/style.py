"""Colours, fonts and line widths of the survival plot: a colour-blind-safe palette and the
"screen" and "presentation" styles, with every size in points so a figure scales with its dpi."""
from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6 import QtCore, QtGui

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision
# deficiencies. Yellow (#F0E442) is left out: too pale on white for a line.
OKABE_ITO = ("#0072B2",  # blue
             "#D55E00",  # vermilion
             "#009E73",  # bluish green
             "#CC79A7",  # reddish purple
             "#E69F00",  # orange
             "#56B4E9",  # sky blue
             "#000000")  # black
PALETTE = OKABE_ITO
STYLES = ("screen", "presentation")
SCREEN_PX_PER_PT = 96 / 72      # Qt's logical screen resolution is 96 px per inch


def colour(i: int) -> str:
    """The colour of the i-th arm."""
    return PALETTE[i % len(PALETTE)]


@dataclass(frozen=True)
class PlotStyle:
    """Sizes in points (1/72 inch); ``px_per_pt`` turns them into pixels for one output."""
    name: str
    tick_pt: float
    label_pt: float
    legend_pt: float
    at_risk_pt: float
    title_pt: float
    line_pt: float
    guide_pt: float               # median drop-lines
    censor_pt: float              # height of a censor tick
    censor_line_pt: float         # its line width: thin, so hundreds of ticks stay readable
    marker_pt: float              # landmark markers
    ci_alpha: int                 # 0–255, opacity of a CI band
    px_per_pt: float = SCREEN_PX_PER_PT

    def px(self, pt: float) -> float:
        return pt * self.px_per_pt

    def ipx(self, pt: float, minimum: int = 1) -> int:
        return max(minimum, round(pt * self.px_per_pt))

    def at(self, px_per_pt: float) -> "PlotStyle":
        """The same style for another output resolution (a 300-dpi figure: 300 / 72)."""
        return replace(self, px_per_pt=px_per_pt)

    def font(self, pt: float, bold: bool = False) -> QtGui.QFont:
        f = QtGui.QFont()
        # Pixel sizes, not point sizes: the figure is laid out at its target pixel size, whatever
        # the resolution of the screen (or the offscreen platform) Qt believes it draws on.
        f.setPixelSize(self.ipx(pt, 4))
        f.setBold(bold)
        return f

    def pen(self, colour_: str, modelled: bool = False, width_pt: float | None = None,
            style: QtCore.Qt.PenStyle | None = None) -> QtGui.QPen:
        p = QtGui.QPen(QtGui.QColor(colour_))
        p.setWidthF(self.px(self.line_pt if width_pt is None else width_pt))
        p.setCosmetic(True)          # width in pixels whatever the view's data scale
        p.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
        p.setJoinStyle(QtCore.Qt.PenJoinStyle.MiterJoin)
        if style is not None:
            p.setStyle(style)
        elif modelled:
            p.setStyle(QtCore.Qt.PenStyle.CustomDashLine)
            p.setDashPattern([4.0, 2.5])      # in units of the pen width
        return p

    def ci_brush(self, colour_: str) -> QtGui.QBrush:
        c = QtGui.QColor(colour_)
        c.setAlpha(self.ci_alpha)
        return QtGui.QBrush(c)


SCREEN = PlotStyle("screen", tick_pt=8.5, label_pt=9.5, legend_pt=8.5, at_risk_pt=8.5, title_pt=10.5,
                   line_pt=1.5, guide_pt=0.75, censor_pt=5.0, censor_line_pt=0.6, marker_pt=5.0,
                   ci_alpha=45)
PRESENTATION = PlotStyle("presentation", tick_pt=13, label_pt=14, legend_pt=11, at_risk_pt=12.5,
                         title_pt=16, line_pt=2.25, guide_pt=1.0, censor_pt=5.5, censor_line_pt=0.6,
                         marker_pt=8.0,
                         ci_alpha=50)
_BY_NAME = {"screen": SCREEN, "presentation": PRESENTATION}


def get_style(name: str | PlotStyle) -> PlotStyle:
    if isinstance(name, PlotStyle):
        return name
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown style {name!r}; use one of {', '.join(STYLES)}") from None


TEXT = "#202020"
GRID_ALPHA = 0.12
