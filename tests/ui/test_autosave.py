"""Autosave after idle, recovery detection, discard on clean exit."""
import os
import time

from evidencegui.core.model import Project, Trial
from evidencegui.ui.autosave import Autosaver, find_recovery


def test_saves_after_idle_and_finds_recovery(qtbot, tmp_path):
    p = Project(trials=[Trial("T")])
    a = Autosaver(tmp_path, lambda: p, lambda: None, delay_ms=30)
    a.schedule()
    assert a.pending()
    with qtbot.waitSignal(a.saved, timeout=2000):
        pass
    rec = find_recovery(tmp_path)
    assert rec is not None and rec.newer_than_source
    a.discard()
    assert find_recovery(tmp_path) is None


def test_recovery_older_than_its_source_is_not_newer(tmp_path):
    src = tmp_path / "p.evidence.json"
    a = Autosaver(tmp_path, lambda: Project(), lambda: src, delay_ms=10)
    assert a.save_now()
    time.sleep(0.02)
    src.write_text("{}")
    os.utime(src, (time.time() + 5, time.time() + 5))
    assert not find_recovery(tmp_path).newer_than_source


def test_failure_is_reported_not_raised(qtbot, tmp_path):
    a = Autosaver(tmp_path / "x", lambda: object(), delay_ms=10)
    with qtbot.waitSignal(a.failed, timeout=2000):
        a.save_now()
