"""The plain data of digitizing: calibration, curves, numbers at risk, the result, the error."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


class DigitizeError(ValueError):
    """Nothing usable was found; the message says what was found and what the user can do."""


@dataclass
class AxisCalibration:
    """Two known points per axis, in IMAGE pixels of ``FigureSource.image``.

    ``x = ((px, value), (px, value))``; ``y = ((py_from_top, value), (py, value))`` with the
    values as printed on the axis: 0–100 when ``percent`` is True, else 0–1. ``to_data`` returns
    (time, survival on the 0–1 scale) and ``to_pixels`` takes survival on the 0–1 scale.
    Linear axes only."""
    x: tuple[tuple[float, float], tuple[float, float]]
    y: tuple[tuple[float, float], tuple[float, float]]
    percent: bool = False

    def __post_init__(self):
        for axis, pts in (("x", self.x), ("y", self.y)):
            try:
                (p0, v0), (p1, v1) = pts
                vals = [float(p0), float(v0), float(p1), float(v1)]
            except (TypeError, ValueError):
                raise DigitizeError(f"{axis} calibration needs two (pixel, value) points; got {pts!r}") from None
            if not all(np.isfinite(vals)):
                raise DigitizeError(f"{axis} calibration points must be finite numbers; got {pts!r}")
            if abs(vals[0] - vals[2]) < 1:
                raise DigitizeError(f"the two {axis} calibration points are at the same pixel ({vals[0]:g}); "
                                    "pick two points far apart on the axis")
            if vals[1] == vals[3]:
                raise DigitizeError(f"the two {axis} calibration points have the same value ({vals[1]:g}); "
                                    "give two different axis values")
        self.x = ((float(self.x[0][0]), float(self.x[0][1])), (float(self.x[1][0]), float(self.x[1][1])))
        self.y = ((float(self.y[0][0]), float(self.y[0][1])), (float(self.y[1][0]), float(self.y[1][1])))

    @property
    def _ax(self):
        (p0, v0), (p1, v1) = self.x
        b = (v1 - v0) / (p1 - p0)
        return v0 - b * p0, b

    @property
    def _ay(self):
        (p0, v0), (p1, v1) = self.y
        k = 100.0 if self.percent else 1.0
        b = (v1 - v0) / k / (p1 - p0)
        return v0 / k - b * p0, b

    def to_data(self, px, py) -> tuple[np.ndarray, np.ndarray]:
        ax, bx = self._ax
        ay, by = self._ay
        return ax + bx * np.asarray(px, float), ay + by * np.asarray(py, float)

    def to_pixels(self, t, s) -> tuple[np.ndarray, np.ndarray]:
        ax, bx = self._ax
        ay, by = self._ay
        return (np.asarray(t, float) - ax) / bx, (np.asarray(s, float) - ay) / by

    def to_json(self) -> dict:
        return {"x": [list(p) for p in self.x], "y": [list(p) for p in self.y], "percent": self.percent}


@dataclass
class Curve:
    name: str
    colour: tuple[int, int, int]
    points: list[tuple[float, float]]          # (time, survival 0–1): corners of the steps
    censor_times: list[float] = field(default_factory=list)
    dash: tuple[float, ...] | None = None

    def to_json(self) -> dict:
        return {"name": self.name, "colour": list(self.colour),
                "points": [[float(t), float(s)] for t, s in self.points],
                "censor_times": [float(t) for t in self.censor_times]}


@dataclass
class AtRisk:
    times: list[float]
    counts: dict[str, list[int]]

    def to_json(self) -> dict:
        return {"times": [float(t) for t in self.times],
                "counts": {k: [int(v) for v in c] for k, c in self.counts.items()}}


@dataclass
class DigitizeResult:
    source: str                                   # "vector" or "raster"
    calibration: AxisCalibration | None
    curves: list[Curve]
    at_risk: AtRisk | None
    warnings: list[str]
    plot_box: tuple[float, float, float, float] | None   # image pixels (x0, y0, x1, y1)

    def to_json(self) -> dict:
        return {"source": self.source,
                "calibration": None if self.calibration is None else self.calibration.to_json(),
                "curves": [c.to_json() for c in self.curves],
                "at_risk": None if self.at_risk is None else self.at_risk.to_json(),
                "warnings": list(self.warnings),
                "plot_box": None if self.plot_box is None else [float(v) for v in self.plot_box]}
