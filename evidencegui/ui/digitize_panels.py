"""The side panels of the digitizing window: axis calibration (two known points per axis), the
curves found or clicked (name, arm or not, role, which arm of the project), the numbers-at-risk
grid, and where the reconstructed arms go (trial and endpoint)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from evidencegui.core.curves import TIME_UNITS
from evidencegui.core.model import CONTROL, EXPERIMENTAL, STANDARD_ENDPOINTS
from evidencegui.ui.views.digitize_canvas import CAL_KEYS, CAL_NAMES

NEW_TRIAL = "New trial…"
NEW_ENDPOINT = "New endpoint…"
NEW_ARM = "(new arm)"
_BAD = QColor(255, 205, 205)


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", ".").replace("%", ""))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------- axes

class CalibrationPanel(QGroupBox):
    """X₁, X₂, Y₁, Y₂: a button to place the point on the figure, where it is, and its value."""

    pick = Signal(str)             # the user wants to place this point next
    edited = Signal()

    def __init__(self, parent=None):
        super().__init__("1. Axes: click two known points per axis, type their values", parent)
        grid = QGridLayout(self)
        self.buttons, self.where, self.values = {}, {}, {}
        hints = {"x1": "e.g. 0", "x2": "e.g. 24", "y1": "e.g. 0", "y2": "e.g. 1 or 100"}
        for r, key in enumerate(CAL_KEYS):
            b = QPushButton(f"Place {CAL_NAMES[key]}")
            b.setToolTip(f"Then click the figure where the {'x' if key[0] == 'x' else 'y'} axis has a "
                         "value you know (a labelled tick)")
            b.clicked.connect(lambda _=False, k=key: self.pick.emit(k))
            where = QLabel("not placed")
            where.setStyleSheet("color: #666;")
            value = QLineEdit()
            value.setPlaceholderText(hints[key])
            value.setAccessibleName(f"value of {CAL_NAMES[key]}")
            value.textEdited.connect(lambda _t: self.edited.emit())
            grid.addWidget(b, r, 0)
            grid.addWidget(where, r, 1)
            grid.addWidget(value, r, 2)
            self.buttons[key], self.where[key], self.values[key] = b, where, value
        self.percent = QCheckBox("y axis in percent (0–100)")
        self.percent.toggled.connect(lambda _c: self.edited.emit())
        self.unit = QComboBox()
        self.unit.addItems(list(TIME_UNITS))
        self.unit.setToolTip("The unit of the figure's time axis; the project stores months")
        row = QHBoxLayout()
        row.addWidget(self.percent)
        row.addStretch(1)
        row.addWidget(QLabel("time in"))
        row.addWidget(self.unit)
        grid.addLayout(row, len(CAL_KEYS), 0, 1, 3)
        grid.setColumnStretch(2, 1)

    def show_points(self, points: dict, target: str | None) -> None:
        for key in CAL_KEYS:
            p = points.get(key)
            self.where[key].setText("not placed" if p is None else f"at {p[0]:.0f}, {p[1]:.0f} px")
            self.buttons[key].setStyleSheet("font-weight: bold;" if key == target else "")

    def value(self, key: str) -> float | None:
        return _number(self.values[key].text())

    def set_values(self, values: dict, percent: bool | None = None) -> None:
        for key, v in values.items():
            v = round(float(v), 9) + 0.0          # axis values read from a PDF: 30, not 30.0000001
            self.values[key].setText(f"{v:.10g}")
        if percent is not None:
            self.percent.setChecked(percent)


# ---------------------------------------------------------------------------------- curves

class CurvesPanel(QGroupBox):
    """One row per curve: name (editable), used as an arm, role, and the project arm it fills."""

    renamed = Signal(int, str)
    toggled = Signal(int, bool)
    chosen = Signal(int)           # the row the user selected (the curve that clicks add to)

    COLUMNS = ("Curve", "Arm", "Role", "Into", "Points")

    def __init__(self, parent=None):
        super().__init__("2. Curves: name the arms; untick what is not an arm", parent)
        lay = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(self.COLUMNS)):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)
        self.table.currentCellChanged.connect(lambda r, *_: r >= 0 and self.chosen.emit(r))
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.find = QPushButton("Find curves")
        self.find.setToolTip("Find the curves automatically (inside the crop rectangle if drawn)")
        self.new = QPushButton("New curve (click it)")
        self.new.setToolTip("A curve to click by hand, corner by corner, when finding fails")
        self.remove = QPushButton("Remove curve")
        for b in (self.find, self.new, self.remove):
            row.addWidget(b)
        lay.addLayout(row)
        self._filling = False
        self._targets: list[str] = []

    def fill(self, curves, targets: list[str]) -> None:
        """Rows for ``curves`` (EditCurve); the Into choices are ``targets`` (arm labels)."""
        keep = {self.table.item(r, 0).text(): (self.table.cellWidget(r, 2).currentText(),
                                               self.table.cellWidget(r, 3).currentText())
                for r in range(self.table.rowCount()) if self.table.item(r, 0) is not None}
        current = self.table.currentRow()
        self._filling = True
        self._targets = list(targets)
        self.table.setRowCount(len(curves))
        n_arms = sum(c.arm for c in curves)
        for r, c in enumerate(curves):
            name = QTableWidgetItem(c.name)
            name.setForeground(QBrush(QColor(*c.colour)))
            f = name.font()
            f.setBold(True)
            name.setFont(f)
            self.table.setItem(r, 0, name)
            use = QTableWidgetItem()
            use.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                         | Qt.ItemFlag.ItemIsSelectable)
            use.setCheckState(Qt.CheckState.Checked if c.arm else Qt.CheckState.Unchecked)
            self.table.setItem(r, 1, use)
            role = QComboBox()
            role.addItems([EXPERIMENTAL, CONTROL])
            into = QComboBox()
            into.addItems([NEW_ARM] + self._targets)
            old = keep.get(c.name)
            if old:
                role.setCurrentText(old[0])
            elif r == len(curves) - 1 and n_arms > 1:
                role.setCurrentText(CONTROL)
            if old and old[1] in self._targets:
                into.setCurrentText(old[1])
            elif c.name in self._targets:            # a curve named as an arm goes into it
                into.setCurrentText(c.name)
            self.table.setCellWidget(r, 2, role)
            self.table.setCellWidget(r, 3, into)
            pts = QTableWidgetItem(str(len(c.points)))
            pts.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(r, 4, pts)
        if 0 <= current < len(curves):
            self.table.selectRow(current)
        self._filling = False

    def set_targets(self, targets: list[str]) -> None:
        """New Into choices (another trial or endpoint chosen): same name preselected."""
        self._targets = list(targets)
        for r in range(self.table.rowCount()):
            into = self.table.cellWidget(r, 3)
            name = self.table.item(r, 0).text()
            into.clear()
            into.addItems([NEW_ARM] + self._targets)
            if name in self._targets:
                into.setCurrentText(name)

    def role(self, r: int) -> str:
        return self.table.cellWidget(r, 2).currentText()

    def into(self, r: int) -> str | None:
        t = self.table.cellWidget(r, 3).currentText()
        return None if t == NEW_ARM else t

    def _item_changed(self, item) -> None:
        if self._filling:
            return
        if item.column() == 0:
            self.renamed.emit(item.row(), item.text().strip())
        elif item.column() == 1:
            self.toggled.emit(item.row(), item.checkState() == Qt.CheckState.Checked)


# ---------------------------------------------------------------------------------- at risk

def parse_at_risk(times: list[str], rows: dict[str, list[str]]):
    """The grid's text → ({name: (times, counts)}, [(row, column, problem)]): row 0 is the Time
    row, row r the r-th arm; columns with no time and empty cells are skipped. Each problem
    names the arm (or Time) and the time or column."""
    problems: list[tuple[int, int, str]] = []
    out: dict = {}
    parsed_t: list[float | None] = []
    for c, text in enumerate(times):
        v = _number(text) if text.strip() else None
        if text.strip() and v is None:
            problems.append((0, c, f"Time, column {c + 1}: {text.strip()!r} is not a number"))
        elif v is not None and any(p is not None and v <= p for p in parsed_t):
            problems.append((0, c, f"Time, column {c + 1}: {v:g} is not after the times before it"))
            v = None
        parsed_t.append(v)
    for r, (name, cells) in enumerate(rows.items(), start=1):
        ts, ns = [], []
        for c, text in enumerate(cells):
            t = parsed_t[c] if c < len(parsed_t) else None
            if not text.strip():
                continue
            if t is None:
                problems.append((r, c, f"{name}, column {c + 1}: a count with no valid time above it"))
                continue
            v = _number(text)
            if v is None or v < 0 or v != int(v):
                problems.append((r, c, f"{name} at t = {t:g}: {text.strip()!r} is not a whole "
                                       "number ≥ 0 of patients"))
                continue
            if ns and v > ns[-1]:
                problems.append((r, c, f"{name} at t = {t:g}: {int(v)} at risk is more than the "
                                       f"{ns[-1]} at t = {ts[-1]:g} (the number at risk can only fall)"))
                continue
            ts.append(t)
            ns.append(int(v))
        if ts:
            out[name] = (ts, ns)
    return out, problems


class AtRiskGrid(QGroupBox):
    """Numbers at risk as printed under a figure: a Time row, then one row per arm."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__("3. Numbers at risk (as printed under the figure)", parent)
        lay = QVBoxLayout(self)
        self.table = QTableWidget(1, 0)
        self.table.setVerticalHeaderLabels(["Time"])
        self.table.horizontalHeader().hide()
        self.table.horizontalHeader().setDefaultSectionSize(52)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.itemChanged.connect(self._on_change)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(QLabel("Times every"))
        self.step = QLineEdit()
        self.step.setPlaceholderText("e.g. 6")
        self.step.setFixedWidth(60)
        self.until = QLineEdit()
        self.until.setPlaceholderText("e.g. 48")
        self.until.setFixedWidth(60)
        self.fill_btn = QPushButton("Fill times")
        self.fill_btn.clicked.connect(self._fill_clicked)
        add = QPushButton("Add column")
        add.clicked.connect(lambda: self.table.insertColumn(self.table.columnCount()))
        remove = QPushButton("Remove column")
        remove.clicked.connect(self._remove_column)
        for w in (self.step, QLabel("up to"), self.until, self.fill_btn, add, remove):
            row.addWidget(w)
        row.addStretch(1)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.hide()
        lay.addLayout(row)
        lay.addWidget(self.status)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._busy = False

    def names(self) -> list[str]:
        return [self.table.verticalHeaderItem(r).text() for r in range(1, self.table.rowCount())]

    def rename(self, old: str, new: str) -> None:
        """A curve renamed: its row (and the counts typed in it) keeps going with it."""
        for r, n in enumerate(self.names(), start=1):
            if n == old:
                self.table.verticalHeaderItem(r).setText(new)

    def set_names(self, names: list[str]) -> None:
        """Rows for these arms; counts already typed stay with their name."""
        old = {n: self._row_texts(r + 1) for r, n in enumerate(self.names())}
        self._busy = True
        self.table.setRowCount(1 + len(names))
        self.table.setVerticalHeaderLabels(["Time"] + list(names))
        for r, n in enumerate(names, start=1):
            texts = old.get(n, [])
            for c in range(self.table.columnCount()):
                self.table.setItem(r, c, QTableWidgetItem(texts[c] if c < len(texts) else ""))
        self._busy = False
        self._fit_height()
        self._on_change()

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()

    def set_table(self, times, counts: dict) -> None:
        """Fill from a table read in the figure: times, and counts by arm name."""
        self._busy = True
        self.table.setColumnCount(len(times))
        for c, t in enumerate(times):
            self.table.setItem(0, c, QTableWidgetItem(f"{t:g}"))
        for r, n in enumerate(self.names(), start=1):
            row = counts.get(n, [])
            for c in range(len(times)):
                self.table.setItem(r, c, QTableWidgetItem(str(row[c]) if c < len(row) else ""))
        self._busy = False
        self._fit_height()
        self._on_change()

    def set_cell(self, row: int, col: int, text: str) -> None:
        while self.table.columnCount() <= col:
            self.table.insertColumn(self.table.columnCount())
        self.table.setItem(row, col, QTableWidgetItem(text))

    def fill_times(self, step: float, until: float) -> None:
        n = int(until / step + 1e-9) + 1
        times = [round(k * step, 10) for k in range(n)]
        old = {n_: self._row_texts(r + 1) for r, n_ in enumerate(self.names())}
        self.set_table(times, {})
        self._busy = True
        for r, n_ in enumerate(self.names(), start=1):
            for c, text in enumerate(old.get(n_, [])[:len(times)]):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._busy = False
        self._on_change()

    def _fill_clicked(self) -> None:
        step, until = _number(self.step.text()), _number(self.until.text())
        if step is None or until is None or step <= 0 or until < step:
            self._say("Fill times: type the step between times (e.g. 6) and the last time "
                      "(e.g. 48), both numbers, the step above 0.")
            return
        if until / step > 200:
            self._say(f"Fill times: {until:g} every {step:g} makes more than 200 columns; "
                      "choose a larger step.")
            return
        self.fill_times(step, until)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #a00;")
        self.status.show()

    def _remove_column(self) -> None:
        c = self.table.currentColumn()
        self.table.removeColumn(c if c >= 0 else self.table.columnCount() - 1)
        self._on_change()

    def _row_texts(self, r: int) -> list[str]:
        return [(self.table.item(r, c).text() if self.table.item(r, c) else "")
                for c in range(self.table.columnCount())]

    def tables(self):
        """({name: (times, counts)}, [problems]) from the grid."""
        rows = {n: self._row_texts(r + 1) for r, n in enumerate(self.names())}
        return parse_at_risk(self._row_texts(0), rows)

    def times(self) -> list[float]:
        return [v for v in (_number(t) for t in self._row_texts(0) if t.strip()) if v is not None]

    def _fit_height(self) -> None:
        h = self.table.horizontalHeader().height() if self.table.horizontalHeader().isVisible() else 0
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        wide = sum(self.table.columnWidth(c) for c in range(self.table.columnCount())) \
            + self.table.verticalHeader().width() > self.table.viewport().width()
        bar = self.table.horizontalScrollBar().sizeHint().height() if wide else 0
        self.table.setFixedHeight(rows + h + bar + 2 * self.table.frameWidth() + 2)

    def _on_change(self, *_):
        if self._busy:
            return
        _tables, problems = self.tables()
        bad = {(r, c) for r, c, _m in problems}
        self._busy = True
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None:
                    item.setBackground(QBrush(_BAD) if (r, c) in bad else QBrush())
        self._busy = False
        self.status.setText("\n".join(m for _r, _c, m in problems))
        self.status.setVisible(bool(problems))
        self.status.setStyleSheet("color: #a00;" if problems else "")
        self.changed.emit()


# ---------------------------------------------------------------------------------- target

class TargetPanel(QGroupBox):
    """Where the arms go: an existing trial and endpoint (their arms get the reconstructed
    patients) or a new one."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__("4. Put the arms into", parent)
        grid = QGridLayout(self)
        self.trial = QComboBox()
        self.trial_name = QLineEdit("Digitized trial")
        self.trial_name.setAccessibleName("name of the new trial")
        self.endpoint = QComboBox()
        self.endpoint_name = QComboBox()
        self.endpoint_name.setEditable(True)
        self.endpoint_name.addItems(list(STANDARD_ENDPOINTS[:5]))
        grid.addWidget(QLabel("Trial"), 0, 0)
        grid.addWidget(self.trial, 0, 1)
        grid.addWidget(self.trial_name, 0, 2)
        grid.addWidget(QLabel("Endpoint"), 1, 0)
        grid.addWidget(self.endpoint, 1, 1)
        grid.addWidget(self.endpoint_name, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.project = None
        self.trial.currentIndexChanged.connect(self._trial_changed)
        self.endpoint.currentIndexChanged.connect(self._endpoint_changed)

    def set_project(self, project, t_index=None, e_index=None) -> None:
        self.project = project
        if t_index is not None and not 0 <= t_index < len(project.trials):
            t_index = e_index = None
        if e_index is not None and not 0 <= e_index < len(project.trials[t_index].endpoints):
            e_index = None
        self.trial.blockSignals(True)
        self.trial.clear()
        self.trial.addItems([t.name for t in project.trials] + [NEW_TRIAL])
        self.trial.setCurrentIndex(len(project.trials) if t_index is None else t_index)
        self.trial.blockSignals(False)
        self._trial_changed(e_index=e_index)

    def _trial_changed(self, *_args, e_index=None) -> None:
        ti = self.trial_index()
        self.trial_name.setVisible(ti is None)
        self.endpoint.blockSignals(True)
        self.endpoint.clear()
        eps = [] if ti is None else [e.name for e in self.project.trials[ti].endpoints]
        self.endpoint.addItems(eps + [NEW_ENDPOINT])
        self.endpoint.setCurrentIndex(len(eps) if e_index is None or ti is None else e_index)
        self.endpoint.blockSignals(False)
        self._endpoint_changed()

    def _endpoint_changed(self, *_args) -> None:
        self.endpoint_name.setVisible(self.endpoint_index() is None)
        self.changed.emit()

    def trial_index(self) -> int | None:
        i = self.trial.currentIndex()
        return i if self.project is not None and 0 <= i < len(self.project.trials) else None

    def endpoint_index(self) -> int | None:
        ti = self.trial_index()
        i = self.endpoint.currentIndex()
        if ti is None or not 0 <= i < len(self.project.trials[ti].endpoints):
            return None
        return i

    def arm_labels(self) -> list[str]:
        ti, ei = self.trial_index(), self.endpoint_index()
        if ti is None or ei is None:
            return []
        return [a.label for a in self.project.trials[ti].endpoints[ei].arms]

    def new_trial_name(self) -> str:
        return self.trial_name.text().strip() or "Digitized trial"

    def new_endpoint_name(self) -> str:
        return self.endpoint_name.currentText().strip() or "OS"


class Section(QWidget):
    """A plain vertical stack of the panels (the window puts it in a scroll area)."""

    def __init__(self, widgets, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        for w in widgets:
            lay.addWidget(w)
        lay.addStretch(1)
