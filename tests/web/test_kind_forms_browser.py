"""The generated forms in a real browser: a clerk drafts a Công văn to two committees and a Quyết định of three
articles from empty forms, sees the live preview follow the typing, saves and downloads the DOCX.
Screenshots (desktop and phone width) go to the test's folder and to $VANBAN_SCREENSHOTS."""

from __future__ import annotations

import io

import docx

from generator.web import demo
from generator.web.models import Document

from .test_browser import browser, live_url, log_in, pytestmark, shot  # noqa: F401  (fixtures and marks)


def docx_paragraphs(path: str) -> list[str]:
    with open(path, "rb") as fh:
        return [p.text for p in docx.Document(io.BytesIO(fh.read())).paragraphs]


def download(page, tmp) -> list[str]:
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải DOCX").click()
    target = tmp / info.value.suggested_filename
    info.value.save_as(target)
    return docx_paragraphs(str(target))


def choose_kind(page, base, name):
    page.goto(base + "/documents/")
    page.get_by_role("link", name="Văn bản mới").click()
    page.get_by_label("Loại văn bản").select_option(label=name)
    page.get_by_role("button", name="Mở biểu mẫu soạn thảo").click()


def test_a_cong_van_to_two_committees_and_a_quyet_dinh_of_three_articles(browser, tmp_path):  # noqa: F811
    b, base, shots = browser
    demo.load()
    page = log_in(b, base, "vanphong.dang-uy-ban")

    # --- Công văn: two addressees, two Nơi nhận lines (one from the committee tree, one typed), V/v
    choose_kind(page, base, "Công văn")
    page.get_by_label("Trích yếu, mỗi dòng in là một dòng").fill("đề nghị báo cáo số liệu đảng viên")
    page.get_by_label("“V/v” trước trích yếu").select_option("yes")
    page.get_by_label("Kính gửi / Kính trình, mỗi nơi một dòng").fill("Đảng ủy Cục Cơ yếu\nChi bộ Tạp chí An toàn thông tin")
    page.get_by_label("Căn cứ và phần mở đầu").fill(
        "Để chuẩn bị sơ kết, Đảng ủy Ban đề nghị các cấp ủy báo cáo số liệu đảng viên."
    )
    for i, (to, note) in enumerate([("Như Kính gửi", ""), ("Thường trực Đảng ủy", "để b/c")]):
        page.get_by_role("button", name="Thêm nơi nhận").click()
        row = page.locator(".kind-recipients .item").nth(i)
        row.get_by_label("Nơi nhận").fill(to)
        row.get_by_label("Mục đích").fill(note)
    preview = page.locator("#preview")
    preview.get_by_text("Chi bộ Tạp chí An toàn thông tin.").wait_for()  # the second addressee, as the page prints it
    preview.get_by_text("V/v đề nghị báo cáo số liệu đảng viên").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, shots, "web-7-cong-van-hai-noi-nhan")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu.").wait_for()
    letter = Document.objects.filter(committee__slug="dang-uy-ban", type_id="cong-van").latest("created_at")
    assert letter.data["to"] == ["Đảng ủy Cục Cơ yếu", "Chi bộ Tạp chí An toàn thông tin"]
    page.goto(f"{base}/documents/{letter.pk}/")
    text = download(page, tmp_path)
    k = next(i for i, t in enumerate(text) if t.startswith("Kính gửi:"))
    assert "Đảng ủy Cục Cơ yếu" in text[k + 1] and "Chi bộ Tạp chí An toàn thông tin" in text[k + 2]

    # --- Quyết định: three articles typed as an outline, a second signer added then removed
    choose_kind(page, base, "Quyết định")
    page.get_by_label("Trích yếu, mỗi dòng in là một dòng").fill("thành lập Tổ biên tập Kỷ yếu")
    page.get_by_label("Căn cứ, mỗi căn cứ một dòng").fill("Căn cứ Điều lệ Đảng\nXét đề nghị của Văn phòng Đảng ủy Ban")
    page.get_by_label("Các điều: “Điều 1.”").fill(
        "Điều 1. Thành lập Tổ biên tập Kỷ yếu gồm các đồng chí sau:\n1. Đồng chí Trần Thị Minh Hà, tổ trưởng;\n"
        "2. Đồng chí Lê Văn Bình, thành viên.\nĐiều 2. Tổ biên tập tự giải thể sau khi hoàn thành nhiệm vụ.\n"
        "Điều 3. Văn phòng Đảng ủy Ban và các đồng chí có tên tại Điều 1 thi hành Quyết định này."
    )
    page.get_by_role("button", name="Thêm người ký").click()
    assert page.locator(".kind-signers .item").count() == 2
    page.locator(".kind-signers .item").nth(1).get_by_role("button", name="Xóa").click()
    assert page.locator(".kind-signers .item").count() == 1
    preview.get_by_text("Tổ biên tập tự giải thể sau khi hoàn thành nhiệm vụ.").wait_for()
    assert preview.locator("p.article").count() == 3
    preview.get_by_text("QUYẾT ĐỊNH:").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, shots, "web-8-quyet-dinh-ba-dieu")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu.").wait_for()
    decision = Document.objects.filter(committee__slug="dang-uy-ban", type_id="quyet-dinh").latest("created_at")
    assert len(decision.data["articles"]) == 3 and decision.data.get("cosigner") is None
    page.goto(f"{base}/documents/{decision.pk}/")
    text = download(page, tmp_path)
    articles = [i for i, t in enumerate(text) if t.startswith("Điều ")]
    assert [text[i][:7] for i in articles] == ["Điều 1.", "Điều 2.", "Điều 3."]
    assert "2. Đồng chí Lê Văn Bình, thành viên." in text[articles[0] : articles[1]]

    # the same form at a phone's width: one column, readable
    phone = b.new_page(viewport={"width": 390, "height": 844})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{base}/documents/{decision.pk}/edit/")
    phone.get_by_label("Các điều: “Điều 1.”").wait_for()
    shot(phone, shots, "web-9-quyet-dinh-dien-thoai")
    for folder in shots:  # the whole form, down to the signers and the preview under it
        phone.screenshot(path=str(folder / "web-9-quyet-dinh-dien-thoai-ca-trang.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width  # nothing runs off the screen sideways
    phone.close()
    page.close()
