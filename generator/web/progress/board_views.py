"""The secretariat's board of a progress collection: who has submitted, who is behind, each task across the units,
the figures summed; its Excel export, the reminder text to paste and the e-mail reminders.

Only the collection's committee's văn phòng and lãnh đạo reach these pages (:func:`secretariat`); another
committee's collection is a 404, so ids reveal nothing. Every action is in the audit log."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import threading
from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from generator.web import core, office
from generator.web.models import Committee, Membership
from generator.web.progress.models import Collection, Submission
from generator.web.views import lang, member_required

log = logging.getLogger(__name__)

SECRETARIAT = (Membership.Role.VAN_PHONG, Membership.Role.LANH_DAO)


def secretariat(m: Membership, pk: int, *, office_only: bool = False) -> Collection:
    """The collection if the member's committee opened it and the member is its office or a leader.

    Another committee's collection (a unit's, or an unrelated one) is a 404; an officer of the committee, or a
    leader where the office alone acts (*office_only*), is refused (403)."""
    col = get_object_or_404(Collection.objects.select_related("plan", "owner"), pk=pk, owner=m.committee)
    if m.role not in SECRETARIAT:
        raise PermissionDenied(gettext("The board and the report are for the office and the leaders."))
    if office_only and m.role != Membership.Role.VAN_PHONG:
        raise PermissionDenied(gettext("Only the office can do this."))
    return col


def _state(sub: Submission) -> str:
    if sub.state == Submission.State.SUBMITTED:
        return "submitted"
    return "draft"  # a draft, or a report the secretariat reopened: it is being worked on again


def units_of(col: Collection) -> list[Committee]:
    """The committees that may report in *col*: every committee but the secretariat's own."""
    return list(Committee.objects.exclude(pk=col.owner_id).order_by("name"))


#: Each stored report validated (core.progress_of) once per content in this process, by its JSON's digest: a board
#: of 500 units would otherwise decode and validate 500 reports on every request. A report that changes has another
#: digest, so nothing is ever stale; the oldest are dropped beyond _VALIDATED_MAX.
_VALIDATED: OrderedDict[bytes, core.Progress | None] = OrderedDict()
_VALIDATED_MAX = 20_000
_VALIDATED_LOCK = threading.Lock()


def rows_of(col: Collection) -> list[Submission]:
    """*col*'s submissions with what the board shows of them; each one's data as its stored JSON text (``raw``),
    decoded only when its content has not been validated yet (see :func:`_progress`)."""
    return list(
        col.submissions.select_related("committee")
        .only("collection", "state", "submitted_at", "committee__slug", "committee__name")
        .annotate(raw=Cast("data", TextField()))
    )


def _progress(sub: Submission) -> core.Progress | None:
    raw = getattr(sub, "raw", None)
    if raw is None:  # a row read without rows_of
        return core.progress_of(sub.data)
    key = hashlib.blake2b(raw.encode(), digest_size=16).digest()
    with _VALIDATED_LOCK:
        if key in _VALIDATED:
            _VALIDATED.move_to_end(key)
            return _VALIDATED[key]
    progress = core.progress_of(json.loads(raw))
    with _VALIDATED_LOCK:
        _VALIDATED[key] = progress
        while len(_VALIDATED) > _VALIDATED_MAX:
            _VALIDATED.popitem(last=False)
    return progress


def build(col: Collection, subs: list[Submission] | None = None) -> core.Board:
    """The board of *col* now, from its stored submissions (*subs*, when the caller has read them already)."""
    ref = core.progress_ref(units_of(col), col.figures)
    if subs is None:
        subs = rows_of(col)
    stored = [
        core.Stored(
            s.committee.slug,
            _state(s),
            None,
            timezone.localdate(s.submitted_at) if s.submitted_at and s.state == Submission.State.SUBMITTED else None,
            _progress(s),
        )
        for s in subs
    ]
    return core.board(col.plan.data, stored, col.as_of, col.deadline, ref, lang())


def _filters(request, board: core.Board) -> tuple[str | None, str | None]:
    group = request.GET.get("group") or None
    unit = request.GET.get("unit") or None
    if group and group not in {g for g, _t in board.groups}:
        group = None  # a stale link: the whole board rather than an error
    if unit and unit not in {r.unit.id for r in board.units}:
        unit = None
    return group, unit


def _state_label(state: str) -> str:
    return {
        "submitted": pgettext("progress", "Submitted"),
        "draft": pgettext("progress", "Draft"),
        "not-started": pgettext("progress", "Not started"),
    }.get(state, state)


def _context(request, col: Collection, m: Membership) -> dict:
    rows = rows_of(col)
    full = build(col, rows)
    group, unit = _filters(request, full)
    board = full.filtered(group=group, unit=unit)
    words = core.status_words()
    stored = {s.committee.slug for s in rows}  # a unit with a stored report (submitted or draft) links to it
    counts = full.counts()
    # The units' table has a row per unit (500 and more): its words, dates and links are made here, once, and the
    # template only prints them — a {% url %}, {% translate %} or |date per row is what made the page slow.
    labels = {s: _state_label(s) for s in ("submitted", "draft", "not-started")}
    link = reverse("progress:board_submission", args=[col.pk, "__unit__"])
    units = [
        {
            "id": r.unit.id,
            "name": r.unit.name,
            "href": link.replace("__unit__", r.unit.id) if r.unit.id in stored else "",
            "state": r.state,
            "class": f"{r.state} late" if r.late else r.state,
            "state_label": labels.get(r.state, r.state),
            "late": r.late,
            "submitted_on": r.submitted_on.strftime("%d/%m/%Y") if r.submitted_on else "",
            "reported": f"{r.reported}/{r.tasks}",
            "statuses": "; ".join(f"{words.get(k, k)}: {n}" for k, n in r.counts.items() if n),
        }
        for r in board.units
    ]
    tasks = []
    for t in board.tasks:
        tally: dict[str, int] = {}
        for sid in t.by_unit.values():
            key = sid or "no-report"
            tally[key] = tally.get(key, 0) + 1
        tasks.append(
            {
                "row": t,
                "overall": words.get(t.overall, t.overall),
                "tally": [(words.get(k, k), n) for k, n in tally.items()],
                "unit_status": words.get(t.by_unit.get(unit) or "no-report", "") if unit else None,
                "figures": [(board.figure_labels.get(k, k), v) for k, v in t.figures.items() if v],
            }
        )
    return {
        "col": col,
        "board": board,
        "counts": {
            "submitted": counts.get("submitted", 0),
            "draft": counts.get("draft", 0),
            "not_started": counts.get("not-started", 0),
            "late": counts.get("late", 0),
            "units": len(full.units),
        },
        "units": units,
        "tasks": tasks,
        "overdue": sum(1 for t in board.tasks if t.overdue),
        "figures": [(board.figure_labels.get(k, k), v) for k, v in board.figures.items()],
        "groups": full.groups,
        "unit_choices": format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((r.unit.id, " selected" if r.unit.id == unit else "", r.unit.name) for r in full.units),
        ),
        "group": group or "",
        "unit": unit or "",
        "reminder": core.reminders(full, col.title),
        "behind": len(full.behind()),
        "can_mail": settings.VANBAN_EMAIL_REMINDERS and m.role == Membership.Role.VAN_PHONG,
        "poll_seconds": settings.VANBAN_BOARD_POLL_SECONDS,
        "query": request.GET.urlencode(),
    }


@require_GET
@member_required
def board(request, m, pk):
    col = secretariat(m, pk)
    office.audit(request.user, m.committee, "progress-board", col)
    return render(request, "progress/board.html", _context(request, col, m))


@require_GET
@member_required
def board_counts(request, m, pk):
    """The counts the board's page polls to say that units have submitted since it was loaded."""
    col = secretariat(m, pk)
    rows = col.submissions.values_list("state", "updated_at")
    stamp = max((u for _s, u in rows), default=None)
    submitted = sum(1 for s, _u in rows if s == Submission.State.SUBMITTED)
    return JsonResponse({"submitted": submitted, "rows": len(rows), "stamp": stamp.isoformat() if stamp else ""})


@require_GET
@member_required
def board_xlsx(request, m, pk):
    col = secretariat(m, pk)
    full = build(col)
    group, unit = _filters(request, full)
    data = core.board_xlsx(full.filtered(group=group, unit=unit), lang())
    office.audit(request.user, m.committee, "progress-board-export", col, group=group or "", unit=unit or "")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="bang-theo-doi-{col.pk}.xlsx"'
    return response


@require_GET
@member_required
def submission(request, m, pk, slug):
    """One unit's report, read-only, as the secretariat sees it."""
    col = secretariat(m, pk)
    sub = get_object_or_404(col.submissions.select_related("committee"), committee__slug=slug)
    words = core.status_words()
    plan_tasks = {}
    for g in (col.plan.data.get("appendix") or {}).get("groups") or []:
        for t in g.get("tasks") or []:
            plan_tasks[str(t.get("id"))] = t.get("text") or ""
    labels = {k: f.label for k, f in core.progress_ref([], col.figures).figures.items()}
    rows = [
        {
            "id": tp.get("task"),
            "text": plan_tasks.get(str(tp.get("task")), ""),
            "status": words.get(str(tp.get("status")), tp.get("status") or ""),
            "done": tp.get("done") or "",
            "figures": [(labels.get(k, k), v) for k, v in (tp.get("figures") or {}).items()],
        }
        for tp in (sub.data or {}).get("tasks") or []
    ]
    office.audit(request.user, m.committee, "progress-view-submission", sub, unit=slug)
    return render(
        request,
        "progress/board_submission.html",
        {"col": col, "sub": sub, "rows": rows, "state_label": _state_label(_state(sub))},
    )


def send_reminders(col: Collection, board: core.Board, user) -> tuple[int, list[str]]:
    """E-mail each committee behind (its members with an address); returns (messages sent, units without address)."""
    mails = core.reminder_mails(board, col.title)
    by_slug = {c.slug: c for c in Committee.objects.filter(slug__in=[u for u, _s, _b in mails])}
    out: list[EmailMessage] = []
    nobody: list[str] = []
    for unit, subject, body in mails:
        c = by_slug.get(unit)
        to = sorted({mm.user.email for mm in c.members.select_related("user") if mm.user.email}) if c else []
        if not to:
            nobody.append(c.name if c else unit)
            continue
        out.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to))
    sent = get_connection(fail_silently=False).send_messages(out) if out else 0
    return sent or 0, nobody


@require_POST
@member_required
def remind(request, m, pk):
    col = secretariat(m, pk, office_only=True)
    if not settings.VANBAN_EMAIL_REMINDERS:
        raise Http404  # the feature is off: the button is not shown either
    board = build(col)
    try:
        sent, nobody = send_reminders(col, board, request.user)
    except OSError as exc:  # smtplib's errors are OSErrors: the server is down, refuses, or the login fails
        log.warning("reminders of collection %s not sent: %s", col.pk, exc)
        office.audit(request.user, m.committee, "progress-remind-failed", col, error=str(exc)[:300])
        messages.error(request, gettext("The reminders could not be sent: %(error)s") % {"error": exc})
        return redirect("progress:board", pk=col.pk)
    office.audit(
        request.user, m.committee, "progress-remind", col, sent=sent, without_address=nobody, on=_dt.date.today().isoformat()
    )
    messages.success(request, gettext("%(n)s reminder(s) sent.") % {"n": sent})
    if nobody:
        messages.error(request, gettext("No e-mail address for: %(units)s") % {"units": ", ".join(nobody)})
    return redirect("progress:board", pk=col.pk)


#: Added to the progress app's urls.py (its app_name is "progress").
urls = [
    path("<int:pk>/board/", board, name="board"),
    path("<int:pk>/board/counts/", board_counts, name="board_counts"),
    path("<int:pk>/board.xlsx", board_xlsx, name="board_xlsx"),
    path("<int:pk>/board/units/<slug:slug>/", submission, name="board_submission"),
    path("<int:pk>/board/remind/", remind, name="remind"),
]
