"""The across-trials slides: present for two or more trials, 16:9, every run at 14 pt or more,
every box inside the slide and tall enough for its text (measured as io/pptx_kit measures it)."""
import sys
from pathlib import Path

from pptx.util import Emu

from evidencegui.io import pptx_kit as kit
from evidencegui.io.pptx_writer import build_presentation

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
import across_projects as ap  # noqa: E402


def _across_slides(prs, first):
    return list(prs.slides)[first:]


def _texts(slide):
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]


def test_slides_added_after_the_trial_slides():
    prs = build_presentation(ap.her2())
    n_trial = 1 + 2                           # title + one per trial/endpoint
    extra = _across_slides(prs, n_trial)
    heads = [_texts(s)[0] for s in extra]
    assert heads == ["PFS across trials", "PFS: pooled HR 0.53 (0.32–0.88), 2 trials (REML)"]
    body = " ".join(_texts(extra[0]))
    assert "HR 1.66 (1.23–2.24)" in body and "transitivity" in body
    assert "HR_A / HR_B" in extra[0].notes_slide.notes_text_frame.text


def test_one_trial_adds_nothing():
    p = ap.her2()
    p.trials = p.trials[:1]
    assert len(build_presentation(p).slides) == 2


def test_text_size_and_boxes():
    prs = build_presentation(ap.cdk46(), {})
    W, H = prs.slide_width, prs.slide_height
    assert abs(W / H - 16 / 9) < 0.01
    for slide in _across_slides(prs, 1 + 3):
        for sh in slide.shapes:
            assert sh.left >= 0 and sh.top >= 0 and sh.left + sh.width <= W and sh.top + sh.height <= H
            frames = [sh.text_frame] if sh.has_text_frame else (
                [c.text_frame for r in sh.table.rows for c in r.cells] if sh.has_table else [])
            for tf in frames:
                for para in tf.paragraphs:
                    for run in para.runs:
                        assert run.font.size is None or run.font.size.pt >= 14, run.text
            if sh.has_text_frame and sh.text_frame.text:
                runs = [r for p in sh.text_frame.paragraphs for r in p.runs]
                size = max(r.font.size.pt for r in runs)
                bold = any(r.font.bold for r in runs)
                inner_w = Emu(sh.width).pt - sh.text_frame.margin_left.pt - sh.text_frame.margin_right.pt
                need = kit.text_height_pt(sh.text_frame.text, size, inner_w, bold)
                inner_h = Emu(sh.height).pt - sh.text_frame.margin_top.pt - sh.text_frame.margin_bottom.pt
                assert need <= inner_h + 0.5, sh.text_frame.text
            if sh.has_table:                  # each row as tall as its tallest wrapped cell
                for row in sh.table.rows:
                    for j, cell in enumerate(row.cells):
                        run = cell.text_frame.paragraphs[0].runs[0]
                        inner_w = sh.table.columns[j].width.pt - cell.margin_left.pt - cell.margin_right.pt
                        need = kit.text_height_pt(cell.text_frame.text, run.font.size.pt, inner_w,
                                                  bool(run.font.bold))
                        assert need <= row.height.pt - cell.margin_top.pt - cell.margin_bottom.pt + 0.5, \
                            cell.text_frame.text


def test_many_trials_split_over_slides():
    p = ap.cdk46()
    import copy
    for i in range(12):
        t = copy.deepcopy(p.trials[i % 3])
        t.name = f"{t.name} ({i})"
        p.trials.append(t)
    prs = build_presentation(p, {})
    heads = [_texts(s)[0] for s in prs.slides if _texts(s) and "across trials" in _texts(s)[0]]
    assert len(heads) >= 2 and heads[1] == "PFS across trials (2)"
    for s in prs.slides:
        for sh in s.shapes:
            assert sh.top + sh.height <= prs.slide_height


def test_long_names_are_cut_and_stay_inside():
    p = ap.her2()
    p.trials[0].name = "A" * 300
    p.trials[0].endpoints[0].arms[1].label = "B" * 200
    prs = build_presentation(p, {})
    texts = []
    for s in list(prs.slides)[3:]:
        for sh in s.shapes:
            assert sh.top + sh.height <= prs.slide_height and sh.left + sh.width <= prs.slide_width
            if sh.has_table:
                texts += [c.text_frame.text for r in sh.table.rows for c in r.cells]
            elif sh.has_text_frame:
                texts.append(sh.text_frame.text)
    assert any(t.startswith("A" * 39 + "…") for t in texts)
    assert not any("A" * 80 in t for t in texts)


def test_considerable_heterogeneity_is_said_on_the_forest_slide_and_sheet():
    """Pertuzumab and pyrotinib trials pooled (I² 91%, metafor's value in
    tests/fixtures/metafor): the forest slide and the Forest sheet say, with the Cochrane
    Handbook's threshold (I² ≥ 75%), that the pooled HR is to be read with care; the CDK4/6
    trials (I² 0%) get no such line."""
    from evidencegui.io import format as fmt
    from evidencegui.io.xlsx_writer import build_workbook
    assert fmt.heterogeneity_caution(0.749) == "" and fmt.heterogeneity_caution(float("nan")) == ""
    assert fmt.heterogeneity_caution(0.75).startswith("Considerable heterogeneity (I² = 75%)")
    prs = build_presentation(ap.her2())
    forest = [s for s in prs.slides if _texts(s) and _texts(s)[0].startswith("PFS: pooled HR")][0]
    assert any(t.startswith("Considerable heterogeneity (I² = 91%)") for t in _texts(forest))
    wb = build_workbook(ap.her2())
    notes = [c.value for row in wb["Forest"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("Considerable heterogeneity (I² = 91%)") for v in notes)
    cdk = build_presentation(ap.cdk46())
    assert not any("Considerable heterogeneity" in t for s in cdk.slides for t in _texts(s))
