"""Malformed CSV, XLSX and JSON thrown at the importers: InputError, never another exception."""
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidencegui.core.errors import InputError
from evidencegui.io.safe_text import clean_text
from evidencegui.io.project_file import loads_project, project_to_dict
from evidencegui.io.summary import read_summary
from evidencegui.resources import resource

HEAD = "trial,endpoint,arm,role,n,events,median,median_lower,median_upper,hr,hr_lower,hr_upper,p_value,surv_24m\n"
cell = st.one_of(st.sampled_from(["", "NA", "NR", "37%", "-1", "0", "1e400", "nan", "x", "=1+1",
                                  "control", "experimental", "0.5", "\"", ";", "yes"]),
                 st.text(max_size=6))
row = st.lists(cell, min_size=0, max_size=16).map(lambda r: ",".join(r))
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _ok_or_input_error(fn, *a):
    try:
        fn(*a)
    except InputError as e:
        assert str(e)


@SETTINGS
@given(st.lists(row, max_size=5), st.booleans())
def test_csv(tmp_path, rows, with_header):
    p = tmp_path / "h.csv"
    p.write_text((HEAD if with_header else "") + "\n".join(rows), encoding="utf-8")
    _ok_or_input_error(read_summary, p)


@SETTINGS
@given(st.binary(max_size=300))
def test_csv_bytes(tmp_path, data):
    p = tmp_path / "b.csv"
    p.write_bytes(data)
    _ok_or_input_error(read_summary, p)


@SETTINGS
@given(st.binary(max_size=300), st.booleans())
def test_xlsx_bytes(tmp_path, data, as_zip):
    p = tmp_path / "b.xlsx"
    if as_zip:                       # a zip that is not a workbook, or a broken one
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("xl/workbook.xml", data)
        data = buf.getvalue()
    p.write_bytes(data)
    _ok_or_input_error(read_summary, p)


@SETTINGS
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(-5, 500), st.floats(allow_nan=True),
                                   cell), max_size=14), max_size=4))
def test_xlsx_cells(tmp_path, rows):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD.strip().split(","))
    for r in rows:
        # the workbook itself must be writable: strip characters XML forbids
        ws.append([None if isinstance(v, float) and v != v else clean_text(v) if isinstance(v, str)
                   else v for v in r])
    p = tmp_path / "c.xlsx"
    wb.save(p)
    _ok_or_input_error(read_summary, p)


json_value = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                                    st.text(max_size=5)),
                          lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                          max_leaves=10)


@SETTINGS
@given(st.text(max_size=200))
def test_json_text(text):
    _ok_or_input_error(loads_project, text, "p.json")


@SETTINGS
@given(json_value, st.sampled_from(["format_version", "project", "trials", "endpoints", "arms",
                                    "median", "patients", "landmarks", "esmo_flags"]))
def test_json_structure(value, where):
    import json

    from evidencegui.io.project_file import load_project
    doc = project_to_dict(load_project(resource("examples", "cleopatra.evidence.json")))
    arm = doc["project"]["trials"][0]["endpoints"][0]["arms"][0]
    target = {"format_version": doc, "project": doc, "trials": doc["project"],
              "endpoints": doc["project"]["trials"][0], "arms": doc["project"]["trials"][0]["endpoints"][0],
              "median": arm, "patients": arm, "landmarks": arm,
              "esmo_flags": doc["project"]["trials"][0]["endpoints"][0]}[where]
    target[where] = value
    _ok_or_input_error(loads_project, json.dumps(doc), "p.json")
