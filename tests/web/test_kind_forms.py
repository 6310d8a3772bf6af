"""The form generated from the document model for every kind: drafting from an empty form, errors beside the field with
what was typed kept, saving, and the DOCX download showing the typed text where the page prints it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from generator.web import core, kindforms
from generator.web.models import Document

from .conftest import login

ROOT = Path(__file__).resolve().parents[2]
CLERK = "vanphong.dang-uy-ban"

HEADER = {
    "profile": "hd36-2018",
    "header.superior": "Đảng bộ Quân đội",
    "header.issuer": "Đảng ủy Ban Cơ yếu Chính phủ",
    "header.issuer_code": "ĐUB",
    "header.place": "Hà Nội",
    "header.date": "2026-03",
}
SIGNER = {
    "signer-form": "T/M",
    "signer-authority": "Ban Thường vụ",
    "signer-position": "Bí thư",
    "signer-name": "Nguyễn Đăng Lực",
}


def paragraphs(content: bytes) -> list[str]:
    d = docx.Document(io.BytesIO(content))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def field_block(page: str, name: str) -> str:
    """The HTML of the form field *name* (its label, input and the errors shown beside it)."""
    fid = "id_" + name.replace(".", "_")
    m = re.search(rf'<div class="field[^"]*" id="field_{re.escape(fid)}">.*?(?=<div class="field|</fieldset>)', page, re.S)
    assert m, f"no field {name}"
    return m.group(0)


def draft(kind: str, post: dict, client=None):
    c = client or login(CLERK)
    before = Document.objects.count()
    r = c.post(f"/documents/new/?kind={kind}", {"vanban_kind": kind, **HEADER, **post})
    return c, r, Document.objects.count() - before


def saved_docx(c, r) -> tuple[Document, list[str]]:
    assert r.status_code == 302, r.content.decode()[:3000]
    doc = Document.objects.latest("created_at")
    got = c.get(f"/documents/{doc.pk}/download/docx/")
    assert got.status_code == 200
    return doc, paragraphs(got.content)


def index(lines: list[str], needle: str) -> int:
    return next(i for i, line in enumerate(lines) if needle in line)


def test_every_kind_of_the_data_has_a_form_of_its_own_fields(tree):
    c = login(CLERK)
    kinds = dict(core.type_choices())
    assert len(kinds) == 18  # every type of data/document-types.yaml with a template
    page = c.get("/documents/new/kind/").content.decode()
    for tid, name in kinds.items():
        assert f"?kind={tid}" in page and name in page
        r = c.get(f"/documents/new/?kind={tid}")
        assert r.status_code == 200, tid
        html = r.content.decode()
        assert name in html
        shape = core.shape_of(tid)
        # a field the shape does not have is not shown
        assert ('name="to"' in html) == (shape in ("letter", "submission")), tid
        assert ('name="articles"' in html) == (shape == "decision"), tid
        assert ('name="structure"' in html) == (shape == "regulation"), tid
        assert ('name="attendance.present"' in html) == (shape == "minutes"), tid
    assert c.get("/documents/new/?kind=khong-co").status_code == 404


def test_a_cong_van_with_two_addressees_and_two_signers(tree):
    c, r, added = draft(
        "cong-van",
        {
            "subject": "đề nghị cung cấp số liệu",
            "subject_prefix": "yes",
            "to": "Đảng ủy Cục Cơ yếu\nChi bộ Tạp chí An toàn thông tin",
            "cc": "Văn phòng Ban",
            "preamble": "Để chuẩn bị sơ kết, Đảng ủy Ban đề nghị các cấp ủy báo cáo số liệu.",
            "recipient-to": ["Như Kính gửi", "Thường trực Đảng ủy"],
            "recipient-note": ["", "để b/c"],
            "recipient-end": ["", ""],
            "archive": "Văn phòng Đảng ủy",
            "signer-form": ["T/M", ""],
            "signer-authority": ["Ban Thường vụ", ""],
            "signer-position": ["Bí thư", "Phó Bí thư"],
            "signer-name": ["Nguyễn Đăng Lực", "Lê Văn Bình"],
        },
    )
    doc, text = saved_docx(c, r)
    assert added == 1 and doc.type_id == "cong-van"
    assert doc.data["to"] == ["Đảng ủy Cục Cơ yếu", "Chi bộ Tạp chí An toàn thông tin"]
    assert doc.data["cosigner"]["name"] == "Lê Văn Bình" and doc.data["signoff"]["form"] == "T/M"
    salutation = index(text, "Kính gửi:")
    assert "Đảng ủy Cục Cơ yếu" in text[salutation + 1] and "Chi bộ Tạp chí An toàn thông tin" in text[salutation + 2]
    assert any(t.startswith("V/v đề nghị cung cấp số liệu") for t in text)
    assert index(text, "Để chuẩn bị sơ kết") > salutation
    assert any("Thường trực Đảng ủy (để b/c)" in t for t in text)
    assert "Lê Văn Bình" in text and "Nguyễn Đăng Lực" in text
    # the saved document opens again in its form, as typed
    page = c.get(f"/documents/{doc.pk}/edit/").content.decode()
    assert "Chi bộ Tạp chí An toàn thông tin</textarea>" in page and 'value="Lê Văn Bình"' in page


def test_a_letter_without_addressee_is_refused_beside_the_field_and_the_typing_kept(tree):
    c, r, added = draft("cong-van", {"subject": "việc gấp <script>x</script>", "to": "", **SIGNER})
    assert r.status_code == 400 and added == 0
    page = r.content.decode()
    assert "Chưa lưu" in page
    assert '<ul class="errors"' in field_block(page, "to")
    assert '<ul class="errors"' not in field_block(page, "subject")
    assert "việc gấp &lt;script&gt;x&lt;/script&gt;</textarea>" in field_block(page, "subject")
    assert "<script>x</script>" not in page


def test_a_to_trinh_prints_its_name_and_kinh_trinh(tree):
    c, r, _ = draft(
        "to-trinh",
        {
            "subject": "về việc kiện toàn Văn phòng",
            "to": "Ban Thường vụ Đảng ủy",
            "sections": "I. Sự cần thiết\nĐoạn lý do.",
            **SIGNER,
        },
    )
    doc, text = saved_docx(c, r)
    assert "TỜ TRÌNH" in text
    assert any(t.startswith("Kính ") and "Ban Thường vụ Đảng ủy" in t for t in text)
    assert index(text, "SỰ CẦN THIẾT") < index(text, "Đoạn lý do.")


def test_a_quyet_dinh_with_three_articles_typed_as_an_outline(tree):
    c, r, _ = draft(
        "quyet-dinh",
        {
            "subject": "thành lập Tổ biên tập",
            "grounds": "Căn cứ Điều lệ Đảng\nXét đề nghị của Văn phòng",
            "articles": "Điều 1. Thành lập Tổ biên tập gồm các đồng chí có tên sau:\n1. Đồng chí A, tổ trưởng;\n"
            "2. Đồng chí B, thành viên.\nĐiều 2. Tổ tự giải thể khi hoàn thành nhiệm vụ.\n"
            "Điều 3. Văn phòng và các đồng chí có tên tại Điều 1 thi hành Quyết định này.",
            "recipient-to": ["Như Điều 3"],
            "recipient-note": [""],
            "recipient-end": [""],
            "archive": "VT",
            **SIGNER,
        },
    )
    doc, text = saved_docx(c, r)
    assert len(doc.data["articles"]) == 3
    assert doc.data["articles"][0]["clauses"][1]["text"] == "Đồng chí B, thành viên."
    a1, a2, a3 = (index(text, f"Điều {n}.") for n in (1, 2, 3))
    assert a1 < a2 < a3 and "Tổ tự giải thể" in text[a2]
    assert index(text, "2. Đồng chí B, thành viên.") < a2
    assert index(text, "- Căn cứ Điều lệ Đảng;") < index(text, "QUYẾT ĐỊNH:") < a1


def test_a_decision_article_before_dieu_1_and_bad_yaml_are_shown_beside_their_fields(tree):
    c, r, added = draft(
        "quyet-dinh",
        {"subject": "thử", "articles": "Lời mở đầu\nĐiều 1. Nội dung.", "attachment": "type: quy-che\n  bad: [", **SIGNER},
    )
    assert r.status_code == 400 and added == 0
    page = r.content.decode()
    articles = field_block(page, "articles")
    assert "dòng 1" in articles.lower() and "Lời mở đầu\nĐiều 1. Nội dung.</textarea>" in articles
    attachment = field_block(page, "attachment")
    assert "YAML" in attachment and "bad: [</textarea>" in attachment


def test_a_quy_che_in_chapters_and_articles(tree):
    c, r, _ = draft(
        "quy-che",
        {
            "subject": "làm việc của Chi bộ",
            "structure": "Chương I\nNhững quy định chung\nĐiều 1. Phạm vi điều chỉnh\nQuy chế này quy định việc làm việc.\n"
            "Chương II. Tổ chức thực hiện\nĐiều 2. Hiệu lực\n1. Quy chế có hiệu lực từ ngày ký.",
            **SIGNER,
        },
    )
    doc, text = saved_docx(c, r)
    assert [ch["title"] for ch in doc.data["chapters"]] == ["Những quy định chung", "Tổ chức thực hiện"]
    c1, c2 = index(text, "Chương I"), index(text, "Chương II")
    # a Chương heading is one paragraph: its label, a line break, its name (kept whole and with the next)
    assert text[c1] == "Chương I\nNHỮNG QUY ĐỊNH CHUNG" and c1 < index(text, "Điều 1.") < c2 < index(text, "Điều 2.")
    assert "Phạm vi điều chỉnh" in text[index(text, "Điều 1.")]


def test_a_bien_ban_with_attendance_chair_and_secretary(tree):
    post = {
        "subject": "Hội nghị Chi bộ tháng 3",
        "start": "2026-03-05T08:00",
        "end": "11:30",
        "place": "Phòng họp số 1",
        "chair.name": "Nguyễn Đăng Lực",
        "chair.position": "Bí thư",
        "secretary.name": "Trần Thị Minh Hà",
        "attendance.members": "đồng chí đảng viên",
        "attendance.expected": "9",
        "attendance.present": "8",
        "attendance.absent-row-name": ["Lê Văn Hùng"],
        "attendance.absent-row-reason": ["đi công tác"],
        "sections": "I. Diễn biến\nĐồng chí Bí thư quán triệt nghị quyết.",
    }
    c, r, added = draft("bien-ban", {**post, "attendance.present": "7"})
    assert r.status_code == 400 and added == 0
    block = field_block(r.content.decode(), "attendance.members")
    assert '<ul class="errors"' in block and "9" in block
    assert 'value="7"' in field_block(r.content.decode(), "attendance.present")
    c, r, _ = draft("bien-ban", post, c)
    doc, text = saved_docx(c, r)
    assert doc.data["attendance"]["absent"] == [{"name": "Lê Văn Hùng", "reason": "đi công tác"}]
    assert any("08 giờ 00 phút" in t for t in text)
    assert any("vắng mặt 01 đồng chí: đồng chí Lê Văn Hùng (đi công tác)" in t for t in text)
    assert "Trần Thị Minh Hà" in text and "Nguyễn Đăng Lực" in text
    assert any("11 giờ 30 phút" in t for t in text)


def test_a_bao_cao_written_by_hand(tree):
    c, r, _ = draft(
        "bao-cao",
        {"subject": "kết quả quý I", "sections": "I. Kết quả\n- Tổ chức 3 buổi học tập.", "archive": "VT", **SIGNER},
    )
    doc, text = saved_docx(c, r)
    assert "BÁO CÁO" in text and index(text, "KẾT QUẢ") < index(text, "- Tổ chức 3 buổi học tập.")


def test_a_ban_sao_form_validates_its_fields(tree):
    c, r, added = draft("ban-sao", {"form": "sao-y", "original": "", **SIGNER})
    assert r.status_code == 400 and added == 0
    page = r.content.decode()
    assert '<ul class="errors"' in field_block(page, "original")
    assert 'value="sao-y" selected' in field_block(page, "form")


def test_the_live_preview_is_built_from_the_render_context(tree):
    c = login(CLERK)
    r = c.post(
        "/documents/preview/",
        {"vanban_kind": "quyet-dinh", **HEADER, "subject": "thử", "articles": "Điều 1. Một.\nĐiều 2. Hai.", **SIGNER},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "QUYẾT ĐỊNH:" in html and "Điều 2." in html and "T/M BAN THƯỜNG VỤ" in html
    assert re.search(r'<ol class="structure">.*Điều 1\..*Điều 2\..*</ol>', html, re.S)  # the structure beside the text
    assert "Số" in html and "-QĐ/ĐUB" in html  # the number line of the render context, left blank until issued
    # a required field not typed yet is a place to fill, not an error
    r = c.post("/documents/preview/", {"vanban_kind": "cong-van", **HEADER, "subject": "thử", **SIGNER})
    assert 'class="place"' in r.content.decode()
    # what cannot stand in for a value (a count typed in words) is said in Vietnamese, under the field's label
    r = c.post("/documents/preview/", {"vanban_kind": "bien-ban", **HEADER, "subject": "thử", "attendance.present": "tám"})
    html = r.content.decode()
    assert "Bản xem trước sẽ hiện khi biểu mẫu đọc được" in html and "Có mặt:" in html


def test_every_kind_imports_from_yaml_and_exports_back(tree):
    c = login(CLERK)
    for sample in ("cong-van/cong-van.yaml", "bien-ban/bien-ban.yaml", "quy-dinh/quy-dinh.yaml", "to-trinh/to-trinh.yaml"):
        path = ROOT / "samples" / sample
        with path.open("rb") as fh:
            r = c.post("/documents/import/", {"file": fh})
        assert r.status_code == 302 and "/edit/" in r["Location"], sample
        doc = Document.objects.latest("created_at")
        assert doc.type_id == path.stem
        page = c.get(r["Location"]).content.decode()
        assert "kind-form" in page
        exported = c.get(f"/documents/{doc.pk}/download/yaml/").content.decode()
        assert f"type: {path.stem}" in exported


class Post(dict):
    def getlist(self, key):
        v = self.get(key, [])
        return v if isinstance(v, list) else [v]


def as_post(widgets, values) -> Post:
    """What the browser sends for a form showing *values*."""
    post = Post()
    for w in widgets:
        v = values[w.name]
        if w.kind == "signers":
            for k in kindforms.SIGNER_KEYS:
                post[f"signer-{k}"] = [s[k] for s in v]
        elif w.kind == "rows":
            for k, _label in w.columns:
                post[f"{w.name}-row-{k}"] = [row[k] for row in v]
        elif w.kind == "recipients":
            for k in ("to", "note", "end"):
                post[f"recipient-{k}"] = [row[k] for row in v]
        elif w.kind == "check":
            if v:
                post[w.name] = "on"
        else:
            post[w.name] = v
    return post


@pytest.mark.parametrize(
    "sample", ["bien-ban/bien-ban.yaml", "cong-van/cong-van.yaml", "to-trinh/to-trinh.yaml", "quy-dinh/quy-dinh.yaml"]
)
def test_the_generated_form_round_trips_a_sample_unchanged(tree, sample):
    """Every value of a sample survives being shown in its form and saved back untouched."""
    import yaml

    data = yaml.safe_load((ROOT / "samples" / sample).read_text(encoding="utf-8"))
    checked = core.check_data(data, "vi")
    assert not checked.errors
    widgets = kindforms.fields_for(data["type"], checked.data)
    post = as_post(widgets, kindforms.initial(widgets, checked.data))
    sub = kindforms.read_post(post, widgets, {"type": data["type"], "header": {"number": data["header"].get("number")}})
    assert not sub.errors
    again = core.check_data(sub.data, "vi")
    assert not again.errors and again.data == checked.data


def test_a_body_table_is_typed_in_the_outline_and_one_it_cannot_write_is_edited_as_yaml(tree):
    c, r, _ = draft(
        "to-trinh",
        {
            "subject": "về kinh phí",
            "to": "Ban Thường vụ",
            "sections": "I. Dự toán\n| TT | Nội dung | Số tiền |\n|---|---|---|\n| 1 | In tài liệu | 5.000.000 |\n",
            **SIGNER,
        },
    )
    doc, text = saved_docx(c, r)
    table = doc.data["sections"][0]["tables"][0]
    assert [cell["text"] for cell in table["header"][0]] == ["TT", "Nội dung", "Số tiền"]
    assert "In tài liệu" in text and "Số tiền" in text  # the cells of the DOCX table
    merged = {**doc.data}
    merged["sections"][0]["tables"][0]["rows"] = [[{"text": "Cộng", "span": 2}, "5.000.000"]]
    doc.data = merged
    doc.save()
    page = c.get(f"/documents/{doc.pk}/edit/").content.decode()
    assert 'class="yaml"' in field_block(page, "sections") and "span: 2" in field_block(page, "sections")


@pytest.mark.parametrize(
    "text",
    ["Điều 1. Phạm vi\n1. Một\na) điểm a\nb) điểm b\nĐoạn thêm.\nĐiều 2. Hiệu lực thi hành từ ngày ký."],
)
def test_articles_outline_round_trips(text):
    articles, problems = kindforms.parse_articles(text)
    assert not problems
    assert articles[0] == {
        "title": "Phạm vi",
        "paragraphs": ["Đoạn thêm."],
        "clauses": [{"text": "Một", "points": ["điểm a", "điểm b"]}],
    }
    # printed alike: a titled article's first paragraph reads back as its text
    assert kindforms.parse_articles(kindforms.render_articles(articles))[0] == kindforms.canonical_articles(articles)


def test_a_ban_sao_of_a_document_of_the_office(tree):
    """The copy names the original among the committee's documents; its DOCX is the original with the copy block."""
    c = login(CLERK)
    original = Document.objects.filter(committee__slug="dang-uy-ban", type_id="ke-hoach").first()
    page = c.get("/documents/new/?kind=ban-sao").content.decode()
    assert f'<option value="van-ban-{original.pk}.yaml">' in field_block(page, "original")
    # another committee's document cannot be named: the loader finds no such file
    other = Document.objects.exclude(committee__slug="dang-uy-ban").exclude(recipients__slug="dang-uy-ban").first()
    c, r, added = draft("ban-sao", {"form": "sao-y", "original": f"van-ban-{other.pk}.yaml", **SIGNER}, c)
    assert r.status_code == 400 and added == 0
    assert f"van-ban-{other.pk}.yaml" in field_block(r.content.decode(), "original")
    c, r, _ = draft(
        "ban-sao",
        {
            "form": "sao-y",
            "original": f"van-ban-{original.pk}.yaml",
            "recipient-to": ["Chi bộ Tạp chí An toàn thông tin"],
            "recipient-note": [""],
            "recipient-end": [""],
            "archive": "VT",
            **SIGNER,
        },
        c,
    )
    doc, text = saved_docx(c, r)
    assert doc.data["original"] == f"van-ban-{original.pk}.yaml"
    subject = original.data["subject"][0]
    assert index(text, subject[:30]) < index(text, "SAO Y BẢN CHÍNH")
    assert any(t.startswith("Số") and "-BS/ĐUB" in t for t in text[index(text, "SAO Y BẢN CHÍNH") - 3 :])
    # approved through the same check, with the original read beside it
    login("lanhdao.dang-uy-ban").post(f"/documents/{doc.pk}/approve/")
    doc.refresh_from_db()
    assert doc.status == Document.Status.APPROVED


def test_a_cong_van_is_approved_and_issued_with_the_next_number_of_its_kind(tree):
    c, r, _ = draft("cong-van", {"subject": "việc phát hành", "to": "Chi bộ Tạp chí An toàn thông tin", **SIGNER})
    doc, _text = saved_docx(c, r)
    login("lanhdao.dang-uy-ban").post(f"/documents/{doc.pk}/approve/")
    assert c.post(f"/documents/{doc.pk}/issue/").status_code == 302
    doc.refresh_from_db()
    assert doc.status == Document.Status.ISSUED and doc.number is not None
    text = paragraphs(c.get(f"/documents/{doc.pk}/download/docx/").content)
    assert f"Số {doc.number:02d}-CV/ĐUB" in text
    assert c.get(f"/documents/{doc.pk}/edit/").status_code == 302  # issued: locked


def test_a_kind_added_as_data_and_a_template_gets_its_form_with_no_web_code(tree, tmp_path):
    """A Giấy mời of the letter shape, added by an office in its own data folder, is drafted in the browser."""
    import shutil

    from generator.io.refdata import load, templates_dir, use_user_data

    (tmp_path / "mau").mkdir()
    shutil.copy(templates_dir() / "cong-van.docx", tmp_path / "mau" / "giay-moi.docx")
    (tmp_path / "document-types.yaml").write_text(
        "giay-moi: {name: Giấy mời, code: GM, tag: S, template: mau/giay-moi.docx, shape: letter}\n", encoding="utf-8"
    )
    use_user_data(tmp_path)
    load.cache_clear()
    try:
        c = login(CLERK)
        assert "?kind=giay-moi" in c.get("/documents/new/kind/").content.decode()
        page = c.get("/documents/new/?kind=giay-moi").content.decode()
        assert 'name="to"' in page and "Giấy mời" in page
        c, r, _ = draft("giay-moi", {"subject": "dự hội nghị sơ kết", "to": "Các đồng chí Bí thư chi bộ", **SIGNER}, c)
        doc, text = saved_docx(c, r)
        assert doc.type_id == "giay-moi"
        assert any(t.startswith("Số") and "-GM/ĐUB" in t for t in text)
        assert any("Các đồng chí Bí thư chi bộ" in t for t in text)
    finally:
        use_user_data(None)
        load.cache_clear()


def test_a_kind_of_the_plan_shape_keeps_the_plan_editor_and_its_name(tree):
    from .test_flow import blank_form

    c = login(CLERK)
    page = c.get("/documents/new/?kind=nghi-quyet").content.decode()
    assert 'id="plan-form"' in page and 'name="vanban_kind" value="nghi-quyet"' in page
    post = blank_form(
        vanban_kind="nghi-quyet",
        issuer="Đảng ủy Ban Cơ yếu Chính phủ",
        issuer_code="ĐUB",
        place="Hà Nội",
        date="2026-03",
        subject="về công tác chuyển đổi số",
        outline="I. Mục tiêu\nHoàn thành chuyển đổi số.",
        signoff_form="T/M",
        signoff_authority="Ban Thường vụ",
        signoff_position="Bí thư",
        signoff_name="Nguyễn Đăng Lực",
    )
    r = c.post("/documents/new/?kind=nghi-quyet", post)
    doc, text = saved_docx(c, r)
    assert doc.type_id == "nghi-quyet" and "NGHỊ QUYẾT" in text
    assert any(t.startswith("Số") and "-NQ/ĐUB" in t for t in text)


def test_a_quyet_dinh_adopts_a_quy_che_drafted_in_the_web(tree):
    c, r, _ = draft(
        "quy-che",
        {"subject": "làm việc của Tổ biên tập", "structure": "Điều 1. Nhiệm vụ\nTổ biên tập soạn Kỷ yếu.", **SIGNER},
    )
    regulation, _text = saved_docx(c, r)
    c, r, _ = draft(
        "quyet-dinh",
        {
            "subject": "ban hành Quy chế làm việc của Tổ biên tập",
            "articles": "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc của Tổ biên tập.",
            "attachment": f"van-ban-{regulation.pk}.yaml",
            **SIGNER,
        },
        c,
    )
    decision, text = saved_docx(c, r)
    assert decision.data["attachment"] == f"van-ban-{regulation.pk}.yaml"
    assert index(text, "Điều 1. Ban hành kèm theo") < index(text, "QUY CHẾ") < index(text, "Tổ biên tập soạn Kỷ yếu.")
    assert any(t.startswith("(Ban hành kèm theo Quyết định số") for t in text)
    html = c.get(f"/documents/{decision.pk}/").content.decode()  # the preview shows the adopted Quy chế too
    assert "Tổ biên tập soạn Kỷ yếu." in html and "(Ban hành kèm theo Quyết định số" in html


def test_a_joint_letter_with_three_signers_prints_them_all(tree):
    c, r, added = draft(
        "cong-van",
        {
            "subject": "phối hợp tổ chức hội nghị",
            "to": "Đảng ủy Cục Cơ yếu",
            "preamble": "Ba cấp ủy cùng đề nghị.",
            "recipient-to": ["Như Kính gửi"],
            "recipient-note": [""],
            "recipient-end": [""],
            "archive": "Văn phòng Đảng ủy",
            "signer-form": ["T/M", "T/M", "T/M"],
            "signer-authority": ["Đảng ủy Ban", "Đảng ủy Cục", "Chi bộ Tạp chí"],
            "signer-position": ["Bí thư", "Bí thư", "Bí thư"],
            "signer-name": ["Nguyễn Đăng Lực", "Lê Văn Bình", "Trần Thị Hà"],
        },
    )
    doc, text = saved_docx(c, r)
    assert added == 1
    assert [s["name"] for s in doc.data["signers"]] == ["Nguyễn Đăng Lực", "Lê Văn Bình", "Trần Thị Hà"]
    assert doc.data.get("signoff") is None and doc.data.get("cosigner") is None
    for name in ("Nguyễn Đăng Lực", "Lê Văn Bình", "Trần Thị Hà"):
        assert name in text
    page = c.get(f"/documents/{doc.pk}/edit/").content.decode()
    assert all(f'value="{n}"' in page for n in ("Nguyễn Đăng Lực", "Lê Văn Bình", "Trần Thị Hà"))


def test_the_rule_profile_is_chosen_by_its_name_not_its_id(tree):
    page = login(CLERK).get("/documents/new/?kind=cong-van").content.decode()
    block = field_block(page, "profile")
    assert '<option value="quan-doi"' in block and "Thực tiễn văn bản Đảng trong Quân đội" in block
    assert ">quan-doi<" not in block
