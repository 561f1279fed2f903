"""Summary tables (CSV or XLSX, one row per arm) in and out, in CLI.md's `report` layout.

Columns: trial, endpoint, arm, role (required); n, events, median, median_lower, median_upper,
hr, hr_lower, hr_upper, p_value, surv_<T>m (+ _lower/_upper; also surv_<T>y), source,
stratified, orr, dor, setting, primary, single_arm, note, comparator (control rows: the name of
an equivalent control in another trial, for indirect comparisons) and one column per ESMO flag
(core.model.ESMO_FLAGS) — all optional. An empty median means not reached ("NR" too).
Every error names the file, the 1-based row (header = row 1) and the column. Nothing is
dropped: an unknown column is an error, as is a value that cannot be read.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

from evidencegui.core import model
from evidencegui.core.errors import InputError
from evidencegui.io import bounded
from evidencegui.core.model import (CONTROL, ESMO_FLAGS, EXPERIMENTAL, Arm, Endpoint, Landmark,
                                    Project, Trial)

REQUIRED = ("trial", "endpoint", "arm", "role")
BASE = REQUIRED + ("n", "events", "median", "median_lower", "median_upper", "hr", "hr_lower",
                   "hr_upper", "p_value")
EXTRA = ("source", "stratified", "orr", "dor", "setting", "primary", "single_arm", "note",
         "comparator")
_SURV = re.compile(r"^surv_(\d+(?:\.\d+)?)([my])(_lower|_upper)?$")
_ROLES = {"control": CONTROL, "ctl": CONTROL, "comparator": CONTROL, "reference": CONTROL,
          "experimental": EXPERIMENTAL, "exp": EXPERIMENTAL, "treatment": EXPERIMENTAL,
          "intervention": EXPERIMENTAL, "single": EXPERIMENTAL, "single-arm": EXPERIMENTAL,
          "single arm": EXPERIMENTAL}
_SETTINGS = {"non-curative": "non-curative", "noncurative": "non-curative",
             "metastatic": "non-curative", "advanced": "non-curative", "palliative": "non-curative",
             "curative": "curative", "adjuvant": "curative", "neoadjuvant": "curative",
             "perioperative": "curative"}
_TRIAL_COLS = ("setting", "single_arm")
_ENDPOINT_COLS = ("primary",) + ESMO_FLAGS


# ----------------------------------------------------------------------------- reading

def _read_rows(path: Path) -> list[list[Any]]:
    """All rows as lists of cells (str, numbers or None), header first."""
    from evidencegui.io import bounded

    suffix = path.suffix.lower()
    if path.is_dir():
        raise InputError("is a folder, not a table", file=str(path))
    if not path.exists():
        raise InputError("no such file", file=str(path))
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx_rows(path)
    bounded.check_file(path, max_bytes=64 * 1024 * 1024, what="summary-table")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", file=str(path)) from None
    import pandas as pd

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("the file is not readable text (broken UTF-16)", file=str(path)) from None
    else:
        if b"\x00" in raw:
            line = raw[:raw.index(b"\x00")].count(b"\n") + 1
            raise InputError("the file holds a NUL byte: it is not a text (CSV) file, or it is "
                             "damaged", file=str(path), row=line)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else "\t" if "\t" in first and "," not in first else ","
    try:
        df = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                         na_values=[], skip_blank_lines=False, sep=sep, engine="python")
    except Exception as e:
        msg = str(e).strip().splitlines()[-1][:160] if str(e).strip() else type(e).__name__
        if "field larger than field limit" in msg:
            msg = ("a cell holds more than 131,072 characters; a name or label may have at most "
                   f"{bounded.MAX_NAME_CHARS:,}")
        m = re.search(r"line (\d+)", msg)
        raise InputError(f"cannot read it as CSV ({msg})", file=str(path),
                         row=int(m.group(1)) if m else None) from None
    rows = []
    for rec in df.itertuples(index=False, name=None):
        rows.append([None if (isinstance(v, float) and v != v) else v for v in rec])
    return rows


def _read_xlsx_rows(path: Path) -> list[list[Any]]:
    """The first sheet's rows through openpyxl (read-only, saved values), after the limits of
    io.bounded; an Excel error cell or a formula without a saved value is an error naming the
    cell (pandas would read both as blank: a #N/A median would become "not reached")."""
    import zipfile

    from evidencegui.io import bounded

    bounded.check_xlsx(path, max_unpacked=256 * 1024 * 1024)
    try:
        import openpyxl
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # a corrupt workbook raises many kinds of error
        raise InputError(f"cannot read it as an Excel workbook ({type(e).__name__}: "
                         f"{str(e)[:120]})", file=str(path)) from None
    rows: list[list[Any]] = []
    nones: list[tuple[int, int]] = []
    try:
        ws = wb.worksheets[0]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        for r, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            if r > 100_000:
                raise InputError("the table has more than 100,000 rows; a summary table has one "
                                 "row per arm", file=str(path), row=r)
            out = []
            for c, v in enumerate(cells, start=1):
                if isinstance(v, str) and v[:1] == "#" and bounded.excel_error(v):
                    raise InputError(f"cell {bounded.cell_name(r, c)} holds the Excel error "
                                     f"{v.strip()}, not a value; correct it in the workbook",
                                     file=str(path), row=r)
                if v is None:
                    nones.append((r, c))
                out.append(v)
            rows.append(out)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as e:
        if isinstance(e, InputError):
            raise
        raise InputError(f"cannot read it as an Excel workbook ({type(e).__name__}: "
                         f"{str(e)[:120]})", file=str(path)) from None
    finally:
        wb.close()
    if nones and bounded.has_formulas(path):
        fcells = bounded.formula_cells(path, None)
        for r, c in nones:
            if (r, c) in fcells:
                raise InputError(f"cell {bounded.cell_name(r, c)} holds a formula with no saved "
                                 "value (the workbook was written by a program that does not "
                                 "calculate): open and save it in Excel or LibreOffice",
                                 file=str(path), row=r)
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    # undo the apostrophe that write_summary puts before a formula-like text
    if len(s) > 1 and s[0] == "'" and s[1] in "=+-@\t":
        s = s[1:]
    return s


def header_columns(rows: list[list[Any]], f: str, is_known, known_text: str
                   ) -> tuple[list[str], dict[str, int]]:
    """The header (lower-cased, trailing blanks dropped) and each known column's index; an
    empty table, a nameless column with values, a column twice or an unknown column is an
    InputError on row 1 (known_text lists the columns in that message)."""
    if not rows:
        raise InputError("the table is empty; it needs a header row", file=f, row=1)
    header = [_text(h).lower() for h in rows[0]]
    while header and header[-1] == "":
        header.pop()
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        if h == "":
            if any(not _blank(r[i]) for r in rows[1:] if i < len(r)):
                raise InputError(f"column {i + 1} has values but no name", file=f, row=1)
            continue
        if h in cols:
            raise InputError(f"the column {h!r} appears twice", file=f, row=1, field=h)
        if not is_known(h):
            raise InputError(f"unknown column {h!r}; the columns are {known_text}", file=f, row=1,
                             field=h)
        cols[h] = i
    return header, cols


def read_summary(path: str | os.PathLike) -> Project:
    """A Project from a summary table; raises InputError naming file, row and column.

    Stages: read the table and map its columns (_read_table); parse each row into an arm of its
    trial and endpoint (_RowParser); give each endpoint and trial the values its rows agree on
    (_assemble); check that every comparison has its control and the project is valid
    (_check_controls, _check_project)."""
    p = Path(path)
    f = str(p)
    header, cols, rows = _read_table(p, f)
    parser = _RowParser(f, header, cols)
    for idx, rec in enumerate(rows[1:], start=2):
        if all(_blank(v) for v in rec):
            continue
        parser.parse(idx, rec)
    if not parser.project.trials:
        raise InputError("the table has a header but no rows", file=f, row=2)
    _assemble(parser)
    _check_controls(parser.project, parser.where, f)
    _check_project(parser.project, parser.where, cols, f)
    return parser.project


def _read_table(p: Path, f: str) -> tuple[list[str], dict[str, int], list[list[Any]]]:
    """The rows (header first), the header and each column's index; the required columns must
    be there."""
    rows = _read_rows(p)
    known = set(BASE) | set(EXTRA) | set(ESMO_FLAGS)
    header, cols = header_columns(
        rows, f, lambda h: h in known or bool(_SURV.match(h)),
        f"{', '.join(BASE)}, surv_<T>m, and optionally {', '.join(EXTRA)}")
    for r in REQUIRED:
        if r not in cols:
            raise InputError(f"the column {r!r} is missing", file=f, row=1, field=r)
    return header, cols, rows


class _RowParser:
    """Turns each row into an Arm of its trial and endpoint (created on first sight), and
    collects the endpoint- and trial-level values of the rows with the row that gave them."""

    def __init__(self, f: str, header: list[str], cols: dict[str, int]):
        self.f, self.header, self.cols = f, header, cols
        self.project = Project()
        self.where: dict[tuple, int] = {}          # (trial, endpoint, arm) → row number
        self.endpoint_vals: dict[tuple, dict[str, tuple[bool, int]]] = {}
        self.trial_vals: dict[str, dict[str, tuple[Any, int]]] = {}
        self.rec: list[Any] = []
        self.idx = 0

    # ---- cells of the current row

    def cell(self, name: str) -> Any:
        """The row's value in column ``name``; None when the column is absent or the cell blank."""
        i = self.cols.get(name)
        return None if i is None or i >= len(self.rec) or _blank(self.rec[i]) else self.rec[i]

    def parse(self, idx: int, rec: list[Any]) -> None:
        """Row ``idx`` (1-based, header = 1) into the project."""
        self.idx, self.rec = idx, rec
        extra = [v for v in rec[len(self.header):] if not _blank(v)]
        if extra:
            raise self.error("the row has more values than the header has columns")
        tname, ename, aname, role_text = self._names()
        ep = self._endpoint(tname, ename)
        arm = Arm(aname, _ROLES[role_text])
        if role_text.startswith("single"):
            self.trial_vals.setdefault(tname, {}).setdefault("single_arm", (True, idx))
        self._numbers(arm)
        self._texts(arm)
        self._landmarks(arm)
        ep.arms.append(arm)
        self._endpoint_values(tname, ename)
        self._trial_values(tname)
        note = _text(self.cell("note"))
        if note:
            ep.note = (ep.note + "\n" + note).strip()

    def value(self, name: str, fn) -> Any:
        """fn(cell) for column ``name``; its ValueError becomes an InputError on this cell."""
        v = self.cell(name)
        try:
            return fn(v)
        except ValueError as e:
            raise self.error(str(e), name) from None

    def error(self, message: str, field: str | None = None) -> InputError:
        return InputError(message, file=self.f, row=self.idx, field=field)

    # ---- stages of one row

    def _names(self) -> tuple[str, str, str, str]:
        """Trial, endpoint and arm (present, not too long, the arm not given twice) and the role."""
        cell = self.cell
        tname, ename, aname = _text(cell("trial")), _text(cell("endpoint")), _text(cell("arm"))
        for nm, v in (("trial", tname), ("endpoint", ename), ("arm", aname)):
            if not v:
                raise self.error(f"the {nm} is empty", nm)
            bounded.check_name_length(v, file=self.f, row=self.idx, field=nm)
        role_text = _text(cell("role")).lower()
        if role_text not in _ROLES:
            raise self.error(f"role must be 'control' or 'experimental', not {role_text!r}", "role")
        key = (tname, ename, aname)
        if key in self.where:
            raise self.error(f"{aname!r} in {tname} / {ename} is already given on row "
                             f"{self.where[key]}", "arm")
        self.where[key] = self.idx
        return tname, ename, aname, role_text

    def _endpoint(self, tname: str, ename: str) -> Endpoint:
        """The endpoint of the row, its trial and it created when first seen."""
        trial = self.project.trial(tname)
        if trial is None:
            trial = Trial(tname)
            self.project.trials.append(trial)
        ep = trial.endpoint(ename)
        if ep is None:
            ep = Endpoint(ename)
            trial.endpoints.append(ep)
        return ep

    def _numbers(self, arm: Arm) -> None:
        """Counts, median and its CI ("NR" or blank: not reached), HR and its CI, p (a bound
        when written "<0.001"), stratified, ORR and DoR."""
        value, cell = self.value, self.cell
        arm.n = value("n", model.parse_count)
        arm.events = value("events", model.parse_count)
        med = cell("median")
        if med is None or model.is_not_reached(med):
            arm.median_not_reached = True
        else:
            arm.median = value("median", model.parse_number)
        arm.median_lower = value("median_lower", model.parse_number)
        up = cell("median_upper")
        arm.median_upper = None if model.is_not_reached(up) else value("median_upper", model.parse_number)
        arm.hr = value("hr", model.parse_number)
        arm.hr_lower = value("hr_lower", model.parse_number)
        arm.hr_upper = value("hr_upper", model.parse_number)
        pv = cell("p_value")
        if isinstance(pv, str) and pv.strip().startswith(("<", "≤")):
            arm.p_value_upper_bound = True
            pv = pv.strip().lstrip("<≤=").strip()
        try:
            arm.p_value = model.parse_number(pv)
        except ValueError as e:
            raise self.error(str(e), "p_value") from None
        arm.hr_stratified = bool(value("stratified", model.parse_bool))
        arm.orr = value("orr", model.parse_probability)
        arm.dor = value("dor", model.parse_number)

    def _texts(self, arm: Arm) -> None:
        """Source and comparator; a control row carries no comparison (HR, p) and only a control
        row names an equivalent comparator."""
        arm.source = _text(self.cell("source"))
        arm.comparator = _text(self.cell("comparator"))
        if arm.comparator and not arm.is_control:
            raise self.error("comparator names an equivalent control and belongs on the control "
                             "row", "comparator")
        if arm.is_control and any(v is not None for v in (arm.hr, arm.hr_lower, arm.hr_upper, arm.p_value)):
            field = next(n for n in ("hr", "hr_lower", "hr_upper", "p_value")
                         if getattr(arm, n) is not None)
            raise self.error("the control row carries no HR or p; put them on the experimental "
                             "row (they compare it with this control)", field)

    def _landmarks(self, arm: Arm) -> None:
        """surv_<T>m / surv_<T>y (+ _lower/_upper): one Landmark per time, in months."""
        lms: dict[float, dict[str, float | None]] = {}
        for name in self.cols:
            m = _SURV.match(name)
            if not m:
                continue
            v = self.value(name, model.parse_probability)
            if v is None:
                continue
            t = float(m.group(1)) * (12.0 if m.group(2) == "y" else 1.0)
            part = {"_lower": "lower", "_upper": "upper"}.get(m.group(3) or "", "survival")
            slot = lms.setdefault(t, {})
            if part in slot:
                raise self.error(f"survival at {t:g} months is given twice", name)
            slot[part] = v
        for t, parts in sorted(lms.items()):
            if "survival" not in parts:
                raise self.error(f"a CI of survival at {t:g} months is given without the estimate",
                                 f"surv_{t:g}m")
            arm.landmarks.append(Landmark(t, parts["survival"], parts.get("lower"), parts.get("upper")))

    def _endpoint_values(self, tname: str, ename: str) -> None:
        """primary and the ESMO flags: the rows of one endpoint must agree."""
        for name in _ENDPOINT_COLS:
            v = self.value(name, model.parse_bool)
            if v is None:
                continue
            seen = self.endpoint_vals.setdefault((tname, ename), {})
            if name in seen and seen[name][0] != v:
                raise self.error(f"{name} is {'yes' if v else 'no'} here but "
                                 f"{'yes' if seen[name][0] else 'no'} on row {seen[name][1]} of the "
                                 "same endpoint", name)
            seen[name] = (v, self.idx)

    def _trial_values(self, tname: str) -> None:
        """setting and single_arm: the rows of one trial must agree."""
        for name in _TRIAL_COLS:
            if name == "setting":
                s = _text(self.cell("setting")).lower()
                if not s:
                    continue
                if s not in _SETTINGS:
                    raise self.error(f"setting must be 'non-curative' or 'curative' (or adjuvant, "
                                     f"neoadjuvant, metastatic), not {s!r}", "setting")
                v = _SETTINGS[s]
            else:
                v = self.value(name, model.parse_bool)
                if v is None:
                    continue
            seen = self.trial_vals.setdefault(tname, {})
            if name in seen and seen[name][0] != v:
                raise self.error(f"{name} is {v!r} here but {seen[name][0]!r} on row {seen[name][1]} "
                                 "of the same trial", name)
            seen[name] = (v, self.idx)


def _assemble(parser: _RowParser) -> None:
    """Each endpoint's primary flag and ESMO flags, each trial's setting and single-arm mark."""
    project = parser.project
    for (tname, ename), vals in parser.endpoint_vals.items():
        ep = project.trial(tname).endpoint(ename)
        for name, (v, _) in vals.items():
            if name == "primary":
                ep.primary = v
            else:
                ep.esmo_flags[name] = v
    for trial in project.trials:
        vals = parser.trial_vals.get(trial.name, {})
        if "setting" in vals:
            trial.setting = vals["setting"][0]
        if "single_arm" in vals:
            trial.single_arm = bool(vals["single_arm"][0])


def _check_project(project: Project, where: dict[tuple, int], cols: dict[str, int], f: str) -> None:
    """The first error of core.model's validation, placed on its row (the arm's, else the
    endpoint's first) and column of the table."""
    for prob in model.errors(model.validate_project(project)):
        row = where.get((prob.trial, prob.endpoint, prob.arm))
        if row is None and prob.trial is not None and prob.endpoint is not None:
            rows_ep = [r for (t, e, _), r in where.items() if (t, e) == (prob.trial, prob.endpoint)]
            row = min(rows_ep) if rows_ep else None
        fld = prob.field if prob.field in cols or _SURV.match(prob.field or "") else (
            prob.field.split("_")[0] if prob.field and prob.field.split("_")[0] in cols else prob.field)
        raise InputError(prob.message, file=f, row=row, field=fld)


def _loose(text: str) -> str:
    return "".join(text.split()).casefold()


def _check_controls(project: Project, where: dict[tuple, int], f: str) -> None:
    """Every experimental row needs the control row of its trial and endpoint, unless the trial
    says it is a single-arm study (``single_arm`` yes, or role ``single``). Without this check a
    control row with a typo in its endpoint or trial, or a control typed "experimental", would
    silently turn the comparison into a single-arm result (another ESMO-MCBS form, the HR gone)."""
    controls = [(t, e, a, r) for (t, e, a), r in where.items()
                if project.trial(t).endpoint(e).arm(a).is_control]
    for trial in project.trials:
        if trial.single_arm:
            continue
        for ep in trial.endpoints:
            if ep.control is not None:
                continue
            exp = ep.experimental
            if not exp:
                continue
            row = where[(trial.name, ep.name, exp[0].label)]
            near = [(t, e, a, r) for t, e, a, r in controls
                    if (_loose(t) == _loose(trial.name)) + (_loose(e) == _loose(ep.name)) >= 1]
            others = [where[(trial.name, ep.name, a.label)] for a in exp[1:]]
            if near:
                t, e, a, r = min(near, key=lambda x: x[3])
                hint = (f"; row {r} has the control {a!r} of trial {t!r}, endpoint {e!r}: check "
                        "the trial and endpoint names of both rows")
            elif others:
                hint = (f"; rows {', '.join(map(str, [row] + others))} are all 'experimental': "
                        "mark the control arm's role 'control'")
            else:
                hint = ""
            raise InputError(
                f"the experimental arm {exp[0].label!r} of {trial.name} / {ep.name} has no control "
                f"row (role 'control', same trial and endpoint){hint}; for a single-arm study set "
                "single_arm to 'yes'", file=f, row=row, field="role")


# ----------------------------------------------------------------------------- writing

def _fmt_t(t: float) -> str:
    return f"{t:g}"


def summary_rows(project: Project) -> tuple[list[str], list[list[Any]]]:
    times = sorted({lm.time for t in project.trials for e in t.endpoints for a in e.arms
                    for lm in a.landmarks})
    lm_ci = {lm.time for t in project.trials for e in t.endpoints for a in e.arms
             for lm in a.landmarks if lm.lower is not None or lm.upper is not None}
    header = list(BASE)
    for t in times:
        header.append(f"surv_{_fmt_t(t)}m")
        if t in lm_ci:
            header += [f"surv_{_fmt_t(t)}m_lower", f"surv_{_fmt_t(t)}m_upper"]
    header += ["source", "stratified", "orr", "dor", "setting", "single_arm", "primary"]
    flags = [fl for fl in ESMO_FLAGS if any(e.esmo_flags.get(fl) is not None for t in project.trials
                                            for e in t.endpoints)]
    header += flags + ["note"]
    if any(a.comparator for t in project.trials for e in t.endpoints for a in e.arms):
        header.append("comparator")
    rows = []
    for t in project.trials:
        for e in t.endpoints:
            for i, a in enumerate(e.arms):
                r: dict[str, Any] = {
                    "trial": t.name, "endpoint": e.name, "arm": a.label, "role": a.role,
                    "n": a.n, "events": a.events,
                    "median": "" if a.median_not_reached or a.median is None else a.median,
                    "median_lower": a.median_lower, "median_upper": a.median_upper,
                    "hr": a.hr, "hr_lower": a.hr_lower, "hr_upper": a.hr_upper,
                    "p_value": (f"<{a.p_value:g}" if a.p_value_upper_bound and a.p_value is not None
                                else a.p_value),
                    "source": a.source, "stratified": "yes" if a.hr_stratified else "",
                    "orr": a.orr, "dor": a.dor, "setting": t.setting,
                    "single_arm": "yes" if t.single_arm else "no",
                    "primary": "yes" if e.primary else "no",
                    "note": e.note if i == 0 else "",
                    "comparator": a.comparator,
                }
                for fl in flags:
                    v = e.esmo_flags.get(fl)
                    r[fl] = "" if v is None else ("yes" if v else "no")
                for lm in a.landmarks:
                    k = f"surv_{_fmt_t(lm.time)}m"
                    r[k] = lm.survival
                    if lm.time in lm_ci:
                        r[k + "_lower"], r[k + "_upper"] = lm.lower, lm.upper
                rows.append([r.get(h) for h in header])
    return header, rows


def write_summary(project: Project, path: str | os.PathLike) -> None:
    """CSV or XLSX (by the extension), readable by read_summary; written atomically."""
    from evidencegui.io.atomic import atomic_path, atomic_write_text
    from evidencegui.io.safe_text import csv_text, set_text

    header, rows = summary_rows(project)
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "summary"
        for j, h in enumerate(header, 1):
            set_text(ws.cell(row=1, column=j), h)
        for i, row in enumerate(rows, 2):
            for j, v in enumerate(row, 1):
                c = ws.cell(row=i, column=j)
                if v is None or v == "":
                    continue
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    c.value = v
                else:
                    set_text(c, v)
        with atomic_path(p) as tmp:
            wb.save(tmp)
    else:
        text = csv_text(header, [["" if v is None else v for v in r] for r in rows])
        atomic_write_text(p, text, newline=None)
