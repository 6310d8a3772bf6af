"""Progress in a real browser (Debian's chromium driven by Playwright) against a live server, on the demo's
open sơ kết: a unit fills its form, is told beside each field what is missing, and submits; another downloads
the Excel form, uploads it with mistakes, sees every problem at once by cell, fixes them, uploads again and
submits; the secretariat sees both reports. Screenshots go to the test's folder and to $VANBAN_SCREENSHOTS."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from generator.web.progress.models import Collection, Submission

from .test_browser import CHROMIUM, browser, live_url, log_in, shot  # noqa: F401 - fixtures shared with the main journeys

pytestmark = [
    pytest.mark.skipif(
        not __import__("pathlib").Path(CHROMIUM).exists(), reason="chromium is not installed (.ci/setup installs it)"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_unit_fills_and_submits_another_fixes_its_excel_form(browser):  # noqa: F811 - the fixture above
    from generator.web import demo

    b, base, shots = browser
    demo.load()
    col = Collection.objects.get()
    page = log_in(b, base, "vanphong.tap-chi-attt")
    page.get_by_role("link", name="Tiến độ").click()
    page.get_by_text("22 nhiệm vụ cần báo cáo").wait_for()
    shot(page, shots, "progress-0-can-bao-cao")
    page.get_by_role("link", name=col.title).click()
    tasks = page.locator("fieldset.task")
    assert tasks.count() == 22
    for i in range(tasks.count()):
        fs = tasks.nth(i)
        if i == 5:
            continue  # forgotten: the submit below is refused
        fs.get_by_label("Trạng thái").select_option(label="đang thực hiện" if i % 3 else "hoàn thành")
        fs.get_by_label("Kết quả thực hiện").fill(f"Chi bộ đã triển khai nhiệm vụ thứ {i + 1}.")
    tasks.nth(0).get_by_label("Số buổi quán triệt (buổi)").fill("4")
    tasks.nth(1).get_by_label("Số buổi quán triệt (buổi)").fill("bốn")
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Chưa nộp (nội dung đã nhập được lưu nháp)").wait_for()
    forgotten = tasks.nth(5).get_attribute("id").removeprefix("task-")
    second = tasks.nth(1).get_attribute("id").removeprefix("task-")
    assert page.locator(f'[id="err-status-{forgotten}"]').inner_text() == "Chọn trạng thái của nhiệm vụ này."
    assert "ghi số nguyên" in page.locator(f'[id="err-figure-{second}-so-buoi-quan-triet"]').inner_text()
    assert tasks.nth(4).get_by_label("Kết quả thực hiện").input_value() == "Chi bộ đã triển khai nhiệm vụ thứ 5."
    tasks.nth(5).scroll_into_view_if_needed()
    shot(page, shots, "progress-1-don-vi-thieu-trang-thai")
    tasks.nth(5).get_by_label("Trạng thái").select_option(label="chưa thực hiện")
    tasks.nth(1).get_by_label("Số buổi quán triệt (buổi)").fill("1.200")
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Đã nộp báo cáo cho Đảng ủy Ban Cơ yếu Chính phủ.").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, shots, "progress-2-don-vi-da-nop")
    sub = Submission.objects.get(collection=col, committee__slug="tap-chi-attt")
    assert sub.state == Submission.State.SUBMITTED
    assert sub.data["tasks"][1]["figures"] == {"so-buoi-quan-triet": 1200}
    assert sub.data["tasks"][5]["status"] == "not-started"
    page.close()

    page = log_in(b, base, "vanphong.hoc-vien-ktmm")
    page.goto(f"{base}/progress/{col.pk}/report/")
    with page.expect_download() as dl:
        page.get_by_role("link", name="Tải biểu mẫu Excel").click()
    wb = openpyxl.load_workbook(io.BytesIO(dl.value.path().read_bytes()))
    ws = wb["Tiến độ"]
    rows = [r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value]
    for r in rows:
        ws.cell(r, 4).value = "hoan thanh"  # without diacritics: read, with a warning
        ws.cell(r, 5).value = "Học viện đã hoàn thành."
    ws.cell(rows[3], 4).value = "gần xong"
    ws.cell(rows[7], 6).value = "mười"
    ws.cell(rows[9], 4).value = None
    bad = io.BytesIO()
    wb.save(bad)
    upload = tmp = dl.value.path().with_name("hoc-vien-ktmm.xlsx")
    tmp.write_bytes(bad.getvalue())
    page.get_by_role("link", name="Tải lên biểu mẫu Excel đã điền").click()
    page.get_by_label("Biểu mẫu đã điền (.xlsx)").set_input_files(str(upload))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    problems = page.locator("#problems")
    problems.wait_for()
    text = problems.inner_text()
    for cell in (f"Tiến độ!D{rows[3]}", f"Tiến độ!F{rows[7]}", f"Tiến độ!D{rows[9]}", "Tiến độ!B4"):
        assert cell in text, cell
    assert "cảnh báo" in text
    shot(page, shots, "progress-3-excel-loi-tung-o")
    ws.cell(rows[3], 4).value = "đang thực hiện"
    ws.cell(rows[7], 6).value = 10
    ws.cell(rows[9], 4).value = "chưa thực hiện"
    ws["B4"].value = dt.date(2026, 6, 20)
    fixed = io.BytesIO()
    wb.save(fixed)
    upload.write_bytes(fixed.getvalue())
    page.get_by_label("Biểu mẫu đã điền (.xlsx)").set_input_files(str(upload))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.get_by_text("Đã đọc hoc-vien-ktmm.xlsx: kiểm tra lại báo cáo dưới đây rồi nộp.").wait_for()
    assert page.locator("fieldset.task").nth(3).get_by_label("Trạng thái").input_value() == "in-progress"
    shot(page, shots, "progress-4-excel-da-doc")
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Đã nộp báo cáo cho Đảng ủy Ban Cơ yếu Chính phủ.").wait_for()
    sub = Submission.objects.get(collection=col, committee__slug="hoc-vien-ktmm")
    assert sub.state == Submission.State.SUBMITTED and sub.excel_name == "hoc-vien-ktmm.xlsx"
    assert sub.data["tasks"][7]["figures"]["so-buoi-quan-triet"] == 10
    page.close()

    page = log_in(b, base, "vanphong.dang-uy-ban")
    page.goto(f"{base}/progress/{col.pk}/")
    assert page.locator("span.state.submitted").count() == 3  # Công ty 129 (the demo's), and the two above
    shot(page, shots, "progress-5-co-quan-thuong-truc")
    # a second collection, ad hoc, asking for one figure of data/figures.yaml and one of its own
    page.get_by_role("link", name="Tiến độ").click()
    page.get_by_role("link", name="Mở đợt thu thập cho kế hoạch này").click()
    page.get_by_label("Kỳ báo cáo").select_option(label="Đột xuất")
    page.get_by_label("Tiêu đề").fill("Báo cáo nhanh kết quả quán triệt")
    page.get_by_label("Số liệu tính đến ngày").fill("2026-09-30")
    page.get_by_label("Hạn gửi báo cáo").fill("2026-10-10")
    rows = page.locator("#figures tbody tr")
    while rows.count() > 1:
        rows.last.get_by_role("button", name="Xóa").click()
    page.get_by_role("button", name="Thêm chỉ tiêu").click()
    rows.last.get_by_label("Chỉ tiêu").fill("Số đảng viên được quán triệt")
    rows.last.get_by_label("Đơn vị tính").fill("đồng chí")
    shot(page, shots, "progress-7-mo-dot-thu-thap")
    page.get_by_role("button", name="Mở đợt thu thập").click()
    page.get_by_text("Đã mở đợt thu thập").wait_for()
    new = Collection.objects.get(title="Báo cáo nhanh kết quả quán triệt")
    assert new.period == "ad-hoc" and new.deadline == dt.date(2026, 10, 10)
    assert [f["id"] for f in new.figures] == ["so-buoi-quan-triet", "so-dang-vien-duoc-quan-triet"]
    page.close()
    phone = log_in(b, base, "vanphong.trung-tam-cntt-gsanm")
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/progress/{col.pk}/report/")
    shot(phone, shots, "progress-6-dien-thoai")
    # typing is saved as a draft by itself, without a button
    phone.locator("fieldset.task").first.get_by_label("Kết quả thực hiện").fill("Đang soạn dở trên điện thoại")
    phone.locator("#autosave").get_by_text("Đã lưu nháp lúc").wait_for()
    draft = Submission.objects.get(collection=col, committee__slug="trung-tam-cntt-gsanm")
    assert draft.state == Submission.State.DRAFT and draft.data["tasks"][0]["done"] == "Đang soạn dở trên điện thoại"
    phone.close()
