"""Jobs on the worker thread: results arrive on the GUI thread; a job can be cancelled."""
import threading
import time

import pytest

from evidencegui.ui.workers import Cancelled, run_with_progress, start_job


def slow(n, progress):
    for i in range(n):
        progress(i / n, f"step {i}")
        time.sleep(0.01)
    return threading.get_ident()


def test_job_finishes_off_the_gui_thread(qtbot):
    job = start_job(slow, 5)
    with qtbot.waitSignal(job.finished, timeout=5000) as blocker:
        pass
    assert blocker.args[0] != threading.get_ident()


def test_job_can_be_cancelled(qtbot):
    job = start_job(slow, 1000)
    with qtbot.waitSignal(job.progress, timeout=5000):
        pass
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.cancel()
    assert job.was_cancelled and job.result is None


def test_job_errors_are_reported(qtbot):
    def bad(progress):
        raise ValueError("row 3: not a number")
    job = start_job(bad)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        pass
    assert "row 3" in str(blocker.args[0])


def test_run_with_progress_returns_and_raises(qtbot):
    assert run_with_progress(None, "work", slow, 3) != threading.get_ident()
    with pytest.raises(ZeroDivisionError):
        run_with_progress(None, "work", lambda progress: 1 / 0)
