"""Use case: the board of a progress collection — who has reported, who is behind, each task across the units.

A *collection* is the secretariat asking the units concerned by a plan for their progress as of a date, by a
deadline. The caller (``vanban board``, the web application) says what it knows of each unit's report as an
:class:`Entry`; :func:`build_board` rolls up the submitted reports with the one roll-up of ``vanban report``
(:func:`generator.transform.rollup.roll_up`) and returns a :class:`Board`: one :class:`UnitRow` per unit the plan
concerns, one :class:`TaskRow` per task of its appendix. :func:`board_workbook` is its Excel export,
:func:`reminder_text` and :func:`reminder_messages` the Vietnamese text that chases the units behind.

The board's words for the secretariat (the Excel export, the reminders) are Vietnamese whatever the user's
language, as the report and the return sheets are: they go to the office and to the units. They are written through
the message catalog (English source, :func:`generator.lang.i18n._`) inside ``use_language("vi")``, as
:func:`generator.services.report.return_sheets` does; the states' words (:func:`state_labels`) follow the user's.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace

from generator.io.excel import Table, tables_workbook
from generator.io.refdata import RefData, Unit, figures_of, status_label, statuses
from generator.lang import vn
from generator.lang.i18n import _, use_language
from generator.model.document import NO_REPORT, Plan, Progress
from generator.transform.rollup import due_dates, roll_up

#: The states of a unit's report in a collection.
SUBMITTED, DRAFT, NOT_STARTED = "submitted", "draft", "not-started"
STATES: tuple[str, ...] = (SUBMITTED, DRAFT, NOT_STARTED)


def state_labels() -> dict[str, str]:
    """The states' words in the user's language, and the word for a unit past the deadline (``late``): ``đã
    gửi``, ``đang soạn``, ``chưa bắt đầu``, ``chậm hạn`` in Vietnamese (the Excel export, the reminders)."""
    return {SUBMITTED: _("submitted"), DRAFT: _("draft"), NOT_STARTED: _("not started"), "late": _("late")}


@dataclass(frozen=True)
class Entry:
    """What the caller knows about one unit's report in a collection.

    ``unit_id`` is a unit id of the :class:`RefData` given to :func:`build_board`; ``state`` one of
    :data:`STATES`; ``progress`` the submitted data, or the draft's data (counted on the unit's row only, never
    in the roll-up), or None; ``submitted_on`` the day it was submitted (default: the progress's ``reported``).
    """

    unit_id: str
    state: str
    progress: Progress | None
    submitted_on: _dt.date | None = None

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}, got {self.state!r}")


@dataclass
class UnitRow:
    """One unit the plan concerns, as the board shows it.

    ``tasks`` is the number of tasks concerning the unit; ``reported`` how many of them its report (submitted
    or draft) gives a status for; ``counts`` those statuses by status id, ``no-report`` counting the tasks it
    has not reported on; ``missing`` the ids of those tasks, in the plan's order (what it still owes).
    ``late``: not submitted and the as-of date is past the deadline, or submitted after the deadline.
    """

    unit: Unit
    state: str
    late: bool
    submitted_on: _dt.date | None
    tasks: int
    reported: int
    counts: dict[str, int]
    missing: list[str] = field(default_factory=list)


@dataclass
class TaskRow:
    """One task of the plan across the units it concerns.

    ``due`` is the due date that applies on the board's as-of date (a yearly task: the end of the year under
    way within the plan's period); ``overdue`` whether that date is past and the task not done overall;
    ``overall`` a status id over the submitted reports (``no-report`` when none speaks of it); ``by_unit`` maps
    every unit the task concerns, in the data's order, to its submitted status id or None (not reported);
    ``figures`` the submitted figures summed; ``due_dates`` every date it is due over the plan.
    """

    id: str
    group_id: str
    group_title: str
    text: str
    due: _dt.date | None
    overdue: bool
    overall: str
    by_unit: dict[str, str | None]
    figures: dict[str, int]
    #: Every date the task is due over the plan (a yearly task: each year end of the plan's period).
    due_dates: list[_dt.date] = field(default_factory=list)


@dataclass
class Board:
    """The board of a collection as of ``as_of``: its units, its tasks, the figures summed.

    ``groups`` lists (group id, short title) of the plan's task groups, for a filter; ``figures`` sums the
    figures of the submitted reports by figure id; ``figure_labels`` gives each figure id's words (the plan's
    own figures when it has any, else ``data/figures.yaml``'s).
    """

    as_of: _dt.date
    deadline: _dt.date | None
    units: list[UnitRow]
    tasks: list[TaskRow]
    groups: list[tuple[str, str]]
    figures: dict[str, int]
    figure_labels: dict[str, str]
    #: Each figure id's unit of count (``buổi``; empty when the plan's figure has none).
    figure_units: dict[str, str] = field(default_factory=dict)
    #: task id → unit id → that unit's submitted figures on the task (to sum again when filtered by unit).
    unit_figures: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict, repr=False)

    def counts(self) -> dict[str, int]:
        """Units by state — ``submitted``, ``draft``, ``not-started`` — and ``late`` (units counted late, of any
        state)."""
        out = {s: 0 for s in STATES}
        for row in self.units:
            out[row.state] += 1
        out["late"] = sum(1 for row in self.units if row.late)
        return out

    def filtered(self, group: str | None = None, unit: str | None = None) -> Board:
        """The board of one task group and/or one unit: its tasks, and with *unit* that unit's row and the tasks
        concerning it with that unit's status and figures only. Unknown ids give an empty board."""
        tasks = [t for t in self.tasks if group is None or t.group_id == group]
        units = self.units
        unit_figures = self.unit_figures
        if unit is not None:
            units = [r for r in self.units if r.unit.id == unit]
            tasks = [
                replace(
                    t,
                    by_unit={unit: t.by_unit[unit]},
                    figures=dict(self.unit_figures.get(t.id, {}).get(unit, {})),
                )
                for t in tasks
                if unit in t.by_unit
            ]
            unit_figures = {t.id: {unit: t.figures} for t in tasks}
        figures = _sum(t.figures for t in tasks)
        groups = [g for g in self.groups if any(t.group_id == g[0] for t in tasks)]
        return Board(
            self.as_of,
            self.deadline,
            units,
            tasks,
            groups,
            figures,
            dict(self.figure_labels),
            dict(self.figure_units),
            unit_figures,
        )

    def behind(self) -> list[UnitRow]:
        """The units to chase: those that have not submitted, late ones first, then in the data's order."""
        rows = [r for r in self.units if r.state != SUBMITTED]
        return sorted(rows, key=lambda r: not r.late)  # sorted() is stable: the data's order within each


def _sum(parts) -> dict[str, int]:
    out: dict[str, int] = {}
    for figures in parts:
        for k, v in figures.items():
            out[k] = out.get(k, 0) + v
    return out


def build_board(plan: Plan, entries: list[Entry], as_of: _dt.date, deadline: _dt.date | None, ref: RefData) -> Board:
    """The board of a collection on *plan* as of *as_of*, with the units' reports described by *entries*.

    The units are those the plan concerns (the units of *ref* that report on it, as ``vanban report`` expects
    them), in *ref*'s order; an entry of another unit is ignored, and of two entries of one unit the first is
    used. Only submitted entries are rolled up (each task's overall status, overdue, figures); a draft counts on
    its unit's row only. One pass over the plan and the reports: nothing is parsed again per unit.

    Raises ValueError (its message says what to add) when the plan has yearly tasks but does not say its years:
    :func:`generator.transform.rollup.check_report_dates` finds that beforehand, located in the plan.
    """
    by_unit: dict[str, Entry] = {}
    for e in entries:
        by_unit.setdefault(e.unit_id, e)
    submitted = []
    for uid, e in by_unit.items():
        if e.state == SUBMITTED and e.progress is not None:
            # The collection's unit is the entry's: a progress naming another unit is counted for this one.
            submitted.append(e.progress if e.progress.unit == uid else e.progress.model_copy(update={"unit": uid}))
    roll = roll_up(plan, submitted, as_of, ref)

    concerned: dict[str, list[str]] = {u.id: [] for u in roll.expected}  # unit id → its task ids, in plan order
    tasks: list[TaskRow] = []
    unit_figures: dict[str, dict[str, dict[str, int]]] = {}
    for t in roll.tasks:
        for u in t.units:
            concerned[u.id].append(t.task.id)
        tasks.append(
            TaskRow(
                id=t.task.id,
                group_id=t.group.id,
                group_title=t.group.title,
                text=t.task.text,
                due=t.due,
                overdue=t.overdue,
                overall=t.overall,
                by_unit={u.id: (t.by_unit[u.id].status if u.id in t.by_unit else None) for u in t.units},
                figures=t.figures,
                due_dates=due_dates(plan, t.task),
            )
        )
        unit_figures[t.task.id] = {uid: tp.figures for uid, tp in t.by_unit.items() if tp.figures}

    units: list[UnitRow] = []
    status_ids = list(statuses())  # once: statuses() looks the data folders up on each call
    for u in roll.expected:
        mine = concerned[u.id]
        entry = by_unit.get(u.id)
        state = entry.state if entry is not None else NOT_STARTED
        progress = entry.progress if entry is not None else None
        given = {tp.task: tp.status for tp in progress.tasks} if progress is not None else {}
        counts = dict.fromkeys(status_ids, 0)
        missing = []
        for tid in mine:
            status = given.get(tid)
            if status is None:
                missing.append(tid)
                counts[NO_REPORT] += 1
            else:
                counts[status] += 1
        submitted_on = None
        if state == SUBMITTED and entry is not None:
            submitted_on = entry.submitted_on or (progress.reported if progress is not None else None)
        if deadline is None:
            late = False
        elif state == SUBMITTED:
            late = submitted_on is not None and submitted_on > deadline
        else:
            late = as_of > deadline
        units.append(UnitRow(u, state, late, submitted_on, len(mine), len(mine) - len(missing), counts, missing))

    asked = figures_of(plan, ref)
    groups = [(g.id, vn.short_title(g.title, 60)) for g in plan.appendix.groups] if plan.appendix else []
    return Board(
        as_of=as_of,
        deadline=deadline,
        units=units,
        tasks=tasks,
        groups=groups,
        figures=roll.totals(),
        figure_labels={fid: f.label for fid, f in asked.items()},
        figure_units={fid: f.unit for fid, f in asked.items()},
        unit_figures=unit_figures,
    )


# ----------------------------------------------------------------------------- Excel


def _date(d: _dt.date | None) -> str:
    return vn.citation_date(d.year, d.month, d.day) if d else ""


def _state_words(row: UnitRow) -> str:
    labels = state_labels()
    words = labels[row.state]
    return f"{words}, {labels['late']}" if row.late else words


def board_workbook(board: Board) -> bytes:
    """The board as an Excel workbook, in Vietnamese whatever the user's language (it goes to the office): a sheet
    of the units (state, late, date submitted, tasks reported, statuses counted), a sheet of the tasks (due date,
    overdue, overall status, units by status, figures summed) and a sheet of each task's status per unit."""
    with use_language("vi"):
        return _workbook(board)


def _workbook(board: Board) -> bytes:
    as_of = _date(board.as_of)
    deadline = _("; deadline {date}", date=_date(board.deadline)) if board.deadline else ""
    labels = state_labels()
    status_ids = [s for s in statuses() if s != NO_REPORT]
    names = {r.unit.id: r.unit.name for r in board.units}
    unit_rows: list[list[object]] = [
        [
            i,
            r.unit.name,
            labels[r.state],
            "x" if r.late else "",
            r.submitted_on,
            f"{r.reported}/{r.tasks}",
            *[r.counts.get(s, 0) for s in status_ids],
            r.counts.get(NO_REPORT, 0),
        ]
        for i, r in enumerate(board.units, 1)
    ]
    units = Table(
        sheet=_("Units"),
        title=_("Reports sent by the units as of {date}{deadline}", date=as_of, deadline=deadline),
        head=[
            _("No."),
            _("Unit"),
            _("State"),
            _("Late"),
            _("Sent on"),
            _("Tasks reported"),
            *[status_label(s).capitalize() for s in status_ids],
            status_label(NO_REPORT).capitalize(),
        ],
        rows=unit_rows,
        widths=[6, 40, 22, 10, 12, 14] + [14] * (len(status_ids) + 1),
        date_columns=(5,),
    )
    fids = list(board.figure_labels)
    task_rows: list[list[object]] = []
    for t in board.tasks:
        given = [s for s in t.by_unit.values() if s is not None]
        task_rows.append(
            [
                t.id,
                t.group_title,
                t.text,
                t.due,
                "x" if t.overdue else "",
                status_label(t.overall),
                *[sum(1 for s in given if s == sid) for sid in status_ids],
                len(t.by_unit) - len(given),
                *[t.figures.get(f, 0) for f in fids],
            ]
        )
    tasks = Table(
        sheet=_("Tasks"),
        title=_("Progress of the tasks as of {date}", date=as_of),
        head=[
            _("No."),
            _("Task group"),
            _("Task"),
            _("Due"),
            _("Overdue"),
            _("Overall"),
            *[_("Units {status}", status=status_label(s)) for s in status_ids],
            _("Units {status}", status=status_label(NO_REPORT)),
            *[board.figure_labels[f] for f in fids],
        ],
        rows=task_rows,
        widths=[8, 30, 60, 12, 9, 18] + [12] * (len(status_ids) + 1) + [14] * len(fids),
        date_columns=(4,),
    )
    detail = Table(
        sheet=_("Details"),
        title=_("Each task's status in each unit as of {date}", date=as_of),
        head=[_("Task"), _("Unit"), _("State")],
        rows=[
            [t.id, names.get(uid, uid), status_label(s if s is not None else NO_REPORT)]
            for t in board.tasks
            for uid, s in t.by_unit.items()
        ],
        widths=[10, 40, 20],
    )
    return tables_workbook([units, tasks, detail])


# ----------------------------------------------------------------------------- reminders


def _owes(row: UnitRow) -> str:
    """What a unit behind still owes, in a few words."""
    if not row.missing:
        return _("all {n} tasks entered, not sent", n=row.tasks)
    ids = ", ".join(row.missing)
    if row.reported:
        return _("{missing}/{n} tasks not reported on yet: {ids}", missing=len(row.missing), n=row.tasks, ids=ids)
    return _("{n} tasks not reported on: {ids}", n=row.tasks, ids=ids)


def _unit_name(unit: Unit) -> str:
    return unit.party.issuer if unit.party else unit.name


def reminder_text(board: Board, title: str) -> str:
    """The list of units to chase, in Vietnamese whatever the user's language (it goes to the units), ready to
    paste into a message: the collection's *title* and deadline, then one line per unit behind (late ones first)
    with its state and the tasks it still owes."""
    with use_language("vi"):
        return _reminder_text(board, title)


def _reminder_text(board: Board, title: str) -> str:
    lines = [title]
    if board.deadline:
        lines.append(_("Deadline for the report: {date}.", date=_date(board.deadline)))
    behind = board.behind()
    if not behind:
        lines.append(_("As of {date}, all {n} units have sent their report.", date=_date(board.as_of), n=len(board.units)))
        return "\n".join(lines) + "\n"
    lines.append(
        _(
            "As of {date}, {behind}/{n} units have not sent their report:",
            date=_date(board.as_of),
            behind=len(behind),
            n=len(board.units),
        )
    )
    for i, row in enumerate(behind, 1):
        lines.append(f"{i}. {_unit_name(row.unit)} ({_state_words(row)}): {_owes(row)}.")
    return "\n".join(lines) + "\n"


def reminder_messages(board: Board, title: str) -> list[tuple[Unit, str, str]]:
    """One reminder per unit behind (late ones first): (unit, subject, body), in Vietnamese whatever the user's
    language, for an e-mail."""
    with use_language("vi"):
        return [_reminder(board, row, title) for row in board.behind()]


def _reminder(board: Board, row: UnitRow, title: str) -> tuple[Unit, str, str]:
    as_of = _date(board.as_of)
    if row.late and board.deadline:
        when = _(
            "The deadline was {deadline}; as of {date}, the unit has not sent its report.",
            deadline=_date(board.deadline),
            date=as_of,
        )
    else:
        when = _("As of {date}, the unit has not sent its report.", date=as_of)
    if row.late:
        ask = _("Please complete and send the report urgently.")
    elif board.deadline:
        ask = _("Please complete and send the report before {date}.", date=_date(board.deadline))
    else:
        ask = _("Please complete and send the report soon.")
    body = "\n".join(
        [
            _("To: {unit}.", unit=_unit_name(row.unit)),
            "",
            _("Subject: {title}.", title=title),
            when + " " + _("State: {state}; {owes}.", state=state_labels()[row.state], owes=_owes(row)),
            ask,
            "",
            _("Best regards."),
            "",
        ]
    )
    return row.unit, _("Reminder to send the report: {title}", title=title), body
