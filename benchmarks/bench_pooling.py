"""REML pooling of 1,000 studies in-process (issue 11: goal under 50 ms), measured beside
references in the same run:

    PYTHONPATH=. .venv/bin/python benchmarks/bench_pooling.py [--k 1000] [--repeat 50]

- "numpy IV pass": one vectorised inverse-variance pass (weights, pooled log HR, SE, Q) — the
  least any pooling must do;
- ours with DL (one closed-form tau²) and ours with REML (Fisher scoring), both the full
  core.pooling.pool (input checks, weights, Q, I², HKSJ, prediction interval);
- statsmodels' combine_effects (DL and iterated Paule–Mandel), when statsmodels is installed.
Building the Study objects (study_from_log, with its checks) is timed separately. Times are the
median of --repeat runs after one warm-up; results go into benchmarks/POOLING.md by hand.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evidencegui.core.distributions import t_ppf  # noqa: E402
from evidencegui.core.pooling import pool, study_from_log  # noqa: E402


def data(k: int, seed: int = 20261203):
    rng = np.random.default_rng(seed)
    v = rng.uniform(0.01, 0.5, k)
    y = rng.normal(-0.2, np.sqrt(0.1), k) + rng.normal(0, np.sqrt(v))
    return y, np.sqrt(v)


def timed(fn, repeat: int) -> float:
    fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def numpy_iv(y, se):
    w = 1.0 / se ** 2
    mu = (w * y).sum() / w.sum()
    return mu, np.sqrt(1.0 / w.sum()), (w * (y - mu) ** 2).sum()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    y, se = data(args.k)
    studies = [study_from_log(f"s{i}", float(a), float(b)) for i, (a, b) in enumerate(zip(y, se))]
    rows = [("numpy IV pass (reference)", timed(lambda: numpy_iv(y, se), args.repeat))]
    rows.append(("build 1,000 Study objects", timed(
        lambda: [study_from_log(f"s{i}", a, b) for i, (a, b) in enumerate(zip(y.tolist(), se.tolist()))],
        args.repeat)))
    rows.append(("ours pool(DL)", timed(lambda: pool(studies, "DL"), args.repeat)))
    rows.append(("ours pool(REML)", timed(lambda: pool(studies, "REML"), args.repeat)))

    def cold():
        t_ppf.cache_clear()                  # the t quantiles are cached per df
        pool(studies, "REML")
    rows.append(("ours pool(REML), t quantiles not cached", timed(cold, args.repeat)))
    try:
        from statsmodels.stats.meta_analysis import combine_effects
        rows.append(("statsmodels combine_effects DL", timed(
            lambda: combine_effects(y, se ** 2, method_re="dl"), args.repeat)))
        rows.append(("statsmodels combine_effects PM (iterated)", timed(
            lambda: combine_effects(y, se ** 2, method_re="pm"), args.repeat)))
    except ImportError:
        pass
    r = pool(studies, "REML")
    ref = rows[0][1]
    print(f"k = {args.k}, median of {args.repeat} runs; Python {platform.python_version()}, "
          f"numpy {np.__version__}; REML tau2 = {r.random.tau2:.6g} in "
          f"{r.random.iterations} Fisher-scoring steps")
    print(f"{'':45s} {'time':>10s} {'ratio to numpy IV':>18s}")
    for name, t in rows:
        print(f"{name:45s} {t * 1000:8.3f} ms {t / ref:18.1f}")
    reml = dict(rows)["ours pool(REML), t quantiles not cached"]
    print(f"goal: REML pooling of {args.k} studies under 50 ms in-process: "
          f"{'met' if reml < 0.05 else 'NOT met'} ({reml * 1000:.2f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
