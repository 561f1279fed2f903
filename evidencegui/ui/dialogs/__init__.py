"""Dialogs of the main window."""
from __future__ import annotations


def ok_cancel(dialog, on_ok=None):
    """The OK/Cancel button box of a dialog: OK runs ``on_ok`` (default: accept), Cancel rejects."""
    from PySide6.QtWidgets import QDialogButtonBox

    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
