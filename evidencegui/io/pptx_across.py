"""Slides of the across-trials work, added by io/pptx_writer.py: per endpoint shared by two or more
trials an across-trials summary (table, indirect comparisons, transitivity caveat) and a forest
plot slide; the cross-trial overlay with its caveat when one was shown in the window.

Laid out with io/pptx_kit.py, the house design of every deck (16:9, own boxes, every run at 14 pt
or more, text measured before it is placed so that nothing overflows).
"""
from __future__ import annotations

from evidencegui.io import format as fmt
from evidencegui.io import pptx_kit as kit
from evidencegui.io.across_table import FOREST_KEY, OVERLAY_CAVEAT, OVERLAY_KEY, indirect_text
from evidencegui.io.pptx_kit import GREY, MARGIN_IN, MIN_PT, SLIDE_H_IN, SLIDE_W_IN, WARN

# inches; 12.53 in all, the width between the margins ("MONALEESA-" and "not graded" fit)
TABLE_COLUMNS = (("Trial", 1.6), ("Arm vs control", 4.05), ("Median, arm vs control", 1.9),
                 ("Median gain", 1.1), ("HR (95% CI)", 1.75), ("1 − HR", 0.8), ("ESMO-MCBS", 1.33))
WIDTHS = [w for _, w in TABLE_COLUMNS]
WIDTH = SLIDE_W_IN - 2 * MARGIN_IN        # a full-width box between the margins


def _title(slide, text: str) -> float:
    """The slide's headline, shrunk to one line where it can (never under 20 pt); returns the y
    (inches) below it."""
    return kit.add_title(slide, text, max_lines=1)


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
        s = kit.add_slide(prs)
        top = _title(s, f"{endpoint} across trials" + (f" ({made + 1})" if made else ""))
        room = SLIDE_H_IN - 0.35 - top
        take: list[int] = []
        for k in range(start, len(cells)):      # as many rows as fit
            if kit.table_height_in([cells[i] for i in take + [k]], WIDTHS, MIN_PT, header) > room and take:
                break
            take.append(k)
        bottom = top
        if take:
            _, h = kit.add_table(s, MARGIN_IN, top, WIDTHS, header, [cells[i] for i in take], MIN_PT)
            bottom += h
        kit.set_notes(s, notes)
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
    head = "Indirect comparisons (Bucher)"
    head_h = kit.textbox_height_in(head, WIDTH, 16, bold=True)
    cav_h = kit.textbox_height_in(TRANSITIVITY_CAVEAT, WIDTH, MIN_PT)
    lines = [indirect_text(ic, _name) for ic in ics]

    def block_h(chunk) -> float:
        return head_h + kit.textbox_height_in("\n".join(chunk), WIDTH, MIN_PT) + cav_h

    def place(sl, y0: float, chunk, chunk_ics) -> None:
        kit.add_textbox(sl, MARGIN_IN, y0, WIDTH, head, 16, bold=True)
        _, h = kit.add_textbox(sl, MARGIN_IN, y0 + head_h, WIDTH, "\n".join(chunk), MIN_PT)
        kit.add_textbox(sl, MARGIN_IN, y0 + head_h + h, WIDTH, TRANSITIVITY_CAVEAT, MIN_PT,
                        italic=True, color=WARN)
        kit.set_notes(sl, "\n\nRules:\n" + "\n".join(ic.rule for ic in chunk_ics), append=True)

    if y + block_h(lines) <= SLIDE_H_IN - 0.3:
        place(slide, y, lines, ics)
        return 0
    added, start = 0, 0
    while start < len(lines):
        sl = kit.add_slide(prs)
        top = _title(sl, f"{endpoint}: indirect comparisons" + (f" ({added + 1})" if added else ""))
        take = 1
        while start + take < len(lines) and top + block_h(lines[start:start + take + 1]) <= SLIDE_H_IN - 0.3:
            take += 1
        place(sl, top, lines[start:start + take], ics[start:start + take])
        added += 1
        start += take
    return added


def forest_slide(prs, project, endpoint: str, png: bytes | None) -> bool:
    """The forest plot of an endpoint with its pooled estimate in the headline."""
    from evidencegui.core.across import forest_studies
    from evidencegui.core.pooling import pool
    studies, left_out = forest_studies(project, endpoint)
    if len(studies) < 2:
        return False
    res = pool(studies, "REML")
    s = kit.add_slide(prs)
    rnd = res.random
    top = _title(s, f"{endpoint}: pooled HR {fmt.fmt_hr(rnd.hr, *rnd.hr_ci)}, {len(studies)} trials "
                    f"({rnd.method})")
    h = res.heterogeneity
    caution = fmt.heterogeneity_caution(h.i2)
    if caution:     # said on the slide itself, not only in the figure's small footer
        kit.add_textbox(s, MARGIN_IN, top, WIDTH, caution, MIN_PT, color=WARN)
        top += kit.textbox_height_in(caution, WIDTH, MIN_PT) + 0.05
    if png:         # the figure carries the heterogeneity line and the fixed-effect diamond
        kit.add_picture(s, png, MARGIN_IN, top, WIDTH, SLIDE_H_IN - top - 0.3, h_align="center", v_align="top")
    else:
        foot = ("Heterogeneity: " + fmt.fmt_heterogeneity(h.i2, rnd.tau2, h.q, h.df, h.p, rnd.method)
                + f". Fixed effect: HR {fmt.fmt_hr(res.fixed.hr, *res.fixed.hr_ci)}.")
        kit.add_textbox(s, MARGIN_IN, top + 0.5, WIDTH, foot, MIN_PT, color=GREY)
    kit.set_notes(s, "Inverse-variance pooling of log hazard ratios; SE from each 95% CI. "
              "Random effects: " + rnd.method + ". Studies: "
           + "; ".join(f"{x.name} ({x.source})" if x.source else x.name for x in studies)
           + ("\nLeft out: " + "; ".join(left_out) if left_out else ""))
    return True


def overlay_slide(prs, title: str, png: bytes) -> None:
    s = kit.add_slide(prs)
    top = _title(s, "Cross-trial overlay")
    cav_h = kit.textbox_height_in(OVERLAY_CAVEAT, WIDTH, 16)
    kit.add_picture(s, png, MARGIN_IN, top, WIDTH, SLIDE_H_IN - top - cav_h - 0.35, h_align="center",
                    v_align="top")
    kit.add_footnote(s, OVERLAY_CAVEAT, 16, color=WARN, italic=True, bottom_in=0.25)
    kit.set_notes(s, "Arms shown: " + title)


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
