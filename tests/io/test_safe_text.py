"""safe_text: user strings never become formulas, in xlsx cells and CSV files."""
import csv
import io

import openpyxl
import pytest

from evidencegui.io.safe_text import (clean_text, csv_safe, csv_text, excel_safe, looks_like_formula,
                                      set_text, set_value, write_csv_safe)

HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1;1)", "+1+1", "-2+3", "=1+1", "\t=1", "\r=1"]


@pytest.mark.parametrize("s", HOSTILE)
def test_formula_like_strings_are_detected(s):
    assert looks_like_formula(s)
    assert excel_safe(s) == (s, True)
    assert csv_safe(s) == "'" + s


@pytest.mark.parametrize("s", ["CLEOPATRA", "OS", "Pertuzumab+Trastuzumab", "a=b", "", "1-2"])
def test_plain_strings_pass_unchanged(s):
    assert not looks_like_formula(s)
    assert csv_safe(s) == s
    assert excel_safe(s) == (s, False)


def test_clean_text_replaces_xml_illegal_characters_and_caps_length():
    assert clean_text("a\x00b\x07c\td\ne") == "a\ufffdb\ufffdc\td\ne"
    assert len(clean_text("x" * 40000)) == 32767
    assert clean_text(None) == ""


def test_set_text_stores_a_string_cell_that_survives_saving(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, s in enumerate(HOSTILE, start=1):
        set_text(ws.cell(i, 1), s)
    set_text(ws.cell(20, 1), "bell\x07")       # would make openpyxl raise IllegalCharacterError
    wb.save(tmp_path / "t.xlsx")
    back = openpyxl.load_workbook(tmp_path / "t.xlsx")
    for i, s in enumerate(HOSTILE, start=1):
        c = back.active.cell(i, 1)
        assert c.data_type == "s" and c.value == s.replace("\r", "\n") or c.value == s
        assert c.quotePrefix
    assert back.active.cell(20, 1).value == "bell\ufffd"


def test_set_value_numbers_blank_and_text():
    ws = openpyxl.Workbook().active
    assert set_value(ws["A1"], 2).value == 2
    assert set_value(ws["A2"], float("nan")).value is None
    assert set_value(ws["A3"], None).value is None
    c = set_value(ws["A4"], "=1+1")
    assert c.data_type == "s" and c.value == "=1+1"


def test_csv_text_and_file(tmp_path):
    rows = [[s, 1.5, None, -2] for s in HOSTILE]
    text = csv_text(["arm", "time", "x", "n"], rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[0] == ["arm", "time", "x", "n"]
    for s, r in zip(HOSTILE, back[1:]):
        assert r[0] == "'" + s
        assert r[1:] == ["1.5", "", "-2"]     # numbers stay numbers, even negative ones
    p = write_csv_safe(tmp_path / "out.csv", ["arm"], [["=1+1"]])
    assert p.read_bytes() == b"arm\r\n'=1+1\r\n"
    assert not [f for f in tmp_path.iterdir() if f.name.endswith(".tmp")]


def test_full_precision_numbers_in_csv():
    text = csv_text(["v"], [[0.1 + 0.2]])
    assert float(text.splitlines()[1]) == 0.1 + 0.2
