"""The register printed as the office's sổ: DOCX (A4 landscape, the columns of data/register.yaml, header
rows repeated, a cancelled number shown as cancelled) and its PDF through the page cache."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from generator.io.register import load_layout
from generator.web import office
from generator.web.models import Document, Membership

from .conftest import login


@pytest.fixture
def pages_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.VANBAN_PAGES_DIR = tmp_path / "pages"
    return tmp_path / "pages"


def _issue_and_cancel() -> tuple[Document, Document]:
    """Two more plans of the Đảng ủy Ban issued this year; the second one's number cancelled."""
    clerk = Membership.objects.get(user__username="vanphong.dang-uy-ban")
    leader = Membership.objects.get(user__username="lanhdao.dang-uy-ban")
    plan = Document.objects.get(committee__slug="dang-uy-ban", type_id="ke-hoach")
    made = []
    for subject in ("Kế hoạch thứ hai về thi đua", "Kế hoạch bị hủy số"):
        data = dict(plan.data, subject=[subject])
        data["header"] = {**plan.data["header"], "number": None}
        doc = office.create(clerk, data)
        office.approve(leader, doc, "vi")
        office.issue(clerk, doc, on=dt.date(plan.issued_on.year, 9, 3))
        made.append(doc)
    office.cancel(clerk, made[1], "Ký nhầm người ký")
    for doc in made:
        doc.refresh_from_db()
    return made[0], made[1]


@pytest.mark.django_db
def test_printed_register_docx_and_pdf(tree, pages_dir):
    kept, cancelled = _issue_and_cancel()
    year = kept.issued_on.year
    c = login("vanphong.dang-uy-ban")
    page = c.get(f"/register/?year={year}").content.decode()
    assert "In sổ (DOCX)" in page and "In sổ (PDF)" in page

    r = c.get(f"/register.docx?year={year}")
    assert r.status_code == 200 and r["Content-Disposition"].endswith(f'so-van-ban-di-dang-uy-ban-{year}.docx"')
    d = docx.Document(io.BytesIO(r.content))
    section = d.sections[0]
    assert section.page_width > section.page_height  # A4 landscape
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    text = "\n".join(p.text for p in d.paragraphs)
    assert "ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ" in text and "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text and f"Năm {year}" in text
    (table,) = d.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    layout = load_layout()
    assert rows[0] == [col.title for col in layout.columns]
    assert rows[1] == [str(i) for i in range(1, len(layout.columns) + 1)]
    for row in table.rows[:2]:  # both header rows repeat on every page
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[2]._tr.trPr.find(qn("w:tblHeader")) is None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)  # no line cut by a page
    grid = [round(col.width.mm) for col in table.columns]
    assert grid == [round(col.width) for col in layout.columns]
    body = rows[2:]
    symbols = [r[0] for r in body]
    assert symbols == sorted(symbols) and len(body) == 3  # the demo's plan and the two issued here
    assert symbols == [kept.symbol.replace(f"{kept.number:02d}", f"{n:02d}") for n in (1, 2, 3)]
    line = {r[0]: r for r in body}
    assert line[kept.symbol][1] == "03/09"
    assert line[kept.symbol][2] == "Kế hoạch: Kế hoạch thứ hai về thi đua"
    assert line[kept.symbol][7] == ""
    gone = line[cancelled.symbol]
    assert gone[7].startswith("ĐÃ HỦY SỐ ngày ") and gone[7].endswith(": Ký nhầm người ký")
    gone_row = table.rows[2 + symbols.index(cancelled.symbol)]
    assert all(run.font.strike for run in gone_row.cells[2].paragraphs[0].runs)  # its text struck through
    kept_row = table.rows[2 + symbols.index(kept.symbol)]
    assert not any(run.font.strike for run in kept_row.cells[2].paragraphs[0].runs)

    pdf = c.get(f"/register.pdf?year={year}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    first = reader.pages[0]
    assert first.mediabox.width > first.mediabox.height  # landscape on paper too
    words = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in words and "ĐÃ HỦY SỐ" in words and cancelled.symbol in words


@pytest.mark.django_db
def test_register_print_is_the_own_committees_and_only_docx_or_pdf(tree, pages_dir):
    c = login("vanphong.cong-ty-129")
    year = Document.objects.get(committee__slug="dang-uy-ban", type_id="ke-hoach").issued_on.year
    d = docx.Document(io.BytesIO(c.get(f"/register.docx?year={year}").content))
    text = "\n".join(p.text for p in d.paragraphs) + "\n".join(cell.text for row in d.tables[0].rows for cell in row.cells)
    assert "Chưa có văn bản nào" in text and "ĐUB" not in text  # the unit's own (empty) register, not the Ban's
    assert c.get(f"/register.xml?year={year}").status_code == 404
