"""The live report's "Rút lại để sửa" in a real browser (Debian's chromium driven by Playwright): the office sends the
report for approval, the page locks it, the office takes it back and the text is editable again."""

from __future__ import annotations

import pytest

from generator.web.models import AuditLog
from generator.web.progress.models import Collection, LiveReport

from .test_browser import CHROMIUM, browser, live_url, log_in, shot  # noqa: F401 - fixtures shared with the main journeys

pytestmark = [
    pytest.mark.skipif(
        not __import__("pathlib").Path(CHROMIUM).exists(), reason="chromium is not installed (.ci/setup installs it)"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_the_office_takes_back_a_report_sent_for_approval(browser):  # noqa: F811 - the fixture above
    from generator.web import demo

    b, base, shots = browser
    demo.load()
    col = Collection.objects.get()
    page = log_in(b, base, "vanphong.dang-uy-ban")
    page.goto(f"{base}/progress/{col.pk}/live-report/")
    page.get_by_role("button", name="Lập báo cáo").click()
    page.get_by_role("button", name="Trình duyệt").click()
    page.get_by_text("Đã trình duyệt").wait_for()
    locked = "Báo cáo đã là văn bản của cấp ủy; nội dung được khóa tại đây."
    assert page.get_by_text(locked).is_visible() and page.get_by_role("button", name="Lưu").count() == 0
    back = page.get_by_role("button", name="Rút lại để sửa")
    assert back.is_visible()
    shot(page, shots, "live-report-1-da-trinh-duyet")
    back.click()
    page.get_by_text("Đã rút lại: có thể sửa báo cáo rồi trình duyệt lại.").wait_for()
    shot(page, shots, "live-report-2-rut-lai")
    assert page.get_by_role("button", name="Rút lại để sửa").count() == 0 and page.get_by_text(locked).count() == 0
    assert page.get_by_role("button", name="Trình duyệt").is_visible()
    first = page.locator("textarea").first
    first.fill("Đoạn sửa sau khi rút lại.")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu.").wait_for()
    live = LiveReport.objects.get(collection=col)
    assert live.document is None and "Đoạn sửa sau khi rút lại." in str(live.edited)
    assert AuditLog.objects.filter(action="progress-report-withdraw").count() == 1
    page.close()
