"""The survival figure as PNG, SVG or a clipboard image, from the window or the command line.

The plot widget is laid out at the figure's own pixel size with every font and pen scaled to the
resolution (ui/style.py works in points), then its scene is painted with a QPainter: onto a QImage
for PNG, onto QSvgGenerator for SVG. pyqtgraph's own SVGExporter is not used: in pyqtgraph 0.14.0
it raises ValueError with PySide6 ≥ 6.11 (pyqtgraph issue #3495; it re-parses the path data Qt
writes, whose format changed), and the fix is not released.
"""
from __future__ import annotations

import os
import sys
from typing import Any

DEFAULT_WIDTH_IN = 8.0
DEFAULT_HEIGHT_IN = 5.5
SVG_DPI = 96                      # SVG user units: CSS pixels


def ensure_app():
    """The running QApplication, or a new one (offscreen when there is no display)."""
    from PySide6.QtWidgets import QApplication

    from evidencegui.ui import pyside_guard
    pyside_guard.apply()
    app = QApplication.instance()
    if app is None:
        if not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY") \
                and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication(sys.argv[:1] or ["evidencegui"])
    return app


def _pick(items, key: Any, find, what: str, where: str = ""):
    """One of ``items`` by index, by name (``find``), the first when None, or ``key`` itself."""
    if isinstance(key, int) and not isinstance(key, bool):
        try:
            return items[key]
        except IndexError:
            raise ValueError(f"{where}no {what} number {key}") from None
    if isinstance(key, str):
        found = find(key)
        if found is None:
            raise ValueError(f"{where}no {what} named {key!r}")
        return found
    if key is None:
        if not items:
            raise ValueError(f"{where}no {what}s")
        return items[0]
    return key


def resolve(project, trial: Any, endpoint: Any):
    """(trial, endpoint) objects from objects, names or indices; ValueError when not found."""
    t = _pick(project.trials, trial, project.trial, "trial", "the project has ")
    e = _pick(t.endpoints, endpoint, t.endpoint, "endpoint", f"trial {t.name!r} has ")
    return t, e


def build_widget(project, trial, endpoint, px_per_pt: float, style: str = "presentation",
                 width_px: int = 800, height_px: int = 550, time_unit: str = "months",
                 show_ci: bool = True, title: bool = True):
    """A SurvivalPlotWidget laid out at exactly width_px × height_px, never shown on screen."""
    ensure_app()
    from PySide6 import QtCore, QtWidgets

    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    t, e = resolve(project, trial, endpoint)
    w = SurvivalPlotWidget(style=style, px_per_pt=px_per_pt, interactive=False, show_title=title)
    w.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    w.glw.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    w.glw.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    w.glw.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    w.set_view(time_unit=time_unit, show_ci=show_ci, redraw=False)
    w.set_endpoint(project, t, e)
    w.setFixedSize(width_px, height_px)
    w.show()                    # delivers the resize; WA_DontShowOnScreen keeps it off screen
    # No processEvents(): called from a menu action it would run the user's other events too.
    w.glw.ci.layout.activate()
    w._range_changed()          # ticks and at-risk columns for the final size
    return w


def _paint(widget, device, width_px: int, height_px: int) -> None:
    from PySide6 import QtCore, QtGui
    p = QtGui.QPainter(device)
    try:
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        p.fillRect(QtCore.QRectF(0, 0, width_px, height_px), QtGui.QColor("white"))
        src = widget.glw.mapToScene(widget.glw.viewport().rect()).boundingRect()
        widget.glw.scene().render(p, QtCore.QRectF(0, 0, width_px, height_px), src,
                                  QtCore.Qt.AspectRatioMode.IgnoreAspectRatio)
    finally:
        p.end()


def _dispose(widget) -> None:
    # Deleted now, not with deleteLater(): the command line has no event loop to run it, and
    # shown graphics views still alive when the process ends have crashed PySide6 6.12's exit.
    import shiboken6
    widget.hide()
    if shiboken6.isValid(widget):
        shiboken6.delete(widget)


def render_image(project, trial=None, endpoint=None, dpi: int = 300, style: str = "presentation",
                 width_in: float = DEFAULT_WIDTH_IN, height_in: float = DEFAULT_HEIGHT_IN,
                 time_unit: str = "months", show_ci: bool = True, title: bool = True):
    """The figure as a QImage of (width_in × dpi) × (height_in × dpi) pixels.

    title=False leaves out the "trial — endpoint" line (a slide that has its own title)."""
    from PySide6 import QtGui
    if not 30 <= dpi <= 1200:
        raise ValueError(f"dpi must lie between 30 and 1200, not {dpi}")
    w_px, h_px = round(width_in * dpi), round(height_in * dpi)
    widget = build_widget(project, trial, endpoint, dpi / 72.0, style, w_px, h_px, time_unit, show_ci,
                          title)
    try:
        img = QtGui.QImage(w_px, h_px, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        _paint(widget, img, w_px, h_px)
    finally:
        _dispose(widget)
    # Only after painting: pyqtgraph's axes replay QPictures, whose fonts Qt rescales to the
    # device's dots per inch; the layout is already at the target pixel size.
    img.setDotsPerMeterX(round(dpi / 0.0254))
    img.setDotsPerMeterY(round(dpi / 0.0254))
    return img


def render_png(project, trial=None, endpoint=None, dpi: int = 300, style: str = "presentation",
               width_in: float = DEFAULT_WIDTH_IN, height_in: float = DEFAULT_HEIGHT_IN,
               time_unit: str = "months", show_ci: bool = True, title: bool = True) -> bytes:
    """PNG bytes of the figure (title, curves, legend, numbers at risk) at ``dpi``."""
    from PySide6 import QtCore, QtGui
    img = render_image(project, trial, endpoint, dpi, style, width_in, height_in, time_unit, show_ci, title)
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    # Opaque RGB and a faster zlib level: a third of the time of Qt's default, ~8 % larger file.
    img = img.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    if not img.save(buf, "PNG", 75):
        raise RuntimeError("Qt could not encode the PNG")
    return bytes(buf.data())


def render_svg(project, trial=None, endpoint=None, style: str = "presentation",
               width_in: float = DEFAULT_WIDTH_IN, height_in: float = DEFAULT_HEIGHT_IN,
               time_unit: str = "months", show_ci: bool = True, title: bool = True) -> bytes:
    """SVG bytes of the figure: vector paths and text, sized in inches.

    Lines keep their width when the SVG is scaled (Qt writes cosmetic pens as non-scaling strokes);
    text and everything else scale."""
    from PySide6 import QtCore
    from PySide6.QtSvg import QSvgGenerator
    w_px, h_px = round(width_in * SVG_DPI), round(height_in * SVG_DPI)
    widget = build_widget(project, trial, endpoint, SVG_DPI / 72.0, style, w_px, h_px, time_unit, show_ci,
                          title)
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    try:
        gen = QSvgGenerator()
        gen.setOutputDevice(buf)
        gen.setSize(QtCore.QSize(w_px, h_px))
        gen.setViewBox(QtCore.QRect(0, 0, w_px, h_px))
        gen.setResolution(SVG_DPI)
        gen.setTitle(widget.title)              # "trial — endpoint"
        gen.setDescription("Survival curves drawn by EvidenceGUI")
        _paint(widget, gen, w_px, h_px)
    finally:
        _dispose(widget)
    data = bytes(buf.data())
    if b"<svg" not in data[:4000]:
        raise RuntimeError("Qt wrote no SVG")
    return data


def copy_to_clipboard(project, trial=None, endpoint=None, dpi: int = 200, style: str = "presentation",
                      width_in: float = DEFAULT_WIDTH_IN, height_in: float = DEFAULT_HEIGHT_IN,
                      time_unit: str = "months", show_ci: bool = True):
    """Put the figure on the clipboard as an image (paste into slides or a letter); returns it."""
    from PySide6.QtGui import QGuiApplication
    img = render_image(project, trial, endpoint, dpi, style, width_in, height_in, time_unit, show_ci)
    QGuiApplication.clipboard().setImage(img)
    return img
