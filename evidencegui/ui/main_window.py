"""The main window: project tree, survival plot over the editable arms table, comparison panel;
every edit through the undo stack; autosave and recovery.

Split by responsibility: the widgets and docks in window_layout.py; menus, toolbar, shortcuts
and context menus in window_actions.py; the project's structure (trials, endpoints, arms) in
structure.py; files in window_files.py; imports in importers.py; keyboard navigation in
keyboard.py. The methods here stay the window's public face (other modules hook in with
``install(window)`` and call them)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMainWindow

from evidencegui.core import commands as cmd
from evidencegui.core.model import Project
from evidencegui.ui import file_ops, keyboard, structure, window_actions, window_files, window_layout
from evidencegui.ui.autosave import Autosaver
from evidencegui.ui.settings import Settings
from evidencegui.ui.undo import UndoController

FILTER_PROJECT = window_files.FILTER_PROJECT
FILTER_TABLE = "Tables (*.csv *.tsv *.txt *.xlsx)"


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, autosave_delay_ms: int = 3000):
        super().__init__()
        self.settings = settings or Settings()
        self.path: Path | None = None
        self.template_name: str | None = None   # the bundled example this unsaved project came from
        self.model_horizon: float | None = None  # months; None: the default end of modelled curves
        self.t_index: int | None = None
        self.e_index: int | None = None
        self.overlay: list[tuple[int, int, int]] | None = None   # cross-trial overlay on the plot
        self._drawn_signature = None        # what the plot last drew from (see plot_signature.py)
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
        self._build_start_page()
        self._restore_window()
        window_actions.install_context_menus(self)
        self._update_title()
        from evidencegui.ui.across_view import install as install_across_trials
        install_across_trials(self)     # the "Across trials" tab, View → Across trials, its exports

    # ------------------------------------------------------------------ layout
    @property
    def project(self) -> Project:
        return self.controller.project

    def _build_widgets(self) -> None:
        window_layout.build(self)

    def _tree_width(self) -> int:
        return window_layout.tree_width(self)

    def _size_docks(self) -> None:
        window_layout.size_docks(self)

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
        window_actions.build_actions(self)
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
        self.template_name = None
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
        shown = ""
        if self.t_index is not None and self.e_index is not None:
            t = self.project.trials[self.t_index]
            shown = f": {t.name} — {t.endpoints[self.e_index].name}"
        self.statusBar().showMessage(f"Overlay ended; back to the endpoint's own arms{shown}", 6000)

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
        current = self.tree.selected_path()
        if current is None or tuple(current[:2]) != (t_index, e_index):
            self.tree.select_path((t_index, e_index, None))   # the tree shows what is shown
        self.model.set_endpoint(self.project, t_index, e_index)
        self._fit_table_columns()
        self._refresh_views()

    ARM_COLUMN_MAX = 250     # px: long arm names elide (full name on hover) so HR columns show

    def _fit_table_columns(self) -> None:
        """Columns as wide as their contents (long arm names elide at ARM_COLUMN_MAX). Fitted
        again only when a header or the longest text of a column changed: the fit asks every cell
        for eight roles, which is most of a keystroke's table work."""
        m = self.model
        texts = tuple((m.headerData(j, Qt.Orientation.Horizontal),
                       max((len(str(m.data(m.index(i, j)) or "")) for i in range(m.rowCount())), default=0))
                      for j in range(m.columnCount()))
        if texts == getattr(self, "_fitted_texts", None):
            return
        self._fitted_texts = texts
        self.table.resizeColumnsToContents()
        if self.model.columnCount() and self.table.columnWidth(0) > self.ARM_COLUMN_MAX:
            self.table.setColumnWidth(0, self.ARM_COLUMN_MAX)

    def _build_start_page(self) -> None:
        """The start page is built when first shown (start-up with a project never builds it)."""
        from PySide6.QtCore import QTimer
        self.start_page = None
        self._start_requested = False
        QTimer.singleShot(0, self._update_centre)

    def _ensure_start_page(self):
        if self.start_page is None:
            from evidencegui.ui.start_page import StartPage
            self.start_page = StartPage(self)
            self.centre.addWidget(self.start_page)
        return self.start_page

    def show_start_page(self) -> None:
        """View → Start page (shown anyway while the project has no trial)."""
        self._start_requested = True
        self._ensure_start_page().rebuild()
        self._update_centre()
        self.start_page.setFocus()

    def _update_centre(self) -> None:
        if not hasattr(self, "_start_requested"):
            return                                   # still building the window
        if self._start_requested or not self.project.trials:
            start = self._ensure_start_page()
            if self.centre.currentWidget() is not start:
                start.rebuild()
                self.centre.setCurrentWidget(start)
        elif self.centre.currentWidget() is not self.plot:
            self.centre.setCurrentWidget(self.plot)

    def _refresh_all(self) -> None:
        self._start_requested = False
        self._update_centre()
        self.tree.set_project(self.project, self.t_index, self.e_index)
        if (self.model.project, self.model.t_index, self.model.e_index) == (self.project, self.t_index, self.e_index):
            self.model.refresh()
        else:
            self.model.set_endpoint(self.project, self.t_index, self.e_index)
        self._fit_table_columns()              # a longer value typed ("<0.001") stays readable
        self._refresh_views()

    def _plot_signature(self) -> tuple:
        """What the plot draws from: when an edit leaves it unchanged (a reported value of an arm
        drawn from its patient data, say) the plot is not rebuilt."""
        from evidencegui.ui.plot_signature import plot_signature
        return plot_signature(self)

    def _draw_plot(self) -> None:
        """The shown endpoint, or the cross-trial overlay: one redraw either way (none when
        nothing it draws from has changed)."""
        w = self.plot.widget
        percent = hasattr(self, "act_percent") and self.act_percent.isChecked()   # the View menu exists
        # the signature, and what the widget last drew (another view may have drawn since)
        sig = self._plot_signature()
        drawn = self._drawn_signature
        if w is not None and drawn is not None and drawn[1] is getattr(w, "_source", None) \
                and drawn[0][0] == sig[0]:
            if drawn[0][1] != sig[1]:          # only the reported HR, its CI or p: the note
                w.update_note()
                self._drawn_signature = (sig, drawn[1])
            if w.percent != percent:
                w.set_percent(percent)
            return
        arms = self._overlay_arms() if self.overlay is not None and w is not None else []
        if arms:
            w.set_view(self.settings.time_unit, self.settings.style, self.settings.show_ci,
                       redraw=False)
            w.set_arms(arms, project=self.project)
        else:
            self.plot.show_endpoint(self.project, self.t_index, self.e_index,
                                    self.settings.time_unit, self.settings.style,
                                    self.settings.show_ci)
        if w is not None:
            w.set_percent(percent)
            self._drawn_signature = (sig, getattr(w, "_source", None))

    def invalidate_plot(self) -> None:
        """The next refresh redraws the plot even if nothing it draws from has changed."""
        self._drawn_signature = None

    def _refresh_views(self) -> None:
        for name, call in (("plot", self._draw_plot),
                           ("comparison", lambda: self.comparison.show_endpoint(
                               self.project, self.t_index, self.e_index))):
            try:
                call()
            except Exception as e:  # a drawing problem must not stop editing
                self.statusBar().showMessage(f"The {name} could not be drawn: {type(e).__name__}: {e}", 10000)

    def _update_title(self) -> None:
        self.setWindowTitle(f"{window_files.project_name(self)}[*] — EvidenceGUI")
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
        structure.add_arm(self)

    def duplicate_arm(self) -> None:
        structure.duplicate_arm(self)

    def remove_arm(self) -> None:
        structure.remove_arm(self)

    def move_arm(self, step: int) -> None:
        structure.move_arm(self, step)

    def make_control(self) -> None:
        structure.make_control(self)

    def add_landmark_column(self) -> None:
        t, ok = QInputDialog.getDouble(self, "Add landmark", "Survival at time (months):", 24, 0.1, 600, 1)
        if ok:
            self.model.add_landmark_time(t)

    def add_trial(self, name: str | None = None, endpoints=None, arms=None) -> bool:
        """A new trial; without ``name`` a dialog asks its name, endpoint(s) and arms."""
        return structure.add_trial(self, name, endpoints, arms)

    def add_endpoint(self, name: str | None = None) -> bool:
        return structure.add_endpoint(self, name)

    def rename_trial(self, name: str | None = None) -> bool:
        return self.t_index is not None and structure.rename(self, (self.t_index, None, None), name)

    def remove_trial(self) -> bool:
        return self.t_index is not None and structure.remove(self, (self.t_index, None, None))

    def rename_selected(self, name: str | None = None) -> bool:
        """F2: the arm cell being typed in, or the selected trial, endpoint or arm."""
        if structure._focus_in(self, self.table) and self.table.currentIndex().isValid() and name is None:
            idx = self.table.currentIndex()
            if idx.column() != 0:
                self.table.edit(idx)
                return True
        return structure.rename(self, None, name)

    def remove_selected(self) -> bool:
        return structure.remove(self)

    def move_selected(self, step: int) -> bool:
        return structure.move(self, step)

    # ------------------------------------------------------------------ keyboard
    def cycle_panes(self, step: int = 1) -> None:
        keyboard.cycle(self, step)

    def copy_focused(self) -> bool:
        return keyboard.copy_focused(self)

    def copy_cells(self) -> bool:
        return keyboard.copy_cells(self)

    # ------------------------------------------------------------------ files
    def new_project(self) -> None:
        window_files.new_project(self)

    def new_from_template(self, name: str | None = None) -> bool:
        return window_files.new_from_template(self, name)

    def open_dialog(self) -> None:
        window_files.open_dialog(self)

    def open_path(self, path) -> bool:
        """Open a project file (or import a data file by its kind). False on error (shown)."""
        return window_files.open_path(self, path)

    def _remember(self, path, kind: str) -> None:
        window_files.remember(self, path, kind)

    def _update_recent_menu(self) -> None:
        window_files.update_recent_menu(self)

    def save(self) -> bool:
        return window_files.save(self)

    def save_as(self) -> bool:
        return window_files.save_as(self)

    def save_to(self, path) -> bool:
        return window_files.save_to(self, path)

    def confirm_discard(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded, or clean)."""
        return window_files.confirm_discard(self)

    def offer_recovery(self) -> bool:
        """After an unclean exit: offer the recovery file. True when it was restored."""
        return window_files.offer_recovery(self)

    def open_summary_template(self) -> bool:
        """The summary-table template: a copy saved where the user chooses, then shown."""
        from evidencegui.ui.start_page import open_summary_template
        return open_summary_template(self)

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

    def show_getting_started(self) -> None:
        from evidencegui.ui.dialogs.help import HelpDialog
        HelpDialog(self, page="getting_started.html").exec()

    # ------------------------------------------------------------------ modelled curves, ESMO-MCBS
    def ask_model_horizon(self, months: float | None = None) -> None:
        """View → Modelled curves end at…: 0 (or empty) goes back to the default (the last
        landmark or 1.5 × the longest median, within the patient-level follow-up)."""
        if months is None:
            value, ok = QInputDialog.getDouble(
                self, "Modelled curves", "Curves modelled from reported numbers end at (months; "
                "0 = default: the last landmark or 1.5 × the longest median):",
                self.model_horizon or 0.0, 0.0, 600.0, 1)
            if not ok:
                return
            months = value
        self.model_horizon = months if months and months > 0 else None
        if self.plot.widget is not None:
            self.plot.widget.model_horizon = self.model_horizon
        self.invalidate_plot()
        self._refresh_views()

    def offer_reconstructed_values(self, answer: bool | None = None) -> bool:
        """Analysis → Use the reconstructed values for ESMO-MCBS (see esmo_derived.py)."""
        from evidencegui.ui.esmo_derived import offer
        return offer(self, answer)

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
