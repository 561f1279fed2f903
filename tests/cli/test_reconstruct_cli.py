import csv
import json
import subprocess
import sys

from tests.conftest import FIXTURES


def test_cli_writes_ipd_and_json(tmp_path):
    out = tmp_path / "ipd.csv"
    r = subprocess.run([sys.executable, "-m", "evidencegui", "reconstruct",
                        str(FIXTURES / "cleopatra" / "os_digitized.csv"), "--at-risk",
                        str(FIXTURES / "cleopatra" / "os_at_risk.csv"), "--out", str(out), "--json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [a["n"] for a in doc["arms"]] == [402, 406]
    rows = list(csv.DictReader(open(out)))
    assert len(rows) == 808 and set(rows[0]) == {"time", "event", "arm"}


def test_cli_bad_input_exit_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("0, 1\n1, abc\n")
    r = subprocess.run([sys.executable, "-m", "evidencegui", "reconstruct", str(bad), "--at-risk",
                        str(FIXTURES / "cleopatra" / "os_at_risk.csv"), "--out", str(tmp_path / "o.csv")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "row 2" in r.stderr


# ----------------------------------------------------------------------------------------------
# In-process: options, JSON keys, exit status 2 with stdout empty

import pytest  # noqa: E402

from evidencegui.cli import main  # noqa: E402

OS = FIXTURES / "cleopatra" / "os_digitized.csv"
NAR = FIXTURES / "cleopatra" / "os_at_risk.csv"
PERT, PLAC = "Pertuzumab+Trastuzumab+Docetaxel", "Placebo+Trastuzumab+Docetaxel"


def _run(capsys, *argv):
    code = main(["reconstruct", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_keys_and_output(tmp_path, capsys):
    out = tmp_path / "ipd.csv"
    code, stdout, err = _run(capsys, OS, "--at-risk", NAR, "--out", out, "--json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert [a["arm"] for a in doc["arms"]] == [PERT, PLAC]
    for a in doc["arms"]:
        assert {"n", "events", "median", "warnings"} <= set(a)
        assert isinstance(a["n"], int) and isinstance(a["events"], int)
        assert a["median"] is None or isinstance(a["median"], float)
        assert all(isinstance(w, str) for w in a["warnings"])
    assert abs(doc["arms"][0]["events"] - 165) <= 9 and abs(doc["arms"][1]["events"] - 216) <= 11
    rows = list(csv.DictReader(open(out, newline="")))
    assert len(rows) == 808 and {r["arm"] for r in rows} == {PERT, PLAC}
    assert all(r["event"] in ("0", "1") and float(r["time"]) >= 0 for r in rows)


def test_without_json_prints_nothing(tmp_path, capsys):
    code, stdout, _ = _run(capsys, OS, "--at-risk", NAR, "--out", tmp_path / "o.csv")
    assert code == 0 and stdout == ""


def test_dataset_arm_and_total_events(tmp_path, capsys):
    out = tmp_path / "ipd.csv"
    code, stdout, err = _run(capsys, OS, "--at-risk", NAR, "--dataset", PLAC, "--arm", "Control",
                             "--total-events", "221", "--out", out, "--json")
    assert code == 0, err
    doc = json.loads(stdout)
    (arm,) = doc["arms"]
    assert arm["arm"] == "Control" and arm["dataset"] == PLAC and arm["n"] == 406
    assert arm["events"] == 221 or any("total" in w for w in arm["warnings"])
    assert abs(arm["events"] - 221) <= 0.05 * 221
    rows = list(csv.DictReader(open(out, newline="")))
    assert len(rows) == 406 and {r["arm"] for r in rows} == {"Control"}
    # the dataset name matched ignoring case and spaces
    code, stdout, err = _run(capsys, OS, "--at-risk", NAR, "--dataset", PLAC.lower(), "--out", out,
                             "--json")
    assert code == 0, err and json.loads(stdout)["arms"][0]["n"] == 406


def test_single_view_data_file_and_arm_column(tmp_path, capsys):
    from evidencegui.io.digitizer import read_digitized
    c = read_digitized(OS)[PERT]
    curve = tmp_path / "pert.csv"
    curve.write_text("".join(f"{t!r}, {s * 100!r}\n" for t, s in zip(c.t.tolist(), c.s.tolist())))
    code, stdout, err = _run(capsys, curve, "--at-risk", NAR, "--arm", PERT, "--out",
                             tmp_path / "o.csv", "--json")
    assert code == 0, err
    arm = json.loads(stdout)["arms"][0]
    assert arm["n"] == 402 and any("0–100" in w for w in arm["warnings"])
    # no column matches and --arm names none: exit 2, the message lists the columns
    code, stdout, err = _run(capsys, curve, "--at-risk", NAR, "--out", tmp_path / "o.csv",
                             "--json")
    assert code == 2 and stdout == "" and "columns" in err and str(NAR) in err


@pytest.mark.parametrize("curve_text,nar_text,expect", [
    ("0, 1\n1, abc\n", None, "row 2"),
    ("", None, "empty"),
    ("{\"datasetColl\": [", None, "JSON"),
    (None, "time,A\n0,100\n5,x\n", "row 3"),
    (None, "tijd,A\n0,100\n", "'time'"),
    ("A,,B,\nX,Y,X,Y\n0,1,0,1\n0.5,1,2,0.9\n0.5,0.5,,\n2,0.5,,\n",
     "time,A,B\n0,100,100\n1,90,90\n", "other arm"),
])
def test_bad_input_exit_2_stdout_empty(tmp_path, capsys, curve_text, nar_text, expect):
    curve = tmp_path / "curve.csv"
    nar = tmp_path / "nar.csv"
    if curve_text is None:
        curve = OS
    else:
        curve.write_text(curve_text)
    if nar_text is None:
        nar = NAR
    else:
        nar.write_text(nar_text)
    out = tmp_path / "o.csv"
    code, stdout, err = _run(capsys, curve, "--at-risk", nar, "--out", out, "--json")
    assert code == 2 and stdout == ""
    assert expect in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_option_errors(tmp_path, capsys):
    out = tmp_path / "o.csv"
    code, stdout, err = _run(capsys, OS, "--at-risk", NAR, "--total-events", "100", "--out", out,
                             "--json")
    assert code == 2 and stdout == "" and "--dataset" in err
    code, stdout, err = _run(capsys, OS, "--at-risk", NAR, "--dataset", "Nope", "--out", out)
    assert code == 2 and stdout == "" and "Nope" in err and "dataset" in err
    code, stdout, err = _run(capsys, OS, "--at-risk", NAR, "--dataset", PLAC,
                             "--total-events", "9999", "--out", out, "--json")
    assert code == 2 and stdout == "" and "total" in err
    code, stdout, err = _run(capsys, OS, "--at-risk", NAR, "--out", tmp_path / "no" / "o.csv")
    assert code == 2 and "does not exist" in err
    code, stdout, err = _run(capsys, tmp_path / "missing.csv", "--at-risk", NAR, "--out", out)
    assert code == 2 and "missing.csv" in err
