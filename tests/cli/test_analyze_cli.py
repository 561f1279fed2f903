"""`evidencegui analyze` through the command line: JSON contract, text table, bad input → exit 2.

Numbers are checked against lifelines (KM, log-rank, Cox) with the tolerances argued in
tests/core/test_analysis.py; here the point is the wiring: the file read, the options, the keys.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from evidencegui.cli import main

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def _write(tmp_path, n=(60, 70, 50), seed=7, name="trial.csv", labels=("Obs", "Lev", "Lev+5FU"),
           status=("1", "0")):
    rng = np.random.default_rng(seed)
    lines = ["id,months,status,rx"]
    data = []
    i = 0
    for m, lab, scale in zip(n, labels, (10.0, 13.0, 17.0)):
        t = rng.exponential(scale, m)
        c = rng.uniform(0, 36, m)
        obs = np.round(np.minimum(t, c), 1)
        ev = t <= c
        for x, e in zip(obs, ev):
            i += 1
            lines.append(f"{i},{x},{status[0] if e else status[1]},{lab}")
            data.append((x, int(e), lab))
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n")
    t = np.array([d[0] for d in data])
    e = np.array([d[1] for d in data])
    a = np.array([d[2] for d in data], dtype=object)
    return p, t, e, a


def _run(capsys, *argv):
    code = main(["analyze", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_document_three_arms_against_lifelines(tmp_path, capsys):
    lifelines = pytest.importorskip("lifelines")
    from lifelines.statistics import logrank_test

    p, t, e, a = _write(tmp_path)
    code, out, err = _run(capsys, p, "--time", "months", "--event", "status", "--arm", "rx",
                          "--control", "Obs", "--landmarks", "6,12", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert out.count("\n") == 1 and err == ""
    assert doc["ci_method"] == "log-log" and [x["arm"] for x in doc["arms"]] == ["Obs", "Lev", "Lev+5FU"]
    assert doc["tau"] == min(t[a == x].max() for x in ("Obs", "Lev", "Lev+5FU"))
    for arm in doc["arms"]:
        m = a == arm["arm"]
        kmf = lifelines.KaplanMeierFitter().fit(t[m], e[m])
        assert arm["n"] == m.sum() and arm["events"] == e[m].sum()
        s = kmf.survival_function_at_times([6, 12]).to_numpy()
        assert [r["estimate"] for r in arm["survival"]] == pytest.approx(s, rel=1e-9)
        assert [r["time"] for r in arm["survival"]] == [6, 12]
    for c in doc["comparisons"]:
        m = (a == c["arm"]) | (a == "Obs")
        x = a[m] == c["arm"]
        lr = logrank_test(t[m][x], t[m][~x], e[m][x], e[m][~x])
        assert c["control"] == "Obs"
        assert c["logrank_chisq"] == pytest.approx(lr.test_statistic, rel=1e-8)
        assert len(c["survival_difference"]) == 2 and c["hr"] > 0


def test_tau_ci_method_and_text_output(tmp_path, capsys):
    p, *_ = _write(tmp_path, n=(40, 40), labels=("A", "B"))
    code, out, err = _run(capsys, p, "--time", "months", "--event", "status", "--arm", "rx",
                          "--control", "B", "--tau", "12", "--ci-method", "plain", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["tau"] == 12.0 and doc["ci_method"] == "plain"
    assert [x["arm"] for x in doc["arms"]] == ["B", "A"]
    code, out, err = _run(capsys, p, "--time", "months", "--event", "status", "--arm", "rx",
                          "--control", "B", "--landmarks", "12")
    assert code == 0 and "A vs B" in out and "HR" in out and "median" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


def test_event_map_and_na_labels(tmp_path, capsys):
    p, t, e, a = _write(tmp_path, n=(30, 30), labels=("NA", "None"), status=("dead", "alive"))
    code, out, err = _run(capsys, p, "--time", "months", "--event", "status", "--arm", "rx",
                          "--control", "None", "--event-map", "dead=1,alive=0", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [x["arm"] for x in doc["arms"]] == ["None", "NA"]
    assert doc["arms"][1]["events"] == int(e[a == "NA"].sum())


def test_xlsx_input_same_numbers_as_csv(tmp_path, capsys):
    import openpyxl

    p, t, e, a = _write(tmp_path, n=(25, 25), labels=("C", "E"))
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    wb.create_sheet("OS")
    ws = wb["OS"]
    ws.append(["months", "status", "rx"])
    for row in zip(t.tolist(), e.tolist(), a.tolist()):
        ws.append(list(row))
    x = tmp_path / "trial.xlsx"
    wb.save(x)
    args = ["--time", "months", "--event", "status", "--arm", "rx", "--control", "C", "--json"]
    code, out_csv, _ = _run(capsys, p, *args)
    code2, out_x, err = _run(capsys, x, *args, "--sheet", "OS")
    assert code == code2 == 0, err
    assert json.loads(out_csv) == json.loads(out_x)


def test_all_censored_arm_null_hr_and_warning_through_cli(tmp_path, capsys):
    p = tmp_path / "c.csv"
    p.write_text("t,e,a\n1,1,C\n2,1,C\n3,0,C\n4,1,C\n2,0,E\n5,0,E\n6,0,E\n")
    code, out, err = _run(capsys, p, "--time", "t", "--event", "e", "--arm", "a", "--control", "C",
                          "--landmarks", "3,5.5", "--json")
    assert code == 0, err
    doc = json.loads(out)
    c = doc["comparisons"][0]
    assert c["hr"] is None and c["hr_ci"] == [None, None]
    assert doc["arms"][0]["survival"][1]["estimate"] is None     # past C's last follow-up (4)
    assert any("hazard ratio" in w for w in doc["warnings"])
    assert any("past its last follow-up" in w for w in doc["warnings"])


BAD = [
    # (file content, extra args, expected fragments in the message (file name is always checked))
    ("t,e,a\n1,1,A\nsoon,0,B\n", [], ["row 3", "'t'", "not a number"]),
    ("t,e,a\n1,1,A\n-2,0,B\n3,0,B\n", [], ["row 3", "'t'", "negative"]),
    ("t,e,a\n1,1,A\n,0,B\n", [], ["row 3", "'t'", "missing"]),
    ("t,e,a\n1,1,A\ninf,0,B\n", [], ["row 3", "'t'", "infinite"]),
    ("t,e,a\n1,1,A\n2,2,B\n2,3,B\n", [], ["row 3", "'e'", "'2'", "1 more row"]),
    ("t,e,a\n1,1,A\n2,0,\n", [], ["row 3", "'a'", "arm label is missing"]),
    ("t,e,a\n1,1,A\n2,0,A\n", [], ["only one arm", "'a'"]),
    ("t,e,a\n1,1,A\n2,0,B\n", ["--control", "X"], ["no arm labelled 'X'", "'A'", "'B'"]),
    ("time,e,a\n1,1,A\n", [], ["no time column named 't'", "'time'"]),
    ("", [], ["empty"]),
    ("t,e,a\n", [], ["no patients"]),
    ("t,e,a\n1,dead,A\n2,alive,B\n", ["--event-map", "dead=1,alive"], ["--event-map"]),
    ("t,e,a\n1,1,A\n2,0,B\n", ["--landmarks", "12,x"], ["landmarks", "'x'"]),
    ("t,e,a\n1,1,A\n2,0,B\n", ["--tau", "-3"], ["tau"]),
    ("t,e,a\n1,1,A\n2,0,B\n", ["--sheet", "S1"], ["sheet"]),
]


@pytest.mark.parametrize("content, extra, fragments", BAD)
def test_bad_input_exit_2_one_message_no_stdout(tmp_path, capsys, content, extra, fragments):
    p = tmp_path / "bad.csv"
    p.write_text(content)
    args = [p, "--time", "t", "--event", "e", "--arm", "a", "--json"]
    if "--control" not in extra:
        args += ["--control", "A"]
    code, out, err = _run(capsys, *args, *extra)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    if not any(f in ("--event-map", "landmarks", "tau") for f in fragments):
        assert "bad.csv" in err
    for f in fragments:
        assert f in err, err


def test_bad_xlsx_sheet_and_missing_file(tmp_path, capsys):
    import openpyxl
    x = tmp_path / "w.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "OS"
    wb.save(x)
    code, out, err = _run(capsys, x, "--time", "t", "--event", "e", "--arm", "a", "--control", "A",
                          "--sheet", "PFS", "--json")
    assert code == 2 and out == "" and "w.xlsx" in err and "'OS'" in err and "PFS" in err
    code, out, err = _run(capsys, tmp_path / "gone.csv", "--time", "t", "--event", "e", "--arm", "a",
                          "--control", "A", "--json")
    assert code == 2 and out == "" and "gone.csv" in err


def test_whole_process_json_and_bad_input(tmp_path):
    p, *_ = _write(tmp_path, n=(20, 20), labels=("C", "E"))
    base = [sys.executable, "-m", "evidencegui", "analyze"]
    args = ["--time", "months", "--event", "status", "--arm", "rx", "--json"]
    r = subprocess.run(base + [str(p), *args, "--control", "C"], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in
               (doc["tau"], doc["arms"][0]["rmst"], doc["comparisons"][0]["logrank_chisq"]))
    r = subprocess.run(base + [str(p), *args, "--control", "Z"], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr and "'Z'" in r.stderr


def test_text_report_columns_never_run_together(tmp_path):
    """Without --json: a long arm label and wide medians keep their columns apart."""
    import subprocess
    import sys

    long_arm = "Pertuzumab+Trastuzumab+Docetaxel"
    rows = ["time,event,arm"] + [f"{1000 + 37 * i},{i % 2},{long_arm if i % 3 else 'Ctl'}"
                                 for i in range(60)]
    f = tmp_path / "wide.csv"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "evidencegui", "analyze", str(f), "--time", "time",
                        "--event", "event", "--arm", "arm", "--control", "Ctl"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith(long_arm))
    assert line[len(long_arm)] == " "                       # label, then space, then n
    header = next(x for x in r.stdout.splitlines() if x.startswith("arm"))
    med_col = header.index("median (95% CI)")
    rmst_col = header.index("RMST (SE)")
    assert line[rmst_col - 1] == " " and line[med_col - 1] == " "
