"""Malformed and hostile digitizer files and risk tables (all four curve formats) thrown at the
readers and at the reconstruction: an InputError naming the file (and the line and field where
there is one), or a result with warnings that keeps its invariants; never another exception."""
import json
import math
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidencegui.core.errors import InputError
from evidencegui.core.reconstruct import reconstruct
from evidencegui.io.digitizer import read_at_risk, read_digitized

SETTINGS = settings(max_examples=int(__import__("os").environ.get("HYP_N", "80")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

NUM = st.one_of(
    st.floats(min_value=-5, max_value=120, allow_nan=False).map(lambda x: f"{x:.4g}"),
    st.sampled_from(["0", "1", "100", "-0.5", "1.02", "-0.01", "nan", "NaN", "inf", "-inf",
                     "1e400", "1e308", "9" * 40, "0,5", "1.000,5", "", " ", "X", "Y", "abc",
                     "0x10", "1e", "--1", "½", "\"", "'", "1 000", "+3", ".5", "5."]),
)


def _check_error(e: InputError, path: Path):
    assert str(e)
    assert e.file is not None and path.name in str(e)


def _write(tmp, data, name, suffix):
    p = Path(tmp) / f"{name}{suffix}"
    if isinstance(data, bytes):
        p.write_bytes(data)
    else:
        p.write_text(data, encoding="utf-8", newline="")
    return p


def _check_curves(curves):
    assert curves
    for name, c in curves.items():
        assert isinstance(name, str) and name
        assert c.t.shape == c.s.shape and c.t.size > 0
        assert np.all(np.isfinite(c.t)) and np.all(np.isfinite(c.s))
        assert c.s.max() <= 1.5 and c.s.min() >= -0.5
        for w in c.warnings:
            assert isinstance(w, str) and w


def _read_curves(p):
    try:
        curves = read_digitized(p)
    except InputError as e:
        _check_error(e, p)
        return None
    _check_curves(curves)
    return curves


def _check_reconstruction(t, s, times, counts, total=None):
    try:
        r = reconstruct(t, s, times, counts, total_events=total)
    except InputError as e:
        assert str(e)
        return None
    n0 = int(counts[0])
    assert r.n == n0
    assert r.time.shape == r.event.shape
    assert np.all(np.isfinite(r.time)) and np.all(r.time >= 0)
    assert set(np.unique(r.event).tolist()) <= {0, 1}
    assert 0 <= r.events <= r.n
    assert int(r.fit.at_risk_reconstructed[0]) == n0
    assert math.isfinite(r.fit.max_abs_distance) and math.isfinite(r.fit.rms_distance)
    if total is not None and r.events != total:
        assert any("total" in w for w in r.warnings)  # never silently off the given total
    return r


# ----------------------------------------------------------------------------------------------
# Random bytes and text, every reader

@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([".csv", ".json", ".txt"]))
def test_random_bytes(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        p = _write(tmp, data, "curve", suffix)
        _read_curves(p)
        try:
            read_at_risk(p)
        except InputError as e:
            _check_error(e, p)


@SETTINGS
@given(st.lists(st.lists(NUM, max_size=6), max_size=12), st.sampled_from([",", ", ", ";", "; ", "\t"]),
       st.booleans(), st.booleans())
def test_csv_like_curves(rows, sep, bom, crlf):
    text = ("\r\n" if crlf else "\n").join(sep.join(r) for r in rows)
    if bom:
        text = "\ufeff" + text
    with tempfile.TemporaryDirectory() as tmp:
        p = _write(tmp, text, "curve", ".csv")
        curves = _read_curves(p)
        if curves:
            for c in curves.values():
                _check_reconstruction(c.t, c.s, [0, 5, 10], [50, 40, 30])


@SETTINGS
@given(st.lists(st.text(alphabet="AB ,;", max_size=5), min_size=1, max_size=4),
       st.lists(st.lists(NUM, min_size=0, max_size=8), max_size=10), st.sampled_from([",", ";"]))
def test_export_all(names, rows, sep):
    # names line (each name followed by an empty cell), the X,Y line, then padded pairs
    head = sep.join(f"{n}{sep}" for n in names)
    xy = sep.join(["X", "Y"] * len(names))
    text = "\n".join([head, xy] + [sep.join(r) for r in rows])
    with tempfile.TemporaryDirectory() as tmp:
        p = _write(tmp, text, "wpd_datasets", ".csv")
        curves = _read_curves(p)
        if curves:
            assert len(set(curves)) == len(curves)  # duplicate names are renamed, not merged


@SETTINGS
@given(st.lists(st.tuples(NUM, NUM), max_size=10),
       st.sampled_from(["time,survival", "Time;S(%)", "t", "time,survival,extra", "x\ty"]))
def test_two_column_with_header(pairs, header):
    sep = ";" if ";" in header else ("\t" if "\t" in header else ",")
    text = header + "\n" + "\n".join(sep.join(p) for p in pairs)
    with tempfile.TemporaryDirectory() as tmp:
        p = _write(tmp, text, "curve", ".csv")
        _read_curves(p)


# ----------------------------------------------------------------------------------------------
# JSON: truncated, wrong types, hostile values

JSONVAL = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
              st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5)),
    lambda kids: st.one_of(st.lists(kids, max_size=4),
                           st.dictionaries(st.sampled_from(["name", "data", "value", "x", "y",
                                                            "datasetColl", "wpd", "version"]),
                                           kids, max_size=4)),
    max_leaves=20)


def _point():
    return st.one_of(
        st.fixed_dictionaries({"x": st.integers(0, 500), "y": st.integers(0, 500),
                               "value": st.lists(st.one_of(
                                   st.floats(allow_nan=True, allow_infinity=True),
                                   st.floats(min_value=-1, max_value=100),
                                   st.integers(-10**20, 10**20), st.text(max_size=3),
                                   st.none(), st.booleans()), max_size=3)}),
        JSONVAL)


WPD = st.fixed_dictionaries({
    "version": st.just([4, 2]),
    "datasetColl": st.lists(st.fixed_dictionaries({
        "name": st.one_of(st.text(max_size=6), st.none(), st.integers(), st.just("Arm")),
        "data": st.one_of(st.lists(_point(), max_size=8), JSONVAL)}), max_size=3)})


@SETTINGS
@given(st.one_of(WPD, st.fixed_dictionaries({"wpd": WPD}), JSONVAL), st.integers(0, 400),
       st.booleans())
def test_json(doc, cut, truncate):
    try:
        text = json.dumps(doc, allow_nan=True)
    except (ValueError, OverflowError):
        return
    if truncate:
        text = text[:cut]
    if not text.strip():
        text = "{"
    with tempfile.TemporaryDirectory() as tmp:
        p = _write(tmp, text, "project", ".json")
        curves = _read_curves(p)
        if curves:
            for c in curves.values():
                _check_reconstruction(c.t, c.s, [0, 2], [20, 15])


# ----------------------------------------------------------------------------------------------
# Risk tables: files and values

@SETTINGS
@given(st.lists(st.lists(NUM, max_size=4), max_size=8),
       st.sampled_from(["time,A,B", "time;A;B", "Time,A", "A,B", "time,A,A", "time,,B", "time"]))
def test_at_risk_files(rows, header):
    sep = ";" if ";" in header else ","
    text = header + "\n" + "\n".join(sep.join(r) for r in rows)
    with tempfile.TemporaryDirectory() as tmp:
        p = _write(tmp, text, "nar", ".csv")
        try:
            table = read_at_risk(p)
        except InputError as e:
            _check_error(e, p)
            return
        assert table.times == sorted(set(table.times)) and table.times[0] >= 0
        for name in table.names:
            times, counts = table.for_arm(name)
            assert len(times) == len(counts) >= 1
            assert all(isinstance(c, int) and c >= 0 for c in counts)
            _check_reconstruction([0, 1, 1, 3, 3, 6], [1, 1, 0.9, 0.9, 0.8, 0.8], times, counts)


finite_t = st.floats(min_value=-2, max_value=100, allow_nan=False)
any_t = st.one_of(finite_t, st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e300]))
any_s = st.one_of(st.floats(min_value=-0.2, max_value=1.2, allow_nan=False),
                  st.sampled_from([math.nan, math.inf, 2.0, 99.0, -1.0]))


@SETTINGS
@given(st.lists(st.tuples(any_t, any_s), min_size=0, max_size=40),
       st.lists(any_t, min_size=0, max_size=8),
       st.lists(st.one_of(st.integers(-5, 600), st.sampled_from([math.nan, 1e12, 2.5])),
                min_size=0, max_size=8),
       st.one_of(st.none(), st.integers(-3, 700)))
def test_reconstruct_hostile_values(points, times, counts, total):
    t = [p[0] for p in points]
    s = [p[1] for p in points]
    _check_reconstruction(t, s, times, counts, total) if counts else None
    try:
        reconstruct(t, s, times, counts, total_events=total)
    except InputError:
        pass


@SETTINGS
@given(st.lists(st.floats(min_value=0, max_value=60), min_size=1, max_size=60),
       st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=60),
       st.lists(st.integers(0, 300), min_size=1, max_size=10),
       st.floats(min_value=1, max_value=12), st.one_of(st.none(), st.integers(0, 300)))
def test_reconstruct_plausible_but_messy(t, s, counts, step, total):
    """Non-monotone curves, increasing tables, more/fewer columns than the curve spans."""
    k = min(len(t), len(s))
    times = [i * step for i in range(len(counts))]
    if total is not None and total > counts[0]:
        total = counts[0]
    _check_reconstruction(t[:k], s[:k], times, counts, total)


def _tar_bytes(doc_text: bytes) -> bytes:
    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("plot/wpd.json")
        info.size = len(doc_text)
        tar.addfile(info, io.BytesIO(doc_text))
    return buf.getvalue()


_GOOD_TAR = _tar_bytes(json.dumps({"version": [4, 2], "datasetColl": [
    {"name": "A", "data": [{"value": [0, 1]}, {"value": [2, 0.8]}, {"value": [5, 0.6]}]}]}).encode())


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(_GOOD_TAR) - 1), st.integers(0, 255)), max_size=8),
       st.integers(0, len(_GOOD_TAR)))
def test_project_tar_corrupted(flips, cut):
    data = bytearray(_GOOD_TAR)
    for pos, val in flips:
        data[pos] = val
    data = bytes(data[:max(cut, 1)])
    with tempfile.TemporaryDirectory() as tmp:
        p = _write(tmp, data, "project", ".tar")
        _read_curves(p)
