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
