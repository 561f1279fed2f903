"""Undoable edits: each command's inverse restores the project exactly, and redo gives the edit back."""
import copy
from dataclasses import asdict

import pytest
from hypothesis import given, settings, strategies as st

from evidencegui.core import commands as c
from evidencegui.core.model import Arm, Endpoint, Landmark, Project, Trial


def make_project() -> Project:
    arms = [Arm("Placebo", role="control", n=406, events=221, median=40.8),
            Arm("Pertuzumab", n=402, events=168, median=56.5, hr=0.68, hr_lower=0.56, hr_upper=0.84,
                landmarks=[Landmark(24, 0.80)])]
    return Project(trials=[Trial("CLEOPATRA", [Endpoint("OS", arms), Endpoint("PFS", [])])])


def roundtrip(cmd):
    p = make_project()
    before = asdict(p)
    inverse = cmd.apply(p)
    after = asdict(p)
    assert after != before
    redo = inverse.apply(p)
    assert asdict(p) == before
    redo.apply(p)
    assert asdict(p) == after
    return p


def test_set_arm_field_and_inverse():
    p = roundtrip(c.SetArmField(0, 0, 1, "median", 57.1))
    assert p.trials[0].endpoints[0].arms[1].median == 57.1


def test_unknown_field_is_refused():
    with pytest.raises(c.CommandError):
        c.SetArmField(0, 0, 0, "nonsense", 1)


def test_bad_index_raises_and_changes_nothing():
    p = make_project()
    before = asdict(p)
    with pytest.raises(c.CommandError):
        c.SetArmField(0, 0, 5, "n", 3).apply(p)
    assert asdict(p) == before


@pytest.mark.parametrize("cmd", [
    c.SetLandmark(0, 0, 1, 24, Landmark(24, 0.81, 0.76, 0.85)),   # replace
    c.SetLandmark(0, 0, 1, 12, Landmark(12, 0.95)),               # insert
    c.SetLandmark(0, 0, 1, 24, None),                             # remove
    c.AddArm(0, 0, 2, Arm("Third", n=10)),
    c.RemoveArm(0, 0, 0),
    c.MoveArm(0, 0, 0, 1),
    c.SetControl(0, 0, 1),
    c.AddTrial(1, Trial("New", [Endpoint("OS")])),
    c.RemoveTrial(0),
    c.RenameTrial(0, "CLEOPATRA 2"),
    c.AddEndpoint(0, 2, Endpoint("DFS")),
    c.RemoveEndpoint(0, 1),
    c.RenameEndpoint(0, 0, "Overall survival"),
    c.SetEndpointField(0, 0, "esmo_flags", {"qol_improved": True}),
    c.SetProjectField("ci_method", "log"),
    c.ImportArms(0, 1, [Arm("A", role="control"), Arm("B")], start=0),
], ids=lambda x: type(x).__name__)
def test_every_command_inverts_exactly(cmd):
    roundtrip(cmd)


def test_landmarks_stay_sorted():
    p = make_project()
    c.SetLandmark(0, 0, 1, 12, Landmark(12, 0.95)).apply(p)
    assert [lm.time for lm in p.trials[0].endpoints[0].arms[1].landmarks] == [12, 24]


def test_set_control_leaves_one_control():
    p = make_project()
    c.SetControl(0, 0, 1).apply(p)
    assert [a.role for a in p.trials[0].endpoints[0].arms] == ["experimental", "control"]


def test_batch_failure_rolls_back():
    p = make_project()
    before = asdict(p)
    batch = c.Batch([c.SetArmField(0, 0, 0, "n", 1), c.RemoveArm(0, 0, 9)])
    with pytest.raises(c.CommandError):
        batch.apply(p)
    assert asdict(p) == before


def test_merge_project_adds_new_trials_endpoints_and_arms():
    p = make_project()
    incoming = Project(trials=[
        Trial("CLEOPATRA", [Endpoint("OS", [Arm("Placebo"), Arm("New arm")]), Endpoint("ORR")]),
        Trial("Other", [Endpoint("OS", [Arm("X")])])])
    before = asdict(p)
    inv = c.MergeProject(p, copy.deepcopy(incoming)).apply(p)
    assert [t.name for t in p.trials] == ["CLEOPATRA", "Other"]
    assert [a.label for a in p.trials[0].endpoints[0].arms] == ["Placebo", "Pertuzumab", "New arm"]
    assert [e.name for e in p.trials[0].endpoints] == ["OS", "PFS", "ORR"]
    inv.apply(p)
    assert asdict(p) == before


def test_duplicate_arm_gets_a_free_label_and_is_independent():
    arm = make_project().trials[0].endpoints[0].arms[1]
    dup = c.duplicate_arm(arm, {"Pertuzumab", "Pertuzumab (copy)"})
    assert dup.label == "Pertuzumab (copy) 2" and dup.role == "experimental"
    dup.landmarks[0].survival = 0.1
    assert arm.landmarks[0].survival == 0.80
    assert c.new_arm_label({"Arm 1", "Arm 2"}) == "Arm 3"


ops = st.lists(st.tuples(st.sampled_from(["n", "median", "move", "control", "add", "remove"]),
                         st.integers(0, 3), st.integers(1, 500)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_any_sequence_undoes_to_the_start(seq):
    p = make_project()
    start = asdict(p)
    history = []
    for op, i, v in seq:
        arms = p.trials[0].endpoints[0].arms
        if not arms and op != "add":
            continue
        i = i % max(1, len(arms))
        cmd = {"n": lambda: c.SetArmField(0, 0, i, "n", v),
               "median": lambda: c.SetArmField(0, 0, i, "median", v / 10),
               "move": lambda: c.MoveArm(0, 0, i, (i + 1) % len(arms)),
               "control": lambda: c.SetControl(0, 0, i),
               "add": lambda: c.AddArm(0, 0, len(arms), Arm(f"A{v}")),
               "remove": lambda: c.RemoveArm(0, 0, i)}[op]()
        history.append(cmd.apply(p))
    for inv in reversed(history):
        inv.apply(p)
    assert asdict(p) == start


def test_move_trial_and_endpoint_are_undoable():
    p = make_project()
    p.trials.append(Trial("Other", [Endpoint("OS"), Endpoint("PFS")]))
    before = asdict(p)
    inv = c.MoveTrial(1, 0).apply(p)
    assert [t.name for t in p.trials] == ["Other", "CLEOPATRA"]
    inv.apply(p)
    assert asdict(p) == before
    inv = c.MoveEndpoint(1, 1, 0).apply(p)
    assert [e.name for e in p.trials[1].endpoints] == ["PFS", "OS"]
    inv.apply(p)
    assert asdict(p) == before
    with pytest.raises(c.CommandError):
        c.MoveTrial(0, 5).apply(p)
