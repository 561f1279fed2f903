"""Import a digitized Kaplan–Meier figure: curve file, dataset ↔ arm labels and roles, scale,
numbers-at-risk table (typed in the grid or loaded from CSV), reconstruction on a worker with
its warnings and fit shown before the arms are added."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QTextBrowser, QVBoxLayout)

import numpy as np

from evidencegui.ui.dialogs import ok_cancel
from evidencegui.core.curves import TIME_UNITS, convert_time
from evidencegui.core.model import CONTROL, EXPERIMENTAL, Arm, Endpoint, PatientData, Project, Trial


def reconstructed_patients(name, rec, unit: str, source: str, **extra) -> PatientData:
    """A reconstruction (core.reconstruct) as an arm's patient data, times converted from the
    figure's axis unit to months; ``extra`` joins the stored reconstruction record."""
    return PatientData([float(x) for x in convert_time(np.asarray(rec.time, float), unit, "months")],
                       [int(x) for x in rec.event], origin="reconstructed", source=source,
                       reconstruction={**rec.audit(), "dataset": name, "warnings": list(rec.warnings),
                                       "fit": rec.fit.to_json(), "axis_unit": unit, **extra})


def reconstructed_arm(name, rec, label: str, role: str, unit: str, source: str, **extra) -> Arm:
    """A new arm holding a reconstruction: n and events from the reconstructed patients."""
    return Arm(label, role=role, n=rec.n, events=rec.events, source=f"reconstructed from {source}",
               patients=reconstructed_patients(name, rec, unit, source, **extra))


class DigitizedImportDialog(QDialog):
    def __init__(self, parent=None, curve_path=None, at_risk_path=None, trial=None, endpoint=None):
        super().__init__(parent)
        self.setWindowTitle("Import digitized curve")
        self.resize(760, 640)
        self.curves: dict = {}
        self.results: dict = {}
        self.result_project: Project | None = None
        self.curve_path = curve_path
        self.file_label = QLabel("(no file)")
        pick = QPushButton("Choose curve file…")
        pick.clicked.connect(self._pick_curve)
        self.scale = QComboBox()
        self.scale.addItems(["auto", "unit", "percent"])
        self.scale.currentIndexChanged.connect(lambda: self.curve_path and self.load_curve(self.curve_path))
        self.time_unit = QComboBox()          # the unit of the figure's time axis
        self.time_unit.addItems(list(TIME_UNITS))
        self.time_unit.setToolTip("The unit of the published figure's time axis (and of the "
                                  "numbers-at-risk times); the patient data are stored in months")
        self.trial = QLineEdit(trial or "Digitized trial")
        self.endpoint = QLineEdit(endpoint or "OS")
        self.arms = QTableWidget(0, 3)
        self.arms.setHorizontalHeaderLabels(["Dataset", "Arm label", "Role"])
        self.nar = QTableWidget(0, 1)
        nar_load = QPushButton("Load numbers at risk from CSV…")
        nar_load.clicked.connect(self._pick_nar)
        add_row = QPushButton("Add time row")
        add_row.clicked.connect(lambda: self.nar.insertRow(self.nar.rowCount()))
        run = QPushButton("Reconstruct")
        run.clicked.connect(self.run)
        self.report = QTextBrowser()
        self.buttons = ok_cancel(self, self._accept)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(pick)
        row.addWidget(self.file_label, 1)
        form.addRow("1. Digitized curve", row)
        form.addRow("Scale of S", self.scale)
        form.addRow("Time axis in", self.time_unit)
        form.addRow("Trial", self.trial)
        form.addRow("Endpoint", self.endpoint)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel("2. Datasets ↔ arms"))
        lay.addWidget(self.arms)
        nl = QHBoxLayout()
        nl.addWidget(QLabel("3. Numbers at risk (time in the axis unit; one column per dataset)"))
        nl.addWidget(nar_load)
        nl.addWidget(add_row)
        lay.addLayout(nl)
        lay.addWidget(self.nar)
        lay.addWidget(run)
        lay.addWidget(QLabel("4. Warnings and fit"))
        lay.addWidget(self.report)
        lay.addWidget(self.buttons)
        self.nar.itemChanged.connect(self._stale)
        self.nar.model().rowsInserted.connect(self._stale)
        if curve_path:
            self.load_curve(curve_path)
        if at_risk_path:
            self.load_at_risk(at_risk_path)

    def _pick_curve(self):
        p, _ = QFileDialog.getOpenFileName(self, "Digitized curve", "", "Digitizer export (*.csv *.json *.txt)")
        if p:
            self.load_curve(p)

    def _pick_nar(self):
        p, _ = QFileDialog.getOpenFileName(self, "Numbers at risk", "", "CSV (*.csv *.txt)")
        if p:
            self.load_at_risk(p)

    def load_curve(self, path) -> None:
        from evidencegui.io.digitizer import read_digitized
        try:
            self.curves = read_digitized(path, scale=self.scale.currentText())
        except Exception as e:
            self.report.setPlainText(f"Cannot read {path}: {e}")
            return
        # the same datasets again (e.g. only the scale changed): keep the labels and roles typed
        kept = {}
        for i in range(self.arms.rowCount()):
            if self.arms.item(i, 0) is not None and self.arms.cellWidget(i, 2) is not None:
                kept[self.arms.item(i, 0).text()] = (self.arms.item(i, 1).text(),
                                                     self.arms.cellWidget(i, 2).currentText())
        if set(kept) != set(self.curves):
            kept = {}
        self._stale()
        self.curve_path = str(path)
        self.file_label.setText(Path(path).name)
        self.arms.setRowCount(len(self.curves))
        for i, name in enumerate(self.curves):
            item = QTableWidgetItem(name)
            item.setToolTip(name)
            self.arms.setItem(i, 0, item)
            self.arms.setItem(i, 1, QTableWidgetItem(kept[name][0] if kept else name))
            role = QComboBox()
            role.addItems([EXPERIMENTAL, CONTROL])
            if kept:
                role.setCurrentText(kept[name][1])
            elif i == len(self.curves) - 1 and len(self.curves) > 1:
                role.setCurrentText(CONTROL)
            self.arms.setCellWidget(i, 2, role)
        self.arms.resizeColumnsToContents()
        if self.nar.columnCount() == 1 + len(self.curves):
            self.nar.setHorizontalHeaderLabels(["time"] + list(self.curves))   # keep counts typed
        else:
            self.nar.setColumnCount(1 + len(self.curves))
            self.nar.setHorizontalHeaderLabels(["time"] + list(self.curves))
        self.nar.resizeColumnsToContents()
        warn = [w for c in self.curves.values() for w in c.warnings]
        self.report.setPlainText("\n".join(warn) if warn else f"{len(self.curves)} dataset(s) read.")

    def load_at_risk(self, path) -> None:
        from evidencegui.io.digitizer import read_at_risk
        try:
            table = read_at_risk(path)
        except Exception as e:
            self.report.setPlainText(f"Cannot read {path}: {e}")
            return
        names = list(self.curves) or list(table.names)
        # the table's columns for the datasets: by name; when the names differ (the digitizer's
        # "Dataset 1" against the figure's arm names) and the counts match, in the same order
        columns = {name: table.counts.get(name) for name in names}
        note = ""
        if not any(name in table.counts for name in names):
            if len(table.names) == len(names):
                columns = {name: table.counts[other] for name, other in zip(names, table.names)}
                note = ("Numbers at risk: the table's columns have other names than the datasets; "
                        "matched in order: " + "; ".join(f"{other} → {name}" for name, other in
                                                          zip(names, table.names))
                        + ". Check them, or swap the columns in the grid.")
            else:
                note = (f"Numbers at risk: none of the table's columns ({', '.join(table.names)}) "
                        f"is named as a dataset ({', '.join(names)}), and there are "
                        f"{len(table.names)} of them for {len(names)} dataset(s): type the counts "
                        "in the grid or rename the columns in the file.")
        elif missing := [n for n in names if n not in table.counts]:
            note = "Numbers at risk: the table has no column for " + ", ".join(missing) + "."
        self.nar.setColumnCount(1 + len(names))
        self.nar.setHorizontalHeaderLabels(["time"] + names)
        self.nar.setRowCount(len(table.times))
        for r, t in enumerate(table.times):
            self.nar.setItem(r, 0, QTableWidgetItem(f"{t:g}"))
            for c, name in enumerate(names):
                counts = columns.get(name)
                if counts is not None and r < len(counts):
                    self.nar.setItem(r, c + 1, QTableWidgetItem(str(counts[r])))
        self.nar.resizeColumnsToContents()
        if note:
            self.report.setPlainText(note)

    def at_risk_tables(self) -> dict:
        """Per dataset (times, counts) from the grid. ValueError naming the row and column of a
        cell that is not a time, not a whole number ≥ 0, or a count above the one before it."""
        out = {}
        for c in range(1, self.nar.columnCount()):
            name = self.nar.horizontalHeaderItem(c).text()
            times, counts = [], []
            for r in range(self.nar.rowCount()):
                ti, ci = self.nar.item(r, 0), self.nar.item(r, c)
                if ti and ci and ti.text().strip() and ci.text().strip():
                    where = f"numbers at risk, row {r + 1}"
                    try:
                        t = float(ti.text().replace(",", "."))
                    except ValueError:
                        raise ValueError(f"{where}, time: {ti.text().strip()!r} is not a number") from None
                    try:
                        v = float(ci.text().replace(",", "."))
                    except ValueError:
                        v = None
                    if v is None or v < 0 or v != int(v):
                        raise ValueError(f"{where}, {name}: {ci.text().strip()!r} is not a whole "
                                         "number ≥ 0 of patients")
                    if times and t <= times[-1]:
                        raise ValueError(f"{where}, time: {t:g} is not after the time before it "
                                         f"({times[-1]:g})")
                    if counts and v > counts[-1]:
                        raise ValueError(f"{where}, {name}: {int(v)} at risk at t = {t:g} is more "
                                         f"than the {counts[-1]} at t = {times[-1]:g} (the number "
                                         "at risk can only fall)")
                    times.append(t)
                    counts.append(int(v))
            if times:
                out[name] = (times, counts)
        return out

    def run(self) -> bool:
        from evidencegui.core.reconstruct import reconstruct_many
        from evidencegui.ui.workers import Cancelled, run_with_progress
        curves = {n: (c.t, c.s) for n, c in self.curves.items()}
        try:
            tables = self.at_risk_tables()
            missing = [n for n in curves if n not in tables]
            if missing:
                raise ValueError("numbers at risk are missing for " + ", ".join(missing))
            self.results = run_with_progress(self, "Reconstructing", reconstruct_many, curves, tables)
        except Cancelled:
            self._stale()
            self.report.setPlainText("Reconstruction cancelled.")
            return False
        except Exception as e:
            self._stale()
            self.report.setPlainText(f"Reconstruction failed: {e}")
            return False
        lines = []
        for name, rec in self.results.items():
            lines.append(f"{name}: {rec.n} patients, {rec.events} events; curve distance max "
                         f"{rec.fit.max_abs_distance:.3f}, RMS {rec.fit.rms_distance:.3f}")
            lines += [f"  warning: {w}" for w in rec.warnings]
        self.report.setPlainText("\n".join(lines))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.results))
        return True

    def _stale(self, *_args) -> None:
        """The curve or the numbers at risk changed (or a run failed): the arms shown by OK
        would not be those of the grid, so OK waits for the next Reconstruct."""
        if self.results:
            self.results = {}
            self.report.append("\nThe curve or the numbers at risk changed: press Reconstruct again.")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def build_project(self) -> Project:
        """The reconstructed arms as a project; times converted from the axis unit to months."""
        unit = self.time_unit.currentText() or "months"
        arms = []
        for i in range(self.arms.rowCount()):
            name = self.arms.item(i, 0).text()
            rec = self.results.get(name)
            if rec is None:
                continue
            label = self.arms.item(i, 1).text().strip() or name
            role = self.arms.cellWidget(i, 2).currentText()
            arms.append(reconstructed_arm(name, rec, label, role, unit, Path(self.curve_path).name))
        if sum(a.role == CONTROL for a in arms) > 1:
            for a in arms[:-1]:
                a.role = EXPERIMENTAL
        return Project(trials=[Trial(self.trial.text().strip() or "Digitized trial",
                                     [Endpoint(self.endpoint.text().strip() or "OS", arms)])])

    def _accept(self):
        self.result_project = self.build_project()
        self.accept()
