"""Project files: round trip of every field (patient data and reconstruction included),
migration from format version 0, errors with line and field path, atomic save."""
import json

import pytest

from evidencegui.core.errors import InputError
from evidencegui.core.model import Arm, Endpoint, Landmark, PatientData, Project, Trial
from evidencegui.io import project_file as pf
from evidencegui.resources import resource


def full_project():
    e = Arm("E", "experimental", 3, 2, 5.5, 4.0, None, False, [Landmark(12.0, 0.6, 0.5, 0.7)],
            0.7, 0.5, 0.95, 0.01, True, True, 0.4, 7.5, "NEJM fig 2",
            PatientData([1.0, 2.5, 3.0], [1, 0, 1], "reconstructed", "fig.csv",
                        {"method": "Guyot", "fit": {"rms": 0.01}, "times": [0, 12]}))
    c = Arm("C", "control", 3, 3, None, 2.0, None, True)
    return Project([Trial("T", [Endpoint("OS", [e, c], True, {"qol_improved": True}, "n")],
                          "curative", False, "src", "note")], "title", "months", "log", "notes")


def test_round_trip(tmp_path):
    p = full_project()
    path = tmp_path / "x.evidence.json"
    pf.save_project(p, path)
    assert pf.load_project(path) == p
    text = path.read_text()
    assert json.loads(text)["format_version"] == pf.FORMAT_VERSION
    assert "\n  " in text                                   # indented, human-readable
    assert not [f for f in tmp_path.iterdir() if f.name != "x.evidence.json"]   # no temp left


def test_migration_from_version_0():
    old = {"title": "old", "trials": [{"trial": "T", "endpoints": [{"endpoint": "OS",
           "flags": ["qol_improved"], "arms": [
               {"label": "E", "role": "experimental", "median": "NR", "median_ci": [30, None],
                "hr_ci": [0.5, 0.9], "hr": 0.7, "p": 0.01, "stratified": True,
                "landmarks": {"24": 0.6}, "patients": {"time": [1, 2], "event": [1, 0]}},
               {"label": "C", "role": "control", "median": 20}]}]}]}
    p = pf.project_from_dict(old)
    ep = p.trials[0].endpoints[0]
    e = ep.arm("E")
    assert ep.esmo_flags == {"qol_improved": True}
    assert e.median_not_reached and e.median is None and e.median_lower == 30
    assert (e.hr_lower, e.hr_upper, e.p_value, e.hr_stratified) == (0.5, 0.9, 0.01, True)
    assert e.landmarks == [Landmark(24.0, 0.6)] and e.patients.time == [1.0, 2.0]
    assert pf.project_to_dict(p)["format_version"] == pf.FORMAT_VERSION


def test_errors_name_line_and_field(tmp_path):
    path = tmp_path / "bad.evidence.json"
    path.write_text('{"format_version": 1,\n "project": {\n  "trials": [,]\n}}')
    with pytest.raises(InputError) as ei:
        pf.load_project(path)
    assert ei.value.row == 3 and "bad.evidence.json" in str(ei.value)
    d = pf.project_to_dict(full_project())
    d["project"]["trials"][0]["endpoints"][0]["arms"][1]["n"] = "many"
    with pytest.raises(InputError) as ei:
        pf.project_from_dict(d, "f")
    assert ei.value.field == "project.trials[0].endpoints[0].arms[1].n"
    d = pf.project_to_dict(full_project())
    d["format_version"] = 99
    with pytest.raises(InputError, match="newer"):
        pf.project_from_dict(d)


def test_cleopatra_example_loads():
    p = pf.load_project(resource("examples", "cleopatra.evidence.json"))
    os_ = p.trial("CLEOPATRA").endpoint("OS")
    assert os_.primary and os_.control.median == 40.8 and os_.arm(
        "Pertuzumab+Trastuzumab+Docetaxel").hr_lower == 0.56


def test_atomic_save_keeps_old_file_on_failure(tmp_path, monkeypatch):
    from evidencegui.io import atomic
    path = tmp_path / "p.evidence.json"
    pf.save_project(full_project(), path)
    before = path.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(OSError):
        pf.save_project(Project(title="new"), path)
    assert path.read_bytes() == before
    assert [f.name for f in tmp_path.iterdir()] == ["p.evidence.json"]   # temp file removed


def test_build_script_attaches_reconstructed_patients(tmp_path, monkeypatch):
    import importlib.util
    from pathlib import Path
    script = Path(__file__).resolve().parents[2] / "scripts" / "build_cleopatra_example.py"
    spec = importlib.util.spec_from_file_location("build_cleopatra_example", script)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    (tmp_path / "os_ipd.csv").write_text(
        f"time,event,arm\n1.5,1,{mod.EXP}\n3,0,{mod.EXP}\n2,1,{mod.CTL}\n")
    monkeypatch.setattr(mod, "DATA", tmp_path)
    p = mod.build()
    os_ = p.trial("CLEOPATRA").endpoint("OS")
    pat = os_.arm(mod.EXP).patients
    assert pat.origin == "reconstructed" and pat.time == [1.5, 3.0] and pat.event == [1, 0]
    assert pat.reconstruction["curve"].endswith("os_digitized.csv")
    assert p.trial("CLEOPATRA").endpoint("PFS").control.patients is None
    assert pf.project_from_dict(pf.project_to_dict(p)) == p
