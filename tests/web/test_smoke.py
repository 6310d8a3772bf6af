from generator.web.models import Document

from .conftest import login


def test_pages(tree):
    c = login("vanphong.dang-uy-ban")
    plan = Document.objects.get(committee__slug="dang-uy-ban")
    for url in [
        "/documents/",
        "/documents/new/",
        f"/documents/{plan.pk}/",
        f"/documents/{plan.pk}/versions/",
        "/register/",
        "/audit/",
        f"/documents/{plan.pk}/download/yaml/",
        f"/documents/{plan.pk}/download/docx/",
    ]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
