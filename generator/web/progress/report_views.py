"""The Báo cáo written from a collection's live data: generated from the submitted reports (what `vanban report`
writes), its prose (sections I–III) edited in the browser paragraph by paragraph, previewed and downloaded as PDF,
generated again after more submissions with the secretariat's edits kept (what changed is shown), then turned into
a document of the committee that goes through the office's approval and register like any other, and is locked.

``LiveReport.base`` is what was generated last, ``edited`` the secretariat's text: the three-way merge of
:func:`generator.services.livereport.regenerate` needs both."""

from __future__ import annotations

import copy
import json
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from generator.web import core, office
from generator.web.models import Document
from generator.web.progress.board_views import secretariat, units_of
from generator.web.progress.models import Collection, LiveReport, Submission
from generator.web.views import _preview_context, lang, member_required

_LETTERS = "abcdđeghiklmnopqrstuvxy"


def _roman(n: int) -> str:
    out = ""
    for v, s in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def _mark(level: int, i: int) -> str:
    return _roman(i) if level == 0 else str(i) if level == 1 else _LETTERS[(i - 1) % len(_LETTERS)]


def fields_of(sections: list[dict]) -> list[dict]:
    """Every paragraph and bullet of *sections*, in reading order, named by its dotted path in the report (the
    path the loader's messages give, so a problem lands beside its field)."""
    out: list[dict] = []

    def walk(items: list[dict], prefix: str, where: list[str], level: int) -> None:
        for i, s in enumerate(items):
            here = [*where, _mark(level, i + 1)]
            spot = ". ".join(here)
            out.append({"heading": True, "level": level, "title": f"{here[-1]}. {s.get('title', '')}", "where": spot})
            for j, p in enumerate(s.get("paragraphs") or []):
                out.append(
                    {
                        "name": f"{prefix}{i}.paragraphs.{j}",
                        "where": f"{spot}, " + gettext("paragraph %(n)s") % {"n": j + 1},
                        "value": p,
                        "level": level,
                    }
                )
            for j, b in enumerate(s.get("bullets") or []):
                out.append(
                    {
                        "name": f"{prefix}{i}.bullets.{j}",
                        "where": f"{spot}, " + gettext("bullet %(n)s") % {"n": j + 1},
                        "value": b,
                        "level": level,
                    }
                )
            walk(s.get("sections") or [], f"{prefix}{i}.sections.", here, level + 1)

    walk(sections, "sections.", [], 0)
    return out


def apply_post(report: dict, post) -> dict:
    """*report* with the text of every paragraph and bullet typed in *post*; an emptied one is left out."""
    out = copy.deepcopy(report)
    for f in fields_of(report.get("sections") or []):
        if "name" not in f or f["name"] not in post:
            continue
        node: list | dict = out
        parts = f["name"].split(".")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        assert isinstance(node, list)
        node[int(parts[-1])] = " ".join(post[f["name"]].split())  # one paragraph: its line breaks are spaces

    def drop_empty(items: list[dict]) -> None:
        for s in items:
            for key in ("paragraphs", "bullets"):
                if key in s:
                    s[key] = [t for t in s[key] if t]
            drop_empty(s.get("sections") or [])

    drop_empty(out.get("sections") or [])
    return out


def _live(col: Collection) -> LiveReport | None:
    return LiveReport.objects.filter(collection=col).select_related("document").first()


def _submitted(col: Collection) -> list[dict]:
    return [s.data for s in col.submissions.filter(state=Submission.State.SUBMITTED).order_by("committee__name")]


def _generate(col: Collection) -> dict:
    ref = core.progress_ref(units_of(col), col.figures)
    return core.live_report(
        col.plan.data,
        _submitted(col),
        core.period_id(col.period),
        col.as_of,
        ref,
        f"{col.plan.type_id}-{col.plan.pk}.yaml",
        lang(),
        col.deadline,  # the collection's deadline, as the board counts lateness, not the plan's
    )


def _generate_first(request, col: Collection):
    """Back to the report page, saying that there is no report to act on yet."""
    messages.error(request, gettext("Generate the report first."))
    return redirect("progress:live_report", pk=col.pk)


def _changes_key(col: Collection) -> str:
    return f"progress-report-changes-{col.pk}"


def _page(request, col, m, live, *, edited: dict | None = None, errors: dict | None = None, status: int = 200):
    data = edited if edited is not None else (live.edited if live else None)
    fields = fields_of((data or {}).get("sections") or [])
    for f in fields:
        f["errors"] = (errors or {}).get(f.get("name", ""), [])
    doc = live.document if live else None
    loaded = request.POST.get("loaded") if edited is not None else None
    return render(
        request,
        "progress/live_report.html",
        {
            "col": col,
            "live": live,
            "fields": fields,
            # the text the fields were made from: a save merges into a newer text rather than writing over it
            "loaded": loaded or json.dumps((data or {}).get("sections") or [], ensure_ascii=False),
            "other_errors": (errors or {}).get("", []),
            "doc": doc,
            "locked": doc is not None,
            "submitted": col.submissions.filter(state=Submission.State.SUBMITTED).count(),
            "changes": request.session.pop(_changes_key(col), None),
            "is_office": m.role == m.Role.VAN_PHONG,
            "is_leader": m.role == m.Role.LANH_DAO,
        },
        status=status,
    )


@member_required
def report(request, m, pk):
    """The report's page: its text to edit (POST saves it), or the button that generates it first."""
    col = secretariat(m, pk, office_only=request.method == "POST")
    live = _live(col)
    if request.method != "POST":
        return _page(request, col, m, live)
    with transaction.atomic():
        live = LiveReport.objects.select_for_update().filter(collection=col).first()
        if live is None or not live.edited:
            return _generate_first(request, col)
        if live.document_id:
            messages.error(request, gettext("The report has been turned into a document and can no longer be edited here."))
            return redirect("progress:live_report", pk=col.pk)
        return _save(request, col, m, live)


def _loaded(post, current: dict) -> dict:
    """The report as the page showed it when it was loaded (its sections travel in the form): the fields' names
    are places in *that* text."""
    try:
        sections = json.loads(post.get("loaded", ""))
    except ValueError:
        sections = None
    if not isinstance(sections, list):
        sections = current.get("sections") or []  # a form without it: the text now
    return {**current, "sections": sections}


def _save(request, col: Collection, m, live: LiveReport):
    current = live.edited
    loaded = _loaded(request.POST, current)
    edited = apply_post(loaded, request.POST)
    merged = 0
    if loaded["sections"] != current.get("sections"):
        # The text changed since the page was loaded (the figures were updated, or another clerk saved): the
        # typed edits are merged into it as an update merges the secretariat's edits, never written over it.
        try:
            edited, changes = core.live_regenerate(loaded, edited, current, lang())
        except ValueError:
            messages.error(request, gettext("The form has expired; reload the page and type your change again."))
            return redirect("progress:live_report", pk=col.pk)
        merged = len(changes)
    checked = core.check_data(edited, lang())
    if checked.errors:
        errors: dict[str, list[str]] = {}
        names = {f.get("name") for f in fields_of(edited.get("sections") or [])}
        for p in checked.errors:
            errors.setdefault(p.path if p.path in names else "", []).append(p.message if p.path in names else str(p))
        messages.error(request, gettext("Not saved: correct the fields marked below."))
        return _page(request, col, m, live, edited=edited, errors=errors, status=400)
    before = fields_of(current.get("sections") or [])
    after = {f.get("name"): f.get("value") for f in fields_of(edited.get("sections") or [])}
    changed = [f["where"] for f in before if "name" in f and after.get(f["name"]) != f["value"]]
    live.edited, live.updated_by = edited, request.user
    live.save()
    office.audit(request.user, m.committee, "progress-report-edit", col, changed=changed, merged_into_newer=bool(merged))
    if merged:
        messages.success(request, gettext("Saved: the report had changed since you opened it; your edits were merged into it."))
    else:
        messages.success(request, gettext("Saved."))
    return redirect("progress:live_report", pk=col.pk)


@require_POST
@member_required
def generate(request, m, pk):
    """ "Lập báo cáo": the report from the reports submitted so far; once made, "Cập nhật số liệu" updates it."""
    col = secretariat(m, pk, office_only=True)
    with transaction.atomic():
        live, _created = LiveReport.objects.select_for_update().get_or_create(collection=col)
        if live.edited:
            messages.error(request, gettext("The report exists already; update its figures instead."))
            return redirect("progress:live_report", pk=col.pk)
        try:
            fresh = _generate(col)
        except core.CoreError as exc:
            messages.error(request, str(exc))
            return redirect("progress:live_report", pk=col.pk)
        live.base, live.edited, live.updated_by = fresh, copy.deepcopy(fresh), request.user
        live.save()
        office.audit(request.user, m.committee, "progress-report-generate", col, submitted=len(_submitted(col)))
    messages.success(request, gettext("The report is written from %(n)s submitted report(s).") % {"n": len(_submitted(col))})
    return redirect("progress:live_report", pk=col.pk)


@require_POST
@member_required
def refresh(request, m, pk):
    """ "Cập nhật số liệu": generated again from the reports submitted now, the secretariat's edits kept."""
    col = secretariat(m, pk, office_only=True)
    with transaction.atomic():
        live = LiveReport.objects.select_for_update().filter(collection=col).first()
        if live is None or not live.edited:
            return _generate_first(request, col)
        if live.document_id:
            messages.error(request, gettext("The report has been turned into a document and can no longer be edited here."))
            return redirect("progress:live_report", pk=col.pk)
        try:
            fresh = _generate(col)
        except core.CoreError as exc:
            messages.error(request, str(exc))
            return redirect("progress:live_report", pk=col.pk)
        merged, changes = core.live_regenerate(live.base, live.edited, fresh, lang())
        live.base, live.edited, live.updated_by = fresh, merged, request.user
        live.save()
        listed = [{**asdict(c), "kept": c.kind in core.KEPT_CHANGES} for c in changes]
        office.audit(request.user, m.committee, "progress-report-refresh", col, submitted=len(_submitted(col)), changes=listed)
    request.session[_changes_key(col)] = listed
    messages.success(request, gettext("Figures updated: %(n)s change(s).") % {"n": len(listed)})
    return redirect("progress:live_report", pk=col.pk)


@require_GET
@member_required
def preview(request, m, pk):
    col = secretariat(m, pk)
    live = _live(col)
    if live is None or not live.edited:
        return _generate_first(request, col)
    data = live.document.data if live.document else live.edited
    ctx = _preview_context(data)
    ctx["col"] = col
    return render(request, "progress/report_preview.html", ctx)


@require_GET
@member_required
def pdf(request, m, pk):
    col = secretariat(m, pk)
    live = _live(col)
    if live is None or not live.edited:
        return _generate_first(request, col)
    data = live.document.data if live.document else live.edited
    try:
        body = core.pdf_of(core.render_docx(data, lang()), settings.DATA_DIR / "pages", lang(), settings.VANBAN_PDF_TIMEOUT)
    except core.CoreError as exc:
        messages.error(request, str(exc))
        return redirect("progress:live_report", pk=col.pk)
    office.audit(request.user, m.committee, "progress-report-pdf", col)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{col.pk}.pdf"'
    return response


@require_POST
@member_required
def submit(request, m, pk):
    """The edited report becomes a draft document of the committee (for the leader to approve); locked here."""
    col = secretariat(m, pk, office_only=True)
    with transaction.atomic():
        live = LiveReport.objects.select_for_update().filter(collection=col).first()
        if live is None or not live.edited:
            return _generate_first(request, col)
        if live.document_id:
            return redirect("progress:live_report", pk=col.pk)
        checked = core.check_data(live.edited, lang())
        if checked.errors:
            for p in checked.errors:
                messages.error(request, str(p))
            return redirect("progress:live_report", pk=col.pk)
        try:
            doc = office.create(m, live.edited, note=gettext("report of collection %(id)s") % {"id": col.pk})
        except office.Refused as exc:
            messages.error(request, str(exc))
            return redirect("progress:live_report", pk=col.pk)
        live.document = doc
        live.save(update_fields=["document", "updated_at"])
        office.audit(request.user, m.committee, "progress-report-submit", col, document=doc.pk)
    messages.success(request, gettext("Sent for approval: a leader approves it, then the office issues it."))
    return redirect("progress:live_report", pk=col.pk)


@require_POST
@member_required
def withdraw(request, m, pk):
    """Rút lại để sửa: the report sent for approval comes back here to be edited, while no leader has approved it
    (an approved or issued one is the committee's decision: it stays). Its text as it is now — with any change the
    office made to the document meanwhile — becomes the secretariat's text again; the draft document, never
    approved nor numbered, is deleted with its versions (the audit keeps its id and text), so that no stray draft of
    the report is left to approve."""
    col = secretariat(m, pk, office_only=True)
    with transaction.atomic():
        live = LiveReport.objects.select_for_update().filter(collection=col).first()
        doc = live.document if live is not None else None
        if live is None or doc is None:
            messages.error(request, gettext("The report has not been sent for approval."))
            return redirect("progress:live_report", pk=col.pk)
        doc = Document.objects.select_for_update().get(pk=doc.pk)
        if doc.status != Document.Status.DRAFT:
            messages.error(request, gettext("Only a report not yet approved can be taken back."))
            return redirect("progress:live_report", pk=col.pk)
        text, deleted = doc.data, True
        live.edited = text
        live.document = None
        live.save(update_fields=["edited", "document", "updated_at"])
        try:
            with transaction.atomic():
                Document.objects.filter(pk=doc.pk).delete()
        except ProtectedError:  # something came to depend on the draft: it stays, unlinked from the report
            deleted = False
        office.audit(request.user, m.committee, "progress-report-withdraw", col, document=doc.pk, deleted=deleted, text=text)
    messages.success(request, gettext("Taken back: the report can be edited again, then sent for approval again."))
    return redirect("progress:live_report", pk=col.pk)


def _report_doc(request, m, pk, *, office_only: bool = False) -> tuple[Collection, Document | None]:
    col = secretariat(m, pk, office_only=office_only)
    live = _live(col)
    return col, live.document if live else None


@require_POST
@member_required
def approve(request, m, pk):
    col, doc = _report_doc(request, m, pk)
    if doc is None:
        messages.error(request, gettext("Send the report for approval first."))
        return redirect("progress:live_report", pk=col.pk)
    try:
        office.approve(m, doc, lang())
    except office.Refused as exc:
        messages.error(request, str(exc))
        return redirect("progress:live_report", pk=col.pk)
    messages.success(request, gettext("Approved."))
    return redirect("progress:live_report", pk=col.pk)


@require_POST
@member_required
def issue(request, m, pk):
    col, doc = _report_doc(request, m, pk, office_only=True)
    if doc is None:
        messages.error(request, gettext("Send the report for approval first."))
        return redirect("progress:live_report", pk=col.pk)
    try:
        entry = office.issue(m, doc)
    except office.Refused as exc:
        messages.error(request, str(exc))
        return redirect("progress:live_report", pk=col.pk)
    messages.success(request, gettext("Issued as %(symbol)s.") % {"symbol": entry.symbol})
    return redirect("progress:live_report", pk=col.pk)


#: Added to the progress app's urls.py (its app_name is "progress").
urls = [
    path("<int:pk>/live-report/", report, name="live_report"),
    path("<int:pk>/live-report/generate/", generate, name="live_report_generate"),
    path("<int:pk>/live-report/refresh/", refresh, name="live_report_refresh"),
    path("<int:pk>/live-report/preview/", preview, name="live_report_preview"),
    path("<int:pk>/live-report/pdf/", pdf, name="live_report_pdf"),
    path("<int:pk>/live-report/submit/", submit, name="live_report_submit"),
    path("<int:pk>/live-report/approve/", approve, name="live_report_approve"),
    path("<int:pk>/live-report/issue/", issue, name="live_report_issue"),
    path("<int:pk>/live-report/withdraw/", withdraw, name="live_report_withdraw"),
]
