"""HTTP: pages and downloads. Rules live in :mod:`generator.web.office`, the core behind :mod:`generator.web.core`."""

from __future__ import annotations

import difflib
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from generator.web import core, forms, kindviews, office, outline
from generator.web.models import AuditLog, Committee, Document, Membership, RegisterEntry


def membership_context(request):
    m = getattr(request.user, "membership", None) if request.user.is_authenticated else None
    return {"membership": m}


def lang() -> str:
    return get_language() or "vi"


def member_required(view):
    """Logged in and belonging to a committee: every page below acts for that committee only."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            m = request.user.membership
        except Membership.DoesNotExist:
            raise PermissionDenied(gettext("Your account belongs to no committee; ask the administrator.")) from None
        return view(request, m, *args, **kwargs)

    return wrapper


def _visible(m: Membership, pk: int) -> Document:
    """The document if the member's committee may see it; 404 otherwise, so ids reveal nothing."""
    return get_object_or_404(office.visible(m), pk=pk)


def _own(m: Membership, pk: int) -> Document:
    # The committee's own document by its key alone: no join through recipients and parents, no DISTINCT over the
    # document's JSON (office.visible). Any other is looked up as before, to tell 404 (unseen) from 403 (not ours).
    doc = Document.objects.filter(pk=pk, committee_id=m.committee_id).first()
    if doc is not None:
        return doc
    doc = _visible(m, pk)
    if doc.committee_id != m.committee_id:
        raise PermissionDenied(gettext("This document belongs to another committee."))
    return doc


def _refused(request, exc: office.Refused, doc: Document | None = None):
    messages.error(request, str(exc))
    return redirect("web:document", pk=doc.pk) if doc else redirect("web:documents")


@require_GET
def home(request):
    return redirect("web:documents")


@require_GET
@member_required
def documents(request, m):
    mine = office.drafted_by(m.committee)
    inbox = office.inbox(m.committee)
    return render(request, "web/documents.html", {"mine": mine, "inbox": inbox, "import_form": forms.ImportForm()})


def _datalist(m: Membership) -> list[str]:
    names: set[str] = set()
    # only the five columns the list is made of, as tuples: no model instance per committee
    for unit_name, name, leadership, subordinates, groups in Committee.objects.values_list(
        "unit_name", "name", "leadership", "subordinates", "groups"
    ):
        names.update(filter(None, [unit_name, name, leadership, *(subordinates or []), *(groups or [])]))
    return sorted(names)


def _blank(m: Membership, kind: str = "ke-hoach") -> dict:
    c = m.committee
    return {
        "type": kind,
        "profile": c.profile or "hd36-2018",
        "header": kindviews.committee_header(c),
        "subject": [],
        "sections": [],
        "recipients": [],
        "archive": c.archive_list(),
        # the plan editor's signer fields are all shown: a part the committee has none of stays empty
        "signoff": {"form": None, "authority": None, "name": None, **kindviews.committee_signer(c)},
    }


#: The plan editor's fieldsets, by the field each begins with: one lookup a field, not five comparisons in the template.
_LEGENDS = {
    "superior": gettext_lazy("Header"),
    "subject": gettext_lazy("Title and body"),
    "closing": gettext_lazy("Closing"),
    "recipients": gettext_lazy("Recipients and sign-off"),
    "appendix_label": gettext_lazy("Appendix: tasks"),
}


def _editor(request, m, doc: Document | None, sub: forms.Submitted | None = None, status: int = 200, kind: str = "ke-hoach"):
    data = doc.data if doc else _blank(m, kind)
    values = sub.values if sub else forms.initial(data)
    rows = sub.rows if sub else forms.rows_of(data)
    errors = sub.errors if sub else {}
    fields = [
        {
            "name": name,
            "label": label,
            "kind": kind,
            "value": values.get(name, ""),
            "errors": errors.get(name, []),
            "place": bool(core.places(values.get(name, ""))),
            "legend": _LEGENDS.get(name),  # the field opens a fieldset (the template closes the one before)
        }
        for name, label, _path, kind in forms.FIELDS
    ]
    for i, row in enumerate(rows):
        row["errors"] = errors.get(f"row-{i}", [])
        row["place"] = any(core.places(str(row.get(k, ""))) for k in ("text", "lead", "units", "timeframe"))
    preview_data = sub.data if sub else data
    return render(
        request,
        "web/edit.html",
        {
            "doc": doc,
            "kind": data.get("type") or "ke-hoach",
            "fields": fields,
            "rows": rows,
            "form_errors": errors.get("__all__", []),
            "signing_forms": forms.SIGNING_FORMS,
            "names": _datalist(m),
            "preview": _preview_context(preview_data),
            "has_places": any(f["place"] for f in fields) or any(r["place"] for r in rows),
        },
        status=status,
    )


def _save(request, m, doc: Document | None, kind: str = "ke-hoach"):
    sub = forms.read_post(request.POST, doc.data if doc else _blank(m, kind))
    if not sub.errors:
        checked = core.check_data(sub.data, lang())
        for p in checked.errors:
            forms.place_problem(sub, p.path, p.message)
        if not sub.errors:
            assert checked.data is not None  # no errors: the document was validated
            try:
                if doc is None:
                    doc = office.create(m, checked.data)
                else:
                    office.update(m, doc, checked.data)
            except office.Refused as exc:
                return _refused(request, exc, doc)
            messages.success(request, gettext("Saved."))
            return redirect("web:edit", pk=doc.pk)
    messages.error(request, gettext("Not saved: correct the fields marked below."))
    return _editor(request, m, doc, sub, status=400, kind=kind)


@member_required
def new(request, m):
    if not m.can_draft():
        raise PermissionDenied(gettext("Your role cannot draft documents."))
    # The kind chosen in "Văn bản mới"; the plan's shape keeps the plan editor, every other shape gets the form
    # generated from its model (generator.web.kindforms).
    kind = request.GET.get("kind") or request.POST.get("vanban_kind") or "ke-hoach"
    if kind not in dict(core.type_choices()):
        raise Http404
    if core.shape_of(kind) != "plan":
        return kindviews.save(request, m, None, kind) if request.method == "POST" else kindviews.editor(request, m, None, kind)
    if request.method == "POST":
        return _save(request, m, None, kind)
    return _editor(request, m, None, kind=kind)


@require_GET
@member_required
def choose(request, m):
    if not m.can_draft():
        raise PermissionDenied(gettext("Your role cannot draft documents."))
    return kindviews.choose(request, m)


@member_required
def edit(request, m, pk):
    doc = _own(m, pk)
    if doc.locked:
        messages.error(
            request,
            gettext(
                "This document has been issued (or cancelled) and cannot be edited; "
                "a change needs a new document or an amendment."
            ),
        )
        return redirect("web:document", pk=doc.pk)
    if core.shape_of(doc.type_id) != "plan":
        if request.method == "POST":
            return kindviews.save(request, m, doc, doc.type_id)
        return kindviews.editor(request, m, doc, doc.type_id)
    if request.method == "POST":
        return _save(request, m, doc, doc.type_id)
    return _editor(request, m, doc)


def _preview_context(data: dict) -> dict:
    sections = data.get("sections") or []
    number = (data.get("header") or {}).get("number")
    return {
        "data": data,
        "type_name": core.type_name(data.get("type") or "ke-hoach"),
        "symbol": core.symbol(number, data.get("type") or "ke-hoach", (data.get("header") or {}).get("issuer_code") or ""),
        "structure": outline.structure(sections),
        "dateline": core.dateline(data.get("header") or {}),
        "status_groups": core.status_table(data),  # a Báo cáo's appendix: its status table
    }


@require_POST
@member_required
def preview(request, m):
    """The live HTML preview of what the form holds now (not saved)."""
    kind = request.POST.get("vanban_kind") or "ke-hoach"
    if kind not in dict(core.type_choices()):
        return HttpResponseBadRequest()
    if core.shape_of(kind) != "plan":
        return kindviews.preview(request, m, kind)
    sub = forms.read_post(request.POST, {"type": kind, "profile": "hd36-2018"})
    ctx = _preview_context(sub.data)
    ctx["outline_errors"] = sub.errors.get("outline", [])
    return render(request, "web/preview.html", ctx)


@require_GET
@member_required
def document(request, m, pk):
    doc = _visible(m, pk)
    own = doc.committee_id == m.committee_id
    sent = []
    if own and doc.status == Document.Status.ISSUED:
        for c in doc.recipients.order_by("name"):
            child = doc.derived.filter(committee=c).exclude(status=Document.Status.CANCELLED).first()
            sent.append(
                {
                    "committee": c,
                    "child": child if child and child.status == Document.Status.ISSUED else None,
                    "drafting": child is not None and child.status != Document.Status.ISSUED,
                }
            )
    mine = None
    received = own and doc.status == Document.Status.RECEIVED  # uploaded from a file: derived from like a plan received
    if not own or received:
        mine = doc.derived.filter(committee=m.committee).exclude(status=Document.Status.CANCELLED).first()
    checked = core.check_data(doc.data, lang()) if own and not doc.locked else None
    return render(
        request,
        "web/document.html",
        {
            "doc": doc,
            "own": own,
            "sent": sent,
            "mine": mine,
            "checked": checked,
            "preview": _preview_context(doc.data),
            "kind_preview": kindviews.preview_context(doc.data, m)
            if core.shape_of(doc.type_id) not in ("plan", "report")
            else None,
            "cancel_form": forms.CancelForm(),
            "can_derive": (received and core.plan_shaped(doc.type_id) and m.can_draft())
            or (
                not own
                and doc.status == Document.Status.ISSUED
                and doc.type_id == "ke-hoach"
                and doc.recipients.filter(pk=m.committee_id).exists()
                and m.can_draft()
            ),
        },
    )


@require_POST
@member_required
def approve(request, m, pk):
    doc = _own(m, pk)
    try:
        office.approve(m, doc, lang())
    except office.Refused as exc:
        return _refused(request, exc, doc)
    messages.success(request, gettext("Approved."))
    return redirect("web:document", pk=doc.pk)


@require_POST
@member_required
def issue(request, m, pk):
    doc = _own(m, pk)
    try:
        entry = office.issue(m, doc)
    except office.Refused as exc:
        return _refused(request, exc, doc)
    messages.success(request, gettext("Issued as %(symbol)s.") % {"symbol": entry.symbol})
    return redirect("web:document", pk=doc.pk)


@require_POST
@member_required
def cancel(request, m, pk):
    doc = _own(m, pk)
    form = forms.CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give the reason for cancelling the number."))
        return redirect("web:document", pk=doc.pk)
    try:
        office.cancel(m, doc, form.cleaned_data["reason"])
    except office.Refused as exc:
        return _refused(request, exc, doc)
    messages.success(request, gettext("The number is recorded as cancelled."))
    return redirect("web:document", pk=doc.pk)


@require_POST
@member_required
def derive(request, m, pk):
    parent = _visible(m, pk)
    try:
        child = office.derive(m, parent, lang())
    except office.Refused as exc:
        return _refused(request, exc, parent)
    except core.CoreError as exc:
        messages.error(request, str(exc))
        return redirect("web:document", pk=parent.pk)
    messages.success(request, gettext("Your committee's plan is drafted; fill in the highlighted places."))
    return redirect("web:edit", pk=child.pk)


def _filename(doc: Document, ext: str) -> str:
    return f"{doc.type_id}-{doc.pk}.{ext}"


def _attachment(content: bytes, name: str, mime: str) -> HttpResponse:
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@member_required
def download(request, m, pk, fmt):
    if fmt not in ("yaml", "docx", "pdf"):
        raise Http404
    doc = _visible(m, pk)
    if fmt == "yaml":
        head = f"vanban web: document {doc.pk} of {doc.committee.slug}, status {doc.status}"
        body = core.to_yaml(doc.data, head).encode("utf-8")
        mime = "application/yaml; charset=utf-8"
    else:
        try:
            body = core.render_docx(
                doc.data, lang(), office.referenced_files(m, doc.data) if core.named_files(doc.data) else None
            )
            if fmt == "pdf":
                # the page cache: the same PDF as "Xem trang in" shows, converted once per text
                body = core.pdf_of(body, settings.DATA_DIR / "pages", lang(), settings.VANBAN_PDF_TIMEOUT)
        except core.CoreError as exc:
            messages.error(request, str(exc))
            return redirect("web:document", pk=doc.pk)
        mime = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    office.audit(request.user, m.committee, "download", doc, format=fmt)
    return _attachment(body, _filename(doc, fmt), mime)


@require_POST
@member_required
def import_yaml(request, m):
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("Choose a YAML file to import."))
        return redirect("web:documents")
    upload = form.cleaned_data["file"]
    name = Path(upload.name).name
    if Path(name).suffix.lower() not in (".yaml", ".yml"):
        messages.error(request, gettext("%(name)s: only .yaml or .yml files can be imported.") % {"name": name})
        return redirect("web:documents")
    if upload.size > settings.VANBAN_UPLOAD_MAX_BYTES:
        messages.error(
            request,
            gettext("%(name)s: the file is larger than %(limit)s bytes.")
            % {"name": name, "limit": settings.VANBAN_UPLOAD_MAX_BYTES},
        )
        return redirect("web:documents")
    checked = core.check_yaml(upload.read(), name, lang())
    if checked.errors:
        for p in checked.errors:
            messages.error(request, f"{name}:{p}")
        return redirect("web:documents")
    assert checked.data is not None  # no errors: the document was validated
    try:
        doc = office.create(m, checked.data, note=gettext("imported from %(name)s") % {"name": name})
    except office.Refused as exc:
        return _refused(request, exc)
    messages.success(request, gettext("Imported %(name)s.") % {"name": name})
    return redirect("web:edit", pk=doc.pk)


@require_GET
@member_required
def versions(request, m, pk):
    doc = _own(m, pk)
    return render(request, "web/versions.html", {"doc": doc, "versions": doc.versions.select_related("created_by")})


@require_GET
@member_required
def version(request, m, pk, n):
    doc = _own(m, pk)
    v = get_object_or_404(doc.versions, n=n)
    return render(request, "web/version.html", {"doc": doc, "v": v, "yaml": core.to_yaml(v.data)})


@require_GET
@member_required
def compare(request, m, pk):
    doc = _own(m, pk)
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        return HttpResponseBadRequest(gettext("Choose two versions to compare."))
    va, vb = get_object_or_404(doc.versions, n=a), get_object_or_404(doc.versions, n=b)
    lines = difflib.unified_diff(
        core.to_yaml(va.data).splitlines(), core.to_yaml(vb.data).splitlines(), f"v{a}", f"v{b}", lineterm="", n=2
    )
    diff = [{"text": line, "kind": "add" if line.startswith("+") else "del" if line.startswith("-") else "ctx"} for line in lines]
    return render(request, "web/compare.html", {"doc": doc, "a": va, "b": vb, "diff": diff})


@require_POST
@member_required
def restore(request, m, pk, n):
    doc = _own(m, pk)
    v = get_object_or_404(doc.versions, n=n)
    try:
        office.restore(m, doc, v)
    except office.Refused as exc:
        return _refused(request, exc, doc)
    messages.success(request, gettext("Version %(n)s restored as a new version.") % {"n": n})
    return redirect("web:versions", pk=doc.pk)


def _register_rows(m: Membership, year: int):
    return RegisterEntry.objects.filter(committee=m.committee, year=year).order_by("type_id", "number")


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None


@require_GET
@member_required
def register(request, m):
    year = _year(request)
    years = sorted(set(RegisterEntry.objects.filter(committee=m.committee).values_list("year", flat=True)) | {year})
    return render(request, "web/register.html", {"entries": _register_rows(m, year), "year": year, "years": years})


@require_GET
@member_required
def register_xlsx(request, m):
    from generator.io.excel import table_workbook

    year = _year(request)
    head = [
        gettext("No."),
        gettext("Symbol"),
        gettext("Date"),
        gettext("Subject"),
        gettext("Signer"),
        gettext("Recipients"),
        gettext("State"),
        gettext("Cancelled: reason"),
    ]
    rows = [
        [e.number, e.symbol, e.issued_on, e.subject, e.signer, e.recipients, e.get_state_display(), e.cancel_reason]
        for e in _register_rows(m, year)
    ]
    data = table_workbook(
        f"So van ban di {year}",
        f"{m.committee.name} — {gettext('Register of outgoing documents')} {year}",
        head,
        rows,
        [6, 16, 12, 60, 24, 50, 12, 30],
        date_columns=(3,),
    )
    office.audit(request.user, m.committee, "export-register", None, year=year)
    return _attachment(
        data, f"so-van-ban-di-{m.committee.slug}-{year}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@require_GET
@member_required
def audit_log(request, m):
    if m.role == Membership.Role.CAN_BO:
        raise PermissionDenied(gettext("The audit log is for the office and the leaders."))
    entries = AuditLog.objects.filter(committee=m.committee).select_related("user")[:500]
    return render(request, "web/audit.html", {"entries": entries})


def latest_version(doc: Document) -> int:
    return doc.versions.aggregate(n=Max("n"))["n"] or 0


def csrf_failure(request, reason=""):
    """Django's CSRF page, in the user's language and without its developer's details."""
    return render(
        request,
        "403.html",
        {"reason": gettext("The form has expired or was not sent from this site; reload the page and try again.")},
        status=403,
    )
