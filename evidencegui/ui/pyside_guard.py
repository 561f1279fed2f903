"""Work-around for a reference-count bug of PySide6 6.12.0 on Python 3.11.

Measured here (PySide6-Essentials 6.12.0, CPython 3.11.7): each call of a Qt method that returns
nothing drops one reference to ``None`` that it never took (``QPointF().setX(1)`` a thousand times:
refcount(None) falls by 1000), and some calls do the same to ``True``. ``None`` starts near 4,500
references, so after a few thousand such calls the process dies with "Fatal Python error:
none_dealloc: deallocating None" (or bool_dealloc) — a redraw of the survival plot makes ~500.
Python 3.12 made these objects immortal (PEP 683), which is why the bug goes unnoticed upstream.

``apply()`` checks for the leak with a harmless Qt call and, only when it is there, gives
None/True/False a reference count so large that no session can exhaust it: what 3.12 does.
pyproject.toml keeps PySide6 below 6.12 (6.11.3 does not leak); this guard is for a machine where
6.12 got installed anyway. Call it before any Qt work (app start, tests, the command line's figure export). Idempotent.
"""
from __future__ import annotations

import sys

_BUMP = 1 << 40
_probe_done = False
applied = False


def leaks() -> bool:
    """True when a void PySide6 call drops a reference to None."""
    from PySide6 import QtCore
    p = QtCore.QPointF()
    before = sys.getrefcount(None)
    for _ in range(50):
        p.setX(1.0)
    return sys.getrefcount(None) - before <= -40


def apply() -> bool:
    """Pin None/True/False when the leak is present; returns whether they were pinned."""
    global _probe_done, applied
    if _probe_done:
        return applied
    _probe_done = True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False                       # immortal singletons: nothing can go wrong
    try:
        if not leaks():
            return False
    except ImportError:
        return False
    import ctypes
    for obj in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython.
        ctypes.c_ssize_t.from_address(id(obj)).value += _BUMP
    applied = True
    return True
