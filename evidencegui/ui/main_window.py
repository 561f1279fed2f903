"""The main window: project tree, survival plot over the editable arms table, comparison panel;
every edit through the undo stack; autosave and recovery; open, save, import, export."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QHBoxLayout, QInputDialog, QMainWindow,
                               QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget)

from evidencegui.core import commands as cmd
from evidencegui.core.model import CI_METHODS, Arm, Endpoint, Project, Trial
from evidencegui.ui import file_ops
from evidencegui.ui.arms_model import ArmsTableModel
from evidencegui.ui.autosave import Autosaver, find_recovery
from evidencegui.ui.dialogs.error import show_error
from evidencegui.ui.panels import ComparisonView, PlotPanel
from evidencegui.ui.project_tree import ProjectTree
from evidencegui.ui.settings import STYLES, TIME_UNITS, Settings
from evidencegui.ui.undo import UndoController
from evidencegui.ui.workers import Cancelled, run_with_progress

FILTER_PROJECT = "EvidenceGUI project (*.evidence.json)"
FILTER_TABLE = "Tables (*.csv *.tsv *.txt *.xlsx)"


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, autosave_delay_ms: int = 3000):
        super().__init__()
        self.settings = settings or Settings()
        self.path: Path | None = None
        self.t_index: int | None = None
        self.e_index: int | None = None
        self.overlay: list[tuple[int, int, int]] | None = None   # cross-trial overlay on the plot
        self.controller = UndoController(Project(), self)
        self.controller.applied.connect(self._on_applied)
        self.controller.stack.cleanChanged.connect(self._update_title)
        self.autosaver = Autosaver(self.settings.recovery_dir, lambda: self.project,
                                   lambda: self.path, autosave_delay_ms, self)
        self.autosaver.failed.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.setAcceptDrops(True)
        self.resize(1400, 860)
        self._build_widgets()
        self._build_actions()
        from evidencegui.ui.digitize_window import install as install_digitizer
        install_digitizer(self)            # File → Digitize a figure…
        self._restore_window()
        self._update_title()
        from evidencegui.ui.across_view import install as install_across_trials
        install_across_trials(self)     # the "Across trials" tab, View → Across trials, its exports

    # ------------------------------------------------------------------ layout
    @property
    def project(self) -> Project:
        return self.controller.project

    def _build_widgets(self) -> None:
        self.model = ArmsTableModel(push=self.push, parent=self)
        self.model.invalid_input.connect(lambda m: self.statusBar().showMessage("Not accepted — " + m, 10000))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setMinimumSectionSize(36)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.plot = PlotPanel()
        buttons = QHBoxLayout()
        self.arm_buttons = {}
        # short labels, full text in the tooltips: the row must not force the centre wider
        # than the window leaves between the two docks
        for key, text, tip, slot in (
                ("add", "Add arm", "Add an arm to this endpoint", self.add_arm),
                ("dup", "Duplicate", "Duplicate the selected arm", self.duplicate_arm),
                ("remove", "Remove", "Remove the selected arm", self.remove_arm),
                ("up", "▲", "Move the selected arm up", lambda: self.move_arm(-1)),
                ("down", "▼", "Move the selected arm down", lambda: self.move_arm(1)),
                ("control", "Make control", "Make the selected arm the control", self.make_control),
                ("landmark", "Landmark…", "Add a column for survival at a time point (e.g. 24 months)",
                 self.add_landmark_column)):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            if len(text) == 1:
                b.setFixedWidth(b.fontMetrics().horizontalAdvance("MM") + 12)
            buttons.addWidget(b)
            self.arm_buttons[key] = b
        buttons.addStretch(1)
        table_box = QWidget()
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(4, 0, 4, 4)
        tl.addLayout(buttons)
        tl.addWidget(self.table)
        # The plot is the centre; the arms table is a dock along the whole bottom edge (under the
        # tree and the comparison too), so every column, HR included, shows at 1400 px.
        self.setCentralWidget(self.plot)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.table_dock = QDockWidget("Arms", self)
        self.table_dock.setObjectName("arms_dock")
        self.table_dock.setWidget(table_box)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.table_dock)
        self.tree = ProjectTree()
        self.tree.endpoint_selected.connect(self.show_endpoint)
        self.tree_dock = QDockWidget("Project", self)
        self.tree_dock.setObjectName("project_dock")
        self.tree_dock.setWidget(self.tree)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.tree_dock)
        self.comparison = ComparisonView()
        self.comparison_dock = QDockWidget("Comparison", self)
        self.comparison_dock.setObjectName("comparison_dock")
        self.comparison_dock.setWidget(self.comparison)
        self.comparison_dock.setMinimumWidth(340)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.comparison_dock)
        self._size_docks()
        request = getattr(self.comparison.external, "esmo_context_requested", None)
        if request is not None:
            request.connect(lambda: self.edit_esmo_context())
        for note in (self.plot.note, self.comparison.note):
            if note:
                self.statusBar().showMessage(note, 15000)

    TABLE_HEIGHT = 190         # px: the arm buttons, the header and a few arms
    COMPARISON_WIDTH = 450     # px: measure, reported and patient-data columns without scrolling

    def _tree_width(self) -> int:
        """Wide enough for the names, but at most 22% of the window: the plot comes first on a
        small screen (a cut name still shows in full on hover)."""
        return max(180, min(self.tree.sizeHint().width(), int(self.width() * 0.22)))

    def _size_docks(self) -> None:
        """Default dock widths: the tree as wide as its names (within limits), the comparison
        wide enough for its three columns; the plot takes the rest. A saved state overrides."""
        tree_w = self._tree_width()
        comp_w = min(self.COMPARISON_WIDTH, max(340, self.width() // 3))
        self.resizeDocks([self.tree_dock, self.comparison_dock], [tree_w, comp_w],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.table_dock], [self.TABLE_HEIGHT], Qt.Orientation.Vertical)

    def _act(self, menu, text, slot, shortcut=None, tip=None) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setStatusTip(tip)
            a.setToolTip(tip)
        # QAction.triggered passes `checked`; never hand it to a slot whose first parameter is
        # optional data (add_trial(name=None) received False and crashed).
        a.triggered.connect(lambda _checked=False: slot())
        menu.addAction(a)
        return a

    def _build_actions(self) -> None:
        mb = self.menuBar()
        SK = QKeySequence.StandardKey
        f = mb.addMenu("&File")
        self.act_new = self._act(f, "&New project", self.new_project, SK.New)
        self.act_open = self._act(f, "&Open…", self.open_dialog, SK.Open, "Open a project file")
        self.recent_menu = f.addMenu("Open &recent")
        self.act_save = self._act(f, "&Save", self.save, SK.Save)
        self.act_save_as = self._act(f, "Save &as…", self.save_as, SK.SaveAs)
        f.addSeparator()
        self.act_import_summary = self._act(
            f, "Import &summary table…", lambda: self.import_summary(), "Ctrl+Shift+I",
            "One row per arm: trial, endpoint, arm, role, n, events, median, …")
        self.act_import_patients = self._act(
            f, "Import &patient-level data…", lambda: self.import_patients(), "Ctrl+I",
            "One row a patient: time, event, arm")
        self.act_import_digitized = self._act(
            f, "Import &digitized curve…", lambda: self.import_digitized(), "Ctrl+D",
            "A digitized Kaplan–Meier figure plus its numbers at risk (Guyot reconstruction)")
        from evidencegui.ui.exports import add_export_menu
        add_export_menu(self, f.addMenu("&Export"))
        f.addSeparator()
        self._act(f, "&Quit", self.close, SK.Quit)
        e = mb.addMenu("&Edit")
        self.act_undo = self.controller.stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(SK.Undo)
        self.act_redo = self.controller.stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        # the menu says what will be undone; the toolbar buttons stay short
        self.act_undo.setIconText("Undo")
        self.act_redo.setIconText("Redo")
        e.addAction(self.act_undo)
        e.addAction(self.act_redo)
        e.addSeparator()
        self.act_copy_comparison = self._act(
            e, "&Copy the comparison as text", self.copy_comparison, "Ctrl+Alt+C",
            "The comparison table, for pasting into an e-mail")
        e.addSeparator()
        self._act(e, "Add &trial…", self.add_trial, "Ctrl+T")
        self._act(e, "Add &endpoint…", self.add_endpoint, "Ctrl+E")
        self._act(e, "Rename trial…", self.rename_trial)
        self._act(e, "Remove trial", self.remove_trial)
        e.addSeparator()
        self.act_add_arm = self._act(e, "Add &arm", self.add_arm, "Ctrl+Shift+A",
                                     "A new arm in the endpoint shown")
        self._act(e, "Duplicate arm", self.duplicate_arm, "Ctrl+Shift+D")
        self._act(e, "Remove arm", self.remove_arm, "Ctrl+Del")
        self._act(e, "Make the selected arm the control", self.make_control)
        v = mb.addMenu("&View")
        v.addAction(self.tree_dock.toggleViewAction())
        v.addAction(self.comparison_dock.toggleViewAction())
        v.addAction(self.table_dock.toggleViewAction())
        self.act_ci = self._act(v, "95% confidence bands", self._view_changed)
        self.act_ci.setCheckable(True)
        self.act_ci.setChecked(self.settings.show_ci)
        self.act_percent = self._act(v, "Survival in percent", self._view_changed)
        self.act_percent.setCheckable(True)
        self.unit_group = self._choice_menu(v.addMenu("Time axis"), TIME_UNITS, self.settings.time_unit)
        self.style_group = self._choice_menu(v.addMenu("Style"), STYLES, self.settings.style)
        v.addSeparator()
        self.act_overlay = self._act(v, "&Overlay arms from several trials…", lambda: self.choose_overlay(),
                                     "Ctrl+Shift+O", "Draw chosen arms of different trials on one plot")
        self.act_overlay_off = self._act(v, "Back to the endpoint's own arms", self.end_overlay)
        self.act_overlay_off.setEnabled(False)
        an = mb.addMenu("&Analysis")
        self.act_esmo = self._act(an, "ESMO-MCBS &context of this endpoint…", lambda: self.edit_esmo_context(),
                                  "Ctrl+M", "Setting, design, quality of life and toxicity: they choose "
                                  "the ESMO-MCBS form and adjust the grade")
        self.ci_group = self._choice_menu(an.addMenu("CI method for Kaplan–Meier"), CI_METHODS,
                                          self.settings.ci_method, self._ci_changed)
        h = mb.addMenu("&Help")
        self._act(h, "How the measures are computed", self.show_help, SK.HelpContents)
        self._act(h, "&About EvidenceGUI", self.show_about)
        tb = self.addToolBar("Main")
        tb.setObjectName("main_toolbar")
        self.act_new.setToolTip("A new, empty project")
        self.act_save.setToolTip("Save the project")
        for a in (self.act_new, self.act_open, self.act_save, None, self.act_undo, self.act_redo,
                  None, self.act_add_arm, self.act_import_patients, self.act_import_digitized,
                  None, self.act_copy_comparison):
            if a is None:
                tb.addSeparator()
            else:
                tb.addAction(a)
        for a in (self.act_import_patients, self.act_import_digitized, self.act_copy_comparison):
            a.setIconText(a.text().replace("&", "").replace("Import ", "").rstrip("…")
                          .replace("Copy the comparison as text", "Copy comparison").capitalize())
        self._update_recent_menu()
        from evidencegui.ui.exports import install as install_exports
        install_exports(self)     # File → Export…, Edit → Copy figure, plot context menu, view toggles

    def edit_esmo_context(self, values: dict | None = None) -> bool:
        """The ESMO-MCBS context of the shown endpoint (dialog unless ``values`` are given), as
        one undoable step. True when something changed."""
        if not self._need_endpoint():
            return False
        trial = self.project.trials[self.t_index]
        ep = trial.endpoints[self.e_index]
        if values is None:
            from PySide6.QtWidgets import QDialog

            from evidencegui.ui.dialogs.esmo import EsmoContextDialog
            dialog = EsmoContextDialog(trial, ep, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        changes = []
        for name in ("setting", "single_arm"):
            if name in values and values[name] != getattr(trial, name):
                changes.append(cmd.SetTrialField(self.t_index, name, values[name]))
        if "primary" in values and values["primary"] != ep.primary:
            changes.append(cmd.SetEndpointField(self.t_index, self.e_index, "primary", values["primary"]))
        if "esmo_flags" in values:
            flags = {k: True for k, v in values["esmo_flags"].items() if v}
            if flags != {k: True for k, v in ep.esmo_flags.items() if v}:
                changes.append(cmd.SetEndpointField(self.t_index, self.e_index, "esmo_flags", flags))
        if not changes:
            return False
        # focus on the endpoint, not the trial: a Batch takes the focus of its last command
        changes.append(cmd.SetEndpointField(self.t_index, self.e_index, "note", ep.note))
        return self.push(cmd.Batch(changes, "set ESMO-MCBS context"))

    def copy_comparison(self) -> None:
        panel = self.comparison.external
        if panel is not None and hasattr(panel, "copy_to_clipboard"):
            panel.copy_to_clipboard()
        else:
            from PySide6.QtGui import QGuiApplication
            QGuiApplication.clipboard().setText(self.comparison.browser.toPlainText())
        self.statusBar().showMessage("The comparison is on the clipboard, ready to paste.", 4000)

    def _choice_menu(self, menu, choices, current, slot=None) -> QActionGroup:
        group = QActionGroup(self)
        for c in choices:
            a = QAction(c, self)
            a.setCheckable(True)
            a.setChecked(c == current)
            group.addAction(a)
            menu.addAction(a)
        group.triggered.connect(slot or (lambda _a: self._view_changed()))
        return group

    @staticmethod
    def _chosen(group: QActionGroup) -> str:
        a = group.checkedAction()
        return a.text() if a else ""

    def _view_changed(self) -> None:
        self.settings.time_unit = self._chosen(self.unit_group)
        self.settings.style = self._chosen(self.style_group)
        self.settings.show_ci = self.act_ci.isChecked()
        self._refresh_views()

    def _ci_changed(self, action) -> None:
        self.settings.ci_method = action.text()
        if self.project.ci_method != action.text():
            self.push(cmd.SetProjectField("ci_method", action.text()))

    # ------------------------------------------------------------------ project state
    def set_project(self, project: Project, path=None, clean: bool = True) -> None:
        self.controller.set_project(project)
        self.path = Path(path) if path else None
        self.t_index = 0 if project.trials else None
        self.e_index = 0 if project.trials and project.trials[0].endpoints else None
        if not clean:
            self.controller.stack.resetClean()
        self._refresh_all()
        self._fit_tree_dock()
        self._update_title()

    def _fit_tree_dock(self) -> None:
        """A newly shown project: widen the tree dock so its names show (never narrower)."""
        want = self._tree_width()
        if self.tree_dock.isVisible() and self.tree_dock.width() < want:
            self.resizeDocks([self.tree_dock], [want], Qt.Orientation.Horizontal)

    def push(self, command) -> bool:
        try:
            self.controller.push(command)
        except cmd.CommandError as e:
            self.statusBar().showMessage(str(e), 8000)
            return False
        return True

    def _on_applied(self, command) -> None:
        focus = getattr(command, "focus", None)
        if focus is not None:
            ti, ei = focus
            self.t_index = ti
            self.e_index = ei if ei is not None else (0 if self.project.trials[ti].endpoints else None) \
                if ti < len(self.project.trials) else None
        self._clamp_selection()
        self._refresh_all()
        how, text = self.controller.last_action
        self.statusBar().showMessage({"undo": "Undone: ", "redo": "Redone: "}.get(how, "")
                                     + (text or command.text), 3000)
        self.autosaver.schedule()

    def _clamp_selection(self) -> None:
        trials = self.project.trials
        if not trials:
            self.t_index = self.e_index = None
            return
        if self.t_index is None or self.t_index >= len(trials):
            self.t_index = len(trials) - 1
        eps = trials[self.t_index].endpoints
        if not eps:
            self.e_index = None
        elif self.e_index is None or self.e_index >= len(eps):
            self.e_index = len(eps) - 1

    def choose_overlay(self, keys=None) -> bool:
        """Overlay arms of several trials on the plot: a dialog, unless ``keys`` (a list of
        (trial index, endpoint index, arm index)) are given. True when an overlay is shown."""
        if keys is None:
            from evidencegui.ui.dialogs.overlay import OverlayDialog
            dialog = OverlayDialog(self.project, self.overlay or (), self)
            if dialog.exec() != OverlayDialog.DialogCode.Accepted:
                return False
            keys = dialog.chosen()
        keys = [tuple(k) for k in keys]
        if not keys:
            self.end_overlay()
            return False
        self.overlay = keys
        self.act_overlay_off.setEnabled(True)
        self._refresh_views()
        self.statusBar().showMessage(f"Overlay of {len(keys)} arms; View → Back to the endpoint's "
                                     "own arms ends it", 8000)
        return True

    def end_overlay(self) -> None:
        if self.overlay is None:
            return
        self.overlay = None
        self.act_overlay_off.setEnabled(False)
        self._refresh_views()

    def _overlay_arms(self) -> list[tuple]:
        """The overlay's arms as objects; arms removed since it was chosen drop out."""
        out = []
        for ti, ei, ai in self.overlay or ():
            try:
                trial = self.project.trials[ti]
                ep = trial.endpoints[ei]
                out.append((trial, ep, ep.arms[ai]))
            except IndexError:
                continue
        return out

    def show_endpoint(self, t_index: int, e_index: int) -> None:
        if self.overlay is not None:
            self.end_overlay()
        if (t_index, e_index) == (self.t_index, self.e_index):
            return
        self.t_index, self.e_index = t_index, e_index
        self.model.set_endpoint(self.project, t_index, e_index)
        self._fit_table_columns()
        self._refresh_views()

    ARM_COLUMN_MAX = 250     # px: long arm names elide (full name on hover) so HR columns show

    def _fit_table_columns(self) -> None:
        self.table.resizeColumnsToContents()
        if self.model.columnCount() and self.table.columnWidth(0) > self.ARM_COLUMN_MAX:
            self.table.setColumnWidth(0, self.ARM_COLUMN_MAX)

    def _refresh_all(self) -> None:
        self.tree.set_project(self.project, self.t_index, self.e_index)
        if (self.model.project, self.model.t_index, self.model.e_index) == (self.project, self.t_index, self.e_index):
            self.model.refresh()
        else:
            self.model.set_endpoint(self.project, self.t_index, self.e_index)
        self._fit_table_columns()              # a longer value typed ("<0.001") stays readable
        self._refresh_views()

    def _draw_plot(self) -> None:
        """The shown endpoint, or the cross-trial overlay: one redraw either way."""
        w = self.plot.widget
        arms = self._overlay_arms() if self.overlay is not None and w is not None else []
        if arms:
            w.set_view(self.settings.time_unit, self.settings.style, self.settings.show_ci,
                       redraw=False)
            w.set_arms(arms, project=self.project)
        else:
            self.plot.show_endpoint(self.project, self.t_index, self.e_index,
                                    self.settings.time_unit, self.settings.style,
                                    self.settings.show_ci)
        if w is not None and hasattr(self, "act_percent"):      # the View menu exists
            w.set_percent(self.act_percent.isChecked())

    def _refresh_views(self) -> None:
        for name, call in (("plot", self._draw_plot),
                           ("comparison", lambda: self.comparison.show_endpoint(
                               self.project, self.t_index, self.e_index))):
            try:
                call()
            except Exception as e:  # a drawing problem must not stop editing
                self.statusBar().showMessage(f"The {name} could not be drawn: {type(e).__name__}: {e}", 10000)

    def _update_title(self) -> None:
        name = self.path.name if self.path else "Untitled"
        self.setWindowTitle(f"{name}[*] — EvidenceGUI")
        self.setWindowModified(not self.controller.is_clean())

    def current_row(self) -> int | None:
        idx = self.table.currentIndex()
        return idx.row() if idx.isValid() else None

    # ------------------------------------------------------------------ arms, trials, endpoints
    def _need_endpoint(self) -> bool:
        if self.t_index is None or self.e_index is None:
            self.statusBar().showMessage("Add a trial and an endpoint first (Edit menu).", 6000)
            return False
        return True

    def add_arm(self) -> None:
        if not self._need_endpoint():
            return
        arms = self.model.arms()
        label = cmd.new_arm_label({a.label for a in arms})
        role = "control" if not any(a.is_control for a in arms) else "experimental"
        self.push(cmd.AddArm(self.t_index, self.e_index, len(arms), Arm(label, role=role)))
        self.table.setCurrentIndex(self.model.index(len(arms), 0))

    def duplicate_arm(self) -> None:
        row = self.current_row()
        if row is None or not self._need_endpoint():
            return
        arms = self.model.arms()
        dup = cmd.duplicate_arm(arms[row], {a.label for a in arms})
        self.push(cmd.AddArm(self.t_index, self.e_index, row + 1, dup, "duplicate arm"))

    def remove_arm(self) -> None:
        row = self.current_row()
        if row is not None and self._need_endpoint():
            self.push(cmd.RemoveArm(self.t_index, self.e_index, row))

    def move_arm(self, step: int) -> None:
        row = self.current_row()
        if row is None or not self._need_endpoint():
            return
        new = row + step
        if 0 <= new < len(self.model.arms()):
            col = self.table.currentIndex().column()
            self.push(cmd.MoveArm(self.t_index, self.e_index, row, new))
            self.table.setCurrentIndex(self.model.index(new, col))

    def make_control(self) -> None:
        row = self.current_row()
        if row is not None and self._need_endpoint():
            self.push(cmd.SetControl(self.t_index, self.e_index, row))

    def add_landmark_column(self) -> None:
        t, ok = QInputDialog.getDouble(self, "Add landmark", "Survival at time (months):", 24, 0.1, 600, 1)
        if ok:
            self.model.add_landmark_time(t)

    def add_trial(self, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self, "Add trial", "Trial name:")
            if not ok or not name.strip():
                return
        ep = Endpoint("OS", [Arm("Control", role="control"), Arm("Experimental")])
        self.push(cmd.AddTrial(len(self.project.trials), Trial(name.strip(), [ep])))

    def add_endpoint(self, name: str | None = None) -> None:
        if self.t_index is None:
            self.add_trial()
            return
        if name is None:
            name, ok = QInputDialog.getItem(self, "Add endpoint", "Endpoint:",
                                            ["OS", "PFS", "DFS", "EFS", "TTP", "ORR"], 1, True)
            if not ok or not name.strip():
                return
        trial = self.project.trials[self.t_index]
        # the same arms as the endpoint shown, without results yet
        arms = [Arm(a.label, role=a.role) for a in trial.endpoints[self.e_index].arms] \
            if self.e_index is not None else []
        self.push(cmd.AddEndpoint(self.t_index, len(trial.endpoints), Endpoint(name.strip(), arms)))

    def rename_trial(self) -> None:
        if self.t_index is None:
            return
        name, ok = QInputDialog.getText(self, "Rename trial", "Trial name:",
                                        text=self.project.trials[self.t_index].name)
        if ok and name.strip():
            self.push(cmd.RenameTrial(self.t_index, name.strip()))

    def remove_trial(self) -> None:
        if self.t_index is not None:
            self.push(cmd.RemoveTrial(self.t_index))

    # ------------------------------------------------------------------ files
    def new_project(self) -> None:
        if self.confirm_discard():
            self.set_project(Project(ci_method=self.settings.ci_method))

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open project", self.settings.last_dir("project"),
                                              FILTER_PROJECT + ";;All files (*)")
        if path:
            self.open_path(path)

    def open_path(self, path) -> bool:
        """Open a project file (or import a data file by its kind). False on error (shown)."""
        kind = file_ops.kind_of(path)
        if kind != "project":
            return self.import_file(path)
        try:
            project = run_with_progress(self, "Opening project", file_ops.load_project_file, path)
        except Cancelled:
            return False
        except Exception as e:
            show_error(self, "Cannot open the project", str(e))
            return False
        self.set_project(project, path)
        self._remember(path, "project")
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def _remember(self, path, kind: str) -> None:
        self.settings.set_last_dir(kind, path)
        if kind == "project":
            self.settings.last_project = str(Path(path).resolve())
            self.settings.add_recent(path)
            self._update_recent_menu()

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        for p in recent:
            a = self.recent_menu.addAction(p)
            a.triggered.connect(lambda _=False, p=p: self.confirm_discard() and self.open_path(p))
        self.recent_menu.setEnabled(bool(recent))

    def save(self) -> bool:
        if self.path is None or not self.path.name.endswith(file_ops.PROJECT_SUFFIX):
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        start = str(Path(self.settings.last_dir("project")) / (self.path.name if self.path else "project.evidence.json"))
        path, _ = QFileDialog.getSaveFileName(self, "Save project", start, FILTER_PROJECT)
        if not path:
            return False
        if not path.endswith(file_ops.PROJECT_SUFFIX):
            path += file_ops.PROJECT_SUFFIX
        return self.save_to(path)

    def save_to(self, path) -> bool:
        try:
            from evidencegui.io.project_file import save_project
            save_project(self.project, path)
        except Exception as e:
            show_error(self, "Cannot save the project", f"{path}: {e}")
            return False
        self.path = Path(path)
        self.controller.set_clean()
        self.autosaver.discard()
        self._remember(path, "project")
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def confirm_discard(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded, or clean)."""
        if self.controller.is_clean():
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", "The project has unsaved changes. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def offer_recovery(self) -> bool:
        """After an unclean exit: offer the recovery file. True when it was restored."""
        rec = find_recovery(self.settings.recovery_dir)
        if rec is None:
            return False
        if not rec.newer_than_source:
            self.autosaver.discard()
            return False
        answer = QMessageBox.question(
            self, "Restore unsaved work?",
            "EvidenceGUI did not close normally last time. Restore the work saved automatically"
            + (f" (from {rec.source})" if rec.source else "") + "?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            self.autosaver.discard()
            return False
        try:
            project = file_ops.load_project_file(rec.path)
        except Exception as e:
            show_error(self, "Cannot restore", str(e))
            return False
        self.set_project(project, rec.source, clean=False)
        self.statusBar().showMessage("Restored the automatically saved work; save it to keep it.", 10000)
        return True

    # ------------------------------------------------------------------ imports (see importers.py)
    def import_file(self, path) -> bool:
        from evidencegui.ui.importers import import_file
        return import_file(self, path)

    def import_summary(self, path=None) -> bool:
        from evidencegui.ui.importers import import_summary
        return import_summary(self, path)

    def import_patients(self, path=None, mapping=None) -> bool:
        from evidencegui.ui.importers import import_patients
        return import_patients(self, path, mapping)

    def import_digitized(self, path=None) -> bool:
        from evidencegui.ui.importers import import_digitized
        return import_digitized(self, path)

    def dragEnterEvent(self, event):  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802
        for url in event.mimeData().urls():
            if url.isLocalFile():
                path = url.toLocalFile()
                if file_ops.kind_of(path) == "project" and not self.confirm_discard():
                    continue
                self.open_path(path)
        event.acceptProposedAction()

    # ------------------------------------------------------------------ help, window state
    def show_help(self) -> None:
        from evidencegui.ui.dialogs.help import HelpDialog
        HelpDialog(self).exec()

    def show_about(self) -> None:
        from evidencegui.ui.dialogs.about import show_about
        show_about(self)

    def _restore_window(self) -> None:
        g, s = self.settings.geometry(), self.settings.state()
        if g is not None:
            self.restoreGeometry(g)
        if s is not None:
            self.restoreState(s)

    def closeEvent(self, event):  # noqa: N802
        if not self.confirm_discard():
            event.ignore()
            return
        self.settings.save_window(self.saveGeometry(), self.saveState())
        if self.path is not None:
            self.settings.last_project = str(self.path)
        self.settings.sync()
        self.autosaver.discard()   # a clean exit leaves no recovery file
        event.accept()
