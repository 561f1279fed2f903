"""The digitizer readers on the formats real files arrive in: WebPlotDigitizer View Data (", " and
"; " with decimal commas), Export All Data (padded pairs), project JSON, two-column CSV with a
header; BOM, CRLF, percent scale (detected and chosen); numbers-at-risk tables."""
import json

import numpy as np
import pytest

from evidencegui.core.errors import InputError
from evidencegui.io.digitizer import read_at_risk, read_digitized


def _w(tmp_path, name, text, enc="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(enc))
    return p


def test_view_data_comma_space(tmp_path):
    p = _w(tmp_path, "arm_a.csv", "0.0, 1.0\n1.2345678901234, 0.98765432109876\n1.25, 0.9\n")
    c = read_digitized(p)
    assert list(c) == ["arm_a"]
    assert c["arm_a"].t.tolist() == [0.0, 1.2345678901234, 1.25]
    assert c["arm_a"].s.tolist() == [1.0, 0.98765432109876, 0.9]
    assert c["arm_a"].lines == (1, 2, 3) and c["arm_a"].scale == "unit"


def test_view_data_semicolon_decimal_comma(tmp_path):
    p = _w(tmp_path, "b.csv", "0; 1\n1,5; 0,982\n1,5; 0,951\n")
    c = read_digitized(p)["b"]
    assert c.t.tolist() == [0.0, 1.5, 1.5] and c.s.tolist() == [1.0, 0.982, 0.951]


def test_view_data_percent_detected_and_overridden(tmp_path):
    p = _w(tmp_path, "pct.csv", "0, 100\n2, 90.5\n2, 80\n5, 80\n")
    c = read_digitized(p)["pct"]
    assert np.allclose(c.s, [1.0, 0.905, 0.8, 0.8]) and c.scale == "percent"
    assert any("0–100" in w for w in c.warnings)
    c2 = read_digitized(p, scale="percent")["pct"]
    assert np.allclose(c2.s, c.s) and any("as chosen" in w for w in c2.warnings)
    with pytest.raises(InputError) as e:
        read_digitized(p, scale="unit")
    assert "percent" in str(e.value) and "row 1" in str(e.value) and "pct.csv" in str(e.value)


def test_unit_scale_with_small_overshoot_stays_unit(tmp_path):
    p = _w(tmp_path, "u.csv", "-0.05, 1.004\n1, 0.95\n3, -0.002\n")
    c = read_digitized(p)["u"]
    assert c.scale == "unit" and c.s.max() == pytest.approx(1.004)
    # a low curve in percent chosen explicitly
    c2 = read_digitized(_w(tmp_path, "low.csv", "0, 1.2\n5, 0.8\n"), scale="percent")["low"]
    assert np.allclose(c2.s, [0.012, 0.008])


def test_scale_choice_is_checked(tmp_path):
    with pytest.raises(InputError, match="scale"):
        read_digitized(_w(tmp_path, "x.csv", "0, 1\n"), scale="permille")


def test_export_all_padded_bom_crlf(tmp_path):
    text = ("Pertuzumab,,Placebo,\r\nX,Y,X,Y\r\n0,1,0,1\r\n1,0.9,2,0.8\r\n2,0.8,,\r\n"
            "3,0.7,,\r\n,,,\r\n")
    p = _w(tmp_path, "wpd_datasets.csv", "\ufeff" + text)
    c = read_digitized(p)
    assert list(c) == ["Pertuzumab", "Placebo"]
    assert c["Pertuzumab"].t.tolist() == [0, 1, 2, 3] and c["Placebo"].t.tolist() == [0, 2]
    assert c["Placebo"].lines == (3, 4)


def test_export_all_semicolon_decimal_comma_percent(tmp_path):
    p = _w(tmp_path, "all.csv", "A;;B;\nX;Y;X;Y\n0;100;0;100\n1,5;90,5;2;80\n2;80;;\n")
    c = read_digitized(p)
    assert c["A"].t.tolist() == [0, 1.5, 2] and np.allclose(c["A"].s, [1, 0.905, 0.8])
    assert np.allclose(c["B"].s, [1, 0.8])


def test_export_all_duplicate_and_empty_names(tmp_path):
    p = _w(tmp_path, "dup.csv", "Arm,,Arm,,,\nX,Y,X,Y,X,Y\n0,1,0,1,,\n1,0.9,1,0.8,,\n")
    c = read_digitized(p)
    assert list(c) == ["Arm", "Arm (2)"]
    assert any("renamed" in w for w in c["Arm (2)"].warnings)
    assert any("no points" in w for w in c["Arm"].warnings)


def test_export_all_errors_name_line_and_field(tmp_path):
    p = _w(tmp_path, "bad.csv", "A,,B,\nX,Y,X,Y\n0,1,0,1\n1,0.9,2,\n")
    with pytest.raises(InputError) as e:
        read_digitized(p)
    assert e.value.row == 4 and e.value.field == "B Y" and "bad.csv" in str(e.value)
    p = _w(tmp_path, "bad2.csv", "A,,B,\nX,Y,X,Y\n0,1,0,1\n1,nan,2,0.5\n")
    with pytest.raises(InputError) as e:
        read_digitized(p)
    assert e.value.row == 4 and e.value.field == "A Y" and "finite" in str(e.value)


def test_project_json(tmp_path):
    doc = {"version": [4, 2], "axesColl": [{"name": "XY", "type": "XYAxes"}],
           "datasetColl": [
               {"name": "Arm A", "axesName": "XY", "colorRGB": [200, 0, 0, 255],
                "metadataKeys": [], "data": [{"x": 10, "y": 20, "value": [0, 1]},
                                             {"x": 12, "y": 24, "value": [1.2, 0.95]}]},
               {"name": "Arm B", "data": [{"x": 1, "y": 2, "value": [0, 100]},
                                          {"x": 1, "y": 2, "value": [2.5, 85]}]}],
           "measurementColl": []}
    p = _w(tmp_path, "project.json", json.dumps(doc))
    c = read_digitized(p)
    assert list(c) == ["Arm A", "Arm B"]
    assert c["Arm B"].scale == "percent" and np.allclose(c["Arm B"].s, [1.0, 0.85])
    assert c["Arm A"].lines is None
    wrapped = _w(tmp_path, "w.json", json.dumps({"wpd": doc}))
    assert list(read_digitized(wrapped)) == ["Arm A", "Arm B"]


def test_project_json_errors(tmp_path):
    with pytest.raises(InputError) as e:
        read_digitized(_w(tmp_path, "t.json", '{"datasetColl": [{"name": "A", "data": ['))
    assert "t.json" in str(e.value) and "JSON" in str(e.value) and e.value.row == 1
    bad = {"datasetColl": [{"name": "A", "data": [{"value": [0, 1]}, {"value": ["1", 0.5]}]}]}
    with pytest.raises(InputError) as e:
        read_digitized(_w(tmp_path, "v.json", json.dumps(bad)))
    assert e.value.field == "datasetColl[0].data[1].value"
    with pytest.raises(InputError, match="datasetColl"):
        read_digitized(_w(tmp_path, "o.json", '{"version": [4, 2]}'))


def test_two_column_with_header(tmp_path):
    p = _w(tmp_path, "engauge.csv", "Time (months),Survival\n0,1\n2,0.9\n2,0.8\n5,0.8\n")
    c = read_digitized(p)["engauge"]
    assert c.t.tolist() == [0, 2, 2, 5] and c.lines == (2, 3, 4, 5)
    p = _w(tmp_path, "e2.csv", "time;survival\n0;100\n2,5;90\n")
    assert np.allclose(read_digitized(p)["e2"].s, [1.0, 0.9])
    with pytest.raises(InputError) as e:
        read_digitized(_w(tmp_path, "e3.csv", "time,survival\n0,1\n2,\n"))
    assert e.value.row == 3 and e.value.field == "survival"


def test_utf16_and_cp1252(tmp_path):
    p = _w(tmp_path, "u16.csv", "\ufeffA,,B,\nX,Y,X,Y\n0,1,0,1\n", enc="utf-16-le")
    p.write_bytes(b"\xff\xfe" + "A,,B,\nX,Y,X,Y\n0,1,0,1\n".encode("utf-16-le"))
    assert list(read_digitized(p)) == ["A", "B"]
    p = tmp_path / "cp.csv"
    p.write_bytes("Bras \xe9,,B,\nX,Y,X,Y\n0,1,0,1\n".encode("cp1252"))
    assert list(read_digitized(p)) == ["Bras é", "B"]


def test_reader_errors(tmp_path):
    for text, where in (("", "empty"), ("0, 1\n1, abc\n", "row 2"), ("0, 1, 2\n", "row 1"),
                        ("0, 1e999\n", "row 1"), ("0, 1\n1, 1e12\n", "row 2")):
        with pytest.raises(InputError) as e:
            read_digitized(_w(tmp_path, "e.csv", text))
        assert where in str(e.value) and "e.csv" in str(e.value)
    with pytest.raises(InputError, match="does not exist"):
        read_digitized(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="binary"):
        p = tmp_path / "b.csv"
        p.write_bytes(b"\x00\x01\x02")
        read_digitized(p)


# ----------------------------------------------------------------------------------------------
# Numbers at risk

def test_at_risk_basic_and_short_columns(tmp_path):
    p = _w(tmp_path, "nar.csv", "\ufefftime,A,B\r\n0,100,98\r\n6,80,70\r\n12,60,\r\n")
    t = read_at_risk(p)
    assert t.names == ["A", "B"] and t.times == [0, 6, 12]
    assert t.for_arm("A") == ([0, 6, 12], [100, 80, 60]) and t.for_arm("B") == ([0, 6], [98, 70])


def test_at_risk_semicolon_decimal_comma(tmp_path):
    t = read_at_risk(_w(tmp_path, "n.csv", "Time;A;B;\n0;100;98;\n2,5;80;70;\n"))
    assert t.times == [0, 2.5] and t.counts == {"A": [100, 80], "B": [98, 70]}


@pytest.mark.parametrize("text,row,field", [
    ("time,A\n0,100\n6,8.5\n", 3, "A"),
    ("time,A\n0,100\n-1,80\n", 3, "time"),
    ("time,A\n0,100\n0,80\n", 3, "time"),
    ("time,A\n0,100\n6,\n12,50\n", 4, "A"),
    ("time,A,A\n0,1,2\n", 1, "A"),
    ("A,B\n0,1\n", 1, "time"),
    ("time,A\n0,100,5\n", 2, None),
    ("time,A\n0,nan\n", 2, "A"),
])
def test_at_risk_errors(tmp_path, text, row, field):
    with pytest.raises(InputError) as e:
        read_at_risk(_w(tmp_path, "nar.csv", text))
    assert e.value.row == row and e.value.field == field and "nar.csv" in str(e.value)


def test_project_tar_as_saved_by_webplotdigitizer(tmp_path):
    import io
    import tarfile
    doc = {"version": [4, 2], "datasetColl": [
        {"name": "Arm A", "data": [{"x": 1, "y": 1, "value": [0, 1]}, {"x": 2, "y": 2, "value": [3, 0.8]}]}]}
    p = tmp_path / "project.tar"
    with tarfile.open(p, "w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in (("plot/info.json", b'{"version": [4, 2], "json": "wpd.json"}'),
                           ("plot/wpd.json", json.dumps(doc).encode()),
                           ("plot/image.png", b"\x89PNG\r\n\x1a\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    c = read_digitized(p)
    assert list(c) == ["Arm A"] and c["Arm A"].t.tolist() == [0, 3]
    bad = tmp_path / "other.tar"
    with tarfile.open(bad, "w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("x.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(InputError, match="wpd.json"):
        read_digitized(bad)
    trunc = tmp_path / "trunc.tar"
    trunc.write_bytes(p.read_bytes()[:700])
    with pytest.raises(InputError) as e:
        read_digitized(trunc)
    assert "trunc.tar" in str(e.value)


def test_engauge_blocks_and_shared_x(tmp_path):
    p = _w(tmp_path, "eng.csv", "x,Curve1\n0,1\n2,0.9\n\nx,Curve2\n0,1\n3,0.8\n4,0.7\n")
    c = read_digitized(p)
    assert list(c) == ["Curve1", "Curve2"]
    assert c["Curve2"].t.tolist() == [0, 3, 4] and c["Curve2"].lines == (6, 7, 8)
    p = _w(tmp_path, "shared.csv", "x;Arm A;Arm B\n0;100;100\n1,5;90;\n2;;80\n")
    c = read_digitized(p)
    assert c["Arm A"].t.tolist() == [0, 1.5] and c["Arm B"].t.tolist() == [0, 2]
    assert np.allclose(c["Arm B"].s, [1, 0.8])
    with pytest.raises(InputError) as e:
        read_digitized(_w(tmp_path, "s2.csv", "x,A,B\n0,1,1\n,0.5,\n"))
    assert e.value.row == 3 and e.value.field == "x"


def test_export_all_names_without_empty_cells(tmp_path):
    p = _w(tmp_path, "n.csv", "Arm A,Arm B\nX,Y,X,Y\n0,1,0,1\n1,0.9,2,0.8\n")
    assert list(read_digitized(p)) == ["Arm A", "Arm B"]
