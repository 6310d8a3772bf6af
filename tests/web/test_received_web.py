""" "Tải lên văn bản": a received DOCX or PDF read by the import service, reviewed beside its own pages,
saved as a received document (the original kept, audited, versioned), derived from as from a plan received
through the application. Hostile or wrong files are refused with the import service's messages."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from generator.web.models import AuditLog, Document, ReceivedFile

from .conftest import login

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan"
REPORT = ROOT / "samples" / "bao-cao" / "bao-cao"


@pytest.fixture
def pages_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.VANBAN_PAGES_DIR = tmp_path / "pages"
    return tmp_path / "pages"


def _upload(c, path: Path, name: str | None = None, content: bytes | None = None):
    data = content if content is not None else path.read_bytes()
    return c.post("/documents/upload/", {"file": SimpleUploadedFile(name or path.name, data)})


def _tasks(data: dict) -> list[str]:
    return [t["text"] for g in (data.get("appendix") or {}).get("groups", []) for t in g.get("tasks", [])]


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_upload_review_save_derive_as_from_a_plan_received_in_the_app(tree, pages_dir, suffix):
    c = login("vanphong.cong-ty-129")
    source = PLAN.with_suffix(suffix)
    r = _upload(c, source)
    assert r.status_code == 302
    received = ReceivedFile.objects.get(committee__slug="cong-ty-129")
    assert r["Location"] == f"/documents/upload/{received.pk}/"
    assert bytes(received.content) == source.read_bytes() and received.document is None

    review = c.get(r["Location"]).content.decode()
    assert "Thực hiện Chỉ thị số 41-CT/TW" in review  # the HTML preview of what was read
    images = re.findall(r'<img src="([^"]+)"', review)
    expected = len(pypdf.PdfReader(PLAN.with_suffix(".pdf")).pages)
    assert len(images) == expected  # the file's own pages, beside it
    img = c.get(images[0])
    assert img.status_code == 200 and b"".join(img.streaming_content)[:2] == b"\xff\xd8"  # a JPEG

    saved = c.post(f"/documents/upload/{received.pk}/save/")
    received.refresh_from_db()
    doc = received.document
    assert doc is not None and saved["Location"] == f"/documents/{doc.pk}/edit/"
    assert doc.status == Document.Status.RECEIVED and doc.committee.slug == "cong-ty-129"
    assert doc.versions.count() == 1 and AuditLog.objects.filter(action="receive", object_id=str(doc.pk)).exists()
    assert AuditLog.objects.filter(action="upload", object_id=str(received.pk)).exists()
    # saving twice makes no second document
    c.post(f"/documents/upload/{received.pk}/save/")
    assert Document.objects.filter(received_file__isnull=False).count() == 1

    page = c.get(f"/documents/{doc.pk}/").content.decode()
    assert "Xây dựng kế hoạch thực hiện của cấp ủy mình" in page and received.name in page
    derived = c.post(f"/documents/{doc.pk}/derive/")
    child = Document.objects.get(parent=doc)
    assert derived["Location"] == f"/documents/{child.pk}/edit/"
    assert child.committee.slug == "cong-ty-129" and child.status == Document.Status.DRAFT
    # the same tasks as the plan derived from the one the Đảng ủy Ban issued through the application
    through_app = Document.objects.get(committee__slug="cong-ty-129", parent__committee__slug="dang-uy-ban")
    assert _tasks(child.data) and _tasks(child.data) == _tasks(through_app.data)


@pytest.mark.django_db
def test_a_report_is_saved_and_shown_but_not_derived_from(tree, pages_dir):
    c = login("vanphong.cong-ty-129")
    r = _upload(c, REPORT.with_suffix(".docx"))
    received = ReceivedFile.objects.get(committee__slug="cong-ty-129")
    assert "chỉ kế hoạch" in c.get(r["Location"]).content.decode()
    saved = c.post(f"/documents/upload/{received.pk}/save/")
    received.refresh_from_db()
    assert saved["Location"] == f"/documents/{received.document.pk}/"
    page = c.get(saved["Location"]).content.decode()
    assert "Xây dựng kế hoạch thực hiện của cấp ủy mình" not in page
    r = c.post(f"/documents/{received.document.pk}/derive/", follow=True)
    assert "Chỉ lập kế hoạch từ một kế hoạch" in r.content.decode()
    assert not Document.objects.filter(parent=received.document).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("ke-hoach.txt", b"hello", "chỉ tải lên được tệp .docx hoặc .pdf"),
        ("ke-hoach.docx", b"this is no zip", "ke-hoach.docx"),
        ("ke-hoach.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "mật khẩu"),
        ("ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n", "ke-hoach.pdf"),
    ],
)
def test_wrong_or_hostile_files_are_refused_beside_the_field_nothing_kept(tree, pages_dir, name, content, said):
    c = login("vanphong.cong-ty-129")
    r = _upload(c, Path(name), name, content)
    assert r.status_code == 400
    text = r.content.decode()
    error = re.search(r'<p class="errors" id="upload-error" role="alert">(.*?)</p>', text, re.S)
    assert error and said in error.group(1)
    assert "/tmp/" not in error.group(1)  # the server's folders are not shown
    assert not ReceivedFile.objects.exists()


@pytest.mark.django_db
def test_too_large_and_others_uploads_and_roles(tree, pages_dir, settings):
    settings.VANBAN_RECEIVED_MAX_BYTES = 10 * 1024
    c = login("vanphong.cong-ty-129")
    r = _upload(c, PLAN.with_suffix(".docx"))
    assert r.status_code == 400 and "lớn hơn" in r.content.decode()
    settings.VANBAN_RECEIVED_MAX_BYTES = 20 * 1024 * 1024
    _upload(c, PLAN.with_suffix(".docx"))
    received = ReceivedFile.objects.get()
    other = login("vanphong.cuc-ct-tc")
    for url in ("", "save/", "original/", "pages/status.json", "pages/1.jpg"):
        method = other.post if url == "save/" else other.get
        assert method(f"/documents/upload/{received.pk}/{url}").status_code == 404
    leader = login("lanhdao.cong-ty-129")
    assert leader.get("/documents/upload/").status_code == 403
    original = c.get(f"/documents/upload/{received.pk}/original/")
    assert original.content == PLAN.with_suffix(".docx").read_bytes()
    assert io.BytesIO(original.content).read(2) == b"PK"
