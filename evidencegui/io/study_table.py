"""Tables of studies to pool (CLI.md `pool`): one row per study or subgroup level, CSV or XLSX.

Columns: ``study`` and either ``hr, hr_lower, hr_upper`` (95% CI) or ``log_hr, se``; optional
``group`` and ``source``. Every error names the file, the 1-based row (header = row 1) and the
column; nothing is dropped: an unknown column is an error, as is a row that cannot be read.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from evidencegui.core import model
from evidencegui.core.errors import InputError
from evidencegui.core.pooling import PoolingInputError, Study, study_from_hr, study_from_log
from evidencegui.io.summary import _blank, _read_rows, _text, header_columns

STUDY_COLUMNS = ("study", "hr", "hr_lower", "hr_upper", "log_hr", "se", "group", "source")


@dataclass
class Row:
    """One data row of a table: its 1-based number and a reader for each named column."""
    number: int
    file: str
    cells: dict[str, Any]

    def text(self, name: str) -> str:
        return _text(self.cells.get(name))

    def value(self, name: str, parse: Callable[[Any], Any] = model.parse_number) -> Any:
        v = self.cells.get(name)
        if _blank(v):
            return None
        try:
            return parse(v)
        except ValueError as e:
            raise InputError(str(e), file=self.file, row=self.number, field=name) from None


def read_table(path: str | os.PathLike, required: tuple[str, ...], known: tuple[str, ...]
               ) -> tuple[set[str], Iterator[Row]]:
    """The columns present and the non-blank rows of a CSV/XLSX table with a header row;
    header names are matched ignoring case and surrounding spaces."""
    f = str(path)
    rows = _read_rows(Path(path))
    header, cols = header_columns(rows, f, lambda h: h in known, ", ".join(known))
    for r in required:
        if r not in cols:
            raise InputError(f"the column {r!r} is missing", file=f, row=1, field=r)
    if not any(not all(_blank(v) for v in rec) for rec in rows[1:]):
        raise InputError("the table has a header but no rows", file=f, row=2)

    def gen() -> Iterator[Row]:
        for idx, rec in enumerate(rows[1:], start=2):
            if all(_blank(v) for v in rec):
                continue
            if any(not _blank(v) for v in rec[len(header):]):
                raise InputError("the row has more values than the header has columns",
                                 file=f, row=idx)
            yield Row(idx, f, {name: (rec[i] if i < len(rec) else None) for name, i in cols.items()})

    return set(cols), gen()


def read_studies(path: str | os.PathLike) -> list[Study]:
    """The studies of a `pool` table; raises InputError (PoolingInputError for values that
    cannot be pooled) naming the file, row and column."""
    cols, rows = read_table(path, ("study",), STUDY_COLUMNS)
    has_hr = bool(cols & {"hr", "hr_lower", "hr_upper"})
    has_log = bool(cols & {"log_hr", "se"})
    if not has_hr and not has_log:
        raise InputError("give the columns hr, hr_lower, hr_upper (95% CI) or log_hr, se",
                         file=str(path), row=1, field="hr")
    studies = []
    for row in rows:
        name = row.text("study")
        if not name:
            raise InputError("the study has no name", file=row.file, row=row.number, field="study")
        group = row.text("group") or None if "group" in cols else None
        hr_vals = [row.value(c) for c in ("hr", "hr_lower", "hr_upper")]
        log_vals = [row.value(c) for c in ("log_hr", "se")]
        try:
            if any(v is not None for v in hr_vals):
                if any(v is not None for v in log_vals):
                    raise PoolingInputError("give either hr with its CI or log_hr with se, not "
                                            "both", row=row.number, field="log_hr")
                studies.append(study_from_hr(name, *hr_vals, group=group, row=row.number,
                                             source=row.text("source")))
            elif any(v is not None for v in log_vals):
                studies.append(study_from_log(name, *log_vals, group=group, row=row.number,
                                              source=row.text("source")))
            else:
                raise PoolingInputError("no hazard ratio: give hr, hr_lower, hr_upper or log_hr, "
                                        "se", row=row.number, field="hr" if has_hr else "log_hr")
        except PoolingInputError as e:
            e.file = row.file
            raise
    return studies
