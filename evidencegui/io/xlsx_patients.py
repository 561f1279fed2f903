"""The workbook's Patients sheet (one row per patient), and the same rows as CSV: beside the
workbook when they are too many for it, or on their own (write_patients_csv). Text is stored as
text in the sheet and neutralised against formula injection in the CSV.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

from evidencegui.core.model import Project
from evidencegui.io.safe_text import set_text, set_value
from evidencegui.io.xlsx_common import (Styles, beside_path, each_arm, header_style,
                                        output_file_record)


def _patient_header(project: Project) -> list[str]:
    return ["Trial", "Endpoint", "Arm", f"Time ({project.time_unit})",
            "Event (1 = event, 0 = censored)", "Origin", "Source"]


def patient_rows_count(project: Project) -> int:
    return sum(len(a.patients.time) for t in project.trials for e in t.endpoints for a in e.arms
               if a.patients is not None)


def _csv_cells(cells) -> str:
    """One CSV line (no line end) of text cells, neutralised against formula injection."""
    import csv

    from evidencegui.io.safe_text import csv_safe
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow([csv_safe(c) for c in cells])
    return buf.getvalue()


def write_patients_csv(project: Project, path: str | os.PathLike) -> int:
    """Every patient as one CSV row (the Patients sheet's columns), written atomically; text
    neutralised against formula injection as in every CSV we write; times at full precision
    (repr). Returns the row count. The text of an arm is the same on each of its rows, so it is
    formatted once (a million rows in about a second)."""
    from evidencegui.io.safe_text import atomic_write_bytes as _write
    parts = [_csv_cells(_patient_header(project)), "\r\n"]
    n = 0
    for t, e, a in each_arm(project):
        p = a.patients
        if p is None or not len(p.time):
            continue
        pre = _csv_cells([t.name, e.name, a.label]) + ","
        post = "," + _csv_cells([p.origin, p.source]) + "\r\n"
        ev = {0: "0", 1: "1"}
        parts.append("".join([f"{pre}{float(tm)!r},{ev[int(x)]}{post}"
                              for tm, x in zip(p.time, p.event)]))
        n += len(p.time)
    _write(path, "".join(parts).encode("utf-8"))
    return n


def write_patients(wb, ws, project: Project, st: Styles, beside: Path | None = None,
                   extra: list | None = None, max_rows: int = 100_000,
                   sheet_rows: int = 1_000_000) -> int:
    """The Patients sheet ``ws`` of ``wb``; returns the number of patients. With more than
    ``max_rows`` of them and the workbook's path ``beside``, they go to <stem>.patients.csv next
    to it, the sheet says so and ``extra`` receives the file's Provenance row; otherwise beyond
    ``sheet_rows`` rows they continue on "Patients (2)", …."""
    n_pat = patient_rows_count(project)
    if beside is not None and n_pat > max_rows:
        csv_path = beside_path(beside, "patients")
        write_patients_csv(project, csv_path)
        _write_patients_note(ws, st, csv_path.name, n_pat)
        if extra is not None:
            extra.append(output_file_record(
                csv_path, f"patient-level data ({n_pat:,} rows, the Patients sheet's columns)"))
        return n_pat
    return _write_patient_rows(ws, project, st, wb, sheet_rows)


def _write_patients_note(ws, st: Styles, csv_name: str, n: int) -> None:
    c = ws.cell(1, 1, "Patient-level data")
    c.font = st.title
    set_text(ws.cell(3, 1), f"{n:,} patients: more than this workbook holds quickly, so they are "
                            f"written beside it as {csv_name} (the columns of this sheet; see "
                            "the Provenance sheet for its SHA-256).")
    ws.column_dimensions["A"].width = 120


def _write_patient_rows(ws, project: Project, st: Styles, wb, sheet_rows: int) -> int:
    """One row per patient; beyond sheet_rows rows the data continue on "Patients (2)", …."""
    from openpyxl.utils import get_column_letter
    hdr = _patient_header(project)
    widths = [16, 10, 30, 12, 16, 14, 40]
    for i, (h, w) in enumerate(zip(hdr, widths), start=1):
        c = header_style(ws.cell(1, i, h), st)
        c.alignment = st.wrap
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    r = 2
    total = 0
    first = ws
    part = 1
    for t, e, a in each_arm(project):
        p = a.patients
        if p is None:
            continue
        for tm, ev in zip(p.time, p.event):
            if r > sheet_rows + 1 and wb is not None:
                ws.auto_filter.ref = f"A1:G{r - 1}"
                total += r - 2
                part += 1
                ws = wb.create_sheet(f"Patients ({part})")
                for i, h in enumerate(hdr, start=1):
                    ws.cell(1, i, h).font = st.header
                r = 2
            set_text(ws.cell(r, 1), t.name)
            set_text(ws.cell(r, 2), e.name)
            set_text(ws.cell(r, 3), a.label)
            set_value(ws.cell(r, 4), float(tm))
            ws.cell(r, 5, int(ev))
            set_text(ws.cell(r, 6), p.origin)
            set_text(ws.cell(r, 7), p.source)
            r += 1
    if r == 2 and ws is first:
        ws.cell(2, 1, "The project has no patient-level data.")
    elif r > 2:
        ws.auto_filter.ref = f"A1:G{r - 1}"
    return total + r - 2
