"""Editing the project's structure from the window: trials, endpoints and arms added, renamed,
removed and reordered, each as one undoable step (core/commands.py).

"The selected item" is the arm of the table's current row when the table has the focus, the
tree's current item when the tree has it, else the endpoint shown: F2, Delete, Alt+Up/Down and
the context menus act on it.
"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog

from evidencegui.core import commands as cmd
from evidencegui.core.model import STANDARD_ENDPOINTS, Arm, Endpoint, Trial

Path = tuple  # (trial, endpoint, arm) indices, None below the item's level


def _focus_in(window, widget) -> bool:
    w = window.focusWidget()
    while w is not None:
        if w is widget:
            return True
        w = w.parentWidget()
    return False


def selected(window) -> Path | None:
    if window.t_index is None:
        return None
    if _focus_in(window, window.table) and window.current_row() is not None and window.e_index is not None:
        return (window.t_index, window.e_index, window.current_row())
    if _focus_in(window, window.tree):
        path = window.tree.selected_path()
        if path is not None:
            return path
    return (window.t_index, window.e_index, None)


def kind(path: Path | None) -> str:
    if path is None:
        return "nothing"
    return "trial" if path[1] is None else "endpoint" if path[2] is None else "arm"


def exists(window, path: Path | None) -> bool:
    """The item at ``path`` is still there (a menu built before an edit may name a gone one)."""
    if path is None:
        return False
    ti, ei, ai = path
    trials = window.project.trials
    if not 0 <= ti < len(trials):
        return False
    if ei is None:
        return True
    eps = trials[ti].endpoints
    if not 0 <= ei < len(eps):
        return False
    return ai is None or 0 <= ai < len(eps[ei].arms)


def _gone(window) -> bool:
    window.statusBar().showMessage("That item is no longer in the project.", 6000)
    return False


def _name(window, path: Path) -> str:
    ti, ei, ai = path
    t = window.project.trials[ti]
    if ei is None:
        return t.name
    e = t.endpoints[ei]
    return e.name if ai is None else e.arms[ai].label


# ------------------------------------------------------------------ trials and endpoints

def add_trial(window, name: str | None = None, endpoints=None, arms=None) -> bool:
    """A new trial with its endpoints (asked, with the trial's name and its two arms)."""
    if name is None:
        from evidencegui.ui.dialogs.new_trial import NewTrialDialog
        dialog = NewTrialDialog(window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        name, endpoints, arms = dialog.name.text(), dialog.endpoints(), dialog.arms()
    name = (name or "").strip()
    endpoints = [e.strip() for e in (endpoints or ["OS"]) if e and e.strip()]
    arms = list(arms) if arms is not None else ["Control", "Experimental"]
    if not name or not endpoints:
        window.statusBar().showMessage("A trial needs a name and at least one endpoint; nothing added.", 8000)
        return False

    def arm_list():
        return [Arm(a, role="control" if i == 0 else "experimental") for i, a in enumerate(arms)]
    trial = Trial(name, [Endpoint(e, arm_list()) for e in endpoints])
    return window.push(cmd.AddTrial(len(window.project.trials), trial))


def add_endpoint(window, name: str | None = None) -> bool:
    if window.t_index is None:
        return add_trial(window)
    trial = window.project.trials[window.t_index]
    if name is None:
        free = [e for e in STANDARD_ENDPOINTS if trial.endpoint(e) is None] or list(STANDARD_ENDPOINTS)
        name, ok = QInputDialog.getItem(window, "Add endpoint", f"Endpoint of {trial.name}:", free, 0, True)
        if not ok:
            return False
    if not (name or "").strip():
        return False
    # the same arms as the endpoint shown, without results yet
    arms = [Arm(a.label, role=a.role) for a in trial.endpoints[window.e_index].arms] \
        if window.e_index is not None else []
    return window.push(cmd.AddEndpoint(window.t_index, len(trial.endpoints), Endpoint(name.strip(), arms)))


def rename(window, path: Path | None = None, name: str | None = None) -> bool:
    """Rename the trial, endpoint or arm at ``path`` (default: the selected item)."""
    path = path if path is not None else selected(window)
    if path is None:
        window.statusBar().showMessage("Nothing to rename: add a trial first.", 6000)
        return False
    if not exists(window, path):
        return _gone(window)
    what = kind(path)
    old = _name(window, path)
    if name is None:
        name, ok = QInputDialog.getText(window, f"Rename {what}", f"New name of the {what} '{old}':", text=old)
        if not ok:
            return False
    name = (name or "").strip()
    if not name or name == old:
        return False
    ti, ei, ai = path
    if what == "trial":
        return window.push(cmd.RenameTrial(ti, name))
    if what == "endpoint":
        return window.push(cmd.RenameEndpoint(ti, ei, name))
    return window.push(cmd.SetArmField(ti, ei, ai, "label", name, "rename arm"))


def _target(window, path: Path | None) -> Path | None:
    """``path``, or the selected item; None (said in the status bar) when there is none or it is gone."""
    path = path if path is not None else selected(window)
    if path is not None and not exists(window, path):
        return _gone(window) or None
    return path


def remove(window, path: Path | None = None) -> bool:
    """Remove the trial, endpoint or arm at ``path`` (default: the selected item); undoable."""
    path = _target(window, path)
    if path is None:
        return False
    ti, ei, ai = path
    what, old = kind(path), _name(window, path)
    if what == "trial":
        done = window.push(cmd.RemoveTrial(ti))
    elif what == "endpoint":
        done = window.push(cmd.RemoveEndpoint(ti, ei))
    else:
        done = window.push(cmd.RemoveArm(ti, ei, ai))
    if done:
        window.statusBar().showMessage(f"Removed the {what} '{old}' — Edit → Undo brings it back.", 8000)
    return done


def move(window, step: int, path: Path | None = None) -> bool:
    """Move the selected trial, endpoint or arm up (-1) or down (+1) among its siblings."""
    path = _target(window, path)
    if path is None:
        return False
    ti, ei, ai = path
    what = kind(path)
    if what == "trial":
        new = ti + step
        if not 0 <= new < len(window.project.trials):
            return False
        done = window.push(cmd.MoveTrial(ti, new))
        window.tree.select_path((new, None, None))
        return done
    trial = window.project.trials[ti]
    if what == "endpoint":
        new = ei + step
        if not 0 <= new < len(trial.endpoints):
            return False
        done = window.push(cmd.MoveEndpoint(ti, ei, new))
        window.tree.select_path((ti, new, None))
        return done
    new = ai + step
    if not 0 <= new < len(trial.endpoints[ei].arms):
        return False
    col = max(window.table.currentIndex().column(), 0)
    done = window.push(cmd.MoveArm(ti, ei, ai, new))
    window.table.setCurrentIndex(window.model.index(new, col))
    window.tree.select_path((ti, ei, new))
    return done


# ------------------------------------------------------------------ arms of the shown endpoint

def add_arm(window) -> bool:
    if not window._need_endpoint():
        return False
    arms = window.model.arms()
    label = cmd.new_arm_label({a.label for a in arms})
    role = "control" if not any(a.is_control for a in arms) else "experimental"
    done = window.push(cmd.AddArm(window.t_index, window.e_index, len(arms), Arm(label, role=role)))
    window.table.setCurrentIndex(window.model.index(len(arms), 0))
    return done


def duplicate_arm(window) -> bool:
    row = window.current_row()
    if row is None or not window._need_endpoint():
        return False
    arms = window.model.arms()
    dup = cmd.duplicate_arm(arms[row], {a.label for a in arms})
    return window.push(cmd.AddArm(window.t_index, window.e_index, row + 1, dup, "duplicate arm"))


def remove_arm(window) -> bool:
    row = window.current_row()
    if row is None or not window._need_endpoint():
        return False
    return window.push(cmd.RemoveArm(window.t_index, window.e_index, row))


def move_arm(window, step: int) -> bool:
    row = window.current_row()
    if row is None or not window._need_endpoint():
        return False
    return move(window, step, (window.t_index, window.e_index, row))


def make_control(window) -> bool:
    row = window.current_row()
    if row is None or not window._need_endpoint():
        return False
    return window.push(cmd.SetControl(window.t_index, window.e_index, row))
