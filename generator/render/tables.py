"""A body table (a programme of activities, a roster, a figures table) as OOXML.

The template marks its place with a paragraph holding :func:`mark`; the engine puts the table there
(:func:`place_tables`). Cells use the template's table styles (``VBBang…``), so a template's look applies.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from generator.model.document import BodyTable, TableCell

_TWIPS_PER_MM = 1440 / 25.4
_MARK = re.compile(r"<!--vanban-table-(\d+)-->")
_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def mark(n: int) -> Markup:
    """The *n*-th table's place in the body, printed by the template as a paragraph's text."""
    return Markup(f"<!--vanban-table-{n}-->")


def _tw(mm: float) -> int:
    return round(mm * _TWIPS_PER_MM)


def _paragraphs(cell: TableCell, header: bool) -> str:
    style = "VBBangTieuDe" if header else "VBBang"
    align = cell.align or ("center" if header else None)
    ppr = f'<w:pStyle w:val="{style}"/>' + (f'<w:jc w:val="{_ALIGN[align]}"/>' if align else "")
    rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if cell.bold else ""
    lines = cell.text.split("\n") if cell.text else [""]
    return "".join(
        f"<w:p><w:pPr>{ppr}</w:pPr>"
        + (f'<w:r>{rpr}<w:t xml:space="preserve">{xml_escape(line)}</w:t></w:r>' if line else "")
        + "</w:p>"
        for line in lines
    )


def table_xml(table: BodyTable, text_width_mm: float) -> str:
    """The table: fixed column widths, single borders, header rows repeated on every page, rows kept whole."""
    grid = table.grid()
    columns = len(table.widths) if table.widths else sum(c.span for c, _, _ in grid[0])
    widths = table.widths or [text_width_mm / columns] * columns
    caption = (
        f'<w:p><w:pPr><w:pStyle w:val="VBPhuLuc"/></w:pPr><w:r><w:t xml:space="preserve">{xml_escape(table.caption)}</w:t></w:r></w:p>'
        if table.caption
        else ""
    )
    out = [
        caption + "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{_tw(sum(widths))}" w:type="dxa"/><w:jc w:val="center"/>'
        "<w:tblBorders>"
        + "".join(
            f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for e in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + "</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{_tw(1.5)}" w:type="dxa"/><w:right w:w="{_tw(1.5)}" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>" + "".join(f'<w:gridCol w:w="{_tw(w)}"/>' for w in widths) + "</w:tblGrid>"
    ]
    n_header = len(table.header)
    for r, row in enumerate(grid):
        header = r < n_header
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
        for cell, col, continued in row:
            tcpr = f'<w:tcW w:w="{_tw(sum(widths[col : col + cell.span]))}" w:type="dxa"/>'
            if cell.span > 1:
                tcpr += f'<w:gridSpan w:val="{cell.span}"/>'
            if cell.rows > 1:
                tcpr += "<w:vMerge/>" if continued else '<w:vMerge w:val="restart"/>'
            tcpr += '<w:vAlign w:val="center"/>'
            body = '<w:p><w:pPr><w:pStyle w:val="VBBang"/></w:pPr></w:p>' if continued else _paragraphs(cell, header)
            out.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{body}</w:tc>")
        out.append("</w:tr>")
    # a paragraph after the table: Word joins two tables that touch (the closing block follows the body)
    out.append('</w:tbl><w:p><w:pPr><w:pStyle w:val="VBBang"/></w:pPr></w:p>')
    return "".join(out)


def place_tables(xml: str, tables: list[str]) -> str:
    """Replace each paragraph holding a table's mark by the table."""
    if not tables:
        return xml

    def para(m: re.Match) -> str:
        found = _MARK.search(m.group(0))
        return tables[int(found.group(1))] if found and int(found.group(1)) < len(tables) else m.group(0)

    return re.sub(r"<w:p[ >](?:(?!</w:p>).)*?<!--vanban-table-\d+-->.*?</w:p>", para, xml, flags=re.S)
