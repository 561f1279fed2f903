"""Import a digitized Kaplan–Meier figure: curve file, dataset ↔ arm labels and roles, scale,
numbers-at-risk table (typed in the grid or loaded from CSV), reconstruction on a worker with
its warnings and fit shown before the arms are added."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QTextBrowser, QVBoxLayout)

from evidencegui.core.model import CONTROL, EXPERIMENTAL, Arm, Endpoint, PatientData, Project, Trial


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
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(pick)
        row.addWidget(self.file_label, 1)
        form.addRow("1. Digitized curve", row)
        form.addRow("Scale of S", self.scale)
        form.addRow("Trial", self.trial)
        form.addRow("Endpoint", self.endpoint)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel("2. Datasets ↔ arms"))
        lay.addWidget(self.arms)
        nl = QHBoxLayout()
        nl.addWidget(QLabel("3. Numbers at risk (time in months; one column per dataset)"))
        nl.addWidget(nar_load)
        nl.addWidget(add_row)
        lay.addLayout(nl)
        lay.addWidget(self.nar)
        lay.addWidget(run)
        lay.addWidget(QLabel("4. Warnings and fit"))
        lay.addWidget(self.report)
        lay.addWidget(self.buttons)
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
        self.curve_path = str(path)
        self.file_label.setText(Path(path).name)
        self.arms.setRowCount(len(self.curves))
        for i, name in enumerate(self.curves):
            item = QTableWidgetItem(name)
            self.arms.setItem(i, 0, item)
            self.arms.setItem(i, 1, QTableWidgetItem(name))
            role = QComboBox()
            role.addItems([EXPERIMENTAL, CONTROL])
            if i == len(self.curves) - 1 and len(self.curves) > 1:
                role.setCurrentText(CONTROL)
            self.arms.setCellWidget(i, 2, role)
        self.nar.setColumnCount(1 + len(self.curves))
        self.nar.setHorizontalHeaderLabels(["time"] + list(self.curves))
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
        self.nar.setColumnCount(1 + len(names))
        self.nar.setHorizontalHeaderLabels(["time"] + names)
        self.nar.setRowCount(len(table.times))
        for r, t in enumerate(table.times):
            self.nar.setItem(r, 0, QTableWidgetItem(f"{t:g}"))
            for c, name in enumerate(names):
                counts = table.counts.get(name)
                if counts is not None and r < len(counts):
                    self.nar.setItem(r, c + 1, QTableWidgetItem(str(counts[r])))

    def at_risk_tables(self) -> dict:
        out = {}
        for c in range(1, self.nar.columnCount()):
            name = self.nar.horizontalHeaderItem(c).text()
            times, counts = [], []
            for r in range(self.nar.rowCount()):
                ti, ci = self.nar.item(r, 0), self.nar.item(r, c)
                if ti and ci and ti.text().strip() and ci.text().strip():
                    times.append(float(ti.text()))
                    counts.append(int(float(ci.text())))
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
            self.report.setPlainText("Reconstruction cancelled.")
            return False
        except Exception as e:
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

    def build_project(self) -> Project:
        arms = []
        for i in range(self.arms.rowCount()):
            name = self.arms.item(i, 0).text()
            rec = self.results.get(name)
            if rec is None:
                continue
            label = self.arms.item(i, 1).text().strip() or name
            role = self.arms.cellWidget(i, 2).currentText()
            src = Path(self.curve_path).name
            arms.append(Arm(label, role=role, n=rec.n, events=rec.events, source=f"reconstructed from {src}",
                            patients=PatientData([float(x) for x in rec.time], [int(x) for x in rec.event],
                                                 origin="reconstructed", source=src,
                                                 reconstruction={"dataset": name, "warnings": list(rec.warnings),
                                                                 "fit": rec.fit.to_json()})))
        if sum(a.role == CONTROL for a in arms) > 1:
            for a in arms[:-1]:
                a.role = EXPERIMENTAL
        return Project(trials=[Trial(self.trial.text().strip() or "Digitized trial",
                                     [Endpoint(self.endpoint.text().strip() or "OS", arms)])])

    def _accept(self):
        self.result_project = self.build_project()
        self.accept()
