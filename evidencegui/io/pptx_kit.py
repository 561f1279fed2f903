"""The house design of the slides (python-pptx, 16:9): fonts, colours and boxes that never let text
overflow, for every deck the program writes (comparisons here, across-trials and forest slides
elsewhere).

Public helpers: ``new_presentation``, ``add_slide``, ``add_title``, ``add_textbox``, ``add_table``,
``add_picture``, ``add_footnote``, ``set_notes``, and ``wrap`` / ``text_height_pt`` /
``textbox_height_in`` / ``table_height_in`` to measure before placing.

Every box is sized from the measured text: lines are wrapped with the metrics of DejaVu Sans
(wider than Calibri, the font named on the slides, and what LibreOffice substitutes for it where
Calibri is missing), so what fits here fits in PowerPoint too. No text is below ``MIN_PT`` (14 pt,
legible from the back of a room at 16:9).
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from evidencegui.io.safe_text import clean_text

SLIDE_W_IN = 13.333
SLIDE_H_IN = 7.5
MARGIN_IN = 0.4
FONT = "Calibri"
MIN_PT = 14.0
DARK = (0x1F, 0x2D, 0x4D)
ACCENT = (0x2F, 0x55, 0x97)
GREY = (0x55, 0x55, 0x55)
LIGHT = (0xF2, 0xF5, 0xFA)
WHITE = (0xFF, 0xFF, 0xFF)
WARN = (0x8A, 0x4B, 0x00)         # caveats (indirect comparisons, cross-trial overlays)
LINE = 1.2                        # line height, in font sizes (PowerPoint's single spacing ≈ 1.2)
EMU_PER_PT = 12700
ZWSP = "\u200b"
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
              "/usr/local/share/fonts", str(Path.home() / ".fonts"))


# ---------------------------------------------------------------------------- measuring
@lru_cache(maxsize=None)
def _font(bold: bool):
    """DejaVu Sans at 100 pt (PIL), or None where it is not installed (then an estimate)."""
    try:
        from PIL import ImageFont
    except ImportError:
        return None
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for d in _FONT_DIRS:
        p = Path(d) / name
        if p.exists():
            return ImageFont.truetype(str(p), 100)
    try:
        return ImageFont.truetype(name, 100)
    except OSError:
        return None


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    f = _font(bold)
    text = text.replace(ZWSP, "")
    if f is None:
        return len(text) * size_pt * (0.66 if bold else 0.62)     # DejaVu's average advance
    return f.getlength(text) * size_pt / 100.0


def breakable(text: str) -> str:
    """Arm names wrap after '+' and '/' before a letter (drug combinations have no spaces;
    "+15.7" stays whole)."""
    import re
    return re.sub(r"([+/])(?=[^\W\d_])", "\\1" + ZWSP, text)


def wrap(text: str, size_pt: float, width_pt: float, bold: bool = False) -> list[str]:
    """Greedy line breaking at spaces and zero-width spaces, as PowerPoint and LibreOffice do;
    a word longer than the line is broken by characters (never left overflowing)."""
    out: list[str] = []
    for para in text.split("\n"):
        words: list[str] = []
        cur = ""
        for ch in para:
            cur += ch
            if ch in (" ", ZWSP):
                words.append(cur)
                cur = ""
        if cur:
            words.append(cur)
        line = ""
        for w in words:
            if text_width_pt((line + w).rstrip(), size_pt, bold) <= width_pt:
                line += w
                continue
            if line:
                out.append(line.rstrip())
                line = ""
            while text_width_pt(w.rstrip(), size_pt, bold) > width_pt and len(w) > 1:
                k = len(w)
                while k > 1 and text_width_pt(w[:k], size_pt, bold) > width_pt:
                    k -= 1
                out.append(w[:k])
                w = w[k:]
            line = w
        out.append(line.rstrip())
    return out


def text_height_pt(text: str, size_pt: float, width_pt: float, bold: bool = False) -> float:
    return len(wrap(text, size_pt, width_pt, bold)) * size_pt * LINE


def fit_size(text: str, width_pt: float, height_pt: float, size_pt: float,
             minimum: float = MIN_PT, bold: bool = False) -> float:
    """The largest size from ``size_pt`` down to ``minimum`` (half points) at which the text fits."""
    s = size_pt
    while s > minimum and text_height_pt(text, s, width_pt, bold) > height_pt:
        s -= 0.5
    return max(s, minimum)


# ---------------------------------------------------------------------------- building
def _rgb(c):
    from pptx.dml.color import RGBColor
    return RGBColor(*c)


def inches(x: float) -> int:
    return int(round(x * 914400))


def new_presentation():
    """A 16:9 deck (13.333 × 7.5 in) whose slides are laid out by these helpers."""
    from pptx import Presentation
    prs = Presentation()
    prs.slide_width = inches(SLIDE_W_IN)
    prs.slide_height = inches(SLIDE_H_IN)
    return prs


def add_slide(prs):
    """A blank slide (python-pptx's default placeholders are 4:3 and do not move)."""
    return prs.slides.add_slide(prs.slide_layouts[6])


# Margins inside a text box (points): the measured width is the box's minus these.
PAD_X, PAD_Y = 3.0, 2.0


def textbox_height_in(text: str, width_in: float, size: float = 18, bold: bool = False) -> float:
    """The height ``add_textbox`` gives ``text`` in a box ``width_in`` wide at ``size`` points."""
    return (text_height_pt(clean_text(text), size, width_in * 72 - 2 * PAD_X, bold) + 2 * PAD_Y) / 72


def add_textbox(slide, left_in: float, top_in: float, width_in: float, text: str, size: float = 18,
                bold: bool = False, color=DARK, italic: bool = False, align=None,
                max_height_in: float | None = None, min_size: float = MIN_PT):
    """A text box as tall as its wrapped text. With ``max_height_in`` the size is reduced (not
    below ``min_size``) until the text fits. Returns (shape, height in inches)."""
    from pptx.util import Pt
    text = clean_text(text)
    inner_w = width_in * 72 - 2 * PAD_X
    if max_height_in is not None:
        size = fit_size(text, inner_w, max_height_in * 72 - 2 * PAD_Y, size, min_size, bold)
    size = max(size, min_size)
    height_in = textbox_height_in(text, width_in, size, bold)
    tb = slide.shapes.add_textbox(inches(left_in), inches(top_in), inches(width_in), inches(height_in))
    tf = tb.text_frame
    tf.word_wrap = True
    tf.margin_left = tf.margin_right = Pt(PAD_X)
    tf.margin_top = tf.margin_bottom = Pt(PAD_Y)
    for i, line in enumerate(text.split("\n")):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.line_spacing = 1.0
        if align is not None:
            para.alignment = align
        run = para.add_run()
        run.text = line
        f = run.font
        f.name, f.size, f.bold, f.italic = FONT, Pt(size), bold, italic
        f.color.rgb = _rgb(color)
    return tb, height_in


def add_title(slide, text: str, size: float = 28, top_in: float = 0.3, max_lines: int = 2):
    """The slide's headline across the top, with an accent rule under it; returns the y (in) below."""
    width = SLIDE_W_IN - 2 * MARGIN_IN
    max_h = (max_lines * size * LINE + 2 * PAD_Y) / 72
    _, h = add_textbox(slide, MARGIN_IN, top_in, width, text, size, bold=True,
                       max_height_in=max_h, min_size=20)
    y = top_in + h + 0.05
    rule = slide.shapes.add_shape(1, inches(MARGIN_IN), inches(y), inches(width), inches(0.03))
    rule.fill.solid()
    rule.fill.fore_color.rgb = _rgb(ACCENT)
    rule.line.fill.background()
    return y + 0.12


CELL_PAD_X, CELL_PAD_Y = 5.0, 3.0


def _row_heights_in(rows: list[list[str]], widths_in: list[float], size: float, head: bool,
                    bold_first_column: bool) -> list[float]:
    out = []
    for i, row in enumerate(rows):
        lines = 1
        for j, text in enumerate(row):
            bold = (head and i == 0) or (bold_first_column and j == 0)
            inner = widths_in[j] * 72 - 2 * CELL_PAD_X
            lines = max(lines, len(wrap(breakable(clean_text(text)), size, inner, bold)))
        out.append((lines * size * LINE + 2 * CELL_PAD_Y) / 72)
    return out


def table_height_in(rows: list[list[str]], widths_in: list[float], size: float = MIN_PT,
                    header: list[str] | None = None, bold_first_column: bool = True) -> float:
    """The height ``add_table`` will give these rows."""
    body = ([header] if header else []) + rows
    return sum(_row_heights_in(body, widths_in, size, header is not None, bold_first_column))


def add_table(slide, left_in: float, top_in: float, widths_in: list[float], header: list[str] | None,
              rows: list[list[str]], size: float = MIN_PT, bold_first_column: bool = True):
    """A table with given column widths; each row as tall as its tallest wrapped cell. Returns
    (shape, height in inches)."""
    from pptx.util import Pt
    body = ([header] if header else []) + rows
    ncols = len(widths_in)
    heights = _row_heights_in(body, widths_in, size, header is not None, bold_first_column)
    total = sum(heights)
    shape = slide.shapes.add_table(len(body), ncols, inches(left_in), inches(top_in),
                                   inches(sum(widths_in)), inches(total))
    table = shape.table
    table.first_row = header is not None
    for j, w in enumerate(widths_in):
        table.columns[j].width = inches(w)
    for i, h in enumerate(heights):
        table.rows[i].height = inches(h)
    for i, row in enumerate(body):
        is_head = header is not None and i == 0
        fill = ACCENT if is_head else (LIGHT if i % 2 else WHITE)
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Pt(CELL_PAD_X)
            cell.margin_top = cell.margin_bottom = Pt(CELL_PAD_Y)
            tf = cell.text_frame
            tf.word_wrap = True
            para = tf.paragraphs[0]
            para.line_spacing = 1.0
            run = para.add_run()
            run.text = breakable(clean_text(text))
            f = run.font
            f.name, f.size = FONT, Pt(size)
            f.bold = is_head or (bold_first_column and j == 0)
            f.color.rgb = _rgb(WHITE if is_head else DARK)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(fill)
    return shape, total


def add_picture(slide, png: bytes, left_in: float, top_in: float, max_w_in: float, max_h_in: float,
                h_align: str = "left", v_align: str = "middle"):
    """The image as large as fits the box, keeping its proportions; where it is narrower or lower
    than the box it sits at ``h_align`` ("left" or "center") and ``v_align`` ("top" or "middle")."""
    from PIL import Image as PILImage
    with PILImage.open(io.BytesIO(png)) as im:
        w, h = im.size
    scale = min(max_w_in / w, max_h_in / h)
    pw, ph = w * scale, h * scale
    x = left_in + ((max_w_in - pw) / 2 if h_align == "center" else 0.0)
    y = top_in + ((max_h_in - ph) / 2 if v_align == "middle" else 0.0)
    return slide.shapes.add_picture(io.BytesIO(png), inches(x), inches(y), inches(pw), inches(ph))


def add_footnote(slide, text: str, size: float = MIN_PT, color=GREY, italic: bool = False,
                 bottom_in: float = 0.15):
    """A line at the foot of the slide (more if it must wrap), ``bottom_in`` above the edge and
    never below it. Returns (shape, height in inches)."""
    width = SLIDE_W_IN - 2 * MARGIN_IN
    h = textbox_height_in(text, width, size)
    return add_textbox(slide, MARGIN_IN, SLIDE_H_IN - bottom_in - h, width, text, size, color=color,
                       italic=italic)


def set_notes(slide, text: str, append: bool = False) -> None:
    """The speaker notes (method, rules, checks): what the presenter may be asked. With ``append``
    the text goes after what the notes already say."""
    frame = slide.notes_slide.notes_text_frame
    frame.text = (frame.text if append else "") + clean_text(text)
