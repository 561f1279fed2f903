"""The digitizing canvas: a figure (image pixels) with the curves' points drawn over it, edited
with the mouse — calibration clicks, a crop rectangle, points added, dragged and deleted — zoom
on the wheel, a magnifier near the cursor, and every edit on a QUndoStack of its own.

Scene coordinates are the image's pixel coordinates with pixel centres on whole numbers (the
pixmap sits at (-0.5, -0.5)), the convention of core.digitize's calibration and tracing.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen, QPixmap, QUndoStack
from PySide6.QtWidgets import (QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem,
                               QGraphicsPixmapItem, QGraphicsRectItem, QGraphicsScene,
                               QGraphicsSimpleTextItem, QGraphicsView, QLabel, QStyle)

from evidencegui.ui.views.digitize_undo import SetCalibration, SetCrop, SetCurves, SetPoints

MODES = ("edit", "add", "calibrate", "crop")
CAL_KEYS = ("x1", "x2", "y1", "y2")
CAL_NAMES = {"x1": "X₁", "x2": "X₂", "y1": "Y₁", "y2": "Y₂"}
#: Colours given to curves that arrive without one (manual curves), distinct on a white figure.
PALETTE = ((214, 39, 40), (31, 119, 180), (44, 160, 44), (148, 103, 189), (255, 127, 14),
           (23, 190, 207))


# ---------------------------------------------------------------------------------- images

def qimage_from_rgb(rgb: np.ndarray) -> QImage:
    """An H×W×3 uint8 RGB array as a QImage (a copy: the array may go away)."""
    arr = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w = arr.shape[:2]
    return QImage(arr.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def rgb_from_qimage(image: QImage) -> np.ndarray:
    """A QImage (any format; transparency over white) as an H×W×3 uint8 RGB array."""
    if image.hasAlphaChannel():
        flat = QImage(image.size(), QImage.Format.Format_RGB888)
        flat.fill(QColor("white"))
        p = QPainter(flat)
        p.drawImage(0, 0, image)
        p.end()
        image = flat
    img = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    buf = np.frombuffer(img.constBits(), np.uint8, count=bpl * h).reshape(h, bpl)
    return buf[:, :3 * w].reshape(h, w, 3).copy()


# ---------------------------------------------------------------------------------- data

@dataclass
class EditCurve:
    """One curve as the user edits it: points in image pixels (x, y from the top)."""
    name: str
    colour: tuple[int, int, int]
    points: list[tuple[float, float]] = field(default_factory=list)
    arm: bool = True                    # reconstruct this curve as an arm
    censor_times: list[float] = field(default_factory=list)   # read on the figure (time units)
    censor_marks: list[tuple[float, float]] = field(default_factory=list)   # where, in pixels
    dashed: bool = False                # drawn dashed on the figure (told apart from a solid one)


def step_path_points(points) -> list[tuple[float, float]]:
    """The corners of the right-continuous step through ``points`` (pixels): sorted by x, and
    for equal x from the top down; each point holds until the next x, then the curve drops."""
    pts = sorted(points, key=lambda p: (p[0], p[1]))
    out: list[tuple[float, float]] = []
    for i, (x, y) in enumerate(pts):
        if i:
            out.append((x, pts[i - 1][1]))
        out.append((x, y))
    return out


# ---------------------------------------------------------------------------------- items

class _Handle(QGraphicsEllipseItem):
    """A point of a curve: fixed size on screen whatever the zoom; filled white when selected."""
    R = 3.5

    def __init__(self, curve: int, index: int, colour: QColor):
        super().__init__(-self.R, -self.R, 2 * self.R, 2 * self.R)
        self.curve, self.index = curve, index
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setPen(QPen(colour, 1.5))
        self.setBrush(QBrush(colour))
        self.setZValue(10)
        self.colour = colour

    def paint(self, painter, option, widget=None):
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        option.state &= ~QStyle.StateFlag.State_Selected      # no dashed box
        # hollow: the figure shows through a dense curve; white and black when selected
        self.setBrush(QBrush(QColor("white")) if selected else QBrush(Qt.BrushStyle.NoBrush))
        self.setPen(QPen(QColor("black") if selected else self.colour, 2.0 if selected else 1.5))
        super().paint(painter, option, widget)


class _Loupe(QLabel):
    """A magnified view of the figure around the cursor, with a cross-hair on the pixel."""
    SIZE, ZOOM = 150, 5

    def __init__(self, parent):
        super().__init__(parent)
        self.setFixedSize(self.SIZE, self.SIZE)
        self.setStyleSheet("border: 1px solid #555; background: white;")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def show_at(self, image: QImage, scene_pt: QPointF, view_pt) -> None:
        half = self.SIZE / self.ZOOM / 2
        src = QRectF(scene_pt.x() + 0.5 - half, scene_pt.y() + 0.5 - half, 2 * half, 2 * half)
        pm = QPixmap(self.SIZE, self.SIZE)
        pm.fill(QColor("white"))
        p = QPainter(pm)
        p.drawImage(QRectF(0, 0, self.SIZE, self.SIZE), image, src)
        p.setPen(QPen(QColor(255, 0, 255), 1))
        c = self.SIZE / 2
        p.drawLine(QPointF(c, 0), QPointF(c, c - 6))
        p.drawLine(QPointF(c, c + 6), QPointF(c, self.SIZE))
        p.drawLine(QPointF(0, c), QPointF(c - 6, c))
        p.drawLine(QPointF(c + 6, c), QPointF(self.SIZE, c))
        p.end()
        self.setPixmap(pm)
        parent = self.parentWidget()
        x, y = view_pt.x() + 24, view_pt.y() + 24
        if x + self.SIZE > parent.width():
            x = view_pt.x() - 24 - self.SIZE
        if y + self.SIZE > parent.height():
            y = view_pt.y() - 24 - self.SIZE
        self.move(int(max(0, x)), int(max(0, y)))
        self.show()
        self.raise_()


# ---------------------------------------------------------------------------------- the canvas

class DigitizeCanvas(QGraphicsView):
    """The figure and its curves. The window reads ``curves``, ``cal_points`` and ``crop``."""

    calibration_clicked = Signal(str)        # key of the calibration point just placed
    changed = Signal()                        # curves, points, calibration or crop changed
    mode_changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(QColor(120, 120, 120))
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.undo_stack = QUndoStack(self)
        self.image: QImage | None = None
        self.pixmap_item: QGraphicsPixmapItem | None = None
        self.curves: list[EditCurve] = []
        self.cal_points: dict[str, tuple[float, float]] = {}
        self.crop: tuple[float, float, float, float] | None = None
        self.mode = "edit"
        self.cal_target = "x1"
        self.active_curve = 0
        self.marks: list[float] = []          # x pixels of the at-risk times (drawn as ticks)
        self._curve_items: dict[int, list] = {}
        self._labels: dict[int, tuple] = {}   # curve → (plate, text, anchor x, anchor y)
        self._cal_items: dict[str, list] = {}
        self._crop_item: QGraphicsRectItem | None = None
        self._mark_items: list = []
        self._drag: tuple[_Handle, list, bool] | None = None     # handle, points before, moved
        self._crop_start: QPointF | None = None
        self._crop_before = None
        self._pan = None                      # last position while panning (middle button)
        self.loupe = _Loupe(self.viewport())

    # ------------------------------------------------------------------ figure
    def set_image(self, image: QImage) -> None:
        """A new figure: points, calibration, crop and undo history start afresh."""
        self.scene().clear()
        self._curve_items, self._cal_items, self._crop_item, self._mark_items = {}, {}, None, []
        self._labels = {}
        self.image = image
        self.pixmap_item = self.scene().addPixmap(QPixmap.fromImage(image))
        self.pixmap_item.setOffset(-0.5, -0.5)
        self.pixmap_item.setZValue(-10)
        self.pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().setSceneRect(QRectF(-0.5, -0.5, image.width(), image.height()))
        self.curves, self.cal_points, self.crop, self.marks = [], {}, None, []
        self.cal_target, self.active_curve = "x1", 0
        self.undo_stack.clear()
        self.fit()
        self.changed.emit()

    def fit(self) -> None:
        if self.pixmap_item is not None:
            rect = self.scene().sceneRect()
            if self.crop is not None:
                x0, y0, x1, y1 = self.crop
                rect = QRectF(x0, y0, x1 - x0, y1 - y0).adjusted(-20, -20, 20, 20)
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            self._layout_labels()

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag if mode == "edit"
                         else QGraphicsView.DragMode.NoDrag)
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor if mode == "edit"
                                  else Qt.CursorShape.CrossCursor)
        self.loupe.hide()
        self.mode_changed.emit(mode)

    # ------------------------------------------------------------------ public edits (undoable)
    def replace_curves(self, curves: list[EditCurve], text: str = "find curves") -> None:
        self.undo_stack.push(SetCurves(self, copy.deepcopy(self.curves), copy.deepcopy(curves), text))

    def add_curve(self, name: str | None = None) -> int:
        """A new empty curve (for clicking by hand); returns its index, now the active curve."""
        taken = {c.name for c in self.curves}
        k = len(self.curves) + 1
        while (name or f"Curve {k}") in taken:
            k += 1
        colour = PALETTE[len(self.curves) % len(PALETTE)]
        after = copy.deepcopy(self.curves) + [EditCurve(name or f"Curve {k}", colour)]
        self.replace_curves(after, "new curve")
        self.active_curve = len(self.curves) - 1
        return self.active_curve

    def remove_curve(self, index: int) -> None:
        if 0 <= index < len(self.curves):
            after = copy.deepcopy(self.curves)
            del after[index]
            self.replace_curves(after, f"remove {self.curves[index].name}")
            self.active_curve = min(self.active_curve, max(0, len(self.curves) - 1))

    def set_points(self, index: int, points, text: str = "edit points") -> None:
        before = list(self.curves[index].points)
        self.undo_stack.push(SetPoints(self, {index: (before, [tuple(p) for p in points])}, text))

    def add_point(self, x: float, y: float) -> None:
        if not self.curves:
            self.add_curve()
        i = min(self.active_curve, len(self.curves) - 1)
        self.set_points(i, self.curves[i].points + [(float(x), float(y))], "add point")

    def delete_selected(self) -> int:
        """Delete the selected points (one undo step); returns how many."""
        chosen: dict[int, set[int]] = {}
        for item in self.scene().selectedItems():
            if isinstance(item, _Handle):
                chosen.setdefault(item.curve, set()).add(item.index)
        if not chosen:
            return 0
        changes = {i: (list(self.curves[i].points),
                       [p for k, p in enumerate(self.curves[i].points) if k not in ks])
                   for i, ks in chosen.items()}
        n = sum(len(ks) for ks in chosen.values())
        self.undo_stack.push(SetPoints(self, changes, f"delete {n} point{'s' * (n != 1)}"))
        return n

    def set_cal_point(self, key: str, point: tuple[float, float] | None) -> None:
        self.undo_stack.push(SetCalibration(self, key, self.cal_points.get(key), point,
                                             f"calibration point {CAL_NAMES[key]}"))

    def set_crop(self, rect: tuple[float, float, float, float] | None) -> None:
        self.undo_stack.push(SetCrop(self, self.crop, rect))

    def rename_curve(self, index: int, name: str) -> None:
        self.curves[index].name = name
        self._draw_curve(index)

    def set_marks(self, xs: list[float]) -> None:
        """Short ticks under the plot at the at-risk times (pixels), to check their alignment."""
        for it in self._mark_items:
            self.scene().removeItem(it)
        self._mark_items = []
        self.marks = list(xs)
        if self.image is None or not xs:
            return
        y = self._axis_y()
        pen = QPen(QColor(255, 0, 255), 2)
        pen.setCosmetic(True)
        for x in xs:
            it = self.scene().addLine(x, y - 8, x, y + 8, pen)
            it.setZValue(5)
            self._mark_items.append(it)

    def _axis_y(self) -> float:
        ys = [p[1] for k, p in self.cal_points.items() if k.startswith("x")]
        if ys:
            return sum(ys) / len(ys)
        return self.crop[3] if self.crop else self.image.height() - 10

    # ------------------------------------------------------------------ applied by the commands
    def _set_points(self, index: int, points) -> None:
        self.curves[index].points = list(points)
        self._draw_curve(index)
        self.changed.emit()

    def _set_curves(self, curves: list[EditCurve]) -> None:
        for i in list(self._curve_items):
            self._clear_curve(i)
        self.curves = curves
        for i in range(len(curves)):
            self._draw_curve(i)
        self.active_curve = min(self.active_curve, max(0, len(curves) - 1))
        self.changed.emit()

    def _set_cal_point(self, key, point) -> None:
        for it in self._cal_items.pop(key, []):
            self.scene().removeItem(it)
        if point is None:
            self.cal_points.pop(key, None)
        else:
            self.cal_points[key] = (float(point[0]), float(point[1]))
            self._cal_items[key] = self._cross(point, CAL_NAMES[key])
        self.set_marks(self.marks)
        self.changed.emit()

    def _set_crop(self, rect) -> None:
        if self._crop_item is not None:
            self.scene().removeItem(self._crop_item)
            self._crop_item = None
        self.crop = None if rect is None else tuple(float(v) for v in rect)
        if rect is not None:
            x0, y0, x1, y1 = self.crop
            pen = QPen(QColor(0, 150, 255), 2, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            self._crop_item = self.scene().addRect(QRectF(x0, y0, x1 - x0, y1 - y0), pen)
            self._crop_item.setZValue(4)
        self.changed.emit()

    # ------------------------------------------------------------------ drawing
    def _cross(self, point, label) -> list:
        pen = QPen(QColor(255, 0, 255), 2)
        pen.setCosmetic(True)
        x, y = point
        path = QPainterPath()
        path.moveTo(-9, 0)
        path.lineTo(9, 0)
        path.moveTo(0, -9)
        path.lineTo(0, 9)
        cross = QGraphicsPathItem(path)
        cross.setPen(pen)
        cross.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        cross.setPos(x, y)
        text = QGraphicsSimpleTextItem(label)
        text.setBrush(QColor(200, 0, 200))
        text.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        text.setPos(x + 4, y + 3)
        if label.startswith("Y"):          # above the point: X₁ and Y₁ often share a spot
            text.setPos(x + 4, y - 20)
        f = text.font()
        f.setBold(True)
        text.setFont(f)
        for it in (cross, text):
            it.setZValue(20)
            self.scene().addItem(it)
        return [cross, text]

    def _clear_curve(self, index: int) -> None:
        self._labels.pop(index, None)
        for it in self._curve_items.pop(index, []):
            if it.scene() is not None:
                self.scene().removeItem(it)

    def _draw_curve(self, index: int) -> None:
        self._clear_curve(index)
        if self.image is None or index >= len(self.curves):
            return
        c = self.curves[index]
        colour = QColor(*c.colour)
        pen = QPen(colour, 2)
        pen.setCosmetic(True)
        if not c.arm:
            pen.setStyle(Qt.PenStyle.DotLine)
        elif c.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        line = QGraphicsPathItem(self._step_path(c.points))
        line.setPen(pen)
        line.setZValue(6)
        self.scene().addItem(line)
        items = [line]
        if c.censor_marks:                    # read on the figure: shown, not edited
            marks = QPainterPath()
            for x, y in c.censor_marks:
                marks.moveTo(x, y - 7)
                marks.lineTo(x, y + 7)
            mark_pen = QPen(colour.darker(150), 2)
            mark_pen.setCosmetic(True)
            ticks = QGraphicsPathItem(marks)
            ticks.setPen(mark_pen)
            ticks.setZValue(11)
            self.scene().addItem(ticks)
            items.append(ticks)
        for k, (x, y) in enumerate(c.points):
            h = _Handle(index, k, colour)
            h.setPos(x, y)
            self.scene().addItem(h)
            items.append(h)
        if c.points:
            x, y = max(c.points, key=lambda p: (p[0], -p[1]))   # a direct label at the end
            label = QGraphicsSimpleTextItem(c.name)
            label.setBrush(colour)
            f = label.font()
            f.setBold(True)
            f.setPointSizeF(f.pointSizeF() * 1.1)
            label.setFont(f)
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            # on a white plate, so the name reads over the figure
            plate = QGraphicsRectItem(label.boundingRect().adjusted(-3, -1, 3, 1))
            plate.setBrush(QColor(255, 255, 255, 220))
            plate.setPen(QPen(colour, 1))
            plate.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            for it in (plate, label):
                it.setZValue(15)
                self.scene().addItem(it)
                items.append(it)
            self._labels[index] = (plate, label, x, y + 8)
        self._curve_items[index] = items
        self._layout_labels()

    def _layout_labels(self) -> None:
        """Curve names at the curves' ends, pushed apart downwards where they would overlap
        (names keep their size on screen, so the gap in pixels of the image depends on zoom)."""
        self._labels = {i: v for i, v in self._labels.items() if v[0].scene() is not None}
        gap = 22 / max(self.transform().m11(), 1e-6)
        last_y = None
        for plate, label, x, y in sorted(self._labels.values(), key=lambda v: v[3]):
            if last_y is not None and y < last_y + gap:
                y = last_y + gap
            plate.setPos(x, y)
            label.setPos(x, y)
            last_y = y

    @staticmethod
    def _step_path(points) -> QPainterPath:
        path = QPainterPath()
        for k, (x, y) in enumerate(step_path_points(points)):
            if k:
                path.lineTo(x, y)
            else:
                path.moveTo(x, y)
        return path

    def _update_line(self, index: int, points) -> None:
        items = self._curve_items.get(index)
        if items:
            items[0].setPath(self._step_path(points))

    # ------------------------------------------------------------------ mouse and keys
    def _scene_pt(self, event) -> QPointF:
        return self.mapToScene(event.position().toPoint())

    def _inside(self, pt: QPointF) -> bool:
        return self.image is not None and self.scene().sceneRect().contains(pt)

    def _clamped(self, pt: QPointF) -> QPointF:
        r = self.scene().sceneRect()
        return QPointF(min(max(pt.x(), r.left()), r.right()), min(max(pt.y(), r.top()), r.bottom()))

    def _handle_at(self, event) -> _Handle | None:
        for it in self.items(event.position().toPoint()):
            if isinstance(it, _Handle):
                return it
        return None

    def mousePressEvent(self, event):  # noqa: N802
        if event.button() == Qt.MouseButton.MiddleButton:      # pan, in any mode
            self._pan = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if self.image is None or event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        pt = self._scene_pt(event)
        if self.mode == "edit":
            h = self._handle_at(event)
            if h is not None:
                if not (event.modifiers() & Qt.KeyboardModifier.ControlModifier):
                    self.scene().clearSelection()
                h.setSelected(True)
                self.active_curve = h.curve
                self._drag = (h, list(self.curves[h.curve].points), False)
                return
            return super().mousePressEvent(event)
        if not self._inside(pt):
            return
        if self.mode == "crop":
            self._crop_start, self._crop_before = pt, self.crop
            self._set_crop((pt.x(), pt.y(), pt.x(), pt.y()))
        elif self.mode == "calibrate":
            key = self.cal_target
            self.set_cal_point(key, (pt.x(), pt.y()))
            missing = [k for k in CAL_KEYS if k not in self.cal_points]
            self.cal_target = missing[0] if missing else key
            self.calibration_clicked.emit(key)
        elif self.mode == "add":
            self.add_point(pt.x(), pt.y())

    def mouseMoveEvent(self, event):  # noqa: N802
        if self._pan is not None:
            now = event.position().toPoint()
            d = now - self._pan
            self._pan = now
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - d.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - d.y())
            return
        pt = self._scene_pt(event)
        if self._drag is not None:
            h, before, _ = self._drag
            pt = self._clamped(pt)
            h.setPos(pt)
            self._drag = (h, before, True)
            pts = list(before)
            pts[h.index] = (pt.x(), pt.y())
            self._update_line(h.curve, pts)
        elif self._crop_start is not None:
            a, b = self._crop_start, self._clamped(pt)
            if self._crop_item is not None:
                self._crop_item.setRect(QRectF(a, b).normalized())
        if self.image is not None and (self.mode in ("add", "calibrate") or self._drag) \
                and self._inside(pt):
            self.loupe.show_at(self.image, pt, event.position().toPoint())
        else:
            self.loupe.hide()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):  # noqa: N802
        if self._pan is not None and event.button() == Qt.MouseButton.MiddleButton:
            self._pan = None
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor if self.mode == "edit"
                                      else Qt.CursorShape.CrossCursor)
            return
        if self._drag is not None and event.button() == Qt.MouseButton.LeftButton:
            h, before, moved = self._drag
            self._drag = None
            if self.mode == "edit":
                self.loupe.hide()
            if moved:
                after = list(before)
                after[h.index] = (h.pos().x(), h.pos().y())
                self.undo_stack.push(SetPoints(self, {h.curve: (before, after)}, "move point"))
            return
        if self._crop_start is not None and event.button() == Qt.MouseButton.LeftButton:
            a, b = self._crop_start, self._clamped(self._scene_pt(event))
            self._crop_start = None
            r = QRectF(a, b).normalized()
            before = self._crop_before
            self._set_crop(before)                 # the command below sets the new one
            if r.width() >= 10 and r.height() >= 10:
                self.undo_stack.push(SetCrop(self, before, (r.left(), r.top(), r.right(), r.bottom())))
            return
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event):  # noqa: N802
        self.loupe.hide()
        super().leaveEvent(event)

    def wheelEvent(self, event):  # noqa: N802
        if self.image is None:
            return
        factor = 1.2 ** (event.angleDelta().y() / 120)
        scale = self.transform().m11() * factor
        if 0.05 <= scale <= 40:
            self.scale(factor, factor)
            self._layout_labels()
        event.accept()

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selected()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.scene().clearSelection()
            self.loupe.hide()
            return
        super().keyPressEvent(event)
