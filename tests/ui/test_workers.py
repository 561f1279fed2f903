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
