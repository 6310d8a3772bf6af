"""HTTP for progress collections. Rules live in :mod:`generator.web.progress.rules`, the core behind
:mod:`generator.web.core`. Ids of another committee's collection, submission or file answer 404."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from generator.web import core
from generator.web.models import Document
from generator.web.office import Refused
from generator.web.progress import forms, rules
from generator.web.progress.models import Attachment, Collection, Submission
from generator.web.views import lang, member_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _or_404(fn, *args):
    try:
        return fn(*args)
    except (Collection.DoesNotExist, Submission.DoesNotExist, Attachment.DoesNotExist):
        raise Http404 from None


@require_GET
@member_required
def index(request, m):
    owned = Collection.objects.filter(owner=m.committee).select_related("plan") if m.role != "can-bo" else []
    plans = (
        Document.objects.filter(committee=m.committee, status=Document.Status.ISSUED, type_id="ke-hoach").order_by("-issued_on")
        if m.can_issue()
        else []
    )
    return render(request, "progress/index.html", {"inbox": rules.inbox(m), "owned": owned, "plans": plans})


@member_required
def open_collection(request, m, plan):
    doc = get_object_or_404(Document, pk=plan, committee=m.committee)
    if not rules.can_open(m, doc):
        raise PermissionDenied(gettext("Only the office of the committee that issued the plan can open a collection on it."))
    figure_rows = [dict(f, errors=[]) for f in rules.plan_figures(doc)]
    errors: list[str] = []
    if request.method == "POST":
        form = forms.CollectionForm(request.POST)
        figure_rows, figures, errors = forms.read_figures(request.POST)
        if form.is_valid() and not errors:
            c = rules.open_collection(m, doc, figures=figures, **form.cleaned_data)
            messages.success(request, gettext("The collection is open; the units concerned see it in their inbox."))
            return redirect("progress:collection", pk=c.pk)
        messages.error(request, gettext("Not opened: correct the fields marked below."))
    else:
        today = timezone.localdate()
        form = forms.CollectionForm(initial={"title": doc.title, "as_of": today, "period": Collection.Period.SO_KET_6_THANG})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "progress/open.html",
        {"plan": doc, "form": form, "figure_rows": figure_rows, "figure_errors": errors},
        status=status,
    )


@require_GET
@member_required
def collection(request, m, pk):
    c = get_object_or_404(Collection.objects.select_related("plan", "owner"), pk=pk)
    if not rules.is_secretariat(m, c):
        _or_404(rules.reporter_collection, m, pk)  # 404 unless the committee reports in it
        return redirect("progress:report", pk=pk)
    subs = {s.committee_id: s for s in c.submissions.all()}
    units = []
    for committee in rules.reporting_committees(c):
        sub = subs.get(committee.pk)
        units.append({"committee": committee, "submission": sub, "late": rules.late(sub, c)})
    return render(request, "progress/collection.html", {"c": c, "units": units})


def _problem_place(path: str, report: forms.Report) -> tuple[int | None, str]:
    """``tasks.3.figures.so-buoi`` → (3, "figure-so-buoi"): where a check's problem is shown."""
    parts = path.split(".")
    if len(parts) >= 3 and parts[0] == "tasks" and parts[1].isdigit() and int(parts[1]) < len(report.rows):
        i, name = int(parts[1]), parts[2]
        if name == "figures" and len(parts) > 3:
            return i, f"figure-{parts[3]}"
        if name in ("status", "done"):
            return i, name
        return i, "status"
    return None, ""


def _report_page(request, m, c, tasks, sub, report: forms.Report | None = None, warnings=(), status=200):
    figures = c.figures or []
    rows = report.rows if report else forms.rows_from(tasks, sub.data if sub else None, figures)
    errors = report.errors if report else {}
    for i, r in enumerate(rows):
        r["errors"] = {name: errors.get((i, name), []) for name in ["status", "done"] + [f"figure-{f['id']}" for f in figures]}
        r["has_errors"] = any(r["errors"].values())
        r["figure_cells"] = [
            {
                "id": f["id"],
                "label": f["label"],
                "unit": f["unit"],
                "value": r["figures"].get(f["id"], ""),
                "errors": r["errors"][f"figure-{f['id']}"],
            }
            for f in figures
        ]
    # the tasks to correct, listed at the top with a link to each (a long form is not scrolled blind)
    to_correct = [
        {"task": r["task"], "message": next(e for es in r["errors"].values() for e in es)} for r in rows if r["has_errors"]
    ]
    editable = m.can_draft() and c.state == Collection.State.OPEN and not (sub and sub.locked)
    return render(
        request,
        "progress/report.html",
        {
            "c": c,
            "sub": sub,
            "rows": rows,
            "figures": figures,
            "statuses": core.status_choices(),
            "form_errors": report.form_errors if report else [],
            "to_correct": to_correct,
            "warnings": warnings,
            "editable": editable,
            "attachments": sub.attachments.all() if sub else [],
            "max_mb": settings.VANBAN_ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "types": ", ".join(settings.VANBAN_ATTACHMENT_TYPES),
        },
        status=status,
    )


@member_required
def report(request, m, pk):
    c, tasks = _or_404(rules.reporter_collection, m, pk)
    sub = Submission.objects.filter(collection=c, committee=m.committee).first()
    if request.method != "POST":
        return _report_page(request, m, c, tasks, sub)
    typed = forms.read_report(request.POST, tasks, c.figures or [])
    action = request.POST.get("action", "save")
    try:
        if action != "submit":
            sub = rules.save_draft(m, c, typed.draft(m.committee.slug))
            if request.headers.get("X-Requested-With") == "fetch":  # the page's autosave
                return JsonResponse({"saved": timezone.localtime(sub.updated_at).strftime("%H:%M:%S")})
            messages.success(request, gettext("Draft saved."))
            return redirect("progress:report", pk=c.pk)
        # submitting saves what was typed first: an error below never loses it
        sub = rules.save_draft(m, c, typed.draft(m.committee.slug))
    except Refused as exc:
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"error": str(exc)}, status=409)
        messages.error(request, str(exc))
        return redirect("progress:report", pk=c.pk)
    statuses = {sid for sid, _label in core.status_choices()}
    progress_tasks = forms.complete(typed, c.figures or [], statuses)
    warnings = []
    if not typed.errors:
        payload = {"unit": m.committee.slug, "reported": timezone.localdate().isoformat(), "tasks": progress_tasks}
        checked = core.check_progress(payload, c.plan.data, rules.plan_name(c.plan), m.committee, c.figures or [], lang())
        for p in checked.errors:
            i, name = _problem_place(p.path, typed)
            typed.add(i, name, p.message)
        warnings = [str(p) for p in checked.warnings]
        if checked.data is not None and not typed.errors and not typed.form_errors:
            try:
                rules.submit(m, c, typed.draft(m.committee.slug), checked.data)
            except Refused as exc:
                messages.error(request, str(exc))
                return redirect("progress:report", pk=c.pk)
            messages.success(request, gettext("Report submitted to %(owner)s.") % {"owner": c.owner.name})
            for w in warnings:
                messages.warning(request, w)
            return redirect("progress:report", pk=c.pk)
    messages.error(request, gettext("Not submitted (your typing is saved as a draft): correct the fields marked below."))
    return _report_page(request, m, c, tasks, sub, typed, warnings, status=400)


@require_GET
@member_required
def form_xlsx(request, m, pk):
    c, _tasks = _or_404(rules.reporter_collection, m, pk)
    body = core.progress_form(c.plan.data, m.committee, c.figures or [], lang())
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tien-do-{m.committee.slug}-{c.pk}.xlsx"'
    return response


@member_required
def upload(request, m, pk):
    c, _tasks = _or_404(rules.reporter_collection, m, pk)
    sub = Submission.objects.filter(collection=c, committee=m.committee).first()
    if (sub and sub.locked) or c.state != Collection.State.OPEN or not m.can_draft():
        messages.error(
            request,
            gettext("This collection is closed.")
            if c.state != Collection.State.OPEN
            else gettext("Your role cannot fill in the committee's report; ask the office.")
            if not m.can_draft()
            else gettext("The report has been submitted and can no longer be changed; the secretariat can reopen it."),
        )
        return redirect("progress:report", pk=c.pk)
    if request.method != "POST":
        return render(request, "progress/upload.html", {"c": c, "sub": sub})
    f = request.FILES.get("file")
    ctx = {"c": c, "sub": sub, "name": Path(f.name).name if f else ""}
    if f is None:
        ctx["refused"] = gettext("Choose the filled Excel form (.xlsx) to upload.")
        return render(request, "progress/upload.html", ctx, status=400)
    name = ctx["name"]
    if Path(name).suffix.lower() != ".xlsx" or f.size > settings.VANBAN_UPLOAD_MAX_BYTES * 20:
        ctx["refused"] = gettext("%(name)s: upload the Excel form (.xlsx) downloaded from this page.") % {"name": name}
        return render(request, "progress/upload.html", ctx, status=400)
    raw = f.read()
    if not zipfile.is_zipfile(io.BytesIO(raw)):  # the reader's own message would end with Python's English
        ctx["refused"] = gettext("%(name)s is not an Excel workbook (.xlsx): open it in Excel and save it as .xlsx.") % {
            "name": name
        }
        return render(request, "progress/upload.html", ctx, status=400)
    checked = core.read_progress_form(raw, c.plan.data, rules.plan_name(c.plan), m.committee, c.figures or [], lang())
    if checked.data is not None and checked.data.get("unit") != m.committee.slug:
        checked.errors.append(core.Problem("Tiến độ!B3", gettext("This form is another unit's; download your own.")))
    ctx["errors"], ctx["warnings"] = checked.errors, checked.warnings
    if checked.errors:
        rules.audit(m.user, m.committee, "progress-upload-refused", sub, excel=name, problems=len(checked.errors))
        return render(request, "progress/upload.html", ctx, status=400)
    assert checked.data is not None
    draft = {
        "unit": m.committee.slug,
        "reported": checked.data["reported"],
        "tasks": [
            {"task": t["task"], "status": t["status"], "done": t.get("done") or "", "figures": t.get("figures") or {}}
            for t in checked.data["tasks"]
        ],
    }
    try:
        rules.save_draft(m, c, draft, excel_name=name)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("progress:report", pk=c.pk)
    messages.success(request, gettext("%(name)s was read: review the report below, then submit it.") % {"name": name})
    for w in checked.warnings:
        messages.warning(request, f"{w.path}: {w.message}")
    return redirect("progress:report", pk=c.pk)


@require_POST
@member_required
def attach(request, m, pk):
    c, _tasks = _or_404(rules.reporter_collection, m, pk)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, gettext("Choose a file to attach."))
    else:
        try:
            att = rules.attach(m, c, f)
            messages.success(request, gettext("%(name)s attached.") % {"name": att.original_name})
        except Refused as exc:
            messages.error(request, str(exc))
    return redirect(reverse("progress:report", kwargs={"pk": c.pk}) + "#attachments")


@require_GET
@member_required
def attachment(request, m, pk):
    att = _or_404(rules.visible_attachment, m, pk)
    rules.audit(request.user, m.committee, "progress-download-attachment", att, name=att.original_name)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name)


@require_POST
@member_required
def detach(request, m, pk):
    att = _or_404(rules.visible_attachment, m, pk)
    if att.submission.committee_id != m.committee_id:
        raise Http404
    pk_c = att.submission.collection_id
    try:
        rules.remove_attachment(m, att)
        messages.success(request, gettext("File removed."))
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("progress:report", pk=pk_c)


@require_GET
@member_required
def submission(request, m, pk):
    sub = _or_404(rules.visible_submission, m, pk)
    c = sub.collection
    figures = c.figures or []
    tasks = rules.tasks_for(c, sub.committee)
    rows = forms.rows_from(tasks, sub.data, figures)
    labels = dict(core.status_choices())
    for r in rows:
        r["status_label"] = labels.get(r["status"], "")
        r["figure_values"] = [r["figures"].get(f["id"], "") for f in figures]
    return render(
        request,
        "progress/submission.html",
        {
            "c": c,
            "sub": sub,
            "rows": rows,
            "figures": figures,
            "can_reopen": m.committee_id == c.owner_id and m.can_issue() and sub.state == Submission.State.SUBMITTED,
        },
    )


@require_POST
@member_required
def reopen(request, m, pk):
    sub = _or_404(rules.visible_submission, m, pk)
    try:
        rules.reopen(m, sub, request.POST.get("reason", ""))
        messages.success(request, gettext("The report is reopened; the unit can correct it and submit it again."))
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("progress:submission", pk=sub.pk)


@require_POST
@member_required
def collection_state(request, m, pk):
    c = get_object_or_404(Collection, pk=pk, owner=m.committee)
    state = "closed" if request.POST.get("state") == "closed" else "open"
    try:
        rules.set_state(m, c, state)
        messages.success(
            request, gettext("The collection is closed.") if state == "closed" else gettext("The collection is open again.")
        )
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("progress:collection", pk=c.pk)
