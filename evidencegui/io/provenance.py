"""Where the numbers of an export come from: input files with their SHA-256, the sources the user
typed, the statistical methods used, the program version and the date.

Pure and light: standard library only.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from evidencegui import __version__

PROGRAM = "EvidenceGUI"

CI_METHOD_TEXT = {
    "log-log": "log-log (complementary log-log transform of S, as SAS PROC LIFETEST and Stata)",
    "log": "log (log transform of S, R survfit's default)",
    "plain": "plain (linear, S ± 1.96·SE)",
}


@dataclass(frozen=True)
class FileRecord:
    path: str
    name: str
    size: int            # bytes
    sha256: str
    modified: str        # ISO 8601, UTC


@dataclass(frozen=True)
class Source:
    where: str           # "CLEOPATRA / OS / Placebo+Trastuzumab+Docetaxel" etc.
    text: str            # as the user typed it (write it through safe_text)


@dataclass
class Provenance:
    program: str
    version: str
    created: str                               # ISO 8601, UTC, seconds
    python: str
    files: list[FileRecord] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    methods: list[tuple[str, str]] = field(default_factory=list)   # (topic, description)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (where, warning)

    def rows(self) -> list[tuple[str, str, str]]:
        """(section, item, text) rows, in the order a reader wants them."""
        out: list[tuple[str, str, str]] = [
            ("Program", "name", self.program), ("Program", "version", self.version),
            ("Program", "written (UTC)", self.created), ("Program", "Python", self.python)]
        for f in self.files:
            out.append(("Input file", f.name, f"SHA-256 {f.sha256}; {f.size} bytes; "
                                              f"modified {f.modified}; {f.path}"))
        for s in self.sources:
            out.append(("Source", s.where, s.text))
        for topic, text in self.methods:
            out.append(("Method", topic, text))
        for where, w in self.warnings:
            out.append(("Warning", where, w))
        return out


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(chunk)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def file_record(path: str | os.PathLike) -> FileRecord:
    p = Path(path)
    st = p.stat()
    mod = _dt.datetime.fromtimestamp(st.st_mtime, _dt.timezone.utc).replace(microsecond=0)
    return FileRecord(path=str(p.resolve()), name=p.name, size=st.st_size,
                      sha256=sha256_file(p), modified=mod.isoformat())


def project_sources(project) -> list[Source]:
    """Every non-empty source and note field of the project, labelled with where it stands."""
    out: list[Source] = []
    if getattr(project, "notes", ""):
        out.append(Source("project notes", project.notes))
    for t in project.trials:
        if t.source:
            out.append(Source(t.name, t.source))
        if t.note:
            out.append(Source(f"{t.name} (note)", t.note))
        for e in t.endpoints:
            if e.note:
                out.append(Source(f"{t.name} / {e.name} (note)", e.note))
            for a in e.arms:
                where = f"{t.name} / {e.name} / {a.label}"
                if a.source:
                    out.append(Source(where, a.source))
                if a.patients is not None and a.patients.source:
                    out.append(Source(f"{where} (patient-level data, {a.patients.origin})",
                                      a.patients.source))
    return out


def _reconstructions(project) -> Iterable[tuple[str, dict[str, Any]]]:
    for t in project.trials:
        for e in t.endpoints:
            for a in e.arms:
                p = a.patients
                if p is not None and (p.origin == "reconstructed" or p.reconstruction):
                    yield f"{t.name} / {e.name} / {a.label}", (p.reconstruction or {})


def _as_list(x: Any) -> list[str]:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        return [f"{k}: {v}" for k, v in x.items()]
    try:
        return [str(v) for v in x]
    except TypeError:
        return [str(x)]


def methods(project) -> list[tuple[str, str]]:
    ci = getattr(project, "ci_method", "log-log")
    has_patients = any(a.patients is not None for t in project.trials for e in t.endpoints
                       for a in e.arms)
    out = [
        ("Reported inputs", "Values as reported in the sources and typed by the user; "
                            "a blank cell means not reported. Times in "
                            f"{getattr(project, 'time_unit', 'months')}."),
        ("Median gain", "experimental median − control median. When the experimental median is "
                        "not reached: estimated as control median / HR − control median "
                        "(proportional, exponential hazards), shown apart and labelled "
                        "\"estimated from the HR\" (the median gain itself does not exist then)."),
        ("Ratio of medians", "experimental median / control median."),
        ("Relative reduction", "1 − HR (reduction in the hazard of an event)."),
        ("HR standard error", "on the log scale, from the 95% CI: (ln upper − ln lower) / "
                              "(2 × 1.959964); from the p-value: |ln HR| / z(1 − p/2)."),
        ("Landmark difference and NNT", "experimental − control survival probability at the "
                                        "landmark; NNT = 1 / |difference| rounded up "
                                        "(a number needed to harm when the difference is negative)."),
        ("ESMO-MCBS", "version 1.1 (Cherny et al., Ann Oncol 2017;28:2340-66): HR thresholds "
                      "apply to the lower limit of the HR's 95% CI, and the HR and gain "
                      "thresholds must both hold (dual rule)."),
    ]
    if has_patients:
        out += [
            ("Survival curves", "Kaplan–Meier estimate with Greenwood variance; pointwise 95% CI "
                                f"{CI_METHOD_TEXT.get(ci, ci)}."),
            ("Median and its CI", "first time S(t) ≤ 0.5 (midpoint where S = 0.5 over an "
                                  "interval); CI where the CI curves cross 0.5 "
                                  "(Brookmeyer–Crowley, as R's survfit)."),
            ("Hazard ratio from patient data", "Cox proportional hazards model, Efron ties, "
                                               "Wald 95% CI; log-rank test for the p-value."),
        ]
    recs = list(_reconstructions(project))
    if recs:
        out.append(("Reconstruction", "patient-level data reconstructed from digitized "
                                      "Kaplan–Meier curves and the numbers at risk (Guyot et al., "
                                      "BMC Med Res Methodol 2012;12:9). Reconstructed data "
                                      "approximate, and do not replace, the trial's data."))
    return out


def reconstruction_warnings(project) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for where, rec in _reconstructions(project):
        for w in _as_list(rec.get("warnings")):
            out.append((where, w))
        fit = rec.get("fit")
        if fit:
            out.append((where, "fit of the reconstruction: " + "; ".join(_as_list(fit))))
    return out


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def collect(project, input_files: Iterable[str | os.PathLike] = (),
            created: str | None = None) -> Provenance:
    """The provenance of an export of ``project`` made from ``input_files`` (missing files are
    listed with an empty hash rather than failing the export)."""
    files: list[FileRecord] = []
    for f in input_files:
        try:
            files.append(file_record(f))
        except OSError:
            files.append(FileRecord(path=str(f), name=Path(f).name, size=0,
                                    sha256="(file not readable)", modified=""))
    return Provenance(program=PROGRAM, version=__version__, created=created or now_utc(),
                      python=platform.python_version(), files=files,
                      sources=project_sources(project), methods=methods(project),
                      warnings=reconstruction_warnings(project))
