"""Exports of the across-trials work: the forest plot (PNG, SVG, clipboard), the cross-trial
overlay as a figure with its caveat, and the figures handed to the workbook and slide writers
(keys of io/across_table.py)."""
from __future__ import annotations

from PySide6.QtGui import QAction

from evidencegui.io.across_table import FOREST_KEY, OVERLAY_CAVEAT, OVERLAY_KEY

EMBED_DPI = 150


def pooled(project, endpoint: str, trials=None, method: str = "REML"):
    """The PoolResult of an endpoint's trials (None when none has an HR and 95% CI)."""
    from evidencegui.core.across import forest_studies
    from evidencegui.core.pooling import pool
    studies, _ = forest_studies(project, endpoint, trials)
    return pool(studies, method) if studies else None


def forest_figures(project, dpi: int = EMBED_DPI, trials=None, method: str = "REML",
                   width_in: float = 9.0) -> dict:
    """{(FOREST_KEY, endpoint): PNG} for every endpoint with at least two trials to pool."""
    from evidencegui.core.across import endpoint_names, forest_studies
    from evidencegui.core.pooling import pool
    from evidencegui.ui.views.forest_plot import render_png
    out = {}
    for ep in endpoint_names(project):
        studies, _ = forest_studies(project, ep, trials)
        if len(studies) >= 2:
            out[(FOREST_KEY, ep)] = render_png(pool(studies, method), dpi=dpi, title=ep, width_in=width_in)
    return out


def overlay_image(project, arms, dpi: int = 300, style: str = "presentation",
                  width_in: float = 8.0, height_in: float = 5.5, time_unit: str = "months",
                  show_ci: bool = True):
    """The cross-trial overlay (a list of (trial, endpoint, arm)) as a QImage, with the caveat
    written under the plot."""
    from PySide6 import QtCore, QtGui, QtWidgets

    from evidencegui.ui.figure import _dispose, _paint, ensure_app
    from evidencegui.ui.survival_plot import SurvivalPlotWidget
    ensure_app()
    w_px, h_px = round(width_in * dpi), round(height_in * dpi)
    widget = SurvivalPlotWidget(style=style, px_per_pt=dpi / 72.0, interactive=False, show_title=True)
    widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.glw.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    widget.set_view(time_unit=time_unit, show_ci=show_ci, redraw=False)
    widget.set_arms(list(arms), project=project)
    caveat_h = round(widget.style.px(widget.style.legend_pt) * 2.6)
    widget.setFixedSize(w_px, h_px - caveat_h)
    widget.show()
    widget.glw.ci.layout.activate()
    widget._range_changed()
    img = QtGui.QImage(w_px, h_px, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QtGui.QColor("white"))
    try:
        _paint(widget, img, w_px, h_px - caveat_h)
    finally:
        _dispose(widget)
    p = QtGui.QPainter(img)
    try:
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        font = QtGui.QFont()
        font.setPixelSize(max(6, round(dpi / 72.0 * 11)))       # 11 pt at this resolution
        font.setItalic(True)
        p.setFont(font)
        p.setPen(QtGui.QColor("#8a4b00"))
        p.drawText(QtCore.QRectF(dpi * 0.1, h_px - caveat_h, w_px - dpi * 0.2, caveat_h),
                   int(QtCore.Qt.AlignmentFlag.AlignCenter | QtCore.Qt.TextFlag.TextWordWrap), OVERLAY_CAVEAT)
    finally:
        p.end()
    img.setDotsPerMeterX(round(dpi / 0.0254))
    img.setDotsPerMeterY(round(dpi / 0.0254))
    return img


def overlay_figures(window, dpi: int = EMBED_DPI) -> dict:
    """{(OVERLAY_KEY, title): PNG} of the overlay shown in the window (empty when none)."""
    from evidencegui.ui.views.forest_plot import image_png
    arms = window._overlay_arms() if getattr(window, "overlay", None) else []
    if not arms:
        return {}
    title = "; ".join(f"{t.name} {e.name}: {a.label}" for t, e, a in arms)
    img = overlay_image(window.project, arms, dpi, time_unit=window.settings.time_unit,
                        show_ci=window.settings.show_ci)
    return {(OVERLAY_KEY, title): image_png(img)}


def window_figures(window, dpi: int = EMBED_DPI) -> dict:
    """What the window adds to the workbook and slides: the forest plot of every endpoint shared
    by two or more trials (all the project's trials, REML, as the "Forest" sheet and the slides
    compute them), and the overlay, if one is shown. The across-trials view's own choice of
    trials applies to the view and to File → Export → Forest plot."""
    out = {}
    try:
        out.update(forest_figures(window.project, dpi))
        out.update(overlay_figures(window, dpi))
    except Exception as e:     # the workbook and slides still go out, without these figures
        window.statusBar().showMessage(f"No across-trials figure: {type(e).__name__}: {e}", 8000)
    return out


# ---------------------------------------------------------------------------- menu actions

def _save(window, title: str, filt: str, suffix: str, path, make_bytes) -> bool:
    """Ask for a path (unless given), write ``make_bytes()`` there atomically; errors in a dialog."""
    from PySide6.QtWidgets import QFileDialog

    from evidencegui.io.safe_text import atomic_write_bytes
    from evidencegui.ui.exports import export_failed, exported
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, title, window.settings.last_dir("export"), filt)
        if not path:
            return False
    path = str(path) if str(path).endswith(suffix) else str(path) + suffix
    try:
        atomic_write_bytes(path, make_bytes())
    except Exception as e:
        return export_failed(window, path, e)
    return exported(window, path)


def export_forest(window, suffix: str, path: str | None = None) -> bool:
    """File → Export → Forest plot as PNG/SVG: the forest plot of the across-trials view."""
    from evidencegui.ui.dialogs.error import show_error
    from evidencegui.ui.views import forest_plot as fp
    from evidencegui.ui.across_view import view_of
    view = view_of(window)
    if view._dirty or not view.endpoint:
        view.refresh()
    if view.result is None:
        show_error(window, "Nothing to export", "The across-trials view has no forest plot: choose an "
                   "endpoint with trials that report a hazard ratio and its 95% CI (View → Across trials).")
        return False
    if suffix == ".svg":
        return _save(window, "Export forest plot", "SVG image (*.svg)", suffix, path,
                     lambda: fp.render_svg(view.result, title=view.endpoint))
    return _save(window, "Export forest plot", "PNG image (*.png)", suffix, path,
                 lambda: fp.render_png(view.result, dpi=300, title=view.endpoint))


def export_overlay(window, path: str | None = None) -> bool:
    """File → Export → Overlay as PNG: the overlay shown (View → Overlay), caveat included."""
    from evidencegui.ui.views.forest_plot import image_png
    arms = window._overlay_arms() if getattr(window, "overlay", None) else []
    if not arms:                     # the menu item is disabled then; a script may still call it
        window.statusBar().showMessage("No overlay is shown: choose arms with View → Overlay arms "
                                       "from several trials first.", 8000)
        return False
    return _save(window, "Export overlay", "PNG image (*.png)", ".png", path,
                 lambda: image_png(overlay_image(window.project, arms, 300,
                                                 time_unit=window.settings.time_unit,
                                                 show_ci=window.settings.show_ci)))


def copy_forest(window) -> bool:
    from PySide6.QtGui import QGuiApplication

    from evidencegui.ui.views import forest_plot as fp
    from evidencegui.ui.across_view import view_of
    view = view_of(window)
    if view._dirty:
        view.refresh()
    if view.result is None:
        window.statusBar().showMessage("No forest plot to copy (View → Across trials).", 6000)
        return False
    QGuiApplication.clipboard().setImage(fp.render_image(view.result, dpi=200, title=view.endpoint))
    window.statusBar().showMessage("Forest plot copied to the clipboard", 4000)
    return True


def install(window, export_menu) -> None:
    """File → Export gains the forest plot (PNG, SVG, clipboard) and the overlay figure."""
    if export_menu is None:
        return
    export_menu.addSeparator()
    acts = {}
    for key, text, slot in (
            ("forest_png", "Forest plot as PNG…", lambda: export_forest(window, ".png")),
            ("forest_svg", "Forest plot as SVG…", lambda: export_forest(window, ".svg")),
            ("forest_copy", "Copy forest plot to clipboard", lambda: copy_forest(window)),
            ("overlay_png", "Overlay (cross-trial look) as PNG…", lambda: export_overlay(window))):
        a = QAction(text, window)
        a.triggered.connect(lambda _checked=False, s=slot: s())
        export_menu.addAction(a)
        acts[key] = a
    window.across_export_actions = acts

    def overlay_shown():             # the overlay item only while an overlay is on the plot
        on = bool(getattr(window, "overlay", None))
        acts["overlay_png"].setEnabled(on)
        acts["overlay_png"].setStatusTip("The overlay on the plot, with its caveat" if on else
                                         "Choose arms with View → Overlay arms from several trials first")
    export_menu.aboutToShow.connect(overlay_shown)
    overlay_shown()
