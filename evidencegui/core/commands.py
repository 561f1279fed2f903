"""Undoable edits of a Project as plain data: ``cmd.apply(project)`` changes it and returns the inverse.

No Qt here; the window wraps these in a QUndoStack (ui/undo.py). Trials, endpoints and arms are
addressed by position (indices), because labels may be empty or duplicated while a user types.
Each command carries ``text`` for the Undo menu and ``focus`` (trial, endpoint) indices or None,
which the window uses to show what was just changed.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from evidencegui.core.model import CONTROL, EXPERIMENTAL, Arm, Endpoint, Landmark, Project, Trial

# Arm attributes the window may set through SetArmField (landmarks go through SetLandmark).
ARM_FIELDS = ("label", "role", "n", "events", "median", "median_lower", "median_upper",
              "median_not_reached", "hr", "hr_lower", "hr_upper", "p_value", "hr_stratified",
              "p_value_upper_bound", "orr", "dor", "source", "patients")
ENDPOINT_FIELDS = ("name", "primary", "esmo_flags", "note")
TRIAL_FIELDS = ("name", "setting", "single_arm", "source", "note")
PROJECT_FIELDS = ("title", "time_unit", "ci_method", "notes")


class CommandError(ValueError):
    """A command does not fit the project (an index out of range, an unknown field)."""


def _trial(project: Project, t: int) -> Trial:
    if not 0 <= t < len(project.trials):
        raise CommandError(f"there is no trial number {t + 1}")
    return project.trials[t]


def _endpoint(project: Project, t: int, e: int) -> Endpoint:
    trial = _trial(project, t)
    if not 0 <= e < len(trial.endpoints):
        raise CommandError(f"trial {trial.name!r} has no endpoint number {e + 1}")
    return trial.endpoints[e]


def _arm(project: Project, t: int, e: int, a: int) -> Arm:
    ep = _endpoint(project, t, e)
    if not 0 <= a < len(ep.arms):
        raise CommandError(f"endpoint {ep.name!r} has no arm number {a + 1}")
    return ep.arms[a]


def _label(project: Project, t: int, e: int, a: int) -> str:
    try:
        return _arm(project, t, e, a).label or f"arm {a + 1}"
    except CommandError:
        return f"arm {a + 1}"


@dataclass
class SetArmField:
    trial: int
    endpoint: int
    arm: int
    field: str
    value: Any
    text: str = ""

    def __post_init__(self):
        if self.field not in ARM_FIELDS:
            raise CommandError(f"an arm has no editable field {self.field!r}")
        if not self.text:
            self.text = f"set {self.field.replace('_', ' ')}"

    @property
    def focus(self):
        return (self.trial, self.endpoint)

    def apply(self, project: Project) -> "SetArmField":
        arm = _arm(project, self.trial, self.endpoint, self.arm)
        old = getattr(arm, self.field)
        setattr(arm, self.field, self.value)
        return SetArmField(self.trial, self.endpoint, self.arm, self.field, old, self.text)


@dataclass
class SetLandmark:
    """Set (or, with ``landmark=None``, remove) an arm's survival at ``time`` months."""
    trial: int
    endpoint: int
    arm: int
    time: float
    landmark: Landmark | None
    text: str = ""

    def __post_init__(self):
        if not self.text:
            self.text = f"set survival at {self.time:g}"

    @property
    def focus(self):
        return (self.trial, self.endpoint)

    def apply(self, project: Project) -> "SetLandmark":
        arm = _arm(project, self.trial, self.endpoint, self.arm)
        old = arm.landmark_at(self.time)
        kept = [lm for lm in arm.landmarks if lm is not old]
        if self.landmark is not None:
            kept.append(copy.copy(self.landmark))
            kept.sort(key=lambda lm: lm.time)
        arm.landmarks = kept
        return SetLandmark(self.trial, self.endpoint, self.arm, self.time,
                           None if old is None else copy.copy(old), self.text)


@dataclass
class AddArm:
    trial: int
    endpoint: int
    index: int
    arm: Arm
    text: str = "add arm"

    @property
    def focus(self):
        return (self.trial, self.endpoint)

    def apply(self, project: Project) -> "RemoveArm":
        ep = _endpoint(project, self.trial, self.endpoint)
        if not 0 <= self.index <= len(ep.arms):
            raise CommandError(f"cannot insert an arm at position {self.index + 1}")
        ep.arms.insert(self.index, self.arm)
        return RemoveArm(self.trial, self.endpoint, self.index, self.text)


@dataclass
class RemoveArm:
    trial: int
    endpoint: int
    index: int
    text: str = "remove arm"

    @property
    def focus(self):
        return (self.trial, self.endpoint)

    def apply(self, project: Project) -> AddArm:
        ep = _endpoint(project, self.trial, self.endpoint)
        arm = _arm(project, self.trial, self.endpoint, self.index)
        del ep.arms[self.index]
        return AddArm(self.trial, self.endpoint, self.index, arm, self.text)


@dataclass
class MoveArm:
    trial: int
    endpoint: int
    index: int
    new_index: int
    text: str = "move arm"

    @property
    def focus(self):
        return (self.trial, self.endpoint)

    def apply(self, project: Project) -> "MoveArm":
        ep = _endpoint(project, self.trial, self.endpoint)
        arm = _arm(project, self.trial, self.endpoint, self.index)
        if not 0 <= self.new_index < len(ep.arms):
            raise CommandError(f"cannot move an arm to position {self.new_index + 1}")
        del ep.arms[self.index]
        ep.arms.insert(self.new_index, arm)
        return MoveArm(self.trial, self.endpoint, self.new_index, self.index, self.text)


@dataclass
class SetRoles:
    """Set the role of every arm of an endpoint at once (one entry per arm, in order)."""
    trial: int
    endpoint: int
    roles: tuple[str, ...]
    text: str = "set roles"

    @property
    def focus(self):
        return (self.trial, self.endpoint)

    def apply(self, project: Project) -> "SetRoles":
        ep = _endpoint(project, self.trial, self.endpoint)
        if len(self.roles) != len(ep.arms):
            raise CommandError("the roles do not match the arms of the endpoint")
        old = tuple(a.role for a in ep.arms)
        for a, r in zip(ep.arms, self.roles):
            a.role = r
        return SetRoles(self.trial, self.endpoint, old, self.text)


@dataclass
class SetControl:
    """Make arm ``arm`` the control of its endpoint (the others become experimental)."""
    trial: int
    endpoint: int
    arm: int
    text: str = "choose control"

    @property
    def focus(self):
        return (self.trial, self.endpoint)

    def apply(self, project: Project) -> SetRoles:
        ep = _endpoint(project, self.trial, self.endpoint)
        _arm(project, self.trial, self.endpoint, self.arm)
        roles = tuple(CONTROL if i == self.arm else EXPERIMENTAL for i in range(len(ep.arms)))
        return SetRoles(self.trial, self.endpoint, roles, self.text).apply(project)


@dataclass
class AddTrial:
    index: int
    trial: Trial
    text: str = "add trial"

    @property
    def focus(self):
        return (self.index, 0 if self.trial.endpoints else None)

    def apply(self, project: Project) -> "RemoveTrial":
        if not 0 <= self.index <= len(project.trials):
            raise CommandError(f"cannot insert a trial at position {self.index + 1}")
        project.trials.insert(self.index, self.trial)
        return RemoveTrial(self.index, self.text)


@dataclass
class RemoveTrial:
    index: int
    text: str = "remove trial"

    @property
    def focus(self):
        return None

    def apply(self, project: Project) -> AddTrial:
        trial = _trial(project, self.index)
        del project.trials[self.index]
        return AddTrial(self.index, trial, self.text)


@dataclass
class AddEndpoint:
    trial: int
    index: int
    endpoint: Endpoint
    text: str = "add endpoint"

    @property
    def focus(self):
        return (self.trial, self.index)

    def apply(self, project: Project) -> "RemoveEndpoint":
        trial = _trial(project, self.trial)
        if not 0 <= self.index <= len(trial.endpoints):
            raise CommandError(f"cannot insert an endpoint at position {self.index + 1}")
        trial.endpoints.insert(self.index, self.endpoint)
        return RemoveEndpoint(self.trial, self.index, self.text)


@dataclass
class RemoveEndpoint:
    trial: int
    index: int
    text: str = "remove endpoint"

    @property
    def focus(self):
        return (self.trial, None)

    def apply(self, project: Project) -> AddEndpoint:
        ep = _endpoint(project, self.trial, self.index)
        del _trial(project, self.trial).endpoints[self.index]
        return AddEndpoint(self.trial, self.index, ep, self.text)


@dataclass
class MoveTrial:
    index: int
    new_index: int
    text: str = "move trial"

    @property
    def focus(self):
        return (self.new_index, None)

    def apply(self, project: Project) -> "MoveTrial":
        trial = _trial(project, self.index)
        if not 0 <= self.new_index < len(project.trials):
            raise CommandError(f"cannot move a trial to position {self.new_index + 1}")
        del project.trials[self.index]
        project.trials.insert(self.new_index, trial)
        return MoveTrial(self.new_index, self.index, self.text)


@dataclass
class MoveEndpoint:
    trial: int
    index: int
    new_index: int
    text: str = "move endpoint"

    @property
    def focus(self):
        return (self.trial, self.new_index)

    def apply(self, project: Project) -> "MoveEndpoint":
        trial = _trial(project, self.trial)
        ep = _endpoint(project, self.trial, self.index)
        if not 0 <= self.new_index < len(trial.endpoints):
            raise CommandError(f"cannot move an endpoint to position {self.new_index + 1}")
        del trial.endpoints[self.index]
        trial.endpoints.insert(self.new_index, ep)
        return MoveEndpoint(self.trial, self.new_index, self.index, self.text)


@dataclass
class SetTrialField:
    trial: int
    field: str
    value: Any
    text: str = ""

    def __post_init__(self):
        if self.field not in TRIAL_FIELDS:
            raise CommandError(f"a trial has no editable field {self.field!r}")
        if not self.text:
            self.text = "rename trial" if self.field == "name" else f"set trial {self.field}"

    @property
    def focus(self):
        return (self.trial, None)

    def apply(self, project: Project) -> "SetTrialField":
        trial = _trial(project, self.trial)
        old = getattr(trial, self.field)
        setattr(trial, self.field, copy.deepcopy(self.value))
        return SetTrialField(self.trial, self.field, old, self.text)


def RenameTrial(trial: int, name: str) -> SetTrialField:  # noqa: N802 - reads as a command name
    return SetTrialField(trial, "name", name, "rename trial")


@dataclass
class SetEndpointField:
    trial: int
    endpoint: int
    field: str
    value: Any
    text: str = ""

    def __post_init__(self):
        if self.field not in ENDPOINT_FIELDS:
            raise CommandError(f"an endpoint has no editable field {self.field!r}")
        if not self.text:
            self.text = "rename endpoint" if self.field == "name" else f"set endpoint {self.field}"

    @property
    def focus(self):
        return (self.trial, self.endpoint)

    def apply(self, project: Project) -> "SetEndpointField":
        ep = _endpoint(project, self.trial, self.endpoint)
        old = getattr(ep, self.field)
        setattr(ep, self.field, copy.deepcopy(self.value))
        return SetEndpointField(self.trial, self.endpoint, self.field, old, self.text)


def RenameEndpoint(trial: int, endpoint: int, name: str) -> SetEndpointField:  # noqa: N802
    return SetEndpointField(trial, endpoint, "name", name, "rename endpoint")


@dataclass
class SetProjectField:
    field: str
    value: Any
    text: str = ""

    def __post_init__(self):
        if self.field not in PROJECT_FIELDS:
            raise CommandError(f"a project has no editable field {self.field!r}")
        if not self.text:
            self.text = f"set {self.field.replace('_', ' ')}"

    @property
    def focus(self):
        return None

    def apply(self, project: Project) -> "SetProjectField":
        old = getattr(project, self.field)
        setattr(project, self.field, self.value)
        return SetProjectField(self.field, old, self.text)


@dataclass
class Batch:
    """Several commands as one undo step; the inverse undoes them in reverse order."""
    commands: list = field(default_factory=list)
    text: str = "edit"

    @property
    def focus(self):
        for c in reversed(self.commands):
            if c.focus is not None:
                return c.focus
        return None

    def apply(self, project: Project) -> "Batch":
        inverses = []
        try:
            for c in self.commands:
                inverses.append(c.apply(project))
        except Exception:
            for inv in reversed(inverses):  # leave the project as it was
                inv.apply(project)
            raise
        return Batch(list(reversed(inverses)), self.text)


def ImportArms(trial: int, endpoint: int, arms: list[Arm], start: int | None = None,
               project: Project | None = None, text: str = "import arms") -> Batch:  # noqa: N802
    """Add ``arms`` to an endpoint (at the end, or from position ``start``) as one undo step."""
    if start is None:
        if project is None:
            raise CommandError("ImportArms needs the start position or the project")
        start = len(_endpoint(project, trial, endpoint).arms)
    return Batch([AddArm(trial, endpoint, start + i, a, text) for i, a in enumerate(arms)], text)


def MergeProject(project: Project, incoming: Project, text: str = "import") -> Batch:  # noqa: N802
    """Bring the trials of ``incoming`` into ``project`` (see core/merge.py: new trials and
    endpoints added, arms of the same name updated, other arms added) as one undo step."""
    from evidencegui.core.merge import plan_merge
    return plan_merge(project, incoming, text=text).command


def duplicate_arm(arm: Arm, taken: set[str] | None = None) -> Arm:
    """A deep copy of ``arm`` with a label not in ``taken``, as an experimental arm."""
    new = copy.deepcopy(arm)
    taken = taken or set()
    base = f"{arm.label} (copy)" if arm.label else "copy"
    label, k = base, 2
    while label in taken:
        label, k = f"{base} {k}", k + 1
    new.label = label
    new.role = EXPERIMENTAL
    return new


def new_arm_label(taken: set[str], stem: str = "Arm") -> str:
    k = 1
    while f"{stem} {k}" in taken:
        k += 1
    return f"{stem} {k}"
