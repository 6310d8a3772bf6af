"""The numbering register (sổ văn bản đi): next number per committee, kind and year; never twice, never reused."""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from generator.web import core, office
from generator.web.models import Committee, Document, Membership, RegisterEntry

from .conftest import login

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml"


def _plan_data() -> dict:
    checked = core.check_yaml(SAMPLE.read_bytes(), "plan.yaml", "vi")
    assert not checked.errors
    return checked.data


def _office(slug: str) -> Membership:
    c = Committee.objects.create(slug=slug, name=f"Đảng ủy {slug}", unit_name=slug, code="ĐUB")
    user = get_user_model().objects.create(username=f"vp-{slug}")
    return Membership.objects.create(user=user, committee=c, role=Membership.Role.VAN_PHONG)


@pytest.mark.django_db(transaction=True)
def test_200_documents_issued_from_20_threads_get_200_consecutive_numbers():
    m = _office("song-song")
    data = _plan_data()
    docs = [Document.objects.create(committee=m.committee, data=data, status=Document.Status.APPROVED).pk for _ in range(200)]
    numbers: list[int] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    on = dt.date(2026, 3, 2)

    def worker(chunk: list[int]) -> None:
        try:
            member = Membership.objects.select_related("committee", "user").get(pk=m.pk)
            for pk in chunk:
                entry = office.issue(member, Document.objects.get(pk=pk), on=on)
                with lock:
                    numbers.append(entry.number)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(docs[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sorted(numbers) == list(range(1, 201))
    entries = RegisterEntry.objects.filter(committee=m.committee, year=2026)
    assert sorted(entries.values_list("number", flat=True)) == list(range(1, 201))
    in_docs = sorted(d.data["header"]["number"] for d in Document.objects.filter(committee=m.committee))
    assert in_docs == list(range(1, 201))
    # the settings' database is the one tested: PostgreSQL when DATABASE_URL names it (CI runs both)
    assert connection.vendor == ("postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite")


@pytest.mark.django_db
def test_numbers_are_per_committee_kind_and_year_and_never_reused():
    a, b = _office("a"), _office("b")
    data = _plan_data()

    def issue(m, on):
        d = Document.objects.create(committee=m.committee, data=data, status=Document.Status.APPROVED)
        return office.issue(m, d, on=on)

    first = issue(a, dt.date(2025, 5, 1))
    assert (first.number, first.symbol) == (1, "01-KH/ĐUB")
    office.cancel(a, first.document, "ghi nhầm nơi nhận")
    second = issue(a, dt.date(2025, 6, 1))
    assert second.number == 2  # the cancelled 1 is not given again
    assert issue(b, dt.date(2025, 6, 1)).number == 1  # another committee has its own register
    assert issue(a, dt.date(2026, 1, 5)).number == 1  # a new year starts again at 1
    cancelled = RegisterEntry.objects.get(pk=first.pk)
    assert cancelled.state == RegisterEntry.State.CANCELLED and cancelled.cancel_reason == "ghi nhầm nơi nhận"
    doc = Document.objects.get(pk=second.document_id)
    assert doc.data["header"]["number"] == 2 and doc.data["header"]["date"] == "2025-06-01"


def test_an_issued_document_is_locked(tree):
    plan = Document.objects.get(committee__slug="dang-uy-ban")
    c = login("vanphong.dang-uy-ban")
    before = dict(plan.data)
    r = c.post(f"/documents/{plan.pk}/edit/", {"issuer": "Đổi tên"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.data == before
    with pytest.raises(office.Refused):
        office.update(tree["vanphong.dang-uy-ban"], plan, {**plan.data, "subject": ["khác"]})
    assert c.post(f"/documents/{plan.pk}/issue/").status_code == 302
    assert RegisterEntry.objects.filter(document=plan).count() == 1


def test_register_page_and_excel(tree):
    c = login("vanphong.dang-uy-ban")
    plan = Document.objects.get(committee__slug="dang-uy-ban")
    year = plan.issued_on.year
    page = c.get(f"/register/?year={year}").content.decode()
    assert "01-KH/ĐUB" in page and "Sổ đăng ký văn bản đi" in page
    r = c.post(f"/documents/{plan.pk}/cancel/", {"reason": "Ban hành nhầm"})
    assert r.status_code == 302
    x = c.get(f"/register.xlsx?year={year}")
    assert x["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(x.content)).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0][0] == 1 and rows[0][1] == "01-KH/ĐUB"
    assert rows[0][6] == "Đã hủy" and rows[0][7] == "Ban hành nhầm"
    assert "41-CT/TW" in rows[0][3]
    plan.refresh_from_db()
    assert plan.status == Document.Status.CANCELLED
