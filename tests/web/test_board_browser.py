"""The secretariat's journey in a real browser (Debian's chromium driven by Playwright): the board changes after a
unit submits, the report is generated from the live data, a paragraph is edited, the figures are updated after a
late submission with the edit kept, a leader approves and the office issues the report (a number taken).
Screenshots of each step go to the test's folder, and to $VANBAN_SCREENSHOTS when set (docs/screenshots)."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from generator.web import demo
from generator.web.models import RegisterEntry
from generator.web.progress.models import LiveReport

from .progress_fixtures import day, open_collection, submit
from .test_browser import CHROMIUM, browser, live_url, log_in, shot  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason="chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]

EDIT = "Các đơn vị đã chủ động quán triệt Chỉ thị; Đảng ủy Ban ghi nhận và biểu dương."


def counts(page) -> dict[str, int]:
    out = {}
    for cls in ("submitted", "draft", "not-started", "late"):
        out[cls] = int(page.locator(f".board-counts li.{cls} strong").inner_text())
    return out


@override_settings(VANBAN_BOARD_POLL_SECONDS=1)
def test_secretariat_follows_the_board_writes_and_issues_the_report(browser):  # noqa: F811
    b, base, shots = browser
    demo.load()
    col = open_collection()
    submit(col, "cong-ty-129", day(10))

    page = log_in(b, base, "vanphong.dang-uy-ban")
    page.goto(f"{base}/progress/{col.pk}/")
    page.get_by_role("link", name="Bảng theo dõi", exact=True).click()
    page.wait_for_url(re.compile(r".*/board/$"))
    before = counts(page)
    assert before["submitted"] == 1
    assert page.locator("#board-news").is_hidden()
    submit(col, "cuc-ct-tc", day(11))  # a unit submits while the board is open: the page notices (it polls)
    page.locator("#board-news").wait_for(state="visible", timeout=15000)
    page.locator("#board-news").get_by_role("link", name="Tải lại trang").click()
    page.wait_for_load_state()
    after = counts(page)
    assert after["submitted"] == 2 and after["not-started"] == before["not-started"] - 1
    assert "Đã gửi" in page.locator("tr[data-unit=cuc-ct-tc]").inner_text()
    assert "Chi bộ Cục Chính trị - Tổ chức" not in page.input_value("#reminder-text")
    page.get_by_label("Nhóm").select_option("1")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r".*group=1.*"))
    ids = page.locator("table.board-tasks tr[data-task]").evaluate_all("rows => rows.map(r => r.dataset.task)")
    assert ids and all(i.startswith("1.") for i in ids)
    page.goto(f"{base}/progress/{col.pk}/board/")
    shot(page, shots, "tien-do-1-bang-theo-doi")
    page.get_by_role("button", name="Sao chép").click()
    page.get_by_role("button", name="Đã sao chép.").wait_for()
    page.locator("#reminders").scroll_into_view_if_needed()
    shot(page, shots, "tien-do-2-nhac-nho")

    page.get_by_role("link", name="Báo cáo từ số liệu trực tuyến").first.click()
    page.get_by_role("button", name="Lập báo cáo").click()
    page.get_by_text("Đã lập báo cáo từ 2 báo cáo").wait_for()
    area = page.locator('textarea[name="sections.0.sections.0.paragraphs.0"]')
    generated = area.input_value()
    assert generated.startswith("Nhiệm vụ 1.1")
    area.fill(EDIT)
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu.").wait_for()
    shot(page, shots, "tien-do-3-sua-bao-cao")

    submit(col, "cuc-qlmmds", day(20))  # a late submission
    page.get_by_role("button", name="Cập nhật số liệu").click()
    page.get_by_role("heading", name="Những thay đổi").wait_for()
    assert page.locator('textarea[name="sections.0.sections.0.paragraphs.0"]').input_value() == EDIT
    assert ", 3/" in page.locator('textarea[name="sections.0.paragraphs.0"]').input_value()
    assert "giữ nội dung đã chỉnh sửa" in page.locator("section.changes").inner_text()
    shot(page, shots, "tien-do-4-cap-nhat-so-lieu")

    page.get_by_role("link", name="Xem trước").click()
    page.get_by_text(EDIT).wait_for()
    shot(page, shots, "tien-do-5-xem-truoc")
    page.go_back()
    page.get_by_role("button", name="Trình duyệt").click()
    page.get_by_text("Đã trình duyệt").wait_for()
    page.close()

    leader = log_in(b, base, "lanhdao.dang-uy-ban")
    leader.goto(f"{base}/progress/{col.pk}/live-report/")
    leader.get_by_role("button", name="Duyệt").click()
    leader.get_by_text("Đã duyệt.").wait_for()
    leader.close()

    page = log_in(b, base, "vanphong.dang-uy-ban")
    page.goto(f"{base}/progress/{col.pk}/live-report/")
    page.get_by_role("button", name="Phát hành").click()
    entry = RegisterEntry.objects.get(type_id="bao-cao")
    page.get_by_text(f"Đã phát hành, số {entry.symbol}.").wait_for()
    assert entry.symbol == "01-BC/ĐUB"
    assert page.locator("textarea[readonly]").count() == page.locator("textarea").count() > 0
    assert page.get_by_role("button", name="Cập nhật số liệu").count() == 0
    shot(page, shots, "tien-do-6-phat-hanh")
    live = LiveReport.objects.get(collection=col)
    assert live.document is not None and live.document.data["sections"][0]["sections"][0]["paragraphs"][0] == EDIT
    page.close()
