"""Subgroup tables (CSV/XLSX), the comparator column of summary tables, and project-file
version 2 (subgroups and comparator saved; version-1 files still open)."""
from pathlib import Path

import pytest

from evidencegui.core.errors import InputError
from evidencegui.core.model import Arm, Endpoint, Project, SubgroupResult, Trial
from evidencegui.io import project_file as pf
from evidencegui.io.subgroups import read_subgroups
from evidencegui.io.summary import read_summary, write_summary
from evidencegui.resources import resource

V1 = Path(__file__).resolve().parents[1] / "fixtures" / "project_v1" / "cleopatra_v1.evidence.json"
HEADER = "variable,level,hr,hr_lower,hr_upper,n_experimental,events_experimental,n_control,events_control\n"


def test_read_csv_and_xlsx(tmp_path):
    p = tmp_path / "sg.csv"
    p.write_text(HEADER + "Age,<65,0.62,0.50,0.78,300,120,310,150\n Age , >=65 ,0.9,0.6,1.3,,,,\n\n"
                 "Region,Asia,,,,,,,\n")
    rows = read_subgroups(p)
    assert rows[0] == SubgroupResult("Age", "<65", 0.62, 0.5, 0.78, 300, 120, 310, 150)
    assert rows[1] == SubgroupResult("Age", ">=65", 0.9, 0.6, 1.3)
    assert rows[2] == SubgroupResult("Region", "Asia")
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Variable", "Level", "HR", "HR_lower", "HR_upper"])
    ws.append(["Age", "<65", 0.62, 0.5, 0.78])
    wb.save(tmp_path / "sg.xlsx")
    assert read_subgroups(tmp_path / "sg.xlsx") == [SubgroupResult("Age", "<65", 0.62, 0.5, 0.78)]


@pytest.mark.parametrize("line,row,field,words", [
    ("Age,<65,0.62,0.70,0.78,,,,\n", 2, "hr_lower", "contain"),
    ("Age,<65,-1,,,,,,\n", 2, "hr", "> 0"),
    ("Age,<65,0.6,0.5,0.8,10,12,,\n", 2, "events_experimental", "exceed"),
    ("Age,<65,0.6,0.5,0.8,ten,,,\n", 2, "n_experimental", "number"),
    ("Age,,0.6,0.5,0.8,,,,\n", 2, "level", "needs a level"),
    ("Age,<65,0.6,0.5,0.8,,,,\nAge,<65,0.7,0.5,0.8,,,,\n", 3, "level", "twice"),
])
def test_bad_rows_name_file_row_field(tmp_path, line, row, field, words):
    p = tmp_path / "bad.csv"
    p.write_text(HEADER + line)
    with pytest.raises(InputError) as ei:
        read_subgroups(p)
    e = ei.value
    assert (e.row, e.field) == (row, field) and words in str(e) and "bad.csv" in str(e)


def test_bad_header(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("variable,hr\nAge,0.5\n")
    with pytest.raises(InputError, match="'level' is missing"):
        read_subgroups(p)
    p.write_text("variable,level,odds\nAge,x,1\n")
    with pytest.raises(InputError, match="unknown column 'odds'") as ei:
        read_subgroups(p)
    assert ei.value.row == 1


def test_template_has_the_columns_and_no_invented_numbers():
    from evidencegui.io.subgroups import COLUMNS
    lines = resource("templates", "subgroups_template.csv").read_text().splitlines()
    assert len(lines) == 1 and set(lines[0].split(",")) == set(COLUMNS)
    with pytest.raises(InputError, match="no rows"):
        read_subgroups(resource("templates", "subgroups_template.csv"))


def test_project_file_v2_round_trip_and_v1_opens(tmp_path):
    e = Arm("E", subgroups=[SubgroupResult("Age", "<65", 0.6, 0.5, 0.8, 100, 40, 98, 55)])
    c = Arm("C", "control", comparator="Placebo+Letrozole")
    p = Project([Trial("T", [Endpoint("PFS", [e, c])])])
    path = tmp_path / "p.evidence.json"
    pf.save_project(p, path)
    assert pf.load_project(path) == p
    assert '"format_version": 2' in path.read_text()
    old = pf.load_project(V1)
    assert '"format_version": 1' in V1.read_text()
    arm = old.trial("CLEOPATRA").endpoint("OS").arms[0]
    assert arm.subgroups == [] and arm.comparator == "" and arm.hr == 0.68
    assert arm.patients is not None and arm.patients.n == 402


def test_summary_comparator_column(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("trial,endpoint,arm,role,hr,hr_lower,hr_upper,comparator\n"
                 "A,PFS,X,experimental,0.5,0.4,0.7,\n"
                 "A,PFS,Trastuzumab+Docetaxel,control,,,,Placebo+Trastuzumab+Docetaxel\n")
    proj = read_summary(p)
    assert proj.trials[0].endpoints[0].control.comparator == "Placebo+Trastuzumab+Docetaxel"
    out = tmp_path / "out.csv"
    write_summary(proj, out)
    assert read_summary(out) == proj
    p.write_text("trial,endpoint,arm,role,hr,hr_lower,hr_upper,comparator\n"
                 "A,PFS,X,experimental,0.5,0.4,0.7,Something\n"
                 "A,PFS,C,control,,,,\n")
    with pytest.raises(InputError) as ei:
        read_summary(p)
    assert (ei.value.row, ei.value.field) == (2, "comparator")
