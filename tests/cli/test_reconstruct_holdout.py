"""Holdout check of `evidencegui reconstruct`: real trials (R's survival package), drawn and
digitized as WebPlotDigitizer users do, must reconstruct to their true Cox HR within 5%.

The readings, numbers-at-risk tables and the true values were made once by
tests/fixtures/reconstruct_holdout/make_truth.R (R 4.2.2, survival 3.5.3) and make_readings.py;
this test reads only those committed files (CI has no R) and runs the command line as a user does:
`reconstruct` per file (per arm for one-dataset files, and with --dataset/--total-events for the
total-events variants), then `analyze` on the patient-level data.
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

HOLD = FIXTURES / "reconstruct_holdout"
TRUTH = json.loads((HOLD / "truth.json").read_text())
BAR = 0.05

# Cases measured outside the 5% bar (relative HR error, see the report in the commit message).
# strict=False: once the algorithm improves they simply pass.
KNOWN_MISSES: dict[str, str] = {}


def _cli(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evidencegui", *map(str, argv)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def _run_case(case: dict, total_events: bool, tmp: Path, hold: Path = HOLD,
              truth: dict = TRUTH) -> dict:
    """Reconstruct one case of ``truth`` (files under ``hold``) and analyze the patients."""
    ds = truth["datasets"][case["dataset"]]
    nar = hold / case["at_risk"]
    tag = case["case"] + ("_tot" if total_events else "")
    rows, arms = [], []
    files = case["files"]
    single_file = len(set(files.values())) == 1
    if single_file and not total_events:
        jobs = [(None, files[next(iter(files))], [])]
    elif not total_events:
        # one call with every arm's file, each dataset renamed to its arm (reconstruct A B ...)
        extra = [x for arm, fn in files.items() for x in ("--dataset", f"{Path(fn).stem}={arm}")]
        jobs = [(None, [hold / fn for fn in files.values()], extra)]
    else:
        jobs = []
        for arm, fn in files.items():
            extra = ["--arm", arm]
            if single_file:
                extra = ["--dataset", arm] + extra
            if total_events:
                extra += ["--total-events", ds["arms"][arm]["events"]]
            jobs.append((arm, fn, extra))
    for k, (arm, fn, extra) in enumerate(jobs):
        out = tmp / f"{tag}_{k}.csv"
        fns = fn if isinstance(fn, list) else [hold / fn]
        r = _cli("reconstruct", *fns, "--at-risk", nar, *extra, "--out", out, "--json")
        assert r.returncode == 0, f"{tag}: {r.stderr}"
        arms += json.loads(r.stdout)["arms"]
        with open(out, newline="") as f:
            rows += list(csv.DictReader(f))
    ipd = tmp / f"{tag}_ipd.csv"
    with open(ipd, "w", newline="") as f:
        w = csv.DictWriter(f, ["time", "event", "arm"])
        w.writeheader()
        w.writerows(rows)
    r = _cli("analyze", ipd, "--time", "time", "--event", "event", "--arm", "arm",
             "--control", ds["control"], "--json")
    assert r.returncode == 0, f"{tag}: {r.stderr}"
    doc = json.loads(r.stdout)
    (cmp_,) = doc["comparisons"]
    return {"tag": tag, "hr": cmp_["hr"], "hr_true": ds["hr"],
            "arms": {a["arm"]: a for a in arms},
            "analyzed": {a["arm"]: a for a in doc["arms"]}}


PARAMS = [(c, False) for c in TRUTH["cases"]] + [(c, True) for c in TRUTH["cases"] if c["total_events_variant"]]


def _tag(p):
    return p[0]["case"] + ("_tot" if p[1] else "")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("holdout")
    with ThreadPoolExecutor(max_workers=2) as pool:
        res = list(pool.map(lambda p: _run_case(p[0], p[1], tmp), PARAMS))
    return {r["tag"]: r for r in res}


def _marks(p):
    tag = _tag(p)
    if tag in KNOWN_MISSES:
        return [pytest.mark.xfail(strict=False, reason=KNOWN_MISSES[tag])]
    return []


@pytest.mark.parametrize("param", [pytest.param(p, id=_tag(p), marks=_marks(p)) for p in PARAMS])
def test_hr_within_5_percent(param, results):
    r = results[_tag(param)]
    rel = r["hr"] / r["hr_true"] - 1
    assert abs(rel) <= BAR, f"{r['tag']}: HR {r['hr']:.4f} vs true {r['hr_true']:.4f} ({rel:+.1%})"


@pytest.mark.parametrize("param", [pytest.param(p, id=_tag(p)) for p in PARAMS])
def test_arm_sizes_and_total_events(param, results):
    r = results[_tag(param)]
    ds = TRUTH["datasets"][param[0]["dataset"]]
    for arm, a in r["analyzed"].items():
        assert a["n"] == ds["arms"][arm]["n"], f"{r['tag']} {arm}: n {a['n']}"
        if param[1]:   # --total-events given: the events add up, or the program says why not
            want = ds["arms"][arm]["events"]
            assert a["events"] == want or any("total" in w for w in r["arms"][arm]["warnings"])
            assert abs(a["events"] - want) <= 0.05 * want


if __name__ == "__main__":       # measured table: python -m tests.cli.test_reconstruct_holdout
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        with ThreadPoolExecutor(max_workers=2) as pool:
            res = list(pool.map(lambda p: _run_case(p[0], p[1], Path(d)), PARAMS))
    for p, r in zip(PARAMS, res):
        ds = TRUTH["datasets"][p[0]["dataset"]]
        parts = []
        for arm, a in r["analyzed"].items():
            t = ds["arms"][arm]
            med = "NR" if a["median"] is None else f"{a['median']:.2f}"
            tmed = "NR" if t["median"] is None else f"{t['median']:.2f}"
            parts.append(f"{arm}: ev {a['events']}/{t['events']} med {med}/{tmed}")
        cut = p[0]["table"][4:] if p[0]["table"].startswith("cut:") else None
        extra = f"  (HR of data censored at {cut}: {ds['hr_censored_at'][cut]:.4f})" if cut else ""
        print(f"{r['tag']:40s} HR {r['hr']:.4f} true {r['hr_true']:.4f} rel {r['hr'] / r['hr_true'] - 1:+.2%}  "
              + " | ".join(parts) + extra)
