"""Builds ``ke-hoach.docx`` and ``bao-cao.docx``, the docxtpl templates of a Kế hoạch and a Báo cáo.

The .docx is committed and is what users open and edit in Word; this script is how it was made,
so that a change to the layout is a reviewable diff. Run ``python doc_templates/build_templates.py``
after editing, and commit both. ``tests/test_template.py`` checks the committed file is current.

Layout (party-format-rules.md): A4, margins 20/20/30/15 mm, Times New Roman; header block as a
borderless table; body 14 pt justified; closing block (Nơi nhận | sign-off) as a borderless table;
the appendix in its own landscape section. Numbers a rule profile may change (margins, spacing,
sizes) are applied by the renderer when it compiles the template, not frozen here.

The appendix table needs no merged cells from docxtpl: a group row is one static row whose second
cell spans four columns (``w:gridSpan``), repeated by ``{%tr for %}``. That avoids docxtpl's
``{% vm %}``/``{% hm %}`` tags, which break inside nested loops (docxtpl issues #104, #192, #618).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"

# Text width of "ĐẢNG CỘNG SẢN VIỆT NAM" in Times New Roman / Liberation Serif Bold 15 pt,
# measured from the font's advance widths (72.9 mm). The rule under it is the paragraph's
# bottom border, so the paragraph is indented to exactly that width (§3.1: same length).
TIEU_DE_WIDTH_MM = 72.9
HEADER_LEFT_MM, HEADER_RIGHT_MM, HEADER_SHIFT_MM = 90, 80, -5
CLOSING_LEFT_MM, CLOSING_RIGHT_MM = 80, 85
APPENDIX_COLS_MM = (12, 115, 42, 48, 35)  # = 252 mm, the landscape text width


def _set(el, tag: str, **attrs):
    child = el.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        el.append(child)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), str(value))
    return child


def _style(
    doc,
    name: str,
    style_id: str,
    base: str | None = "Normal",
    *,
    size=None,
    bold=None,
    italic=None,
    underline=None,
    align=None,
    first_line_mm=None,
    left_mm=None,
    before=None,
    after=None,
    line_exact=None,
    keep_next=False,
):
    """A paragraph style; spacing left as None is inherited from *base* (so that a profile's
    spacing, applied to "VB Nội dung" when the template is compiled, reaches its headings)."""
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.style_id = style_id
    if base:
        st.base_style = doc.styles[base]
    st.quick_style = True
    f = st.font
    if size is not None:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if italic is not None:
        f.italic = italic
    if underline is not None:
        f.underline = underline
    pf = st.paragraph_format
    if align is not None:
        pf.alignment = align
    if first_line_mm is not None:
        pf.first_line_indent = Mm(first_line_mm)
    if left_mm is not None:
        pf.left_indent = Mm(left_mm)
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if line_exact is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_exact)
    pf.keep_with_next = keep_next
    pf.widow_control = True
    return st


def _defaults(doc):
    """Document defaults: Times New Roman 14 for every script, Vietnamese language."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set(rpr, "w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT)
    for tag in ("w:sz", "w:szCs"):
        _set(rpr, tag, val=28)
    _set(rpr, "w:lang", val="vi-VN", eastAsia="en-US", bidi="ar-SA")
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _styles(doc):
    c, j, r, l = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT
    _style(doc, "VB Đầu trang", "VBDauTrang", align=c)
    _style(doc, "VB Tiêu đề", "VBTieuDe", "VB Đầu trang", size=15, bold=True)
    _style(doc, "VB Ngày tháng", "VBNgayThang", "VB Đầu trang", italic=True)
    _style(doc, "VB Dấu", "VBDau", align=r, bold=True)
    _style(doc, "VB Tên loại", "VBTenLoai", align=c, size=16, bold=True, before=18, keep_next=True)
    _style(doc, "VB Trích yếu", "VBTrichYeu", align=c, size=14, bold=True, keep_next=True)
    _style(doc, "VB Gạch ngang", "VBGachNgang", align=c, after=6, keep_next=True)
    body = _style(doc, "VB Nội dung", "VBNoiDung", align=j, first_line_mm=10, after=6, line_exact=18)
    _style(doc, "VB Mục 1", "VBMuc1", body.name, bold=True, keep_next=True)
    _style(doc, "VB Mục 2", "VBMuc2", body.name, bold=True, keep_next=True)
    _style(doc, "VB Mục 3", "VBMuc3", body.name, italic=True, keep_next=True)
    _style(doc, "VB Gạch đầu dòng", "VBGachDauDong", body.name)
    _style(doc, "VB Nơi nhận", "VBNoiNhan", align=l, underline=True, before=12)
    _style(doc, "VB Người nhận", "VBNguoiNhan", align=l, size=12)
    _style(doc, "VB Ký hiệu bản", "VBKyHieuBan", align=l, size=12, left_mm=40)
    _style(doc, "VB Quyền hạn", "VBQuyenHan", align=c, bold=True, before=12)
    _style(doc, "VB Chức vụ", "VBChucVu", align=c)
    _style(doc, "VB Người ký", "VBNguoiKy", align=c, bold=True)
    _style(doc, "VB Phụ lục", "VBPhuLuc", align=c, bold=True, keep_next=True)
    _style(doc, "VB Phụ lục kèm theo", "VBPhuLucKemTheo", align=c, italic=True, after=12, keep_next=True)
    _style(doc, "VB Bảng", "VBBang", align=l, size=13, before=2, after=2)
    _style(doc, "VB Bảng tiêu đề", "VBBangTieuDe", "VB Bảng", align=c, bold=True)
    _style(doc, "VB Bảng giữa", "VBBangGiua", "VB Bảng", align=c)
    _style(doc, "VB Bảng nội dung", "VBBangNoiDung", "VB Bảng", align=j)
    # Keep-with-next is set on the group row's paragraphs only (see _grouped_appendix): on every
    # row of the table LibreOffice would move each row to a page of its own.
    _style(doc, "VB Bảng nhóm", "VBBangNhom", "VB Bảng", align=j, bold=True)
    _style(doc, "VB Bảng số nhóm", "VBBangSoNhom", "VB Bảng", align=c, bold=True)


def _para(container, text: str = "", style: str | None = None, runs: list[tuple[str, dict]] | None = None):
    p = container.add_paragraph(style=style)
    for run_text, fmt in runs or [(text, {})]:
        if not run_text:
            continue
        run = p.add_run(run_text)
        for key, value in fmt.items():
            setattr(run.font, key, value)
    return p


def _borderless(table, indent_mm: float = 0):
    tbl_pr = table._tbl.tblPr
    borders = _set(tbl_pr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _set(borders, f"w:{edge}", val="nil")
    _cell_margins(table, 0)
    if indent_mm:
        _set(tbl_pr, "w:tblInd", w=int(Mm(indent_mm).twips), type="dxa")


def _cell_margins(table, mm: float, top_bottom_mm: float = 0):
    mar = _set(table._tbl.tblPr, "w:tblCellMar")
    for edge, value in (("top", top_bottom_mm), ("left", mm), ("bottom", top_bottom_mm), ("right", mm)):
        _set(mar, f"w:{edge}", w=int(Mm(value).twips), type="dxa")


def _fixed_widths(table, widths_mm):
    table.autofit = False
    _set(table._tbl.tblPr, "w:tblLayout", type="fixed")
    _set(table._tbl.tblPr, "w:tblW", w=int(Mm(sum(widths_mm)).twips), type="dxa")
    for col, width in zip(table.columns, widths_mm, strict=False):
        col.width = Mm(width)
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(widths_mm[col : col + span]))
            col += span


def _first_paragraph(cell, text: str = "", style: str | None = None, runs=None):
    """Use the paragraph every new cell already has, so cells hold no stray empty line."""
    p = cell.paragraphs[0]
    if style:
        p.style = style
    for run_text, fmt in runs or [(text, {})]:
        if run_text:
            run = p.add_run(run_text)
            for key, value in fmt.items():
                setattr(run.font, key, value)
    return p


def _header_block(doc):
    _para(doc, "{%p if h.top_marks %}")
    _para(doc, "{{ h.top_marks }}", "VB Dấu")
    _para(doc, "{%p endif %}")
    t = doc.add_table(rows=2, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    _borderless(t, HEADER_SHIFT_MM)
    _fixed_widths(t, (HEADER_LEFT_MM, HEADER_RIGHT_MM))
    left, right = t.rows[0].cells
    _first_paragraph(left, "{%p if h.superior %}", "VB Đầu trang")
    _para(left, "{{ h.superior }}", "VB Đầu trang")
    _para(left, "{%p endif %}", "VB Đầu trang")
    _para(left, "{{ h.issuer }}", "VB Đầu trang", [("{{ h.issuer }}", {"bold": True})])
    _para(left, "*", "VB Đầu trang")
    p = _first_paragraph(right, "ĐẢNG CỘNG SẢN VIỆT NAM", "VB Tiêu đề")
    side = (HEADER_RIGHT_MM - TIEU_DE_WIDTH_MM) / 2
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    bdr = _set(p._p.get_or_add_pPr(), "w:pBdr")
    _set(bdr, "w:bottom", val="single", sz=6, space=1, color="000000")
    left, right = t.rows[1].cells
    _first_paragraph(left, "{{ h.number_line }}", "VB Đầu trang")
    _para(left, "{%p for m in h.left_marks %}", "VB Đầu trang")
    _para(left, "{{ m }}", "VB Đầu trang", [("{{ m }}", {"bold": True})])
    _para(left, "{%p endfor %}", "VB Đầu trang")
    _first_paragraph(right, "{{ h.place_date }}", "VB Ngày tháng")


def _title_block(doc):
    _para(doc, "{{ title }}", "VB Tên loại")
    # Lines under the tên loại (“CỦA BAN CHẤP HÀNH ĐẢNG BỘ …”, “HỘI NGHỊ LẦN THỨ …”), when the document has them.
    _para(doc, "{%p for t in title_lines %}", "VB Trích yếu")
    _para(doc, "{{ t }}", "VB Trích yếu")
    _para(doc, "{%p endfor %}", "VB Trích yếu")
    _para(doc, "{{ subject }}", "VB Trích yếu")
    _para(doc, "-----", "VB Gạch ngang")


def _body(doc):
    note = ("{% if b.note %} {{ b.note }}{% endif %}", {"bold": False, "italic": True})
    _para(doc, "{%p for b in body %}", "VB Nội dung")
    _para(doc, '{%p if b.kind == "h1" %}', "VB Nội dung")
    _para(doc, None, "VB Mục 1", [("{{ b.text }}", {}), note])
    _para(doc, '{%p elif b.kind == "h2" %}', "VB Nội dung")
    _para(doc, None, "VB Mục 2", [("{{ b.text }}", {}), note])
    _para(doc, '{%p elif b.kind == "h3" %}', "VB Nội dung")
    _para(doc, None, "VB Mục 3", [("{{ b.text }}", {}), note])
    _para(doc, '{%p elif b.kind == "bullet" %}', "VB Nội dung")
    _para(doc, "- {{ b.text }}", "VB Gạch đầu dòng")
    _para(doc, '{%p elif b.kind == "table" %}', "VB Nội dung")
    _para(doc, "{{ b.text }}", "VB Bảng")  # the renderer puts the table in this paragraph's place
    _para(doc, "{%p else %}", "VB Nội dung")
    _para(doc, "{{ b.text }}", "VB Nội dung")
    _para(doc, "{%p endif %}", "VB Nội dung")
    _para(doc, "{%p endfor %}", "VB Nội dung")
    _para(doc, "{%p if report %}", "VB Nội dung")
    _para(
        doc,
        "{% if report.lead %}{{ report.lead }}, báo cáo{% else %}Báo cáo{% endif %} {{ report.what }} "
        "về {{ report.to }}{% if report.via %} (qua {{ report.via }}){% endif %} trước ngày {{ report.deadline }}.",
        "VB Nội dung",
    )
    _para(doc, "{%p endif %}", "VB Nội dung")


def _recipients(container, first: bool):
    add = _first_paragraph if first else _para
    add(container, "{%p if recipients %}", "VB Nơi nhận")
    _para(container, "Nơi nhận:", "VB Nơi nhận")
    _para(container, "{%p endif %}", "VB Nơi nhận")
    _para(container, "{%p for r in recipients %}", "VB Người nhận")
    _para(container, "{{ r }}", "VB Người nhận")
    _para(container, "{%p endfor %}", "VB Người nhận")
    _para(container, "{%p if distribution %}", "VB Người nhận")
    _para(container, "{{ distribution }}", "VB Ký hiệu bản")
    _para(container, "{%p endif %}", "VB Người nhận")


def _signature(cell, who: str = "sign"):
    """Ô 7a–7c of *who* (``sign``, ``cosign``), printed only when the document has that signer."""
    _first_paragraph(cell, "{%p if " + who + " %}", "VB Quyền hạn")
    _para(cell, "{%p if " + who + ".form_line %}", "VB Quyền hạn")
    _para(cell, "{{ " + who + ".form_line }}", "VB Quyền hạn")
    _para(cell, "{%p endif %}", "VB Quyền hạn")
    _para(cell, "{{ " + who + ".position }}", "VB Chức vụ")
    for _ in range(4):  # room for signature and seal: four 14 pt lines (§3.7)
        _para(cell, "", "VB Chức vụ")
    _para(cell, "{{ " + who + ".name }}", "VB Người ký")
    _para(cell, "{%p endif %}", "VB Người ký")


def _closing_block(doc):
    """Nơi nhận on the left, the signature on the right; with a second signer, the two signatures side by side
    and Nơi nhận below them."""
    _para(doc, "{%p if not cosign %}", "VB Nội dung")
    t = doc.add_table(rows=1, cols=2)
    _borderless(t)
    _fixed_widths(t, (CLOSING_LEFT_MM, CLOSING_RIGHT_MM))
    _set(t.rows[0]._tr.get_or_add_trPr(), "w:cantSplit")
    left, right = t.rows[0].cells
    _recipients(left, first=True)
    _signature(right)
    _para(doc, "{%p else %}", "VB Nội dung")
    _signers_table(doc)
    _recipients(doc, first=False)
    _para(doc, "{%p endif %}", "VB Nội dung")


def _signer_block(cell, who: str, *, bold_position: bool = False):
    """One signer of ``signer_rows`` (*who*: ``row.left``, ``row.right``): ô 7a–7c, or nothing when the row has
    none on that side; a blank first line (``pad``) beside a block that has a T/M line."""
    _first_paragraph(cell, "{%p if " + who + " %}", "VB Quyền hạn")
    _para(cell, "{%p if " + who + ".form_line or " + who + ".pad %}", "VB Quyền hạn")
    _para(cell, "{{ " + who + ".form_line }}", "VB Quyền hạn")
    _para(cell, "{%p endif %}", "VB Quyền hạn")
    if bold_position:  # a Biên bản's signers are named by their role, in bold (THƯ KÝ, CHỦ TRÌ HỘI NGHỊ)
        _para(cell, None, "VB Chức vụ", [("{{ " + who + ".position }}", {"bold": True})])
    else:
        _para(cell, "{{ " + who + ".position }}", "VB Chức vụ")
    for _ in range(4):  # room for signature and seal (§3.7)
        _para(cell, "", "VB Chức vụ")
    _para(cell, "{{ " + who + ".name }}", "VB Người ký")
    _para(cell, "{%p endif %}", "VB Người ký")


def _signers_table(doc, *, bold_position: bool = False, rows: str = "signer_rows"):
    """Two or more signers side by side, two a row (*rows*, ``signer_rows``: a joint document, a Biên bản; the
    attachment's ``attachment.signer_rows``), each row kept on one page."""
    t = doc.add_table(rows=3, cols=2)
    _borderless(t)
    _fixed_widths(t, (82.5, 82.5))  # = 165 mm, the text width
    _first_paragraph(t.rows[0].cells[0], "{%tr for row in " + rows + " %}", "VB Nội dung")
    _set(t.rows[1]._tr.get_or_add_trPr(), "w:cantSplit")
    left, right = t.rows[1].cells
    _signer_block(left, "row.left", bold_position=bold_position)
    _signer_block(right, "row.right", bold_position=bold_position)
    _first_paragraph(t.rows[2].cells[0], "{%tr endfor %}", "VB Nội dung")
    return t


def _row_tag(table, text: str, widths):
    row = table.add_row()
    cell = row.cells[0].merge(row.cells[-1])
    _first_paragraph(cell, text, "VB Bảng")
    return row


def _grouped_appendix(doc, cols, header_keys, item_loop, cells, chart=False):
    """The appendix in its own landscape section: heading, (chart,) and a table of groups of
    items, its header row repeated on every page and no row split across pages.

    *cells* describe an item's row: ``(style, "{{ t.x }}")``, or ``("lines", "x")`` for a list
    printed one entry a paragraph."""
    _para(doc, "{%p if appendix %}", "VB Nội dung")
    # Section break: the portrait body ends here, the landscape appendix follows.
    doc.add_section(WD_SECTION.NEW_PAGE)
    body_section, app = doc.sections[-2], doc.sections[-1]
    app.orientation = WD_ORIENT.LANDSCAPE
    app.page_width, app.page_height = body_section.page_height, body_section.page_width
    _para(doc, "{{ appendix.label }}", "VB Phụ lục")
    _para(doc, "{{ appendix.title }}", "VB Phụ lục")
    _para(doc, "{{ appendix.attached }}", "VB Phụ lục kèm theo")
    if chart:
        # The chart is a picture run that the renderer makes from the table's data ({{r}}: run level).
        _para(doc, "{%p if appendix.chart %}", "VB Phụ lục")
        _para(doc, "{{r appendix.chart }}", "VB Phụ lục")
        _para(doc, "{%p endif %}", "VB Phụ lục")
    t = doc.add_table(rows=1, cols=len(cols))
    t.style = doc.styles["Table Grid"]
    _cell_margins(t, 1.5, 0.5)
    head = t.rows[0]
    _set(head._tr.get_or_add_trPr(), "w:tblHeader")  # repeat on every page
    for cell, key in zip(head.cells, header_keys, strict=False):
        _first_paragraph(cell, f"{{{{ appendix.columns.{key} }}}}", "VB Bảng tiêu đề")
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _row_tag(t, "{%tr for g in appendix.groups %}", cols)
    group = t.add_row()
    number = _first_paragraph(group.cells[0], "{{ g.id }}", "VB Bảng số nhóm")
    span = group.cells[1].merge(group.cells[-1])  # one cell over the other columns: static gridSpan
    title = _first_paragraph(span, "{{ g.title }}", "VB Bảng nhóm")
    for p in (number, title):  # a group row never ends a page: it keeps with its first item
        p.paragraph_format.keep_with_next = True
    _row_tag(t, "{%tr for " + item_loop + " %}", cols)
    row = t.add_row()
    for cell, (style, content) in zip(row.cells, cells, strict=False):
        if style == "lines":
            _first_paragraph(cell, "{%p for u in t." + content + " %}", "VB Bảng")
            _para(cell, "{{ u }}", "VB Bảng")
            _para(cell, "{%p endfor %}", "VB Bảng")
        else:
            _first_paragraph(cell, content, style)
    _row_tag(t, "{%tr endfor %}", cols)
    _row_tag(t, "{%tr endfor %}", cols)
    for r in t.rows:
        _set(r._tr.get_or_add_trPr(), "w:cantSplit")  # an item never splits across pages
    _fixed_widths(t, cols)
    _para(doc, "", "VB Bảng")  # Word wants a paragraph after a table
    _para(doc, "{%p endif %}", "VB Nội dung")


def _appendix(doc):
    """The plan's appendix: tasks by group, with lead agencies, executing units and timeframe."""
    _grouped_appendix(
        doc,
        APPENDIX_COLS_MM,
        ("id", "task", "lead", "units", "timeframe"),
        "t in g.tasks",
        [
            ("VB Bảng giữa", "{{ t.id }}"),
            ("VB Bảng nội dung", "{{ t.text }}"),
            ("lines", "lead"),
            ("lines", "units"),
            ("VB Bảng giữa", "{{ t.timeframe }}"),
        ],
    )


STATUS_COLS_MM = (12, 100, 35, 28, 52, 25)  # = 252 mm


def _status_appendix(doc):
    """The report's appendix: status of every task per unit and overall, and a chart."""
    _grouped_appendix(
        doc,
        STATUS_COLS_MM,
        ("id", "task", "lead", "timeframe", "units", "overall"),
        "t in g.rows",
        [
            ("VB Bảng giữa", "{{ t.id }}"),
            ("VB Bảng nội dung", "{{ t.text }}"),
            ("lines", "lead"),
            ("VB Bảng giữa", "{{ t.timeframe }}"),
            ("lines", "units"),
            ("VB Bảng giữa", "{{ t.overall }}"),
        ],
        chart=True,
    )


def _page_number_header(section):
    """Page number centred at the top, none on the first page (§1)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    run.font.size = Pt(14)


def _slim(doc):
    """Drop what python-docx's default package carries that a template should not: its thumbnail,
    customXml, the Word 2010 stylesWithEffects copy, and ~270 unused built-in styles (they made
    every rendered file 800 kB larger and slower to write)."""
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            del doc.part.rels[rid]
    used = {"Normal", "TableNormal", "TableGrid", "DefaultParagraphFont", "NoList", "Header", "Footer"}
    styles = doc.styles.element
    for st in list(styles.findall(qn("w:style"))):
        sid = st.get(qn("w:styleId"))
        if sid not in used and not sid.startswith("VB"):
            styles.remove(st)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)


KINDS = {"ke-hoach": ("Kế hoạch", _appendix), "bao-cao": ("Báo cáo", _status_appendix)}


# --------------------------------------------------------------------------- documents written in articles, minutes


def _article_styles(doc):
    c = WD_ALIGN_PARAGRAPH.CENTER
    _style(doc, "VB Căn cứ", "VBCanCu", "VB Nội dung")
    _style(doc, "VB Giữa đậm", "VBGiuaDam", "VB Nội dung", align=c, bold=True, first_line_mm=0, keep_next=True)
    _style(doc, "VB Điều", "VBDieu", "VB Nội dung", keep_next=True)
    _style(doc, "VB Ghi chú kèm theo", "VBGhiChuKemTheo", align=c, italic=True, keep_next=True)
    # A Phần / Chương / Mục heading: its label and its name in ONE paragraph (a line break between them), kept whole
    # and with the next paragraph. Two paragraphs chained by keep-with-next to the first Điều were not honoured by
    # LibreOffice (the label ended page 1 of the Quy định sample); one paragraph with keepLines is, in Word too.
    chuong = _style(doc, "VB Chương", "VBChuong", "VB Giữa đậm", keep_next=True)
    chuong.paragraph_format.keep_together = True


def _grounds_and_articles(doc, var: str = ""):
    """Căn cứ lines, the enacting line(s) and the articles of *var* (``""`` the document, ``"attachment."``)."""
    _para(doc, f"{{%p for g in {var}grounds %}}", "VB Nội dung")
    _para(doc, "{{ g }}", "VB Căn cứ")
    _para(doc, "{%p endfor %}", "VB Nội dung")
    _para(doc, f"{{%p if {var}enacting %}}", "VB Nội dung")
    _para(doc, f"{{{{ {var}enacting }}}}", "VB Nội dung")
    _para(doc, "{%p endif %}", "VB Nội dung")


def _articles(doc, var: str):
    _para(doc, f"{{%p for b in {var} %}}", "VB Nội dung")
    _para(doc, '{%p if b.kind == "article" and b.title %}', "VB Nội dung")
    _para(doc, None, "VB Điều", [("{{ b.label }} {{ b.title }}", {"bold": True})])  # kept with its text
    _para(doc, '{%p elif b.kind == "article" %}', "VB Nội dung")
    _para(doc, None, "VB Nội dung", [("{{ b.label }}", {"bold": True}), (" {{ b.text }}", {})])
    _para(doc, '{%p elif b.kind == "division" %}', "VB Nội dung")
    _para(doc, "{{ b.text }}", "VB Chương")  # "Chương II\nTỔ CHỨC THỰC HIỆN": the line break is docxtpl's
    _para(doc, "{%p else %}", "VB Nội dung")
    _para(doc, "{{ b.text }}", "VB Nội dung")
    _para(doc, "{%p endif %}", "VB Nội dung")
    _para(doc, "{%p endfor %}", "VB Nội dung")


def _sign_cell(cell, var: str, first: bool = True, *, bold_position: bool = False):
    put = _first_paragraph if first else _para
    put(cell, f"{{%p if {var}.form_line %}}", "VB Quyền hạn")
    _para(cell, f"{{{{ {var}.form_line }}}}", "VB Quyền hạn")
    _para(cell, "{%p endif %}", "VB Quyền hạn")
    if bold_position:  # a Biên bản's signers are named by their role, in bold (THƯ KÝ, CHỦ TRÌ HỘI NGHỊ)
        _para(cell, None, "VB Chức vụ", [(f"{{{{ {var}.position }}}}", {"bold": True})])
    else:
        _para(cell, f"{{{{ {var}.position }}}}", "VB Chức vụ")
    for _ in range(4):  # room for signature and seal (§3.7)
        _para(cell, "", "VB Chức vụ")
    _para(cell, f"{{{{ {var}.name }}}}", "VB Người ký")


def _attachment(doc):
    """The document a Quyết định adopts, on a new page (its own section: page numbers as the profile says), with its
    own heading block: issuer and tiêu đề, tên loại, trích yếu, ``(Ban hành kèm theo Quyết định số …)``; no number
    and no Nơi nhận of its own."""
    _para(doc, "{%p if attachment %}", "VB Nội dung")
    doc.add_section(WD_SECTION.NEW_PAGE)
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    _borderless(t, HEADER_SHIFT_MM)
    _fixed_widths(t, (HEADER_LEFT_MM, HEADER_RIGHT_MM))
    left, right = t.rows[0].cells
    _first_paragraph(left, "{%p if attachment.h.superior %}", "VB Đầu trang")
    _para(left, "{{ attachment.h.superior }}", "VB Đầu trang")
    _para(left, "{%p endif %}", "VB Đầu trang")
    _para(left, None, "VB Đầu trang", [("{{ attachment.h.issuer }}", {"bold": True})])
    _para(left, "*", "VB Đầu trang")
    p = _first_paragraph(right, "ĐẢNG CỘNG SẢN VIỆT NAM", "VB Tiêu đề")
    side = (HEADER_RIGHT_MM - TIEU_DE_WIDTH_MM) / 2
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    bdr = _set(p._p.get_or_add_pPr(), "w:pBdr")
    _set(bdr, "w:bottom", val="single", sz=6, space=1, color="000000")
    _para(doc, "{{ attachment.title }}", "VB Tên loại")
    _para(doc, "{{ attachment.subject }}", "VB Trích yếu")
    _para(doc, "{{ attachment.caption }}", "VB Ghi chú kèm theo")
    _para(doc, "-----", "VB Gạch ngang")
    _grounds_and_articles(doc, "attachment.")
    _articles(doc, "attachment.articles")
    # its signers as a Quy chế alone prints them: one on the right, two or more side by side, two a row
    _para(doc, "{%p if not attachment.cosign %}", "VB Nội dung")
    t = doc.add_table(rows=1, cols=2)
    _borderless(t)
    _fixed_widths(t, (CLOSING_LEFT_MM, CLOSING_RIGHT_MM))
    _set(t.rows[0]._tr.get_or_add_trPr(), "w:cantSplit")
    _sign_cell(t.rows[0].cells[1], "attachment.sign")
    _para(doc, "{%p else %}", "VB Nội dung")
    _signers_table(doc, rows="attachment.signer_rows")
    _para(doc, "{%p endif %}", "VB Nội dung")
    _para(doc, "", "VB Nội dung")
    _para(doc, "{%p endif %}", "VB Nội dung")


def _decision_parts(doc):
    """Quyết định: căn cứ, the enacting body, ``QUYẾT ĐỊNH:``, articles, sign-off and Nơi nhận; the adopted document."""
    _article_styles(doc)
    _title_block(doc)
    _para(doc, "{%p for g in grounds %}", "VB Nội dung")
    _para(doc, "{{ g }}", "VB Căn cứ")
    _para(doc, "{%p endfor %}", "VB Nội dung")
    _para(doc, "{{ enacting }}", "VB Giữa đậm")
    _para(doc, "{{ decides }}", "VB Giữa đậm")
    _articles(doc, "articles")
    _closing_block(doc)
    _attachment(doc)


def _regulation_parts(doc):
    """Quy chế / Quy định on its own: tên loại, trích yếu, the caption when issued with a Quyết định, căn cứ, the
    enacting sentence, parts, chapters and articles; sign-off and Nơi nhận."""
    _article_styles(doc)
    _para(doc, "{{ title }}", "VB Tên loại")
    _para(doc, "{{ subject }}", "VB Trích yếu")
    _para(doc, "{%p if caption %}", "VB Nội dung")
    _para(doc, "{{ caption }}", "VB Ghi chú kèm theo")
    _para(doc, "{%p endif %}", "VB Nội dung")
    _para(doc, "-----", "VB Gạch ngang")
    _grounds_and_articles(doc)
    _articles(doc, "articles")
    # Its own closing: the Nơi nhận only when it has one (a Quy chế written to be issued with a Quyết định has none);
    # several signers side by side, as any document's.
    _closing_block(doc)


def _minutes_parts(doc):
    """Biên bản: opening lines, proceedings, the closing line, the secretary (left) and the chair (right); no Nơi nhận."""
    _article_styles(doc)
    _title_block(doc)
    _para(doc, "{%p for line in opening %}", "VB Nội dung")
    _para(doc, "{{ line }}", "VB Nội dung")
    _para(doc, "{%p endfor %}", "VB Nội dung")
    _body(doc)
    _para(doc, "{%p if end_line %}", "VB Nội dung")
    # the closing line stays on the page of the signatures (a Biên bản never ends with its signers alone)
    _para(doc, "{{ end_line }}", "VB Nội dung").paragraph_format.keep_with_next = True
    _para(doc, "{%p endif %}", "VB Nội dung")
    # the secretary (left) and the chair (right), or the signers the minutes name, two a row
    t = _signers_table(doc, bold_position=True)
    _cell_margins(t, 0, 4)  # a line's room between the closing line and the signers


def _copy_block(doc):
    """The copy block of a Bản sao, added under the copied document: a solid line across the text width, the
    copying body and the copy's number (left) with the kind of copy and the place and date (right), then Nơi nhận
    and the signer (36-HD/VPTW Mục II 3.3)."""
    p = _para(doc, "", "VB Nội dung")
    p.paragraph_format.first_line_indent = Mm(0)
    p.paragraph_format.space_before = Pt(12)
    p.paragraph_format.keep_with_next = True  # the line never ends a page: it stays with the block
    bdr = _set(p._p.get_or_add_pPr(), "w:pBdr")
    _set(bdr, "w:bottom", val="single", sz=8, space=1, color="000000")
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    _borderless(t, HEADER_SHIFT_MM)
    _fixed_widths(t, (HEADER_LEFT_MM, HEADER_RIGHT_MM))
    _set(t.rows[0]._tr.get_or_add_trPr(), "w:cantSplit")
    left, right = t.rows[0].cells
    _first_paragraph(left, "{%p if h.superior %}", "VB Đầu trang")
    _para(left, "{{ h.superior }}", "VB Đầu trang")
    _para(left, "{%p endif %}", "VB Đầu trang")
    _para(left, None, "VB Đầu trang", [("{{ h.issuer }}", {"bold": True})])
    _para(left, "*", "VB Đầu trang")
    _para(left, "{{ h.number_line }}", "VB Đầu trang")
    _first_paragraph(right, None, "VB Đầu trang", [("{{ copy_form }}", {"bold": True})])
    _para(right, "{{ h.place_date }}", "VB Ngày tháng")
    _closing_block(doc)


#: Templates that render a block added at the end of another document, not a document of their own.
BLOCKS = {"ban-sao"}

#: Templates of the other shapes: (title, what follows the header block).
SHAPED = {
    "quyet-dinh": ("Quyết định", _decision_parts),
    "quy-che": ("Quy chế", _regulation_parts),
    "quy-dinh": ("Quy định", _regulation_parts),
    "bien-ban": ("Biên bản", _minutes_parts),
    "ban-sao": ("Bản sao", _copy_block),
}


def _blank_a4():
    """An empty A4 document with the styles, the page set-up of the rules and the page number header."""
    doc = Document()
    _defaults(doc)
    _styles(doc)
    # python-docx's default document has one empty paragraph; start clean.
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    sec.header_distance, sec.footer_distance = Mm(10), Mm(10)
    _page_number_header(sec)
    return doc


def build(out: Path, kind: str = "ke-hoach") -> Path:
    doc = _blank_a4()
    if kind not in BLOCKS:  # a block added under another document has no header block of its own
        _header_block(doc)
    if kind in SHAPED:  # kinds of another shape than the plan's: their own parts after the header
        title, parts = SHAPED[kind]
        parts(doc)
    else:
        _title_block(doc)
        _body(doc)
        _closing_block(doc)
        title, appendix = KINDS[kind]
        appendix(doc)
    return _save(doc, title, out)


# --------------------------------------------------------------------------- letters (Công văn, Tờ trình)

SUBJECT_LEFT_PT = 12  # a Công văn's trích yếu under the number: 12 pt italic (36-HD Phụ lục 3) [C]
ADDRESS_INDENT_MM, ADDRESS_LIST_INDENT_MM = 25, 45


def _letter_styles(doc):
    c, l = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    _style(doc, "VB Trích yếu công văn", "VBTrichYeuCongVan", "VB Đầu trang", size=SUBJECT_LEFT_PT, italic=True)
    _style(doc, "VB Kính gửi", "VBKinhGui", align=c, before=12, after=6, keep_next=True)
    _style(doc, "VB Kính gửi nhiều", "VBKinhGuiNhieu", align=l, left_mm=ADDRESS_INDENT_MM, before=12, keep_next=True)
    _style(doc, "VB Kính gửi dòng", "VBKinhGuiDong", align=l, left_mm=ADDRESS_LIST_INDENT_MM, keep_next=True)


def _letter_header_block(doc):
    """The plan's header block, with the Công văn's trích yếu under the number when the view gives one."""
    _header_block(doc)
    left = doc.tables[-1].rows[1].cells[0]
    number = left.paragraphs[0]._p
    added = [
        _para(left, text, "VB Trích yếu công văn")._p
        for text in ("{%p if letter.subject_left %}", "{{ letter.subject_left }}", "{%p endif %}")
    ]
    for p in reversed(added):  # right under the number, above the độ mật and độ khẩn marks
        number.addnext(p)


def _addressees(doc, salutation: str, names: str):
    """``Kính gửi: X`` on one line, or ``Kính gửi:`` and the addressees one a line."""
    _para(doc, "{%p if " + names + ".inline %}", "VB Kính gửi")
    _para(doc, None, "VB Kính gửi", [("{{ " + salutation + " }} ", {}), ("{{ " + names + ".inline }}", {})])
    _para(doc, "{%p elif " + names + ".lines %}", "VB Kính gửi")
    _para(doc, "{{ " + salutation + " }}", "VB Kính gửi nhiều")
    _para(doc, "{%p for a in " + names + ".lines %}", "VB Kính gửi dòng")
    _para(doc, "{{ a }}", "VB Kính gửi dòng")
    _para(doc, "{%p endfor %}", "VB Kính gửi dòng")
    _para(doc, "{%p endif %}", "VB Kính gửi")


def _letter_title_block(doc):
    """A Tờ trình's tên loại and trích yếu (none on a Công văn), then Kính gửi / Kính trình, Đồng kính gửi."""
    _para(doc, "{%p if title %}", "VB Tên loại")
    _title_block(doc)
    _para(doc, "{%p endif %}", "VB Tên loại")
    _addressees(doc, "letter.salutation", "letter.to")
    _addressees(doc, "letter.cc_salutation", "letter.cc")


LETTERS = {"cong-van": "Công văn", "to-trinh": "Tờ trình"}


def build_letter(out: Path, kind: str = "cong-van") -> Path:
    """A Công văn or Tờ trình template: the same file but for its title; what differs is in the kind's view."""
    doc = _blank_a4()
    _letter_styles(doc)
    _letter_header_block(doc)
    _letter_title_block(doc)
    _body(doc)
    _closing_block(doc)
    title = LETTERS[kind]
    return _save(doc, title, out)


def _save(doc, title: str, out):
    """Fixed properties (no build date), so that a rebuilt template equals the committed one part for part."""
    import datetime as dt

    props = doc.core_properties
    props.author = "vanban"
    props.title = title
    props.comments = f"docxtpl template of a {title} (vanban)"
    props.revision = 1
    props.created = props.modified = dt.datetime(2025, 1, 1)
    _slim(doc)
    props.last_modified_by = "vanban"
    doc.save(out)
    return out


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for name in [*KINDS, *SHAPED]:
        print(build(folder / f"{name}.docx", name))
    for name in LETTERS:
        print(build_letter(folder / f"{name}.docx", name))
