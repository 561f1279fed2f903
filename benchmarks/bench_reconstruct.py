"""Speed of the Guyot reconstruction, in-process: two arms of ~400 clicks each (a simulated trial
digitized as in accuracy_reconstruct.py, and the CLEOPATRA OS readings), against references
measured in the same run: the Kaplan–Meier fit (core.survival.kaplan_meier) of the
reconstructed patients of both arms, and numpy sorting of the same number of points.

Run: .venv/bin/python benchmarks/bench_reconstruct.py [--reps 50]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy_reconstruct import digitize, simulate_arm  # noqa: E402
from evidencegui.core.reconstruct import reconstruct  # noqa: E402
from evidencegui.core.survival import kaplan_meier  # noqa: E402


def _timeit(fn, reps):
    fn()  # warm-up
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out), min(out)


def simulated_case(seed=3):
    rng = np.random.default_rng(seed)
    arms = {}
    for name, hr in (("Control", 1.0), ("Experimental", 0.7)):
        t, e = simulate_arm(rng, 500, "weibull", 1.2, 24.0, hr, 24.0, 36.0, 0.005)
        x_max = float(np.ceil(t.max() / 6) * 6)
        ct, cs = digitize(rng, t, e, x_max, 460, x_max * 0.0008, 0.002, 0.03, along=True)
        times = np.arange(0.0, x_max + 1e-9, 6.0)
        counts = (t[None, :] >= times[:, None]).sum(axis=1)
        arms[name] = (ct, cs, times.tolist(), counts.tolist())
    return arms


def cleopatra_case():
    from evidencegui.io.digitizer import read_at_risk, read_digitized
    d = ROOT / "resources" / "examples" / "cleopatra"
    curves = read_digitized(d / "os_digitized.csv")
    table = read_at_risk(d / "os_at_risk.csv")
    return {k: (c.t, c.s, *table.for_arm(k)) for k, c in curves.items()}


def bench(label, arms, reps):
    clicks = sum(len(a[0]) for a in arms.values())

    def run():
        return [reconstruct(*a) for a in arms.values()]

    recs = run()
    med, best = _timeit(run, reps)
    ipd_t = np.concatenate([r.time for r in recs])
    ipd_e = np.concatenate([r.event for r in recs])

    def km_ref():
        for r in recs:
            kaplan_meier(r.time, r.event)

    km_med, _ = _timeit(km_ref, reps)
    pts = np.random.default_rng(0).random(clicks)
    sort_med, _ = _timeit(lambda: np.sort(pts), reps * 20)
    print(f"## {label}: {len(arms)} arms, {clicks} clicks, {ipd_t.size} patients "
          f"({int(ipd_e.sum())} events)")
    print(f"  reconstruct both arms: median {med * 1e3:.2f} ms (best {best * 1e3:.2f} ms); "
          f"goal <= 50 ms: {'met' if med <= 0.05 else 'MISSED'}")
    print(f"  reference KM fit of the reconstructed patients: {km_med * 1e3:.2f} ms "
          f"-> ratio {med / km_med:.1f}x")
    print(f"  reference numpy sort of {clicks} points: {sort_med * 1e6:.1f} us "
          f"-> ratio {med / sort_med:.0f}x")
    return med


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=50)
    a = ap.parse_args(argv)
    bench("simulated trial, 500 patients per arm", simulated_case(), a.reps)
    bench("CLEOPATRA OS readings", cleopatra_case(), a.reps)


if __name__ == "__main__":
    main()
