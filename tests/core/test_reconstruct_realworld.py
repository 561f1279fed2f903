"""The CLEOPATRA OS readings re-written the ways real digitizer output arrives (percent,
semicolons and decimal commas, points along the flat parts, negative x and overshoot at the start,
shuffled clicks, project JSON, one View Data file per arm, risk tables longer or shorter than the
curve): each must still reconstruct to the published HR 0.68 (within 0.03) and to within 5% of
the HR of the clean reading, with a readable warning for every cleaning step."""
import json

import numpy as np
import pytest

from evidencegui.core.reconstruct import reconstruct
from evidencegui.core.survival import cox_hr
from evidencegui.io.digitizer import read_at_risk, read_digitized
from tests.conftest import FIXTURES

PERT, PLAC = "Pertuzumab+Trastuzumab+Docetaxel", "Placebo+Trastuzumab+Docetaxel"
SRC = FIXTURES / "cleopatra"


def _clean():
    curves = read_digitized(SRC / "os_digitized.csv")
    table = read_at_risk(SRC / "os_at_risk.csv")
    return ({k: (c.t.copy(), c.s.copy()) for k, c in curves.items()},
            {k: table.for_arm(k) for k in curves})


def _hr(recs):
    t = np.concatenate([recs[PERT].time, recs[PLAC].time])
    e = np.concatenate([recs[PERT].event, recs[PLAC].event])
    x = np.concatenate([np.ones(recs[PERT].n), np.zeros(recs[PLAC].n)])
    return cox_hr(t, e, x).hr


def _from_files(curve_path, nar_path, **kw):
    curves = read_digitized(curve_path, **kw)
    table = read_at_risk(nar_path)
    recs = {k: reconstruct(c.t, c.s, *table.for_arm(k)) for k, c in curves.items()}
    warns = {k: curves[k].warnings + recs[k].warnings for k in recs}
    return recs, warns


def _num(x, comma):
    s = repr(float(x))
    return s.replace(".", ",") if comma else s


def _export_all(path, curves, sep=",", comma=False, scale=1.0, bom=False, crlf=False):
    names = list(curves)
    n = max(len(curves[k][0]) for k in names)
    lines = [sep.join(f"{k}{sep}" for k in names), sep.join(["X", "Y"] * len(names))]
    for i in range(n):
        cells = []
        for k in names:
            t, s = curves[k]
            cells += ([_num(t[i], comma), _num(s[i] * scale, comma)] if i < len(t) else ["", ""])
        lines.append(sep.join(cells))
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


def _nar(path, tables, drop_last=0, extra=None):
    names = list(tables)
    times = tables[names[0]][0]
    rows = ["time," + ",".join(names)]
    m = len(times) - drop_last
    for j in range(m):
        rows.append(f"{times[j]:g}," + ",".join(str(tables[k][1][j]) if j < len(tables[k][1])
                                                 else "" for k in names))
    if extra:
        rows += extra
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture(scope="module")
def baseline():
    curves, tables = _clean()
    recs = {k: reconstruct(*curves[k], *tables[k]) for k in curves}
    return _hr(recs)


def _check(recs, baseline):
    hr = _hr(recs)
    print('HR', hr, baseline, recs[PERT].events, recs[PLAC].events)
    assert abs(hr - 0.68) <= 0.03, hr
    assert abs(np.log(hr / baseline)) <= np.log(1.05), (hr, baseline)
    assert abs(recs[PERT].events - 165) <= 0.05 * 165 + 3
    assert abs(recs[PLAC].events - 216) <= 0.05 * 216 + 3
    return hr


def test_percent_semicolon_decimal_comma_bom_crlf(tmp_path, baseline):
    curves, tables = _clean()
    p = _export_all(tmp_path / "wpd_datasets.csv", curves, sep=";", comma=True, scale=100,
                    bom=True, crlf=True)
    recs, warns = _from_files(p, _nar(tmp_path / "nar.csv", tables))
    _check(recs, baseline)
    assert all(any("0–100" in w for w in ws) for ws in warns.values())


def test_points_along_the_flat_parts(tmp_path, baseline):
    curves, tables = _clean()
    rng = np.random.default_rng(1)
    out = {}
    for k, (t, s) in curves.items():
        o = np.lexsort((-s, t))
        t, s = t[o], s[o]
        tt, ss = [t[0]], [s[0]]
        for i in range(1, len(t)):
            if t[i] - t[i - 1] > 0.8 and abs(s[i] - s[i - 1]) < 0.004:
                for f in (0.3, 0.7):
                    tt.append(t[i - 1] + f * (t[i] - t[i - 1]))
                    ss.append(s[i - 1] + rng.normal(0, 0.0015))
            tt.append(t[i])
            ss.append(s[i])
        out[k] = (np.array(tt), np.array(ss))
    p = _export_all(tmp_path / "along.csv", out)
    recs, warns = _from_files(p, _nar(tmp_path / "nar.csv", tables))
    _check(recs, baseline)


def test_negative_start_overshoot_and_shuffled(tmp_path, baseline):
    curves, tables = _clean()
    rng = np.random.default_rng(2)
    out = {}
    for k, (t, s) in curves.items():
        t = np.concatenate(([-0.4, 0.05], t))
        s = np.concatenate(([1.006, 1.003], s))
        o = rng.permutation(t.size)
        out[k] = (t[o], s[o])
    recs, warns = _from_files(_export_all(tmp_path / "c.csv", out), _nar(tmp_path / "n.csv", tables))
    _check(recs, baseline)
    for ws in warns.values():
        text = " ".join(ws)
        assert "negative time" in text and "clamped" in text and "sorted" in text


def test_project_json_and_view_data_per_arm(tmp_path, baseline):
    curves, tables = _clean()
    doc = {"version": [4, 2], "axesColl": [{"name": "XY", "type": "XYAxes"}],
           "datasetColl": [{"name": k, "axesName": "XY", "metadataKeys": [],
                            "data": [{"x": 0, "y": 0, "value": [float(a), float(b)]}
                                     for a, b in zip(t, s)]} for k, (t, s) in curves.items()]}
    (tmp_path / "p.json").write_text(json.dumps(doc))
    recs, _ = _from_files(tmp_path / "p.json", _nar(tmp_path / "n.csv", tables))
    _check(recs, baseline)
    recs = {}
    for i, (k, (t, s)) in enumerate(curves.items()):
        p = tmp_path / f"arm{i}.csv"
        p.write_text("".join(f"{float(a)!r}, {float(b) * 100!r}\n" for a, b in zip(t, s)))
        c = next(iter(read_digitized(p).values()))
        recs[k] = reconstruct(c.t, c.s, *tables[k])
    _check(recs, baseline)


@pytest.mark.parametrize("drop_last,extra", [(0, ["80,0,0"]), (1, None), (2, None)])
def test_risk_table_longer_or_shorter_than_the_curve(tmp_path, baseline, drop_last, extra):
    curves, tables = _clean()
    recs, warns = _from_files(_export_all(tmp_path / "c.csv", curves),
                              _nar(tmp_path / "n.csv", tables, drop_last=drop_last, extra=extra))
    _check(recs, baseline)
    if drop_last:
        assert all(any("after the last risk-table time" in w for w in ws) for ws in warns.values())
