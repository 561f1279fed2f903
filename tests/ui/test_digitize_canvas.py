"""The digitizing canvas through the mouse and keys: points added (click), moved (drag),
deleted (select + Delete), zoom (wheel), crop (drag), calibration clicks, undo/redo."""
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QColor, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from evidencegui.ui.views.digitize_canvas import (DigitizeCanvas, qimage_from_rgb, rgb_from_qimage,
                                                  step_path_points)


@pytest.fixture
def canvas(qtbot):
    c = DigitizeCanvas()
    qtbot.addWidget(c)
    c.resize(700, 500)
    c.show()
    img = QImage(400, 300, QImage.Format.Format_RGB888)
    img.fill(QColor("white"))
    c.set_image(img)
    qtbot.waitExposed(c)
    return c


def _view(c, x, y) -> QPoint:
    return c.mapFromScene(QPointF(x, y))


def _near(a, b, tol=1.5):
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol


def test_click_adds_points_then_undo_redo(canvas):
    canvas.set_mode("add")
    for x, y in ((50, 40), (120, 40), (120, 90)):
        QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=_view(canvas, x, y))
    assert len(canvas.curves) == 1
    pts = canvas.curves[0].points
    assert len(pts) == 3 and _near(pts[2], (120, 90))
    canvas.undo_stack.undo()
    assert len(canvas.curves[0].points) == 2
    canvas.undo_stack.redo()
    assert len(canvas.curves[0].points) == 3


def test_drag_moves_a_point_and_undo_puts_it_back(canvas):
    canvas.set_mode("add")
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=_view(canvas, 100, 100))
    canvas.set_mode("edit")
    vp = canvas.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, pos=_view(canvas, 100, 100))
    QTest.mouseMove(vp, _view(canvas, 140, 130))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=_view(canvas, 140, 130))
    assert _near(canvas.curves[0].points[0], (140, 130))
    canvas.undo_stack.undo()
    assert _near(canvas.curves[0].points[0], (100, 100))


def test_select_and_delete_key(canvas):
    canvas.set_mode("add")
    for x in (60, 160, 260):
        QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=_view(canvas, x, 100))
    canvas.set_mode("edit")
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=_view(canvas, 160, 100))
    QTest.keyClick(canvas, Qt.Key.Key_Delete)
    assert [round(p[0]) for p in canvas.curves[0].points] == [60, 260]
    canvas.undo_stack.undo()
    assert len(canvas.curves[0].points) == 3


def test_wheel_zooms_and_fit_restores(canvas):
    before = canvas.transform().m11()
    pos = QPointF(_view(canvas, 200, 150))
    ev = QWheelEvent(pos, QPointF(canvas.mapToGlobal(pos.toPoint())), QPoint(), QPoint(0, 240),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas.viewport(), ev)
    assert canvas.transform().m11() == pytest.approx(before * 1.44, rel=1e-6)
    canvas.fit()
    assert canvas.transform().m11() == pytest.approx(before, rel=1e-6)


def test_crop_by_dragging_a_rectangle(canvas):
    canvas.set_mode("crop")
    vp = canvas.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, pos=_view(canvas, 40, 30))
    QTest.mouseMove(vp, _view(canvas, 300, 250))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=_view(canvas, 300, 250))
    x0, y0, x1, y1 = canvas.crop
    assert _near((x0, y0), (40, 30), 2) and _near((x1, y1), (300, 250), 2)
    # a click without a drag keeps the rectangle
    QTest.mouseClick(vp, Qt.MouseButton.LeftButton, pos=_view(canvas, 100, 100))
    assert canvas.crop == (x0, y0, x1, y1)
    canvas.undo_stack.undo()
    assert canvas.crop is None


def test_calibration_clicks_go_in_order_and_loupe_shows(canvas):
    canvas.set_mode("calibrate")
    got = []
    canvas.calibration_clicked.connect(got.append)
    QTest.mouseMove(canvas.viewport(), _view(canvas, 60, 60))
    QTest.mouseMove(canvas.viewport(), _view(canvas, 50, 50))
    assert canvas.loupe.isVisible()
    for x, y in ((20, 280), (380, 280), (20, 280), (20, 20)):
        QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=_view(canvas, x, y))
    assert got == ["x1", "x2", "y1", "y2"]
    assert _near(canvas.cal_points["x2"], (380, 280))


def test_outside_the_image_nothing_is_added(canvas):
    canvas.set_mode("add")
    canvas.scale(0.5, 0.5)
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
    assert not canvas.curves or not canvas.curves[0].points


def test_rgb_round_trip_and_step_shape():
    import numpy as np
    rgb = np.zeros((5, 7, 3), np.uint8)
    rgb[1, 2] = (10, 20, 30)
    assert (rgb_from_qimage(qimage_from_rgb(rgb)) == rgb).all()
    # right-continuous: the value holds until the next time, then drops
    assert step_path_points([(0, 0), (10, 5)]) == [(0, 0), (10, 0), (10, 5)]


def test_middle_button_drag_pans(canvas):
    canvas.scale(4, 4)
    h = canvas.horizontalScrollBar().value()
    vp = canvas.viewport()
    QTest.mousePress(vp, Qt.MouseButton.MiddleButton, pos=QPoint(300, 200))
    QTest.mouseMove(vp, QPoint(250, 200))
    QTest.mouseRelease(vp, Qt.MouseButton.MiddleButton, pos=QPoint(250, 200))
    assert canvas.horizontalScrollBar().value() == h + 50


def test_curve_names_at_the_same_end_do_not_overlap(canvas):
    from evidencegui.ui.views.digitize_canvas import EditCurve
    canvas.replace_curves([EditCurve("A", (200, 0, 0), [(10, 10), (300, 200)]),
                           EditCurve("B", (0, 0, 200), [(10, 10), (300, 201)])])
    ys = sorted(v[1].pos().y() for v in canvas._labels.values())
    gap_px = (ys[1] - ys[0]) * canvas.transform().m11()
    assert gap_px >= 21
