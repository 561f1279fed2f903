"""Bringing imported trials into a project: match by trial, endpoint and arm name, and say in words
exactly what will change (or that nothing will), before anything is applied.

An imported arm whose name matches an arm of the endpoint updates it: patient-level data (a file or
a reconstruction from a digitized figure) are attached to it, reported results (a summary table)
replace the ones that differ. Names that do not match are mapped by the caller (``arm_map``), or
the arm is added as a new arm.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from evidencegui.core import commands as cmd
from evidencegui.core.model import Arm, Project

# Reported results a summary import may replace (label and role are the arm's identity here).
REPORTED_FIELDS = ("n", "events", "median", "median_lower", "median_upper", "median_not_reached",
                   "hr", "hr_lower", "hr_upper", "p_value", "hr_stratified", "p_value_upper_bound",
                   "orr", "dor")
NEW_ARM = None          # an arm_map value: add the imported arm as a new arm

ArmKey = tuple[str, str, str]          # (trial name, endpoint name, imported arm label)


@dataclass
class MergePlan:
    """The commands of an import as one undo step, and one line per change for the user."""
    command: cmd.Batch
    changes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.command.commands

    def summary(self, limit: int = 3) -> str:
        if self.empty:
            return "nothing changed: the project already has everything in the file"
        head = "; ".join(self.changes[:limit])
        more = len(self.changes) - limit
        return head + (f"; and {more} more change(s)" if more > 0 else "")


def _norm(label: str) -> str:
    return "".join(label.lower().split())


def unmatched(project: Project, incoming: Project) -> list[tuple[str, str, list[str], list[str]]]:
    """For each endpoint that exists in both: (trial, endpoint, imported labels with no arm of that
    name, existing labels no imported arm names). Only endpoints with both lists non-empty."""
    out = []
    for trial in incoming.trials:
        have_t = project.trial(trial.name)
        if have_t is None:
            continue
        for ep in trial.endpoints:
            have_e = have_t.endpoint(ep.name)
            if have_e is None or not have_e.arms:
                continue
            existing = [a.label for a in have_e.arms]
            new = [a.label for a in ep.arms if a.label not in existing]
            free = [x for x in existing if x not in {a.label for a in ep.arms}]
            if new and free:
                out.append((trial.name, ep.name, new, free))
    return out


def guess_arm_map(project: Project, incoming: Project) -> dict[ArmKey, str | None]:
    """A first guess for the unmatched names: same name ignoring case and spaces; else one name
    contained in the other (unique); else the same role when exactly one arm of it is left."""
    guess: dict[ArmKey, str | None] = {}
    for t_name, e_name, new, free in unmatched(project, incoming):
        ep_in = incoming.trial(t_name).endpoint(e_name)
        ep_have = project.trial(t_name).endpoint(e_name)
        left = list(free)
        for label in new:
            pick = next((x for x in left if _norm(x) == _norm(label)), None)
            if pick is None:
                inside = [x for x in left if _norm(label) in _norm(x) or _norm(x) in _norm(label)]
                pick = inside[0] if len(inside) == 1 else None
            if pick is None:
                role = ep_in.arm(label).role
                same = [x for x in left if ep_have.arm(x).role == role]
                pick = same[0] if len(same) == 1 else None
            guess[(t_name, e_name, label)] = pick
            if pick is not None:
                left.remove(pick)
    return guess


def _fmt(v) -> str:
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _arm_changes(ti: int, ei: int, ai: int, have: Arm, new: Arm, where: str, text: str):
    """Commands and words that bring ``have`` up to ``new``."""
    cmds, words = [], []
    if new.patients is not None:
        if have.patients != new.patients:
            kind = "reconstructed" if new.patients.origin == "reconstructed" else "patient-level"
            what = (f"{kind} data ({new.patients.n} patients"
                    + (f", from {new.patients.source}" if new.patients.source else "") + ")")
            verb = "replace its patient-level data" if have.patients is not None else "added"
            cmds.append(cmd.SetArmField(ti, ei, ai, "patients", copy.deepcopy(new.patients), text))
            words.append(f"{where}: {what} {verb}")
        # counts of a reconstruction fill empty cells only: the reported ones stay
        for name in ("n", "events"):
            if getattr(have, name) is None and getattr(new, name) is not None:
                cmds.append(cmd.SetArmField(ti, ei, ai, name, getattr(new, name), text))
                words.append(f"{where}: {name} set to {_fmt(getattr(new, name))}")
        return cmds, words
    for name in REPORTED_FIELDS:
        value = getattr(new, name)
        if value is None or value == getattr(have, name):
            continue
        if isinstance(value, bool) and not value:
            continue
        cmds.append(cmd.SetArmField(ti, ei, ai, name, value, text))
        words.append(f"{where}: {name.replace('_', ' ')} {_fmt(getattr(have, name))} → {_fmt(value)}")
    for lm in new.landmarks:
        old = have.landmark_at(lm.time)
        if old is None or (old.survival, old.lower, old.upper) != (lm.survival, lm.lower, lm.upper):
            cmds.append(cmd.SetLandmark(ti, ei, ai, lm.time, copy.copy(lm), text))
            words.append(f"{where}: survival at {lm.time:g} "
                         f"{_fmt(old.survival if old else None)} → {_fmt(lm.survival)}")
    return cmds, words


def plan_merge(project: Project, incoming: Project, arm_map: dict[ArmKey, str | None] | None = None,
               text: str = "import") -> MergePlan:
    """What importing ``incoming`` into ``project`` does. New trials and endpoints are added;
    an imported arm updates the arm of the same name, or the arm ``arm_map`` names for it, or
    (no such arm, or ``arm_map`` says NEW_ARM) is added to the endpoint."""
    arm_map = arm_map or {}
    cmds: list = []
    changes: list[str] = []
    n_trials = len(project.trials)
    for trial in incoming.trials:
        ti = next((i for i, t in enumerate(project.trials) if t.name == trial.name), None)
        if ti is None:
            cmds.append(cmd.AddTrial(n_trials, copy.deepcopy(trial), text))
            n_trials += 1
            eps = ", ".join(f"{e.name} ({len(e.arms)} arms)" for e in trial.endpoints)
            changes.append(f"trial {trial.name} added" + (f" with {eps}" if eps else ""))
            continue
        existing = project.trials[ti]
        n_eps = len(existing.endpoints)
        for ep in trial.endpoints:
            ei = next((i for i, e in enumerate(existing.endpoints) if e.name == ep.name), None)
            if ei is None:
                cmds.append(cmd.AddEndpoint(ti, n_eps, copy.deepcopy(ep), text))
                n_eps += 1
                changes.append(f"{trial.name}: endpoint {ep.name} added ({len(ep.arms)} arms)")
                continue
            have_ep = existing.endpoints[ei]
            n_arms = len(have_ep.arms)
            for arm in ep.arms:
                target = arm_map.get((trial.name, ep.name, arm.label), arm.label) \
                    if have_ep.arm(arm.label) is None else arm.label
                ai = next((i for i, a in enumerate(have_ep.arms) if a.label == target), None) \
                    if target is not None else None
                if ai is None:
                    new = copy.deepcopy(arm)
                    if have_ep.control is not None and new.is_control:
                        new.role = "experimental"      # one control per endpoint
                    cmds.append(cmd.AddArm(ti, ei, n_arms, new, text))
                    n_arms += 1
                    changes.append(f"{trial.name} / {ep.name}: arm {arm.label} added")
                    continue
                where = f"{trial.name} / {ep.name} / {target}"
                c, w = _arm_changes(ti, ei, ai, have_ep.arms[ai], arm, where, text)
                cmds += c
                changes += w
    return MergePlan(cmd.Batch(cmds, text), changes)
