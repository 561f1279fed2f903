"""The start page: what a new user can do first — open an example, start a project, import a
summary table (or its template), digitize a figure, reopen a recent file. Shown in place of the
plot while the project has no trial, and on View → Start page."""
from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFileDialog, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget)

from evidencegui.ui import window_files


def _digitize_action(window):
    """File → Digitize a figure, when the program has it (another module may install it)."""
    for a in window.findChildren(type(window.act_new)):
        if "digitize a figure" in a.text().replace("&", "").lower():
            return a
    return None


class StartPage(QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setObjectName("start_page")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(32, 24, 32, 24)
        title = QLabel("<h2>EvidenceGUI</h2><p>Compare trial arms: survival curves, gains and ratios, "
                       "ESMO-MCBS; export a workbook, figures and slides.</p>")
        title.setWordWrap(True)
        lay.addWidget(title)
        self.grid = QGridLayout()
        lay.addLayout(self.grid)
        self.recent_box = QVBoxLayout()
        lay.addWidget(QLabel("<b>Recent projects</b>"))
        lay.addLayout(self.recent_box)
        lay.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        self.rebuild()

    def _button(self, key, text, tip, slot, row, col, span=1):
        b = QPushButton(text)
        b.setToolTip(tip)
        b.setMinimumHeight(40)
        b.clicked.connect(lambda _c=False: slot())
        self.grid.addWidget(b, row, col, 1, span)
        self.buttons[key] = b

    def rebuild(self) -> None:
        w = self.window
        for b in self.buttons.values():
            self.grid.removeWidget(b)
            b.hide()
            b.deleteLater()
        self.buttons = {}
        k = 0
        # an example's name is its title ("CDK4/6 inhibitors + aromatase inhibitor, first-line
        # PFS"): a row of its own, so that it never widens the window
        for key, name, _path in window_files.examples():
            self._button(f"example:{key}", f"Open the example: {name}",
                         "A worked example, opened as a new unsaved project",
                         lambda n=name: w.new_from_template(n), k // 2, 0, span=2)
            k += 2
        entries = [("new", "New project: add a trial…", "Type a trial's results by hand", lambda: w.add_trial()),
                   ("summary", "Import a summary table…", "One row per arm (CSV or Excel)", lambda: w.import_summary()),
                   ("template", "Get the summary-table template…", "The spreadsheet to fill in",
                    lambda: w.open_summary_template()),
                   ("digitized", "Import a digitized curve…", "Reconstruct patients from a published figure",
                    lambda: w.import_digitized())]
        digitize = _digitize_action(w)
        if digitize is not None:
            entries.append(("digitize", "Digitize a figure…", digitize.statusTip() or "Trace a published curve",
                            digitize.trigger))
        entries.append(("help", "Getting started", "Short task pages with pictures", lambda: w.show_getting_started()))
        for key, text, tip, slot in entries:
            self._button(key, text, tip, slot, k // 2, k % 2)
            k += 1
        while self.recent_box.count():
            item = self.recent_box.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        recent = w.settings.recent_files()
        if not recent:
            self.recent_box.addWidget(QLabel("(none yet)"))
        for p in recent[:6]:
            b = QPushButton(Path(p).name)
            b.setToolTip(p)
            b.setFlat(True)
            b.setStyleSheet("text-align: left")
            b.clicked.connect(lambda _c=False, p=p: w.confirm_discard() and w.open_path(p))
            self.recent_box.addWidget(b)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def open_summary_template(window) -> bool:
    """A copy of the summary-table template (Excel, or CSV) saved where the user chooses."""
    from evidencegui.resources import resource
    src = resource("templates", "summary_template.xlsx")
    if not src.is_file():
        src = resource("templates", "summary_template.csv")
    start = str(Path(window.settings.last_dir("summary")) / src.name)
    path, _ = QFileDialog.getSaveFileName(window, "Save the summary-table template", start,
                                          f"{src.suffix[1:].upper()} (*{src.suffix})")
    if not path:
        return False
    try:
        shutil.copyfile(src, path)
    except OSError as e:
        from evidencegui.ui.dialogs.error import show_error
        show_error(window, "Cannot save the template", f"{path}: {e}")
        return False
    window.settings.set_last_dir("summary", path)
    window.statusBar().showMessage(f"Template saved as {path}: fill in one row per arm, then "
                                   "File → Import summary table.", 12000)
    return True
