"""The slides read back with python-pptx: 16:9, a title slide and one slide per comparison, the
result in words, no text below 14 pt, no text overflowing its box (measured independently with
the DejaVu Sans metrics LibreOffice uses here), no overlapping boxes, no slide without data."""

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu, Inches

from evidencegui.core.model import Arm, Endpoint, PatientData, Project, Trial
from evidencegui.io.pptx_writer import plan_slides, table_rows, write_slides
from test_xlsx_writer_data import EXP, HOSTILE, cleopatra, hostile, png, with_landmarks

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


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
    return [x.replace("\u200b", "") for x in out]


def _comparison_slides(prs):
    """The comparison slides (their notes start with the method); across-trials slides follow."""
    return [s for s in prs.slides if s.has_notes_slide
            and s.notes_slide.notes_text_frame.text.startswith("Method:")]


def _table(slide):
    t = [sh for sh in slide.shapes if sh.has_table][0].table
    return {t.cell(i, 0).text.replace("\u200b", ""): t.cell(i, 1).text for i in range(len(t.rows))}


# ---------------------------------------------------------------------------- an independent measure
def _font(bold: bool, size: float):
    from PIL import ImageFont
    f = DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if not f.exists():
        pytest.skip("DejaVu Sans is not installed (Debian package fonts-dejavu-core)")
    return ImageFont.truetype(str(f), int(size * 10))     # 10 units a point


def _lines(text: str, size: float, width_pt: float, bold: bool) -> int:
    """Lines after greedy breaking at spaces and zero-width spaces (as LibreOffice does)."""
    font = _font(bold, size)
    n = 0
    for para in text.split("\n"):
        words = [w for w in para.replace("\u200b", "\u200b|").replace(" ", " |").split("|") if w]
        line = ""
        n += 1
        for w in words:
            trial = (line + w).rstrip().replace("\u200b", "")
            if font.getlength(trial) / 10 <= width_pt or not line:
                line += w
                while font.getlength(line.rstrip().replace("\u200b", "")) / 10 > width_pt and len(line) > 1:
                    k = len(line)
                    while k > 1 and font.getlength(line[:k].replace("\u200b", "")) / 10 > width_pt:
                        k -= 1
                    line, n = line[k:], n + 1
            else:
                line, n = w, n + 1
    return n


def _frames(shape):
    """(text frame, width pt, height pt) of a text box, or of each table cell (row height)."""
    if shape.has_text_frame:
        tf = shape.text_frame
        yield tf, (shape.width - tf.margin_left - tf.margin_right) / 12700, \
            (shape.height - tf.margin_top - tf.margin_bottom) / 12700
    elif shape.has_table:
        t = shape.table
        for i, row in enumerate(t.rows):
            for j, cell in enumerate(row.cells):
                yield cell.text_frame, (t.columns[j].width - cell.margin_left - cell.margin_right) / 12700, \
                    (row.height - cell.margin_top - cell.margin_bottom) / 12700


def _check_deck(prs):
    assert abs(prs.slide_width - Inches(13.333)) < Inches(0.01) and prs.slide_height == Inches(7.5)
    for k, s in enumerate(prs.slides):
        assert not [sh for sh in s.shapes if sh.is_placeholder]
        boxes = []
        for sh in s.shapes:
            assert sh.left >= 0 and sh.top >= 0, (k, sh.name)
            assert sh.left + sh.width <= prs.slide_width and sh.top + sh.height <= prs.slide_height, (k, sh.name)
            if sh.has_text_frame or sh.has_table or sh.shape_type == 13:
                boxes.append((sh.left, sh.top, sh.left + sh.width, sh.top + sh.height, sh.name))
            for tf, w_pt, h_pt in _frames(sh):
                size = None
                for para in tf.paragraphs:
                    for run in para.runs:
                        assert run.font.name and run.font.size is not None
                        assert run.font.size.pt >= 14, (k, run.text, run.font.size.pt)
                        size = run.font.size.pt
                        bold = bool(run.font.bold)
                if size is None:
                    continue
                need = _lines(tf.text, size, w_pt, bold) * size * 1.2
                assert need <= h_pt + 0.5, (k, tf.text, need, h_pt)
        for i, a in enumerate(boxes):                  # no two boxes overlap
            for b in boxes[i + 1:]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, (k, a[4], b[4])


# ---------------------------------------------------------------------------- tests
def test_deck_layout(deck):
    assert len(deck.slides) == 3                       # title + OS + PFS
    _check_deck(deck)


def test_headline_states_the_result(deck):
    assert _texts(deck.slides[1])[0] == \
        "Pertuzumab adds 15.7 months of median overall survival; HR 0.68 (0.56–0.84)"
    assert _texts(deck.slides[2])[0].startswith("Pertuzumab adds 6.3 months of median progression-free")


def test_table_content(deck):
    s = deck.slides[1]
    pics = [sh for sh in s.shapes if sh.shape_type == 13]
    assert len(pics) == 1 and pics[0].width >= Inches(7)          # the figure large
    cells = _table(s)
    assert cells["Median, control"] == "40.8 (35.8–48.3)"
    assert cells["Median, experimental"] == "56.5 (49.3–NR)"
    assert cells["Median gain"] == "+15.7"
    assert cells["HR (95% CI)"] == "0.68 (0.56–0.84)"
    assert cells["1 − HR"] == "32%"
    assert cells["Survival at 24 mo"] == "+10.0 pts, NNT 10"
    assert cells["ESMO-MCBS"].startswith("4")
    texts = " ".join(_texts(s))
    assert "events=?" not in texts and "not reported" not in texts and "not stated" not in texts


def test_sources_footnote_and_notes(deck):
    s = deck.slides[1]
    foot = [x for x in _texts(s) if x.startswith("Source:")]
    assert foot == ["Source: NEJM 2015;372:724-34; Swain 2015 NEJM, Fig. 1A"]
    notes = s.notes_slide.notes_text_frame.text
    assert "Method:" in notes and "ESMO-MCBS v1.1: 4" in notes
    title = " ".join(_texts(deck.slides[0]))
    assert "CLEOPATRA example" in title and "Swain 2015 NEJM, Fig. 1A" in title


def test_no_source_no_footnote(tmp_path):
    p = cleopatra()
    p.trials[0].source = ""
    for e in p.trials[0].endpoints:
        for a in e.arms:
            a.source = ""
    prs = Presentation(write_slides(p, tmp_path / "n.pptx", {}))
    assert not [x for s in prs.slides for x in _texts(s) if x.startswith("Source")]


def test_no_slide_for_an_endpoint_without_data(tmp_path):
    p = cleopatra()
    p.trials.append(Trial("PHILA", endpoints=[Endpoint("OS", arms=[Arm("A", role="control"), Arm("B")])]))
    plans, skipped = plan_slides(p)
    assert [(x.trial.name, x.endpoint.name) for x in plans] == [("CLEOPATRA", "OS"), ("CLEOPATRA", "PFS")]
    assert skipped == [("PHILA", "OS", "no reported results and no patient-level data")]
    prs = Presentation(write_slides(p, tmp_path / "s.pptx", {}))
    assert len(_comparison_slides(prs)) == 2


def _reconstructed_only() -> Project:
    p = cleopatra(patients=True)
    os_ = p.trials[0].endpoints[0]
    for a in os_.arms:
        a.median = a.median_lower = a.median_upper = a.hr = a.hr_lower = a.hr_upper = a.p_value = None
        a.events = None
    p.trials[0].endpoints = [os_]
    return p


def test_reconstructed_only_shows_computed_values(tmp_path):
    p = _reconstructed_only()
    prs = Presentation(write_slides(p, tmp_path / "r.pptx", {("CLEOPATRA", "OS"): png(300, 200)}))
    _check_deck(prs)
    s = prs.slides[1]
    cells = _table(s)
    for row in ("Median, control", "Median, experimental", "HR (95% CI)", "Median gain"):
        assert cells[row].endswith("†") and "—" not in cells[row], (row, cells[row])
    assert "RMST difference" in " ".join(cells)
    head = _texts(s)[0]
    assert "HR 0." in head and head.endswith("(reconstructed)")
    assert "not reported" not in " ".join(_texts(s))
    assert any(x.startswith("† from patient data reconstructed") for x in _texts(s))


def test_reported_and_reconstructed_side_by_side(tmp_path):
    p = with_landmarks(cleopatra(patients=True))
    _, rows = table_rows(p, p.trials[0], p.trials[0].endpoints[0],
                         __import__("evidencegui.io.xlsx_writer", fromlist=["x"]).comparisons_by_arm(p))
    d = {r[0]: r[1] for r in rows}
    rep, rec = d["HR (95% CI)"].split("\n")
    assert rep == "0.68 (0.56–0.84)" and rec.endswith("†")


def test_hostile_text_verbatim(tmp_path):
    prs = Presentation(write_slides(hostile(), tmp_path / "h.pptx", {}))
    allt = " ".join(x for s in prs.slides for x in _texts(s))
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
    assert d["Median gain"] == "≈ +19.2 (estimated from the HR)"     # 40.8 / 0.68 − 40.8 = 19.2


def test_helper_api_for_other_decks(tmp_path):
    """The public helpers (used by the across-trials slides) make boxes that pass the same checks."""
    from evidencegui.io import pptx_writer as pw
    prs = pw.new_presentation()
    s = pw.add_slide(prs)
    y = pw.add_title(s, "Across trials: " + "very long heading " * 6)
    _, h = pw.add_textbox(s, 0.4, y, 6.0, "Body text " * 40, 18)
    pw.add_table(s, 7.0, y, [2.5, 3.4], ["Trial", "HR (95% CI)"], [["CLEOPATRA", "0.68 (0.56–0.84)"]])
    pw.add_footnote(s, "Source: somewhere")
    pw.set_notes(s, "notes")
    out = tmp_path / "x.pptx"
    prs.save(out)
    _check_deck(Presentation(out))


def test_many_arms_fit(tmp_path):
    arms = [Arm("Control+Long+Name+Of+Agents", role="control", n=300, median=10.0, source="Trial paper")]
    arms += [Arm(f"Experimental+Agent{i}+Long+Name", n=300, median=12.0 + i, hr=0.8, hr_lower=0.6,
                 hr_upper=0.99, p_value=0.03) for i in range(3)]
    p = Project(trials=[Trial("BIG-TRIAL", endpoints=[Endpoint("PFS", arms=arms)])], title="Three arms")
    prs = Presentation(write_slides(p, tmp_path / "m.pptx", {}))
    assert len(prs.slides) == 4
    _check_deck(prs)

