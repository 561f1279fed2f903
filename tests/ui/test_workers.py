"""Jobs on the worker thread: results arrive on the GUI thread; a job can be cancelled."""
import threading
import time

import pytest

from evidencegui.ui.workers import Cancelled, make_job, run_with_progress, start_job


def slow(n, progress):
    for i in range(n):
        progress(i / n, f"step {i}")
        time.sleep(0.01)
    return threading.get_ident()


def test_job_finishes_off_the_gui_thread(qtbot):
    job = make_job(slow, 5)
    with qtbot.waitSignal(job.finished, timeout=5000) as blocker:
        job.start()          # connected before the job starts: a fast job cannot finish unseen
    assert blocker.args[0] != threading.get_ident()


def test_job_can_be_cancelled(qtbot):
    job = make_job(slow, 1000)
    with qtbot.waitSignal(job.progress, timeout=5000):
        job.start()
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.cancel()
    assert job.was_cancelled and job.result is None


def test_job_errors_are_reported(qtbot):
    def bad(progress):
        raise ValueError("row 3: not a number")
    job = make_job(bad)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        job.start()          # the job fails at once: wait from before it starts
    assert "row 3" in str(blocker.args[0])


def test_run_with_progress_returns_and_raises(qtbot):
    assert run_with_progress(None, "work", slow, 3) != threading.get_ident()
    with pytest.raises(ZeroDivisionError):
        run_with_progress(None, "work", lambda progress: 1 / 0)


def test_start_job_state_is_kept_when_signals_were_missed(qtbot):
    """A caller that connects after start_job() can still read the outcome from the job."""
    job = start_job(lambda progress: 42)
    qtbot.waitUntil(lambda: job.is_done, timeout=5000)
    assert job.result == 42 and job.error is None


def test_a_small_file_is_read_at_once_and_its_failure_shown(qtbot, tmp_path, monkeypatch):
    """A small project file is read on the GUI thread (no worker, no dialog); a large one on a
    worker; a failure shows the same dialog either way."""
    from evidencegui.ui import workers
    from evidencegui.ui.dialogs import error
    small = tmp_path / "small.evidence.json"
    small.write_text("{}")
    big = tmp_path / "big.evidence.json"
    big.write_bytes(b" " * (workers.INLINE_BYTES + 1))
    where = []

    def read(path, progress=None):
        where.append(threading.get_ident())
        return path
    assert workers.run_or_show(None, "t", read, small, error_title="e", path=small) == small
    assert workers.run_or_show(None, "t", read, big, error_title="e", path=big) == big
    assert where[0] == threading.get_ident() and where[1] != threading.get_ident()
    shown = []
    monkeypatch.setattr(error, "show_error", lambda parent, title, text: shown.append((title, text)))

    def broken(path, progress=None):
        raise ValueError(f"{path}: not a project file")
    assert workers.run_or_show(None, "t", broken, small, error_title="Cannot open", path=small) is None
    assert workers.run_or_show(None, "t", broken, big, error_title="Cannot open", path=big) is None
    assert [t for t, _ in shown] == ["Cannot open", "Cannot open"] and "small" in shown[0][1]
