"""Start-up time: `evidencegui --smoke-test` (the window with the CLEOPATRA example, drawn and grabbed,
then exit) against a bare PySide6 + pyqtgraph window drawing one curve and grabbed the same way.
Separate processes, interleaved in one run, several repetitions. Goal: ratio ≤ 1.3.

Two clocks per process, both from just before it is spawned:
- to the first frame: until the window has been drawn (its ``grab()`` returned), which is what a
  user waits for, and the measure of the goal;
- to exit: the whole process, including Python and Qt tearing the window down afterwards.

Both programs run from compiled bytecode, as an installed program does (pip writes the .pyc files
of what it installs; the frozen bundle carries them): PYTHONDONTWRITEBYTECODE is removed from the
children's environment, and a warm-up run of each writes the cache before the timed runs.

Run: QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python benchmarks/bench_startup.py [repetitions]"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRAWN = "DRAWN_AT "      # a child writes this and time.time() to stderr once its window is drawn

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import pyqtgraph as pg
app = QApplication(sys.argv)
w = pg.PlotWidget()
w.plot([0, 1, 2, 3], [1, 0.8, 0.6, 0.5], stepMode=None)
w.resize(1400, 860)
w.show()
def done():
    app.processEvents(); w.grab()
    sys.stderr.write(f"DRAWN_AT {time.time()!r}\\n")
    app.exit(0)
QTimer.singleShot(50, done)
sys.exit(app.exec())
"""

# `python -m evidencegui --smoke-test`, with the moment its grab() returns written out. The
# wrapper adds two imports of the standard library and one attribute on the window.
OURS = """
import sys, time
import evidencegui.ui.launch as launch
_smoke = launch._smoke
def timed_smoke(window, app, started):
    grab = window.grab
    def grab_and_note(*a):
        pix = grab(*a)
        sys.stderr.write(f"DRAWN_AT {time.time()!r}\\n")
        return pix
    window.grab = grab_and_note
    return _smoke(window, app, started)
launch._smoke = timed_smoke
from evidencegui.app import main
sys.exit(main(["--smoke-test"]))
"""


def run(code: str, env) -> tuple[float, float]:
    """(seconds to the first frame, seconds to exit) of one child process."""
    t0 = time.time()
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=120)
    total = time.time() - t0
    if r.returncode != 0:
        raise SystemExit(f"the child failed: {r.stderr}")
    drawn = [float(line.split()[1]) for line in r.stderr.splitlines() if line.startswith(DRAWN)]
    if not drawn:
        raise SystemExit(f"the child did not say when it was drawn: {r.stderr}")
    return drawn[0] - t0, total


def _summary(name: str, xs: list[float]) -> str:
    return f"{name}: median {statistics.median(xs):.3f} s (min {min(xs):.3f}, max {max(xs):.3f})"


def main(reps: int = 7) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               EVIDENCEGUI_SETTINGS=os.path.join(tempfile.mkdtemp(), "s.ini"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    run(BARE, env)   # warm the file cache and write the bytecode of both
    run(OURS, env)
    ours, bare = [], []
    for _ in range(reps):   # interleaved, so machine load affects both alike
        bare.append(run(BARE, env))
        ours.append(run(OURS, env))
    print(f"repetitions: {reps}")
    for i, clock in enumerate(("to the first frame", "to exit")):
        b, o = [x[i] for x in bare], [x[i] for x in ours]
        print(f"{clock}:")
        print("  " + _summary("bare PySide6+pyqtgraph window", b))
        print("  " + _summary("evidencegui --smoke-test     ", o))
        goal = " (goal ≤ 1.3)" if i == 0 else ""
        print(f"  ratio: {statistics.median(o) / statistics.median(b):.2f}{goal}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
