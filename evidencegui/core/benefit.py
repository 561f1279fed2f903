"""ESMO-MCBS grading: a small engine that reads a version's tables (core.esmo_v1_1) and says
which form, stratum, thresholds and rule gave the grade — or what is missing to give one."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from evidencegui.core import esmo_v1_1
from evidencegui.core.effects import Comparison, compare_arms
from evidencegui.core.model import Endpoint, Trial

VERSIONS = {esmo_v1_1.VERSION: esmo_v1_1}
DEFAULT_VERSION = esmo_v1_1.VERSION
_EPS = 1e-9


@dataclass
class EsmoGrade:
    version: str
    form: str | None                      # "1", "2a", "2b", "3"; None: no form applies
    form_name: str = ""
    graded_endpoint: str | None = None    # the endpoint whose numbers were graded (OS after a 2b→2a switch)
    stratum: str | None = None
    preliminary_grade: int | str | None = None
    final_grade: int | str | None = None
    rule: str = ""                        # the deciding rule in words
    thresholds: list[dict[str, Any]] = field(default_factory=list)
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"version": self.version, "form": self.form,
                "preliminary_grade": self.preliminary_grade, "rule": self.rule,
                "final_grade": self.final_grade, "form_name": self.form_name,
                "graded_endpoint": self.graded_endpoint, "stratum": self.stratum,
                "thresholds": [dict(t) for t in self.thresholds],
                "adjustments": [dict(a) for a in self.adjustments],
                "missing": list(self.missing), "notes": list(self.notes)}


# ----------------------------------------------------------------------------- the engine

def _holds(value: float, op: str, threshold: float) -> bool:
    if op == "<=":
        return value <= threshold + _EPS
    if op == "<":
        return value < threshold - _EPS
    if op == ">=":
        return value >= threshold - _EPS
    if op == ">":
        return value > threshold + _EPS
    if op == "==":
        return abs(value - threshold) <= _EPS
    raise ValueError(f"unknown operator {op!r}")


def _fmt(quantity: str, x: float, table) -> str:
    unit = table.QUANTITIES.get(quantity, ("", ""))[1]
    if quantity == "hr_ll":
        return f"{x:.2f}" if abs(round(x, 2) - x) < 1e-12 else f"{x:.3g}"
    if unit == "points":
        return f"{x * 100:.3g}"
    if unit == "%":
        return f"{x * 100:.3g}%"
    return f"{round(x, 2):g}"


def _cond_text(cond, value, table, estimated_gain: bool) -> str:
    q, op, thr = cond
    label, unit = table.QUANTITIES.get(q, (q, ""))
    if q == "gain" and estimated_gain:
        label = "gain (estimated from the HR)"
    if op == "==":
        return label if thr else f"not {label}"
    tail = " months" if unit == "months" else " points" if unit == "points" else ""
    return f"{label} {_fmt(q, value, table)} {op} {_fmt(q, thr, table)}{tail}"


def evaluate_form(form: dict, values: dict[str, float | None], table, estimated_gain=False) -> dict:
    """Grade `values` with one form. Returns stratum, grade, rule, thresholds, missing."""
    stratum = None
    for st in form["strata"]:
        if all(values.get(q) is not None and _holds(values[q], op, t) for q, op, t in st["when"]):
            stratum = st
            break
    res: dict[str, Any] = {"stratum": None, "grade": None, "rule": "", "thresholds": [],
                           "missing": []}
    if stratum is None:
        need = sorted({q for st in form["strata"] for q, _, _ in st["when"] if values.get(q) is None})
        res["missing"] = [table.QUANTITIES.get(q, (q,))[0] for q in need] or ["a matching stratum"]
        return res
    res["stratum"] = stratum["label"]
    for grade, routes in stratum["grades"]:
        for i, route in enumerate(routes, 1):
            for q, op, thr in route:
                v = values.get(q)
                res["thresholds"].append({
                    "grade": grade, "route": i, "quantity": q,
                    "label": table.QUANTITIES.get(q, (q,))[0], "operator": op, "threshold": thr,
                    "value": v, "met": None if v is None else _holds(v, op, thr)})
    optional = set(form.get("optional", ()))
    missing: list[str] = []
    for grade, routes in stratum["grades"]:
        unknown = False
        for route in routes:
            absent = [q for q, _, _ in route if values.get(q) is None]
            if absent:
                if not set(absent) <= optional:
                    unknown = True
                    missing.extend(q for q in absent if q not in optional)
                continue
            if all(_holds(values[q], op, t) for q, op, t in route):
                res["grade"] = grade
                res["rule"] = stratum["label"] + "; " + " and ".join(
                    _cond_text(c, values[c[0]], table, estimated_gain) for c in route)
                return res
        if unknown:
            break
    if missing:
        res["missing"] = [table.QUANTITIES.get(q, (q,))[0] for q in dict.fromkeys(missing)]
    else:
        res["rule"] = stratum["label"] + "; meets no threshold of " + form["name"].split(":")[0]
    return res


def _adjust(form: dict, flags: dict[str, bool], preliminary) -> tuple[Any, list[dict]]:
    applied = []
    total = 0
    for adj in form["adjustments"]:
        on = all(flags.get(f) for f in adj["flags"]) and not any(flags.get(f) for f in adj["unless"])
        if on:
            total += adj["change"]
        applied.append({"flags": list(adj["flags"]), "change": adj["change"], "reason": adj["reason"],
                        "applied": bool(on)})
    if preliminary is None:
        return None, applied
    if isinstance(preliminary, str):
        return preliminary, applied
    final = max(form["final_min"], min(form["final_max"], preliminary + total))
    return final, applied


# ----------------------------------------------------------------------------- inputs

def _landmark_gain(comp: Comparison, months: float) -> float | None:
    lm = comp.landmark(months, reported_only=True)
    return None if lm is None else lm.difference


def _late_os_gain(comp: Comparison) -> tuple[float | None, float | None]:
    late = [lm for lm in comp.landmarks if lm.time >= 36 - _EPS and not lm.modelled
            and lm.difference is not None]
    if not late:
        return None, None
    lm = max(late, key=lambda x: x.time)
    return lm.difference, lm.time


def _arm_by_label(trial: Trial, label: str, endpoint: str | None = None):
    for ep in trial.endpoints:
        if endpoint is not None and ep.name.upper() != endpoint:
            continue
        a = ep.arm(label)
        if a is not None:
            yield ep, a


def _values(comp: Comparison) -> dict[str, float | None]:
    v: dict[str, float | None] = {
        "control_median": comp.median_control if not comp.control_not_reached else None,
        "hr_ll": comp.hr_lower,
        "gain": comp.gain_shown,   # the estimate from the HR when the median is not reached
    }
    for months in (24, 36, 60):
        v[f"landmark_gain_{months}"] = _landmark_gain(comp, months)
    return v


def grade_esmo(trial: Trial, endpoint: Endpoint, comparison: Comparison,
               version: str = DEFAULT_VERSION) -> EsmoGrade:
    table = VERSIONS[version]
    g = EsmoGrade(version=version, form=None)
    flags = {k: bool(v) for k, v in endpoint.esmo_flags.items()}
    name = endpoint.name.strip().upper()
    comp = comparison
    form_id: str | None
    values: dict[str, float | None]

    if trial.setting == "curative":
        form_id = "1"
        values = {"hr_ll": comp.hr_lower, "endpoint_is_os": 1.0 if name == "OS" else 0.0,
                  "non_inferior_with_benefit": 1.0 if flags.get("non_inferior") and (
                      flags.get("toxicity_reduced") or flags.get("qol_improved")) else None}
        gain, at = _late_os_gain(comp)
        values["os_gain_late"] = gain
        if name == "OS" and gain is None:
            g.missing.append("OS survival in both arms at a landmark of 3 years or later")
        if at is not None:
            g.notes.append(f"OS improvement read at {at:g} months")
    elif trial.single_arm or comp.control is None:
        form_id = "3"
        arm_pfs = None
        orr, dor = comp.orr, comp.dor
        for ep, a in _arm_by_label(trial, comp.arm):
            orr = orr if orr is not None else a.orr
            dor = dor if dor is not None else a.dor
            if ep.name.strip().upper() == "PFS" and a.median is not None:
                arm_pfs = a.median
        values = {"pfs_median": arm_pfs, "orr": orr, "dor": dor}
        if arm_pfs is None and orr is None:
            g.missing.append("median PFS or ORR of the single arm")
    else:
        form_id = table.ENDPOINT_FORMS.get(name)
        if form_id is None:
            g.missing.append(f"a form for endpoint {endpoint.name!r} in the non-curative setting "
                             "(v1.1 grades OS with Form 2a and PFS/TTP with Form 2b)")
            return g
        sw = table.SWITCH_TO_OS
        if form_id == "2b" and flags.get(sw["flag"]):
            os_ep = trial.endpoint(sw["endpoint"]) or next(
                (e for e in trial.endpoints if e.name.strip().upper() == sw["endpoint"]), None)
            os_exp = None if os_ep is None else os_ep.arm(comp.arm)
            os_ctl = None if os_ep is None else os_ep.control
            if os_exp is not None and os_ctl is not None and not os_exp.is_control:
                comp = compare_arms(trial, os_ep, os_exp, os_ctl, grade=False)
                form_id = sw["form"]
                flags = {k: bool(v) for k, v in os_ep.esmo_flags.items()} | {
                    k: v for k, v in flags.items() if v}
                g.notes.append(f"{endpoint.name} trial with overall survival significantly improved: "
                               f"graded with Form {form_id} on {os_ep.name}")
                endpoint = os_ep
            else:
                g.notes.append("OS is marked as significantly improved, but the trial has no OS "
                               "results for this arm and its control: graded with Form 2b on "
                               f"{endpoint.name}")
        values = _values(comp)
        if comp.median_gain_estimated:
            g.notes.append("gain estimated from the HR because the experimental median is not reached")
        if comp.control_not_reached:
            g.missing.append("the control median (not reached)")
        elif comp.median_control is None:
            g.missing.append("the control median")
        if comp.hr_lower is None:
            g.missing.append("the lower limit of the HR's 95% CI")
        if comp.gain_shown is None and not comp.control_not_reached and comp.median_control is not None:
            g.missing.append("the experimental median (or, if not reached, the HR)")
        if g.missing and comp.computed:
            g.notes.append("ESMO-MCBS grades the published results: type the reported control "
                           "median and the HR with its 95% CI in the arms table; the grade is not "
                           "made from patient-level or reconstructed data")

    form = table.FORMS[form_id]
    g.form, g.form_name = form_id, form["name"]
    g.graded_endpoint = endpoint.name

    if form["requires_significance"] and not flags.get("non_inferior"):
        if comp.significant is None:
            g.missing.append("a p-value or a 95% CI of the HR, to show the result is significant")
        elif not comp.significant:
            g.missing.append("a statistically significant result (p < 0.05 or a CI excluding 1); "
                             "ESMO-MCBS grades only significant results")
        elif comp.hr is not None and comp.hr > 1:
            g.missing.append("a benefit: the experimental arm is significantly worse")
    res = evaluate_form(form, values, table, comp.median_gain_estimated)
    g.stratum = res["stratum"]
    g.thresholds = res["thresholds"]
    for m in res["missing"]:
        if not any(m.split(" (")[0].lower() in x.lower() for x in g.missing):
            g.missing.append(m)
    if g.missing:
        g.rule = "cannot grade: missing " + "; ".join(g.missing)
        _, g.adjustments = _adjust(form, flags, None)
        return g
    g.preliminary_grade = res["grade"]
    g.rule = res["rule"]
    if g.graded_endpoint != comparison.endpoint:
        g.rule = f"graded on {g.graded_endpoint} (OS significantly improved); " + g.rule
    g.final_grade, g.adjustments = _adjust(form, flags, res["grade"])
    return g


def grade_to_text(g: EsmoGrade) -> str:
    if g.preliminary_grade is None:
        return "not graded" if g.missing else "no grade"
    if g.final_grade != g.preliminary_grade:
        return f"{g.preliminary_grade} → {g.final_grade}"
    return f"{g.final_grade}"


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)
