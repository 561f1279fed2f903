"""The window's file operations: new, open (projects and data files), save, recent files,
templates and recovery.

The bundled examples are templates whatever the route that opens them (first run, File → Open,
recent files, File → New from template): the window shows them as unsaved copies, Save asks where,
and nothing is ever written into the program's resources.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from evidencegui.core.model import Project
from evidencegui.ui import file_ops
from evidencegui.ui.autosave import find_recovery
from evidencegui.ui.dialogs.error import show_error
from evidencegui.ui.launch import EXAMPLE
from evidencegui.ui.settings import in_resources
from evidencegui.ui.workers import run_or_show

FILTER_PROJECT = "EvidenceGUI project (*.evidence.json)"
FIRST_EXAMPLE = EXAMPLE[-1]       # the example opened at first run (ui/launch.py): listed first


def examples() -> list[tuple[str, str, Path]]:
    """The bundled example projects as (key, name, path): the key is the file's name in capitals
    ("CLEOPATRA" for cleopatra.evidence.json, for the program), the name is what people read."""
    from evidencegui.resources import resource
    folder = resource("examples")
    out = []
    found = folder.glob("*" + file_ops.PROJECT_SUFFIX) if folder.is_dir() else ()
    for p in sorted(found, key=lambda p: (p.name != FIRST_EXAMPLE, p.name)):
        out.append((_file_key(p), example_name(p), p))
    return out


def templates() -> dict[str, Path]:
    """The bundled example projects by the name people read (see ``example_name``)."""
    return {name: p for _key, name, p in examples()}


def _file_key(path) -> str:
    return Path(path).name[: -len(file_ops.PROJECT_SUFFIX)].replace("_", " ").upper()


def example_name(path) -> str:
    """What the start page, File → New from template and the title bar call a bundled example:
    the project's own title ("CLEOPATRA and PHILA"; a trailing "(example)" is left out, the window
    says so), else the file's name in capitals."""
    p = Path(path)
    try:
        stamp = p.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _stored_title(str(p), stamp) or _file_key(p)


@lru_cache(maxsize=32)
def _stored_title(path: str, _mtime_ns: int) -> str | None:
    """The project title stored in a project file (read once per version of the file: the start
    page asks again on every rebuild)."""
    import json
    try:
        with open(path, encoding="utf-8") as f:
            title = json.load(f)["project"]["title"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(title, str):
        return None
    title = re.sub(r"\s*\(example\)\s*$", "", " ".join(title.split()), flags=re.IGNORECASE)
    return title or None


def _find_template(name: str, found: dict[str, Path]) -> Path | None:
    """The example called ``name``: its name for people, or its key ("CLEOPATRA")."""
    if name in found:
        return found[name]
    return next((p for key, _n, p in examples() if key == name.upper()), None)


def project_name(window) -> str:
    """What the title bar calls the project: its file's name, or the template it came from."""
    if window.path is not None:
        name = window.path.name
        return name[: -len(file_ops.PROJECT_SUFFIX)] if name.endswith(file_ops.PROJECT_SUFFIX) else name
    if getattr(window, "template_name", None):
        return f"Example: {window.template_name} (unsaved copy)"
    return window.project.title or "Untitled"


def new_project(window) -> bool:
    if not window.confirm_discard():
        return False
    window.set_project(Project(ci_method=window.settings.ci_method))
    # the next step, and no stale "Opened the example …" left from before
    window.statusBar().showMessage("New, empty project: add a trial with Edit → Add trial… (Ctrl+T), "
                                   "or import one with File → Import summary table…", 15000)
    return True


def new_from_template(window, name: str | None = None) -> bool:
    """A new project from a bundled example: its trials, as an unsaved copy."""
    found = templates()
    if not found:
        show_error(window, "No templates", "The program's examples folder is missing.")
        return False
    if name is None:
        name, ok = QInputDialog.getItem(window, "New from template", "Start from the example:",
                                        list(found), 0, False)
        if not ok:
            return False
    path = _find_template(name, found)
    if path is None or not window.confirm_discard():
        return False
    return open_path(window, path)


def open_dialog(window) -> bool:
    if not window.confirm_discard():
        return False
    path, _ = QFileDialog.getOpenFileName(window, "Open project", window.settings.last_dir("project"),
                                          FILTER_PROJECT + ";;All files (*)")
    return bool(path) and open_path(window, path)


def open_path(window, path) -> bool:
    """Open a project file (or import a data file by its kind). False on error (shown)."""
    kind = file_ops.kind_of(path)
    if kind != "project":
        return window.import_file(path)
    project = run_or_show(window, "Opening project", file_ops.load_project_file, path,
                          error_title="Cannot open the project", path=path)
    if project is None:
        return False
    if in_resources(path):                 # an example: a template, never the file itself
        window.set_project(project, None)
        window.template_name = example_name(path)
        window._update_title()
        window.statusBar().showMessage(f"Opened the example “{window.template_name}” as a new, "
                                       "unsaved project; Save asks where to keep it.", 8000)
        return True
    window.set_project(project, path)
    remember(window, path, "project")
    window.statusBar().showMessage(f"Opened {path}", 5000)
    return True


def remember(window, path, kind: str) -> None:
    if in_resources(path):
        return
    window.settings.set_last_dir(kind, path)
    if kind == "project":
        window.settings.last_project = str(Path(path).resolve())
        window.settings.add_recent(path)
        update_recent_menu(window)


def update_recent_menu(window) -> None:
    window.recent_menu.clear()
    recent = window.settings.recent_files()
    for p in recent:
        a = window.recent_menu.addAction(p)
        a.triggered.connect(lambda _=False, p=p: window.confirm_discard() and window.open_path(p))
    window.recent_menu.setEnabled(bool(recent))


def save(window) -> bool:
    if window.path is None or not window.path.name.endswith(file_ops.PROJECT_SUFFIX) \
            or in_resources(window.path):
        return save_as(window)
    return save_to(window, window.path)


def _suggested_name(window) -> str:
    if window.path is not None and not in_resources(window.path):
        return window.path.name
    base = getattr(window, "template_name", None) or window.project.title or "project"
    # a title may hold "/", ":" or "+" ("CDK4/6 inhibitors + …"): letters, digits, "-" and "_" only
    base = re.sub(r"[^\w\-]+", "_", base.lower()).strip("_") or "project"
    return base + file_ops.PROJECT_SUFFIX


def save_as(window) -> bool:
    start = str(Path(window.settings.last_dir("project")) / _suggested_name(window))
    path, _ = QFileDialog.getSaveFileName(window, "Save project", start, FILTER_PROJECT)
    if not path:
        return False
    if not path.endswith(file_ops.PROJECT_SUFFIX):
        path += file_ops.PROJECT_SUFFIX
    return save_to(window, path)


def save_to(window, path) -> bool:
    if in_resources(path):
        show_error(window, "Choose another folder",
                   f"{path} is inside the program's own files (its examples and templates), which "
                   "are never overwritten. Save the project in your documents instead.")
        return False
    try:
        from evidencegui.io.project_file import save_project
        save_project(window.project, path)
    except Exception as e:
        show_error(window, "Cannot save the project", f"{path}: {e}")
        return False
    window.path = Path(path)
    window.template_name = None
    window.controller.set_clean()
    window.autosaver.discard()
    remember(window, path, "project")
    window._update_title()
    window.statusBar().showMessage(f"Saved {path}", 5000)
    return True


def confirm_discard(window) -> bool:
    """True when it is fine to drop the current project (saved, discarded, or clean)."""
    if window.controller.is_clean():
        return True
    answer = QMessageBox.question(
        window, "Unsaved changes", "The project has unsaved changes. Save them?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save)
    if answer == QMessageBox.StandardButton.Save:
        return window.save()
    return answer == QMessageBox.StandardButton.Discard


def offer_recovery(window) -> bool:
    """After an unclean exit: offer the recovery file. True when it was restored."""
    rec = find_recovery(window.settings.recovery_dir)
    if rec is None:
        return False
    if not rec.newer_than_source:
        window.autosaver.discard()
        return False
    if not window.isVisible():              # start-up opens a project before showing the window
        window.show()
    answer = QMessageBox.question(
        window, "Restore unsaved work?",
        "EvidenceGUI did not close normally last time. Restore the work saved automatically"
        + (f" (from {rec.source})" if rec.source else "") + "?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    if answer != QMessageBox.StandardButton.Yes:
        window.autosaver.discard()
        return False
    try:
        project = file_ops.load_project_file(rec.path)
    except Exception as e:
        show_error(window, "Cannot restore", str(e))
        return False
    source = rec.source if rec.source and not in_resources(rec.source) else None
    window.set_project(project, source, clean=False)
    window.statusBar().showMessage("Restored the automatically saved work; save it to keep it.", 10000)
    return True
