"""`evidencegui report FILE [--json]`: derived measures and ESMO-MCBS grades of a project file
or a summary table (CSV/XLSX), as CLI.md specifies."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from evidencegui.core.errors import InputError


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE",
                        help="a project file (.evidence.json) or a summary table (.csv, .xlsx)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def load_any(path: str):
    """A Project from a project file or a summary table, chosen by the file name."""
    from evidencegui.core import model

    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=str(p))
    if p.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".tsv", ".txt"):
        from evidencegui.io.summary import read_summary
        return read_summary(p)
    from evidencegui.io.project_file import load_project
    project = load_project(p)
    for prob in model.errors(model.validate_project(project)):
        where = " / ".join(x for x in (prob.trial, prob.endpoint, prob.arm) if x)
        raise InputError(f"{where}: {prob.message}" if where else prob.message, file=str(p),
                         field=prob.field)
    return project


def _num(x, fmt="{:.3g}") -> str:
    return "—" if x is None else fmt.format(x)


def text_report(comparisons) -> str:
    """The text table: numbers written by io/format.py, as the window, workbook and slides."""
    from evidencegui.core.benefit import grade_to_text
    from evidencegui.io import format as fmt

    cols = ["trial", "endpoint", "arm vs control", "gain", "ratio", "HR (95% CI)", "SE", "1−HR",
            "ESMO"]
    rows = []
    details = []
    for c in comparisons:
        gain = (fmt.fmt_gain(c.median_gain) if not c.median_gain_estimated else
                f"— ({fmt.fmt_gain(c.median_gain_hr)} estimated from the HR)")
        ci = fmt.fmt_hr(c.hr, c.hr_lower, c.hr_upper) if c.hr is not None else ""
        esmo = "—"
        if c.esmo is not None and c.esmo.form is not None:
            esmo = f"{c.esmo.form}: {grade_to_text(c.esmo)}"
        rows.append([c.trial, c.endpoint, f"{c.arm} vs {c.control or '(single arm)'}", gain,
                     fmt.fmt_ratio(c.median_ratio), ci or fmt.MISSING, _num(c.hr_se),
                     fmt.fmt_pct(c.relative_reduction), esmo])
        lines = []
        for lm in c.landmarks:
            lines.append(f"  at {fmt.fmt_landmark(lm.time)}: difference {fmt.fmt_points(lm.difference)}"
                         + (f", {fmt.fmt_nnt(lm.nnt, lm.nnt_kind)}" if lm.nnt else "")
                         + (" (modelled)" if lm.modelled else ""))
        if c.esmo is not None:
            lines.append(f"  ESMO-MCBS v{c.esmo.version}: {c.esmo.rule}")
            lines += [f"  adjustment {a['change']:+d}: {a['reason']}" for a in c.esmo.adjustments
                      if a["applied"]]
            lines += [f"  note: {n}" for n in c.esmo.notes]
        lines += [f"  note: {n}" for n in c.notes]
        for d in c.discrepancies:
            lines.append(f"  discrepancy: {d.message}" + "".join(f"; {r}" for r in d.reasons))
        details.append((f"{c.trial} / {c.endpoint} / {c.arm}", lines))
    widths = [max(len(str(r[i])) for r in [cols] + rows) for i in range(len(cols))]
    out = ["  ".join(str(v).ljust(w) for v, w in zip(cols, widths)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    for title, lines in details:
        if lines:
            out += ["", title] + lines
    return "\n".join(out) + "\n"


def indirect_text(indirect) -> str:
    """The indirect comparisons (Bucher) with their rule and the transitivity caveat."""
    from evidencegui.core.across import TRANSITIVITY_CAVEAT
    from evidencegui.io.format import fmt_hr, fmt_p

    if not indirect:
        return ""
    out = ["", "Indirect comparisons (Bucher; A against B through the shared comparator)"]
    for ic in indirect:
        out.append(f"  {ic.endpoint}: {ic.trial_a} {ic.arm_a} vs {ic.trial_b} {ic.arm_b}: "
                   f"HR {fmt_hr(ic.hr, *ic.hr_ci)}, p {fmt_p(ic.p)}")
        out.append(f"    {ic.rule}")
    out.append(f"  {TRANSITIVITY_CAVEAT}")
    return "\n".join(out) + "\n"


def run(args) -> int:
    from evidencegui.core.across import indirect_comparisons
    from evidencegui.core.effects import compare_project

    project = load_any(args.file)
    comparisons = compare_project(project)
    indirect = indirect_comparisons(project)
    if args.json:
        doc = {"comparisons": [c.to_json() for c in comparisons],
               "indirect_comparisons": [ic.to_json() for ic in indirect]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        sys.stdout.write(text_report(comparisons) + indirect_text(indirect))
    return 0
