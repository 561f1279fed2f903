"""The workbook through LibreOffice: it recalculates every formula with no error value, the
results equal independent computations (published CLEOPATRA numbers, scipy's normal quantile)
and the program's own numbers, and hostile text is still text afterwards."""
import math
import shutil
import subprocess

import openpyxl
import pytest
from scipy.stats import norm

from evidencegui.io.xlsx_writer import write_workbook
from test_xlsx_writer_data import EXP, HOSTILE, cleopatra, hostile, png, with_landmarks

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
ERRORS = ("#VALUE!", "#NAME?", "#DIV/0!", "#REF!", "#NUM!", "#N/A", "#NULL!", "Err:")


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    d = tmp_path_factory.mktemp("lo")
    src = d / "src"
    out = d / "out"
    src.mkdir()
    out.mkdir()
    proj = with_landmarks(cleopatra(patients=True))
    write_workbook(proj, src / "cleopatra.xlsx", {("CLEOPATRA", "OS"): png()})
    write_workbook(hostile(), src / "hostile.xlsx")
    profile = (d / "profile").as_uri()       # own profile: parallel and CI runs do not clash
    r = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", "xlsx", "--outdir", str(out),
                        str(src / "cleopatra.xlsx"), str(src / "hostile.xlsx")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return proj, {n: openpyxl.load_workbook(out / f"{n}.xlsx", data_only=True)
                  for n in ("cleopatra", "hostile")}


def _row(ws, label, start=1):
    for r in range(start, ws.max_row + 1):
        if ws.cell(r, 1).value == label:
            return r
    raise AssertionError(label)


def test_no_error_values_anywhere(recalculated):
    _, books = recalculated
    for name, wb in books.items():
        for ws in wb:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str):
                        assert not c.value.startswith(ERRORS), (name, ws.title, c.coordinate, c.value)


def test_formulas_give_the_published_numbers(recalculated):
    _, books = recalculated
    ws = books["cleopatra"]["Comparison"]
    v = lambda label: ws.cell(_row(ws, label), 4).value  # noqa: E731  (experimental column)
    assert v("Median gain") == pytest.approx(56.5 - 40.8, abs=1e-9)          # 15.7
    assert v("Ratio of medians") == pytest.approx(56.5 / 40.8, rel=1e-12)     # 1.385
    assert v("Relative reduction in hazard") == pytest.approx(0.32, abs=1e-12)
    se = (math.log(0.84) - math.log(0.56)) / (2 * norm.ppf(0.975))
    assert v("SE of log HR, from the 95% CI") == pytest.approx(se, rel=1e-9)   # 0.1034
    assert v("SE of log HR, from the p-value") == pytest.approx(
        abs(math.log(0.68)) / norm.ppf(1 - 0.0002 / 2), rel=1e-9)
    assert v("Survival difference at 24 months") == pytest.approx(0.10, abs=1e-12)
    assert v("NNT at 24 months") == 10            # 1/0.1 exactly 10, not 11 from rounding noise
    assert v("Median gain, estimated from the HR") in (None, "")   # the median was reached
    assert ws.cell(_row(ws, "Median gain"), 3).value is None      # control column stays blank
    # PFS block (no CI of the medians, no landmarks): gain 6.3, no error from blank inputs
    pfs = _row(ws, "CLEOPATRA — PFS")
    assert ws.cell(_row(ws, "Median gain", pfs), 4).value == pytest.approx(18.7 - 12.4, abs=1e-9)
    assert ws.cell(_row(ws, "SE of log HR, from the p-value", pfs), 4).value in (None, "")


def test_formulas_match_the_program(recalculated):
    proj, books = recalculated
    effects = pytest.importorskip("evidencegui.core.effects")
    c = next(x for x in effects.compare_project(proj) if x.endpoint == "OS" and x.arm == EXP)
    ws = books["cleopatra"]["Comparison"]
    v = lambda label: ws.cell(_row(ws, label), 4).value  # noqa: E731
    assert v("Median gain") == pytest.approx(c.median_gain, abs=1e-9)
    assert v("Ratio of medians") == pytest.approx(c.median_ratio, rel=1e-9)
    assert v("Relative reduction in hazard") == pytest.approx(c.relative_reduction, abs=1e-12)
    assert v("SE of log HR, from the 95% CI") == pytest.approx(c.hr_se, rel=1e-6)
    lm = c.landmark(24)
    assert v("Survival difference at 24 months") == pytest.approx(lm.difference, abs=1e-12)
    assert v("NNT at 24 months") == lm.nnt


def test_estimated_gain_when_not_reached(tmp_path):
    p = cleopatra()
    a = p.trials[0].endpoints[0].arm(EXP)
    a.median, a.median_not_reached = None, True
    write_workbook(p, tmp_path / "nr.xlsx")
    r = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'prof').as_uri()}",
                        "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path / "o"),
                        str(tmp_path / "nr.xlsx")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(tmp_path / "o" / "nr.xlsx", data_only=True)["Comparison"]
    assert ws.cell(_row(ws, "Median gain, estimated from the HR"), 4).value == pytest.approx(
        40.8 / 0.68 - 40.8, rel=1e-12)                                       # 19.2
    assert ws.cell(_row(ws, "Median gain"), 4).value in (None, "")
    assert ws.cell(_row(ws, "Ratio of medians"), 4).value in (None, "")


def test_hostile_text_is_still_text_after_libreoffice(recalculated):
    _, books = recalculated
    values = {c.value for ws in books["hostile"] for row in ws.iter_rows() for c in row
              if isinstance(c.value, str)}
    for h in HOSTILE:
        assert h in values, h
    assert "y" not in values and 2 not in values


def test_the_gain_reads_as_in_the_window_and_slides(tmp_path):
    """What LibreOffice shows in the Comparison sheet (its CSV export writes the cells as shown):
    the median gain signed, '+15.7', as io.format.fmt_gain writes it in the window and slides."""
    import csv

    from evidencegui.io import format as fmt
    write_workbook(cleopatra(), tmp_path / "c.xlsx")
    profile = (tmp_path / "profile").as_uri()
    r = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path / "o"),
                        str(tmp_path / "c.xlsx")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader((tmp_path / "o" / "c.csv").read_text(encoding="utf-8").splitlines()))
    gain = next(row for row in rows if row and row[0] == "Median gain")
    assert fmt.fmt_gain(56.5 - 40.8) == "+15.7" and "+15.7" in gain, gain
