"""The Qt side of undo: core.commands wrapped in QUndoCommands on one QUndoStack per project."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from evidencegui.core.model import Project


class _Wrapped(QUndoCommand):
    def __init__(self, controller: "UndoController", forward, inverse):
        super().__init__(forward.text)
        self._controller = controller
        self._forward = forward
        self._inverse = inverse
        self._skip_first_redo = True   # the command was applied before it was pushed

    def redo(self):
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        self._inverse = self._forward.apply(self._controller.project)
        self._controller.last_action = ("redo", self.text())
        self._controller.applied.emit(self._forward)

    def undo(self):
        self._forward = self._inverse.apply(self._controller.project)
        self._controller.last_action = ("undo", self.text())
        self._controller.applied.emit(self._inverse)


class UndoController(QObject):
    """Applies edits to the current project and records them; ``applied`` fires after every
    change (do, undo or redo) with the core command that ran."""

    applied = Signal(object)

    def __init__(self, project: Project | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project if project is not None else Project()
        self.stack = QUndoStack(self)
        self.last_action: tuple[str, str] = ("do", "")   # what the last ``applied`` was, and its text

    def push(self, command) -> None:
        """Apply ``command`` (errors propagate and nothing is recorded), then record it."""
        inverse = command.apply(self.project)
        self.stack.push(_Wrapped(self, command, inverse))
        self.last_action = ("do", command.text)
        self.applied.emit(command)

    def set_project(self, project: Project) -> None:
        self.project = project
        self.stack.clear()
        self.stack.setClean()

    def is_clean(self) -> bool:
        return self.stack.isClean()

    def set_clean(self) -> None:
        self.stack.setClean()
