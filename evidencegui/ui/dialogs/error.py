"""Error dialog and the last-resort exception hook (autosave first, then tell the user)."""
from __future__ import annotations

import sys
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, message: str, details: str | None = None) -> None:
    sys.stderr.write(f"evidencegui: {title}: {message}\n")
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def install_excepthook(window) -> None:
    """Unexpected exceptions: keep the data (autosave now), print the traceback, show a dialog."""
    def hook(exc_type, exc, tb):
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        sys.stderr.write(text)
        try:
            window.autosaver.save_now()
        except Exception:
            pass
        try:
            show_error(window, "Unexpected error",
                       f"{exc_type.__name__}: {exc}\n\nYour work is kept in the recovery file; "
                       "saving the project now is recommended.", text)
        except Exception:
            pass
    sys.excepthook = hook
