"""Export menu: the workbook, slides and figures, through the writers in io/ and ui/figure.py."""
from __future__ import annotations

import importlib
import importlib.util

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog

from evidencegui.cli.export import EMBED_DPI  # figures inside the workbook and the slides
from evidencegui.ui.dialogs.error import show_error

ENTRIES = [  # text, module, function, file filter, suffix
    ("Comparison workbook (Excel)…", "evidencegui.io.xlsx_writer", "write_workbook", "Excel (*.xlsx)", ".xlsx"),
    ("Slides (PowerPoint)…", "evidencegui.io.pptx_writer", "write_slides", "PowerPoint (*.pptx)", ".pptx"),
    ("Figure as PNG…", "evidencegui.ui.figure", "render_png", "PNG image (*.png)", ".png"),
    ("Figure as SVG…", "evidencegui.ui.figure", "render_svg", "SVG image (*.svg)", ".svg"),
]
DEFAULT_DPI = 300


def _available(module: str, name: str) -> tuple[bool, str]:
    if importlib.util.find_spec(module) is None:
        return False, f"not available in this build ({module} is missing)"
    return True, ""


def _view(window) -> dict:
    """The window's view settings, so the exported figure looks like the plot on screen."""
    return {"time_unit": window.settings.time_unit, "show_ci": window.settings.show_ci}


def _figures(window) -> dict:
    try:
        from evidencegui.ui.figure import render_png
    except ImportError:
        return {}
    out = {}
    for t in window.project.trials:
        for e in t.endpoints:
            if not e.arms:
                continue
            try:
                out[(t.name, e.name)] = render_png(window.project, t, e, dpi=EMBED_DPI, **_view(window))
            except Exception as exc:    # the workbook still goes out, without this figure
                window.statusBar().showMessage(f"No figure for {t.name} {e.name}: {exc}", 8000)
    from evidencegui.ui.across_exports import window_figures
    out.update(window_figures(window, EMBED_DPI))      # forest plots and the overlay shown
    return out


def current_endpoint(window):
    """(trial, endpoint) selected in the window; ValueError when there is none."""
    if window.t_index is None or window.e_index is None:
        raise ValueError("select an endpoint first")
    trial = window.project.trials[window.t_index]
    return trial, trial.endpoints[window.e_index]


def ask_dpi(window) -> int | None:
    """The PNG resolution, asked once per export (None: cancelled)."""
    dpi, ok = QInputDialog.getInt(window, "Figure resolution", "Dots per inch:", DEFAULT_DPI, 72, 1200, 50)
    return dpi if ok else None


def figure_bytes(window, suffix: str, dpi: int = DEFAULT_DPI) -> bytes:
    from evidencegui.ui import figure
    trial, ep = current_endpoint(window)
    if suffix == ".svg":
        return figure.render_svg(window.project, trial, ep, **_view(window))
    return figure.render_png(window.project, trial, ep, dpi=dpi, **_view(window))


def export(window, module: str, name: str, filt: str, suffix: str) -> bool:
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
            data = figure_bytes(window, suffix, dpi)
            from evidencegui.io.atomic import atomic_write_bytes
            atomic_write_bytes(path, data)
        else:
            fn = getattr(importlib.import_module(module), name)
            fn(window.project, path, _figures(window))
    except Exception as e:
        show_error(window, "Export failed", f"{path}: {type(e).__name__}: {e}")
        return False
    window.settings.set_last_dir("export", path)
    window.statusBar().showMessage(f"Exported {path}", 6000)
    return True


def copy_figure(window) -> bool:
    """Edit → Copy figure: the current endpoint's figure on the clipboard as an image."""
    try:
        from evidencegui.ui.figure import copy_to_clipboard
        trial, ep = current_endpoint(window)
        copy_to_clipboard(window.project, trial, ep, **_view(window))
    except Exception as e:
        show_error(window, "Copy failed", f"{type(e).__name__}: {e}")
        return False
    window.statusBar().showMessage("Figure copied to the clipboard", 4000)
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
    copy.setStatusTip(why or "The current endpoint's figure as an image, to paste into slides or a letter")
    copy.triggered.connect(lambda _=False: copy_figure(window))
    menu.addAction(copy)
    window.export_actions["clipboard"] = copy
    menu.setToolTipsVisible(True)
