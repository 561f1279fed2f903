"""File → Export…: what goes out (slides, workbook, the figure as PNG/SVG/PDF), which trials and
endpoints, the figure style and resolution, and where; the last choices come back next time.
Endpoints without data are listed as left out, with the reason."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from evidencegui.ui.dialogs import ok_cancel

KINDS = (("slides", "Slides (PowerPoint, 16:9)"), ("workbook", "Comparison workbook (Excel)"),
         ("png", "Figure shown, as PNG"), ("svg", "Figure shown, as SVG (vector)"),
         ("pdf", "Figure shown, as PDF (vector)"))
STYLE_TEXT = {"screen": "Screen", "presentation": "Presentation (large type)",
              "journal": "Journal (greyscale, line styles)"}
ROLE = Qt.ItemDataRole.UserRole
DEFAULTS = {"slides": True, "workbook": True, "png": False, "svg": False, "pdf": False,
            "style": "presentation", "dpi": 300, "folder": "", "name": "comparison"}


def skipped_endpoints(project) -> list[tuple[str, str, str]]:
    from evidencegui.io.pptx_writer import plan_slides
    return plan_slides(project)[1]


class ExportDialog(QDialog):
    def __init__(self, project, choices: dict | None = None, figure_title: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.project = project
        c = dict(DEFAULTS)
        c.update({k: v for k, v in (choices or {}).items() if k in DEFAULTS or k == "endpoints"})
        lay = QVBoxLayout(self)

        what = QGroupBox("What to write")
        wl = QVBoxLayout(what)
        self.boxes: dict[str, QCheckBox] = {}
        for key, text in KINDS:
            b = QCheckBox(text)
            b.setChecked(bool(c.get(key)))
            if key in ("png", "svg", "pdf") and figure_title:
                b.setToolTip(f"The figure shown in the window: {figure_title}")
            self.boxes[key] = b
            wl.addWidget(b)
        lay.addWidget(what)

        which = QGroupBox("Trials and endpoints (slides)")
        el = QVBoxLayout(which)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumHeight(120)
        skipped = {(t, e): why for t, e, why in skipped_endpoints(project)}
        chosen = {tuple(x) for x in c.get("endpoints") or []}
        self._items: list[QTreeWidgetItem] = []
        for trial in project.trials:
            t_item = QTreeWidgetItem(self.tree, [trial.name])
            t_item.setFlags(t_item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
            for ep in trial.endpoints:
                why = skipped.get((trial.name, ep.name))
                label = ep.name + (f" — left out: {why}" if why else "")
                e_item = QTreeWidgetItem(t_item, [label])
                e_item.setData(0, ROLE, (trial.name, ep.name))
                e_item.setFlags(e_item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                on = why is None and (not chosen or (trial.name, ep.name) in chosen)
                e_item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                if why:
                    e_item.setDisabled(True)
                    e_item.setToolTip(0, f"No slide: {why}")
                self._items.append(e_item)
        self.tree.expandAll()
        el.addWidget(self.tree)
        self.skipped_label = QLabel(self.skipped_text(skipped))
        self.skipped_label.setWordWrap(True)
        el.addWidget(self.skipped_label)
        lay.addWidget(which)

        form = QFormLayout()
        self.style_box = QComboBox()
        for key, text in STYLE_TEXT.items():
            self.style_box.addItem(text, key)
        self.style_box.setCurrentIndex(max(0, self.style_box.findData(c["style"])))
        form.addRow("Figure style:", self.style_box)
        self.dpi_box = QSpinBox()
        self.dpi_box.setRange(72, 1200)
        self.dpi_box.setSingleStep(50)
        self.dpi_box.setSuffix(" dpi")
        self.dpi_box.setValue(int(c["dpi"]) if str(c["dpi"]).isdigit() else 300)
        form.addRow("PNG resolution:", self.dpi_box)
        row = QHBoxLayout()
        self.folder_edit = QLineEdit(str(c["folder"] or Path.home()))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        form.addRow("Folder:", row)
        self.name_edit = QLineEdit(str(c["name"] or "comparison"))
        form.addRow("File name:", self.name_edit)
        lay.addLayout(form)
        self.buttons = ok_cancel(self)
        lay.addWidget(self.buttons)
        self.resize(560, 560)

    @staticmethod
    def skipped_text(skipped: dict) -> str:
        if not skipped:
            return "Every endpoint has data."
        return "No slide for " + "; ".join(f"{t} {e} ({why})" for (t, e), why in skipped.items()) + "."

    def _browse(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Export to folder", self.folder_edit.text())
        if d:
            self.folder_edit.setText(d)

    def set_choices(self, **kw) -> None:
        """Answer the dialog in code (tests, scripted use)."""
        for key, box in self.boxes.items():
            if key in kw:
                box.setChecked(bool(kw[key]))
        if "style" in kw:
            self.style_box.setCurrentIndex(self.style_box.findData(kw["style"]))
        if "dpi" in kw:
            self.dpi_box.setValue(int(kw["dpi"]))
        if "folder" in kw:
            self.folder_edit.setText(str(kw["folder"]))
        if "name" in kw:
            self.name_edit.setText(str(kw["name"]))
        if "endpoints" in kw:
            keep = {tuple(x) for x in kw["endpoints"]}
            for it in self._items:
                if not it.isDisabled():
                    it.setCheckState(0, Qt.CheckState.Checked if tuple(it.data(0, ROLE)) in keep
                                     else Qt.CheckState.Unchecked)

    def choices(self) -> dict:
        out = {key: box.isChecked() for key, box in self.boxes.items()}
        out.update(style=self.style_box.currentData(), dpi=self.dpi_box.value(),
                   folder=self.folder_edit.text().strip(), name=self.name_edit.text().strip() or "comparison",
                   endpoints=[list(it.data(0, ROLE)) for it in self._items
                              if it.checkState(0) == Qt.CheckState.Checked and not it.isDisabled()])
        return out
