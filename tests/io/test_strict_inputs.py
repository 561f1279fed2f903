"""Issue 15: no silent drops, no unsupported medians, every bad file a clear message.
Each test here failed on main before the fix (checked by running this file against main's code)."""
from __future__ import annotations

import contextlib
import io
import json
import os
import time
import zipfile

import numpy as np
import pytest

from evidencegui.cli import main
from evidencegui.core.errors import InputError


def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in args])
    return rc, out.getvalue(), err.getvalue()


SUMMARY_HEAD = "trial,endpoint,arm,role,n,median,hr,hr_lower,hr_upper\n"
GOOD = ("CLEOPATRA,OS,Pertuzumab,experimental,402,56.5,0.68,0.56,0.84\n"
        "CLEOPATRA,OS,Placebo,control,406,40.8,,,\n")


# ----------------------------------------------------------------- item 6: report control rows

@pytest.mark.parametrize("control_row", [
    "CLEOPATRA,Os,Placebo,control,406,40.8,,,\n",          # endpoint typed "Os"
    "CLEOPATR,OS,Placebo,control,406,40.8,,,\n",           # mistyped trial
    "CLEOPATRA,OS,Placebo,experimental,406,40.8,,,\n",     # control typed experimental
])
def test_report_missing_control_row_is_an_error_naming_rows(tmp_path, control_row):
    p = tmp_path / "s.csv"
    p.write_text(SUMMARY_HEAD + GOOD.splitlines(True)[0] + control_row)
    rc, out, err = _cli("report", p, "--json")
    assert rc == 2 and out == ""
    assert "row 2" in err and "control" in err
    assert "row 3" in err or "rows 2, 3" in err


def test_report_single_arm_when_said(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("trial,endpoint,arm,role,orr,single_arm\nX,ORR,Drug,experimental,0.4,yes\n")
    rc, out, err = _cli("report", p, "--json")
    assert rc == 0, err


def test_project_bad_patient_data_and_ci_method_are_field_errors(tmp_path):
    from evidencegui.io.project_file import dumps_project, load_project
    from evidencegui.core.model import Arm, Endpoint, PatientData, Project, Trial

    pr = Project(trials=[Trial("T", [Endpoint("OS", [
        Arm("A", "control", patients=PatientData([1.0, 2.0], [1, 0])),
        Arm("B", patients=PatientData([1.0, 2.0], [1, 0]))])])])
    doc = json.loads(dumps_project(pr))
    def pat(d):
        return d["project"]["trials"][0]["endpoints"][0]["arms"][0]["patients"]

    for mutate, where in [
        (lambda d: pat(d)["event"].__setitem__(0, 2), "event[0]"),
        (lambda d: pat(d)["time"].append(3.0), "patients"),
        (lambda d: pat(d)["time"].__setitem__(1, -1.0), "time[1]"),
        (lambda d: d["project"].__setitem__("ci_method", "bogus"), "ci_method"),
    ]:
        d = json.loads(json.dumps(doc))
        mutate(d)
        f = tmp_path / "p.evidence.json"
        f.write_text(json.dumps(d))
        with pytest.raises(InputError) as ei:
            load_project(f)
        assert where in str(ei.value)
        rc, out, err = _cli("export", f, "--xlsx", tmp_path / "o.xlsx")
        assert rc == 2 and "internal error" not in err, err


def test_project_lone_surrogate_and_overflowing_ratio(tmp_path):
    f = tmp_path / "p.evidence.json"
    f.write_text('{"format_version": 1, "project": {"trials": '
                 '[{"name": "T\\ud800", "endpoints": []}]}}')
    rc, _, err = _cli("report", f, "--json")
    assert rc == 2 and "surrogate" in err
    s = tmp_path / "s.csv"
    s.write_text(SUMMARY_HEAD + "T,OS,A,experimental,10,1e300,,,\nT,OS,B,control,10,1e-300,,,\n")
    rc, out, err = _cli("report", s, "--json")
    assert rc == 2 and "internal error" not in err and "plausible" in err


# ----------------------------------------------------------------- item 7: strict, bounded readers

def _xlsx(path, rows, error_cell=None):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    if error_cell:
        ws[error_cell].value = "#N/A"
        ws[error_cell].data_type = "e"
    wb.save(path)


@pytest.mark.parametrize("median,error_cell,expected", [
    (1, "F2", "#N/A"),             # an Excel error: read as blank it became "not reached"
    ("=40+16.5", None, "formula"),  # a formula with no saved value
])
def test_summary_xlsx_error_or_formula_cell_named(tmp_path, median, error_cell, expected):
    p = tmp_path / "s.xlsx"
    _xlsx(p, [SUMMARY_HEAD.strip().split(","),
              ["CLEOPATRA", "OS", "Pertuzumab", "experimental", 402, median, 0.68, 0.56, 0.84],
              ["CLEOPATRA", "OS", "Placebo", "control", 406, 40.8, None, None, None]], error_cell)
    rc, out, err = _cli("report", p, "--json")
    assert rc == 2 and "F2" in err and expected in err


def test_patients_xlsx_error_and_formula_cells_named(tmp_path):
    from evidencegui.io.patients import read_patients
    p = tmp_path / "p.xlsx"
    _xlsx(p, [["time", "event", "arm"], [1, 1, "A"], [2, 0, "B"]], "C3")
    with pytest.raises(InputError, match="C3.*#N/A"):
        read_patients(p, "time", "event", "arm")
    _xlsx(p, [["time", "event", "arm"], [1, 1, "A"], ["=1+1", 0, "B"]])
    with pytest.raises(InputError, match="A3.*formula"):
        read_patients(p, "time", "event", "arm")


def test_patients_extra_field_and_nul(tmp_path):
    from evidencegui.io.patients import read_patients
    p = tmp_path / "p.csv"
    p.write_text("time,event,arm\n1,1,A\n0.37,1,B, 5 mg\n2,0,A\n")
    with pytest.raises(InputError) as ei:
        read_patients(p, "time", "event", "arm")
    assert ei.value.row == 3 and "more fields" in str(ei.value)
    for raw in (b"time,event,arm\n1,1,A\n9\x00.5,1,B\n2,0,A\n",
                b"time,event,arm\n1,1,A\n9,1,Plac\x00ebo\n2,0,A\n"):
        p.write_bytes(raw)
        with pytest.raises(InputError, match="NUL"):
            read_patients(p, "time", "event", "arm")


def test_patients_blank_lines_message(tmp_path):
    from evidencegui.io.patients import read_patients
    p = tmp_path / "p.csv"
    p.write_text("  \n  \n\n")            # main listed the columns as '  '
    with pytest.raises(InputError) as ei:
        read_patients(p, "time", "event", "arm")
    assert "'  '" not in ei.value.message and "only blank lines" in ei.value.message


def test_analyze_dev_zero_ends():
    t0 = time.monotonic()
    rc, _, err = _cli("analyze", "/dev/zero", "--control", "A")
    assert rc == 2 and "regular file" in err and time.monotonic() - t0 < 5


def test_xlsx_entity_bomb_and_zip_bomb_refused(tmp_path):
    p = tmp_path / "bomb.xlsx"
    _xlsx(p, [["time", "event", "arm"], [1, 1, "A"]])
    with zipfile.ZipFile(p) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    body = parts[sheet]
    parts[sheet] = bomb + (body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body)
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    rc, _, err = _cli("analyze", p, "--control", "A")
    assert rc == 2 and "entit" in err
    q = tmp_path / "zip.xlsx"
    parts[sheet] = b"<x>" + b" " * 60_000_000 + b"</x>"
    with zipfile.ZipFile(q, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    t0 = time.monotonic()
    rc, _, err = _cli("analyze", q, "--control", "A")
    assert rc == 2 and "zip bomb" in err and time.monotonic() - t0 < 10


def test_clean_text_cuts_first():
    from evidencegui.io.safe_text import EXCEL_MAX_CHARS, clean_text
    big = "A\x01" * 5_000_000          # 10 MB
    t0 = time.monotonic()
    out = clean_text(big)
    assert len(out) == EXCEL_MAX_CHARS and time.monotonic() - t0 < 0.5


def test_summary_utf16_and_long_names(tmp_path):
    p = tmp_path / "s.csv"
    p.write_bytes((SUMMARY_HEAD + GOOD).encode("utf-16"))
    rc, out, err = _cli("report", p, "--json")
    assert rc == 0, err
    p.write_text(SUMMARY_HEAD + GOOD.replace("Pertuzumab", "P" * 5000))
    rc, out, err = _cli("report", p, "--json")
    assert rc == 2 and "5,000 characters" in err


def test_single_survival_above_one_names_its_row(tmp_path):
    from evidencegui.io.digitizer import read_digitized
    p = tmp_path / "c.csv"
    p.write_text("0, 1.0\n1, 0.95\n2, 1.6\n3, 0.8\n4, 0.7\n5, 0.6\n")
    with pytest.raises(InputError) as ei:
        read_digitized(p)
    assert ei.value.row == 3 and "--scale percent" in str(ei.value)


def test_at_risk_limit_and_implausible_count(tmp_path):
    from evidencegui.core.reconstruct import reconstruct
    from evidencegui.io.digitizer import read_at_risk
    p = tmp_path / "n.csv"
    p.write_text("time,A\n0,1000000000\n")
    with pytest.raises(InputError, match="1,000,000"):
        read_at_risk(p)
    t = np.linspace(0, 30, 61)
    s = np.exp(-0.03 * t)
    T = [0, 10, 20, 30]
    good = [402, 280, 190, 120]
    w_good = reconstruct(t, s, T, good).warnings
    assert not any("out of line" in w for w in w_good)
    bad = reconstruct(t, s, T, [4020] + good[1:])
    assert any("out of line" in w and "4020" in w and "402 meant" in w for w in bad.warnings)


# ----------------------------------------------------------------- items 1-5: reconstruct/analyze

WPD = ("Pembrolizumab, Q2W,,Pembrolizumab, Q3W,,Ipilimumab,\n"
       "X,Y,X,Y,X,Y\n"
       "0,1,0,1,0,1\n5,0.8,5,0.82,5,0.7\n10,0.7,10,0.71,10,0.6\n")


def test_wpd_names_with_commas_and_no_silent_drop(tmp_path):
    from evidencegui.io.digitizer import read_digitized
    c = tmp_path / "wpd.csv"
    c.write_text(WPD)
    assert list(read_digitized(c)) == ["Pembrolizumab, Q2W", "Pembrolizumab, Q3W", "Ipilimumab"]
    nar = tmp_path / "nar.csv"
    nar.write_text("time,\"Pembrolizumab, Q2W\",\"Pembrolizumab, Q3W\"\n0,100,100\n"
                   "5,78,80\n")
    out = tmp_path / "ipd.csv"
    rc, _, err = _cli("reconstruct", c, "--at-risk", nar, "--out", out)
    assert rc == 2 and "Ipilimumab" in err and "--allow-missing" in err
    rc, _, err = _cli("reconstruct", c, "--at-risk", nar, "--out", out, "--allow-missing")
    assert rc == 0 and "Ipilimumab" in err
    nar.write_text("time,Q2W,Q3W,Ipi\n0,100,100,100\n5,78,80,68\n")
    rc, so, err = _cli("reconstruct", c, "--at-risk", nar, "--out", out, "--json")
    assert rc == 0 and "position" in err
    assert len(json.loads(so)["arms"]) == 3


def test_several_curve_files_and_rename(tmp_path):
    a, b = tmp_path / "armA.csv", tmp_path / "armB.csv"
    a.write_text("0, 1\n5, 0.8\n10, 0.6\n")
    b.write_text("0, 1\n5, 0.7\n10, 0.5\n")
    nar = tmp_path / "nar.csv"
    nar.write_text("time,Drug,Placebo\n0,100,100\n5,78,68\n")
    out = tmp_path / "ipd.csv"
    rc, so, err = _cli("reconstruct", a, b, "--at-risk", nar, "--dataset", "armA=Drug",
                       "--dataset", "armB=Placebo", "--out", out, "--json")
    assert rc == 0, err
    assert [x["arm"] for x in json.loads(so)["arms"]] == ["Drug", "Placebo"]
    # analyze needs no --time/--event/--arm on reconstruct's output
    rc, so, err = _cli("analyze", out, "--control", "Placebo", "--json")
    assert rc == 0, err


def test_median_not_reached_when_figure_stays_above_half(tmp_path):
    # KEYNOTE-006 pattern: the clicks never fall below 0.509, one rounded event with 18 at risk
    # takes the reconstruction to just under 0.5
    from evidencegui.core.reconstruct import reconstruct
    t = np.array([0, 2, 4, 6, 8, 10, 12, 14, 15.4, 16])
    s = np.array([1, 0.9, 0.8, 0.72, 0.65, 0.6, 0.56, 0.535, 0.509, 0.509])
    rec = reconstruct(t, s, [0, 8, 14], [100, 50, 18])
    lv = rec.level_time(0.5)
    assert lv["reconstructed"] == pytest.approx(15.4)      # one rounded event: 0.4987 at 15.4
    assert lv["value"] is None and lv["not_reached_in_figure"]
    assert rec.curve_min > 0.5
    # the command line: median null, the reconstructed value beside it, a warning on stderr
    c = tmp_path / "c.csv"
    c.write_text("".join(f"{a}, {b}\n" for a, b in zip(t, s)))
    nar = tmp_path / "n.csv"
    nar.write_text("time,c\n0,100\n8,50\n14,18\n")
    rc, so, err = _cli("reconstruct", c, "--at-risk", nar, "--out", tmp_path / "o.csv", "--json")
    arm = json.loads(so)["arms"][0]
    assert rc == 0 and arm["median"] is None and arm["median_reconstructed"] == pytest.approx(15.4)
    assert arm["median_not_reached_in_figure"] is True and "not reached" in err
    # core comparison: a reconstructed arm whose figure never reaches 0.5 has no median
    from evidencegui.core.effects import compare_arms
    from evidencegui.core.model import Arm, Endpoint, PatientData, Trial
    pd_ = PatientData(list(rec.time), [int(x) for x in rec.event], origin="reconstructed",
                      reconstruction={**rec.audit()})
    forced = PatientData([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 0], origin="reconstructed",
                         reconstruction={"curve_min": 0.509})
    e = Arm("E", patients=forced)
    c = Arm("C", "control", patients=pd_)
    ep = Endpoint("OS", [e, c])
    comp = compare_arms(Trial("T", [ep]), ep, e, c)
    assert comp.computed["median_experimental"] is None
    assert comp.computed["median_experimental_reconstructed"] == pytest.approx(2.5)
    assert comp.computed["median_experimental_not_reached_in_figure"] is True


def test_no_censoring_past_the_figure(tmp_path):
    # the curve ends at 15.2 above 0; the table's 0 at 20.8 says nobody is left then, not that
    # anyone was followed past the last click
    from evidencegui.core.reconstruct import TIE_X, reconstruct
    t = np.array([0, 3, 6, 9, 12, 15.2])
    s = np.array([1, 0.85, 0.7, 0.6, 0.5, 0.45])
    rec = reconstruct(t, s, [0, 6, 12, 20.8], [200, 130, 80, 0])
    assert rec.time.max() <= 15.2 * (1 + TIE_X) + 1e-9


# ----------------------------------------------------------------- item 9: stale temp files

def test_stale_temp_files_removed_on_next_save_and_open(tmp_path):
    from evidencegui.core.model import Project
    from evidencegui.io.project_file import load_project, save_project
    target = tmp_path / "p.evidence.json"
    save_project(Project(), target)
    stale = [tmp_path / f".p.evidence.json.abcd{k}xyz.tmp" for k in range(3)]
    fresh = tmp_path / ".p.evidence.json.freshxyz.tmp"
    other = tmp_path / ".other.json.abcdefgh.tmp"
    for f in stale + [fresh, other]:
        f.write_bytes(b"x" * 100)
    old = time.time() - 3600
    for f in stale + [other]:
        os.utime(f, (old, old))
    save_project(Project(), target)
    assert not any(f.exists() for f in stale) and fresh.exists() and other.exists()
    stale[0].write_bytes(b"x")
    os.utime(stale[0], (old, old))
    load_project(target)
    assert not stale[0].exists()


# ----------------------------------------------------------------- item 8: large patient data

def _project_with_patients(n):
    from evidencegui.core.model import Arm, Endpoint, PatientData, Project, Trial
    rng = np.random.default_rng(3)
    arms = [Arm("=Drug", patients=PatientData(rng.exponential(10, n).round(3).tolist(),
                                              rng.integers(0, 2, n).tolist())),
            Arm("Placebo", "control", patients=PatientData(rng.exponential(8, n).round(3).tolist(),
                                                          rng.integers(0, 2, n).tolist()))]
    return Project(trials=[Trial("T", [Endpoint("OS", arms)])])


def test_many_patients_written_beside_the_workbook(tmp_path, monkeypatch):
    import csv

    import openpyxl

    from evidencegui.io import xlsx_writer
    monkeypatch.setattr(xlsx_writer, "MAX_ROWS_IN_WORKBOOK", 50)
    pr = _project_with_patients(40)
    out = tmp_path / "w.xlsx"
    xlsx_writer.write_workbook(pr, out)
    side = tmp_path / "w.patients.csv"
    with open(side, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    drug = [r for r in rows if r[2] == "'=Drug"]                # neutralised like every CSV
    assert len(rows) == 81 and len(drug) == 40
    assert drug[0][3] == repr(pr.trials[0].endpoints[0].arms[0].patients.time[0])
    wb = openpyxl.load_workbook(out)
    prov_text = " ".join(str(c.value) for row in wb["Provenance"].iter_rows() for c in row)
    assert "w.patients.csv" in prov_text and "SHA-256" in prov_text
    assert "w.patients.csv" in str(wb["Patients"]["A3"].value)
    assert (tmp_path / "w.curves.csv").exists()                 # 80 curve rows > 50 too


def test_many_patients_split_across_sheets_without_a_path(monkeypatch):
    from evidencegui.io import xlsx_writer
    monkeypatch.setattr(xlsx_writer, "SHEET_ROWS", 30)
    wb = xlsx_writer.build_workbook(_project_with_patients(40))
    names = [n for n in wb.sheetnames if n.startswith("Patients")]
    assert names == ["Patients", "Patients (2)", "Patients (3)"]
    assert sum(wb[n].max_row - 1 for n in names) == 80
