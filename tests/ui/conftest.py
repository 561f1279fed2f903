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
