"""Slides of the across-trials work, added by io/pptx_writer.py: per endpoint shared by two or more
trials an across-trials summary (table, indirect comparisons, transitivity caveat) and a forest
plot slide; the cross-trial overlay with its caveat when one was shown in the window.

16:9, own text boxes (python-pptx placeholders do not move), every run at 14 pt or more, and text
measured before it is placed (Calibri's average glyph ≈ 0.52 em), so that nothing overflows.
"""
from __future__ import annotations

import io
import math

from evidencegui.io import format as fmt
from evidencegui.io.across_table import FOREST_KEY, OVERLAY_CAVEAT, OVERLAY_KEY, indirect_text
from evidencegui.io.safe_text import clean_text

FONT = "Calibri"
DARK = (0x1F, 0x2D, 0x4D)
ACCENT = (0x2F, 0x55, 0x97)
GREY = (0x44, 0x44, 0x44)
WARN = (0x8A, 0x4B, 0x00)
MIN_PT = 14
EM = 0.55                       # average glyph width of Calibri in em, with a margin (bold is wider)
SLIDE_W, SLIDE_H = 13.333, 7.5  # inches
MARGIN = 0.45
TABLE_COLUMNS = (("Trial", 1.55), ("Arm vs control", 4.1), ("Median, arm vs control", 1.9),
                 ("Median gain", 1.1), ("HR (95% CI)", 1.75), ("1 − HR", 0.8), ("ESMO-MCBS", 1.2))


def lines_needed(text: str, width_in: float, size_pt: float) -> int:
    """Lines ``text`` takes in a box ``width_in`` wide at ``size_pt`` (estimate, rounded up)."""
    per_line = max(1, int(width_in * 72 / (EM * size_pt)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def box_height_in(text: str, width_in: float, size_pt: float) -> float:
    return lines_needed(text, width_in, size_pt) * size_pt * 1.2 / 72 + 0.1


def _rgb(c):
    from pptx.dml.color import RGBColor
    return RGBColor(*c)


def _text(slide, left, top, width, height, text: str, size: float = MIN_PT, bold=False,
          color=DARK, italic=False):
    from pptx.util import Inches, Pt
    tb = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    tf = tb.text_frame
    tf.word_wrap = True
    tf.margin_left = tf.margin_right = Pt(2)
    tf.margin_top = tf.margin_bottom = Pt(1)
    for i, line in enumerate(clean_text(text).split("\n")):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = para.add_run()
        run.text = line
        f = run.font
        f.name, f.size, f.bold, f.italic = FONT, Pt(max(size, MIN_PT)), bold, italic
        f.color.rgb = _rgb(color)
    return tb


def _title(slide, text: str) -> float:
    """The slide's headline (shrunk to one or two lines, never under 20 pt); returns its bottom."""
    from pptx.util import Inches
    width = SLIDE_W - 2 * MARGIN
    size = 28.0
    while lines_needed(text, width, size * 1.08) > 1 and size > 20:     # bold: wider glyphs
        size -= 1
    h = box_height_in(text, width, size * 1.08)
    _text(slide, MARGIN, 0.25, width, h, text, size, bold=True)
    bar = slide.shapes.add_shape(1, Inches(MARGIN), Inches(0.3 + h), Inches(width), Inches(0.03))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(ACCENT)
    bar.line.fill.background()
    return 0.45 + h


def _picture(slide, png: bytes, left, top, max_w, max_h):
    from PIL import Image
    from pptx.util import Inches
    with Image.open(io.BytesIO(png)) as im:
        w, h = im.size
    scale = min(max_w / w, max_h / h)
    pw, ph = w * scale, h * scale
    return slide.shapes.add_picture(io.BytesIO(png), Inches(left + (max_w - pw) / 2), Inches(top),
                                    Inches(pw), Inches(ph))


def _table(slide, top: float, header, rows, size: float = MIN_PT) -> float:
    """A table with explicit column widths and row heights from the measured text; returns its
    bottom (inches)."""
    from pptx.util import Inches, Pt
    widths = [w for _, w in TABLE_COLUMNS]
    pad = 0.12
    heights = []
    for row in [header] + rows:
        n = max(lines_needed(c, w - pad, size) for c, w in zip(row, widths))
        heights.append(n * size * 1.2 / 72 + 0.12)
    shape = slide.shapes.add_table(len(rows) + 1, len(widths), Inches(MARGIN), Inches(top),
                                   Inches(sum(widths)), Inches(sum(heights)))
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for i, h in enumerate(heights):
        table.rows[i].height = Inches(h)
    for i, row in enumerate([header] + rows):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Pt(3)
            cell.margin_top = cell.margin_bottom = Pt(2)
            tf = cell.text_frame
            tf.word_wrap = True
            run = tf.paragraphs[0].add_run()
            run.text = clean_text(text).replace("+", "+\u200b").replace("/", "/\u200b")  # break at +
            f = run.font
            f.name, f.size, f.bold = FONT, Pt(size), i == 0 or j == 0
            f.color.rgb = _rgb((0xFF, 0xFF, 0xFF) if i == 0 else DARK)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(ACCENT if i == 0 else
                                            ((0xF2, 0xF5, 0xFA) if i % 2 else (0xFF, 0xFF, 0xFF)))
    return top + sum(heights)


NAME_CHARS = 70                 # a name longer than this is cut on a slide (the workbook has it all)


def _name(text: str, limit: int = NAME_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _row_cells(r) -> list[str]:
    ci = r.hr_ci or (None, None)
    grade = r.esmo_grade or "not graded"
    return [_name(r.trial, 40), f"{_name(r.arm)} vs {_name(r.control) if r.control else fmt.MISSING}",
            f"{fmt.fmt_time(r.median_arm, r.median_arm_not_reached)} vs "
            f"{fmt.fmt_time(r.median_control, r.median_control_not_reached)}",
            fmt.fmt_gain(r.median_gain), fmt.fmt_hr(r.hr, ci[0], ci[1]),
            fmt.fmt_pct(r.relative_reduction), grade]


def _notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = clean_text(text)


def summary_slides(prs, project, endpoint: str) -> int:
    """The across-trials summary of one endpoint: the table (continued on further slides when
    its rows do not fit), then the indirect comparisons with the transitivity caveat, under the
    table when they fit there, else on slides of their own."""
    from evidencegui.core.across import indirect_comparisons, trial_rows
    rows = trial_rows(project, [endpoint])
    ics = [ic for ic in indirect_comparisons(project) if ic.endpoint == endpoint]
    header = [h for h, _ in TABLE_COLUMNS]
    cells = [_row_cells(r) for r in rows]
    sources = "; ".join(dict.fromkeys(r.source for r in rows if r.source))
    notes = ("Sources: " + (sources or "not stated") + "\n\nMedian gain = experimental − control "
             "median (left blank when a median is not reached); 1 − HR = relative reduction in "
             "hazard; ESMO-MCBS v1.1.")
    made, start, bottom, s = 0, 0, 0.0, None
    while start < len(cells) or made == 0:
        s = prs.slides.add_slide(prs.slide_layouts[6])
        top = _title(s, f"{endpoint} across trials" + (f" ({made + 1})" if made else ""))
        room = SLIDE_H - 0.35 - top
        take: list[int] = []
        for k in range(start, len(cells)):      # as many rows as fit
            if _table_height([header] + [cells[i] for i in take + [k]]) > room and take:
                break
            take.append(k)
        bottom = _table(s, top, header, [cells[i] for i in take]) if take else top
        _notes(s, notes)
        made += 1
        start += len(take)
        if not take:
            break
    if ics:
        made += _indirect(prs, endpoint, ics, s, bottom + 0.15)
    return made


def _indirect(prs, endpoint: str, ics, slide, y: float) -> int:
    """The indirect comparisons from ``y`` on ``slide`` when they all fit, else on new slides;
    returns the number of slides added."""
    from evidencegui.core.across import TRANSITIVITY_CAVEAT
    width = SLIDE_W - 2 * MARGIN
    head = "Indirect comparisons (Bucher)"
    head_h = box_height_in(head, width, 16)
    cav_h = box_height_in(TRANSITIVITY_CAVEAT, width, MIN_PT)
    lines = [indirect_text(ic, _name) for ic in ics]

    def block_h(chunk) -> float:
        return head_h + box_height_in("\n".join(chunk), width, MIN_PT) + cav_h

    def place(sl, y0: float, chunk, chunk_ics) -> None:
        _text(sl, MARGIN, y0, width, head_h, head, 16, bold=True)
        h = box_height_in("\n".join(chunk), width, MIN_PT)
        _text(sl, MARGIN, y0 + head_h, width, h, "\n".join(chunk))
        _text(sl, MARGIN, y0 + head_h + h, width, cav_h, TRANSITIVITY_CAVEAT, italic=True, color=WARN)
        sl.notes_slide.notes_text_frame.text += "\n\nRules:\n" + clean_text(
            "\n".join(ic.rule for ic in chunk_ics))

    if y + block_h(lines) <= SLIDE_H - 0.3:
        place(slide, y, lines, ics)
        return 0
    added, start = 0, 0
    while start < len(lines):
        sl = prs.slides.add_slide(prs.slide_layouts[6])
        top = _title(sl, f"{endpoint}: indirect comparisons" + (f" ({added + 1})" if added else ""))
        take = 1
        while start + take < len(lines) and top + block_h(lines[start:start + take + 1]) <= SLIDE_H - 0.3:
            take += 1
        _notes(sl, "")
        place(sl, top, lines[start:start + take], ics[start:start + take])
        added += 1
        start += take
    return added


def _table_height(rows, size: float = MIN_PT) -> float:
    return sum(max(lines_needed(c, w - 0.12, size) for c, (_, w) in zip(row, TABLE_COLUMNS))
               * size * 1.2 / 72 + 0.12 for row in rows)


def forest_slide(prs, project, endpoint: str, png: bytes | None) -> bool:
    """The forest plot of an endpoint with its pooled estimate in the headline."""
    from evidencegui.core.across import forest_studies
    from evidencegui.core.pooling import pool
    studies, left_out = forest_studies(project, endpoint)
    if len(studies) < 2:
        return False
    res = pool(studies, "REML")
    s = prs.slides.add_slide(prs.slide_layouts[6])
    rnd = res.random
    top = _title(s, f"{endpoint}: pooled HR {fmt.fmt_hr(rnd.hr, *rnd.hr_ci)}, {len(studies)} trials "
                    f"({rnd.method})")
    width = SLIDE_W - 2 * MARGIN
    h = res.heterogeneity
    if png:         # the figure carries the heterogeneity line and the fixed-effect diamond
        _picture(s, png, MARGIN, top, width, SLIDE_H - top - 0.3)
    else:
        foot = ("Heterogeneity: " + fmt.fmt_heterogeneity(h.i2, rnd.tau2, h.q, h.df, h.p, rnd.method)
                + f". Fixed effect: HR {fmt.fmt_hr(res.fixed.hr, *res.fixed.hr_ci)}.")
        _text(s, MARGIN, top + 0.5, width, box_height_in(foot, width, MIN_PT), foot, color=GREY)
    _notes(s, "Inverse-variance pooling of log hazard ratios; SE from each 95% CI. "
              "Random effects: " + rnd.method + ". Studies: "
           + "; ".join(f"{x.name} ({x.source})" if x.source else x.name for x in studies)
           + ("\nLeft out: " + "; ".join(left_out) if left_out else ""))
    return True


def overlay_slide(prs, title: str, png: bytes) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[6])
    top = _title(s, "Cross-trial overlay")
    width = SLIDE_W - 2 * MARGIN
    cav_h = box_height_in(OVERLAY_CAVEAT, width, 16)
    _picture(s, png, MARGIN, top, width, SLIDE_H - top - cav_h - 0.35)
    _text(s, MARGIN, SLIDE_H - cav_h - 0.25, width, cav_h, OVERLAY_CAVEAT, 16, italic=True, color=WARN)
    _notes(s, "Arms shown: " + title)


def add_across_slides(prs, project, figures: dict | None) -> int:
    """Append the across-trials slides; returns how many were added."""
    from evidencegui.core.across import endpoint_names
    figures = figures or {}
    n = 0
    if len(project.trials) >= 2:
        for ep in endpoint_names(project):
            if sum(1 for t in project.trials if t.endpoint(ep) is not None) < 2:
                continue
            n += summary_slides(prs, project, ep)
            n += forest_slide(prs, project, ep, figures.get((FOREST_KEY, ep)))
    for key, png in figures.items():
        if key[0] == OVERLAY_KEY and png:
            overlay_slide(prs, key[1], png)
            n += 1
    return n
