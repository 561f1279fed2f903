"""The window's menus, toolbar and shortcuts.

Conventional keys: Ctrl+N/O/S/Shift+S, Ctrl+Z/Y, Ctrl+C (copy what has the focus), Ctrl+Shift+E
(export: File → Export…), F1 (help), F2 (rename), Delete (remove), Alt+Up/Down (reorder), F6/Shift+F6
and Ctrl+Tab/Ctrl+Shift+Tab (next/previous pane). tests/ui/test_all_actions.py checks that no two
actions share a key and that every action works.
"""
from __future__ import annotations

from PySide6.QtGui import QKeySequence

from evidencegui.core import commands as cmd
from evidencegui.core.model import CI_METHODS
from evidencegui.ui import structure
from evidencegui.ui.settings import STYLES, TIME_UNITS

SK = QKeySequence.StandardKey


def build_actions(w) -> None:
    mb = w.menuBar()
    _file_menu(w, mb.addMenu("&File"))
    _edit_menu(w, mb.addMenu("&Edit"))
    _view_menu(w, mb.addMenu("&View"))
    an = mb.addMenu("&Analysis")
    w.act_esmo = w._act(an, "ESMO-MCBS &context of this endpoint…", lambda: w.edit_esmo_context(),
                        "Ctrl+M", "Setting, design, quality of life and toxicity: they choose "
                        "the ESMO-MCBS form and adjust the grade")
    w.act_esmo_copy = w._act(an, "Use the &reconstructed values for ESMO-MCBS…",
                             lambda: w.offer_reconstructed_values(),
                             tip="A trial with only reconstructed data: copy its medians and HR "
                             "into the reported columns, marked as derived from the figure")
    w.ci_group = w._choice_menu(an.addMenu("CI method for Kaplan–Meier"), CI_METHODS,
                                w.settings.ci_method, w._ci_changed)
    h = mb.addMenu("&Help")
    w.act_getting_started = w._act(h, "&Getting started", lambda: w.show_getting_started(),
                                   tip="Short task pages with pictures")
    w.act_help = w._act(h, "How the &measures are computed", w.show_help, SK.HelpContents)
    w._act(h, "&About EvidenceGUI", w.show_about)
    _toolbar(w)
    w._update_recent_menu()


def _file_menu(w, f) -> None:
    w.act_new = w._act(f, "&New project", w.new_project, SK.New)
    w.act_new_template = w._act(f, "New from &template…", lambda: w.new_from_template(),
                                tip="Start from a bundled example (saved where you choose)")
    w.act_open = w._act(f, "&Open…", w.open_dialog, SK.Open, "Open a project file")
    w.recent_menu = f.addMenu("Open &recent")
    w.act_save = w._act(f, "&Save", w.save, SK.Save)
    w.act_save_as = w._act(f, "Save &as…", w.save_as, "Ctrl+Shift+S")
    f.addSeparator()
    w.act_import_summary = w._act(
        f, "Import &summary table…", lambda: w.import_summary(), "Ctrl+Shift+I",
        "One row per arm: trial, endpoint, arm, role, n, events, median, …")
    w.act_import_patients = w._act(
        f, "Import &patient-level data…", lambda: w.import_patients(), "Ctrl+I",
        "One row a patient: time, event, arm")
    w.act_import_digitized = w._act(
        f, "Import &digitized curve…", lambda: w.import_digitized(), "Ctrl+D",
        "A digitized Kaplan–Meier figure plus its numbers at risk (Guyot reconstruction)")
    w.act_summary_template = w._act(
        f, "Open the summary-table &template…", lambda: w.open_summary_template(),
        tip="The spreadsheet to fill in for File → Import summary table")
    from evidencegui.ui.exports import add_export_menu
    w.export_menu = f.addMenu("&Export")
    add_export_menu(w, w.export_menu)
    f.addSeparator()
    w._act(f, "&Quit", w.close, SK.Quit)


def _edit_menu(w, e) -> None:
    w.act_undo = w.controller.stack.createUndoAction(w, "&Undo")
    w.act_undo.setShortcut(QKeySequence("Ctrl+Z"))
    w.act_redo = w.controller.stack.createRedoAction(w, "&Redo")
    w.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    # the menu says what will be undone; the toolbar buttons stay short
    w.act_undo.setIconText("Undo")
    w.act_redo.setIconText("Redo")
    e.addAction(w.act_undo)
    e.addAction(w.act_redo)
    e.addSeparator()
    w.act_copy = w._act(e, "&Copy", lambda: w.copy_focused(), "Ctrl+C",
                        "The selected cells, the figure or the comparison, whichever has the focus")
    w.act_copy_comparison = w._act(
        e, "Copy the comparison as &text", w.copy_comparison, "Ctrl+Alt+C",
        "The comparison table, for pasting into an e-mail")
    e.addSeparator()
    w.act_add_trial = w._act(e, "Add &trial…", w.add_trial, "Ctrl+T")
    w.act_add_endpoint = w._act(e, "Add &endpoint…", w.add_endpoint, "Ctrl+E")
    w.act_add_arm = w._act(e, "Add &arm", w.add_arm, "Ctrl+Shift+A", "A new arm in the endpoint shown")
    w.act_duplicate_arm = w._act(e, "Duplicate arm", w.duplicate_arm, "Ctrl+Shift+D")
    w.act_make_control = w._act(e, "Make the selected arm the control", w.make_control)
    e.addSeparator()
    w.act_rename = w._act(e, "&Rename…", lambda: w.rename_selected(), "F2",
                          "Rename the selected trial, endpoint or arm")
    w.act_remove = w._act(e, "Re&move", lambda: w.remove_selected(), SK.Delete,
                          "Remove the selected trial, endpoint or arm (Undo brings it back)")
    w.act_move_up = w._act(e, "Move &up", lambda: w.move_selected(-1), "Alt+Up")
    w.act_move_down = w._act(e, "Move do&wn", lambda: w.move_selected(1), "Alt+Down")
    w.act_remove_arm = w._act(e, "Remove arm", w.remove_arm, "Ctrl+Del")
    w._act(e, "Rename trial…", w.rename_trial)
    w._act(e, "Remove trial", w.remove_trial)


def _view_menu(w, v) -> None:
    v.addAction(w.tree_dock.toggleViewAction())
    v.addAction(w.comparison_dock.toggleViewAction())
    v.addAction(w.table_dock.toggleViewAction())
    w.act_start = w._act(v, "&Start page", lambda: w.show_start_page(), tip="Examples, new project, imports, recent files")
    v.addSeparator()
    w.act_next_pane = w._act(v, "Next pane", lambda: w.cycle_panes(1), "F6")
    w.act_next_pane.setShortcuts([QKeySequence("F6"), QKeySequence("Ctrl+Tab")])
    w.act_prev_pane = w._act(v, "Previous pane", lambda: w.cycle_panes(-1), "Shift+F6")
    w.act_prev_pane.setShortcuts([QKeySequence("Shift+F6"), QKeySequence("Ctrl+Shift+Tab")])
    v.addSeparator()
    w.act_ci = w._act(v, "95% confidence bands", w._view_changed)
    w.act_ci.setCheckable(True)
    w.act_ci.setChecked(w.settings.show_ci)
    w.act_percent = w._act(v, "Survival in percent", w._view_changed)
    w.act_percent.setCheckable(True)
    w.unit_group = w._choice_menu(v.addMenu("Time axis"), TIME_UNITS, w.settings.time_unit)
    w.style_group = w._choice_menu(v.addMenu("Style"), STYLES, w.settings.style)
    w.act_horizon = w._act(v, "Modelled curves end at…", lambda: w.ask_model_horizon(),
                           tip="How far curves modelled from reported numbers are drawn")
    v.addSeparator()
    w.act_overlay = w._act(v, "&Overlay arms from several trials…", lambda: w.choose_overlay(),
                           "Ctrl+Shift+O", "Draw chosen arms of different trials on one plot")
    w.act_overlay_off = w._act(v, "Back to the endpoint's own arms", w.end_overlay)
    w.act_overlay_off.setEnabled(False)


def _toolbar(w) -> None:
    tb = w.addToolBar("Main")
    tb.setObjectName("main_toolbar")
    w.toolbar = tb
    w.act_new.setToolTip("A new, empty project")
    w.act_save.setToolTip("Save the project")
    for a in (w.act_new, w.act_open, w.act_save, None, w.act_undo, w.act_redo,
              None, w.act_add_arm, w.act_import_patients, w.act_import_digitized,
              None, w.act_copy_comparison):
        if a is None:
            tb.addSeparator()
        else:
            tb.addAction(a)
    for a in (w.act_import_patients, w.act_import_digitized, w.act_copy_comparison):
        a.setIconText(a.text().replace("&", "").replace("Import ", "").rstrip("…")
                      .replace("Copy the comparison as text", "Copy comparison").capitalize())


# ------------------------------------------------------------------ context menus

def tree_menu(w, path):
    """The tree's context menu for the item at ``path`` (None: the empty area)."""
    from PySide6.QtWidgets import QMenu
    menu = QMenu(w.tree)
    what = structure.kind(path)
    if what == "nothing":
        _item(menu, "Add trial…", lambda: w.add_trial())
        return menu
    if what == "trial":
        _item(menu, "Add endpoint…", lambda: w.add_endpoint())
    elif what == "endpoint":
        _item(menu, "Add arm", lambda: w.add_arm())
    else:
        _item(menu, "Make this arm the control",
              lambda: structure.exists(w, path) and w.push(cmd.SetControl(*path)))
    menu.addSeparator()
    _item(menu, f"Rename {what}…\tF2", lambda: structure.rename(w, path))
    _item(menu, "Move up\tAlt+Up", lambda: structure.move(w, -1, path))
    _item(menu, "Move down\tAlt+Down", lambda: structure.move(w, 1, path))
    menu.addSeparator()
    _item(menu, f"Remove {what}\tDelete", lambda: structure.remove(w, path))
    return menu


def table_menu(w):
    from PySide6.QtWidgets import QMenu
    menu = QMenu(w.table)
    row = w.current_row()
    _item(menu, "Copy\tCtrl+C", lambda: w.copy_cells())
    menu.addSeparator()
    for a in (w.act_add_arm, w.act_duplicate_arm, w.act_make_control):
        menu.addAction(a)
    if row is not None and w.e_index is not None:
        path = (w.t_index, w.e_index, row)
        _item(menu, "Rename arm…", lambda: structure.rename(w, path))
        _item(menu, "Move up", lambda: structure.move(w, -1, path))
        _item(menu, "Move down", lambda: structure.move(w, 1, path))
        menu.addSeparator()
        _item(menu, "Remove arm", lambda: structure.remove(w, path))
    return menu


def plot_menu(w):
    from PySide6.QtWidgets import QMenu
    menu = QMenu(w.plot)
    for a in [getattr(w, "act_export", None)] + [getattr(w, "export_actions", {}).get(k) for k in
                                                  ("clipboard", ".png", ".svg", ".pptx", ".xlsx")]:
        if a is not None and a not in menu.actions():
            menu.addAction(a)
    menu.addSeparator()
    if w.t_index is not None and w.e_index is not None:
        path = (w.t_index, w.e_index, None)
        _item(menu, "Rename endpoint…", lambda: structure.rename(w, path))
        _item(menu, "Remove endpoint", lambda: structure.remove(w, path))
    menu.addSeparator()
    menu.addAction(w.act_ci)
    menu.addAction(w.act_percent)
    return menu


def _item(menu, text, slot):
    a = menu.addAction(text)
    a.triggered.connect(lambda _checked=False: slot())
    return a


def install_context_menus(w) -> None:
    from PySide6.QtCore import Qt

    def tree_at(pos):
        item = w.tree.itemAt(pos)
        if item is not None:
            w.tree.setCurrentItem(item)
        path = w.tree.selected_path() if item is not None else None
        tree_menu(w, path).exec(w.tree.viewport().mapToGlobal(pos))

    w.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    w.tree.customContextMenuRequested.connect(tree_at)
    w.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    w.table.customContextMenuRequested.connect(
        lambda pos: table_menu(w).exec(w.table.viewport().mapToGlobal(pos)))
    target = getattr(w.plot.widget, "glw", None) or w.plot
    if target.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu:
        # the figure's own menu (exports.install: copy, export): rename and remove join it
        from PySide6.QtGui import QAction
        sep = QAction(target)
        sep.setSeparator(True)
        target.addAction(sep)
        for text, slot in (("Rename endpoint…", lambda: _shown_endpoint(w, structure.rename)),
                           ("Remove endpoint", lambda: _shown_endpoint(w, structure.remove))):
            a = QAction(text, target)
            a.triggered.connect(lambda _c=False, slot=slot: slot())
            target.addAction(a)
        return
    target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    target.customContextMenuRequested.connect(lambda pos: plot_menu(w).exec(target.mapToGlobal(pos)))


def _shown_endpoint(w, call):
    if w.t_index is None or w.e_index is None:
        w.statusBar().showMessage("No endpoint is shown.", 5000)
        return False
    return call(w, (w.t_index, w.e_index, None))
