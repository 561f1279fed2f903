"""`evidencegui pool` and `report`'s indirect_comparisons through the real command line
(cli.main with argv, and one run as a separate process): JSON keys of CLI.md, the text output,
and bad input → exit 2 with one line on stderr naming the file, row and field."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from evidencegui.cli import main
from evidencegui.resources import resource

ROOT = Path(__file__).resolve().parents[2]
CDK = ("study,hr,hr_lower,hr_upper\nPALOMA-2,0.58,0.46,0.72\nMONALEESA-2,0.56,0.43,0.72\n"
       "MONARCH 3,0.54,0.41,0.72\n")


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_pool_json_has_the_keys_of_cli_md(tmp_path, capsys):
    p = tmp_path / "cdk.csv"
    p.write_text(CDK)
    rc, out, err = run(capsys, "pool", str(p), "--json")
    assert rc == 0 and err == ""
    doc = json.loads(out)
    assert list(doc) == ["studies", "fixed", "random", "heterogeneity"]
    assert set(doc["studies"][0]) >= {"study", "group", "hr", "hr_ci", "log_hr", "se",
                                      "weight_fixed", "weight_random"}
    assert set(doc["random"]) >= {"method", "hr", "hr_ci", "se", "p", "tau2", "hksj_ci",
                                  "prediction_interval"}
    assert doc["random"]["method"] == "REML" and doc["fixed"]["hr"] == pytest.approx(0.5628, abs=1e-4)
    rc, out, _ = run(capsys, "pool", str(p), "--json", "--method", "DL")
    assert json.loads(out)["random"]["method"] == "DL"


def test_pool_groups_and_log_columns_from_xlsx(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Study", "log_hr", "se", "group"])
    for row in (["a", -0.5, 0.1, "x"], ["b", -0.3, 0.2, "x"], ["c", 0.1, 0.15, "y"]):
        ws.append(row)
    wb.save(tmp_path / "g.xlsx")
    rc, out, _ = run(capsys, "pool", str(tmp_path / "g.xlsx"), "--json")
    doc = json.loads(out)
    assert rc == 0 and [g["group"] for g in doc["groups"]] == ["x", "y"]
    assert set(doc["group_difference"]) == {"fixed", "random"}
    assert doc["studies"][2]["hr_ci"] == pytest.approx(
        [2.718281828 ** (0.1 - 1.959964 * 0.15), 2.718281828 ** (0.1 + 1.959964 * 0.15)], rel=1e-6)
    rc, out, _ = run(capsys, "pool", str(tmp_path / "g.xlsx"))
    assert rc == 0 and "Test for group differences (common effect)" in out and "Group y (1 study)" in out


def test_pool_text_output(tmp_path, capsys):
    p = tmp_path / "cdk.csv"
    p.write_text(CDK)
    rc, out, _ = run(capsys, "pool", str(p))
    assert rc == 0
    assert "PALOMA-2     0.58 (0.46–0.72)  41.9%" in out
    assert "Random effects (REML): HR 0.56 (0.49–0.65)" in out
    assert "prediction interval 0.22–1.44" in out and "I² 0%" in out


@pytest.mark.parametrize("body,row,field", [
    ("study,hr,hr_lower,hr_upper\nA,0.5,0.4,0.7\nB,0,0.4,0.7\n", 3, "hr"),
    ("study,hr,hr_lower,hr_upper\nA,0.5,0.6,0.7\n", 2, "hr_lower"),
    ("study,hr,hr_lower,hr_upper\nA,0.5,0.4,\n", 2, "hr_upper"),
    ("study,log_hr,se\nA,-0.5,\n", 2, "se"),
    ("study,log_hr,se\nA,-0.5,0\n", 2, "se"),
    ("study,hr,hr_lower,hr_upper\nA,abc,0.4,0.7\n", 2, "hr"),
    ("study,hr,hr_lower,hr_upper\n,0.5,0.4,0.7\n", 2, "study"),
    ("study,hr,hr_lower,hr_upper,group\nA,0.5,0.4,0.7,x\nB,0.6,0.4,0.7,\n", 3, "group"),
    ("study,hr,hr_lower,hr_upper\nA,0.5,0.4,0.7\nA,0.5,0.4,0.7\n", 3, "study"),
    ("study,hr,hr_lower,hr_upper,odds\nA,0.5,0.4,0.7,1\n", 1, "odds"),
    ("study,weight\nA,1\n", 1, None),
])
def test_pool_bad_input_exit_2_one_line(tmp_path, capsys, body, row, field):
    p = tmp_path / "bad.csv"
    p.write_text(body)
    rc, out, err = run(capsys, "pool", str(p), "--json")
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and "bad.csv" in err and "Traceback" not in err
    assert f"row {row}" in err
    if field:
        assert f"field '{field}'" in err


def test_pool_missing_file_and_bad_method(tmp_path, capsys):
    rc, _, err = run(capsys, "pool", str(tmp_path / "none.csv"))
    assert rc == 2 and "no such file" in err
    p = tmp_path / "cdk.csv"
    p.write_text(CDK)
    rc, _, err = run(capsys, "pool", str(p), "--method", "PM")
    assert rc == 2 and "invalid choice" in err


def test_report_json_indirect_comparisons(capsys):
    rc, out, _ = run(capsys, "report", str(resource("examples", "cleopatra.evidence.json")), "--json")
    doc = json.loads(out)
    assert rc == 0 and len(doc["comparisons"]) == 3
    (ic,) = doc["indirect_comparisons"]
    assert (ic["trial_a"], ic["trial_b"], ic["comparator"]) == (
        "CLEOPATRA", "PHILA", "Placebo+Trastuzumab+Docetaxel")
    assert ic["hr"] == pytest.approx(0.68 / 0.41) and ic["hr_se"] == pytest.approx(0.153, abs=5e-4)


def test_report_summary_table_with_comparator_column(tmp_path, capsys):
    p = tmp_path / "her2.csv"
    p.write_text("trial,endpoint,arm,role,n,median,hr,hr_lower,hr_upper,comparator\n"
                 "PHILA,PFS,Pyrotinib+Trastuzumab+Docetaxel,experimental,297,24.3,0.41,0.32,0.53,\n"
                 "PHILA,PFS,Placebo+Trastuzumab+Docetaxel,control,293,10.4,,,,\n"
                 "OTHER,PFS,Pertuzumab+Trastuzumab+Docetaxel,experimental,402,18.7,0.68,0.58,0.80,\n"
                 "OTHER,PFS,Trastuzumab+Docetaxel,control,406,12.4,,,,Placebo+Trastuzumab+Docetaxel\n")
    rc, out, _ = run(capsys, "report", str(p), "--json")
    (ic,) = json.loads(out)["indirect_comparisons"]
    assert ic["hr"] == pytest.approx(0.603, abs=5e-4) and ic["hr_ci"] == pytest.approx([0.447, 0.813], abs=5e-4)
    assert ic["p"] == pytest.approx(0.00092, rel=0.02)
    rc, out, _ = run(capsys, "report", str(p))
    assert "HR 0.60 (0.45–0.81)" in out and "transitivity" in out


def test_pool_as_a_separate_process(tmp_path):
    p = tmp_path / "cdk.csv"
    p.write_text(CDK)
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "evidencegui", "pool", str(p), "--json"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and json.loads(r.stdout)["heterogeneity"]["df"] == 2
    p.write_text("study,hr,hr_lower,hr_upper\nA,-1,0.4,0.7\n")
    r = subprocess.run([sys.executable, "-m", "evidencegui", "pool", str(p)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2 and r.stdout == "" and "row 2, field 'hr'" in r.stderr
