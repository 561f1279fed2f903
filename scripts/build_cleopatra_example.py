"""Build the example projects from published results:
- resources/examples/cleopatra.evidence.json: CLEOPATRA (and the summary templates, CLEOPATRA
  alone), with reconstructed patient-level data when resources/examples/cleopatra/{os,pfs}_ipd.csv
  (columns time,event,arm) exist; and PHILA (PFS), which shares CLEOPATRA's control, so that the
  indirect comparison shows on first launch;
- resources/examples/cdk46.evidence.json: PALOMA-2, MONALEESA-2 and MONARCH 3, first-line PFS.
Each source field says where its numbers come from and what was or was not checked.

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


PHILA_EXP = "Pyrotinib+Trastuzumab+Docetaxel"
PHILA_SOURCE = ("PHILA: Ma F et al. BMJ 2023;383:e076065, investigator-assessed progression-free "
                "survival. Medians 24.3 vs 10.4 months, HR 0.41 and n 297 vs 293 as in the "
                "abstract and its summaries; the 95% CI 0.32-0.53 as entered, not checked against "
                "the article here")


def build_phila() -> Trial:
    exp = Arm(PHILA_EXP, "experimental", n=297, median=24.3, hr=0.41, hr_lower=0.32,
              hr_upper=0.53, hr_stratified=True, source=PHILA_SOURCE)
    ctl = Arm(CTL, "control", n=293, median=10.4, source=PHILA_SOURCE)
    return Trial(
        "PHILA",
        endpoints=[Endpoint("PFS", [exp, ctl], primary=True,
                            note="investigator assessment; stratified HR 0.41 (95% CI 0.32-0.53); "
                                 "overall survival immature at this analysis")],
        setting="non-curative", source=PHILA_SOURCE,
        note="NCT03863223; first-line HER2-positive metastatic breast cancer; 590 patients "
             "randomised 1:1 at 40 centres in China; same control regimen as CLEOPATRA")


def build() -> Project:
    """The CLEOPATRA example as it ships: CLEOPATRA, then PHILA."""
    project = build_cleopatra()
    project.trials.append(build_phila())
    project.title = "CLEOPATRA and PHILA (example)"
    return project


def build_cdk46() -> Project:
    """CDK4/6 inhibitor + aromatase inhibitor, first line, PFS (HR-positive, HER2-negative
    advanced breast cancer). Medians and n only where a source for them was at hand."""
    paloma = ("PALOMA-2: Finn RS et al. N Engl J Med 2016;375:1925-36, investigator-assessed PFS. "
              "HR 0.58 (95% CI 0.46-0.72) and medians 24.8 vs 14.5 months as quoted from it by "
              "Rugo HS et al. Breast Cancer Res Treat 2019;174:719-29 (HR 0.576, 0.463-0.718); "
              "n 444 vs 222 (2:1) from the same report")
    monaleesa = ("MONALEESA-2: Hortobagyi GN et al. N Engl J Med 2016;375:1738-48, preplanned "
                 "interim analysis, investigator-assessed PFS. HR 0.56 (95% CI 0.43-0.72) checked "
                 "against the abstract; 668 patients randomised 1:1 (334 per arm); medians not "
                 "entered (not checked here)")
    monarch = ("MONARCH 3: Goetz MP et al. J Clin Oncol 2017;35:3638-46, interim analysis, "
               "investigator-assessed PFS. HR 0.54 and the lower 95% limit 0.41 seen in the "
               "abstract; the upper limit 0.72 as entered, not checked here; n 328 vs 165 (493 "
               "randomised 2:1) as in the final PFS report, Johnston S et al. NPJ Breast Cancer "
               "2019;5:5; medians not entered (not checked here)")
    trials = [
        ("PALOMA-2", "Palbociclib+Letrozole", "Placebo+Letrozole", 444, 222, 24.8, 14.5,
         (0.58, 0.46, 0.72), paloma, "NCT01740427"),
        ("MONALEESA-2", "Ribociclib+Letrozole", "Placebo+Letrozole", 334, 334, None, None,
         (0.56, 0.43, 0.72), monaleesa, "NCT01958021"),
        ("MONARCH 3", "Abemaciclib+NSAI", "Placebo+NSAI", 328, 165, None, None,
         (0.54, 0.41, 0.72), monarch, "NCT02246621; NSAI: anastrozole or letrozole"),
    ]
    project = Project(title="CDK4/6 inhibitors + aromatase inhibitor, first-line PFS (example)",
                      time_unit="months")
    for name, exp_label, ctl_label, n_e, n_c, m_e, m_c, (hr, lo, hi), src, note in trials:
        exp = Arm(exp_label, "experimental", n=n_e, median=m_e, hr=hr, hr_lower=lo, hr_upper=hi,
                  source=src)
        ctl = Arm(ctl_label, "control", n=n_c, median=m_c, source=src)
        project.trials.append(Trial(
            name, [Endpoint("PFS", [exp, ctl], primary=True)], setting="non-curative",
            source=src, note=note + "; postmenopausal, HR-positive HER2-negative advanced breast "
                                    "cancer, no previous systemic therapy for advanced disease"))
    return project


def build_cleopatra() -> Project:
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
    save_project(build_cdk46(), ROOT / "resources" / "examples" / "cdk46.evidence.json")
    templates = ROOT / "resources" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    bare = build_cleopatra()
    for t in bare.trials:
        for e in t.endpoints:
            for a in e.arms:
                a.patients = None
    write_summary(bare, templates / "summary_template.csv")
    write_summary(bare, templates / "summary_template.xlsx")
    with_ipd = [a.label + "/" + e.name for t in project.trials for e in t.endpoints for a in e.arms
                if a.patients is not None]
    print(f"wrote {out.relative_to(ROOT)} and cdk46.evidence.json; patient-level data attached: "
          f"{with_ipd or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
