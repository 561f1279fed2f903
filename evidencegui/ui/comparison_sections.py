"""What the comparison panel shows, without Qt: for each experimental arm of an endpoint, a
section of rows (the reported value beside the one the patient-level data give, each with its
rule and any discrepancy flagged), and the same sections as plain text and HTML for the clipboard.

The numbers come from core (effects.compare_arms, survival.rmst_comparison and
survival.survival_difference) and are written by io/format.py; this module only chooses what to
show. The widget is ui/comparison_panel.py.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

from evidencegui.io.format import fmt_gain, fmt_nnt, fmt_points, fmt_p, fmt_pct, fmt_ratio, fmt_time, minus, with_ci

NO_COMPARISON = "No comparison: needs a control and an experimental arm."
DEFAULT_LANDMARKS = (12.0, 24.0, 36.0, 60.0)     # months: 1, 2, 3 and 5 years


# ----------------------------------------------------------------------------- formatting

def project_unit(project) -> str:
    """The project's time unit (months when it has none the plot knows)."""
    from evidencegui.core.curves import TIME_UNITS
    u = getattr(project, "time_unit", "months")
    return u if u in TIME_UNITS else "months"


def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def _g(x) -> str:
    """A number as typed (56.5, 0.68), for the formulas in the tooltips."""
    return minus(f"{x:.4g}") if _finite(x) else "?"


# ----------------------------------------------------------------------------- rows (no Qt)

@dataclass
class Row:
    """One measure: what the paper reports and what the patient-level data give."""
    key: str
    measure: str
    reported: str = "—"
    computed: str = ""
    rule: str = ""                 # the formula for the reported value
    computed_rule: str = ""        # the formula / method for the computed value
    flag: str = ""                 # a discrepancy between the two (message and reasons)
    note: str = ""                 # a caution that is not a discrepancy (NNT CI unbounded, …)
    children: list[tuple[str, str]] = field(default_factory=list)   # expandable detail lines
    measure_tip: str = ""


@dataclass
class Section:
    """One experimental arm against the control."""
    experimental: str
    control: str
    rows: list[Row]
    discrepancies: list = field(default_factory=list)      # core.effects.Discrepancy
    notes: list[str] = field(default_factory=list)
    computed_source: str | None = None                     # None: no patient-level data

    @property
    def title(self) -> str:
        return f"{self.experimental} vs {self.control}"

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)


def no_comparison_reason(endpoint) -> str | None:
    """Why this endpoint cannot be compared (None: it can)."""
    if endpoint is None:
        return "No endpoint selected."
    arms = endpoint.arms
    ctl = endpoint.control
    if ctl is not None and endpoint.experimental:
        return None
    if not arms:
        hint = "This endpoint has no arms yet: add two with “Add arm”."
    elif len(arms) == 1:
        hint = ("This endpoint has one arm (" + arms[0].label + "). Add the other arm and mark "
                "which one is the control.")
    elif ctl is None:
        hint = "None of the arms is the control: select one and press “Make control”."
    else:
        hint = "Every arm is the control: add an experimental arm."
    return NO_COMPARISON + "\n" + hint


def _median_row(key, label, arm, computed, ci, unit) -> Row:
    r = Row(key, label)
    r.reported = with_ci(fmt_time(arm.median, arm.median_not_reached), arm.median_lower,
                         arm.median_upper, fmt_time, "NR")
    r.measure_tip = f"Median {label.split(', ')[-1]} arm ({arm.label}), {unit}, with its 95% CI"
    r.rule = "as reported" + (f" ({arm.source})" if arm.source else "")
    if computed is not None or ci is not None:
        r.computed = with_ci(fmt_time(computed, computed is None), *(ci or (None, None)),
                             fmt_time, "NR")
        r.computed_rule = ("Kaplan–Meier median: the first time S(t) ≤ 0.5 (midpoint where the "
                           "curve equals 0.5 over an interval, as R)")
    return r


def _landmark_row(t, unit, reported, computed) -> Row:
    """reported: core LandmarkEffect or None; computed: survival.Difference or None."""
    r = Row(f"landmark:{t:g}", f"Difference at {t:g} {unit[:2] if unit == 'months' else unit}")
    r.measure_tip = (f"Absolute difference in survival at {t:g} {unit} (experimental − control), "
                     "and the number needed to treat for one more patient alive (NNT, benefit) or "
                     "to harm one (NNH)")
    if reported is not None and reported.difference is not None:
        r.reported = _diff_text(reported.difference, reported.nnt, reported.nnt_kind)
        r.rule = (f"{fmt_pct(reported.experimental, digits=1)} − {fmt_pct(reported.control, digits=1)}"
                  f" = {fmt_points(reported.difference)}; " + _nnt_rule(reported.difference))
        if reported.modelled:
            r.reported += " (modelled)"
            r.rule += "; " + reported.note
    if computed is not None and computed.difference is not None:
        nn = computed.nnt
        r.computed = _diff_text(computed.difference, nn.value if nn else None, nn.kind if nn else None)
        ci = "" if not (_finite(computed.lower) and _finite(computed.upper)) else \
            f"{fmt_points(computed.lower)} to {fmt_points(computed.upper)}"
        r.computed_rule = (f"Kaplan–Meier difference {fmt_points(computed.difference)}"
                           + (f" (95% CI {ci}, Greenwood)" if ci else "") + "; "
                           + _nnt_rule(computed.difference))
        if nn is not None and nn.crosses_zero:
            r.note = ("CI crosses zero → NNT CI unbounded: " + nn.note)
            r.computed += " *"
        elif nn is not None and nn.note:
            r.children.append(("NNT from the patient data", nn.note))
    return r


def _diff_text(d, n, kind) -> str:
    text = fmt_points(d)              # percentage points, as the workbook and the slides say
    if n is not None:
        text += " · " + fmt_nnt(n, kind)
    return text


def _nnt_rule(d) -> str:
    if not _finite(d) or d == 0:
        return "no difference: no NNT"
    kind = "NNT (benefit)" if d > 0 else "NNH (harm)"
    return f"{kind} = ⌈1 / |{_g(d)}|⌉ = {math.ceil(1 / abs(d) - 1e-9)}"


def _esmo_row(c) -> Row:
    r = Row("esmo", "ESMO-MCBS")
    g = c.esmo
    if g is None:
        r.reported = "—"
        return r
    r.measure_tip = f"ESMO-MCBS v{g.version}: preliminary grade from the form's thresholds"
    if g.form is None or g.preliminary_grade is None:
        r.reported = "not graded" + (f" (form {g.form})" if g.form else "")
        why = ", ".join(g.missing) if g.missing else "no form applies"
        r.rule = f"cannot grade: missing {why}" if g.missing else why
        r.children.append(("Missing", why))
        if g.missing and getattr(c, "computed", None):
            r.rule += ("; Analysis → Use the reconstructed values for ESMO-MCBS… fills them from "
                       "the figure")
            r.children.append(("What to do", "type the published values in the arms table, or use "
                               "Analysis → Use the reconstructed values for ESMO-MCBS (marked as "
                               "derived from the figure)"))
    else:
        r.reported = f"grade {g.preliminary_grade} (form {g.form})"
        if g.final_grade is not None and g.final_grade != g.preliminary_grade:
            r.reported = f"grade {g.preliminary_grade} → {g.final_grade} (form {g.form})"
        r.rule = g.rule
        r.children.append(("Form", g.form_name or g.form))
        r.children.append(("Preliminary grade", str(g.preliminary_grade)))
        r.children.append(("Rule", g.rule))
        applied = [a["reason"] for a in g.adjustments if a.get("applied")]
        final = f"{g.final_grade}" + (" (" + "; ".join(applied) + ")" if applied else
                                     " (no adjustment applies)")
        r.children.append(("Final grade", final))
    for n in g.notes:
        r.children.append(("Note", n))
    return r


def build_section(trial, endpoint, arm, control, unit: str = "months") -> Section:
    from evidencegui.core.effects import compare_arms

    c = compare_arms(trial, endpoint, arm, control)
    comp = c.computed or {}
    extras = patient_extras(arm, control, [lm.time for lm in c.landmarks])
    invalid = [f"⚠ invalid input left out of these numbers and the grade: {m}"
               for m in c.input_errors]
    sec = Section(arm.label, control.label, [], list(c.discrepancies), invalid + list(c.notes),
                  comp.get("source") if comp else None)

    me = _median_row("median_experimental", "Median, experimental", arm,
                     comp.get("median_experimental"), comp.get("median_experimental_ci"), unit)
    mc = _median_row("median_control", "Median, control", control,
                     comp.get("median_control"), comp.get("median_control_ci"), unit)
    sec.rows += [me, mc]
    for row, role in ((me, "experimental"), (mc, "control")):   # reconstruction vs its figure
        if comp.get(f"median_{role}_not_reached_in_figure"):
            row.flag = ("not reached: the digitized curve never goes below 0.5; the reconstructed "
                        f"curve reaches it at {fmt_time(comp[f'median_{role}_reconstructed'])} "
                        "(one rounded event)")

    gain = Row("median_gain", "Median gain",
               measure_tip=f"Experimental median − control median ({unit})")
    if c.gain_shown is not None:
        gain.reported = ("≈ " if c.median_gain_estimated else "") + fmt_gain(c.gain_shown)
        if c.median_gain_estimated:
            gain.rule = (f"gain = {_g(c.median_control)} / {_g(c.hr)} − {_g(c.median_control)} "
                         f"= {_g(c.gain_shown)} (experimental median not reached: estimated from "
                         "the HR, proportional exponential hazards)")
        else:
            gain.rule = (f"gain = {_g(c.median_experimental)} − {_g(c.median_control)} "
                         f"= {_g(c.median_gain)}")
    elif c.experimental_not_reached and not c.control_not_reached:
        gain.reported = "not estimable"
        gain.rule = "the experimental median is not reached and no HR is given"
    elif c.control_not_reached:
        gain.reported = "not estimable"
        gain.rule = "the control median is not reached: no gain of medians"
    if comp.get("median_gain") is not None:
        gain.computed = fmt_gain(comp["median_gain"])
        gain.computed_rule = (f"gain = {_g(comp['median_experimental'])} − "
                              f"{_g(comp['median_control'])} = {_g(comp['median_gain'])}")
    sec.rows.append(gain)

    ratio = Row("median_ratio", "Median ratio", measure_tip="Experimental median / control median")
    if c.median_ratio is not None:
        ratio.reported = fmt_ratio(c.median_ratio)
        ratio.rule = (f"ratio = {_g(c.median_experimental)} / {_g(c.median_control)} "
                      f"= {c.median_ratio:.3f}")
    if comp.get("median_ratio") is not None:
        ratio.computed = fmt_ratio(comp["median_ratio"])
        ratio.computed_rule = (f"ratio = {_g(comp['median_experimental'])} / "
                               f"{_g(comp['median_control'])} = {comp['median_ratio']:.3f}")
    sec.rows.append(ratio)

    hr = Row("hr", "HR (95% CI)",
             measure_tip="Hazard ratio, experimental vs control, with its 95% CI"
             + (" (stratified)" if c.hr_stratified else ""))
    if c.hr is not None:
        hr.reported = with_ci(fmt_ratio(c.hr), c.hr_lower, c.hr_upper)
        hr.rule = "as reported" + (" (stratified Cox model)" if c.hr_stratified else "")
        if c.significant is not None:
            hr.rule += "; " + ("statistically significant" if c.significant
                               else "not statistically significant") + " at 5%"
    if comp.get("hr") is not None:
        lo, hi = comp.get("hr_ci") or (None, None)
        hr.computed = with_ci(fmt_ratio(comp["hr"]), lo, hi)
        hr.computed_rule = "Cox proportional-hazards model (Efron ties, unstratified), Wald CI"
    sec.rows.append(hr)

    p = Row("p", "p-value", measure_tip="Two-sided p-value of the comparison")
    if c.p_value is not None:
        p.reported = fmt_p(c.p_value, c.p_value_upper_bound)
        p.rule = "as reported"
    if comp.get("logrank_p") is not None:
        p.computed = fmt_p(comp["logrank_p"])
        p.computed_rule = f"log-rank test, χ² = {comp['logrank_chisq']:.2f} (1 df)"
    sec.rows.append(p)

    se = Row("hr_se", "SE of log HR", measure_tip="Standard error of ln(HR), as used in "
             "meta-analysis and indirect comparisons")
    if c.hr_se is not None:
        se.reported = f"{c.hr_se:.3f}"
        if c.hr_se_source == "ci":
            se.rule = (f"SE = (ln {_g(c.hr_upper)} − ln {_g(c.hr_lower)}) / (2 × 1.96) "
                       f"= {c.hr_se:.3f}")
        else:
            se.rule = (f"SE = |ln {_g(c.hr)}| / z, z = −0.862 + √(0.743 − 2.404 × ln {_g(c.p_value)})"
                       f" = {c.hr_se:.3f} (Altman & Bland 2011, from the p-value)")
    if comp.get("hr_se") is not None:
        se.computed = f"{comp['hr_se']:.3f}"
        se.computed_rule = "from the Cox model's information matrix"
    sec.rows.append(se)

    rr = Row("relative_reduction", "Relative reduction",
             measure_tip="Relative reduction of the hazard: 1 − HR")
    if c.relative_reduction is not None:
        rr.reported = fmt_pct(c.relative_reduction)
        rr.rule = f"1 − HR = 1 − {_g(c.hr)} = {_g(c.relative_reduction)}"
        if c.relative_reduction < 0:
            rr.note = "negative: the hazard is higher in the experimental arm"
    if comp.get("hr") is not None:
        rr.computed = fmt_pct(1 - comp["hr"])
        rr.computed_rule = f"1 − {comp['hr']:.3f}"
    sec.rows.append(rr)

    times = sorted({lm.time for lm in c.landmarks} | set((extras or {}).get("landmarks", {})))
    for t in times:
        rep = next((lm for lm in c.landmarks if abs(lm.time - t) < 1e-9), None)
        sec.rows.append(_landmark_row(t, unit, rep, (extras or {}).get("landmarks", {}).get(t)))

    if extras and extras.get("rmst") is not None:
        rm = extras["rmst"]
        a, b = extras["rmst_arms"]
        tau = f"{rm.tau:.1f}"
        d = Row("rmst_difference", f"RMST difference (τ {tau})",
                measure_tip=f"Restricted mean survival time up to τ = {tau} {unit} (the shorter "
                "follow-up of the two arms): the area under each Kaplan–Meier curve")
        d.computed = with_ci(fmt_time(rm.difference), rm.lower, rm.upper, fmt_time)
        d.computed_rule = (f"RMST {a.estimate:.1f} (experimental) − {b.estimate:.1f} (control) "
                           f"= {rm.difference:.1f} {unit}; SE by the Greenwood-type formula, as R")
        d.rule = "not reported"
        sec.rows.append(d)
        q = Row("rmst_ratio", "RMST ratio", measure_tip="RMST experimental / RMST control")
        if rm.ratio is not None:
            q.computed = with_ci(fmt_ratio(rm.ratio), rm.ratio_lower, rm.ratio_upper)
            q.computed_rule = (f"RMST {a.estimate:.1f} / {b.estimate:.1f} = {rm.ratio:.3f} "
                               "(CI on the log scale)")
        q.rule = "not reported"
        sec.rows.append(q)

    sec.rows.append(_esmo_row(c))

    for d in c.discrepancies:
        row = sec.row(d.measure)
        if row is None:
            continue
        row.flag = d.message + ("" if not d.reasons else
                                ". Likely because " + "; and ".join(d.reasons)) + "."
        if row.computed:
            row.computed = "⚠ " + row.computed
    return sec


def patient_extras(exp, ctl, reported_times=()) -> dict | None:
    """RMST and landmark differences from the patient-level data of both arms (None: no data),
    computed once per change of either arm's data or of the landmark times (a keystroke in another
    arm's row redrew every section with its RMSTs again). The dict is shared: read it only."""
    if exp.patients is None or ctl is None or ctl.patients is None:
        return None
    if exp.patients.n == 0 or ctl.patients.n == 0:
        return None
    from evidencegui.core.fit_cache import derived
    times = tuple(sorted(set(reported_times)))
    return derived("panel extras", (exp.patients, ctl.patients), (times,),
                   lambda: _patient_extras(exp.patients, ctl.patients, times))


def _patient_extras(exp_patients, ctl_patients, reported_times: tuple) -> dict:
    from evidencegui.core import survival as sv

    from evidencegui.core.fit_cache import kaplan_meier_of
    km_e = kaplan_meier_of(exp_patients)        # the plot's and the comparison's fits
    km_c = kaplan_meier_of(ctl_patients)
    tau = min(km_e.max_time, km_c.max_time)
    out: dict = {"landmarks": {}, "rmst": None, "rmst_arms": None, "tau": tau}
    if not math.isfinite(tau) or tau <= 0:
        return out
    times = list(reported_times) or [t for t in DEFAULT_LANDMARKS if t <= tau]
    for t in times:
        if t <= tau:
            out["landmarks"][t] = sv.survival_difference(km_e, km_c, t)
    out["rmst"] = sv.rmst_comparison(km_e, km_c, tau)
    out["rmst_arms"] = (sv.rmst(km_e, tau), sv.rmst(km_c, tau))
    return out


def single_arm_grade(trial, endpoint) -> str:
    """ESMO-MCBS form 3 for a single-arm result, as extra lines for the message ('' if none)."""
    from evidencegui.core.effects import compare_arms
    try:
        g = compare_arms(trial, endpoint, endpoint.arms[0], None).esmo
    except Exception:
        return ""
    if g is None or g.form is None:
        return ""
    if g.preliminary_grade is None:
        return f"\n\nESMO-MCBS form {g.form} (single arm): not graded — missing " + \
            ", ".join(g.missing or ["a matching threshold"]) + "."
    return (f"\n\nESMO-MCBS form {g.form} (single arm): preliminary grade {g.preliminary_grade}"
            f" — {g.rule}.")


def build_sections(project, trial, endpoint) -> tuple[str | None, list[Section]]:
    """(message, sections): a message instead of sections when nothing can be compared."""
    reason = no_comparison_reason(endpoint)
    if reason is not None:
        if endpoint is not None and len(endpoint.arms) == 1 and trial is not None:
            reason += single_arm_grade(trial, endpoint)
        return reason, []
    unit = project_unit(project)
    sections = []
    for arm in endpoint.experimental:
        sections.append(build_section(trial, endpoint, arm, endpoint.control, unit))
    return None, sections


def sections_text(title: str, sections: list[Section], message: str | None = None) -> str:
    """Plain text for an e-mail: aligned columns, then discrepancies and notes."""
    lines = [title]
    if message:
        return "\n".join(lines + [message])
    for s in sections:
        lines += ["", s.title]
        head = ["Measure", "Reported"] + (["Patient data"] if s.computed_source else [])
        body = [[r.measure, r.reported] + ([r.computed or "—"] if s.computed_source else [])
                for r in s.rows]
        widths = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
        for cells in [head] + body:
            lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
        esmo = s.row("esmo")
        if esmo is not None and esmo.rule:
            lines.append(f"ESMO-MCBS rule: {esmo.rule}")
        if s.computed_source:
            lines.append(f"Patient data: {s.computed_source}.")
        for r in s.rows:
            if r.flag:
                lines.append(f"⚠ {r.flag}")
            if r.note:
                lines.append(f"* {r.measure}: {r.note}")
        for n in s.notes:
            lines.append(f"Note: {n}")
    return "\n".join(lines)


def sections_html(title: str, sections: list[Section], message: str | None = None) -> str:
    e = html.escape
    out = [f"<p><b>{e(title)}</b></p>"]
    if message:
        return "".join(out) + f"<p>{e(message)}</p>"
    for s in sections:
        out.append(f"<p><b>{e(s.title)}</b></p><table border='1' cellspacing='0' cellpadding='3'>")
        cols = ["Measure", "Reported"] + (["Patient data"] if s.computed_source else [])
        out.append("<tr>" + "".join(f"<th align='left'>{e(c)}</th>" for c in cols) + "</tr>")
        for r in s.rows:
            cells = [r.measure, r.reported] + ([r.computed or "—"] if s.computed_source else [])
            out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
        out.append("</table>")
        extra = [f"ESMO-MCBS rule: {s.row('esmo').rule}"] if s.row("esmo") and s.row("esmo").rule else []
        extra += [f"⚠ {r.flag}" for r in s.rows if r.flag]
        extra += [f"* {r.measure}: {r.note}" for r in s.rows if r.note]
        extra += [f"Note: {n}" for n in s.notes]
        out += [f"<p>{e(x)}</p>" for x in extra]
    return "".join(out)
