"""The tumor-board deck (python-pptx): a title slide, then one 16:9 slide per trial and endpoint
with the figure, a compact comparison table and a footnote naming source and method.

Laid out with explicit boxes (python-pptx's default template is 4:3 and its placeholders do not
move with the slide size); fonts are set on every run and table columns get explicit widths.
The numbers are the program's (core.effects). Written atomically.
"""
from __future__ import annotations

import io
import math
import os
from pathlib import Path
from typing import Any, Iterable

from evidencegui.core.model import Arm, Endpoint, Project, Trial
from evidencegui.io import provenance as prov
from evidencegui.io.safe_text import atomic_write_bytes, clean_text
from evidencegui.io.xlsx_writer import Figures, comparisons_by_arm, esmo_text, ordered_arms

SLIDE_W_IN = 13.333
SLIDE_H_IN = 7.5
FONT = "Calibri"
DARK = (0x1F, 0x2D, 0x4D)
ACCENT = (0x2F, 0x55, 0x97)
GREY = (0x55, 0x55, 0x55)


def _num(x: float | None, fmt: str = ".1f") -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return format(x, fmt)


def _median_text(a: Arm | None, unit: str) -> str:
    if a is None:
        return "–"
    u = "mo" if unit == "months" else unit
    if a.median is None:
        est = "not reached" if a.median_not_reached else "not reported"
    else:
        est = f"{a.median:.1f} {u}"
    if a.median_lower is not None or a.median_upper is not None:
        lo = _num(a.median_lower)
        hi = "NR" if a.median_upper is None else _num(a.median_upper)
        est += f" ({lo}–{hi})"
    return est


def _p_text(p: float | None, bound: bool = False) -> str:
    if p is None:
        return "–"
    if p < 0.0001:
        return "< 0.0001"
    s = f"{p:.4f}" if p < 0.001 else f"{p:.3f}"
    return ("< " if bound else "") + s


def table_rows(project: Project, trial: Trial, ep: Endpoint, comps: dict) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the slide's table: first column the measure, then one column per
    experimental arm. Text only; the numbers come from core.effects' comparisons."""
    ctl = ep.control
    exps = [a for a in ordered_arms(ep) if a is not ctl]
    unit = "mo" if project.time_unit == "months" else project.time_unit
    header = [f"vs {ctl.label}" if ctl is not None else "Measure"] + [a.label for a in exps]
    if not exps:                                  # single arm: show the arm itself
        a = ep.arms[0] if ep.arms else None
        rows = [["Median", _median_text(a, project.time_unit)]]
        if a is not None and a.orr is not None:
            rows.append(["Objective response", f"{100 * a.orr:.1f}%"])
        return ["Measure", a.label if a else ""], rows
    cs = [comps.get((trial.name, ep.name, a.label)) for a in exps]
    rows: list[list[str]] = []
    rows.append(["Median, control"] + [_median_text(ctl, project.time_unit)] * len(exps))
    rows.append(["Median, experimental"] + [_median_text(a, project.time_unit) for a in exps])

    def gain(c) -> str:
        if c is None or c.gain_shown is None:
            return "–"
        s = f"{c.gain_shown:+.1f} {unit}"
        if c.median_gain_estimated:
            s = "≈ " + s + " (estimated from the HR)"
        if c.median_ratio is not None:
            s += f"; ratio {c.median_ratio:.2f}"
        return s
    rows.append(["Median gain"] + [gain(c) for c in cs])

    def hr(a: Arm, c) -> str:
        h = c.hr if c is not None else a.hr
        if h is None:
            return "–"
        lo, hi = (c.hr_lower, c.hr_upper) if c is not None else (a.hr_lower, a.hr_upper)
        s = f"{h:.2f}"
        if lo is not None and hi is not None:
            s += f" ({lo:.2f}–{hi:.2f})"
        if (c.hr_stratified if c is not None else a.hr_stratified):
            s += ", stratified"
        return s
    rows.append(["HR (95% CI)"] + [hr(a, c) for a, c in zip(exps, cs)])
    rows.append(["p-value"] + [_p_text(c.p_value if c else a.p_value,
                                       bool(c and c.p_value_upper_bound)) for a, c in zip(exps, cs)])
    times = sorted({lm.time for c in cs if c is not None for lm in c.landmarks})
    for t in times:
        cells = []
        for c in cs:
            lm = c.landmark(t) if c is not None else None
            if lm is None or lm.difference is None:
                cells.append("–")
                continue
            s = f"{100 * lm.difference:+.1f} pts"
            if lm.nnt is not None:
                s += f" ({'NNH' if lm.nnt_kind == 'harm' else 'NNT'} {lm.nnt})"
            if lm.modelled:
                s += ", modelled"
            cells.append(s)
        rows.append([f"Survival at {t:g} {unit}"] + cells)
    if any(c is not None and c.esmo is not None for c in cs):
        rows.append(["ESMO-MCBS"] + [esmo_text(c)[0] if c is not None else "–" for c in cs])
    return header, rows


def _rgb(c):
    from pptx.dml.color import RGBColor
    return RGBColor(*c)


def _textbox(slide, left, top, width, height, text: str, size: float, bold=False,
             color=DARK, italic=False, align=None, wrap=True):
    from pptx.util import Pt
    tb = slide.shapes.add_textbox(left, top, width, height)
    tf = tb.text_frame
    tf.word_wrap = wrap
    tf.margin_left = tf.margin_right = Pt(2)
    tf.margin_top = tf.margin_bottom = Pt(1)
    for i, line in enumerate(clean_text(text).split("\n")):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        if align is not None:
            para.alignment = align
        run = para.add_run()
        run.text = line
        f = run.font
        f.name, f.size, f.bold, f.italic = FONT, Pt(size), bold, italic
        f.color.rgb = _rgb(color)
    return tb


def _fit_size(text: str, width_pt: float, size: float, minimum: float = 8.0,
              lines: int = 2) -> float:
    """A font size at which ``text`` fits in ``lines`` lines of ``width_pt`` (average glyph
    ≈ 0.52 em for Calibri)."""
    need = len(text) * 0.52 * size
    while need > width_pt * lines and size > minimum:
        size -= 0.5
        need = len(text) * 0.52 * size
    return size


def _add_table(slide, left, top, width, header: list[str], rows: list[list[str]], size: float = 12):
    from pptx.util import Emu, Pt
    ncols = len(header)
    first_w = int(width * (0.43 if ncols == 2 else 0.30))
    other_w = int((width - first_w) / max(ncols - 1, 1))
    row_h = Pt(size * 2.0)
    shape = slide.shapes.add_table(len(rows) + 1, ncols, left, top, width, row_h * (len(rows) + 1))
    table = shape.table
    table.first_row = True
    table.columns[0].width = Emu(first_w)
    for j in range(1, ncols):
        table.columns[j].width = Emu(other_w)
    for i in range(len(rows) + 1):
        table.rows[i].height = row_h

    def put(cell, text: str, bold: bool, sz: float, color=DARK, fill=None):
        cell.margin_left = cell.margin_right = Pt(4)
        cell.margin_top = cell.margin_bottom = Pt(2)
        tf = cell.text_frame
        tf.word_wrap = True
        para = tf.paragraphs[0]
        run = para.add_run()
        run.text = clean_text(text)
        f = run.font
        f.name, f.size, f.bold = FONT, Pt(sz), bold
        f.color.rgb = _rgb(color)
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(fill or (0xFF, 0xFF, 0xFF))

    col_pt = [first_w / 12700] + [other_w / 12700] * (ncols - 1)
    for j, h in enumerate(header):
        h = h.replace("+", "+\u200b").replace("/", "/\u200b")   # allow breaks in long arm labels
        put(table.cell(0, j), h, True, _fit_size(h, col_pt[j] - 8, size), (0xFF, 0xFF, 0xFF), ACCENT)
    for i, row in enumerate(rows, start=1):
        fill = (0xF2, 0xF5, 0xFA) if i % 2 else (0xFF, 0xFF, 0xFF)
        for j, v in enumerate(row):
            put(table.cell(i, j), v, j == 0, _fit_size(v, col_pt[j] - 8, size, lines=2), DARK, fill)
    return shape


def _picture(slide, png: bytes, left, top, max_w, max_h):
    from PIL import Image as PILImage
    with PILImage.open(io.BytesIO(png)) as im:
        w, h = im.size
    scale = min(max_w / w, max_h / h)
    pw, ph = int(w * scale), int(h * scale)
    return slide.shapes.add_picture(io.BytesIO(png), left, top + int((max_h - ph) / 2), pw, ph)


def checks(comps: dict, trial: Trial, ep: Endpoint) -> list[str]:
    """What the program flagged for this endpoint: values left out as invalid, and reported vs
    patient-level discrepancies (short, for a slide; the workbook has the reasons)."""
    out: list[str] = []
    for a in ep.experimental:
        c = comps.get((trial.name, ep.name, a.label))
        if c is None:
            continue
        out += [f"invalid input left out: {m}" for m in getattr(c, "input_errors", [])]
        for d in getattr(c, "discrepancies", []) or []:
            msg = getattr(d, "message", None) or str(d)
            if msg not in out:
                out.append(msg)
    return out


def _footnote(project: Project, trial: Trial, ep: Endpoint, flagged: list[str] = ()) -> str:
    src = [trial.source] if trial.source else []
    for a in ordered_arms(ep):
        if not a.source or a.source in src:
            continue
        # "Paper" and "Paper, overall survival" are one source: keep the fuller text once
        longer = [i for i, x in enumerate(src) if a.source.startswith(x)]
        if longer:
            src[longer[0]] = a.source
        elif not any(x.startswith(a.source) for x in src):
            src.append(a.source)
    parts = ["Source: " + ("; ".join(src) if src else "not stated")]
    if ep.control is not None:
        parts[0] += f". Control arm: {ep.control.label}"
    meth = ["medians and HR as reported", "gain = experimental − control median",
            "HR (95% CI) vs control", "NNT = 1/|difference| rounded up"]
    if any(a.patients is not None for a in ep.arms):
        rec = any(a.patients is not None and a.patients.origin == "reconstructed" for a in ep.arms)
        meth.append(f"curves: Kaplan–Meier ({project.ci_method} CI)"
                    + (" of patient data reconstructed from the published curves (Guyot 2012)"
                       if rec else " of patient-level data"))
    else:
        meth.append("curves modelled from the reported results")
    meth.append("ESMO-MCBS v1.1 on the lower 95% limit of the HR")
    parts.append("Method: " + "; ".join(meth) + ".")
    if flagged:
        parts.append("⚠ Check: " + "; ".join(flagged) + ".")
    return "\n".join(parts)


def build_presentation(project: Project, figures: Figures | None = None,
                       created: str | None = None):
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    figures = figures or {}
    prs = Presentation()
    prs.slide_width = Inches(SLIDE_W_IN)
    prs.slide_height = Inches(SLIDE_H_IN)
    blank = prs.slide_layouts[6]
    comps = comparisons_by_arm(project)
    created = created or prov.now_utc()

    # title slide
    s = prs.slides.add_slide(blank)
    bar = s.shapes.add_shape(1, 0, Inches(2.3), prs.slide_width, Inches(0.08))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(ACCENT)
    bar.line.fill.background()
    title = project.title or "Comparison of trial arms"
    _textbox(s, Inches(0.8), Inches(2.6), Inches(11.7), Inches(1.2), title,
             _fit_size(title, 11.7 * 72, 40, 20, lines=1), bold=True)
    lines = [f"{t.name}: " + ", ".join(e.name for e in t.endpoints) for t in project.trials]
    _textbox(s, Inches(0.8), Inches(3.9), Inches(11.7), Inches(2.0),
             "\n".join(lines[:8]) + ("\n…" if len(lines) > 8 else ""), 20, color=GREY)
    _textbox(s, Inches(0.8), Inches(6.6), Inches(11.7), Inches(0.4),
             f"{prov.PROGRAM} {prov.__version__} · {created[:10]}", 12, color=GREY)

    for t in project.trials:
        for e in t.endpoints:
            s = prs.slides.add_slide(blank)
            head = f"{t.name} — {e.name}" + (" (primary endpoint)" if e.primary else "")
            _textbox(s, Inches(0.45), Inches(0.25), Inches(12.4), Inches(0.75), head,
                     _fit_size(head, 12.4 * 72, 30, 18, lines=1), bold=True)
            line = s.shapes.add_shape(1, Inches(0.45), Inches(1.0), Inches(12.4), Inches(0.03))
            line.fill.solid()
            line.fill.fore_color.rgb = _rgb(ACCENT)
            line.line.fill.background()
            png = figures.get((t.name, e.name))
            if png:
                _picture(s, png, Inches(0.35), Inches(1.15), Inches(7.55), Inches(5.35))
            else:
                _textbox(s, Inches(0.45), Inches(3.5), Inches(7.3), Inches(0.6),
                         "(no figure rendered)", 14, color=GREY, italic=True, align=PP_ALIGN.CENTER)
            header, rows = table_rows(project, t, e, comps)
            _add_table(s, Inches(8.05), Inches(1.3), Inches(4.85), header, rows,
                       size=12 if len(rows) <= 9 else 10)
            _textbox(s, Inches(0.45), Inches(6.62), Inches(12.4), Inches(0.75),
                     _footnote(project, t, e, checks(comps, t, e)), 9, color=GREY)
    from evidencegui.io.pptx_across import add_across_slides
    add_across_slides(prs, project, figures)      # forest, across-trials summary, overlay slides
    prs.core_properties.title = clean_text(title)[:250]
    prs.core_properties.author = f"{prov.PROGRAM} {prov.__version__}"
    return prs


def slides_bytes(project: Project, figures: Figures | None = None, created: str | None = None) -> bytes:
    buf = io.BytesIO()
    build_presentation(project, figures, created).save(buf)
    return buf.getvalue()


def write_slides(project: Project, path: str | os.PathLike, figures: Figures | None = None,
                 created: str | None = None) -> Path:
    """Write the deck to ``path`` (atomically)."""
    return atomic_write_bytes(path, slides_bytes(project, figures, created))
