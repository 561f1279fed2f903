"""The data model: project → trials → endpoints → arms, with validation that names each field.

Plain dataclasses, no Qt. Times are in months unless ``Project.time_unit`` says otherwise;
probabilities are in [0, 1]. A value the paper does not report is ``None``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

CONTROL = "control"
EXPERIMENTAL = "experimental"
ROLES = (CONTROL, EXPERIMENTAL)
STANDARD_ENDPOINTS = ("OS", "PFS", "DFS", "EFS", "TTP", "ORR")
CI_METHODS = ("log-log", "log", "plain")
# Plausible ranges of typed times (any unit from days to years) and hazard ratios: values outside
# are typing or file errors, and their quotients would overflow (1e300 / 1e-300).
MIN_TIME, MAX_TIME = 1e-6, 1e6
MIN_HR, MAX_HR = 1e-6, 1e6

# Flags the user sets for ESMO-MCBS adjustments (keys of Endpoint.esmo_flags).
ESMO_FLAGS = (
    "qol_improved",            # significant QoL improvement / delayed deterioration
    "toxicity_reduced",        # significantly fewer grade 3-4 toxicities affecting well-being
    "toxicity_increased",      # significant increase in toxicity
    "os_improved",             # PFS trial: OS (secondary) significantly improved → grade with Form 2a
    "os_no_advantage",         # PFS trial: mature OS shows no advantage (with no QoL gain → −1)
    "early_stopping_or_crossover",
    "confirmatory_phase4",     # Form 3
    "non_inferior",            # the primary endpoint met non-inferiority (graded like a significant result)
)
ESMO_FLAG_LABELS = {
    "qol_improved": "quality of life significantly improved (or its deterioration delayed)",
    "toxicity_reduced": "significantly fewer grade 3-4 toxicities affecting daily well-being",
    "toxicity_increased": "significantly more toxicity",
    "os_improved": "overall survival (secondary endpoint) significantly improved",
    "os_no_advantage": "mature overall survival shows no advantage",
    "early_stopping_or_crossover": "early stopping for benefit, or crossover",
    "confirmatory_phase4": "confirmatory phase 4 data",
    "non_inferior": "non-inferiority met",
}


@dataclass
class Landmark:
    """Survival probability at a time point, e.g. 2-year OS 0.72 (0.67–0.77)."""
    time: float                       # months
    survival: float                   # probability in [0, 1]
    lower: float | None = None
    upper: float | None = None


@dataclass
class PatientData:
    """Patient-level data of one arm: one entry per patient; event 1 = event, 0 = censored."""
    time: list[float]
    event: list[int]
    origin: str = "file"              # "file" or "reconstructed"
    source: str = ""                  # file name (and SHA-256) or the digitized figure
    # For a reconstruction: its inputs and fit report, kept so the project can re-run and audit it.
    reconstruction: dict[str, Any] | None = None

    @property
    def n(self) -> int:
        return len(self.time)

    @property
    def events(self) -> int:
        return int(sum(self.event))


@dataclass
class SubgroupResult:
    """One level of one subgroup variable (e.g. age / "< 65") of an experimental arm against the
    endpoint's control: the HR with its 95% CI, and optionally n and events per arm."""
    variable: str
    level: str
    hr: float | None = None
    hr_lower: float | None = None
    hr_upper: float | None = None
    n_experimental: int | None = None
    events_experimental: int | None = None
    n_control: int | None = None
    events_control: int | None = None


@dataclass
class Arm:
    label: str
    role: str = EXPERIMENTAL
    n: int | None = None
    events: int | None = None
    median: float | None = None       # None with median_not_reached=False means "not reported"
    median_lower: float | None = None
    median_upper: float | None = None  # None with a lower bound: upper limit not reached
    median_not_reached: bool = False
    landmarks: list[Landmark] = field(default_factory=list)
    # Reported effect against the control of the same endpoint (experimental arms only).
    hr: float | None = None
    hr_lower: float | None = None
    hr_upper: float | None = None
    p_value: float | None = None
    hr_stratified: bool = False
    # True when the paper gives only a bound, e.g. "p < 0.001": p_value then holds 0.001.
    p_value_upper_bound: bool = False
    # Single-arm results (ESMO-MCBS form 3): objective response rate in [0,1], DoR in months.
    orr: float | None = None
    dor: float | None = None
    source: str = ""                  # publication, figure, page
    patients: PatientData | None = None
    # Subgroup results (experimental arms, against the endpoint's control).
    subgroups: list[SubgroupResult] = field(default_factory=list)
    # Control arms: the name of an equivalent comparator in another trial (indirect comparisons).
    comparator: str = ""

    @property
    def is_control(self) -> bool:
        return self.role == CONTROL

    def landmark_at(self, time: float, tol: float = 1e-9) -> Landmark | None:
        for lm in self.landmarks:
            if abs(lm.time - time) <= tol:
                return lm
        return None


@dataclass
class Endpoint:
    name: str                          # OS, PFS, DFS, EFS, TTP or a custom name
    arms: list[Arm] = field(default_factory=list)
    primary: bool = False
    esmo_flags: dict[str, bool] = field(default_factory=dict)
    note: str = ""

    @property
    def control(self) -> Arm | None:
        for a in self.arms:
            if a.is_control:
                return a
        return None

    @property
    def experimental(self) -> list[Arm]:
        return [a for a in self.arms if not a.is_control]

    def arm(self, label: str) -> Arm | None:
        for a in self.arms:
            if a.label == label:
                return a
        return None


@dataclass
class Trial:
    name: str
    endpoints: list[Endpoint] = field(default_factory=list)
    setting: str = "non-curative"      # "non-curative" or "curative" (adjuvant/neoadjuvant)
    single_arm: bool = False
    source: str = ""
    note: str = ""

    def endpoint(self, name: str) -> Endpoint | None:
        for e in self.endpoints:
            if e.name == name:
                return e
        return None


@dataclass
class Project:
    trials: list[Trial] = field(default_factory=list)
    title: str = ""
    time_unit: str = "months"
    ci_method: str = "log-log"
    notes: str = ""

    def trial(self, name: str) -> Trial | None:
        for t in self.trials:
            if t.name == name:
                return t
        return None


# ----------------------------------------------------------------------------- validation

@dataclass(frozen=True)
class Problem:
    """One validation finding. ``path`` locates it: (trial, endpoint, arm) names, any may be None."""
    field: str
    message: str
    trial: str | None = None
    endpoint: str | None = None
    arm: str | None = None
    severity: str = "error"            # "error" (the value cannot be used) or "warning"

    def __str__(self) -> str:
        where = " / ".join(x for x in (self.trial, self.endpoint, self.arm) if x)
        return f"{where + ': ' if where else ''}{self.field}: {self.message}"


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _times_ok(times) -> bool:
    """Every time a finite number ≥ 0 (one numpy pass for a million floats)."""
    if all(type(t) is float for t in times):
        import numpy as np
        a = np.asarray(times, dtype=float)
        return bool(np.all(np.isfinite(a) & (a >= 0)))
    return all(_finite(t) and t >= 0 for t in times)


def _events_ok(events) -> bool:
    try:
        return set(events) <= {0, 1}
    except TypeError:          # an unhashable item: not an event code
        return False


def _check_ci(out: list[Problem], name: str, est: float | None, lo: float | None,
              hi: float | None, ctx: dict) -> None:
    if est is None:
        if lo is not None or hi is not None:
            out.append(Problem(name, "a confidence interval is given but no estimate", **ctx))
        return
    if lo is not None and lo > est:
        out.append(Problem(f"{name}_lower", f"lower limit {lo:g} is above the estimate {est:g}; "
                           "the CI must contain its estimate", **ctx))
    if hi is not None and hi < est:
        out.append(Problem(f"{name}_upper", f"upper limit {hi:g} is below the estimate {est:g}; "
                           "the CI must contain its estimate", **ctx))


def validate_arm(arm: Arm, trial: str | None = None, endpoint: str | None = None) -> list[Problem]:
    ctx = {"trial": trial, "endpoint": endpoint, "arm": arm.label or None}
    out: list[Problem] = []
    if not arm.label.strip():
        out.append(Problem("label", "an arm needs a label", **ctx))
    if arm.role not in ROLES:
        out.append(Problem("role", f"role must be 'control' or 'experimental', not {arm.role!r}", **ctx))
    for name in ("n", "events"):
        v = getattr(arm, name)
        if v is not None and (not _finite(v) or v < 0 or int(v) != v):
            out.append(Problem(name, f"must be a whole number ≥ 0, not {v!r}", **ctx))
    if _finite(arm.n) and _finite(arm.events) and arm.events > arm.n:
        out.append(Problem("events", f"{arm.events:g} events exceed the {arm.n:g} patients", **ctx))
    if arm.n is not None and arm.n == 0:
        out.append(Problem("n", "an arm with 0 patients cannot be compared", **ctx))
    for name in ("median", "median_lower", "median_upper", "dor"):
        v = getattr(arm, name)
        if v is not None and (not _finite(v) or v <= 0):
            out.append(Problem(name, f"must be a positive number of months, not {v!r}", **ctx))
        elif v is not None and not MIN_TIME <= v <= MAX_TIME:
            out.append(Problem(name, f"{v:g} is not a plausible time (between {MIN_TIME:g} and "
                               f"{MAX_TIME:g})", **ctx))
    if arm.median_not_reached and arm.median is not None:
        out.append(Problem("median", "is marked 'not reached' but has a value", **ctx))
    if not arm.median_not_reached:  # a median not reached may still have a lower limit
        _check_ci(out, "median", arm.median, arm.median_lower, arm.median_upper, ctx)
    for name in ("hr", "hr_lower", "hr_upper"):
        v = getattr(arm, name)
        if v is not None and (not _finite(v) or v <= 0):
            out.append(Problem(name, f"a hazard ratio must be > 0, not {v!r}", **ctx))
        elif v is not None and not MIN_HR <= v <= MAX_HR:
            out.append(Problem(name, f"{v:g} is not a plausible hazard ratio (between {MIN_HR:g} "
                               f"and {MAX_HR:g})", **ctx))
    _check_ci(out, "hr", arm.hr, arm.hr_lower, arm.hr_upper, ctx)
    if (arm.hr_lower is None) != (arm.hr_upper is None):
        out.append(Problem("hr_lower" if arm.hr_lower is None else "hr_upper",
                           "give both limits of the HR's confidence interval, or neither",
                           severity="warning", **ctx))
    if arm.p_value is not None and (not _finite(arm.p_value) or not 0 <= arm.p_value <= 1):
        out.append(Problem("p_value", f"a p-value must lie in [0, 1], not {arm.p_value!r}", **ctx))
    if arm.is_control and any(v is not None for v in (arm.hr, arm.hr_lower, arm.hr_upper, arm.p_value)):
        out.append(Problem("hr", "the control arm carries no HR; HR and p belong on the "
                           "experimental arm", severity="warning", **ctx))
    if arm.orr is not None and (not _finite(arm.orr) or not 0 <= arm.orr <= 1):
        out.append(Problem("orr", f"a response rate must lie in [0, 1] (or 0–100%), not {arm.orr!r}", **ctx))
    seen: set[float] = set()
    for lm in arm.landmarks:
        f = f"surv_{lm.time:g}m"
        if not _finite(lm.time) or lm.time <= 0:
            out.append(Problem(f, f"landmark time must be positive, not {lm.time!r}", **ctx))
        if lm.time in seen:
            out.append(Problem(f, "the same landmark time is given twice", **ctx))
        seen.add(lm.time)
        for nm, v in (("", lm.survival), ("_lower", lm.lower), ("_upper", lm.upper)):
            if v is not None and (not _finite(v) or not 0 <= v <= 1):
                out.append(Problem(f + nm, f"a survival probability must lie in [0, 1] (or 0–100%), "
                                   f"not {v!r}", **ctx))
        if lm.lower is not None and lm.lower > lm.survival or lm.upper is not None and lm.upper < lm.survival:
            out.append(Problem(f, "the CI must contain its estimate", **ctx))
    if arm.median_not_reached and arm.median_upper is not None:
        out.append(Problem("median_upper", "the median is not reached, so the upper limit of its CI "
                           "cannot be reached either; leave it empty", **ctx))
    if (arm.median_lower is not None and arm.median_upper is not None
            and _finite(arm.median_lower) and _finite(arm.median_upper)
            and arm.median_lower > arm.median_upper):
        out.append(Problem("median_lower", f"lower limit {arm.median_lower:g} is above the upper limit "
                           f"{arm.median_upper:g}", **ctx))
    if (_finite(arm.hr_upper) and _finite(arm.p_value) and arm.hr_lower is not None
            and _finite(arm.hr_lower) and not arm.p_value_upper_bound):
        ci_excludes_1 = arm.hr_upper < 1 or arm.hr_lower > 1
        # CI limits are rounded to two decimals in papers: only flag clear contradictions.
        if ci_excludes_1 and arm.p_value > 0.06 or (not ci_excludes_1 and arm.p_value < 0.04
                                                    and arm.hr_upper > 1.01 and arm.hr_lower < 0.99):
            out.append(Problem("p_value", f"p = {arm.p_value:g} does not agree with the 95% CI "
                               f"{arm.hr_lower:g}–{arm.hr_upper:g}; check both", severity="warning", **ctx))
    if arm.p_value_upper_bound and arm.p_value is None:
        out.append(Problem("p_value", "marked as a bound (p < x) but no value is given", **ctx))
    if arm.patients is not None:
        p = arm.patients
        if (arm.n is not None and _finite(arm.n) and len(p.time) == len(p.event)
                and p.n != arm.n):
            out.append(Problem("patients", f"the patient-level data hold {p.n} patients but n is "
                               f"{arm.n:g}", severity="warning", **ctx))
        if len(p.time) != len(p.event):
            out.append(Problem("patients", "time and event lists differ in length", **ctx))
        elif not _times_ok(p.time):
            out.append(Problem("patients", "patient times must be numbers ≥ 0", **ctx))
        elif not _events_ok(p.event):
            out.append(Problem("patients", "events must be 0 (censored) or 1 (event)", **ctx))
    out.extend(_validate_subgroups(arm, ctx))
    if arm.comparator.strip() and not arm.is_control:
        out.append(Problem("comparator", "an equivalent comparator is named on the control arm, "
                           "not on an experimental arm", severity="warning", **ctx))
    return out


def _validate_subgroups(arm: Arm, ctx: dict) -> list[Problem]:
    """Subgroup rows: fields named ``subgroups[i].field`` (i 0-based, as stored)."""
    out: list[Problem] = []
    if arm.subgroups and arm.is_control:
        out.append(Problem("subgroups", "subgroup results belong on the experimental arm (they "
                           "compare it with the control)", severity="warning", **ctx))
    seen: dict[tuple[str, str], int] = {}
    for i, sg in enumerate(arm.subgroups):
        f = f"subgroups[{i}]"
        for name in ("variable", "level"):
            if not str(getattr(sg, name) or "").strip():
                out.append(Problem(f"{f}.{name}", f"a subgroup row needs a {name}", **ctx))
        key = (sg.variable.strip().lower(), sg.level.strip().lower())
        if key in seen and all(key):
            out.append(Problem(f"{f}.level", f"{sg.variable} / {sg.level} is given twice "
                               f"(also subgroup row {seen[key] + 1})", **ctx))
        seen.setdefault(key, i)
        for name in ("hr", "hr_lower", "hr_upper"):
            v = getattr(sg, name)
            if v is not None and (not _finite(v) or v <= 0):
                out.append(Problem(f"{f}.{name}", f"a hazard ratio must be > 0, not {v!r}", **ctx))
        sub: list[Problem] = []
        _check_ci(sub, "hr", sg.hr, sg.hr_lower, sg.hr_upper, ctx)
        out.extend(Problem(f"{f}.{p.field}", p.message, **ctx) for p in sub)
        for name in ("n_experimental", "events_experimental", "n_control", "events_control"):
            v = getattr(sg, name)
            if v is not None and (not _finite(v) or v < 0 or int(v) != v):
                out.append(Problem(f"{f}.{name}", f"must be a whole number ≥ 0, not {v!r}", **ctx))
        for side in ("experimental", "control"):
            n, ev = getattr(sg, f"n_{side}"), getattr(sg, f"events_{side}")
            if _finite(n) and _finite(ev) and ev > n:
                out.append(Problem(f"{f}.events_{side}", f"{ev:g} events exceed the {n:g} "
                                   "patients", **ctx))
    return out


def validate_endpoint(ep: Endpoint, trial: str | None = None) -> list[Problem]:
    ctx = {"trial": trial, "endpoint": ep.name or None}
    out: list[Problem] = []
    if not ep.name.strip():
        out.append(Problem("endpoint", "an endpoint needs a name", **ctx))
    labels = [a.label for a in ep.arms]
    for lab in sorted({x for x in labels if labels.count(x) > 1}):
        out.append(Problem("label", f"the arm label {lab!r} is used twice", arm=lab, **ctx))
    controls = [a for a in ep.arms if a.is_control]
    if len(controls) > 1:
        out.append(Problem("role", "an endpoint has one control arm; "
                           + ", ".join(repr(a.label) for a in controls) + " are all marked control", **ctx))
    if not controls and len(ep.arms) > 1:
        out.append(Problem("role", "no arm is marked as the control", severity="warning", **ctx))
    if not controls:
        for a in ep.arms:
            if a.hr is not None:
                out.append(Problem("hr", "an HR is given but the endpoint has no control arm to "
                                   "compare with", severity="warning", arm=a.label, **ctx))
    unknown = sorted(set(ep.esmo_flags) - set(ESMO_FLAGS))
    if unknown:
        out.append(Problem("esmo_flags", "unknown ESMO-MCBS flag(s): " + ", ".join(unknown)
                           + "; known: " + ", ".join(ESMO_FLAGS), **ctx))
    for a in ep.arms:
        out.extend(validate_arm(a, trial, ep.name))
    return out


def validate_project(project: Project) -> list[Problem]:
    out: list[Problem] = []
    names = [t.name for t in project.trials]
    for nm in sorted({x for x in names if names.count(x) > 1}):
        out.append(Problem("trial", f"the trial name {nm!r} is used twice", trial=nm))
    if project.ci_method not in CI_METHODS:
        out.append(Problem("ci_method", f"must be one of {', '.join(CI_METHODS)}"))
    for t in project.trials:
        if not t.name.strip():
            out.append(Problem("trial", "a trial needs a name"))
        if t.setting not in ("non-curative", "curative"):
            out.append(Problem("setting", "must be 'non-curative' or 'curative'", trial=t.name))
        en = [e.name for e in t.endpoints]
        for nm in sorted({x for x in en if en.count(x) > 1}):
            out.append(Problem("endpoint", f"the endpoint {nm!r} is given twice", trial=t.name))
        for e in t.endpoints:
            out.extend(validate_endpoint(e, t.name))
    return out


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


# ----------------------------------------------------------------------------- parsing typed values
# Shared by the summary-table importer and the window's editors: text as a person types it → value.
# Each raises ValueError with a sentence a clinician can act on; callers add file/row/field.

_NOT_REACHED = {"nr", "not reached", "n.r.", "ne", "not estimable", "not estimated"}


def is_not_reached(text: Any) -> bool:
    return isinstance(text, str) and text.strip().lower() in _NOT_REACHED


def parse_number(value: Any, *, positive: bool = False, allow_zero: bool = True) -> float | None:
    """A number from text or a spreadsheet cell; empty → None. Accepts a decimal point only."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a number, not {value!r}")
    if isinstance(value, (int, float)):
        x = float(value)
    else:
        text = str(value).strip().replace("\u2212", "-")
        if not text:
            return None
        try:
            x = float(text)
        except ValueError:
            raise ValueError(f"expected a number, not {text!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"expected a finite number, not {value!r}")
    if positive and (x < 0 or (x == 0 and not allow_zero)):
        raise ValueError(f"must be {'≥ 0' if allow_zero else '> 0'}, not {x:g}")
    return x


def parse_count(value: Any) -> int | None:
    """A whole number ≥ 0 (patients, events); '402' and 402.0 are fine, 402.5 is not."""
    x = parse_number(value)
    if x is None:
        return None
    if x < 0 or x != int(x):
        raise ValueError(f"must be a whole number ≥ 0, not {x:g}")
    return int(x)


def parse_probability(value: Any) -> float | None:
    """A probability from 0.37, '0.37' or '37%'; a bare number above 1 is refused as ambiguous."""
    if value is None:
        return None
    percent = False
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text.endswith("%"):
            percent = True
            text = text[:-1].strip()
        value = text
    x = parse_number(value)
    if x is None:
        if percent:
            raise ValueError("a percentage needs a number before the % sign")
        return None
    if percent:
        x = x / 100.0
    elif x > 1:
        raise ValueError(f"{x:g} is not a probability; write it as {x / 100:g} or {x:g}%")
    if not 0 <= x <= 1:
        raise ValueError(f"a probability must lie in [0, 1] (0–100%), not {value}{'%' if percent else ''}")
    return x


_TRUE = {"1", "yes", "y", "true", "t", "x", "stratified"}
_FALSE = {"0", "no", "n", "false", "f", "unstratified", ""}


def parse_bool(value: Any) -> bool | None:
    """yes/no, true/false, 1/0, x → bool; empty → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text == "":
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"expected yes or no, not {value!r}")
