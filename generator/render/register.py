"""The register of outgoing documents (sổ đăng ký văn bản đi) as a DOCX to print: A4 landscape, the
office's name, the title and the year, then one table whose header rows repeat on every page.

A cancelled number keeps its line (numbers are never reused): its text is struck through and the
note column says it was cancelled, when and why. Rows come as plain values: no database here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator.io.register import RegisterLayout
from generator.lang import vn

FONT = "Times New Roman"
#: The mark the note column gives a cancelled number, before its date and reason.
CANCELLED = "ĐÃ HỦY SỐ"


@dataclass
class RegisterLine:
    """One number of the register: its values by field (generator.io.register.FIELDS)."""

    values: dict[str, str] = field(default_factory=dict)
    cancelled: bool = False
    cancelled_on: str = ""  # dd/mm/yyyy
    reason: str = ""


def _font(run, size: float, bold: bool = False, italic: bool = False, strike: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    run.font.strike = strike or None
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(container, text: str, size: float, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, strike=False):
    p = container.add_paragraph() if hasattr(container, "add_paragraph") else container
    p.alignment = align
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    if text:
        _font(p.add_run(text), size, bold, italic, strike)
    return p


def _row_flags(row, header: bool) -> None:
    """A row never splits across pages; a header row repeats at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        tr_pr.append(flag)


def _cell(cell, text: str, size: float, bold=False, italic=False, strike=False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    lines = str(text or "").split("\n")
    first = cell.paragraphs[0]
    _para(first, lines[0], size, bold, italic, align, strike)
    for line in lines[1:]:
        _para(cell.add_paragraph(), line, size, bold, italic, align, strike)


def register_docx(
    layout: RegisterLayout,
    lines: list[RegisterLine],
    *,
    superior: str,
    issuer: str,
    year: int,
    size: float = 12,
) -> bytes:
    """The printed register of *issuer* for *year*."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size)

    body = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    if superior:
        _para(body, vn.upper(superior), 13, align=WD_ALIGN_PARAGRAPH.LEFT)
        body = doc.add_paragraph()
    _para(body, vn.upper(issuer), 13, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    title = _para(doc, layout.title, 16, bold=True)
    title.paragraph_format.space_before = Pt(12)
    _para(doc, f"Năm {year}", 14, bold=True).paragraph_format.space_after = Pt(12)

    cols = layout.columns
    table = doc.add_table(rows=2, cols=len(cols))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, col in enumerate(cols):
        _cell(table.rows[0].cells[i], col.title, size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(table.rows[1].cells[i], str(i + 1), size - 1, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _row_flags(table.rows[0], header=True)
    _row_flags(table.rows[1], header=True)
    for line in lines:
        row = table.add_row()
        _row_flags(row, header=False)
        cells = row.cells
        for i, col in enumerate(cols):
            text = line.values.get(col.field, "")
            if col.field == "note" and line.cancelled:
                when = f" ngày {line.cancelled_on}" if line.cancelled_on else ""
                text = f"{CANCELLED}{when}" + (f": {line.reason}" if line.reason else "")
                _cell(cells[i], text, size, bold=True)
                continue
            center = col.field in ("date", "copies")
            _cell(
                cells[i],
                text,
                size,
                strike=line.cancelled,
                align=WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT,
            )
    if not lines:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _cell(merged, "Chưa có văn bản nào được đăng ký trong năm.", size, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for i, col in enumerate(cols):  # the grid (what LibreOffice reads) and every cell (what Word reads)
        table.columns[i].width = Mm(col.width)
    for row in table.rows:
        for i, col in enumerate(cols):
            row.cells[i].width = Mm(col.width)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
