"""Text that the user typed, made safe for spreadsheets and CSV files (no formula injection).

openpyxl writes any string starting with "=" as a formula, and spreadsheet programs evaluate
CSV cells starting with ``= + - @`` (and tab/CR) as formulas too. In a workbook a user string is
stored as a string cell (``data_type = "s"``) and, when it starts with one of those characters,
also gets the "quote prefix" style so Excel shows it as typed; ``quotePrefix`` alone does not stop
openpyxl from writing a formula. In CSV the cell gets a leading apostrophe (OWASP's advice).

Pure: imports nothing heavy; openpyxl objects are only duck-typed.
"""
from __future__ import annotations

import csv
import io
import math
import os
import re
from numbers import Real
from pathlib import Path
from typing import Any, Iterable, Sequence

# A cell that starts with one of these is read as a formula by Excel, LibreOffice or Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 forbids (openpyxl raises IllegalCharacterError on them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_MAX_CHARS = 32767


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet program would read ``text`` as a formula (or DDE command)."""
    return bool(text) and text.startswith(FORMULA_PREFIXES)


def clean_text(value: Any) -> str:
    """``value`` as a string that any xlsx/pptx (XML) file can hold: control characters that
    XML forbids are replaced by U+FFFD, and the text is cut to Excel's 32,767-character limit."""
    text = "" if value is None else str(value)
    # cut first: the substitution then runs on at most 32,767 characters, however long the
    # input (a 50 MB name cleaned in every cell took minutes)
    text = text[:EXCEL_MAX_CHARS]
    if not text.isprintable():
        text = _ILLEGAL_XML.sub("\ufffd", text)
    return text


def excel_safe(value: Any) -> tuple[str, bool]:
    """(text, quote_prefix): the cleaned text and whether the cell needs the quote-prefix style."""
    text = clean_text(value)
    return text, looks_like_formula(text)


def set_text(cell, value: Any):
    """Write ``value`` into an openpyxl cell as text, never as a formula. Returns the cell."""
    text, quote = excel_safe(value)
    cell.value = text
    cell.data_type = "s"          # must come after the value: assigning a value resets it
    if quote:
        cell.quotePrefix = True
    return cell


def set_value(cell, value: Any):
    """Write a number (int/float; NaN/inf and None leave the cell blank), a bool, or text
    (always as text, see ``set_text``). Returns the cell."""
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, Real):
        v = float(value)
        cell.value = None if not math.isfinite(v) else (int(value) if isinstance(value, int) else v)
    else:
        set_text(cell, value)
    return cell


def csv_safe(value: Any) -> str:
    """A text cell for CSV output: a leading apostrophe when it would be read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Real):
        v = float(value)
        if not math.isfinite(v):
            return ""
        return value if isinstance(value, int) else repr(v)
    return csv_safe(value)


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text: text cells neutralised with ``csv_safe``; numbers written at full precision
    (``repr``), None/NaN as empty cells."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")   # RFC 4180; also quotes text holding a CR
    w.writerow([_csv_cell(h) for h in header])
    for r in rows:
        w.writerow([_csv_cell(v) for v in r])
    return buf.getvalue()


def write_csv_safe(path: str | os.PathLike, header: Sequence[Any],
                   rows: Iterable[Sequence[Any]]) -> Path:
    """Write a CSV file atomically (temporary file, then rename) with ``csv_text``'s rules."""
    return atomic_write_bytes(path, csv_text(header, rows).encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Atomic write (io.atomic) with a readable error when the output folder does not exist."""
    from evidencegui.io import atomic

    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        from evidencegui.core.errors import InputError
        raise InputError(f"the folder {str(folder)!r} does not exist", file=str(path))
    atomic.atomic_write_bytes(path, data)
    return path

