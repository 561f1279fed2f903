"""The comparison workbook (openpyxl): reported inputs in cells, derived measures as live formulas
that refer to them, curves, the figure, patient-level data and provenance.

Sheets: Comparison (io/xlsx_comparison.py), Curves (io/xlsx_curves.py), Figure, the across-trials
sheets (io/xlsx_across.py), Patients (io/xlsx_patients.py), Provenance; styles and what the
sheets share in io/xlsx_common.py. Every string the user typed goes through ``safe_text``
(stored as text, never as a formula). The file is written atomically. openpyxl is imported
inside the functions (it is slow to import at GUI start-up).
"""
from __future__ import annotations

import io
import math
import os
from pathlib import Path
from typing import Iterable

from evidencegui.core.model import Project
from evidencegui.io import provenance as prov
from evidencegui.io.safe_text import atomic_write_bytes, set_text
from evidencegui.io.xlsx_common import Styles, estimate_lines, header_style, page_setup
# What callers import from here (the slides, the command line, the window, tests, benchmarks).
from evidencegui.io.xlsx_common import (FMT_HR, FMT_INT, FMT_MONTHS, FMT_P, FMT_PCT, FMT_RATIO,
                                        FMT_SE, ordered_arms)
from evidencegui.io.xlsx_comparison import (NOT_REACHED, Z975, BlockCells, comparisons_by_arm,
                                            esmo_text, landmark_times, write_comparison)
from evidencegui.io.xlsx_curves import CurveTable, curve_tables, write_curves
from evidencegui.io.xlsx_patients import patient_rows_count, write_patients, write_patients_csv

__all__ = ["build_workbook", "workbook_bytes", "write_workbook", "Figures", "MAX_ROWS_IN_WORKBOOK",
           "SHEET_ROWS", "comparisons_by_arm", "esmo_text", "ordered_arms", "landmark_times",
           "BlockCells", "CurveTable", "curve_tables", "patient_rows_count", "write_patients_csv",
           "NOT_REACHED", "Z975", "FMT_MONTHS", "FMT_HR", "FMT_RATIO", "FMT_SE", "FMT_PCT",
           "FMT_INT", "FMT_P"]

Figures = dict[tuple[str, str], bytes]

#: More patient (or curve) rows than this are written as CSV beside the workbook when it has a
#: path (write_workbook): a sheet of a million rows takes minutes and gigabytes in openpyxl.
#: Without a path (workbook_bytes) they are split across sheets of SHEET_ROWS rows each.
#: (Read when a workbook is built, so a test may lower them on this module.)
MAX_ROWS_IN_WORKBOOK = 100_000
SHEET_ROWS = 1_000_000          # Excel holds 1,048,576 rows per sheet


# ----------------------------------------------------------------------------- Figure

def _write_figures(ws, project: Project, figures: Figures | None, st: Styles) -> int:
    from openpyxl.drawing.image import Image
    c = ws.cell(1, 1, "Figures")
    c.font = st.title
    ws.column_dimensions["A"].width = 12
    if not figures:
        ws.cell(3, 1, "No figure was rendered for this export.")
        return 0
    order = [(t.name, e.name) for t in project.trials for e in t.endpoints]
    keys = [k for k in order if k in figures] + [k for k in figures if k not in order]
    r = 3
    n = 0
    for key in keys:
        png = figures[key]
        if not png:
            continue
        c = ws.cell(r, 1)
        set_text(c, f"{key[0]} — {key[1]}")
        c.font = st.header
        img = Image(io.BytesIO(png))
        w, h = img.width, img.height
        scale = min(1.0, 900.0 / w) if w else 1.0
        img.width, img.height = int(w * scale), int(h * scale)
        ws.add_image(img, f"A{r + 1}")
        r += 2 + math.ceil(img.height / 20.0) + 1     # default row height is 20 px
        n += 1
    return n


# ----------------------------------------------------------------------------- Provenance

def _write_provenance(ws, project: Project, input_files: Iterable, st: Styles,
                      created: str | None, extra: Iterable = ()) -> None:
    pv = prov.collect(project, input_files, created=created)
    rows = list(pv.rows()) + list(extra)
    for i, (h, w) in enumerate(zip(("Section", "Item", "Details"), (14, 40, 110)), start=1):
        header_style(ws.cell(1, i, h), st)
        ws.column_dimensions["ABC"[i - 1]].width = w
    ws.freeze_panes = "A2"
    r = 2
    for section, item, text in rows:
        ws.cell(r, 1, section).alignment = st.top
        set_text(ws.cell(r, 2), item).alignment = st.wrap
        c = set_text(ws.cell(r, 3), text)
        c.alignment = st.wrap
        lines = max(estimate_lines(text, 110), estimate_lines(item, 40))
        if lines > 1:
            ws.row_dimensions[r].height = 15 * min(lines, 20)
        r += 1
    ws.cell(r + 1, 1, "Input files are identified by their SHA-256; compare it to re-check them.").font = st.note


# ----------------------------------------------------------------------------- workbook

def build_workbook(project: Project, figures: Figures | None = None, input_files: Iterable = (),
                   created: str | None = None, beside: Path | None = None):
    """The openpyxl Workbook (not saved). ``created`` overrides the date (for reproducible tests).
    ``beside``: the workbook's path; with more than MAX_ROWS_IN_WORKBOOK patients their rows are
    written as CSV next to it (noted in the Patients and Provenance sheets), else split across
    sheets."""
    from openpyxl import Workbook

    from evidencegui.io.across_table import split_figures
    from evidencegui.io.xlsx_across import add_across_sheets
    figures, across_figures = split_figures(figures)     # forest plots and overlay: own sheets
    st = Styles()
    wb = Workbook()
    extra: list = []                   # Provenance rows of the CSVs written beside the workbook

    ws = wb.active
    ws.title = "Comparison"
    blocks = write_comparison(ws, project, comparisons_by_arm(project), st)
    page_setup(ws)
    ws.print_title_rows = "1:2"

    wc = wb.create_sheet("Curves")
    write_curves(wc, project, st, beside, extra, MAX_ROWS_IN_WORKBOOK)
    page_setup(wc)
    wc.print_title_rows = "1:1"

    wf = wb.create_sheet("Figure")
    _write_figures(wf, project, figures, st)
    page_setup(wf)

    add_across_sheets(wb, project, across_figures, st)    # "Across trials", "Forest" (2+ trials)

    wp = wb.create_sheet("Patients")
    write_patients(wb, wp, project, st, beside, extra, MAX_ROWS_IN_WORKBOOK, SHEET_ROWS)
    page_setup(wp, landscape=False)
    wp.print_title_rows = "1:1"

    wv = wb.create_sheet("Provenance")
    _write_provenance(wv, project, input_files, st, created, extra)
    page_setup(wv)

    wb.properties.creator = f"{prov.PROGRAM} {prov.__version__}"
    wb.properties.title = (project.title or "Comparison of trial arms")[:200]
    wb._evidencegui_blocks = blocks   # for tests and callers that want the cell map
    return wb


def workbook_bytes(project: Project, figures: Figures | None = None, input_files: Iterable = (),
                   created: str | None = None) -> bytes:
    wb = build_workbook(project, figures, input_files, created)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_workbook(project: Project, path: str | os.PathLike, figures: Figures | None = None,
                   input_files: Iterable = (), created: str | None = None) -> Path:
    """Write the comparison workbook to ``path`` (atomically: temporary file, then rename)."""
    wb = build_workbook(project, figures, input_files, created, beside=Path(path))
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(path, buf.getvalue())
