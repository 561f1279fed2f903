"""What a reconstruction returns (patients, fit report, checks against the figure) and the small
Kaplan–Meier step evaluator it uses (the statistics live in core.survival)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def _fmt(x: float) -> str:
    return f"{x:.4g}"


@dataclass(frozen=True)
class Fit:
    """How well the reconstruction reproduces its inputs.

    max_abs_distance / rms_distance: vertical distance between each cleaned click and the
    reconstructed Kaplan–Meier step curve (a click on a vertical segment of the step counts as on
    the curve: the distance is to the interval [S(t), S(t⁻)]).
    at_risk_times / at_risk_given / at_risk_reconstructed: the (cleaned) risk table beside the
    number of reconstructed patients with time ≥ each table time.
    """
    max_abs_distance: float
    rms_distance: float
    at_risk_times: np.ndarray
    at_risk_given: np.ndarray
    at_risk_reconstructed: np.ndarray

    def to_json(self) -> dict:
        return {
            "max_abs_distance": float(self.max_abs_distance),
            "rms_distance": float(self.rms_distance),
            "at_risk": [
                {"time": float(t), "given": int(g), "reconstructed": int(r)}
                for t, g, r in zip(self.at_risk_times, self.at_risk_given,
                                   self.at_risk_reconstructed)
            ],
        }


@dataclass(frozen=True)
class Reconstruction:
    """Reconstructed patients of one arm: ``time`` (float64) and ``event`` (int64, 1 = event)."""
    time: np.ndarray
    event: np.ndarray
    warnings: list[str]
    fit: Fit
    curve_time: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    curve_survival: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))

    @property
    def n(self) -> int:
        return int(self.time.size)

    @property
    def curve_min(self) -> float:
        """The lowest survival the digitized curve reaches (after cleaning)."""
        return float(self.curve_survival.min()) if self.curve_survival.size else 1.0

    def level_time(self, level: float = 0.5) -> dict:
        """When the reconstructed Kaplan–Meier curve first falls to ``level`` (0.5: the median),
        checked against the figure. ``value`` is None (not reached) when the digitized curve never
        reaches the level even if the reconstruction does (one rounded event can take it below:
        the figure shows "not reached"); ``reconstructed`` keeps the reconstruction's own time."""
        rec = level_crossing(self.time, self.event, level)
        flagged = rec is not None and self.curve_min > level
        return {"level": level, "value": None if flagged else rec, "reconstructed": rec,
                "not_reached_in_figure": bool(flagged),
                "note": (f"the reconstructed curve falls to {level:g} at {_fmt(rec)}, but the "
                         f"digitized curve never goes below {self.curve_min:.4g}: reported as not "
                         "reached, as the figure shows") if flagged else ""}

    def audit(self) -> dict:
        """Plain values to keep beside the patients (project file) so later computations can
        check a result against the figure: the lowest digitized survival and the last click."""
        return {"curve_min": self.curve_min,
                "curve_last_time": float(self.curve_time.max()) if self.curve_time.size else 0.0}

    @property
    def events(self) -> int:
        return int(self.event.sum())


def km_steps(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct event times and the Kaplan–Meier survival just after each of them."""
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=np.int64)
    if time.size == 0:
        return np.zeros(0), np.zeros(0)
    order = np.argsort(time, kind="stable")
    ts, es = time[order], event[order]
    uniq, first = np.unique(ts, return_index=True)
    at_risk = ts.size - first
    deaths = np.add.reduceat(es, first)
    keep = deaths > 0
    factors = 1.0 - deaths[keep] / at_risk[keep]
    return uniq[keep], np.cumprod(factors)


def level_crossing(time, event, level: float = 0.5) -> float | None:
    """First time the Kaplan–Meier curve of (time, event) is ≤ level (R's convention at exactly
    the level: the midpoint of the flat stretch); None when it never is."""
    st, ss = km_steps(time, event)
    idx = np.flatnonzero(ss <= level)
    if idx.size == 0:
        return None
    k = int(idx[0])
    if ss[k] == level and k + 1 < st.size:
        return float((st[k] + st[k + 1]) / 2)
    return float(st[k])


def km_evaluate(step_t: np.ndarray, step_s: np.ndarray, t, left: bool = False) -> np.ndarray:
    """S(t) of a right-continuous step curve (``left=True``: S(t⁻)); 1 before the first step."""
    t = np.asarray(t, dtype=float)
    idx = np.searchsorted(step_t, t, side="left" if left else "right")
    vals = np.concatenate(([1.0], step_s))
    return vals[idx]


def _fit(time, event, ct, cs, T, N) -> Fit:
    st, ss = km_steps(time, event)
    after = km_evaluate(st, ss, ct)
    before = km_evaluate(st, ss, ct, left=True)
    dist = np.where(cs > before, cs - before, np.where(cs < after, after - cs, 0.0))
    sorted_t = np.sort(time)
    at_risk = time.size - np.searchsorted(sorted_t, T, side="left")
    return Fit(max_abs_distance=float(dist.max()) if dist.size else 0.0,
               rms_distance=float(np.sqrt(np.mean(dist ** 2))) if dist.size else 0.0,
               at_risk_times=np.asarray(T, dtype=float),
               at_risk_given=np.asarray(N, dtype=np.int64),
               at_risk_reconstructed=at_risk.astype(np.int64))
