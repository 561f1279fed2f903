"""What the comparison workbook's sheets share: cell styles, number formats, row heights for
wrapped text, page set-up, the order of arms, and the Provenance record of a CSV written beside
the workbook. openpyxl is imported inside the functions (slow to import at GUI start-up).
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Iterator

from evidencegui.core.model import Arm, Endpoint, Project, Trial
from evidencegui.io import provenance as prov

# number formats
FMT_MONTHS = "0.0"
FMT_GAIN = '+0.0;"−"0.0;0.0'     # a gain signed, as io.format.fmt_gain writes it (+15.7, −2.0)
FMT_HR = "0.00"
FMT_RATIO = "0.00"            # ratios as io.format.fmt_ratio writes them (1.38)
FMT_SE = "0.000"
FMT_PCT = "0.0%"
FMT_PCT0 = "0%"               # a share as io.format.fmt_pct writes it by default (32%)
FMT_INT = "0"
FMT_P = '[<0.0001]"<0.0001";0.0000'
Z975 = "NORMSINV(0.975)"      # = 1.959964; NORMSINV is read by Excel and LibreOffice alike


class Styles:
    """The fonts, fills, borders and alignments of every sheet (one set per workbook)."""

    def __init__(self):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        thin = Side(style="thin", color="9AA5B1")
        self.title = Font(bold=True, size=14)
        self.subtitle = Font(italic=True, size=9, color="555555")
        self.block = Font(bold=True, size=12, color="FFFFFF")
        self.block_fill = PatternFill("solid", fgColor="2F5597")
        self.header = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor="D9E1F2")
        self.header_border = Border(bottom=thin)
        self.section = Font(bold=True, italic=True, color="2F5597")
        self.input = Font(color="1F3F99")
        self.input_fill = PatternFill("solid", fgColor="EEF3FB")
        self.formula = Font(color="000000")
        self.note = Font(italic=True, size=9, color="555555")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.center = Alignment(horizontal="center", vertical="top", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="top")
        self.top = Alignment(vertical="top")


def header_style(c, st: Styles):
    """A column header cell: bold on the header fill, a thin line below."""
    c.font, c.fill, c.border = st.header, st.header_fill, st.header_border
    return c


def input_cell(c, value, st: Styles, number_format: str | None = None):
    """A reported input: the value (text stays text: safe_text), blue on the input fill, the
    number format where it is a number."""
    from evidencegui.io.safe_text import set_value
    set_value(c, value)
    c.font, c.fill = st.input, st.input_fill
    if number_format and c.data_type == "n":
        c.number_format = number_format
    return c


def formula_cell(c, formula: str, number_format: str, st: Styles):
    """A live formula we put there, in the formula font."""
    c.value = formula
    c.number_format = number_format
    c.font = st.formula
    return c


def estimate_lines(text: str, width_chars: float) -> int:
    """Lines a wrapped cell of this width (in Excel's character units) needs for the text."""
    if not text:
        return 1
    lines = 0
    for para in str(text).split("\n"):
        lines += max(1, math.ceil(len(para) * 1.1 / max(width_chars, 1)))
    return lines


def page_setup(ws, landscape: bool = True):
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def ordered_arms(endpoint: Endpoint) -> list[Arm]:
    """Control first, then the other arms in their order."""
    ctl = endpoint.control
    return ([ctl] if ctl is not None else []) + [a for a in endpoint.arms if a is not ctl]


def each_arm(project: Project) -> Iterator[tuple[Trial, Endpoint, Arm]]:
    """(trial, endpoint, arm) of every arm in the order the sheets list them (control first)."""
    for t in project.trials:
        for e in t.endpoints:
            for a in ordered_arms(e):
                yield t, e, a


def beside_path(workbook: Path, kind: str) -> Path:
    """The CSV written next to the workbook: <stem>.<kind>.csv."""
    return Path(workbook).with_name(Path(workbook).stem + f".{kind}.csv")


def output_file_record(csv_path: Path, what: str) -> tuple[str, str, str]:
    """The Provenance row of a CSV written beside the workbook (what: its contents)."""
    rec = prov.file_record(csv_path)
    return ("Output file", csv_path.name,
            f"{what} written beside the workbook: SHA-256 {rec.sha256}; {rec.size} bytes")
