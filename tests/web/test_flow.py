"""The office's journeys through the test client: draft in the form, validate, preview, issue, send down,
derive, fill the places, approve, issue through the unit's own register; versions and the audit log."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
import yaml

from generator.web import forms, outline
from generator.web.models import AuditLog, Document, RegisterEntry

from .conftest import login

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml"


def form_post(data: dict, **changes) -> dict:
    """What the browser posts for *data*, with some fields changed."""
    values = forms.initial(data)
    values.update(changes)
    rows = forms.rows_of(data)
    for k in forms.ROW_FIELDS:
        values[f"row-{k}"] = [str(r.get(k, "")) for r in rows]
    return values


def blank_form(**fields) -> dict:
    values = {name: "" for name, *_ in forms.FIELDS}
    values.update(fields)
    return values


def docx_text(content: bytes) -> str:
    d = docx.Document(io.BytesIO(content))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_outline_round_trips_the_sample_plan(tree):
    data = Document.objects.get(committee__slug="dang-uy-ban").data
    sections, errors = outline.parse(outline.render(data["sections"]))
    assert errors == []
    from generator.model.document import Section

    assert [Section.model_validate(s).model_dump(mode="json") for s in sections] == data["sections"]


def test_outline_recognises_pasted_word_text():
    text = "I.\tMỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n–  Quán triệt chỉ thị.\nĐoạn văn.\na) Nhỏ hơn\n\nII. Tổ chức thực hiện\n1. Cục Chính trị - Tổ chức\nChủ trì.\n"
    sections, errors = outline.parse(text)
    assert errors == []
    assert sections[0]["title"] == "MỤC ĐÍCH, YÊU CẦU"
    assert sections[0]["sections"][0] == {
        "title": "Mục đích",
        "paragraphs": ["Đoạn văn."],
        "bullets": ["Quán triệt chỉ thị."],
        "sections": [{"title": "Nhỏ hơn"}],
    }
    assert sections[1]["assignments"] == [{"unit": "Cục Chính trị - Tổ chức", "duties": ["Chủ trì."]}]
    _s, errors = outline.parse("Một đoạn trước đề mục\nI. Tiêu đề")
    assert [e.line for e in errors] == [1]


def test_errors_are_shown_next_to_their_field_and_nothing_typed_is_lost(tree):
    c = login("vanphong.tap-chi-attt")
    before = Document.objects.count()
    r = c.post(
        "/documents/new/",
        blank_form(
            issuer="Chi bộ Tạp chí An toàn thông tin",
            issuer_code="CB",
            place="Hà Nội",
            date="2025-13",
            subject="Kế hoạch thử",
            outline="I. Mục đích\nViệc cần làm.",
            signoff_position="Bí thư",
            signoff_name="Nguyễn Văn A",
            archive="Chi bộ",
            report_what="kết quả",
        ),
    )
    assert r.status_code == 400 and Document.objects.count() == before
    page = r.content.decode()
    assert "Chưa lưu" in page
    # the date's message sits in the date field's block (Nơi nhận may be left empty: a document may have none)
    date_block = re.search(r'<div class="field invalid">\s*<label for="id_date">.*?</div>', page, re.S).group(0)
    assert "tháng" in date_block or "1–12" in date_block
    assert not re.search(r'<label for="id_recipients">.*?<ul class="errors"', page, re.S)
    assert 'value="Kế hoạch thử"' in page or ">Kế hoạch thử</textarea>" in page
    assert "Việc cần làm." in page


def test_a_clerk_drafts_previews_and_the_office_issues(tree):
    """From an empty form to an issued plan with its number in the DOCX, and sent to the committees it names."""
    source = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data = Document.objects.get(committee__slug="dang-uy-ban").data
    clerk, leader = login("vanphong.dang-uy-ban"), login("lanhdao.dang-uy-ban")
    post = form_post({**data, "header": {**data["header"], "number": None, "date": "2025-08"}})
    preview = clerk.post("/documents/preview/", post)
    assert preview.status_code == 200 and "MỤC ĐÍCH, YÊU CẦU" in preview.content.decode()
    r = clerk.post("/documents/new/", post)
    assert r.status_code == 302, r.content.decode()[:2000]
    doc = Document.objects.filter(committee__slug="dang-uy-ban").latest("created_at")
    assert doc.data["sections"] == data["sections"] and doc.data["appendix"] == data["appendix"]
    assert doc.data["recipients"][0] == {"to": "Cục Tuyên huấn/TCCT", "note": "để b/c", "end": ";"}
    assert doc.data["subject"] == source["subject"]
    assert clerk.post(f"/documents/{doc.pk}/issue/").status_code == 302
    doc.refresh_from_db()
    assert doc.status == Document.Status.DRAFT  # not approved yet: not issued
    leader.post(f"/documents/{doc.pk}/approve/")
    clerk.post(f"/documents/{doc.pk}/issue/")
    doc.refresh_from_db()
    assert doc.status == Document.Status.ISSUED and doc.number == 2  # the demo's plan took 1
    text = docx_text(clerk.get(f"/documents/{doc.pk}/download/docx/").content)
    assert "Số 02-KH/ĐUB" in text
    assert set(doc.recipients.values_list("slug", flat=True)) == {
        "cuc-ct-tc",
        "tap-chi-attt",
        "trung-tam-cntt-gsanm",
        "cong-ty-129",
        "hoc-vien-ktmm",
        "cuc-qlmmds",
    }
    actions = list(AuditLog.objects.filter(object_id=str(doc.pk)).values_list("action", flat=True))
    assert {"create", "approve", "issue", "download"} <= set(actions)


def test_a_chi_bo_derives_fills_the_places_and_issues_and_the_superior_sees_it(tree):
    plan = Document.objects.get(committee__slug="dang-uy-ban")
    clerk, leader = login("vanphong.tap-chi-attt"), login("lanhdao.tap-chi-attt")
    assert "Xây dựng kế hoạch thực hiện" in clerk.get(f"/documents/{plan.pk}/").content.decode()
    r = clerk.post(f"/documents/{plan.pk}/derive/")
    child = Document.objects.get(committee__slug="tap-chi-attt")
    assert r["Location"] == f"/documents/{child.pk}/edit/"
    assert child.parent_id == plan.pk and child.data["source"]["unit"] == "tap-chi-attt"
    assert "Kế hoạch số 01-KH/ĐUB" in child.data["preamble"][0]  # cites the number the register gave
    page = clerk.get(f"/documents/{child.pk}/edit/").content.decode()
    assert '<mark class="place">[[họ tên người ký]]</mark>' in page
    assert 'class="field has-place"' in page
    post = form_post(child.data)
    filled = {
        k: re.sub(r"\[\[nhiệm vụ cụ thể của ([^\]]+)\]\]", r"\1 thực hiện các nhiệm vụ được giao.", v)
        if isinstance(v, str)
        else v
        for k, v in post.items()
    }
    filled["signoff_name"] = "Trần Văn B"
    assert clerk.post(f"/documents/{child.pk}/edit/", filled).status_code == 302
    child.refresh_from_db()
    assert "[[" not in yaml.safe_dump(child.data, allow_unicode=True)
    assert child.data["source"] == {"plan": f"ke-hoach-{plan.pk}.yaml", "unit": "tap-chi-attt", "dropped": []}
    leader.post(f"/documents/{child.pk}/approve/")
    clerk.post(f"/documents/{child.pk}/issue/")
    child.refresh_from_db()
    assert child.status == Document.Status.ISSUED and child.symbol == "01-KH/CB"
    assert RegisterEntry.objects.get(document=child).committee.slug == "tap-chi-attt"
    superior = login("vanphong.dang-uy-ban").get(f"/documents/{plan.pk}/").content.decode()
    assert f'href="/documents/{child.pk}/">01-KH/CB</a>' in superior
    assert login("vanphong.dang-uy-ban").get(f"/documents/{child.pk}/").status_code == 200


def test_versions_compare_and_restore(tree):
    doc = Document.objects.get(committee__slug="cong-ty-129")
    c = login("vanphong.cong-ty-129")
    c.post(f"/documents/{doc.pk}/edit/", form_post(doc.data, subject="Trích yếu đã sửa"))
    doc.refresh_from_db()
    assert doc.data["subject"] == ["Trích yếu đã sửa"] and doc.versions.count() == 2
    diff = c.get(f"/documents/{doc.pk}/versions/compare/?a=1&b=2").content.decode()
    assert '<span class="add">+- Trích yếu đã sửa</span>' in diff
    assert c.get(f"/documents/{doc.pk}/versions/1/").status_code == 200
    c.post(f"/documents/{doc.pk}/versions/1/restore/")
    doc.refresh_from_db()
    assert doc.data["subject"][0].startswith("Thực hiện Chỉ thị") and doc.versions.count() == 3


def test_script_is_shown_literally_in_pages_and_in_the_docx(tree):
    doc = Document.objects.get(committee__slug="cong-ty-129")
    c = login("vanphong.cong-ty-129")
    evil = "<script>alert(1)</script> Kế hoạch"
    assert c.post(f"/documents/{doc.pk}/edit/", form_post(doc.data, subject=evil)).status_code == 302
    for url in (f"/documents/{doc.pk}/", f"/documents/{doc.pk}/edit/", "/documents/"):
        page = c.get(url).content.decode()
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert evil in docx_text(c.get(f"/documents/{doc.pk}/download/docx/").content)
    r = c.get("/documents/")
    assert "script-src 'self'" in r["Content-Security-Policy"] and r["X-Frame-Options"] == "DENY"


def test_yaml_export_and_import_share_documents_with_the_cli(tree, tmp_path):
    from generator.io.loader import load_plan

    plan = Document.objects.get(committee__slug="dang-uy-ban")
    c = login("vanphong.tap-chi-attt")
    exported = c.get(f"/documents/{plan.pk}/download/yaml/")
    path = tmp_path / "ke-hoach.yaml"
    path.write_bytes(exported.content)
    assert load_plan(path).plan.model_dump(mode="json") == plan.data  # the CLI reads it back unchanged
    with path.open("rb") as fh:
        r = c.post("/documents/import/", {"file": fh})
    imported = Document.objects.filter(committee__slug="tap-chi-attt").latest("created_at")
    assert r["Location"] == f"/documents/{imported.pk}/edit/" and imported.data == plan.data


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("plan.txt", b"type: ke-hoach\n", "chỉ nhập được tệp .yaml"),
        ("plan.yaml", b"header: [unclosed\n", "plan.yaml:"),
        ("plan.yaml", b"type: ke-hoach\nheader: {issuer: X}\n", "plan.yaml:2:"),
    ],
)
def test_a_bad_upload_is_refused_with_a_located_message(tree, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login("vanphong.tap-chi-attt")
    before = Document.objects.count()
    r = c.post("/documents/import/", {"file": SimpleUploadedFile(name, content)}, follow=True)
    assert message in r.content.decode()
    assert Document.objects.count() == before


def test_english_is_available(tree):
    c = login("vanphong.tap-chi-attt", lang="en")
    assert "Register" in c.get("/documents/").content.decode()
    assert "Sổ văn bản đi" in login("vanphong.tap-chi-attt").get("/documents/").content.decode()


def test_an_upload_over_the_size_limit_is_refused(tree, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.VANBAN_UPLOAD_MAX_BYTES = 1000
    c = login("vanphong.tap-chi-attt")
    before = Document.objects.count()
    r = c.post("/documents/import/", {"file": SimpleUploadedFile("big.yaml", b"# " + b"x" * 2000)}, follow=True)
    assert "lớn hơn 1000 byte" in r.content.decode() and Document.objects.count() == before


def test_a_plan_with_many_tasks_can_be_saved_from_the_form(tree):
    """The table posts 7 fields a row: Django's default of 1 000 fields would refuse a 150-task plan."""
    doc = Document.objects.get(committee__slug="cong-ty-129")
    data = doc.data
    group = data["appendix"]["groups"][0]
    task = {k: v for k, v in group["tasks"][0].items() if k != "parent"}
    big = {
        **data,
        "appendix": {**data["appendix"], "groups": [{**group, "tasks": [{**task, "id": f"1.{i}"} for i in range(1, 201)]}]},
    }
    c = login("vanphong.cong-ty-129")
    r = c.post(f"/documents/{doc.pk}/edit/", form_post(big))
    assert r.status_code == 302
    doc.refresh_from_db()
    assert len(doc.data["appendix"]["groups"][0]["tasks"]) == 200


def test_an_undated_document_previews_without_a_place_and_date_line(tree):
    data = Document.objects.get(committee__slug="dang-uy-ban").data
    clerk = login("vanphong.dang-uy-ban")
    dated = clerk.post("/documents/preview/", form_post({**data, "header": {**data["header"], "date": "2025-08-05"}}))
    assert "Hà Nội, ngày 05 tháng 8 năm 2025" in dated.content.decode()
    undated = clerk.post("/documents/preview/", form_post({**data, "header": {**data["header"], "date": None}}))
    page = undated.content.decode()
    assert undated.status_code == 200 and "Hà Nội, " not in page and "MỤC ĐÍCH, YÊU CẦU" in page


def test_a_task_row_problem_names_the_column_as_the_table_does(tree):
    data = Document.objects.get(committee__slug="dang-uy-ban").data
    clerk = login("vanphong.dang-uy-ban")
    post = form_post(data)
    texts = list(post["row-text"])
    first_task = post["row-kind"].index("task") if "task" in post["row-kind"] else 1
    texts[first_task] = ""
    post["row-text"] = texts
    r = clerk.post("/documents/new/", post)
    assert r.status_code == 400, r.status_code
    errors = re.findall(r'<ul class="errors"><li>(.*?)</li>', r.content.decode(), re.S)
    assert any(e.startswith("Nhiệm vụ:") for e in errors), errors
    assert not any(e.startswith("text ") for e in errors), errors


def test_an_appendix_without_a_title_previews_blank_not_none(tree):
    data = Document.objects.get(committee__slug="dang-uy-ban").data
    clerk = login("vanphong.dang-uy-ban")
    post = form_post(data)
    post["appendix_title"] = ""
    page = clerk.post("/documents/preview/", post).content.decode()
    assert "PHỤ LỤC" in page and "NONE" not in page


def test_the_audit_log_names_its_actions_in_the_readers_language(tree):
    page = login("vanphong.dang-uy-ban").get("/audit/").content.decode()
    cells = re.findall(r'<td title="([a-z-]+)">([^<]*)</td>', page)
    assert cells and ("issue", "phát hành") in cells
    assert all(code != words for code, words in cells), [c for c in cells if c[0] == c[1]]
    english = login("vanphong.dang-uy-ban", "en").get("/audit/").content.decode()
    assert ("issue", "issued") in re.findall(r'<td title="([a-z-]+)">([^<]*)</td>', english)
