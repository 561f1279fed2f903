"""`evidencegui analyze` as a whole process against lifelines doing the same work, same files, same run.

    .venv/bin/python benchmarks/bench_analyze.py [--sizes 10000,100000,1000000] [--repeat 5]

Synthetic two-arm trials (exponential event times, HR about 0.75, uniform censoring giving about
30% censored, times rounded to 0.1 month so there are many ties). Both sides run as fresh
processes: ours is `python -m evidencegui analyze FILE ... --json`; lifelines' script reads the
CSV with pandas, fits Kaplan–Meier per arm with the median and its CI, survival at the landmarks,
RMST to tau, logrank_test and CoxPHFitter (Efron ties, the only choice in lifelines).
Prints wall times, the ratio ours/lifelines and the 100k → 1M growth factor; results go into
benchmarks/ANALYZE.md by hand.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LANDMARKS = "12,24"

LIFELINES_SCRIPT = r"""
import sys, time
import numpy as np, pandas as pd
from lifelines import KaplanMeierFitter, CoxPHFitter
from lifelines.statistics import logrank_test
from lifelines.utils import median_survival_times, restricted_mean_survival_time
path = sys.argv[1]
df = pd.read_csv(path, keep_default_na=False, dtype={"arm": str})
t, e, a = df["time"].to_numpy(float), df["event"].to_numpy(int), df["arm"].to_numpy()
labels = list(dict.fromkeys(a))
fits = {}
for lab in labels:
    m = a == lab
    k = KaplanMeierFitter().fit(t[m], e[m])
    med, ci = k.median_survival_time_, median_survival_times(k.confidence_interval_)
    s = k.survival_function_at_times([12, 24])
    fits[lab] = (k, t[m].max())
tau = min(v[1] for v in fits.values())
rm = {lab: restricted_mean_survival_time(k, t=tau) for lab, (k, _) in fits.items()}
x = (a == labels[1]).astype(int)
lr = logrank_test(t[x == 1], t[x == 0], e[x == 1], e[x == 0])
cph = CoxPHFitter().fit(pd.DataFrame({"t": t, "e": e, "x": x}), "t", "e")
print(float(cph.hazard_ratios_["x"]), lr.test_statistic)
"""


def make_csv(path: Path, n: int, seed: int = 20261202) -> float:
    rng = np.random.default_rng(seed)
    arm = rng.integers(0, 2, n)
    t = rng.exponential(np.where(arm == 1, 24.0 / 0.75, 24.0), n)
    c = rng.uniform(0, 90, n)
    obs = np.round(np.minimum(t, c), 1)
    ev = (t <= c).astype(np.int8)
    labels = np.array(["Control", "Experimental"], dtype=object)[arm]
    import pandas as pd
    pd.DataFrame({"id": np.arange(1, n + 1), "time": obs, "event": ev, "arm": labels}).to_csv(path, index=False)
    return 1 - ev.mean()


def in_process(path: Path, repeat: int) -> tuple[float, float]:
    """Best read and analyze times inside one process (no start-up, no imports)."""
    from evidencegui.core.analysis import analyze
    from evidencegui.io.patients import read_patients
    best_r = best_a = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        d = read_patients(path, "time", "event", "arm")
        t1 = time.perf_counter()
        analyze(d.time, d.event, d.arm_codes, "Control", landmarks=[12, 24], arm_labels=d.arm_labels)
        t2 = time.perf_counter()
        best_r, best_a = min(best_r, t1 - t0), min(best_a, t2 - t1)
    return best_r, best_a


def timed(cmd: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed ({r.returncode}):\n{r.stderr}")
    return dt, r.stdout


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=5, help="runs of ours per size (best is kept)")
    ap.add_argument("--lifelines-repeat", type=int, default=1)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {platform.platform()}")
    try:
        import lifelines
        import pandas
        print(f"numpy {np.__version__}, pandas {pandas.__version__}, lifelines {lifelines.__version__}")
    except ImportError:
        print("lifelines not installed: only our times are shown")
        lifelines = None
    ours_cmd = [sys.executable, "-m", "evidencegui", "analyze"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"trial_{n}.csv"
            cens = make_csv(path, n)
            cmd = ours_cmd + [str(path), "--time", "time", "--event", "event", "--arm", "arm",
                              "--control", "Control", "--landmarks", LANDMARKS, "--json"]
            ours = min(timed(cmd)[0] for _ in range(args.repeat))
            ll = None
            if lifelines is not None:
                ll = min(timed([sys.executable, "-c", LIFELINES_SCRIPT, str(path)])[0]
                         for _ in range(args.lifelines_repeat))
            rd, an = in_process(path, args.repeat)
            results[n] = (ours, ll, rd, an)
            ratio = f"{ours / ll:.3f}" if ll else "n/a"
            print(f"n={n:>9,}  censored {cens:.1%}  ours {ours:7.2f} s  lifelines "
                  f"{ll if ll is None else round(ll, 2)!s:>7} s  ours/lifelines {ratio}   "
                  f"(in-process: read {rd:.3f} s, analyze {an:.3f} s)", flush=True)
    if 100000 in results and 1000000 in results:
        g_ours = results[1000000][0] / results[100000][0]
        work = sum(results[1000000][2:]) / sum(results[100000][2:])
        line = f"growth 100k -> 1M: ours x{g_ours:.2f} (the work alone, read + analyze: x{work:.2f})"
        if results[1000000][1]:
            line += f", lifelines x{results[1000000][1] / results[100000][1]:.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
