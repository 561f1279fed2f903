"""The across-trials table and the indirect comparisons as text, one way for the window, the
clipboard and the slides (numbers from core.across, written by io/format.py). Pure, no Qt."""
from __future__ import annotations

import html
from typing import Sequence

from evidencegui.io import format as fmt

HEADER = ("Trial", "Endpoint", "Arm", "Control", "n (arm / control)", "Median, arm",
          "Median, control", "Median gain", "HR (95% CI)", "1 − HR", "ESMO-MCBS", "Source")


def _n(x) -> str:
    return fmt.MISSING if x is None else str(x)


def median_text(value, not_reached: bool) -> str:
    return fmt.fmt_time(value, not_reached)


def row_cells(r) -> list[str]:
    """One core.across.TrialRow as the table's text cells (HEADER order)."""
    ci = r.hr_ci or (None, None)
    grade = r.esmo_grade or "not graded"
    if r.esmo_grade and r.esmo_form:
        grade = f"{r.esmo_grade} (form {r.esmo_form})"
    return [r.trial, r.endpoint, r.arm, r.control or fmt.MISSING,
            f"{_n(r.n_arm)} / {_n(r.n_control)}",
            median_text(r.median_arm, r.median_arm_not_reached),
            median_text(r.median_control, r.median_control_not_reached) if r.control else fmt.MISSING,
            fmt.fmt_gain(r.median_gain),
            fmt.fmt_hr(r.hr, ci[0], ci[1]), fmt.fmt_pct(r.relative_reduction), grade,
            r.source or fmt.MISSING]


def table(rows: Sequence) -> tuple[tuple[str, ...], list[list[str]]]:
    return HEADER, [row_cells(r) for r in rows]


def as_tsv(header: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    """Tab-separated text (for pasting into a spreadsheet); tabs and line breaks in cells become
    spaces so that the grid stays a grid."""
    def clean(s: str) -> str:
        return " ".join(str(s).replace("\t", " ").splitlines())
    return "\n".join("\t".join(clean(c) for c in row) for row in [list(header), *cells]) + "\n"


def as_html(header: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    """An HTML table (for pasting into a word processor or an e-mail)."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in cells)
    return (f"<table border='1' cellspacing='0' cellpadding='3'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def indirect_text(ic, name=str) -> str:
    """'PHILA (Pyrotinib+…) vs CLEOPATRA (Pertuzumab+…), PFS: HR 0.60 (0.45–0.81), p = 0.0009;
    equivalently CLEOPATRA vs PHILA: HR 1.66 (1.23–2.24)';
    ``name`` shortens the trial and arm names (slides)."""
    # the same comparison read the other way round (B against A: 1/HR, CI 1/upper–1/lower), so a
    # presenter need not divide by hand whichever trial was entered first
    return (f"{name(ic.trial_a)} ({name(ic.arm_a)}) vs {name(ic.trial_b)} ({name(ic.arm_b)}), {ic.endpoint}: "
            f"HR {fmt.fmt_hr(ic.hr, *ic.hr_ci)}, {fmt.p_equals(ic.p)}; "
            f"equivalently {name(ic.trial_b)} vs {name(ic.trial_a)}: "
            f"HR {fmt.fmt_hr(1 / ic.hr, 1 / ic.hr_ci[1], 1 / ic.hr_ci[0])}")


# Figures of the across-trials work travel in the writers' ``figures`` dict beside the survival
# figures ((trial, endpoint) → PNG), under keys no trial can have:
FOREST_KEY = "\x00forest"           # (FOREST_KEY, endpoint) → the endpoint's forest plot
OVERLAY_KEY = "\x00overlay"         # (OVERLAY_KEY, title) → the cross-trial overlay shown in the window
OVERLAY_CAVEAT = ("Cross-trial look, not a comparison: arms of different trials were not "
                  "randomised against each other.")


def split_figures(figures: dict | None) -> tuple[dict, dict]:
    """(survival figures, across-trials figures) of a writer's ``figures`` dict."""
    figures = figures or {}
    across = {k: v for k, v in figures.items() if k and k[0] in (FOREST_KEY, OVERLAY_KEY)}
    return {k: v for k, v in figures.items() if k not in across}, across
