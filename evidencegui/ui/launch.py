"""Start the window: QApplication, settings, the project to show (file, last project, recovery or
the CLEOPATRA example), the exception hook; ``--smoke-test`` draws once and exits on its own."""
from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

EXAMPLE = ("examples", "cleopatra.evidence.json")


def _example_path() -> Path:
    from evidencegui.resources import resource
    return resource(*EXAMPLE)


def _select_os(window) -> None:
    for ti, t in enumerate(window.project.trials):
        for ei, e in enumerate(t.endpoints):
            if e.name.upper() == "OS":
                if (window.t_index, window.e_index) != (ti, ei):   # shown already: no second redraw
                    window.show_endpoint(ti, ei)
                window.tree.set_project(window.project, ti, ei)
                return


def open_initial(window, path=None) -> None:
    """FILE if given; else the last project; else (first run, or it is gone) the example."""
    if path:
        window.show()               # a file named by the user: any problem with it shows over the window
        window.open_path(path)
        return
    if window.offer_recovery():
        return
    last = window.settings.last_project
    if last and Path(last).is_file() and window.open_path(last):
        return
    if window.open_path(_example_path()):
        window.path = None          # the example is a template: saving asks where
        window._update_title()
        _select_os(window)
    window.settings.mark_first_run_done()


def show_window(window) -> None:
    """Show the window with the keyboard in the project tree (F6 and Ctrl+Tab move on to the plot,
    the arms table and the comparison), not on whichever button Qt picks first."""
    window.show()
    window.tree.setFocus()


def _app():
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("EvidenceGUI")
    app.setOrganizationName("EvidenceGUI")
    from evidencegui.resources import resource
    icon = resource("icons", "evidencegui.png")
    if icon.is_file():
        from PySide6.QtGui import QIcon
        app.setWindowIcon(QIcon(str(icon)))
    return app


def _smoke(window, app, started: float) -> int:
    """Draw the window with the example and report; any problem → non-zero."""
    errors: list[str] = []
    sys.excepthook = lambda t, e, tb: errors.append("".join(traceback.format_exception(t, e, tb)))
    from PySide6.QtCore import QTimer
    result = {"rc": 1}

    def check():
        try:
            app.processEvents()
            pix = window.grab()
            if pix.isNull() or pix.width() < 100:
                errors.append("the window could not be drawn")
            arms = window.model.arms()
            if len(arms) < 2:
                errors.append(f"the example shows {len(arms)} arm(s), expected 2")
            result["rc"] = 1 if errors else 0
        except Exception:
            errors.append(traceback.format_exc())
        for e in errors:
            sys.stderr.write(f"evidencegui --smoke-test: {e}\n")
        if not errors:
            sys.stdout.write(f"smoke test passed in {time.perf_counter() - started:.2f} s\n")
        window.controller.set_clean()
        window.close()
        app.exit(result["rc"])

    QTimer.singleShot(50, check)
    QTimer.singleShot(20000, lambda: app.exit(3))   # never hang
    app.exec()
    return result["rc"]


def run_gui(path=None, smoke_test: bool = False) -> int:
    started = time.perf_counter()
    app = None
    try:
        app = _app()
        from evidencegui.ui.settings import Settings
        if smoke_test:   # never touch the user's settings or recovery file
            tmp = tempfile.mkdtemp(prefix="evidencegui-smoke-")
            settings = Settings(os.path.join(tmp, "settings.ini"))
        else:
            settings = Settings()
        from evidencegui.ui.main_window import MainWindow
        window = MainWindow(settings)
        # The project is opened before the window is shown: laid out and drawn once, with it.
        if smoke_test:
            window.open_path(_example_path()) and _select_os(window)
            show_window(window)
            return _smoke(window, app, started)
        open_initial(window, path)
        show_window(window)
        from evidencegui.ui.dialogs.error import install_excepthook
        install_excepthook(window)
        return app.exec()
    except Exception as e:
        text = traceback.format_exc()
        sys.stderr.write(text)
        if app is not None and not smoke_test:
            try:
                from PySide6.QtWidgets import QMessageBox
                box = QMessageBox(QMessageBox.Icon.Critical, "EvidenceGUI could not start",
                                  f"{type(e).__name__}: {e}")
                box.setDetailedText(text)
                box.exec()
            except Exception:
                pass
        return 1
