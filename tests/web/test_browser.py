"""The main journeys in a real browser (Debian's chromium driven by Playwright) against a live server:
a văn phòng clerk drafts the sample plan from an empty form, previews it, has it approved and issues it;
a chi bộ clerk derives the chi bộ's plan, fills the places, has it approved and issues it.
Screenshots of each step go to the test's folder, and to $VANBAN_SCREENSHOTS when set (docs/screenshots)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from generator.web import demo, forms
from generator.web.models import Document

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (.ci/setup installs it)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def live_url():
    """A live server for this test only (pytest-django's lives for the whole session, and its
    connection then outlives the PostgreSQL test database)."""
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    server = LiveServerThread("127.0.0.1", _StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()


@pytest.fixture
def browser(live_url, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in the test's thread, beside the ORM
    shots = [tmp_path]
    if os.environ.get("VANBAN_SCREENSHOTS"):
        shots.append(Path(os.environ["VANBAN_SCREENSHOTS"]))
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield b, live_url, shots
        finally:
            from django.db import connections

            # the ORM calls made while Playwright's loop runs got their own connection (asgiref context)
            connections.close_all()
            b.close()


def shot(page, shots, name):
    for folder in shots:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"))


def log_in(browser, base, username):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(demo.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r".*/documents/$"))
    return page


def approve(browser, base, slug, pk):
    page = log_in(browser, base, f"lanhdao.{slug}")
    page.goto(f"{base}/documents/{pk}/")
    page.get_by_role("button", name="Duyệt").click()
    page.get_by_text("Đã duyệt.").wait_for()
    page.close()


def test_clerk_drafts_previews_issues_and_a_chi_bo_derives_and_issues(browser):
    b, base, shots = browser
    demo.load()
    sample = Document.objects.get(committee__slug="dang-uy-ban").data
    values = forms.initial({**sample, "header": {**sample["header"], "number": None, "date": "2025-08"}})
    rows = forms.rows_of(sample)

    page = log_in(b, base, "vanphong.dang-uy-ban")
    page.get_by_role("link", name="Kế hoạch mới").click()
    for name, *_ in forms.FIELDS:
        if name == "signoff_form":
            page.select_option("#id_signoff_form", values[name])
        elif name != "outline":
            page.fill(f"#id_{name}", values[name])
    page.fill("#id_outline", values["outline"])
    page.locator("#preview p.heading").get_by_text(
        "I. MỤC ĐÍCH, YÊU CẦU", exact=True
    ).wait_for()  # the live preview followed the typing
    for row in rows:
        page.get_by_role("button", name="Thêm nhóm" if row["kind"] == "group" else "Thêm nhiệm vụ").click()
        last = page.locator("#tasks tbody tr").last
        last.locator("[name=row-id]").fill(row["id"])
        last.locator("[name=row-text]").fill(row["text"])
        if row["kind"] == "task":
            last.locator("[name=row-lead]").fill(row["lead"])
            last.locator("[name=row-units]").fill(row["units"])
            last.locator("[name=row-timeframe]").fill(row["timeframe"])
    page.locator("#preview table.appendix").get_by_text(rows[-1]["text"][:40]).wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, shots, "web-1-van-phong-soan-ke-hoach")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu.").wait_for()
    doc = Document.objects.filter(committee__slug="dang-uy-ban").latest("created_at")
    assert doc.data["appendix"] == sample["appendix"] and doc.data["sections"] == sample["sections"]

    approve(b, base, "dang-uy-ban", doc.pk)
    page.goto(f"{base}/documents/{doc.pk}/")
    page.get_by_role("button", name="Phát hành (lấy số tiếp theo)").click()
    page.get_by_text("Đã phát hành, số 02-KH/ĐUB.").wait_for()
    shot(page, shots, "web-2-van-phong-phat-hanh")
    page.close()

    page = log_in(b, base, "vanphong.tap-chi-attt")
    page.locator("tr", has_text="02-KH/ĐUB").get_by_role("link").click()  # from the inbox
    page.get_by_role("button", name="Xây dựng kế hoạch thực hiện của cấp ủy mình").click()
    page.locator("li.success").get_by_text("hãy điền các chỗ được tô sáng").wait_for()
    assert page.locator("#preview mark.place").count() >= 2
    shot(page, shots, "web-3-chi-bo-dien-cho-trong")
    outline_text = page.input_value("#id_outline")
    page.fill("#id_outline", re.sub(r"\[\[nhiệm vụ cụ thể của ([^\]]+)\]\]", r"\1 thực hiện nhiệm vụ được giao.", outline_text))
    page.fill("#id_signoff_name", "Trần Văn B")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu.").wait_for()
    child = Document.objects.get(committee__slug="tap-chi-attt")
    assert child.parent_id == doc.pk
    approve(b, base, "tap-chi-attt", child.pk)
    page.goto(f"{base}/documents/{child.pk}/")
    page.get_by_role("button", name="Phát hành (lấy số tiếp theo)").click()
    page.get_by_text("Đã phát hành, số 01-KH/CB.").wait_for()
    shot(page, shots, "web-4-chi-bo-phat-hanh")
    page.close()

    page = log_in(b, base, "vanphong.dang-uy-ban")
    page.goto(f"{base}/documents/{doc.pk}/")
    page.get_by_role("link", name="01-KH/CB").wait_for()
    shot(page, shots, "web-5-cap-tren-theo-doi")
    page.close()
    phone = b.new_page(viewport={"width": 390, "height": 844})
    phone.goto(base + "/login/")
    shot(phone, shots, "web-6-dien-thoai-dang-nhap")
    phone.close()
