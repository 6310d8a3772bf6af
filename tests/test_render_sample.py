"""The rendered seed plan, opened with python-docx: text and EFFECTIVE formatting of every element
against party-format-rules.md (A4, 20/20/30/15 mm, Times New Roman, sizes and styles of §2)."""

from __future__ import annotations

import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from generator.inspect.docx_inspect import Inspector


@pytest.fixture(scope="module")
def ins(sample_doc):
    return Inspector(sample_doc)


def texts(cell):
    return [p.text for p in cell.paragraphs]


def mm(length):
    return round(length / Mm(1), 1)


def test_two_sections_portrait_body_landscape_appendix(sample_doc):
    body, appendix = sample_doc.sections
    assert (mm(body.page_width), mm(body.page_height), body.orientation) == (210, 297, WD_ORIENT.PORTRAIT)
    assert (mm(appendix.page_width), mm(appendix.page_height), appendix.orientation) == (297, 210, WD_ORIENT.LANDSCAPE)
    for s in (body, appendix):
        assert (mm(s.top_margin), mm(s.bottom_margin), mm(s.left_margin), mm(s.right_margin)) == (20, 20, 30, 15)
        assert mm(s.header_distance) == 10


def _has_page_field(header) -> bool:
    xml = header._element.xml
    return "PAGE" in xml and ("fldChar" in xml or "fldSimple" in xml)


def test_page_number_only_from_page_two(sample_doc, ins):
    body, appendix = sample_doc.sections
    assert body.different_first_page_header_footer
    assert not _has_page_field(body.first_page_header)
    assert _has_page_field(body.header)
    p = body.header.paragraphs[0]
    assert p.alignment == 1  # centred
    assert ins.run(p, p.runs[0]).size_pt == 14
    # Appendix: its own numbering from 1, first page unnumbered (profile: appendix_page_numbers=restart)
    assert appendix.different_first_page_header_footer
    pg = appendix._sectPr.find(qn("w:pgNumType"))
    assert pg is not None and pg.get(qn("w:start")) == "1"


def test_header_block(sample_doc, ins):
    t = sample_doc.tables[0]
    assert t._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"
    left, right = t.rows[0].cells
    assert texts(left) == ["ĐẢNG BỘ QUÂN ĐỘI", "ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ", "*"]
    sup, issuer, star = left.paragraphs
    assert ins.run(sup, sup.runs[0]).bold is False and ins.run(sup, sup.runs[0]).size_pt == 14
    assert ins.run(issuer, issuer.runs[0]).bold is True and ins.run(issuer, issuer.runs[0]).size_pt == 14
    for p in left.paragraphs:
        assert ins.paragraph(p).alignment == "center"
    (title,) = right.paragraphs
    assert title.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    look = ins.run(title, title.runs[0])
    assert (look.bold, look.size_pt, look.underline) == (True, 15, False)  # drawn rule, not underline
    pl = ins.paragraph(title)
    assert pl.bottom_border and pl.alignment == "center"
    # the rule is as long as the words: paragraph width = 72.9 mm measured text width
    cell_w = mm(right.width)
    assert cell_w - 2 * pl.left_mm == pytest.approx(72.9, abs=0.3)
    number, date = t.rows[1].cells
    assert texts(number) == ["Số     -KH/ĐUB"]
    assert ":" not in number.text
    n = number.paragraphs[0]
    assert (ins.run(n, n.runs[0]).size_pt, ins.run(n, n.runs[0]).bold, ins.run(n, n.runs[0]).italic) == (14, False, False)
    assert texts(date) == ["Hà Nội, ngày    tháng 8 năm 2025"]
    d = date.paragraphs[0]
    assert (ins.run(d, d.runs[0]).size_pt, ins.run(d, d.runs[0]).italic) == (14, True)


def body_paragraphs(doc):
    return [p for p in doc.paragraphs]


def find(doc, text):
    for p in doc.paragraphs:
        if p.text == text:
            return p
    raise AssertionError(f"no paragraph {text!r}")


def test_title_subject_and_dashes(sample_doc, ins):
    title = find(sample_doc, "KẾ HOẠCH")
    look = ins.run(title, title.runs[0])
    assert (look.bold, look.size_pt) == (True, 16) and ins.paragraph(title).alignment == "center"
    paras = sample_doc.paragraphs
    i = paras.index(next(p for p in paras if p.text == "KẾ HOẠCH"))
    subject, dashes = paras[i + 1], paras[i + 2]
    assert subject.text == (
        "Thực hiện Chỉ thị số 41-CT/TW ngày 26/12/2024 của Bộ Chính trị\n"
        "“Về tăng cường sự lãnh đạo của Đảng đối với công tác thi đua,\n"
        "khen thưởng trong tình hình mới”"
    )
    assert all(ins.run(subject, r).bold and ins.run(subject, r).size_pt == 14 for r in subject.runs if r.text)
    assert ins.paragraph(subject).alignment == "center"
    assert dashes.text == "-----" and ins.paragraph(dashes).alignment == "center"


@pytest.mark.parametrize(
    "text, bold",
    [
        ("I. MỤC ĐÍCH, YÊU CẦU", True),
        ("1. Mục đích", True),
        ("2. Yêu cầu", True),
        ("III. TỔ CHỨC THỰC HIỆN", True),
        ("1. Cục Chính trị - Tổ chức", True),
        ("3. Các đảng ủy, chi bộ trực thuộc Đảng ủy Ban", True),
        (
            "Căn cứ Chương trình số 3609-CTr/QUTW ngày 26/3/2025 của Quân ủy Trung ương về thực hiện Chỉ thị số "
            "41-CT/TW ngày 26/12/2024 của Bộ Chính trị “Về tăng cường sự lãnh đạo của Đảng đối với công tác thi "
            "đua, khen thưởng trong tình hình mới”,",
            False,
        ),
        (
            "Nhận được kế hoạch, yêu cầu các đảng bộ, chi bộ triển khai thực hiện nghiêm túc, báo cáo kết quả "
            "quán triệt về Ban Thường vụ Đảng ủy Ban (qua Cục Chính trị - Tổ chức) trước ngày 15/8/2025.",
            False,
        ),
    ],
)
def test_body_paragraph_format(sample_doc, ins, text, bold):
    p = find(sample_doc, text)
    pl = ins.paragraph(p)
    assert pl.alignment == "both"  # justified
    assert pl.first_line_mm == pytest.approx(10, abs=0.05)
    assert pl.space_after_pt >= 6
    assert (pl.line_rule, pl.line_pt) == ("exact", 18)
    for look in ins.runs(p):
        assert (look.font, look.size_pt, look.bold, look.italic) == ("Times New Roman", 14, bold, False)


def test_bullets_and_heading_note(sample_doc, ins):
    bullets = [p for p in sample_doc.paragraphs if p.text.startswith("- ") and ins.paragraph(p).style == "VB Gạch đầu dòng"]
    assert len(bullets) == 5
    assert bullets[0].text.startswith("- Quán triệt, tổ chức thực hiện đầy đủ")
    heading = find(sample_doc, "II. NHIỆM VỤ, GIẢI PHÁP (Chi tiết tại Phụ lục kèm theo)")
    looks = [(r.text, ins.run(heading, r).bold, ins.run(heading, r).italic) for r in heading.runs if r.text]
    assert looks == [("II. NHIỆM VỤ, GIẢI PHÁP", True, False), (" (Chi tiết tại Phụ lục kèm theo)", False, True)]


def test_closing_block(sample_doc, ins):
    t = sample_doc.tables[1]
    left, right = t.rows[0].cells
    assert texts(left) == [
        "Nơi nhận:",
        "- Cục Tuyên huấn/TCCT (để b/c);",
        "- BTV Đảng ủy Ban (để c/đ),",
        "- Các đồng chí Ủy viên ĐUB,",
        "- UBKT ĐUB,",
        "- Các đảng ủy, chi bộ trực thuộc ĐUB,",
        "- Lưu: VT, CTTC.",
        "Th-40.",
    ]
    label = left.paragraphs[0]
    look = ins.run(label, label.runs[0])
    assert (look.size_pt, look.underline, look.bold, look.italic) == (14, True, False, False)
    for p in left.paragraphs[1:7]:
        assert ins.run(p, p.runs[0]).size_pt == 12 and not ins.run(p, p.runs[0]).underline
    assert texts(right) == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "", "", "", "Nguyễn Đăng Lực"]
    form, position, *_, name = right.paragraphs
    assert (ins.run(form, form.runs[0]).bold, ins.run(form, form.runs[0]).size_pt) == (True, 14)
    assert (ins.run(position, position.runs[0]).bold, ins.run(position, position.runs[0]).size_pt) == (False, 14)
    assert (ins.run(name, name.runs[0]).bold, ins.run(name, name.runs[0]).size_pt) == (True, 14)
    assert all(ins.paragraph(p).alignment == "center" for p in right.paragraphs)


def test_appendix_heading(sample_doc, ins):
    paras = sample_doc.paragraphs
    i = next(i for i, p in enumerate(paras) if p.text == "Phụ lục")
    label, title, attached = paras[i : i + 3]
    assert title.text == "NHIỆM VỤ, GIẢI PHÁP THỰC HIỆN CHỈ THỊ SỐ 41-CT/TW NGÀY 26/12/2024 CỦA BỘ CHÍNH TRỊ"
    assert attached.text == "(Kèm theo Kế hoạch số     -KH/ĐUB ngày     /8/2025 của Đảng ủy Ban Cơ yếu Chính phủ)"
    assert ins.run(label, label.runs[0]).bold and ins.run(title, title.runs[0]).bold
    assert ins.run(attached, attached.runs[0]).italic
    # the appendix heading opens the landscape section: the paragraph before it ends the body section
    assert paras[i - 1]._p.pPr.find(qn("w:sectPr")) is not None


def test_appendix_table(sample_doc, sample_plan, ins):
    t = sample_doc.tables[2]
    rows = t.rows
    assert len(rows) == 1 + 8 + 22
    header = rows[0]
    assert [c.text for c in header.cells] == [
        "TT",
        "Nhiệm vụ, giải pháp",
        "Cơ quan chủ trì",
        "Cơ quan, đơn vị thực hiện",
        "Thời gian",
    ]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    for row in rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # never split across pages
    groups = [r for r in rows[1:] if len(r._tr.tc_lst) == 2]
    assert [g.cells[0].text for g in groups] == [str(i) for i in range(1, 9)]
    for g in groups:
        span = g._tr.tc_lst[1]
        assert span.grid_span == 4
        p = g.cells[1].paragraphs[0]
        assert all(ins.run(p, r).bold for r in p.runs if r.text)
    tasks = [r for r in rows[1:] if len(r._tr.tc_lst) == 5]
    assert [r.cells[0].text for r in tasks] == [t.id for t in sample_plan.tasks()]
    first = tasks[0]
    assert texts(first.cells[2]) == ["- Ban Thường vụ Đảng ủy Ban", "- Cấp ủy cơ sở"]  # one unit a line
    assert texts(first.cells[3]) == ["Các cơ quan, đơn vị thuộc Ban"]
    assert first.cells[4].text == "Quý III/2025"
    six_one = tasks[[r.cells[0].text for r in tasks].index("6.1")]
    assert texts(six_one.cells[3]) == [
        "- Các cơ quan, đơn vị thuộc Ban",
        "- Hội Phụ nữ, Đoàn Thanh niên, Công đoàn (Công ty TNHH MTV 129)",
    ]


def test_every_run_is_times_new_roman(sample_doc, ins):
    def all_paragraphs():
        yield from sample_doc.paragraphs
        for t in sample_doc.tables:
            for row in t.rows:
                for cell in row.cells:
                    yield from cell.paragraphs

    fonts = {ins.run(p, r).font for p in all_paragraphs() for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}


def test_no_template_tags_left(sample_bytes):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(sample_bytes)) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                xml = z.read(name).decode()
                assert "{{" not in xml and "{%" not in xml, name
