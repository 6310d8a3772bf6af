"""What a page costs the database: a fixed number of queries, however many documents, versions or log entries it
lists (no query per row), and the member's committee read with the user (generator.web.auth.MemberBackend)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from generator.web import office
from generator.web.models import AuditLog, Committee, Document, Membership

from .conftest import login

#: A page's queries beyond its own lists: the session, then the user with membership and committee in one.
SESSION_AND_USER = 2


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    assert r.status_code == 200, r.status_code
    return len(q.captured_queries), r.content.decode()


def _issue_to(target: Committee, sender: Committee, n: int) -> None:
    """A plan issued by *sender* to *target*, as the office leaves it (number, date, recipients)."""
    doc = Document.objects.create(
        committee=sender,
        data={"type": "ke-hoach", "subject": [f"Kế hoạch thử {sender.slug} {n}"], "header": {"issuer_code": sender.code}},
        status=Document.Status.ISSUED,
        number=100 + n,
        issued_on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
    )
    doc.recipients.add(target)


def test_the_document_list_costs_the_same_queries_for_many_documents(tree, django_assert_num_queries):
    clerk = login("vanphong.cong-ty-129")
    target = Committee.objects.get(slug="cong-ty-129")
    before, _page = _queries(clerk, "/documents/")
    senders = [c for c in Committee.objects.exclude(pk=target.pk)][:5]
    for i, sender in enumerate(senders):
        _issue_to(target, sender, i)
        Document.objects.create(committee=target, data={"type": "ke-hoach", "subject": [f"Dự thảo {i}"]})
    after, page = _queries(clerk, "/documents/")
    assert after == before
    for sender in senders:  # each row names its sender: read with the row, not by a query of its own
        assert sender.name in page
    with django_assert_num_queries(SESSION_AND_USER + 2):  # the committee's own documents, and its inbox
        clerk.get("/documents/")


def test_versions_register_and_audit_lists_cost_the_same_queries_for_many_rows(tree):
    clerk = login("vanphong.dang-uy-ban")
    m = Membership.objects.select_related("user", "committee").get(user__username="vanphong.dang-uy-ban")
    doc = Document.objects.filter(committee=m.committee).first()
    pages = ["/register/", "/audit/", f"/documents/{doc.pk}/versions/"]
    before = [_queries(clerk, url)[0] for url in pages]
    for i in range(6):
        office.save_version(doc, m.user, note=f"thử {i}")
        AuditLog.objects.create(
            user=m.user, committee=m.committee, action="download", object_type="document", object_id=str(doc.pk)
        )
    assert [_queries(clerk, url)[0] for url in pages] == before


def test_a_user_of_no_committee_is_still_refused(tree):
    user = get_user_model().objects.create_user("khach", password="x-very-long-password-1")
    from django.test import Client

    c = Client()
    c.force_login(user)
    assert c.get("/documents/").status_code == 403


@pytest.mark.parametrize("url", ["/documents/", "/register/"])
def test_a_page_names_the_members_committee_without_a_query_of_its_own(tree, url):
    count, page = _queries(login("vanphong.cuc-ct-tc"), url)
    assert Committee.objects.get(slug="cuc-ct-tc").name in page
    assert count <= SESSION_AND_USER + 2
