"""io.patients: CSV/XLSX patient-level files into arrays; every bad input names file, row, column."""
from __future__ import annotations

import numpy as np
import pytest

from evidencegui.core.errors import InputError
from evidencegui.io.patients import read_patients, read_table_preview


def _csv(tmp_path, text, name="p.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _xlsx(tmp_path, rows, name="p.xlsx", sheet="Patients", extra_sheet=None):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    if extra_sheet:
        ws2 = wb.create_sheet(extra_sheet[0])
        for r in extra_sheet[1]:
            ws2.append(r)
    p = tmp_path / name
    wb.save(p)
    return p


def test_csv_reads_arrays_labels_as_text_and_rows(tmp_path):
    p = _csv(tmp_path, "id,time,event,arm\n1,3.5,1,NA\n2,4,0,None\n3,0,TRUE,null\n4,2.25,false,NA\n")
    d = read_patients(p, "time", "event", "arm")
    assert d.time.dtype == np.float64 and d.time.tolist() == [3.5, 4.0, 0.0, 2.25]
    assert d.event.tolist() == [1, 0, 1, 0]
    assert d.arm.tolist() == ["NA", "None", "null", "NA"]
    assert d.arm_labels == ("NA", "None", "null")
    assert d.row.tolist() == [2, 3, 4, 5] and d.file == "p.csv" and d.n == 4


def test_event_codings_default_and_mapping(tmp_path):
    p = _csv(tmp_path, "t,e,a\n1,1.0,A\n2,0.0,B\n3,True,A\n4,FALSE,B\n")
    assert read_patients(p, "t", "e", "a").event.tolist() == [1, 0, 1, 0]
    q = _csv(tmp_path, "t,status,a\n1,dead,A\n2,Alive,B\n3,DEAD,A\n", name="q.csv")
    assert read_patients(q, "t", "status", "a", event_map={"dead": 1, "alive": 0}).event.tolist() == [1, 0, 1]
    with pytest.raises(InputError) as err:
        read_patients(q, "t", "status", "a")
    assert err.value.row == 2 and err.value.field == "status" and "'dead'" in str(err.value)
    assert "2 more rows" in str(err.value)
    # the window's "value meaning event, others censored"
    assert read_patients(q, "t", "status", "a", event_value="dead").event.tolist() == [1, 0, 1]


def test_event_map_values_must_be_0_or_1(tmp_path):
    q = _csv(tmp_path, "t,status,a\n1,dead,A\n")
    with pytest.raises(InputError, match="1 \\(event\\) or 0"):
        read_patients(q, "t", "status", "a", event_map={"dead": 2})


def test_semicolon_separator_decimal_comma_bom_and_cp1252(tmp_path):
    p = _csv(tmp_path, "\ufefftime;event;arm\n1,5;1;Bévacizumab\n2;0;Contrôle\n")
    d = read_patients(p, "time", "event", "arm")
    assert d.time.tolist() == [1.5, 2.0] and d.arm_labels == ("Bévacizumab", "Contrôle")
    q = _csv(tmp_path, "time,event,arm\n1,1,Contrôle\n2,0,B\n", name="q.csv", encoding="cp1252")
    assert read_patients(q, "time", "event", "arm").arm_labels == ("Contrôle", "B")
    r = _csv(tmp_path, "time\tevent\tarm\n1\t1\tA\n2\t0\tB\n", name="r.tsv")
    assert read_patients(r, "time", "event", "arm").n == 2


def test_blank_rows_are_skipped_and_row_numbers_stay_true(tmp_path):
    p = _csv(tmp_path, "time,event,arm\n1,1,A\n\n2,0,B\n,,\n3,x,B\n")
    with pytest.raises(InputError) as err:
        read_patients(p, "time", "event", "arm")
    assert err.value.row == 6          # line 6 of the file, after a blank line and an empty row
    p = _csv(tmp_path, "time,event,arm\n1,1,A\n\n2,0,B\n,,\n", name="b.csv")
    d = read_patients(p, "time", "event", "arm")
    assert d.row.tolist() == [2, 4] and any("empty row" in w for w in d.warnings)


def test_arm_labels_are_stripped_and_merged(tmp_path):
    p = _csv(tmp_path, "time,event,arm\n1,1, A\n2,0,A \n3,1,B\n")
    d = read_patients(p, "time", "event", "arm")
    assert d.arm_labels == ("A", "B") and d.arm.tolist() == ["A", "A", "B"]


@pytest.mark.parametrize("value, problem", [
    ("abc", "not a number"), ("", "missing"), ("-1", "negative"), ("inf", "infinite"),
    ("nan", "not a number"),
])
def test_bad_times_name_file_row_and_column(tmp_path, value, problem):
    p = _csv(tmp_path, f"time,event,arm\n1,1,A\n2,0,B\n{value},1,A\n4,0,B\n-5,1,A\n")
    with pytest.raises(InputError) as err:
        read_patients(p, "time", "event", "arm")
    e = err.value
    assert (e.file, e.row, e.field) == (str(p), 4, "time")
    assert problem in str(e) and "p.csv" in str(e) and "row 4" in str(e)
    assert "data row 3" in str(e) and "line 4" in str(e)
    assert "1 more row" in str(e) and "row 6" in str(e)


def test_missing_event_and_missing_arm(tmp_path):
    p = _csv(tmp_path, "time,event,arm\n1,1,A\n2,,B\n")
    with pytest.raises(InputError, match="event is missing") as err:
        read_patients(p, "time", "event", "arm")
    assert (err.value.row, err.value.field) == (3, "event")
    p = _csv(tmp_path, "time,event,arm\n1,1,A\n2,0,\n3,0\n", name="a.csv")
    with pytest.raises(InputError, match="arm label is missing") as err:
        read_patients(p, "time", "event", "arm")
    assert (err.value.row, err.value.field) == (3, "arm") and "1 more row" in str(err.value)


def test_missing_column_lists_the_columns(tmp_path):
    p = _csv(tmp_path, "os_months,death,group\n1,1,A\n")
    with pytest.raises(InputError) as err:
        read_patients(p, "time", "death", "group")
    assert err.value.field == "time"
    assert all(c in str(err.value) for c in ("'os_months'", "'death'", "'group'"))


def test_column_names_match_without_case_and_spaces(tmp_path):
    p = _csv(tmp_path, " Time ,Event,ARM\n1,1,A\n")
    assert read_patients(p, "time", "event", "arm").n == 1


@pytest.mark.parametrize("content, message", [
    (b"", "empty"), (b"time,event,arm\n", "no patients"),
])
def test_empty_files(tmp_path, content, message):
    p = tmp_path / "e.csv"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_patients(p, "time", "event", "arm")
    assert err.value.file == str(p)


def test_unreadable_file(tmp_path):
    with pytest.raises(InputError, match="does not exist") as err:
        read_patients(tmp_path / "nope.csv", "time", "event", "arm")
    assert "nope.csv" in str(err.value)
    with pytest.raises(InputError, match="folder"):
        read_patients(tmp_path, "time", "event", "arm")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError, match="XLSX"):
        read_patients(bad, "time", "event", "arm")


def test_xlsx_input_sheets_and_types(tmp_path):
    rows = [["time", "event", "arm"], [3.5, 1, "NA"], [4, 0, "None"], [1, True, "NA"], ["2.5", "0", 7]]
    p = _xlsx(tmp_path, rows, extra_sheet=("Other", [["x"], [1]]))
    d = read_patients(p, "time", "event", "arm")
    assert d.time.tolist() == [3.5, 4.0, 1.0, 2.5] and d.event.tolist() == [1, 0, 1, 0]
    assert d.arm.tolist() == ["NA", "None", "NA", "7"] and d.row.tolist() == [2, 3, 4, 5]
    assert read_patients(p, "time", "event", "arm", sheet="Patients").n == 4
    with pytest.raises(InputError) as err:
        read_patients(p, "time", "event", "arm", sheet="Nope")
    assert "'Patients'" in str(err.value) and "'Other'" in str(err.value) and err.value.field == "sheet"
    with pytest.raises(InputError, match="no time column"):
        read_patients(p, "time", "event", "arm", sheet="Other")


def test_xlsx_bad_value_names_the_sheet_row(tmp_path):
    p = _xlsx(tmp_path, [["time", "event", "arm"], [1, 1, "A"], [2, 0, "B"], ["soon", 1, "A"]])
    with pytest.raises(InputError, match="not a number") as err:
        read_patients(p, "time", "event", "arm")
    assert (err.value.row, err.value.field) == (4, "time") and "line" not in str(err.value)


def test_table_preview_csv_and_xlsx(tmp_path):
    p = _csv(tmp_path, "time,event,arm\n1,1,NA\n2,0,None\n3,1,B\n")
    cols, rows = read_table_preview(p, nrows=2)
    assert cols == ["time", "event", "arm"] and rows == [["1", "1", "NA"], ["2", "0", "None"]]
    x = _xlsx(tmp_path, [["time", "event", "arm"], [1.5, 1, "NA"], [2, None, "B"]])
    cols, rows = read_table_preview(x, nrows=5)
    assert cols == ["time", "event", "arm"] and rows == [["1.5", "1", "NA"], ["2", "", "B"]]
    with pytest.raises(InputError, match="empty"):
        read_table_preview(_csv(tmp_path, "", name="e.csv"))


def test_fast_and_careful_paths_agree(tmp_path):
    """The float fast path and the text path (taken when any value is bad) give the same data."""
    rng = np.random.default_rng(4)
    t = np.round(rng.exponential(10, 500), 3)
    lines = "\n".join(f"{x},{i % 2},{'AB'[i % 3 == 0]}" for i, x in enumerate(t))
    good = read_patients(_csv(tmp_path, "t,e,a\n" + lines + "\n"), "t", "e", "a")
    careful = read_patients(_csv(tmp_path, "t,e,a\n" + lines + "\n,,\n", name="c.csv"), "t", "e", "a")
    assert np.array_equal(good.time, careful.time) and np.array_equal(good.event, careful.event)
    assert good.arm.tolist() == careful.arm.tolist() and good.time.tolist() == t.tolist()


def test_xlsx_rows_count_empty_sheet_rows_and_a_lower_header(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A3"], ws["B3"], ws["C3"] = "time", "event", "arm"     # header on sheet row 3
    ws["A4"], ws["B4"], ws["C4"] = 1, 1, "A"
    ws["A6"], ws["B6"], ws["C6"] = 2, 0, "B"                 # sheet row 5 left empty
    ws["B7"] = 0                                             # time missing on sheet row 7
    p = tmp_path / "gap.xlsx"
    wb.save(p)
    with pytest.raises(InputError) as err:
        read_patients(p, "time", "event", "arm")
    assert err.value.row == 7 and "data row 4" in str(err.value) and "sheet row 3" in str(err.value)
    ws["A7"], ws["C7"] = 3, "A"
    wb.save(p)
    d = read_patients(p, "time", "event", "arm")
    assert d.row.tolist() == [4, 6, 7] and d.time.tolist() == [1.0, 2.0, 3.0]


def test_windows_1252_after_a_utf8_start(tmp_path):
    head = "time,event,arm\n" + "".join(f"{i},1,A\n" for i in range(1, 10000))   # > 64 KB of ASCII
    p = tmp_path / "late.csv"
    p.write_bytes(head.encode() + "10001,0,Contrôle\n".encode("cp1252"))
    d = read_patients(p, "time", "event", "arm")
    assert d.arm_labels == ("A", "Contrôle") and d.n == 10000


def test_more_fields_than_header_is_an_error_not_a_silent_index(tmp_path):
    # pandas would take the first column as the index and shift the others by one
    p = _csv(tmp_path, "time,event,arm\n1,1,1,A\n2,0,2,B\n")
    with pytest.raises(InputError, match="4 fields where the header has 3") as err:
        read_patients(p, "time", "event", "arm")
    assert err.value.row == 2


def test_utf16_file_and_a_long_column_list_is_shortened(tmp_path):
    p = tmp_path / "u16.csv"
    p.write_bytes("time,event,arm\n1,1,A\n2,0,B\n".encode("utf-16"))
    assert read_patients(p, "time", "event", "arm").arm_labels == ("A", "B")
    q = _csv(tmp_path, ",".join(f"column_{i}" for i in range(50)) + "\n" + ",".join("1" * 50) + "\n", name="w.csv")
    with pytest.raises(InputError) as err:
        read_patients(q, "time", "event", "arm")
    assert "'column_29'" in str(err.value) and "'column_30'" not in str(err.value) and "20 more" in str(err.value)


def test_a_chosen_column_named_twice_is_ambiguous(tmp_path):
    """pandas would silently rename the second 'group' to 'group.1' and use the first."""
    p = tmp_path / "dup.csv"
    p.write_text("months,status,group,group\n1,1,A,X\n2,0,B,Y\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_patients(p, "months", "status", "group")
    msg = str(e.value)
    assert "dup.csv" in msg and "'group'" in msg and "columns 3, 4" in msg
    # a duplicate among columns that are not used is harmless
    p.write_text("months,status,group,note,note\n1,1,A,x,y\n2,0,B,x,y\n", encoding="utf-8")
    assert list(read_patients(p, "months", "status", "group").arm) == ["A", "B"]


def test_a_chosen_column_named_twice_in_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["months", "status", "group", "group"])
    ws.append([1, 1, "A", "X"])
    ws.append([2, 0, "B", "Y"])
    p = tmp_path / "dup.xlsx"
    wb.save(p)
    with pytest.raises(InputError, match="2 columns named 'group'"):
        read_patients(p, "months", "status", "group")
