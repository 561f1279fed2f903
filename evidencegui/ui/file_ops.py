"""Reading files for the window: projects, summary tables, patient-level data; picks the importer
for a dropped file. Pure functions where possible (run on a worker); dialogs stay in main_window."""
from __future__ import annotations

from pathlib import Path

from evidencegui.core.model import CONTROL, EXPERIMENTAL, Arm, Endpoint, PatientData, Project, Trial

PROJECT_SUFFIX = ".evidence.json"


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


def table_preview(path, nrows: int = 20) -> tuple[list[str], list[list]]:
    try:
        from evidencegui.io.patients import read_table_preview
    except ImportError:
        read_table_preview = None
    if read_table_preview is not None:
        return read_table_preview(path, nrows=nrows)
    df = _read_frame(path, nrows=nrows)
    return [str(c) for c in df.columns], df.astype(object).where(df.notna(), None).values.tolist()


def _read_frame(path, nrows=None):
    import pandas as pd  # lazy: keeps start-up fast

    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xls"):
        return pd.read_excel(p, nrows=nrows, dtype=str, keep_default_na=False)
    return pd.read_csv(p, nrows=nrows, sep=None, engine="python", dtype=str, keep_default_na=False)


def read_patient_arms(path, mapping: dict, progress=None) -> Project:
    """The patient-level file as a one-trial project: one arm per value of the arm column,
    times converted to months. Raises InputError naming the row and the field."""
    from evidencegui.core.errors import InputError
    from evidencegui.ui.dialogs.column_mapping import TIME_FACTORS

    if progress:
        progress(0.05, "reading the file")
    df = _read_frame(path)
    for key in ("time_col", "event_col", "arm_col"):
        if mapping[key] not in df.columns:
            raise InputError(f"no column named {mapping[key]!r}", file=str(path), field=mapping[key])
    factor = TIME_FACTORS[mapping.get("time_unit", "months")]
    groups: dict[str, tuple[list, list]] = {}
    ev_value = str(mapping["event_value"]).strip()
    total = len(df)
    for i, (t, e, a) in enumerate(zip(df[mapping["time_col"]], df[mapping["event_col"]], df[mapping["arm_col"]])):
        if progress and i % 5000 == 0:
            progress(0.05 + 0.9 * i / max(1, total), f"row {i + 2} of {total + 1}")
        try:
            tv = float(str(t).strip().replace(",", "."))
        except ValueError:
            raise InputError(f"time must be a number, not {t!r}", file=str(path), row=i + 2,
                             field=mapping["time_col"]) from None
        if not tv >= 0:
            raise InputError(f"time must be ≥ 0, not {t!r}", file=str(path), row=i + 2, field=mapping["time_col"])
        times, events = groups.setdefault(str(a).strip(), ([], []))
        times.append(tv * factor)
        events.append(1 if str(e).strip() == ev_value else 0)
    if not groups:
        raise InputError("the file holds no patients", file=str(path))
    arms = []
    for label, (times, events) in groups.items():
        role = CONTROL if label == mapping.get("control") else EXPERIMENTAL
        arms.append(Arm(label, role=role, n=len(times), events=int(sum(events)), source=Path(path).name,
                        patients=PatientData(times, events, origin="file", source=Path(path).name)))
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
