"""The workbook's Comparison sheet: one block per trial × endpoint with the reported inputs in
blue cells, the derived measures as live formulas on those cells, and the program's ESMO-MCBS
grade with the rule that fired and the checks it raised.

A block is written in named stages, top to bottom (see _write_block); each stage writes one
section of rows through a _Block, which keeps the current row and where each measure went.
Every string the user typed goes through safe_text (stored as text, never as a formula).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

from evidencegui.core.model import Arm, Endpoint, Project, Trial
from evidencegui.io import format as fmt
from evidencegui.io.safe_text import set_text
from evidencegui.io.xlsx_common import (FMT_GAIN, FMT_HR, FMT_INT, FMT_MONTHS, FMT_P, FMT_PCT,
                                        FMT_PCT0, FMT_RATIO, FMT_SE, Z975, Styles, estimate_lines,
                                        formula_cell, header_style, input_cell, ordered_arms)

NOT_REACHED = fmt.NOT_REACHED


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


def _fmt_t(t: float) -> str:
    """A landmark time inside a row key (surv_24); labels people read use io.format."""
    return f"{t:g}"


# ----------------------------------------------------------------------------- the sheet

@dataclass
class BlockCells:
    """Where one trial/endpoint block put its cells (for tests and for the slides)."""
    trial: str
    endpoint: str
    first_row: int
    last_row: int
    arm_columns: dict[str, str]          # arm label -> column letter
    rows: dict[str, int]                 # measure key -> row number


def write_comparison(ws, project: Project, comps: dict, st: Styles) -> list[BlockCells]:
    """The Comparison sheet: column widths, title, then one block per trial × endpoint.
    comps: comparisons_by_arm(project)."""
    blocks_list = [(t, e) for t in project.trials for e in t.endpoints]
    note_col_idx, arm_width = _set_columns(ws, blocks_list)
    _sheet_title(ws, project, st)
    out: list[BlockCells] = []
    r = 4
    if not blocks_list:
        ws.cell(r, 1).value = "The project has no trials."
        return out
    for trial, ep in blocks_list:
        bc, r = _write_block(ws, r, trial, ep, comps, st, note_col_idx, arm_width)
        out.append(bc)
        r += 2
    return out


def _set_columns(ws, blocks_list: list[tuple[Trial, Endpoint]]) -> tuple[int, float]:
    """Widths: measure, unit, one column per arm (wide enough for the longest label, within
    limits), the note. Returns the note column's index and the arm columns' width."""
    from openpyxl.utils import get_column_letter

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
    return note_col_idx, arm_width


def _sheet_title(ws, project: Project, st: Styles) -> None:
    c = ws.cell(1, 1)
    set_text(c, "Comparison of trial arms" + (f": {project.title}" if project.title else ""))
    c.font = st.title
    c = ws.cell(2, 1)
    c.value = ("Blue cells: reported inputs (blank = not reported). Black cells: live formulas on "
               "those inputs; edit an input and they recompute. Times in "
               f"{project.time_unit}; survival as a percentage.")
    c.font = st.subtitle
    ws.freeze_panes = "C3"


# ----------------------------------------------------------------------------- one block

@dataclass
class _Block:
    """The block being written: its arms and their columns, the current row ``r``, and the row
    of each measure written so far (the formulas refer to them)."""
    ws: Any
    st: Styles
    trial: Trial
    ep: Endpoint
    r: int
    note_col: int
    arm_width: float
    arms: list[Arm] = field(init=False)
    exps: list[Arm] = field(init=False)              # every arm but the control
    cols: dict[str, str] = field(init=False)         # arm label -> column letter
    ccol: str | None = field(init=False)             # the control's column
    landmarks: list[float] = field(init=False)
    rows: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        from openpyxl.utils import get_column_letter

        self.arms = ordered_arms(self.ep)
        ctl = self.ep.control
        self.exps = [a for a in self.arms if a is not ctl]
        self.cols = {a.label: get_column_letter(3 + i) for i, a in enumerate(self.arms)}
        self.ccol = self.cols.get(ctl.label) if ctl is not None else None
        self.landmarks = landmark_times(self.ep)

    def section(self, title: str) -> None:
        c = self.ws.cell(self.r, 1, title)
        c.font = self.st.section
        self.r += 1

    def label(self, key: str, text: str, unit: str = "", note: str = "") -> None:
        """Column A's label, B's unit and the note of the current row, remembered as ``key``."""
        ws, st, r = self.ws, self.st, self.r
        ws.cell(r, 1, text).alignment = st.top
        if unit:
            c = ws.cell(r, 2, unit)
            c.font, c.alignment = st.note, st.top
        if note:
            c = ws.cell(r, self.note_col, note)
            c.font, c.alignment = st.note, st.wrap
            lines = estimate_lines(note, 70)       # the 62-wide note column holds ~70 small glyphs
            if lines > 1:
                ws.row_dimensions[r].height = 12.5 * lines
        self.rows[key] = r

    def put_input(self, col: str, value: Any, number_format: str | None = None):
        c = input_cell(self.ws[f"{col}{self.r}"], value, self.st, number_format)
        c.alignment = self.st.right if c.data_type == "s" else self.st.top
        return c

    def put_formula(self, col: str, formula: str, number_format: str):
        c = formula_cell(self.ws[f"{col}{self.r}"], formula, number_format, self.st)
        c.alignment = self.st.top
        return c

    def ref(self, key: str, col: str) -> str:
        """The cell of measure ``key`` in column ``col`` (for a formula)."""
        return f"{col}{self.rows[key]}"

    def input_row(self, key: str, text: str, unit: str, value_of: Callable[[Arm], Any],
                  number_format: str | None = None, note: str = "") -> None:
        """A row of reported inputs: value_of(arm) in each arm's column."""
        self.label(key, text, unit, note)
        for a in self.arms:
            self.put_input(self.cols[a.label], value_of(a), number_format)
        self.r += 1

    def formula_row(self, key: str, text: str, unit: str, note: str,
                    formula_of: Callable[[Arm], str], number_format: str) -> None:
        """A row of live formulas: formula_of(arm) in each experimental arm's column."""
        self.label(key, text, unit, note)
        for a in self.exps:
            self.put_formula(self.cols[a.label], formula_of(a), number_format)
        self.r += 1


def _write_block(ws, r: int, trial: Trial, ep: Endpoint, comps: dict, st: Styles,
                 note_col_idx: int, arm_width: float) -> tuple[BlockCells, int]:
    """One trial × endpoint from row r; returns where its cells went and the next free row."""
    b = _Block(ws, st, trial, ep, r, note_col_idx, arm_width)
    first = r
    _block_title(b)
    _block_header(b)

    b.section("Reported inputs")
    _inputs_counts(b)
    _inputs_medians(b)
    _inputs_hazard_ratio(b)
    _inputs_landmarks(b)
    _inputs_response(b)
    _inputs_sources(b)

    if b.ccol is not None and b.exps:
        b.section("Derived (live formulas; each experimental arm vs the control)")
        _derived_medians(b)
        _derived_hazard(b)
        _derived_landmarks(b)

    # ESMO-MCBS (the program's grade, as text with the rule that fired)
    graded = [(a, comps.get((trial.name, ep.name, a.label))) for a in b.exps]
    if any(cmp is not None for _, cmp in graded):
        b.section("ESMO-MCBS (graded by the program on these inputs)")
        _esmo_grade(b, graded)
        _program_checks(b, graded)

    return BlockCells(trial.name, ep.name, first, b.r - 1, b.cols, b.rows), b.r


# ----------------------------------------------------------------------------- stages: heading

def _block_title(b: _Block) -> None:
    """The coloured title bar (trial — endpoint) and a note line on the setting and source."""
    ws, st, trial, ep = b.ws, b.st, b.trial, b.ep
    for ci in range(1, b.note_col + 1):
        ws.cell(b.r, ci).fill = st.block_fill
    c = ws.cell(b.r, 1)
    set_text(c, f"{trial.name} — {ep.name}" + (" (primary endpoint)" if ep.primary else ""))
    c.font = st.block
    b.r += 1
    info = [f"setting: {trial.setting}"]
    if trial.single_arm:
        info.append("single-arm study")
    if trial.source:
        info.append(f"source: {trial.source}")
    c = ws.cell(b.r, 1)
    set_text(c, "; ".join(info))
    c.font = st.note
    b.r += 1


def _block_header(b: _Block) -> None:
    """Measure, Unit, one column per arm (control first), the note column; tall enough for the
    longest arm label."""
    ws, st, r = b.ws, b.st, b.r
    hdr = ["Measure", "Unit"] + [a.label for a in b.arms]
    for ci, h in enumerate(hdr, start=1):
        c = ws.cell(r, ci)
        set_text(c, h)
        header_style(c, st)
        c.alignment = st.center if ci > 2 else st.top
    header_style(ws.cell(r, b.note_col, "How it is computed / note"), st)
    longest = max((len(a.label) for a in b.arms), default=10)
    ws.row_dimensions[r].height = 15 * max(1, math.ceil(longest * 1.1 / b.arm_width))
    b.rows["header"] = r
    b.r += 1


# ----------------------------------------------------------------------------- stages: reported inputs

def _inputs_counts(b: _Block) -> None:
    b.input_row("role", "Role", "", lambda a: a.role)
    b.input_row("n", "Patients (n)", "patients", lambda a: a.n, FMT_INT)
    b.input_row("events", "Events", "events", lambda a: a.events, FMT_INT)


def _inputs_medians(b: _Block) -> None:
    """The median ('not reached' as text) and its 95% CI (an upper limit not reached as text
    when only the lower one is given)."""
    b.input_row("median", "Median", "months",
                lambda a: NOT_REACHED if a.median_not_reached and a.median is None else a.median,
                FMT_MONTHS, "'not reached' when the median was not reached")
    b.input_row("median_lower", "Median, 95% CI lower", "months", lambda a: a.median_lower, FMT_MONTHS)
    b.input_row("median_upper", "Median, 95% CI upper", "months",
                lambda a: NOT_REACHED if a.median_upper is None and a.median_lower is not None
                else a.median_upper, FMT_MONTHS)


def _inputs_hazard_ratio(b: _Block) -> None:
    """The reported HR, its 95% CI and p; the note names the arms whose HR is stratified."""
    b.input_row("hr", "Hazard ratio vs control", "ratio", lambda a: a.hr, FMT_HR,
                "reported; experimental arm vs control")
    b.input_row("hr_lower", "HR, 95% CI lower", "ratio", lambda a: a.hr_lower, FMT_HR)
    b.input_row("hr_upper", "HR, 95% CI upper", "ratio", lambda a: a.hr_upper, FMT_HR)
    strat = [a.label for a in b.arms if a.hr_stratified]
    b.label("p", "p-value", "")
    if strat:
        set_text(b.ws.cell(b.r, b.note_col), "stratified HR: " + ", ".join(strat)).font = b.st.note
    for a in b.arms:
        b.put_input(b.cols[a.label], a.p_value, FMT_P)
    b.r += 1


def _inputs_landmarks(b: _Block) -> None:
    """Survival at each landmark time of the endpoint; its 95% CI rows when any arm gives one."""
    for t in b.landmarks:
        b.input_row(f"surv_{_fmt_t(t)}", f"Survival at {fmt.fmt_landmark(t)} months", "%",
                    lambda a: None if (lm := a.landmark_at(t)) is None else lm.survival, FMT_PCT)
        if any((lm := a.landmark_at(t)) is not None and (lm.lower is not None or lm.upper is not None)
               for a in b.arms):
            for bound in ("lower", "upper"):
                b.input_row(f"surv_{_fmt_t(t)}_{bound}",
                            f"Survival at {fmt.fmt_landmark(t)} months, 95% CI {bound}", "%",
                            lambda a: None if (lm := a.landmark_at(t)) is None else getattr(lm, bound),
                            FMT_PCT)


def _inputs_response(b: _Block) -> None:
    """Objective response rate and duration of response, when any arm reports them."""
    if any(a.orr is not None for a in b.arms):
        b.input_row("orr", "Objective response rate", "%", lambda a: a.orr, FMT_PCT)
    if any(a.dor is not None for a in b.arms):
        b.input_row("dor", "Duration of response (median)", "months", lambda a: a.dor, FMT_MONTHS)


def _inputs_sources(b: _Block) -> None:
    """Each arm's source as wrapped small text, the row tall enough for the longest (≤ 8 lines)."""
    if not any(a.source for a in b.arms):
        return
    ws, st = b.ws, b.st
    b.label("source", "Source")
    height = 1
    for a in b.arms:
        c = ws[f"{b.cols[a.label]}{b.r}"]
        set_text(c, a.source)
        c.font, c.alignment = st.note, st.wrap
        height = max(height, estimate_lines(a.source, b.arm_width))
    ws.row_dimensions[b.r].height = 12.5 * min(height, 8)
    b.r += 1


# ----------------------------------------------------------------------------- stages: derived (formulas)

def _derived_medians(b: _Block) -> None:
    """Median gain, the gain estimated from the HR when the median is not reached, and the
    ratio of medians."""
    ccol, ref = b.ccol, b.ref

    def gain(a: Arm) -> str:
        e, cc = ref("median", b.cols[a.label]), ref("median", ccol)
        return f'=IF(AND(ISNUMBER({e}),ISNUMBER({cc})),{e}-{cc},"")'

    def gain_est(a: Arm) -> str:
        e, cc, h = ref("median", b.cols[a.label]), ref("median", ccol), ref("hr", b.cols[a.label])
        return f'=IF(AND({e}="{NOT_REACHED}",ISNUMBER({cc}),ISNUMBER({h})),{cc}/{h}-{cc},"")'

    def ratio(a: Arm) -> str:
        e, cc = ref("median", b.cols[a.label]), ref("median", ccol)
        return f'=IF(AND(ISNUMBER({e}),ISNUMBER({cc})),{e}/{cc},"")'

    b.formula_row("gain", "Median gain", "months", "experimental median − control median",
                  gain, FMT_GAIN)
    b.formula_row("gain_est", "Median gain, estimated from the HR", "months",
                  "only when the experimental median is not reached: control median / HR − control "
                  "median (proportional, exponential hazards); an estimate", gain_est, FMT_GAIN)
    b.formula_row("ratio", "Ratio of medians", "×", "experimental median / control median",
                  ratio, FMT_RATIO)


def _derived_hazard(b: _Block) -> None:
    """1 − HR, and the SE of log HR from the 95% CI and from the p-value (a check on the CI)."""
    ref = b.ref

    def rel_red(a: Arm) -> str:
        h = ref("hr", b.cols[a.label])
        return f'=IF(ISNUMBER({h}),1-{h},"")'

    def se_from_ci(a: Arm) -> str:
        lo, hi = ref("hr_lower", b.cols[a.label]), ref("hr_upper", b.cols[a.label])
        return f'=IF(AND(ISNUMBER({lo}),ISNUMBER({hi})),(LN({hi})-LN({lo}))/(2*{Z975}),"")'

    def se_from_p(a: Arm) -> str:
        h, p = ref("hr", b.cols[a.label]), ref("p", b.cols[a.label])
        return (f'=IF(AND(ISNUMBER({h}),ISNUMBER({p})),IF(AND({p}>0,{p}<1,{h}<>1),'
                f'ABS(LN({h}))/NORMSINV(1-{p}/2),""),"")')

    b.formula_row("rel_red", "Relative reduction in hazard", "%", "1 − HR", rel_red, FMT_PCT0)
    b.formula_row("hr_se", "SE of log HR, from the 95% CI", "log scale",
                  "(ln upper − ln lower) / (2 × 1.959964)", se_from_ci, FMT_SE)
    b.formula_row("hr_se_p", "SE of log HR, from the p-value", "log scale",
                  "|ln HR| / z(1 − p/2); a check on the reported CI", se_from_p, FMT_SE)


def _derived_landmarks(b: _Block) -> None:
    """At each landmark time: the survival difference and the NNT (NNH when negative)."""
    ref = b.ref
    for t in b.landmarks:
        k, d_key = f"surv_{_fmt_t(t)}", f"diff_{_fmt_t(t)}"

        def diff(a: Arm, k=k) -> str:
            e, cc = ref(k, b.cols[a.label]), ref(k, b.ccol)
            return f'=IF(AND(ISNUMBER({e}),ISNUMBER({cc})),{e}-{cc},"")'

        def nnt(a: Arm, d_key=d_key) -> str:
            d = ref(d_key, b.cols[a.label])
            return f'=IF(ISNUMBER({d}),IF({d}=0,"",ROUNDUP(ROUND(1/ABS({d}),9),0)),"")'

        b.formula_row(d_key, f"Survival difference at {fmt.fmt_landmark(t)} months", "% points",
                      "experimental − control", diff, FMT_PCT)
        b.formula_row(f"nnt_{_fmt_t(t)}", f"NNT at {fmt.fmt_landmark(t)} months", "patients",
                      "1 / |difference|, rounded up (NNH if the difference is negative)", nnt, FMT_INT)


# ----------------------------------------------------------------------------- stages: ESMO-MCBS and checks

def _esmo_grade(b: _Block, graded: list[tuple[Arm, Any]]) -> None:
    """Each experimental arm's grade, then the rule that fired (per arm when there are several)."""
    ws, st = b.ws, b.st
    b.label("esmo_grade", "ESMO-MCBS grade", "")
    texts = {a.label: esmo_text(cmp) for a, cmp in graded}
    for a in b.exps:
        c = ws[f"{b.cols[a.label]}{b.r}"]
        set_text(c, texts[a.label][0])
        c.font, c.alignment = st.header, st.center
    b.r += 1
    b.label("esmo_rule", "Rule applied", "", "")
    rules = [(a.label, texts[a.label][1]) for a in b.exps if texts[a.label][1]]
    text = "\n".join(f"{lab}: {rule}" if len(b.exps) > 1 else rule for lab, rule in rules)
    c = ws.cell(b.r, b.note_col)
    set_text(c, text)
    c.alignment = st.wrap
    ws.row_dimensions[b.r].height = 13 * min(estimate_lines(text, 62), 16)
    b.r += 1


def _program_checks(b: _Block, graded: list[tuple[Arm, Any]]) -> None:
    """The invalid inputs and discrepancies the program raised, if any, in the note column."""
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
    if not flags:
        return
    b.label("checks", "Checks raised by the program")
    text = "\n".join(flags)
    c = b.ws.cell(b.r, b.note_col)
    set_text(c, text)
    c.alignment = b.st.wrap
    c.font = b.st.note
    b.ws.row_dimensions[b.r].height = 12.5 * min(estimate_lines(text, 70), 16)
    b.r += 1
