"""The survival figure as PNG, SVG, PDF or a clipboard image, from the window or the command line.

One renderer for every output: the plot widget is laid out at the figure's own pixel size with
every font and pen scaled to the resolution (ui/style.py works in points), then its scene is
painted with a QPainter: onto a QImage for PNG, QSvgGenerator for SVG, QPdfWriter for PDF.

pyqtgraph's own SVGExporter is not used: in pyqtgraph 0.14.0 it raises ValueError with PySide6 ≥
6.11 (pyqtgraph issue #3495). Qt's SVG is made portable by ``portable_svg``: it draws the curves
under a scaling transform with ``vector-effect="non-scaling-stroke"``, which librsvg and
LibreOffice ignore (a 3 px pen became 800 px wide bars), and names a font that each engine
replaces with its own. The transforms are baked into the coordinates and the text is turned into
outlines of the font the PNG uses, so every engine draws the same picture.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, replace
from typing import Any

DEFAULT_WIDTH_IN = 8.0
DEFAULT_HEIGHT_IN = 5.5
SVG_DPI = 96                      # SVG user units: CSS pixels
PDF_DPI = 300                     # the PDF's coordinate grid (vector output; fonts embedded)
EMBED_DPI = 150                   # figures inside the workbook and the slides


@dataclass(frozen=True)
class FigureView:
    """What the figure shows, as the window shows it: style, axis unit, bands, the HR
    annotation, median lines, percent axis, and the cross-trial overlay (arms as
    (trial, endpoint, arm) objects) instead of one endpoint."""
    style: str = "presentation"
    time_unit: str = "months"
    show_ci: bool = True
    show_hr: bool = True
    show_median: bool = True
    percent: bool = False
    overlay: tuple = field(default=())

    def with_(self, **kw) -> "FigureView":
        return replace(self, **{k: v for k, v in kw.items() if v is not None})


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
                 show_ci: bool = True, title: bool = True, view: FigureView | None = None):
    """A SurvivalPlotWidget laid out at exactly width_px × height_px, never shown on screen.

    ``view`` (when given) overrides style, time_unit and show_ci and may carry an overlay."""
    ensure_app()
    from PySide6 import QtCore, QtWidgets

    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    view = view or FigureView(style=style, time_unit=time_unit, show_ci=show_ci)
    t, e = (None, None) if view.overlay else resolve(project, trial, endpoint)
    w = SurvivalPlotWidget(style=view.style, px_per_pt=px_per_pt, interactive=False, show_title=title)
    w.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    w.glw.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    w.glw.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    w.glw.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    w.set_view(time_unit=view.time_unit, show_ci=view.show_ci, show_hr=view.show_hr,
               show_median=view.show_median, redraw=False)
    w.percent = view.percent
    if view.overlay:
        w.set_arms(list(view.overlay), project=project)
    else:
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


def _view(view: FigureView | None, style, time_unit, show_ci) -> FigureView:
    base = view or FigureView()
    return base.with_(style=style, time_unit=time_unit, show_ci=show_ci)


def render_image(project, trial=None, endpoint=None, dpi: int = 300, style: str | None = None,
                 width_in: float = DEFAULT_WIDTH_IN, height_in: float = DEFAULT_HEIGHT_IN,
                 time_unit: str | None = None, show_ci: bool | None = None, title: bool = True,
                 view: FigureView | None = None):
    """The figure as a QImage of (width_in × dpi) × (height_in × dpi) pixels.

    title=False leaves out the "trial — endpoint" line (a slide that has its own title)."""
    from PySide6 import QtGui
    check_dpi(dpi)
    w_px, h_px = round(width_in * dpi), round(height_in * dpi)
    widget = build_widget(project, trial, endpoint, dpi / 72.0, width_px=w_px, height_px=h_px,
                          title=title, view=_view(view, style, time_unit, show_ci))
    return paint_image(widget, w_px, h_px, dpi)


def check_dpi(dpi) -> None:
    if not 30 <= dpi <= 1200:
        raise ValueError(f"dpi must lie between 30 and 1200, not {dpi}")


def paint_image(widget, w_px: int, h_px: int, dpi: float):
    """An offscreen figure widget (laid out at w_px × h_px) painted into a QImage that says its
    dpi; the widget is disposed of. Shared by the survival figure and the forest plot."""
    from PySide6 import QtGui
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


def render_png(project, trial=None, endpoint=None, dpi: int = 300, style: str | None = None,
               width_in: float = DEFAULT_WIDTH_IN, height_in: float = DEFAULT_HEIGHT_IN,
               time_unit: str | None = None, show_ci: bool | None = None, title: bool = True,
               view: FigureView | None = None) -> bytes:
    """PNG bytes of the figure (title, curves, legend, numbers at risk) at ``dpi``."""
    from PySide6 import QtCore, QtGui
    img = render_image(project, trial, endpoint, dpi, style, width_in, height_in, time_unit, show_ci,
                       title, view)
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    # Opaque RGB and a faster zlib level: a third of the time of Qt's default, ~8 % larger file.
    img = img.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    if not img.save(buf, "PNG", 75):
        raise RuntimeError("Qt could not encode the PNG")
    return bytes(buf.data())


def _render_vector(make_device, project, trial, endpoint, dpi: float, width_in: float,
                   height_in: float, title: bool, view: FigureView) -> bytes:
    """The figure laid out at width_in × height_in inches on a ``dpi`` grid and painted onto the
    device ``make_device(buffer, widget, width_px, height_px)`` returns (SVG or PDF)."""
    from PySide6 import QtCore
    w_px, h_px = round(width_in * dpi), round(height_in * dpi)
    widget = build_widget(project, trial, endpoint, dpi / 72.0, width_px=w_px, height_px=h_px,
                          title=title, view=view)
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    try:
        device = make_device(buf, widget, w_px, h_px)
        _paint(widget, device, w_px, h_px)
    finally:
        _dispose(widget)
    return bytes(buf.data())


def render_svg(project, trial=None, endpoint=None, style: str | None = None,
               width_in: float = DEFAULT_WIDTH_IN, height_in: float = DEFAULT_HEIGHT_IN,
               time_unit: str | None = None, show_ci: bool | None = None, title: bool = True,
               view: FigureView | None = None) -> bytes:
    """SVG bytes of the figure: vector paths only (text as outlines), sized in inches, drawn
    alike by browsers, librsvg, Inkscape and LibreOffice (see ``portable_svg``)."""
    def device(buf, widget, w_px, h_px):
        from PySide6 import QtCore
        from PySide6.QtSvg import QSvgGenerator
        gen = QSvgGenerator()
        gen.setOutputDevice(buf)
        gen.setSize(QtCore.QSize(w_px, h_px))
        gen.setViewBox(QtCore.QRect(0, 0, w_px, h_px))
        gen.setResolution(SVG_DPI)
        gen.setTitle(widget.title)              # "trial — endpoint"
        gen.setDescription("Survival curves drawn by EvidenceGUI")
        return gen
    data = _render_vector(device, project, trial, endpoint, SVG_DPI, width_in, height_in, title,
                          _view(view, style, time_unit, show_ci))
    if b"<svg" not in data[:4000]:
        raise RuntimeError("Qt wrote no SVG")
    return portable_svg(data)


def render_pdf(project, trial=None, endpoint=None, style: str | None = None,
               width_in: float = DEFAULT_WIDTH_IN, height_in: float = DEFAULT_HEIGHT_IN,
               time_unit: str | None = None, show_ci: bool | None = None, title: bool = True,
               view: FigureView | None = None, dpi: int = PDF_DPI) -> bytes:
    """PDF bytes of the figure: one page of width_in × height_in inches, vector paths and
    embedded (subset) fonts. ``dpi`` is the layout grid, as for the PNG."""
    def device(buf, widget, w_px, h_px):
        from PySide6 import QtCore, QtGui
        writer = QtGui.QPdfWriter(buf)
        writer.setPageSize(QtGui.QPageSize(QtCore.QSizeF(width_in, height_in), QtGui.QPageSize.Unit.Inch,
                                           "figure", QtGui.QPageSize.SizeMatchPolicy.ExactMatch))
        writer.setPageMargins(QtCore.QMarginsF(0, 0, 0, 0))
        writer.setResolution(dpi)
        writer.setTitle(widget.title)
        writer.setCreator("EvidenceGUI")
        return writer
    data = _render_vector(device, project, trial, endpoint, dpi, width_in, height_in, title,
                          _view(view, style, time_unit, show_ci))
    if not data.startswith(b"%PDF"):
        raise RuntimeError("Qt wrote no PDF")
    return data


def render_endpoints(project, dpi: int = EMBED_DPI, view: FigureView | None = None,
                     slides: bool = False, include=None) -> dict[tuple[str, str], bytes]:
    """PNG of every trial/endpoint that has arms, in ``view`` (the style and options chosen in the
    window), for the workbook and the slides. ``slides``: no title line, at the slide's figure
    size (io/pptx_writer). ``include``: (trial, endpoint) names to draw (None: all)."""
    kw: dict = {}
    if slides:
        from evidencegui.io.pptx_writer import FIGURE_SCALE, FIGURE_SIZE_IN
        kw = {"width_in": FIGURE_SIZE_IN[0], "height_in": FIGURE_SIZE_IN[1], "title": False}
        dpi = round(dpi * FIGURE_SCALE)
    keep = None if include is None else {tuple(k) for k in include}
    view = replace(view or FigureView(), overlay=())    # each endpoint's own arms
    out = {}
    for t in project.trials:
        for e in t.endpoints:
            if e.arms and (keep is None or (t.name, e.name) in keep):
                out[(t.name, e.name)] = render_png(project, t, e, dpi=dpi, view=view, **kw)
    return out


# ---------------------------------------------------------------------------- portable SVG
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def _matrix(text: str | None):
    if not text:
        return None
    m = re.fullmatch(r"\s*matrix\(([^)]*)\)\s*", text)
    if not m:
        return None
    v = [float(x) for x in re.findall(_NUM, m.group(1))]
    return tuple(v) if len(v) == 6 else None


def _apply(m, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _fmt(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") if abs(v) < 1e7 else f"{v:.6g}"


def _bake_points(points: str, m) -> str:
    nums = [float(x) for x in re.findall(_NUM, points)]
    out = []
    for i in range(0, len(nums) - 1, 2):
        x, y = _apply(m, nums[i], nums[i + 1])
        out.append(f"{_fmt(x)},{_fmt(y)}")
    return " ".join(out)


def _bake_path(d: str, m) -> str | None:
    """An absolute M/L/C/Z path mapped through m; None for any other command (left as it is)."""
    tokens = re.findall(rf"[A-Za-z]|{_NUM}", d)
    out, nums, cmd = [], [], None

    def flush():
        if cmd is None:
            return
        pts = [_apply(m, nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
        out.append(cmd + " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pts))
    for t in tokens:
        if t.isalpha():
            if t not in "MLCZz":
                return None
            flush()
            cmd, nums = t, []
            if t in "Zz":
                out.append("Z")
                cmd = None
        else:
            nums.append(float(t))
    flush()
    return " ".join(out)


def _qpath_d(path) -> str:
    """SVG path data of a QPainterPath (move, line, cubic)."""
    from PySide6.QtGui import QPainterPath
    out, i, n = [], 0, path.elementCount()
    ET_ = QPainterPath.ElementType
    while i < n:
        e = path.elementAt(i)
        if e.type == ET_.MoveToElement:
            out.append(f"M{_fmt(e.x)},{_fmt(e.y)}")
            i += 1
        elif e.type == ET_.LineToElement:
            out.append(f"L{_fmt(e.x)},{_fmt(e.y)}")
            i += 1
        else:                                   # CurveTo + two CurveToData
            c2, c3 = path.elementAt(i + 1), path.elementAt(i + 2)
            out.append(f"C{_fmt(e.x)},{_fmt(e.y)} {_fmt(c2.x)},{_fmt(c2.y)} {_fmt(c3.x)},{_fmt(c3.y)}")
            i += 3
    return "".join(out)


def _text_path(el, inherited: dict, m) -> str:
    """The outline of a <text> element in the font Qt drew it with, mapped through m."""
    from PySide6 import QtCore, QtGui

    def attr(k, default=""):
        return el.get(k) or inherited.get(k) or default
    family = attr("font-family", "DejaVu Sans").split(",")[0].strip().strip("'\"")
    size = float(re.findall(_NUM, attr("font-size", "12"))[0])
    font = QtGui.QFont(family)
    font.setPixelSize(100)                  # outlines at 100 px, scaled to the size: no rounding
    weight = attr("font-weight", "400")
    font.setWeight(QtGui.QFont.Weight(int(weight)) if weight.isdigit() else
                   (QtGui.QFont.Weight.Bold if weight == "bold" else QtGui.QFont.Weight.Normal))
    font.setItalic(attr("font-style") == "italic")
    x = float(el.get("x", "0") or 0)
    y = float(el.get("y", "0") or 0)
    text = "".join(el.itertext())
    path = QtGui.QPainterPath()
    path.addText(QtCore.QPointF(0, 0), font, text)
    k = size / 100.0
    t = QtGui.QTransform(k, 0, 0, k, x, y)
    if m is not None:
        t = t * QtGui.QTransform(*m)
    return _qpath_d(t.map(path))


def portable_svg(data: bytes) -> bytes:
    """Qt's SVG rewritten so that librsvg, Inkscape, LibreOffice and browsers draw the same:
    group transforms baked into path and polyline coordinates (non-scaling strokes then need no
    engine support), rectangles as paths, text as outlines of the font Qt used."""
    import xml.etree.ElementTree as ET
    ensure_app()                            # QFont needs the application's font database
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(data)
    q = "{%s}" % SVG_NS
    font_keys = ("font-family", "font-size", "font-weight", "font-style")
    for g in list(root.iter(q + "g")):
        m = _matrix(g.get("transform"))
        inherited = {k: g.get(k) for k in font_keys if g.get(k)}
        keep = []
        for child in list(g):
            tag = child.tag.replace(q, "")
            if tag == "text":
                fill = child.get("fill") or g.get("fill") or "#000000"
                opacity = child.get("fill-opacity") or g.get("fill-opacity")
                # the words stay readable by programs and screen readers, not only as outlines
                new = ET.Element(q + "path", {"d": _text_path(child, inherited, m), "fill": fill,
                                              "stroke": "none",
                                              "aria-label": "".join(child.itertext()).replace("\u200b", "").strip()})
                if opacity:
                    new.set("fill-opacity", opacity)
                g.insert(list(g).index(child), new)
                g.remove(child)
            elif m is None:
                continue
            elif tag == "polyline" or tag == "polygon":
                child.set("points", _bake_points(child.get("points", ""), m))
            elif tag == "path":
                d = _bake_path(child.get("d", ""), m)
                if d is None:
                    keep.append(child)
                else:
                    child.set("d", d)
            elif tag == "rect":
                x, y = float(child.get("x", 0)), float(child.get("y", 0))
                w, h = float(child.get("width", 0)), float(child.get("height", 0))
                pts = [_apply(m, px, py) for px, py in ((x, y), (x + w, y), (x + w, y + h), (x, y + h))]
                child.tag = q + "path"
                for a in ("x", "y", "width", "height"):
                    child.attrib.pop(a, None)
                child.set("d", "M" + " L".join(f"{_fmt(a)},{_fmt(b)}" for a, b in pts) + " Z")
            else:
                keep.append(child)
        if m is not None:
            g.attrib.pop("transform", None)
            if keep:                        # images and the like keep their transform
                inner = ET.SubElement(g, q + "g", {"transform": f"matrix({','.join(_fmt(v) for v in m)})"})
                for child in keep:
                    g.remove(child)
                    inner.append(child)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + ET.tostring(root, encoding="utf-8")


def copy_to_clipboard(project, trial=None, endpoint=None, dpi: int = 200, style: str | None = None,
                      width_in: float = DEFAULT_WIDTH_IN, height_in: float = DEFAULT_HEIGHT_IN,
                      time_unit: str | None = None, show_ci: bool | None = None,
                      view: FigureView | None = None):
    """Put the figure on the clipboard as an image and as SVG ("image/svg+xml", which Inkscape,
    LibreOffice and recent Office versions paste as vectors); returns the image."""
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QGuiApplication
    img = render_image(project, trial, endpoint, dpi, style, width_in, height_in, time_unit, show_ci,
                       view=view)
    mime = QMimeData()
    mime.setImageData(img)
    try:
        mime.setData("image/svg+xml", render_svg(project, trial, endpoint, style, width_in, height_in,
                                                 time_unit, show_ci, view=view))
    except Exception:       # noqa: BLE001 — the image alone still pastes
        pass
    QGuiApplication.clipboard().setMimeData(mime)
    return img
