""" "Xem trang in": the printed pages as images, from the page cache; the PDF download from the same cache.

No page worker runs under the test client, so the pages are converted in the request (the fallback);
the worker itself is tested in tests/test_pageworker.py.
"""

from __future__ import annotations

import io
import json
import re

import pypdf
import pytest
from PIL import Image

from generator.convert import libreoffice
from generator.convert.pages import PageCache
from generator.lang.i18n import _
from generator.web.models import Document

from .conftest import login


@pytest.fixture
def pages_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the PDF download's cache is the same folder
    settings.VANBAN_PAGES_DIR = tmp_path / "pages"
    return tmp_path / "pages"


def _plan() -> Document:
    return Document.objects.get(committee__slug="dang-uy-ban", type_id="ke-hoach")


def _image_size(data: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    return image.size


@pytest.mark.django_db
def test_pages_are_the_pdfs_pages_and_the_second_request_is_a_cache_hit(tree, pages_dir, monkeypatch):
    c = login("vanphong.cong-ty-129")  # a committee that received the plan
    plan = _plan()
    r = c.get(f"/documents/{plan.pk}/pages/")
    assert r.status_code == 200
    html = r.content.decode()
    srcs = re.findall(r'<img src="([^"]+)"', html)
    pdf = c.get(f"/documents/{plan.pk}/download/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    count = len(pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert count > 1 and len(srcs) == count
    assert f"{count} trang" in html  # said in Vietnamese
    for n, src in enumerate(srcs, 1):
        assert src == f"/documents/{plan.pk}/pages/{n}.jpg"
        img = c.get(src)
        assert img.status_code == 200 and img["Content-Type"] == "image/jpeg"
        short, long = sorted(_image_size(b"".join(img.streaming_content)))
        assert 800 < short < 850 and abs(long / short - 297 / 210) < 0.01  # an A4 page (the appendix is landscape)
    assert c.get(f"/documents/{plan.pk}/pages/{count + 1}.jpg").status_code == 404
    status = json.loads(c.get(f"/documents/{plan.pk}/pages/status.json").content)
    assert status == {"state": "done", "pages": count, "error": ""}

    # the second request converts nothing: the images and the PDF come from the cache
    def no_conversion(*args, **kwargs):
        raise AssertionError("converted again")

    monkeypatch.setattr("generator.services.pages.convert_cold", no_conversion)
    again = c.get(f"/documents/{plan.pk}/pages/")
    assert re.findall(r'<img src="([^"]+)"', again.content.decode()) == srcs
    assert c.get(f"/documents/{plan.pk}/download/pdf/").content == pdf.content
    assert len([p for p in pages_dir.iterdir() if p.is_dir() and p.name != "queue"]) == 1


@pytest.mark.django_db
def test_another_committees_document_is_not_found(tree, pages_dir):
    draft = Document.objects.get(committee__slug="cong-ty-129")  # the unit's own draft
    other = login("vanphong.cuc-ct-tc")
    for url in ("", "status.json", "1.jpg"):
        assert other.get(f"/documents/{draft.pk}/pages/{url}").status_code == 404
    assert not pages_dir.exists()  # nothing was converted for someone who may not see it


@pytest.mark.django_db
def test_a_conversion_error_is_shown_in_vietnamese_not_a_500(tree, pages_dir, monkeypatch):
    def broken(docx, pdf, timeout):
        raise libreoffice.ConvertError(_("LibreOffice did not finish within {timeout:g} s and was stopped", timeout=timeout))

    monkeypatch.setattr("generator.services.pages.convert_cold", broken)
    c = login("vanphong.dang-uy-ban")
    plan = _plan()
    r = c.get(f"/documents/{plan.pk}/pages/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "Không tạo được các trang" in text and "LibreOffice không xong trong" in text
    assert "<img" not in text
    status = json.loads(c.get(f"/documents/{plan.pk}/pages/status.json").content)
    assert status["state"] == "error" and "LibreOffice" in status["error"]
    pdf = c.get(f"/documents/{plan.pk}/download/pdf/", follow=True)
    assert pdf.status_code == 200 and "LibreOffice không xong trong" in pdf.content.decode()


@pytest.mark.django_db
def test_pending_while_the_worker_has_it_reloads_without_javascript(tree, pages_dir):
    cache = PageCache(pages_dir)
    cache.beat()  # a worker that is alive (this process) but never answers
    c = login("vanphong.dang-uy-ban")
    plan = _plan()
    r = c.get(f"/documents/{plan.pk}/pages/")  # answered after a short wait, without converting
    text = r.content.decode()
    assert r.status_code == 200 and '<meta http-equiv="refresh" content="3">' in text
    assert "đang được chuẩn bị" in text and "/static/web/pages.js" in text
    assert len(cache.jobs()) == 1  # queued for the worker, once
    c.get(f"/documents/{plan.pk}/pages/")
    assert len(cache.jobs()) == 1
    assert json.loads(c.get(f"/documents/{plan.pk}/pages/status.json").content)["state"] == "pending"
