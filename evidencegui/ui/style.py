"""Colours, fonts and line widths of the survival plot: a colour-blind-safe palette and the
"screen", "presentation" and "journal" styles, with every size in points so a figure scales with
its dpi. The journal style is greyscale-safe: black and greys, each arm with its own line style."""
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
STYLES = ("screen", "presentation", "journal")
SCREEN_PX_PER_PT = 96 / 72      # Qt's logical screen resolution is 96 px per inch


# Journal: greys that stay apart in print, and a dash pattern per arm (in units of the pen width)
GREYS = ("#000000", "#555555", "#000000", "#777777", "#333333", "#000000")
DASHES = (None, [5.0, 2.5], [1.2, 2.0], [6.0, 2.0, 1.2, 2.0], [3.0, 3.0], [8.0, 3.0])
FONT_FAMILY = "DejaVu Sans"     # metric-stable sans serif shipped with most Linux systems


def colour(i: int, style: "PlotStyle | None" = None) -> str:
    """The colour of the i-th arm (grey shades in a greyscale style)."""
    if style is not None and style.greyscale:
        return GREYS[i % len(GREYS)]
    return PALETTE[i % len(PALETTE)]


def dashes(i: int, style: "PlotStyle | None" = None) -> list[float] | None:
    """The i-th arm's dash pattern (None: solid); only a greyscale style tells arms apart by it."""
    if style is None or not style.greyscale:
        return None
    return DASHES[i % len(DASHES)]


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
    greyscale: bool = False       # black and greys; arms told apart by line style

    def px(self, pt: float) -> float:
        return pt * self.px_per_pt

    def ipx(self, pt: float, minimum: int = 1) -> int:
        return max(minimum, round(pt * self.px_per_pt))

    def at(self, px_per_pt: float) -> "PlotStyle":
        """The same style for another output resolution (a 300-dpi figure: 300 / 72)."""
        return replace(self, px_per_pt=px_per_pt)

    def font(self, pt: float, bold: bool = False) -> QtGui.QFont:
        f = QtGui.QFont(FONT_FAMILY)
        f.setStyleHint(QtGui.QFont.StyleHint.SansSerif)
        # Pixel sizes, not point sizes: the figure is laid out at its target pixel size, whatever
        # the resolution of the screen (or the offscreen platform) Qt believes it draws on.
        f.setPixelSize(self.ipx(pt, 4))
        f.setBold(bold)
        return f

    def pen(self, colour_: str, modelled: bool = False, width_pt: float | None = None,
            style: QtCore.Qt.PenStyle | None = None, dash: list[float] | None = None) -> QtGui.QPen:
        p = QtGui.QPen(QtGui.QColor(colour_))
        p.setWidthF(self.px(self.line_pt if width_pt is None else width_pt))
        p.setCosmetic(True)          # width in pixels whatever the view's data scale
        p.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
        p.setJoinStyle(QtCore.Qt.PenJoinStyle.MiterJoin)
        if style is not None:
            p.setStyle(style)
        elif dash:
            p.setStyle(QtCore.Qt.PenStyle.CustomDashLine)
            p.setDashPattern(list(dash))
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
JOURNAL = PlotStyle("journal", tick_pt=8, label_pt=9, legend_pt=8, at_risk_pt=8, title_pt=9.5,
                    line_pt=1.0, guide_pt=0.5, censor_pt=4.0, censor_line_pt=0.5, marker_pt=4.0,
                    ci_alpha=30, greyscale=True)
_BY_NAME = {"screen": SCREEN, "presentation": PRESENTATION, "journal": JOURNAL}


def get_style(name: str | PlotStyle) -> PlotStyle:
    if isinstance(name, PlotStyle):
        return name
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown style {name!r}; use one of {', '.join(STYLES)}") from None


TEXT = "#202020"
GRID_ALPHA = 0.12
