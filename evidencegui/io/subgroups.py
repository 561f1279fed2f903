"""Subgroup tables (CSV or XLSX): one row per level of a subgroup variable of one comparison.

Columns: ``variable``, ``level`` (required); ``hr``, ``hr_lower``, ``hr_upper`` (95% CI),
``n_experimental``, ``events_experimental``, ``n_control``, ``events_control`` (optional). The
template is resources/templates/subgroups_template.csv. Every error names the file, the 1-based
row (header = row 1) and the column; values are checked as core.model checks a typed subgroup.
"""
from __future__ import annotations

import os
import re

from evidencegui.core import model
from evidencegui.core.errors import InputError
from evidencegui.core.model import Arm, SubgroupResult
from evidencegui.io.study_table import read_table

REQUIRED = ("variable", "level")
COLUMNS = REQUIRED + ("hr", "hr_lower", "hr_upper", "n_experimental", "events_experimental",
                      "n_control", "events_control")
_COUNTS = ("n_experimental", "events_experimental", "n_control", "events_control")
_FIELD = re.compile(r"^subgroups\[(\d+)\]\.(\w+)$")


def read_subgroups(path: str | os.PathLike) -> list[SubgroupResult]:
    _, rows = read_table(path, REQUIRED, COLUMNS)
    out: list[SubgroupResult] = []
    numbers: list[int] = []
    file = str(path)
    for row in rows:
        sg = SubgroupResult(row.text("variable"), row.text("level"))
        for name in ("hr", "hr_lower", "hr_upper"):
            setattr(sg, name, row.value(name))
        for name in _COUNTS:
            setattr(sg, name, row.value(name, model.parse_count))
        out.append(sg)
        numbers.append(row.number)
    for prob in model.errors(model.validate_arm(Arm("subgroups", subgroups=out))):
        m = _FIELD.match(prob.field)
        if m:
            raise InputError(prob.message, file=file, row=numbers[int(m.group(1))],
                             field=m.group(2))
    return out
