"""Summary tables: CSV/XLSX in and out, errors naming file, row and column."""
import pytest

from evidencegui.core.errors import InputError
from evidencegui.io.summary import read_summary, write_summary
from evidencegui.resources import resource

HEAD = "trial,endpoint,arm,role,n,events,median,median_lower,median_upper,hr,hr_lower,hr_upper,p_value"


def write(tmp_path, text, name="t.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_read_basic_and_labels_like_na(tmp_path):
    p = write(tmp_path, HEAD + ",surv_24m\n"
              "T,OS,NA,experimental,100,50,,10,,0.7,0.5,0.9,<0.001,37%\n"
              "T,OS,None,control,100,60,12,10,14,,,,,0.30\n")
    proj = read_summary(p)
    ep = proj.trial("T").endpoint("OS")
    e = ep.arm("NA")
    assert e is not None and ep.arm("None").is_control
    assert e.median_not_reached and e.p_value == 0.001 and e.p_value_upper_bound
    assert e.landmarks[0].survival == pytest.approx(0.37)


@pytest.mark.parametrize("row,field", [
    ("T,OS,E,experimental,100,150,,,,0.7,0.5,0.9,0.01", "events"),
    ("T,OS,E,experimental,100,50,,,,0.7,0.8,0.9,0.01", "hr_lower"),
    ("T,OS,E,experimental,100,50,,,,-0.7,,,0.01", "hr"),
    ("T,OS,E,boss,100,50,,,,0.7,0.5,0.9,0.01", "role"),
    ("T,OS,E,experimental,abc,50,,,,0.7,0.5,0.9,0.01", "n"),
    ("T,OS,C,experimental,100,50,,,,0.7,0.5,0.9,0.01", "arm"),
])
def test_errors_name_row_and_field(tmp_path, row, field):
    p = write(tmp_path, HEAD + "\nT,OS,C,control,100,50,12,,,,,,\n" + row + "\n")
    with pytest.raises(InputError) as ei:
        read_summary(p)
    assert ei.value.row == 3 and ei.value.field == field and ei.value.file == str(p)


def test_unknown_column_and_missing_column(tmp_path):
    with pytest.raises(InputError, match="unknown column"):
        read_summary(write(tmp_path, HEAD + ",colour\nT,OS,C,control,1,1,1,,,,,,,red\n"))
    with pytest.raises(InputError, match="'role' is missing"):
        read_summary(write(tmp_path, "trial,endpoint,arm\nT,OS,C\n"))


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_write_read_round_trip(tmp_path, ext):
    src = read_summary(resource("templates", "summary_template.csv"))
    out = tmp_path / f"s.{ext}"
    write_summary(src, out)
    assert read_summary(out) == src


def test_template_xlsx_matches_csv():
    assert read_summary(resource("templates", "summary_template.xlsx")) == read_summary(
        resource("templates", "summary_template.csv"))
