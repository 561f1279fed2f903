"""The rows of a forest plot as text and log-scale positions, from a core.pooling.PoolResult:
which rows (trials, group headings, pooled diamonds, prediction interval), what each says
(through io/format.py) and the footer lines. Pure (no Qt), so the widget only draws."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from evidencegui.io import format as fmt

# Symmetric log axes: the widest bound a is chosen so every interval fits; ticks at these HRs.
_AXES = ((1.5, (0.67, 1, 1.5)), (2.0, (0.5, 0.7, 1, 1.5, 2)), (4.0, (0.25, 0.5, 1, 2, 4)),
         (5.0, (0.2, 0.5, 1, 2, 5)),
         (10.0, (0.1, 0.2, 0.5, 1, 2, 5, 10)), (100.0, (0.01, 0.1, 1, 10, 100)))


@dataclass
class ForestRow:
    """One drawn row. ``kind``: study, group (a heading), fixed, random, pi (prediction
    interval). Positions are natural logs of hazard ratios."""
    kind: str
    label: str
    log_hr: float | None = None
    log_lo: float | None = None
    log_hi: float | None = None
    hr_text: str = ""
    w_fixed: str = ""
    w_random: str = ""
    weight: float | None = None        # the square's size: its weight in the random-effects model
    bold: bool = False


@dataclass
class ForestData:
    rows: list[ForestRow]
    footer: list[str] = field(default_factory=list)
    title: str = ""


def _log_ci(ci) -> tuple[float | None, float | None]:
    if not ci or ci[0] is None or ci[1] is None or ci[0] <= 0 or ci[1] <= 0:
        return None, None
    return math.log(ci[0]), math.log(ci[1])


def _pooled_row(kind: str, label: str, est, weight_text: tuple[str, str] = ("", "")) -> ForestRow:
    lo, hi = _log_ci(est.hr_ci)
    return ForestRow(kind, label, math.log(est.hr), lo, hi, fmt.fmt_hr(est.hr, *est.hr_ci),
                     weight_text[0], weight_text[1], bold=True)


def _het_text(h, tau2=None, method: str = "") -> str:
    return fmt.fmt_heterogeneity(h.i2, tau2, h.q, h.df, h.p, method)


def forest_data(result, mode: str = "studies", title: str = "") -> ForestData:
    """The rows and footer of a forest plot over a core.pooling.PoolResult.

    mode "studies": trials (grouped when the studies carry groups, each group with its own
    diamonds), the overall fixed and random diamonds and the prediction interval.
    mode "subgroups": the levels of each subgroup variable under a heading, with the variable's
    common-effect estimate; no overall diamond (the variables describe the same patients, so
    pooling across them would count each patient several times), and the test for interaction
    (Q across a variable's levels) in the footer.
    """
    rows: list[ForestRow] = []
    method = result.random.method
    by_group: dict[Any, list] = {}
    for ws in result.studies:
        by_group.setdefault(ws.study.group, []).append(ws)
    groups = {g.group: g for g in (result.groups or [])}
    grouped = bool(groups) and (len(by_group) > 1 or mode == "subgroups")

    def study_row(ws) -> ForestRow:
        s = ws.study
        ci = s.ci()
        lo, hi = _log_ci(ci)
        return ForestRow("study", s.name, s.log_hr, lo, hi, fmt.fmt_hr(math.exp(s.log_hr), *ci),
                         fmt.fmt_weight(ws.weight_fixed) if mode == "studies" else "",
                         fmt.fmt_weight(ws.weight_random) if mode == "studies" else "",
                         weight=ws.weight_random if mode == "studies" else ws.weight_fixed)

    footer: list[str] = []
    for g, members in by_group.items():
        if grouped:
            rows.append(ForestRow("group", str(g) if g is not None else "Other", bold=True))
        rows.extend(study_row(ws) for ws in members)
        gr = groups.get(g)
        if not grouped or gr is None:
            continue
        if mode == "subgroups":
            rows.append(_pooled_row("fixed", "All levels, common effect", gr.fixed))
            h = gr.heterogeneity
            if h.df >= 1 and fmt.finite(h.p):
                footer.append(f"{g}: test for interaction (Q across levels) = {h.q:.2f} on "
                              f"{h.df} df, {fmt.p_equals(h.p)}")
        elif gr.k > 1:
            wf = sum(ws.weight_fixed for ws in members)
            wr = sum(ws.weight_random for ws in members)
            rows.append(_pooled_row("fixed", "Subtotal, fixed effect", gr.fixed,
                                    (fmt.fmt_weight(wf), "")))
            rows.append(_pooled_row("random", f"Subtotal, random effects ({method})", gr.random,
                                    ("", fmt.fmt_weight(wr))))
            footer.append(f"{g}: " + _het_text(gr.heterogeneity, gr.random.tau2))
    k = len(result.studies)
    if mode == "studies" and k == 1:
        footer.append("One trial: nothing to pool.")
    elif mode == "studies":
        rows.append(_pooled_row("fixed", "Fixed effect", result.fixed,
                                (fmt.fmt_weight(1.0), "")))
        rows.append(_pooled_row("random", f"Random effects ({method})", result.random,
                                ("", fmt.fmt_weight(1.0))))
        pi = result.random.prediction_interval
        if pi is not None and k >= 3:
            lo, hi = _log_ci(pi)
            rows.append(ForestRow("pi", "Prediction interval", None, lo, hi,
                                  fmt.fmt_ci(pi[0], pi[1])))
        footer.insert(0, "Heterogeneity: " + _het_text(result.heterogeneity, result.random.tau2, method))
        caution = fmt.heterogeneity_caution(result.heterogeneity.i2)
        if caution:
            footer.insert(1, caution)
        hk = result.random.hksj_ci
        if hk is not None and k >= 2:
            footer.insert(2 if caution else 1, "Random effects with the Hartung–Knapp–Sidik–Jonkman adjustment: "
                          f"95% CI {fmt.fmt_ci(hk[0], hk[1])}")
        gd = result.group_difference
        if grouped and gd:
            parts = [f"Q = {d['q']:.2f} on {d['df']} df, {fmt.p_equals(d['p'])} ({name})"
                     for name, d in (("fixed", gd.get("fixed")), ("random", gd.get("random")))
                     if d and fmt.finite(d.get("q")) and fmt.finite(d.get("p"))]
            if parts:
                footer.append("Test for group differences: " + "; ".join(parts))
    else:
        footer.append("Subgroup levels of one comparison; diamonds pool the levels of each "
                      "variable (common effect).")
    return ForestData(rows, footer, title)


def axis_bound(rows: Sequence[ForestRow]) -> tuple[float, tuple[float, ...]]:
    """(a, ticks): the symmetric axis [1/a, a] that holds every estimate and interval (cut at
    1/100 and 100), and its ticks as hazard ratios."""
    ends = [abs(v) for r in rows for v in (r.log_hr, r.log_lo, r.log_hi) if fmt.finite(v)]
    need = math.exp(max(ends, default=math.log(2.0)) * 1.04)
    for a, ticks in _AXES:
        if need <= a:
            return a, ticks
    return _AXES[-1]
