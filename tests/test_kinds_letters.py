"""Công văn, Tờ trình and the plan-shaped kinds: their samples rendered, and the EFFECTIVE formatting of
what only they have (the trích yếu under the number, Kính gửi / Kính trình, title lines, body tables,
optional parts), read back from the DOCX with python-docx and the Inspector."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from generator.inspect.check import check_docx
from generator.inspect.docx_inspect import Inspector
from generator.io.loader import load_plan
from generator.io.refdata import data_dir, load
from generator.kinds import render_document

from .conftest import ROOT

SAMPLES = ROOT / "samples"
PLAN_SHAPED = ["nghi-quyet", "ket-luan", "thong-bao", "huong-dan", "chi-thi", "thong-tri", "chuong-trinh", "de-an", "phuong-an"]


def sample(kind: str) -> Path:
    return SAMPLES / kind / f"{kind}.yaml"


def load_doc(ref, kind: str, **update):
    doc = load_plan(sample(kind), ref).plan
    return doc.model_copy(update=update) if update else doc


def render(doc, ref) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_document(doc, ref)))


def body_texts(d) -> list[str]:
    return [p.text for p in d.paragraphs]


def all_texts(d) -> list[str]:
    return body_texts(d) + [p.text for t in d.tables for r in t.rows for c in r.cells for p in c.paragraphs]


# --------------------------------------------------------------------------- Công văn


def test_cong_van_subject_under_the_number_12pt_italic_with_v_v(ref):
    d = render(load_doc(ref, "cong-van"), ref)
    ins = Inspector(d)
    left = d.tables[0].rows[1].cells[0]
    lines = [p for p in left.paragraphs if p.text]
    assert [p.text for p in lines] == ["Số 215-CV/ĐUB", "V/v tổ chức sơ kết việc thực hiện Chỉ thị số 41-CT/TW", "KHẨN"]
    subject = lines[1]
    assert {(r.size_pt, r.italic, r.bold) for r in ins.runs(subject)} == {(12, True, False)}
    assert ins.paragraph(subject).alignment == "center"
    # no tên loại and no centred trích yếu in the body
    texts = body_texts(d)
    assert "CÔNG VĂN" not in texts and not any("tổ chức sơ kết" in t for t in texts[:3])


def test_cong_van_subject_prefix_is_a_choice_with_the_profile_as_default(ref):
    def subject_line(doc) -> str:
        return [p.text for p in render(doc, ref).tables[0].rows[1].cells[0].paragraphs if p.text][1]

    assert subject_line(load_doc(ref, "cong-van", subject_prefix=False)) == "tổ chức sơ kết việc thực hiện Chỉ thị số 41-CT/TW"
    # 36-HD's own example has no prefix: the profile's default
    assert subject_line(load_doc(ref, "cong-van", subject_prefix=None)).startswith("tổ chức")


def test_cong_van_profile_may_default_to_v_v(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    rules = data / "rules" / "hd36-2018.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace('letter_subject_prefix: ""', 'letter_subject_prefix: "V/v "'), encoding="utf-8"
    )
    ref = load(str(data))
    doc = load_plan(sample("cong-van"), ref).plan.model_copy(update={"subject_prefix": None})
    left = render(doc, ref).tables[0].rows[1].cells[0]
    assert [p.text for p in left.paragraphs if p.text][1].startswith("V/v tổ chức")


def test_cong_van_kinh_gui_list_and_dong_kinh_gui(ref):
    d = render(load_doc(ref, "cong-van"), ref)
    ins = Inspector(d)
    texts = body_texts(d)
    i = texts.index("Kính gửi:")
    assert texts[i + 1 : i + 3] == [
        "- Các đảng ủy, chi bộ trực thuộc Đảng ủy Ban,",
        "- Các cơ quan tham mưu, giúp việc Đảng ủy Ban.",
    ]
    assert texts[i + 3] == "Đồng kính gửi: Cục Chính trị - Tổ chức"
    look, item = ins.paragraph(d.paragraphs[i]), ins.paragraph(d.paragraphs[i + 1])
    assert item.left_mm > look.left_mm > 0  # the addressees stand indented under the salutation
    assert {r.size_pt for r in ins.runs(d.paragraphs[i + 1])} == {14}
    # the flat numbered list and Nơi nhận "- Như trên,"
    assert any(t.startswith("1. Tổ chức sơ kết") for t in texts) and any(t.startswith("3. Cục Chính trị") for t in texts)
    assert "- Như trên," in all_texts(d)


def test_cong_van_one_addressee_inline(ref):
    d = render(load_doc(ref, "cong-van", to=["Ban Thường vụ Đảng ủy Cục Cơ yếu 893"], cc=[]), ref)
    texts = body_texts(d)
    assert "Kính gửi: Ban Thường vụ Đảng ủy Cục Cơ yếu 893" in texts
    assert not any(t.startswith("Đồng kính gửi") for t in texts)
    p = d.paragraphs[texts.index("Kính gửi: Ban Thường vụ Đảng ủy Cục Cơ yếu 893")]
    assert Inspector(d).paragraph(p).alignment == "center"


# --------------------------------------------------------------------------- Tờ trình


@pytest.mark.parametrize(("profile", "word"), [("hd05-2026", "Kính trình:"), ("hd36-2018", "Kính gửi:")])
def test_to_trinh_title_and_the_salutation_of_the_profile(ref, profile, word):
    d = render(load_doc(ref, "to-trinh", profile=profile), ref)
    ins = Inspector(d)
    texts = body_texts(d)
    t = texts.index("TỜ TRÌNH")
    title = d.paragraphs[t]
    assert {(r.size_pt, r.bold) for r in ins.runs(title)} == {(16, True)} and ins.paragraph(title).alignment == "center"
    assert texts[t + 1] == "về việc công nhận Chi ủy, Bí thư, Phó Bí thư Chi bộ\nnhiệm kỳ 2025 - 2027"
    assert f"{word} Ban Thường vụ Đảng ủy Cục Cơ yếu 893" in texts
    # the trích yếu is centred under the title, not under the number
    left = d.tables[0].rows[1].cells[0]
    assert [p.text for p in left.paragraphs if p.text] == ["Số 03-TTr/CB"]


# --------------------------------------------------------------------------- plan-shaped kinds


@pytest.mark.parametrize("kind", PLAN_SHAPED + ["bao-cao"])
def test_every_plan_shaped_sample_renders_with_its_title(ref, kind):
    doc = load_doc(ref, kind)
    d = render(doc, ref)
    title = ref.doc_type(kind).title
    texts = body_texts(d)
    assert title in texts
    assert any(f"-{ref.doc_type(kind).code}/" in t for t in all_texts(d))
    assert Inspector(d).runs(d.paragraphs[texts.index(title)])[0].bold


def test_nghi_quyet_title_lines_upper_case_bold_centred_between_title_and_subject(ref):
    d = render(load_doc(ref, "nghi-quyet"), ref)
    ins = Inspector(d)
    texts = body_texts(d)
    t = texts.index("NGHỊ QUYẾT")
    assert texts[t + 1 : t + 3] == [
        "CỦA BAN CHẤP HÀNH ĐẢNG BỘ BAN CƠ YẾU (KHÓA XII)",
        "về lãnh đạo thực hiện nhiệm vụ cơ yếu năm 2026",
    ]
    line = d.paragraphs[t + 1]
    assert {(r.size_pt, r.bold, r.italic) for r in ins.runs(line)} == {(14, True, False)}
    assert ins.paragraph(line).alignment == "center"


def test_ket_luan_of_a_plenum_and_its_own_numbering(ref):
    d = render(load_doc(ref, "ket-luan"), ref)
    texts = body_texts(d)
    t = texts.index("KẾT LUẬN")
    assert texts[t + 1 : t + 3] == ["HỘI NGHỊ LẦN THỨ BẢY", "BAN CHẤP HÀNH ĐẢNG BỘ TỈNH (KHÓA XVI)"]
    assert "I. ĐÁNH GIÁ TÌNH HÌNH" in texts and "II. MỤC TIÊU, NHIỆM VỤ, GIẢI PHÁP" in texts  # "I." although hd36 says "I-"
    # single-line header: no superior line
    assert [p.text for p in d.tables[0].rows[0].cells[0].paragraphs if p.text] == ["TỈNH ỦY THỪA THIÊN HUẾ", "*"]
    # the same document under the profile's numbering
    d2 = render(load_doc(ref, "ket-luan", numbering=None), ref)
    assert "I- ĐÁNH GIÁ TÌNH HÌNH" in body_texts(d2)


def test_numbering_is_written_as_a_clerk_writes_it(ref):
    doc = load_doc(ref, "huong-dan")
    assert doc.numbering is None
    doc2 = doc.model_validate({**doc.model_dump(mode="json", exclude_none=True), "numbering": ["A-", "1)", "a."]})
    texts = body_texts(render(doc2, ref))
    assert "A- NỘI DUNG SƠ KẾT" in texts and "1) Đánh giá kết quả" in texts and "a. Công tác quán triệt" in texts


def test_numbering_refuses_a_format_that_is_not_a_number(ref, tmp_path, cli):
    text = (
        sample("huong-dan")
        .read_text(encoding="utf-8")
        .replace("profile: hd36-2018", 'profile: hd36-2018\nnumbering: ["{n.__class__}"]')
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = cli("render", bad, "-o", tmp_path)
    assert result.exit_code == 1
    assert "bad.yaml:5:" in result.stderr and "numbering" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- body tables, optional parts


def test_body_table_header_widths_and_merged_cells(ref):
    d = render(load_doc(ref, "chuong-trinh"), ref)
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "STT")
    rows = table._tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert [round(int(g.get(qn("w:w"))) / 56.7) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))] == [14, 84, 42, 25]
    # row 4 ("3", and the person) merged down into row 5
    merged = [tc for tr in rows for tc in tr.tc_lst if tc.tcPr.find(qn("w:vMerge")) is not None]
    assert len(merged) == 4
    assert [tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) for tc in merged] == ["restart", "restart", None, None]
    # the last row: one cell over four columns
    last = rows[-1].tc_lst
    assert len(last) == 1 and last[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "4"
    ins = Inspector(d)
    head = table.rows[0].cells[1].paragraphs[0]
    assert head.text == "Nội dung" and ins.runs(head)[0].bold and ins.paragraph(head).alignment == "center"
    assert table.rows[-1].cells[0].paragraphs[0].text == "Bế mạc" and ins.runs(table.rows[-1].cells[0].paragraphs[0])[0].bold


def test_body_table_that_does_not_fill_its_columns_is_located(tmp_path, cli):
    text = sample("chuong-trinh").read_text(encoding="utf-8").replace('["1", "Ổn định', '["1", "x", "Ổn định')
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = cli("render", bad, "-o", tmp_path)
    assert result.exit_code == 1
    assert "bad.yaml:22:9" in result.stderr and "sections.0.tables.0" in result.stderr and "5" in result.stderr


def test_a_form_with_blanks_no_sign_off_no_recipients_year_only(ref):
    doc = load_doc(ref, "chuong-trinh")
    assert doc.signoff is None and doc.recipients == [] and doc.header.number is None
    d = render(doc, ref)
    texts = all_texts(d)
    assert "CHI BỘ: ………." in texts
    assert "Số     -CTr/CB" in texts
    assert "………., ngày    tháng    năm 2026" in texts
    assert "Nơi nhận:" not in texts and not any(t.startswith("T/M") for t in texts)


def test_two_signers_side_by_side_and_nơi_nhận_below(ref):
    from generator.model.document import SignOff

    co = SignOff(form="T/M", authority="Đảng ủy Cục Cơ yếu 893", position="Bí thư", name="Phạm Văn Hải")
    d = render(load_doc(ref, "thong-bao", cosigner=co), ref)
    sign = next(t for t in d.tables if any("PHẠM" in c.text.upper() for r in t.rows for c in r.cells))
    left, right = sign.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["T/M ĐẢNG ỦY CỤC CƠ YẾU 893", "BÍ THƯ", "Phạm Văn Hải"]
    assert [p.text for p in right.paragraphs if p.text] == ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Đỗ Quang Minh"]
    texts = body_texts(d)
    assert texts.index("Nơi nhận:") > 0  # below the signatures, in the body


def test_nơi_nhận_without_file_copy_is_refused(ref, tmp_path, cli):
    text = sample("thong-tri").read_text(encoding="utf-8").replace("archive: [Văn phòng Đảng ủy]\n", "")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = cli("render", bad, "-o", tmp_path)
    assert result.exit_code == 1 and "archive" in result.stderr


# --------------------------------------------------------------------------- the committed templates and samples


def test_committed_pdfs_read_as_the_layout_says():
    """What LibreOffice made of them (.ci/render-samples): the text a reader finds in the PDF."""
    import pypdf

    def text(kind: str) -> str:
        return " ".join(p.extract_text() for p in pypdf.PdfReader(SAMPLES / kind / f"{kind}.pdf").pages)

    cv = text("cong-van")
    assert "V/v tổ chức sơ kết" in cv and "Kính gửi:" in cv and "Đồng kính gửi:" in cv and "CÔNG VĂN" not in cv
    assert cv.index("Số 215-CV/ĐUB") < cv.index("V/v tổ chức") < cv.index("Kính gửi:")
    assert "Kính trình:" in text("to-trinh") and "TỜ TRÌNH" in text("to-trinh")
    assert "HỘI NGHỊ LẦN THỨ BẢY" in text("ket-luan")
    ctr = text("chuong-trinh")
    assert "Người thực hiện" in ctr and "Bế mạc" in ctr
    for kind in PLAN_SHAPED:
        assert len(pypdf.PdfReader(SAMPLES / kind / f"{kind}.pdf").pages) >= 1


def test_letter_templates_match_their_build_script(tmp_path):
    import importlib.util
    import zipfile

    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "doc_templates" / "build_templates.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name in mod.LETTERS:
        fresh = zipfile.ZipFile(mod.build_letter(tmp_path / f"{name}.docx", name))
        committed = zipfile.ZipFile(ROOT / "doc_templates" / f"{name}.docx")
        for part in ("word/document.xml", "word/styles.xml"):
            assert fresh.read(part) == committed.read(part), f"{name}: {part}: run python doc_templates/build_templates.py"


def test_every_kind_with_a_template_has_a_sample_and_a_skeleton():
    types = yaml.safe_load((data_dir() / "document-types.yaml").read_text(encoding="utf-8"))
    for kind in PLAN_SHAPED + ["cong-van", "to-trinh", "bao-cao"]:
        assert types[kind].get("template"), kind
        assert sample(kind).is_file(), kind
    for kind in ("cong-van", "to-trinh"):
        assert (data_dir() / "new" / f"{kind}.yaml").is_file() and (data_dir() / "new" / f"{kind}.vi.yaml").is_file()


@pytest.mark.parametrize("kind", ["cong-van", "to-trinh", *PLAN_SHAPED, "bao-cao"])
def test_committed_sample_docx_is_current(ref, kind):
    committed = SAMPLES / kind / f"{kind}.docx"
    assert committed.read_bytes() == render_document(load_doc(ref, kind), ref), "run: bash .ci/render-samples"


#: What `vanban check` does not know yet (taught in parallel, generator/inspect/): a Công văn has no tên loại;
#: a form has no sign-off and no Nơi nhận. Strict: these tests fail once the checker knows, to be un-marked.
CHECKER_TODO: dict[str, str] = {}  # kinds the checker does not read right yet (none)


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(k, marks=pytest.mark.xfail(reason=CHECKER_TODO[k], strict=True)) if k in CHECKER_TODO else k
        for k in ["cong-van", "to-trinh", *PLAN_SHAPED, "bao-cao"]
    ],
)
def test_vanban_check_finds_no_error_in_the_sample(ref, tmp_path, kind):
    doc = load_doc(ref, kind)
    for profile in ("hd36-2018", "hd05-2026"):
        out = tmp_path / f"{kind}-{profile}.docx"
        out.write_bytes(render_document(doc.model_copy(update={"profile": profile}), ref))
        errors = [f for f in check_docx(out, ref.profile(profile), ref) if f.severity == "error"]
        assert errors == [], (profile, errors)
