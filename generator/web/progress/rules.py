"""The rules of progress collections, apart from HTTP: who may open, see, fill, submit and reopen what;
every change is written to the office's audit log. Views call these; tests call them directly too.

A submission's ``data`` holds, while it is a draft, what was typed (``{unit, reported, tasks: [{task,
status, done, figures: {id: typed text}}]}``); once submitted, the validated :class:`Progress` as JSON
(figures as whole numbers), exactly what `vanban report` reads from a YAML file."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from generator.web import core
from generator.web.models import Committee, Document, Membership
from generator.web.office import Refused, audit
from generator.web.progress.models import Attachment, Collection, Submission


def plan_name(plan: Document) -> str:
    """How messages name the plan: its symbol (``09-KH/ĐUB``), as the CLI names the plan's file."""
    return plan.symbol if plan.number else f"{plan.type_id}-{plan.pk}"


def is_secretariat(m: Membership, collection: Collection) -> bool:
    """The owner committee's office (it opens, follows and reopens) or its leaders (they follow)."""
    return m.committee_id == collection.owner_id and m.role in (Membership.Role.VAN_PHONG, Membership.Role.LANH_DAO)


def can_open(m: Membership, plan: Document) -> bool:
    return (
        m.committee_id == plan.committee_id
        and m.can_issue()
        and plan.status == Document.Status.ISSUED
        and plan.type_id == "ke-hoach"
    )


def plan_figures(plan: Document) -> list[dict]:
    """The figures a new collection asks for: the plan's own when it lists some, else data/figures.yaml's."""
    own = plan.data.get("figures") if isinstance(plan.data, dict) else None
    if own:
        return [{"id": f["id"], "label": f["label"], "unit": f.get("unit") or ""} for f in own]
    return core.default_figures()


def open_collection(m: Membership, plan: Document, **fields) -> Collection:
    if not can_open(m, plan):
        raise Refused(gettext("Only the office of the committee that issued the plan can open a collection on it."))
    c = Collection.objects.create(plan=plan, owner=m.committee, created_by=m.user, **fields)
    audit(m.user, m.committee, "progress-open", c, plan=plan.pk, title=c.title, deadline=c.deadline.isoformat())
    return c


def set_state(m: Membership, collection: Collection, state: str) -> Collection:
    """Close a collection (no more drafts, uploads or submissions) or open it again: the owner's office only."""
    if not (m.committee_id == collection.owner_id and m.can_issue()):
        raise Refused(gettext("Only the office of the committee that opened the collection can close or reopen it."))
    with transaction.atomic():
        collection = Collection.objects.select_for_update().get(pk=collection.pk)
        if collection.state != state:
            collection.state = state
            collection.save(update_fields=["state"])
            audit(
                m.user,
                m.committee,
                f"progress-{'close' if state == Collection.State.CLOSED else 'reopen-collection'}",
                collection,
            )
    return collection


def reporting_committees(collection: Collection) -> list[Committee]:
    """Every committee that reports on the collection's plan (its tasks name it), the owner excepted."""
    others = list(Committee.objects.exclude(pk=collection.owner_id).order_by("name"))
    return core.reporting_committees(collection.plan.data, others)


def tasks_for(collection: Collection, committee: Committee) -> list[dict]:
    if committee.pk == collection.owner_id:
        return []
    return core.reporting_tasks(collection.plan.data, committee)


def inbox(m: Membership) -> list[dict]:
    """The open collections the member's committee reports in, with its tasks and its submission."""
    out = []
    for c in Collection.objects.filter(state=Collection.State.OPEN).select_related("plan", "owner"):
        tasks = tasks_for(c, m.committee)
        if tasks:
            sub = Submission.objects.filter(collection=c, committee=m.committee).first()
            out.append({"collection": c, "tasks": tasks, "submission": sub})
    return out


def reporter_collection(m: Membership, pk: int) -> tuple[Collection, list[dict]]:
    """The collection if the member's committee reports in it; Collection.DoesNotExist otherwise (a 404)."""
    c = Collection.objects.select_related("plan", "owner").get(pk=pk)
    tasks = tasks_for(c, m.committee)
    if not tasks:
        raise Collection.DoesNotExist
    return c, tasks


def submission_of(m: Membership, collection: Collection) -> Submission:
    """The committee's submission in *collection*, created once: a second request racing this one gets the same row."""
    try:
        sub, _created = Submission.objects.get_or_create(collection=collection, committee=m.committee)
    except IntegrityError:  # created meanwhile by another request (PostgreSQL reports the race this way)
        sub = Submission.objects.get(collection=collection, committee=m.committee)
    return sub


def _writable(m: Membership, collection: Collection) -> Submission:
    """The committee's submission, locked for this transaction, if the member may still change it."""
    if not m.can_draft():
        raise Refused(gettext("Your role cannot fill in the committee's report; ask the office."))
    if collection.state != Collection.State.OPEN:
        raise Refused(gettext("This collection is closed."))
    submission_of(m, collection)
    sub = Submission.objects.select_for_update().get(collection=collection, committee=m.committee)
    if sub.locked:
        raise Refused(gettext("The report has been submitted and can no longer be changed; the secretariat can reopen it."))
    return sub


def save_draft(m: Membership, collection: Collection, data: dict, *, excel_name: str | None = None) -> Submission:
    with transaction.atomic():
        sub = _writable(m, collection)
        sub.data = data
        if excel_name is not None:
            sub.excel_name = excel_name
        sub.save()
        details = {"excel": excel_name} if excel_name else {}
        audit(m.user, m.committee, "progress-upload" if excel_name else "progress-save", sub, **details)
    return sub


def submit(m: Membership, collection: Collection, typed: dict, checked: dict) -> Submission:
    """Store the validated report (*checked*, a Progress as JSON) as submitted; *typed* is what the form held."""
    with transaction.atomic():
        sub = _writable(m, collection)
        sub.data = checked
        sub.state = Submission.State.SUBMITTED
        sub.submitted_at, sub.submitted_by = timezone.now(), m.user
        sub.save()
        audit(m.user, m.committee, "progress-submit", sub, tasks=len(checked.get("tasks") or []))
    return sub


def reopen(m: Membership, sub: Submission, reason: str) -> Submission:
    reason = reason.strip()
    if not (m.committee_id == sub.collection.owner_id and m.can_issue()):
        raise Refused(gettext("Only the secretariat's office can reopen a submitted report."))
    if not reason:
        raise Refused(gettext("Give the reason for reopening the report."))
    with transaction.atomic():
        sub = Submission.objects.select_for_update().get(pk=sub.pk)
        if sub.state != Submission.State.SUBMITTED:
            raise Refused(gettext("Only a submitted report can be reopened."))
        sub.state, sub.reopen_reason = Submission.State.REOPENED, reason
        sub.save()
        audit(m.user, m.committee, "progress-reopen", sub, unit=sub.committee.slug, reason=reason)
    return sub


def visible_submission(m: Membership, pk: int) -> Submission:
    """A submission the member may see: its own committee's, or one in a collection its committee runs."""
    sub = Submission.objects.select_related("collection", "committee", "collection__plan").get(pk=pk)
    if sub.committee_id == m.committee_id or is_secretariat(m, sub.collection):
        return sub
    raise Submission.DoesNotExist


def attachment_problem(name: str, size: int) -> str | None:
    """Why an uploaded file cannot be attached (type or size), or None."""
    if Path(name).suffix.lower() not in settings.VANBAN_ATTACHMENT_TYPES:
        return gettext("%(name)s: only these kinds of files can be attached: %(types)s") % {
            "name": name,
            "types": ", ".join(settings.VANBAN_ATTACHMENT_TYPES),
        }
    if size > settings.VANBAN_ATTACHMENT_MAX_BYTES:
        return gettext("%(name)s: the file is larger than %(limit)s MB.") % {
            "name": name,
            "limit": settings.VANBAN_ATTACHMENT_MAX_BYTES // (1024 * 1024),
        }
    if size == 0:
        return gettext("%(name)s: the file is empty.") % {"name": name}
    return None


def attach(m: Membership, collection: Collection, upload) -> Attachment:
    name = Path(upload.name).name
    problem = attachment_problem(name, upload.size)
    if problem:
        raise Refused(problem)
    with transaction.atomic():
        sub = _writable(m, collection)
        att = Attachment(submission=sub, original_name=name, size=upload.size, uploaded_by=m.user)
        att.file.save(name, upload, save=False)
        att.save()
        audit(m.user, m.committee, "progress-attach", att, submission=sub.pk, name=name, size=upload.size)
    return att


def visible_attachment(m: Membership, pk: int) -> Attachment:
    att = Attachment.objects.select_related("submission__collection").get(pk=pk)
    visible_submission(m, att.submission_id)
    return att


def remove_attachment(m: Membership, att: Attachment) -> None:
    with transaction.atomic():
        sub = _writable(m, att.submission.collection)
        if att.submission_id != sub.pk:
            raise Refused(gettext("This file belongs to another committee's report."))
        name = att.original_name
        att.file.delete(save=False)
        att.delete()
        audit(m.user, m.committee, "progress-detach", sub, name=name)


def late(sub: Submission | None, collection: Collection, today: _dt.date | None = None) -> bool:
    """Not submitted and the deadline has passed, or submitted after it."""
    today = today or timezone.localdate()
    if sub is not None and sub.state == Submission.State.SUBMITTED and sub.submitted_at:
        return timezone.localdate(sub.submitted_at) > collection.deadline
    return today > collection.deadline
