"""``vanban derive``: the plan a subordinate unit must issue, from the plan it received."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import EXIT_INPUT, load_plan_file, partial_date, summary, to_pdf
from generator.convert.libreoffice import ConvertError, Options, check_environment
from generator.io.fsutil import OutputError, check_target
from generator.io.refdata import load as load_refdata
from generator.lang.i18n import _


@click.command()
@click.argument("parent", type=click.Path(dir_okay=True))
@click.option("--unit", "unit_id", help=_("Unit id from data/units/ (see --list)."))
@click.option("--all", "all_units", is_flag=True, help=_("One plan for every unit the plan concerns."))
@click.option("--list", "list_units", is_flag=True, help=_("List the units the plan concerns, and stop."))
@click.option("-o", "--out", "out", type=click.Path(), help=_("CHILD.yaml with --unit; a folder with --all."))
@click.option("--render", "do_render", is_flag=True, help=_("Also render each plan to DOCX."))
@click.option("--pdf", is_flag=True, help=_("Also convert each DOCX to PDF (implies --render)."))
@click.option("--draft", is_flag=True, help=_("Render with the DỰ THẢO mark although places are still to be completed."))
@click.option(
    "--date", callback=partial_date, help=_("Date of the unit plans, YYYY-MM[-DD]; default: the parent's month, day blank.")
)
@click.option(
    "--report-days",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help=_("Days before the parent's reporting deadline that the units' own deadline falls."),
)
@click.option("--force", is_flag=True, help=_("Overwrite existing files."))
@click.option("--workers", type=click.IntRange(min=1), help=_("Processes side by side (default: all cores)."))
@click.pass_context
def derive(
    ctx: click.Context,
    parent: str,
    unit_id: str | None,
    all_units: bool,
    list_units: bool,
    out: str | None,
    do_render: bool,
    pdf: bool,
    draft: bool,
    date,
    report_days: int,
    force: bool,
    workers: int | None,
) -> None:
    """Derive the plan a subordinate unit must issue from the plan it received (PARENT).

    The unit plan gets its own header and sign-off from its profile in data/units/, a căn cứ
    citing PARENT, the tasks and duties that concern the unit (each task keeps its parent id), and
    a reporting deadline before the parent's. Places the unit must complete are marked [[…]].

    \b
    Examples:
      vanban derive samples/ke-hoach-41-ct-tw/plan.yaml --list
      vanban derive samples/ke-hoach-41-ct-tw/plan.yaml --unit cong-ty-129 -o cong-ty-129.yaml
      vanban derive samples/ke-hoach-41-ct-tw/plan.yaml --all -o units/ --render --draft
    """
    from generator.services import batch
    from generator.services.derive import concerned_units, not_derived, units_to_derive

    if sum(map(bool, (unit_id, all_units, list_units))) != 1:
        raise click.UsageError(_("give exactly one of --unit UNIT, --all, --list"))
    parent_path, plan = load_plan_file(ctx, parent, "derive")
    ref = load_refdata()
    if list_units:
        for c in concerned_units(plan, ref):
            status = _("{n} task(s)", n=c.tasks) if c.concerned else _("not concerned")
            if not c.issues_plan:
                status += _("; issues no plan of its own (no 'party' in its profile)")
            click.echo(_("{id:24} {name} — {status}", id=c.unit.id, name=c.unit.name, status=status))
        return
    if not out:
        raise click.UsageError(_("-o/--out is required"))
    do_render = do_render or pdf
    settings = batch.Settings(parent_path=parent_path, date=date, report_days=report_days, draft=draft, force=force)
    if unit_id:
        if unit_id not in ref.units:
            click.echo(
                _("vanban: unknown unit {unit_id}; known units: {value}", unit_id=repr(unit_id), value=", ".join(ref.units)),
                err=True,
            )
            ctx.exit(EXIT_INPUT)
        target = Path(out)
        jobs = [
            batch.Job(
                ref.units[unit_id],
                target,
                target.with_suffix(".docx") if do_render else None,
                target.with_suffix(".pdf") if pdf else None,
            )
        ]
    else:
        folder = Path(out)
        units = units_to_derive(plan, ref)
        jobs = [
            batch.Job(
                u,
                folder / f"{u.id}.yaml",
                folder / f"{u.id}.docx" if do_render else None,
                folder / f"{u.id}.pdf" if pdf else None,
            )
            for u in units
        ]
    try:
        if pdf:
            check_environment()
        for job in jobs:
            for path in (job.yaml_path, job.docx_path, job.docx_path.with_suffix(".pdf") if pdf and job.docx_path else None):
                if path is not None:
                    check_target(path, force)
    except (OutputError, ConvertError) as exc:
        click.echo(_("vanban: {exc}", exc=exc), err=True)
        ctx.exit(EXIT_INPUT)

    with click.progressbar(
        length=len(jobs), label=_("Deriving unit plans"), file=sys.stderr, show_pos=True, show_eta=True
    ) as bar:
        results = batch.run(jobs, settings, workers=workers if all_units else 1, on_done=lambda r: bar.update(1))
    failed = [r for r in results if r.error]
    for r in results:
        for path in r.written:
            click.echo(_("wrote {path}", path=path))
        if r.error:
            click.echo(_("vanban: {unit_id}: {error}", unit_id=r.unit_id, error=r.error), err=True)
    todo_units = [r for r in results if r.todos and not r.error]
    if todo_units and not draft:
        click.echo(_("{value} plan(s) have places to complete, marked [[…]]", value=len(todo_units)), err=True)
    docx = [p for r in results for p in r.written if p.suffix == ".docx"]
    if pdf and docx:
        to_pdf(ctx, docx, docx[0].parent, Options(force=True))
    if all_units:
        summary(len(results) - len(failed), not_derived(plan, ref), [(r.unit_id, r.error) for r in failed if r.error])
    if failed:
        ctx.exit(EXIT_INPUT)
