"""Shared test set-up: Qt offscreen, and paths to shared fixtures."""
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# PySide6 6.12.0 on Python 3.11 drops references to None/True with every void Qt call, and a
# long test session would abort with "none_dealloc"; the program guards itself in app.py (and the
# command line's figure export in ui/figure.py), the test session does the same before any test
# touches Qt. pyproject.toml keeps PySide6 below 6.12, so this is a no-op there.
try:
    from evidencegui.ui import pyside_guard

    pyside_guard.apply()
except ImportError:          # no Qt installed: core and io tests still run
    pass
