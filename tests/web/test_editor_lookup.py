"""The editor finds the committee's own document by its key alone (generator.web.views._own); any other document is
refused as before: 403 when the committee may see it (a plan it received), 404 when it may not (ids reveal nothing)."""

from __future__ import annotations

from generator.web.models import Committee, Document

from .conftest import login


def test_own_seen_and_unseen_documents_at_the_editor(tree):
    me = Committee.objects.get(slug="cong-ty-129")
    received = Document.objects.filter(recipients=me, status=Document.Status.ISSUED).exclude(committee=me).first()
    unseen = Document.objects.create(committee=Committee.objects.get(slug="tap-chi-attt"), data={"type": "ke-hoach"})
    own = Document.objects.create(committee=me, data={"type": "ke-hoach", "subject": ["Dự thảo của Công ty 129"]})
    assert received is not None
    c = login("vanphong.cong-ty-129")
    r = c.get(f"/documents/{own.pk}/edit/")
    assert r.status_code == 200 and "Dự thảo của Công ty 129" in r.content.decode()
    assert c.get(f"/documents/{received.pk}/edit/").status_code == 403
    assert c.post(f"/documents/{received.pk}/edit/", {"subject": "x"}).status_code == 403
    assert c.get(f"/documents/{unseen.pk}/edit/").status_code == 404
    assert c.get("/documents/999999/edit/").status_code == 404
    unseen.refresh_from_db()
    received.refresh_from_db()
    assert unseen.data == {"type": "ke-hoach"} and received.status == Document.Status.ISSUED
