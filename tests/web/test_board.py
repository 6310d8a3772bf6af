"""The secretariat's board of a progress collection through the test client: the units' states, the tasks across
the units, the figures summed, the filters, the Excel export, the reminder text and the e-mail reminders (a real
local SMTP server receives them), and who may reach any of it."""

from __future__ import annotations

import io
import re
import socket

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse

from generator.web.models import AuditLog, Committee, Membership
from generator.web.progress import board_views

from .conftest import login
from .progress_fixtures import TITLE, day, open_collection, sample_progress, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def col(tree):
    """Công ty 129 submitted on time, Cục QLMMDS after the deadline, Cục CT-TC has a draft, the rest nothing."""
    c = open_collection()
    submit(c, "cong-ty-129", day(10))
    submit(c, "cuc-qlmmds", day(20))
    submit(c, "cuc-ct-tc", day(12), state="draft")
    return c


def text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row_of(response, attr: str, value: str) -> str:
    m = re.search(rf'<tr[^>]*data-{attr}="{re.escape(value)}"[^>]*>(.*?)</tr>', response.content.decode(), re.S)
    assert m, f"no row {attr}={value}"
    return " ".join(re.sub(r"<[^>]+>", " ", m.group(0)).split())


def test_the_board_shows_each_units_state_and_the_tasks_across_units(col):
    c = login("vanphong.dang-uy-ban")
    r = c.get(reverse("progress:board", args=[col.pk]))
    assert r.status_code == 200
    board = board_views.build(col)
    units = {row.unit.id: row for row in board.units}
    assert units["cong-ty-129"].state == "submitted" and not units["cong-ty-129"].late
    assert units["cuc-qlmmds"].state == "submitted" and units["cuc-qlmmds"].late
    assert units["cuc-ct-tc"].state == "draft"
    counts = board.counts()
    page = text(r)
    assert f"{counts['submitted']} đã gửi" in page and counts["submitted"] == 2
    assert f"{counts['draft']} đang soạn" in page and counts["draft"] == 1
    assert f"{counts['not-started']} chưa bắt đầu" in page
    assert day(10).strftime("%d/%m/%Y") in row_of(r, "unit", "cong-ty-129")
    late = row_of(r, "unit", "cuc-qlmmds")
    assert "Đã gửi" in late and "chậm hạn" in late and day(20).strftime("%d/%m/%Y") in late
    assert "Đang soạn" in row_of(r, "unit", "cuc-ct-tc")
    # task 1.1: Công ty 129 done (5 sessions, 430 cadres), Cục QLMMDS not started; the draft is not counted
    t11 = row_of(r, "task", "1.1")
    assert "hoàn thành: 1" in t11 and "chưa thực hiện: 1" in t11
    assert "Số buổi quán triệt: 5" in t11 or "số buổi quán triệt: 5" in t11.lower()
    expected = sample_progress("cong-ty-129")["tasks"][0]["figures"]["so-luot-can-bo"]
    figures = re.search(r'<table class="list board-figures.*?</table>', r.content.decode(), re.S).group(0)
    assert f">{board.figures['so-luot-can-bo']}<" in figures and board.figures["so-luot-can-bo"] >= expected
    # the submitted unit's name links to its report, read-only
    assert reverse("progress:board_submission", args=[col.pk, "cong-ty-129"]) in r.content.decode()
    assert AuditLog.objects.filter(action="progress-board", object_id=str(col.pk)).exists()


def test_the_board_changes_when_a_unit_submits(col):
    c = login("lanhdao.dang-uy-ban")  # the leaders see the board too
    before = board_views.build(col).counts()
    submit(col, "tap-chi-attt", day(11))
    r = c.get(reverse("progress:board", args=[col.pk]))
    after = board_views.build(col).counts()
    assert after["submitted"] == before["submitted"] + 1
    assert f"{after['submitted']} đã gửi" in text(r)
    assert "Đã gửi" in row_of(r, "unit", "tap-chi-attt")
    counts = c.get(reverse("progress:board_counts", args=[col.pk])).json()
    assert counts["submitted"] == 3 and counts["rows"] == 4


def test_a_report_corrected_in_place_shows_its_new_content_at_once(col):
    """The board keeps each report validated between requests (by its content): a report reopened and submitted
    again with another status on the same row is shown as it now is, not as it was."""
    c = login("vanphong.dang-uy-ban")
    before = row_of(c.get(reverse("progress:board", args=[col.pk])), "task", "1.1")
    assert "hoàn thành: 1" in before and "đang thực hiện: 1" not in before
    data = sample_progress("cong-ty-129", reported=day(10).isoformat())
    data["tasks"][0]["status"] = "in-progress"
    sub = submit(col, "cong-ty-129", day(10), data)
    assert sub.data["tasks"][0]["task"] == "1.1"
    after = row_of(c.get(reverse("progress:board", args=[col.pk])), "task", "1.1")
    assert "đang thực hiện: 1" in after and "hoàn thành: " not in after


def test_filters_by_group_and_unit_work_without_javascript(col):
    c = login("vanphong.dang-uy-ban")
    r = c.get(reverse("progress:board", args=[col.pk]), {"group": "2"})
    tasks = re.findall(r'data-task="([^"]+)"', r.content.decode())
    assert tasks and all(t.startswith("2.") for t in tasks)
    r = c.get(reverse("progress:board", args=[col.pk]), {"unit": "cong-ty-129"})
    units = re.findall(r'data-unit="([^"]+)"', r.content.decode())
    assert units == ["cong-ty-129"]
    assert "Đơn vị này" in text(r)
    assert "Hoàn thành" in row_of(r, "task", "1.1") or "hoàn thành" in row_of(r, "task", "1.1")
    # a stale filter shows the whole board, not an error
    r = c.get(reverse("progress:board", args=[col.pk]), {"unit": "khong-co", "group": "99"})
    assert r.status_code == 200 and len(re.findall(r'data-unit="', r.content.decode())) == len(board_views.build(col).units)


def test_excel_export_holds_the_board_and_keeps_the_filter(col):
    c = login("vanphong.dang-uy-ban")
    r = c.get(reverse("progress:board_xlsx", args=[col.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert any("Công ty TNHH MTV 129" in v for v in cells)
    assert "đã gửi" in cells and "đang soạn" in cells
    one = openpyxl.load_workbook(io.BytesIO(c.get(reverse("progress:board_xlsx", args=[col.pk]), {"unit": "cuc-qlmmds"}).content))
    names = [str(v) for row in one.worksheets[0].iter_rows(values_only=True) for v in row if v]
    assert not any("129" in v for v in names)
    assert AuditLog.objects.filter(action="progress-board-export").count() == 2


def test_the_reminder_text_lists_the_units_behind(col):
    c = login("vanphong.dang-uy-ban")
    r = c.get(reverse("progress:board", args=[col.pk]))
    m = re.search(r'<textarea id="reminder-text"[^>]*>(.*?)</textarea>', r.content.decode(), re.S)
    assert m
    reminder = m.group(1)
    deadline = col.deadline
    assert TITLE in reminder and f"Hạn gửi báo cáo: {deadline.day:02d}/{deadline.month}/{deadline.year}." in reminder
    behind = {row.unit.id for row in board_views.build(col).behind()}
    assert "cuc-ct-tc" in behind and "cong-ty-129" not in behind
    assert "Chi bộ Cục Chính trị - Tổ chức" in reminder  # the draft: still to chase
    assert "Công ty TNHH MTV 129 (" not in reminder
    assert "Gửi nhắc nhở" not in text(r)  # e-mail reminders are off by default


def test_a_submission_is_shown_read_only(col):
    c = login("vanphong.dang-uy-ban")
    r = c.get(reverse("progress:board_submission", args=[col.pk, "cong-ty-129"]))
    assert r.status_code == 200
    page = text(r)
    assert "Quán triệt tại hội nghị Ban Chấp hành Đảng bộ mở rộng" in page
    assert "<textarea" not in r.content.decode() and 'method="post"' not in r.content.decode().split("<main")[1]
    assert c.get(reverse("progress:board_submission", args=[col.pk, "tap-chi-attt"])).status_code == 404


# ----------------------------------------------------------------------------- e-mail reminders


@pytest.fixture
def smtp_sink():
    """A real SMTP server on a free local port (aiosmtpd), keeping what it receives."""
    controller_mod = pytest.importorskip("aiosmtpd.controller")

    class Sink:
        def __init__(self):
            self.messages: list[tuple[list[str], bytes]] = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
            return "250 OK"

    sink = Sink()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = controller_mod.Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def _emails(slug: str, *addresses: str) -> None:
    for m, address in zip(Membership.objects.filter(committee__slug=slug).order_by("role"), addresses, strict=False):
        m.user.email = address
        m.user.save()


def test_email_reminders_reach_the_units_behind_through_smtp(col, smtp_sink):
    import email
    from email.header import decode_header, make_header

    sink, port = smtp_sink
    _emails("cuc-ct-tc", "lanhdao@ctct.example", "vanphong@ctct.example")
    _emails("cong-ty-129", "vanphong@ct129.example")  # submitted: not chased
    behind = [r.unit.id for r in board_views.build(col).behind()]
    with override_settings(
        VANBAN_EMAIL_REMINDERS=True,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        DEFAULT_FROM_EMAIL="van-phong@dub.example",
    ):
        c = login("vanphong.dang-uy-ban")
        page = c.get(reverse("progress:board", args=[col.pk]))
        assert "Gửi nhắc nhở" in text(page)
        r = c.post(reverse("progress:remind", args=[col.pk]), follow=True)
    assert r.status_code == 200
    assert len(sink.messages) == 1  # one committee behind has addresses; the others are named as without one
    to, raw = sink.messages[0]
    assert sorted(to) == ["lanhdao@ctct.example", "vanphong@ctct.example"]
    msg = email.message_from_bytes(raw)
    assert str(make_header(decode_header(msg["Subject"]))) == f"Nhắc gửi báo cáo: {TITLE}"
    body = msg.get_payload(decode=True).decode(msg.get_content_charset())
    assert "Kính gửi: Chi bộ Cục Chính trị - Tổ chức" in body and "đang soạn" in body
    page = text(r)
    assert "Đã gửi 1 thư nhắc nhở." in page
    assert "Chưa có địa chỉ e-mail của" in page and "Đảng ủy Cục Quản lý mật mã" not in page.split("Chưa có địa chỉ")[1][:0]
    entry = AuditLog.objects.get(action="progress-remind")
    assert entry.details["sent"] == 1 and len(entry.details["without_address"]) == len(behind) - 1


def test_email_reminders_when_the_server_is_down_say_so(col):
    _emails("cuc-ct-tc", "vanphong@ctct.example")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once the socket is closed
    with override_settings(
        VANBAN_EMAIL_REMINDERS=True,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_PORT=port,
        EMAIL_HOST="127.0.0.1",
        EMAIL_TIMEOUT=5,
    ):
        r = login("vanphong.dang-uy-ban").post(reverse("progress:remind", args=[col.pk]), follow=True)
    assert r.status_code == 200 and "Không gửi được thư nhắc nhở" in text(r)
    assert AuditLog.objects.filter(action="progress-remind-failed").exists()


def test_email_reminders_are_off_by_default(col):
    r = login("vanphong.dang-uy-ban").post(reverse("progress:remind", args=[col.pk]))
    assert r.status_code == 404
    assert not AuditLog.objects.filter(action__startswith="progress-remind").exists()


# ----------------------------------------------------------------------------- who may reach it


def _urls(pk: int) -> list[tuple[str, str]]:
    """Every URL of the board and the live report for collection *pk*: (method, url)."""
    from generator.web.progress import report_views

    out = []
    for p in [*board_views.urls, *report_views.urls]:
        route = str(p.pattern).replace("<int:pk>", str(pk)).replace("<slug:slug>", "cong-ty-129")
        method = (
            "get"
            if p.callback.__name__ in ("board", "board_counts", "board_xlsx", "submission", "report", "preview", "pdf")
            else "post"
        )
        out.append((method, "/progress/" + route))
    return out


def test_every_url_is_tried():
    from generator.web.progress import report_views

    assert len(_urls(1)) == len(board_views.urls) + len(report_views.urls) == 14


@pytest.mark.parametrize("who", ["vanphong.cong-ty-129", "lanhdao.cuc-ct-tc", "vanphong.tap-chi-attt"])
def test_a_units_login_reaches_nothing_of_the_secretariat(col, who):
    c = login(who)
    with override_settings(VANBAN_EMAIL_REMINDERS=True):
        for method, url in _urls(col.pk):
            r = getattr(c, method)(url)
            assert r.status_code in (403, 404), (who, method, url, r.status_code)
            assert "Cục Quản lý mật mã".encode() not in r.content, url


def test_another_committees_collection_is_a_404(col):
    theirs = open_collection(owner="cong-ty-129", title="Thu thập của Công ty 129")
    c = login("vanphong.dang-uy-ban")
    with override_settings(VANBAN_EMAIL_REMINDERS=True):
        for method, url in _urls(theirs.pk):
            assert getattr(c, method)(url).status_code == 404, url


def test_an_officer_and_a_leader_are_kept_to_their_roles(col):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username="canbo.dang-uy-ban")
    Membership.objects.create(user=user, committee=Committee.objects.get(slug="dang-uy-ban"), role="can-bo")
    c = login("canbo.dang-uy-ban")
    for method, url in _urls(col.pk):
        assert getattr(c, method)(url).status_code == 403, url
    leader = login("lanhdao.dang-uy-ban")
    assert leader.get(reverse("progress:board", args=[col.pk])).status_code == 200
    for name in ("live_report_generate", "live_report_refresh", "live_report_submit", "live_report_issue", "remind"):
        assert leader.post(reverse(f"progress:{name}", args=[col.pk])).status_code == 403, name


def test_the_secretariats_pages_are_in_vietnamese(col):
    from babel.messages.pofile import read_po

    from tests.test_i18n import WHITELIST, english_vocabulary, english_words

    from .test_progress import _visible_text
    from .test_web_i18n import PO

    with PO.open("rb") as fh:
        web_ids = [m.id for m in read_po(fh) if m.id]
    vocabulary = english_vocabulary() | {
        w.lower() for i in web_ids for t in (i if isinstance(i, tuple) else (i,)) for w in re.findall(r"[A-Za-z]{2,}", t)
    }
    vocabulary -= WHITELIST | {"vanban", "excel", "xlsx", "pdf", "docx"}
    c = login("vanphong.dang-uy-ban")
    pages = {
        "board": c.get(reverse("progress:board", args=[col.pk])),
        "board filtered": c.get(reverse("progress:board", args=[col.pk]), {"unit": "cong-ty-129", "group": "1"}),
        "submission": c.get(reverse("progress:board_submission", args=[col.pk, "cong-ty-129"])),
        "report before": c.get(reverse("progress:live_report", args=[col.pk])),
    }
    c.post(reverse("progress:live_report_generate", args=[col.pk]))
    submit(col, "tap-chi-attt", day(11))
    pages["report updated"] = c.post(reverse("progress:live_report_refresh", args=[col.pk]), follow=True)
    pages["preview"] = c.get(reverse("progress:live_report_preview", args=[col.pk]))
    with override_settings(VANBAN_EMAIL_REMINDERS=True):
        pages["board with reminders"] = c.get(reverse("progress:board", args=[col.pk]))
    found = {}
    for name, r in pages.items():
        assert r.status_code == 200, name
        for line in _visible_text(r.content.decode()).splitlines():
            words = english_words(line, vocabulary, set())
            if words:
                found.setdefault(name, []).append(f"{line} ← {words}")
    assert found == {}
    english = login("vanphong.dang-uy-ban", "en").get(reverse("progress:board", args=[col.pk])).content.decode()
    assert "Progress board" in english and "Units to chase" in english
