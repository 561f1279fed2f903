"""The comparison workbook read back with openpyxl: layout, live formulas, text stays text."""
import io

import openpyxl
import pytest

from evidencegui.io.xlsx_writer import build_workbook, write_workbook
from test_xlsx_writer_data import CTL, EXP, HOSTILE, cleopatra, hostile, png, with_landmarks


def _find(ws, text, col=1):
    for row in ws.iter_rows(min_col=col, max_col=col):
        if row[0].value == text:
            return row[0].row
    raise AssertionError(f"{text!r} not in column {col}")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    d = tmp_path_factory.mktemp("xlsx")
    src = d / "input.csv"
    src.write_bytes(b"abc")          # SHA-256 of b"abc" is known (FIPS 180-2 example)
    p = write_workbook(with_landmarks(cleopatra(patients=True)), d / "c.xlsx",
                       {("CLEOPATRA", "OS"): png(), ("CLEOPATRA", "PFS"): png()}, [src])
    return openpyxl.load_workbook(p)


def test_sheets(book):
    assert book.sheetnames == ["Comparison", "Curves", "Figure", "Patients", "Provenance"]


def test_inputs_in_cells_and_derived_as_formulas(book):
    ws = book["Comparison"]
    hdr = _find(ws, "Measure")
    assert ws.cell(hdr, 3).value == CTL and ws.cell(hdr, 4).value == EXP   # control first
    med = _find(ws, "Median")
    assert ws.cell(med, 3).value == 40.8 and ws.cell(med, 4).value == 56.5
    assert ws.cell(med, 4).number_format == "0.0"
    up = _find(ws, "Median, 95% CI upper")
    assert ws.cell(up, 4).value == "not reached"
    hr = _find(ws, "Hazard ratio vs control")
    assert ws.cell(hr, 4).value == 0.68 and ws.cell(hr, 4).number_format == "0.00"
    gain = _find(ws, "Median gain")
    assert ws.cell(gain, 4).value == f'=IF(AND(ISNUMBER(D{med}),ISNUMBER(C{med})),D{med}-C{med},"")'
    assert ws.cell(gain, 4).data_type == "f"
    assert ws.cell(gain, 4).number_format == '+0.0;"−"0.0;0.0'   # shown "+15.7", as the window and slides
    # as the window and the slides write them (io.format): 1.38, 32%
    for label, fmt in (("Ratio of medians", "0.00"), ("Relative reduction in hazard", "0%"),
                       ("SE of log HR, from the 95% CI", "0.000"),
                       ("Median gain, estimated from the HR", '+0.0;"−"0.0;0.0'),   # signed, as fmt_gain
                       ("Survival difference at 24 months", "0.0%"), ("NNT at 24 months", "0"),
                       ("Survival difference at 60 months", "0.0%")):
        c = ws.cell(_find(ws, label), 4)
        assert c.data_type == "f" and c.value.startswith("=IF("), label
        assert c.number_format == fmt, label
    assert "LN(" in ws.cell(_find(ws, "SE of log HR, from the 95% CI"), 4).value
    assert ws.cell(gain, 3).value is None          # nothing derived in the control column
    # layout: frozen, landscape, one page wide
    assert ws.freeze_panes == "C3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["A"].width >= 30


def test_esmo_grade_and_rule_as_text(book):
    ws = book["Comparison"]
    g = ws.cell(_find(ws, "ESMO-MCBS grade"), 4).value
    assert g.startswith("4") and "2a" in g
    rule = " ".join(str(c.value) for c in ws[_find(ws, "Rule applied")] if c.value)
    assert "0.56" in rule and "15.7" in rule


def test_blank_inputs_stay_blank(book):
    ws = book["Comparison"]
    # PFS block: no events, no median CI reported
    pfs = _find(ws, "CLEOPATRA — PFS")
    ev = next(r for r in range(pfs, pfs + 20) if ws.cell(r, 1).value == "Events")
    assert ws.cell(ev, 3).value is None and ws.cell(ev, 4).value is None


def test_curves_patients_figure_provenance(book):
    cu = book["Curves"]
    assert [c.value for c in cu[1]][:9] == ["Trial", "Endpoint", "Arm", "Curve", "Time (months)",
                                             "Survival", "95% CI lower", "95% CI upper", "At risk"]
    pa = book["Patients"]
    assert pa.max_row == 1 + 120
    assert pa.cell(2, 6).value == "reconstructed"
    assert len(book["Figure"]._images) == 2
    pv = book["Provenance"]
    text = "\n".join(" ".join(str(c.value) for c in r if c.value) for r in pv.iter_rows())
    assert "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" in text
    assert "Efron" in text and "Guyot" in text and "0.1.0" in text
    assert "2 points out of order were sorted" in text


def test_hostile_text_stays_text(tmp_path):
    p = write_workbook(hostile(), tmp_path / "h.xlsx")
    wb = openpyxl.load_workbook(p)
    seen = set()
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and any(h in c.value for h in HOSTILE):
                    if c.value in HOSTILE:
                        seen.add(c.value)
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    if c.value[:1] in "=+-@":
                        assert c.quotePrefix, (ws.title, c.coordinate)
    assert seen == set(HOSTILE)
    # no formula anywhere mentions the hostile strings
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert "HYPERLINK" not in c.value and "SUM" not in c.value


def test_empty_project_and_no_figures():
    from evidencegui.core.model import Project
    wb = build_workbook(Project())
    assert wb["Comparison"]["A4"].value == "The project has no trials."
    buf = io.BytesIO()
    wb.save(buf)


def test_write_is_atomic_and_replaces(tmp_path):
    target = tmp_path / "c.xlsx"
    target.write_bytes(b"old")
    write_workbook(cleopatra(), target)
    assert openpyxl.load_workbook(target).sheetnames[0] == "Comparison"
    assert [f.name for f in tmp_path.iterdir()] == ["c.xlsx"]


def test_public_names_stay_importable_from_xlsx_writer():
    """The sheets live in io/xlsx_comparison, xlsx_curves, xlsx_patients and xlsx_common; callers
    (slides, command line, window, benchmarks) keep importing from io/xlsx_writer."""
    from evidencegui.io import xlsx_common, xlsx_comparison, xlsx_curves, xlsx_patients, xlsx_writer
    for name in xlsx_writer.__all__:
        assert hasattr(xlsx_writer, name), name
    assert xlsx_writer.comparisons_by_arm is xlsx_comparison.comparisons_by_arm
    assert xlsx_writer.esmo_text is xlsx_comparison.esmo_text
    assert xlsx_writer.ordered_arms is xlsx_common.ordered_arms
    assert xlsx_writer.curve_tables is xlsx_curves.curve_tables
    assert xlsx_writer.write_patients_csv is xlsx_patients.write_patients_csv


def test_each_arm_lists_control_first():
    from evidencegui.io.xlsx_common import each_arm
    p = cleopatra()
    assert [(t.name, e.name, a.label) for t, e, a in each_arm(p)] == [
        ("CLEOPATRA", "OS", CTL), ("CLEOPATRA", "OS", EXP),
        ("CLEOPATRA", "PFS", CTL), ("CLEOPATRA", "PFS", EXP)]
