"""Export menu: the workbook, slides and figures, through the writers in io/ and ui/figure.py."""
from __future__ import annotations

import importlib
import importlib.util

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from evidencegui.ui.dialogs.error import show_error

ENTRIES = [  # text, module, function, file filter, suffix
    ("Comparison workbook (Excel)…", "evidencegui.io.xlsx_writer", "write_workbook", "Excel (*.xlsx)", ".xlsx"),
    ("Slides (PowerPoint)…", "evidencegui.io.pptx_writer", "write_slides", "PowerPoint (*.pptx)", ".pptx"),
    ("Figure as PNG…", "evidencegui.ui.figure", "render_png", "PNG image (*.png)", ".png"),
    ("Figure as SVG…", "evidencegui.ui.figure", "render_svg", "SVG image (*.svg)", ".svg"),
]


def _available(module: str, name: str) -> tuple[bool, str]:
    if importlib.util.find_spec(module) is None:
        return False, f"not available in this build ({module} is missing)"
    return True, ""


def _figures(window) -> dict:
    try:
        from evidencegui.ui.figure import render_png
    except ImportError:
        return {}
    out = {}
    for t in window.project.trials:
        for e in t.endpoints:
            try:
                out[(t.name, e.name)] = render_png(window.project, t, e)
            except Exception:
                pass
    return out


def export(window, module: str, name: str, filt: str, suffix: str) -> bool:
    path, _ = QFileDialog.getSaveFileName(window, "Export", window.settings.last_dir("export"), filt)
    if not path:
        return False
    if not path.endswith(suffix):
        path += suffix
    try:
        fn = getattr(importlib.import_module(module), name)
        if module.endswith("figure"):
            if window.t_index is None or window.e_index is None:
                raise ValueError("select an endpoint first")
            trial = window.project.trials[window.t_index]
            data = fn(window.project, trial, trial.endpoints[window.e_index])
            from evidencegui.io.atomic import atomic_write_bytes
            atomic_write_bytes(path, data)
        else:
            fn(window.project, path, _figures(window))
    except Exception as e:
        show_error(window, "Export failed", f"{path}: {type(e).__name__}: {e}")
        return False
    window.settings.set_last_dir("export", path)
    window.statusBar().showMessage(f"Exported {path}", 6000)
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
    menu.setToolTipsVisible(True)
