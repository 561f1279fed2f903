"""The slides read back with python-pptx: 16:9, one slide per trial and endpoint, own boxes."""
import pytest
from pptx import Presentation
from pptx.util import Emu, Inches

from evidencegui.io.pptx_writer import table_rows, write_slides
from test_xlsx_writer_data import EXP, HOSTILE, cleopatra, hostile, png, with_landmarks


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    d = tmp_path_factory.mktemp("pptx")
    p = write_slides(with_landmarks(cleopatra()), d / "c.pptx",
                     {("CLEOPATRA", "OS"): png(300, 200)})
    return Presentation(p)


def _texts(slide):
    out = []
    for sh in slide.shapes:
        if sh.has_text_frame:
            out.append(sh.text_frame.text)
        if sh.has_table:
            out += [c.text for r in sh.table.rows for c in r.cells]
    return out


def test_size_and_slides(deck):
    assert abs(deck.slide_width - Inches(13.333)) < Inches(0.01)
    assert deck.slide_height == Inches(7.5)
    assert len(deck.slides) == 3                       # title + OS + PFS
    assert "CLEOPATRA — OS (primary endpoint)" in _texts(deck.slides[1])


def test_every_shape_inside_the_slide_and_fonts_set(deck):
    for s in deck.slides:
        assert not [sh for sh in s.shapes if sh.is_placeholder]
        for sh in s.shapes:
            assert sh.left >= 0 and sh.top >= 0
            assert sh.left + sh.width <= deck.slide_width and sh.top + sh.height <= deck.slide_height
            frames = [sh.text_frame] if sh.has_text_frame else (
                [c.text_frame for r in sh.table.rows for c in r.cells] if sh.has_table else [])
            for tf in frames:
                for para in tf.paragraphs:
                    for run in para.runs:
                        assert run.font.size is not None and run.font.size.pt >= 8
                        assert run.font.name


def test_table_content_and_widths(deck):
    s = deck.slides[1]
    tables = [sh for sh in s.shapes if sh.has_table]
    pics = [sh for sh in s.shapes if sh.shape_type == 13]
    assert len(tables) == 1 and len(pics) == 1
    t = tables[0].table
    assert sum(c.width for c in t.columns) <= tables[0].width + Emu(10)
    cells = {t.cell(i, 0).text: t.cell(i, 1).text for i in range(1, len(t.rows))}
    assert cells["Median gain"].startswith("+15.7 mo")
    assert cells["HR (95% CI)"] == "0.68 (0.56–0.84)"
    assert cells["p-value"] == "0.0002"
    assert cells["Survival at 24 mo"].startswith("+10.0 pts (NNT 10)")
    assert cells["ESMO-MCBS"].startswith("4")
    assert t.cell(0, 1).text.replace("\u200b", "") == EXP
    foot = [x for x in _texts(s) if x.startswith("Source:")]
    assert foot and "Method:" in foot[0]


def test_hostile_text_verbatim(tmp_path):
    prs = Presentation(write_slides(hostile(), tmp_path / "h.pptx", {}))
    allt = " ".join(x.replace("\u200b", "") for s in prs.slides for x in _texts(s))
    for h in HOSTILE:
        assert h in allt


def test_table_rows_estimated_gain_when_not_reached():
    p = cleopatra()
    os_ = p.trials[0].endpoints[0]
    a = os_.arm(EXP)
    a.median, a.median_not_reached, a.median_lower = None, True, None
    from evidencegui.io.xlsx_writer import comparisons_by_arm
    _, rows = table_rows(p, p.trials[0], os_, comparisons_by_arm(p))
    d = {r[0]: r[1] for r in rows}
    assert d["Median, experimental"] == "not reached"
    # 40.8 / 0.68 − 40.8 = 19.2
    assert d["Median gain"].startswith("≈ +19.2 mo (estimated from the HR)")
