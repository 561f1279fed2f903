"""Reading files for the window: projects, summary tables, patient-level data; picks the importer
for a dropped file. Pure functions where possible (run on a worker); dialogs stay in main_window."""
from __future__ import annotations

from pathlib import Path

from evidencegui.core.model import CONTROL, EXPERIMENTAL, Arm, Endpoint, PatientData, Project, Trial

PROJECT_SUFFIX = ".evidence.json"
FILTER_TABLE = "Tables (*.csv *.tsv *.txt *.xlsx)"   # ui.importers' file dialogs use it


def kind_of(path) -> str:
    """'project', 'digitized', 'patients', 'summary' or 'unknown', by extension then content."""
    p = Path(path)
    name = p.name.lower()
    if name.endswith(PROJECT_SUFFIX):
        return "project"
    if name.endswith(".json"):
        return "digitized"
    if not name.endswith((".csv", ".tsv", ".txt", ".xlsx", ".xls")):
        return "unknown"
    try:
        columns, _ = table_preview(p, nrows=2)
    except Exception:
        return "unknown"
    low = [str(c).strip().lower() for c in columns]
    if {"trial", "arm"} <= set(low) and ("n" in low or "median" in low or "hr" in low):
        return "summary"
    if any(c in ("x", "y") or c.startswith("unnamed") for c in low) or len(low) == 2:
        return "digitized"
    return "patients"


def table_preview(path, nrows: int = 20) -> tuple[list[str], list[list[str]]]:
    """Column names and the first rows as strings, for the column-mapping dialog."""
    from evidencegui.io.patients import read_table_preview

    return read_table_preview(path, nrows=nrows)


def read_patient_arms(path, mapping: dict, progress=None) -> Project:
    """The patient-level file as a one-trial project: one arm per value of the arm column (in
    order of first appearance, the control first), times converted to months. The value
    ``mapping["event_value"]`` means an event, every other value censored. Raises InputError
    naming the file, the row and the field (io.patients does the reading and the checks)."""
    from evidencegui.io.patients import read_patients
    from evidencegui.ui.dialogs.column_mapping import TIME_FACTORS

    if progress:
        progress(0.05, "reading the file")
    data = read_patients(path, mapping["time_col"], mapping["event_col"], mapping["arm_col"],
                         event_value=str(mapping["event_value"]).strip())
    if progress:
        progress(0.8, f"{data.n} patients read; building the arms")
    factor = TIME_FACTORS[mapping.get("time_unit", "months")]
    months = data.time * factor if factor != 1.0 else data.time
    source = Path(path).name
    arms = []
    for k, label in enumerate(data.arm_labels):
        if progress:
            progress(0.8 + 0.2 * k / len(data.arm_labels), f"arm {label}")
        m = data.arm_codes == k
        times, events = months[m].tolist(), data.event[m].astype(int).tolist()
        role = CONTROL if label == mapping.get("control") else EXPERIMENTAL
        arms.append(Arm(label, role=role, n=len(times), events=int(sum(events)), source=source,
                        patients=PatientData(times, events, origin="file", source=source)))
    arms.sort(key=lambda a: a.role != CONTROL)
    if progress:
        progress(1.0, "done")
    return Project(trials=[Trial(mapping["trial"], [Endpoint(mapping["endpoint"], arms)])])


def read_summary_project(path, progress=None) -> Project:
    from evidencegui.io.summary import read_summary
    return read_summary(path)


def load_project_file(path, progress=None) -> Project:
    from evidencegui.io.project_file import load_project
    return load_project(path)
