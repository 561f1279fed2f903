"""The window's persistent settings (QSettings, INI format) at a path tests can inject.

Where: ``Settings(path)``; else the file named by $EVIDENCEGUI_SETTINGS; else the user's
standard location. Values are stored as plain strings/JSON and never evaluated.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from evidencegui.core.model import CI_METHODS

TIME_UNITS = ("months", "years")
STYLES = ("screen", "presentation", "journal")
MAX_RECENT = 8


class Settings:
    def __init__(self, path: str | os.PathLike | None = None):
        path = path or os.environ.get("EVIDENCEGUI_SETTINGS")
        if path:
            self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self.qsettings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                       "EvidenceGUI", "EvidenceGUI")
        self.path = Path(self.qsettings.fileName())

    # ------------------------------------------------------------------ generic
    def _str(self, key: str, default: str = "") -> str:
        v = self.qsettings.value(key, default)
        return default if v is None else str(v)

    def _set(self, key: str, value) -> None:
        self.qsettings.setValue(key, value)

    def sync(self) -> None:
        self.qsettings.sync()

    # ------------------------------------------------------------------ folders
    @property
    def recovery_dir(self) -> Path:
        """Folder of the autosave recovery file (next to the settings file unless set)."""
        custom = self._str("paths/recovery_dir")
        return Path(custom) if custom else self.path.parent / "recovery"

    @recovery_dir.setter
    def recovery_dir(self, folder) -> None:
        self._set("paths/recovery_dir", str(folder))

    def last_dir(self, kind: str) -> str:
        """The folder last used for this kind of file; the user's documents folder at first, and
        never the program's own resources (the examples are templates, not the user's files)."""
        d = self._str(f"paths/last_dir_{kind}") or self._str("paths/last_dir_project")
        if d and Path(d).is_dir() and not in_resources(d):
            return d
        return documents_dir()

    def set_last_dir(self, kind: str, file_path) -> None:
        self._set(f"paths/last_dir_{kind}", str(Path(file_path).resolve().parent))

    # ------------------------------------------------------------------ project
    @property
    def last_project(self) -> str:
        return self._str("project/last")

    @last_project.setter
    def last_project(self, path) -> None:
        self._set("project/last", str(path) if path else "")

    @property
    def first_run(self) -> bool:
        return self._str("project/first_run_done") != "1"

    def mark_first_run_done(self) -> None:
        self._set("project/first_run_done", "1")

    def recent_files(self) -> list[str]:
        try:
            items = json.loads(self._str("project/recent", "[]"))
        except ValueError:
            return []
        return [str(x) for x in items if isinstance(x, str)][:MAX_RECENT]

    def add_recent(self, path) -> list[str]:
        p = str(Path(path).resolve())
        items = [p] + [x for x in self.recent_files() if x != p]
        self._set("project/recent", json.dumps(items[:MAX_RECENT]))
        return items[:MAX_RECENT]

    def clear_recent(self) -> None:
        self._set("project/recent", "[]")

    # ------------------------------------------------------------------ choices
    def _choice(self, key: str, choices: tuple, default: str) -> str:
        v = self._str(key, default)
        return v if v in choices else default

    @property
    def ci_method(self) -> str:
        return self._choice("analysis/ci_method", CI_METHODS, "log-log")

    @ci_method.setter
    def ci_method(self, v: str) -> None:
        if v in CI_METHODS:
            self._set("analysis/ci_method", v)

    @property
    def time_unit(self) -> str:
        return self._choice("view/time_unit", TIME_UNITS, "months")

    @time_unit.setter
    def time_unit(self, v: str) -> None:
        if v in TIME_UNITS:
            self._set("view/time_unit", v)

    @property
    def style(self) -> str:
        return self._choice("view/style", STYLES, "screen")

    @style.setter
    def style(self, v: str) -> None:
        if v in STYLES:
            self._set("view/style", v)

    @property
    def show_ci(self) -> bool:
        return self._str("view/show_ci", "1") == "1"

    @show_ci.setter
    def show_ci(self, v: bool) -> None:
        self._set("view/show_ci", "1" if v else "0")

    def _flag(self, key: str, default: bool = True) -> bool:
        return self._str(key, "1" if default else "0") == "1"

    show_hr = property(lambda self: self._flag("view/show_hr"),
                       lambda self, v: self._set("view/show_hr", "1" if v else "0"),
                       doc="The HR (95% CI) and p annotation on the plot and the exported figures.")
    show_median = property(lambda self: self._flag("view/show_median"),
                           lambda self, v: self._set("view/show_median", "1" if v else "0"),
                           doc="Median drop-lines on the plot and the exported figures.")

    def export_choices(self) -> dict:
        """The export dialog's last choices (plain JSON values; unknown keys ignored by the dialog)."""
        try:
            v = json.loads(self._str("export/choices", "{}"))
        except ValueError:
            return {}
        return v if isinstance(v, dict) else {}

    def set_export_choices(self, choices: dict) -> None:
        self._set("export/choices", json.dumps(choices))

    # ------------------------------------------------------------------ window
    def geometry(self) -> QByteArray | None:
        v = self.qsettings.value("window/geometry")
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    def state(self) -> QByteArray | None:
        v = self.qsettings.value("window/state")
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._set("window/geometry", geometry)
        self._set("window/state", state)


def documents_dir() -> str:
    """The user's documents folder (home when the system has none)."""
    from PySide6.QtCore import QStandardPaths
    d = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return d if d and Path(d).is_dir() else str(Path.home())


def in_resources(path) -> bool:
    """True when ``path`` is inside the program's resources (examples, templates, help)."""
    from evidencegui.resources import resources_dir
    try:
        Path(path).resolve().relative_to(resources_dir().resolve())
        return True
    except ValueError:
        return False
