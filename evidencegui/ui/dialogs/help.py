"""The built-in help: Getting started (short task pages with pictures, resources/help/
getting_started.html) beside the formula reference (resources/help/measures.html)."""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QTextBrowser,
                               QVBoxLayout, QWidget)

from evidencegui.resources import resource

PAGES = (("Getting started", "getting_started.html"), ("How the measures are computed", "measures.html"))


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, page: str = "measures.html"):
        super().__init__(parent)
        self.resize(860, 660)
        self.pages = QListWidget(self)
        self.pages.addItems([title for title, _ in PAGES])
        # as wide as its longest title ("How the measures are computed" was cut at 200 px)
        self.pages.setFixedWidth(self.pages.sizeHintForColumn(0) + 2 * self.pages.frameWidth() + 12)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(resource("help"))])
        self.pages.currentRowChanged.connect(lambda r: self.show_page(PAGES[r][1]))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.pages)
        row.addWidget(self.browser, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(buttons)
        names = [f for _, f in PAGES]
        self.pages.setCurrentRow(names.index(page) if page in names else 0)

    def show_page(self, name: str) -> None:
        path = resource("help", name)
        title = next((t for t, f in PAGES if f == name), name)
        self.setWindowTitle(title)
        if not path.is_file():
            self.browser.setPlainText(f"The help page is not available ({path} is missing).")
            return
        self.browser.setSource(QUrl.fromLocalFile(str(path)))
