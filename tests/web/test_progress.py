"""Progress collections in the web application: the secretariat opens one on its issued plan, each unit
concerned reports in a form or with the Excel form (the checks of `vanban report`), drafts are kept as typed,
a submitted report is locked until the secretariat reopens it, files are attached; every change is audited."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from generator.model.document import Progress
from generator.web import core
from generator.web.models import AuditLog, Document
from generator.web.progress import rules
from generator.web.progress.models import Attachment, Collection, Submission

from .conftest import login

pytestmark = pytest.mark.django_db

UNIT = "cong-ty-129"
OTHER = "tap-chi-attt"


def plan() -> Document:
    return Document.objects.get(committee__slug="dang-uy-ban", status=Document.Status.ISSUED, type_id="ke-hoach")


def open_one(tree, **over) -> Collection:
    fields = {
        "period": Collection.Period.SO_KET_6_THANG,
        "title": "Sơ kết 6 tháng đầu năm 2026",
        "as_of": dt.date(2026, 6, 15),
        "deadline": dt.date(2026, 6, 30),
        "figures": [
            {"id": "so-buoi-quan-triet", "label": "Số buổi quán triệt", "unit": "buổi"},
            {"id": "so-dang-vien-moi", "label": "Số đảng viên mới", "unit": "đồng chí"},
        ],
    }
    return rules.open_collection(tree["vanphong.dang-uy-ban"], plan(), **{**fields, **over})


def complete_post(c: Collection, slug: str = UNIT, action: str = "submit", **over) -> dict:
    committee = Collection.objects.get(pk=c.pk).plan.recipients.get(slug=slug)
    post = {"action": action}
    for t in rules.tasks_for(c, committee):
        post[f"status-{t['id']}"] = "in-progress"
        post[f"done-{t['id']}"] = f"Đã triển khai nhiệm vụ {t['id']}."
        post[f"figure-{t['id']}-so-buoi-quan-triet"] = "2"
    post.update(over)
    return post


def actions(slug: str, col: Collection) -> list[str]:
    """What *slug* did since *col* was opened (the demo's own collection came before)."""
    opened = AuditLog.objects.get(action="progress-open", object_id=str(col.pk)).pk
    entries = AuditLog.objects.filter(committee__slug=slug, pk__gt=opened).order_by("at", "id")
    return list(entries.values_list("action", flat=True))


def test_secretariat_opens_a_collection_with_its_figures(tree):
    c = login("vanphong.dang-uy-ban")
    p = plan()
    page = c.get(f"/progress/plans/{p.pk}/open/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Số buổi quán triệt" in html  # data/figures.yaml's figures are offered to start with
    assert 'for="id_deadline"' in html and "Hạn gửi báo cáo" in html
    bad = {
        "period": "so-ket-6-thang",
        "title": "Sơ kết 6 tháng",
        "as_of": "2026-06-30",
        "deadline": "2026-06-01",
        "figure-id": ["", ""],
        "figure-label": ["Số đảng viên mới", "Số chi bộ trong sạch"],
        "figure-unit": ["đồng chí", ""],
    }
    r = c.post(f"/progress/plans/{p.pk}/open/", bad)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Hạn gửi báo cáo không thể trước ngày tính số liệu." in html
    assert "Ghi đơn vị tính" in html and 'value="Số chi bộ trong sạch"' in html  # shown again as typed
    demo_only = list(Collection.objects.values_list("pk", flat=True))
    good = {**bad, "deadline": "2026-07-15", "figure-unit": ["đồng chí", "chi bộ"]}
    r = c.post(f"/progress/plans/{p.pk}/open/", good)
    col = Collection.objects.exclude(pk__in=demo_only).get()
    assert r.status_code == 302 and r["Location"] == f"/progress/{col.pk}/"
    assert col.figures == [
        {"id": "so-dang-vien-moi", "label": "Số đảng viên mới", "unit": "đồng chí"},
        {"id": "so-chi-bo-trong-sach", "label": "Số chi bộ trong sạch", "unit": "chi bộ"},
    ]
    assert col.owner.slug == "dang-uy-ban" and col.deadline == dt.date(2026, 7, 15)
    assert AuditLog.objects.filter(action="progress-open", object_id=str(col.pk), committee__slug="dang-uy-ban").exists()
    board = c.get(f"/progress/{col.pk}/").content.decode()
    assert board.count("Chưa bắt đầu") == 6  # the six units the plan's tasks name, none started


def test_only_the_plans_office_opens_a_collection(tree):
    p = plan()
    for who in ("lanhdao.dang-uy-ban", "vanphong.cong-ty-129"):
        assert login(who).get(f"/progress/plans/{p.pk}/open/").status_code in (403, 404)
    with pytest.raises(rules.Refused):
        rules.open_collection(tree["lanhdao.dang-uy-ban"], p, title="x", as_of=dt.date(2026, 1, 1), deadline=dt.date(2026, 2, 1))


def test_the_units_concerned_see_it_in_their_inbox_with_their_tasks(tree):
    col = open_one(tree)
    html = login(f"vanphong.{UNIT}").get("/progress/").content.decode()
    assert col.title in html and "22 nhiệm vụ cần báo cáo" in html and "Chưa bắt đầu" in html
    assert col.title not in login("vanphong.dang-uy-ban").get("/progress/").content.decode().split("Các đợt")[0]


def test_a_draft_keeps_what_was_typed_and_submit_needs_every_status(tree):
    col = open_one(tree)
    # the unit's leader reads the form, the office fills it
    leader = login(f"lanhdao.{UNIT}")
    assert "Lưu nháp" not in leader.get(f"/progress/{col.pk}/report/").content.decode()
    leader.post(f"/progress/{col.pk}/report/", {"action": "save", "done-1.1": "lãnh đạo gõ"})
    assert not Submission.objects.filter(collection=col, committee__slug=UNIT).exists()
    c = login(f"vanphong.{UNIT}")
    page = c.get(f"/progress/{col.pk}/report/").content.decode()
    assert 'for="status-1.1"' in page and 'for="figure-1.1-so-dang-vien-moi"' in page and "Lưu nháp" in page
    typed = {
        "action": "save",
        "status-1.1": "done",
        "done-1.1": "Đã quán triệt cho 100% đảng viên.",
        "figure-1.1-so-buoi-quan-triet": "3x",
    }
    r = c.post(f"/progress/{col.pk}/report/", typed)
    assert r.status_code == 302
    sub = Submission.objects.get(collection=col, committee__slug=UNIT)
    assert sub.state == Submission.State.DRAFT
    first = sub.data["tasks"][0]
    assert first == {
        "task": "1.1",
        "status": "done",
        "done": "Đã quán triệt cho 100% đảng viên.",
        "figures": {"so-buoi-quan-triet": "3x", "so-dang-vien-moi": ""},
    }
    # submitting an incomplete report: refused, errors beside the fields, the typing kept on the page and stored
    r = c.post(f"/progress/{col.pk}/report/", {**typed, "action": "submit", "done-1.2": "Viết dở"})
    assert r.status_code == 400
    html = r.content.decode()
    assert html.count('<ul class="errors" id="err-status-') == 21  # beside each task without a status
    top = html[html.index('id="to-correct"') :].split("</ul>")[0]
    assert top.count("<li>") == 22 and 'href="#task-1.1"' in top  # and listed at the top, linked (1.1: its figure)
    assert 'id="err-status-1.2"' in html and 'aria-describedby="err-status-1.2"' in html
    assert "Số buổi quán triệt: ghi số nguyên (từ 0 trở lên)." in html and 'id="err-figure-1.1-so-buoi-quan-triet"' in html
    assert "Viết dở" in html and 'value="3x"' in html
    sub.refresh_from_db()
    assert sub.state == Submission.State.DRAFT and sub.data["tasks"][1]["done"] == "Viết dở"
    assert actions(UNIT, col).count("progress-save") == 2 and "progress-submit" not in actions(UNIT, col)


def test_a_complete_report_is_submitted_validated_and_then_locked(tree):
    col = open_one(tree)
    c = login(f"vanphong.{UNIT}")
    post = complete_post(col, **{"status-1.1": "done", "figure-1.1-so-dang-vien-moi": "1.200"})
    r = c.post(f"/progress/{col.pk}/report/", post)
    assert r.status_code == 302, r.content.decode()[:3000]
    sub = Submission.objects.get(collection=col, committee__slug=UNIT)
    assert sub.state == Submission.State.SUBMITTED and sub.submitted_by.username == f"vanphong.{UNIT}"
    progress = Progress.model_validate(sub.data)  # what `vanban report` reads from a YAML file
    assert progress.unit == UNIT and len(progress.tasks) == 22
    t11 = progress.tasks[0]
    assert (t11.task, t11.status, t11.figures) == ("1.1", "done", {"so-buoi-quan-triet": 2, "so-dang-vien-moi": 1200})
    page = c.get(f"/progress/{col.pk}/report/").content.decode()
    assert "Đã nộp" in page and "Lưu nháp" not in page and "disabled" in page
    # no change after submitting: neither the form, nor an upload, nor a file
    r = c.post(f"/progress/{col.pk}/report/", {**post, "done-1.1": "sửa sau khi nộp"})
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.data["tasks"][0]["done"] == "Đã triển khai nhiệm vụ 1.1." and sub.state == Submission.State.SUBMITTED
    c.post(f"/progress/{col.pk}/attach/", {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x")})
    assert not Attachment.objects.filter(submission=sub).exists()
    r = c.get(f"/progress/{col.pk}/upload/", follow=True)
    assert (
        "Báo cáo đã nộp, không sửa được nữa" in r.content.decode()
        and 'type="file" name="file" accept=".xlsx"' not in r.content.decode()
    )
    assert actions(UNIT, col).count("progress-submit") == 1


def test_the_check_of_vanban_report_is_the_one_applied(tree):
    """A figure larger than the model allows is refused by the model's check, shown beside its field."""
    col = open_one(tree)
    c = login(f"vanphong.{UNIT}")
    r = c.post(f"/progress/{col.pk}/report/", complete_post(col, **{"figure-1.2-so-buoi-quan-triet": "9" * 14}))
    assert r.status_code == 400
    html = r.content.decode()
    m = re.search(r'<ul class="errors" id="err-figure-1.2-so-buoi-quan-triet">(.*?)</ul>', html, re.S)
    assert m and "1000000000000" in m.group(1).replace(".", "").replace(",", "")
    assert Submission.objects.get(collection=col, committee__slug=UNIT).state == Submission.State.DRAFT


def test_the_secretariat_reopens_with_a_reason(tree):
    col = open_one(tree)
    unit = login(f"vanphong.{UNIT}")
    unit.post(f"/progress/{col.pk}/report/", complete_post(col))
    sub = Submission.objects.get(collection=col, committee__slug=UNIT)
    # the unit itself cannot reopen, nor the secretariat without a reason
    unit.post(f"/progress/submissions/{sub.pk}/reopen/", {"reason": "tự mở"})
    sec = login("vanphong.dang-uy-ban")
    sec.post(f"/progress/submissions/{sub.pk}/reopen/", {"reason": "  "})
    sub.refresh_from_db()
    assert sub.state == Submission.State.SUBMITTED
    page = sec.get(f"/progress/submissions/{sub.pk}/").content.decode()
    assert "Đã triển khai nhiệm vụ 1.1." in page and "Lý do mở lại" in page
    sec.post(f"/progress/submissions/{sub.pk}/reopen/", {"reason": "Bổ sung số liệu nhiệm vụ 2.1"})
    sub.refresh_from_db()
    assert sub.state == Submission.State.REOPENED and sub.reopen_reason == "Bổ sung số liệu nhiệm vụ 2.1"
    entry = AuditLog.objects.get(action="progress-reopen")
    assert entry.committee.slug == "dang-uy-ban" and entry.details["reason"] == "Bổ sung số liệu nhiệm vụ 2.1"
    page = unit.get(f"/progress/{col.pk}/report/").content.decode()
    assert "Bổ sung số liệu nhiệm vụ 2.1" in page and "Nộp báo cáo" in page
    r = unit.post(f"/progress/{col.pk}/report/", complete_post(col, **{"figure-2.1-so-buoi-quan-triet": "5"}))
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.state == Submission.State.SUBMITTED and sub.data["tasks"][2]["figures"]["so-buoi-quan-triet"] == 5


def _filled(form: bytes, fill) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(form))
    ws = wb["Tiến độ"]
    fill(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _tasks_rows(ws):
    return [r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value]


def test_excel_form_with_mistakes_shows_every_cell_then_a_fixed_one_fills_the_report(tree):
    col = open_one(tree)
    c = login(f"vanphong.{UNIT}")
    r = c.get(f"/progress/{col.pk}/form.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    form = r.content
    ws = openpyxl.load_workbook(io.BytesIO(form))["Tiến độ"]
    assert ws["B3"].value == UNIT
    headers = [ws.cell(6, i).value for i in range(1, 8)]
    assert headers[5:] == ["Số buổi quán triệt (buổi)", "Số đảng viên mới (đồng chí)"]  # the collection's figures
    assert len(_tasks_rows(ws)) == 22

    def mistakes(ws):
        rows = _tasks_rows(ws)
        for r in rows:
            ws.cell(r, 4).value = "dang thuc hien"  # a clerk's spelling: accepted with a warning
        ws.cell(rows[0], 4).value = "xong roi"  # not a status
        ws.cell(rows[1], 6).value = "ba"  # not a number
        ws.cell(rows[2], 4).value = None  # no status
        # B4 (the report date) left empty

    r = c.post(f"/progress/{col.pk}/upload/", {"file": SimpleUploadedFile("cong-ty-129.xlsx", _filled(form, mistakes))})
    assert r.status_code == 400
    html = r.content.decode()
    table = html[html.index('id="problems"') :]
    for cell in ("Tiến độ!B4", "Tiến độ!D7", "Tiến độ!F8", "Tiến độ!D9"):
        assert f"<code>{cell}</code>" in table, cell
    assert "trạng thái" in table.lower() and "cảnh báo" in table  # the spelling read, with a warning
    assert not Submission.objects.filter(collection=col, data__has_key="tasks").exists()
    assert "progress-upload-refused" in actions(UNIT, col)

    def fixed(ws):
        mistakes(ws)
        rows = _tasks_rows(ws)
        ws.cell(rows[0], 4).value = "hoàn thành"
        ws.cell(rows[1], 6).value = 3
        ws.cell(rows[2], 4).value = "chưa thực hiện"
        ws["B4"].value = dt.date(2026, 6, 20)
        ws.cell(rows[0], 5).value = "Đã tổ chức 3 hội nghị quán triệt."

    r = c.post(f"/progress/{col.pk}/upload/", {"file": SimpleUploadedFile("cong-ty-129.xlsx", _filled(form, fixed))})
    assert r.status_code == 302 and r["Location"] == f"/progress/{col.pk}/report/"
    sub = Submission.objects.get(collection=col, committee__slug=UNIT)
    assert sub.state == Submission.State.DRAFT and sub.excel_name == "cong-ty-129.xlsx"
    assert sub.data["tasks"][0]["status"] == "done" and sub.data["tasks"][1]["figures"] == {"so-buoi-quan-triet": 3}
    page = c.get(f"/progress/{col.pk}/report/").content.decode()
    assert "Đã tổ chức 3 hội nghị quán triệt." in page
    # review, then submit what the upload filled in
    post = {"action": "submit"}
    for t in sub.data["tasks"]:
        post[f"status-{t['task']}"] = t["status"]
        post[f"done-{t['task']}"] = t["done"]
        for fid, v in t["figures"].items():
            post[f"figure-{t['task']}-{fid}"] = str(v)
    assert c.post(f"/progress/{col.pk}/report/", post).status_code == 302
    sub.refresh_from_db()
    assert sub.state == Submission.State.SUBMITTED
    assert [a for a in actions(UNIT, col) if a.startswith("progress-")][-2:] == ["progress-save", "progress-submit"]
    assert "progress-upload" in actions(UNIT, col)


def test_another_units_form_is_refused(tree):
    col = open_one(tree)
    other_form = login(f"vanphong.{OTHER}").get(f"/progress/{col.pk}/form.xlsx").content
    r = login(f"vanphong.{UNIT}").post(f"/progress/{col.pk}/upload/", {"file": SimpleUploadedFile("x.xlsx", other_form)})
    assert r.status_code == 400 and "Tiến độ!B3" in r.content.decode()


def test_attachments_are_kept_and_downloadable_by_the_unit_and_the_secretariat(tree):
    col = open_one(tree)
    c = login(f"vanphong.{UNIT}")
    body = b"%PDF-1.4 bien ban hoi nghi"
    r = c.post(f"/progress/{col.pk}/attach/", {"file": SimpleUploadedFile("Biên bản hội nghị.pdf", body)})
    assert r.status_code == 302
    att = Attachment.objects.get()
    assert att.original_name == "Biên bản hội nghị.pdf" and att.size == len(body)
    for who in (f"vanphong.{UNIT}", "vanphong.dang-uy-ban", "lanhdao.dang-uy-ban"):
        r = login(who).get(f"/progress/attachments/{att.pk}/")
        assert r.status_code == 200 and b"".join(r.streaming_content) == body
        assert "Bi%C3%AAn%20b%E1%BA%A3n" in r["Content-Disposition"] or "Biên bản" in r["Content-Disposition"]
    c.post(f"/progress/{col.pk}/attach/", {"file": SimpleUploadedFile("virus.exe", b"MZ")})
    assert Attachment.objects.count() == 1
    assert "progress-attach" in actions(UNIT, col)
    c.post(f"/progress/attachments/{att.pk}/delete/")
    assert not Attachment.objects.exists() and "progress-detach" in actions(UNIT, col)


def test_every_progress_url_with_another_committees_ids_reveals_nothing(tree):
    col = open_one(tree)
    unit = login(f"vanphong.{UNIT}")
    unit.post(f"/progress/{col.pk}/report/", complete_post(col, **{"done-1.1": "BÍ MẬT CỦA CÔNG TY 129"}))
    sub = Submission.objects.get(collection=col, committee__slug=UNIT)
    unit.post(f"/progress/{col.pk}/report/", {"action": "save"})
    sub_att = Attachment.objects.create(submission=sub, original_name="bi-mat.pdf", size=3, file="progress/x.pdf")
    secret = "BÍ MẬT CỦA CÔNG TY 129"
    other = login(f"vanphong.{OTHER}")
    p = plan()
    urls = [
        ("get", f"/progress/plans/{p.pk}/open/"),
        ("post", f"/progress/plans/{p.pk}/open/"),
        ("post", f"/progress/{col.pk}/state/"),
        ("get", f"/progress/submissions/{sub.pk}/"),
        ("post", f"/progress/submissions/{sub.pk}/reopen/"),
        ("get", f"/progress/attachments/{sub_att.pk}/"),
        ("post", f"/progress/attachments/{sub_att.pk}/delete/"),
    ]
    for method, url in urls:
        r = getattr(other, method)(url, {"reason": "x"} if method == "post" else {})
        assert r.status_code in (403, 404), (method, url, r.status_code)
        assert secret.encode() not in r.content
    # the collection's own pages, for a committee the plan does not concern (the owner's leader is not a reporter)
    outsider = login("lanhdao.dang-uy-ban")
    for method, url in [
        ("get", f"/progress/{col.pk}/report/"),
        ("get", f"/progress/{col.pk}/form.xlsx"),
        ("post", f"/progress/{col.pk}/upload/"),
        ("post", f"/progress/{col.pk}/attach/"),
    ]:
        assert getattr(outsider, method)(url).status_code == 404, url
    # the other unit's own report page shows its form, never Công ty 129's text
    page = other.get(f"/progress/{col.pk}/report/")
    assert page.status_code == 200 and secret.encode() not in page.content
    assert other.get(f"/progress/{col.pk}/").status_code == 302  # to its own report
    assert Attachment.objects.filter(pk=sub_att.pk).exists()
    sub.refresh_from_db()
    assert sub.state == Submission.State.SUBMITTED


def test_every_progress_url_is_tried_above():
    from django.urls import get_resolver

    resolver = get_resolver()
    names = {p.name for p in resolver.url_patterns if getattr(p, "namespace", None) == "progress" for p in p.url_patterns}
    from generator.web.progress import board_views, report_views

    names -= {p.name for p in [*board_views.urls, *report_views.urls]}  # the secretariat's: tests/web/test_board.py
    assert names == {
        "index",
        "open",
        "collection",
        "state",
        "report",
        "form_xlsx",
        "upload",
        "attach",
        "attachment",
        "detach",
        "submission",
        "reopen",
    }


def test_status_choices_are_the_models():
    assert [sid for sid, _label in core.status_choices()] == ["done", "in-progress", "not-started"]


def _visible_text(html: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style", "template")
            for name, value in attrs:
                if name in ("aria-label", "placeholder", "title") and value:
                    self.parts.append(value)

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style", "template")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return "\n".join(p.strip() for p in parser.parts if p.strip())


def test_every_progress_page_is_in_vietnamese(tree):
    from babel.messages.pofile import read_po

    from tests.test_i18n import WHITELIST, english_vocabulary, english_words

    from .test_web_i18n import PO

    with PO.open("rb") as fh:
        web_ids = [m.id for m in read_po(fh) if m.id]
    vocabulary = english_vocabulary() | {
        w.lower() for i in web_ids for t in (i if isinstance(i, tuple) else (i,)) for w in re.findall(r"[A-Za-z]{2,}", t)
    }
    vocabulary -= WHITELIST | {"vanban", "excel", "xlsx", "mb", "pdf", "docx"}
    col = open_one(tree)
    unit, sec = login(f"vanphong.{UNIT}"), login("vanphong.dang-uy-ban")
    unit.post(f"/progress/{col.pk}/attach/", {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x")})
    pages = {
        "inbox": unit.get("/progress/"),
        "secretariat": sec.get("/progress/"),
        "open": sec.get(f"/progress/plans/{plan().pk}/open/"),
        "open refused": sec.post(f"/progress/plans/{plan().pk}/open/", {"title": "", "figure-label": ["x"], "figure-unit": [""]}),
        "report refused": unit.post(f"/progress/{col.pk}/report/", {"action": "submit", "figure-1.1-so-buoi-quan-triet": "x"}),
        "upload refused": unit.post(f"/progress/{col.pk}/upload/", {"file": SimpleUploadedFile("a.xlsx", b"not a workbook")}),
        "upload": unit.get(f"/progress/{col.pk}/upload/"),
    }
    unit.post(f"/progress/{col.pk}/report/", complete_post(col))
    sub = Submission.objects.get(collection=col, committee__slug=UNIT)
    pages["report submitted"] = unit.get(f"/progress/{col.pk}/report/")
    pages["collection"] = sec.get(f"/progress/{col.pk}/")
    pages["submission"] = sec.get(f"/progress/submissions/{sub.pk}/")
    found = {}
    for name, r in pages.items():
        assert r.status_code in (200, 400), name
        for line in _visible_text(r.content.decode()).splitlines():
            words = english_words(line, vocabulary, set())
            if words:
                found.setdefault(name, []).append(f"{line} ← {words}")
    assert found == {}
    english = login(f"vanphong.{UNIT}", lang="en").get(f"/progress/{col.pk}/report/").content.decode()
    assert "Submitted" in english and "What was done" in english


def test_the_collections_figures_decide_even_when_the_plan_lists_its_own(tree):
    p = plan()
    p.data = {**p.data, "figures": [{"id": "so-hoi-nghi", "label": "Số hội nghị", "unit": "hội nghị"}]}
    p.save()
    assert rules.plan_figures(p) == [{"id": "so-hoi-nghi", "label": "Số hội nghị", "unit": "hội nghị"}]  # offered first
    col = open_one(tree)  # asks for so-buoi-quan-triet and so-dang-vien-moi instead
    form = login(f"vanphong.{UNIT}").get(f"/progress/{col.pk}/form.xlsx").content
    ws = openpyxl.load_workbook(io.BytesIO(form))["Tiến độ"]
    assert [ws.cell(6, i).value for i in (6, 7, 8)] == ["Số buổi quán triệt (buổi)", "Số đảng viên mới (đồng chí)", None]
    committee = col.plan.recipients.get(slug=UNIT)
    data = {"unit": UNIT, "reported": "2026-06-20", "tasks": [{"task": "1.1", "status": "done", "figures": {"so-hoi-nghi": 1}}]}
    checked = core.check_progress(data, p.data, "KH", committee, col.figures, "vi")
    assert checked.data is None and any("so-hoi-nghi" in e.message for e in checked.errors)


def test_a_closed_collection_takes_no_more_reports(tree):
    col = open_one(tree)
    unit, sec = login(f"vanphong.{UNIT}"), login("vanphong.dang-uy-ban")
    unit.post(f"/progress/{col.pk}/report/", {"action": "save", "done-1.1": "trước khi đóng"})
    assert login(f"vanphong.{OTHER}").post(f"/progress/{col.pk}/state/", {"state": "closed"}).status_code == 404
    assert login("lanhdao.dang-uy-ban").post(f"/progress/{col.pk}/state/", {"state": "closed"}).status_code == 302
    assert Collection.objects.get(pk=col.pk).state == Collection.State.OPEN  # a leader follows, the office decides
    sec.post(f"/progress/{col.pk}/state/", {"state": "closed"})
    assert Collection.objects.get(pk=col.pk).state == Collection.State.CLOSED
    r = unit.post(f"/progress/{col.pk}/report/", {"action": "save", "done-1.1": "sau khi đóng"}, follow=True)
    assert "Đợt thu thập này đã đóng." in r.content.decode()
    assert Submission.objects.get(collection=col, committee__slug=UNIT).data["tasks"][0]["done"] == "trước khi đóng"
    assert col.title not in unit.get("/progress/").content.decode()
    assert "Lưu nháp" not in unit.get(f"/progress/{col.pk}/report/").content.decode()
    sec.post(f"/progress/{col.pk}/state/", {"state": "open"})
    assert Collection.objects.get(pk=col.pk).state == Collection.State.OPEN
    assert actions("dang-uy-ban", col) == ["progress-close", "progress-reopen-collection"]
