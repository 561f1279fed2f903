"""`evidencegui analyze`: Kaplan–Meier, RMST, log-rank and Cox HR on patient-level data."""
from __future__ import annotations

import json
import math
import sys

from evidencegui.core.errors import InputError


def add_arguments(p) -> None:
    p.add_argument("file", metavar="FILE", help="patient-level data, CSV or XLSX, one row a patient")
    p.add_argument("--time", default="time", metavar="COL",
                   help="column of follow-up times (default: time, as reconstruct writes)")
    p.add_argument("--event", default="event", metavar="COL",
                   help="column of events (1/0 or true/false; other codes with --event-map; "
                        "default: event)")
    p.add_argument("--arm", default="arm", metavar="COL", help="column of arm labels (default: arm)")
    p.add_argument("--control", required=True, metavar="LABEL", help="label of the control arm")
    p.add_argument("--tau", metavar="T", help="RMST horizon (default: the smallest of the arms' "
                   "largest follow-up times)")
    p.add_argument("--landmarks", metavar="T1,T2", default="", help="times for survival and differences")
    p.add_argument("--ci-method", choices=("log-log", "log", "plain"), default="log-log",
                   help="pointwise CI of the survival curve (R's conf.type; default log-log)")
    p.add_argument("--event-map", metavar="a=1,b=0", help="event codes, e.g. dead=1,alive=0")
    p.add_argument("--sheet", metavar="NAME", help="worksheet of an XLSX file (default: the first)")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")


def _number(text: str, what: str) -> float:
    try:
        v = float(text.strip())
    except ValueError:
        raise InputError(f"{what} must be a number, not {text.strip()!r}", field=what) from None
    if not math.isfinite(v) or v < 0:
        raise InputError(f"{what} must be a finite number ≥ 0, not {text.strip()!r}", field=what)
    return v


def parse_landmarks(text: str | None) -> list[float]:
    if not text or not text.strip():
        return []
    return [_number(x, "landmarks") for x in text.split(",") if x.strip()]


def parse_event_map(text: str | None) -> dict[str, int] | None:
    if text is None:
        return None
    out = {}
    for part in text.split(","):
        if not part.strip():
            continue
        code, sep, value = part.rpartition("=")
        if not sep or not code.strip() or value.strip() not in ("0", "1"):
            raise InputError(f"--event-map takes CODE=1 or CODE=0 pairs separated by commas "
                             f"(e.g. dead=1,alive=0), not {part.strip()!r}", field="event-map")
        out[code.strip()] = int(value.strip())
    if not out:
        raise InputError("--event-map is empty", field="event-map")
    return out


def _fmt(v, digits: int = 3) -> str:
    if v is None:
        return "NR"
    return f"{v:.{digits}g}" if abs(v) < 1e-3 and v != 0 else f"{v:.{digits}f}"


def _ci(pair, digits: int = 3) -> str:
    return f"{_fmt(pair[0], digits)} to {_fmt(pair[1], digits)}"


def format_text(doc: dict, file: str) -> str:
    """A readable report of the analyze document (NR = not reached / not estimable)."""
    lines = [f"{file}: Kaplan–Meier with {doc['ci_method']} 95% CIs; RMST up to tau = {doc['tau']:g}", ""]
    rows = [(a, f"{_fmt(a['median'], 2)} ({_ci(a['median_ci'], 2)})",
             f"{_fmt(a['rmst'], 2)} ({_fmt(a['rmst_se'], 2)})") for a in doc["arms"]]
    # columns as wide as their longest cell, so long labels and times never run together
    wa = max([len("arm")] + [len(str(a["arm"])) for a, _, _ in rows]) + 2
    wm = max([len("median (95% CI)")] + [len(m) for _, m, _ in rows]) + 2
    hdr = f"{'arm':<{wa}}{'n':>8}{'events':>8}  {'median (95% CI)':<{wm}}RMST (SE)"
    lines += [hdr, "-" * max(len(hdr), wa + 18 + wm + max(len(r) for _, _, r in rows) if rows else 0)]
    for a, med, rm in rows:
        lines.append(f"{a['arm']:<{wa}}{a['n']:>8}{a['events']:>8}  {med:<{wm}}{rm}")
        for s in a["survival"]:
            lines.append(f"{'':<{wa + 2}}S({s['time']:g}) = {_fmt(s['estimate'])} ({_ci(s['ci'])}), "
                         f"at risk {s['n_risk']}")
    for c in doc["comparisons"]:
        lines += ["", f"{c['arm']} vs {c['control']}:",
                  f"  HR {_fmt(c['hr'])} ({_ci(c['hr_ci'])}), Wald p {_fmt(c['hr_p'], 4)}",
                  f"  log-rank chi-square {_fmt(c['logrank_chisq'])}, p {_fmt(c['logrank_p'], 4)}",
                  f"  median gain {_fmt(c['median_gain'], 2)}, ratio {_fmt(c['median_ratio'])}",
                  f"  RMST difference {_fmt(c['rmst_difference'], 2)} ({_ci(c['rmst_difference_ci'], 2)}),"
                  f" ratio {_fmt(c['rmst_ratio'])} ({_ci(c['rmst_ratio_ci'])})"]
        for d in c["survival_difference"]:
            lines.append(f"  difference at {d['time']:g}: {_fmt(d['difference'])} ({_ci(d['ci'])}); "
                         f"{d['nnt_note']}")
    if doc["warnings"]:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in doc["warnings"]]
    return "\n".join(lines) + "\n"


def run(args) -> int:
    from evidencegui.core.analysis import analyze
    from evidencegui.io.patients import read_patients

    landmarks = parse_landmarks(args.landmarks)
    tau = _number(args.tau, "tau") if args.tau is not None else None
    event_map = parse_event_map(args.event_map)
    try:
        data = read_patients(args.file, args.time, args.event, args.arm, event_map=event_map,
                             sheet=args.sheet)
    except InputError as e:
        flag = {args.time: "--time", args.event: "--event", args.arm: "--arm"}.get(e.field)
        if flag and e.message.startswith("no ") and "column named" in e.message:
            raise InputError(f"{e.message} (name the column with {flag} COL)", file=e.file,
                             row=e.row, field=e.field) from None
        raise
    try:
        doc = analyze(data.time, data.event, data.arm_codes, args.control.strip(), tau=tau,
                      landmarks=landmarks, ci_method=args.ci_method, arm_labels=data.arm_labels)
    except InputError as e:
        if e.file is None:   # name the file for errors about the data as a whole
            field = {"arm": args.arm, "control": args.arm}.get(e.field, e.field)
            raise InputError(e.message, file=args.file, row=e.row, field=field) from None
        raise
    if data.warnings:
        doc["warnings"] = list(data.warnings) + doc["warnings"]
    if args.json:
        sys.stdout.write(json.dumps(doc, allow_nan=False) + "\n")
    else:
        sys.stdout.write(format_text(doc, data.file))
    return 0
