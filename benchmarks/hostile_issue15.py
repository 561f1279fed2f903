"""The hostile and careless inputs of issue 15, each run through the command line as a user runs
it (a separate process, 60 s limit), classified as: a clean refusal (exit 2, one line on stderr
naming the file), a result that is right (exit 0 and the check passes: the flag, warning or null
that the issue asks for), a crash (any other exit, a traceback or "internal error"), a hang (the
limit reached) or a silent wrong answer (exit 0 where a refusal or a flag was due).

Run: .venv/bin/python benchmarks/hostile_issue15.py [--big]   (--big adds the 1 GB zip bomb and
the 50 MB name; a few minutes)
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 60.0
HEAD = "trial,endpoint,arm,role,n,median,hr,hr_lower,hr_upper\n"
EXP = "CLEOPATRA,OS,Pertuzumab,experimental,402,56.5,0.68,0.56,0.84\n"
CTL = "CLEOPATRA,OS,Placebo,control,406,40.8,,,\n"
COLS = ("--time", "time", "--event", "event", "--arm", "arm")   # main needed them


def cli(*args) -> tuple[int | None, str, str, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    t0 = time.monotonic()
    try:
        r = subprocess.run([sys.executable, "-m", "evidencegui", *map(str, args)], env=env,
                           capture_output=True, text=True, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        return None, "", "", time.monotonic() - t0
    return r.returncode, r.stdout, r.stderr, time.monotonic() - t0


def xlsx(path: Path, rows, error_cell=None, error="#N/A"):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    if error_cell:
        ws[error_cell].value = error
        ws[error_cell].data_type = "e"
    wb.save(path)


def rewrite_sheet(path: Path, fn):
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = fn(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)


def project(path: Path, mutate=None, name="T", n=2):
    from evidencegui.core.model import Arm, Endpoint, PatientData, Project, Trial
    from evidencegui.io.project_file import dumps_project
    pr = Project(trials=[Trial(name, [Endpoint("OS", [
        Arm("A", "control", median=10.0, patients=PatientData([1.0 + k for k in range(n)],
                                                              [k % 2 for k in range(n)])),
        Arm("B", median=14.0, hr=0.7, hr_lower=0.5, hr_upper=0.9,
            patients=PatientData([1.5 + k for k in range(n)], [1 - k % 2 for k in range(n)]))])])])
    doc = json.loads(dumps_project(pr))
    if mutate:
        mutate(doc)
    path.write_text(json.dumps(doc, ensure_ascii=True))
    return path


def pat(doc):
    return doc["project"]["trials"][0]["endpoints"][0]["arms"][0]["patients"]


def cases(d: Path, big: bool):
    """(family, name, argv, expected): expected "refuse" or a check(rc, out, err) -> bool."""
    out = []

    def add(family, name, argv, expected):
        out.append((family, name, argv, expected))

    # report: control rows that cannot be found
    for name, row in (("endpoint typed Os", CTL.replace(",OS,", ",Os,")),
                      ("mistyped trial", CTL.replace("CLEOPATRA", "CLEOPATR")),
                      ("control typed experimental", CTL.replace("control", "experimental")),
                      ("control row missing", "")):
        f = d / f"ctl_{len(out)}.csv"
        f.write_text(HEAD + EXP + row)
        add("report: control row missing or mismatched", name, ["report", f, "--json"], "refuse")
    # Excel error cells and formulas
    for err in ("#N/A", "#VALUE!", "#REF!", "#DIV/0!"):
        f = d / f"err_{len(out)}.xlsx"
        xlsx(f, [HEAD.strip().split(","), EXP.strip().split(","), CTL.strip().split(",")], "F2",
             err)
        add("XLSX error cells / formulas without values", f"summary {err}", ["report", f, "--json"],
            "refuse")
        g = d / f"perr_{len(out)}.xlsx"
        xlsx(g, [["time", "event", "arm"], [1, 1, "A"], [2, 0, "B"], [3, 1, "A"]], "A3", err)
        add("XLSX error cells / formulas without values", f"patients {err}",
            ["analyze", g, "--control", "A", *COLS], "refuse")
    f = d / "formula.xlsx"
    xlsx(f, [HEAD.strip().split(","), EXP.strip().split(",")[:5] + ["=40+16.5", 0.68, 0.56, 0.84],
             CTL.strip().split(",")])
    add("XLSX error cells / formulas without values", "summary formula", ["report", f], "refuse")
    g = d / "pformula.xlsx"
    xlsx(g, [["time", "event", "arm"], [1, 1, "A"], ["=1+1", 0, "B"], [3, 1, "B"]])
    add("XLSX error cells / formulas without values", "patients formula",
        ["analyze", g, "--control", "A", *COLS], "refuse")
    # extra fields and NUL bytes
    for name, raw in (("extra field", b"time,event,arm\n1,1,A\n0.37,1,B, 5 mg\n2,0,A\n3,1,B\n"),
                      ("NUL in a time", b"time,event,arm\n1,1,A\n9\x00.5,1,B\n2,0,A\n3,1,B\n"),
                      ("NUL in a label",
                       b"time,event,arm\n1,1,A\n9,1,Plac\x00ebo\n2,0,A\n3,1,B\n")):
        f = d / f"pt_{len(out)}.csv"
        f.write_bytes(raw)
        add("extra fields, NUL bytes", name, ["analyze", f, "--control", "A", *COLS], "refuse")
    # plausibility
    c = d / "curve.csv"
    c.write_text("".join(f"{t}, {0.97 ** t:.4f}\n" for t in range(0, 31, 2)))
    n = d / "nar4020.csv"
    n.write_text("time,curve\n0,4020\n10,280\n20,190\n30,120\n")
    add("plausibility", "number at risk 4020 for 402",
        ["reconstruct", c, "--at-risk", n, "--out", d / "o1.csv", "--json"],
        lambda rc, o, e: rc == 0 and any("out of line" in w
                                         for w in json.loads(o)["arms"][0]["warnings"]))
    c2 = d / "curve16.csv"
    c2.write_text("0, 1.0\n2, 0.95\n4, 1.6\n6, 0.8\n8, 0.7\n10, 0.6\n")
    n2 = d / "nar.csv"
    n2.write_text("time,curve16\n0,100\n5,80\n")
    add("plausibility", "one survival 1.6 in a 0-1 curve",
        ["reconstruct", c2, "--at-risk", n2, "--out", d / "o2.csv"], "refuse")
    # median gain null
    m7 = d / "m7.csv"
    m7.write_text(HEAD + "MONALEESA-7,OS,Ribociclib,experimental,335,,0.71,0.54,0.95\n"
                  "MONALEESA-7,OS,Placebo,control,337,40.9,,,\n")
    add("median gain where a median is not reached", "MONALEESA-7 pattern",
        ["report", m7, "--json"],
        lambda rc, o, e: rc == 0 and json.loads(o)["comparisons"][0]["median_gain"] is None
        and json.loads(o)["comparisons"][0]["median_gain_estimated"] is not None)
    # export crashes
    for name, mut in (("event coded 2", lambda doc: pat(doc)["event"].__setitem__(0, 2)),
                      ("time and event of different lengths",
                       lambda doc: pat(doc)["time"].append(9.0)),
                      ("negative time", lambda doc: pat(doc)["time"].__setitem__(0, -1.0)),
                      ("unknown ci_method",
                       lambda doc: doc["project"].__setitem__("ci_method", "x")),
                      ("lone surrogate in a name",
                       lambda doc: doc["project"]["trials"][0].__setitem__("name", "T\ud800"))):
        f = project(d / f"p{len(out)}.evidence.json", mut)
        add("export of an invalid project", name,
            ["export", f, "--png", d / f"x{len(out)}.png", "--xlsx", d / f"x{len(out)}.xlsx"],
            "refuse")
    f = d / "ratio.csv"
    f.write_text(HEAD + "T,OS,A,experimental,10,1e300,,,\nT,OS,B,control,10,1e-300,,,\n")
    add("export of an invalid project", "median ratio 1e300 / 1e-300",
        ["export", f, "--xlsx", d / "r.xlsx"], "refuse")
    add("export of an invalid project", "median ratio 1e300 / 1e-300 (report)",
        ["report", f, "--json"], "refuse")
    # bombs and devices
    b = d / "laughs.xlsx"
    xlsx(b, [["time", "event", "arm"], [1, 1, "A"], [2, 0, "B"]])
    ents = b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + k]), (b"&" + bytes([97 + k]) + b";") * 10)
                    for k in range(8))
    rewrite_sheet(b, lambda x: (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                                + ents + b"]>" + x.split(b"?>", 1)[-1]))
    add("bombs, devices, limits", "XLSX billion laughs (analyze)",
        ["analyze", b, "--control", "A", *COLS], "refuse")
    add("bombs, devices, limits", "XLSX billion laughs (report)", ["report", b], "refuse")
    z = d / "zip.xlsx"
    xlsx(z, [["time", "event", "arm"], [1, 1, "A"]])
    size = 1_200_000_000 if big else 80_000_000
    rewrite_sheet(z, lambda x: b"<x>" + b" " * size + b"</x>")
    add("bombs, devices, limits", f"XLSX unpacking to {size / 1e6:.0f} MB",
        ["analyze", z, "--control", "A", *COLS], "refuse")
    add("bombs, devices, limits", "analyze /dev/zero",
        ["analyze", "/dev/zero", "--control", "A", *COLS], "refuse")
    n9 = d / "nar9.csv"
    n9.write_text("time,curve\n0,1000000000\n")
    add("bombs, devices, limits", "reconstruct with 10^9 at risk",
        ["reconstruct", c, "--at-risk", n9, "--out", d / "o3.csv"], "refuse")
    for mb in ((1, 50) if big else (1,)):
        f = project(d / f"long{mb}.evidence.json", name="N" * (mb * 1_000_000))
        add("bombs, devices, limits", f"{mb} MB trial name (export)",
            ["export", f, "--xlsx", d / f"long{mb}.xlsx"], "refuse")
    s = d / "longname.csv"
    s.write_text(HEAD + EXP.replace("Pertuzumab", "P" * 1_000_000) + CTL)
    add("bombs, devices, limits", "1 MB arm label (summary)", ["report", s], "refuse")
    # left behind: stale temp files of a killed save are removed by the next save
    stale = d / ".keep.evidence.json.abcdefgh.tmp"
    keep = project(d / "keep.evidence.json")
    stale.write_bytes(b"x" * 1000)
    os.utime(stale, (time.time() - 3600,) * 2)
    add("left behind", "stale temp file beside a project (report opens it)",
        ["report", keep, "--json"], lambda rc, o, e: rc == 0 and not stale.exists())
    # unclear or inconsistent
    u = d / "utf16.csv"
    u.write_bytes((HEAD + EXP + CTL).encode("utf-16"))
    add("unclear messages", "UTF-16 summary CSV", ["report", u, "--json"],
        lambda rc, o, e: rc == 0 and len(json.loads(o)["comparisons"]) == 1)
    bl = d / "blank.csv"
    bl.write_text("  \n  \n\n")
    add("unclear messages", "file of blank lines", ["analyze", bl, "--control", "A", *COLS],
        lambda rc, o, e: rc == 2 and "only blank lines" in e and "'  '" not in e)
    # reconstruct: no silent drops, medians and follow-up the figure supports
    w = d / "wpd.csv"
    w.write_text("Pembrolizumab, Q2W,,Pembrolizumab, Q3W,,Ipilimumab,\nX,Y,X,Y,X,Y\n"
                 "0,1,0,1,0,1\n5,0.8,5,0.82,5,0.7\n10,0.7,10,0.71,10,0.6\n")
    wn = d / "wpd_nar.csv"
    wn.write_text('time,"Pembrolizumab, Q2W","Pembrolizumab, Q3W"\n0,100,100\n5,78,80\n')
    add("reconstruct: silent drops", "WPD names with commas, one dataset without numbers at risk",
        ["reconstruct", w, "--at-risk", wn, "--out", d / "o4.csv"], "refuse")
    wn2 = d / "wpd_nar2.csv"
    wn2.write_text('time,"Pembrolizumab, Q2W","Pembrolizumab, Q3W",Ipilimumab\n0,100,100,100\n'
                   '5,78,80,68\n')
    add("reconstruct: silent drops", "WPD names with commas, all three arms",
        ["reconstruct", w, "--at-risk", wn2, "--out", d / "o5.csv", "--json"],
        lambda rc, o, e: rc == 0 and len(json.loads(o)["arms"]) == 3)
    k6 = d / "kn006.csv"
    k6.write_text("0, 1\n2, 0.9\n4, 0.8\n6, 0.72\n8, 0.65\n10, 0.6\n12, 0.56\n14, 0.535\n"
                  "15.4, 0.509\n16, 0.509\n")
    k6n = d / "kn006_nar.csv"
    k6n.write_text("time,kn006\n0,100\n8,50\n14,18\n")
    add("reconstruct: medians and follow-up", "KEYNOTE-006 pattern (clicks stay above 0.509)",
        ["reconstruct", k6, "--at-risk", k6n, "--out", d / "o6.csv", "--json"],
        lambda rc, o, e: rc == 0 and json.loads(o)["arms"][0]["median"] is None)
    f1 = d / "k189.csv"
    f1.write_text("0, 1\n3, 0.85\n6, 0.7\n9, 0.6\n12, 0.5\n15.2, 0.45\n")
    f1n = d / "k189_nar.csv"
    f1n.write_text("time,k189\n0,200\n6,130\n12,80\n20.8,0\n")

    def no_follow_up_past(rc, o, e):
        import csv
        with open(d / "o7.csv", newline="") as fh:
            times = [float(r["time"]) for r in csv.DictReader(fh)]
        return rc == 0 and max(times) <= 15.2 * 1.004 + 1e-9
    add("reconstruct: medians and follow-up", "censoring past the last click (KEYNOTE-189 pattern)",
        ["reconstruct", f1, "--at-risk", f1n, "--out", d / "o7.csv"], no_follow_up_past)
    return out


def classify(expected, rc, out, err) -> str:
    if rc is None:
        return "hangs"
    if rc not in (0, 2) or "internal error" in err or "Traceback" in err:
        return "crashes"
    if expected == "refuse":
        if rc == 2:
            return "clean refusals" if len(err.strip().splitlines()) == 1 else "crashes"
        return "silent wrong answers"
    try:
        ok = expected(rc, out, err)
    except Exception:          # noqa: BLE001 - a check that cannot even read the output
        ok = False
    return ("clean refusals" if rc == 2 else "right results") if ok else "silent wrong answers"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", action="store_true")
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    table: dict[str, Counter] = defaultdict(Counter)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for family, name, argv, expected in cases(Path(tmp), args.big):
            rc, out, err, secs = cli(*argv)
            kind = classify(expected, rc, out, err)
            table[family]["inputs"] += 1
            table[family][kind] += 1
            rows.append({"family": family, "case": name, "outcome": kind, "exit": rc,
                         "seconds": round(secs, 1), "stderr": err.strip()[:300]})
            print(f"{kind:22s} {secs:5.1f}s  {family}: {name}\n    {err.strip()[:200]}")
    cols = ["inputs", "clean refusals", "right results", "crashes", "hangs", "silent wrong answers"]
    print("\n| family | " + " | ".join(cols) + " |\n|---|" + "---|" * len(cols))
    for fam, c in table.items():
        print(f"| {fam} | " + " | ".join(str(c[k]) for k in cols) + " |")
    tot = sum(table.values(), Counter())
    print("| total | " + " | ".join(str(tot[k]) for k in cols) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0 if tot["crashes"] + tot["hangs"] + tot["silent wrong answers"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
