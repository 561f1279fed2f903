"""Drawable survival curves per arm: step coordinates, CI bands, censor marks, modelled curves.

Computed here once, so the plot, the workbook and the slides show the same arrays. Pure: no Qt.

A Kaplan–Meier curve is right-continuous: S(t) holds from one event time t_i up to the next
t_{i+1}, and drops at t_{i+1}. The step vertices are built by hand (x repeated at each drop) so any
line-drawing routine shows the exact shape; the last value is repeated up to the largest follow-up
time so the final flat segment shows.

Arms that carry only reported numbers get a modelled curve: exponential through the median
(S = 0.5^(t/median)), or piecewise exponential (log S linear between knots) through the reported
landmarks, with the median as a knot at S = 0.5. Such curves are flagged ``modelled=True``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

import numpy as np

from .model import Arm

# Months per unit. Times in a project are in months unless Project.time_unit says otherwise.
_MONTHS_PER = {"months": 1.0, "years": 12.0, "weeks": 12.0 / 52.1775, "days": 12.0 / 365.25}
TIME_UNITS = tuple(_MONTHS_PER)
UNIT_ABBREV = {"months": "mo", "years": "yr", "weeks": "wk", "days": "d"}

KAPLAN_MEIER = "kaplan-meier"
EXPONENTIAL = "exponential"
PIECEWISE = "piecewise-exponential"

# Points per modelled curve: enough for a smooth line at print resolution.
_MODEL_POINTS = 241


def convert_time(values: Any, from_unit: str = "months", to_unit: str = "months") -> Any:
    """Convert a time (scalar, array or None) between months, years, weeks and days."""
    if values is None:
        return None
    for u in (from_unit, to_unit):
        if u not in _MONTHS_PER:
            raise ValueError(f"unknown time unit {u!r}; use one of {', '.join(TIME_UNITS)}")
    if from_unit == to_unit:
        return values
    factor = _MONTHS_PER[from_unit] / _MONTHS_PER[to_unit]
    if isinstance(values, np.ndarray):
        return values * factor
    if isinstance(values, (list, tuple)):
        return type(values)(None if v is None else v * factor for v in values)
    return values * factor


@dataclass(frozen=True)
class CurveData:
    """One arm's curve, ready to draw.

    time, survival: step vertices (KM) or a dense grid (modelled); same length.
    lower, upper: CI band on the same vertices, or None (modelled curves have none).
    censor_time, censor_survival: one mark per distinct censoring time, at S of that time.
    knot_time, knot_survival: the function itself (KM: event times and S after each drop,
      modelled: the knots of log-linear pieces), used by ``evaluate``.
    n, events, median (+ CI): for the legend; median None when not reached / not known.
    """
    label: str
    time: np.ndarray
    survival: np.ndarray
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None
    censor_time: np.ndarray = field(default_factory=lambda: np.empty(0))
    censor_survival: np.ndarray = field(default_factory=lambda: np.empty(0))
    modelled: bool = False
    model: str = KAPLAN_MEIER
    n: int | None = None
    events: int | None = None
    median: float | None = None
    median_lower: float | None = None
    median_upper: float | None = None
    median_not_reached: bool = False
    ci_method: str | None = None
    time_unit: str = "months"
    knot_time: np.ndarray = field(default_factory=lambda: np.empty(0))
    knot_survival: np.ndarray = field(default_factory=lambda: np.empty(0))
    km: Any = None                     # core.survival.KaplanMeier for patient-level arms
    km_unit: str = "months"            # the time unit the KM was fitted in (the data's unit)
    # Reported numbers at risk (times in ``time_unit``, counts) when the arm carries them.
    reported_at_risk: tuple[tuple[float, ...], tuple[int, ...]] | None = None

    @property
    def max_time(self) -> float:
        return float(self.time[-1]) if len(self.time) else 0.0

    def evaluate(self, t: Any) -> np.ndarray:
        """S at times t (same unit as the curve). KM: right-continuous step; modelled: the model.

        NaN past the end of the curve, where nothing is known.
        """
        tt = np.atleast_1d(np.asarray(t, dtype=float))
        out = np.full(tt.shape, np.nan)
        inside = (tt >= 0) & (tt <= self.max_time + 1e-12)
        if self.model == KAPLAN_MEIER:
            idx = np.searchsorted(self.knot_time, tt, side="right") - 1
            s = np.where(idx >= 0, self.knot_survival[np.clip(idx, 0, None)] if len(self.knot_time)
                         else 1.0, 1.0)
            out[inside] = s[inside]
        else:
            out[inside] = _piecewise_eval(self.knot_time, self.knot_survival, tt[inside])
        return out

    def in_unit(self, unit: str) -> "CurveData":
        """The same curve with times (and medians) in another unit."""
        if unit == self.time_unit:
            return self
        c = lambda v: convert_time(v, self.time_unit, unit)  # noqa: E731
        rar = None
        if self.reported_at_risk is not None:
            rar = (tuple(c(float(x)) for x in self.reported_at_risk[0]), self.reported_at_risk[1])
        return replace(self, time=c(self.time), censor_time=c(self.censor_time),
                       knot_time=c(self.knot_time), median=c(self.median),
                       median_lower=c(self.median_lower), median_upper=c(self.median_upper),
                       time_unit=unit, reported_at_risk=rar)


# ----------------------------------------------------------------------------- Kaplan–Meier

def km_steps(time: np.ndarray, survival: np.ndarray, end_time: float | None = None,
             start: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of a right-continuous step function that starts at (0, start).

    ``time``/``survival``: the value after each jump, ascending times. The function holds each
    value up to the next time, where the drop is drawn as a vertical segment; the last value is
    held up to ``end_time`` (default: the last time).
    """
    time = np.asarray(time, dtype=float)
    survival = np.asarray(survival, dtype=float)
    end = float(time[-1]) if end_time is None and len(time) else float(end_time or 0.0)
    if len(time) == 0:
        return np.array([0.0, end]), np.array([start, start])
    prev = np.concatenate(([start], survival[:-1]))
    x = np.empty(2 * len(time) + 2)
    y = np.empty_like(x)
    x[0], y[0] = 0.0, start
    x[1:-1:2], y[1:-1:2] = time, prev      # arrive at t_i with the old value ...
    x[2:-1:2], y[2:-1:2] = time, survival  # ... and drop to the new one
    x[-1], y[-1] = max(end, float(time[-1])), survival[-1]
    return x, y


def _patients_curve(arm: Arm, ci_method: str, conf_level: float, label: str,
                    unit: str) -> CurveData:
    from .survival import kaplan_meier, median as km_median

    t = np.asarray(arm.patients.time, dtype=float)
    e = np.asarray(arm.patients.event, dtype=int)
    km = kaplan_meier(t, e, ci_method=ci_method, conf_level=conf_level)
    times = np.asarray(km.time, dtype=float)
    n_event = np.asarray(km.n_event)
    n_censor = np.asarray(km.n_censor)
    surv = np.asarray(km.survival, dtype=float)
    lower = np.asarray(km.lower, dtype=float)
    upper = np.asarray(km.upper, dtype=float)
    # Where the CI is undefined (S = 0 under log-log, or the variance is 0) draw no width.
    lower = np.where(np.isfinite(lower), lower, surv)
    upper = np.where(np.isfinite(upper), upper, surv)
    ev = n_event > 0
    end = float(times[-1]) if len(times) else 0.0
    x, y = km_steps(times[ev], surv[ev], end)
    _, lo = km_steps(times[ev], lower[ev], end)
    _, hi = km_steps(times[ev], upper[ev], end)
    cens = n_censor > 0
    q = km_median(km)
    med = med_lo = med_hi = None
    if q is not None:
        med, med_lo, med_hi = _opt(q.estimate), _opt(q.lower), _opt(q.upper)
    floor = (arm.patients.reconstruction or {}).get("curve_min")
    if arm.patients.origin == "reconstructed" and isinstance(floor, (int, float)) and floor > 0.5:
        med = None   # the figure never reaches 0.5: not reached (core.reconstruct level_time)
    return CurveData(
        label=label, time=x, survival=y, lower=lo, upper=hi,
        censor_time=times[cens], censor_survival=surv[cens],
        modelled=False, model=KAPLAN_MEIER, n=int(km.n), events=int(km.events),
        median=med, median_lower=med_lo, median_upper=med_hi, median_not_reached=med is None,
        ci_method=ci_method, knot_time=times[ev], knot_survival=surv[ev], km=km,
        time_unit=unit, km_unit=unit, reported_at_risk=_reported_at_risk(arm))


def _opt(v: Any) -> float | None:
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _reported_at_risk(arm: Arm) -> tuple[tuple[float, ...], tuple[int, ...]] | None:
    """The numbers at risk printed under the published figure, kept with a reconstruction."""
    p = arm.patients
    rec = getattr(p, "reconstruction", None) if p is not None else None
    if not isinstance(rec, dict):
        return None
    times = rec.get("at_risk_times")
    counts = rec.get("at_risk_counts")
    fit = rec.get("fit")
    if times is None and isinstance(fit, dict) and isinstance(fit.get("at_risk"), list):
        times = [r.get("time") for r in fit["at_risk"]]
        counts = [r.get("given") for r in fit["at_risk"]]
    if isinstance(counts, dict):        # {arm label: counts} or {dataset: counts}
        counts = counts.get(arm.label) or (next(iter(counts.values())) if len(counts) == 1 else None)
    if times is None or counts is None or len(times) != len(counts):
        return None
    try:
        return tuple(float(x) for x in times), tuple(int(c) for c in counts)
    except (TypeError, ValueError):
        return None


# ----------------------------------------------------------------------------- modelled curves

def _piecewise_eval(kt: np.ndarray, ks: np.ndarray, t: np.ndarray) -> np.ndarray:
    """log S linear between knots (constant hazard per piece); the last hazard continues."""
    logs = np.log(np.clip(ks, 1e-12, None))
    out = np.interp(t, kt, logs)
    if len(kt) >= 2:
        slope = (logs[-1] - logs[-2]) / (kt[-1] - kt[-2])
        past = t > kt[-1]
        out[past] = logs[-1] + slope * (t[past] - kt[-1])
    return np.exp(out)


def model_knots(arm: Arm) -> tuple[np.ndarray, np.ndarray, str] | None:
    """Knots (time, S) of the modelled curve of an arm with reported numbers only, and the model.

    Exponential through the median when that is all there is; otherwise piecewise exponential
    through (0, 1), the landmarks and (median, 0.5). Knots that would make S rise are dropped
    (a curve cannot go up); None when nothing can be modelled.
    """
    pts: list[tuple[float, float]] = []
    for lm in arm.landmarks:
        if _pos(lm.time) and lm.survival is not None and 0 < lm.survival <= 1:
            pts.append((float(lm.time), float(lm.survival)))
    if _pos(arm.median) and not arm.median_not_reached:
        if not any(abs(t - arm.median) < 1e-9 for t, _ in pts):
            pts.append((float(arm.median), 0.5))
    if not pts:
        return None
    pts.sort()
    kt, ks = [0.0], [1.0]
    for t, s in pts:
        if s <= ks[-1] and t > kt[-1]:
            kt.append(t)
            ks.append(s)
    if len(kt) < 2:
        return None
    model = EXPONENTIAL if len(kt) == 2 else PIECEWISE
    return np.array(kt), np.array(ks), model


def _pos(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0


def _modelled_curve(arm: Arm, label: str, horizon: float | None, unit: str) -> CurveData | None:
    knots = model_knots(arm)
    if knots is None:
        return None
    kt, ks, model = knots
    if horizon is None or not horizon > 0:
        horizon = 2.0 * kt[-1] if model == EXPONENTIAL else float(kt[-1])
    grid = np.union1d(np.linspace(0.0, horizon, _MODEL_POINTS), kt[kt <= horizon])
    surv = _piecewise_eval(kt, ks, grid)
    shown = label if "modelled" in label else f"{label} (modelled)"
    return CurveData(
        label=shown, time=grid, survival=surv, modelled=True, model=model,
        n=arm.n, events=arm.events, median=_opt(arm.median), median_lower=_opt(arm.median_lower),
        median_upper=_opt(arm.median_upper), median_not_reached=bool(arm.median_not_reached),
        knot_time=kt, knot_survival=ks, time_unit=unit, km_unit=unit,
        reported_at_risk=_reported_at_risk(arm))


def arm_curve(arm: Arm, ci_method: str = "log-log", conf_level: float = 0.95,
              label: str | None = None, horizon: float | None = None,
              time_unit: str = "months") -> CurveData | None:
    """The drawable curve of an arm: Kaplan–Meier from its patients, else a modelled curve.

    time_unit: the unit of the arm's times (Project.time_unit); ``CurveData.in_unit`` converts.

    horizon: how far to draw a modelled curve (e.g. the plot's largest time); by default twice
    the median for an exponential, the last landmark for a piecewise curve.
    Returns None when the arm has neither patients nor a median/landmark to model from.
    """
    label = arm.label if label is None else label
    p = arm.patients
    if p is not None and len(p.time) > 0:
        return _patients_curve(arm, ci_method, conf_level, label, time_unit)
    return _modelled_curve(arm, label, horizon, time_unit)


# ----------------------------------------------------------------------------- markers, at risk

@dataclass(frozen=True)
class Marker:
    """A point to mark on a curve: its time, S there, and an optional CI (reported landmarks)."""
    label: str
    time: float
    survival: float
    lower: float | None = None
    upper: float | None = None
    reported: bool = False


def median_marker(curve: CurveData) -> Marker | None:
    """Where the curve reaches 0.5 (for a drop-line), None when the median is not reached."""
    if curve.median is None:
        return None
    return Marker(curve.label, float(curve.median), 0.5)


def landmark_markers(curve: CurveData, times: Iterable[float]) -> list[Marker]:
    """S of the curve at each landmark time within the curve's range."""
    out = []
    for t in times:
        s = float(curve.evaluate(t)[0])
        if math.isfinite(s):
            out.append(Marker(curve.label, float(t), s))
    return out


def reported_landmarks(arm: Arm, label: str | None = None, unit: str = "months",
                       data_unit: str = "months") -> list[Marker]:
    """The arm's published landmark survival values, with their CIs."""
    return [Marker(label or arm.label, float(convert_time(lm.time, data_unit, unit)),
                   float(lm.survival), lm.lower, lm.upper, reported=True)
            for lm in arm.landmarks if _pos(lm.time) and lm.survival is not None]


@dataclass(frozen=True)
class AtRiskRow:
    label: str
    times: tuple[float, ...]
    counts: tuple[int | None, ...]      # None where the number is not known (modelled arms)
    reported: bool = False              # True when the counts come from the published table

    def cells(self) -> list[str]:
        return ["" if c is None else str(c) for c in self.counts]


def at_risk_rows(arms_or_curves: Sequence[Arm | CurveData], times: Sequence[float],
                 ci_method: str = "log-log") -> list[AtRiskRow]:
    """Numbers at risk per arm at the given times (the x-axis ticks).

    Patient-level arms: number with time ≥ t from the KM fit. Arms without patients: None, except
    at times where the arm carries a reported numbers-at-risk table. Arms with nothing drawable
    are skipped.
    """
    ts = tuple(float(t) for t in times)
    rows = []
    for item in arms_or_curves:
        curve = item if isinstance(item, CurveData) else arm_curve(item, ci_method)
        if curve is None:
            continue
        if curve.km is not None:
            unit_t = convert_time(np.asarray(ts), curve.time_unit, curve.km_unit)
            counts = np.asarray(curve.km.at_risk(unit_t)).astype(int)
            beyond = unit_t > convert_time(curve.max_time, curve.time_unit, curve.km_unit) + 1e-9
            rows.append(AtRiskRow(curve.label, ts, tuple(None if b else int(c)
                                                         for c, b in zip(counts, beyond))))
            continue
        rep = curve.reported_at_risk
        if rep is not None:
            lookup = {round(t, 6): c for t, c in zip(*rep)}
            rows.append(AtRiskRow(curve.label, ts, tuple(lookup.get(round(t, 6)) for t in ts),
                                  reported=True))
        else:
            rows.append(AtRiskRow(curve.label, ts, tuple(None for _ in ts)))
    return rows


def endpoint_curves(endpoint: Any, ci_method: str = "log-log", time_unit: str = "months",
                    horizon: float | None = None, label_prefix: str = "",
                    data_unit: str = "months") -> list[CurveData]:
    """Curves of every drawable arm of an endpoint, in ``time_unit``.

    Modelled curves are extended to a common horizon (in the data's unit): by default the longest
    patient-level follow-up, else the longest default modelled span, so all curves share the axis.
    """
    return arms_curves(list(endpoint.arms), ci_method, time_unit, horizon,
                       [label_prefix + a.label for a in endpoint.arms], data_unit)


def arms_curves(arms: Sequence[Arm], ci_method: str = "log-log", time_unit: str = "months",
                horizon: float | None = None, labels: Sequence[str] | None = None,
                data_unit: str = "months") -> list[CurveData]:
    """Curves of the given arms (possibly from different trials) on a common horizon."""
    labels = [a.label for a in arms] if labels is None else list(labels)
    has_pt = [a.patients is not None and len(a.patients.time) > 0 for a in arms]
    curves: list[CurveData | None] = [
        arm_curve(a, ci_method, label=lab, time_unit=data_unit) if p else None
        for a, lab, p in zip(arms, labels, has_pt)]
    if horizon is None:
        spans = [c.max_time for c in curves if c is not None]
        if not spans:
            spans = [c.max_time for c in (arm_curve(a, ci_method, time_unit=data_unit)
                                          for a in arms) if c is not None]
        horizon = max(spans, default=None)
    out = []
    for a, lab, p, c in zip(arms, labels, has_pt, curves):
        if not p:
            c = arm_curve(a, ci_method, label=lab, horizon=horizon, time_unit=data_unit)
        if c is not None:
            out.append(c.in_unit(time_unit))
    return out
