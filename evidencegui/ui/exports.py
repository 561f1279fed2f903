"""Exports from the window: File → Export… (Ctrl+Shift+E, a dialog for everything at once), the
File → Export submenu (one file each), Edit → Copy figure and the plot's context menu. Every
export draws what the window shows: the chosen style, time unit, bands, HR annotation, median
lines and the cross-trial overlay (``view_of``). ``install(window)`` adds the actions."""
from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from evidencegui.ui.dialogs.error import show_error

ENTRIES = [  # text, module, function, file filter, suffix
    ("Comparison workbook (Excel)…", "evidencegui.io.xlsx_writer", "write_workbook", "Excel (*.xlsx)", ".xlsx"),
    ("Slides (PowerPoint)…", "evidencegui.io.pptx_writer", "write_slides", "PowerPoint (*.pptx)", ".pptx"),
    ("Figure as PNG…", "evidencegui.ui.figure", "render_png", "PNG image (*.png)", ".png"),
    ("Figure as SVG…", "evidencegui.ui.figure", "render_svg", "SVG image (*.svg)", ".svg"),
    ("Figure as PDF…", "evidencegui.ui.figure", "render_pdf", "PDF (*.pdf)", ".pdf"),
]
DEFAULT_DPI = 300


def _available(module: str, name: str) -> tuple[bool, str]:
    if importlib.util.find_spec(module) is None:
        return False, f"not available in this build ({module} is missing)"
    return True, ""


def view_of(window, style: str | None = None):
    """What the window shows, as a FigureView: style (or ``style``), time unit, bands, HR
    annotation, median lines, percent axis, and the overlay's arms when one is shown."""
    from evidencegui.ui.figure import FigureView
    s = window.settings
    overlay = ()
    if getattr(window, "overlay", None) is not None and hasattr(window, "_overlay_arms"):
        overlay = tuple(window._overlay_arms())
    percent = bool(getattr(window, "act_percent", None) and window.act_percent.isChecked())
    return FigureView(style=style or s.style, time_unit=s.time_unit, show_ci=s.show_ci,
                      show_hr=s.show_hr, show_median=s.show_median, percent=percent, overlay=overlay)


def current_endpoint(window):
    """(trial, endpoint) selected in the window; ValueError when there is none."""
    if window.t_index is None or window.e_index is None:
        raise ValueError("select an endpoint first")
    trial = window.project.trials[window.t_index]
    return trial, trial.endpoints[window.e_index]


def _shown(window):
    """(trial, endpoint) of the figure shown, or (None, None) for the overlay."""
    view = view_of(window)
    return ((None, None) if view.overlay else current_endpoint(window)), view


def ask_dpi(window) -> int | None:
    """The PNG resolution, asked once per export (None: cancelled)."""
    dpi, ok = QInputDialog.getInt(window, "Figure resolution", "Dots per inch:", DEFAULT_DPI, 72, 1200, 50)
    return dpi if ok else None


def figure_bytes(window, suffix: str, dpi: int = DEFAULT_DPI, view=None) -> bytes:
    from evidencegui.ui import figure
    (trial, ep), shown = _shown(window)
    view = view or shown
    if suffix == ".svg":
        return figure.render_svg(window.project, trial, ep, view=view)
    if suffix == ".pdf":
        return figure.render_pdf(window.project, trial, ep, view=view)
    return figure.render_png(window.project, trial, ep, dpi=dpi, view=view)


def _figures(window, view=None, slides: bool = False, include=None) -> dict:
    try:
        from evidencegui.ui.figure import render_endpoints
    except ImportError:
        return {}
    try:
        out = render_endpoints(window.project, view=view or view_of(window), slides=slides, include=include)
    except Exception as exc:    # the file still goes out, without figures
        window.statusBar().showMessage(f"No figures: {exc}", 8000)
        out = {}
    from evidencegui.ui.across_exports import window_figures
    from evidencegui.ui.figure import EMBED_DPI
    out.update(window_figures(window, EMBED_DPI))      # forest plots and the overlay shown
    return out


def export(window, module: str, name: str, filt: str, suffix: str) -> bool:
    """One file from the File → Export submenu."""
    path, _ = QFileDialog.getSaveFileName(window, "Export", window.settings.last_dir("export"), filt)
    if not path:
        return False
    if not path.endswith(suffix):
        path += suffix
    try:
        if module.endswith("figure"):
            dpi = DEFAULT_DPI
            if suffix == ".png":
                dpi = ask_dpi(window)
                if dpi is None:
                    return False
            from evidencegui.io.atomic import atomic_write_bytes
            atomic_write_bytes(path, figure_bytes(window, suffix, dpi))
        else:
            fn = getattr(importlib.import_module(module), name)
            fn(window.project, path, _figures(window, slides=suffix == ".pptx"))
    except Exception as e:
        return export_failed(window, path, e)
    return exported(window, path)


def export_failed(window, path, e: Exception) -> bool:
    """An export that raised: said in a dialog naming the file; False."""
    show_error(window, "Export failed", f"{path}: {type(e).__name__}: {e}")
    return False


def exported(window, path) -> bool:
    """An export written: its folder remembered and the status bar says where; True."""
    window.settings.set_last_dir("export", path)
    window.statusBar().showMessage(f"Exported {path}", 6000)
    return True


# ---------------------------------------------------------------------------- File → Export…
def run_export(window, choices: dict) -> list[Path]:
    """Write what the dialog chose; returns the files written."""
    from evidencegui.io.atomic import atomic_write_bytes
    folder = Path(choices.get("folder") or window.settings.last_dir("export"))
    if not folder.is_dir():
        raise ValueError(f"the folder {str(folder)!r} does not exist")
    stem = choices.get("name") or "comparison"
    view = view_of(window, choices.get("style"))
    include = [tuple(x) for x in choices.get("endpoints") or []]
    written: list[Path] = []
    if choices.get("slides"):
        from evidencegui.io.pptx_writer import write_slides
        path = folder / f"{stem}.pptx"
        write_slides(window.project, path, _figures(window, view, slides=True, include=include),
                     include=include)
        written.append(path)
    if choices.get("workbook"):
        from evidencegui.io.xlsx_writer import write_workbook
        path = folder / f"{stem}.xlsx"
        write_workbook(window.project, path, _figures(window, view))
        written.append(path)
    for key in ("png", "svg", "pdf"):
        if choices.get(key):
            path = folder / f"{stem}.{key}"
            atomic_write_bytes(path, figure_bytes(window, f".{key}", int(choices.get("dpi") or DEFAULT_DPI), view))
            written.append(path)
    return written


def export_dialog(window) -> list[Path]:
    """File → Export…: the dialog, then the files; the choices are remembered."""
    from evidencegui.ui.dialogs.export import ExportDialog
    choices = dict(window.settings.export_choices())
    choices.setdefault("style", window.settings.style)
    choices.setdefault("folder", window.settings.last_dir("export"))
    title = "cross-trial overlay" if view_of(window).overlay else ""
    if not title and window.t_index is not None and window.e_index is not None:
        t = window.project.trials[window.t_index]
        title = f"{t.name} — {t.endpoints[window.e_index].name}"
    dialog = ExportDialog(window.project, choices, title, window)
    window.last_export_dialog = dialog
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return []
    chosen = dialog.choices()
    window.settings.set_export_choices(chosen)
    try:
        written = run_export(window, chosen)
    except Exception as e:
        show_error(window, "Export failed", f"{type(e).__name__}: {e}")
        return []
    if written:
        window.settings.set_last_dir("export", written[0])
    note = dialog.skipped_label.text() if chosen.get("slides") else ""
    window.statusBar().showMessage(
        f"Exported {', '.join(p.name for p in written) or 'nothing'} to {written[0].parent if written else ''}"
        + (f". {note}" if note and not note.startswith("Every") else ""), 10000)
    return written


def copy_figure(window) -> bool:
    """Edit → Copy figure: the figure shown, on the clipboard as an image and as SVG."""
    view = view_of(window)
    if not view.overlay and (window.t_index is None or window.e_index is None):
        # nothing is drawn: say so where the user looks, not in an error dialog
        window.statusBar().showMessage("Nothing to copy: choose an endpoint (or an overlay) first", 6000)
        return False
    try:
        from evidencegui.ui.figure import copy_to_clipboard
        (trial, ep), view = _shown(window)
        copy_to_clipboard(window.project, trial, ep, view=view)
    except Exception as e:
        show_error(window, "Copy failed", f"{type(e).__name__}: {e}")
        return False
    window.statusBar().showMessage("Figure copied to the clipboard (image and SVG)", 4000)
    return True


def add_export_menu(window, menu) -> None:
    window.export_actions = {}
    for text, module, name, filt, suffix in ENTRIES:
        a = QAction(text, window)
        ok, why = _available(module, name)
        a.setEnabled(ok)
        a.setToolTip(why or text)
        a.setStatusTip(why or text)
        a.triggered.connect(lambda _=False, m=module, n=name, f=filt, s=suffix: export(window, m, n, f, s))
        menu.addAction(a)
        window.export_actions[suffix] = a
    menu.addSeparator()
    copy = QAction("Copy figure to clipboard", window)
    copy.setShortcut(QKeySequence("Ctrl+Shift+C"))
    ok, why = _available("evidencegui.ui.figure", "copy_to_clipboard")
    copy.setEnabled(ok)
    copy.setStatusTip(why or "The figure shown, as an image and as SVG, to paste into slides or a letter")
    copy.triggered.connect(lambda _=False: copy_figure(window))
    menu.addAction(copy)
    window.export_actions["clipboard"] = copy
    menu.setToolTipsVisible(True)


# ---------------------------------------------------------------------------- install
def _menu(window, title: str):
    for a in window.menuBar().actions():
        if a.menu() is not None and a.text().replace("&", "") == title:
            return a.menu()
    return None


def _view_toggle(window, text: str, attr: str, tip: str) -> QAction:
    a = QAction(text, window)
    a.setCheckable(True)
    a.setChecked(getattr(window.settings, attr))
    a.setStatusTip(tip)

    def changed(_checked=False):
        setattr(window.settings, attr, a.isChecked())
        w = getattr(window.plot, "widget", None)
        if w is not None:
            w.set_view(**{attr: a.isChecked()})
    a.triggered.connect(changed)
    return a


def install(window) -> None:
    """File → Export… (Ctrl+Shift+E), Edit → Copy figure, View → HR annotation / Median lines,
    and the plot's context menu (copy, export)."""
    act = QAction("&Export…", window)
    act.setShortcut(QKeySequence("Ctrl+Shift+E"))
    act.setStatusTip("Slides, workbook and figures in one go, in the style chosen")
    act.triggered.connect(lambda _=False: export_dialog(window))
    window.act_export = act
    file_menu = _menu(window, "File")
    if file_menu is not None:
        sub = next((a for a in file_menu.actions() if a.menu() is not None
                    and a.text().replace("&", "") == "Export"), None)
        file_menu.insertAction(sub, act) if sub is not None else file_menu.addAction(act)
    copy = window.export_actions.get("clipboard") if hasattr(window, "export_actions") else None
    if copy is None:
        copy = QAction("Copy figure", window)
        copy.triggered.connect(lambda _=False: copy_figure(window))
    window.act_copy_figure = copy
    edit = _menu(window, "Edit")
    if edit is not None:
        edit.addSeparator()
        edit.addAction(copy)
    view = _menu(window, "View")
    window.act_show_hr = _view_toggle(window, "HR and p on the plot", "show_hr",
                                      "The hazard ratio (95% CI) and p-value in the figure's legend")
    window.act_show_median = _view_toggle(window, "Median lines", "show_median",
                                          "Dotted lines from 50% down to each median")
    if view is not None:
        view.addAction(window.act_show_hr)
        view.addAction(window.act_show_median)
    w = getattr(window.plot, "widget", None)
    if w is not None:
        w.set_view(show_hr=window.settings.show_hr, show_median=window.settings.show_median, redraw=False)
        w.glw.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        w.glw.addAction(copy)
        w.glw.addAction(act)
