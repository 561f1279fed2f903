"""io/pptx_kit: the measures agree with the boxes the helpers place; picture alignment; notes."""
import io

from PIL import Image
from pptx.util import Emu

from evidencegui.io import pptx_kit as kit


def _png(w, h) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), "white").save(buf, format="PNG")
    return buf.getvalue()


def test_textbox_height_is_what_add_textbox_gives():
    s = kit.add_slide(kit.new_presentation())
    text = "Pertuzumab+Trastuzumab+Docetaxel vs Placebo+Trastuzumab+Docetaxel, " * 4
    for size, bold in ((14, False), (16, True), (28, True)):
        tb, h = kit.add_textbox(s, 0.4, 1, 6, text, size, bold=bold)
        assert h == kit.textbox_height_in(text, 6, size, bold)
        assert abs(Emu(tb.height).inches - h) < 1e-5
        assert h * 72 >= kit.text_height_pt(text, size, 6 * 72 - 2 * kit.PAD_X, bold)


def test_picture_alignment_in_its_box():
    s = kit.add_slide(kit.new_presentation())
    wide = kit.add_picture(s, _png(400, 100), 1, 1, 4, 4)                    # 4 × 1 in
    assert abs(Emu(wide.left).inches - 1) < 1e-5 and abs(Emu(wide.top).inches - 2.5) < 1e-5
    top = kit.add_picture(s, _png(400, 100), 1, 1, 4, 4, v_align="top")
    assert abs(Emu(top.top).inches - 1) < 1e-5
    tall = kit.add_picture(s, _png(100, 400), 1, 1, 4, 4, h_align="center", v_align="top")  # 1 × 4 in
    assert abs(Emu(tall.left).inches - 2.5) < 1e-5 and abs(Emu(tall.width).inches - 1) < 1e-5


def test_footnote_stays_above_the_edge_and_notes_append():
    prs = kit.new_presentation()
    s = kit.add_slide(prs)
    tb, h = kit.add_footnote(s, "A caveat " * 40, 16, color=kit.WARN, italic=True, bottom_in=0.25)
    assert abs(Emu(tb.top + tb.height).inches - (kit.SLIDE_H_IN - 0.25)) < 1e-4
    run = tb.text_frame.paragraphs[0].runs[0]
    assert run.font.italic and run.font.size.pt == 16
    kit.set_notes(s, "Sources: x")
    kit.set_notes(s, "\n\nRules: y", append=True)
    assert s.notes_slide.notes_text_frame.text == "Sources: x\n\nRules: y"
    kit.set_notes(s, "new")
    assert s.notes_slide.notes_text_frame.text == "new"
