"""Patient-level data (CSV or XLSX, one row a patient) read into arrays, with row-exact errors.

Row numbers follow the spreadsheet convention of ``InputError``: the header is row 1, so the first
patient is row 2, which is also line 2 of a CSV file (a quoted field spanning several lines would
shift later line numbers; the row count stays right). Every message names the file, the row and
the column, and says how many more rows have a problem.

Speed: a CSV is read by the pandas C parser with the time column parsed straight to float64 and
the event and arm columns as categoricals (a few distinct strings, decoded once), so a million
rows take about a quarter of a second. Only when that fast path fails is the file read again as
text to find and describe the bad rows. XLSX is read with openpyxl in read-only mode (faster than
``pandas.read_excel``, which wraps the same parser and adds a frame; see benchmarks/ANALYZE.md).
pandas and openpyxl are imported inside the functions (start-up speed).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from evidencegui.core.errors import InputError
from evidencegui.io import bounded

# Event codings accepted without a mapping (compared after stripping and lower-casing).
DEFAULT_EVENT_CODES = {"1": 1, "0": 0, "1.0": 1, "0.0": 0, "true": 1, "false": 0}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_SEPARATORS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class PatientData:
    """One entry per patient, in file order.

    time: float64, ≥ 0, finite (unit of the file); event: int8, 1 = event, 0 = censored;
    arm: object array of str labels (surrounding spaces removed, otherwise as written: "NA" and
    "None" are labels); row: the spreadsheet row of each patient (header = row 1);
    arm_labels: the distinct labels in order of first appearance, arm_codes indexes them."""
    time: np.ndarray
    event: np.ndarray
    arm: np.ndarray
    row: np.ndarray
    file: str
    arm_labels: tuple[str, ...] = ()
    arm_codes: np.ndarray | None = None
    columns: tuple[str, str, str] = ("", "", "")
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n(self) -> int:
        return len(self.time)


# ----------------------------------------------------------------------------- helpers

def _raise(file: str, row: int, col: str, problem: str, more: int, next_row: int | None,
           header_row: int | None = None) -> None:
    """header_row None: a CSV (header on line 1); else the sheet row of an XLSX header."""
    if header_row is None:
        where = f"row {row} counts the header as row 1: data row {row - 1}, line {row} of the file"
    else:
        where = (f"sheet row {row}; the header is sheet row {header_row}, so this is data row "
                 f"{row - header_row}")
    msg = f"{problem} [{where}]"
    if more:
        msg += (f"; {more} more row{'s' if more > 1 else ''} "
                f"{'have' if more > 1 else 'has'} a problem (the next is row {next_row})")
    raise InputError(msg, file=file, row=row, field=col)


def _read_error(path: Path, e: BaseException) -> InputError:
    if isinstance(e, FileNotFoundError):
        why = "the file does not exist"
    elif isinstance(e, IsADirectoryError):
        why = "this is a folder, not a file"
    elif isinstance(e, PermissionError):
        why = "permission denied"
    else:
        why = getattr(e, "strerror", None) or str(e) or type(e).__name__
    return InputError(f"cannot read the file ({why})", file=str(path))


def _check_readable(path: Path) -> None:
    bounded.check_file(path, what="patient-data")
    try:
        with open(path, "rb") as fh:
            head = fh.read(1)
    except OSError as e:
        raise _read_error(path, e) from None
    if not head:
        raise InputError("the file is empty", file=str(path))


def _find_column(columns: list[str], wanted: str, path: Path, role: str) -> str:
    if wanted in columns:
        return wanted
    loose = [c for c in columns if c.strip().lower() == str(wanted).strip().lower()]
    if len(loose) == 1:
        return loose[0]
    shown = ", ".join(repr(c if len(c) <= 40 else c[:37] + "...") for c in columns[:30])
    if len(columns) > 30:
        shown += f" and {len(columns) - 30} more"
    raise InputError(f"no {role} column named {wanted!r}; the columns are: {shown}",
                     file=str(path), field=str(wanted))


def _check_unique(header: list[str], chosen, path: Path) -> None:
    """A chosen column whose name appears twice in the header is ambiguous: say so, rather than
    silently take the first (pandas would rename the second "name.1")."""
    names = [str(h).strip() for h in header]
    for c in chosen:
        hits = [i + 1 for i, h in enumerate(names) if h == str(c).strip()]
        if len(hits) > 1:
            raise InputError(f"the header has {len(hits)} columns named {c!r} (columns "
                             f"{', '.join(map(str, hits))}); rename one so the choice is clear",
                             file=str(path), row=1, field=str(c))


def _sniff(path: Path, check_fields: bool = True) -> tuple[str, str]:
    """(separator, encoding) from the first line: the most frequent of , ; tab |. Raises
    InputError when the first data line has more fields than the header (pandas would silently
    take the first column as an index and shift the others)."""
    import codecs
    import csv
    import io

    with open(path, "rb") as fh:
        raw = fh.read(65536)
    enc = "utf-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as e:
        if enc == "utf-8" and e.start < len(raw) - 4:   # not a character cut at the sample's end
            enc = "cp1252"
        text = raw.decode(enc, errors="replace")
    lines = [ln for ln in text.lstrip("\ufeff").splitlines() if ln.strip()]
    first = lines[0] if lines else ""
    if path.suffix.lower() == ".tsv":
        sep = "\t"
    else:
        counts = {s: first.count(s) for s in _SEPARATORS}
        best = max(counts, key=counts.get)
        sep = best if counts[best] else ","
    if check_fields and (len(lines) >= 3 or (len(lines) == 2 and len(raw) < 65536)):
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines[:2])), delimiter=sep))
        except csv.Error:
            rows = []
        if len(rows) == 2 and len(rows[1]) > len(rows[0]):
            raise InputError(f"the first data line has {len(rows[1])} fields where the header has "
                             f"{len(rows[0])}: every column needs a name in the header row",
                             file=str(path), row=2)
    return sep, enc


def _is_excel(path: Path) -> bool:
    return path.suffix.lower() in EXCEL_SUFFIXES


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v)) if not math.isinf(v) else str(v)
    return str(v)


def _open_sheet(path: Path, sheet):
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a runtime dependency
        raise InputError("reading XLSX needs openpyxl", file=str(path)) from None
    import zipfile
    bounded.check_xlsx(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        if isinstance(e, OSError) and not isinstance(e, zipfile.BadZipFile):
            raise _read_error(path, e) from None
        raise InputError(f"not a readable XLSX workbook ({type(e).__name__}: {e})", file=str(path)) from None
    if sheet is None:
        return wb, wb.worksheets[0]
    if sheet not in wb.sheetnames:
        wb.close()
        raise InputError(f"no sheet named {sheet!r}; the sheets are: "
                         + ", ".join(repr(s) for s in wb.sheetnames), file=str(path), field="sheet")
    return wb, wb[sheet]


def _sheet_rows(ws):
    """(header row number, header cells, iterator over the later rows' cells), skipping empty
    rows above the header. Every sheet row is yielded (empty ones as short tuples), so the n-th
    row after the header is sheet row header + n."""
    if hasattr(ws, "reset_dimensions"):   # a wrong <dimension> tag must not cut rows short
        ws.reset_dimensions()
    it = ws.iter_rows(values_only=True)
    r = 0
    for cells in it:
        r += 1
        if cells and any(v is not None and str(v).strip() != "" for v in cells):
            # pandas' name for an empty header cell (ui.file_ops.kind_of looks for it)
            names = [_cell_text(v).strip() or f"Unnamed: {i}" for i, v in enumerate(cells)]
            return r, names, it
    return None, [], iter(())


# ----------------------------------------------------------------------------- preview

def read_table_preview(path, nrows: int = 20, sheet=None) -> tuple[list[str], list[list[str]]]:
    """The column names and the first ``nrows`` rows as strings ("" for an empty cell), for the
    column-mapping dialog. Raises InputError for an unreadable, empty or unknown-sheet file."""
    path = Path(path)
    _check_readable(path)
    if _is_excel(path):
        with bounded.xlsx_errors(path):
            return _preview_excel(path, nrows, sheet)
    if path.suffix.lower() == ".xls":
        raise InputError("old .xls workbooks cannot be read; save the sheet as .xlsx or .csv",
                         file=str(path))
    return _preview_csv(path, nrows)


def _preview_excel(path: Path, nrows: int, sheet):
    wb, ws = _open_sheet(path, sheet)
    try:
        hdr_row, header, it = _sheet_rows(ws)
        if hdr_row is None:
            raise InputError("the sheet is empty", file=str(path))
        rows = []
        for cells in it:
            if len(rows) >= nrows:
                break
            vals = [_cell_text(v) for v in cells][:len(header)]
            rows.append(vals + [""] * (len(header) - len(vals)))
    finally:
        wb.close()
    return header, rows


def _preview_csv(path: Path, nrows: int):
    import pandas as pd
    sep, enc = _sniff(path, check_fields=False)
    try:
        df = pd.read_csv(path, sep=sep, nrows=nrows, dtype=str, keep_default_na=False,
                         encoding=enc, engine="c", on_bad_lines="skip")
    except pd.errors.EmptyDataError:
        raise InputError("the file is empty", file=str(path)) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as e:
        raise InputError(f"cannot read the file as a table ({e})", file=str(path)) from None
    return [str(c) for c in df.columns], df.fillna("").values.tolist()


# ----------------------------------------------------------------------------- reading

def _parse_event_map(event_map) -> dict[str, int]:
    out = {}
    for k, v in dict(event_map).items():
        try:
            iv = int(float(v))
        except (TypeError, ValueError):
            iv = None
        if iv not in (0, 1) or float(v) != iv:
            raise InputError(f"the event mapping must map codes to 1 (event) or 0 (censored); "
                             f"{k!r} maps to {v!r}", field="event-map")
        out[str(k).strip().lower()] = iv
    if not out:
        raise InputError("the event mapping is empty", field="event-map")
    return out


def read_patients(path, time_col: str, event_col: str, arm_col: str, event_map=None,
                  sheet=None, *, event_value=None) -> PatientData:
    """Read patient-level data from a CSV or XLSX file.

    Times: numbers ≥ 0 (a decimal comma is accepted when the separator is not a comma).
    Events: 1/0, 1.0/0.0 or true/false (any case); with ``event_map`` (e.g. {"dead": 1,
    "alive": 0}) exactly the codes it lists, compared without case. With ``event_value`` (the
    window's import dialog) that code means an event and every other value censored.
    Arm labels: text as written, surrounding spaces removed; "NA"/"None" are labels.
    Rows empty in all three columns are skipped (their row numbers stay counted).
    Raises InputError naming the file, the row (header = row 1) and the column."""
    path = Path(path)
    _check_readable(path)
    codes = _parse_event_map(event_map) if event_map is not None else dict(DEFAULT_EVENT_CODES)
    cols = (str(time_col), str(event_col), str(arm_col))
    if len(set(cols)) < 3:
        raise InputError("the time, event and arm columns must be three different columns",
                         file=str(path), field=str(time_col))
    if _is_excel(path):
        with bounded.xlsx_errors(path):
            return _read_excel(path, cols, codes, sheet, event_value)
    if path.suffix.lower() == ".xls":
        raise InputError("old .xls workbooks cannot be read; save the sheet as .xlsx or .csv",
                         file=str(path))
    if sheet is not None:
        raise InputError("--sheet applies to XLSX workbooks only", file=str(path), field="sheet")
    return _read_csv(path, cols, codes, event_value)


def _read_csv(path: Path, cols, codes, event_value) -> PatientData:
    sep, enc = _sniff(path)
    if enc != "utf-16":
        nul = bounded.find_nul(path)
        if nul is not None:
            with open(path, "rb") as fh:
                line = fh.read(nul).count(b"\n") + 1
            raise InputError("the file holds a NUL byte (binary data, or a damaged file): a value "
                             "would be cut short there", file=str(path), row=line)
    try:
        return _read_csv_as(path, cols, codes, event_value, sep, enc)
    except UnicodeDecodeError:
        if enc == "cp1252":
            raise InputError("cannot read the file as text (neither UTF-8 nor Windows-1252)",
                             file=str(path)) from None
    # UTF-8 at the start, something else later (an Excel "CSV" edited by hand): Windows-1252
    try:
        return _read_csv_as(path, cols, codes, event_value, sep, "cp1252")
    except UnicodeDecodeError:
        raise InputError("cannot read the file as text (neither UTF-8 nor Windows-1252)",
                         file=str(path)) from None


def _read_csv_as(path: Path, cols, codes, event_value, sep: str, enc: str) -> PatientData:
    import pandas as pd

    common = dict(sep=sep, encoding=enc, engine="c", skip_blank_lines=False)
    try:
        header = pd.read_csv(path, nrows=0, **common)
    except pd.errors.EmptyDataError:
        raise InputError("the file is empty", file=str(path)) from None
    except pd.errors.ParserError as e:
        raise InputError(f"cannot read the file as a table ({e})", file=str(path)) from None
    except OSError as e:
        raise _read_error(path, e) from None
    columns = [str(c) for c in header.columns]
    if all(not c.strip() or c.startswith("Unnamed: ") for c in columns):
        raise InputError("the first line (the header) holds no column names"
                         + (": the file holds only blank lines" if not any(
                             ln.strip() for ln in _head_lines(path, enc)) else ""),
                         file=str(path), row=1)
    roles = ("time", "event", "arm")
    tc, ec, ac = (_find_column(columns, c, path, r) for c, r in zip(cols, roles))
    _check_extra_fields(path, len(columns), sep, common)
    if len(set(columns)) != len(columns) or any(f"{c}.1" in columns for c in (tc, ec, ac)):
        raw = pd.read_csv(path, nrows=1, header=None, dtype=str, keep_default_na=False,
                          **common).iloc[0].tolist()
        _check_unique(raw, (tc, ec, ac), path)
    try:
        # fast path: time straight to float64, event and arm as categoricals
        df = pd.read_csv(path, usecols=[tc, ec, ac], dtype={tc: "float64", ec: "category", ac: "category"},
                         na_filter=False, **common)
        fast = True
    except UnicodeDecodeError:
        raise
    except (ValueError, TypeError, pd.errors.ParserError):
        fast = False   # a value that is not a number somewhere: read as text and find it
    if fast:
        t = df[tc].to_numpy(dtype=np.float64)
        return _finish(path, (tc, ec, ac), t, None, df[ec].cat, df[ac].cat, None, codes, event_value)
    try:
        df = pd.read_csv(path, usecols=[tc, ec, ac], dtype=str, na_filter=False, **common)
    except pd.errors.ParserError as e:
        m = re.search(r"line (\d+), saw (\d+)", str(e))
        if m:
            raise InputError(f"line {m.group(1)} has {m.group(2)} fields where the header has "
                             f"{len(columns)} (a stray separator or an unquoted text with "
                             f"{sep!r} in it?)", file=str(path), row=int(m.group(1))) from None
        raise InputError(f"cannot read the file as a table ({e})", file=str(path)) from None
    tstr = df[tc].fillna("").to_numpy(dtype=object)
    t, t_missing = _times_from_text(tstr, decimal_comma=sep != ",")
    ecat = pd.Categorical(df[ec].fillna(""))
    acat = pd.Categorical(df[ac].fillna(""))
    return _finish(path, (tc, ec, ac), t, tstr, ecat, acat, None, codes, event_value, t_missing)


def _head_lines(path: Path, enc: str) -> list[str]:
    with open(path, "rb") as fh:
        return fh.read(65536).decode(enc, errors="replace").lstrip("\ufeff").splitlines()


def _check_extra_fields(path: Path, width: int, sep: str, common: dict) -> None:
    """A row with more fields than the header is an error (pandas would drop the extra field
    when reading only some columns: "0.37,1,B, 5 mg" would be arm "B")."""
    import pandas as pd

    try:
        extra = pd.read_csv(path, header=None, skiprows=1, names=list(range(width + 1)),
                            usecols=lambda c: c == width, dtype=str, keep_default_na=False,
                            **common)[width]
    except pd.errors.ParserError as e:
        if "Too many columns specified" in str(e):
            return          # no line has more fields than the header
        m = re.search(r"line (\d+), saw (\d+)", str(e))
        if m:
            raise InputError(f"line {int(m.group(1)) + 1} has {m.group(2)} fields where the header "
                             f"has {width} (a stray separator or an unquoted text with {sep!r} "
                             "in it?)", file=str(path), row=int(m.group(1)) + 1) from None
        raise InputError(f"cannot read the file as a table ({e})", file=str(path)) from None
    except pd.errors.EmptyDataError:
        return
    filled = (extra.fillna("").str.strip() != "").to_numpy()
    if filled.any():
        k = int(np.argmax(filled))
        raise InputError(f"this row has more fields than the {width} columns of the header (the "
                         f"extra value {str(extra.iloc[k])[:40]!r}); quote a text that holds "
                         f"{sep!r}, or name the column", file=str(path), row=k + 2)


def _times_from_text(tstr: np.ndarray, decimal_comma: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(float64 times, NaN where empty or not a number; which are empty) from the raw texts,
    stripped once; a decimal comma is read as a point when ``decimal_comma``."""
    import pandas as pd

    s = pd.Series(tstr, dtype=object).str.strip()
    missing = (s == "").to_numpy(dtype=bool)
    if decimal_comma:
        s = s.str.replace(",", ".", regex=False)
    t = pd.to_numeric(s.where(~missing, "nan"), errors="coerce").to_numpy(dtype=np.float64)
    return t, missing


def _read_excel(path: Path, cols, codes, sheet, event_value) -> PatientData:
    import pandas as pd

    wb, ws = _open_sheet(path, sheet)
    try:
        hdr_row, header, it = _sheet_rows(ws)
        if hdr_row is None:
            raise InputError("the sheet is empty" + (f" ({ws.title})" if sheet else ""), file=str(path))
        roles = ("time", "event", "arm")
        names = [_find_column(header, c, path, r) for c, r in zip(cols, roles)]
        _check_unique(header, names, path)
        idx = [header.index(n) for n in names]
        width = max(idx) + 1
        tl, el, al = [], [], []
        ta, ea, aa = tl.append, el.append, al.append
        it_, ie, ia = idx
        for cells in it:
            if len(cells) < width:
                cells = tuple(cells) + (None,) * (width - len(cells))
            ta(cells[it_])
            ea(cells[ie])
            aa(cells[ia])
    finally:
        wb.close()
    rows = np.arange(hdr_row + 1, hdr_row + 1 + len(tl), dtype=np.int64)
    _check_cells(path, sheet, rows, names, [header.index(n) + 1 for n in names], (tl, el, al))
    tstr = np.array([_cell_text(v) for v in tl], dtype=object)
    # numbers come as floats already; strings are parsed as in a CSV
    t, t_missing = _times_from_text(tstr)
    ecat = pd.Categorical([_cell_text(v) for v in el])
    acat = pd.Categorical([_cell_text(v) for v in al])
    return _finish(path, tuple(names), t, tstr, ecat, acat, rows, codes, event_value, t_missing)


def _check_cells(path: Path, sheet, rows, names, columns, values) -> None:
    """Excel error cells (#N/A, #VALUE!, …) and formulas without a saved value are errors naming
    the cell: read as blank or as text they would become a missing value or a new arm."""
    for name, col, vals in zip(names, columns, values):
        for k, v in enumerate(vals):
            if type(v) is str and v[:1] == "#" and bounded.excel_error(v):
                cell = bounded.cell_name(int(rows[k]), col)
                raise InputError(f"cell {cell} holds the Excel error {v.strip()}, not a value; "
                                 "correct the formula or the value in the workbook", file=str(path),
                                 row=int(rows[k]), field=name)
    if not any(v is None for vals in values for v in vals) or not bounded.has_formulas(path):
        return
    fcells = bounded.formula_cells(path, sheet)
    for name, col, vals in zip(names, columns, values):
        for k, v in enumerate(vals):
            if v is None and (int(rows[k]), col) in fcells:
                cell = bounded.cell_name(int(rows[k]), col)
                raise InputError(f"cell {cell} holds a formula with no saved value (the workbook was "
                                 "written by a program that does not calculate): open and save it "
                                 "in Excel or LibreOffice, or paste the values", file=str(path),
                                 row=int(rows[k]), field=name)


def _same_code(a: str, b: str) -> bool:
    """Equal as text, or as numbers ("1" and "1.0")."""
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _finish(path: Path, cols, t, tstr, ecat, acat, rows, codes, event_value,
            t_missing=None) -> PatientData:
    """Validate and assemble. t: float64 with NaN where missing/non-numeric (tstr: the raw text
    and t_missing where it is empty, _times_from_text; both None when the fast path parsed
    every value); ecat/acat: categoricals of raw strings."""
    tc, ec, ac = cols
    n = len(t)
    header_row = None if rows is None else int(rows[0]) - 1 if n else 1
    if rows is None:
        rows = np.arange(2, n + 2, dtype=np.int64)
    # event codes per category
    ecats = [str(c) for c in ecat.categories]
    ekeys = [c.strip().lower() for c in ecats]
    if event_value is not None:
        ev_val = str(event_value).strip().lower()
        evals = np.array([1 if _same_code(k, ev_val) else 0 for k in ekeys] + [-1], dtype=np.int8)
    else:
        evals = np.array([codes.get(k, -1) for k in ekeys] + [-1], dtype=np.int8)
    ecodes = np.asarray(ecat.codes)
    event = evals[ecodes]
    # arm labels: strip, merge labels equal after stripping
    acats = [str(c).strip() for c in acat.categories]
    for lab in acats:
        if len(lab) > bounded.MAX_NAME_CHARS:
            i = int(np.argmax(np.asarray(acat.codes) == acats.index(lab)))
            bounded.check_name_length(lab, file=str(path), row=int(rows[i]), field=ac)
    uniq = list(dict.fromkeys(acats))
    remap = np.array([uniq.index(c) for c in acats] + [-1], dtype=np.int64) if acats else np.array([-1])
    acodes = remap[np.asarray(acat.codes)]
    empty_label = uniq.index("") if "" in uniq else -2

    # blank rows (empty in all three columns) are skipped
    if t_missing is None:    # fast path: an empty time would have failed the float parse
        t_missing = np.zeros(n, dtype=bool)
    e_empty_cat = np.array([k == "" for k in ekeys] + [True])[ecodes]
    blank = t_missing & e_empty_cat & (acodes == empty_label)
    warnings = []
    if blank.any():
        nb = int(blank.sum())
        warnings.append(f"{nb} empty row{'s' if nb > 1 else ''} skipped")
        keep = ~blank
        t, event, acodes, rows, t_missing = t[keep], event[keep], acodes[keep], rows[keep], t_missing[keep]
        ecodes = ecodes[keep]
        if tstr is not None:
            tstr = tstr[keep]
        n = len(t)
    if n == 0:
        raise InputError("the file holds no patients (only a header row)", file=str(path))

    with np.errstate(invalid="ignore"):
        bad_t = ~np.isfinite(t) | (t < 0)
    bad_e = event < 0
    bad_a = acodes == empty_label
    bad = bad_t | bad_e | bad_a
    if bad.any():
        where = np.flatnonzero(bad)
        i = int(where[0])
        more = len(where) - 1
        nxt = int(rows[where[1]]) if more else None
        if bad_t[i]:
            raw = tstr[i].strip() if tstr is not None else format(float(t[i]), ".15g")
            if raw == "":
                problem = "the time is missing"
            elif math.isnan(t[i]):
                problem = f"the time {raw!r} is not a number"
            elif math.isinf(t[i]):
                problem = f"the time {raw!r} is infinite"
            else:
                problem = f"the time {raw!r} is negative"
            _raise(str(path), int(rows[i]), tc, problem, more, nxt, header_row)
        if bad_e[i]:
            raw = ecats[ecodes[i]].strip() if ecodes[i] >= 0 else ""
            if raw == "":
                problem = "the event is missing"
            else:
                accepted = ", ".join(sorted(codes)) if event_value is None else ""
                problem = (f"the event code {raw!r} is not in the coding ({accepted}; other "
                           "codes need an event mapping such as --event-map dead=1,alive=0)")
            _raise(str(path), int(rows[i]), ec, problem, more, nxt, header_row)
        _raise(str(path), int(rows[i]), ac, "the arm label is missing", more, nxt, header_row)

    # relabel arms in order of first appearance
    if len(uniq) <= 64:    # a few arms: one pass per label beats sorting a million codes
        first = np.full(len(uniq), n, dtype=np.int64)
        for k in range(len(uniq)):
            i = int(np.argmax(acodes == k))      # 0 when k is absent
            if acodes[i] == k:
                first[k] = i
        present = np.flatnonzero(first < n)
        first = first[present]
    else:
        present, first = np.unique(acodes, return_index=True)
    order = present[np.argsort(first, kind="stable")]
    new_code = np.full(len(uniq), -1, dtype=np.int64)
    new_code[order] = np.arange(len(order))
    codes_out = new_code[acodes]
    labels = tuple(uniq[k] for k in order)
    arm = np.array(labels, dtype=object)[codes_out]
    return PatientData(time=np.ascontiguousarray(t, dtype=np.float64), event=event.astype(np.int8),
                       arm=arm, row=rows, file=path.name, arm_labels=labels, arm_codes=codes_out,
                       columns=(tc, ec, ac), warnings=tuple(warnings))
