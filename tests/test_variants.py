"""Plans other than the sample: optional marks, other signing forms and profiles, no appendix."""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_ORIENT

from generator.inspect.docx_inspect import Inspector
from generator.io.loader import load_plan
from generator.kinds import render_document

from .test_loader import MINIMAL, write


def render_text(tmp_path, ref, text):
    plan = load_plan(write(tmp_path, text), ref).plan
    return docx.Document(io.BytesIO(render_document(plan, ref)))


def test_marks_on_page_one(tmp_path, ref):
    text = MINIMAL.replace(
        "  date: 2026-03-05\n",
        "  date: 2026-03-05\n  marks: {secrecy: MẬT, urgency: KHẨN, circulation: Lưu hành nội bộ, draft: Dự thảo lần 2}\n",
    )
    doc = render_text(tmp_path, ref, text)
    ins = Inspector(doc)
    top = doc.paragraphs[0]
    assert top.text == "Dự thảo lần 2\nLưu hành nội bộ"
    assert ins.paragraph(top).alignment == "right" and ins.run(top, top.runs[0]).bold
    left = doc.tables[0].cell(1, 0)
    assert [p.text for p in left.paragraphs] == ["Số 05-KH/ĐU", "MẬT", "KHẨN"]
    assert all(ins.run(p, p.runs[0]).bold for p in left.paragraphs[1:])
    assert doc.tables[0].cell(1, 1).text == "Phú Quý, ngày 05 tháng 3 năm 2026"


def test_draft_true_prints_du_thao(tmp_path, ref):
    text = MINIMAL.replace("  date: 2026-03-05\n", "  date: 2026-03-05\n  marks: {draft: true}\n")
    assert render_text(tmp_path, ref, text).paragraphs[0].text == "DỰ THẢO"


def test_no_marks_no_empty_line_above_header(tmp_path, ref):
    doc = render_text(tmp_path, ref, MINIMAL)
    body = doc.element.body
    assert body[0].tag.endswith("}tbl")  # the header table is the first thing on the page


def test_k_t_signoff_and_hd05_recipients(tmp_path, ref):
    text = (
        MINIMAL.replace("profile: hd36-2018", "profile: hd05-2026")
        .replace(
            "signoff: {form: T/M, authority: Ban Thường vụ, position: Bí thư, name: Nguyễn Văn A}",
            "signoff: {form: K/T, authority: Trưởng ban, position: Phó Trưởng ban, name: Trần Thị B}",
        )
        .replace("recipients: [Ban Thường vụ Tỉnh ủy]", "recipients: [Ban Thường vụ Tỉnh ủy, {to: Các chi bộ, note: để t/h}]")
    )
    doc = render_text(tmp_path, ref, text)
    left, right = doc.tables[1].rows[0].cells
    assert [p.text for p in right.paragraphs] == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "", "", "", "", "Trần Thị B"]
    assert [p.text for p in left.paragraphs] == [
        "Nơi nhận:",
        "- Ban Thường vụ Tỉnh ủy;",
        "- Các chi bộ (để t/h);",
        "- Lưu Văn phòng Đảng ủy.",
    ]


def test_head_signs_without_form(tmp_path, ref):
    text = MINIMAL.replace(
        "signoff: {form: T/M, authority: Ban Thường vụ, position: Bí thư, name: Nguyễn Văn A}",
        "signoff: {position: Trưởng ban, name: Lê Văn C}",
    )
    right = render_text(tmp_path, ref, text).tables[1].cell(0, 1)
    assert [p.text for p in right.paragraphs] == ["TRƯỞNG BAN", "", "", "", "", "Lê Văn C"]


def test_citation_with_number_and_day_uses_profile_comma(tmp_path, ref):
    doc = render_text(tmp_path, ref, MINIMAL)
    assert "(Kèm theo Kế hoạch số 05-KH/ĐU, ngày 05/3/2026 của Đảng ủy đặc khu Phú Quý)" in [p.text for p in doc.paragraphs]


def test_plan_without_appendix_is_one_portrait_section(tmp_path, ref):
    text = MINIMAL[: MINIMAL.index("appendix:")]
    doc = render_text(tmp_path, ref, text)
    assert len(doc.sections) == 1
    s = doc.sections[0]
    assert s.orientation == WD_ORIENT.PORTRAIT and s.different_first_page_header_footer
    assert len(doc.tables) == 2
    assert "Phụ lục" not in [p.text for p in doc.paragraphs]


def test_nested_sections_and_point_numbering(tmp_path, ref):
    text = MINIMAL.replace(
        "    paragraphs: [Nội dung.]\n",
        "    sections:\n      - title: Mục đích\n        sections:\n          - {title: Một, paragraphs: [x]}\n"
        "          - {title: Hai, bullets: [y]}\n",
    )
    texts = [p.text for p in render_text(tmp_path, ref, text).paragraphs]
    i = texts.index("I- MỤC ĐÍCH, YÊU CẦU")
    assert texts[i + 1 : i + 6] == ["1. Mục đích", "a) Một", "x", "b) Hai", "- y"]


def test_a_signing_form_added_in_data_alone_is_used(tmp_path):
    """Signing forms come from data/signing-forms.yaml only: a form added there (and allowed by a profile)
    is accepted and printed without any change to the code."""
    import shutil

    from generator.io.refdata import data_dir, load

    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    forms = data / "signing-forms.yaml"
    forms.write_text(
        forms.read_text(encoding="utf-8") + "T/TT: {meaning: thay mặt thường trực, for: thử, tag: U}\n", encoding="utf-8"
    )
    rules = data / "rules" / "hd36-2018.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "signing_forms: [T/M, K/T, T/L]" in text
    rules.write_text(text.replace("signing_forms: [T/M, K/T, T/L]", "signing_forms: [T/M, K/T, T/L, T/TT]"), encoding="utf-8")
    ref = load(str(data))
    plan_text = MINIMAL.replace("signoff: {form: T/M,", "signoff: {form: T/TT,")
    assert plan_text != MINIMAL
    doc = render_text(tmp_path, ref, plan_text)
    assert any(p.text == "T/TT BAN THƯỜNG VỤ" for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs)
