"""Workbook sheets of the across-trials work, added by io/xlsx_writer.py for projects with two or
more trials.

"Across trials": one row per trial × endpoint × experimental arm with the reported inputs (blue)
and live formulas (median gain, SE of log HR from the 95% CI, 1 − HR), then the Bucher indirect
comparisons as formulas on those cells, with the transitivity caveat.
"Forest": per endpoint with two or more trials, the studies with live formulas for log HR, SE,
inverse-variance weights and the fixed-effect estimate, Q, its p and I²; the random-effects
results (REML or DL, by core.pooling) written as numbers with the method named; the forest figure
beside them (PNG handed in by the ui or cli layer).
Text the user typed goes through safe_text (never a formula). openpyxl imported by the caller.
"""
from __future__ import annotations

import io
import math

from evidencegui.io import format as fmt
from evidencegui.io.across_table import FOREST_KEY
from evidencegui.io.safe_text import set_text, set_value
from evidencegui.io.xlsx_common import (FMT_GAIN, FMT_HR, FMT_P, Z975, estimate_lines, formula_cell,
                                        header_style, input_cell)

FMT_SE4 = "0.0000"        # SE of log HR: four decimals here (three on the Comparison sheet)
FMT_W = "0.0%"
FMT_Q = "0.000"
ACROSS_COLUMNS = (("Trial", 16), ("Endpoint", 9), ("Arm", 30), ("Control", 30), ("n, arm", 8),
                  ("n, control", 9), ("Median, arm", 11), ("Median, control", 11),
                  ("Median gain", 10), ("HR", 7), ("HR lower 95%", 9), ("HR upper 95%", 9),
                  ("SE of log HR (from the CI)", 12), ("1 − HR", 8), ("ESMO-MCBS", 12), ("Source", 40))


def add_across_sheets(wb, project, figures: dict | None, st) -> list[str]:
    """Add the "Across trials" and "Forest" sheets (only for two or more trials); returns the
    names of the sheets added."""
    if len(project.trials) < 2:
        return []
    figures = figures or {}
    ws = wb.create_sheet("Across trials")
    where = _write_across(ws, project, st)
    _write_indirect(ws, project, where, st)
    wf = wb.create_sheet("Forest")
    _write_forest(wf, project, figures, st)
    for sheet in (ws, wf):
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return [ws.title, wf.title]


def _fit_row(ws, r: int, texts: dict[int, str], widths: dict[int, float]) -> None:
    """Row height for the wrapped texts of row r (column index → text)."""
    n = max((estimate_lines(t, widths[j]) for j, t in texts.items() if t), default=1)
    if n > 1:
        ws.row_dimensions[r].height = 13 * min(n, 12)


def _header(ws, r: int, names, st) -> None:
    for j, name in enumerate(names, start=1):
        header_style(ws.cell(r, j, name), st).alignment = st.wrap


# ----------------------------------------------------------------------------- Across trials

def _write_across(ws, project, st) -> dict[tuple[str, str, str], int]:
    """The table; returns the row of each (trial, endpoint, arm)."""
    from openpyxl.utils import get_column_letter

    from evidencegui.core.across import trial_rows
    c = ws.cell(1, 1, "Across trials")
    c.font = st.title
    ws.cell(2, 1).value = ("Blue cells: reported inputs. Black cells: live formulas. Times in "
                           f"{project.time_unit}; SE of log HR = (ln upper − ln lower) / (2 × 1.96).")
    ws.cell(2, 1).font = st.subtitle
    for j, (_, w) in enumerate(ACROSS_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    _header(ws, 4, [h for h, _ in ACROSS_COLUMNS], st)
    ws.row_dimensions[4].height = 30
    ws.freeze_panes = "B5"
    where = {}
    r = 5
    for row in trial_rows(project):
        for j, text in enumerate((row.trial, row.endpoint, row.arm, row.control), start=1):
            set_text(ws.cell(r, j), text).alignment = st.top
        input_cell(ws.cell(r, 5), row.n_arm, st, "0")
        input_cell(ws.cell(r, 6), row.n_control, st, "0")
        input_cell(ws.cell(r, 7), "not reached" if row.median_arm_not_reached else row.median_arm, st, "0.0")
        input_cell(ws.cell(r, 8), "not reached" if row.median_control_not_reached else row.median_control,
               st, "0.0")
        if row.median_gain is not None:
            formula_cell(ws.cell(r, 9), f"=G{r}-H{r}", FMT_GAIN, st)
        ci = row.hr_ci or (None, None)
        input_cell(ws.cell(r, 10), row.hr, st, FMT_HR)
        input_cell(ws.cell(r, 11), ci[0], st, FMT_HR)
        input_cell(ws.cell(r, 12), ci[1], st, FMT_HR)
        if row.hr is not None and ci[0] is not None and ci[1] is not None:
            formula_cell(ws.cell(r, 13), f"=(LN(L{r})-LN(K{r}))/(2*{Z975})", FMT_SE4, st)
        if row.hr is not None:
            formula_cell(ws.cell(r, 14), f"=1-J{r}", "0%", st)
        set_text(ws.cell(r, 15), row.esmo_grade or "not graded").alignment = st.top
        set_text(ws.cell(r, 16), row.source).alignment = st.wrap
        for j in range(5, 15):
            ws.cell(r, j).alignment = st.top
        _fit_row(ws, r, {3: row.arm, 4: row.control, 16: row.source},
                 {j: w for j, (_, w) in enumerate(ACROSS_COLUMNS, start=1)})
        where[(row.trial, row.endpoint, row.arm)] = r
        r += 1
    if r == 5:
        ws.cell(5, 1).value = "No experimental arm with results."
    ws._across_last_row = r - 1
    return where


INDIRECT_COLUMNS = ("Endpoint", "Trial A", "Arm A", "Trial B", "Arm B", "Shared comparator",
                    "HR A vs comparator", "SE A", "HR B vs comparator", "SE B",
                    "HR A vs B", "Lower 95%", "Upper 95%", "SE of log HR", "p (two-sided)", "Rule")


def _write_indirect(ws, project, where: dict, st) -> int:
    """Bucher adjusted indirect comparisons: formulas on the table's HR and SE cells."""
    from evidencegui.core.across import TRANSITIVITY_CAVEAT, indirect_comparisons
    r = getattr(ws, "_across_last_row", 5) + 3
    c = ws.cell(r, 1, "Indirect comparisons (Bucher et al. 1997): HR A vs B = HR A / HR B; "
                      "SE = √(SE A² + SE B²) on the log scale")
    c.font = st.section
    r += 1
    note = ws.cell(r, 1)
    set_text(note, TRANSITIVITY_CAVEAT)
    note.font = st.note
    r += 1
    _header(ws, r, INDIRECT_COLUMNS, st)
    ws.row_dimensions[r].height = 30
    r += 1
    n = 0
    for ic in indirect_comparisons(project):
        ra = where.get((ic.trial_a, ic.endpoint, ic.arm_a))
        rb = where.get((ic.trial_b, ic.endpoint, ic.arm_b))
        if ra is None or rb is None:
            continue
        texts = (ic.endpoint, ic.trial_a, ic.arm_a, ic.trial_b, ic.arm_b, ic.comparator)
        for j, text in enumerate(texts, start=1):
            set_text(ws.cell(r, j), text).alignment = st.wrap
        formula_cell(ws.cell(r, 7), f"=J{ra}", FMT_HR, st)
        formula_cell(ws.cell(r, 8), f"=M{ra}", FMT_SE4, st)
        formula_cell(ws.cell(r, 9), f"=J{rb}", FMT_HR, st)
        formula_cell(ws.cell(r, 10), f"=M{rb}", FMT_SE4, st)
        formula_cell(ws.cell(r, 11), f"=EXP(LN(G{r})-LN(I{r}))", FMT_HR, st)
        formula_cell(ws.cell(r, 12), f"=EXP(LN(K{r})-{Z975}*N{r})", FMT_HR, st)
        formula_cell(ws.cell(r, 13), f"=EXP(LN(K{r})+{Z975}*N{r})", FMT_HR, st)
        formula_cell(ws.cell(r, 14), f"=SQRT(H{r}^2+J{r}^2)", FMT_SE4, st)
        formula_cell(ws.cell(r, 15), f"=2*NORMSDIST(-ABS(LN(K{r})/N{r}))", FMT_P, st)
        set_text(ws.cell(r, 16), ic.rule).alignment = st.wrap
        for j in range(7, 16):
            ws.cell(r, j).alignment = st.top
        widths = {j: w for j, (_, w) in enumerate(ACROSS_COLUMNS, start=1)}
        _fit_row(ws, r, {**{j: t for j, t in enumerate(texts, start=1)}, 16: ic.rule}, widths)
        r += 1
        n += 1
    if n == 0:
        ws.cell(r, 1).value = ("None: two trials need the same endpoint and the same control (or a "
                               "control that names the other as its comparator).")
        ws.cell(r, 1).font = st.note
    return n


# ----------------------------------------------------------------------------- Forest

FOREST_COLUMNS = (("Study", 38), ("HR", 8), ("Lower 95%", 9), ("Upper 95%", 9), ("log HR", 9),
                  ("SE of log HR", 10), ("Inverse-variance weight 1/SE²", 13), ("Weight, fixed", 9),
                  ("weight × log HR", 11), ("Weight, random (number)", 11), ("Group", 14))


def _write_forest(ws, project, figures: dict, st) -> int:
    from openpyxl.utils import get_column_letter

    from evidencegui.core.across import endpoint_names, forest_studies
    from evidencegui.core.pooling import pool
    c = ws.cell(1, 1, "Forest plots: pooled hazard ratios")
    c.font = st.title
    ws.cell(2, 1).value = ("Fixed effect (inverse variance) as live formulas on the blue inputs; "
                           "random effects computed by EvidenceGUI and written as numbers.")
    ws.cell(2, 1).font = st.subtitle
    for j, (_, w) in enumerate(FOREST_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    r = 4
    blocks = 0
    for ep in endpoint_names(project):
        studies, left_out = forest_studies(project, ep)
        if len(studies) < 2:
            continue
        result = pool(studies, "REML")
        r = _forest_block(ws, r, ep, result, left_out, figures.get((FOREST_KEY, ep)), st) + 2
        blocks += 1
    if blocks == 0:
        ws.cell(r, 1).value = "No endpoint has two or more trials with a hazard ratio and its 95% CI."
    return blocks


def _forest_block(ws, r: int, endpoint: str, result, left_out: list[str], png: bytes | None, st) -> int:
    top = r
    c = ws.cell(r, 1)
    set_text(c, f"{endpoint}: {len(result.studies)} trials")
    c.font, c.fill = st.block, st.block_fill
    for j in range(2, len(FOREST_COLUMNS) + 1):
        ws.cell(r, j).fill = st.block_fill
    r += 1
    _header(ws, r, [h for h, _ in FOREST_COLUMNS], st)
    ws.row_dimensions[r].height = 42
    r += 1
    first = r
    for wsd in result.studies:
        s = wsd.study
        lo, hi = s.ci()
        set_text(ws.cell(r, 1), s.name)
        input_cell(ws.cell(r, 2), s.hr, st, FMT_HR)
        input_cell(ws.cell(r, 3), lo, st, FMT_HR)
        input_cell(ws.cell(r, 4), hi, st, FMT_HR)
        formula_cell(ws.cell(r, 5), f"=LN(B{r})", FMT_SE4, st)
        formula_cell(ws.cell(r, 6), f"=(LN(D{r})-LN(C{r}))/(2*{Z975})", FMT_SE4, st)
        formula_cell(ws.cell(r, 7), f"=1/F{r}^2", "0.00", st)
        r += 1
    last = r - 1
    for k in range(first, last + 1):
        formula_cell(ws.cell(k, 8), f"=G{k}/SUM(G${first}:G${last})", FMT_W, st)
        formula_cell(ws.cell(k, 9), f"=G{k}*E{k}", FMT_SE4, st)
        set_value(ws.cell(k, 10), result.studies[k - first].weight_random).number_format = FMT_W
        set_text(ws.cell(k, 11), result.studies[k - first].study.group or "")
    r += 1
    rows = {}

    def line(key: str, text: str, value, fmt: str, formula: bool = True, note: str = ""):
        nonlocal r
        ws.cell(r, 1).value = text
        if formula:
            formula_cell(ws.cell(r, 2), value, fmt, st)
        else:
            set_value(ws.cell(r, 2), value)
            ws.cell(r, 2).number_format = fmt
        if note:
            n = ws.cell(r, 3)
            set_text(n, note)
            n.font = st.note
        rows[key] = r
        r += 1

    g, e, i = f"G{first}:G{last}", f"E{first}:E{last}", f"I{first}:I{last}"
    ws.cell(r, 1, "Fixed effect (inverse variance), live formulas").font = st.section
    r += 1
    line("log", "log HR", f"=SUM({i})/SUM({g})", FMT_SE4)
    line("se", "SE of log HR", f"=1/SQRT(SUM({g}))", FMT_SE4)
    line("hr", "HR", f"=EXP(B{rows['log']})", FMT_HR)
    line("lo", "Lower 95%", f"=EXP(B{rows['log']}-{Z975}*B{rows['se']})", FMT_HR)
    line("hi", "Upper 95%", f"=EXP(B{rows['log']}+{Z975}*B{rows['se']})", FMT_HR)
    line("p", "p (two-sided)", f"=2*NORMSDIST(-ABS(B{rows['log']}/B{rows['se']}))", FMT_P)
    line("q", "Cochran's Q", f"=SUMPRODUCT({g},({e}-B{rows['log']})^2)", FMT_Q)
    line("df", "df", f"=COUNT({e})-1", "0")
    line("qp", "p of Q", f"=CHIDIST(B{rows['q']},B{rows['df']})", FMT_P)
    line("i2", "I²", f"=IF(B{rows['q']}>0,MAX(0,(B{rows['q']}-B{rows['df']})/B{rows['q']}),0)", "0%",
         note=fmt.heterogeneity_caution(result.heterogeneity.i2))
    rnd = result.random
    r += 1
    ws.cell(r, 1, f"Random effects ({rnd.method}), computed by EvidenceGUI (numbers)").font = st.section
    r += 1
    method = ("REML: restricted maximum likelihood" if rnd.method == "REML"
              else "DL: DerSimonian–Laird")
    line("tau2", "τ² (between-trial variance)", rnd.tau2, "0.0000", False, method)
    line("rhr", "HR", rnd.hr, FMT_HR, False)
    line("rlo", "Lower 95%", rnd.hr_ci[0], FMT_HR, False)
    line("rhi", "Upper 95%", rnd.hr_ci[1], FMT_HR, False)
    line("rp", "p (two-sided)", rnd.p, FMT_P, False)
    if rnd.hksj_ci is not None:
        line("hk_lo", "Hartung–Knapp–Sidik–Jonkman lower 95%", rnd.hksj_ci[0], FMT_HR, False)
        line("hk_hi", "Hartung–Knapp–Sidik–Jonkman upper 95%", rnd.hksj_ci[1], FMT_HR, False)
    pi = rnd.prediction_interval
    line("pi_lo", "Prediction interval, lower", pi[0] if pi else "not computed (fewer than 3 trials)",
         FMT_HR, False)
    line("pi_hi", "Prediction interval, upper", pi[1] if pi else "", FMT_HR, False,
         "t with k − 2 df (Higgins 2009)" if pi else "")
    if left_out:
        n = ws.cell(r, 1)
        set_text(n, "Left out: " + "; ".join(left_out))
        n.font = st.note
        r += 1
    if png:
        from openpyxl.drawing.image import Image
        img = Image(io.BytesIO(png))
        scale = min(1.0, 640.0 / img.width) if img.width else 1.0
        img.width, img.height = int(img.width * scale), int(img.height * scale)
        ws.add_image(img, f"M{top}")
        r = max(r, top + math.ceil(img.height / 20.0) + 1)
    ws._forest_rows = getattr(ws, "_forest_rows", {})
    ws._forest_rows[endpoint] = {"first": first, "last": last, **rows}
    return r
