"""The tumor-board deck (python-pptx, 16:9), built for a room: a title slide, then per comparison
(experimental arm against its control) one slide whose headline states the result in words, the
figure large, a short table, and the sources as one footnote line; method and rules go into the
speaker notes. An endpoint without data gets no slide (``plan_slides`` says which and why).

The numbers are the program's (core.effects, core.survival); every number is written by
io/format.py. Layout and measuring: io/pptx_kit.py (its helpers are public, for other decks).
Written atomically.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from evidencegui.core.model import Arm, Endpoint, Project, Trial
from evidencegui.io import format as fmt
from evidencegui.io import provenance as prov
from evidencegui.io.pptx_kit import (ACCENT, DARK, GREY, MARGIN_IN, MIN_PT, SLIDE_H_IN, SLIDE_W_IN,  # noqa: F401
                                     add_footnote, add_picture, breakable, add_slide, add_table, add_textbox,
                                     add_title, inches, new_presentation, set_notes,
                                     table_height_in, text_height_pt, wrap)
from evidencegui.io.safe_text import atomic_write_bytes, clean_text
from evidencegui.io.xlsx_writer import Figures, comparisons_by_arm, esmo_text, ordered_arms

# Where the figure sits, and the size it is rendered at: drawn at 1/1.3 of the box and scaled up,
# the presentation style's 11–14 pt text reads as 14–18 pt on the slide.
FIGURE_BOX_IN = (0.25, 7.5, 5.45)          # left, width, height (top: under the headline)
FIGURE_SCALE = 1.3
FIGURE_SIZE_IN = (FIGURE_BOX_IN[1] / FIGURE_SCALE, FIGURE_BOX_IN[2] / FIGURE_SCALE)
REC = "†"                                    # marks a value computed from reconstructed data
PAT = "‡"                                    # ... from patient-level data
ENDPOINT_WORDS = {"OS": "overall survival", "PFS": "progression-free survival",
                  "DFS": "disease-free survival", "EFS": "event-free survival",
                  "RFS": "relapse-free survival", "IDFS": "invasive disease-free survival",
                  "DRFS": "distant relapse-free survival", "TTP": "time to progression",
                  "DOR": "duration of response", "MFS": "metastasis-free survival"}


# ---------------------------------------------------------------------------- what goes in
@dataclass
class SlidePlan:
    trial: Trial
    endpoint: Endpoint
    arm: Arm | None                  # the experimental arm (None: a single-arm endpoint)


def has_data(ep: Endpoint) -> bool:
    """Something to show: a reported median, HR or landmark, or patient-level data."""
    for a in ep.arms:
        if (a.patients is not None and a.patients.n) or a.median is not None or a.median_not_reached \
                or a.hr is not None or a.landmarks:
            return True
    return False


def plan_slides(project: Project, include: Iterable[tuple[str, str]] | None = None
                ) -> tuple[list[SlidePlan], list[tuple[str, str, str]]]:
    """The comparison slides, and the endpoints left out as (trial, endpoint, why).

    ``include``: (trial, endpoint) names to export (None: all); the others are left out silently
    (the user chose so)."""
    keep = None if include is None else {tuple(k) for k in include}
    plans, skipped = [], []
    for t in project.trials:
        for e in t.endpoints:
            if keep is not None and (t.name, e.name) not in keep:
                continue
            if not e.arms:
                skipped.append((t.name, e.name, "no arms"))
                continue
            if not has_data(e):
                skipped.append((t.name, e.name, "no reported results and no patient-level data"))
                continue
            ctl = e.control
            exps = [a for a in e.arms if a is not ctl] if ctl is not None else []
            if ctl is None or not exps:
                plans.append(SlidePlan(t, e, None))
            else:
                plans += [SlidePlan(t, e, a) for a in exps]
    return plans, skipped


# ---------------------------------------------------------------------------- the numbers
def _unit(project: Project) -> str:
    return "mo" if project.time_unit == "months" else project.time_unit


def _patient_numbers(exp: Arm, ctl: Arm, landmark: float | None) -> dict:
    """RMST difference and a landmark difference from the patient data of both arms ({}: none)."""
    if exp.patients is None or ctl.patients is None or not exp.patients.n or not ctl.patients.n:
        return {}
    import math

    from evidencegui.core import survival as sv
    from evidencegui.core.effects import nnt
    km_e = sv.kaplan_meier(exp.patients.time, exp.patients.event)
    km_c = sv.kaplan_meier(ctl.patients.time, ctl.patients.event)
    tau = min(km_e.max_time, km_c.max_time)
    out: dict = {}
    if math.isfinite(tau) and tau > 0:
        out["rmst"] = sv.rmst_comparison(km_e, km_c, tau)
        if landmark is not None and landmark <= tau:
            d = sv.survival_difference(km_e, km_c, landmark)
            out["landmark"] = (landmark, d.difference, nnt(d.difference))
    return out


def _origin_mark(exp: Arm, ctl: Arm | None) -> str:
    arms = [a for a in (exp, ctl) if a is not None and a.patients is not None]
    return REC if any(a.patients.origin == "reconstructed" for a in arms) else PAT


def _landmark_time(c, exp: Arm, ctl: Arm) -> float | None:
    """The landmark shown: the reported one nearest two years, else 24 (12 for short follow-up)."""
    times = [lm.time for lm in (c.landmarks if c is not None else [])]
    if times:
        return min(times, key=lambda t: (abs(t - 24), t))
    if exp.patients is not None and ctl is not None and ctl.patients is not None:
        follow = min(max(exp.patients.time, default=0), max(ctl.patients.time, default=0))
        return 24.0 if follow > 24 else (12.0 if follow > 12 else None)
    return None


def comparison_numbers(project: Project, trial: Trial, ep: Endpoint, exp: Arm, comps: dict) -> dict:
    """Reported and computed values of one comparison, as plain numbers (None: not there)."""
    ctl = ep.control
    c = comps.get((trial.name, ep.name, exp.label))
    comp = (c.computed or {}) if c is not None else {}
    lm_t = _landmark_time(c, exp, ctl)
    extra = _patient_numbers(exp, ctl, lm_t) if ctl is not None else {}
    rep_lm = c.landmark(lm_t) if (c is not None and lm_t is not None) else None
    return {
        "c": c, "ctl": ctl, "computed": comp, "mark": _origin_mark(exp, ctl) if comp else "",
        "landmark_time": lm_t, "reported_landmark": rep_lm, "patient": extra,
    }


def _median_cell(arm: Arm, computed_est, computed_ci, mark: str) -> str:
    parts = []
    if arm.median is not None or arm.median_not_reached:
        parts.append(fmt.fmt_median(arm.median, arm.median_lower, arm.median_upper, arm.median_not_reached))
    if computed_est is not None or (arm.patients is not None and arm.patients.n):
        lo, hi = (computed_ci or (None, None))
        text = fmt.fmt_median(computed_est, lo, hi, not_reached=computed_est is None)
        parts.append(f"{text} {mark}")
    return "\n".join(parts) or fmt.MISSING


def table_rows(project: Project, trial: Trial, ep: Endpoint, comps: dict,
               exp: Arm | None = None) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a comparison slide's table: measure, value. Reported values first; values
    computed from patient-level data beside them, marked † (reconstructed) or ‡ (patient data)."""
    ctl = ep.control
    u = _unit(project)
    if exp is None:
        exps = [a for a in ordered_arms(ep) if a is not ctl]
        exp = exps[0] if exps else None
    if exp is None or ctl is None:                      # single arm: the arm itself
        a = exp or (ep.arms[0] if ep.arms else None)
        if a is None:
            return ["Measure", ""], []
        rows = [["Median", _median_cell(a, None, None, "")]]
        if a.orr is not None:
            rows.append(["Objective response", fmt.fmt_pct(a.orr, digits=1)])
        return ["Measure", a.label], rows
    n = comparison_numbers(project, trial, ep, exp, comps)
    c, comp, mark = n["c"], n["computed"], n["mark"]
    rows: list[list[str]] = []
    rows.append(["Median, control", _median_cell(ctl, comp.get("median_control"),
                                                       comp.get("median_control_ci"), mark)])
    rows.append(["Median, experimental", _median_cell(exp, comp.get("median_experimental"),
                                                            comp.get("median_experimental_ci"), mark)])
    gain = []
    if c is not None and c.gain_shown is not None:
        g = fmt.fmt_gain(c.gain_shown)
        gain.append(f"≈ {g} (estimated from the HR)" if c.median_gain_estimated else g)
    if comp.get("median_gain") is not None:
        gain.append(f"{fmt.fmt_gain(comp['median_gain'])} {mark}")
    rows.append(["Median gain", "\n".join(gain) or fmt.MISSING])
    hr, one_minus = [], []
    if c is not None and c.hr is not None:
        lo, hi = c.hr_ci or (None, None)
        hr.append(fmt.fmt_hr(c.hr, lo, hi) + (" strat." if c.hr_stratified else ""))
        one_minus.append(fmt.fmt_pct(1 - c.hr))
    if comp.get("hr") is not None:
        lo, hi = comp.get("hr_ci") or (None, None)
        hr.append(f"{fmt.fmt_hr(comp['hr'], lo, hi)} {mark}")
        one_minus.append(f"{fmt.fmt_pct(1 - comp['hr'])} {mark}")
    rows.append(["HR (95% CI)", "\n".join(hr) or fmt.MISSING])
    rows.append(["1 − HR", "\n".join(one_minus) or fmt.MISSING])
    t = n["landmark_time"]
    if t is not None:
        cells = []
        lm = n["reported_landmark"]
        if lm is not None and lm.difference is not None:
            s = fmt.fmt_points(lm.difference)
            if lm.nnt is not None:
                s += f", {fmt.fmt_nnt(lm.nnt, lm.nnt_kind or 'benefit')}"
            cells.append(s + (" (modelled)" if lm.modelled else ""))
        pl = n["patient"].get("landmark")
        if pl is not None and pl[1] is not None:
            s = fmt.fmt_points(pl[1])
            if pl[2] is not None:
                s += f", {fmt.fmt_nnt(pl[2], 'benefit' if pl[1] > 0 else 'harm')}"
            cells.append(f"{s} {mark}")
        rows.append([f"Survival at {fmt.fmt_landmark(t)} {u}", "\n".join(cells) or fmt.MISSING])
    rm = n["patient"].get("rmst")
    if rm is not None:
        rows.append([f"RMST difference to {fmt.fmt_time(rm.tau)} {u}",
                     f"{fmt.with_ci(fmt.fmt_gain(rm.difference), rm.lower, rm.upper, fmt.fmt_time)} {mark}"])
    if c is not None and c.esmo is not None:
        rows.append(["ESMO-MCBS", esmo_text(c)[0] or fmt.MISSING])
    return [f"{exp.label} vs {ctl.label}", ""], rows


def _agent(exp: Arm, ctl: Arm | None) -> str:
    """What the experimental arm adds: its components not in the control ("Pertuzumab")."""
    import re
    split = lambda s: [p.strip() for p in re.split(r"[+/]", s) if p.strip()]  # noqa: E731
    if ctl is None:
        return exp.label
    base = {p.lower() for p in split(ctl.label)}
    added = [p for p in split(exp.label) if p.lower() not in base]
    return " + ".join(added) if added and len(added) < len(split(exp.label)) else exp.label


def headline(project: Project, trial: Trial, ep: Endpoint, exp: Arm | None, comps: dict) -> str:
    """The result in words: 'Pertuzumab adds 15.7 months of median overall survival;
    HR 0.68 (0.56–0.84)'. Reconstructed-only numbers are used (and said) when nothing is reported."""
    words = ENDPOINT_WORDS.get(ep.name.upper(), ep.name)
    unit = project.time_unit
    if exp is None or ep.control is None:
        a = exp or ep.arms[0]
        med = fmt.fmt_median(a.median, a.median_lower, a.median_upper, a.median_not_reached)
        return f"{trial.name}: {a.label}, median {words} {med} {unit}"
    n = comparison_numbers(project, trial, ep, exp, comps)
    c, comp = n["c"], n["computed"]
    who = _agent(exp, ep.control)
    gain = c.gain_shown if c is not None else None
    estimated = bool(c is not None and c.median_gain_estimated)
    hr = c.hr if c is not None else None
    lo, hi = (c.hr_ci or (None, None)) if (c is not None and c.hr is not None) else (None, None)
    derived = ""
    if gain is None and comp.get("median_gain") is not None:
        gain, estimated, derived = comp["median_gain"], False, "reconstructed"
    if hr is None and comp.get("hr") is not None:
        hr, (lo, hi) = comp["hr"], comp.get("hr_ci") or (None, None)
        derived = "reconstructed"
    if derived and n["mark"] == PAT:
        derived = "from patient data"
    if gain is not None and gain > 0:
        text = f"{who} adds {'about ' if estimated else ''}{fmt.fmt_time(gain)} {unit} of median {words}"
    elif gain is not None and gain < 0:
        text = f"{who}: median {words} {fmt.fmt_time(-gain)} {unit} shorter"
    elif gain is not None:
        text = f"{who}: no difference in median {words}"
    else:
        text = f"{who}: {words}"
    if hr is not None:
        text += f"; HR {fmt.fmt_hr(hr, lo, hi)}"
    if derived:
        text += f" ({derived})"
    return text


# ---------------------------------------------------------------------------- sources and notes
def sources(project: Project, trials: Iterable[Trial] | None = None,
            endpoints: Iterable[Endpoint] | None = None) -> list[str]:
    """Distinct sources of the trials and arms (a shorter source contained in a longer one once)."""
    out: list[str] = []

    def add(s: str) -> None:
        s = (s or "").strip()
        if not s:
            return
        for i, x in enumerate(out):
            if s.startswith(x):
                out[i] = s
                return
            if x.startswith(s):
                return
        out.append(s)
    for t in (trials if trials is not None else project.trials):
        add(t.source)
        for e in (endpoints if endpoints is not None else t.endpoints):
            for a in ordered_arms(e):
                add(a.source)
    return out


def notes_text(project: Project, trial: Trial, ep: Endpoint, comps: dict, exp: Arm | None) -> str:
    """Method, rules and the program's checks: for the speaker notes."""
    lines = ["Method:"]
    lines.append("- Medians, HR (95% CI) and p as reported by the trial, unless marked.")
    if any(a.patients is not None for a in ep.arms):
        rec = any(a.patients is not None and a.patients.origin == "reconstructed" for a in ep.arms)
        lines.append(f"- Curves: Kaplan–Meier ({project.ci_method} 95% CI) of "
                     + ("patient-level data reconstructed from the published curves and numbers at "
                        "risk (Guyot 2012); values marked † come from these data" if rec
                        else "patient-level data; values marked ‡ come from these data") + ".")
        lines.append("- HR from the patient data: Cox model (Efron ties), Wald 95% CI; p: log-rank. "
                     "RMST difference up to the shorter follow-up of the two arms.")
    else:
        lines.append("- Curves modelled from the reported results (not the trial's data).")
    lines.append("- Gain = experimental − control median; 1 − HR = relative reduction of the hazard; "
                 "NNT = 1 / survival difference at the landmark, rounded up.")
    if exp is not None:
        c = comps.get((trial.name, ep.name, exp.label))
        if c is not None and c.esmo is not None:
            grade, rule = esmo_text(c)
            lines.append(f"- ESMO-MCBS v1.1: {grade}" + (f" — {rule}" if rule else ""))
        flagged = []
        if c is not None:
            flagged += [f"invalid input left out: {m}" for m in getattr(c, "input_errors", [])]
            flagged += [getattr(d, "message", str(d)) for d in (c.discrepancies or [])]
        if flagged:
            lines.append("Checks:")
            lines += [f"- {m}" for m in flagged]
    src = sources(project, [trial], [ep])
    if src:
        lines.append("Sources: " + "; ".join(src))
    lines.append(f"{prov.PROGRAM} {prov.__version__}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- slides
def title_slide(prs, project: Project, created: str, plans: list[SlidePlan]) -> None:
    s = add_slide(prs)
    width = SLIDE_W_IN - 2 * 0.8
    bar = s.shapes.add_shape(1, 0, inches(2.0), prs.slide_width, inches(0.08))
    bar.fill.solid()
    from evidencegui.io.pptx_kit import _rgb
    bar.fill.fore_color.rgb = _rgb(ACCENT)
    bar.line.fill.background()
    title = project.title or " vs ".join(dict.fromkeys(p.trial.name for p in plans)) or "Trial comparison"
    _, h = add_textbox(s, 0.8, 2.25, width, title, 40, bold=True, max_height_in=1.6, min_size=24)
    y = 2.25 + h + 0.1
    _, h = add_textbox(s, 0.8, y, width, created[:10], 20, color=GREY)
    y += h + 0.25
    trials = list({id(p.trial): p.trial for p in plans}.values()) or project.trials
    src = sources(project, trials)
    if src:
        text = "Sources:\n" + "\n".join(src)
        add_textbox(s, 0.8, y, width, text, 16, color=GREY, max_height_in=SLIDE_H_IN - 0.4 - y)


def comparison_slide(prs, project: Project, plan: SlidePlan, comps: dict, png: bytes | None) -> None:
    t, e, exp = plan.trial, plan.endpoint, plan.arm
    s = add_slide(prs)
    y = add_title(s, headline(project, t, e, exp, comps))
    src = sources(project, [t], [e])
    foot = "Source: " + "; ".join(src) if src else ""
    c = comps.get((t.name, e.name, exp.label)) if exp is not None else None
    if c is not None and getattr(c, "input_errors", None):
        # said on the slide, explained in the notes: a number typed in was not used
        foot += (" · " if foot else "") + "⚠ invalid input left out (see the speaker notes)"
    foot_h = 0.0
    if foot:
        _, foot_h = add_footnote(s, foot)
    bottom = SLIDE_H_IN - 0.15 - foot_h - 0.05
    left, fig_w, fig_h = FIGURE_BOX_IN
    fig_h = min(fig_h, bottom - y)
    if png:
        add_picture(s, png, left, y, fig_w, fig_h)
    else:
        add_textbox(s, left, y + fig_h / 2 - 0.2, fig_w, "(no figure)", 16, color=GREY, italic=True)
    header, rows = table_rows(project, t, e, comps, exp)
    tx = left + fig_w + 0.2
    tw = SLIDE_W_IN - MARGIN_IN - tx + 0.15
    widths = [tw * 0.42, tw * 0.58]
    marks = {m for r in rows for m in (REC, PAT) if m in r[1]}
    key = "\n".join(k for m, k in ((REC, f"{REC} from patient data reconstructed from the figure"),
                                   (PAT, f"{PAT} from the patient-level data")) if m in marks)
    unit = {"months": "Times in months", "years": "Times in years"}.get(project.time_unit,
                                                                       f"Times in {project.time_unit}")
    sub = f"{t.name} · {e.name}" + (" (primary endpoint)" if e.primary else "") + f". {unit}."
    arms_line = breakable(header[0] if header[1] == "" else header[1])
    inner = tw * 72 - 6
    h_table = table_height_in(rows, widths, MIN_PT)
    h_key = text_height_pt(key, MIN_PT, inner) / 72 + 0.1 if key else 0.0
    h_arms = text_height_pt(arms_line, MIN_PT, inner) / 72
    h_sub = text_height_pt(sub, MIN_PT, inner) / 72 + 0.1
    room = bottom - y
    parts = [sub, arms_line] if h_sub + h_arms + h_table + h_key <= room else [sub]
    _, h = add_textbox(s, tx, y, tw, "\n".join(parts), MIN_PT, color=GREY)
    ty = y + h + 0.05
    _, th = add_table(s, tx, ty, widths, None, rows, MIN_PT)
    if key:
        add_textbox(s, tx, ty + th + 0.05, tw, key, MIN_PT, color=GREY)
    set_notes(s, notes_text(project, t, e, comps, exp))


def build_presentation(project: Project, figures: Figures | None = None, created: str | None = None,
                       include: Iterable[tuple[str, str]] | None = None,
                       extra: Iterable[Callable] = ()):
    """The deck. ``figures``: PNG per (trial, endpoint) name; ``include``: the endpoints to put in
    (None: all with data); ``extra``: callables (prs, project, figures) that add more slides in
    the same design after the comparisons (across-trials, forest plots)."""
    figures = figures or {}
    prs = new_presentation()
    comps = comparisons_by_arm(project)
    created = created or prov.now_utc()
    plans, _skipped = plan_slides(project, include)
    title_slide(prs, project, created, plans)
    for plan in plans:
        comparison_slide(prs, project, plan, comps, figures.get((plan.trial.name, plan.endpoint.name)))
    from evidencegui.io.pptx_across import add_across_slides
    add_across_slides(prs, project, figures)      # forest, across-trials summary, overlay slides
    for hook in extra:
        hook(prs, project, figures)
    prs.core_properties.title = clean_text(project.title or "Trial comparison")[:250]
    prs.core_properties.author = f"{prov.PROGRAM} {prov.__version__}"
    return prs


def slides_bytes(project: Project, figures: Figures | None = None, created: str | None = None,
                 include=None, extra=()) -> bytes:
    buf = io.BytesIO()
    build_presentation(project, figures, created, include, extra).save(buf)
    return buf.getvalue()


def write_slides(project: Project, path: str | os.PathLike, figures: Figures | None = None,
                 created: str | None = None, include=None, extra=()) -> Path:
    """Write the deck to ``path`` (atomically)."""
    return atomic_write_bytes(path, slides_bytes(project, figures, created, include, extra))


__all__ = ["plan_slides", "has_data", "table_rows", "headline", "sources", "build_presentation",
           "slides_bytes", "write_slides", "add_title", "add_textbox", "add_table", "add_picture",
           "add_footnote", "set_notes", "new_presentation", "add_slide", "wrap", "MIN_PT"]
