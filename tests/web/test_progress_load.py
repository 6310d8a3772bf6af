"""200 units submit their progress at once, over loopback, against a live server (SQLite here, PostgreSQL
under .ci/pg-tests): every report is stored exactly once, none is lost, no request fails."""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import threading
import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from generator.web import demo
from generator.web.models import AuditLog, Committee, Document, Membership
from generator.web.progress import rules
from generator.web.progress.models import Collection, Submission

UNITS = 200
#: Requests in flight at once: a server's worker pool, and below the test PostgreSQL's 100 connections.
IN_FLIGHT = 64
GROUP = "Các cơ quan, đơn vị thuộc Ban"  # how the sample plan's tasks name every unit


@pytest.fixture
def live_url():
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    server = LiveServerThread("127.0.0.1", _StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        yield "127.0.0.1", server.port
    finally:
        server.terminate()


def _small_plan(owner: Committee) -> Document:
    """The sample plan cut to its first two tasks, issued: each request then checks a short report."""
    data = Document.objects.get(committee=owner, status=Document.Status.ISSUED).data
    group = {**data["appendix"]["groups"][0], "tasks": data["appendix"]["groups"][0]["tasks"][:2]}
    data = {**data, "appendix": {**data["appendix"], "groups": [group]}}
    return Document.objects.create(
        committee=owner, data=data, status=Document.Status.ISSUED, number=99, issued_on=dt.date(2026, 1, 5)
    )


@pytest.mark.django_db(transaction=True)
def test_200_units_submit_at_once_and_each_report_is_stored_once(live_url):
    demo.load()
    owner = Committee.objects.get(slug=demo.ROOT)
    User = get_user_model()
    committees = Committee.objects.bulk_create(
        Committee(
            slug=f"don-vi-{i:03d}",
            parent=owner,
            unit_name=f"Đơn vị {i:03d}",
            name=f"Đảng ủy Đơn vị {i:03d}",
            code="ĐU",
            groups=[GROUP],
        )
        for i in range(UNITS)
    )
    users = User.objects.bulk_create(User(username=f"vp-{c.slug}") for c in committees)
    Membership.objects.bulk_create(
        Membership(user=u, committee=c, role=Membership.Role.VAN_PHONG) for u, c in zip(users, committees, strict=True)
    )
    clerk = Membership.objects.get(user__username=f"vanphong.{demo.ROOT}")
    col = rules.open_collection(
        clerk,
        _small_plan(owner),
        title="Sơ kết",
        as_of=dt.date(2026, 6, 15),
        deadline=dt.date(2026, 6, 30),
        figures=[{"id": "so-buoi", "label": "Số buổi quán triệt", "unit": "buổi"}],
    )
    reporting = {c.slug for c in rules.reporting_committees(col)}
    assert {c.slug for c in committees} <= reporting
    sessions = {}
    for u, c in zip(users, committees, strict=True):
        client = Client()
        client.force_login(u)
        sessions[c.slug] = client.cookies["sessionid"].value
    connection.close()  # the server's threads and the test's own must not share a connection

    host, port = live_url
    path = f"/progress/{col.pk}/report/"
    failures: list[str] = []
    lock = threading.Lock()
    gate = threading.Semaphore(IN_FLIGHT)
    start = threading.Barrier(UNITS)

    def unit(slug: str) -> None:
        cookie = f"sessionid={sessions[slug]}"
        try:
            start.wait()
            with gate:
                conn = http.client.HTTPConnection(host, port, timeout=120)
                conn.request("GET", path, headers={"Cookie": cookie})
                page = conn.getresponse()
                html = page.read().decode()
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
                csrf = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
                if page.status != 200 or not token or not csrf:
                    raise AssertionError(f"GET {page.status}")
                form = {"action": "submit", "csrfmiddlewaretoken": token.group(1)}
                for tid in ("1.1", "1.2"):
                    form |= {f"status-{tid}": "done", f"done-{tid}": f"{slug} đã thực hiện {tid}", f"figure-{tid}-so-buoi": "2"}
                conn.request(
                    "POST",
                    path,
                    urllib.parse.urlencode(form),
                    headers={
                        "Cookie": f"{cookie}; csrftoken={csrf.group(1)}",
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"http://{host}:{port}{path}",
                    },
                )
                done = conn.getresponse()
                done.read()
                conn.close()
                if done.status != 302 or done.getheader("Location") != path:
                    raise AssertionError(f"POST {done.status}")
        except BaseException as exc:  # noqa: BLE001 - counted by the assertion below
            with lock:
                failures.append(f"{slug}: {exc!r}")

    threads = [threading.Thread(target=unit, args=(c.slug,)) for c in committees]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    stored = Submission.objects.filter(collection=col)
    assert stored.count() == UNITS
    assert stored.filter(state=Submission.State.SUBMITTED).count() == UNITS
    assert sorted(stored.values_list("committee__slug", flat=True)) == sorted(sessions)
    for sub in stored.select_related("committee"):
        assert [t["done"] for t in sub.data["tasks"]] == [
            f"{sub.committee.slug} đã thực hiện 1.1",
            f"{sub.committee.slug} đã thực hiện 1.2",
        ]
    ids = [str(pk) for pk in stored.values_list("pk", flat=True)]
    assert AuditLog.objects.filter(action="progress-submit", object_id__in=ids).count() == UNITS
    assert Collection.objects.get(pk=col.pk).submissions.count() == UNITS
    # the board of the secretariat (services/board.py, as `vanban board`) counts exactly the stored rows
    from generator.model.document import Plan, Progress
    from generator.services.board import Entry, build_board
    from generator.web import core

    everyone = list(Committee.objects.exclude(pk=owner.pk))
    ref = core.progress_ref(everyone, col.figures)
    entries = [Entry(s.committee.slug, "submitted", Progress.model_validate(s.data)) for s in stored.select_related("committee")]
    board = build_board(Plan.model_validate(col.plan.data), entries, col.as_of, col.deadline, ref)
    counts = board.counts()
    assert counts["submitted"] == stored.filter(state=Submission.State.SUBMITTED).count() == UNITS
    assert counts["draft"] == 0 and counts["not-started"] == len(board.units) - UNITS
    assert {r.unit.id for r in board.units if r.state == "submitted"} == set(sessions)
    # the settings' database is the one tested: PostgreSQL when DATABASE_URL names it (CI runs both)
    assert connection.vendor == ("postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite")
