"""A modal message box nobody answers must fail the suite, never hang it: an unexpected box is
closed and fails its test (tests/ui/conftest.py ``no_unexpected_message_box``), and anything else
that blocks is ended by pytest-timeout (pyproject.toml: ``timeout``, method "thread")."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_an_unexpected_error_dialog_is_closed_and_reported(window, no_unexpected_message_box):
    from evidencegui.ui.dialogs.error import show_error
    show_error(window, "Unexpected error", "ZeroDivisionError: division by zero")
    assert no_unexpected_message_box == ["message box 'Unexpected error': ZeroDivisionError: division by zero"]
    no_unexpected_message_box.clear()         # expected here: this test is about it


def test_a_static_question_is_answered_cancel_and_reported(window, no_unexpected_message_box):
    from PySide6.QtWidgets import QMessageBox
    SB = QMessageBox.StandardButton
    answer = QMessageBox.question(window, "Unsaved changes", "Save?", SB.Save | SB.Discard | SB.Cancel)
    assert answer == SB.Cancel and no_unexpected_message_box == ["question 'Unsaved changes': Save?"]
    no_unexpected_message_box.clear()


def _run_pytest(folder: Path, test_source: str, *args: str) -> subprocess.CompletedProcess:
    """pytest in a subprocess on one test file, with this folder's conftest (loaded by path)."""
    (folder / "conftest.py").write_text(textwrap.dedent(f"""
        import importlib.util
        _spec = importlib.util.spec_from_file_location("ui_conftest", {str(Path(__file__).with_name("conftest.py"))!r})
        _mod = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(_mod)
        globals().update({{k: v for k, v in vars(_mod).items() if not k.startswith("__")}})
        """))
    (folder / "test_box.py").write_text(textwrap.dedent(test_source))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
                           str(folder), "-c", os.devnull, *args, str(folder)],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=120)


def test_an_unexpected_box_fails_its_test(tmp_path):
    proc = _run_pytest(tmp_path, """
        def test_box(qtbot):
            from PySide6.QtWidgets import QMessageBox
            QMessageBox(QMessageBox.Icon.Critical, "Unexpected error", "boom").exec()
        """)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "did not expect" in proc.stdout and "'Unexpected error': boom" in proc.stdout, proc.stdout


def test_a_box_that_blocks_anyway_is_ended_by_the_timeout(tmp_path):
    pytest.importorskip("pytest_timeout")
    proc = _run_pytest(tmp_path, """
        def test_box(qtbot):
            from PySide6.QtWidgets import QDialog, QMessageBox
            box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error", "boom")
            QDialog.exec(box)          # past any patch: waits for a click that never comes
        """, "--timeout=3", "--timeout_method=thread")
    assert proc.returncode != 0
    assert "Timeout" in proc.stdout + proc.stderr and "test_box" in proc.stdout + proc.stderr
