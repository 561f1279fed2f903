"""The digitizing canvas's edits as QUndoCommands: each keeps the state before and after and
hands it back to the canvas (ui/views/digitize_canvas.py), which redraws."""
from __future__ import annotations

import copy

from PySide6.QtGui import QUndoCommand


class SetPoints(QUndoCommand):
    """Points of one or more curves, before and after (add, move, delete are all this)."""

    def __init__(self, canvas, changes: dict, text: str):
        super().__init__(text)
        self.canvas, self.changes = canvas, changes

    def redo(self):
        for i, (_before, after) in self.changes.items():
            self.canvas._set_points(i, after)

    def undo(self):
        for i, (before, _after) in self.changes.items():
            self.canvas._set_points(i, before)


class SetCurves(QUndoCommand):
    def __init__(self, canvas, before, after, text):
        super().__init__(text)
        self.canvas, self.before, self.after = canvas, before, after

    def redo(self):
        self.canvas._set_curves(copy.deepcopy(self.after))

    def undo(self):
        self.canvas._set_curves(copy.deepcopy(self.before))


class SetCalibration(QUndoCommand):
    def __init__(self, canvas, key, before, after, text):
        super().__init__(text)
        self.canvas, self.key, self.before, self.after = canvas, key, before, after

    def redo(self):
        self.canvas._set_cal_point(self.key, self.after)

    def undo(self):
        self.canvas._set_cal_point(self.key, self.before)


class SetCrop(QUndoCommand):
    def __init__(self, canvas, before, after):
        super().__init__("crop")
        self.canvas, self.before, self.after = canvas, before, after

    def redo(self):
        self.canvas._set_crop(self.after)

    def undo(self):
        self.canvas._set_crop(self.before)

