"""The `analyze` result: per-arm Kaplan–Meier summaries and each arm against the control.

Produces exactly the JSON document of CLI.md (`evidencegui analyze --json`) as plain Python
values: floats at full precision, ``None`` for what does not exist. Extra keys beyond CLI.md are
additions only (quantiles, censorings, numbers at risk, p values, NNT detail, ``warnings``).
All statistics come from core.survival; this module only selects patients and assembles.
"""
from __future__ import annotations

import math

import numpy as np

from evidencegui.core import survival as sv
from evidencegui.core.errors import InputError


def _f(v) -> float | None:
    """A JSON number, or None for a value that does not exist (None, NaN, ±inf)."""
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _factorize(arm) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the labels in order of first appearance."""
    import pandas as pd   # a runtime dependency (io.patients reads with it); lazy for start-up

    codes, uniques = pd.factorize(np.asarray(arm, dtype=object).ravel(), use_na_sentinel=False)
    labels = [str(u) for u in uniques]
    # labels that differ as objects but print alike (1 and "1") are one arm
    if len(set(labels)) < len(labels):
        merged = list(dict.fromkeys(labels))
        remap = np.array([merged.index(x) for x in labels])
        codes, labels = remap[codes], merged
    return np.asarray(codes, dtype=np.int64), labels


def _check_times(name: str, values) -> list[float]:
    out = []
    for v in values:
        v = float(v)
        if not math.isfinite(v) or v < 0:
            raise InputError(f"{name} must be finite numbers ≥ 0, got {v}", field=name)
        out.append(v)
    return out


def _survival_at(km: sv.KaplanMeier, label: str, landmarks, warnings: list) -> list[dict]:
    out = []
    if not landmarks:
        return out
    s, lo, hi, se = km.evaluate(landmarks)
    nrisk = km.at_risk(landmarks)
    for k, t in enumerate(landmarks):
        if t > km.max_time:
            # R's summary(survfit, times=) gives no value past the last follow-up (extend=FALSE)
            reached0 = km.survival[-1] == 0
            warnings.append(
                f"arm {label!r}: landmark {t:g} lies past its last follow-up ({km.max_time:g}); "
                "no survival estimate there" + (" (its curve had reached 0)" if reached0 else ""))
            out.append({"time": t, "estimate": None, "ci": [None, None], "std_err": None,
                        "n_risk": 0})
            continue
        out.append({"time": t, "estimate": _f(s[k]), "ci": [_f(lo[k]), _f(hi[k])],
                    "std_err": _f(se[k]), "n_risk": int(nrisk[k])})
    return out


def _arm_summary(km: sv.KaplanMeier, label: str, tau: float, landmarks, warnings) -> dict:
    med = sv.median(km)
    q25, q75 = sv.quantile(km, 0.25), sv.quantile(km, 0.75)
    r = sv.rmst(km, tau)
    if r.extended:
        warnings.append(f"arm {label!r}: tau {tau:g} lies past its last follow-up "
                        f"({km.max_time:g}); its RMST carries the last survival value to tau")
    return {
        "arm": label, "n": int(km.n), "events": int(km.events), "censored": int(km.n - km.events),
        "median": med.estimate, "median_ci": [med.lower, med.upper],
        "quantile_25": q25.estimate, "quantile_25_ci": [q25.lower, q25.upper],
        "quantile_75": q75.estimate, "quantile_75_ci": [q75.lower, q75.upper],
        "max_time": _f(km.max_time),
        "survival": _survival_at(km, label, landmarks, warnings),
        "rmst": _f(r.estimate), "rmst_se": _f(r.se),
    }


def _nnt_detail(n: sv.Nnt) -> dict:
    return {"nnt": n.value, "nnt_kind": n.kind, "nnt_ci": [_f(n.lower), _f(n.upper)],
            "nnt_ci_unbounded": bool(n.crosses_zero), "nnt_note": n.note}


def _comparison(time, event, codes, e_code, c_code, kms, labels, tau, landmarks, warnings) -> dict:
    lab, ctl = labels[e_code], labels[c_code]
    ke, kc = kms[e_code], kms[c_code]
    pair = (codes == e_code) | (codes == c_code)
    if pair.all():     # two arms: no copy of a million patients
        t, ev, exp = time, event, codes == e_code
    else:
        t, ev, exp = time[pair], event[pair], codes[pair] == e_code
    lr, cox = sv.logrank_cox(t, ev, exp)   # one sort of the pair's times for both
    if cox.hr is None:
        warnings.append(f"{lab!r} vs {ctl!r}: {cox.warning or 'the hazard ratio cannot be estimated'}")
    lr_ok = lr.df > 0
    if not lr_ok:
        why = ("no events in either arm" if not ev.any() else
               "its variance is singular (at every event time all patients at risk had the event)")
        warnings.append(f"{lab!r} vs {ctl!r}: no log-rank test: {why}")
    me, mc = sv.median(ke).estimate, sv.median(kc).estimate
    rc = sv.rmst_comparison(ke, kc, tau)
    diffs = []
    for tm in landmarks:
        beyond = [x for x, k in ((lab, ke), (ctl, kc)) if tm > k.max_time]
        if beyond:
            d = sv.Difference(None, None, None, None, tm, sv.nnt(None))
            warnings.append(f"{lab!r} vs {ctl!r}: no survival difference at {tm:g}, past the last "
                            f"follow-up of {', '.join(repr(b) for b in beyond)}")
        else:
            d = sv.survival_difference(ke, kc, tm)
        diffs.append({"time": tm, "difference": _f(d.difference), "ci": [_f(d.lower), _f(d.upper)],
                      "se": _f(d.se), **_nnt_detail(d.nnt)})
    return {
        "arm": lab, "control": ctl,
        "hr": _f(cox.hr), "hr_ci": [_f(cox.lower), _f(cox.upper)], "hr_p": _f(cox.p),
        "log_hr": _f(cox.log_hr), "log_hr_se": _f(cox.se),
        "logrank_chisq": _f(lr.chisq) if lr_ok else None, "logrank_df": int(lr.df) if lr_ok else None,
        "logrank_p": _f(lr.p) if lr_ok else None,
        "median_gain": (me - mc) if me is not None and mc is not None else None,
        "median_ratio": (me / mc) if me is not None and mc not in (None, 0) else None,
        "rmst_difference": _f(rc.difference), "rmst_difference_ci": [_f(rc.lower), _f(rc.upper)],
        "rmst_difference_se": _f(rc.se), "rmst_difference_p": _f(rc.p),
        "rmst_ratio": _f(rc.ratio), "rmst_ratio_ci": [_f(rc.ratio_lower), _f(rc.ratio_upper)],
        "survival_difference": diffs,
    }


def analyze(time, event, arm, control, tau=None, landmarks=(), ci_method: str = "log-log", *,
            arm_labels=None) -> dict:
    """Kaplan–Meier per arm and each other arm against ``control``, as CLI.md's JSON document.

    time: float ≥ 0 per patient; event: 1 = event, 0 = censored; arm: a label per patient
    (compared as text). Arms are listed control first, then the others in order of first
    appearance in the data. tau (RMST horizon) defaults to the smallest of the arms' largest
    follow-up times. Each comparison uses only the two arms' patients (Cox HR with Efron ties and
    Wald CI, log-rank). 95% CIs; ``ci_method`` is R's conf.type ("log-log", "log", "plain").
    With ``arm_labels``, ``arm`` holds integer codes into it (io.patients' arm_codes and
    arm_labels), which saves factorising a million strings; labels with no patient are left out.
    Raises InputError for an unknown control, a single arm, or bad tau/landmarks."""
    if ci_method not in sv.CI_METHODS:
        raise InputError(f"the CI method must be one of {', '.join(sv.CI_METHODS)}, not {ci_method!r}",
                         field="ci-method")
    time = np.asarray(time, dtype=np.float64).ravel()
    event = np.asarray(event).ravel().astype(np.float64)
    if arm_labels is None:
        codes, labels = _factorize(arm)
    else:
        codes = np.asarray(arm, dtype=np.int64).ravel()
        used = np.bincount(codes, minlength=len(arm_labels)) > 0 if len(codes) else []
        if len(codes) and (codes.min() < 0 or codes.max() >= len(arm_labels)):
            raise InputError("arm codes must index arm_labels", field="arm")
        # in order of first appearance, as for labels (one pass per label: arms are few)
        keep = sorted((k for k in range(len(arm_labels)) if used[k]),
                      key=lambda k: int(np.argmax(codes == k)))
        if keep != list(range(len(arm_labels))):
            remap = np.full(len(arm_labels), -1, dtype=np.int64)
            remap[keep] = np.arange(len(keep))
            codes = remap[codes]
        labels = [str(arm_labels[k]) for k in keep]
        if len(set(labels)) < len(labels):
            raise InputError("arm_labels must be distinct", field="arm")
    if not (len(time) == len(event) == len(codes)):
        raise InputError(f"time, event and arm differ in length ({len(time)}, {len(event)}, {len(codes)})")
    if len(time) == 0:
        raise InputError("there are no patients")
    if not np.all(np.isfinite(time)) or time.min() < 0:
        raise InputError("times must be finite numbers ≥ 0", field="time")
    if not np.all((event == 0) | (event == 1)):
        raise InputError("events must be 1 (event) or 0 (censored)", field="event")
    control = str(control)
    if control not in labels:
        raise InputError(f"no arm labelled {control!r}; the arms are: "
                         + ", ".join(repr(x) for x in labels), field="control")
    if len(labels) < 2:
        raise InputError(f"only one arm ({labels[0]!r}) in the data: a comparison needs at least two",
                         field="arm")
    landmarks = _check_times("landmarks", landmarks)
    c_code = labels.index(control)
    order = [c_code] + [k for k in range(len(labels)) if k != c_code]
    warnings: list[str] = []
    kms = {}
    for k in order:
        m = codes == k
        kms[k] = sv.kaplan_meier(time[m], event[m], ci_method=ci_method)
    tau_source = "given"
    if tau is None:
        tau = min(kms[k].max_time for k in order)
        tau_source = ("default: the smallest of the arms' largest follow-up times (for data "
                      "reconstructed from a figure, reconstruct censors no one past the figure, "
                      "so tau stays within the digitized range)")
    else:
        tau = float(tau)
        if not math.isfinite(tau) or tau <= 0:
            raise InputError(f"tau must be a finite number > 0, got {tau}", field="tau")
    arms = [_arm_summary(kms[k], labels[k], tau, landmarks, warnings) for k in order]
    comparisons = [_comparison(time, event, codes, k, c_code, kms, labels, tau, landmarks, warnings)
                   for k in order[1:]]
    return {"ci_method": ci_method, "conf_level": 0.95, "tau": float(tau), "tau_source": tau_source, "arms": arms,
            "comparisons": comparisons, "warnings": warnings}
