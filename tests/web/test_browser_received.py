"""In a real browser, with the real page worker: a chi bộ's clerk uploads the plan received as a DOCX
("Tải lên văn bản"), checks what was read beside the file's own pages (made by the worker while the page
polls), saves it, derives the unit's plan from it and finds the tasks; then the same with the PDF, and
"Xem trang in" of the derived plan. Screenshots go where tests/web/test_browser.py puts them."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest

from generator.convert.pages import PageCache
from generator.web import demo
from generator.web.models import Document, ReceivedFile

from .test_browser import CHROMIUM, browser, live_url, log_in, shot  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan"

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (.ci/setup installs it)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(settings, tmp_path):
    """The page worker of `vanban serve`, on this test's own cache."""
    root = tmp_path / "pages"
    settings.DATA_DIR = tmp_path
    settings.VANBAN_PAGES_DIR = root
    proc = subprocess.Popen([sys.executable, "-m", "generator.convert.pageworker", str(root)], stderr=subprocess.DEVNULL)
    cache = PageCache(root)
    end = time.monotonic() + 120
    while not cache.worker_alive() and time.monotonic() < end:
        time.sleep(0.1)
    try:
        yield cache
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def _upload(page, base, path: Path) -> None:
    page.goto(base + "/documents/")
    page.get_by_role("link", name="Tải lên văn bản").click()
    page.get_by_label("Tệp DOCX hoặc PDF").set_input_files(str(path))
    page.get_by_role("button", name="Đọc tệp").click()
    page.wait_for_url(re.compile(r".*/documents/upload/\d+/$"))


def test_upload_review_beside_the_pages_save_derive(browser, worker):  # noqa: F811 - the fixture
    b, base, shots = browser
    demo.load()
    pages = len(pypdf.PdfReader(PLAN.with_suffix(".pdf")).pages)
    page = log_in(b, base, "vanphong.cong-ty-129")

    _upload(page, base, PLAN.with_suffix(".docx"))
    # the worker makes the pages while the page polls (pages.js) and reloads itself
    page.locator(".review .page-images img").first.wait_for(timeout=120_000)
    assert page.locator(".review .page-images img").count() == pages
    page.locator(".review .page-images img").first.evaluate("img => img.decode()")
    assert page.locator(".review .page").get_by_text("Thực hiện Chỉ thị số 41-CT/TW", exact=False).count() >= 1
    assert page.locator("#read-notes").count() == 1
    shot(page, shots, "web-7-tai-len-van-ban")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r".*/documents/\d+/edit/$"))
    received = ReceivedFile.objects.get()
    assert received.document is not None and received.document.status == Document.Status.RECEIVED
    page.goto(f"{base}/documents/{received.document_id}/")
    page.get_by_role("button", name="Xây dựng kế hoạch thực hiện của cấp ủy mình").click()
    page.wait_for_url(re.compile(r".*/documents/\d+/edit/$"))
    child = Document.objects.get(parent=received.document)
    assert page.locator("#tasks tbody tr").count() > 0  # the derived plan has the tasks, in the editor
    tasks = [t["text"] for g in child.data["appendix"]["groups"] for t in g["tasks"]]
    assert tasks and page.locator("#tasks").get_by_text(tasks[0][:40], exact=False).count() >= 1
    shot(page, shots, "web-8-ke-hoach-tu-tep-tai-len")

    # "Xem trang in" of the derived plan, through the worker
    page.goto(f"{base}/documents/{child.pk}/")
    page.get_by_role("link", name="Xem trang in").click()
    page.locator(".page-images img").first.wait_for(timeout=120_000)
    assert page.locator(".page-images img").count() >= 1
    page.locator(".page-images img").first.evaluate("img => img.decode()")
    shot(page, shots, "web-9-xem-trang-in")

    # the PDF: its pages as they are
    _upload(page, base, PLAN.with_suffix(".pdf"))
    page.locator(".review .page-images img").first.wait_for(timeout=120_000)
    assert page.locator(".review .page-images img").count() == pages
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r".*/documents/\d+/edit/$"))
    assert ReceivedFile.objects.filter(kind="pdf", document__isnull=False).count() == 1
    page.close()
