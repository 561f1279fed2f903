"""`evidencegui export`: files written, exit 2 with one message on bad input."""
import argparse
import importlib
import io
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io"))
from test_xlsx_writer_data import HOSTILE, cleopatra, hostile  # noqa: E402

from evidencegui.core.errors import InputError  # noqa: E402

project_file = pytest.importorskip("evidencegui.io.project_file")


def _has_figure() -> bool:
    try:
        importlib.import_module("evidencegui.ui.figure")
        return True
    except ImportError:
        return False


def cli(argv, capsys):
    """The real dispatcher when every sub-command exists; else export alone, same error rules."""
    try:
        from evidencegui.cli import SUBCOMMANDS, main
        for name in SUBCOMMANDS:
            importlib.import_module(f"evidencegui.cli.{name}")
    except ImportError:
        from evidencegui.cli import export

        def main(a):
            p = argparse.ArgumentParser()
            export.add_arguments(p)
            try:
                return export.run(p.parse_args(a[1:]))
            except InputError as e:
                sys.stderr.write(f"evidencegui export: {e}\n")
                return 2
    rc = main(argv)
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture
def proj_path(tmp_path):
    p = tmp_path / "cleopatra.evidence.json"
    project_file.save_project(cleopatra(), p)
    return p


def test_writes_workbook_and_slides(proj_path, tmp_path, capsys):
    x, s = tmp_path / "o.xlsx", tmp_path / "o.pptx"
    rc, out, err = cli(["export", str(proj_path), "--xlsx", str(x), "--pptx", str(s), "--json"], capsys)
    assert rc == 0, err
    doc = json.loads(out)
    assert [f["kind"] for f in doc["files"]] == ["xlsx", "pptx"]
    wb = openpyxl.load_workbook(x)
    assert wb.sheetnames[0] == "Comparison"
    prov = "\n".join(str(c.value) for r in wb["Provenance"].iter_rows() for c in r if c.value)
    from evidencegui.io.provenance import sha256_file
    assert sha256_file(proj_path) in prov
    assert len(Presentation(s).slides) == 3
    if _has_figure():
        assert len(wb["Figure"]._images) == 2


def test_png_and_svg(proj_path, tmp_path, capsys):
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    rc, _, err = cli(["export", str(proj_path), "--png", str(png), "--svg", str(svg), "--dpi", "100",
                      "--trial", "CLEOPATRA", "--endpoint", "PFS"], capsys)
    assert rc == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image
    with Image.open(png) as im:
        assert im.size == (800, 550)            # the default 8 × 5.5 inches at 100 dpi
        assert round(im.info["dpi"][0]) == 100
        lo, hi = im.convert("L").getextrema()
        assert lo < 100 and hi == 255           # ink on a white page
    assert b"<svg" in svg.read_bytes()[:2000]
    root = ET.fromstring(svg.read_bytes())
    # text is drawn as outlines (every renderer alike); each outline keeps its words as a label
    texts = " ".join(p.get("aria-label") or "" for p in root.iter("{http://www.w3.org/2000/svg}path"))
    assert "PFS" in texts and "Number at risk" in texts


def test_pdf_and_style(tmp_path, proj_path, capsys):
    pdf = tmp_path / "fig.pdf"
    rc, _, err = cli(["export", str(proj_path), "--pdf", str(pdf), "--style", "journal",
                      "--trial", "CLEOPATRA", "--endpoint", "OS"], capsys)
    assert rc == 0, err
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and (b"/FontFile2" in data or b"/FontFile" in data)  # fonts embedded
    rc, _, err = cli(["export", str(proj_path), "--pdf", str(pdf), "--style", "bold"], capsys)
    assert rc == 2


def test_the_example_through_the_installed_command(tmp_path):
    """`evidencegui export EXAMPLE --png --svg --xlsx --pptx` in a fresh process: every file, and the
    workbook and the slides carry the figure."""
    from evidencegui.resources import resource
    ex = resource("examples", "cleopatra.evidence.json")
    out = {k: tmp_path / f"x.{k}" for k in ("png", "svg", "xlsx", "pptx")}
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    cmd = [sys.executable, "-m", "evidencegui", "export", str(ex)]
    for k, p in out.items():
        cmd += [f"--{k}", str(p)]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    elapsed = time.perf_counter() - t0
    assert r.returncode == 0, r.stderr
    assert all(p.stat().st_size > 1000 for p in out.values())
    from PIL import Image
    with Image.open(out["png"]) as im:
        assert im.size == (2400, 1650)          # 300 dpi by default
    ET.fromstring(out["svg"].read_bytes())
    wb = openpyxl.load_workbook(out["xlsx"])
    endpoints = sum(len(t.endpoints) for t in project_file.load_project(ex).trials)
    assert endpoints == 3                        # CLEOPATRA OS and PFS, PHILA PFS
    assert len(wb["Figure"]._images) == endpoints
    pics = [sh for slide in Presentation(out["pptx"]).slides for sh in slide.shapes
            if sh.shape_type == 13]              # MSO_SHAPE_TYPE.PICTURE
    assert len(pics) == endpoints + 1            # + the PFS forest plot (CLEOPATRA and PHILA)
    with Image.open(io.BytesIO(pics[0].image.blob)) as im:
        # drawn at 1/1.3 of the slide's figure box at 150 × 1.3 dpi: 150 dpi once on the slide
        from evidencegui.io.pptx_writer import FIGURE_SCALE, FIGURE_SIZE_IN
        dpi = round(150 * FIGURE_SCALE)
        assert im.size == (round(FIGURE_SIZE_IN[0] * dpi), round(FIGURE_SIZE_IN[1] * dpi))
    assert elapsed < 60


def test_hostile_project_through_the_command(tmp_path, capsys):
    p = tmp_path / "h.evidence.json"
    project_file.save_project(hostile(), p)
    rc, _, err = cli(["export", str(p), "--xlsx", str(tmp_path / "h.xlsx")], capsys)
    assert rc == 0, err
    wb = openpyxl.load_workbook(tmp_path / "h.xlsx")
    cells = [c for ws in wb for r in ws.iter_rows() for c in r if c.value in HOSTILE]
    assert {c.value for c in cells} == set(HOSTILE)
    assert all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("extra, needle", [
    ([], "nothing to write"),
    (["--png", "X/none/f.png"], "does not exist"),
    (["--png", "f.png", "--trial", "NOPE"], "no trial named 'NOPE'"),
    (["--png", "f.png", "--endpoint", "DFS"], "no endpoint 'DFS'"),
    (["--xlsx", "o.xlsx", "--dpi", "5"], "--dpi"),
])
def test_bad_input_exit_2(proj_path, tmp_path, capsys, monkeypatch, extra, needle):
    monkeypatch.chdir(tmp_path)
    rc, out, err = cli(["export", str(proj_path)] + extra, capsys)
    assert rc == 2
    assert needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_and_wrong_files_exit_2(tmp_path, capsys):
    rc, _, err = cli(["export", str(tmp_path / "none.evidence.json"), "--xlsx", "o.xlsx"], capsys)
    assert rc == 2 and "no such file" in err
    bad = tmp_path / "p.doc"
    bad.write_text("x")
    rc, _, err = cli(["export", str(bad), "--xlsx", "o.xlsx"], capsys)
    assert rc == 2 and "expected a project file" in err


def test_summary_table_input(tmp_path, capsys):
    pytest.importorskip("evidencegui.io.summary")
    csv = tmp_path / "s.csv"
    csv.write_text(
        "trial,endpoint,arm,role,n,events,median,median_lower,median_upper,hr,hr_lower,hr_upper,p_value,surv_24m\n"
        "CLEOPATRA,OS,Placebo+Trastuzumab+Docetaxel,control,406,221,40.8,35.8,48.3,,,,,27%\n"
        "CLEOPATRA,OS,Pertuzumab+Trastuzumab+Docetaxel,experimental,402,168,56.5,49.3,,0.68,0.56,0.84,0.0002,37%\n",
        encoding="utf-8")
    x = tmp_path / "s.xlsx"
    rc, _, err = cli(["export", str(csv), "--xlsx", str(x)], capsys)
    assert rc == 0, err
    ws = openpyxl.load_workbook(x)["Comparison"]
    vals = [c.value for r in ws.iter_rows() for c in r]
    assert 56.5 in vals and 40.8 in vals and "not reached" in vals


def test_bundled_example_exports(tmp_path, capsys):
    from evidencegui.resources import resource
    ex = resource("examples", "cleopatra.evidence.json")
    if not ex.exists():
        pytest.skip("the example project is not in the tree")
    rc, _, err = cli(["export", str(ex), "--xlsx", str(tmp_path / "e.xlsx"),
                      "--pptx", str(tmp_path / "e.pptx")], capsys)
    assert rc == 0, err
    assert openpyxl.load_workbook(tmp_path / "e.xlsx").sheetnames[0] == "Comparison"
