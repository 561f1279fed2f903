"""Forest plot with 50 rows redrawn: ForestPlotWidget.set_result + a full paint (widget.grab()),
against a bare pyqtgraph PlotWidget drawing the same 50 squares and whiskers and painted the same
way, in the same process. Goal (issue 11): under 50 ms.

    PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen /work/main/.venv/bin/python benchmarks/bench_forest.py
"""
from __future__ import annotations

import math
import random
import statistics
import sys
import time


def main(repeats: int = 30) -> int:
    from evidencegui.ui.figure import ensure_app
    ensure_app()
    import numpy as np
    import pyqtgraph as pg

    from evidencegui.core.pooling import pool, study_from_hr
    from evidencegui.ui.views.forest_plot import ForestPlotWidget
    rnd = random.Random(11)
    studies = []
    for i in range(50):
        hr = math.exp(rnd.gauss(-0.4, 0.25))
        f = math.exp(rnd.uniform(0.15, 0.6))
        studies.append(study_from_hr(f"Trial {i + 1}", hr, hr / f, hr * f))
    results = [pool(studies, "REML"), pool(studies, "DL")]    # each redraw changes the pooled rows
    x = np.array([s.log_hr for s in studies])
    y = np.arange(50.0)
    wx = np.array([v for s in studies for v in (math.log(s.ci()[0]), math.log(s.ci()[1]))])
    wy = np.repeat(y, 2)

    forest = ForestPlotWidget()
    forest.resize(1000, 900)
    forest.show()
    bare = pg.PlotWidget()
    bare.resize(1000, 900)
    bare.show()
    pg.QtWidgets.QApplication.processEvents()

    turn = [0]

    def run_forest():
        turn[0] += 1
        forest.set_result(results[turn[0] % 2], "studies", "PFS")
        forest.grab()

    def run_bare():
        bare.clear()
        bare.addItem(pg.PlotCurveItem(wx, wy, connect="pairs"))
        bare.addItem(pg.ScatterPlotItem(x, y, symbol="s", size=10))
        bare.grab()

    for fn in (run_forest, run_bare):       # warm up
        fn()
    times = {"forest": [], "bare": []}
    for _ in range(repeats):
        for name, fn in (("forest", run_forest), ("bare", run_bare)):
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) * 1000)
    f, b = statistics.median(times["forest"]), statistics.median(times["bare"])
    print(f"forest plot, 50 rows, redraw + paint: median {f:.1f} ms (min {min(times['forest']):.1f})")
    print(f"bare pyqtgraph plot of the same points:  median {b:.1f} ms (min {min(times['bare']):.1f})")
    print(f"ratio forest / bare: {f / b:.2f}; goal < 50 ms: {'met' if f < 50 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
