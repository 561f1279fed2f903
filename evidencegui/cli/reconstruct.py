"""`evidencegui reconstruct`: patient-level data from a digitized Kaplan–Meier figure."""
from __future__ import annotations

import json
import sys

from evidencegui.core.errors import InputError


def add_arguments(p) -> None:
    p.add_argument("curve", metavar="CURVE", nargs="+", help="one or more curve files, each a digitizer export: WebPlotDigitizer CSV (View Data or Export All Data), project JSON or saved .tar, or a time,survival CSV")
    p.add_argument("--at-risk", required=True, metavar="NAR.csv", help="numbers at risk: a time column and one column per dataset")
    p.add_argument("--dataset", metavar="NAME|OLD=NEW", action="append", default=[],
                   help="NAME: reconstruct only this dataset (repeatable); OLD=NEW: rename a "
                        "dataset (a per-arm file's dataset is named after the file)")
    p.add_argument("--allow-missing", action="store_true",
                   help="reconstruct the datasets that have numbers at risk and skip the others "
                        "(default: a dataset without numbers at risk is an error)")
    p.add_argument("--total-events", type=int, metavar="N", help="total events of the arm (one dataset only)")
    p.add_argument("--arm", metavar="LABEL", help="arm label in the output (one dataset only)")
    p.add_argument("--scale", choices=("auto", "unit", "percent"), default="auto")
    p.add_argument("--out", required=True, metavar="IPD.csv")
    p.add_argument("--json", action="store_true")


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


def _read_curves(paths, scale):
    """The datasets of every curve file, in order; a name given twice gets " (2)"."""
    from evidencegui.io.digitizer import read_digitized

    out = {}
    for path in paths:
        for name, cur in read_digitized(path, scale=scale).items():
            key, k = name, 2
            while key in out:
                key = f"{name} ({k})"
                k += 1
            if key != name:
                from dataclasses import replace
                cur = replace(cur, name=key, warnings=list(cur.warnings) + [
                    f"a second dataset named {name!r} (in {path}) was renamed {key!r}"])
            out[key] = cur
    return out


def run(args) -> int:
    from evidencegui.core.reconstruct import reconstruct
    from evidencegui.io.digitizer import read_at_risk, read_digitized

    curves = _read_curves(args.curve, args.scale)
    table = read_at_risk(args.at_risk)
    renames = [d for d in args.dataset if "=" in d]
    picks = [d for d in args.dataset if "=" not in d]
    for spec in renames:
        old, _, new = spec.partition("=")
        key = _match(old.strip(), curves)
        if key is None or not new.strip():
            raise InputError(f"--dataset {spec!r}: no dataset named {old.strip()!r} to rename "
                             f"(found: {', '.join(curves)})", file=args.curve[0], field="dataset")
        from dataclasses import replace
        curves = {(new.strip() if k == key else k): (replace(v, name=new.strip()) if k == key else v)
                  for k, v in curves.items()}
    all_curves = dict(curves)
    if picks:
        chosen = {}
        for d in picks:
            want = _match(d, curves)
            if want is None:
                raise InputError(f"no dataset named {d!r} (found: {', '.join(curves)})",
                                 file=args.curve[0], field="dataset")
            chosen[want] = curves[want]
        curves = chosen

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
        free = [c for c in table.names if c not in {j[2] for j in jobs}]
        if skipped and len(free) == len(skipped):
            # as many unnamed columns as unmatched datasets: matched by position, and said so
            for name, col in zip(skipped, free):
                cur = curves[name]
                jobs.append((name, cur, col, None))
                cur.warnings.append(f"no numbers-at-risk column is named {name!r}: the column "
                                    f"{col!r} was used, matched by position (check it is this "
                                    "arm's; name the column like the dataset to be sure)")
                sys.stderr.write(f"evidencegui reconstruct: warning: dataset {name!r} uses the "
                                 f"numbers at risk of column {col!r} (matched by position)\n")
            order = {n: k for k, n in enumerate(curves)}
            jobs.sort(key=lambda j: order[j[0]])
            skipped = []
        if not jobs:
            raise InputError(f"no numbers-at-risk column matches a dataset (datasets: {', '.join(curves)}; columns: {', '.join(table.names)})", file=args.at_risk)
        if skipped:
            msg = (f"no numbers at risk for dataset(s) {', '.join(map(repr, skipped))} in "
                   f"{args.at_risk} (its columns: {', '.join(map(repr, table.names))})")
            if not args.allow_missing:
                raise InputError(msg + ": name the columns like the datasets, rename a dataset "
                                 "with --dataset OLD=NEW, or give --allow-missing to reconstruct "
                                 "only the others", file=args.at_risk)
            sys.stderr.write(f"evidencegui reconstruct: {msg}: not reconstructed "
                             "(--allow-missing)\n")
    results = []
    figure_end = max(float(c.t.max()) for c in all_curves.values() if c.t.size)
    for arm, cur, col, tot in jobs:
        times, counts = table.for_arm(col)
        try:
            rec = reconstruct(cur.t, cur.s, times, counts, total_events=tot, figure_end=figure_end)
        except InputError as e:
            raise InputError(f"dataset {cur.name!r} with the numbers at risk of column {col!r} "
                             f"in {args.at_risk}: {e.message}", file=cur.source or args.curve[0],
                             field=e.field or cur.name) from None
        results.append((arm, cur, rec))
    from evidencegui.io.safe_text import write_csv_safe
    write_csv_safe(args.out, ["time", "event", "arm"],
                   ((float(t), int(e), arm) for arm, _, rec in results
                    for t, e in zip(rec.time.tolist(), rec.event.tolist())))
    if args.json:
        doc = {"arms": [{"arm": arm, "dataset": cur.name, "n": rec.n, "events": rec.events,
                         "median": rec.level_time(0.5)["value"],
                         "median_reconstructed": rec.level_time(0.5)["reconstructed"],
                         "median_not_reached_in_figure":
                             rec.level_time(0.5)["not_reached_in_figure"],
                         "warnings": list(cur.warnings) + list(rec.warnings),
                         "fit": rec.fit.to_json()} for arm, cur, rec in results],
               "out": str(args.out), "skipped": skipped}
        sys.stdout.write(json.dumps(doc) + "\n")
    for arm, _, rec in results:
        lv = rec.level_time(0.5)
        if lv["not_reached_in_figure"]:
            sys.stderr.write(f"evidencegui reconstruct: {arm}: median not reached: {lv['note']}\n")
    return 0
