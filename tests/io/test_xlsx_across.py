"""The "Across trials" and "Forest" sheets through LibreOffice: every formula recalculates with no
error value and equals core.pooling / core.across (whose numbers are checked against R's metafor
in tests/core); hostile names stay text."""
import math
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from evidencegui.core.across import indirect_comparisons
from evidencegui.core.across import forest_studies
from evidencegui.core.pooling import pool
from evidencegui.io.xlsx_writer import build_workbook, write_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
import across_projects as ap  # noqa: E402

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ERRORS = ("#VALUE!", "#NAME?", "#DIV/0!", "#REF!", "#NUM!", "#N/A", "#NULL!", "Err:")


def _hostile():
    p = ap.her2()
    p.trials[1].name = "=HYPERLINK(\"http://x\",\"PHILA\")"
    p.trials[1].endpoints[0].arms[1].label = "+cmd|' /C calc'!A0"
    return p


def test_sheets_only_with_two_trials():
    one = ap.cdk46()
    one.trials = one.trials[:1]
    assert "Forest" not in build_workbook(one).sheetnames
    wb = build_workbook(ap.cdk46())
    assert {"Across trials", "Forest"} <= set(wb.sheetnames)


def test_user_text_is_never_a_formula():
    wb = build_workbook(_hostile())
    for name in ("Across trials", "Forest"):
        for row in wb[name].iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith(("=HYPERLINK", "+cmd")):
                    assert c.data_type == "s", (name, c.coordinate)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    d = tmp_path_factory.mktemp("lo_across")
    src, out = d / "src", d / "out"
    src.mkdir()
    out.mkdir()
    projects = {"cdk46": ap.cdk46(), "her2": ap.her2(), "hostile": _hostile()}
    for name, p in projects.items():
        write_workbook(p, src / f"{name}.xlsx")
    r = subprocess.run([SOFFICE, f"-env:UserInstallation={(d / 'profile').as_uri()}", "--headless",
                        "--convert-to", "xlsx", "--outdir", str(out)]
                       + [str(src / f"{n}.xlsx") for n in projects], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    return projects, {n: openpyxl.load_workbook(out / f"{n}.xlsx", data_only=True) for n in projects}


def _find(ws, label, col=1, start=1):
    for r in range(start, ws.max_row + 1):
        if ws.cell(r, col).value == label:
            return r
    raise AssertionError(label)


def test_no_error_values(recalculated):
    _, books = recalculated
    for name, wb in books.items():
        for sheet in ("Across trials", "Forest"):
            for row in wb[sheet].iter_rows():
                for c in row:
                    if isinstance(c.value, str):
                        assert not c.value.startswith(ERRORS), (name, sheet, c.coordinate, c.value)


@pytest.mark.parametrize("name", ["cdk46", "her2"])
def test_fixed_effect_formulas_equal_core_pooling(recalculated, name):
    projects, books = recalculated
    ws = books[name]["Forest"]
    res = pool(forest_studies(projects[name], "PFS")[0], "REML")
    v = lambda label: ws.cell(_find(ws, label), 2).value  # noqa: E731
    assert v("HR") == pytest.approx(res.fixed.hr, rel=1e-7)
    assert v("Lower 95%") == pytest.approx(res.fixed.hr_ci[0], rel=1e-7)
    assert v("Upper 95%") == pytest.approx(res.fixed.hr_ci[1], rel=1e-7)
    assert v("SE of log HR") == pytest.approx(res.fixed.se, rel=1e-7)
    assert v("p (two-sided)") == pytest.approx(res.fixed.p, rel=1e-5)
    assert v("Cochran's Q") == pytest.approx(res.heterogeneity.q, rel=1e-6, abs=1e-9)
    assert v("df") == res.heterogeneity.df
    assert v("p of Q") == pytest.approx(res.heterogeneity.p, rel=1e-6)
    assert v("I²") == pytest.approx(res.heterogeneity.i2, abs=1e-9)
    first = _find(ws, "Study") + 1
    for k, wsd in enumerate(res.studies):
        assert ws.cell(first + k, 1).value == wsd.study.name
        assert ws.cell(first + k, 8).value == pytest.approx(wsd.weight_fixed, rel=1e-7)
        assert ws.cell(first + k, 6).value == pytest.approx(wsd.study.se, rel=1e-7)
    # random effects: numbers with the method named
    rnd = _find(ws, "Random effects (REML), computed by EvidenceGUI (numbers)")
    assert ws.cell(_find(ws, "HR", start=rnd), 2).value == pytest.approx(res.random.hr, rel=1e-12)
    assert ws.cell(_find(ws, "τ² (between-trial variance)"), 3).value.startswith("REML")


def test_bucher_formulas_equal_core(recalculated):
    projects, books = recalculated
    ws = books["her2"]["Across trials"]
    ic = indirect_comparisons(projects["her2"])[0]
    r = _find(ws, "Endpoint", start=_find(ws, "Trial") + 1) + 1
    assert ws.cell(r, 2).value == ic.trial_a
    assert ws.cell(r, 11).value == pytest.approx(ic.hr, rel=1e-7)
    assert ws.cell(r, 12).value == pytest.approx(ic.hr_ci[0], rel=1e-7)
    assert ws.cell(r, 13).value == pytest.approx(ic.hr_ci[1], rel=1e-7)
    assert ws.cell(r, 14).value == pytest.approx(ic.hr_se, rel=1e-7)
    assert ws.cell(r, 15).value == pytest.approx(ic.p, rel=1e-5)
    # independent check: 0.68 / 0.41 and the SEs from the published CIs
    se = math.hypot((math.log(0.80) - math.log(0.58)) / 3.919928, (math.log(0.53) - math.log(0.32)) / 3.919928)
    assert ws.cell(r, 11).value == pytest.approx(0.68 / 0.41, rel=1e-12)
    assert ws.cell(r, 14).value == pytest.approx(se, rel=1e-6)


def test_hostile_names_are_text_after_recalculation(recalculated):
    _, books = recalculated
    ws = books["hostile"]["Across trials"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "=HYPERLINK(\"http://x\",\"PHILA\")" in values
    assert "+cmd|' /C calc'!A0" in values
