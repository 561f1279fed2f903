"""Every action of the window works: each QAction of the menu bar, the toolbar and the context
menus is triggered, and each shortcut pressed with QTest, in an empty project, with the example
and with several trials; every dialog is answered (once cancelled, once accepted). Any exception
in a slot (pytest-qt fails the test) or an "Unexpected error" dialog is a failure.

The actions are found by walking the window, so actions other modules add through
``install(window)`` are covered as well."""
from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFileDialog, QInputDialog,
                               QMenu, QMessageBox, QToolBar)

from evidencegui.core.model import Arm, Endpoint, Landmark, Trial
from evidencegui.resources import resource
from evidencegui.ui import window_actions

EXAMPLE = resource("examples", "cleopatra.evidence.json")


class Answers:
    """Every modal question answered without a person: ``accept`` says how."""

    def __init__(self, monkeypatch):
        self.accept = False
        self.errors: list[str] = []
        self.shown: list[str] = []
        a = self
        mp = monkeypatch
        mp.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *x, **k: ("", "")))
        mp.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *x, **k: ("", "")))
        mp.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *x, **k: ""))
        mp.setattr(QInputDialog, "getText", staticmethod(
            lambda *x, **k: (("Walk " + (k.get("text") or "")).strip(), True) if a.accept else ("", False)))
        mp.setattr(QInputDialog, "getItem", staticmethod(
            lambda _p, _t, _l, items, current=0, *x, **k: (list(items)[current] if items else "", a.accept)))
        mp.setattr(QInputDialog, "getDouble", staticmethod(
            lambda _p, _t, _l, value=0.0, *x, **k: (value or 24.0, a.accept)))
        mp.setattr(QInputDialog, "getInt", staticmethod(lambda _p, _t, _l, value=0, *x, **k: (value, a.accept)))
        mp.setattr(QMessageBox, "question", staticmethod(self._question))
        for name in ("information", "warning", "critical"):
            mp.setattr(QMessageBox, name, staticmethod(lambda _p, title, text, *x, **k:
                                                       a._message(title, text)))
        mp.setattr(QMessageBox, "about", staticmethod(lambda _p, title, text: a._message(title, text)))
        mp.setattr(QMessageBox, "exec", lambda box: a._message(box.windowTitle(), box.text()))
        mp.setattr(QDialog, "exec", lambda d: a._dialog(d))

    def _question(self, _parent, title, text, buttons=None, default=None):
        self.shown.append(title)
        SB = QMessageBox.StandardButton
        if not self.accept:
            return SB.Cancel if title == "Unsaved changes" else SB.No
        return SB.Discard if title == "Unsaved changes" else SB.Yes

    def _message(self, title, text):
        self.shown.append(title)
        if "unexpected" in title.lower():
            self.errors.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    def _dialog(self, dialog):
        self.shown.append(type(dialog).__name__)
        if not self.accept:
            dialog.reject()
            return QDialog.DialogCode.Rejected
        box = dialog.findChild(QDialogButtonBox)
        ok = box.button(QDialogButtonBox.StandardButton.Ok) if box is not None else None
        if ok is not None and ok.isEnabled():
            ok.click()               # the dialog's own OK: its checks and its accept()
            return dialog.result()
        dialog.reject()
        return QDialog.DialogCode.Rejected


@pytest.fixture
def answers(monkeypatch):
    from PySide6.QtCore import QTimer
    a = Answers(monkeypatch)
    # a safety net for any modal window not patched above: noted, then closed
    timer = QTimer()
    timer.setInterval(300)

    def close_modal():
        w = QApplication.activeModalWidget()
        if w is not None:
            a.shown.append("unpatched " + type(w).__name__)
            w.close()
    timer.timeout.connect(close_modal)
    timer.start()
    yield a
    timer.stop()


def _menu_actions(menu, out):
    for a in menu.actions():
        if a.menu() is not None:
            _menu_actions(a.menu(), out)
        elif not a.isSeparator():
            out.append(a)


def window_actions_of(window) -> list[QAction]:
    out: list[QAction] = []
    for top in window.menuBar().actions():
        if top.menu() is not None:
            _menu_actions(top.menu(), out)
    for tb in window.findChildren(QToolBar):
        out += [a for a in tb.actions() if not a.isSeparator() and a not in out]
    return out


def context_actions_of(window) -> list[QAction]:
    out: list[QAction] = []
    paths = [None]
    for ti, t in enumerate(window.project.trials):
        paths.append((ti, None, None))
        for ei, e in enumerate(t.endpoints):
            paths.append((ti, ei, None))
            paths += [(ti, ei, ai) for ai in range(len(e.arms))]
    for path in paths:
        _menu_actions(window_actions.tree_menu(window, path), out)
    _menu_actions(window_actions.table_menu(window), out)
    _menu_actions(window_actions.plot_menu(window), out)
    glw = getattr(window.plot.widget, "glw", None)            # the figure's own context menu
    out += [a for a in (glw.actions() if glw is not None else []) if not a.isSeparator()]
    return out


_LOADED = {}


def _example():
    if "example" not in _LOADED:
        from evidencegui.io.project_file import load_project
        _LOADED["example"] = load_project(EXAMPLE)
    return copy.deepcopy(_LOADED["example"])


def _with_example(window):
    window.set_project(_example())
    window.show_endpoint(0, 0)


def _several_trials(window):
    project = _example()
    project.trials.append(Trial("PHILA", [
        Endpoint("PFS", [Arm("Placebo+Trastuzumab+Docetaxel", role="control", n=294, median=10.4,
                             landmarks=[Landmark(12, 0.45)]),
                         Arm("Pyrotinib+Trastuzumab+Docetaxel", n=296, median=24.3, hr=0.41)]),
        Endpoint("OS", [Arm("Placebo"), Arm("Pyrotinib")])]))
    project.trials.append(Trial("EMPTY ENDPOINT", [Endpoint("OS")]))
    window.set_project(project)
    window.show_endpoint(1, 0)


STATES = {"empty": lambda w: None, "example": _with_example, "several trials": _several_trials}


def _reset(window, state):
    window.controller.set_clean()
    window.end_overlay()
    window.set_project(type(window.project)())
    STATES[state](window)


def _walk(window, answers, actions, state=None):
    """Trigger each action; with ``state``, each from that state again (an earlier action may
    have emptied the project)."""
    quit_actions = [a for a in actions if a.text().replace("&", "") == "Quit"]
    for a in actions:
        if state is not None:
            _reset(window, state)
        if a in quit_actions or not a.isEnabled():
            continue
        a.trigger()
        QApplication.processEvents()
        assert not answers.errors, f"{a.text()!r}: {answers.errors}"
    return quit_actions


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("accept", [False, True], ids=["cancel", "accept"])
def test_every_menu_toolbar_and_context_action(make_window, qtbot, answers, state, accept):
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    STATES[state](window)
    answers.accept = accept
    actions = window_actions_of(window)
    assert len(actions) > 40
    # cancelled: each action from the state (an earlier one may have emptied the project);
    # accepted: all in one go, the project changing under the actions (added, removed, undone)
    again = None if accept else state
    quits = _walk(window, answers, actions, again)
    _reset(window, state)
    _walk(window, answers, context_actions_of(window), again)
    for q in quits:
        window.controller.set_clean()
        q.trigger()
        assert not window.isVisible()


def _shortcut_actions(window):
    out = []
    for a in window.findChildren(QAction):
        if a.shortcuts() and a.shortcutContext() in (Qt.ShortcutContext.WindowShortcut,
                                                     Qt.ShortcutContext.ApplicationShortcut):
            out.append(a)
    return out


def test_no_two_actions_share_a_shortcut(window):
    seen: dict[str, str] = {}
    clashes = []
    for a in _shortcut_actions(window):
        for ks in a.shortcuts():
            key = ks.toString(QKeySequence.SequenceFormat.PortableText)
            if key in seen and seen[key] != a.text():
                clashes.append(f"{key}: {seen[key]!r} and {a.text()!r}")
            seen[key] = a.text()
    assert not clashes


CONVENTIONAL = {"Ctrl+N": "New project", "Ctrl+O": "Open…", "Ctrl+S": "Save", "Ctrl+Shift+S": "Save as…",
                "Ctrl+Z": "Undo", "Ctrl+Y": "Redo", "Ctrl+Shift+E": "Export…",
                "Ctrl+C": "Copy", "F1": "How the measures are computed", "F2": "Rename…", "Del": "Remove"}


def test_conventional_shortcuts(window):
    by_key = {}
    for a in _shortcut_actions(window):
        for ks in a.shortcuts():
            by_key[ks.toString(QKeySequence.SequenceFormat.PortableText)] = a.text().replace("&", "")
    for key, text in CONVENTIONAL.items():
        assert key in by_key, f"no action on {key}"
        assert by_key[key].startswith(text.split("…")[0]), (key, by_key[key])


@pytest.mark.parametrize("state", list(STATES))
def test_every_shortcut_pressed(make_window, qtbot, answers, state):
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    STATES[state](window)
    answers.accept = True
    fired = []
    actions = [a for a in _shortcut_actions(window) if a.isEnabled()]
    for a in actions:
        a.triggered.connect(lambda _c=False, a=a: fired.append(a))
    for a in actions:
        if a.text().replace("&", "") == "Quit" or not a.isEnabled():
            continue
        for other in QApplication.topLevelWidgets():      # a window an action opened (digitizer)
            if other is not window and other.isWindow() and other.isVisible() and not isinstance(other, QMenu):
                other.close()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
        window.tree.setFocus()
        before = len(fired)
        ks = a.shortcuts()[0]
        QTest.keySequence(window.tree, ks)
        QApplication.processEvents()
        assert not answers.errors, f"{ks.toString()}: {answers.errors}"
        assert len(fired) > before, f"{ks.toString()} did not trigger {a.text()!r}"
