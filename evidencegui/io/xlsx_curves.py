"""The workbook's Curves sheet: per arm, the Kaplan–Meier table from patient-level data or the
curve the program draws from the reported results (labelled modelled); beyond a limit the rows
go to a CSV beside the workbook instead (the same columns).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from evidencegui.core.model import Arm, Endpoint, Project, Trial
from evidencegui.io.safe_text import set_text
from evidencegui.io.xlsx_common import (FMT_INT, Styles, beside_path, each_arm, header_style,
                                        output_file_record)


@dataclass
class CurveTable:
    trial: str
    endpoint: str
    arm: str
    kind: str                       # "Kaplan–Meier (patient-level data from file)" etc.
    time: list[float]
    survival: list[float]
    lower: list[float | None]
    upper: list[float | None]
    at_risk: list[int | None]
    events: list[int | None]
    censored: list[int | None]


def _f(x) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def curve_tables(project: Project) -> list[CurveTable]:
    """Per arm: the Kaplan–Meier table from patient-level data (core.survival), or the curve
    core.curves draws for it (labelled modelled when it is modelled). Arms with neither are left
    out."""
    try:
        from evidencegui.core import survival as surv
    except ImportError:
        surv = None
    try:
        from evidencegui.core import curves as crv
    except ImportError:
        crv = None
    ci = project.ci_method
    out: list[CurveTable] = []
    for t, e, a in each_arm(project):
        p = a.patients
        if p is not None and p.n and surv is not None:
            out.append(_km_table(surv, t, e, a, ci))
        elif crv is not None:
            tb = _drawn_table(crv, t, e, a, ci)
            if tb is not None:
                out.append(tb)
    return out


def _km_table(surv, t: Trial, e: Endpoint, a: Arm, ci: str) -> CurveTable:
    """The Kaplan–Meier table of the arm's patients, from time 0 (survival 1, all at risk)."""
    import numpy as np
    p = a.patients
    km = surv.kaplan_meier(np.asarray(p.time, float), np.asarray(p.event, int), ci_method=ci)
    kind = ("Kaplan–Meier, reconstructed patient-level data (Guyot 2012)"
            if p.origin == "reconstructed" else "Kaplan–Meier, patient-level data")
    kind += f"; 95% CI {ci}"
    return CurveTable(
        t.name, e.name, a.label, kind,
        [0.0] + [float(x) for x in km.time],
        [1.0] + [float(x) for x in km.survival],
        [1.0] + [_f(x) for x in km.lower], [1.0] + [_f(x) for x in km.upper],
        [int(p.n)] + [int(x) for x in km.n_risk],
        [0] + [int(x) for x in km.n_event], [0] + [int(x) for x in km.n_censor])


def _drawn_table(crv, t: Trial, e: Endpoint, a: Arm, ci: str) -> CurveTable | None:
    """The curve core.curves draws for an arm without patients; None when it draws none."""
    try:
        cd = crv.arm_curve(a, ci)
    except Exception:           # an arm the curve code cannot draw
        cd = None
    if cd is None or getattr(cd, "time", None) is None or len(cd.time) == 0:
        return None
    modelled = bool(getattr(cd, "modelled", False))
    kind = "modelled from the reported results (not patient data)" if modelled else "curve"
    n = len(cd.time)
    lo = getattr(cd, "lower", None)
    hi = getattr(cd, "upper", None)
    ar = getattr(cd, "at_risk", None)
    return CurveTable(
        t.name, e.name, a.label, kind,
        [float(x) for x in cd.time], [float(x) for x in cd.survival],
        [_f(x) for x in lo] if lo is not None else [None] * n,
        [_f(x) for x in hi] if hi is not None else [None] * n,
        [int(x) for x in ar] if ar is not None and len(ar) == n else [None] * n,
        [None] * n, [None] * n)


def _curves_header(project: Project) -> list[str]:
    return ["Trial", "Endpoint", "Arm", "Curve", f"Time ({project.time_unit})", "Survival",
            "95% CI lower", "95% CI upper", "At risk", "Events", "Censored"]


def _write_curves_csv(project: Project, tables, path) -> int:
    import numpy as np
    import pandas as pd

    from evidencegui.io.safe_text import atomic_write_bytes as _write
    from evidencegui.io.safe_text import csv_safe
    parts = []
    for tb in tables:
        n = len(tb.time)
        z = np.zeros(n, int)
        cols = {"a": pd.Categorical.from_codes(z, [csv_safe(tb.trial)]),
                "b": pd.Categorical.from_codes(z, [csv_safe(tb.endpoint)]),
                "c": pd.Categorical.from_codes(z, [csv_safe(tb.arm)]),
                "d": pd.Categorical.from_codes(z, [csv_safe(tb.kind)])}
        for k, v in zip("efghijk", (tb.time, tb.survival, tb.lower, tb.upper, tb.at_risk,
                                    tb.events, tb.censored)):
            cols[k] = pd.array([None if x is None else x for x in v],
                               dtype="Float64" if k in "efgh" else "Int64")
        parts.append(pd.DataFrame(cols))
    df = pd.concat(parts, ignore_index=True)
    df.columns = _curves_header(project)
    _write(path, df.to_csv(index=False, lineterminator="\r\n")
           .encode("utf-8"))
    return len(df)


def write_curves(ws, project: Project, st: Styles, beside: Path | None = None,
                 extra: list | None = None, max_rows: int = 100_000) -> int:
    """The Curves sheet; returns the number of curve rows. With more than ``max_rows`` rows and
    the workbook's path ``beside``, the rows go to <stem>.curves.csv next to it, the sheet says
    so and ``extra`` receives the file's Provenance row."""
    hdr = _curves_header(project)
    _curves_columns(ws, hdr, st)
    tables = curve_tables(project)
    n_rows = sum(len(tb.time) for tb in tables)
    if beside is not None and n_rows > max_rows:
        _curves_beside(ws, project, tables, n_rows, beside, extra)
        return n_rows
    return _curves_rows(ws, tables)


def _curves_columns(ws, hdr: list[str], st: Styles) -> None:
    from openpyxl.utils import get_column_letter
    widths = [16, 10, 30, 44, 12, 10, 12, 12, 9, 8, 9]
    for i, (h, w) in enumerate(zip(hdr, widths), start=1):
        header_style(ws.cell(1, i, h), st)
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"


def _curves_beside(ws, project: Project, tables: list[CurveTable], n_rows: int, beside: Path,
                   extra: list | None) -> None:
    csv_path = beside_path(beside, "curves")
    _write_curves_csv(project, tables, csv_path)
    set_text(ws.cell(2, 1), f"{n_rows:,} rows of curve tables: written beside this workbook "
                            f"as {csv_path.name} (the columns of this sheet; SHA-256 in the "
                            "Provenance sheet).")
    if extra is not None:
        extra.append(output_file_record(
            csv_path, f"curve tables ({n_rows:,} rows, the Curves sheet's columns)"))


def _curves_rows(ws, tables: list[CurveTable]) -> int:
    """One row per time point of each table (filterable); returns the row count."""
    r = 2
    for tb in tables:
        fixed = [tb.trial, tb.endpoint, tb.arm, tb.kind]
        for i in range(len(tb.time)):
            for ci, v in enumerate(fixed, start=1):
                set_text(ws.cell(r, ci), v)
            vals = (tb.time[i], tb.survival[i], tb.lower[i], tb.upper[i], tb.at_risk[i],
                    tb.events[i], tb.censored[i])
            for ci, (v, fmt) in enumerate(zip(vals, ("0.00", "0.0000", "0.0000", "0.0000",
                                                     FMT_INT, FMT_INT, FMT_INT)), start=5):
                if v is not None:
                    c = ws.cell(r, ci, v)
                    c.number_format = fmt
            r += 1
    if not tables:
        ws.cell(2, 1, "No curves: the project has no patient-level data and no curve could be drawn.")
    else:
        ws.auto_filter.ref = f"A1:K{r - 1}"
    return r - 2
