"""Cross-trial overlay from the window: chosen arms of two trials on one plot; percent axis."""
import copy

import numpy as np

from evidencegui.core import curves as cc


def _two_trials(window):
    """The CLEOPATRA example plus a copy of it renamed, as a second trial."""
    project = window.project
    del project.trials[1:]                   # the example also holds PHILA
    second = copy.deepcopy(project.trials[0])
    second.name = "CLEOPATRA copy"
    project.trials.append(second)
    window._refresh_all()
    return project


def test_overlay_draws_the_chosen_arms_of_two_trials(window, qtbot):
    project = _two_trials(window)
    assert window.choose_overlay([(0, 0, 0), (1, 0, 1)])
    w = window.plot.widget
    keys = set(w.curve_items)
    t0, t1 = project.trials
    k0 = f"{t0.name}: {t0.endpoints[0].arms[0].label}"
    k1 = f"{t1.name}: {t1.endpoints[0].arms[1].label}"
    assert keys == {k0, k1}
    assert "Cross-trial overlay" in w.title
    # the drawn steps are the core's arrays for that arm
    arm = t1.endpoints[0].arms[1]
    expected = cc.arm_curve(arm, project.ci_method or "log-log", label=k1)
    x, y = w.curve_items[k1].getData()
    np.testing.assert_allclose(x, expected.time)
    np.testing.assert_allclose(y, expected.survival)


def test_overlay_survives_an_edit_and_ends_on_endpoint_selection(window, qtbot):
    _two_trials(window)
    window.choose_overlay([(0, 0, 0), (1, 0, 0)])
    window._refresh_all()                     # as after any edit
    assert len(window.plot.widget.curve_items) == 2
    assert window.act_overlay_off.isEnabled()
    window.show_endpoint(0, 1)                # the user picks an endpoint in the tree
    assert window.overlay is None and not window.act_overlay_off.isEnabled()
    labels = {a.label for a in window.project.trials[0].endpoints[1].arms}
    assert set(window.plot.widget.curve_items) == labels


def test_empty_overlay_choice_returns_to_the_endpoint(window, qtbot):
    _two_trials(window)
    window.choose_overlay([(0, 0, 0)])
    assert not window.choose_overlay([])
    assert window.overlay is None


def test_overlay_dialog_lists_every_arm(window, qtbot):
    from evidencegui.ui.dialogs.overlay import OverlayDialog

    project = _two_trials(window)
    d = OverlayDialog(project, [(1, 1, 0)])
    qtbot.addWidget(d)
    assert d.chosen() == [(1, 1, 0)]
    d.set_checked([(0, 0, 0), (0, 0, 1)])
    assert d.chosen() == [(0, 0, 0), (0, 0, 1)]
    n_arms = sum(len(e.arms) for t in project.trials for e in t.endpoints)
    assert len(d._items) == n_arms


def test_percent_axis_from_the_view_menu(window, qtbot):
    window.act_percent.setChecked(True)
    window._view_changed()
    assert window.plot.widget.percent
    window.act_percent.setChecked(False)
    window._view_changed()
    assert not window.plot.widget.percent


def test_overlay_of_different_endpoints_names_them(window, qtbot):
    _two_trials(window)
    window.choose_overlay([(0, 0, 0), (1, 1, 0)])
    keys = set(window.plot.widget.curve_items)
    arm = window.project.trials[0].endpoints[0].arms[0].label
    assert keys == {f"CLEOPATRA OS: {arm}", f"CLEOPATRA copy PFS: {arm}"}


def test_undo_says_undone_and_toolbar_stays_short(window, qtbot):
    from evidencegui.core import commands as cmd  # noqa: F401  (the window's own edit path)

    model = window.model
    col = next(i for i in range(model.columnCount()) if "Median" == model.headerData(
        i, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.Orientation.Horizontal))
    idx = model.index(0, col)
    assert model.setData(idx, "57.0")
    window.act_undo.trigger()
    assert window.statusBar().currentMessage().startswith("Undone: ")
    window.act_redo.trigger()
    assert window.statusBar().currentMessage().startswith("Redone: ")
    assert window.act_undo.iconText() == "Undo" and "Median" in window.act_undo.text()


def test_overlay_says_which_endpoint_it_shows_and_that_it_is_not_randomised(window, qtbot):
    """The window's table and panel stay on the endpoint selected (OS) while an overlay of PFS
    arms is drawn: the plot's legend says PFS, and that the trials were not randomised against
    each other. Ending the overlay removes the line."""
    project = window.project
    cleo = next(i for i, t in enumerate(project.trials) if t.name == "CLEOPATRA")
    phila = next(i for i, t in enumerate(project.trials) if t.name == "PHILA")
    pfs_c = next(i for i, e in enumerate(project.trials[cleo].endpoints) if e.name == "PFS")
    assert window.choose_overlay([(cleo, pfs_c, 0), (phila, 0, 0)])
    texts = window.plot.widget.legend.texts()
    assert "PFS of 2 trials: not randomised against each other" in texts
    window.end_overlay()
    assert not any("not randomised" in t for t in window.plot.widget.legend.texts())
