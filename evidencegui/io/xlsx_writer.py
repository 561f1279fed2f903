"""The comparison workbook (openpyxl): reported inputs in cells, derived measures as live formulas
that refer to them, curves, the figure, patient-level data and provenance.

Sheets: Comparison, Curves, Figure, Patients, Provenance. Every string the user typed goes
through ``safe_text`` (stored as text, never as a formula). The file is written atomically.
openpyxl is imported inside the functions (it is slow to import at GUI start-up).
"""
from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from evidencegui.core.model import Arm, Endpoint, Project, Trial
from evidencegui.io import format as fmt
from evidencegui.io import provenance as prov
from evidencegui.io.safe_text import atomic_write_bytes, set_text, set_value

NOT_REACHED = fmt.NOT_REACHED
Z975 = "NORMSINV(0.975)"      # = 1.959964; NORMSINV is read by Excel and LibreOffice alike

# number formats
FMT_MONTHS = "0.0"
FMT_HR = "0.00"
FMT_RATIO = "0.000"
FMT_SE = "0.000"
FMT_PCT = "0.0%"
FMT_INT = "0"
FMT_P = '[<0.0001]"<0.0001";0.0000'

Figures = dict[tuple[str, str], bytes]

#: More patient (or curve) rows than this are written as CSV beside the workbook when it has a
#: path (write_workbook): a sheet of a million rows takes minutes and gigabytes in openpyxl.
#: Without a path (workbook_bytes) they are split across sheets of SHEET_ROWS rows each.
MAX_ROWS_IN_WORKBOOK = 100_000
SHEET_ROWS = 1_000_000          # Excel holds 1,048,576 rows per sheet


# ----------------------------------------------------------------------------- program results

def comparisons_by_arm(project: Project) -> dict[tuple[str, str, str], Any]:
    """The program's comparisons (core.effects) keyed by (trial, endpoint, experimental arm);
    empty when core.effects is not available."""
    try:
        from evidencegui.core.effects import compare_project
    except ImportError:
        return {}
    out = {}
    for c in compare_project(project):
        key = (_get(c, "trial"), _get(c, "endpoint"), _get(c, "arm"))
        out[key] = c
    return out


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def esmo_text(comparison: Any) -> tuple[str, str]:
    """(grade, rule) of the comparison's ESMO-MCBS grade as display text ('' when none)."""
    g = _get(comparison, "esmo")
    if g is None:
        return "", ""
    final = _get(g, "final_grade")
    prelim = _get(g, "preliminary_grade")
    version = _get(g, "version", "")
    form = _get(g, "form", "")
    grade = final if final is not None else prelim
    parts = []
    if grade is not None:
        parts.append(str(grade))
        if final is not None and prelim is not None and final != prelim:
            parts.append(f"(preliminary {prelim})")
    else:
        parts.append("not graded")
    label = " ".join(parts)
    tag = ", ".join(x for x in (f"v{version}" if version else "", f"form {form}" if form else "") if x)
    if tag:
        label += f" [{tag}]"
    rule = str(_get(g, "rule", "") or "")
    extra = []
    adj = _get(g, "adjustments") or []
    applied = []
    for a in (adj if isinstance(adj, (list, tuple)) else [adj]):
        if isinstance(a, dict):
            if a.get("applied", True):
                ch = a.get("change")
                applied.append(f"{a.get('reason', '')} ({ch:+d})" if isinstance(ch, int) else
                               str(a.get("reason", a)))
        else:
            applied.append(str(a))
    if applied:
        extra.append("adjustments applied: " + "; ".join(applied))
    miss = _get(g, "missing")
    if miss:
        extra.append("missing: " + ", ".join(str(m) for m in (miss if isinstance(miss, (list, tuple)) else [miss])))
    if extra:
        rule = (rule + ". " if rule else "") + "; ".join(extra)
    return label, rule


def landmark_times(endpoint: Endpoint) -> list[float]:
    return sorted({lm.time for a in endpoint.arms for lm in a.landmarks})


def ordered_arms(endpoint: Endpoint) -> list[Arm]:
    """Control first, then the other arms in their order."""
    ctl = endpoint.control
    return ([ctl] if ctl is not None else []) + [a for a in endpoint.arms if a is not ctl]


def _fmt_t(t: float) -> str:
    """A landmark time inside a row key (surv_24); labels people read use io.format."""
    return f"{t:g}"


# ----------------------------------------------------------------------------- styles

class _Styles:
    def __init__(self):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        thin = Side(style="thin", color="9AA5B1")
        self.title = Font(bold=True, size=14)
        self.subtitle = Font(italic=True, size=9, color="555555")
        self.block = Font(bold=True, size=12, color="FFFFFF")
        self.block_fill = PatternFill("solid", fgColor="2F5597")
        self.header = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor="D9E1F2")
        self.header_border = Border(bottom=thin)
        self.section = Font(bold=True, italic=True, color="2F5597")
        self.input = Font(color="1F3F99")
        self.input_fill = PatternFill("solid", fgColor="EEF3FB")
        self.formula = Font(color="000000")
        self.note = Font(italic=True, size=9, color="555555")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.center = Alignment(horizontal="center", vertical="top", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="top")
        self.top = Alignment(vertical="top")


# ----------------------------------------------------------------------------- Comparison sheet

@dataclass
class BlockCells:
    """Where one trial/endpoint block put its cells (for tests and for the slides)."""
    trial: str
    endpoint: str
    first_row: int
    last_row: int
    arm_columns: dict[str, str]          # arm label -> column letter
    rows: dict[str, int]                 # measure key -> row number


def _estimate_lines(text: str, width_chars: float) -> int:
    if not text:
        return 1
    lines = 0
    for para in str(text).split("\n"):
        lines += max(1, math.ceil(len(para) * 1.1 / max(width_chars, 1)))
    return lines


def _write_comparison(ws, project: Project, comps: dict, st: _Styles) -> list[BlockCells]:
    from openpyxl.utils import get_column_letter

    blocks_list = [(t, e) for t in project.trials for e in t.endpoints]
    max_arms = max((len(e.arms) for _, e in blocks_list), default=1)
    longest = max((len(a.label) for _, e in blocks_list for a in e.arms), default=10)
    arm_width = min(max(longest * 1.1 + 2, 16), 40)     # a label fits on one line up to ~34 chars
    note_col_idx = 3 + max(max_arms, 1)
    widths = {1: 38, 2: 16}
    for i in range(max(max_arms, 1)):
        widths[3 + i] = arm_width
    widths[note_col_idx] = 62
    for idx, w in widths.items():
        ws.column_dimensions[get_column_letter(idx)].width = w
    note_letter = get_column_letter(note_col_idx)

    c = ws.cell(1, 1)
    set_text(c, "Comparison of trial arms" + (f": {project.title}" if project.title else ""))
    c.font = st.title
    c = ws.cell(2, 1)
    c.value = ("Blue cells: reported inputs (blank = not reported). Black cells: live formulas on "
               "those inputs; edit an input and they recompute. Times in "
               f"{project.time_unit}; survival as a percentage.")
    c.font = st.subtitle
    ws.freeze_panes = "C3"

    out: list[BlockCells] = []
    r = 4
    if not blocks_list:
        ws.cell(r, 1).value = "The project has no trials."
        return out
    for trial, ep in blocks_list:
        bc, r = _write_block(ws, r, trial, ep, comps, st, note_letter, note_col_idx, arm_width)
        out.append(bc)
        r += 2
    return out


def _write_block(ws, r: int, trial: Trial, ep: Endpoint, comps: dict, st: _Styles,
                 note_letter: str, note_col_idx: int, arm_width: float):
    from openpyxl.utils import get_column_letter

    arms = ordered_arms(ep)
    ctl = ep.control
    cols = {a.label: get_column_letter(3 + i) for i, a in enumerate(arms)}
    ccol = cols.get(ctl.label) if ctl is not None else None
    first = r
    rows: dict[str, int] = {}

    # block title
    for ci in range(1, note_col_idx + 1):
        ws.cell(r, ci).fill = st.block_fill
    c = ws.cell(r, 1)
    set_text(c, f"{trial.name} — {ep.name}" + (" (primary endpoint)" if ep.primary else ""))
    c.font = st.block
    r += 1
    info = [f"setting: {trial.setting}"]
    if trial.single_arm:
        info.append("single-arm study")
    if trial.source:
        info.append(f"source: {trial.source}")
    c = ws.cell(r, 1)
    set_text(c, "; ".join(info))
    c.font = st.note
    r += 1

    # header
    hdr = ["Measure", "Unit"] + [a.label for a in arms]
    for ci, h in enumerate(hdr, start=1):
        c = ws.cell(r, ci)
        set_text(c, h)
        c.font = st.header
        c.fill = st.header_fill
        c.border = st.header_border
        c.alignment = st.center if ci > 2 else st.top
    c = ws.cell(r, note_col_idx, "How it is computed / note")
    c.font, c.fill, c.border = st.header, st.header_fill, st.header_border
    longest = max((len(a.label) for a in arms), default=10)
    ws.row_dimensions[r].height = 15 * max(1, math.ceil(longest * 1.1 / arm_width))
    rows["header"] = r
    r += 1

    def section(title: str):
        nonlocal r
        c = ws.cell(r, 1, title)
        c.font = st.section
        r += 1

    def label(key: str, text: str, unit: str = "", note: str = ""):
        ws.cell(r, 1, text).alignment = st.top
        if unit:
            c = ws.cell(r, 2, unit)
            c.font, c.alignment = st.note, st.top
        if note:
            c = ws.cell(r, note_col_idx, note)
            c.font, c.alignment = st.note, st.wrap
            lines = _estimate_lines(note, 70)       # the 62-wide note column holds ~70 small glyphs
            if lines > 1:
                ws.row_dimensions[r].height = 12.5 * lines
        rows[key] = r

    def put_input(col: str, value: Any, fmt: str | None = None):
        c = ws[f"{col}{r}"]
        set_value(c, value)
        c.font = st.input
        c.fill = st.input_fill
        if fmt and c.data_type == "n":
            c.number_format = fmt
        c.alignment = st.right if c.data_type == "s" else st.top
        return c

    def put_formula(col: str, formula: str, fmt: str):
        c = ws[f"{col}{r}"]
        c.value = formula
        c.number_format = fmt
        c.font = st.formula
        c.alignment = st.top
        return c

    section("Reported inputs")
    label("role", "Role")
    for a in arms:
        put_input(cols[a.label], a.role)
    r += 1
    label("n", "Patients (n)", "patients")
    for a in arms:
        put_input(cols[a.label], a.n, FMT_INT)
    r += 1
    label("events", "Events", "events")
    for a in arms:
        put_input(cols[a.label], a.events, FMT_INT)
    r += 1
    label("median", "Median", "months", "'not reached' when the median was not reached")
    for a in arms:
        put_input(cols[a.label], NOT_REACHED if a.median_not_reached and a.median is None
                  else a.median, FMT_MONTHS)
    r += 1
    label("median_lower", "Median, 95% CI lower", "months")
    for a in arms:
        put_input(cols[a.label], a.median_lower, FMT_MONTHS)
    r += 1
    label("median_upper", "Median, 95% CI upper", "months")
    for a in arms:
        upper_nr = a.median_upper is None and a.median_lower is not None
        put_input(cols[a.label], NOT_REACHED if upper_nr else a.median_upper, FMT_MONTHS)
    r += 1
    label("hr", "Hazard ratio vs control", "ratio", "reported; experimental arm vs control")
    for a in arms:
        put_input(cols[a.label], a.hr, FMT_HR)
    r += 1
    label("hr_lower", "HR, 95% CI lower", "ratio")
    for a in arms:
        put_input(cols[a.label], a.hr_lower, FMT_HR)
    r += 1
    label("hr_upper", "HR, 95% CI upper", "ratio")
    for a in arms:
        put_input(cols[a.label], a.hr_upper, FMT_HR)
    r += 1
    strat = [a.label for a in arms if a.hr_stratified]
    label("p", "p-value", "")
    if strat:
        set_text(ws.cell(r, note_col_idx), "stratified HR: " + ", ".join(strat)).font = st.note
    for a in arms:
        put_input(cols[a.label], a.p_value, FMT_P)
    r += 1
    lms = landmark_times(ep)
    for t in lms:
        label(f"surv_{_fmt_t(t)}", f"Survival at {fmt.fmt_landmark(t)} months", "%")
        for a in arms:
            lm = a.landmark_at(t)
            put_input(cols[a.label], None if lm is None else lm.survival, FMT_PCT)
        r += 1
        if any((lm := a.landmark_at(t)) is not None and (lm.lower is not None or lm.upper is not None)
               for a in arms):
            for bound in ("lower", "upper"):
                label(f"surv_{_fmt_t(t)}_{bound}", f"Survival at {fmt.fmt_landmark(t)} months, 95% CI {bound}", "%")
                for a in arms:
                    lm = a.landmark_at(t)
                    put_input(cols[a.label], None if lm is None else getattr(lm, bound), FMT_PCT)
                r += 1
    if any(a.orr is not None for a in arms):
        label("orr", "Objective response rate", "%")
        for a in arms:
            put_input(cols[a.label], a.orr, FMT_PCT)
        r += 1
    if any(a.dor is not None for a in arms):
        label("dor", "Duration of response (median)", "months")
        for a in arms:
            put_input(cols[a.label], a.dor, FMT_MONTHS)
        r += 1
    if any(a.source for a in arms):
        label("source", "Source")
        height = 1
        for a in arms:
            c = ws[f"{cols[a.label]}{r}"]
            set_text(c, a.source)
            c.font, c.alignment = st.note, st.wrap
            height = max(height, _estimate_lines(a.source, arm_width))
        ws.row_dimensions[r].height = 12.5 * min(height, 8)
        r += 1

    exps = [a for a in arms if a is not ctl]
    if ccol is not None and exps:
        section("Derived (live formulas; each experimental arm vs the control)")

        def ref(key: str, col: str) -> str:
            return f"{col}{rows[key]}"

        label("gain", "Median gain", "months", "experimental median − control median")
        for a in exps:
            e, cc = ref("median", cols[a.label]), ref("median", ccol)
            put_formula(cols[a.label], f'=IF(AND(ISNUMBER({e}),ISNUMBER({cc})),{e}-{cc},"")', FMT_MONTHS)
        r += 1
        label("gain_est", "Median gain, estimated from the HR", "months",
              "only when the experimental median is not reached: control median / HR − control "
              "median (proportional, exponential hazards); an estimate")
        for a in exps:
            e, cc, h = ref("median", cols[a.label]), ref("median", ccol), ref("hr", cols[a.label])
            put_formula(cols[a.label],
                        f'=IF(AND({e}="{NOT_REACHED}",ISNUMBER({cc}),ISNUMBER({h})),{cc}/{h}-{cc},"")',
                        FMT_MONTHS)
        r += 1
        label("ratio", "Ratio of medians", "×", "experimental median / control median")
        for a in exps:
            e, cc = ref("median", cols[a.label]), ref("median", ccol)
            put_formula(cols[a.label], f'=IF(AND(ISNUMBER({e}),ISNUMBER({cc})),{e}/{cc},"")', FMT_RATIO)
        r += 1
        label("rel_red", "Relative reduction in hazard", "%", "1 − HR")
        for a in exps:
            h = ref("hr", cols[a.label])
            put_formula(cols[a.label], f'=IF(ISNUMBER({h}),1-{h},"")', FMT_PCT)
        r += 1
        label("hr_se", "SE of log HR, from the 95% CI", "log scale",
              "(ln upper − ln lower) / (2 × 1.959964)")
        for a in exps:
            lo, hi = ref("hr_lower", cols[a.label]), ref("hr_upper", cols[a.label])
            put_formula(cols[a.label],
                        f'=IF(AND(ISNUMBER({lo}),ISNUMBER({hi})),(LN({hi})-LN({lo}))/(2*{Z975}),"")',
                        FMT_SE)
        r += 1
        label("hr_se_p", "SE of log HR, from the p-value", "log scale",
              "|ln HR| / z(1 − p/2); a check on the reported CI")
        for a in exps:
            h, p = ref("hr", cols[a.label]), ref("p", cols[a.label])
            put_formula(cols[a.label],
                        f'=IF(AND(ISNUMBER({h}),ISNUMBER({p})),IF(AND({p}>0,{p}<1,{h}<>1),'
                        f'ABS(LN({h}))/NORMSINV(1-{p}/2),""),"")', FMT_SE)
        r += 1
        for t in lms:
            k = f"surv_{_fmt_t(t)}"
            label(f"diff_{_fmt_t(t)}", f"Survival difference at {fmt.fmt_landmark(t)} months", "% points",
                  "experimental − control")
            for a in exps:
                e, cc = ref(k, cols[a.label]), ref(k, ccol)
                put_formula(cols[a.label], f'=IF(AND(ISNUMBER({e}),ISNUMBER({cc})),{e}-{cc},"")', FMT_PCT)
            r += 1
            label(f"nnt_{_fmt_t(t)}", f"NNT at {fmt.fmt_landmark(t)} months", "patients",
                  "1 / |difference|, rounded up (NNH if the difference is negative)")
            for a in exps:
                d = ref(f"diff_{_fmt_t(t)}", cols[a.label])
                put_formula(cols[a.label],
                            f'=IF(ISNUMBER({d}),IF({d}=0,"",ROUNDUP(ROUND(1/ABS({d}),9),0)),"")', FMT_INT)
            r += 1

    # ESMO-MCBS (the program's grade, as text with the rule that fired)
    graded = [(a, comps.get((trial.name, ep.name, a.label))) for a in exps]
    if any(cmp is not None for _, cmp in graded):
        section("ESMO-MCBS (graded by the program on these inputs)")
        label("esmo_grade", "ESMO-MCBS grade", "")
        texts = {a.label: esmo_text(cmp) for a, cmp in graded}
        for a in exps:
            c = ws[f"{cols[a.label]}{r}"]
            set_text(c, texts[a.label][0])
            c.font, c.alignment = st.header, st.center
        r += 1
        label("esmo_rule", "Rule applied", "", "")
        rules = [(a.label, texts[a.label][1]) for a in exps if texts[a.label][1]]
        text = "\n".join(f"{lab}: {rule}" if len(exps) > 1 else rule for lab, rule in rules)
        c = ws.cell(r, note_col_idx)
        set_text(c, text)
        c.alignment = st.wrap
        ws.row_dimensions[r].height = 13 * min(_estimate_lines(text, 62), 16)
        r += 1
        # discrepancy flags the program raised, if any
        flags = []
        for a, cmp in graded:
            for m in _get(cmp, "input_errors", None) or []:
                flags.append(f"invalid input, left out of the program's numbers (the formulas "
                             f"above still use the cell as typed): {m}")
            for f in _get(cmp, "discrepancies", None) or _get(cmp, "flags", None) or []:
                msg = _get(f, "message", None) or _get(f, "reason", None) or str(f)
                reasons = _get(f, "reasons", None) or []
                if reasons:
                    msg += " — possible reasons: " + "; ".join(str(x) for x in reasons)
                flags.append(f"{a.label}: {msg}")
        if flags:
            label("checks", "Checks raised by the program")
            text = "\n".join(flags)
            c = ws.cell(r, note_col_idx)
            set_text(c, text)
            c.alignment = st.wrap
            c.font = st.note
            ws.row_dimensions[r].height = 12.5 * min(_estimate_lines(text, 70), 16)
            r += 1

    return BlockCells(trial.name, ep.name, first, r - 1, cols, rows), r


# ----------------------------------------------------------------------------- Curves

@dataclass
class CurveTable:
    trial: str
    endpoint: str
    arm: str
    kind: str                       # "Kaplan–Meier (patient-level data from file)" etc.
    time: list[float]
    survival: list[float]
    lower: list[float | None]
    upper: list[float | None]
    at_risk: list[int | None]
    events: list[int | None]
    censored: list[int | None]


def _f(x) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def curve_tables(project: Project) -> list[CurveTable]:
    """Per arm: the Kaplan–Meier table from patient-level data (core.survival), or the curve
    core.curves draws for it (labelled modelled when it is modelled). Arms with neither are left
    out."""
    try:
        from evidencegui.core import survival as surv
    except ImportError:
        surv = None
    try:
        from evidencegui.core import curves as crv
    except ImportError:
        crv = None
    ci = project.ci_method
    out: list[CurveTable] = []
    for t in project.trials:
        for e in t.endpoints:
            for a in ordered_arms(e):
                p = a.patients
                if p is not None and p.n and surv is not None:
                    import numpy as np
                    km = surv.kaplan_meier(np.asarray(p.time, float), np.asarray(p.event, int),
                                           ci_method=ci)
                    kind = ("Kaplan–Meier, reconstructed patient-level data (Guyot 2012)"
                            if p.origin == "reconstructed" else "Kaplan–Meier, patient-level data")
                    kind += f"; 95% CI {ci}"
                    out.append(CurveTable(
                        t.name, e.name, a.label, kind,
                        [0.0] + [float(x) for x in km.time],
                        [1.0] + [float(x) for x in km.survival],
                        [1.0] + [_f(x) for x in km.lower], [1.0] + [_f(x) for x in km.upper],
                        [int(p.n)] + [int(x) for x in km.n_risk],
                        [0] + [int(x) for x in km.n_event], [0] + [int(x) for x in km.n_censor]))
                elif crv is not None:
                    try:
                        cd = crv.arm_curve(a, ci)
                    except Exception:           # an arm the curve code cannot draw
                        cd = None
                    if cd is None or getattr(cd, "time", None) is None or len(cd.time) == 0:
                        continue
                    modelled = bool(getattr(cd, "modelled", False))
                    kind = "modelled from the reported results (not patient data)" if modelled \
                        else "curve"
                    n = len(cd.time)
                    lo = getattr(cd, "lower", None)
                    hi = getattr(cd, "upper", None)
                    ar = getattr(cd, "at_risk", None)
                    out.append(CurveTable(
                        t.name, e.name, a.label, kind,
                        [float(x) for x in cd.time], [float(x) for x in cd.survival],
                        [_f(x) for x in lo] if lo is not None else [None] * n,
                        [_f(x) for x in hi] if hi is not None else [None] * n,
                        [int(x) for x in ar] if ar is not None and len(ar) == n else [None] * n,
                        [None] * n, [None] * n))
    return out


def _curves_header(project: Project) -> list[str]:
    return ["Trial", "Endpoint", "Arm", "Curve", f"Time ({project.time_unit})", "Survival",
            "95% CI lower", "95% CI upper", "At risk", "Events", "Censored"]


def _write_curves_csv(project: Project, tables, path) -> int:
    import numpy as np
    import pandas as pd

    from evidencegui.io.safe_text import atomic_write_bytes as _write
    from evidencegui.io.safe_text import csv_safe
    parts = []
    for tb in tables:
        n = len(tb.time)
        z = np.zeros(n, int)
        cols = {"a": pd.Categorical.from_codes(z, [csv_safe(tb.trial)]),
                "b": pd.Categorical.from_codes(z, [csv_safe(tb.endpoint)]),
                "c": pd.Categorical.from_codes(z, [csv_safe(tb.arm)]),
                "d": pd.Categorical.from_codes(z, [csv_safe(tb.kind)])}
        for k, v in zip("efghijk", (tb.time, tb.survival, tb.lower, tb.upper, tb.at_risk,
                                    tb.events, tb.censored)):
            cols[k] = pd.array([None if x is None else x for x in v],
                               dtype="Float64" if k in "efgh" else "Int64")
        parts.append(pd.DataFrame(cols))
    df = pd.concat(parts, ignore_index=True)
    df.columns = _curves_header(project)
    _write(path, df.to_csv(index=False, lineterminator="\r\n")
           .encode("utf-8"))
    return len(df)


def _write_curves(ws, project: Project, st: _Styles, beside: Path | None = None,
                  extra: list | None = None) -> int:
    from openpyxl.utils import get_column_letter
    hdr = _curves_header(project)
    widths = [16, 10, 30, 44, 12, 10, 12, 12, 9, 8, 9]
    for i, (h, w) in enumerate(zip(hdr, widths), start=1):
        c = ws.cell(1, i, h)
        c.font, c.fill, c.border = st.header, st.header_fill, st.header_border
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    tables = curve_tables(project)
    n_rows = sum(len(tb.time) for tb in tables)
    if beside is not None and n_rows > MAX_ROWS_IN_WORKBOOK:
        csv_path = Path(beside).with_name(Path(beside).stem + ".curves.csv")
        _write_curves_csv(project, tables, csv_path)
        set_text(ws.cell(2, 1), f"{n_rows:,} rows of curve tables: written beside this workbook "
                                f"as {csv_path.name} (the columns of this sheet; SHA-256 in the "
                                "Provenance sheet).")
        if extra is not None:
            rec = prov.file_record(csv_path)
            extra.append(("Output file", csv_path.name,
                          f"curve tables ({n_rows:,} rows, the Curves sheet's columns) written "
                          f"beside the workbook: SHA-256 {rec.sha256}; {rec.size} bytes"))
        return n_rows
    r = 2
    for tb in tables:
        fixed = [tb.trial, tb.endpoint, tb.arm, tb.kind]
        for i in range(len(tb.time)):
            for ci, v in enumerate(fixed, start=1):
                set_text(ws.cell(r, ci), v)
            vals = (tb.time[i], tb.survival[i], tb.lower[i], tb.upper[i], tb.at_risk[i],
                    tb.events[i], tb.censored[i])
            for ci, (v, fmt) in enumerate(zip(vals, ("0.00", "0.0000", "0.0000", "0.0000",
                                                     FMT_INT, FMT_INT, FMT_INT)), start=5):
                if v is not None:
                    c = ws.cell(r, ci, v)
                    c.number_format = fmt
            r += 1
    if not tables:
        ws.cell(2, 1, "No curves: the project has no patient-level data and no curve could be drawn.")
    else:
        ws.auto_filter.ref = f"A1:K{r - 1}"
    return r - 2


# ----------------------------------------------------------------------------- Figure

def _write_figures(ws, project: Project, figures: Figures | None, st: _Styles) -> int:
    from openpyxl.drawing.image import Image
    c = ws.cell(1, 1, "Figures")
    c.font = st.title
    ws.column_dimensions["A"].width = 12
    if not figures:
        ws.cell(3, 1, "No figure was rendered for this export.")
        return 0
    order = [(t.name, e.name) for t in project.trials for e in t.endpoints]
    keys = [k for k in order if k in figures] + [k for k in figures if k not in order]
    r = 3
    n = 0
    for key in keys:
        png = figures[key]
        if not png:
            continue
        c = ws.cell(r, 1)
        set_text(c, f"{key[0]} — {key[1]}")
        c.font = st.header
        img = Image(io.BytesIO(png))
        w, h = img.width, img.height
        scale = min(1.0, 900.0 / w) if w else 1.0
        img.width, img.height = int(w * scale), int(h * scale)
        ws.add_image(img, f"A{r + 1}")
        r += 2 + math.ceil(img.height / 20.0) + 1     # default row height is 20 px
        n += 1
    return n


# ----------------------------------------------------------------------------- Patients

def _patient_header(project: Project) -> list[str]:
    return ["Trial", "Endpoint", "Arm", f"Time ({project.time_unit})",
            "Event (1 = event, 0 = censored)", "Origin", "Source"]


def patient_rows_count(project: Project) -> int:
    return sum(len(a.patients.time) for t in project.trials for e in t.endpoints for a in e.arms
               if a.patients is not None)


def _csv_cells(cells) -> str:
    """One CSV line (no line end) of text cells, neutralised against formula injection."""
    import csv

    from evidencegui.io.safe_text import csv_safe
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([csv_safe(c) for c in cells])
    return buf.getvalue()


def write_patients_csv(project: Project, path: str | os.PathLike) -> int:
    """Every patient as one CSV row (the Patients sheet's columns), written atomically; text
    neutralised against formula injection as in every CSV we write; times at full precision
    (repr). Returns the row count. The text of an arm is the same on each of its rows, so it is
    formatted once (a million rows in about a second)."""
    from evidencegui.io.safe_text import atomic_write_bytes as _write
    parts = [_csv_cells(_patient_header(project)), "\r\n"]
    n = 0
    for t in project.trials:
        for e in t.endpoints:
            for a in ordered_arms(e):
                p = a.patients
                if p is None or not len(p.time):
                    continue
                pre = _csv_cells([t.name, e.name, a.label]) + ","
                post = "," + _csv_cells([p.origin, p.source]) + "\r\n"
                ev = {0: "0", 1: "1"}
                parts.append("".join([f"{pre}{float(tm)!r},{ev[int(x)]}{post}"
                                      for tm, x in zip(p.time, p.event)]))
                n += len(p.time)
    _write(path, "".join(parts).encode("utf-8"))
    return n


def _write_patients_note(ws, project: Project, st: _Styles, csv_name: str, n: int) -> None:
    c = ws.cell(1, 1, "Patient-level data")
    c.font = st.title
    set_text(ws.cell(3, 1), f"{n:,} patients: more than this workbook holds quickly, so they are "
                            f"written beside it as {csv_name} (the columns of this sheet; see "
                            "the Provenance sheet for its SHA-256).")
    ws.column_dimensions["A"].width = 120


def _write_patients(ws, project: Project, st: _Styles, wb=None) -> int:
    """The Patients sheet; beyond SHEET_ROWS rows the data continue on "Patients (2)", …."""
    from openpyxl.utils import get_column_letter
    hdr = ["Trial", "Endpoint", "Arm", f"Time ({project.time_unit})", "Event (1 = event, 0 = censored)",
           "Origin", "Source"]
    widths = [16, 10, 30, 12, 16, 14, 40]
    for i, (h, w) in enumerate(zip(hdr, widths), start=1):
        c = ws.cell(1, i, h)
        c.font, c.fill, c.border = st.header, st.header_fill, st.header_border
        c.alignment = st.wrap
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    r = 2
    total = 0
    first = ws
    part = 1
    for t in project.trials:
        for e in t.endpoints:
            for a in ordered_arms(e):
                p = a.patients
                if p is None:
                    continue
                for tm, ev in zip(p.time, p.event):
                    if r > SHEET_ROWS + 1 and wb is not None:
                        ws.auto_filter.ref = f"A1:G{r - 1}"
                        total += r - 2
                        part += 1
                        ws = wb.create_sheet(f"Patients ({part})")
                        for i, h in enumerate(hdr, start=1):
                            ws.cell(1, i, h).font = st.header
                        r = 2
                    set_text(ws.cell(r, 1), t.name)
                    set_text(ws.cell(r, 2), e.name)
                    set_text(ws.cell(r, 3), a.label)
                    set_value(ws.cell(r, 4), float(tm))
                    ws.cell(r, 5, int(ev))
                    set_text(ws.cell(r, 6), p.origin)
                    set_text(ws.cell(r, 7), p.source)
                    r += 1
    if r == 2 and ws is first:
        ws.cell(2, 1, "The project has no patient-level data.")
    elif r > 2:
        ws.auto_filter.ref = f"A1:G{r - 1}"
    return total + r - 2


# ----------------------------------------------------------------------------- Provenance

def _write_provenance(ws, project: Project, input_files: Iterable, st: _Styles,
                      created: str | None, extra: Iterable = ()) -> None:
    pv = prov.collect(project, input_files, created=created)
    rows = list(pv.rows()) + list(extra)
    for i, (h, w) in enumerate(zip(("Section", "Item", "Details"), (14, 40, 110)), start=1):
        c = ws.cell(1, i, h)
        c.font, c.fill, c.border = st.header, st.header_fill, st.header_border
        ws.column_dimensions["ABC"[i - 1]].width = w
    ws.freeze_panes = "A2"
    r = 2
    for section, item, text in rows:
        ws.cell(r, 1, section).alignment = st.top
        set_text(ws.cell(r, 2), item).alignment = st.wrap
        c = set_text(ws.cell(r, 3), text)
        c.alignment = st.wrap
        lines = max(_estimate_lines(text, 110), _estimate_lines(item, 40))
        if lines > 1:
            ws.row_dimensions[r].height = 15 * min(lines, 20)
        r += 1
    ws.cell(r + 1, 1, "Input files are identified by their SHA-256; compare it to re-check them.").font = st.note


# ----------------------------------------------------------------------------- workbook

def _page_setup(ws, landscape: bool = True):
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def build_workbook(project: Project, figures: Figures | None = None, input_files: Iterable = (),
                   created: str | None = None, beside: Path | None = None):
    """The openpyxl Workbook (not saved). ``created`` overrides the date (for reproducible tests).
    ``beside``: the workbook's path; with more than MAX_ROWS_IN_WORKBOOK patients their rows are
    written as CSV next to it (noted in the Patients and Provenance sheets), else split across
    sheets."""
    from openpyxl import Workbook

    from evidencegui.io.across_table import split_figures
    figures, across_figures = split_figures(figures)     # forest plots and overlay: own sheets
    st = _Styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "Comparison"
    comps = comparisons_by_arm(project)
    blocks = _write_comparison(ws, project, comps, st)
    _page_setup(ws)
    ws.print_title_rows = "1:2"
    wc = wb.create_sheet("Curves")
    extra: list = []
    _write_curves(wc, project, st, beside, extra)
    _page_setup(wc)
    wc.print_title_rows = "1:1"
    wf = wb.create_sheet("Figure")
    _write_figures(wf, project, figures, st)
    _page_setup(wf)
    from evidencegui.io.xlsx_across import add_across_sheets
    add_across_sheets(wb, project, across_figures, st)    # "Across trials", "Forest" (2+ trials)
    wp = wb.create_sheet("Patients")
    n_pat = patient_rows_count(project)
    if beside is not None and n_pat > MAX_ROWS_IN_WORKBOOK:
        csv_path = Path(beside).with_name(Path(beside).stem + ".patients.csv")
        write_patients_csv(project, csv_path)
        _write_patients_note(wp, project, st, csv_path.name, n_pat)
        rec = prov.file_record(csv_path)
        extra.append(("Output file", csv_path.name,
                      f"patient-level data ({n_pat:,} rows, the Patients sheet's columns) written "
                      f"beside the workbook: SHA-256 {rec.sha256}; {rec.size} bytes"))
    else:
        _write_patients(wp, project, st, wb)
    _page_setup(wp, landscape=False)
    wp.print_title_rows = "1:1"
    wv = wb.create_sheet("Provenance")
    _write_provenance(wv, project, input_files, st, created, extra)
    _page_setup(wv)
    wb.properties.creator = f"{prov.PROGRAM} {prov.__version__}"
    wb.properties.title = (project.title or "Comparison of trial arms")[:200]
    wb._evidencegui_blocks = blocks   # for tests and callers that want the cell map
    return wb


def workbook_bytes(project: Project, figures: Figures | None = None, input_files: Iterable = (),
                   created: str | None = None) -> bytes:
    wb = build_workbook(project, figures, input_files, created)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_workbook(project: Project, path: str | os.PathLike, figures: Figures | None = None,
                   input_files: Iterable = (), created: str | None = None) -> Path:
    """Write the comparison workbook to ``path`` (atomically: temporary file, then rename)."""
    wb = build_workbook(project, figures, input_files, created, beside=Path(path))
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(path, buf.getvalue())
