"""HTTP: "Tải lên văn bản" — a DOCX or PDF received from the superior, read by the import service,
reviewed beside its own pages, saved as a document of the committee (the original kept), then corrected
in the editor and derived from like any plan received through the application.

The upload is kept (a :class:`ReceivedFile` without a document) as soon as it reads: the review page can
be reloaded or left and come back to; nothing is lost between reading and saving.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from generator.web import core, office
from generator.web.models import Membership, ReceivedFile
from generator.web.pages import root
from generator.web.views import _preview_context, lang, member_required

KINDS = {".docx": "docx", ".pdf": "pdf"}
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}
#: Seconds the review page waits for the page worker before it shows "being prepared".
WAIT = 1.0


def _limit() -> int:
    return int(getattr(settings, "VANBAN_RECEIVED_MAX_BYTES", 20 * 1024 * 1024))


def _drafter(m: Membership) -> None:
    if not m.can_draft():
        raise PermissionDenied(gettext("Your role cannot draft documents."))


def _mine(m: Membership, rid: int) -> ReceivedFile:
    """The committee's own upload; another committee's is not found (ids reveal nothing)."""
    return get_object_or_404(ReceivedFile, pk=rid, committee=m.committee)


def _form(request, error: str = "", status: int = 200):
    return render(request, "web/upload.html", {"error": error, "limit_mb": _limit() // (1024 * 1024)}, status=status)


@member_required
def upload(request, m):
    _drafter(m)
    if request.method != "POST":
        return _form(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _form(request, gettext("Choose a DOCX or PDF file."), 400)
    name = Path(upload.name or "").name
    kind = KINDS.get(Path(name).suffix.lower())
    if kind is None:
        return _form(request, gettext("%(name)s: only .docx or .pdf files can be uploaded.") % {"name": name}, 400)
    if upload.size > _limit():
        return _form(
            request,
            gettext("%(name)s: the file is larger than %(limit)s MB.") % {"name": name, "limit": _limit() // (1024 * 1024)},
            400,
        )
    content = upload.read()
    read = core.read_received(content, kind, name, lang())
    if read.data is None:
        return _form(request, read.error, 400)
    received = ReceivedFile.objects.create(
        committee=m.committee,
        name=name[:255],
        kind=kind,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        data=read.data,
        notes=read.notes,
        uploaded_by=m.user,
    )
    office.audit(m.user, m.committee, "upload", received, file=name, size=len(content), warnings=len(read.notes))
    return redirect("web:received", rid=received.pk)


@require_GET
@member_required
def review(request, m, rid):
    received = _mine(m, rid)
    if received.document_id:
        return redirect("web:document", pk=received.document_id)
    pages = core.received_pages(bytes(received.content), received.kind, root(), lang(), settings.VANBAN_PDF_TIMEOUT, wait=WAIT)
    data = received.data or {}
    return render(
        request,
        "web/received.html",
        {
            "received": received,
            "preview": _preview_context(data),
            "notes": received.notes,
            "pages": pages,
            "numbers": range(1, pages.count + 1),
            "status_url": reverse("web:received_status", args=[received.pk]),
            "image_prefix": reverse("web:received_page", args=[received.pk, 1]).removesuffix("1.jpg"),
            "type_name": core.type_name(data.get("type") or "ke-hoach"),
            "derivable": core.plan_shaped(data.get("type") or "ke-hoach"),
        },
    )


@require_POST
@member_required
def save(request, m, rid):
    _drafter(m)
    received = _mine(m, rid)
    checked = core.check_data(received.data or {}, lang())
    if checked.data is None:  # what was read does not load as a document: say where
        for p in checked.errors[:10]:
            messages.error(request, f"{received.name}: {p}")
        return redirect("web:received", rid=received.pk)
    try:
        doc = office.receive(m, received, checked.data)
    except office.Refused as exc:
        messages.error(request, str(exc))
        return redirect("web:received", rid=received.pk)
    messages.success(request, gettext("Saved as a received document; correct what was read wrongly, then derive from it."))
    if doc.type_id == "ke-hoach":
        return redirect("web:edit", pk=doc.pk)
    return redirect("web:document", pk=doc.pk)


@require_GET
@member_required
def original(request, m, rid):
    received = _mine(m, rid)
    office.audit(request.user, m.committee, "download-original", received, file=received.name)
    response = HttpResponse(bytes(received.content), content_type=MIME.get(received.kind, "application/octet-stream"))
    response["Content-Disposition"] = f'attachment; filename="received-{received.pk}.{received.kind}"'
    return response


@require_GET
@member_required
def status(request, m, rid):
    received = _mine(m, rid)
    got = core.pages_status(root(), received.sha256)
    return JsonResponse({"state": got.state, "pages": got.count, "error": got.error})


@require_GET
@member_required
def page(request, m, rid, n):
    received = _mine(m, rid)
    path = core.page_image_path(root(), received.sha256, n)
    if path is None or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/jpeg")
