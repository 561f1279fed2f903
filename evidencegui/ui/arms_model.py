"""The editable arms table: a QAbstractTableModel over one endpoint of a core.model Project.

Edits never touch the project directly: a valid value becomes a core command handed to
``push`` (the undo stack). Text that cannot be read as a value is kept in the cell, shown in red
with the reason, and not applied, so nothing typed is lost and nothing invalid is accepted.
Values that parse but break a rule of core validation (a CI that excludes its estimate, more
events than patients) are applied and marked with validation's message.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from evidencegui.core import commands as cmd
from evidencegui.core.model import (CONTROL, EXPERIMENTAL, Arm, Endpoint, Landmark, Project,
                                    is_not_reached, parse_bool, parse_count, parse_number,
                                    parse_probability, validate_endpoint)

ERROR_BRUSH = QBrush(QColor("#f8c9c4"))

_DISPLAY, _EDIT, _CHECK = (int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole),
                           int(Qt.ItemDataRole.CheckStateRole))
_BACKGROUND, _TOOLTIP, _ALIGN, _FONT = (int(Qt.ItemDataRole.BackgroundRole),
                                        int(Qt.ItemDataRole.ToolTipRole),
                                        int(Qt.ItemDataRole.TextAlignmentRole),
                                        int(Qt.ItemDataRole.FontRole))
_ROLES = frozenset({_DISPLAY, _EDIT, _CHECK, _BACKGROUND, _TOOLTIP, _ALIGN, _FONT})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_EDITABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
_CHECKABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable


def _bold_font():
    from PySide6.QtGui import QFont
    f = QFont()
    f.setBold(True)
    return f

WARNING_BRUSH = QBrush(QColor("#fbe8b0"))
CONTROL_BRUSH = QBrush(QColor("#e8eef6"))


@dataclass(frozen=True)
class Column:
    key: str          # arm field, or "surv:<time>" for a landmark column
    header: str
    kind: str         # text, role, count, positive, hr, p, bool, landmark
    tip: str


FIXED_BEFORE = [
    Column("label", "Arm", "text", "The arm's label, as in the publication"),
    Column("role", "Role", "role", "control or experimental (one control per endpoint)"),
    Column("n", "n", "count", "Patients randomised to the arm"),
    Column("events", "Events", "count", "Number of events (deaths for OS, progression or death for PFS)"),
    Column("median", "Median", "positive", "Median time to event, in months; type NR if not reached"),
    Column("median_lower", "Med. low", "positive", "Lower limit of the median's 95% CI"),
    Column("median_upper", "Med. high", "positive",
           "Upper limit of the median's 95% CI; empty if not reached"),
    Column("median_not_reached", "NR", "bool", "Median not reached"),
    Column("hr", "HR", "hr", "Hazard ratio against the control (experimental arms only)"),
    Column("hr_lower", "HR low", "hr", "Lower limit of the HR's 95% CI"),
    Column("hr_upper", "HR high", "hr", "Upper limit of the HR's 95% CI"),
    Column("p_value", "p", "p", "p-value of the comparison; '<0.001' for a bound"),
    Column("hr_stratified", "Strat.", "bool", "The HR comes from a stratified model"),
]
FIXED_AFTER = [Column("source", "Source", "text", "Publication, figure or page the numbers come from")]


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.6g}"
    return str(v)


def format_landmark(lm: Landmark | None) -> str:
    if lm is None:
        return ""
    text = _fmt(lm.survival)
    if lm.lower is not None or lm.upper is not None:
        text += f" ({_fmt(lm.lower)}–{_fmt(lm.upper)})"
    return text


def parse_landmark(text: str, time: float) -> Landmark | None:
    """'0.72', '72%', '0.72 (0.67-0.77)' or '72% (67%–77%)' → Landmark; empty → None."""
    t = str(text).strip()
    if not t:
        return None
    lower = upper = None
    if "(" in t:
        head, _, rest = t.partition("(")
        inside = rest.rstrip().rstrip(")")
        for sep in ("–", "—", " to ", ";", ","):
            inside = inside.replace(sep, " - ")
        parts = [p for p in inside.split(" - ") if p.strip()] if " - " in inside else inside.split("-")
        parts = [p.strip() for p in parts if p.strip()]
        if len(parts) != 2:
            raise ValueError("write the CI as 'estimate (lower–upper)', e.g. 0.72 (0.67–0.77)")
        percent = head.strip().endswith("%")
        conv = [p + "%" if percent and not p.endswith("%") else p for p in parts]
        lower, upper = parse_probability(conv[0]), parse_probability(conv[1])
        t = head
    s = parse_probability(t)
    if s is None:
        raise ValueError("a survival probability is needed before the CI")
    return Landmark(time, s, lower, upper)


def _landmark_field(time: float) -> str:
    return f"surv_{time:g}m"


class ArmsTableModel(QAbstractTableModel):
    """Rows are the arms of the current endpoint; see the module docstring for editing."""

    invalid_input = Signal(str)      # a typed text was refused: the message
    problems_changed = Signal(list)  # validation problems of the endpoint

    def __init__(self, push=None, parent: QObject | None = None):
        super().__init__(parent)
        self.push = push or (lambda command: command.apply(self.project))
        self.project: Project | None = None
        self.t_index: int | None = None
        self.e_index: int | None = None
        self.columns: list[Column] = list(FIXED_BEFORE + FIXED_AFTER)
        self._extra_times: dict[tuple[int, int], set[float]] = {}
        self._pending: dict[tuple[int, str], tuple[str, str]] = {}   # (id(arm), key) → (text, why)
        self._problems: dict[tuple[int, str], tuple[str, str]] = {}  # (row, key) → (severity, msg)
        self.problems: list = []

    # ------------------------------------------------------------------ binding
    @property
    def endpoint(self) -> Endpoint | None:
        try:
            return self.project.trials[self.t_index].endpoints[self.e_index]
        except (AttributeError, IndexError, TypeError):
            return None

    @property
    def trial_name(self) -> str | None:
        try:
            return self.project.trials[self.t_index].name
        except (AttributeError, IndexError, TypeError):
            return None

    def arms(self) -> list[Arm]:
        ep = self.endpoint
        return ep.arms if ep is not None else []

    def set_endpoint(self, project: Project | None, t_index: int | None, e_index: int | None) -> None:
        self.beginResetModel()
        self.project, self.t_index, self.e_index = project, t_index, e_index
        self._rebuild_columns()
        self._validate()
        self.endResetModel()

    def refresh(self) -> None:
        """The project changed (any command): update what the view shows. Without a change of
        shape the model only signals changed data, so the view keeps its current cell."""
        old_cols, old_rows = [c.key for c in self.columns], self.rowCount()
        self._rebuild_columns()
        if [c.key for c in self.columns] != old_cols or self.rowCount() != old_rows:
            self.set_endpoint(self.project, self.t_index, self.e_index)
            return
        self._validate()
        if old_rows and old_cols:
            self.dataChanged.emit(self.index(0, 0), self.index(old_rows - 1, len(old_cols) - 1))

    def landmark_times(self) -> list[float]:
        times = set(self._extra_times.get((self.t_index, self.e_index), set()))
        for a in self.arms():
            times.update(lm.time for lm in a.landmarks)
        return sorted(times)

    def add_landmark_time(self, time: float) -> None:
        if self.t_index is None or self.e_index is None:
            return
        self._extra_times.setdefault((self.t_index, self.e_index), set()).add(float(time))
        self.refresh()

    def _rebuild_columns(self) -> None:
        unit = "mo" if (self.project is None or self.project.time_unit == "months") else self.project.time_unit
        lms = [Column(f"surv:{t!r}", f"S({t:g} {unit})", "landmark",
                      f"Survival probability at {t:g} {unit}: 0.72, 72% or 0.72 (0.67–0.77)")
               for t in self.landmark_times()]
        self.columns = FIXED_BEFORE + lms + FIXED_AFTER
        live = {id(a) for a in self.arms()}
        self._pending = {k: v for k, v in self._pending.items() if k[0] in live}

    def _validate(self) -> None:
        self._problems = {}
        ep = self.endpoint
        self.problems = validate_endpoint(ep, self.trial_name) if ep is not None else []
        keys = {c.key for c in self.columns}
        for p in self.problems:
            key = p.field
            if key.startswith("surv_"):
                stem = key[5:].split("m")[0]
                try:
                    key = f"surv:{float(stem)!r}"
                except ValueError:
                    key = "label"
            elif key == "patients":
                key = "source"
            elif key not in keys:
                key = "label"
            rows = [i for i, a in enumerate(self.arms())
                    if (p.arm is not None and a.label == p.arm)
                    or (p.arm is None and (p.field != "role" or a.is_control))]
            for r in rows:
                old = self._problems.get((r, key))
                msg = p.message if old is None else old[1] + "\n" + p.message
                sev = "error" if p.severity == "error" or (old and old[0] == "error") else "warning"
                self._problems[(r, key)] = (sev, msg)
        self.problems_changed.emit(self.problems)

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.arms())

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section].tip
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def column_index(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)

    def _value_text(self, arm: Arm, col: Column) -> str:
        if col.kind == "landmark":
            return format_landmark(arm.landmark_at(float(col.key[5:])))
        if col.key == "median" and arm.median_not_reached and arm.median is None:
            return "NR"
        if col.key == "p_value" and arm.p_value is not None and arm.p_value_upper_bound:
            return "<" + _fmt(arm.p_value)
        return _fmt(getattr(arm, col.key))

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.columns[index.column()].kind == "bool":
            return _CHECKABLE
        return _EDITABLE

    def data(self, index, role=_DISPLAY):
        # Qt asks for eight roles per cell on every repaint and column fit: the roles this model
        # does not answer return at once, and the others compare plain ints.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        arms = self.arms()
        row, column = index.row(), index.column()
        if row >= len(arms) or column >= len(self.columns):
            return None
        arm, col = arms[row], self.columns[column]
        pending = self._pending.get((id(arm), col.key)) if self._pending else None
        if role == _DISPLAY or role == _EDIT:
            if col.kind == "bool":
                return None
            if pending is not None:
                return pending[0]
            return self._value_text(arm, col)
        if role == _CHECK:
            if col.kind != "bool":
                return None
            return Qt.CheckState.Checked if getattr(arm, col.key) else Qt.CheckState.Unchecked
        problem = self._problems.get((row, col.key))
        if role == _BACKGROUND:
            if pending is not None or (problem and problem[0] == "error"):
                return ERROR_BRUSH
            if problem:
                return WARNING_BRUSH
            if arm.is_control:
                return CONTROL_BRUSH
            return None
        if role == _TOOLTIP:
            if pending is not None:
                return f"Not accepted: {pending[1]}"
            if problem:
                return problem[1]
            if col.key == "source" and arm.patients is not None:
                p = arm.patients
                return (f"{arm.source}\n" if arm.source else "") + \
                    f"Patient-level data: {p.n} patients, {p.events} events ({p.origin}, {p.source})"
            if col.key == "label":     # the column may be narrower than a long arm name
                return f"{arm.label}\n{col.tip}"
            return col.tip
        if role == _ALIGN:
            return None if col.kind in ("text", "role") else _RIGHT
        if role == _FONT and arm.is_control and col.key == "label":
            return _bold_font()
        return None

    def cell_problem(self, row: int, key: str) -> str | None:
        """The message shown for a cell (a refused text or a validation finding), or None."""
        arms = self.arms()
        if 0 <= row < len(arms):
            pending = self._pending.get((id(arms[row]), key))
            if pending:
                return pending[1]
        p = self._problems.get((row, key))
        return p[1] if p else None

    # ------------------------------------------------------------------ editing
    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        if not index.isValid() or self.endpoint is None:
            return False
        row, col = index.row(), self.columns[index.column()]
        arm = self.arms()[row]
        if role == Qt.ItemDataRole.CheckStateRole and col.kind == "bool":
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            return self._apply(row, col, [(col.key, bool(checked))])
        if role != Qt.ItemDataRole.EditRole:
            return False
        text = "" if value is None else str(value)
        try:
            changes = self._parse(arm, col, text)
        except ValueError as e:
            self._pending[(id(arm), col.key)] = (text, str(e))
            self.dataChanged.emit(index, index)
            self.invalid_input.emit(f"{col.header}: {e}")
            return True   # the text stays in the cell, marked as not accepted
        self._pending.pop((id(arm), col.key), None)
        if not self._apply(row, col, changes):
            self.dataChanged.emit(index, index)
        return True

    def _parse(self, arm: Arm, col: Column, text: str) -> list[tuple[str, object]]:
        t = text.strip()
        k = col.kind
        if k == "text":
            if col.key == "label":
                if not t:
                    raise ValueError("an arm needs a label")
                if any(a.label == t for a in self.arms() if a is not arm):
                    raise ValueError(f"the label {t!r} is already used by another arm")
            return [(col.key, t)]
        if k == "role":
            low = t.lower()
            if low in ("c", "ctl", "control", "ref", "reference"):
                return [("role", CONTROL)]
            if low in ("e", "exp", "experimental", "treatment"):
                return [("role", EXPERIMENTAL)]
            raise ValueError("type control or experimental")
        if k == "count":
            return [(col.key, parse_count(t))]
        if k == "positive":
            if col.key == "median" and is_not_reached(t):
                return [("median", None), ("median_not_reached", True)]
            if col.key == "median_upper" and is_not_reached(t):
                return [("median_upper", None)]
            v = parse_number(t, positive=True, allow_zero=False)
            if col.key == "median" and v is not None:
                return [("median", v), ("median_not_reached", False)]
            return [(col.key, v)]
        if k == "hr":
            return [(col.key, parse_number(t, positive=True, allow_zero=False))]
        if k == "p":
            bound = t.startswith("<") or t.startswith("≤")
            v = parse_number(t.lstrip("<≤= ").strip(), positive=True)
            if v is not None and v > 1:
                raise ValueError(f"a p-value must lie in [0, 1], not {v:g}")
            return [("p_value", v), ("p_value_upper_bound", bool(bound and v is not None))]
        if k == "bool":
            return [(col.key, bool(parse_bool(t)))]
        if k == "landmark":
            return [(col.key, parse_landmark(t, float(col.key[5:])))]
        raise ValueError(f"column {col.header} cannot be edited")

    def _apply(self, row: int, col: Column, changes) -> bool:
        """Turn parsed changes into one command; False when nothing changes."""
        arm = self.arms()[row]
        t, e = self.t_index, self.e_index
        commands = []
        for key, value in changes:
            if key.startswith("surv:"):
                time = float(key[5:])
                old = arm.landmark_at(time)
                if (old is None and value is None) or (old is not None and value is not None
                                                      and (old.survival, old.lower, old.upper)
                                                      == (value.survival, value.lower, value.upper)):
                    continue
                commands.append(cmd.SetLandmark(t, e, row, time, value,
                                                text=f"set {arm.label} {col.header}"))
            elif key == "role" and value == CONTROL and not arm.is_control:
                commands.append(cmd.SetControl(t, e, row, text=f"make {arm.label} the control"))
            else:
                old = getattr(arm, key)
                if old == value and type(old) is type(value):
                    continue
                if isinstance(old, float) and isinstance(value, float) and math.isclose(old, value, rel_tol=0, abs_tol=0):
                    continue
                commands.append(cmd.SetArmField(t, e, row, key, value,
                                                text=f"set {arm.label} {col.header}"))
        if not commands:
            return False
        self.push(commands[0] if len(commands) == 1 else cmd.Batch(commands, commands[0].text))
        return True
