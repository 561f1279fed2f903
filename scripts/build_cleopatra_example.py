"""Build resources/examples/cleopatra.evidence.json (and the summary templates) from the
published CLEOPATRA results; attach reconstructed patient-level data when
resources/examples/cleopatra/{os,pfs}_ipd.csv (columns time,event,arm) exist.

Run from the repository root: .venv/bin/python scripts/build_cleopatra_example.py
"""
from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evidencegui.core.model import Arm, Endpoint, PatientData, Project, Trial  # noqa: E402
from evidencegui.io.project_file import save_project  # noqa: E402
from evidencegui.io.summary import write_summary  # noqa: E402

EXP = "Pertuzumab+Trastuzumab+Docetaxel"
CTL = "Placebo+Trastuzumab+Docetaxel"
SOURCE = "Swain SM et al. N Engl J Med 2015;372:724-34 (final overall survival analysis)"
DATA = ROOT / "resources" / "examples" / "cleopatra"


def _ipd(name: str) -> dict[str, PatientData] | None:
    path = DATA / f"{name}_ipd.csv"
    if not path.exists():
        return None
    raw = path.read_bytes()
    by_arm: dict[str, tuple[list[float], list[int]]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            t, e = by_arm.setdefault(row["arm"], ([], []))
            t.append(float(row["time"]))
            e.append(int(float(row["event"])))
    out = {}
    for arm, (t, e) in by_arm.items():
        out[arm] = PatientData(
            time=t, event=e, origin="reconstructed",
            source=f"resources/examples/cleopatra/{path.name} (sha256 {hashlib.sha256(raw).hexdigest()})",
            reconstruction={
                "method": "Guyot et al. 2012",
                "curve": f"resources/examples/cleopatra/{name}_digitized.csv",
                "at_risk": f"resources/examples/cleopatra/{name}_at_risk.csv",
                "dataset": arm,
                "figure": f"{SOURCE}, Kaplan-Meier curve of {name.upper()}",
            })
    return out


def build() -> Project:
    os_ipd, pfs_ipd = _ipd("os"), _ipd("pfs")
    os_e = Arm(EXP, "experimental", n=402, events=168, median=56.5, median_lower=49.3,
               median_upper=None, hr=0.68, hr_lower=0.56, hr_upper=0.84, p_value=0.0002,
               source=SOURCE + ", overall survival")
    os_c = Arm(CTL, "control", n=406, events=221, median=40.8, median_lower=35.8, median_upper=48.3,
               source=SOURCE + ", overall survival")
    pfs_e = Arm(EXP, "experimental", n=402, median=18.7, hr=0.68, hr_lower=0.58, hr_upper=0.80,
                source=SOURCE + ", investigator-assessed progression-free survival")
    pfs_c = Arm(CTL, "control", n=406, median=12.4,
                source=SOURCE + ", investigator-assessed progression-free survival")
    for ipd, arms in ((os_ipd, (os_e, os_c)), (pfs_ipd, (pfs_e, pfs_c))):
        if ipd:
            for a in arms:
                a.patients = ipd.get(a.label)
    trial = Trial(
        "CLEOPATRA",
        endpoints=[
            Endpoint("OS", [os_e, os_c], primary=True,
                     note="HR 0.68 (95% CI 0.56-0.84), p = 0.0002; gain in median OS 15.7 months"),
            Endpoint("PFS", [pfs_e, pfs_c], esmo_flags={"os_improved": True},
                     note="investigator assessment; HR 0.68 (95% CI 0.58-0.80); OS significantly "
                          "improved, so ESMO-MCBS grades the trial with Form 2a on OS"),
        ],
        setting="non-curative", source=SOURCE,
        note="NCT00567190; first-line HER2-positive metastatic breast cancer; 808 patients "
             "randomised 1:1")
    return Project([trial], title="CLEOPATRA (example)", time_unit="months")


def main() -> int:
    project = build()
    out = ROOT / "resources" / "examples" / "cleopatra.evidence.json"
    save_project(project, out)
    templates = ROOT / "resources" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    bare = build()
    for t in bare.trials:
        for e in t.endpoints:
            for a in e.arms:
                a.patients = None
    write_summary(bare, templates / "summary_template.csv")
    write_summary(bare, templates / "summary_template.xlsx")
    with_ipd = [a.label + "/" + e.name for t in project.trials for e in t.endpoints for a in e.arms
                if a.patients is not None]
    print(f"wrote {out.relative_to(ROOT)}; patient-level data attached: {with_ipd or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
