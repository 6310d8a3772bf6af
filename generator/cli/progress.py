"""``vanban progress-form``, ``report`` and ``validate``: the units' progress and the Báo cáo rolled up from it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import EXIT_INPUT, as_of_date, load, load_plan_file, period_option, plan_of, say, summary, to_pdf
from generator.convert.libreoffice import ConvertError, Options, check_environment
from generator.io.fsutil import OutputError, check_target, write_atomic
from generator.io.loader import LoadError
from generator.io.refdata import load as load_refdata
from generator.kinds import render_document
from generator.lang.i18n import _
from generator.model.document import Plan
from generator.render.engine import RenderError


@click.command("progress-form")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=True))
@click.option("--unit", "unit_id", help=_("Unit id from data/units/."))
@click.option("--all", "all_units", is_flag=True, help=_("One form for every unit that reports on the plan, into the folder -o."))
@click.option(
    "-o", "--out", "out_file", required=True, type=click.Path(), help=_("The .xlsx form to write; a folder with --all.")
)
@click.option("--force", is_flag=True, help=_("Overwrite the file."))
@click.pass_context
def progress_form(ctx: click.Context, plan_file: str, unit_id: str | None, all_units: bool, out_file: str, force: bool) -> None:
    """Write an Excel form for UNIT (or every unit, --all) to report its progress on PLAN's tasks.

    \b
    Examples:
      vanban progress-form samples/ke-hoach-41-ct-tw/plan.yaml --unit cong-ty-129 -o cong-ty-129.xlsx
      vanban progress-form samples/ke-hoach-41-ct-tw/plan.yaml --all -o bieu-mau/
    """
    from generator.services.forms import progress_form

    if bool(unit_id) == all_units:
        raise click.UsageError(_("give exactly one of --unit UNIT, --all"))
    plan_path, plan = load_plan_file(ctx, plan_file, "progress-form")
    ref = load_refdata()
    if all_units:
        _all_forms(ctx, plan, ref, Path(out_file), force)
        return
    if unit_id not in ref.units:
        click.echo(
            _("vanban: unknown unit {unit_id}; known units: {value}", unit_id=repr(unit_id), value=", ".join(ref.units)), err=True
        )
        ctx.exit(EXIT_INPUT)
    try:
        data = progress_form(plan, ref.units[unit_id], ref)
        write_atomic(Path(out_file), data, force)
    except (ValueError, OutputError) as exc:
        click.echo(_("vanban: {exc}", exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    click.echo(_("wrote {out_file}", out_file=out_file))


def _all_forms(ctx: click.Context, plan: Plan, ref, folder: Path, force: bool) -> None:
    """One form per unit that reports on *plan*, named UNIT.xlsx; nothing is written if one cannot be."""
    from generator.services.forms import progress_forms

    made = progress_forms(plan, ref)
    targets = [folder / f"{unit.id}.xlsx" for unit, _data in made.forms]
    try:
        if folder.exists() and not folder.is_dir():
            raise OutputError(_("{path}: is a file; with --all, -o names a folder", path=folder))
        for target in targets:
            check_target(target, force)
        for (_unit, data), target in zip(made.forms, targets, strict=True):
            write_atomic(target, data, force)
            click.echo(_("wrote {out_file}", out_file=target))
    except (ValueError, OutputError) as exc:
        click.echo(_("vanban: {exc}", exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    summary(len(targets), made.skipped, [])


@click.command()
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=True))
@click.option(
    "--progress",
    "progress_paths",
    required=True,
    multiple=True,
    type=click.Path(),
    help=_("A folder of progress files (.yaml, .xlsx), or one file; repeat for several."),
)
@click.option(
    "--period",
    required=True,
    callback=period_option,
    metavar="so-ket|tong-ket|hang-nam|…",
    help=_(
        "The report's period, an id of data/statuses.yaml: so-ket (sơ kết), tong-ket (tổng kết), hang-nam (hằng năm), "
        "so-ket-6-thang (sơ kết 6 tháng), dot-xuat (đột xuất) or the office's own; the Vietnamese words are accepted too."
    ),
)
@click.option("--as-of", "as_of", required=True, callback=as_of_date, help=_("Date the report speaks of, YYYY-MM-DD."))
@click.option("-o", "--out", "out_file", required=True, type=click.Path(), help=_("The .docx to write (the .yaml with --yaml)."))
@click.option("--yaml", "as_yaml", is_flag=True, help=_("Write the report as YAML, to edit the text before rendering it."))
@click.option("--pdf", is_flag=True, help=_("Also convert the DOCX to PDF beside it."))
@click.option("--force", is_flag=True, help=_("Overwrite existing files."))
@click.pass_context
def report(
    ctx: click.Context,
    plan_file: str,
    progress_paths: tuple[str, ...],
    period: str,
    as_of,
    out_file: str,
    as_yaml: bool,
    pdf: bool,
    force: bool,
) -> None:
    """Roll up the units' progress on PLAN into a Báo cáo (sơ kết / tổng kết).

    The report cites the plan; I. gives results by task group with each unit's words, and the
    figures summed; II. the overdue tasks and the units that did not report, or reported late;
    III. the tasks carried to the next period; the appendix, each task's status per unit and
    overall, with a chart.

    \b
    Example:
      vanban report samples/ke-hoach-41-ct-tw/plan.yaml --progress samples/ke-hoach-41-ct-tw/progress \\
        --period sơ-kết --as-of 2025-11-30 -o bao-cao.docx
    """
    from generator.io.loader import locate
    from generator.services import report as reporting
    from generator.services.progress import load_progress_files
    from generator.transform.rollup import check_report_dates

    plan_path, plan = load_plan_file(ctx, plan_file, "report")
    ref = load_refdata()
    problems = check_report_dates(plan, as_of)
    if problems:
        say(locate(plan_path, [(p.path, p.message) for p in problems]))
        ctx.exit(EXIT_INPUT)
    files, not_read = reporting.progress_files([Path(p) for p in progress_paths])
    say(not_read)
    with click.progressbar(length=len(files), label=_("Reading progress reports"), file=sys.stderr, show_pos=True) as bar:
        collected = reporting.collect(load_progress_files(files, plan, str(plan_path), ref, on_done=bar.update))
    say(collected.problems)
    if collected.conflict:
        ctx.exit(EXIT_INPUT)
    progress, refused = collected.progress, collected.refused
    out = Path(out_file)
    if out.is_dir():
        out = out / ("bao-cao.yaml" if as_yaml else "bao-cao.docx")
    sheets = reporting.return_sheet_names(refused, out.parent)

    def list_refused() -> None:
        click.echo(
            _(
                "{value} progress report(s) refused, their units counted as not reported; send each its return sheet:",
                value=len(refused),
            ),
            err=True,
        )
        for target, f in sheets.items():
            click.echo(f"  {f} → {target}", err=True)

    try:
        # Every target is checked before anything is written: a refused run writes nothing.
        for target in sheets:
            check_target(target, force)
        if progress or not refused:
            check_target(out, force)
            if pdf and not as_yaml:
                check_environment()
                check_target(out.with_suffix(".pdf"), force)
        if refused:
            for target, data in zip(sheets, reporting.return_sheets(refused, plan, str(plan_path), ref), strict=True):
                write_atomic(target, data, force)
                click.echo(_("wrote {out}", out=target))
        if refused and not progress:
            list_refused()
            click.echo(_("vanban: no progress report could be used; no report written"), err=True)
            ctx.exit(EXIT_INPUT)
        result = reporting.build(plan, plan_path, progress, period, as_of, ref, out.parent)
        if as_yaml:
            write_atomic(out, reporting.as_yaml(result, period, len(progress)), force)
        else:
            write_atomic(out, render_document(result.document, ref), force, drop=[out.with_suffix(".pdf")] if pdf else ())
    except (OutputError, RenderError, ConvertError) as exc:
        click.echo(_("vanban: {exc}", exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    click.echo(_("wrote {out}", out=out))
    rolled = result.rolled
    overdue = ", ".join(t.task.id for t in rolled.overdue) or "-"
    missing = ", ".join(u.id for u in rolled.missing) or "-"
    click.echo(
        _(
            "summary: {value}/{value2} unit(s) reported; overdue tasks: {overdue}; missing units: {missing}",
            value=len(progress),
            value2=len(rolled.expected),
            overdue=overdue,
            missing=missing,
        ),
        err=True,
    )
    if refused:
        list_refused()
    if pdf and not as_yaml:
        to_pdf(ctx, [out], out.parent, Options(force=True))
    if refused:
        ctx.exit(EXIT_INPUT)


@click.command()
@click.argument("plans", metavar="FILES...", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False),
    help=_("The plan the Excel progress forms report on, to check their tasks against it."),
)
@click.option(
    "--final", is_flag=True, help=_("A place still to be completed ([[…]]) is an error: the plan must be ready to issue.")
)
@click.pass_context
def validate(ctx: click.Context, plans: tuple[str, ...], plan_file: str | None, final: bool) -> None:
    """Check plans (YAML) and filled progress forms (.xlsx); list every problem with its place.

    A plan's problems are located by file:line:column and field, a form's by sheet!cell.

    \b
    Examples:
      vanban validate samples/ke-hoach-41-ct-tw/plan.yaml
      vanban validate cong-ty-129.xlsx --plan samples/ke-hoach-41-ct-tw/plan.yaml
    """
    from generator.io.excel import read_form
    from generator.io.loader import OTHER_SPREADSHEETS

    forms = [p for p in plans if Path(p).suffix.lower() in (".xlsx", *OTHER_SPREADSHEETS)]
    yamls = tuple(p for p in plans if p not in forms)
    failed = bool(yamls) and load(yamls, allow_todos=not final, show_todos=True) is None
    plan: Plan | None = None
    plan_name = ""
    if forms and plan_file:
        loaded = load((plan_file,))
        if loaded is None:
            ctx.exit(EXIT_INPUT)
        ((plan_path, doc),) = loaded
        plan = plan_of(ctx, plan_path, doc, "validate --plan")
        plan_name = plan_file
    ref = load_refdata()
    for name in forms:
        try:
            _progress, warnings = read_form(name, plan, plan_name, ref)
        except LoadError as exc:
            say(exc.problems)
            failed = True
            continue
        say(warnings)
        if plan is None:
            click.echo(_("{name}: tasks not checked against a plan (give --plan PLAN)", name=name), err=True)
    if failed:
        ctx.exit(EXIT_INPUT)
    click.echo(_("{value} file(s) valid", value=len(plans)))
