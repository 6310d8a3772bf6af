"""The demo's progress collection (`vanban serve --demo`): a sơ kết open on the demo plan, Công ty 129's
report submitted, Cục Chính trị - Tổ chức's saved as a draft, the other units not started."""

from __future__ import annotations

import datetime as _dt

from django.utils import timezone

from generator.web import core
from generator.web.models import Document, Membership
from generator.web.progress import rules
from generator.web.progress.models import Collection

STATUSES = ["done", "in-progress", "in-progress", "not-started"]


def add(plan: Document, lang: str) -> Collection:
    plan = Document.objects.get(pk=plan.pk)  # as issued: number, date and status
    today = timezone.localdate()
    clerk = Membership.objects.get(committee=plan.committee, role=Membership.Role.VAN_PHONG)
    col = rules.open_collection(
        clerk,
        plan,
        period=Collection.Period.SO_KET_6_THANG,
        title=f"Sơ kết 6 tháng thực hiện Kế hoạch {plan.symbol}",
        as_of=today,
        deadline=today + _dt.timedelta(days=14),
        figures=rules.plan_figures(plan),
    )
    figure = col.figures[0]["id"] if col.figures else None
    unit = Membership.objects.get(user__username="vanphong.cong-ty-129")
    tasks = []
    for i, t in enumerate(rules.tasks_for(col, unit.committee)):
        tasks.append(
            {
                "task": t["id"],
                "status": STATUSES[i % len(STATUSES)],
                "done": f"Đã triển khai, quán triệt nội dung nhiệm vụ {t['id']} đến các chi bộ trực thuộc.",
                "figures": {figure: 1 + i % 3} if figure else {},
            }
        )
    data = {"unit": unit.committee.slug, "reported": today.isoformat(), "tasks": tasks}
    checked = core.check_progress(data, plan.data, rules.plan_name(plan), unit.committee, col.figures, lang)
    if checked.data is None:
        raise RuntimeError("; ".join(str(p) for p in checked.errors))
    rules.save_draft(unit, col, data)
    rules.submit(unit, col, data, checked.data)
    drafting = Membership.objects.get(user__username="vanphong.cuc-ct-tc")
    first = rules.tasks_for(col, drafting.committee)[:3]
    rules.save_draft(
        drafting,
        col,
        {
            "unit": drafting.committee.slug,
            "tasks": [{"task": t["id"], "status": "in-progress", "done": "Đang tổng hợp kết quả.", "figures": {}} for t in first],
        },
    )
    return col
