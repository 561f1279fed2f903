"""Effect measures from reported trial results (and from patient-level data where they exist).

Median gain and ratio, relative reduction 1 − HR, the HR's standard error (from its CI, or from
p by Altman & Bland 2011), landmark differences and NNT (reported, or modelled as S_ctl^HR), and
the Bucher adjusted indirect comparison. Pure Python; the patient-level part imports
``evidencegui.core.survival`` (numpy) only when patient data are present.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from evidencegui.core.model import Arm, Endpoint, Project, Trial, errors, validate_arm

if TYPE_CHECKING:  # pragma: no cover
    from evidencegui.core.benefit import EsmoGrade

Z975 = 1.959963984540054          # standard normal 97.5% quantile
HR_DISCREPANCY = 0.05             # relative difference of HRs that is flagged
MEDIAN_DISCREPANCY = 1.0          # absolute difference of medians (time unit) that is flagged
FLAT_BAND = 0.02                  # a KM curve within ±0.02 of 0.5 is "flat near the median"


def clean(x: float | None) -> float | None:
    """Drop binary noise from the difference of two typed decimals (56.5 − 40.8 → 15.7, not
    15.700000000000003; 0.4 − 0.3 → 0.1, so that the NNT is 10, not 11): 12 significant digits.
    Only for differences of user-typed decimals, where it restores the exact decimal result;
    quotients and modelled values are reported at full float precision (CLI.md)."""
    if x is None or not math.isfinite(x):
        return x
    return float(f"{x:.12g}")


# ----------------------------------------------------------------------------- formulas

def median_gain(median_exp: float | None, median_ctl: float | None) -> float | None:
    if median_exp is None or median_ctl is None:
        return None
    return clean(median_exp - median_ctl)


def gain_from_hr(median_ctl: float, hr: float) -> float:
    """Gain in median under proportional exponential hazards: m_ctl / HR − m_ctl (months)."""
    return median_ctl / hr - median_ctl


def median_ratio(median_exp: float | None, median_ctl: float | None) -> float | None:
    if median_exp is None or median_ctl is None or median_ctl == 0:
        return None
    r = median_exp / median_ctl
    return r if math.isfinite(r) else None


def relative_reduction(hr: float | None) -> float | None:
    return None if hr is None else clean(1.0 - hr)


def hr_se_from_ci(lower: float, upper: float, conf_level: float = 0.95) -> float:
    """SE of log HR from its CI: (ln U − ln L) / (2 z), z = 1.959964 for 95%."""
    z = NormalDist().inv_cdf(0.5 + conf_level / 2.0)
    return (math.log(upper) - math.log(lower)) / (2.0 * z)


def z_from_p(p: float) -> float:
    """Altman & Bland, BMJ 2011;343:d2090: z = −0.862 + √(0.743 − 2.404·ln p), two-sided p."""
    return -0.862 + math.sqrt(0.743 - 2.404 * math.log(p))


def hr_se_from_p(hr: float, p: float) -> float | None:
    """SE of log HR from the estimate and its two-sided p (Altman & Bland 2011): |ln HR| / z.
    None when it cannot be derived (HR = 1, or p outside (0, 1))."""
    if not 0 < p < 1 or hr <= 0 or hr == 1:
        return None
    z = z_from_p(p)
    if z <= 0:
        return None
    return abs(math.log(hr)) / z


def nnt(difference: float | None) -> int | None:
    """Number needed to treat (benefit) or harm: ceil(1 / |difference|); None for no difference."""
    if difference is None or difference == 0 or not math.isfinite(difference):
        return None
    # 1/0.1 = 10.000000000000002 in binary; do not let that become 11.
    return int(math.ceil(1.0 / abs(difference) - 1e-9))


def modelled_survival(s_control: float, hr: float) -> float:
    """Experimental survival under proportional hazards: S_exp(t) = S_ctl(t) ** HR."""
    return s_control ** hr


@dataclass(frozen=True)
class IndirectComparison:
    """A vs B through a common comparator C (Bucher et al., J Clin Epidemiol 1997;50:683–91)."""
    hr: float
    lower: float
    upper: float
    log_hr: float
    se: float
    z: float
    p: float

    def to_json(self) -> dict:
        return {"hr": self.hr, "hr_ci": [self.lower, self.upper], "log_hr": self.log_hr,
                "se": self.se, "z": self.z, "p_value": self.p}


def bucher(hr_ac: float, se_ac: float, hr_bc: float, se_bc: float,
           conf_level: float = 0.95) -> IndirectComparison:
    """HR_AB = HR_AC / HR_BC; SE = √(se_AC² + se_BC²) on the log scale; Wald CI and two-sided p."""
    if hr_ac <= 0 or hr_bc <= 0 or se_ac < 0 or se_bc < 0:
        raise ValueError("hazard ratios must be > 0 and standard errors ≥ 0")
    log_hr = math.log(hr_ac) - math.log(hr_bc)
    se = math.hypot(se_ac, se_bc)
    z_crit = NormalDist().inv_cdf(0.5 + conf_level / 2.0)
    z = log_hr / se if se > 0 else math.copysign(math.inf, log_hr) if log_hr else 0.0
    p = math.erfc(abs(z) / math.sqrt(2.0))
    return IndirectComparison(math.exp(log_hr), math.exp(log_hr - z_crit * se),
                              math.exp(log_hr + z_crit * se), log_hr, se, z, p)


def bucher_from_ci(hr_ac: float, ci_ac: tuple[float, float], hr_bc: float,
                   ci_bc: tuple[float, float]) -> IndirectComparison:
    return bucher(hr_ac, hr_se_from_ci(*ci_ac), hr_bc, hr_se_from_ci(*ci_bc))


# ----------------------------------------------------------------------------- results

@dataclass
class LandmarkEffect:
    time: float
    control: float | None             # survival probability of the control at `time`
    experimental: float | None
    difference: float | None           # experimental − control (absolute, in [−1, 1])
    nnt: int | None
    nnt_kind: str | None               # "benefit" (NNT) or "harm" (NNH)
    modelled: bool                     # True: one arm derived from the other and the HR
    note: str = ""

    def to_json(self) -> dict:
        return {"time": self.time, "difference": self.difference, "nnt": self.nnt,
                "nnt_kind": self.nnt_kind, "modelled": self.modelled,
                "control": self.control, "experimental": self.experimental, "note": self.note}


@dataclass
class Discrepancy:
    """A reported value that the patient-level data do not reproduce."""
    measure: str                       # "hr", "median_experimental", "median_control"
    reported: float | None
    computed: float | None
    message: str
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"measure": self.measure, "reported": self.reported, "computed": self.computed,
                "message": self.message, "reasons": list(self.reasons)}


@dataclass
class Comparison:
    """One experimental arm against the control of the same endpoint (control None: single arm)."""
    trial: str
    endpoint: str
    arm: str
    control: str | None
    median_experimental: float | None = None
    median_control: float | None = None
    experimental_not_reached: bool = False
    control_not_reached: bool = False
    median_gain: float | None = None
    # True when the experimental median is not reached and median_gain_hr holds the estimate
    # control/HR − control; median_gain itself is then None (a value that does not exist)
    median_gain_estimated: bool = False
    median_gain_hr: float | None = None
    median_ratio: float | None = None
    hr: float | None = None
    hr_ci: tuple[float | None, float | None] | None = None
    hr_se: float | None = None
    hr_se_source: str | None = None       # "ci" or "p-value"
    hr_stratified: bool = False
    relative_reduction: float | None = None
    p_value: float | None = None
    p_value_upper_bound: bool = False
    significant: bool | None = None       # p < 0.05 or CI excluding 1; None: cannot tell
    landmarks: list[LandmarkEffect] = field(default_factory=list)
    orr: float | None = None
    dor: float | None = None
    computed: dict[str, Any] | None = None
    discrepancies: list[Discrepancy] = field(default_factory=list)
    esmo: EsmoGrade | None = None
    notes: list[str] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)   # typed values left out, and why

    @property
    def gain_shown(self) -> float | None:
        """The gain to show a person: the difference of the medians, or else the estimate from
        the HR (label it "estimated from the HR" when median_gain_estimated)."""
        return self.median_gain if self.median_gain is not None else self.median_gain_hr

    @property
    def hr_lower(self) -> float | None:
        return None if self.hr_ci is None else self.hr_ci[0]

    @property
    def hr_upper(self) -> float | None:
        return None if self.hr_ci is None else self.hr_ci[1]

    def landmark(self, time: float, reported_only: bool = False) -> LandmarkEffect | None:
        for lm in self.landmarks:
            if abs(lm.time - time) < 1e-9 and not (reported_only and lm.modelled):
                return lm
        return None

    def to_json(self) -> dict:
        """The item of CLI.md's `report` output (its keys first, then extra keys)."""
        out: dict[str, Any] = {
            "trial": self.trial, "endpoint": self.endpoint, "arm": self.arm, "control": self.control,
            "median_gain": self.median_gain, "median_ratio": self.median_ratio, "hr": self.hr,
            "hr_ci": None if self.hr_ci is None else [self.hr_ci[0], self.hr_ci[1]],
            "hr_se": self.hr_se, "relative_reduction": self.relative_reduction,
            "landmarks": [lm.to_json() for lm in self.landmarks],
            "esmo_mcbs": None if self.esmo is None else self.esmo.to_json(),
            "median_gain_estimated": self.median_gain_hr,
            "median_experimental": self.median_experimental,
            "median_control": self.median_control,
            "experimental_not_reached": self.experimental_not_reached,
            "control_not_reached": self.control_not_reached,
            "hr_se_source": self.hr_se_source, "hr_stratified": self.hr_stratified,
            "p_value": self.p_value, "p_value_upper_bound": self.p_value_upper_bound,
            "significant": self.significant, "orr": self.orr, "dor": self.dor,
            "computed": self.computed,
            "input_errors": list(self.input_errors),
            "discrepancies": [d.to_json() for d in self.discrepancies],
            "notes": list(self.notes),
        }
        return out


def _significance(hr: float | None, lo: float | None, hi: float | None, p: float | None,
                  p_bound: bool) -> bool | None:
    if hi is not None and lo is not None:
        if hi < 1 or lo > 1:
            return True
    if p is not None:
        return p < 0.05 or (p_bound and p <= 0.05)
    if hi is not None and lo is not None:
        return False
    return None


def _landmarks(exp: Arm, ctl: Arm | None, hr: float | None) -> list[LandmarkEffect]:
    if ctl is None:
        return []
    times = sorted({lm.time for lm in exp.landmarks} | {lm.time for lm in ctl.landmarks})
    out = []
    for t in times:
        le, lc = exp.landmark_at(t), ctl.landmark_at(t)
        if le is not None and lc is not None:
            d = clean(le.survival - lc.survival)
            out.append(LandmarkEffect(t, lc.survival, le.survival, d, nnt(d), _kind(d), False))
        elif lc is not None and hr is not None:
            se = modelled_survival(lc.survival, hr)
            d = se - lc.survival
            out.append(LandmarkEffect(t, lc.survival, se, d, nnt(d), _kind(d), True,
                                      "experimental survival modelled as S_control^HR "
                                      "(proportional hazards)"))
        elif le is not None and hr is not None:
            sc = le.survival ** (1.0 / hr)
            d = le.survival - sc
            out.append(LandmarkEffect(t, sc, le.survival, d, nnt(d), _kind(d), True,
                                      "control survival modelled as S_experimental^(1/HR) "
                                      "(proportional hazards)"))
    return out


def _kind(d: float | None) -> str | None:
    if d is None or d == 0:
        return None
    return "benefit" if d > 0 else "harm"


_ARM_FIELDS = frozenset(f.name for f in fields(Arm)) - {"label", "role"}


def usable_arm(arm: Arm, trial: str | None = None, endpoint: str | None = None
               ) -> tuple[Arm, list[str]]:
    """The arm with every value that fails validation (core.model.validate_arm, severity error)
    left out, and one message per value left out. A CI that does not contain its estimate, more
    events than patients, a p-value outside [0, 1]: none of them may feed a derived number, an
    ESMO-MCBS grade or an export, where it would be a silent wrong answer."""
    problems = errors(validate_arm(arm, trial, endpoint))
    changes: dict[str, Any] = {}
    bad_landmarks: set[str] = set()       # "surv_12m" for problems of surv_12m, _lower, _upper
    messages = []
    for p in problems:
        if p.field.startswith("surv_"):
            bad_landmarks.add(p.field.removesuffix("_lower").removesuffix("_upper"))
        elif p.field in _ARM_FIELDS:
            changes[p.field] = None
        else:
            continue
        messages.append(f"{arm.label or 'arm'}: {p.field} not used: {p.message}")
    if bad_landmarks:
        changes["landmarks"] = [lm for lm in arm.landmarks
                                if f"surv_{lm.time:g}m" not in bad_landmarks]
    if "median" in changes:
        changes["median_not_reached"] = False
    return (replace(arm, **changes) if changes else arm), messages


def compare_arms(trial: Trial, endpoint: Endpoint, exp: Arm, ctl: Arm | None,
                 grade: bool = True) -> Comparison:
    """Every derived measure of `exp` against `ctl` (None for a single-arm result).

    Values that fail validation are left out (see ``usable_arm``) and listed in ``input_errors``."""
    c = Comparison(trial.name, endpoint.name, exp.label, None if ctl is None else ctl.label)
    exp, bad = usable_arm(exp, trial.name, endpoint.name)
    c.input_errors.extend(bad)
    if ctl is not None:
        ctl, bad = usable_arm(ctl, trial.name, endpoint.name)
        c.input_errors.extend(bad)
    c.median_experimental = exp.median
    c.experimental_not_reached = exp.median_not_reached
    c.orr, c.dor = exp.orr, exp.dor
    if ctl is not None:
        c.median_control = ctl.median
        c.control_not_reached = ctl.median_not_reached
        c.hr = exp.hr
        c.hr_stratified = exp.hr_stratified
        c.p_value, c.p_value_upper_bound = exp.p_value, exp.p_value_upper_bound
        if exp.hr_lower is not None or exp.hr_upper is not None:
            c.hr_ci = (exp.hr_lower, exp.hr_upper)
        c.median_gain = median_gain(exp.median, ctl.median)
        c.median_ratio = median_ratio(exp.median, ctl.median)
        if exp.median_not_reached and ctl.median is not None and exp.hr is not None and exp.hr > 0:
            est = gain_from_hr(ctl.median, exp.hr)
            if math.isfinite(est):
                c.median_gain_hr = est
                c.median_gain_estimated = True
                c.notes.append(f"the experimental median is not reached: no median gain; estimated "
                               f"from the HR as {ctl.median:g} / {exp.hr:g} − {ctl.median:g} = "
                               f"{est:.3g} (proportional exponential hazards)")
        elif exp.median_not_reached and ctl.median is not None:
            c.notes.append("the experimental median is not reached and no HR is given: "
                           "no gain can be estimated")
        if ctl.median_not_reached:
            c.notes.append("the control median is not reached: no gain or ratio of medians")
        c.relative_reduction = relative_reduction(exp.hr)
        if exp.hr is not None and exp.hr_lower is not None and exp.hr_upper is not None \
                and 0 < exp.hr_lower < exp.hr_upper:
            c.hr_se = hr_se_from_ci(exp.hr_lower, exp.hr_upper)
            c.hr_se_source = "ci"
        elif exp.hr is not None and exp.p_value is not None:
            c.hr_se = hr_se_from_p(exp.hr, exp.p_value)
            if c.hr_se is not None:
                c.hr_se_source = "p-value"
                if exp.p_value_upper_bound:
                    c.notes.append(f"p is reported as < {exp.p_value:g}: the SE derived from it is "
                                   "an upper bound")
        c.significant = _significance(exp.hr, exp.hr_lower, exp.hr_upper, exp.p_value,
                                      exp.p_value_upper_bound)
        c.landmarks = _landmarks(exp, ctl, exp.hr)
    if exp.patients is not None or (ctl is not None and ctl.patients is not None):
        try:
            _add_patient_level(c, exp, ctl)
        except ImportError:  # the survival module is not part of this build
            c.notes.append("patient-level measures are not available in this build")
    if grade:
        from evidencegui.core.benefit import grade_esmo
        c.esmo = grade_esmo(trial, endpoint, c)
    return c


def compare_project(project: Project, grade: bool = True) -> list[Comparison]:
    """One comparison per experimental arm and endpoint; single-arm results get control None."""
    out: list[Comparison] = []
    for trial in project.trials:
        for ep in trial.endpoints:
            ctl = ep.control
            if ctl is None:
                for arm in ep.arms:
                    out.append(compare_arms(trial, ep, arm, None, grade))
            else:
                for arm in ep.experimental:
                    out.append(compare_arms(trial, ep, arm, ctl, grade))
    return out


# ----------------------------------------------------------------------------- patient-level data

def flat_near_half(km: Any, band: float = FLAT_BAND) -> tuple[float, float | None, float | None]:
    """How long the KM curve stays within ±band of 0.5: (total time, first start, last end)."""
    times = [float(t) for t in km.time]
    surv = [float(s) for s in km.survival]
    total, first, last = 0.0, None, None
    for i, s in enumerate(surv):
        end = times[i + 1] if i + 1 < len(times) else times[i]
        if abs(s - 0.5) <= band and end > times[i]:
            total += end - times[i]
            first = times[i] if first is None else first
            last = end
    return total, first, last


def _add_patient_level(c: Comparison, exp: Arm, ctl: Arm | None) -> None:
    import numpy as np

    from evidencegui.core import survival as sv

    comp: dict[str, Any] = {}
    kms = {}
    for role, arm in (("experimental", exp), ("control", ctl)):
        if arm is None or arm.patients is None or arm.patients.n == 0:
            continue
        t = np.asarray(arm.patients.time, dtype=float)
        e = np.asarray(arm.patients.event, dtype=int)
        km = sv.kaplan_meier(t, e)
        kms[role] = km
        q = sv.median(km)
        comp[f"median_{role}"] = q.estimate
        floor = (arm.patients.reconstruction or {}).get("curve_min")
        if (arm.patients.origin == "reconstructed" and q.estimate is not None
                and isinstance(floor, (int, float)) and floor > 0.5):
            # the figure never reaches 0.5: its median is not reached, whatever one rounded event
            # does to the reconstruction (the reconstructed value is kept beside it, flagged)
            comp[f"median_{role}"] = None
            comp[f"median_{role}_reconstructed"] = q.estimate
            comp[f"median_{role}_not_reached_in_figure"] = True
            c.notes.append(f"{arm.label}: median not reached: the digitized curve never goes below "
                           f"{floor:.4g}; the reconstructed curve reaches 0.5 at {q.estimate:.3g}")
        comp[f"median_{role}_ci"] = [q.lower, q.upper]
        comp[f"n_{role}"] = int(len(t))
        comp[f"events_{role}"] = int(e.sum())
        comp[f"origin_{role}"] = arm.patients.origin
    c.computed = comp
    origins = {arm.patients.origin for arm in (exp, ctl) if arm is not None and arm.patients}
    comp["source"] = ("patient-level data reconstructed from a figure" if "reconstructed" in origins
                      else "patient-level data")
    if "experimental" in kms and "control" in kms:
        t = np.concatenate([np.asarray(exp.patients.time, float), np.asarray(ctl.patients.time, float)])
        e = np.concatenate([np.asarray(exp.patients.event, int), np.asarray(ctl.patients.event, int)])
        mask = np.concatenate([np.ones(exp.patients.n, bool), np.zeros(ctl.patients.n, bool)])
        cox = sv.cox_hr(t, e, mask)
        lr = sv.logrank(t, e, np.where(mask, "E", "C"))
        comp.update(hr=cox.hr, hr_ci=[cox.lower, cox.upper], hr_se=cox.se, hr_p=cox.p,
                    logrank_chisq=lr.chisq, logrank_p=lr.p,
                    median_gain=median_gain(comp["median_experimental"], comp["median_control"]),
                    median_ratio=median_ratio(comp["median_experimental"], comp["median_control"]))
        lms = []
        for lm in c.landmarks:
            d = sv.survival_difference(kms["experimental"], kms["control"], lm.time)
            lms.append({"time": lm.time, "difference": d.difference, "ci": [d.lower, d.upper],
                        "nnt": nnt(d.difference), "nnt_kind": _kind(d.difference)})
        comp["landmarks"] = lms
        if c.hr is not None and cox.hr is not None and abs(cox.hr / c.hr - 1) > HR_DISCREPANCY:
            reasons = []
            if c.hr_stratified:
                reasons.append("the reported HR is from a stratified Cox model; the patient-level "
                               "HR here is unstratified")
            if "reconstructed" in origins:
                reasons.append("the patient-level data are reconstructed from a digitized figure")
            c.discrepancies.append(Discrepancy(
                "hr", c.hr, cox.hr, f"the HR from the patient data ({cox.hr:.3g}) differs from the "
                f"reported HR ({c.hr:g}) by {abs(cox.hr / c.hr - 1) * 100:.0f}%", reasons))
    for role, arm in (("experimental", exp), ("control", ctl)):
        if role not in kms or arm is None:
            continue
        computed = comp[f"median_{role}"]
        reported = arm.median
        if arm.median_not_reached and computed is not None:
            msg = (f"the {role} median is reported as not reached, but the patient data reach it "
                   f"at {computed:.3g}")
        elif reported is not None and computed is None:
            msg = (f"the {role} median is reported as {reported:g}, but the patient data do not "
                   "reach it")
        elif reported is not None and abs(computed - reported) > MEDIAN_DISCREPANCY:
            msg = (f"the {role} median from the patient data ({computed:.3g}) differs from the "
                   f"reported {reported:g} by {abs(computed - reported):.2g}")
        else:
            continue
        reasons = []
        span, a, b = flat_near_half(kms[role])
        if span > MEDIAN_DISCREPANCY:
            reasons.append(f"the Kaplan–Meier curve stays within {FLAT_BAND:g} of 50% for "
                           f"{span:.3g} (between {a:.3g} and {b:.3g}), so a small change in the "
                           "curve moves the median a lot")
        if arm.patients.origin == "reconstructed":
            reasons.append("the patient-level data are reconstructed from a digitized figure")
        c.discrepancies.append(Discrepancy(f"median_{role}", reported, computed, msg, reasons))
