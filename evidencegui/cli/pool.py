"""`evidencegui pool TABLE [--method REML|DL] [--json]`: pooled hazard ratios of a table of
studies (a forest plot's numbers), as CLI.md specifies."""
from __future__ import annotations

import json
import sys

from evidencegui.core.pooling import METHODS


def add_arguments(parser) -> None:
    parser.add_argument("table", metavar="TABLE",
                        help="CSV or XLSX: study and hr, hr_lower, hr_upper (or log_hr, se); "
                             "optional group")
    parser.add_argument("--method", type=str.upper, choices=METHODS, default="REML",
                        help="between-study variance estimator of the random-effects model "
                             "(default REML; DL = DerSimonian-Laird)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    out = ["  ".join(v.ljust(w) for v, w in zip(header, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    return out + ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]


def _estimates(fixed, random, het, indent: str = "") -> list[str]:
    from evidencegui.io.format import MISSING, fmt_hr, fmt_p, fmt_pct, fmt_ratio

    def ci(pair):
        return MISSING if pair is None else f"{fmt_ratio(pair[0])}–{fmt_ratio(pair[1])}"

    return [
        f"{indent}Common effect (inverse variance): HR {fmt_hr(fixed.hr, *fixed.hr_ci)}, "
        f"p {fmt_p(fixed.p)}",
        f"{indent}Random effects ({random.method}): HR {fmt_hr(random.hr, *random.hr_ci)}, "
        f"p {fmt_p(random.p)}; tau² {random.tau2:.4g}",
        f"{indent}  Hartung–Knapp–Sidik–Jonkman 95% CI {ci(random.hksj_ci)}"
        + (" (needs 2 studies)" if random.hksj_ci is None else "") + "; "
        + f"95% prediction interval {ci(random.prediction_interval)}"
        + (" (needs 3 studies)" if random.prediction_interval is None else ""),
        f"{indent}Heterogeneity: Q {het.q:.3f} on {het.df} df, p {fmt_p(het.p)}, "
        f"I² {fmt_pct(het.i2) if het.i2 is not None else MISSING}",
    ]


def text_report(result) -> str:
    from evidencegui.io.format import fmt_hr, fmt_p, fmt_pct

    grouped = result.groups is not None
    header = ["study"] + (["group"] if grouped else []) + ["HR (95% CI)", "weight fixed",
                                                           "weight random"]
    rows = []
    for w in result.studies:
        s = w.study
        rows.append([s.name] + ([s.group or ""] if grouped else [])
                    + [fmt_hr(s.hr, *s.ci()), fmt_pct(w.weight_fixed, digits=1),
                       fmt_pct(w.weight_random, digits=1)])
    out = _table(header, rows) + [""]
    out += _estimates(result.fixed, result.random, result.heterogeneity)
    if grouped:
        for g in result.groups:
            out += ["", f"Group {g.group} ({g.k} {'study' if g.k == 1 else 'studies'}):"]
            out += _estimates(g.fixed, g.random, g.heterogeneity, "  ")
        out.append("")
        for model in ("fixed", "random"):
            d = result.group_difference[model]
            out.append(f"Test for group differences ({'common effect' if model == 'fixed' else 'random effects'}): "
                       f"Q {d['q']:.3f} on {d['df']} df, p {fmt_p(d['p'])}")
    return "\n".join(out) + "\n"


def run(args) -> int:
    from evidencegui.core.pooling import PoolingInputError, pool, to_json
    from evidencegui.io.study_table import read_studies

    studies = read_studies(args.table)
    try:
        result = pool(studies, args.method)
    except PoolingInputError as e:
        e.file = args.table
        raise
    if args.json:
        sys.stdout.write(json.dumps(to_json(result), ensure_ascii=False, allow_nan=False) + "\n")
    else:
        sys.stdout.write(text_report(result))
    return 0
