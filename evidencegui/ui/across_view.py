"""The "Across trials" view beside the survival plot: the user picks an endpoint and the trials;
the view shows their forest plot with pooled estimates, the indirect comparisons with their rule
and the transitivity caveat, the across-trials table (copyable), and the subgroups of the
comparison shown in the window (a forest plot and an undoable editor).

``install(window)`` puts the view in a tab next to the survival plot and adds View → Across
trials (Ctrl+Shift+T) and its exports; main_window.py only calls it.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QScrollArea, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QTextBrowser, QVBoxLayout,
                               QWidget)

from evidencegui.io import across_table as at

SHORTCUT = "Ctrl+Shift+T"
METHODS = ("REML", "DL")


class CopyableTable(QTableWidget):
    """A read-only table whose Ctrl+C copies the whole grid (or the selection) as tab-separated
    text and as an HTML table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.header: list[str] = []
        self.cells: list[list[str]] = []

    def set_cells(self, header, cells) -> None:
        self.header, self.cells = list(header), [list(r) for r in cells]
        self.clear()
        self.setColumnCount(len(header))
        self.setRowCount(len(cells))
        self.setHorizontalHeaderLabels(self.header)
        for i, row in enumerate(cells):
            for j, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.setItem(i, j, item)
        self.resizeColumnsToContents()
        for j in range(self.columnCount()):
            self.setColumnWidth(j, min(self.columnWidth(j), 320))

    def selected_cells(self) -> list[list[str]]:
        rows = sorted({i.row() for i in self.selectedIndexes()})
        return [self.cells[r] for r in rows] if rows else self.cells

    def copy(self) -> str:
        cells = self.selected_cells()
        from PySide6.QtCore import QMimeData
        mime = QMimeData()
        text = at.as_tsv(self.header, cells)
        mime.setText(text)
        mime.setHtml(at.as_html(self.header, cells))
        QGuiApplication.clipboard().setMimeData(mime)
        return text

    def keyPressEvent(self, event):  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            event.accept()
            return
        super().keyPressEvent(event)


class AcrossTrialsView(QWidget):
    """Reads the window's project; subgroup edits go through ``push`` (the window's undo stack)."""

    def __init__(self, window, parent=None):
        # built on first use (the tab and its action exist from start-up): imported here, not at start-up
        from evidencegui.ui.views.forest_plot import ForestPlotWidget
        from evidencegui.ui.views.subgroup_editor import SubgroupEditor
        super().__init__(parent)
        self.window_ = window
        self.endpoint = ""
        self.result = None                 # the PoolResult drawn
        self.left_out: list[str] = []
        self.indirect: list = []
        self._unchecked: set[str] = set()  # trials the user took out (kept across refreshes)
        self._filling = False
        self._dirty = True

        self.endpoint_box = QComboBox()
        self.endpoint_box.currentTextChanged.connect(lambda _t: self._endpoint_changed())
        self.method_box = QComboBox()
        self.method_box.addItems(METHODS)
        self.method_box.setToolTip("Between-trial variance of the random-effects model: REML "
                                   "(restricted maximum likelihood) or DL (DerSimonian–Laird)")
        self.method_box.currentTextChanged.connect(lambda _t: self.refresh())
        self.trial_list = QListWidget()
        self.trial_list.itemChanged.connect(lambda _i: self._trials_changed())
        self.left_out_label = QLabel("")
        self.left_out_label.setWordWrap(True)
        self.left_out_label.setStyleSheet("color:#8a4b00; padding: 0 4px")
        self.trial_list.setFlow(QListWidget.Flow.LeftToRight)     # trials side by side, wrapping
        self.trial_list.setWrapping(True)
        self.trial_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.trial_list.setSpacing(2)
        self.trial_list.setMaximumHeight(self.fontMetrics().height() * 3 + 8)
        self.trial_list.setToolTip("The trials in the forest plot, the indirect comparisons and the table")
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 4, 4, 0)
        for text, w in (("Endpoint", self.endpoint_box), ("Random effects", self.method_box)):
            bar.addWidget(QLabel(text))
            bar.addWidget(w)
        bar.addWidget(QLabel("Trials"))
        bar.addWidget(self.trial_list, 1)
        self.forest = ForestPlotWidget(self)
        self.forest_scroll = QScrollArea()
        self.forest_scroll.setWidgetResizable(True)
        self.forest_scroll.setWidget(self.forest)
        self.indirect_box = QTextBrowser()
        self.indirect_box.setOpenLinks(False)
        forest_page = self.forest_page = QSplitter(Qt.Orientation.Vertical)
        forest_page.addWidget(self.forest_scroll)
        forest_page.addWidget(self.indirect_box)
        forest_page.setStretchFactor(0, 4)
        forest_page.setStretchFactor(1, 1)

        self.table = CopyableTable()
        self.copy_button = QPushButton("Copy table")
        self.copy_button.setToolTip("Tab-separated text and an HTML table, for a spreadsheet or a letter (Ctrl+C)")
        self.copy_button.clicked.connect(lambda: self.copy_table())
        table_page = QWidget()
        tl = QVBoxLayout(table_page)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table)
        tl.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.subgroup_title = QLabel("")
        self.subgroup_title.setWordWrap(True)
        self.subgroup_arm = QComboBox()
        self.subgroup_arm.currentIndexChanged.connect(lambda _i: self._refresh_subgroups())
        self.subgroup_forest = ForestPlotWidget(self)
        sub_scroll = QScrollArea()
        sub_scroll.setWidgetResizable(True)
        sub_scroll.setWidget(self.subgroup_forest)
        self.subgroup_editor = SubgroupEditor()
        self.subgroup_editor.changed.connect(self._subgroups_edited)
        self.subgroup_editor.invalid.connect(lambda m: self._status("Not accepted — " + m))
        self.subgroup_editor.import_requested.connect(lambda: self.import_subgroups())
        sub_page = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl2 = QVBoxLayout(top)
        tl2.setContentsMargins(0, 0, 0, 0)
        tl2.addWidget(self.subgroup_title)
        tl2.addWidget(self.subgroup_arm)
        tl2.addWidget(sub_scroll, 1)
        sub_page.addWidget(top)
        sub_page.addWidget(self.subgroup_editor)

        self.tabs = QTabWidget()
        self.tabs.addTab(forest_page, "Forest plot")
        self.tabs.addTab(table_page, "Table")
        self.tabs.addTab(sub_page, "Subgroups")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.left_out_label)
        lay.addWidget(self.tabs, 1)

    # ------------------------------------------------------------------ data
    @property
    def project(self):
        return self.window_.project

    def _status(self, text: str, ms: int = 8000) -> None:
        self.window_.statusBar().showMessage(text, ms)

    def chosen_trials(self) -> list[str]:
        out = []
        for i in range(self.trial_list.count()):
            it = self.trial_list.item(i)
            if it.checkState() == Qt.CheckState.Checked:
                out.append(it.data(Qt.ItemDataRole.UserRole))
        return out

    def set_trials(self, names) -> None:
        """Check exactly these trials (the rest unchecked) and redraw."""
        names = set(names)
        self._filling = True
        try:
            for i in range(self.trial_list.count()):
                it = self.trial_list.item(i)
                it.setCheckState(Qt.CheckState.Checked if it.data(Qt.ItemDataRole.UserRole) in names
                                 else Qt.CheckState.Unchecked)
        finally:
            self._filling = False
        self._trials_changed()

    def set_endpoint(self, name: str) -> None:
        self.endpoint_box.setCurrentText(name)

    def _fill_choices(self) -> None:
        from evidencegui.core.across import endpoint_names
        self._filling = True
        try:
            names = endpoint_names(self.project)
            current = self.endpoint_box.currentText()
            self.endpoint_box.clear()
            self.endpoint_box.addItems(names)
            if current in names:
                self.endpoint_box.setCurrentText(current)
            self.endpoint = self.endpoint_box.currentText()
            self.trial_list.clear()
            for t in self.project.trials:
                if self.endpoint and t.endpoint(self.endpoint) is None:
                    continue
                it = QListWidgetItem(t.name)
                it.setData(Qt.ItemDataRole.UserRole, t.name)
                it.setToolTip(t.source or t.name)
                it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                it.setCheckState(Qt.CheckState.Unchecked if t.name in self._unchecked
                                 else Qt.CheckState.Checked)
                self.trial_list.addItem(it)
        finally:
            self._filling = False

    def _endpoint_changed(self) -> None:
        if not self._filling:
            self.refresh()

    def _trials_changed(self) -> None:
        if self._filling:
            return
        for i in range(self.trial_list.count()):
            it = self.trial_list.item(i)
            name = it.data(Qt.ItemDataRole.UserRole)
            if it.checkState() == Qt.CheckState.Checked:
                self._unchecked.discard(name)
            else:
                self._unchecked.add(name)
        self._redraw()

    def mark_dirty(self) -> None:
        """The project changed: refresh now when shown, else when next shown."""
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        self._dirty = False
        self._fill_choices()
        self._redraw()

    def pool_result(self):
        """(PoolResult or None, messages about trials left out) for the chosen endpoint/trials."""
        from evidencegui.core.across import forest_studies
        from evidencegui.core.pooling import PoolingInputError, pool
        if not self.endpoint:
            return None, []
        studies, left_out = forest_studies(self.project, self.endpoint, self.chosen_trials())
        if not studies:
            return None, left_out
        try:
            return pool(studies, self.method_box.currentText()), left_out
        except PoolingInputError as e:
            return None, left_out + [str(e)]

    def _redraw(self) -> None:
        style = getattr(self.window_.settings, "style", "screen")
        for plot in (self.forest, self.subgroup_forest):
            try:
                plot.set_style(style)
            except ValueError:             # a style this widget does not know: keep its own
                pass
        self.endpoint = self.endpoint_box.currentText()
        self.result, self.left_out = self.pool_result()
        if self.result is None:
            self.forest.set_message("No trial with a hazard ratio and 95% CI for this endpoint"
                                    if self.endpoint else "The project has no endpoints yet")
        else:
            self.forest.set_result(self.result, "studies", self.endpoint)
        self.left_out_label.setText("Left out: " + "; ".join(self.left_out) if self.left_out else "")
        self.left_out_label.setVisible(bool(self.left_out))
        self._fill_indirect()
        total = sum(self.forest_page.sizes())
        if total > 0:       # the plot as tall as it needs (up to three quarters), the rest for the text
            top = min(self.forest.height() + 6, int(total * 0.75))
            self.forest_page.setSizes([top, total - top])
        self._fill_table()
        self._refresh_subgroups()

    def _fill_indirect(self) -> None:
        from evidencegui.core.across import TRANSITIVITY_CAVEAT, indirect_comparisons
        chosen = set(self.chosen_trials())
        every = indirect_comparisons(self.project)
        self.indirect = [ic for ic in every
                         if ic.endpoint == self.endpoint and ic.trial_a in chosen and ic.trial_b in chosen]
        if not self.indirect:
            body = ("<p style='color:#555'>No indirect comparison: it needs two chosen trials with "
                    "the same control (or a control that names the other as its comparator).</p>")
            elsewhere = sorted({ic.endpoint for ic in every if ic.endpoint != self.endpoint})
            if elsewhere:     # say where one is, rather than leave the user at a dead end
                body += (f"<p>{html.escape(', '.join(elsewhere))} {'has' if len(elsewhere) == 1 else 'have'}"
                         " one: choose it under Endpoint above.</p>")
        else:
            body = "".join(f"<p><b>{html.escape(at.indirect_text(ic))}</b><br>"
                           f"<span style='color:#444'>{html.escape(ic.rule)}</span></p>"
                           for ic in self.indirect)
        self.indirect_box.setHtml(f"<h4>Indirect comparisons (Bucher)</h4>{body}"
                                  f"<p><i>{html.escape(TRANSITIVITY_CAVEAT)}</i></p>")

    def _fill_table(self) -> None:
        from evidencegui.core.across import trial_rows
        rows = trial_rows(self.project, None, self.chosen_trials() or None) if self.chosen_trials() else []
        header, cells = at.table(rows)
        self.table.set_cells(header, cells)

    def copy_table(self) -> str:
        text = self.table.copy()
        self._status("The across-trials table is on the clipboard (text and HTML table).", 4000)
        return text

    # ------------------------------------------------------------------ subgroups
    def _current_endpoint(self):
        w = self.window_
        if w.t_index is None or w.e_index is None:
            return None, None
        try:
            trial = self.project.trials[w.t_index]
            return trial, trial.endpoints[w.e_index]
        except IndexError:
            return None, None

    def _refresh_subgroups(self) -> None:
        trial, ep = self._current_endpoint()
        arms = [] if ep is None else [(i, a) for i, a in enumerate(ep.arms) if not a.is_control]
        keep = self.subgroup_arm.currentData()
        self.subgroup_arm.blockSignals(True)
        self.subgroup_arm.clear()
        for i, a in arms:
            self.subgroup_arm.addItem(a.label, i)
        if keep is not None and self.subgroup_arm.findData(keep) >= 0:
            self.subgroup_arm.setCurrentIndex(self.subgroup_arm.findData(keep))
        self.subgroup_arm.blockSignals(False)
        self.subgroup_arm.setVisible(len(arms) > 1)
        arm = self.subgroup_target()
        if arm is None:
            self.subgroup_title.setText("Subgroups belong to an experimental arm: choose an endpoint "
                                        "with a control and an experimental arm in the project tree.")
            self.subgroup_forest.set_message("No comparison chosen")
            self.subgroup_editor.set_rows([], enabled=False)
            return
        ctl = ep.control
        self.subgroup_title.setText(f"<b>{html.escape(trial.name)} — {html.escape(ep.name)}</b>: "
                                    f"{html.escape(arm.label)} vs "
                                    f"{html.escape(ctl.label if ctl else 'no control')}")
        self.subgroup_editor.set_rows(arm.subgroups, enabled=ctl is not None)
        from evidencegui.core.across import subgroup_forest
        from evidencegui.core.pooling import PoolingInputError, pool
        studies, left_out = subgroup_forest(arm)
        self.subgroup_editor.note.setText("Left out: " + "; ".join(left_out) if left_out else "")
        if not studies:
            self.subgroup_forest.set_message("No subgroup rows with an HR and 95% CI yet: type them "
                                             "below or import a table")
            return
        try:
            res = pool(studies, "REML")
        except PoolingInputError as e:
            self.subgroup_forest.set_message(str(e))
            return
        self.subgroup_forest.set_result(res, "subgroups", f"{trial.name} {ep.name} subgroups",
                                        ("experimental", "control"))

    def subgroup_target(self):
        """The experimental arm whose subgroups are shown (None: no comparison chosen)."""
        _, ep = self._current_endpoint()
        i = self.subgroup_arm.currentData()
        if ep is None or i is None or i >= len(ep.arms):
            return None
        return ep.arms[i]

    def _subgroups_edited(self, rows) -> None:
        w = self.window_
        i = self.subgroup_arm.currentData()
        if self.subgroup_target() is None:
            return
        from evidencegui.ui.views.subgroup_editor import SetSubgroups
        w.push(SetSubgroups(w.t_index, w.e_index, i, rows))

    def import_subgroups(self, path=None) -> bool:
        """Replace the shown arm's subgroup rows with a CSV/XLSX table (one undoable step)."""
        w = self.window_
        if self.subgroup_target() is None:
            self._status("Choose a comparison (an endpoint with an experimental arm) first.")
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(w, "Import subgroups", w.settings.last_dir("import"),
                                                  "Tables (*.csv *.tsv *.txt *.xlsx);;All files (*)")
            if not path:
                return False
        try:
            from evidencegui.io.subgroups import read_subgroups
            rows = read_subgroups(path)
        except Exception as e:      # a bad file: a message naming file, row and field
            from evidencegui.ui.dialogs.error import show_error
            show_error(w, "Cannot import the subgroups", str(e))
            return False
        from evidencegui.ui.views.subgroup_editor import SetSubgroups
        ok = w.push(SetSubgroups(w.t_index, w.e_index, self.subgroup_arm.currentData(), rows,
                                 "import subgroups"))
        if ok:
            self._status(f"Imported {len(rows)} subgroup rows from {path}", 6000)
        return ok


# ---------------------------------------------------------------------------- window integration

def _menu(window, title: str):
    for a in window.menuBar().actions():
        if a.menu() is not None and a.text().replace("&", "") == title:
            return a.menu()
    return window.menuBar().addMenu(title)


def _submenu(menu, title: str):
    for a in menu.actions():
        if a.menu() is not None and a.text().replace("&", "") == title:
            return a.menu()
    return None


def view_of(window) -> AcrossTrialsView:
    """The window's across-trials view, built on first use (start-up does not pay for it)."""
    view = getattr(window, "across_view", None)
    if view is None:
        view = AcrossTrialsView(window)
        window.across_view = view
        window.central_tabs.widget(1).layout().addWidget(view)
    return view


def _when_built(window, call) -> None:
    view = getattr(window, "across_view", None)
    if view is not None:
        call(view)


def install(window) -> None:
    """Put a tab for the view beside the survival plot; View → Across trials; exports."""
    centre = window.takeCentralWidget()
    tabs = QTabWidget()
    tabs.setObjectName("central_tabs")
    tabs.setDocumentMode(True)
    tabs.addTab(centre, "Survival plot")
    holder = QWidget()
    QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
    tabs.addTab(holder, "Across trials")
    window.setCentralWidget(tabs)
    window.central_tabs = tabs
    window.across_view = None

    act = QAction("&Across trials", window)
    act.setCheckable(True)
    act.setShortcut(QKeySequence(SHORTCUT))
    act.setStatusTip("Forest plot, pooled and indirect hazard ratios and a table of several trials")
    act.triggered.connect(lambda _checked=False: show_across(window, not window.central_tabs.currentIndex()))

    def tab_changed(i: int) -> None:
        act.setChecked(i == 1)
        if i == 1:
            view_of(window)
    tabs.currentChanged.connect(tab_changed)
    view_menu = _menu(window, "View")
    view_menu.addSeparator()
    view_menu.addAction(act)
    window.act_across = act
    window.controller.applied.connect(lambda _c: _when_built(window, lambda v: v.mark_dirty()))
    window.controller.stack.cleanChanged.connect(lambda _c: _when_built(window, lambda v: v.mark_dirty()))
    style_group = getattr(window, "style_group", None)       # View → Style
    if style_group is not None:
        style_group.triggered.connect(lambda _a: _when_built(window, lambda v: v.mark_dirty()))
    # the subgroups follow the comparison chosen in the project tree
    window.tree.endpoint_selected.connect(
        lambda *_: _when_built(window, lambda v: v._refresh_subgroups() if v.isVisible() else None))
    _install_project_hook(window)

    from evidencegui.ui import across_exports
    across_exports.install(window, _submenu(_menu(window, "File"), "Export"))


def _install_project_hook(window) -> None:
    """A newly opened project (set_project) refreshes the view: wrap the window's method."""
    original = window.set_project

    def fresh(view) -> None:
        view._unchecked.clear()
        view.mark_dirty()

    def set_project(*args, **kwargs):
        original(*args, **kwargs)
        _when_built(window, fresh)
    window.set_project = set_project


def show_across(window, show: bool = True) -> None:
    """Switch the centre between the survival plot and the across-trials view."""
    if show:
        view_of(window)
    window.central_tabs.setCurrentIndex(1 if show else 0)
    if show:
        window.across_view.refresh()
