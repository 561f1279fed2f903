"""Draw the fallback application icon (a Kaplan-Meier step curve pair on a rounded tile) and write
installer/icons/evidencegui.png (256 px), .ico (16-256 px) and .icns. Used only when
resources/icons/ has no icon of its own. Run: QT_QPA_PLATFORM=offscreen python installer/make_icon.py"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parent / "icons"


def draw(size: int = 1024) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256.0
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f3b5c"))
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 44 * s, 44 * s)
    # axes
    p.setPen(QPen(QColor("#c9d6e3"), 8 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(48 * s, 44 * s), QPointF(48 * s, 208 * s))
    p.drawLine(QPointF(48 * s, 208 * s), QPointF(216 * s, 208 * s))

    def steps(points, color):
        path = QPainterPath(QPointF(points[0][0] * s, points[0][1] * s))
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            path.lineTo(QPointF(x1 * s, y0 * s))
            path.lineTo(QPointF(x1 * s, y1 * s))
        p.setPen(QPen(QColor(color), 12 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                      Qt.PenJoinStyle.RoundJoin))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)

    steps([(56, 56), (96, 84), (132, 120), (168, 156), (208, 176), (208, 176)], "#f28e2b")
    steps([(56, 56), (104, 64), (144, 80), (180, 96), (208, 104), (208, 104)], "#59d1a0")
    p.end()
    return img


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(exist_ok=True)
    big = draw(1024)
    png = OUT / "evidencegui.png"
    big.scaled(256, 256, Qt.AspectRatioMode.KeepAspectRatio,
               Qt.TransformationMode.SmoothTransformation).save(str(png))
    big.save(str(OUT / "evidencegui-1024.png"))
    from PIL import Image  # Pillow is a python-pptx dependency, so it is in every venv of ours

    with Image.open(OUT / "evidencegui-1024.png") as im:
        im = im.convert("RGBA")
        im.save(OUT / "evidencegui.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64),
                                                 (128, 128), (256, 256)])
        im.save(OUT / "evidencegui.icns")
    (OUT / "evidencegui-1024.png").unlink()
    for f in sorted(OUT.iterdir()):
        print(f, f.stat().st_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
