"""Export of a project with 1,000,000 patients (two arms of 500,000): `evidencegui export
--xlsx` run as a user runs it (a separate process), timed and with its peak memory (max RSS),
against a reference in the same run: a process that loads the same project file and writes the
same patients as CSV with pandas (the least any export of these data must do).

Target (issue 15): under 20 s and 1 GB. Run:
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_export_large.py [--n 1000000]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFERENCE = """
import sys
from evidencegui.io.project_file import load_project
from evidencegui.io.xlsx_writer import write_patients_csv
write_patients_csv(load_project(sys.argv[1]), sys.argv[2])
"""


def make_project(path: Path, n: int) -> None:
    import numpy as np

    from evidencegui.core.model import Arm, Endpoint, PatientData, Project, Trial
    from evidencegui.io.project_file import save_project
    rng = np.random.default_rng(1)
    arms = []
    for label, role, rate in (("Drug", "experimental", 0.05), ("Placebo", "control", 0.07)):
        m = n // 2
        t = np.round(rng.exponential(1 / rate, m), 2)
        c = rng.uniform(0, 60, m)
        ev = (t <= c).astype(int)
        arms.append(Arm(label, role, patients=PatientData(np.minimum(t, c).round(2).tolist(),
                                                          ev.tolist(), origin="file",
                                                          source="simulated")))
    save_project(Project(trials=[Trial("Large", [Endpoint("OS", arms)])]), path)


def run(cmd: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit status) of a child process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.stderr.write(err)
    return secs, usage.ru_maxrss / 1024.0, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        proj = d / "large.evidence.json"
        t0 = time.perf_counter()
        make_project(proj, args.n)
        print(f"project of {args.n:,} patients: {proj.stat().st_size / 1e6:.1f} MB "
              f"({time.perf_counter() - t0:.1f} s to make)")
        ref_s, ref_mb, rc1 = run([sys.executable, "-c", REFERENCE, str(proj), str(d / "ref.csv")])
        exp_s, exp_mb, rc2 = run([sys.executable, "-m", "evidencegui", "export", str(proj),
                                  "--xlsx", str(d / "out.xlsx")])
        files = sorted(p.name for p in d.iterdir())
        print(f"reference (load + patients CSV): {ref_s:6.1f} s, {ref_mb:7.0f} MB  rc={rc1}")
        print(f"export --xlsx:                   {exp_s:6.1f} s, {exp_mb:7.0f} MB  rc={rc2}")
        print(f"ratio export / reference: time {exp_s / ref_s:.2f}, memory {exp_mb / ref_mb:.2f}")
        print(f"files written: {', '.join(files)}")
        ok = rc2 == 0 and exp_s < 20 and exp_mb < 1024
        print("target (< 20 s, < 1 GB):", "met" if ok else "NOT met")
    return 0 if rc1 == 0 and rc2 == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
