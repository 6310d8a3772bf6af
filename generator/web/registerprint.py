"""HTTP: the register printed as the office's sổ ("In sổ"), as DOCX and as PDF (through the page cache)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from generator.web import core, office
from generator.web.models import RegisterEntry
from generator.web.pages import root
from generator.web.views import _attachment, _register_rows, _year, lang, member_required

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(m, year: int) -> bytes:
    entries = []
    for e in _register_rows(m, year).select_related("document"):
        data = e.document.data if isinstance(e.document.data, dict) else {}
        entries.append(
            {
                "number": e.number,
                "symbol": e.symbol,
                "type_id": e.type_id,
                "issued_on": e.issued_on,
                "subject": e.subject,
                "signer": e.signer,
                "recipients": e.recipients,
                "archive": ", ".join(str(a) for a in data.get("archive") or []),
                "cancelled": e.state == RegisterEntry.State.CANCELLED,
                "cancelled_on": e.cancelled_at.date() if e.cancelled_at else None,
                "reason": e.cancel_reason,
            }
        )
    c = m.committee
    return core.register_docx(entries, superior=c.superior, issuer=c.name, year=year, lang=lang())


@require_GET
@member_required
def register_print(request, m, fmt):
    if fmt not in ("docx", "pdf"):
        raise Http404
    year = _year(request)
    name = f"so-van-ban-di-{m.committee.slug}-{year}"
    try:
        body = _docx(m, year)
        if fmt == "pdf":
            body = core.pdf_of(body, root(), lang(), settings.VANBAN_PDF_TIMEOUT)
    except core.CoreError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('web:register')}?year={year}")
    office.audit(request.user, m.committee, "print-register", None, year=year, format=fmt)
    return _attachment(body, f"{name}.{fmt}", "application/pdf" if fmt == "pdf" else DOCX)
