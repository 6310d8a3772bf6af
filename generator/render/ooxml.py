"""OOXML helpers of the render stage: what the template's XML gets from the rule profile and from the rules
of the printed page, independent of any document's data.

Layout (page size, margins, body spacing, title sizes) is applied once to the template when it is compiled;
pagination marks (keep a group row with its first task, keep the last paragraph with the sign-off) are set
on the template too; the date line's column and the unbreakable hyphens of dates and numbers are fixed on
each rendered part.
"""

from __future__ import annotations

import functools
import html
import math
import re
import unicodedata
from xml.sax.saxutils import escape as xml_escape

from lxml import etree

from generator.io.refdata import Layout
from generator.lang import vn

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

#: Parses template and rendered XML: no entities, no network, no DTD (a DOCX never needs them).
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _mm(value: float) -> str:
    return str(round(value * 1440 / 25.4))


def _pt(value: float) -> str:
    return str(round(value * 20))


_SECT_ORDER = [
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
]


def _child(parent: etree._Element, tag: str, order: list[str] | None = None) -> etree._Element:
    el = parent.find(_W + tag)
    if el is None:
        el = etree.Element(_W + tag)
        if order:
            # Keep the schema's element order, which Word enforces.
            rank = order.index(tag)
            for i, sib in enumerate(parent):
                name = etree.QName(sib).localname
                if name in order and order.index(name) > rank:
                    parent.insert(i, el)
                    break
            else:
                parent.append(el)
        else:
            parent.append(el)
    return el


def apply_layout_document(xml: bytes, layout: Layout) -> bytes:
    """Page size, margins and appendix page numbering of every section, from the profile."""
    root = etree.fromstring(xml)
    sects = root.findall(f".//{_W}sectPr")
    for i, sect in enumerate(sects):
        sz = _child(sect, "pgSz", _SECT_ORDER)
        landscape = sz.get(_W + "orient") == "landscape"
        w, h = layout.page["width_mm"], layout.page["height_mm"]
        sz.set(_W + "w", _mm(h if landscape else w))
        sz.set(_W + "h", _mm(w if landscape else h))
        mar = _child(sect, "pgMar", _SECT_ORDER)
        for side, value in layout.margins_mm.items():
            mar.set(_W + side, _mm(value))
        mar.set(_W + "header", _mm(layout.header_distance_mm))
        if i > 0:  # sections after the body: the appendix
            if layout.appendix_page_numbers == "restart":
                _child(sect, "pgNumType", _SECT_ORDER).set(_W + "start", "1")
                _child(sect, "titlePg", _SECT_ORDER)
            else:
                for tag in ("pgNumType", "titlePg"):
                    el = sect.find(_W + tag)
                    if el is not None:
                        sect.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def apply_layout_styles(xml: bytes, layout: Layout) -> bytes:
    """Body spacing and title sizes from the profile, set on the template's named styles."""
    root = etree.fromstring(xml)

    def style(sid: str) -> etree._Element | None:
        return root.find(f"{_W}style[@{_W}styleId='{sid}']")

    body = style("VBNoiDung")
    if body is not None:
        ppr = _child(body, "pPr")
        sp = _child(ppr, "spacing")
        sp.set(_W + "line", _pt(layout.body_line_spacing_pt))
        sp.set(_W + "lineRule", "exact")
        sp.set(_W + "after", _pt(layout.body_space_after_pt))
        _child(ppr, "ind").set(_W + "firstLine", _mm(layout.first_line_indent_mm))
    for sid, size in (("VBTenLoai", layout.title_size_pt), ("VBTrichYeu", layout.subject_size_pt)):
        st = style(sid)
        if st is not None:
            rpr = _child(st, "rPr")
            for tag in ("sz", "szCs"):
                _child(rpr, tag).set(_W + "val", str(round(size * 2)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --------------------------------------------------------------------------- pagination

_KEEP_MARK = "vanban-keep-with-next"
_GROUP_LOOP = re.compile(r"\{%\s*tr\s+for\s+\w+\s+in\s+appendix\.groups\b")
_ROW_TAG = re.compile(r"\{%\s*tr\s+(?:for|endfor)\b")
_PPR_FIRST = ("pStyle",)  # the only pPr child that precedes keepNext in the schema


def _keep_next(p: etree._Element) -> None:
    ppr = p.find(_W + "pPr")
    if ppr is None:
        ppr = etree.SubElement(p, _W + "pPr")
        p.insert(0, ppr)
    if ppr.find(_W + "keepNext") is None:
        at = 1 if len(ppr) and etree.QName(ppr[0]).localname in _PPR_FIRST else 0
        ppr.insert(at, etree.Element(_W + "keepNext"))


def _tag_text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(_W + "t"))


def apply_pagination(xml: bytes) -> bytes:
    """Keep-with-next where a page must not end, in any template (built-in or ``--template``).

    A group row of the appendix (a row inside ``{%tr for … in appendix.groups %}`` before the
    loop over its items) keeps with its first item: Word and LibreOffice both honour keepNext
    on the row's paragraphs. Only those rows: on every row LibreOffice gives each row a page.
    The table that holds the signature is marked so that the body paragraph rendered just
    before it keeps with it (see :func:`keep_last_paragraph`): the sign-off never opens a page."""
    root = etree.fromstring(xml, SAFE_PARSER)
    for tbl in root.iter(_W + "tbl"):
        in_group = False
        for tr in tbl.findall(_W + "tr"):
            text = _tag_text(tr)
            if _GROUP_LOOP.search(text):
                in_group = True
            elif _ROW_TAG.search(text):
                in_group = False
            elif in_group:
                for p in tr.iter(_W + "p"):
                    _keep_next(p)
    body = root.find(_W + "body")
    if body is not None:
        for tbl in body.findall(_W + "tbl"):
            if re.search(r"\{\{[^}]*\bsign\.", _tag_text(tbl)):
                tbl.addprevious(etree.Comment(_KEEP_MARK))
                break
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _keep_next_xml(p: str) -> str:
    """*p* (one rendered paragraph's XML) with keepNext in its properties."""
    m = re.match(r"<w:p(?: [^>]*)?>(<w:pPr(?: [^>]*)?>)?(<w:pStyle [^>]*/>)?", p)
    assert m is not None  # the caller passes a paragraph: it starts with <w:p> or <w:p …>
    if m.group(1) is None:
        return p[: m.end()] + "<w:pPr><w:keepNext/></w:pPr>" + p[m.end() :]
    if "<w:keepNext/>" in p[: p.find("</w:pPr>")]:
        return p
    return p[: m.end()] + "<w:keepNext/>" + p[m.end() :]


def keep_last_paragraph(out: str) -> str:
    """The rendered paragraph just before the marked table keeps with it; the mark goes."""
    mark = f"<!--{_KEEP_MARK}-->"
    at = out.find(mark)
    if at < 0:
        return out
    start = max(out.rfind("<w:p>", 0, at), out.rfind("<w:p ", 0, at))
    if start >= 0 and "</w:tbl>" not in out[start:at] and out[start:at].rstrip().endswith("</w:p>"):
        return out[:start] + _keep_next_xml(out[start:at]) + out[at + len(mark) :]
    return out[:at] + out[at + len(mark) :]


_DATE_MARK = "vanban-date-table"
_TWIPS_PER_MM = 1440 / 25.4


def mark_date_table(xml: bytes) -> bytes:
    """Marks the two-column header table that prints ``h.place_date`` (see :func:`fit_date_line`)."""
    root = etree.fromstring(xml, SAFE_PARSER)
    body = root.find(_W + "body")
    for tbl in body.findall(_W + "tbl") if body is not None else []:
        if "h.place_date" in _tag_text(tbl):
            if len(tbl.findall(f"{_W}tblGrid/{_W}gridCol")) == 2:
                tbl.addprevious(etree.Comment(_DATE_MARK))
            break
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@functools.lru_cache(maxsize=1)
def _italic_advances() -> tuple[dict[int, int], int, int]:
    """Advance widths of the header date's face (Times New Roman or its metric twin), by code point."""
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=["Times New Roman", "Liberation Serif"], style="italic"))
    font = TTFont(path, lazy=True)
    hmtx = font["hmtx"]
    widths = {cp: hmtx[name][0] for cp, name in font.getBestCmap().items()}
    return widths, font["head"].unitsPerEm, max(widths.values())


def _date_width_twips(text: str, size_pt: float = 14) -> int:
    widths, upm, widest = _italic_advances()
    units = sum(widths.get(ord(c), widest) for c in unicodedata.normalize("NFC", text))
    return math.ceil(units / upm * size_pt * 20)


def fit_date_line(out: str, place_date: str) -> str:
    """Widens the header's date column (at the other column's expense) when the place/date line
    would not fit on one line: ``Thành phố Hồ Chí Minh, ngày 13 tháng 12 năm 2022`` is 106 mm,
    the column 80 mm. Paragraphs of that column indented on both sides (the rule under ĐẢNG CỘNG
    SẢN VIỆT NAM) keep their width and stay centred."""
    mark = f"<!--{_DATE_MARK}-->"
    at = out.find(mark)
    if at < 0:
        return out
    out = out[:at] + out[at + len(mark) :]
    end = out.find("</w:tbl>", at) + len("</w:tbl>")
    seg = out[at:end]
    if not seg.startswith("<w:tbl") or seg.count("<w:tbl>") + seg.count("<w:tbl ") != 1 or not place_date:
        return out
    root_open = re.search(r"<w:document[^>]*>", out)
    if root_open is None:
        return out
    tbl = etree.fromstring(root_open.group(0) + seg + "</w:document>", SAFE_PARSER)[0]
    grid = tbl.findall(f"{_W}tblGrid/{_W}gridCol")
    rows = [tr.findall(_W + "tc") for tr in tbl.findall(_W + "tr")]
    if any(len(tcs) != 2 or tc.find(f"{_W}tcPr/{_W}gridSpan") is not None for tcs in rows for tc in tcs):
        return out
    col = next((i for tcs in rows for i, tc in enumerate(tcs) if place_date in _tag_text(tc)), None)
    if col is None:
        return out
    widths = [int(g.get(_W + "w", "0")) for g in grid]
    slack = round(2 * _TWIPS_PER_MM)  # kerning and rounding differ a little between Word and LibreOffice
    # A rough upper bound first: most lines fit, and need no font.
    if len(place_date) * 2.6 * _TWIPS_PER_MM + slack <= widths[col]:
        return out
    need = _date_width_twips(place_date) + slack
    delta = min(need - widths[col], widths[1 - col] - round(55 * _TWIPS_PER_MM))
    if delta <= 0:
        return out
    widths[col] += delta
    widths[1 - col] -= delta
    for g, w in zip(grid, widths, strict=False):
        g.set(_W + "w", str(w))
    for tcs in rows:
        for tc, w in zip(tcs, widths, strict=False):
            tcw = tc.find(f"{_W}tcPr/{_W}tcW")
            if tcw is not None:
                tcw.set(_W + "w", str(w))
                tcw.set(_W + "type", "dxa")
        for p in tcs[col].iter(_W + "p"):
            ind = p.find(f"{_W}pPr/{_W}ind")
            if ind is not None and int(ind.get(_W + "left", "0")) > 0 and int(ind.get(_W + "right", "0")) > 0:
                for side in ("left", "right"):
                    ind.set(_W + side, str(int(ind.get(_W + side)) + delta // 2))
    return out[:at] + etree.tostring(tbl, encoding="unicode") + out[end:]


_RUN_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*-[^<]*)</w:t>")


def _no_break_hyphen(m: re.Match) -> str:
    return _no_break_hyphen_text(m.group(1)) or m.group(0)


@functools.lru_cache(maxsize=4096)
def _no_break_hyphen_text(text: str) -> str | None:
    """The runs' text *text* (escaped) with its unbreakable hyphens as w:noBreakHyphen; None when it has none.
    Cached: a batch prints the same dates and numbers in every document."""
    cuts = vn.unbreakable_hyphens(html.unescape(text)) if "&" in text else vn.unbreakable_hyphens(text)
    if not cuts:
        return None
    plain = html.unescape(text)
    pieces, last = [], 0
    for i in cuts:
        pieces.append(plain[last:i])
        last = i + 1
    pieces.append(plain[last:])
    # The hyphen stays in the text (python-docx and Word read w:noBreakHyphen as "-").
    return "<w:noBreakHyphen/>".join(f'<w:t xml:space="preserve">{xml_escape(p)}</w:t>' if p else "" for p in pieces)


def unbreakable_hyphens(xml: str) -> str:
    """Hyphens inside dates and document numbers (``16-9-2011``, ``41-CT/TW``) become ``w:noBreakHyphen``."""
    return _RUN_TEXT.sub(_no_break_hyphen, xml)


def append_body(docx: bytes, block: bytes) -> bytes:
    """*docx* with the body of *block* (another DOCX built on the same styles) added at its end, after its last
    section's content: the copy block of a Bản sao under the copied document. Both are vanban's own renderings."""
    import io
    import zipfile

    def body_of(data: bytes) -> tuple[etree._Element, etree._Element]:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = etree.fromstring(z.read("word/document.xml"), SAFE_PARSER)
        return root, root.find(_W + "body")

    root, body = body_of(docx)
    _block_root, block_body = body_of(block)
    last = body[-1] if len(body) and body[-1].tag == _W + "sectPr" else None
    for child in list(block_body):
        if child.tag == _W + "sectPr":
            continue
        if last is not None:
            last.addprevious(child)
        else:
            body.append(child)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, xml if info.filename == "word/document.xml" else src.read(info.filename))
    return out.getvalue()
