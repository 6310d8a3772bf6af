"""A born-digital PDF turned into the DOCX structure the reader knows (``vanban import FILE.pdf``).

PDFium (pypdfium2) gives the text as runs with their positions and fonts (its text rectangles: one call a run,
no loop over characters in Python) and the ruling lines (path objects), from which the tables' grids and merged
cells are found here; pdfplumber, used before, took 4–7× longer, most of it turning every character into a Python
object. From them this module rebuilds what the DOCX held: paragraphs (wrapped lines joined; a new paragraph where a line is
indented, where the one above ends short, or after a wider gap), centred lines, the two-column blocks
of the header and of Nơi nhận / sign-off (as a table of two cells, the way the templates place them) and
the appendix table (a row broken across pages joined again, a vertically merged cell given to each of its
rows). The result is an in-memory python-docx document that :mod:`generator.inspect.reader` reads like
any other, so a PDF and a DOCX of the same plan give the same data.

A PDF with no text layer (a scan) is refused: reading it would need OCR.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import docx.shared
from docx.enum.text import WD_ALIGN_PARAGRAPH

from generator.inspect.elements import SALUTATION
from generator.io.fsutil import InputError, read_input
from generator.lang.i18n import _

#: Bytes a PDF to import may have.
MAX_PDF_BYTES = 50 * 2**20
#: Pages a PDF to import may have.
MAX_PAGES = 300

_SIGN = re.compile(r"^(T/M|K/T|T/L|Q\.|T/U|TM\.|KT\.|TL\.|TUQ\.)\s")
_APPENDIX = re.compile(r"^phụ lục\b", re.I)
_DASHES = re.compile(r"^[-–_]{3,}$")
#: A line in capitals that starts the name of a party body: not the wrapped rest of the line above.
_BODY_START = re.compile(r"^(CHI BỘ|ĐẢNG ỦY|ĐẢNG BỘ|VĂN PHÒNG|BAN |TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|QUẬN ỦY|QUÂN ỦY|ỦY BAN)")
_DATE_END = re.compile(r"ngày.*tháng.*năm\s*\d{4}")
_NUMBER_ONLY = re.compile(r"^([IVXLC]+[.\-]|\d{1,2}\.|[a-zđ]\)|[-–•+])$")
#: A report's status line in a table cell (``Hoàn thành (4): …``): a paragraph of its own, not the rest of the one above.
_STATUS_START = re.compile(r"^[^\W\d][^():;]*\(\d+\):")
_MARKER = re.compile(r"^([-–+•]\s|[IVXLC]+[.\-]\s|\d{1,2}\.\s|[a-zđ]\)\s)")


#: A page's picture among its lines (an item of _page_blocks).
_PICTURE = object()
#: A PNG of one white pixel: what a PDF's picture is in the document rebuilt from it.
_PIXEL = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\r\xefF\xb8\x00\x00\x00\x00IEND\xaeB`\x82"
)


class PdfReadError(Exception):
    """The PDF cannot be read (damaged, encrypted, a scan); the message names the file and why."""


@dataclass
class _Line:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    segments: list[tuple[float, float, str]] = field(default_factory=list)


@dataclass
class _Block:
    """A paragraph, a two-column block, or a table, in page order."""

    kind: str  # "p", "cols", "table"
    text: str = ""
    center: bool = False
    left: list[Any] = field(default_factory=list)  # the column's lines (_Line), joined by _column at the end
    right: list[Any] = field(default_factory=list)
    rows: list[list[str | None]] = field(default_factory=list)
    #: A table's cells as drawn (body tables keep them): per row, per cell its merge and looks (_CellLook) or None.
    looks: list[list[Any]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  #: a table's column widths in points
    header: int = 0  #: a table's header rows, known when a page printed them again
    appendix: bool = False  #: a table after the Phụ lục line (read as the plan's or report's appendix)


@dataclass
class _CellLook:
    """How a table cell is drawn: the rows and columns it covers, bold, centred."""

    down: int = 1
    across: int = 1
    bold: bool = False
    center: bool = False


def open_pdf(path: str | Path):
    """The PDF at *path* as a python-docx document of its paragraphs and tables."""
    import pypdfium2 as pdfium

    path = Path(path)
    try:
        raw = read_input(path, MAX_PDF_BYTES)
    except FileNotFoundError:
        raise PdfReadError(_("{path}: file not found", path=path)) from None
    except (InputError, OSError) as exc:
        raise PdfReadError(_("{path}: {exc}", path=path, exc=exc)) from None
    if not raw.startswith(b"%PDF"):
        raise PdfReadError(_("{path}: not a PDF file", path=path))
    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfReadError(
                _("{path}: the PDF is protected by a password; save it without one, then import it", path=path)
            ) from None
        raise PdfReadError(_("{path}: not a readable PDF ({exc})", path=path, exc=type(exc).__name__)) from None
    try:
        if len(pdf) > MAX_PAGES:
            raise PdfReadError(_("{path}: has {n} pages; the limit is {limit}", path=path, n=len(pdf), limit=MAX_PAGES))
        blocks: list[_Block] = []
        chars = 0
        state: dict[str, Any] = {}
        for i in range(len(pdf)):
            page = _read_page(pdf, i)
            chars += page.chars
            blocks += _page_blocks(page, state)
    except PdfReadError:
        raise
    except (pdfium.PdfiumError, ValueError, KeyError, TypeError) as exc:
        raise PdfReadError(_("{path}: not a readable PDF ({exc})", path=path, exc=type(exc).__name__)) from None
    finally:
        pdf.close()
    if chars == 0:
        raise PdfReadError(
            _(
                "{path}: the PDF has no text, only pictures of pages (a scan); vanban reads PDFs made from a document, not scans: ask for the DOCX, or type it",
                path=path,
            )
        )
    return _as_docx(_join_tables(blocks))


# --------------------------------------------------------------------------- a page's text and ruling lines (PDFium)


@dataclass
class _Table:
    """A table found from its ruling lines: its box (x0, top, x1, bottom) and its rows, a merged cell's text in its
    first cell and None in the others (as pdfplumber's ``extract()`` gives them)."""

    bbox: tuple[float, float, float, float]
    rows: list[list[str | None]]
    looks: list[list[_CellLook | None]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)

    def extract(self) -> list[list[str | None]]:
        return self.rows


@dataclass
class _Page:
    width: float
    height: float
    chars: int
    words: list[dict[str, Any]]  #: runs of text (x0, x1, top, bottom, text, size, fontname), top from the page's top
    tables: list[_Table]
    #: The tops of lines drawn across most of the page's width outside a table (the solid line a Bản sao's copy
    #: block starts under).
    rules: list[float] = field(default_factory=list)
    pictures: list[float] = field(default_factory=list)  #: the tops of the page's pictures (a report's chart)


def _read_page(pdf, i: int) -> _Page:
    """One page through PDFium: its text as runs (PDFium's text rectangles, one call each, no loop over characters)
    with their font, and its tables from the ruling lines (path objects)."""
    import ctypes

    import pypdfium2.raw as R

    page = pdf[i]
    width, height = page.get_size()
    tp = page.get_textpage()
    words: list[dict[str, Any]] = []
    ox, oy = ctypes.c_double(), ctypes.c_double()
    flags = ctypes.c_int()
    for j in range(tp.count_rects()):
        left, bottom, right, top = tp.get_rect(j)
        raw_text = tp.get_text_bounded(left, bottom, right, top)
        text = raw_text.strip()
        if not text:
            continue
        mid = (bottom + top) / 2
        idx = R.FPDFText_GetCharIndexAtPos(tp.raw, left + min(1.5, (right - left) / 2), mid, 4.0, 4.0)
        center = R.FPDFText_GetCharIndexAtPos(tp.raw, (left + right) / 2, mid, 4.0, 4.0)
        if idx < 0:
            idx = center
        size, font, weight = 12.0, "", 400
        if idx >= 0:
            # The run's size: its first character may be a quotation mark of another size.
            size = max(R.FPDFText_GetFontSize(tp.raw, k) for k in {idx, center} if k >= 0)
            n = R.FPDFText_GetFontInfo(tp.raw, idx, None, 0, ctypes.byref(flags))
            buf = ctypes.create_string_buffer(n)
            R.FPDFText_GetFontInfo(tp.raw, idx, buf, n, ctypes.byref(flags))
            font = buf.value.decode("latin-1", "replace")
            weight = R.FPDFText_GetFontWeight(tp.raw, idx)
            # The line's box from the baseline, as pdfminer makes a character's: the font's descent below it (a
            # serif face's, 0.216 em) and the font size above that; a glyph's own box varies with its accents.
            if R.FPDFText_GetCharOrigin(tp.raw, idx, ctypes.byref(ox), ctypes.byref(oy)):
                bottom = oy.value - 0.216 * size
                top = bottom + size
        if idx >= 0 and "  " not in raw_text.strip() and " " in raw_text.strip():
            text = _blanks(tp.raw, idx, raw_text).strip()
        words.append(
            {
                "x0": left,
                "x1": right,
                "top": height - top,
                "bottom": height - bottom,
                "text": text,
                "size": size,
                "fontname": font,
                "bold": weight >= 600 or "bold" in font.lower(),
                "space": raw_text[-1:].isspace(),  # a run ending in a space: the next one is another word
            }
        )
    chars = tp.count_chars()
    lines = []
    for obj in page.get_objects(filter=[R.FPDF_PAGEOBJ_PATH], max_depth=2):
        x0, y0, x1, y1 = obj.get_bounds()
        lines.append((x0, height - y1, x1, height - y0))
    pictures = [height - obj.get_bounds()[3] for obj in page.get_objects(filter=[R.FPDF_PAGEOBJ_IMAGE], max_depth=2)]
    tp.close()
    page.close()
    tables = _tables(lines, words)
    rules = [
        ln[1]
        for ln in lines
        if ln[3] - ln[1] < 2.5
        and ln[2] - ln[0] > width * 0.6
        and not any(t.bbox[0] - 3 <= ln[0] and ln[2] <= t.bbox[2] + 3 and t.bbox[1] - 3 <= ln[1] <= t.bbox[3] + 3 for t in tables)
    ]
    return _Page(width, height, chars, words, tables, rules, pictures)


def _blanks(raw_tp, idx: int, text: str) -> str:
    """*text*, the run starting at character *idx*, with a blank left to be filled by hand (``Kế hoạch số     -KH``,
    typed as several spaces) given its spaces again: PDFium keeps one space and a gap after it. A justified line
    widens every space alike: a space is several when its gap is some spaces wider than the run's usual one."""
    import ctypes

    import pypdfium2.raw as R

    box = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top

    def edges(k: int) -> tuple[float, float]:
        if not R.FPDFText_GetCharBox(raw_tp, k, *box):
            return 0.0, 0.0
        return box[0].value, box[1].value

    spaces = [p for p in range(1, len(text) - 1) if text[p] == " " and not text[p + 1].isspace()]
    if not spaces or any(chr(R.FPDFText_GetUnicode(raw_tp, idx + p)) != text[p] for p in (0, spaces[0], spaces[-1])):
        return text  # the run's characters are not where its text says: leave it
    measured = []
    for p in spaces:
        left, right = edges(idx + p)
        nxt, _r = edges(idx + p + 1)
        measured.append((p, right - left, nxt - right))
    usual = sorted(gap for _p, _w, gap in measured)[len(measured) // 2]
    out = text
    for p, width, gap in reversed(measured):
        n = round((width + gap) / (width + max(usual, 0.0))) if width > 0 else 1
        if n >= 2 and gap > 2 * width:
            out = out[:p] + " " * n + out[p + 1 :]
    return out


def _tables(lines: list[tuple[float, float, float, float]], words: list[dict[str, Any]]) -> list[_Table]:
    """Tables from ruling lines: horizontal and vertical strokes that meet, their grid, a cell merged where the
    line between two cells is missing."""
    hs = [ln for ln in lines if ln[3] - ln[1] < 2.5 and ln[2] - ln[0] > 5]
    vs = [ln for ln in lines if ln[2] - ln[0] < 2.5 and ln[3] - ln[1] > 5]
    if len(hs) < 2 or len(vs) < 2:
        return []
    segs = hs + vs
    parent = list(range(len(segs)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, h in enumerate(hs):
        for b, v in enumerate(vs, len(hs)):
            if v[0] - 2 <= (h[0] + h[2]) / 2 + (h[2] - h[0]) / 2 and h[0] - 2 <= v[2] and v[1] - 2 <= h[3] and h[1] <= v[3] + 2:
                if h[0] - 2 <= (v[0] + v[2]) / 2 <= h[2] + 2 and v[1] - 2 <= (h[1] + h[3]) / 2 <= v[3] + 2:
                    parent[find(a)] = find(b)
    groups: dict[int, list[tuple[float, float, float, float]]] = {}
    for k, seg in enumerate(segs):
        groups.setdefault(find(k), []).append(seg)
    out = []
    for group in groups.values():
        gh = [g for g in group if g in hs]
        gv = [g for g in group if g in vs]
        if len(gh) < 2 or len(gv) < 2:
            continue
        table = _grid(gh, gv, words)
        if table is not None:
            out.append(table)
    out.sort(key=lambda t: t.bbox[1])
    return out


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 2:
            out.append(v)
    return out


def _grid(hs, vs, words: list[dict[str, Any]]) -> _Table | None:
    ys = _positions([(h[1] + h[3]) / 2 for h in hs])
    xs = _positions([(v[0] + v[2]) / 2 for v in vs])
    if len(ys) < 2 or len(xs) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1

    def v_line_at(x: float, y0: float, y1: float) -> bool:
        mid = (y0 + y1) / 2
        return any(abs((v[0] + v[2]) / 2 - x) <= 2 and v[1] - 2 <= mid <= v[3] + 2 for v in vs)

    def h_line_at(y: float, x0: float, x1: float) -> bool:
        mid = (x0 + x1) / 2
        return any(abs((h[1] + h[3]) / 2 - y) <= 2 and h[0] - 2 <= mid <= h[2] + 2 for h in hs)

    owner = [[(r, c) for c in range(nc)] for r in range(nr)]
    for r in range(nr):
        for c in range(nc):
            if c > 0 and not v_line_at(xs[c], ys[r], ys[r + 1]):
                owner[r][c] = owner[r][c - 1]
            elif r > 0 and not h_line_at(ys[r], xs[c], xs[c + 1]):
                owner[r][c] = owner[r - 1][c]
    extent: dict[tuple[int, int], list[int]] = {}
    for r in range(nr):
        for c in range(nc):
            a = owner[r][c]
            e = extent.setdefault(a, [r, c, r, c])
            e[2], e[3] = max(e[2], r), max(e[3], c)
    texts: dict[tuple[int, int], list[dict[str, Any]]] = {a: [] for a in extent}
    x0, x1, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    for w in words:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        row = next((k for k in range(nr) if ys[k] <= cy <= ys[k + 1]), None)
        col = next((k for k in range(nc) if xs[k] <= cx <= xs[k + 1]), None)
        if row is not None and col is not None:
            texts[owner[row][col]].append(w)
    rows: list[list[str | None]] = [[None] * nc for _ in range(nr)]
    looks: list[list[_CellLook | None]] = [[None] * nc for _ in range(nr)]
    for a, cell_words in texts.items():
        lines = _lines(cell_words)
        rows[a[0]][a[1]] = "\n".join(ln.text for ln in lines)
        r0, c0, r1, c1 = extent[a]
        left, right = xs[c0], xs[c1 + 1]
        # Centred: every line's middle at the cell's, not starting at the cell's left padding.
        center = bool(lines) and all(abs((ln.x0 + ln.x1) / 2 - (left + right) / 2) < 3 and ln.x0 > left + 8 for ln in lines)
        bold = bool(cell_words) and all(w.get("bold") for w in cell_words)
        looks[a[0]][a[1]] = _CellLook(r1 - r0 + 1, c1 - c0 + 1, bold, center)
    widths = [xs[k + 1] - xs[k] for k in range(nc)]
    return _Table((x0, top, x1, bottom), rows, looks, widths)


# --------------------------------------------------------------------------- one page


def _page_blocks(page: _Page, state: dict[str, Any]) -> list[_Block]:
    """The blocks of one page; *state* carries a two-column block (Nơi nhận, sign-off) over to the next page."""
    tables = page.tables
    if state.get("width") != page.width:  # a two-column block does not go on past a change of orientation
        state.pop("cols", None)
        state["width"] = page.width
    boxes = [t.bbox for t in tables]

    def inside(w: dict) -> bool:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    words = [w for w in page.words if not inside(w)]
    lines = _lines(words)
    if not state.get("past_header"):
        # The header block ends with its place and date line: read up to there with the columns split by looks.
        end = next((ln.bottom for ln in lines if _DATE_END.search(ln.text)), None)
        if end is not None:
            head = _lines([w for w in words if w["bottom"] <= end + 1], header=True)
            lines = head + [ln for ln in lines if ln.top > end + 1]
        state["past_header"] = True
    # Page numbers in the header or footer are not text of the document.
    lines = [ln for ln in lines if not (ln.text.isdigit() and (ln.top < 60 or ln.bottom > page.height - 45))]
    items: list[tuple[float, Any]] = [(ln.top, ln) for ln in lines] + [(t.bbox[1], t) for t in tables]
    items += [(top, None) for top in page.rules]
    items += [(top, _PICTURE) for top in page.pictures]
    items.sort(key=lambda it: it[0])
    out: list[_Block] = []
    pending: list[_Line] = []
    mid = page.width / 2
    # The text's edges from the lines above a line across the page: the copy block under it sets its Nơi nhận further
    # left than the text.
    area = _area([ln for ln in lines if ln.top < min(page.rules, default=page.height)] or lines, tables)
    for _top, item in items:
        if isinstance(item, _Line):
            pending.append(item)
            continue
        out += _paragraphs(pending, mid, area, state)
        pending = []
        state.pop("cols", None)
        if item is None:  # a line across the page: what follows is not the two-column block above it
            continue
        if item is _PICTURE:
            out.append(_Block("picture"))
            continue
        out.append(
            _Block("table", rows=[[_cell(c) for c in row] for row in item.extract()], looks=item.looks, widths=item.widths)
        )
    out += _paragraphs(pending, mid, area, state)
    return out


def _area(lines: list[_Line], tables) -> tuple[float, float]:
    """The left and right edges of the page's running text: the most common line starts and ends."""
    if tables:
        return tables[0].bbox[0], tables[0].bbox[2]
    if not lines:
        return 0, 0
    starts = Counter(round(ln.x0) for ln in lines)
    ends = Counter(round(ln.x1) for ln in lines if ln.x1 > max(x.x1 for x in lines) - 15)
    return min(x for x, _n in starts.most_common(2)), max(x for x, _n in ends.most_common(1))


def _lines(words: list[dict], header: bool = False) -> list[_Line]:
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict]] = []
    for w in words:
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= 3:
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        size = max(w.get("size", 12) for w in row)
        segments: list[tuple[float, float, str]] = []
        for k, w in enumerate(row):
            # In the header a tab (left column, right column) may be no wider than a space: a change of font
            # or size there is where the columns meet.
            look_changes = (
                header and k > 0 and (w.get("fontname"), w.get("size")) != (row[k - 1].get("fontname"), row[k - 1].get("size"))
            )
            if segments and w["x0"] - segments[-1][1] <= size * 1.6 and not look_changes:
                x0, _x1, text = segments[-1]
                # Runs that touch are one word (PDFium ends a run at a non-breaking hyphen: 41-CT/TW).
                space = "" if w["x0"] - segments[-1][1] < size * 0.2 and not row[k - 1].get("space") else " "
                segments[-1] = (x0, w["x1"], f"{text}{space}{w['text']}")
            else:
                segments.append((w["x0"], w["x1"], w["text"]))
        # Word's automatic number (I., 1., a), a bullet) stands apart from its text by a tab: one segment with it.
        if len(segments) >= 2 and _NUMBER_ONLY.match(segments[0][2]):
            (x0, _x1, number), (_x0, x1, text) = segments[0], segments[1]
            segments[:2] = [(x0, x1, f"{number} {text}")]
        out.append(
            _Line(
                row[0]["x0"],
                row[-1]["x1"],
                min(w["top"] for w in row),
                max(w["bottom"] for w in row),
                size,
                " ".join(s[2] for s in segments),
                segments,
            )
        )
    return out


def _paragraphs(lines: list[_Line], mid: float, area: tuple[float, float], state: dict[str, Any]) -> list[_Block]:
    if not lines:
        return []
    left, right = area
    center = (left + right) / 2
    out: list[_Block] = []
    prev: _Line | None = None
    cols: _Block | None = state.get("cols")
    for ln in lines:
        two = len(ln.segments) >= 2
        one_side = ln.x1 < mid + 40 or ln.x0 > mid - 40
        if not two and ln.text.endswith(" ĐẢNG CỘNG SẢN VIỆT NAM"):
            # A heading block typed with a tab no wider than a space (an attachment's, past the first header).
            cut = ln.x0 + (ln.x1 - ln.x0) * (len(ln.text) - len("ĐẢNG CỘNG SẢN VIỆT NAM")) / len(ln.text)
            ln.segments = [(ln.x0, cut, ln.text[: -len(" ĐẢNG CỘNG SẢN VIỆT NAM")]), (cut, ln.x1, "ĐẢNG CỘNG SẢN VIỆT NAM")]
            two = True
        starts_cols = two or ln.text.rstrip(":") == "Nơi nhận" or bool(_SIGN.match(ln.text))
        if cols is not None and cols.left and ln.text.startswith("Nơi nhận"):
            cols = None  # Nơi nhận under a heading block (a Bản sao's copy block): a block of its own, as in the DOCX
        if _APPENDIX.match(ln.text) or SALUTATION.match(ln.text):  # the header's columns end before them
            cols = None
        if "ĐẢNG CỘNG SẢN VIỆT NAM" in ln.text and cols is not None and (cols.left or cols.right):
            cols = None  # a new heading block (an attachment's, on its own page): not the sign-off going on
            state.pop("cols", None)
        if cols is not None and (two or one_side):
            for x0, x1, text in ln.segments if two else [(ln.x0, ln.x1, ln.text)]:
                side = cols.left if (x0 + x1) / 2 < mid else cols.right
                side.append(_Line(x0, x1, ln.top, ln.bottom, ln.size, text))
            continue
        if starts_cols:
            cols = _Block("cols")
            out.append(cols)
            for x0, x1, text in ln.segments if two else [(ln.x0, ln.x1, ln.text)]:
                side = cols.left if (x0 + x1) / 2 < mid else cols.right
                side.append(_Line(x0, x1, ln.top, ln.bottom, ln.size, text))
            state["cols"] = cols
            prev = None
            continue
        cols = None
        state.pop("cols", None)
        centred = abs((ln.x0 + ln.x1) / 2 - center) < 12 and ln.x0 > left + 20
        if (
            prev is not None
            and out
            and out[-1].kind == "p"
            and not centred
            and not out[-1].center
            and ln.top - prev.bottom < ln.size * 0.6
            and ln.x0 <= left + 6
            and prev.x1 >= right - 25
            and not (ln.text.startswith("(") and prev.text.upper() == prev.text)  # a title, then its (Kèm theo …) line
        ):
            out[-1].text = _join(out[-1].text, ln.text)
        elif (
            centred
            and prev is not None
            and out
            and out[-1].kind == "p"
            and abs((prev.x0 + prev.x1) / 2 - center) < 12
            and ln.top - prev.bottom < ln.size * 0.6
            and prev.x1 - prev.x0 >= right - left - 60
            and not _DASHES.match(ln.text)
            and not ln.text.startswith("(")  # the line under a title ((Kèm theo …), (Ban hành kèm theo …)) is its own
        ):
            # A centred line as wide as the text (a long trích yếu) wrapped onto the next one: one line of the data.
            out[-1].text = _join(out[-1].text, ln.text)
        else:
            out.append(_Block("p", text=ln.text, center=centred))
        prev = ln
    return out


def _column(lines: list[_Line]) -> list[str]:
    """A column's lines as its paragraphs: wrapped lines joined (knowing the column's widest line)."""
    # The widest line in capitals: a body's name too long for the column wraps there (a trích yếu may be wider).
    capitals = [ln for ln in lines if any(c.isalpha() for c in ln.text) and not any(c.islower() for c in ln.text)]
    widest = max((ln.x1 - ln.x0 for ln in capitals or lines), default=0)
    out: list[str] = []
    before: _Line | None = None
    for ln in lines:
        if (
            out
            and before is not None
            and ln.top - before.bottom < ln.size * 0.8
            and _continues(out[-1], before.x1 - before.x0, widest, ln.text)
        ):
            out[-1] = _join(out[-1], ln.text)
        else:
            out.append(ln.text)
        before = ln
    return out


def _continues(prev: str, prev_width: float, widest: float, text: str) -> bool:
    """Whether *text* is the wrapped rest of the line *prev* in a column of the header or of Nơi nhận."""
    if text == "*" or text.startswith("Số") or _MARKER.match(text) or _SIGN.match(text) or _SIGN.match(prev):
        return False
    if prev.startswith(("-", "–")):  # a recipient broken over two lines; the archive line ends the list
        return not prev.endswith(".") and not re.match(r"^\S+-\d+\.?$", text)
    if prev.startswith("Nơi nhận") or prev == "ĐẢNG CỘNG SẢN VIỆT NAM":
        return False
    upper = lambda t: any(c.isalpha() for c in t) and not any(c.islower() for c in t)  # noqa: E731
    if prev.startswith("V/v ") and not (upper(text) and text[:1].isalpha()):
        return True  # a Công văn's trích yếu wrapped in its narrow column (not a mark: KHẨN, MẬT)
    # The name of an issuing body too long for its cell: the cell's widest line, continued in capitals — not a line
    # that names a body itself (the issuer under its superior) or leaves a blank to fill (a form).
    if _BODY_START.match(text) or "…" in text or "...." in text:
        return False
    return upper(prev) and upper(text) and prev_width >= widest - 5


def _join(a: str, b: str) -> str:
    """Two wrapped lines as one text: a hyphen ending a line inside a word (41-/CT/TW) joins without a space."""
    if a.endswith("-") and len(a) > 1 and a[-2] != " ":
        return a + b
    return f"{a} {b}"


def _cell(value: str | None) -> str | None:
    """A table cell's lines joined again: a line starting with ``-`` starts a new item."""
    if value is None:
        return None
    out: list[str] = []
    for line in value.split("\n"):
        line = line.strip()
        if not line:
            continue
        if out and not re.match(r"^[-–+•]\s", line) and not _STATUS_START.match(line):
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
    return "\n".join(out)


# --------------------------------------------------------------------------- across pages


def _join_tables(blocks: list[_Block]) -> list[_Block]:
    """A table continued on the next page is one table; a row broken by the page is one row."""
    out: list[_Block] = []
    appendix = False
    for b in blocks:
        if b.kind != "table":
            appendix = appendix or (b.kind == "p" and bool(_APPENDIX.match(b.text)))
            out.append(b)
            continue
        prev_table = out[-1] if out and out[-1].kind == "table" else None
        rows, looks = b.rows, b.looks or [[None] * len(r) for r in b.rows]
        if prev_table is not None and rows:
            repeated = 0  # the header rows printed again at the top of the page
            while repeated < min(len(rows) - 1, len(prev_table.rows)) and rows[repeated] == prev_table.rows[repeated]:
                repeated += 1
            if repeated:
                prev_table.header = max(prev_table.header, repeated)
                rows, looks = rows[repeated:], looks[repeated:]
            if rows and not (rows[0][0] or "").strip() and prev_table.rows:
                last = prev_table.rows[-1]
                prev_table.rows[-1] = [
                    (_join(x or "", y) if y else x) if x is not None or y is not None else None
                    for x, y in zip(last, rows[0] + [None] * (len(last) - len(rows[0])), strict=False)
                ]
                rows, looks = rows[1:], looks[1:]
            prev_table.rows += rows
            prev_table.looks += looks
        else:
            out.append(_Block("table", rows=list(rows), looks=list(looks), widths=b.widths, appendix=appendix))
    for b in out:
        if b.kind == "table" and b.appendix:
            _fill_merged(b.rows)
    return out


def _fill_merged(rows: list[list[str | None]]) -> None:
    """A vertically merged cell (None below its first row) belongs to each task row it spans."""
    above: list[str | None] = []
    for row in rows:
        is_group = len(row) >= 5 and all(c is None or not c.strip() for c in row[2:])
        if is_group:
            above = []
            continue
        if above:
            for i, c in enumerate(row):
                if c is None and i < len(above) and i >= 2:
                    row[i] = above[i]
        above = list(row)


# --------------------------------------------------------------------------- as a DOCX


def _as_docx(blocks: list[_Block]):
    doc = docx.Document()
    body = doc.element.body
    sect = body[-1]
    for b in blocks:
        if b.kind == "p":
            p = doc.add_paragraph(b.text)
            if b.center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif b.kind == "picture":
            # The picture stands for the PDF's (a report's chart): that there is one is what the reader reads.
            doc.add_paragraph().add_run().add_picture(io.BytesIO(_PIXEL), width=docx.shared.Mm(10))
        elif b.kind == "cols":
            t = doc.add_table(rows=1, cols=2)
            for cell, lines in zip(t.rows[0].cells, (_column(b.left), _column(b.right)), strict=True):
                cell.paragraphs[0].text = lines[0] if lines else ""
                for line in lines[1:]:
                    cell.add_paragraph(line)
        elif not b.appendix:
            _body_table(doc, b)
        else:
            width = max((len(r) for r in b.rows), default=1)
            t = doc.add_table(rows=0, cols=width)
            for row in b.rows:
                cells = t.add_row().cells
                spanned = len(row) >= 5 and all(c is None for c in row[2:]) and row[1] is not None
                for i, value in enumerate(row):
                    if value is None:
                        continue
                    lines = value.split("\n")
                    cells[i].paragraphs[0].text = lines[0]
                    for line in lines[1:]:
                        cells[i].add_paragraph(line)
                if spanned:
                    cells[1].merge(cells[-1])
    body.append(sect)  # the section properties stay last
    return doc


def _body_table(doc, b: _Block) -> None:
    """A body table as drawn: its column widths, header rows (those printed again on the next page, else the leading
    rows all in bold), cells merged across and down, a bold or centred cell."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width = max((len(r) for r in b.rows), default=1)
    t = doc.add_table(rows=len(b.rows), cols=width)
    # Ruling lines are drawn to a fraction of a point: a width within 0.25 mm of a whole mm is that mm.
    mm = [w * 25.4 / 72 for w in b.widths] if len(b.widths) == width else []
    mm = [round(w) if abs(w - round(w)) < 0.25 else w for w in mm]
    for col, gc in zip(mm, t._tbl.tblGrid.findall(qn("w:gridCol")), strict=True):
        gc.set(qn("w:w"), str(round(col * 1440 / 25.4)))
    looks = b.looks if len(b.looks) == len(b.rows) else [[None] * len(r) for r in b.rows]

    def all_bold(r: int) -> bool:
        cells = [lk for v, lk in zip(b.rows[r], looks[r], strict=False) if v]
        return bool(cells) and all(lk is not None and lk.bold for lk in cells)

    header = b.header
    if not header:
        while header < len(b.rows) - 1 and all_bold(header):
            header += 1
    for r in range(header):
        tr_pr = t.rows[r]._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))
    merges = []
    for r, (row, row_looks) in enumerate(zip(b.rows, looks, strict=True)):
        for c, value in enumerate(row):
            look = row_looks[c] if c < len(row_looks) else None
            if value is None:
                continue
            cell = t.cell(r, c)
            lines = value.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
            if look is None:
                continue
            if r >= header:  # a header row is bold and centred by the template: nothing of the cell's own
                for p in cell.paragraphs:
                    if look.center:
                        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    for run in p.runs:
                        run.bold = look.bold or None
            if look.down > 1 or look.across > 1:
                merges.append((r, c, min(r + look.down, len(b.rows)) - 1, min(c + look.across, width) - 1))
    for r0, c0, r1, c1 in merges:
        t.cell(r0, c0).merge(t.cell(r1, c1))
