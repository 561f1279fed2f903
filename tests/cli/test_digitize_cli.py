"""`evidencegui digitize` end to end: figure → curves CSV (+ numbers at risk) → the unchanged
`reconstruct` → `analyze`, checked against lifelines' Cox model on the true patients."""
import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from evidencegui.cli import main

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "digitize"


def _run(capsys, *argv):
    code = main([*map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def _true_hr():
    import pandas as pd
    from lifelines import CoxPHFitter
    d = pd.read_csv(FIX / "patients.csv")
    d["x"] = (d["arm"] == "Experimental").astype(int)
    return float(CoxPHFitter().fit(d[["time", "event", "x"]], "time", "event").hazard_ratios_["x"])


@pytest.mark.parametrize("name", ["r_ggplot.pdf", "mpl_table.pdf"])
def test_pdf_digitize_reconstruct_analyze(tmp_path, capsys, name):
    curves, nar, ipd = tmp_path / "curves.csv", tmp_path / "nar.csv", tmp_path / "ipd.csv"
    code, out, err = _run(capsys, "digitize", FIX / name, "--out", curves, "--at-risk-out", nar, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["source"] == "vector" and {c["name"] for c in doc["curves"]} == {"Control", "Experimental"}
    assert {"source", "calibration", "curves", "at_risk", "warnings"} <= set(doc)
    assert all({"name", "colour", "points"} <= set(c) for c in doc["curves"])
    assert doc["at_risk"]["times"] == [0, 6, 12, 18, 24, 30, 36]
    lines = curves.read_text().splitlines()
    assert lines[1] == "X,Y,X,Y" and lines[0].split(",")[1] == ""
    assert nar.read_text().splitlines()[0] == "time," + ",".join(doc["at_risk"]["counts"])
    # the reconstruct command reads both files as they are
    code, out, err = _run(capsys, "reconstruct", curves, "--at-risk", nar, "--out", ipd, "--json")
    assert code == 0, err
    arms = {a["arm"]: a for a in json.loads(out)["arms"]}
    assert arms["Control"]["n"] == 120 and arms["Experimental"]["n"] == 120
    code, out, err = _run(capsys, "analyze", ipd, "--time", "time", "--event", "event", "--arm", "arm",
                          "--control", "Control", "--json")
    assert code == 0, err
    hr = json.loads(out)["comparisons"][0]["hr"]
    # vector goal: |log(HR_reconstructed / HR_true)| <= 0.03
    assert abs(math.log(hr / _true_hr())) <= 0.03


def test_image_with_typed_calibration(tmp_path, capsys):
    png = FIX / "mpl_table.png"
    xcal, ycal = Path(str(png) + ".cal").read_text().split()
    curves = tmp_path / "c.csv"
    code, out, err = _run(capsys, "digitize", png, "--out", curves, "--x-cal", xcal, "--y-cal", ycal)
    assert code == 0, err
    assert "2 curve(s) from the raster figure: Curve 1, Curve 2" in out
    rows = list(csv.reader(open(curves)))
    assert rows[0] == ["Curve 1", "", "Curve 2", ""]
    # numbers at risk typed by the user, with the curves' names
    nar = tmp_path / "nar.csv"
    nar.write_text("time,Curve 1,Curve 2\n0,120,120\n6,94,86\n12,67,64\n18,53,42\n24,26,20\n30,9,7\n36,0,0\n")
    ipd = tmp_path / "ipd.csv"
    code, out, err = _run(capsys, "reconstruct", curves, "--at-risk", nar, "--out", ipd, "--json")
    assert code == 0, err
    code, out, err = _run(capsys, "analyze", ipd, "--time", "time", "--event", "event", "--arm", "arm",
                          "--control", "Curve 2", "--json")
    hr = json.loads(out)["comparisons"][0]["hr"]
    assert abs(math.log(hr / _true_hr())) <= 0.06     # a 100 dpi image (goal 0.04 is at 150 dpi)


@pytest.mark.parametrize("args, words", [
    (["no_figure.pdf"], "no x-axis tick labels found"),
    (["mpl_logx.pdf"], "logarithmic axis"),
    (["mpl_one.pdf", "--page", "2"], "page 2 does not exist; the PDF has 1 page"),
    (["mpl_one.pdf", "--at-risk-out", "{tmp}/n.csv"], "no numbers-at-risk table found"),
    (["mpl_table.png"], "needs a calibration"),
    (["mpl_table.png", "--x-cal", "140:0"], "give both --x-cal and --y-cal"),
    (["mpl_table.png", "--x-cal", "140:0;600:36", "--y-cal", "1:1,2:2"], "expected two PIXEL:VALUE points"),
    (["mpl_table.png", "--x-cal", "140:0,140:36", "--y-cal", "300:0,20:1"], "same pixel"),
    (["mpl_table.png", "--at-risk-out", "{tmp}/n.csv", "--x-cal", "140:0,672:36", "--y-cal", "340:0,30:1"],
     "an image's table cannot be read"),
    (["missing.pdf"], "does not exist"),
])
def test_bad_input_exit_2_one_line(tmp_path, capsys, args, words):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    fig = args[0] if args[0].startswith("/") else str(FIX / args[0])
    out = tmp_path / "c.csv"
    code, stdout, err = _run(capsys, "digitize", fig, "--out", out, *args[1:])
    assert code == 2 and stdout == ""
    assert words in err and err.count("\n") == 1, err
    assert not out.exists()


def test_subprocess_entry_point(tmp_path):
    out = tmp_path / "c.csv"
    r = subprocess.run([sys.executable, "-m", "evidencegui", "digitize", str(FIX / "r_base.pdf"), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "2 curve(s) from the vector figure" in r.stdout
