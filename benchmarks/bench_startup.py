"""Start-up time: `evidencegui --smoke-test` against a bare PySide6 + pyqtgraph window drawing one
curve, measured in the same run, several repetitions. Prints the medians and their ratio (goal ≤ 1.3).
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_startup.py [repetitions]"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import pyqtgraph as pg
app = QApplication(sys.argv)
w = pg.PlotWidget()
w.plot([0, 1, 2, 3], [1, 0.8, 0.6, 0.5], stepMode=None)
w.resize(1400, 860)
w.show()
def done():
    app.processEvents(); w.grab(); app.exit(0)
QTimer.singleShot(50, done)
sys.exit(app.exec())
"""


def run(cmd, env) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{cmd} failed: {r.stderr}")
    return dt


def main(reps: int = 7) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               EVIDENCEGUI_SETTINGS=os.path.join(tempfile.mkdtemp(), "s.ini"))
    ours, bare = [], []
    run([sys.executable, "-c", BARE], env)   # warm the file cache for both
    run([sys.executable, "-m", "evidencegui", "--smoke-test"], env)
    for _ in range(reps):   # interleaved, so machine load affects both alike
        bare.append(run([sys.executable, "-c", BARE], env))
        ours.append(run([sys.executable, "-m", "evidencegui", "--smoke-test"], env))
    mo, mb = statistics.median(ours), statistics.median(bare)
    print(f"repetitions: {reps}")
    print(f"bare PySide6+pyqtgraph window: median {mb:.3f} s (min {min(bare):.3f}, max {max(bare):.3f})")
    print(f"evidencegui --smoke-test:      median {mo:.3f} s (min {min(ours):.3f}, max {max(ours):.3f})")
    print(f"ratio: {mo / mb:.2f} (goal ≤ 1.3)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
