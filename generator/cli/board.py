"""``vanban board``: the board of a progress collection in the terminal — who has reported, who is late, each
task across the units — its Excel export and the reminder text (services/board.py, shared with the web)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.cli.common import EXIT_INPUT, load_plan_file, say
from generator.io.fsutil import OutputError, check_target, write_atomic
from generator.io.refdata import load as load_refdata
from generator.lang import vn
from generator.lang.i18n import _


def _date_or_none(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("{value} is not a date as YYYY-MM-DD", value=repr(value))) from None


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """The words of the units' states and of the tasks' statuses, in the user's language."""
    states = {"submitted": _("submitted"), "draft": _("draft"), "not-started": _("not started"), "late": _("late")}
    statuses = {
        "done": _("done"),
        "in-progress": _("in progress"),
        "not-started": _("not carried out"),
        "no-report": _("not reported"),
    }
    return states, statuses


def _cut(text: str, width: int) -> str:
    return vn.short_title(text, width).ljust(width)


def _when(day: dt.date | None) -> str:
    return vn.citation_date(day.year, day.month, day.day) if day else "-"


@click.command()
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=True))
@click.argument("reports", nargs=-1, type=click.Path())
@click.option("--as-of", "as_of", callback=_date_or_none, help=_("Date the board speaks of, YYYY-MM-DD (default: today)."))
@click.option(
    "--deadline",
    callback=_date_or_none,
    help=_("The collection's deadline, YYYY-MM-DD (default: the reporting deadline the plan states)."),
)
@click.option("--xlsx", "xlsx", type=click.Path(), help=_("Also write the board as an Excel workbook."))
@click.option("--reminders", is_flag=True, help=_("Also print the list of units to chase, ready to paste into a message."))
@click.option("--force", is_flag=True, help=_("Overwrite the file."))
@click.pass_context
def board(
    ctx: click.Context,
    plan_file: str,
    reports: tuple[str, ...],
    as_of: dt.date | None,
    deadline: dt.date | None,
    xlsx: str | None,
    reminders: bool,
    force: bool,
) -> None:
    """Show who has reported on PLAN and who is behind: per unit and per task, from the units' progress REPORTS.

    REPORTS are progress files (.yaml, .xlsx) or folders of them; each unit's file counts as submitted on the
    date it gives, and a unit without one has not started. A unit is late when it has not submitted and the
    deadline is past, or when it submitted after the deadline; a task is overdue when its due date (from its
    timeframe) is past and it is not done.

    \b
    Examples:
      vanban board samples/ke-hoach-41-ct-tw/plan.yaml samples/ke-hoach-41-ct-tw/progress --as-of 2025-11-30
      vanban board plan.yaml bao-cao-don-vi/ --xlsx bang-theo-doi.xlsx --reminders
    """
    from generator.io.excel import form_title
    from generator.io.loader import locate
    from generator.services import report as reporting
    from generator.services.board import Entry, board_workbook, build_board, reminder_text
    from generator.services.progress import load_progress_files
    from generator.transform.rollup import check_report_dates

    plan_path, plan = load_plan_file(ctx, plan_file, "board")
    ref = load_refdata()
    as_of = as_of or dt.date.today()
    # A date before the plan's, or yearly tasks in a plan that does not say its years: refused at its place in
    # the plan, as `vanban report` refuses them.
    wrong = check_report_dates(plan, as_of)
    if wrong:
        say(locate(plan_path, [(p.path, p.message) for p in wrong]))
        ctx.exit(EXIT_INPUT)
    if deadline is None and plan.closing and plan.closing.report:
        deadline = plan.closing.report.deadline
    files, not_read = reporting.progress_files([Path(p) for p in reports])
    say(not_read)
    collected = reporting.collect(load_progress_files(files, plan, str(plan_path), ref))
    say(collected.problems)
    if collected.conflict:
        ctx.exit(EXIT_INPUT)
    entries = [Entry(p.unit, "submitted", p, p.reported) for p in collected.progress]
    try:
        the_board = build_board(plan, entries, as_of, deadline, ref)
    except ValueError as exc:  # yearly tasks in a plan that does not say its years
        click.echo(_("vanban: {exc}", exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    if xlsx and collected.refused:
        # A workbook showing a unit whose report was refused as "not started" would go out wrong.
        click.echo(_("{out}: not written: fix the refused progress reports first", out=xlsx), err=True)
        xlsx = None
    if xlsx:
        try:
            check_target(Path(xlsx), force)
            write_atomic(Path(xlsx), board_workbook(the_board), force)
        except OutputError as exc:
            click.echo(_("vanban: {exc}", exc=exc), err=True)
            ctx.exit(EXIT_INPUT)
    _show(the_board)
    if reminders:
        click.echo()
        click.echo(reminder_text(the_board, form_title(plan, ref)), nl=False)
    if xlsx:
        click.echo(_("wrote {out}", out=xlsx))
    if collected.refused:
        click.echo(
            _("{value} progress report(s) refused, their units counted as not reported", value=len(collected.refused)),
            err=True,
        )
        ctx.exit(EXIT_INPUT)


def _show(board) -> None:
    """The board as two tables: the units, then the tasks."""
    states, statuses = _labels()
    counts = board.counts()
    click.echo(
        _(
            "As of {as_of} (deadline {deadline}): {submitted} submitted, {draft} draft, {not_started} not started; {late} late",
            as_of=_when(board.as_of),
            deadline=_when(board.deadline),
            submitted=counts["submitted"],
            draft=counts["draft"],
            not_started=counts["not-started"],
            late=counts["late"],
        )
    )
    click.echo()
    click.echo(_("Units") + ":")
    unit_h, state_h, sent_h, tasks_h = _("Unit"), _("State"), _("Sent on"), _("Tasks")
    click.echo(
        f"  {_cut(unit_h, 40)}  {_cut(state_h, 22)}  {_cut(sent_h, 10)}  {_cut(tasks_h, 9)}  "
        + "  ".join(f"{statuses[s]:>14}" for s in statuses)
    )
    for row in board.units:
        state = states[row.state] + (f", {states['late']}" if row.late else "")
        click.echo(
            f"  {_cut(row.unit.name, 40)}  {_cut(state, 22)}  {_cut(_when(row.submitted_on), 10)}  "
            f"{_cut(f'{row.reported}/{row.tasks}', 9)}  " + "  ".join(f"{row.counts.get(s, 0):>14}" for s in statuses)
        )
    click.echo()
    click.echo(_("Tasks") + ":")
    task_h, due_h, overall_h, spread_h, overdue = _("Task"), _("Due"), _("Overall"), _("Units by status"), _("overdue")
    click.echo(f"  {_cut(task_h, 9)}  {_cut(due_h, 10)}  {_cut(overall_h, 30)}  {spread_h}")
    for t in board.tasks:
        given = list(t.by_unit.values())
        spread = ", ".join(
            f"{sum(1 for s in given if (s or 'no-report') == sid)} {statuses[sid]}"
            for sid in statuses
            if any((s or "no-report") == sid for s in given)
        )
        overall = statuses[t.overall] + (f" ({overdue})" if t.overdue else "")
        click.echo(f"  {_cut(t.id, 9)}  {_cut(_when(t.due), 10)}  {_cut(overall, 30)}  {spread}")
    if board.figures:
        click.echo()
        click.echo(_("Figures summed over the submitted reports") + ":")
        for fid, value in board.figures.items():
            unit = board.figure_units.get(fid, "")
            click.echo(f"  {board.figure_labels.get(fid, fid)}: {vn.number(value)}" + (f" {unit}" if unit else ""))
