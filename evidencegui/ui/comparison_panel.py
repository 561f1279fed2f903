"""The comparison panel: every measure of each experimental arm against its control, the reported
value beside the one the patient-level data give, each number with its rule (tooltip and the
detail pane below the table), discrepancies flagged with their reasons, copy as text for e-mail.

What is shown (the sections and their rows, as text and HTML) is chosen in
ui/comparison_sections.py, without Qt; this module is the widget.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMenu,
                               QPushButton, QSizePolicy, QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from evidencegui.ui.comparison_sections import (NO_COMPARISON, Section, build_sections,  # noqa: F401
                                                project_unit, sections_html, sections_text)

FLAG_BRUSH = QBrush(QColor("#fbe3b0"))
SECTION_BRUSH = QBrush(QColor("#e8eef6"))
MUTED = QColor("#555555")

_release_connected = False


def release_clipboard() -> None:
    """Hand what we put on the clipboard back to Qt as plain text.

    A QMimeData made in Python is a PySide wrapper whose destructor calls into Python; Qt
    deletes the clipboard's data after the interpreter has finished, which crashes the process
    at exit (seen with PySide6 6.11 and 6.12, offscreen). A copy Qt makes itself is safe."""
    cb = QGuiApplication.clipboard()
    data = cb.mimeData()
    if data is not None and data.hasHtml():
        cb.setText(data.text())


def _release_clipboard_on_quit() -> None:
    global _release_connected
    app = QGuiApplication.instance()
    if app is not None and not _release_connected:
        app.aboutToQuit.connect(release_clipboard)
        _release_connected = True


# ----------------------------------------------------------------------------- the widget

ROLE_ROW = Qt.ItemDataRole.UserRole


def _same_sections(a, b) -> bool:
    """Whether two lists of sections read the same (then the tree, ~30 ms to fill with 10 arms,
    is left as it is)."""
    if a is None or b is None:
        return False
    try:
        return bool(a == b)
    except Exception:       # noqa: BLE001 — values that do not compare: fill again
        return False


class ComparisonPanel(QWidget):
    """For each experimental arm of the endpoint: a table of the measures, reported vs patient
    data; selecting a row explains it in the pane below; Copy puts the table on the clipboard."""

    COLUMNS = ("Measure", "Reported", "Patient data")
    esmo_context_requested = Signal()    # the user wants to set the ESMO-MCBS context

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sections: list[Section] = []
        self.message: str | None = NO_COMPARISON
        self.title = ""
        self.items: dict[tuple[str, str], QTreeWidgetItem] = {}

        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        top.addWidget(self.heading, 1)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the comparison as text (and as a table) for an e-mail")
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.esmo_button = QPushButton("ESMO…")
        self.esmo_button.setToolTip("Setting, design, quality of life and toxicity of this endpoint: "
                                    "they choose the ESMO-MCBS form and adjust the grade")
        self.esmo_button.clicked.connect(self.esmo_context_requested)
        top.addWidget(self.esmo_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message_label.setContentsMargins(8, 8, 8, 8)
        # alone in the panel (no comparison) it takes the height, so heading and text stay on top
        self.message_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(list(self.COLUMNS))
        self.tree.setUniformRowHeights(False)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(12)
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.headerItem().setToolTip(1, "The value the publication reports, or derived from it")
        self.tree.currentItemChanged.connect(lambda item, _prev: self._show_detail(item))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self.tree)
        copy.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy.activated.connect(self.copy_to_clipboard)

        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText("Select a row to see how its number is computed.")

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self._user_sized = False      # once the user drags the divider, refreshes keep it there
        self.splitter.splitterMoved.connect(lambda *_: setattr(self, "_user_sized", True))

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self.message_label)
        lay.addWidget(self.splitter, 1)
        self._show_message(NO_COMPARISON)

    # ------------------------------------------------------------------ the API panels.py calls
    def set_endpoint(self, project, trial, endpoint) -> None:
        """Show every comparison of `endpoint` (of `trial` in `project`); None shows a message."""
        self.title = " — ".join(x for x in (getattr(trial, "name", ""), getattr(endpoint, "name", ""))
                                if x)
        unit = project_unit(project)
        self.heading.setText((self.title or "Comparison") + f"  ({unit}, 95% CI)")
        self.heading.setToolTip(f"Times are in {unit}; every interval is a 95% confidence interval")
        self.esmo_button.setEnabled(endpoint is not None)
        key = self._current_key()
        expanded = {k for k, item in self.items.items() if item.isExpanded()}
        scroll = self.tree.verticalScrollBar().value()
        shown = self.sections if self.items and not self.message else None
        try:
            self.message, self.sections = build_sections(project, trial, endpoint)
        except Exception as e:   # a half-typed value must never break the window
            self.message, self.sections = f"The comparison cannot be computed: {e}", []
        if self.message:
            self._show_message(self.message)
            return
        if _same_sections(shown, self.sections):
            return      # nothing to show anew (a view setting changed): the tree is left as it is
        self._fill()
        for k in expanded & set(self.items):      # what the user opened stays open while typing
            self.items[k].setExpanded(True)
        self._restore_key(key)
        self.tree.verticalScrollBar().setValue(scroll)

    # ------------------------------------------------------------------ filling
    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(True)
        self.splitter.setVisible(False)
        self.copy_button.setEnabled(bool(self.title))
        self.tree.clear()
        self.items = {}

    def _fill(self) -> None:
        self.message_label.setVisible(False)
        self.splitter.setVisible(True)
        self.copy_button.setEnabled(True)
        self.tree.clear()
        self.items = {}
        has_patients = any(s.computed_source for s in self.sections)
        self.tree.setColumnHidden(2, not has_patients)
        source = next((s.computed_source for s in self.sections if s.computed_source), "")
        self.tree.headerItem().setText(2, "Reconstructed" if "reconstructed" in (source or "")
                                       else "Patient data")
        self.tree.headerItem().setToolTip(2, f"Computed from the {source}" if source else "")
        bold = QFont(self.tree.font())
        bold.setBold(True)
        # Spans and expansions once every item is in: each setFirstColumnSpanned lays the whole
        # tree out first (Qt's executePostedLayout), ~30 ms for 10 arms when interleaved.
        spanned, heads = [], []
        for s in self.sections:
            head = QTreeWidgetItem([f"{s.experimental}\nvs {s.control}"])
            head.setToolTip(0, s.title)
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            head.setData(0, ROLE_ROW, (s.experimental, ""))
            for c in range(3):
                head.setBackground(c, SECTION_BRUSH)
            self.tree.addTopLevelItem(head)
            spanned.append(head)
            for r in s.rows:
                item = QTreeWidgetItem([r.measure, r.reported, r.computed])
                item.setData(0, ROLE_ROW, (s.experimental, r.key))
                item.setToolTip(0, r.measure_tip or r.measure)
                item.setToolTip(1, r.rule or "")
                item.setToolTip(2, "\n".join(x for x in (r.computed_rule, r.note,
                                                         ("⚠ " + r.flag) if r.flag else "") if x))
                for c in (1, 2):
                    item.setTextAlignment(c, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if r.key in ("median_gain", "hr", "esmo"):
                    item.setFont(1, bold)
                if r.flag:
                    for c in range(3):
                        item.setBackground(c, FLAG_BRUSH)
                head.addChild(item)
                for name, value in r.children:
                    # one spanned cell: long rules must not widen the number columns
                    child = QTreeWidgetItem([f"{name}: {value}" if value else name])
                    child.setToolTip(0, f"{name}: {value}")
                    child.setForeground(0, QBrush(MUTED))
                    child.setData(0, ROLE_ROW, (s.experimental, r.key))
                    item.addChild(child)
                    spanned.append(child)
                self.items[(s.experimental, r.key)] = item
            heads.append(head)
        for head in heads:
            head.setExpanded(True)
        for item in spanned:
            item.setFirstColumnSpanned(True)
        self._show_detail(None)
        self._share_height()

    def _share_height(self) -> None:
        """The table as tall as its rows (when there is room); the detail pane gets the rest."""
        if self._user_sized:
            return
        total = sum(self.splitter.sizes()) or self.splitter.height()
        sections = self.tree.topLevelItemCount()
        rows = sum(self.tree.topLevelItem(i).childCount() for i in range(sections))
        line = self.tree.fontMetrics().height() + 2
        want = self.tree.header().sizeHint().height() + (rows + 3 * sections) * line + 12
        if total > 0:
            want = min(want, int(total * 0.7))
            self.splitter.setSizes([want, max(total - want, 80)])

    def _current_key(self):
        item = self.tree.currentItem()
        return None if item is None else item.data(0, ROLE_ROW)

    def _restore_key(self, key) -> None:
        if key and key in self.items:
            self.tree.setCurrentItem(self.items[key])

    # ------------------------------------------------------------------ detail pane
    def section(self, experimental: str | None = None) -> Section | None:
        for s in self.sections:
            if experimental is None or s.experimental == experimental:
                return s
        return None

    def _show_detail(self, item) -> None:
        key = None if item is None else item.data(0, ROLE_ROW)
        if not key or not key[1]:
            self.detail.setHtml(self._overview_html(key[0] if key else None))
            return
        s = self.section(key[0])
        r = s.row(key[1]) if s else None
        if r is None:
            return
        e = html.escape
        parts = [f"<b>{e(r.measure)}</b>" + (f" — {e(r.measure_tip)}" if r.measure_tip else "")]
        if r.reported not in ("", "—") or r.rule:
            shown_below = any(a == "Rule" for a, _ in r.children)    # ESMO: the rule has its line
            parts.append(f"<b>Reported:</b> {e(r.reported)}"
                         + (f"<br>{e(r.rule)}" if r.rule and not shown_below else ""))
        if r.computed:
            parts.append(f"<b>Patient data:</b> {e(r.computed)}"
                         + (f"<br>{e(r.computed_rule)}" if r.computed_rule else ""))
        parts += [f"<b>{e(a)}:</b> {e(b)}" for a, b in r.children]
        if r.note:
            parts.append(e(r.note))
        if r.flag:
            parts.append(f"<span style='background:#fbe3b0'>⚠ {e(r.flag)}</span>")
        self.detail.setHtml("<p>" + "</p><p>".join(parts) + "</p>")

    def _overview_html(self, experimental=None) -> str:
        """With no row selected: discrepancies, cautions and notes of every comparison."""
        e = html.escape
        parts = []
        for s in self.sections:
            if experimental is not None and s.experimental != experimental:
                continue
            items = [f"<span style='background:#fbe3b0'>⚠ {e(r.flag)}</span>" for r in s.rows if r.flag]
            items += [f"* {e(r.measure)}: {e(r.note)}" for r in s.rows if r.note]
            items += [e(n) for n in s.notes]
            esmo = s.row("esmo")
            if esmo is not None and esmo.rule:
                items.append(f"<b>ESMO-MCBS {e(esmo.reported)}:</b> {e(esmo.rule)}")
            if s.computed_source:
                items.append(f"Patient data: {e(s.computed_source)}.")
            if items:
                if len(self.sections) > 1:
                    parts.append(f"<b>{e(s.title)}</b>")
                parts += items
        if not parts:
            return "<p style='color:#555'>Select a row to see how its number is computed.</p>"
        return ("<p>" + "</p><p>".join(parts) + "</p><p style='color:#555'>Select a row to see "
                "how its number is computed.</p>")

    def detail_text(self) -> str:
        return self.detail.toPlainText()

    # ------------------------------------------------------------------ text and clipboard
    def as_text(self) -> str:
        return sections_text(self.title or "Comparison", self.sections, self.message)

    def as_html(self) -> str:
        return sections_html(self.title or "Comparison", self.sections, self.message)

    def copy_to_clipboard(self) -> None:
        """Plain text (aligned columns) and an HTML table, so e-mail programs get a table."""
        mime = QMimeData()
        mime.setText(self.as_text())
        mime.setHtml(self.as_html())
        QGuiApplication.clipboard().setMimeData(mime)
        _release_clipboard_on_quit()

    def _context_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction("Copy the comparison as text", self.copy_to_clipboard)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def text_of(self, experimental: str | None, key: str, column: int = 1) -> str:
        """The shown text of one cell (column 1 reported, 2 patient data); tests and scripts."""
        s = self.section(experimental)
        item = self.items.get((s.experimental, key)) if s else None
        return "" if item is None else item.text(column)


if __name__ == "__main__":  # preview on the bundled example
    import sys

    from PySide6.QtWidgets import QApplication

    from evidencegui.io.project_file import load_project
    from evidencegui.resources import resource

    app = QApplication(sys.argv)
    proj = load_project(resource("examples", "cleopatra.evidence.json"))
    panel = ComparisonPanel()
    panel.set_endpoint(proj, proj.trials[0], proj.trials[0].endpoints[0])
    panel.resize(440, 700)
    panel.show()
    sys.exit(app.exec())
