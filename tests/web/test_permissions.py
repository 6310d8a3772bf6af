"""A user sees only what their committee drafted or received: every URL, tried with another committee's ids."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from generator.web.models import Document

from .conftest import login

pytestmark = pytest.mark.django_db


def _routes(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def document_urls(pk: int) -> list[tuple[str, str]]:
    """Every document URL of the application, filled in with *pk*: (method, url)."""
    out = []
    for route, pattern in _routes():
        if "<int:pk>" not in route or route.startswith("progress/"):  # progress URLs: tests/web/test_progress.py
            continue
        url = "/" + route.replace("<int:pk>", str(pk)).replace("<int:n>", "1").replace("<str:fmt>", "docx")
        method = "post" if pattern.name in ("approve", "issue", "cancel", "derive", "restore") else "get"
        out.append((method, url))
        if pattern.name == "edit":
            out.append(("post", url))
    return out


def test_every_document_url_is_listed():
    names = {p.name for route, p in _routes() if "<int:pk>" in route and not route.startswith("progress/")}
    assert names == {
        "document",
        "edit",
        "approve",
        "issue",
        "cancel",
        "derive",
        "download",
        "versions",
        "compare",
        "version",
        "restore",
    }


@pytest.mark.parametrize("who", ["vanphong.tap-chi-attt", "lanhdao.hoc-vien-ktmm"])
def test_another_committees_draft_is_unreachable(tree, who):
    """A draft of Công ty 129 is reached by no URL of another chi bộ, and nothing of it is shown."""
    draft = Document.objects.get(committee__slug="cong-ty-129")
    secret = draft.data["header"]["issuer"]
    c = login(who)
    for method, url in document_urls(draft.pk):
        r = getattr(c, method)(url, {"a": 1, "b": 1, "reason": "x"} if method == "get" else {"reason": "x"})
        assert r.status_code in (403, 404), (method, url, r.status_code)
        assert secret.encode() not in r.content, url
    for fmt in ("yaml", "docx", "pdf"):
        assert c.get(f"/documents/{draft.pk}/download/{fmt}/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == Document.Status.DRAFT and draft.versions.count() == 1


def test_a_received_plan_is_readable_but_not_writable(tree):
    """The chi bộ received the Đảng ủy Ban's plan: it may read and download it, never change it."""
    plan = Document.objects.get(committee__slug="dang-uy-ban")
    c = login("vanphong.tap-chi-attt")
    assert c.get(f"/documents/{plan.pk}/").status_code == 200
    assert c.get(f"/documents/{plan.pk}/download/yaml/").status_code == 200
    for method, url in document_urls(plan.pk):
        if url.endswith(("/derive/", f"/{plan.pk}/", "/download/docx/")):
            continue
        r = getattr(c, method)(url, {"a": 1, "b": 1} if method == "get" else {"reason": "x"})
        assert r.status_code in (403, 404), (method, url, r.status_code)
    plan.refresh_from_db()
    assert plan.status == Document.Status.ISSUED


def test_a_committee_not_sent_the_plan_cannot_see_it(tree):
    plan = Document.objects.get(committee__slug="dang-uy-ban")
    plan.recipients.remove(*plan.recipients.filter(slug="tap-chi-attt"))
    c = login("vanphong.tap-chi-attt")
    for method, url in document_urls(plan.pk):
        r = getattr(c, method)(url, {"a": 1, "b": 1} if method == "get" else {})
        assert r.status_code in (403, 404), (method, url)
    assert b"41-CT/TW" not in c.get("/documents/").content


def test_lists_register_and_audit_show_only_the_own_committee(tree):
    c = login("vanphong.tap-chi-attt")
    page = c.get("/register/").content.decode()
    assert "01-KH/ĐUB" not in page
    audit = c.get("/audit/").content.decode()
    assert "vanphong.dang-uy-ban" not in audit and "vanphong.cong-ty-129" not in audit
    mine = c.get("/documents/").content.decode()
    assert "Công ty TNHH MTV 129" not in mine  # its draft is not listed


def test_anonymous_is_sent_to_login(tree):
    plan = Document.objects.get(committee__slug="dang-uy-ban")
    from django.test import Client

    c = Client()
    for method, url in document_urls(plan.pk) + [
        ("get", "/documents/"),
        ("get", "/register/"),
        ("get", "/audit/"),
        ("get", "/register.xlsx"),
        ("post", "/documents/preview/"),
    ]:
        r = getattr(c, method)(url)
        assert r.status_code in (302, 403, 405), url
        if r.status_code == 302:
            assert r["Location"].startswith("/login/")


def test_roles(tree):
    """Lãnh đạo approves but neither drafts nor issues; văn phòng issues but does not approve."""
    draft = Document.objects.get(committee__slug="cong-ty-129")
    leader, clerk = login("lanhdao.cong-ty-129"), login("vanphong.cong-ty-129")
    assert leader.get("/documents/new/").status_code == 403
    clerk.post(f"/documents/{draft.pk}/approve/")
    draft.refresh_from_db()
    assert draft.status == Document.Status.DRAFT
    # still has [[…]] places: even the leader cannot approve it
    r = leader.post(f"/documents/{draft.pk}/approve/", follow=True)
    assert "[[…]]" in r.content.decode()
    draft.refresh_from_db()
    assert draft.status == Document.Status.DRAFT


def test_csrf_is_enforced(tree):
    from django.test import Client

    from generator.web.models import Membership

    c = Client(enforce_csrf_checks=True)
    c.force_login(Membership.objects.get(user__username="vanphong.cong-ty-129").user)
    draft = Document.objects.get(committee__slug="cong-ty-129")
    assert c.post(f"/documents/{draft.pk}/edit/", {"issuer": "x"}).status_code == 403
    assert c.post("/documents/preview/", {}).status_code == 403


def test_refusals_are_pages_in_vietnamese(tree):
    from django.test import Client

    from generator.web.models import Membership

    c = login("vanphong.tap-chi-attt")
    r = c.get("/documents/999999/")
    assert r.status_code == 404 and "Không tìm thấy trang" in r.content.decode()
    r = login("lanhdao.tap-chi-attt").get("/documents/new/")
    assert r.status_code == 403 and "Vai trò của bạn không được soạn văn bản." in r.content.decode()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(Membership.objects.get(user__username="vanphong.tap-chi-attt").user)
    r = strict.post("/documents/preview/", {})
    assert r.status_code == 403 and "Biểu mẫu đã hết hạn" in r.content.decode()
