"""The built-in help page: how each measure is computed (resources/help/measures.html)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from evidencegui.resources import resource


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("How the measures are computed")
        self.resize(760, 640)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        path = resource("help", "measures.html")
        try:
            self.browser.setHtml(path.read_text(encoding="utf-8"))
        except OSError:
            self.browser.setPlainText(f"The help page is not available ({path} is missing).")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)
        lay.addWidget(buttons)
