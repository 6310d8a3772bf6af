"""HTTP: "Xem trang in", the printed pages of a document as images, from the page worker's cache.

The page is usable without JavaScript (it reloads itself while the pages are being made); with it,
``static/web/pages.js`` polls the small JSON status and reloads once they are ready.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from generator.web import core
from generator.web.models import Document
from generator.web.views import _visible, lang, member_required

#: Seconds a request waits for the worker before answering "being prepared" (the page polls after that).
WAIT = 1.0


def root() -> Path:
    return Path(getattr(settings, "VANBAN_PAGES_DIR", settings.DATA_DIR / "pages"))


def docx_of(doc: Document) -> bytes:
    return core.render_docx(doc.data, lang())


def key_of(doc: Document) -> str:
    """The page cache's key of *doc* as it is now (remembered per version, so an image costs no render)."""
    memo = f"vanban-pages:{doc.pk}:{doc.updated_at.timestamp()}:{lang()}"
    key = cache.get(memo)
    if key is None:
        from generator.services.pages import key_of as hash_of

        key = hash_of(docx_of(doc))
        cache.set(memo, key, 3600)
    return key


def _pages_page(request, doc: Document, pages, status_url: str, image_url: str, back_url: str, status: int = 200):
    return render(
        request,
        "web/pages.html",
        {
            "doc": doc,
            "pages": pages,
            "numbers": range(1, pages.count + 1),
            "status_url": status_url,
            "image_prefix": image_url,
            "back_url": back_url,
            "download_url": reverse("web:download", args=[doc.pk, "pdf"]),
        },
        status=status,
    )


@require_GET
@member_required
def pages(request, m, pk):
    doc = _visible(m, pk)
    try:
        docx = docx_of(doc)
    except core.CoreError as exc:
        from generator.services.pages import Pages

        got = Pages("", "error", error=str(exc))
    else:
        got = core.page_images(docx, root(), lang(), settings.VANBAN_PDF_TIMEOUT, wait=WAIT)
    return _pages_page(
        request,
        doc,
        got,
        reverse("web:pages_status", args=[doc.pk]),
        reverse("web:page_image", args=[doc.pk, 1]).removesuffix("1.jpg"),
        reverse("web:document", args=[doc.pk]),
    )


@require_GET
@member_required
def pages_status(request, m, pk):
    doc = _visible(m, pk)
    try:
        got = core.pages_status(root(), key_of(doc))
    except core.CoreError as exc:
        return JsonResponse({"state": "error", "pages": 0, "error": str(exc)})
    return JsonResponse({"state": got.state, "pages": got.count, "error": got.error})


@require_GET
@member_required
def page_image(request, m, pk, n):
    doc = _visible(m, pk)
    try:
        path = core.page_image_path(root(), key_of(doc), n)
    except core.CoreError:
        path = None
    if path is None or not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response
