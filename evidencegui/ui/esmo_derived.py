"""ESMO-MCBS for a trial with reconstructed (or patient-level) data only: the grade uses the
published numbers, so say which ones are needed and offer to copy the values computed from the
figure into the reported columns, marked in each arm's source as derived from the figure. One
undoable step."""
from __future__ import annotations

import math

from PySide6.QtWidgets import QMessageBox

from evidencegui.core import commands as cmd

DERIVED_NOTE = "values derived from the reconstructed figure, not published"


def _num(v) -> float | None:
    return float(v) if v is not None and math.isfinite(float(v)) else None


def derived_values(ep) -> list[tuple[int, str, object, str]]:
    """(arm index, field, value, words) for every reported value of the endpoint that is empty
    and can be computed from its arms' patient-level data."""
    from evidencegui.core import survival as sv
    from evidencegui.core.fit_cache import kaplan_meier_of, logrank_cox_of
    from evidencegui.io.format import fmt_hr, fmt_p, fmt_time
    out = []
    ctl = ep.control
    for i, arm in enumerate(ep.arms):
        p = arm.patients
        if p is None or p.n == 0:
            continue
        km = kaplan_meier_of(p)
        q = sv.median(km)
        if arm.n is None:
            out.append((i, "n", int(km.n), f"{arm.label}: n = {km.n}"))
        if arm.events is None:
            out.append((i, "events", int(km.events), f"{arm.label}: events = {km.events}"))
        if arm.median is None and not arm.median_not_reached:
            med = _num(q.estimate)
            if med is None:
                out.append((i, "median_not_reached", True, f"{arm.label}: median not reached"))
            else:
                out.append((i, "median", round(med, 2), f"{arm.label}: median {fmt_time(med)} months"))
                lo, hi = _num(q.lower), _num(q.upper)
                if lo is not None and arm.median_lower is None:
                    out.append((i, "median_lower", round(lo, 2), f"{arm.label}: median lower limit {fmt_time(lo)}"))
                if hi is not None and arm.median_upper is None:
                    out.append((i, "median_upper", round(hi, 2), f"{arm.label}: median upper limit {fmt_time(hi)}"))
        if arm.is_control or ctl is None or ctl.patients is None or ctl.patients.n == 0:
            continue
        if arm.hr is None:
            lr, cox = logrank_cox_of(p, ctl.patients)
            if _num(cox.hr) is not None:
                out.append((i, "hr", round(cox.hr, 3), f"{arm.label}: HR {fmt_hr(cox.hr)}"))
                if arm.hr_lower is None and _num(cox.lower) is not None:
                    out.append((i, "hr_lower", round(cox.lower, 3), f"{arm.label}: HR lower limit {fmt_hr(cox.lower)}"))
                if arm.hr_upper is None and _num(cox.upper) is not None:
                    out.append((i, "hr_upper", round(cox.upper, 3), f"{arm.label}: HR upper limit {fmt_hr(cox.upper)}"))
                if arm.p_value is None and _num(lr.p) is not None:
                    out.append((i, "p_value", float(f"{lr.p:.3g}"), f"{arm.label}: p {fmt_p(lr.p)} (log-rank)"))
    return out


def needed(window) -> list[str]:
    """What ESMO-MCBS is missing for the shown endpoint (the grade's own words)."""
    from evidencegui.core.effects import compare_arms
    trial = window.project.trials[window.t_index]
    ep = trial.endpoints[window.e_index]
    out = []
    ctl = ep.control
    for arm in ep.experimental:
        try:
            g = compare_arms(trial, ep, arm, ctl).esmo
        except Exception:
            continue
        if g is not None:
            out += [m for m in g.missing if m not in out]
    return out


def offer(window, answer: bool | None = None) -> bool:
    """Analysis → Use the reconstructed values for ESMO-MCBS. ``answer`` skips the question
    (tests, scripts). True when values were copied."""
    if not window._need_endpoint():
        return False
    ep = window.project.trials[window.t_index].endpoints[window.e_index]
    values = derived_values(ep)
    missing = needed(window)
    if not values:
        text = ("ESMO-MCBS needs: " + "; ".join(missing) + ". None of them can be computed from "
                "patient-level data of this endpoint: type the published values in the arms table."
                if missing else "Nothing to copy: every value ESMO-MCBS uses is already in the arms table.")
        window.statusBar().showMessage(text, 12000)
        if answer is None:
            QMessageBox.information(window, "ESMO-MCBS", text)
        return False
    if answer is None:
        lines = "\n".join("• " + w for _, _, _, w in values)
        need = ("ESMO-MCBS grades the published results and is missing: " + "; ".join(missing) + ".\n\n"
                if missing else "")
        answer = QMessageBox.question(
            window, "Use the reconstructed values?",
            need + "These values can be computed from the arms' patient-level data:\n" + lines
            + "\n\nCopy them into the reported columns? Each arm's source will say they are "
            "derived from the figure, not published (Edit → Undo takes them back).") \
            == QMessageBox.StandardButton.Yes
    if not answer:
        return False
    ti, ei = window.t_index, window.e_index
    changes = [cmd.SetArmField(ti, ei, i, f, v, "copy reconstructed values") for i, f, v, _ in values]
    for i in sorted({i for i, _, _, _ in values}):
        src = ep.arms[i].source
        if DERIVED_NOTE not in src:
            changes.append(cmd.SetArmField(ti, ei, i, "source",
                                           (src + "; " if src else "") + DERIVED_NOTE,
                                           "copy reconstructed values"))
    done = window.push(cmd.Batch(changes, "copy reconstructed values for ESMO-MCBS"))
    if done:
        window.statusBar().showMessage(f"Copied {len(values)} value(s) derived from the figure into "
                                       "the reported columns (marked in each arm's source).", 10000)
    return done
