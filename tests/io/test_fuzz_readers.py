"""Fuzz tests of the four readers (patients, summary, digitizer with its numbers at risk, project
file): arbitrary bytes and structured mutations of valid files. The only allowed outcomes are a
result or the program's own InputError with a message; never another exception, never a hang
(hypothesis' deadline bounds every case). A result that is accepted is also checked for the
invariants a silent wrong answer would break (no NUL or empty label, finite times ≥ 0, events
0/1, as many patients as data lines at most).

Counts per family go to the file named by $EVIDENCEGUI_FUZZ_STATS (JSON) when it is set, for the
table in the closing note: `EVIDENCEGUI_FUZZ_STATS=/tmp/fuzz.json pytest tests/io/test_fuzz_readers.py`.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from evidencegui.core.errors import InputError  # noqa: E402

EXAMPLES = int(os.environ.get("EVIDENCEGUI_FUZZ_EXAMPLES", "200"))
CASE_DEADLINE_MS = 4000          # a case slower than this is a hang
SETTINGS = settings(max_examples=EXAMPLES, deadline=CASE_DEADLINE_MS,
                    derandomize=not os.environ.get("EVIDENCEGUI_FUZZ_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                    database=None)

STATS: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))


@pytest.fixture(scope="module", autouse=True)
def _write_stats():
    yield
    out = os.environ.get("EVIDENCEGUI_FUZZ_STATS")
    if out:
        Path(out).write_text(json.dumps(STATS, indent=1))


def _outcome(family: str, fn, check=None):
    """Run fn(); count a result or an InputError; anything else fails the test."""
    t0 = time.monotonic()
    try:
        res = fn()
    except InputError as e:
        assert str(e).strip(), "an InputError without a message"
        STATS[family]["clean refusals"] += 1
    else:
        STATS[family]["accepted"] += 1
        if check is not None:
            check(res)
    STATS[family]["inputs"] += 1
    if time.monotonic() - t0 > CASE_DEADLINE_MS / 1000:
        STATS[family]["hangs"] += 1


def _on_file(family: str, data: bytes, suffix: str, read, check=None) -> None:
    """_outcome of read(path) on ``data`` written to a temporary file."""
    p = _tmp(data, suffix)
    try:
        _outcome(family, lambda: read(p), check)
    finally:
        p.unlink()


def _tmp(data: bytes, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return Path(name)


# ---------------------------------------------------------------------------- mutations

TOKENS = [b",", b";", b"\t", b"\n", b"\r\n", b'"', b"'", b"\x00", b"#N/A", b"=1+1", b"-1",
          b"1e308", b"nan", b"inf", b"NR", b"\xff\xfe", b"\xef\xbb\xbf", b" ", b"", b"0",
          b"1", b"2", b"100", b"1.5", b"150", b"9" * 40, "é".encode(), b"\xe9", b"\\ud800",
          b"X,Y", b"time", b"arm", b"control", b"experimental"]


@st.composite
def mutated(draw, base: bytes):
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "dup_line", "cut"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        tok = draw(st.sampled_from(TOKENS))
        if op == "insert":
            data[pos:pos] = tok
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 8))]
        elif op == "replace":
            data[pos:pos + len(tok)] = tok
        elif op == "dup_line":
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, max(len(lines) - 1, 0)))
            lines.insert(k, lines[k] * draw(st.integers(1, 3)))
            data = bytearray(b"\n".join(lines))
        else:
            data = data[:pos]
    return bytes(data)


# ---------------------------------------------------------------------------- patients

PATIENTS = (b"time,event,arm\n1.5,1,Drug\n2,0,Placebo\n3.25,1,Drug\n4,1,Placebo\n"
            b"5,0,Drug\n6.5,1,Placebo\n")


def _check_patients(data_lines: int):
    import numpy as np

    def check(res):
        assert res.n <= data_lines
        assert np.all(np.isfinite(res.time)) and np.all(res.time >= 0)
        assert set(np.unique(res.event).tolist()) <= {0, 1}
        for lab in res.arm_labels:
            assert lab and "\x00" not in lab and len(lab) <= 1000
    return check


@SETTINGS
@given(st.binary(max_size=2000))
def test_patients_arbitrary_bytes(data):
    _on_file("patients CSV: arbitrary bytes", data, ".csv", _read_patients,
             _check_patients(data.count(b"\n") + 1))


@SETTINGS
@given(mutated(PATIENTS))
def test_patients_mutated_csv(data):
    _on_file("patients CSV: mutations of a valid file", data, ".csv", _read_patients,
             _check_patients(data.count(b"\n") + data.count(b"\r") + 1))


def _read_patients(path):
    from evidencegui.io.patients import read_patients
    return read_patients(path, "time", "event", "arm")


def _valid_xlsx(rows) -> bytes:
    import io

    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_XLSX: dict[str, bytes] = {}
XLSX_ROWS = {
    "patients": [["time", "event", "arm"], [1.5, 1, "Drug"], [2, 0, "Placebo"], [3, 1, "Drug"],
                 [4, 0, "Placebo"]],
}


def _corrupted_xlsx(data, kind: str, rows) -> bytes:
    """A valid workbook of ``rows`` with one to four bytes overwritten."""
    if kind not in _XLSX:
        _XLSX[kind] = _valid_xlsx(rows)
    raw = bytearray(_XLSX[kind])
    for _ in range(data.draw(st.integers(1, 4))):
        k = data.draw(st.integers(0, len(raw) - 1))
        raw[k] = data.draw(st.integers(0, 255))
    return bytes(raw)


@SETTINGS
@given(st.data())
def test_patients_mutated_xlsx(data):
    raw = _corrupted_xlsx(data, "patients", XLSX_ROWS["patients"])
    _on_file("patients XLSX: corrupted bytes", raw, ".xlsx", _read_patients, _check_patients(4))


# ---------------------------------------------------------------------------- summary

SUMMARY = (b"trial,endpoint,arm,role,n,median,median_lower,median_upper,hr,hr_lower,hr_upper,"
           b"p_value,surv_24m\n"
           b"CLEOPATRA,OS,Pertuzumab,experimental,402,56.5,49.3,,0.68,0.56,0.84,0.0002,0.8\n"
           b"CLEOPATRA,OS,Placebo,control,406,40.8,35.8,48.3,,,,,0.7\n")


def _check_summary(res):
    for t in res.trials:
        assert t.name and "\x00" not in t.name
        for e in t.endpoints:
            exp = e.experimental
            # never a silent single-arm study: an experimental arm has its control, or the
            # trial says it is single-arm
            assert not exp or e.control is not None or t.single_arm
            for a in e.arms:
                for v in (a.median, a.hr, a.hr_lower, a.hr_upper):
                    assert v is None or (math.isfinite(v) and v > 0)


@SETTINGS
@given(st.binary(max_size=2000))
def test_summary_arbitrary_bytes(data):
    from evidencegui.io.summary import read_summary
    _on_file("summary CSV: arbitrary bytes", data, ".csv", read_summary, _check_summary)


@SETTINGS
@given(mutated(SUMMARY))
def test_summary_mutated(data):
    from evidencegui.io.summary import read_summary
    _on_file("summary CSV: mutations of a valid file", data, ".csv", read_summary, _check_summary)


@SETTINGS
@given(st.data())
def test_summary_mutated_xlsx(data):
    from evidencegui.io.summary import read_summary
    rows = [r.split(",") for r in SUMMARY.decode().strip().split("\n")]
    raw = _corrupted_xlsx(data, "summary", rows)
    _on_file("summary XLSX: corrupted bytes", raw, ".xlsx", read_summary, _check_summary)


# ---------------------------------------------------------------------------- digitizer

EXPORT_ALL = (b"Drug,,Placebo,\nX,Y,X,Y\n0,1,0,1\n2.1,0.93,1.9,0.9\n5,0.81,5.2,0.7\n"
              b"9.8,0.6,10.1,0.52\n15,0.45,,\n")
AT_RISK = b"time,Drug,Placebo\n0,100,100\n5,80,71\n10,60,50\n"


def _check_curves(res):
    import numpy as np
    for name, c in res.items():
        assert name and "\x00" not in name
        assert np.all(np.isfinite(c.t)) and np.all(np.isfinite(c.s))
        assert np.all(c.s <= 1.5) and np.all(c.s >= -0.5)


@SETTINGS
@given(st.binary(max_size=2000))
def test_digitizer_arbitrary_bytes(data):
    from evidencegui.io.digitizer import read_at_risk, read_digitized
    _on_file("digitizer CSV/JSON: arbitrary bytes", data, ".csv", read_digitized, _check_curves)
    _on_file("numbers at risk: arbitrary bytes", data, ".csv", read_at_risk)


@SETTINGS
@given(mutated(EXPORT_ALL), mutated(AT_RISK))
def test_digitizer_mutated_and_reconstructed(curve, nar):
    from evidencegui.core.reconstruct import reconstruct
    from evidencegui.io.digitizer import read_at_risk, read_digitized
    p, q = _tmp(curve, ".csv"), _tmp(nar, ".csv")
    try:
        def run():
            curves = read_digitized(p)
            table = read_at_risk(q)
            out = []
            for name, c in curves.items():
                if name in table.counts:
                    times, counts = table.for_arm(name)
                    out.append(reconstruct(c.t, c.s, times, counts))
            return out

        def check(recs):
            import numpy as np
            for r in recs:
                assert np.all(np.isfinite(r.time)) and np.all(r.time >= 0)
                assert r.time.size <= 1_000_000
        _outcome("digitizer + numbers at risk + reconstruct: mutations of valid files", run, check)
    finally:
        p.unlink()
        q.unlink()


# ---------------------------------------------------------------------------- project file

def _valid_project_text() -> str:
    from evidencegui.core.model import Arm, Endpoint, Landmark, PatientData, Project, Trial
    from evidencegui.io.project_file import dumps_project
    pr = Project(trials=[Trial("CLEOPATRA", [Endpoint("OS", [
        Arm("Pertuzumab", median=56.5, hr=0.68, hr_lower=0.56, hr_upper=0.84,
            landmarks=[Landmark(24.0, 0.8)], patients=PatientData([1.0, 2.5, 3.0], [1, 0, 1])),
        Arm("Placebo", "control", median=40.8)])])])
    return dumps_project(pr)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    max_leaves=10)


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _check_project(res):
    from evidencegui.core.model import CI_METHODS
    assert res.ci_method in CI_METHODS
    for t in res.trials:
        for e in t.endpoints:
            for a in e.arms:
                if a.patients is not None:
                    assert len(a.patients.time) == len(a.patients.event)
                    assert all(x in (0, 1) for x in a.patients.event)


@SETTINGS
@given(st.binary(max_size=2000))
def test_project_arbitrary_bytes(data):
    from evidencegui.io.project_file import load_project
    _on_file("project file: arbitrary bytes", data, ".evidence.json", load_project, _check_project)


@SETTINGS
@given(st.data())
def test_project_structured_mutations(data):
    from evidencegui.io.project_file import loads_project
    doc = json.loads(_valid_project_text())
    paths = list(_paths(doc))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths[1:]))
        value = data.draw(JSON_VALUES)
        node = doc
        try:
            for k in path[:-1]:
                node = node[k]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            pass
    text = json.dumps(doc)
    _outcome("project file: structured mutations (a value replaced anywhere)",
             lambda: loads_project(text, "p.evidence.json"), _check_project)


@SETTINGS
@given(mutated(b""))
def test_project_text_mutations(data):
    from evidencegui.io.project_file import load_project
    base = _valid_project_text().encode()
    _on_file("project file: text mutations", base[: len(base) // 2] + data + base[len(base) // 2:],
             ".evidence.json", load_project, _check_project)
