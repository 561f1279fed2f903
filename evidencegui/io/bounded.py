"""Limits every reader checks before and while it reads, so that no input file hangs the program or
fills its memory: regular files only, a largest size, and for XLSX workbooks a largest unpacked
size, no XML entity declarations (an "entity bomb") and no Excel error cells.

Pure: zipfile and os only; openpyxl is imported inside the functions that need it.
"""
from __future__ import annotations

import contextlib
import os
import stat
import zipfile
from pathlib import Path

from evidencegui.core.errors import InputError

#: Largest input file read (CSV, XLSX, JSON): a million patients take about 30 MB.
MAX_FILE_BYTES = 1024 * 1024 * 1024
#: Largest total unpacked size of an XLSX workbook (its XML); a million-row sheet is ~100 MB.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: Largest ratio of unpacked to packed size of one member (real sheets compress 5–20 times).
MAX_ZIP_RATIO = 200
#: Longest text accepted in a name or label (trial, endpoint, arm); notes may be longer.
MAX_NAME_CHARS = 1000
MAX_TEXT_CHARS = 100_000
#: Values of cells holding an Excel error (openpyxl gives them as text).
EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def check_file(path, max_bytes: int = MAX_FILE_BYTES, what: str = "input") -> int:
    """The size of ``path`` after checking it is a regular file no larger than ``max_bytes``
    (a device such as /dev/zero or a pipe never ends). Raises InputError."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError("the file does not exist", file=str(p)) from None
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror or e})", file=str(p)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("this is a folder, not a file", file=str(p))
    if not stat.S_ISREG(st.st_mode):
        raise InputError("this is not a regular file (a device, pipe or socket); save the data "
                         "to a file first", file=str(p))
    if st.st_size > max_bytes:
        raise InputError(f"the file is too large for an {what} file ({st.st_size / 1e6:,.0f} MB; "
                         f"the limit is {max_bytes / 1e6:,.0f} MB)", file=str(p))
    return st.st_size


def check_xlsx(path, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a workbook that would unpack to more than ``max_unpacked`` bytes, that packs a
    member implausibly tightly (a zip bomb), or whose XML declares entities (a "billion laughs"
    bomb; a real XLSX never has a DOCTYPE). Checked from the zip directory and the first bytes
    of each XML member, before openpyxl parses anything."""
    p = Path(path)
    check_file(p, what="XLSX")
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise InputError(f"not a readable XLSX workbook ({type(e).__name__}: {str(e)[:100]})",
                         file=str(p)) from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > max_unpacked:
            raise InputError(f"the workbook unpacks to {total / 1e6:,.0f} MB, more than the "
                             f"{max_unpacked / 1e6:,.0f} MB this program reads", file=str(p))
        for i in infos:
            if i.file_size > 1_000_000 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
                raise InputError(f"the workbook part {i.filename!r} unpacks to "
                                 f"{i.file_size / 1e6:,.0f} MB from {i.compress_size / 1e3:,.0f} "
                                 "kB: refused as a possible zip bomb", file=str(p))
            if not i.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with zf.open(i) as fh:
                    head = fh.read(4096)
            except Exception as e:  # noqa: BLE001 - zlib, zip and CRC errors of a damaged file
                raise InputError(f"the workbook part {i.filename!r} cannot be read "
                                 f"({type(e).__name__}: {str(e)[:100]})", file=str(p)) from None
            low = head.lower()
            if b"<!doctype" in low or b"<!entity" in low:
                raise InputError(f"the workbook part {i.filename!r} declares XML entities, which "
                                 "no spreadsheet program writes: refused (a possible entity "
                                 "bomb)", file=str(p))


@contextlib.contextmanager
def xlsx_errors(path):
    """Turn any failure of the XLSX parser on a damaged workbook (zlib, zip, XML and openpyxl
    errors come in many kinds) into one InputError naming the file; our own errors pass."""
    try:
        yield
    except InputError:
        raise
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as e:   # noqa: BLE001 - a damaged workbook raises many kinds of error
        raise InputError(f"not a readable XLSX workbook, or a damaged one ({type(e).__name__}: "
                         f"{str(e)[:100]})", file=str(path)) from None


def has_formulas(path) -> bool:
    """True when a worksheet of the workbook holds a formula (``<f>`` element)."""
    with zipfile.ZipFile(path) as zf:
        for i in zf.infolist():
            if not i.filename.startswith("xl/worksheets/"):
                continue
            with zf.open(i) as fh:
                tail = b""
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    buf = tail + chunk
                    if b"<f>" in buf or b"<f " in buf or b"<f/>" in buf:
                        return True
                    tail = chunk[-4:]
    return False


def formula_cells(path, sheet: str | None) -> set[tuple[int, int]]:
    """(row, column), 1-based, of every formula cell of the sheet (the first when None)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        out = set()
        for row in ws.iter_rows():
            for c in row:
                if getattr(c, "data_type", None) == "f":
                    out.add((c.row, c.column))
        return out
    finally:
        wb.close()


def cell_name(row: int, col: int) -> str:
    """Spreadsheet name of a cell: (2, 3) → "C2"."""
    letters = ""
    while col > 0:
        col, r = divmod(col - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row}"


def excel_error(value) -> bool:
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def check_name_length(text: str, *, file: str | None, row: int | None, field: str,
                      limit: int = MAX_NAME_CHARS) -> None:
    if len(text) > limit:
        raise InputError(f"the text is {len(text):,} characters long; a name or label may have at "
                         f"most {limit:,}", file=file, row=row, field=field)


def find_nul(path, limit: int = MAX_FILE_BYTES) -> int | None:
    """Byte offset of the first NUL byte of a (text) file, or None."""
    pos = 0
    with open(path, "rb") as fh:
        while pos < limit:
            chunk = fh.read(1 << 22)
            if not chunk:
                return None
            k = chunk.find(b"\x00")
            if k >= 0:
                return pos + k
            pos += len(chunk)
    return None
