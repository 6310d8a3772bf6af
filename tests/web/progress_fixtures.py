"""A progress collection on the demo's plan, and the sample units' reports submitted into it, for the board's and
the live report's tests (test client and browser)."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from django.utils import timezone

from generator.io.refdata import load as load_refdata
from generator.model.document import Plan
from generator.services.progress import load_progress
from generator.web.models import Committee, Document
from generator.web.progress.models import Collection, Submission

ROOT = Path(__file__).resolve().parents[2]
PROGRESS = ROOT / "samples" / "ke-hoach-41-ct-tw" / "progress"
#: The collection's as-of date and deadline, in days after the plan's issue (the demo issues it on the day it loads).
DEADLINE_AFTER = 14
TITLE = "Sơ kết 6 tháng thực hiện Kế hoạch thực hiện Chỉ thị số 41-CT/TW"


def plan_doc(owner: str = "dang-uy-ban") -> Document:
    return Document.objects.filter(committee__slug=owner, type_id="ke-hoach", status=Document.Status.ISSUED).earliest("pk")


def day(n: int) -> _dt.date:
    """The day *n* days after the plan was issued."""
    issued = plan_doc().issued_on
    assert issued is not None
    return issued + _dt.timedelta(days=n)


def open_collection(owner: str = "dang-uy-ban", **fields) -> Collection:
    plan = plan_doc("dang-uy-ban")
    values = {
        "plan": plan,
        "owner": Committee.objects.get(slug=owner),
        "title": TITLE,
        "as_of": day(DEADLINE_AFTER),
        "deadline": day(DEADLINE_AFTER),
        "period": Collection.Period.SO_KET_6_THANG,
    }
    values.update(fields)
    return Collection.objects.create(**values)


def sample_progress(slug: str, **changes) -> dict:
    """The sample report of *slug* (samples/…/progress/SLUG.yaml) as the web stores it (Progress JSON)."""
    plan = Plan.model_validate(plan_doc().data)
    progress, _warnings = load_progress(PROGRESS / f"{slug}.yaml", plan, "plan.yaml", load_refdata())
    data = progress.model_dump(mode="json")
    data.update(changes)
    return data


def submit(col: Collection, slug: str, on: _dt.date, data: dict | None = None, state: str = "submitted") -> Submission:
    """*slug*'s report stored in *col*, submitted on *on* (or a draft)."""
    data = data or sample_progress(slug, reported=on.isoformat())
    at = timezone.make_aware(_dt.datetime(on.year, on.month, on.day, 9, 0))
    sub, _created = Submission.objects.update_or_create(
        collection=col,
        committee=Committee.objects.get(slug=slug),
        defaults={"state": state, "data": data, "submitted_at": at if state == "submitted" else None},
    )
    return sub
