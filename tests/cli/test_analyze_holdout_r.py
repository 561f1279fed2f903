"""Holdout check of `evidencegui analyze --json` against R's survival package, as an external
checker would do it: datasets of R's survival package that tests/fixtures/r does NOT use
(rotterdam, gbsg, cgd, myeloid, mgus2, retinopathy, kidney, nwtco), exported with other column
names and in awkward but valid formats (UTF-8 BOM + CRLF + quoted fields + header with spaces +
blank trailing lines, times in months with 15 decimals, numeric arm labels, an arm literally
named "NA", an event coded as text with --event-map, an XLSX file, three- and four-arm trials,
and a 200 000-row file rebuilt here, not committed).

Reference: tests/fixtures/r_holdout/make_holdout.R -> reference_holdout.json (CI has no R; the
committed files are read). Tolerance: four significant digits (relative 1e-4; absolute 1e-6 for
differences, whose value may be near 0). `python tests/cli/test_analyze_holdout_r.py` prints
the number of values compared and the largest relative difference per key.

Also: bad input must give exit 2, nothing on stdout and one message naming the file, the row
and the column (CLI.md conventions).
"""
from __future__ import annotations

import collections
import functools
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIR = ROOT / "tests" / "fixtures" / "r_holdout"
REF = json.loads((DIR / "reference_holdout.json").read_text(encoding="utf-8"))
RUNS_REF = REF["runs"]
REL, ABS_DIFF = 1e-4, 1e-6
# key -> [values compared, max relative difference, where, max absolute difference]
STATS: dict[str, list] = collections.defaultdict(lambda: [0, 0.0, "", 0.0])
BIG_DIR: list[Path] = []


def _lst(v):
    return v if isinstance(v, list) else [v]


def _num(x: float) -> str:
    return repr(int(x)) if float(x).is_integer() else repr(float(x))


def _big_file() -> Path:
    """The 200 000-row file of make_holdout.R (section 10), written once per session."""
    if BIG_DIR:
        return BIG_DIR[0] / "big.csv"
    import atexit
    import shutil
    import tempfile
    g = RUNS_REF["big_gbsg_200k"]["generated"]
    d = Path(tempfile.mkdtemp(prefix="holdout_big_"))
    atexit.register(shutil.rmtree, d, True)
    lines = (DIR / g["from"]).read_text(encoding="utf-8").splitlines()[1:]
    rows = [ln.split(",") for ln in lines if ln.strip()]
    out = ["time,event,arm"]
    for k in range(int(g["n"])):
        t, e, a = rows[(k * int(g["multiplier"])) % len(rows)]
        out.append(f"{float(t) + (k % 97) / 1e6!r},{e},{a}")
    (d / "big.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    BIG_DIR.append(d)
    return d / "big.csv"


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "evidencegui", "analyze", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


@functools.lru_cache(maxsize=None)
def run(rid: str, ct: str, tau):
    r = RUNS_REF[rid]
    path = _big_file() if r["file"] is None else DIR / r["file"]
    args = [path, "--time", r["time"], "--event", r["event"], "--arm", r["arm"],
            "--control", r["control"], "--landmarks", ",".join(_num(t) for t in _lst(r["landmarks"])),
            "--ci-method", ct, "--json"]
    if tau is not None:
        args += ["--tau", _num(tau)]
    if r.get("event_map"):
        args += ["--event-map", r["event_map"]]
    p = cli(*args)
    assert p.returncode == 0, f"{args}\nexit {p.returncode}\n{p.stderr}"
    assert p.stderr == "", p.stderr
    return json.loads(p.stdout)


def _f(v):
    return math.nan if v is None else float(v)


class Checker:
    def __init__(self):
        self.bad: list[str] = []

    def __call__(self, key, where, ours, ref, abs_=0.0):
        ours, ref = _f(ours), _f(ref)
        st = STATS[key]
        st[0] += 1
        if math.isnan(ref) or math.isnan(ours):
            if math.isnan(ref) != math.isnan(ours):
                self.bad.append(f"{where} {key}: R {ref!r}, ours {ours!r}")
                st[1], st[2] = math.inf, where
            return
        rel = abs(ours - ref) / max(abs(ref), 1e-300) if ours != ref else 0.0
        if rel > st[1]:
            st[1], st[2] = rel, where
        st[3] = max(st[3], abs(ours - ref))
        if abs(ours - ref) > max(REL * abs(ref), abs_):
            self.bad.append(f"{where} {key}: R {ref!r}, ours {ours!r} (rel {rel:.3g})")

    def done(self):
        assert not self.bad, "\n".join(self.bad)


def _pair(v):
    assert isinstance(v, list) and len(v) == 2, v
    return v


CASES = [(rid, ct, None) for rid, r in RUNS_REF.items() for ct in r["conf"]] + \
        [(rid, "log-log", tau) for rid, r in RUNS_REF.items() for tau in _lst(r["taus"])[1:]
         if rid != "big_gbsg_200k"]

# disagreements found (see the report of the holdout check); strict: they fail loudly once fixed
XFAIL: dict[tuple, str] = {}


def _params():
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=XFAIL[c])] if c in XFAIL else []
        yield pytest.param(c, id=f"{c[0]}-{c[1]}-tau{c[2]}", marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_holdout_matches_r(case):
    rid, ct, tau = case
    r = RUNS_REF[rid]
    out = run(rid, ct, tau)
    chk = Checker()
    tau_used = r["tau_default"] if tau is None else tau
    j = _lst(r["taus"]).index(tau_used)
    assert out["ci_method"] == ct
    chk("tau", rid, out["tau"], tau_used)
    arms = {a["arm"]: a for a in out["arms"]}
    assert sorted(arms) == sorted(_lst(r["arms"])), f"{rid}: arms {sorted(arms)}"
    for ref in r["conf"][ct]:
        a = arms[ref["arm"]]
        w = f"{rid}/{ct}/{ref['arm']}"
        assert (a["n"], a["events"]) == (ref["n"], ref["events"]), w
        chk("median", w, a["median"], ref["median"])
        lo, hi = _pair(a["median_ci"])
        chk("median_ci", w + " lower", lo, ref["lcl"])
        chk("median_ci", w + " upper", hi, ref["ucl"])
        for q in ("25", "75"):
            if f"quantile_{q}" in a:
                chk(f"quantile_{q}", w, a[f"quantile_{q}"], ref[f"q{q}"])
                qlo, qhi = _pair(a[f"quantile_{q}_ci"])
                chk(f"quantile_{q}_ci", w + " lower", qlo, ref[f"q{q}_lower"])
                chk(f"quantile_{q}_ci", w + " upper", qhi, ref[f"q{q}_upper"])
        surv = {float(s["time"]): s for s in a["survival"]}
        assert sorted(surv) == sorted(float(t) for t in _lst(r["landmarks"])), w
        for lm in ref["landmarks"]:
            s = surv[float(lm["time"])]
            ww = f"{w} t={lm['time']}"
            if lm["surv"] is None:   # past the arm's last time: R's summary() has no row
                assert float(lm["time"]) > ref["max_time"], ww
                assert s["estimate"] is None, f"{ww}: R none (past follow-up), ours {s['estimate']}"
                continue
            chk("survival.estimate", ww, s["estimate"], lm["surv"])
            slo, shi = _pair(s["ci"])
            chk("survival.ci", ww + " lower", slo, lm["lower"])
            chk("survival.ci", ww + " upper", shi, lm["upper"])
            if "std_err" in s:
                chk("survival.std_err", ww, s["std_err"], lm["std_err"])
            if "n_risk" in s:
                chk("survival.n_risk", ww, s["n_risk"], lm["n_risk"])
        rm = ref["rmst"][j]
        chk("rmst", f"{w} tau={tau_used}", a["rmst"], rm["rmean"])
        chk("rmst_se", f"{w} tau={tau_used}", a["rmst_se"], rm["se"])

    comps = {c["arm"]: c for c in out["comparisons"]}
    assert sorted(comps) == sorted(c["arm"] for c in r["comparisons"]), f"{rid}: comparisons"
    med = {a["arm"]: a["median"] for a in r["conf"][ct]}
    for ref in r["comparisons"]:
        c = comps[ref["arm"]]
        w = f"{rid}/{ct}/{ref['arm']} vs {ref['control']}"
        assert c["control"] == ref["control"] == r["control"], w
        if ref["cox_warning"] is not None:
            # "coefficient may be infinite": R's HR is meaningless; documented here as no HR
            # (tests/fixtures/r/README.md). None of the committed holdout runs has one.
            if c["hr"] is not None:
                chk.bad.append(f"{w} hr: R warns {ref['cox_warning']!r} (HR {ref['hr']!r}), "
                               f"ours {c['hr']!r} (expected null)")
        else:
            chk("hr", w, c["hr"], ref["hr"])
            hlo, hhi = _pair(c["hr_ci"])
            chk("hr_ci", w + " lower", hlo, ref["hr_lower"])
            chk("hr_ci", w + " upper", hhi, ref["hr_upper"])
            if "hr_p" in c:
                chk("hr_p", w, c["hr_p"], ref["hr_p"])
        chk("logrank_chisq", w, c["logrank_chisq"], ref["logrank_chisq"])
        chk("logrank_p", w, c["logrank_p"], ref["logrank_p"])
        me, mc = med[ref["arm"]], med[ref["control"]]
        chk("median_gain", w, c["median_gain"], None if None in (me, mc) else me - mc)
        chk("median_ratio", w, c["median_ratio"], None if None in (me, mc) else me / mc)
        rd = ref["rmst_difference"][j]
        chk("rmst_difference", w, c["rmst_difference"], rd["difference"], ABS_DIFF)
        dlo, dhi = _pair(c["rmst_difference_ci"])
        chk("rmst_difference_ci", w + " lower", dlo, rd["lower"], ABS_DIFF)
        chk("rmst_difference_ci", w + " upper", dhi, rd["upper"], ABS_DIFF)
        chk("rmst_ratio", w, c["rmst_ratio"], rd["ratio"])
        sdiff = {float(s["time"]): s for s in c["survival_difference"]}
        for sd in ref["survival_difference"]:
            s = sdiff[float(sd["time"])]
            ww = f"{w} t={sd['time']}"
            if sd["difference"] is None:   # past an arm's follow-up
                assert s["difference"] is None, f"{ww}: R none, ours {s['difference']}"
                continue
            chk("survival_difference", ww, s["difference"], sd["difference"], ABS_DIFF)
            slo, shi = _pair(s["ci"])
            chk("survival_difference.ci", ww + " lower", slo, sd["lower"], ABS_DIFF)
            chk("survival_difference.ci", ww + " upper", shi, sd["upper"], ABS_DIFF)
    chk.done()


def test_big_quoted_crlf_bom_same_as_plain(tmp_path):
    """The 200 000-row file again with a UTF-8 BOM, CRLF, every field quoted and blank lines at
    the end: the same document as the plain file."""
    src = _big_file().read_text(encoding="utf-8").splitlines()
    q = ["\ufeff" + ",".join(f'"{c}"' for c in src[0].split(","))] + \
        [",".join(f'"{c}"' for c in ln.split(",")) for ln in src[1:]]
    f = tmp_path / "big_quoted.csv"
    f.write_bytes(("\r\n".join(q) + "\r\n\r\n\r\n").encode("utf-8"))
    plain = run("big_gbsg_200k", "log-log", None)
    p = cli(f, "--time", "time", "--event", "event", "--arm", "arm", "--control", "no tamoxifen",
            "--landmarks", ",".join(_num(t) for t in RUNS_REF["big_gbsg_200k"]["landmarks"]),
            "--ci-method", "log-log", "--json")
    assert p.returncode == 0, p.stderr
    quoted = json.loads(p.stdout)
    quoted.pop("warnings", None)
    assert quoted == {k: v for k, v in plain.items() if k != "warnings"}


def test_big_bad_rows_at_the_end(tmp_path):
    f = tmp_path / "big_bad.csv"
    f.write_text(_big_file().read_text(encoding="utf-8") + "12.5,1,\nx,1,tamoxifen\n",
                 encoding="utf-8")
    msg = _one_message(cli(f, "--time", "time", "--event", "event", "--arm", "arm",
                           "--control", "no tamoxifen", "--json"))
    assert len(msg.splitlines()) == 1 and f.name in msg and "row 200002" in msg and "'arm'" in msg, msg


def test_fixture_formats_intact():
    """The awkward formats survive a checkout (no CRLF or BOM normalisation by git)."""
    raw = (DIR / "rotterdam_size.csv").read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf"Overall survival (months)",') and b"\r\n" in raw
    assert raw.endswith(b"\r\n\r\n\r\n")
    assert b"\r\n" in (DIR / "retinopathy_trt.csv").read_bytes()
    assert b"\t" in (DIR / "rotterdam_seconds.tsv").read_bytes().splitlines()[0]
    assert (DIR / "mgus2_sex.xlsx").read_bytes()[:2] == b"PK"


def test_fixture_folder_is_small():
    assert sum(p.stat().st_size for p in DIR.iterdir()) < 1_000_000


# ----------------------------------------------------------------------------- bad input
HDR = "months,status,group\n"
GOOD = "1.5,1,A\n2,0,B\n3,1,A\n4,1,B\n5,0,A\n6,1,B\n"
ARGS = ("--time", "months", "--event", "status", "--arm", "group", "--control", "A", "--json")

# (id, file content (str, or None: no file), extra args, (row, column) the message must name)
BAD = [
    ("time_text", HDR + GOOD + "abc,1,A\n", (), (8, "months")),
    ("time_negative", HDR + GOOD + "-1,1,A\n", (), (8, "months")),
    ("time_nan", HDR + GOOD + "NaN,1,A\n", (), (8, "months")),
    ("time_inf", HDR + GOOD + "inf,1,A\n", (), (8, "months")),
    ("time_empty", HDR + GOOD + ",1,A\n", (), (8, "months")),
    ("event_2", HDR + GOOD + "7,2,A\n", (), (8, "status")),
    ("event_empty", HDR + GOOD + "7,,A\n", (), (8, "status")),
    ("event_text_no_map", HDR + "1,dead,A\n2,alive,B\n", (), (2, "status")),
    ("event_map_missing_code", HDR + "1,dead,A\n2,alive,B\n3,lost,A\n",
     ("--event-map", "dead=1,alive=0"), (4, "status")),
    ("arm_empty", HDR + GOOD + "7,1,\n", (), (8, "group")),
    ("time_text_crlf_bom", "\ufeff" + (HDR + GOOD).replace("\n", "\r\n") + "x,1,A\r\n", (),
     (8, "months")),
    ("missing_time_column", "t,status,group\n" + GOOD, (), (None, "months")),
    ("control_absent", HDR + GOOD.replace(",A\n", ",C\n"), (), (None, "group")),
    ("empty_file", "", (), (None, None)),
    ("header_only", HDR, (), (None, None)),
    ("no_file", None, (), (None, None)),
    ("garbage_bytes", bytes(range(256)) * 12, (), (None, None)),
    ("not_really_xlsx", HDR + GOOD, (), (None, None)),
]
BAD_ARGS = [
    ("tau_negative", ("--tau", "-1")),
    ("tau_text", ("--tau", "abc")),
    ("tau_zero", ("--tau", "0")),
    ("landmark_text", ("--landmarks", "12,abc")),
    ("event_map_bad", ("--event-map", "dead")),
    ("ci_method_bad", ("--ci-method", "arcsine")),
]


def _one_message(p):
    assert p.returncode == 2, f"exit {p.returncode}; stderr {p.stderr!r}"
    assert p.stdout == "", f"stdout {p.stdout!r}"
    assert "Traceback" not in p.stderr and p.stderr.strip(), p.stderr
    return p.stderr.strip()


@pytest.mark.parametrize("case", BAD, ids=lambda c: c[0])
def test_bad_input(case, tmp_path):
    name, content, extra, (row, col) = case
    f = tmp_path / f"bad_{name}.{'xlsx' if name == 'not_really_xlsx' else 'csv'}"
    if content is not None:
        f.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    msg = _one_message(cli(f, *ARGS, *extra))
    assert len(msg.splitlines()) == 1, msg
    assert f.name in msg, msg
    if row is not None:
        assert f"row {row}" in msg, msg
    if col is not None:
        assert repr(col) in msg or col in msg, msg


def test_bad_xlsx_cell(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["months", "status", "group"])
    for r in [(1.5, 1, "A"), (2, 0, "B"), ("soon", 1, "A"), (4, 1, "B")]:
        ws.append(list(r))
    f = tmp_path / "bad_cell.xlsx"
    wb.save(f)
    msg = _one_message(cli(f, *ARGS))
    assert len(msg.splitlines()) == 1 and f.name in msg and "row 4" in msg and "months" in msg, msg


def test_folder_instead_of_file(tmp_path):
    msg = _one_message(cli(tmp_path, *ARGS))
    assert len(msg.splitlines()) == 1 and tmp_path.name in msg, msg


@pytest.mark.parametrize("case", BAD_ARGS, ids=lambda c: c[0])
def test_bad_arguments(case, tmp_path):
    f = tmp_path / "good.csv"
    f.write_text(HDR + GOOD, encoding="utf-8")
    msg = _one_message(cli(f, *ARGS, *case[1]))
    assert msg.splitlines()[-1].startswith("evidencegui"), msg


def report() -> str:
    lines = [f"{'key':<28}{'values':>8}  {'max rel diff':>13}  {'max abs diff':>13}  where (rel)"]
    for k, (n, mx, where, mabs) in sorted(STATS.items()):
        lines.append(f"{k:<28}{n:>8}  {mx:>13.3g}  {mabs:>13.3g}  {where}")
    lines.append(f"{'total':<28}{sum(v[0] for v in STATS.values()):>8}")
    return "\n".join(lines)


if __name__ == "__main__":
    fails = []
    for c in CASES:
        try:
            test_holdout_matches_r(c)
        except AssertionError as e:
            fails.append(f"{c}: {e}")
    print(report())
    print("\n".join(fails) if fails else "all cases agree with R at rel 1e-4")
