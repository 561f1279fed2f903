"""Never lose work: after a few seconds of idle following a change, write the project to a
recovery file; the next start offers it back if the program did not close cleanly.

Files in the recovery folder: ``recovery.evidence.json`` (the project) and
``recovery.meta.json`` ({"source": the project's own file or null, "saved_at": epoch seconds}).
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

RECOVERY_NAME = "recovery.evidence.json"
META_NAME = "recovery.meta.json"


@dataclass(frozen=True)
class Recovery:
    path: Path                  # the recovery project file
    source: str | None          # the file the project was opened from / saved to, if any
    saved_at: float             # epoch seconds

    @property
    def newer_than_source(self) -> bool:
        if not self.source or not os.path.exists(self.source):
            return True
        return self.saved_at > os.path.getmtime(self.source)


def _write_text_atomic(path: Path, text: str) -> None:
    try:
        from evidencegui.io.atomic import atomic_write_text as write_text_atomic
    except ImportError:
        write_text_atomic = None
    if write_text_atomic is not None:
        write_text_atomic(path, text)
        return
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def find_recovery(folder) -> Recovery | None:
    """The recovery left by a session that did not end cleanly, or None."""
    folder = Path(folder)
    path = folder / RECOVERY_NAME
    if not path.is_file():
        return None
    source, saved_at = None, path.stat().st_mtime
    try:
        meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
        source = meta.get("source") if isinstance(meta.get("source"), str) else None
        saved_at = float(meta.get("saved_at", saved_at))
    except (OSError, ValueError, TypeError):
        pass
    return Recovery(path, source, saved_at)


def discard_recovery(folder) -> None:
    for name in (RECOVERY_NAME, META_NAME):
        try:
            (Path(folder) / name).unlink()
        except FileNotFoundError:
            pass


class Autosaver(QObject):
    """Call ``schedule()`` after every change; the save happens after ``delay_ms`` of quiet."""

    saved = Signal(str)          # path of the recovery file
    failed = Signal(str)         # message

    def __init__(self, folder, get_project, get_source=lambda: None, delay_ms: int = 3000,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.folder = Path(folder)
        self._get_project = get_project
        self._get_source = get_source
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.save_now)
        self.enabled = True

    @property
    def path(self) -> Path:
        return self.folder / RECOVERY_NAME

    def schedule(self) -> None:
        if self.enabled:
            self.timer.start()      # restarting the timer is what makes it "after idle"

    def pending(self) -> bool:
        return self.timer.isActive()

    def save_now(self) -> bool:
        self.timer.stop()
        if not self.enabled:
            return False
        try:
            from evidencegui.io.project_file import save_project

            self.folder.mkdir(parents=True, exist_ok=True)
            save_project(self._get_project(), self.path)
            source = self._get_source()
            _write_text_atomic(self.folder / META_NAME, json.dumps(
                {"source": str(source) if source else None, "saved_at": time.time()}))
        except Exception as e:  # autosave must never take the window down
            self.failed.emit(f"autosave failed: {type(e).__name__}: {e}")
            return False
        self.saved.emit(str(self.path))
        return True

    def discard(self) -> None:
        self.timer.stop()
        discard_recovery(self.folder)
