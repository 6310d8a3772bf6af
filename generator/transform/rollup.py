"""Transform: the units' progress on a plan → the roll-up → a Báo cáo (model → model).

Every task keeps the plan's id from the plan through the units' reports into the report and its
appendix. Statuses, overdue tasks and reporting deadlines are decided here; wording is Vietnamese
because it is the report's text, which the secretariat can edit (``vanban report --yaml``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from generator.io.refdata import RefData, Unit, figures_of, period_texts, plan_period_label, status_label, statuses
from generator.lang import vn
from generator.lang.i18n import _
from generator.lang.textcheck import fix as _fix_text
from generator.model.concern import Concern, concerning_tasks, concerning_tasks_of, duties
from generator.model.document import (
    NO_REPORT,
    Basis,
    Header,
    PartialDate,
    Plan,
    Problem,
    Progress,
    Recipient,
    Report,
    Section,
    StatusAppendix,
    StatusGroup,
    StatusRow,
    Task,
    TaskGroup,
    TaskProgress,
    UnitStatus,
    plan_years,
)
from generator.transform.derive import authority


def issuing_units(plan: Plan, ref: RefData) -> list[Unit]:
    """Units that must issue a plan of their own and report on this one."""
    return [u for u, _found in _issuing(plan, ref)]


def _issuing(plan: Plan, ref: RefData) -> list[tuple[Unit, list[Concern]]]:
    """The units that issue a plan and report on *plan*, each with the tasks that concern it."""
    parties = [u for u in ref.units.values() if u.party is not None]
    return [(u, c) for u, c in zip(parties, concerning_tasks_of(plan, parties), strict=True) if c or duties(plan, u)]


def check_progress(progress: Progress, plan: Plan, plan_name: str, ref: RefData) -> list[Problem]:
    problems: list[Problem] = []
    unit = ref.units.get(progress.unit)
    if unit is None:
        problems.append(Problem(("unit",), _("unknown unit {unit}; units are listed in data/units/", unit=repr(progress.unit))))
    tasks = {t.id for t in plan.tasks()}
    mine = {c.task.id for c in concerning_tasks(plan, unit)} if unit else set()
    seen: dict[str, int] = {}
    asked = figures_of(plan, ref)
    for i, tp in enumerate(progress.tasks):
        path = ("tasks", i)
        if tp.task not in tasks:
            problems.append(
                Problem(
                    path + ("task",),
                    _("task {task} does not exist in {plan_name}", task=repr(tp.task), plan_name=plan_name),
                    source=plan_name,
                )
            )
        elif unit and tp.task not in mine:
            problems.append(
                Problem(
                    path + ("task",),
                    _("task {task} of {plan_name} does not concern {name}", task=tp.task, plan_name=plan_name, name=unit.name),
                    "warning",
                )
            )
        if tp.task in seen:
            problems.append(
                Problem(
                    path + ("task",),
                    _("task {task} is reported twice (first at tasks.{value})", task=repr(tp.task), value=seen[tp.task]),
                )
            )
        seen.setdefault(tp.task, i)
        for key in tp.figures:
            if key not in asked:
                problems.append(
                    Problem(
                        path + ("figures", key),
                        _("unknown figure {key}; expected one of: {value}", key=repr(key), value=", ".join(asked)),
                    )
                )
    if unit is None:  # an unknown unit has no tasks of its own to miss
        return problems
    for tid in sorted(mine - set(seen), key=_task_key):
        problems.append(
            Problem(
                ("tasks",),
                _("task {tid} of {plan_name} concerns {name} but is not reported", tid=tid, plan_name=plan_name, name=unit.name),
                "warning",
            )
        )
    return problems


def _task_key(tid: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in tid.split("."))


@dataclass
class TaskRoll:
    group: TaskGroup
    task: Task
    timeframe: vn.Timeframe
    due: _dt.date | None
    units: list[Unit]  # the units this task concerns, in profile order
    by_unit: dict[str, TaskProgress]
    overall: str  # a status id
    overdue: bool
    figures: dict[str, int]
    year: int | None = None  # the year of the plan's period a yearly task is reported for


@dataclass
class RollUp:
    plan: Plan
    as_of: _dt.date
    deadline: _dt.date | None
    expected: list[Unit]
    reports: dict[str, Progress]
    tasks: list[TaskRoll] = field(default_factory=list)

    @property
    def missing(self) -> list[Unit]:
        return [u for u in self.expected if u.id not in self.reports]

    @property
    def late(self) -> list[tuple[Unit, _dt.date]]:
        if self.deadline is None:
            return []
        return [
            (u, self.reports[u.id].reported)
            for u in self.expected
            if u.id in self.reports and self.reports[u.id].reported > self.deadline
        ]

    @property
    def overdue(self) -> list[TaskRoll]:
        return [t for t in self.tasks if t.overdue]

    def totals(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.tasks:
            for k, v in t.figures.items():
                out[k] = out.get(k, 0) + v
        return out

    def counts(self, rolls: list[TaskRoll] | None = None) -> dict[str, int]:
        out = {s: 0 for s in statuses()}
        for t in rolls if rolls is not None else self.tasks:
            out[t.overall] += 1
        return out


def _overall(statuses: list[str]) -> str:
    if not statuses:
        return NO_REPORT
    if all(s == "done" for s in statuses):
        return "done"
    if all(s == "not-started" for s in statuses):
        return "not-started"
    return "in-progress"


def plan_period(plan: Plan) -> tuple[int, int] | None:
    """The first and last year of the plan: its ``period``, else what its trích yếu says."""
    if plan.period:
        return plan_years(plan.period)
    return vn.period_in_subject(" ".join(plan.subject))


def has_yearly_tasks(plan: Plan) -> bool:
    return any(vn.parse_timeframe(t.timeframe).kind == "yearly" for t in plan.tasks())


def check_report_dates(plan: Plan, as_of: _dt.date) -> list[Problem]:
    """What makes a report on *plan* as of *as_of* wrong before a line of it is written."""
    problems: list[Problem] = []
    d = plan.header.date
    if d is None:  # an undated plan: no date to report before
        return problems
    # With the day left blank the plan is dated some day of its month: only earlier months are wrong
    # (with the month blank too, of its year).
    start = _dt.date(d.year, d.month or 1, d.day or 1)
    if as_of < start:
        problems.append(
            Problem(
                ("header", "date"),
                _(
                    "the report date {as_of} is before the plan's date {date}: a report cannot speak of a plan not yet issued",
                    as_of=as_of.isoformat(),
                    date=str(d),
                ),
            )
        )
    if plan_period(plan) is None and has_yearly_tasks(plan):
        problems.append(
            Problem(
                ("period",),
                _(
                    "the plan has 'Hằng năm' tasks but does not say which years it covers: add period: 2027 (one year) "
                    "or period: 2025-2030 to the plan"
                ),
            )
        )
    return problems


def due_dates(plan: Plan, task: Task) -> list[_dt.date]:
    """Every date *task* is due by its timeframe: one for a task by a date (``Quý III/2025``: 30/9/2025), the
    end of each year of the plan's period for a yearly one, none for an ongoing one (``Thường xuyên``).
    A yearly task in a plan that does not say its years has none (:func:`check_report_dates` says why)."""
    tf = vn.parse_timeframe(task.timeframe)
    if tf.kind == "by-date":
        return [tf.due] if tf.due else []
    years = plan_period(plan) if tf.kind == "yearly" else None
    return [_dt.date(y, 12, 31) for y in range(years[0], years[1] + 1)] if years else []


def due(tf: vn.Timeframe, years: tuple[int, int] | None, as_of: _dt.date) -> tuple[_dt.date | None, int | None]:
    """The due date that applies on *as_of*, and for a yearly task the year it is reported for.

    A yearly task is due at the end of every year of the plan's period; a report speaks of the
    year under way (before the period, its first year; after it, its last).
    """
    if tf.kind == "by-date":
        return tf.due, None
    if tf.kind == "yearly":
        if years is None:
            raise ValueError(
                _(
                    "the plan has 'Hằng năm' tasks but does not say which years it covers: add period: 2027 (one year) "
                    "or period: 2025-2030 to the plan"
                )
            )
        year = min(max(as_of.year, years[0]), years[1])
        return _dt.date(year, 12, 31), year
    return None, None


def roll_up(plan: Plan, progress: list[Progress], as_of: _dt.date, ref: RefData, deadline: _dt.date | None = None) -> RollUp:
    """The units' progress on *plan* as of *as_of*; a report is late after *deadline* (default: the reporting
    deadline the plan states; a collection in the web application has its own)."""
    issuing = _issuing(plan, ref)
    expected = [u for u, _found in issuing]
    reports = {p.unit: p for p in progress}
    if deadline is None:
        deadline = plan.closing.report.deadline if plan.closing and plan.closing.report else None
    roll = RollUp(plan, as_of, deadline, expected, reports)
    years = plan_period(plan)
    index = {uid: {tp.task: tp for tp in p.tasks} for uid, p in reports.items()}
    concerned = {u.id: {c.task.id for c in found} for u, found in issuing}
    for group in plan.appendix.groups if plan.appendix else []:
        for task in group.tasks:
            units = [u for u in expected if task.id in concerned[u.id]]
            by_unit = {u.id: index[u.id][task.id] for u in units if u.id in index and task.id in index[u.id]}
            overall = _overall([tp.status for tp in by_unit.values()])
            tf = vn.parse_timeframe(task.timeframe)
            due_on, year = due(tf, years, as_of)
            figures: dict[str, int] = {}
            for tp in by_unit.values():
                for k, v in tp.figures.items():
                    figures[k] = figures.get(k, 0) + v
            overdue = due_on is not None and as_of > due_on and overall != "done"
            roll.tasks.append(TaskRoll(group, task, tf, due_on, units, by_unit, overall, overdue, figures, year))
    return roll


# ----------------------------------------------------------------------------- the Báo cáo


def _d(date: _dt.date) -> str:
    return vn.citation_date(date.year, date.month, date.day)


def _figures_text(figures: dict[str, int], plan: Plan, ref: RefData) -> str:
    """``số buổi quán triệt: 11 buổi; số lượt cán bộ tham gia: 857 lượt`` in the plan's figures' words."""
    asked = figures_of(plan, ref)
    return "; ".join(
        f"{asked[k].label.lower()}: {vn.number(v)}" + (f" {asked[k].unit}" if asked[k].unit else "")
        for k, v in figures.items()
        if k in asked
    )


def _gist(text: str, words: int = 30) -> str:
    """The task's first clause, for the report's table: the full text is in the plan it cites."""
    cut = min((i for i in (text.find(";"), text.find(". ")) if i > 0), default=len(text))
    head = text[:cut].split()
    short = " ".join(head[:words])
    return text if short == text.rstrip(".") or short == text else short.rstrip(",;:.") + " …"


def _unit_text(text: str) -> str:
    """A unit's own words made fit for the report: NFC, Đ look-alikes, dates padded (5/4/2027 →
    05/4/2027), stray spaces; the words themselves are kept."""
    return _fix_text(text)[0]


def _when(t: TaskRoll) -> str:
    """``Quý III/2025``; a yearly task names the year it is reported for: ``Hằng năm; năm 2027``."""
    return f"{t.task.timeframe}; {plan_period_label('year')} {t.year}" if t.year else t.task.timeframe


def _results(roll: RollUp, ref: RefData) -> list[Section]:
    """Part I by task group: each task's status and figures, then each unit's words, attributed."""
    plan = roll.plan
    out: list[Section] = []
    for group in plan.appendix.groups if plan.appendix else []:
        paragraphs, bullets = [], []
        for t in (t for t in roll.tasks if t.group.id == group.id):
            done = sum(1 for tp in t.by_unit.values() if tp.status == "done")
            line = (
                f"Nhiệm vụ {t.task.id} ({_when(t)}): {status_label(t.overall)}, {done}/{len(t.units)} đơn vị "
                f"{status_label('done')}"
            )
            if t.figures:
                line += f"; {_figures_text(t.figures, plan, ref)}"
            paragraphs.append(line + ".")
            # Units that wrote nothing are in the appendix.
            for u in t.units:
                tp = t.by_unit.get(u.id)
                if tp is not None and tp.done:
                    bullets.append(f"{u.name} (nhiệm vụ {t.task.id}): {_unit_text(tp.done)}")
        out.append(Section(title=group.title, paragraphs=paragraphs, bullets=bullets))
    return out


def _summary(roll: RollUp, ref: RefData) -> list[str]:
    counts = roll.counts()
    told = ", ".join(f"{counts[s]} {status_label(s)}" for s in statuses() if s != NO_REPORT)
    summary = [
        f"Đến ngày {_d(roll.as_of)}, {len(roll.reports)}/{len(roll.expected)} đơn vị đã gửi báo cáo; trong {len(roll.tasks)} "
        f"nhiệm vụ, {told}" + (f", {counts[NO_REPORT]} {status_label(NO_REPORT)}" if counts[NO_REPORT] else "") + "."
    ]
    totals = roll.totals()
    if totals:
        summary.append(f"Tổng hợp số liệu của các đơn vị: {_figures_text(totals, roll.plan, ref)}.")
    return summary


def _limits(roll: RollUp) -> list[str]:
    limits: list[str] = []
    for t in roll.overdue:
        assert t.due is not None  # overdue means past a due date
        behind = [
            f"{u.name} ({status_label(t.by_unit[u.id].status)})"
            for u in t.units
            if u.id in t.by_unit and t.by_unit[u.id].status != "done"
        ]
        limits.append(
            f"Nhiệm vụ {t.task.id} (thời gian: {_when(t)}; hạn {_d(t.due)}) quá hạn, chưa {status_label('done')}"
            + (f": {', '.join(behind)}" if behind else "")
            + "."
        )
    for u in roll.missing:
        limits.append(
            f"{u.party.issuer if u.party else u.name} chưa gửi báo cáo"
            + (f" (hạn {_d(roll.deadline)})." if roll.deadline else ".")
        )
    for u, day in roll.late:
        assert roll.deadline is not None  # late means after the deadline
        limits.append(
            f"{u.party.issuer if u.party else u.name} gửi báo cáo ngày {_d(day)}, chậm so với thời hạn {_d(roll.deadline)}."
        )
    return limits


def _next_tasks(roll: RollUp) -> list[str]:
    carried = [t for t in roll.tasks if t.overall != "done"]
    out = [f"Khắc phục ngay nhiệm vụ quá hạn {t.task.id}: {t.task.text}" for t in carried if t.overdue]
    rest = [t.task.id for t in carried if not t.overdue]
    if rest:
        out.append(f"Tiếp tục thực hiện các nhiệm vụ chưa hoàn thành: {', '.join(rest)} (chi tiết tại Phụ lục).")
    ongoing = [t.task.id for t in roll.tasks if t.overall == "done" and t.timeframe.kind in ("ongoing", "yearly")]
    if ongoing:
        out.append(f"Duy trì thực hiện thường xuyên, hằng năm các nhiệm vụ {', '.join(ongoing)}.")
    return out


def _status_groups(roll: RollUp) -> list[StatusGroup]:
    """The appendix rows hold status ids; the page's wording is made when it is rendered."""
    groups = []
    for group in roll.plan.appendix.groups if roll.plan.appendix else []:
        rows = [
            StatusRow(
                id=t.task.id,
                text=_gist(t.task.text),
                lead=t.task.lead,
                timeframe=t.task.timeframe,
                units=[
                    UnitStatus(unit=u.name, status=t.by_unit[u.id].status if u.id in t.by_unit else NO_REPORT) for u in t.units
                ]
                or ["(không đơn vị nào được giao)"],
                overall=t.overall,
                overdue=t.overdue,
            )
            for t in roll.tasks
            if t.group.id == group.id
        ]
        groups.append(StatusGroup(id=group.id, title=group.title, rows=rows))
    return groups


def build_report(roll: RollUp, period: str, ref: RefData, *, plan_file: str) -> Report:
    """The Báo cáo on *roll*; *period* is a period id of data/statuses.yaml (``so-ket``, ``tong-ket``, ``hang-nam``
    …), whose words open the trích yếu and say what the preamble reports."""
    plan = roll.plan
    h = plan.header
    cite = ref.citation(plan)
    who = authority(h.issuer, plan.signoff)
    title, reports = period_texts(period, f"{cite} của {who}", roll.as_of.year)
    limits, next_tasks = _limits(roll), _next_tasks(roll)
    sections = [
        Section(title="Kết quả thực hiện", paragraphs=_summary(roll, ref), sections=_results(roll, ref)),
        Section(title="Hạn chế, tồn tại", bullets=limits)
        if limits
        else Section(title="Hạn chế, tồn tại", paragraphs=["Không có hạn chế, tồn tại đáng kể."]),
        Section(title="Nhiệm vụ thời gian tới", bullets=next_tasks)
        if next_tasks
        else Section(title="Nhiệm vụ thời gian tới", paragraphs=["Duy trì kết quả đã đạt được."]),
    ]
    groups = _status_groups(roll)
    recipients = [r for r in plan.recipients if r.note and "b/c" in r.note] or [Recipient(to=who, note="để b/c")]
    subject = [title, "về " + vn.lower_first(plan.subject[0]), *plan.subject[1:]]
    return Report(
        profile=plan.profile,
        header=Header(
            superior=h.superior,
            issuer=h.issuer,
            issuer_code=h.issuer_code,
            number=None,
            place=h.place,
            date=PartialDate(roll.as_of.year, roll.as_of.month, roll.as_of.day),
        ),
        subject=subject,
        preamble=[
            f"Thực hiện {cite} của {who} về {vn.lower_first(' '.join(plan.subject))}, {who} {reports} "
            f"đến ngày {_d(roll.as_of)} như sau:"
        ],
        sections=sections,
        recipients=[r.model_copy(update={"end": None}) for r in recipients],
        archive=list(plan.archive),
        signoff=plan.signoff,
        appendix=StatusAppendix(
            label=plan.appendix.label if plan.appendix else "Phụ lục",
            title=f"Tình hình thực hiện nhiệm vụ, giải pháp đến ngày {_d(roll.as_of)}",
            groups=groups,
        )
        if groups
        else None,
        basis=Basis(plan=plan_file, period=period, as_of=roll.as_of),
    )
