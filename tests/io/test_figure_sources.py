"""io/figure_sources: PDF pages and images open, bad files give a clear FigureError."""
import hashlib
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest

from evidencegui.io.figure_sources import (FigureError, load_image, open_figure, page_count,
                                           read_vector_page, render_page)

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "digitize"
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user=b"secret", owner=b"owner") -> bytes:
    """A one-page PDF that needs the user password (standard security handler, RC4 40-bit,
    PDF 1.4 §3.5 algorithms 3.2–3.4); PDFium opens it with the password."""
    fid = hashlib.md5(b"evidencegui test").digest()
    o = _rc4(hashlib.md5((owner + PAD)[:32]).digest()[:5], (user + PAD)[:32])
    p = (-4).to_bytes(4, "little", signed=True)
    key = hashlib.md5((user + PAD)[:32] + o + p + fid).digest()[:5]
    u = _rc4(key, PAD)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <" + u.hex().encode() + b"> /P -4 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, ob in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + ob + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offs:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<" % (len(objs) + 1) + fid.hex().encode()
            + b"> <" + fid.hex().encode() + b">] >>\nstartxref\n%d\n%%%%EOF\n" % x)
    return bytes(out)


def test_pdf_page_rendered_with_paths_and_words():
    src = open_figure(FIX / "mpl_table.pdf", dpi=100)
    assert src.kind == "pdf" and src.image.dtype == np.uint8 and src.image.shape[2] == 3
    assert src.scale == pytest.approx(100 / 72)
    # 7×5 in page at 100 dpi
    assert src.image.shape[:2] == (500, 700)
    texts = [w.text for w in src.vector.words]
    assert "Control" in texts and "Experimental" in texts and "Months" in texts
    strokes = {p.stroke for p in src.vector.paths}
    assert (31, 119, 180) in strokes and (214, 39, 40) in strokes
    assert page_count(FIX / "mpl_table.pdf") == 1
    assert render_page(FIX / "mpl_table.pdf", 1, 72).shape[:2] == (360, 504)


def test_dash_pattern_read():
    page = read_vector_page(FIX / "mpl_percent_dashed.pdf")
    dashes = {p.dash for p in page.paths if p.stroke == (0, 0, 0) and len(p.pts) > 50}
    assert None in dashes and any(d for d in dashes)


def test_image_loaded_as_rgb(tmp_path):
    from PIL import Image
    img = load_image(FIX / "mpl_table.png")
    assert img.shape == (500, 700, 3) and img.dtype == np.uint8
    # RGBA laid on white; bytes from the clipboard
    rgba = Image.new("RGBA", (120, 110), (255, 0, 0, 0))
    buf = tmp_path / "a.png"
    rgba.save(buf)
    arr = load_image(buf.read_bytes())
    assert arr.shape == (110, 120, 3) and (arr == 255).all()


def test_encrypted_pdf(tmp_path):
    import pypdfium2 as pdfium
    p = tmp_path / "locked.pdf"
    p.write_bytes(encrypted_pdf())
    assert len(pdfium.PdfDocument(str(p), password="secret")) == 1   # a real encrypted PDF
    for call in (lambda: open_figure(p), lambda: page_count(p), lambda: read_vector_page(p)):
        with pytest.raises(FigureError, match="encrypted"):
            call()


def test_corrupt_and_missing_files(tmp_path):
    bad = tmp_path / "cut.pdf"
    bad.write_bytes((FIX / "mpl_one.pdf").read_bytes()[:400])
    with pytest.raises(FigureError, match="cut.pdf: not a readable PDF"):
        open_figure(bad)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(FigureError, match="empty"):
        open_figure(empty)
    with pytest.raises(FigureError, match="does not exist"):
        open_figure(tmp_path / "nope.pdf")
    text = tmp_path / "notes.png"
    text.write_text("hello")
    with pytest.raises(FigureError, match="not an image"):
        open_figure(text)
    with pytest.raises(FigureError, match="folder"):
        open_figure(tmp_path)


def test_page_out_of_range():
    with pytest.raises(FigureError, match=r"page 3 does not exist; the PDF has 1 page"):
        open_figure(FIX / "mpl_one.pdf", page=3)
    with pytest.raises(FigureError, match="page 0 does not exist"):
        render_page(FIX / "mpl_one.pdf", page=0)
    with pytest.raises(FigureError, match="one page"):
        open_figure(FIX / "mpl_table.png", page=2)


def _png_header_only(w, h) -> bytes:
    """A PNG whose header claims w×h pixels (no pixel data): enough to test the size limit
    without making a 50-megapixel file."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


def test_huge_image_refused_before_decoding(tmp_path):
    p = tmp_path / "huge.png"
    p.write_bytes(_png_header_only(9000, 6000))
    with pytest.raises(FigureError, match=r"9000×6000 pixels \(54 megapixels\).*crop"):
        load_image(p)


def test_huge_pdf_page_rendered_smaller():
    src = open_figure(FIX / "mpl_one.pdf", dpi=3000)
    assert src.image.shape[0] * src.image.shape[1] <= 50_000_000
    assert any("instead of 3000 dpi" in w for w in src.warnings)
