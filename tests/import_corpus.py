"""Plans typed the way clerks type them, built with python-docx (never with our templates), for ``vanban import``.

Each variant types the sample plan (samples/ke-hoach-41-ct-tw/plan.yaml) in another way: the header in a
borderless table or in paragraphs with tabs, headings by direct formatting or by Word's heading styles,
numbers typed or Word's automatic numbering, the trích yếu in one paragraph with line breaks or in several,
body paragraphs starting with a tab, the appendix table with group rows spread over the columns (gridSpan),
a vertically merged unit cell (vMerge), and the table split across pages with its header row repeated.
:func:`field_accuracy` compares what was read with the data, field by field.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator.lang import vn
from generator.model.document import Plan

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml"

#: The variants of the corpus: name → options.
VARIANTS: dict[str, dict[str, Any]] = {
    "direct-typed": {},
    "styles-auto-numbering": {"styles": True, "auto": True},
    "tab-header-breaks": {"tab_header": True, "subject_breaks": False, "tab_indent": True},
    "merged-split-table": {"vmerge": True, "split": 7, "gridspan": True},
    "auto-merged-repeat-header": {"auto": True, "vmerge": True, "repeat_header": True, "gridspan": True},
    "dash-headings": {"roman_dash": True, "split": 12},
}


def sample_plan() -> Plan:
    from generator.io.loader import load_plan

    return load_plan(SAMPLE).plan


def _run(p, text: str, *, bold=False, italic=False, size=14, underline=False, font="Times New Roman"):
    r = p.add_run(text)
    r.bold, r.italic, r.underline = bold, italic, underline
    r.font.size = Pt(size)
    r.font.name = font
    return r


def _para(container, text: str = "", *, align=None, indent=True, tab=False, **look):
    p = container.add_paragraph()
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "justify":
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent and not tab and align == "justify":
        p.paragraph_format.first_line_indent = Mm(10)
    if text:
        if tab:
            r = p.add_run()
            r.add_tab()
        _run(p, text, **look)
    return p


class _Numbers:
    """A numbering definition with three levels I. / 1. / a) and one of bullets, added to numbering.xml."""

    def __init__(self, doc, roman_sep: str = ".") -> None:
        numbering = doc.part.numbering_part.element
        self.el = numbering
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), "90")
        for ilvl, (fmt, text) in enumerate((("upperRoman", "%1" + roman_sep), ("decimal", "%2."), ("lowerLetter", "%3)"))):
            lvl = OxmlElement("w:lvl")
            lvl.set(qn("w:ilvl"), str(ilvl))
            for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
                e = OxmlElement(tag)
                e.set(qn("w:val"), val)
                lvl.append(e)
            abstract.append(lvl)
        bullet = OxmlElement("w:abstractNum")
        bullet.set(qn("w:abstractNumId"), "91")
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, val in (("w:start", "1"), ("w:numFmt", "bullet"), ("w:lvlText", "-")):
            e = OxmlElement(tag)
            e.set(qn("w:val"), val)
            lvl.append(e)
        bullet.append(lvl)
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
            first_num.addprevious(bullet)
        else:
            numbering.append(abstract)
            numbering.append(bullet)
        self.next_id = 900
        self.bullet_id = self._num("91")
        self.current = self._num("90")

    def _num(self, abstract_id: str) -> str:
        self.next_id += 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(self.next_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), abstract_id)
        num.append(ref)
        self.el.append(num)
        return str(self.next_id)

    def restart(self) -> None:
        self.current = self._num("90")

    @staticmethod
    def apply(p, num_id: str, ilvl: int) -> None:
        ppr = p._p.get_or_add_pPr()
        numpr = OxmlElement("w:numPr")
        for tag, val in (("w:ilvl", str(ilvl)), ("w:numId", num_id)):
            e = OxmlElement(tag)
            e.set(qn("w:val"), val)
            numpr.append(e)
        ppr.append(numpr)


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tblpr.append(borders)


def _cell_lines(cell, lines: list[str], *, bold=False, size=13, align=None) -> None:
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, line, bold=bold, size=size)


def build(plan: Plan, options: dict[str, Any]) -> bytes:
    """The plan typed in Word the way *options* say, as DOCX bytes."""
    o = options
    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Mm(30), Mm(15), Mm(20), Mm(20)
    h = plan.header
    numbers = _Numbers(doc, "-" if o.get("roman_dash") else ".") if o.get("auto") else None
    blank = "    "
    number_line = f"Số {h.number:02d}-KH/{h.issuer_code}" if h.number else f"Số{blank}-KH/{h.issuer_code}"
    date_line = vn.header_date(h.date.year, h.date.month, h.date.day, h.place)
    left = [vn.upper(h.superior or ""), vn.upper(h.issuer), "*", number_line]
    if o.get("tab_header"):
        pairs = [(left[0], "ĐẢNG CỘNG SẢN VIỆT NAM"), (left[1], ""), (left[2], ""), (left[3], date_line)]
        for a, b in pairs:
            p = doc.add_paragraph()
            _run(p, a, bold=a == left[1], size=14)
            if b:
                p.add_run().add_tab()
                _run(p, b, bold=b.startswith("ĐẢNG CỘNG"), italic=b == date_line, size=14 if b == date_line else 15)
    else:
        table = doc.add_table(rows=1, cols=2)
        _no_borders(table)
        lc, rc = table.rows[0].cells
        _cell_lines(lc, left, size=14, align="center")
        _cell_lines(rc, ["ĐẢNG CỘNG SẢN VIỆT NAM", date_line], size=14, align="center")
    _para(doc, "KẾ HOẠCH", align="center", bold=True, size=16)
    if o.get("subject_breaks", True):
        p = _para(doc, plan.subject[0], align="center", bold=True)
        for line in plan.subject[1:]:
            p.runs[-1].add_break(WD_BREAK.LINE)
            _run(p, line, bold=True)
    else:
        for line in plan.subject:
            _para(doc, line, align="center", bold=True)
    _para(doc, "-----", align="center")
    tab = bool(o.get("tab_indent"))
    for line in plan.preamble:
        _para(doc, line, align="justify", tab=tab)
    roman_sep = "-" if o.get("roman_dash") else "."

    def heading(text: str, level: int, n: int, note: str | None = None) -> None:
        shown = (vn.upper(text) if level == 1 else text) + (f" {note}" if note else "")
        if numbers is not None:
            p = _para(doc, shown, align="justify", bold=level <= 2, italic=level == 3)
            numbers.apply(p, numbers.current, level - 1)
        else:
            number = {1: f"{vn.roman(n)}{roman_sep}", 2: f"{n}.", 3: f"{vn.alpha(n)})"}[level]
            p = _para(doc, f"{number} {shown}", align="justify", bold=level <= 2, italic=level == 3)
        if o.get("styles"):
            p.style = doc.styles[f"Heading {min(level, 3)}"]

    def body(section, level: int, n: int) -> None:
        heading(section.title, level, n, section.note)
        for t in section.paragraphs:
            _para(doc, t, align="justify", tab=tab)
        for t in section.bullets:
            if numbers is not None:
                p = _para(doc, t, align="justify")
                numbers.apply(p, numbers.bullet_id, 0)
            else:
                _para(doc, f"- {t}", align="justify", tab=tab)
        for i, sub in enumerate(section.sections, 1):
            body(sub, level + 1, i)
        for i, a in enumerate(section.assignments, 1):
            heading(a.unit, level + 1, i)
            for d in a.duties:
                _para(doc, d, align="justify", tab=tab)

    for i, s in enumerate(plan.sections, 1):
        body(s, 1, i)
    if plan.closing and plan.closing.report:
        r = plan.closing.report
        d = r.deadline
        via = f" (qua {r.via})" if r.via else ""
        lead = f"{r.lead}, báo cáo" if r.lead else "Báo cáo"
        _para(doc, f"{lead} {r.what} về {r.to}{via} trước ngày {vn.citation_date(d.year, d.month, d.day)}.", align="justify")
    # Nơi nhận and the sign-off side by side
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    lc, rc = table.rows[0].cells
    sep = ";" if plan.profile == "hd05-2026" else ","
    lines = [f"- {r.to}{f' ({r.note})' if r.note else ''}{r.end or sep}" for r in plan.recipients]
    archive_label = "Lưu:" if plan.profile == "quan-doi" else "Lưu"
    lines.append(f"- {archive_label} {', '.join(plan.archive)}.")
    lc.paragraphs[0].text = ""
    _run(lc.paragraphs[0], "Nơi nhận:", size=14, underline=True)
    for line in lines:
        _run(lc.add_paragraph(), line, size=12)
    if plan.distribution:
        _run(lc.add_paragraph(), f"{plan.distribution.typist}-{plan.distribution.copies}.", size=12)
    s = plan.signoff
    sign = ([f"{s.form} {vn.upper(s.authority or '')}"] if s.form else []) + [vn.upper(s.position), "", "", "", s.name]
    _cell_lines(rc, sign, bold=True, size=14, align="center")
    if plan.appendix:
        appendix(doc, plan, o, numbers)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def appendix(doc, plan: Plan, o: dict[str, Any], numbers) -> None:
    a = plan.appendix
    assert a is not None
    sec = doc.add_section()
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    _para(doc, a.label, align="center", bold=True)
    _para(doc, vn.upper(a.title), align="center", bold=True)
    h = plan.header
    _para(doc, f"(Kèm theo Kế hoạch số    -KH/{h.issuer_code} của {h.issuer})", align="center", italic=True)
    header = [a.columns.id, a.columns.task, a.columns.lead, a.columns.units, a.columns.timeframe]
    rows: list[tuple[str, Any]] = []
    for g in a.groups:
        rows.append(("group", g))
        rows += [("task", t) for t in g.tasks]
    chunks = [rows]
    if o.get("split"):
        k = o["split"]
        chunks = [rows[:k], rows[k:]]
    for ci, chunk in enumerate(chunks):
        if ci:
            p = doc.add_paragraph()
            p.add_run().add_break(WD_BREAK.PAGE)
        table = doc.add_table(rows=1, cols=5)
        table.style = doc.styles["Table Grid"]
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            _cell_lines(cell, [text], bold=True, align="center")
        if o.get("repeat_header"):
            trpr = table.rows[0]._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:tblHeader"))
        start_merge = None
        for kind, item in chunk:
            cells = table.add_row().cells
            if kind == "group":
                _cell_lines(cells[0], [item.id], bold=True)
                if o.get("gridspan"):
                    merged = cells[1].merge(cells[4])
                    _cell_lines(merged, [item.title], bold=True)
                else:
                    _cell_lines(cells[1], [item.title], bold=True)
                start_merge = None
                continue
            t = item
            _cell_lines(cells[0], [t.id])
            _cell_lines(cells[1], [t.text])
            _cell_lines(cells[2], [f"- {u}" for u in t.lead] if len(t.lead) > 1 else t.lead)
            units = [f"- {u}" for u in t.units] if len(t.units) > 1 else list(t.units)
            if o.get("vmerge") and start_merge is not None and start_merge[1] == units:
                start_merge = (start_merge[0].merge(cells[3]), units)
            else:
                _cell_lines(cells[3], units)
                start_merge = (cells[3], units)
            _cell_lines(cells[4], [t.timeframe])


# --------------------------------------------------------------------------- accuracy

#: Fields the page prints in capitals: compared without case (a typed document does not keep it).
UPPER = ("header.superior", "header.issuer", "signoff.authority", "signoff.position", "appendix.title")
#: Fields the page does not print.
UNPRINTED = ("profile", "period", "source", "numbering")


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_leaves(v, f"{path}.{k}" if path else k))
        return out
    if isinstance(value, list):
        out = {f"{path}.#": len(value)}
        for i, v in enumerate(value):
            out.update(_leaves(v, f"{path}.{i}"))
        return out
    return {path: value}


def _upper_field(path: str) -> bool:
    if path in UPPER:
        return True
    parts = path.split(".")
    if parts[0] in ("attachment", "original"):  # the document inside: its own fields
        return _upper_field(".".join(parts[1:]))
    if parts[-1] in ("issuer", "superior", "authority", "position", "enacting_body") and parts[0] in (
        "header",
        "signoff",
        "cosigner",
        "enacting_body",
    ):
        return True
    if parts[0] == "title_lines":
        return True
    # A Phần's, Chương's or Mục's name prints in capitals.
    if parts[-1] == "title" and len(parts) >= 3 and parts[-3] in ("parts", "chapters", "sections") and "articles" not in parts:
        return parts[0] != "sections" or len(parts) == 3
    return False


def comparable(data: Any) -> Any:
    """The model's data with the one thing the page cannot tell folded together: an article with a title prints
    its ``text`` as a paragraph of its own, exactly as its first ``paragraphs`` entry, so a ``text`` under a title
    is compared as the first of its paragraphs."""
    import copy

    data = copy.deepcopy(data)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "clauses" in node and node.get("title") and node.get("text"):
                node["paragraphs"] = [node.pop("text"), *node.get("paragraphs", [])]
                node["text"] = None
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return data


def _dump(doc: Any) -> dict[str, Any]:
    data = doc.model_dump(mode="json")
    original = getattr(doc, "original", None)
    if original is not None and not isinstance(original, str):
        data["original"] = original.model_dump(mode="json")
    return comparable(data)


def field_accuracy(expected: Any, got: Any | None) -> tuple[int, int, list[str]]:
    """(right, total, wrong paths) over the printed fields of *expected* (a document of any kind)."""
    want = _leaves(_dump(expected))
    have = _leaves(_dump(got)) if got is not None else {}
    right, wrong = 0, []
    for path, value in want.items():
        if path.split(".")[0] in UNPRINTED or path.split(".")[-1] in UNPRINTED or value is None:
            continue
        other = have.get(path)
        same = other == value or (
            _upper_field(path) and isinstance(value, str) and isinstance(other, str) and other.lower() == value.lower()
        )
        if same:
            right += 1
        else:
            wrong.append(path)
    return right, right + len(wrong), wrong
