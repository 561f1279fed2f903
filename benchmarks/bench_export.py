"""Speed of the CLEOPATRA export (workbook + PNG + slides), in-process, against references
measured in the same run: a bare openpyxl workbook with the same number of cells, and
pandas.DataFrame.to_excel of the same cells.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_export.py [--reps N]
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "io"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def load_example():
    ex = ROOT / "resources" / "examples" / "cleopatra.evidence.json"
    if ex.exists():
        from evidencegui.io.project_file import load_project
        return load_project(ex), str(ex)
    from test_xlsx_writer_data import cleopatra_reconstructed
    return cleopatra_reconstructed(), ("published CLEOPATRA numbers + patients reconstructed from "
                                       "the bundled digitized curves (tests/io/test_xlsx_writer_data.py)")


def timed(fn, reps):
    fn()                                   # warm-up (imports, fonts)
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out), min(out)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=7)
    a = ap.parse_args(argv)
    from evidencegui.io.pptx_writer import slides_bytes
    from evidencegui.io.xlsx_writer import build_workbook, workbook_bytes
    project, origin = load_example()
    try:
        from evidencegui.ui import figure
        render = lambda t, e: figure.render_png(project, t, e, dpi=150)  # noqa: E731
        fig_src = "ui.figure.render_png (150 dpi embedded)"
    except ImportError:
        from test_xlsx_writer_data import png
        render = lambda t, e: png(1500, 1050)  # noqa: E731
        fig_src = "ui.figure missing: a 1500×1050 PNG made with zlib (figure time not measured)"
    keys = [(t.name, e.name) for t in project.trials for e in t.endpoints]
    figs = {k: render(*k) for k in keys}
    tmp = Path(tempfile.mkdtemp())

    def full_export():
        f = {k: render(*k) for k in keys}
        (tmp / "c.xlsx").write_bytes(workbook_bytes(project, f))
        (tmp / "c.pptx").write_bytes(slides_bytes(project, f))
        (tmp / "c.png").write_bytes(f[keys[0]])

    wb = build_workbook(project, figs)
    cells = [[c.value for c in row] for ws in wb for row in ws.iter_rows()]
    ncells = sum(1 for r in cells for v in r if v is not None)
    rows = [r for r in cells]
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]

    def bare_openpyxl():
        from openpyxl import Workbook
        b = Workbook()
        ws = b.active
        for r in rows:
            ws.append(r)
        b.save(io.BytesIO())

    def pandas_to_excel():
        import pandas as pd
        pd.DataFrame(rows).to_excel(io.BytesIO(), index=False, header=False, engine="openpyxl")

    res = {
        "full export (xlsx + pptx + png, figures rendered)": timed(full_export, a.reps),
        "workbook only": timed(lambda: workbook_bytes(project, figs), a.reps),
        "slides only": timed(lambda: slides_bytes(project, figs), a.reps),
        "figures only": timed(lambda: [render(*k) for k in keys], a.reps),
        "reference: bare openpyxl, same cells": timed(bare_openpyxl, a.reps),
        "reference: pandas.to_excel, same cells": timed(pandas_to_excel, a.reps),
    }
    ref = res["reference: bare openpyxl, same cells"][0]
    print(f"project: {origin}; {len(keys)} trial/endpoint blocks; {ncells} non-empty cells; "
          f"figure: {fig_src}; {a.reps} repetitions, median (min)")
    for k, (med, mn) in res.items():
        print(f"  {k:52s} {1000 * med:8.1f} ms ({1000 * mn:7.1f})  ×{med / ref:5.2f} of bare openpyxl")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
