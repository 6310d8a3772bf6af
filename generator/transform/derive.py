"""Transform: from the plan a committee received, the plan a subordinate unit must issue.

``derive`` is model → model. Which tasks concern a unit is decided by the wording of the plan's
lead and executing-unit cells against the unit's profile (``data/units/``): a task concerns the
unit when a cell names it, one of its aliases, or a group it belongs to ("Các cơ quan, đơn vị
thuộc Ban", "Các đảng ủy, chi bộ trực thuộc Đảng ủy Ban" …). ``check_pair`` checks a derived plan
against its parent: missing parent tasks, later deadlines, tasks dropped without a reason.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection
from pathlib import Path

from generator.io.loader import LoadError, load_plan
from generator.io.refdata import RefData, Unit
from generator.lang import vn
from generator.lang.i18n import _
from generator.model.concern import Concern, concerning_tasks, duties, fold
from generator.model.document import (
    Appendix,
    Assignment,
    Closing,
    Header,
    PartialDate,
    Plan,
    Problem,
    Recipient,
    ReportInstruction,
    Section,
    SignOff,
    Source,
    Task,
    TaskGroup,
)

#: What a unit issues to carry out any document it received (a Kế hoạch, a Nghị quyết, a Chỉ thị …):
#: its own Kế hoạch thực hiện. The derived plan's text says "ban hành Kế hoạch", so its type must agree.
IMPLEMENTATION_PLAN = "ke-hoach"


class DeriveError(Exception):
    """The plan cannot be derived for this unit (the message says why)."""


def authority(issuer: str, signoff: SignOff | None) -> str:
    """Who issues, as named in running text: ``Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ``."""
    if signoff and signoff.form == "T/M" and signoff.authority and not fold(issuer).startswith(fold(signoff.authority)):
        return f"{signoff.authority} {issuer}"
    return issuer


def todo(what: str) -> str:
    """A place the unit must complete (see :data:`generator.model.PLACEHOLDER`)."""
    return f"[[{what}]]"


def derive(
    parent: Plan, unit: Unit, ref: RefData, *, parent_file: str, date: PartialDate | None = None, report_days: int = 5
) -> Plan:
    """The unit's own implementation plan of *parent*; ``parent_file`` is recorded as its source."""
    party = unit.party
    if party is None:
        raise DeriveError(
            _("unit {id} ({name}) issues no party plan: its profile has no 'party' section", id=repr(unit.id), name=unit.name)
        )
    concerned = concerning_tasks(parent, unit)
    inherited = duties(parent, unit)
    if not concerned and not inherited:
        raise DeriveError(_("no task or duty of the plan concerns unit {id} ({name})", id=repr(unit.id), name=unit.name))
    profile_id = party.profile or parent.profile
    ph = parent.header
    cite = ref.citation(parent, under=profile_id)
    signer = party.signoff
    signoff = SignOff(
        form=signer.form, authority=signer.authority, position=signer.position, name=signer.name or todo("họ tên người ký")
    )
    child_authority = authority(party.issuer, signoff)
    subject = " ".join(parent.subject)
    preamble = [
        f"Thực hiện {cite} của {authority(ph.issuer, parent.signoff)} về {vn.lower_first(subject)},",
        f"{child_authority} ban hành Kế hoạch thực hiện như sau:",
    ]

    up = parent.closing.report if parent.closing else None
    report = None
    implement: list[str] = list(inherited)
    if up:
        via = f" (qua {up.via})" if up.via else ""
        implement.append(
            f"{party.leadership} tổng hợp, báo cáo {up.what} về {up.to}{via} trước ngày "
            f"{vn.citation_date(up.deadline.year, up.deadline.month, up.deadline.day)}."
        )
        executors = ", ".join(unit.subordinates) if unit.subordinates else todo("các tổ chức, đơn vị thực hiện")
        report = ReportInstruction(
            lead=f"Nhận được kế hoạch, yêu cầu {executors} triển khai thực hiện nghiêm túc",
            what=up.what,
            to=party.leadership,
            deadline=up.deadline - _dt.timedelta(days=report_days),
        )

    sections: list[Section] = []
    first = parent.sections[0]
    if "mục đích" in fold(first.title):
        sections.append(first)
    if parent.appendix and concerned:
        sections.append(Section(title="Nhiệm vụ, giải pháp", note="(Chi tiết tại Phụ lục kèm theo)"))
    sections.append(
        Section(
            title="Tổ chức thực hiện",
            paragraphs=implement or [todo("trách nhiệm tổ chức thực hiện")],
            assignments=[Assignment(unit=s, duties=[todo(f"nhiệm vụ cụ thể của {s}")]) for s in unit.subordinates],
        )
    )

    appendix = None
    if parent.appendix and concerned:
        groups: list[TaskGroup] = []
        by_group: dict[str, list[Concern]] = {}
        for c in concerned:
            by_group.setdefault(c.group.id, []).append(c)
        executors_cell = list(unit.subordinates) or [todo("đơn vị thực hiện")]
        for gi, (_gid, items) in enumerate(by_group.items(), 1):
            group = items[0].group
            tasks = [
                Task(
                    id=f"{gi}.{ti}",
                    parent=c.task.id,
                    text=c.task.text,
                    lead=[party.leadership],
                    units=executors_cell,
                    timeframe=c.task.timeframe,
                )
                for ti, c in enumerate(items, 1)
            ]
            groups.append(TaskGroup(id=str(gi), title=group.title, tasks=tasks))
        appendix = Appendix(
            label=parent.appendix.label, title=parent.appendix.title, columns=parent.appendix.columns, groups=groups
        )

    recipients = []
    if up:
        recipients.append(Recipient(to=up.to, note="để b/c"))
        if up.via:
            recipients.append(Recipient(to=up.via, note="để b/c"))
    else:
        recipients.append(Recipient(to=authority(ph.issuer, parent.signoff), note="để b/c"))
    recipients += [Recipient(to=s, note="để t/h") for s in unit.subordinates]

    return Plan(
        type=IMPLEMENTATION_PLAN,
        profile=profile_id,
        header=Header(
            superior=party.superior,
            issuer=party.issuer,
            issuer_code=party.code,
            number=None,
            place=party.place,
            date=date or (PartialDate(ph.date.year, ph.date.month, None) if ph.date else None),
        ),
        subject=list(parent.subject),
        preamble=preamble,
        sections=sections,
        closing=Closing(report=report) if report else None,
        appendix=appendix,
        recipients=recipients,
        archive=list(party.archive),
        signoff=signoff,
        source=Source(plan=parent_file, unit=unit.id),
        period=parent.period,  # the unit's plan covers the same years: its yearly tasks fall due with the parent's
        figures=list(parent.figures),  # what the unit reports up, its own units report to it
    )


# ----------------------------------------------------------------------------- pair checks


def check_pair(child: Plan, parent: Plan, unit: Unit | None, parent_name: str) -> list[Problem]:
    """Problems of *child* against the plan it implements; paths are in the child."""
    problems: list[Problem] = []
    parent_tasks = {t.id: t for t in parent.tasks()}
    referenced = set()
    if child.appendix:
        for gi, group in enumerate(child.appendix.groups):
            for ti, task in enumerate(group.tasks):
                path = ("appendix", "groups", gi, "tasks", ti)
                if task.parent is None:
                    continue
                referenced.add(task.parent)
                ptask = parent_tasks.get(task.parent)
                if ptask is None:
                    problems.append(
                        Problem(
                            path + ("parent",),
                            _("task {parent} does not exist in {parent_name}", parent=repr(task.parent), parent_name=parent_name),
                            source=parent_name,
                        )
                    )
                    continue
                mine, theirs = vn.parse_timeframe(task.timeframe), vn.parse_timeframe(ptask.timeframe)
                if mine.due and theirs.due and mine.due > theirs.due:
                    problems.append(
                        Problem(
                            path + ("timeframe",),
                            _(
                                "'{timeframe}' ends {value}, later than task {id} of {parent_name} ('{timeframe2}', {value2})",
                                timeframe=task.timeframe,
                                value=vn.citation_date(mine.due.year, mine.due.month, mine.due.day),
                                id=ptask.id,
                                parent_name=parent_name,
                                timeframe2=ptask.timeframe,
                                value2=vn.citation_date(theirs.due.year, theirs.due.month, theirs.due.day),
                            ),
                            source=parent_name,
                        )
                    )
    up = parent.closing.report if parent.closing else None
    down = child.closing.report if child.closing else None
    if up and down and down.deadline > up.deadline:
        problems.append(
            Problem(
                ("closing", "report", "deadline"),
                _(
                    "reporting deadline {value} is later than the parent's ({value2}) in {parent_name}",
                    value=vn.citation_date(down.deadline.year, down.deadline.month, down.deadline.day),
                    value2=vn.citation_date(up.deadline.year, up.deadline.month, up.deadline.day),
                    parent_name=parent_name,
                ),
                source=parent_name,
            )
        )
    dropped = {d.task for d in child.source.dropped} if child.source else set()
    for i, d in enumerate(child.source.dropped if child.source else []):
        if d.task not in parent_tasks:
            problems.append(
                Problem(
                    ("source", "dropped", i, "task"),
                    _("task {task} does not exist in {parent_name}", task=repr(d.task), parent_name=parent_name),
                    source=parent_name,
                )
            )
    if unit is not None:
        for c in concerning_tasks(parent, unit):
            if c.task.id not in referenced and c.task.id not in dropped:
                problems.append(
                    Problem(
                        ("appendix",) if child.appendix else (),
                        _(
                            "task {id} of {parent_name} concerns {name} ({value}) but is not in this plan; add a task with parent: '{id}', or list it under source.dropped with a reason",
                            id=c.task.id,
                            parent_name=parent_name,
                            name=unit.name,
                            value=", ".join(c.roles),
                        ),
                        severity="warning",
                        source=parent_name,
                    )
                )
    return problems


def parent_within_reach(child: Path, parent: Path, named: Collection[Path] = ()) -> bool:
    """Whether a derived plan at *child* may make vanban read *parent*: a .yaml file in the child's folder, below
    it, or in the folder just above it (``derived/x.yaml`` → ``../plan.yaml``, as `vanban derive` writes), or a
    file the user *named* (on the command line)."""
    base = child.parent.resolve()
    resolved = parent.resolve()
    if resolved.suffix.lower() not in (".yaml", ".yml"):
        return False
    return resolved.is_relative_to(base) or resolved.parent == base.parent or resolved in {Path(n).resolve() for n in named}


def parent_problems(doc: Plan, path: Path, ref: RefData, named: Collection[Path] = ()) -> list[Problem]:
    """A derived plan (one with ``source``) checked against the parent plan it names; none for a plan of its own.

    The parent is read relative to the derived plan's folder (``source.plan``)."""
    source = doc.source
    if source is None:
        return []
    problems = []
    unit = ref.units.get(source.unit)
    if unit is None:
        problems.append(
            Problem(("source", "unit"), _("unknown unit {unit}; units are listed in data/units/", unit=repr(source.unit)))
        )
    # A derived plan names its parent relative to itself; `vanban derive` writes it beside the parent
    # or in a folder below it (derived/…/ → ../plan.yaml). Anything else would let an uploaded plan
    # make the server read any file it can (/etc/…, a device), so it is refused.
    parent_path = path.parent / source.plan
    if Path(source.plan).is_absolute() or not parent_within_reach(path, parent_path, named):
        return problems + [
            Problem(
                ("source", "plan"),
                _(
                    "the parent plan must be a .yaml file in this plan's folder, below it, or in the folder just above it, named relative to this plan; got {value} (or name the parent plan on the command line too)",
                    value=repr(source.plan),
                ),
            )
        ]
    try:
        parent = load_plan(parent_path, ref).plan
    except LoadError as exc:
        first = exc.problems[0] if exc.problems else None
        return problems + [Problem(("source", "plan"), _("the parent plan cannot be used: {first}", first=first))]
    return problems + check_pair(doc, parent, unit, str(parent_path))
