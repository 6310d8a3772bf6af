"""The Báo cáo written from a collection's live data through the test client: generated from the submitted reports,
edited paragraph by paragraph, generated again after a late submission with the edit kept and the figures updated
(what changed is listed), previewed, downloaded as PDF, sent for approval, approved, issued through the register
and locked."""

from __future__ import annotations

import datetime as _dt
import html
import io
import json
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from generator.web.models import AuditLog, Document, RegisterEntry
from generator.web.progress.models import LiveReport
from generator.web.progress.report_views import fields_of

from .conftest import login
from .progress_fixtures import day, open_collection, submit
from .test_flow import docx_text

pytestmark = pytest.mark.django_db

EDIT = "Đảng ủy Ban đánh giá cao sự chủ động của các đơn vị trong việc quán triệt Chỉ thị."


@pytest.fixture
def col(tree):
    c = open_collection()
    submit(c, "cong-ty-129", day(10))
    return c


def url(name: str, col) -> str:
    return reverse(f"progress:{name}", args=[col.pk])


def posted(data: dict, **changes) -> dict:
    """What the browser posts from the page: every paragraph's textarea, some of them changed."""
    values = {f["name"]: f["value"] for f in fields_of(data["sections"]) if "name" in f}
    values.update(changes)
    return values


def as_of(col) -> str:
    """The collection's as-of date as the report writes it (day zero-padded, month not: 05/3/2026)."""
    return f"{col.as_of.day:02d}/{col.as_of.month}/{col.as_of.year}"


def summary(data: dict) -> str:
    return data["sections"][0]["paragraphs"][0]


def test_generate_edit_then_refresh_keeps_the_edit_and_updates_the_figures(col):
    clerk = login("vanphong.dang-uy-ban")
    page = clerk.get(url("live_report", col))
    assert "Lập báo cáo" in page.content.decode()
    r = clerk.post(url("live_report_generate", col), follow=True)
    assert "Đã lập báo cáo từ 1 báo cáo đã gửi" in r.content.decode()
    live = LiveReport.objects.get(collection=col)
    assert live.base == live.edited and live.edited["type"] == "bao-cao"
    assert summary(live.edited).startswith(f"Đến ngày {as_of(col)}, 1/")
    # every paragraph of sections I-III is a textarea named by its place in the report
    html = r.content.decode()
    names = re.findall(r'<textarea[^>]*name="([^"]+)"', html)
    assert "sections.0.paragraphs.0" in names and any(n.startswith("sections.2.") for n in names)
    assert "I, đoạn 1" in html

    target = "sections.0.sections.0.paragraphs.0"  # task 1.1's line: its figures change with the late report
    r = clerk.post(url("live_report", col), posted(live.edited, **{target: EDIT}), follow=True)
    assert "Đã lưu." in r.content.decode()
    live.refresh_from_db()
    assert live.edited["sections"][0]["sections"][0]["paragraphs"][0] == EDIT
    assert live.base["sections"][0]["sections"][0]["paragraphs"][0] != EDIT
    edit_log = AuditLog.objects.get(action="progress-report-edit")
    assert edit_log.details["changed"] == ["I. 1, đoạn 1"]

    submit(col, "cuc-qlmmds", day(20))  # a late submission
    r = clerk.post(url("live_report_refresh", col), follow=True)
    live.refresh_from_db()
    assert live.edited["sections"][0]["sections"][0]["paragraphs"][0] == EDIT  # the secretariat's edit is kept
    assert summary(live.edited).startswith(f"Đến ngày {as_of(col)}, 2/")  # untouched text takes the new figures
    assert summary(live.base) == summary(live.edited)
    page = r.content.decode()
    assert "Những thay đổi" in page and "Đã cập nhật số liệu" in page
    assert "giữ nội dung đã chỉnh sửa" in page  # the edited paragraph's generated text changed too
    assert f"Nội dung đã sửa, được giữ lại: {EDIT}" in page
    changes = AuditLog.objects.get(action="progress-report-refresh").details["changes"]
    assert any(c["where"] == "I. 1, đoạn 1" for c in changes)
    assert any("2/" in c["after"] for c in changes)
    # the changes are shown once, after the refresh
    assert "Những thay đổi" not in clerk.get(url("live_report", col)).content.decode()


def test_preview_and_pdf_show_the_edited_text(col):
    clerk = login("vanphong.dang-uy-ban")
    clerk.post(url("live_report_generate", col))
    live = LiveReport.objects.get(collection=col)
    clerk.post(url("live_report", col), posted(live.edited, **{"sections.1.bullets.0": EDIT}))
    r = clerk.get(url("live_report_preview", col))
    page = r.content.decode()
    assert r.status_code == 200 and EDIT in page
    assert "BÁO CÁO" in page and "PHỤ LỤC" in page.upper()
    assert 'class="appendix status"' in page and "Công ty TNHH MTV 129" in page
    row = re.search(r"<tr><td>1\.1</td>.*?</tr>", page, re.S).group(0)  # units by status, no report last
    assert 0 < row.index("<em>hoàn thành:</em> Công ty TNHH MTV 129") < row.index("<em>chưa có báo cáo:</em>")
    leader = login("lanhdao.dang-uy-ban")
    r = leader.get(url("live_report_pdf", col))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(r.content)).pages)
    assert EDIT[:60] in pdf
    mine = leader.get(url("live_report", col)).content.decode()  # the leader reads the text; the office edits it
    areas = re.findall(r"<textarea[^>]*>", mine)
    assert areas and all("readonly" in a for a in areas) and ">Lưu<" not in mine


def test_send_approve_issue_takes_a_number_and_locks_the_report(col):
    clerk, leader = login("vanphong.dang-uy-ban"), login("lanhdao.dang-uy-ban")
    clerk.post(url("live_report_generate", col))
    live = LiveReport.objects.get(collection=col)
    clerk.post(url("live_report", col), posted(live.edited, **{"sections.0.paragraphs.0": EDIT}))
    r = clerk.post(url("live_report_submit", col), follow=True)
    assert "Đã trình duyệt" in r.content.decode()
    live.refresh_from_db()
    doc = live.document
    assert doc is not None and doc.type_id == "bao-cao" and doc.committee.slug == "dang-uy-ban"
    assert doc.status == Document.Status.DRAFT and doc.data["sections"][0]["paragraphs"][0] == EDIT
    # locked here: no more edits or refreshes
    before = dict(live.edited)
    r = clerk.post(url("live_report", col), posted(live.edited, **{"sections.0.paragraphs.0": "Sửa sau khi trình."}), follow=True)
    assert "không sửa ở đây được nữa" in r.content.decode()
    r = clerk.post(url("live_report_refresh", col), follow=True)
    assert "không sửa ở đây được nữa" in r.content.decode()
    live.refresh_from_db()
    assert live.edited == before

    r = clerk.post(url("live_report_issue", col), follow=True)  # not approved yet
    assert "Chỉ phát hành được văn bản đã duyệt." in r.content.decode()
    r = leader.post(url("live_report_approve", col), follow=True)
    assert "Đã duyệt." in r.content.decode()
    r = clerk.post(url("live_report_issue", col), follow=True)
    entry = RegisterEntry.objects.get(document=doc)
    assert f"Đã phát hành, số {entry.symbol}." in r.content.decode()
    assert entry.type_id == "bao-cao" and entry.symbol.endswith("-BC/ĐUB")
    doc.refresh_from_db()
    assert doc.status == Document.Status.ISSUED and doc.data["header"]["number"] == entry.number
    page = clerk.get(f"/documents/{doc.pk}/").content.decode()  # the office's page of the issued report
    table = re.search(r'<table class="appendix status">.*?</table>', page, re.S).group(0)
    assert "Tình hình thực hiện của các đơn vị" in table and "Công ty TNHH MTV 129" in table
    assert "Cơ quan, đơn vị thực hiện" not in page  # not the plan's appendix
    docx = clerk.get(f"/documents/{doc.pk}/download/docx/")
    text = docx_text(docx.content)
    assert EDIT in text and f"{entry.number:02d}-BC/ĐUB" in text
    actions = set(AuditLog.objects.filter(committee__slug="dang-uy-ban").values_list("action", flat=True))
    assert {"progress-report-generate", "progress-report-edit", "progress-report-submit", "approve", "issue"} <= actions


def test_a_report_that_cannot_be_generated_says_why(tree):
    col = open_collection(as_of=_dt.date(2020, 1, 1))  # before the plan was issued
    r = login("vanphong.dang-uy-ban").post(url("live_report_generate", col), follow=True)
    assert r.status_code == 200
    assert LiveReport.objects.filter(collection=col, edited={}).exists() or not LiveReport.objects.exists()
    errors = re.findall(r'<li class="error">(.*?)</li>', r.content.decode(), re.S)
    assert errors and "2020" in " ".join(errors)


def test_a_save_from_a_page_loaded_before_an_update_is_merged_not_written_over(col):
    """The clerk opened the page, the figures were updated meanwhile (a late report): saving the old page keeps
    the clerk's edit and the new figures."""
    clerk = login("vanphong.dang-uy-ban")
    clerk.post(url("live_report_generate", col))
    page = clerk.get(url("live_report", col)).content.decode()
    loaded = html.unescape(re.search(r'<input type="hidden" name="loaded" value="([^"]*)"', page).group(1))
    old = LiveReport.objects.get(collection=col).edited
    assert json.loads(loaded) == old["sections"]
    submit(col, "cuc-qlmmds", day(20))
    clerk.post(url("live_report_refresh", col))
    target = "sections.0.sections.0.paragraphs.0"
    r = clerk.post(url("live_report", col), {**posted(old, **{target: EDIT}), "loaded": loaded}, follow=True)
    assert "phần sửa đã được ghép vào bản mới" in r.content.decode()
    live = LiveReport.objects.get(collection=col)
    assert live.edited["sections"][0]["sections"][0]["paragraphs"][0] == EDIT
    assert summary(live.edited).startswith(f"Đến ngày {as_of(col)}, 2/")  # the update is not undone
    # a forged or broken "loaded" field is not trusted
    r = clerk.post(url("live_report", col), {target: "x", "loaded": '[{"title": 5}]'}, follow=True)
    assert "Biểu mẫu đã hết hạn" in r.content.decode()
    assert LiveReport.objects.get(collection=col).edited == live.edited


def test_the_change_list_reads_english_under_english(col):
    """A secretariat reading English sees what changed in English: the places and the kinds of change come from the
    message catalog, not Vietnamese literals; the report's own text stays Vietnamese."""
    clerk = login("vanphong.dang-uy-ban", lang="en")
    clerk.post(url("live_report_generate", col))
    live = LiveReport.objects.get(collection=col)
    target = "sections.0.sections.0.paragraphs.0"
    clerk.post(url("live_report", col), posted(live.edited, **{target: EDIT}))
    submit(col, "cuc-qlmmds", day(20))
    page = html.unescape(clerk.post(url("live_report_refresh", col), follow=True).content.decode())
    assert "I. 1, paragraph 1" in page and "your edited text kept; the generated text changed to" in page
    assert "updated from the new data" in page
    assert "giữ nội dung đã chỉnh sửa" not in page and "đoạn 1" not in page and "cập nhật theo số liệu mới" not in page
    assert f"Your text, kept: {EDIT}" in page  # the kept change is shown as kept (its kind, not its words)
    live.refresh_from_db()
    assert live.edited["sections"][0]["sections"][0]["paragraphs"][0] == EDIT


def test_a_report_sent_for_approval_can_be_taken_back_to_edit_until_approved(col):
    """Rút lại để sửa: the office takes back the report it sent for approval, edits it here again and sends it
    again; the draft document goes (no stray draft to approve), the office's change to it is kept, it is audited;
    once approved it cannot be taken back."""
    clerk, leader = login("vanphong.dang-uy-ban"), login("lanhdao.dang-uy-ban")
    clerk.post(url("live_report_generate", col))
    clerk.post(url("live_report_submit", col))
    live = LiveReport.objects.get(collection=col)
    doc = live.document
    # the office corrected the draft document meanwhile, in the documents' editor: that text comes back
    data = copy_of(doc.data)
    data["sections"][0]["paragraphs"][0] = EDIT
    doc.data = data
    doc.save()
    page = clerk.get(url("live_report", col)).content.decode()
    assert "Rút lại để sửa" in page
    assert "Rút lại để sửa" not in leader.get(url("live_report", col)).content.decode()  # the office's action
    assert leader.post(url("live_report_withdraw", col)).status_code == 403
    assert LiveReport.objects.get(collection=col).document_id == doc.pk  # the leader could not

    r = clerk.post(url("live_report_withdraw", col), follow=True)
    page = r.content.decode()
    assert "Đã rút lại: có thể sửa báo cáo rồi trình duyệt lại." in page
    assert "không sửa ở đây được nữa" not in page and "Trình duyệt" in page
    live.refresh_from_db()
    assert live.document is None and live.edited["sections"][0]["paragraphs"][0] == EDIT
    assert not Document.objects.filter(pk=doc.pk).exists()
    log = AuditLog.objects.get(action="progress-report-withdraw")
    assert log.details["document"] == doc.pk and log.details["deleted"] is True
    assert log.details["text"]["sections"][0]["paragraphs"][0] == EDIT
    # editable again, and sent again as a new draft
    r = clerk.post(
        url("live_report", col), posted(live.edited, **{"sections.0.paragraphs.0": "Sửa sau khi rút lại."}), follow=True
    )
    assert "Đã lưu." in r.content.decode()
    clerk.post(url("live_report_submit", col))
    live.refresh_from_db()
    again = live.document
    assert again is not None and again.pk != doc.pk and again.data["sections"][0]["paragraphs"][0] == "Sửa sau khi rút lại."

    # approved: it stays the committee's document
    leader.post(url("live_report_approve", col))
    again.refresh_from_db()
    assert again.status == Document.Status.APPROVED
    assert "Rút lại để sửa" not in clerk.get(url("live_report", col)).content.decode()
    r = clerk.post(url("live_report_withdraw", col), follow=True)
    assert "Chỉ rút lại được báo cáo chưa được duyệt." in r.content.decode()
    live.refresh_from_db()
    assert live.document_id == again.pk and Document.objects.filter(pk=again.pk).exists()
    assert AuditLog.objects.filter(action="progress-report-withdraw").count() == 1


def copy_of(data: dict) -> dict:
    return json.loads(json.dumps(data))


@pytest.mark.parametrize(
    ("period", "opening", "reports"),
    [
        ("hang-nam", "Kết quả thực hiện Kế hoạch", "báo cáo kết quả thực hiện năm {year} đến ngày"),
        ("ad-hoc", "Kết quả thực hiện Kế hoạch", "báo cáo kết quả thực hiện đến ngày"),
        ("so-ket-6-thang", "Sơ kết 6 tháng đầu năm {year} thực hiện Kế hoạch", "báo cáo sơ kết 6 tháng đầu năm {year}"),
        ("tong-ket", "Tổng kết thực hiện Kế hoạch", "báo cáo tổng kết kết quả thực hiện"),
    ],
)
def test_the_collections_period_is_the_reports(tree, period, opening, reports):
    """A collection "hằng năm" is reported as one (not as a sơ kết): its period maps to data/statuses.yaml's."""
    c = open_collection(period=period)
    submit(c, "cong-ty-129", day(10))
    clerk = login("vanphong.dang-uy-ban")
    clerk.post(url("live_report_generate", c))
    live = LiveReport.objects.get(collection=c)
    year = c.as_of.year
    assert live.edited["subject"][0].startswith(opening.format(year=year))
    assert reports.format(year=year) in live.edited["preamble"][0]
    assert not live.edited["subject"][0].startswith("Sơ kết thực hiện")  # was every period but tổng kết
    if period == "hang-nam":
        assert live.edited["subject"][0].endswith(f" năm {year}")
    assert live.edited["basis"]["period"] == {"ad-hoc": "dot-xuat"}.get(period, period)


def test_lateness_in_the_report_is_counted_against_the_collections_deadline(col):
    # The sample plan asks for reports by 15/8/2025; the collection sets its own deadline, as the board shows.
    clerk = login("vanphong.dang-uy-ban")
    clerk.post(url("live_report_generate", col))
    text = json.dumps(LiveReport.objects.get(collection=col).edited, ensure_ascii=False)
    d = col.deadline
    assert "15/8/2025" not in text
    assert f"{d.day:02d}/{d.month}/{d.year}" in text or f"{d.day}/{d.month}/{d.year}" in text
