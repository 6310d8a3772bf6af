"""Letters, a Quyết định with articles (and the Quy chế it adopts) and a Biên bản typed the way clerks type them,
built with python-docx (never with our templates), for ``vanban import``'s per-kind accuracy.

Each builder types a committed sample in Word's way: direct formatting, the header in a borderless table or in
paragraphs with tabs, the Công văn's trích yếu under the number with a line break (Shift+Enter), body paragraphs
starting with a tab, Nơi nhận and the signature side by side in a borderless table, the Quy chế on a new page
after a page break with its own heading block. :func:`import_corpus.field_accuracy` compares field by field.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import docx
from docx.enum.text import WD_BREAK
from docx.shared import Mm

from generator.lang import vn

from .import_corpus import ROOT, _cell_lines, _no_borders, _para, _run


def load(relative: str):
    from generator.services.documents import load_document

    return load_document(ROOT / "samples" / relative).plan


def _page() -> Any:
    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Mm(30), Mm(15), Mm(20), Mm(20)
    return doc


def _header(doc, d, code: str, o: dict[str, Any], under_number: list[str] | None = None, dated: bool = True) -> None:
    h = d.header
    left = [vn.upper(h.superior or ""), vn.upper(h.issuer), "*"]
    if dated:
        left.append(f"Số {h.number:02d}-{code}/{h.issuer_code}" if h.number else f"Số    -{code}/{h.issuer_code}")
    date_line = vn.header_date(h.date.year, h.date.month, h.date.day, h.place) if dated else ""
    if o.get("tab_header"):
        right = ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "", date_line]
        for a, b in zip(left, right, strict=False):
            p = doc.add_paragraph()
            _run(p, a, bold=a == left[1], size=14)
            if b:
                p.add_run().add_tab()
                _run(p, b, bold=b.startswith("ĐẢNG"), italic=b == date_line, size=14)
        if under_number:  # typed after the header, left: "V/v …" with a line break for its second line
            p = _para(doc, under_number[0], italic=True, size=12)
            for line in under_number[1:]:
                p.runs[-1].add_break(WD_BREAK.LINE)
                _run(p, line, italic=True, size=12)
        for mark in _marks(d):
            _para(doc, mark, bold=True, size=13)
        return
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    lc, rc = table.rows[0].cells
    _cell_lines(lc, left, size=14, align="center")
    if under_number:
        p = lc.add_paragraph()
        _run(p, under_number[0], italic=True, size=12)
        for line in under_number[1:]:
            p.runs[-1].add_break(WD_BREAK.LINE)
            _run(p, line, italic=True, size=12)
    for mark in _marks(d):
        _run(lc.add_paragraph(), mark, bold=True, size=13)
    _cell_lines(rc, ["ĐẢNG CỘNG SẢN VIỆT NAM", *([date_line] if date_line else [])], size=14, align="center")


def _marks(d) -> list[str]:
    m = d.header.marks
    return [x for x in (m.secrecy, m.urgency) if x]


def _title(doc, name: str, subject: list[str]) -> None:
    _para(doc, vn.upper(name), align="center", bold=True, size=16)
    for line in subject:
        _para(doc, line, align="center", bold=True)
    _para(doc, "-----", align="center")


def _closing(doc, d) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    lc, rc = table.rows[0].cells
    sep = ";" if d.profile == "hd05-2026" else ","
    lines = [f"- {r.to}{f' ({r.note})' if r.note else ''}{r.end or sep}" for r in d.recipients]
    lines.append(f"- Lưu {', '.join(d.archive)}.")
    lc.paragraphs[0].text = ""
    _run(lc.paragraphs[0], "Nơi nhận:", size=14, underline=True)
    for line in lines:
        _run(lc.add_paragraph(), line, size=12)
    _sign(rc, d.signoff)


def _sign(cell, s) -> None:
    lines = ([f"{s.form} {vn.upper(s.authority or '')}"] if s.form else []) + [vn.upper(s.position), "", "", "", s.name]
    _cell_lines(cell, lines, bold=True, size=14, align="center")


def _body_text(doc, lines: list[str], tab: bool) -> None:
    for line in lines:
        _para(doc, line, align="justify", tab=tab)


def _saved(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- Công văn


def cong_van(o: dict[str, Any]) -> tuple[Any, bytes]:
    d = load("cong-van/cong-van.yaml")
    doc = _page()
    subject = [("V/v " if d.subject_prefix else "") + d.subject[0], *d.subject[1:]]
    _header(doc, d, "CV", o, under_number=subject)
    tab = bool(o.get("tab_indent"))
    if len(d.to) == 1:
        _para(doc, f"Kính gửi: {d.to[0]}", align="center")
    else:
        _para(doc, "Kính gửi:", align="center")
        for i, name in enumerate(d.to):
            _para(doc, f"- {name}{',' if i < len(d.to) - 1 else '.'}", align="center")
    if d.cc:
        _para(doc, f"Đồng kính gửi: {', '.join(d.cc)}", align="center")
    _body_text(doc, d.preamble, tab)
    for i, point in enumerate(d.points, 1):
        _para(doc, f"{i}. {point}", align="justify", tab=tab)
    _body_text(doc, d.closing.paragraphs if d.closing else [], tab)
    _closing(doc, d)
    return d, _saved(doc)


# --------------------------------------------------------------------------- Quyết định and its Quy chế


def _articles(doc, articles, tab: bool, start: int = 1) -> int:
    n = start
    for a in articles:
        p = _para(doc, "", align="justify", tab=tab)
        _run(p, f"Điều {n}. ", bold=True)
        if a.title:
            _run(p, a.title, bold=True)
            if a.text:
                _para(doc, a.text, align="justify", tab=tab)
        elif a.text:
            _run(p, a.text)
        _body_text(doc, a.paragraphs, tab)
        for i, c in enumerate(a.clauses, 1):
            _para(doc, f"{i}. {c.text}", align="justify", tab=tab)
            for j, pt in enumerate(c.points, 1):
                _para(doc, f"{vn.alpha(j)}) {pt}", align="justify", tab=tab)
        n += 1
    return n


def _divisions(doc, word: str, divisions, tab: bool, n: int, counter: list[int]) -> int:
    for d in divisions:
        counter[0] += 1
        _para(doc, f"{word} {vn.roman(counter[0])}", align="center", bold=True)
        _para(doc, vn.upper(d.title), align="center", bold=True)
        n = _articles(doc, d.articles, tab, n)
    return n


def quyet_dinh(o: dict[str, Any]) -> tuple[Any, bytes]:
    d = load("quyet-dinh-quy-che/quyet-dinh.yaml")
    doc = _page()
    tab = bool(o.get("tab_indent"))
    _header(doc, d, "QĐ", o)
    _title(doc, "Quyết định", d.subject)
    for i, g in enumerate(d.grounds):
        _para(doc, f"- {g}{',' if i == len(d.grounds) - 1 else ';'}", align="justify", tab=tab)
    s = d.signoff
    _para(doc, vn.upper(d.enacting_body or f"{s.authority} {d.header.issuer}"), align="center", bold=True)
    _para(doc, d.decides, align="center", bold=True)
    _articles(doc, d.articles, tab)
    _closing(doc, d)
    a = d.attachment
    if a is not None:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _header(doc, a, "", o, dated=False)
        _para(doc, vn.upper(vn.upper("Quy chế")), align="center", bold=True, size=16)
        for line in a.subject:
            _para(doc, line, align="center", bold=True)
        h = d.header
        cite = f"Quyết định số {h.number:02d}-QĐ/{h.issuer_code}, ngày {h.date.day:02d}/{h.date.month}/{h.date.year}"
        _para(doc, f"(Ban hành kèm theo {cite} của {s.authority} {h.issuer})", align="center", italic=True)
        _para(doc, "-----", align="center")
        _divisions(doc, "Chương", a.chapters, tab, 1, [0])
        table = doc.add_table(rows=1, cols=2)
        _no_borders(table)
        _sign(table.rows[0].cells[1], a.signoff)
    return d, _saved(doc)


# --------------------------------------------------------------------------- Biên bản


def bien_ban(o: dict[str, Any]) -> tuple[Any, bytes]:
    from generator.kinds.minutes import end_line, opening

    d = load("bien-ban/bien-ban.yaml")
    doc = _page()
    tab = bool(o.get("tab_indent"))
    _header(doc, d, "BB", o)
    _title(doc, "Biên bản", d.subject)
    _body_text(doc, opening(d), tab)
    for i, sec in enumerate(d.sections, 1):
        _para(doc, f"{vn.roman(i)}- {vn.upper(sec.title)}", align="justify", bold=True)
        _body_text(doc, sec.paragraphs, tab)
        for j, sub in enumerate(sec.sections, 1):
            _para(doc, f"{j}. {sub.title}", align="justify", bold=True)
            _body_text(doc, sub.paragraphs, tab)
    _para(doc, end_line(d), align="justify", tab=tab)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    lc, rc = table.rows[0].cells
    _cell_lines(lc, [vn.upper(d.secretary_title), "", "", "", d.secretary.name], bold=True, size=14, align="center")
    _cell_lines(rc, [vn.upper(d.signoff.position), "", "", "", d.signoff.name], bold=True, size=14, align="center")
    return d, _saved(doc)


#: The corpus of the other kinds: (kind, variant) → the builder and its options.
KIND_VARIANTS: dict[tuple[str, str], tuple[Callable[[dict[str, Any]], tuple[Any, bytes]], dict[str, Any]]] = {
    ("cong-van", "table-header-break"): (cong_van, {}),
    ("cong-van", "tab-header-tab-indent"): (cong_van, {"tab_header": True, "tab_indent": True}),
    ("quyet-dinh", "table-header"): (quyet_dinh, {}),
    ("quyet-dinh", "tab-header-tab-indent"): (quyet_dinh, {"tab_header": True, "tab_indent": True}),
    ("bien-ban", "table-header"): (bien_ban, {}),
    ("bien-ban", "tab-header-tab-indent"): (bien_ban, {"tab_header": True, "tab_indent": True}),
}
