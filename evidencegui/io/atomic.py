"""Atomic file writes: a crash or a full disk never leaves a half-written file at the target.

The data go to a temporary file in the target's folder (same file system, so the rename is
atomic), which is flushed and fsync'ed, then ``os.replace``d over the target; the folder is
fsync'ed so the rename itself survives a power cut (where the OS allows opening a folder).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its rename is durable enough
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


#: A temporary file of ours older than this is left over from a save that was killed.
STALE_SECONDS = 60.0


def remove_stale_temps(path: str | os.PathLike, older_than: float = STALE_SECONDS) -> int:
    """Remove the temporary files our saves of ``path`` leave behind when killed mid-write
    (``.NAME.XXXXXXXX.tmp`` beside it, as ``atomic_path`` names them) that are older than
    ``older_than`` seconds (a save running in another process keeps its fresh file). Returns
    how many were removed; never raises."""
    import re
    import time

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    pat = re.compile(r"^\." + re.escape(target.name) + r"\.[A-Za-z0-9_]{8}\.tmp$")
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for ent in entries:
        if not pat.match(ent.name):
            continue
        try:
            st = ent.stat(follow_symlinks=False)
            if ent.is_file(follow_symlinks=False) and now - st.st_mtime > older_than:
                os.unlink(ent.path)
                removed += 1
        except OSError:
            pass
    return removed


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path`; write it (e.g. ``workbook.save(tmp)``); on a clean
    exit it is fsync'ed and renamed over `path`, on an exception it is removed."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale_temps(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            try:
                os.chmod(tmp, target.stat().st_mode & 0o7777)
            except OSError:
                pass
        else:
            try:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
            except OSError:
                pass
        os.replace(tmp, target)
        _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8",
                      newline: str | None = "\n") -> None:
    data = text if newline is None else text.replace("\r\n", "\n").replace("\n", newline)
    atomic_write_bytes(path, data.encode(encoding))
