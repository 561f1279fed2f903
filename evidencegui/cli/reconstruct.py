"""`evidencegui reconstruct`: patient-level data from a digitized Kaplan–Meier figure."""
from __future__ import annotations

import json
import sys

from evidencegui.core.errors import InputError


def add_arguments(p) -> None:
    p.add_argument("curve", metavar="CURVE", help="digitizer export: WebPlotDigitizer CSV (View Data or Export All Data), project JSON or saved .tar, or a time,survival CSV")
    p.add_argument("--at-risk", required=True, metavar="NAR.csv", help="numbers at risk: a time column and one column per dataset")
    p.add_argument("--dataset", metavar="NAME", help="reconstruct only this dataset")
    p.add_argument("--total-events", type=int, metavar="N", help="total events of the arm (one dataset only)")
    p.add_argument("--arm", metavar="LABEL", help="arm label in the output (one dataset only)")
    p.add_argument("--scale", choices=("auto", "unit", "percent"), default="auto")
    p.add_argument("--out", required=True, metavar="IPD.csv")
    p.add_argument("--json", action="store_true")


def _median(time, event):
    from evidencegui.core.reconstruct import km_steps
    st, ss = km_steps(time, event)
    idx = [k for k, v in enumerate(ss) if v <= 0.5]
    if not idx:
        return None
    k = idx[0]
    if ss[k] == 0.5 and k + 1 < len(st):  # R convention: midpoint of a flat stretch at exactly 0.5
        return float((st[k] + st[k + 1]) / 2)
    return float(st[k])


def _match(name, names):
    """``name`` itself if among ``names``, else the one of them that is the same once case and
    spaces are ignored (None when there is none, or several)."""
    if name is None:
        return None
    if name in names:
        return name
    key = " ".join(str(name).split()).casefold()
    hits = [n for n in names if " ".join(n.split()).casefold() == key]
    return hits[0] if len(hits) == 1 else None


def run(args) -> int:
    from evidencegui.core.reconstruct import reconstruct
    from evidencegui.io.digitizer import read_at_risk, read_digitized

    curves = read_digitized(args.curve, scale=args.scale)
    table = read_at_risk(args.at_risk)
    if args.dataset is not None:
        want = _match(args.dataset, curves)
        if want is None:
            raise InputError(f"no dataset named {args.dataset!r} (found: {', '.join(curves)})", file=args.curve, field="dataset")
        curves = {want: curves[want]}

    jobs = []
    skipped: list[str] = []
    if len(curves) == 1:
        name, cur = next(iter(curves.items()))
        col = _match(name, table.counts) or _match(args.arm, table.counts)
        if col is None and len(table.counts) == 1:
            col = table.names[0]
        if col is None:
            raise InputError(f"no numbers-at-risk column matches the dataset {name!r} (columns: {', '.join(table.names)}); name the column like the dataset", file=args.at_risk)
        jobs.append((args.arm or name, cur, col, args.total_events))
    else:
        if args.arm is not None or args.total_events is not None:
            raise InputError("--arm and --total-events need a single dataset: add --dataset NAME", field="dataset")
        for name, cur in curves.items():
            col = _match(name, table.counts)
            if col is None:
                skipped.append(name)
            else:
                jobs.append((name, cur, col, None))
        if not jobs:
            raise InputError(f"no numbers-at-risk column matches a dataset (datasets: {', '.join(curves)}; columns: {', '.join(table.names)})", file=args.at_risk)
        if skipped:
            sys.stderr.write(f"evidencegui reconstruct: no numbers at risk for dataset(s) {', '.join(map(repr, skipped))} "
                             f"in {args.at_risk}: not reconstructed\n")
    results = []
    for arm, cur, col, tot in jobs:
        times, counts = table.for_arm(col)
        try:
            rec = reconstruct(cur.t, cur.s, times, counts, total_events=tot)
        except InputError as e:
            raise InputError(f"dataset {cur.name!r} with the numbers at risk of column {col!r} "
                             f"in {args.at_risk}: {e.message}", file=args.curve,
                             field=e.field or cur.name) from None
        results.append((arm, cur, rec))
    from evidencegui.io.safe_text import write_csv_safe
    write_csv_safe(args.out, ["time", "event", "arm"],
                   ((float(t), int(e), arm) for arm, _, rec in results
                    for t, e in zip(rec.time.tolist(), rec.event.tolist())))
    if args.json:
        doc = {"arms": [{"arm": arm, "dataset": cur.name, "n": rec.n, "events": rec.events,
                         "median": _median(rec.time, rec.event),
                         "warnings": list(cur.warnings) + list(rec.warnings),
                         "fit": rec.fit.to_json()} for arm, cur, rec in results],
               "out": str(args.out), "skipped": skipped}
        sys.stdout.write(json.dumps(doc) + "\n")
    return 0
