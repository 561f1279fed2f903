"""Accuracy and speed of digitizing Kaplan–Meier figures (evidencegui digitize).

Figures are drawn from known patient data (simulated two-arm trials, tests/fixtures/digitize/
make_figures.py) in four styles: matplotlib (steps, confidence bands, "|" censor ticks, table of
numbers at risk, legend), matplotlib in percent with two black curves (solid and dashed, "+"
marks, grid), R base graphics (plot.survfit, "+" marks, table in the margin) and ggplot2
(geom_step, ribbons, "+" marks, table as text) — each as a vector PDF and as PNG at 72, 150 and
300 dpi (matplotlib's own PNG; R's PDF rendered by PDFium). For an image the calibration is what
a user types: two points per axis, here the exact pixel positions of (0, 0) and (x max, 1).

Per curve: mean |S error| between the digitized step function and the true Kaplan–Meier curve
over the visible time range (0 to the end of the true curve, at most the axis end; 4,000 grid
points). Numbers at risk (vector only; an image's table is typed by the user): read exactly or
not. End to end: digitized points + numbers at risk → core.reconstruct → Cox HR
(core.survival.cox_hr, Efron) against the Cox HR of the true patients: |log(HR_rec / HR_true)|.
Beside it, the manual-click model of benchmarks/accuracy_reconstruct.py (both corners of every
visible drop, click noise) on the same trials.

Speed: open + digitize of each PDF page, and of a 1200×900 PNG, in seconds on this machine.

Run:  .venv/bin/python benchmarks/accuracy_digitize.py [--trials 3] [--seed 1] [--keep DIR]
"""
from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
import time as _time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "tests" / "fixtures" / "digitize", ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from evidencegui.core.digitize import AxisCalibration, DigitizeError, digitize  # noqa: E402
from evidencegui.core.reconstruct import reconstruct  # noqa: E402
from evidencegui.core.survival import cox_hr  # noqa: E402
from evidencegui.io.figure_sources import load_image, open_figure, render_page  # noqa: E402
from make_figures import at_risk, draw_matplotlib, km, s_at, simulate, write_patients  # noqa: E402

XMAX, STEP = 36.0, 6.0
TICKS = np.arange(0, XMAX + 1e-9, STEP)
DPIS = (72, 150, 300)


def s_error(points, truth, t_end):
    p = np.array(points)
    g = np.linspace(0, t_end, 4000)
    st, ss = truth
    return float(np.mean(np.abs(s_at(p[:, 0], p[:, 1], g) - s_at(st, ss, g))))


def hr_of(per_arm: dict, exp_arm: str):
    t = np.concatenate([v[0] for v in per_arm.values()])
    e = np.concatenate([v[1] for v in per_arm.values()])
    m = np.concatenate([np.full(len(v[0]), a == exp_arm) for a, v in per_arm.items()])
    return cox_hr(t, e, m).hr


def match_curves(curves, truths, t_ends):
    """Vector: by name. Image: each true arm to the curve closest to it (the user picks which
    colour group is which arm)."""
    out = {}
    for arm in truths:
        named = [c for c in curves if c.name == arm]
        if named:
            out[arm] = named[0]
    rest = [c for c in curves if c not in out.values()]
    for arm in truths:
        if arm not in out and rest:
            c = min(rest, key=lambda c: s_error(c.points, truths[arm], t_ends[arm]))
            out[arm] = c
            rest.remove(c)
    return out


def evaluate(result, data, exp_arm, table_read: bool):
    truths = {a: km(*v) for a, v in data.items()}
    t_ends = {a: min(float(v[0].max()), XMAX) for a, v in data.items()}
    curves = match_curves(result.curves, truths, t_ends)
    row = {"found": len(result.curves), "err": {}, "nar_exact": None, "hr_err": None, "censor": {}}
    for arm in data:
        if arm in curves:
            row["err"][arm] = s_error(curves[arm].points, truths[arm], t_ends[arm])
            row["censor"][arm] = len(curves[arm].censor_times)
    if table_read:
        ar = result.at_risk
        row["nar_exact"] = bool(ar is not None and all(
            arm in ar.counts and list(ar.counts[arm]) == at_risk(data[arm][0], ar.times)
            and len(ar.times) == len(TICKS) for arm in data))
    if len(curves) == len(data):
        rec, rec_marks = {}, {}
        try:
            for arm, c in curves.items():
                p = np.array(c.points)
                if table_read and result.at_risk is not None and arm in result.at_risk.counts:
                    times, counts = result.at_risk.times, result.at_risk.counts[arm]
                    times = times[:len(counts)]
                else:
                    times, counts = list(TICKS), at_risk(data[arm][0], TICKS)
                r = reconstruct(p[:, 0], p[:, 1], times, counts)
                rec[arm] = (r.time, r.event)
                if table_read:      # the censor marks read on a vector curve, used
                    r = reconstruct(p[:, 0], p[:, 1], times, counts, censor_times=c.censor_times)
                    rec_marks[arm] = (r.time, r.event)
            row["hr_err"] = abs(math.log(hr_of(rec, exp_arm) / hr_of(data, exp_arm)))
            if rec_marks:
                row["hr_err_marks"] = abs(math.log(hr_of(rec_marks, exp_arm) / hr_of(data, exp_arm)))
        except Exception as e:     # reported in the table, never hidden
            row["hr_fail"] = f"{type(e).__name__}: {e}"
    return row


def manual_click_hr(data, exp_arm, rng):
    from accuracy_reconstruct import digitize as clicks
    rec = {}
    for arm, (t, e) in data.items():
        ct, cs = clicks(rng, t, e, XMAX, 300, 0.001 * XMAX, 0.0025, 0.03)
        r = reconstruct(ct, cs, list(TICKS), at_risk(t, TICKS))
        rec[arm] = (r.time, r.event)
    return abs(math.log(hr_of(rec, exp_arm) / hr_of(data, exp_arm)))


def _cal_scaled(cal: AxisCalibration, f: float) -> AxisCalibration:
    return AxisCalibration(tuple((p * f, v) for p, v in cal.x), tuple((p * f, v) for p, v in cal.y), cal.percent)


def figures(data, folder: Path, tag: str, have_r: bool):
    """Yield (style, kind, dpi, path, calibration or None)."""
    write_patients(data, folder / f"{tag}_patients.csv")
    mpl = {"matplotlib": {}, "matplotlib-black-percent": dict(percent=True, ci=False, censor="+",
                                                             colours=("black", "black"), styles=("-", "--"),
                                                             grid=True)}
    for style, kw in mpl.items():
        pdf = folder / f"{tag}_{style}.pdf"
        draw_matplotlib(data, pdf, **kw)
        yield style, "pdf", None, pdf, None
        for dpi in DPIS:
            png = folder / f"{tag}_{style}_{dpi}.png"
            cal = draw_matplotlib(data, png, dpi=dpi, **kw)
            yield style, "png", dpi, png, AxisCalibration(*cal, percent=kw.get("percent", False))
    if not have_r:
        return
    rdir = folder / f"{tag}_r"
    rdir.mkdir(exist_ok=True)
    subprocess.run(["Rscript", str(ROOT / "tests/fixtures/digitize/make_figures.R"),
                    str(folder / f"{tag}_patients.csv"), str(rdir), str(XMAX), str(STEP)], check=True)
    for style, name in (("R base", "r_base.pdf"), ("ggplot2", "r_ggplot.pdf")):
        pdf = rdir / name
        yield style, "pdf", None, pdf, None
        vec = digitize(open_figure(pdf))
        for dpi in DPIS:
            png = rdir / f"{name}_{dpi}.png"
            from PIL import Image
            Image.fromarray(render_page(pdf, 1, dpi)).save(png)
            yield style, "png", dpi, png, _cal_scaled(vec.calibration, dpi / 150.0)


def run(n_trials: int, seed: int, keep: Path | None):
    have_r = shutil.which("Rscript") is not None
    rng = np.random.default_rng(seed)
    rows = []
    manual = []
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="digitize_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n_trials):
        n = int(rng.integers(100, 300))
        hr = float(rng.uniform(0.55, 0.9))
        data = simulate(seed=seed * 100 + k, n=(n, n), hr=hr)
        exp_arm = "Experimental"
        manual.append(manual_click_hr(data, exp_arm, np.random.default_rng(seed * 100 + k)))
        for style, kind, dpi, path, cal in figures(data, folder, f"t{k}", have_r):
            t0 = _time.perf_counter()
            try:
                src = open_figure(path) if kind == "pdf" else None
                if kind == "png":
                    from evidencegui.io.figure_sources import FigureSource
                    src = FigureSource("image", load_image(path), 1.0, None, name=str(path))
                res = digitize(src, calibration=cal)
                secs = _time.perf_counter() - t0
            except DigitizeError as e:
                rows.append({"trial": k, "style": style, "kind": kind, "dpi": dpi, "error": str(e)})
                continue
            row = evaluate(res, data, exp_arm, table_read=(kind == "pdf"))
            row.update(trial=k, style=style, kind=kind, dpi=dpi, secs=secs, source=res.source,
                       warnings=res.warnings, size=src.image.shape[:2])
            rows.append(row)
    speed = speed_1200x900(folder)
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    return rows, manual, speed


def speed_1200x900(folder: Path) -> float:
    data = simulate(seed=99, n=(200, 200))
    png = folder / "speed_1200x900.png"
    cal = draw_matplotlib(data, png, dpi=150, size=(8.0, 6.0))
    from evidencegui.io.figure_sources import FigureSource
    best = math.inf
    for _ in range(3):
        t0 = _time.perf_counter()
        img = load_image(png)
        digitize(FigureSource("image", img, 1.0, None), calibration=AxisCalibration(*cal))
        best = min(best, _time.perf_counter() - t0)
    assert img.shape[:2] == (900, 1200), img.shape
    return best


def reference_seconds() -> float:
    """A fixed workload timed in the same run, so that the times above can be read against
    the machine's load (2 shared cores here)."""
    x = np.random.default_rng(0).random(2_000_000)
    best = math.inf
    for _ in range(3):
        t0 = _time.perf_counter()
        np.sort(x)
        best = min(best, _time.perf_counter() - t0)
    return best


def report(rows, manual, speed):
    print("| style | figure | curves found | mean abs S error per curve (max) | at risk exact | abs log HR ratio (max) | same, with censor marks | time s median (max) |")
    print("|---|---|---|---|---|---|---|---|")
    groups: dict[tuple, list] = {}
    for r in rows:
        groups.setdefault((r["style"], r["kind"], r["dpi"]), []).append(r)
    for (style, kind, dpi), rs in groups.items():
        label = "vector PDF" if kind == "pdf" else f"PNG {dpi} dpi"
        errs = [e for r in rs for e in r.get("err", {}).values()]
        hrs = [r["hr_err"] for r in rs if r.get("hr_err") is not None]
        fails = [r for r in rs if "error" in r or r.get("hr_err") is None]
        nar = [r["nar_exact"] for r in rs if r.get("nar_exact") is not None]
        found = sorted({r.get("found", 0) for r in rs})
        secs = [r["secs"] for r in rs if "secs" in r]
        hrm = [r["hr_err_marks"] for r in rs if r.get("hr_err_marks") is not None]
        print(f"| {style} | {label} | {','.join(map(str, found))} | "
              f"{(f'{np.mean(errs):.4f} ({max(errs):.4f})' if errs else '—')} | "
              f"{(f'{sum(nar)}/{len(nar)}' if nar else 'typed')} | "
              f"{(f'{np.mean(hrs):.4f} ({max(hrs):.4f})' if hrs else '—')}"
              f"{f' [{len(fails)} failed]' if fails else ''} | "
              f"{(f'{np.mean(hrm):.4f} ({max(hrm):.4f})' if hrm else '—')} | "
              f"{(f'{np.median(secs):.2f} ({max(secs):.2f})' if secs else '—')} |")
    print(f"\nmanual-click model (accuracy_reconstruct.digitize, same trials): |log HR ratio| "
          f"mean {np.mean(manual):.4f}, max {max(manual):.4f}")
    ref = reference_seconds()
    print(f"1200×900 PNG, load + digitize: {speed:.3f} s (best of 3); reference workload "
          f"(sort 2M floats, best of 3) {ref:.3f} s in the same run: ratio {speed / ref:.1f}")
    for r in rows:
        if "error" in r:
            print(f"- trial {r['trial']} {r['style']} {r['kind']} {r['dpi'] or ''}: DigitizeError: {r['error']}")
        elif r.get("hr_fail"):
            print(f"- trial {r['trial']} {r['style']} {r['kind']} {r['dpi'] or ''}: reconstruction failed: {r['hr_fail']}")
    warned = {(r["style"], r["kind"], r["dpi"], w) for r in rows for w in r.get("warnings", [])}
    if warned:
        print("\nwarnings seen:")
        for style, kind, dpi, w in sorted(warned, key=str):
            print(f"- {style} {kind} {dpi or ''}: {w}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="keep the figures in this folder")
    a = ap.parse_args(argv)
    rows, manual, speed = run(a.trials, a.seed, a.keep)
    report(rows, manual, speed)


if __name__ == "__main__":
    main()
