"""Render stage: a :class:`~generator.model.Plan` → DOCX bytes through a docxtpl template.

Two steps, like a Pandoc writer:

1. :func:`context` turns the model into the strings the page shows (numbers, dates, upper case,
   line endings) using :mod:`generator.lang.vn` and the rule profile's layout. Templates only place them.
2. :class:`CompiledTemplate` renders that context. It uses docxtpl's own tag pre-processing
   (``patch_xml``) and post-processing (``resolve_listing``), so a template behaves exactly as
   under ``DocxTemplate.render(context, autoescape=True)``, but it parses and compiles the template
   once and then writes each document straight into a zip. docxtpl's usual path re-reads the
   template, recompiles the Jinja source and re-serialises every part through python-docx for each
   document (≈55 ms); this one costs a few milliseconds (benchmarks/render.py).

Output is deterministic: same input and template → byte-identical file (fixed part order, zip
timestamps and core properties from the document's own date).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import html
import io
import math
import re
import unicodedata
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError, nodes, pass_context
from jinja2 import StrictUndefined, Undefined
from jinja2.filters import FILTERS as DEFAULT_FILTERS
from jinja2.runtime import Macro, markup_join
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer
from lxml import etree

from generator.lang import vn
from markupsafe import Markup

from generator.model.document import Document, Plan, Report, Section, StatusRow, UnitStatus
from generator.io.fsutil import reason
from generator.io.activecontent import active_content, active_fields, field_name
from generator.io.refdata import DocType, Layout, Profile, RefData, status_label, statuses, templates_dir
from generator.io.safezip import ZipLimitError, read_parts
from generator.lang.i18n import _

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"


class RenderError(Exception):
    """The template could not be rendered with this data (names the template and the cause)."""


# --------------------------------------------------------------------------- model → view


def _heading_number(layout: Layout, level: int, n: int) -> str:
    fmt = layout.heading_numbers[min(level, len(layout.heading_numbers)) - 1]
    return fmt.format(n=n, roman=vn.roman(n), alpha=vn.alpha(n))


def _section_blocks(section: Section, level: int, n: int, layout: Layout, out: list[dict]) -> None:
    title = vn.upper(section.title) if level == 1 else section.title
    out.append({"kind": f"h{min(level, 3)}", "text": f"{_heading_number(layout, level, n)} {title}", "note": section.note or ""})
    out.extend({"kind": "p", "text": t, "note": ""} for t in section.paragraphs)
    out.extend({"kind": "bullet", "text": t, "note": ""} for t in section.bullets)
    for i, sub in enumerate(section.sections, 1):
        _section_blocks(sub, level + 1, i, layout, out)
    for i, a in enumerate(section.assignments, 1):
        out.append({"kind": f"h{min(level + 1, 3)}", "text": f"{_heading_number(layout, level + 1, i)} {a.unit}", "note": ""})
        out.extend({"kind": "p", "text": t, "note": ""} for t in a.duties)


def citation(doc_type: DocType, plan: Plan, layout: Layout) -> str:
    """``Kế hoạch số 09-KH/ĐUB, ngày 05/3/2026`` — the Party citation of *plan* (§3.6)."""
    h = plan.header
    return vn.citation(doc_type.name, doc_type.code, h.number, h.issuer_code, h.date.year, h.date.month, h.date.day,
                       comma=layout.citation_comma)


def _units(names: list[str], layout: Layout) -> list[str]:
    return [layout.multi_unit_prefix + u for u in names] if len(names) > 1 else list(names)


#: Above this many units, a status cell counts units by status instead of listing each.
LIST_UNITS_UP_TO = 12


def _status_cell(row: StatusRow) -> list[str]:
    """One line per status: "Hoàn thành (3): A; B; C" — names listed up to LIST_UNITS_UP_TO.
    A line of text the secretariat wrote instead is printed as written, after them."""
    by_status: dict[str, list[str]] = {}
    for u in row.units:
        if isinstance(u, UnitStatus):
            by_status.setdefault(u.status, []).append(u.unit)
    lines = []
    for status in statuses():
        names = by_status.get(status)
        if names:
            shown = "; ".join(names[:LIST_UNITS_UP_TO])
            more = f" và {len(names) - LIST_UNITS_UP_TO} đơn vị khác" if len(names) > LIST_UNITS_UP_TO else ""
            lines.append(f"{status_label(status).capitalize()} ({len(names)}): {shown}{more}")
    return lines + [u for u in row.units if isinstance(u, str)]


def _overall_text(row: StatusRow) -> str:
    return status_label(row.overall) + (" (quá hạn)" if row.overdue else "")


def context(plan: Document, doc_type: DocType, profile: Profile) -> dict[str, Any]:
    """Everything the template prints, as ready-made strings (the chart, if any, as a marker)."""
    layout = profile.layout
    h = plan.header
    marks = h.marks
    top = []
    if marks.draft:
        top.append("DỰ THẢO" if marks.draft is True else marks.draft)
    if marks.circulation:
        top.append(marks.circulation)
    body: list[dict] = [{"kind": "p", "text": t, "note": ""} for t in plan.preamble]
    for i, section in enumerate(plan.sections, 1):
        _section_blocks(section, 1, i, layout, body)
    report = None
    if plan.closing:
        body.extend({"kind": "p", "text": t, "note": ""} for t in plan.closing.paragraphs)
        if plan.closing.report:
            r = plan.closing.report
            d = r.deadline
            report = {"lead": r.lead or "", "what": r.what, "to": r.to, "via": r.via or "",
                      "deadline": vn.citation_date(d.year, d.month, d.day)}
    recipients = [
        f"- {r.to}{f' ({r.note})' if r.note else ''}{r.end or layout.recipient_separator}" for r in plan.recipients
    ]
    recipients.append(f"- {layout.archive_label} {', '.join(plan.archive)}.")  # document text: never translated
    s = plan.signoff
    appendix = None
    if plan.appendix:
        a = plan.appendix
        appendix = {
            "label": a.label,
            "title": vn.upper(a.title),
            "attached": f"(Kèm theo {citation(doc_type, plan, layout)} của {h.issuer})",
            "columns": a.columns.model_dump(),
        }
        if isinstance(plan, Report):
            appendix["chart"] = _CHART if a.chart else ""
            appendix["groups"] = [
                {"id": g.id, "title": g.title,
                 "rows": [{"id": r.id, "text": r.text, "lead": _units(r.lead, layout), "timeframe": r.timeframe,
                           "units": _status_cell(r), "overall": _overall_text(r)} for r in g.rows]}
                for g in a.groups
            ]
        else:
            appendix["groups"] = [
                {"id": g.id, "title": g.title,
                 "tasks": [{"id": t.id, "text": t.text, "lead": _units(t.lead, layout),
                            "units": _units(t.units, layout) + [f"Phối hợp: {c}" for c in t.coordinating],
                            "timeframe": t.timeframe} for t in g.tasks]}
                for g in a.groups
            ]
    return {
        "h": {
            "top_marks": "\n".join(top),
            "superior": vn.upper(h.superior) if h.superior else "",
            "issuer": vn.upper(h.issuer),
            "number_line": vn.number_line(h.number, doc_type.code, h.issuer_code),
            "left_marks": [m for m in (marks.secrecy, marks.urgency) if m],
            "place_date": vn.header_date(h.date.year, h.date.month, h.date.day, h.place),
        },
        "title": doc_type.title,
        "subject": "\n".join(plan.subject),
        "body": body,
        "report": report,
        "recipients": recipients,
        "distribution": f"{plan.distribution.typist}-{plan.distribution.copies}." if plan.distribution else "",
        "sign": {
            "form_line": f"{s.form} {vn.upper(s.authority)}" if s.form and s.authority else "",
            "position": vn.upper(s.position),
            "name": s.name,
        },
        "appendix": appendix,
    }


# The chart's place in the context; replaced by a picture run when the document is rendered.
_CHART = Markup("<!--vanban-chart-->")
_CHART_RID = "rIdVanbanChart1"
_PIC_NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')


def _chart_run(width_emu: int, height_emu: int) -> str:
    """An inline picture run showing the chart part (DrawingML, as Word writes it)."""
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{width_emu}" cy="{height_emu}"/>'
        f'<wp:docPr id="4001" name="Biểu đồ tình hình thực hiện"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks {_PIC_NS} noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic {_PIC_NS}><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="chart.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{_CHART_RID}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width_emu}" cy="{height_emu}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        f"</wp:inline></w:drawing></w:r>"
    )


def chart_labels(report: Report) -> list[str]:
    """The chart's group labels: number and the start of the group's title, as the table shows them."""
    return [f"{g.id}. {vn.short_title(g.title, 36)}" for g in report.appendix.groups]


def chart_counts(report: Report) -> list[tuple[str, dict[str, int]]]:
    """What the chart draws: per task group, its tasks counted by overall status id."""
    groups = []
    for label, g in zip(chart_labels(report), report.appendix.groups, strict=True):
        counts: dict[str, int] = {}
        for r in g.rows:
            counts[r.overall] = counts.get(r.overall, 0) + 1
        groups.append((label, counts))
    return groups


def _chart_png(report: Report) -> bytes:
    from generator.render.chart import status_chart

    return status_chart(chart_counts(report))


# --------------------------------------------------------------------------- layout → template XML


def _mm(value: float) -> str:
    return str(round(value * 1440 / 25.4))


def _pt(value: float) -> str:
    return str(round(value * 20))


_SECT_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid"]


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
    before it keeps with it (see :func:`_keep_last_paragraph`): the sign-off never opens a page."""
    root = etree.fromstring(xml, _SAFE_PARSER)
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
    if m.group(1) is None:
        return p[:m.end()] + "<w:pPr><w:keepNext/></w:pPr>" + p[m.end():]
    if "<w:keepNext/>" in p[:p.find("</w:pPr>")]:
        return p
    return p[:m.end()] + "<w:keepNext/>" + p[m.end():]


def _keep_last_paragraph(out: str) -> str:
    """The rendered paragraph just before the marked table keeps with it; the mark goes."""
    mark = f"<!--{_KEEP_MARK}-->"
    at = out.find(mark)
    if at < 0:
        return out
    start = max(out.rfind("<w:p>", 0, at), out.rfind("<w:p ", 0, at))
    if start >= 0 and "</w:tbl>" not in out[start:at] and out[start:at].rstrip().endswith("</w:p>"):
        return out[:start] + _keep_next_xml(out[start:at]) + out[at + len(mark):]
    return out[:at] + out[at + len(mark):]


_DATE_MARK = "vanban-date-table"
_TWIPS_PER_MM = 1440 / 25.4


def _mark_date_table(xml: bytes) -> bytes:
    """Marks the two-column header table that prints ``h.place_date`` (see :func:`_fit_date_line`)."""
    root = etree.fromstring(xml, _SAFE_PARSER)
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

    path = font_manager.findfont(font_manager.FontProperties(family=["Times New Roman", "Liberation Serif"],
                                                             style="italic"))
    font = TTFont(path, lazy=True)
    hmtx = font["hmtx"]
    widths = {cp: hmtx[name][0] for cp, name in font.getBestCmap().items()}
    return widths, font["head"].unitsPerEm, max(widths.values())


def _date_width_twips(text: str, size_pt: float = 14) -> int:
    widths, upm, widest = _italic_advances()
    units = sum(widths.get(ord(c), widest) for c in unicodedata.normalize("NFC", text))
    return math.ceil(units / upm * size_pt * 20)


def _fit_date_line(out: str, place_date: str) -> str:
    """Widens the header's date column (at the other column's expense) when the place/date line
    would not fit on one line: ``Thành phố Hồ Chí Minh, ngày 13 tháng 12 năm 2022`` is 106 mm,
    the column 80 mm. Paragraphs of that column indented on both sides (the rule under ĐẢNG CỘNG
    SẢN VIỆT NAM) keep their width and stay centred."""
    mark = f"<!--{_DATE_MARK}-->"
    at = out.find(mark)
    if at < 0:
        return out
    out = out[:at] + out[at + len(mark):]
    end = out.find("</w:tbl>", at) + len("</w:tbl>")
    seg = out[at:end]
    if not seg.startswith("<w:tbl") or seg.count("<w:tbl>") + seg.count("<w:tbl ") != 1 or not place_date:
        return out
    root_open = re.search(r"<w:document[^>]*>", out)
    if root_open is None:
        return out
    tbl = etree.fromstring(root_open.group(0) + seg + "</w:document>", _SAFE_PARSER)[0]
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
    for g, w in zip(grid, widths):
        g.set(_W + "w", str(w))
    for tcs in rows:
        for tc, w in zip(tcs, widths):
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
    text = m.group(1)
    cuts = vn.unbreakable_hyphens(html.unescape(text)) if "&" in text else vn.unbreakable_hyphens(text)
    if not cuts:
        return m.group(0)
    plain = html.unescape(text)
    pieces, last = [], 0
    for i in cuts:
        pieces.append(plain[last:i])
        last = i + 1
    pieces.append(plain[last:])
    # The hyphen stays in the text (python-docx and Word read w:noBreakHyphen as "-").
    return "<w:noBreakHyphen/>".join(f'<w:t xml:space="preserve">{xml_escape(p)}</w:t>' if p else "" for p in pieces)


# --------------------------------------------------------------------------- the sandbox

#: Loop iterations and macro calls one render may make, over all loops (the seed plan needs about 300).
MAX_LOOP_ITEMS = 2_000_000
#: Characters one rendered part may have (a 2,000-task appendix is about 10 MB of XML).
MAX_OUTPUT_CHARS = 40_000_000
#: Size (characters, or items for a list) of any one text or list a template makes: checked before it is made.
MAX_VALUE_SIZE = 1_000_000
#: Bits of any whole number a template computes (page arithmetic needs a handful).
MAX_INT_BITS = 64
#: Nesting depth of macro calls.
MAX_CALL_DEPTH = 20
#: Wall-clock seconds one document's render may take, all parts together (the seed plan takes milliseconds).
MAX_RENDER_SECONDS = 20.0
#: Bytes of a template part or of a whole template file.
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024

_clock = time.monotonic


class LimitError(SecurityError):
    """The template went past one of the render's bounds."""


@dataclass
class _Limits:
    steps: int
    deadline: float
    depth: int = 0


_budget: contextvars.ContextVar[_Limits] = contextvars.ContextVar("vanban_render_limits")


@contextlib.contextmanager
def bounded() -> Iterator[_Limits]:
    """The bounds of one render: templates run inside it share its loop budget and its clock."""
    current = _budget.get(None)
    if current is not None:
        yield current
        return
    token = _budget.set(_Limits(MAX_LOOP_ITEMS, _clock() + MAX_RENDER_SECONDS))
    try:
        yield _budget.get()
    finally:
        _budget.reset(token)


def _tick() -> None:
    limits = _budget.get(None)
    if limits is not None and _clock() > limits.deadline:
        raise LimitError(_('the template runs longer than {n:g} seconds; stopped', n=MAX_RENDER_SECONDS))


def _spend(n: int) -> None:
    limits = _budget.get(None)
    if limits is None:
        return
    limits.steps -= n
    if limits.steps < 0:
        raise LimitError(_('the template loops or calls macros more than {n:,} times; stopped', n=MAX_LOOP_ITEMS))
    _tick()


def _size(value: Any, limit: int = MAX_VALUE_SIZE) -> int:
    """How big *value* is once printed (characters; a list counts its items and theirs), stopping
    past *limit*: a list repeated inside a list is cheap to hold and huge to print."""
    total, stack = 0, [value]
    while stack and total <= limit:
        v = stack.pop()
        if isinstance(v, str):
            total += len(v)
        elif isinstance(v, bool) or v is None:
            total += 5
        elif isinstance(v, int):
            total += v.bit_length() // 3 + 1
        elif isinstance(v, dict):
            total += 2 + 4 * len(v)
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(v)
            stack.extend(v)
        else:
            total += 24
    return total


def _too_large() -> LimitError:
    return LimitError(_('the template makes a text or list too large (over {n:,} characters or items); stopped', n=MAX_VALUE_SIZE))


def _check_size(*values: Any) -> None:
    if sum(_size(v) for v in values) > MAX_VALUE_SIZE:
        raise _too_large()


def _check_int(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise LimitError(_('the template computes a number larger than {n} bits; stopped', n=MAX_INT_BITS))
    return value


def _bounded_range(*args):
    for a in args:
        _check_int(a)
    r = range(*args)
    _spend(len(r))
    return r


@pass_context
def _iterate(_context, iterable):
    """Every ``{% for %}`` runs through this: each item spends one step of the loop budget."""
    for item in iterable:
        _spend(1)
        yield item


def _concat(*parts):
    """``~`` with the result's size checked before it is built."""
    _tick()
    _check_size(parts)
    return markup_join(parts)


def _list_of(value: Any) -> list:
    """A generator (map, select …) made a list, each item a step: its size can then be checked."""
    if isinstance(value, (str, dict, Undefined)) or not hasattr(value, "__iter__"):
        return value
    items = []
    for item in value:
        _spend(1)
        items.append(item)
    return items


def _join_check(args, kwargs) -> tuple:
    value = _list_of(args[0])
    sep = args[1] if len(args) > 1 else kwargs.get("d", "")
    if isinstance(value, list) and _size(value) + _size(sep) * max(len(value) - 1, 0) > MAX_VALUE_SIZE:
        raise _too_large()
    return (value, *args[1:])


def _replace_check(args, kwargs) -> tuple:
    s, old, new = (str(a) for a in args[:3])
    count = args[3] if len(args) > 3 else kwargs.get("count")
    n = s.count(old) if old else len(s) + 1
    if isinstance(count, int) and count >= 0:
        n = min(n, count)
    if len(s) + n * max(len(new) - len(old), 0) > MAX_VALUE_SIZE:
        raise _too_large()
    return args


def _counted_input(args, kwargs) -> tuple:
    return (_list_of(args[0]), *args[1:])


def _sized_input(args, kwargs) -> tuple:
    value = _list_of(args[0])
    _check_size(value)
    return (value, *args[1:])


#: The filters a template may use, each with the check run on its input before it runs. They can
#: only keep, shorten, reorder, escape or measure what they get; the rest (center, indent, format,
#: wordwrap, batch, safe, attr, xmlattr, tojson, urlize, pprint, filesizeformat, truncate …) are refused:
#: they either build text of a size the template chooses or bypass escaping into the document's XML.
ALLOWED_FILTERS: dict[str, Any] = {
    # These return the input's own items or a number: a big context list (5,000 tasks) is fine.
    **dict.fromkeys(["default", "d", "first", "last", "length", "count", "int", "float", "abs", "round", "reverse",
                     "sort", "unique", "min", "max", "select", "reject", "selectattr", "rejectattr", "map",
                     "dictsort", "items", "list"], _counted_input),
    # These turn their input into text: a list is as big as everything printed in it.
    **dict.fromkeys(["e", "escape", "forceescape", "lower", "upper", "title", "capitalize", "trim", "wordcount",
                     "string"], _sized_input),
    "join": _join_check,
    "replace": _replace_check,
}
#: Methods a template may call on a text, list or mapping: none of them makes anything bigger than its input.
ALLOWED_METHODS = {
    str: frozenset({"upper", "lower", "strip", "lstrip", "rstrip", "startswith", "endswith", "split", "rsplit",
                    "splitlines", "title", "capitalize", "isdigit", "isalpha", "isalnum", "isspace", "isupper",
                    "islower", "find", "rfind", "count"}),
    dict: frozenset({"items", "keys", "values", "get"}),
    list: frozenset({"index", "count"}),
    tuple: frozenset({"index", "count"}),
}


def _bounded_filter(func, check):
    pass_arg = _PassArg.from_obj(func)

    @functools.wraps(func)
    def run(*args, **kwargs):
        _tick()
        lead = 1 if pass_arg is not None else 0
        args = (*args[:lead], *check(args[lead:], kwargs))
        return _check_int(func(*args, **kwargs))

    return run


class _Harden(NodeTransformer):
    """Routes every loop and every ``~`` through the bounds; refuses what a one-file template cannot use."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        if node.recursive:
            raise TemplateSyntaxError(_('recursive loops are not allowed in templates'), node.lineno)
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "_vanban_iterate", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(node.nodes[0], "_vanban_concat", node.nodes[1:], [], None, None, lineno=node.lineno)

    def visit_Filter(self, node: nodes.Filter) -> nodes.Node:
        if node.name not in ALLOWED_FILTERS:
            raise TemplateSyntaxError(_('the filter {name} is not allowed in templates (allowed: {allowed})',
                                        name=repr(node.name), allowed=", ".join(sorted(ALLOWED_FILTERS))), node.lineno)
        return self.generic_visit(node)

    def _refuse(self, node: nodes.Node) -> nodes.Node:
        raise TemplateSyntaxError(_('{% include %}, {% import %} and {% extends %} are not allowed: a template is one DOCX file'),
                                  node.lineno)

    visit_Include = visit_Import = visit_FromImport = visit_Extends = _refuse


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no access to Python internals), plus bounds: a template may not loop, call,
    compute or print without end, nor build a text, list or number past a size; only the filters
    and methods listed above are there. Data values are always autoescaped text, never template code."""

    intercepted_binops = frozenset(["*", "**", "+", "-", "%", "//"])

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, finalize=self._finalize)
        self.globals = {"range": _bounded_range}  # only what templates need
        self.filters = {name: _bounded_filter(DEFAULT_FILTERS[name], check) for name, check in ALLOWED_FILTERS.items()}
        self.filters["_vanban_iterate"] = _iterate
        self.filters["_vanban_concat"] = _concat

    def _generate(self, source, name, filename, defer_init=False):
        return super()._generate(_Harden().visit(source), name, filename, defer_init=defer_init)

    @staticmethod
    def _finalize(value):
        # What {{ }} prints: a list printed whole is as big as everything in it.
        if not isinstance(value, (str, int, float)) or isinstance(value, str) and len(value) > MAX_VALUE_SIZE:
            _check_size(value)
        return value

    def wrap_str_format(self, value):
        # str.format and format_map pad to any width the template asks ('{0:>1000000000}'); refused.
        if getattr(value, "__name__", None) in ("format", "format_map") and isinstance(getattr(value, "__self__", None), str):
            raise SecurityError(_('the text method {name} is not allowed in templates', name=value.__name__))
        return None

    def is_safe_attribute(self, obj, attr, value):
        for kind, allowed in ALLOWED_METHODS.items():
            if isinstance(obj, kind) and callable(value) and attr not in allowed:
                return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator, left, right):
        _tick()
        if operator == "**":
            raise SecurityError(_('the power operator is not allowed in templates'))
        if operator == "%" and isinstance(left, str):
            raise SecurityError(_('text formatting with % is not allowed in templates'))
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                # len, not _size: a repeated list holds references; printing or joining it is checked in full.
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_VALUE_SIZE:
                    raise _too_large()
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS + 1:
                raise LimitError(_('the template computes a number larger than {n} bits; stopped', n=MAX_INT_BITS))
        if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) \
                and len(left) + len(right) > MAX_VALUE_SIZE:
            raise _too_large()
        return _check_int(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        _tick()
        if not isinstance(__obj, Macro):
            return super().call(__context, __obj, *args, **kwargs)
        _spend(1)
        limits = _budget.get(None)
        if limits is None:
            return super().call(__context, __obj, *args, **kwargs)
        if limits.depth >= MAX_CALL_DEPTH:
            raise LimitError(_('macros call each other more than {n} deep; stopped', n=MAX_CALL_DEPTH))
        limits.depth += 1
        try:
            return super().call(__context, __obj, *args, **kwargs)
        finally:
            limits.depth -= 1


def render_bounded(template, ctx: dict) -> str:
    """*template* rendered with *ctx* inside the render's bounds, its output counted as it is made."""
    with bounded():
        chunks, size = [], 0
        for chunk in template.generate(ctx):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise LimitError(_('the template writes more than {n:,} characters; stopped', n=MAX_OUTPUT_CHARS))
            chunks.append(chunk)
        return "".join(chunks)


def _hardened_xml(data: bytes, where: str) -> bytes:
    """Refuse DOCTYPE declarations: the only use of one in a DOCX part is an entity attack."""
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data:
        raise RenderError(_('{where}: contains a DOCTYPE/ENTITY declaration, which Word documents never need; refused', where=where))
    return data


_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


# --------------------------------------------------------------------------- compiled template


_JINJA_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.S)  # docxtpl's own paragraph pattern
_LISTING_CHARS = re.compile("[\n\t\a\f]")


@dataclass
class _Part:
    name: str
    data: bytes
    template: Any = None  # compiled Jinja template, for parts that hold tags


class CompiledTemplate:
    """A docxtpl template parsed and compiled once, rendered many times."""

    def __init__(self, path: str | Path, layout: Layout | None = None):
        self.path = Path(path)
        self._tpl = DocxTemplate(None)  # for docxtpl's patch_xml / resolve_listing only
        self.env = Sandbox()
        self.parts: list[_Part] = []
        try:
            if self.path.is_dir():
                raise RenderError(_('{path}: is a folder, not a DOCX template', path=self.path))
            if self.path.stat().st_size > MAX_TEMPLATE_BYTES:
                raise RenderError(_('{path}: template is larger than {value} MB', path=self.path, value=MAX_TEMPLATE_BYTES // 2**20))
            zf = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise RenderError(_('{path}: template not found', path=self.path)) from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise RenderError(_('{path}: not a readable DOCX template ({exc})', path=self.path, exc=exc)) from None
        with zf:
            try:
                parts = read_parts(zf, str(self.path), max_part=MAX_TEMPLATE_BYTES, max_total=5 * MAX_TEMPLATE_BYTES)
            except ZipLimitError as exc:
                raise RenderError(str(exc)) from None
            for name, data in parts.items():
                if name.endswith((".xml", ".rels")):
                    _hardened_xml(data, f"{self.path}: {name}")
            active = active_content(parts)
            if active:
                raise RenderError(_('{path}: {name}: {message}', path=self.path, name=active[0][0], message=active[0][1]))
            for filename, data in parts.items():
                info = zipfile.ZipInfo(filename)
                if layout and info.filename == "word/document.xml":
                    data = apply_layout_document(data, layout)
                if info.filename == "word/document.xml":
                    data = _mark_date_table(apply_pagination(data))
                if layout and info.filename == "word/styles.xml":
                    data = apply_layout_styles(data, layout)
                part = _Part(info.filename, data)
                if _JINJA_PARTS.match(info.filename):
                    text = data.decode("utf-8")
                    if "{{" in text or "{%" in text:
                        part.template = self._compile(info.filename, text)
                if info.filename == "word/document.xml":
                    self._body_sect = self._portrait_sect(data.decode("utf-8"))
                self.parts.append(part)
        if not any(p.name == "word/document.xml" for p in self.parts):
            raise RenderError(_('{path}: not a Word document (no word/document.xml)', path=self.path))

    def _compile(self, name: str, xml: str):
        src = self._tpl.patch_xml(xml)
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
        try:
            return self.env.from_string(src)
        except TemplateError as exc:
            raise RenderError(_('{path}: {name}: template error: {exc}', path=self.path, name=name, exc=exc)) from None
        except (RecursionError, ValueError, MemoryError) as exc:  # nesting Python's parser cannot take; a 5,000-digit number
            raise RenderError(_('{path}: {name}: template error: {exc}', path=self.path, name=name, exc=type(exc).__name__)) from None

    @staticmethod
    def _portrait_sect(xml: str) -> str | None:
        """The body section's properties, kept in the paragraph that ends the body."""
        m = re.search(r"<w:pPr>(?:(?!</w:pPr>).)*?(<w:sectPr[ >].*?</w:sectPr>)", xml, flags=re.S)
        return m.group(1) if m else None

    def _listing(self, m: re.Match) -> str:
        # docxtpl's resolve_listing (\n → line break, \t → tab, \a → new paragraph, \f → page
        # break), run only on paragraphs that hold such a character: the same result, without
        # re-parsing every run of the document (it was 40 % of the render time).
        xml = m.group(0)
        return self._tpl.resolve_listing(xml) if _LISTING_CHARS.search(xml) else xml

    def _render_part(self, part: _Part, ctx: dict) -> bytes:
        try:
            out = render_bounded(part.template, ctx)
        except SecurityError as exc:
            raise RenderError(_('{path}: {name}: refused: {exc}', path=self.path, name=part.name, exc=exc)) from None
        except TemplateError as exc:
            raise RenderError(_('{path}: {name}: {value}: {exc}', path=self.path, name=part.name, value=type(exc).__name__, exc=exc)) from None
        except RecursionError:
            raise RenderError(_('{path}: {name}: refused: the template nests too deeply', path=self.path, name=part.name)) from None
        out = re.sub(r"\n<w:p([ >])", r"<w:p\1", out)
        out = out.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        out = _PARAGRAPH.sub(self._listing, out)
        # A cell whose loops printed nothing (lead: []) would hold no paragraph: invalid OOXML.
        out = re.sub(r"(?<!</w:p>)(?<!<w:p/>)</w:tc>", "<w:p/></w:tc>", out)
        if part.name == "word/document.xml":
            out = _keep_last_paragraph(out)
            out = _RUN_TEXT.sub(_no_break_hyphen, out)
            out = _fit_date_line(out, ctx.get("h", {}).get("place_date", ""))
        if part.name == "word/document.xml" and not ctx.get("appendix") and self._body_sect:
            # Without an appendix its landscape section is gone; the body's own section ends the file.
            start = out.rfind("<w:sectPr")
            end = out.find("</w:sectPr>", start) + len("</w:sectPr>")
            out = out[:start] + self._body_sect + out[end:]
        data = out.encode("utf-8")
        try:
            root = etree.fromstring(data, _SAFE_PARSER)  # never write a DOCX Word cannot open
        except etree.XMLSyntaxError as exc:
            raise RenderError(_('{path}: {name}: the rendered XML is not well-formed ({exc})', path=self.path, name=part.name, exc=exc)) from None
        # A variable printed inside a field's instructions would let the data write a DDE field.
        bad = active_fields(root)
        if bad:
            raise RenderError(_('{path}: {name}: the rendered document has a field {code} that fetches, runs or imports content; refused',
                                path=self.path, name=part.name, code=field_name(bad[0])))
        return data

    def render(self, ctx: dict, *, core: dict[str, str] | None = None, date_time=(1980, 1, 1, 0, 0, 0),
               chart: bytes | None = None) -> bytes:
        """The DOCX; *chart* (PNG) replaces the chart marker of the context with a picture."""
        buf = io.BytesIO()
        with bounded(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for part in self.parts:
                if part.template is not None:
                    data = self._render_part(part, ctx)
                    if part.name == "word/document.xml" and str(_CHART) in data.decode("utf-8"):
                        data = self._place_chart(data, chart)
                elif part.name == "docProps/core.xml" and core is not None:
                    data = _core_xml(core)
                elif chart is not None and part.name == "word/_rels/document.xml.rels":
                    rel = (f'<Relationship Id="{_CHART_RID}" Target="media/vanban-chart.png" '
                           'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>')
                    data = part.data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
                elif chart is not None and part.name == "[Content_Types].xml" and b'Extension="png"' not in part.data:
                    data = re.sub(rb"(<Types[^>]*>)", rb'\1<Default Extension="png" ContentType="image/png"/>', part.data, count=1)
                else:
                    data = part.data
                info = zipfile.ZipInfo(part.name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, data, compresslevel=6)
            if chart is not None:
                info = zipfile.ZipInfo("word/media/vanban-chart.png", date_time=date_time)
                info.external_attr = 0o644 << 16
                zf.writestr(info, chart, compress_type=zipfile.ZIP_STORED)  # PNG is compressed already
        return buf.getvalue()

    @staticmethod
    def _place_chart(data: bytes, chart: bytes | None) -> bytes:
        from generator.render.chart import png_size

        text = data.decode("utf-8")
        if chart is None:
            return text.replace(str(_CHART), "").encode("utf-8")
        w_px, h_px = png_size(chart)
        width = 8_500_000  # EMU, ≈ 236 mm: the landscape text width less a margin
        run = _chart_run(width, round(width * h_px / w_px))
        # {{r}} left the marker between runs; the picture is a run of its own.
        return text.replace(str(_CHART), run).encode("utf-8")


def _core_xml(props: dict[str, str]) -> bytes:
    e = {k: xml_escape(v) for k, v in props.items()}
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{e['title']}</dc:title><dc:subject>{e['subject']}</dc:subject>"
        f"<dc:creator>{e['creator']}</dc:creator><cp:lastModifiedBy>{e['creator']}</cp:lastModifiedBy>"
        f"<cp:keywords>vanban-profile:{e['profile']}</cp:keywords>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{e["date"]}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{e["date"]}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


# --------------------------------------------------------------------------- entry point

_CACHE: dict[tuple, CompiledTemplate] = {}


def compiled(template: Path, profile: Profile) -> CompiledTemplate:
    """The compiled template for (file, profile), reused while the file is unchanged."""
    try:
        stat = template.stat()
    except OSError as exc:
        raise RenderError(_("{template}: template not found", template=template) if isinstance(exc, FileNotFoundError)
                          else _("{template}: cannot be read ({reason})", template=template, reason=reason(exc))) from None
    key = (str(template.resolve()), stat.st_mtime_ns, stat.st_size, profile.id)
    if key not in _CACHE:
        _CACHE[key] = CompiledTemplate(template, profile.layout)
    return _CACHE[key]


def render_plan(plan: Document, ref: RefData, template: str | Path | None = None) -> bytes:
    """DOCX bytes of *plan* (a plan or a report), under the rule profile it names."""
    doc_type = ref.doc_type(plan.type)
    profile = ref.profile(plan.profile)
    path = Path(template) if template else templates_dir() / (doc_type.template or "")
    tpl = compiled(path, profile)
    d = plan.header.date
    day = d.day or 1
    core = {
        "title": f"{doc_type.name} {' '.join(plan.subject)}",
        "subject": vn.number_line(plan.header.number, doc_type.code, plan.header.issuer_code),
        "creator": plan.header.issuer,
        "profile": plan.profile,  # lets `vanban check` use the rules the document was made under
        "date": f"{d.year:04d}-{d.month:02d}-{day:02d}T00:00:00Z",
    }
    ctx = context(plan, doc_type, profile)
    chart = _chart_png(plan) if ctx["appendix"] and ctx["appendix"].get("chart") else None
    return tpl.render(ctx, core=core, date_time=(max(d.year, 1980), d.month, day, 0, 0, 0), chart=chart)
