"""Import flows of the window: summary tables, patient-level data (column mapping), digitized
curves (Guyot reconstruction on a worker). Each adds to the project as one undoable step."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from evidencegui.core import commands as cmd
from evidencegui.ui import file_ops
from evidencegui.ui.dialogs.error import show_error
from evidencegui.ui.workers import run_or_show


def _ask(window, title: str, kind: str, filt: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(window, title, window.settings.last_dir(kind), filt)
    return path or None


def _merge(window, incoming, what: str, path, arm_map=None) -> bool:
    """Merge by trial, endpoint and arm name (asking which arm is which when names differ) and
    say exactly what changed; an import that changes nothing says so and is not recorded.
    ``window.last_import`` keeps the plan (its ``changes``) for whoever wants the details."""
    from evidencegui.core.merge import guess_arm_map, plan_merge, unmatched
    name = Path(path).name
    window.settings.set_last_dir(what, path)
    if arm_map is None and unmatched(window.project, incoming):
        from evidencegui.ui.dialogs.merge import ArmMatchDialog
        dialog = ArmMatchDialog(window.project, incoming, guess_arm_map(window.project, incoming),
                                name, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            window.statusBar().showMessage(f"Import of {name} cancelled; nothing changed.", 8000)
            return False
        arm_map = dialog.arm_map()
    plan = plan_merge(window.project, incoming, arm_map, f"import {what} from {name}")
    window.last_import = plan
    if plan.empty:
        window.statusBar().showMessage(f"Nothing imported from {name}: {plan.summary()}.", 10000)
        return False
    if not window.push(plan.command):
        return False
    window.statusBar().showMessage(f"Imported from {name}: {plan.summary()}.", 15000)
    return True


def import_file(window, path) -> bool:
    kind = file_ops.kind_of(path)
    if kind == "summary":
        return import_summary(window, path)
    if kind == "patients":
        return import_patients(window, path)
    if kind == "digitized":
        return import_digitized(window, path)
    show_error(window, "Cannot import", f"{path}: not a project, summary table, patient-level file "
               "or digitized curve that EvidenceGUI recognises")
    return False


def import_summary(window, path=None) -> bool:
    path = path or _ask(window, "Import summary table", "summary", file_ops.FILTER_TABLE)
    if not path:
        return False
    incoming = run_or_show(window, "Reading the summary table", file_ops.read_summary_project, path,
                           error_title="Cannot import the summary table")
    if incoming is None:
        return False
    return _merge(window, incoming, "summary", path)


def import_patients(window, path=None, mapping=None) -> bool:
    """With ``mapping`` given (tests, scripts) the column-mapping dialog is skipped."""
    path = path or _ask(window, "Import patient-level data", "patients", file_ops.FILTER_TABLE)
    if not path:
        return False
    if mapping is None:
        from evidencegui.ui.dialogs.column_mapping import PatientImportDialog
        try:
            columns, rows = file_ops.table_preview(path)
        except Exception as e:
            show_error(window, "Cannot read the file", str(e))
            return False
        dialog = PatientImportDialog(path, columns, rows, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        mapping = dialog.mapping()
    incoming = run_or_show(window, "Reading patient-level data", file_ops.read_patient_arms, path,
                           mapping, error_title="Cannot import the patient-level data")
    if incoming is None:
        return False
    if not _ensure_control(window, incoming, mapping.get("control")):
        return False
    return _merge(window, incoming, "patients", path)


def _ensure_control(window, project, asked) -> bool:
    """The control named in the dialog is not an arm of the file (a typing slip, or an arm not
    in the preview rows): ask which arm is the control rather than import with none. False when
    the user cancels."""
    from PySide6.QtWidgets import QInputDialog

    from evidencegui.core.model import CONTROL
    for trial in project.trials:
        for ep in trial.endpoints:
            if len(ep.arms) < 2 or any(a.role == CONTROL for a in ep.arms):
                continue
            labels = [a.label for a in ep.arms]
            label, ok = QInputDialog.getItem(
                window, "Which arm is the control?",
                (f"No arm of the file is called '{asked}'. " if asked else "")
                + f"The file has {len(labels)} arms; choose the control:", labels, 0, False)
            if not ok:
                return False
            for a in ep.arms:
                if a.label == label:
                    a.role = CONTROL
            ep.arms.sort(key=lambda a: a.role != CONTROL)
    return True


def import_digitized(window, path=None, at_risk=None, trial=None, endpoint=None) -> bool:
    """A digitized curve file plus a numbers-at-risk CSV → reconstructed patient-level arms
    (into the trial and endpoint shown, unless the dialog is told otherwise)."""
    if trial is None and window.t_index is not None:
        shown = window.project.trials[window.t_index]
        trial = shown.name
        if endpoint is None and window.e_index is not None:
            endpoint = shown.endpoints[window.e_index].name
    try:
        from evidencegui.core.reconstruct import reconstruct_many  # noqa: F401
        from evidencegui.io.digitizer import read_at_risk, read_digitized  # noqa: F401
    except ImportError as e:
        show_error(window, "Not available", f"Reconstruction from digitized curves is not available: {e}")
        return False
    from evidencegui.ui.dialogs.digitized import DigitizedImportDialog
    dialog = DigitizedImportDialog(window, path, at_risk, trial, endpoint)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_project is None:
        return False
    return _merge(window, dialog.result_project, "digitized", dialog.curve_path)


def confirm(window, title, text) -> bool:
    return QMessageBox.question(window, title, text) == QMessageBox.StandardButton.Yes
