"""Long jobs off the GUI thread: a job is a plain function taking a progress callback.

``progress(fraction=None, message=None)`` reports work done (fraction in [0, 1]) and raises
``Cancelled`` once the user has asked to stop; the job lets it propagate.
"""
from __future__ import annotations

import os
import threading
import traceback

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class Cancelled(Exception):
    """The user cancelled the job."""


class Progress:
    """The callback handed to a job. Thread-safe: it only sets/reads flags and emits a signal."""

    def __init__(self, job: "Job"):
        self._job = job
        self._cancel = threading.Event()

    def __call__(self, fraction: float | None = None, message: str | None = None, *_, **__) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self._job.progress.emit(-1.0 if fraction is None else float(fraction), message or "")

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class Job(QObject):
    """Handle of a running job: signals arrive on the GUI thread."""

    progress = Signal(float, str)
    finished = Signal(object)        # the function's result
    failed = Signal(object)          # the exception (its traceback text in .traceback_text)
    cancelled = Signal()
    done = Signal()                  # after any of the three above

    def __init__(self, fn, args, kwargs):
        super().__init__()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self.state = Progress(self)
        self.result = None
        self.error: BaseException | None = None
        self.was_cancelled = False
        self.is_done = False
        self.done.connect(self._mark_done)

    def _mark_done(self):
        self.is_done = True

    def cancel(self) -> None:
        self.state._cancel.set()

    def start(self) -> "Job":
        _running.add(self)
        self.done.connect(lambda: _running.discard(self))
        QThreadPool.globalInstance().start(_Runnable(self))
        return self

    def _run(self) -> None:  # on the worker thread
        try:
            self.state.check()
            result = self._fn(*self._args, progress=self.state, **self._kwargs)
        except Cancelled:
            self.was_cancelled = True
            self.cancelled.emit()
        except BaseException as e:  # the GUI shows it; the worker must not die silently
            e.traceback_text = traceback.format_exc()
            self.error = e
            self.failed.emit(e)
        else:
            self.result = result
            self.finished.emit(result)
        self.done.emit()


class _Runnable(QRunnable):
    def __init__(self, job: Job):
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self):
        self.job._run()


_running: set[Job] = set()   # keep Python references until the job is done


def make_job(fn, *args, **kwargs) -> Job:
    """A Job for ``fn(*args, progress=..., **kwargs)``; connect its signals, then ``start()`` it."""
    return Job(fn, args, kwargs)


def start_job(fn, *args, **kwargs) -> Job:
    """Run ``fn(*args, progress=..., **kwargs)`` on the global thread pool; returns its Job.

    A fast job can finish before the caller connects to its signals: to react to them, use
    ``make_job``, connect, then ``start()``; after the fact, ``is_done``/``result``/``error`` tell."""
    job = Job(fn, args, kwargs)
    job.start()
    return job


def run_with_progress(parent: QWidget | None, title: str, fn, *args, delay_ms: int = 300, **kwargs):
    """Run a job while the window stays live, with a progress dialog that can cancel it.

    The dialog is made only when the job is still running after ``delay_ms`` (a small project opens
    without one). Returns the result; raises ``Cancelled`` if the user cancelled, or the job's own
    exception.
    """
    job = make_job(fn, *args, **kwargs)
    state = {"dialog": None, "fraction": 0.0, "message": ""}

    def apply(dialog: QProgressDialog) -> None:
        fraction, message = state["fraction"], state["message"]
        if fraction < 0:
            dialog.setRange(0, 0)
        else:
            dialog.setRange(0, 1000)
            dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        if message:
            dialog.setLabelText(message)

    def on_progress(fraction: float, message: str):
        state["fraction"] = fraction
        if message:
            state["message"] = message
        if state["dialog"] is not None:
            apply(state["dialog"])

    def show_dialog():
        if job.is_done or state["dialog"] is not None:
            return
        dialog = QProgressDialog(title, "Cancel", 0, 1000, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(job.cancel)
        state["dialog"] = dialog
        apply(dialog)
        dialog.show()

    job.progress.connect(on_progress)
    loop = QEventLoop()
    job.done.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(show_dialog)
    job.start()
    timer.start(max(0, int(delay_ms)))
    if not job.is_done:
        loop.exec()
    timer.stop()
    if state["dialog"] is not None:
        state["dialog"].close()
        state["dialog"].deleteLater()
    if job.was_cancelled:
        raise Cancelled()
    if job.error is not None:
        raise job.error
    return job.result


# A file smaller than this is read on the GUI thread: it takes a few milliseconds, less than
# handing it to a worker and back (two thread switches under the GIL cost 10–15 ms here).
INLINE_BYTES = 256 * 1024


def _small_local_file(path) -> bool:
    try:
        return os.path.getsize(path) < INLINE_BYTES
    except (OSError, TypeError, ValueError):
        return False                 # let the job itself report what is wrong with it


def run_or_show(parent: QWidget | None, title: str, fn, *args, error_title: str, path=None):
    """``run_with_progress`` for reading a file: its result, or None when the user cancelled or
    it failed (the failure shown in a dialog titled ``error_title``). When ``path`` names a small
    file it is read at once, on this thread (same result, same error dialog)."""
    from evidencegui.ui.dialogs.error import show_error
    try:
        if path is not None and _small_local_file(path):
            return fn(*args, progress=_no_progress)
        return run_with_progress(parent, title, fn, *args)
    except Cancelled:
        return None
    except Exception as e:
        show_error(parent, error_title, str(e))
        return None


def _no_progress(fraction: float | None = None, message: str | None = None, *_, **__) -> None:
    """The progress callback of a job run inline: nothing to show, nothing to cancel."""
