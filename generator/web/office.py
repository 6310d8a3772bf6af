"""The office's rules, apart from HTTP: who may do what, versions, approving, the numbering register,
sending plans down, the audit log. Views call these; the tests call them directly too."""

from __future__ import annotations

import datetime as _dt
import re

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from generator.web import core
from generator.web.models import (
    AuditLog,
    Committee,
    Document,
    DocumentVersion,
    Membership,
    ReceivedFile,
    RegisterCounter,
    RegisterEntry,
)


class Refused(Exception):
    """The action is not allowed now (the message says why, for the user)."""


#: What each action of the audit log is called on its page (the log stores the code).
ACTION_LABELS = {
    "approve": gettext_lazy("approved"),
    "cancel": gettext_lazy("number cancelled"),
    "create": gettext_lazy("created"),
    "download": gettext_lazy("downloaded"),
    "download-original": gettext_lazy("original file downloaded"),
    "edit": gettext_lazy("edited"),
    "export-register": gettext_lazy("register exported to Excel"),
    "issue": gettext_lazy("issued"),
    "print-register": gettext_lazy("register printed"),
    "receive": gettext_lazy("received file saved"),
    "upload": gettext_lazy("file uploaded"),
    "progress-open": gettext_lazy("collection opened"),
    "progress-save": gettext_lazy("progress draft saved"),
    "progress-submit": gettext_lazy("progress submitted"),
    "progress-reopen": gettext_lazy("progress reopened"),
    "progress-upload": gettext_lazy("Excel form uploaded"),
    "progress-upload-refused": gettext_lazy("Excel form refused"),
    "progress-attach": gettext_lazy("file attached"),
    "progress-detach": gettext_lazy("attachment removed"),
    "progress-download-attachment": gettext_lazy("attachment downloaded"),
    "progress-board": gettext_lazy("board viewed"),
    "progress-board-export": gettext_lazy("board exported to Excel"),
    "progress-view-submission": gettext_lazy("unit's report viewed"),
    "progress-remind": gettext_lazy("reminders sent"),
    "progress-remind-failed": gettext_lazy("reminders not sent"),
    "progress-report-generate": gettext_lazy("report generated"),
    "progress-report-refresh": gettext_lazy("report figures updated"),
    "progress-report-edit": gettext_lazy("report edited"),
    "progress-report-pdf": gettext_lazy("report PDF downloaded"),
    "progress-report-submit": gettext_lazy("report sent for approval"),
    "progress-report-withdraw": gettext_lazy("report taken back"),
}


def audit(user, committee, action: str, obj=None, **details) -> None:
    AuditLog.objects.create(
        user=user if user and user.is_authenticated else None,
        committee=committee,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details,
    )


def visible(m: Membership):
    """Documents the member's committee drafted, received, or that implement its own plans."""
    c = m.committee
    return Document.objects.filter(
        Q(committee=c)
        | Q(recipients=c, status=Document.Status.ISSUED)
        | Q(parent__committee=c, status__in=[Document.Status.ISSUED, Document.Status.CANCELLED])
    ).distinct()


def referenced_files(m: Membership, data: dict, depth: int = 3) -> dict[str, str]:
    """The documents *data* names by the web's file names (``van-ban-12.yaml``: a Bản sao's original, a Quyết định's
    attachment) as YAML, those the member's committee may see only; a name of anything else is left to the loader,
    which then says that there is no such file."""
    files: dict[str, str] = {}
    todo = [data]
    while todo and depth > 0:
        depth -= 1
        found = []
        for d in todo:
            for name in core.named_files(d):
                m_ = _FILE.fullmatch(name)
                if m_ is None or name in files:
                    continue
                doc = visible(m).filter(pk=int(m_.group(1))).first()
                if doc is not None:
                    files[name] = core.to_yaml(doc.data)
                    found.append(doc.data)
        todo = found
    return files


def file_name(doc: Document) -> str:
    """The name by which a document of the web names another (``original: van-ban-12.yaml``)."""
    return f"van-ban-{doc.pk}.yaml"


_FILE = re.compile(r"van-ban-(\d{1,9})\.yaml")


def drafted_by(c: Committee):
    """The committee's own documents, latest change first (the list page)."""
    return Document.objects.filter(committee=c).order_by("-updated_at")


def inbox(c: Committee):
    """Documents issued to the committee, newest first, with their issuing committee read in the same query (the
    list prints its name on each row)."""
    return (
        Document.objects.filter(recipients=c, status=Document.Status.ISSUED)
        .select_related("committee")
        .order_by("-issued_on", "-pk")
    )


def save_version(doc: Document, user, note: str = "") -> DocumentVersion:
    last = doc.versions.aggregate(n=Max("n"))["n"] or 0
    return DocumentVersion.objects.create(document=doc, n=last + 1, data=doc.data, created_by=user, note=note)


def create(m: Membership, data: dict, *, parent: Document | None = None, note: str = "") -> Document:
    if not m.can_draft():
        raise Refused(gettext("Your role cannot draft documents."))
    with transaction.atomic():
        doc = Document.objects.create(
            committee=m.committee, type_id=data.get("type", "ke-hoach"), data=data, parent=parent, created_by=m.user
        )
        save_version(doc, m.user, note)
        audit(m.user, m.committee, "create", doc, note=note)
    return doc


def update(m: Membership, doc: Document, data: dict, note: str = "") -> Document:
    if doc.committee_id != m.committee_id or not m.can_draft():
        raise Refused(gettext("Only the drafting committee's office or officers can edit this document."))
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=doc.pk)
        if doc.locked:
            raise Refused(
                gettext(
                    "This document has been issued (or cancelled) and cannot be edited; "
                    "a change needs a new document or an amendment."
                )
            )
        doc.data = data
        doc.type_id = data.get("type", doc.type_id)
        was_approved = doc.status == Document.Status.APPROVED
        if doc.status != Document.Status.RECEIVED:  # a received document stays received when the clerk corrects it
            doc.status = Document.Status.DRAFT  # a changed text must be approved again
        doc.save()
        save_version(doc, m.user, note)
        audit(m.user, m.committee, "edit", doc, note=note, approval_withdrawn=was_approved)
    return doc


def approve(m: Membership, doc: Document, lang: str) -> None:
    if doc.committee_id != m.committee_id or not m.can_approve():
        raise Refused(gettext("Only a leader of the drafting committee can approve."))
    if doc.status != Document.Status.DRAFT:
        raise Refused(gettext("Only a draft can be approved."))
    checked = core.check_data(doc.data, lang, referenced_files(m, doc.data) if core.named_files(doc.data) else None)
    if checked.errors:
        raise Refused(gettext("The document has errors; correct them first."))
    if checked.todos:
        raise Refused(gettext("Places marked [[…]] are still to be filled in."))
    doc.status = Document.Status.APPROVED
    doc.save(update_fields=["status", "updated_at"])
    audit(m.user, m.committee, "approve", doc)


def next_number(committee: Committee, type_id: str, year: int) -> int:
    """The next number of the register; call inside a transaction: the counter row stays locked until it ends."""
    counter, _created = RegisterCounter.objects.get_or_create(committee=committee, type_id=type_id, year=year)
    RegisterCounter.objects.select_for_update().filter(pk=counter.pk).update(last=F("last") + 1)
    return RegisterCounter.objects.get(pk=counter.pk).last


def issue(m: Membership, doc: Document, *, on: _dt.date | None = None) -> RegisterEntry:
    """Take the next number, write number and date into the document, lock it, send it to its recipients."""
    if doc.committee_id != m.committee_id or not m.can_issue():
        raise Refused(gettext("Only the drafting committee's office can issue."))
    on = on or timezone.localdate()
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=doc.pk)
        if doc.status != Document.Status.APPROVED:
            raise Refused(gettext("Only an approved document can be issued."))
        number = next_number(doc.committee, doc.type_id, on.year)
        doc.data = core.issued(doc.data, number, on)
        doc.number, doc.issued_on, doc.status = number, on, Document.Status.ISSUED
        doc.save()
        save_version(doc, m.user, gettext("issued as no. %(number)s") % {"number": number})
        data = doc.data
        entry = RegisterEntry.objects.create(
            committee=doc.committee,
            type_id=doc.type_id,
            year=on.year,
            number=number,
            symbol=core.symbol(number, doc.type_id, data["header"]["issuer_code"]),
            issued_on=on,
            subject=doc.title,
            signer=(data.get("signoff") or {}).get("name") or "",
            recipients="; ".join(r["to"] if isinstance(r, dict) else str(r) for r in data.get("recipients") or []),
            document=doc,
            issued_by=m.user,
        )
        others = list(Committee.objects.exclude(pk=doc.committee_id))
        sent = core.named_by(data, others)
        if doc.parent_id and doc.parent.committee_id != doc.committee_id:
            # a plan implementing another reports up to the committee that sent it (a received file's sender
            # is not a committee of this application: its recipients are those its Nơi nhận names)
            sent.append(doc.parent.committee)
        doc.recipients.add(*sent)
        audit(m.user, m.committee, "issue", doc, number=number, symbol=entry.symbol, sent_to=[c.slug for c in sent])
    return entry


def cancel(m: Membership, doc: Document, reason: str) -> None:
    if doc.committee_id != m.committee_id or not m.can_issue():
        raise Refused(gettext("Only the drafting committee's office can cancel a number."))
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=doc.pk)
        if doc.status != Document.Status.ISSUED:
            raise Refused(gettext("Only an issued document's number can be cancelled."))
        entry = doc.register_entries.get(state=RegisterEntry.State.ISSUED)
        entry.state = RegisterEntry.State.CANCELLED
        entry.cancelled_at, entry.cancelled_by, entry.cancel_reason = timezone.now(), m.user, reason
        entry.save()
        doc.status = Document.Status.CANCELLED
        doc.save(update_fields=["status", "updated_at"])
        audit(m.user, m.committee, "cancel", doc, number=entry.number, symbol=entry.symbol, reason=reason)


def derive(m: Membership, parent: Document, lang: str) -> Document:
    """The member's committee's own plan implementing *parent*, which it received."""
    parent = Document.objects.get(pk=parent.pk)
    uploaded = parent.committee_id == m.committee_id and parent.status == Document.Status.RECEIVED
    if not uploaded and (not parent.recipients.filter(pk=m.committee_id).exists() or parent.status != Document.Status.ISSUED):
        raise Refused(gettext("Only an issued plan your committee received can be derived."))
    if uploaded and not core.plan_shaped(parent.type_id):
        raise Refused(gettext("Only a plan (or a document written like one) can be derived from."))
    existing = parent.derived.filter(committee=m.committee).exclude(status=Document.Status.CANCELLED).first()
    if existing:
        return existing
    data = core.derive_for(parent.data, m.committee, f"{parent.type_id}-{parent.pk}.yaml", lang)
    return create(m, data, parent=parent, note=gettext("derived from document %(id)s") % {"id": parent.pk})


def restore(m: Membership, doc: Document, version: DocumentVersion) -> Document:
    return update(m, doc, version.data, note=gettext("restored version %(n)s") % {"n": version.n})


def receive(m: Membership, received: ReceivedFile, data: dict) -> Document:
    """A received file, reviewed, saved as a document of the committee (its original kept beside it)."""
    if received.committee_id != m.committee_id or not m.can_draft():
        raise Refused(gettext("Your role cannot draft documents."))
    with transaction.atomic():
        received = ReceivedFile.objects.select_for_update().get(pk=received.pk)
        if received.document_id is not None:
            return received.document  # saved already (the form sent twice)
        number = (data.get("header") or {}).get("number")
        doc = Document.objects.create(
            committee=m.committee,
            type_id=data.get("type", "ke-hoach"),
            data=data,
            status=Document.Status.RECEIVED,
            number=number if isinstance(number, int) else None,  # the sender's number, for its symbol (not our register's)
            created_by=m.user,
        )
        note = gettext("received: %(name)s") % {"name": received.name}
        save_version(doc, m.user, note)
        received.document = doc
        received.save(update_fields=["document"])
        audit(m.user, m.committee, "receive", doc, file=received.name, sha256=received.sha256, size=received.size)
    return doc
