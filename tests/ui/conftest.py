"""UI test set-up: settings and the recovery folder live in a temporary folder, never the user's."""
import pytest

from evidencegui.resources import resource

EXAMPLE = resource("examples", "cleopatra.evidence.json")


@pytest.fixture
def settings_path(tmp_path, monkeypatch):
    path = tmp_path / "settings" / "evidencegui.ini"
    monkeypatch.setenv("EVIDENCEGUI_SETTINGS", str(path))
    return path


@pytest.fixture
def make_window(qtbot, settings_path):
    from evidencegui.ui.main_window import MainWindow
    from evidencegui.ui.settings import Settings

    made = []

    def make(delay_ms=50):
        w = MainWindow(Settings(settings_path), autosave_delay_ms=delay_ms)
        made.append(w)
        return w

    yield make
    for w in made:
        w.controller.set_clean()      # no "save changes?" question while tearing down
        w.autosaver.enabled = False
        w.close()
        w.deleteLater()


@pytest.fixture
def window(make_window):
    from evidencegui.ui import launch
    w = make_window()
    w.show()
    launch.open_initial(w)
    return w


@pytest.fixture(autouse=True)
def no_unexpected_message_box():
    """A modal message box that a test did not expect (the "Unexpected error" dialog of
    ui/dialogs/error.py, a question) would wait for a click forever and hang the suite: here it
    closes at once (Ok, or Cancel for a question) and the test fails, naming the box. A test that
    expects a box patches ``QMessageBox.exec`` (or ``question`` …) itself, which overrides this for
    that test."""
    from PySide6.QtWidgets import QMessageBox
    SB = QMessageBox.StandardButton
    seen: list[str] = []

    def note(kind, title, text, answer):
        seen.append(f"{kind} {title!r}: {text}")
        return answer

    mp = pytest.MonkeyPatch()
    mp.setattr(QMessageBox, "exec", lambda box: note("message box", box.windowTitle(), box.text(), SB.Ok))
    mp.setattr(QMessageBox, "question", staticmethod(
        lambda _p, title, text, *a, **k: note("question", title, text, SB.Cancel)))
    for name in ("information", "warning", "critical"):
        mp.setattr(QMessageBox, name, staticmethod(
            lambda _p, title, text, *a, _n=name, **k: note(_n, title, text, SB.Ok)))
    mp.setattr(QMessageBox, "about", staticmethod(lambda _p, title, text: note("about", title, text, None)))
    yield seen
    mp.undo()
    if seen:
        pytest.fail("a modal message box opened that the test did not expect (closed at once):\n"
                    + "\n".join(seen), pytrace=False)
