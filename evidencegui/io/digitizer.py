"""Readers for digitized Kaplan–Meier curves and for numbers-at-risk tables.

Curve files accepted (the format is detected from the content):

- WebPlotDigitizer "View Data → Download .CSV": one dataset, no header, columns X and Y
  separated by ", " (or "; " with decimal commas);
- WebPlotDigitizer "Export All Data → Download .CSV": line 1 the dataset names (each followed
  by an empty cell), line 2 ``X,Y`` per dataset, then one X,Y column pair per dataset, shorter
  ones padded with empty cells;
- WebPlotDigitizer project JSON (version 4): ``datasetColl[].name`` and
  ``datasetColl[].data[].value = [x, y]``, as a .json file or inside the .tar that
  "Save Project" writes (only its ``wpd.json`` is read; nothing is extracted);
- a two-column CSV with a header row (time, survival), as other digitizers write; several
  such blocks one after the other (Engauge), or one x column and a column per curve.

Survival on a 0–1 or a 0–100 scale: detected (any value above 1.5 means percent) or chosen.
Every bad value raises :class:`InputError` naming the file, the 1-based line and the field.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from evidencegui.core.errors import InputError

SCALES = ("auto", "unit", "percent")
MAX_BYTES = 20 * 1024 * 1024
MAX_ABS = 1e9
#: Largest number at risk in one arm (the largest oncology trials randomise a few thousand).
MAX_AT_RISK = 1_000_000
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


@dataclass(frozen=True)
class DigitizedCurve:
    """One digitized curve: clicks in file order. ``s`` is on the 0–1 scale. ``lines`` holds the
    1-based line of each point in the file (None for JSON)."""
    name: str
    t: np.ndarray
    s: np.ndarray
    warnings: list[str] = field(default_factory=list)
    scale: str = "unit"
    lines: tuple[int, ...] | None = None
    source: str = ""


@dataclass(frozen=True)
class AtRiskTable:
    """Numbers at risk: ``times`` and, per dataset name, the counts at those times (a column
    that ended early is shorter than ``times``)."""
    times: list[float]
    counts: dict[str, list[int]]
    source: str = ""

    @property
    def names(self) -> list[str]:
        return list(self.counts)

    def for_arm(self, name: str) -> tuple[list[float], list[int]]:
        counts = self.counts[name]
        return self.times[: len(counts)], list(counts)


# ----------------------------------------------------------------------------------------------
# Text loading

def _read_text(path) -> tuple[str, str]:
    from evidencegui.io.bounded import check_file

    p = Path(path)
    name = str(path)
    size = check_file(p, what="digitizer")
    if size > MAX_BYTES:
        raise InputError(f"the file is too large for a digitizer export ({size / 1e6:.0f} MB)",
                         file=name)
    data = p.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), name
        except UnicodeDecodeError:
            raise InputError("the file is not readable text (broken UTF-16)", file=name) from None
    if b"\x00" in data:
        raise InputError("this is not a text file (it contains binary data)", file=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise InputError("the file is empty", file=name)
    return text, name


def _sniff_separator(lines: list[str]) -> str:
    sample = [ln for ln in lines[:20] if ln.strip()]
    if any(";" in ln for ln in sample):
        return ";"
    if any("\t" in ln for ln in sample):
        return "\t"
    return ","


def _rows(text: str, sep: str, name: str) -> list[tuple[int, list[str]]]:
    """(line number, stripped cells) of every non-blank line."""
    out = []
    reader = csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True)
    try:
        for cells in reader:
            line = reader.line_num
            cells = [c.strip() for c in cells]
            if not any(cells):
                continue
            out.append((line, cells))
    except csv.Error as e:
        raise InputError(f"the file is not a readable CSV table ({e})", file=name,
                         row=reader.line_num) from None
    return out


def _number(cell: str, decimal_comma: bool, *, file: str, row: int | None, fieldname: str) -> float:
    txt = cell.strip()
    if decimal_comma:
        txt = txt.replace(",", ".")
    if not _NUMBER.match(txt):
        low = txt.lower()
        what = ("not a finite number" if low.lstrip("+-") in ("nan", "inf", "infinity")
                else "not a number")
        raise InputError(f"{cell!r} is {what}", file=file, row=row, field=fieldname)
    x = float(txt)
    if not math.isfinite(x) or abs(x) > MAX_ABS:
        raise InputError(f"{cell!r} is too large to be a time or a survival value", file=file,
                         row=row, field=fieldname)
    return x


def _is_number(cell: str) -> bool:
    c = cell.strip()
    return bool(_NUMBER.match(c) or _NUMBER.match(c.replace(",", ".")))


# ----------------------------------------------------------------------------------------------
# Curves

def read_digitized(path, scale: str = "auto") -> dict[str, DigitizedCurve]:
    """Read a digitizer export into ``{dataset name: DigitizedCurve}`` (file order kept)."""
    if scale not in SCALES:
        raise InputError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}", field="scale")
    tar_json = _project_from_tar(path)
    if tar_json is not None:
        text, name = tar_json
        return _finish(_parse_json(text, name), name, scale)
    text, name = _read_text(path)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        raw = _parse_json(text, name)
    else:
        raw = _parse_csv(text, name, Path(path).stem)
    return _finish(raw, name, scale)


def _project_from_tar(path) -> tuple[str, str] | None:
    """WebPlotDigitizer's "Save Project" writes a .tar holding ``<name>/wpd.json`` (and the
    image): the JSON text and a name for messages, or None when the file is not a tar archive.
    Nothing is extracted to disk; only a regular member named ``wpd.json`` is read."""
    import tarfile

    p = Path(path)
    try:
        with open(p, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return None
    if len(head) < 512 or head[257:262] != b"ustar":
        return None
    name = str(path)
    try:
        if p.stat().st_size > 20 * MAX_BYTES:
            raise InputError("the project archive is too large", file=name)
        with tarfile.open(p, mode="r:") as tar:
            members = [m for m in tar.getmembers()
                       if m.isfile() and Path(m.name).name.lower() == "wpd.json"]
            if not members:
                raise InputError("this .tar archive is not a WebPlotDigitizer project (no "
                                 "wpd.json inside)", file=name)
            m = members[0]
            if m.size > MAX_BYTES:
                raise InputError("the project's wpd.json is too large", file=name)
            fh = tar.extractfile(m)
            data = fh.read() if fh is not None else b""
    except (tarfile.TarError, OSError, EOFError, ValueError) as e:
        raise InputError(f"the project archive cannot be read ({e})", file=name) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("the project's wpd.json is not UTF-8 text", file=name) from None
    return text, f"{name} ({members[0].name})"


def _finish(raw: list[dict], name: str, scale: str) -> dict[str, DigitizedCurve]:
    curves = [r for r in raw if r["t"]]
    warnings_all: list[str] = []
    for r in raw:
        if not r["t"]:
            warnings_all.append(f"dataset '{r['name']}' has no points and was skipped")
    if not curves:
        raise InputError("the file has no digitized points", file=name)
    smax = max(max(r["s"]) for r in curves)
    if scale == "auto":
        percent = _looks_percent(curves, name)
    else:
        percent = scale == "percent"
    limit = 150.0 if percent else 1.5
    for r in curves:
        for k, v in enumerate(r["s"]):
            if v > limit or v < -limit / 3:
                hint = (" (the survival axis looks like percent: use the percent scale, "
                        "--scale percent on the command line)"
                        if not percent and v <= 150 else "")
                raise InputError(f"survival {v:g} is not a probability{hint}", file=name,
                                 row=r["lines"][k] if r["lines"] else None,
                                 field=r["sfield"](k))
    out: dict[str, DigitizedCurve] = {}
    for r in curves:
        w = list(warnings_all) + r["warnings"]
        s = np.asarray(r["s"], dtype=float)
        if percent:
            s = s / 100.0
            w.append(("survival read on the 0–100 scale (largest value "
                      f"{smax:g}) and divided by 100") if scale == "auto"
                     else "survival read on the 0–100 scale (as chosen) and divided by 100")
        key = r["name"]
        k = 2
        while key in out:
            key = f"{r['name']} ({k})"
            k += 1
        if key != r["name"]:
            w.append(f"a second dataset named '{r['name']}' was renamed '{key}'")
        out[key] = DigitizedCurve(name=key, t=np.asarray(r["t"], dtype=float), s=s, warnings=w,
                                  scale="percent" if percent else "unit",
                                  lines=tuple(r["lines"]) if r["lines"] else None, source=name)
    return out


def _looks_percent(curves: list[dict], name: str) -> bool:
    """True when the survival values are on the 0–100 scale. A percent curve starts near 100 and
    most of its values lie above 1.5; one or two values above 1.5 among values that otherwise
    stay within 0–1 are typing errors (1.6 for 1.0), not a change of scale: an error naming the
    value's line, never a silent division of the whole curve by 100."""
    vals = [(v, r, k) for r in curves for k, v in enumerate(r["s"])]
    high = [x for x in vals if x[0] > 1.5]
    if not high:
        return False
    unit_like = sum(1 for v, _, _ in vals if 0 <= v <= 1.05)
    if len(high) <= 2 and unit_like >= max(3, 0.8 * len(vals)) and len(vals) >= 5:
        v, r, k = high[0]
        raise InputError(f"survival {v:g} lies above 1 while the other values of the curve stay "
                         f"between 0 and 1: a typing error? (if the axis is in percent, use the "
                         f"percent scale, --scale percent on the command line)", file=name,
                         row=r["lines"][k] if r["lines"] else None, field=r["sfield"](k))
    return True


def _looks_xy(cells: list[str]) -> bool:
    vals = [c.strip().lower() for c in cells if c.strip()]
    if len(vals) < 2 or len(vals) % 2:
        return False
    return all(v == ("x" if k % 2 == 0 else "y") for k, v in enumerate(vals))


def _parse_csv(text: str, name: str, stem: str) -> list[dict]:
    lines = text.splitlines()
    sep = _sniff_separator(lines)
    decimal_comma = sep != ","
    rows = _rows(text, sep, name)
    if not rows:
        raise InputError("the file is empty", file=name)
    first_line, first = rows[0]
    if len(rows) >= 2 and _looks_xy(rows[1][1]) and not _is_number(first[0] if first else ""):
        return _parse_export_all(rows, name, decimal_comma)
    nonempty_first = [c for c in first if c]
    if nonempty_first and all(_is_number(c) for c in nonempty_first[:2]):
        return [_parse_pairs(rows, name, decimal_comma, stem, header=None)]
    # a header row: two columns (time, survival)
    if len(nonempty_first) < 2:
        raise InputError("expected two columns (time and survival) but the first line has "
                         f"{len(nonempty_first)}", file=name, row=first_line)
    if len(nonempty_first) > 2:
        if first and first[0] and len(nonempty_first) == len(first):
            # one x column and one column per curve (Engauge's "all curves on one x")
            return _parse_shared_x(rows, name, decimal_comma)
        raise InputError("cannot tell the format: the header has more than two columns and the "
                         "next line is not WebPlotDigitizer's 'X,Y' line", file=name,
                         row=first_line)
    # blocks of (header, rows), one per curve (Engauge writes one after the other)
    starts = [k for k, (ln, cells) in enumerate(rows)
              if k == 0 or (cells and cells[0] and not _is_number(cells[0])
                            and len([c for c in cells if c]) == 2
                            and not any(_is_number(c) for c in cells if c))]
    out = []
    for j, a in enumerate(starts):
        b = starts[j + 1] if j + 1 < len(starts) else len(rows)
        head = [c for c in rows[a][1] if c]
        # one block: the curve is named after the file; several: after their survival column
        out.append(_parse_pairs(rows[a + 1:b], name, decimal_comma,
                                stem if len(starts) == 1 else head[1], header=head))
    return out


def _parse_shared_x(rows, name, decimal_comma):
    """A header ``x, curve 1, curve 2, …`` and rows with the x value and the curves' values
    (empty where a curve has no point at that x)."""
    (hl, header) = rows[0]
    xf = header[0]
    sets = [{"name": h, "t": [], "s": [], "lines": [], "warnings": [],
             "sfield": (lambda k, h=h: h)} for h in header[1:]]
    for line, cells in rows[1:]:
        extra = [c for c in cells[len(header):] if c]
        if extra:
            raise InputError(f"this line has more values than the {len(header)} columns of the "
                             "header", file=name, row=line)
        if not cells or not cells[0]:
            raise InputError("the x value is missing", file=name, row=line, field=xf)
        x = _number(cells[0], decimal_comma, file=name, row=line, fieldname=xf)
        for j, d in enumerate(sets):
            c = cells[j + 1] if j + 1 < len(cells) else ""
            if not c:
                continue
            d["t"].append(x)
            d["s"].append(_number(c, decimal_comma, file=name, row=line, fieldname=d["name"]))
            d["lines"].append(line)
    return sets


def _parse_pairs(rows, name, decimal_comma, stem, header):
    tf = header[0] if header else "X (column 1)"
    sf = header[1] if header else "Y (column 2)"
    t, s, ln = [], [], []
    for line, cells in rows:
        vals = [c for c in cells]
        while vals and not vals[-1]:
            vals.pop()
        if len(vals) < 2:
            raise InputError("expected two values (time and survival) on this line but found "
                             f"{len(vals)}", file=name, row=line, field=sf if vals else tf)
        if len(vals) > 2:
            raise InputError(f"expected two values on this line but found {len(vals)}"
                             + (" (a decimal comma needs ';' as the separator)"
                                if not decimal_comma else ""), file=name, row=line)
        if not vals[0]:
            raise InputError("the time is missing", file=name, row=line, field=tf)
        if not vals[1]:
            raise InputError("the survival value is missing", file=name, row=line, field=sf)
        t.append(_number(vals[0], decimal_comma, file=name, row=line, fieldname=tf))
        s.append(_number(vals[1], decimal_comma, file=name, row=line, fieldname=sf))
        ln.append(line)
    return {"name": stem, "t": t, "s": s, "lines": ln, "warnings": [],
            "sfield": lambda k: sf}


def _parse_export_all(rows, name, decimal_comma):
    (l1, names_row), (l2, xy_row) = rows[0], rows[1]
    n_sets = len([c for c in xy_row if c]) // 2
    sets = []
    named = [c.strip() for c in names_row if c.strip()]
    if len(names_row) > 2 * n_sets and len(named) > n_sets:
        # WebPlotDigitizer does not quote names: "Pembrolizumab, Q2W" splits the first line.
        # Each name is followed by one empty cell, so the cells between two empties are one name
        groups, cur = [], []
        for c in list(names_row) + [""]:
            if c.strip():
                cur.append(c.strip())
            elif cur:
                groups.append(", ".join(cur))
                cur = []
        if len(groups) == n_sets:
            names_row = [x for g in groups for x in (g, "")]
            named = groups
        else:
            raise InputError(f"line 1 names {len(named)} datasets but line 2 has X,Y columns for "
                             f"{n_sets}: a name with a comma in it? Quote the names or remove "
                             "the commas", file=name, row=l1)
    in_pairs = all(2 * j < len(names_row) and names_row[2 * j].strip() for j in range(n_sets))
    for j in range(n_sets):
        if in_pairs or len(named) != n_sets:
            nm = names_row[2 * j] if 2 * j < len(names_row) else ""
        else:
            nm = named[j]   # names written without the empty cell after each
        nm = nm.strip() or f"Dataset {j + 1}"
        sets.append({"name": nm, "t": [], "s": [], "lines": [], "warnings": [],
                     "sfield": (lambda k, nm=nm: f"{nm} Y")})
    for line, cells in rows[2:]:
        extra = [c for c in cells[2 * n_sets:] if c]
        if extra:
            raise InputError(f"this line has more columns than the {n_sets} dataset(s) named "
                             "on line 1", file=name, row=line, field=f"column {2 * n_sets + 1}")
        for j, d in enumerate(sets):
            x = cells[2 * j] if 2 * j < len(cells) else ""
            y = cells[2 * j + 1] if 2 * j + 1 < len(cells) else ""
            if not x and not y:
                continue
            if not x or not y:
                missing = "X" if not x else "Y"
                raise InputError(f"the {missing} value is missing (X and Y come in pairs)",
                                 file=name, row=line, field=f"{d['name']} {missing}")
            d["t"].append(_number(x, decimal_comma, file=name, row=line, fieldname=f"{d['name']} X"))
            d["s"].append(_number(y, decimal_comma, file=name, row=line, fieldname=f"{d['name']} Y"))
            d["lines"].append(line)
    return sets


def _parse_json(text: str, name: str) -> list[dict]:
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        line = getattr(e, "lineno", None)
        raise InputError(f"the file is not valid JSON ({getattr(e, 'msg', e)})", file=name,
                         row=line) from None
    if isinstance(doc, dict) and "wpd" in doc and isinstance(doc["wpd"], dict):
        doc = doc["wpd"]
    if not isinstance(doc, dict) or not isinstance(doc.get("datasetColl"), list):
        raise InputError("this JSON is not a WebPlotDigitizer project (no 'datasetColl' list)",
                         file=name, field="datasetColl")
    sets = []
    for j, ds in enumerate(doc["datasetColl"]):
        where = f"datasetColl[{j}]"
        if not isinstance(ds, dict):
            raise InputError("a dataset must be an object", file=name, field=where)
        nm = ds.get("name")
        nm = nm.strip() if isinstance(nm, str) and nm.strip() else f"Dataset {j + 1}"
        data = ds.get("data", [])
        if not isinstance(data, list):
            raise InputError("'data' must be a list of points", file=name, field=f"{where}.data")
        t, s = [], []
        for k, pt in enumerate(data):
            fld = f"{where}.data[{k}].value"
            val = pt.get("value") if isinstance(pt, dict) else None
            if (not isinstance(val, list) or len(val) < 2
                    or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in val[:2])):
                raise InputError("each point needs 'value': [x, y] with two numbers", file=name,
                                 field=fld)
            x, y = float(val[0]), float(val[1])
            if not (math.isfinite(x) and math.isfinite(y)) or max(abs(x), abs(y)) > MAX_ABS:
                raise InputError("the point is not a finite, plausible number", file=name, field=fld)
            t.append(x)
            s.append(y)
        sets.append({"name": nm, "t": t, "s": s, "lines": None, "warnings": [],
                     "sfield": (lambda k, w=where: f"{w}.data[{k}].value")})
    return sets


# ----------------------------------------------------------------------------------------------
# Numbers at risk

def read_at_risk(path) -> AtRiskTable:
    """Read a numbers-at-risk CSV: a ``time`` column and one column of counts per dataset."""
    text, name = _read_text(path)
    lines = text.splitlines()
    sep = _sniff_separator(lines)
    decimal_comma = sep != ","
    rows = _rows(text, sep, name)
    if not rows:
        raise InputError("the file is empty", file=name)
    hline, header = rows[0]
    while header and not header[-1]:
        header = header[:-1]
    low = [h.lower() for h in header]
    if "time" not in low:
        raise InputError("the numbers-at-risk table needs a 'time' column (found: "
                         + ", ".join(repr(h) for h in header) + ")", file=name, row=hline,
                         field="time")
    ti = low.index("time")
    names = [h for k, h in enumerate(header) if k != ti]
    if not names:
        raise InputError("the table has a 'time' column but no column of numbers at risk",
                         file=name, row=hline)
    seen = set()
    for k, h in enumerate(header):
        if k == ti:
            continue
        if not h:
            raise InputError(f"column {k + 1} has no name", file=name, row=hline,
                             field=f"column {k + 1}")
        if h in seen or h.lower() == "time":
            raise InputError(f"the column name {h!r} appears twice", file=name, row=hline, field=h)
        seen.add(h)
    times: list[float] = []
    counts: dict[str, list[int]] = {h: [] for h in names}
    ended: dict[str, int] = {}
    for line, cells in rows[1:]:
        if len([c for c in cells[len(header):] if c]):
            raise InputError(f"this line has more values than the {len(header)} columns of the "
                             "header", file=name, row=line)
        cells = cells + [""] * (len(header) - len(cells))
        tc = cells[ti]
        if not tc:
            raise InputError("the time is missing", file=name, row=line, field=header[ti])
        tv = _number(tc, decimal_comma, file=name, row=line, fieldname=header[ti])
        if tv < 0:
            raise InputError(f"time {tc} is negative", file=name, row=line, field=header[ti])
        if times and tv <= times[-1]:
            raise InputError(f"times must increase, but {tc} follows {times[-1]:g}", file=name,
                             row=line, field=header[ti])
        times.append(tv)
        for k, h in enumerate(header):
            if k == ti:
                continue
            c = cells[k]
            if not c:
                ended.setdefault(h, line)
                continue
            if h in ended:
                raise InputError(f"a count follows an empty cell (line {ended[h]}); leave cells "
                                 "empty only after a column's last count", file=name, row=line,
                                 field=h)
            v = _number(c, decimal_comma, file=name, row=line, fieldname=h)
            if v < 0 or v != round(v):
                raise InputError(f"{c!r} is not a number of patients (a whole number ≥ 0)",
                                 file=name, row=line, field=h)
            if v > MAX_AT_RISK:
                raise InputError(f"{c} patients at risk is more than the {MAX_AT_RISK:,} this "
                                 "program reconstructs in one arm", file=name, row=line, field=h)
            counts[h].append(int(round(v)))
    if not times:
        raise InputError("the table has a header but no rows", file=name, row=hline + 1)
    for h in names:
        if not counts[h]:
            raise InputError("the column has no counts", file=name, row=hline + 1, field=h)
    return AtRiskTable(times=times, counts=counts, source=name)
