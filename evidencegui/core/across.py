"""Across trials: the table of trials × endpoints × arms, the studies of a forest plot, subgroup
rows as studies, and Bucher indirect comparisons between trials that share a comparator.

Every measure comes from core.effects.compare_arms (medians, gain, HR, SE, ESMO-MCBS through
core.benefit) and core.effects.bucher; nothing is recomputed another way here. Pure, no Qt.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from evidencegui.core.effects import Comparison, bucher, compare_arms
from evidencegui.core.model import Arm, Endpoint, Project, Trial
from evidencegui.core.pooling import PoolingInputError, Study, study_from_hr

TRANSITIVITY_CAVEAT = (
    "An indirect comparison assumes that the trials are alike in patients, comparator and "
    "follow-up (transitivity); it is weaker evidence than a head-to-head trial.")


# ----------------------------------------------------------------------------- walking a project

def _names(x: Iterable[str] | None) -> set[str] | None:
    return None if x is None else set(x)


def _comparisons(project: Project, endpoints: Iterable[str] | None = None,
                 trials: Iterable[str] | None = None, grade: bool = True
                 ) -> Iterator[tuple[int, Trial, Endpoint, Arm, Arm | None, Comparison]]:
    """(trial index, trial, endpoint, experimental arm, control, comparison) in project order;
    single-arm endpoints give each arm with control None."""
    want_e, want_t = _names(endpoints), _names(trials)
    for ti, trial in enumerate(project.trials):
        if want_t is not None and trial.name not in want_t:
            continue
        for ep in trial.endpoints:
            if want_e is not None and ep.name not in want_e:
                continue
            ctl = ep.control
            for arm in (ep.experimental if ctl is not None else ep.arms):
                yield ti, trial, ep, arm, ctl, compare_arms(trial, ep, arm, ctl, grade)


def endpoint_names(project: Project) -> list[str]:
    """The endpoints present in the project, in order of first appearance."""
    out: list[str] = []
    for t in project.trials:
        for e in t.endpoints:
            if e.name not in out:
                out.append(e.name)
    return out


# ----------------------------------------------------------------------------- the table

@dataclass(frozen=True)
class TrialRow:
    """One row of the across-trials table: a trial × endpoint × experimental arm."""
    trial: str
    endpoint: str
    arm: str
    control: str                                 # "" for a single-arm result
    n_arm: int | None
    n_control: int | None
    median_arm: float | None
    median_control: float | None
    median_arm_not_reached: bool
    median_control_not_reached: bool
    median_gain: float | None                    # None where a median is not reached / reported
    hr: float | None
    hr_ci: tuple | None
    relative_reduction: float | None             # 1 − HR
    esmo_grade: str | None                       # e.g. "4", "A", "3 → 2"; None: not graded
    source: str
    esmo_form: str | None = None                 # "1", "2a", "2b", "3"
    hr_se: float | None = None
    comparison: Comparison | None = None         # everything core.effects computed


def _grade(c: Comparison) -> tuple[str | None, str | None]:
    from evidencegui.core.benefit import grade_to_text
    if c.esmo is None or c.esmo.preliminary_grade is None:
        return None, (None if c.esmo is None else c.esmo.form)
    return grade_to_text(c.esmo), c.esmo.form


def trial_rows(project: Project, endpoints: Iterable[str] | None = None,
               trials: Iterable[str] | None = None) -> list[TrialRow]:
    rows = []
    for _, trial, _ep, arm, ctl, c in _comparisons(project, endpoints, trials):
        grade, form = _grade(c)
        rows.append(TrialRow(
            trial.name, c.endpoint, c.arm, c.control or "",
            arm.n, None if ctl is None else ctl.n,
            c.median_experimental, c.median_control,
            c.experimental_not_reached, c.control_not_reached,
            None if c.median_gain_estimated else c.median_gain,
            c.hr, c.hr_ci, c.relative_reduction, grade,
            arm.source or trial.source, form, c.hr_se, c))
    return rows


# ----------------------------------------------------------------------------- forest plots

def _study_name(trial: Trial, ep: Endpoint, arm: Arm) -> str:
    return trial.name if len(ep.experimental) <= 1 else f"{trial.name}: {arm.label}"


def forest_studies(project: Project, endpoint: str, trials: Iterable[str] | None = None
                   ) -> tuple[list[Study], list[str]]:
    """The studies with a usable HR and 95% CI for `endpoint`, in project order; second item:
    one message per comparison left out, saying why."""
    studies: list[Study] = []
    left_out: list[str] = []
    for _, trial, ep, arm, ctl, c in _comparisons(project, [endpoint], trials, grade=False):
        where = f"{trial.name} / {ep.name} / {arm.label}"
        if ctl is None:
            left_out.append(f"{where}: a single-arm result has no hazard ratio")
            continue
        if c.hr is None:
            bad = [m for m in c.input_errors if ": hr" in m]
            left_out.append(f"{where}: " + ("; ".join(bad) if bad else "no hazard ratio given"))
            continue
        if c.hr_lower is None or c.hr_upper is None:
            bad = [m for m in c.input_errors if ": hr_" in m]
            left_out.append(f"{where}: " + ("; ".join(bad) if bad else
                                           "no 95% CI of the hazard ratio (needed for its weight)"))
            continue
        try:
            studies.append(study_from_hr(_study_name(trial, ep, arm), c.hr, c.hr_lower,
                                         c.hr_upper, row=_study_name(trial, ep, arm),
                                         source=arm.source or trial.source))
        except PoolingInputError as e:
            left_out.append(f"{where}: {e.field}: {e.message}")
    return studies, left_out


def subgroup_forest(arm: Arm) -> tuple[list[Study], list[str]]:
    """An experimental arm's subgroup rows as Studies (name = level, group = variable), and one
    message per row left out (no HR, no CI, or a CI that does not contain its HR)."""
    studies: list[Study] = []
    left_out: list[str] = []
    for i, sg in enumerate(arm.subgroups, start=1):
        where = f"subgroup row {i} ({sg.variable} / {sg.level})"
        if sg.hr is None and sg.hr_lower is None and sg.hr_upper is None:
            left_out.append(f"{where}: no hazard ratio given")
            continue
        try:
            studies.append(study_from_hr(sg.level, sg.hr, sg.hr_lower, sg.hr_upper,
                                         group=sg.variable, row=i, source=arm.source))
        except PoolingInputError as e:
            left_out.append(f"{where}: {e.field}: {e.message}")
    return studies, left_out


def subgroup_studies(arm: Arm) -> list[Study]:
    """An experimental arm's subgroup rows as Studies (group = variable); rows without a usable
    HR and CI are left out (subgroup_forest says which and why)."""
    return subgroup_forest(arm)[0]


# ----------------------------------------------------------------------------- indirect comparisons

@dataclass(frozen=True)
class IndirectComparison:
    """A vs B through a shared comparator C (Bucher et al., J Clin Epidemiol 1997;50:683–91)."""
    endpoint: str
    trial_a: str
    arm_a: str
    trial_b: str
    arm_b: str
    comparator: str
    hr: float                                    # A against B: HR(A vs C) / HR(B vs C)
    hr_ci: tuple[float, float]
    hr_se: float                                 # on the log scale
    p: float
    rule: str
    hr_a: float | None = None                    # HR(A vs C) and HR(B vs C) with their SEs
    se_a: float | None = None
    hr_b: float | None = None
    se_b: float | None = None

    def to_json(self) -> dict:
        """The item of CLI.md's `indirect_comparisons` (its keys first, then extra keys)."""
        return {"endpoint": self.endpoint, "trial_a": self.trial_a, "arm_a": self.arm_a,
                "trial_b": self.trial_b, "arm_b": self.arm_b, "comparator": self.comparator,
                "hr": self.hr, "hr_ci": [self.hr_ci[0], self.hr_ci[1]], "hr_se": self.hr_se,
                "p": self.p, "rule": self.rule, "hr_a": self.hr_a, "se_a": self.se_a,
                "hr_b": self.hr_b, "se_b": self.se_b}


def _norm(name: str) -> str:
    return "".join(name.split()).lower()


def shared_comparator(ctl_a: Arm, ctl_b: Arm) -> str | None:
    """The name of the comparator two controls share, or None: equal names after lower-casing
    and removing white space, or a control's `comparator` naming the other control (or both
    naming the same one)."""
    a, b = _norm(ctl_a.label), _norm(ctl_b.label)
    ca, cb = _norm(ctl_a.comparator or ""), _norm(ctl_b.comparator or "")
    if a and a == b:
        return ctl_a.label
    if ca and ca == b:
        return ctl_b.label
    if cb and cb == a:
        return ctl_a.label
    if ca and ca == cb:
        return ctl_a.comparator.strip()
    return None


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def indirect_comparisons(project: Project) -> list[IndirectComparison]:
    """Every adjusted indirect comparison CLI.md defines: for each endpoint, each unordered pair
    of trials whose controls are the same comparator, each pair of their experimental arms with
    an HR and 95% CI; A is the trial that comes first in the project."""
    entries: dict[str, list[tuple[int, Trial, Arm, Arm, Comparison]]] = {}
    for ti, trial, ep, arm, ctl, c in _comparisons(project, grade=False):
        if ctl is None or c.hr is None or c.hr_se is None or c.hr_se_source != "ci":
            continue
        entries.setdefault(ep.name, []).append((ti, trial, arm, ctl, c))
    out: list[IndirectComparison] = []
    for endpoint, items in entries.items():
        for i, (ti, ta, arm_a, ctl_a, ca) in enumerate(items):
            for tj, tb, arm_b, ctl_b, cb in items[i + 1:]:
                if tj == ti:
                    continue
                comparator = shared_comparator(ctl_a, ctl_b)
                if comparator is None:
                    continue
                r = bucher(ca.hr, ca.hr_se, cb.hr, cb.hr_se)
                rule = (f"HR_A / HR_B through {comparator}: {_fmt(ca.hr)} / {_fmt(cb.hr)} = "
                        f"{_fmt(r.hr)}; SE = √(SE_A² + SE_B²) = √({ca.hr_se:.3f}² + "
                        f"{cb.hr_se:.3f}²) = {r.se:.3f}")
                out.append(IndirectComparison(endpoint, ta.name, arm_a.label, tb.name, arm_b.label,
                                              comparator, r.hr, (r.lower, r.upper), r.se, r.p,
                                              rule, ca.hr, ca.hr_se, cb.hr, cb.hr_se))
    return out
