"""Open a published figure: a PDF page (rendered, plus its vector paths and words) or an image.

Libraries (MIT-compatible only; no PyMuPDF, which is AGPL):

- **pypdfium2** (Apache-2.0 / BSD-3, Google's PDFium) renders the page: fast (a page at 150 dpi
  in a few tens of milliseconds) and faithful, and it reports an encrypted or damaged file
  clearly. Its path API (``FPDFPath_*``) can also give segments and colours, but the dash
  pattern needs a recent PDFium and the words need assembling from characters by hand.
- **pdfplumber** (MIT, on pdfminer.six, MIT) reads the vector content: every path with its
  points, stroke and fill colour, line width and dash pattern, and the words with their boxes
  and colours (words are split where the font size changes, so a superscript stays apart). It
  is pure Python, slower than PDFium, but a figure page holds a few hundred objects (tens of
  milliseconds). Known limit: paths inside form XObjects (how matplotlib draws its markers) are
  placed right but lose the inherited colour and line width (pdfminer starts a form with a fresh
  graphics state), so censor marks are matched to curves by position, not colour.

So both: PDFium for the picture, pdfplumber for the drawing and the text. Coordinates of the
vector page are PDF points with y counted from the TOP of the page (as pdfplumber gives them);
``FigureSource.scale`` converts points to pixels of ``FigureSource.image``.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAX_PIXELS = 50_000_000        # an image above this is refused; a PDF page is rendered smaller
MAX_FILE_BYTES = 200 * 1024 * 1024
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")


class FigureError(ValueError):
    """The figure cannot be opened; the message says what was found and what the user can do."""


@dataclass
class VectorPath:
    """One painted path of the page. ``pts`` is (N, 2): x and y-from-top in PDF points.
    ``stroke``/``fill`` are RGB 0–255 or None when the path is not stroked/filled."""
    pts: np.ndarray
    stroke: tuple[int, int, int] | None
    fill: tuple[int, int, int] | None
    width: float
    dash: tuple[float, ...] | None
    kind: str = "curve"      # "curve", "line" or "rect" (pdfplumber's object type)


@dataclass
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    colour: tuple[int, int, int] | None = None   # text (fill) colour, RGB 0–255

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class VectorPage:
    width: float               # points
    height: float
    paths: list[VectorPath]
    words: list[Word]


@dataclass
class FigureSource:
    kind: str                  # "pdf" or "image"
    image: np.ndarray          # H×W×3 uint8 RGB
    scale: float               # image pixels per source unit (PDF: pixels per point; image: 1)
    vector: VectorPage | None
    name: str = ""
    page: int = 1
    warnings: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# PDF

def _is_pdf(path) -> bool:
    p = Path(path)
    if p.suffix.lower() == ".pdf":
        return True
    try:
        with open(p, "rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return False


def _check_file(path) -> Path:
    p = Path(path)
    if not p.exists():
        raise FigureError(f"{p}: the file does not exist")
    if p.is_dir():
        raise FigureError(f"{p}: this is a folder, not a figure file")
    size = p.stat().st_size
    if size == 0:
        raise FigureError(f"{p}: the file is empty")
    if size > MAX_FILE_BYTES:
        raise FigureError(f"{p}: the file is {size / 1e6:.0f} MB, more than the {MAX_FILE_BYTES / 1e6:.0f} MB "
                          "a figure is read from; save the page or the figure on its own")
    return p


def _open_pdfium(path):
    import pypdfium2 as pdfium

    p = _check_file(path)
    try:
        return pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise FigureError(f"{p}: the PDF is encrypted (password protected); open it in a PDF viewer "
                              "that knows the password and save or print it as a new PDF, "
                              "or take a screenshot of the figure") from None
        raise FigureError(f"{p}: not a readable PDF ({msg}); the file may be damaged or incomplete — "
                          "download it again, or take a screenshot of the figure") from None


def page_count(path) -> int:
    doc = _open_pdfium(path)
    try:
        return len(doc)
    finally:
        doc.close()


def _check_page(p, page: int, n: int) -> int:
    if n == 0:
        raise FigureError(f"{p}: the PDF has no pages")
    if not isinstance(page, (int, np.integer)) or not 1 <= page <= n:
        raise FigureError(f"{p}: page {page} does not exist; the PDF has {n} page{'s' if n != 1 else ''} (1–{n})")
    return int(page) - 1


def _render(doc, index: int, dpi: float, name) -> tuple[np.ndarray, float, list[str]]:
    pg = doc[index]
    try:
        w_pt, h_pt = pg.get_size()
        warnings: list[str] = []
        if not (dpi > 0 and np.isfinite(dpi)):
            raise FigureError(f"{name}: resolution {dpi} dpi is not a positive number")
        scale = dpi / 72.0
        if w_pt * h_pt * scale * scale > MAX_PIXELS:
            new = 0.999 * (MAX_PIXELS / (w_pt * h_pt)) ** 0.5   # rounding up stays under
            warnings.append(f"page rendered at {new * 72:.0f} dpi instead of {dpi:.0f} dpi "
                            f"(kept under {MAX_PIXELS / 1e6:.0f} megapixels)")
            scale = new
        bitmap = pg.render(scale=scale, rev_byteorder=True)
        arr = bitmap.to_numpy()
        img = np.ascontiguousarray(arr[..., :3]).copy()
        return img, scale, warnings
    finally:
        pg.close()


def render_page(path, page: int = 1, dpi: float = 150) -> np.ndarray:
    """The page rendered to an H×W×3 uint8 RGB array (white background)."""
    doc = _open_pdfium(path)
    try:
        idx = _check_page(path, page, len(doc))
        return _render(doc, idx, dpi, path)[0]
    finally:
        doc.close()


def _rgb(colour) -> tuple[int, int, int] | None:
    """pdfplumber colour (gray float, 1/3/4-tuple, or a pattern) → RGB 0–255; None if unknown."""
    if colour is None:
        return None
    if isinstance(colour, (int, float)):
        c = (float(colour),)
    else:
        try:
            c = tuple(float(v) for v in colour)
        except (TypeError, ValueError):
            return None
    if len(c) == 1:
        g = int(round(min(max(c[0], 0.0), 1.0) * 255))
        return (g, g, g)
    if len(c) == 3:
        return tuple(int(round(min(max(v, 0.0), 1.0) * 255)) for v in c)  # type: ignore[return-value]
    if len(c) == 4:
        cc, m, y, k = (min(max(v, 0.0), 1.0) for v in c)
        return tuple(int(round(255 * (1 - v) * (1 - k))) for v in (cc, m, y))  # type: ignore[return-value]
    return None


def _dash(d) -> tuple[float, ...] | None:
    if not d:
        return None
    try:
        arr = tuple(float(v) for v in d[0])
    except (TypeError, ValueError, IndexError):
        return None
    return arr if arr and any(v > 0 for v in arr) else None


def read_vector_page(path, page: int = 1) -> VectorPage:
    """Paths and words of one page (PDF points, y from the top)."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    p = _check_file(path)
    try:
        pdf = pdfplumber.open(str(p))
    except PDFSyntaxError as e:
        raise FigureError(f"{p}: not a readable PDF ({e}); the file may be damaged") from None
    except Exception as e:  # pdfminer raises several unrelated types for encrypted/broken files
        name = type(e).__name__
        inner = [type(a).__name__ for a in getattr(e, "args", ()) if isinstance(a, BaseException)]
        if any("Password" in n or "Encrypt" in n for n in [name, *inner]):
            raise FigureError(f"{p}: the PDF is encrypted (password protected); save an unprotected copy "
                              "or take a screenshot of the figure") from None
        raise FigureError(f"{p}: the PDF's drawing cannot be read ({name}: {e}); "
                          "take a screenshot of the figure and open the image") from None
    try:
        idx = _check_page(p, page, len(pdf.pages))
        pg = pdf.pages[idx]
        x_off, y_off = float(pg.bbox[0]), float(pg.bbox[1])
        paths: list[VectorPath] = []
        for obj in list(pg.curves) + list(pg.lines) + list(pg.rects):
            pts = obj.get("pts")
            if not pts:
                continue
            arr = np.asarray(pts, dtype=float).reshape(-1, 2) - (x_off, y_off)
            paths.append(VectorPath(
                pts=arr,
                stroke=_rgb(obj.get("stroking_color")) if obj.get("stroke") else None,
                fill=_rgb(obj.get("non_stroking_color")) if obj.get("fill") else None,
                width=float(obj.get("linewidth") or 0.0),
                dash=_dash(obj.get("dash")),
                kind=str(obj.get("object_type", "curve"))))
        words = [Word(str(w["text"]), float(w["x0"]) - x_off, float(w["top"]) - y_off,
                      float(w["x1"]) - x_off, float(w["bottom"]) - y_off,
                      _rgb(w.get("non_stroking_color")))
                 for w in pg.extract_words(keep_blank_chars=False, use_text_flow=False,
                                           extra_attrs=["non_stroking_color", "size"])
                 if w.get("upright", True)]
        return VectorPage(float(pg.width), float(pg.height), paths, words)
    except FigureError:
        raise
    except Exception as e:
        raise FigureError(f"{p}: the drawing of page {page} cannot be read ({type(e).__name__}: {e}); "
                          "take a screenshot of the figure and open the image") from None
    finally:
        pdf.close()


# ----------------------------------------------------------------------------------------------
# Images

def load_image(path_or_bytes) -> np.ndarray:
    """PNG/JPEG/TIFF/BMP/GIF/WebP (a path, or the file's bytes, e.g. from the clipboard) → H×W×3
    uint8 RGB; transparency is laid on white. Images above 50 megapixels are refused."""
    from PIL import Image, UnidentifiedImageError

    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        name = "the pasted image"
        data = bytes(path_or_bytes)
        if not data:
            raise FigureError("the pasted image is empty")
        src = io.BytesIO(data)
    else:
        p = _check_file(path_or_bytes)
        name = str(p)
        src = str(p)
    Image.MAX_IMAGE_PIXELS = None  # our own limit below, with a clearer message
    try:
        with Image.open(src) as im:
            w, h = im.size
            if w * h > MAX_PIXELS:
                raise FigureError(f"{name}: the image is {w}×{h} pixels ({w * h / 1e6:.0f} megapixels), more than "
                                  f"the {MAX_PIXELS / 1e6:.0f} megapixels read; crop it to the figure or save it smaller")
            im.load()
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                im = im.convert("RGBA")
                bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
                im = Image.alpha_composite(bg, im)
            if im.mode in ("I;16", "I;16B", "I;16L", "I"):
                a = np.asarray(im, dtype=np.float64)
                top = a.max() if a.size and a.max() > 255 else 255.0
                g = np.clip(a / top * 255.0, 0, 255).astype(np.uint8)
                return np.repeat(g[..., None], 3, axis=2)
            return np.ascontiguousarray(np.asarray(im.convert("RGB"), dtype=np.uint8))
    except FigureError:
        raise
    except UnidentifiedImageError:
        raise FigureError(f"{name}: not an image this program reads (PNG, JPEG, TIFF, BMP, GIF, WebP) "
                          "nor a PDF") from None
    except (OSError, ValueError, SyntaxError) as e:
        raise FigureError(f"{name}: the image cannot be decoded ({e}); the file may be damaged") from None


def open_figure(path, page: int = 1, dpi: float = 150) -> FigureSource:
    """A PDF page (rendered at ``dpi``, with its vector paths and words) or an image."""
    p = _check_file(path)
    if _is_pdf(p):
        doc = _open_pdfium(p)
        try:
            idx = _check_page(p, page, len(doc))
            img, scale, warnings = _render(doc, idx, dpi, p)
        finally:
            doc.close()
        vector = read_vector_page(p, page)
        return FigureSource("pdf", img, scale, vector, name=str(p), page=int(page), warnings=warnings)
    if page != 1:
        raise FigureError(f"{p}: an image has one page; page {page} was asked for")
    return FigureSource("image", load_image(p), 1.0, None, name=str(p))
