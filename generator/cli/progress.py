"""``vanban progress-form``, ``report`` and ``validate``: the units' progress and the Báo cáo rolled up from it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from generator.cli.common import EXIT_INPUT, as_of_date, load, period_option, say, summary, to_pdf
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
@click.option("-o", "--out", "out_file", required=True, type=click.Path(), help=_("The .xlsx form to write; a folder with --all."))
@click.option("--force", is_flag=True, help=_("Overwrite the file."))
@click.pass_context
def progress_form(ctx: click.Context, plan_file: str, unit_id: str | None, all_units: bool, out_file: str, force: bool) -> None:
    """Write an Excel form for UNIT (or every unit, --all) to report its progress on PLAN's tasks.

    \b
    Examples:
      vanban progress-form samples/ke-hoach-41-ct-tw/plan.yaml --unit cong-ty-129 -o cong-ty-129.xlsx
      vanban progress-form samples/ke-hoach-41-ct-tw/plan.yaml --all -o bieu-mau/
    """
    from generator.io.excel import form_title, write_form

    if bool(unit_id) == all_units:
        raise click.UsageError(_('give exactly one of --unit UNIT, --all'))
    loaded = load((plan_file,))
    if loaded is None:
        ctx.exit(EXIT_INPUT)
    ((_path, plan),) = loaded
    ref = load_refdata()
    if all_units:
        _all_forms(ctx, plan, ref, Path(out_file), force)
        return
    if unit_id not in ref.units:
        click.echo(_('vanban: unknown unit {unit_id}; known units: {value}', unit_id=repr(unit_id), value=', '.join(ref.units)), err=True)
        ctx.exit(EXIT_INPUT)
    try:
        data = write_form(plan, ref.units[unit_id], ref, form_title(plan, ref))
        write_atomic(Path(out_file), data, force)
    except (ValueError, OutputError) as exc:
        click.echo(_('vanban: {exc}', exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    click.echo(_('wrote {out_file}', out_file=out_file))


def _all_forms(ctx: click.Context, plan: Plan, ref, folder: Path, force: bool) -> None:
    """One form per unit that reports on *plan*, named UNIT.xlsx; nothing is written if one cannot be."""
    from generator.model.concern import concerning_tasks
    from generator.io.excel import form_title, write_form
    from generator.transform.rollup import issuing_units

    units = [u for u in issuing_units(plan, ref) if concerning_tasks(plan, u)]
    done = {u.id for u in units}
    skipped = [(u.id, _("issues no plan of its own") if u.party is None else _("no task of the plan concerns it"))
               for u in ref.units.values() if u.id not in done]
    targets = [folder / f"{u.id}.xlsx" for u in units]
    try:
        if folder.exists() and not folder.is_dir():
            raise OutputError(_('{path}: is a file; with --all, -o names a folder', path=folder))
        for target in targets:
            check_target(target, force)
        title = form_title(plan, ref)
        for unit, target in zip(units, targets):
            write_atomic(target, write_form(plan, unit, ref, title), force)
            click.echo(_('wrote {out_file}', out_file=target))
    except (ValueError, OutputError) as exc:
        click.echo(_('vanban: {exc}', exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    summary(len(targets), skipped, [])


@click.command()
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=True))
@click.option("--progress", "progress_paths", required=True, multiple=True, type=click.Path(),
              help=_("A folder of progress files (.yaml, .xlsx), or one file; repeat for several."))
@click.option("--period", required=True, callback=period_option, metavar="so-ket|tong-ket",
              help=_("Báo cáo sơ kết (so-ket) or tổng kết (tong-ket); the Vietnamese words are accepted too."))
@click.option("--as-of", "as_of", required=True, callback=as_of_date, help=_("Date the report speaks of, YYYY-MM-DD."))
@click.option("-o", "--out", "out_file", required=True, type=click.Path(), help=_("The .docx to write (the .yaml with --yaml)."))
@click.option("--yaml", "as_yaml", is_flag=True, help=_("Write the report as YAML, to edit the text before rendering it."))
@click.option("--pdf", is_flag=True, help=_("Also convert the DOCX to PDF beside it."))
@click.option("--force", is_flag=True, help=_("Overwrite existing files."))
@click.pass_context
def report(ctx: click.Context, plan_file: str, progress_paths: tuple[str, ...], period: str, as_of, out_file: str,
           as_yaml: bool, pdf: bool, force: bool) -> None:
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
    from generator.io.loader import PROGRESS_SUFFIXES, locate
    from generator.services.progress import load_progress_files
    from generator.io.refdata import period_label
    from generator.io.yamlout import dump_plan
    from generator.transform.rollup import build_report, check_report_dates, roll_up

    loaded = load((plan_file,))
    if loaded is None:
        ctx.exit(EXIT_INPUT)
    ((plan_path, plan),) = loaded
    ref = load_refdata()
    problems = check_report_dates(plan, as_of)
    if problems:
        say(locate(plan_path, [(p.path, p.message) for p in problems]))
        ctx.exit(EXIT_INPUT)
    files: list[Path] = []
    for p in map(Path, progress_paths):
        if p.is_dir():
            for f in sorted(p.iterdir()):
                if f.name.startswith((".", "~$")):  # hidden files, Office lock files
                    continue
                if f.suffix.lower() in PROGRESS_SUFFIXES:
                    files.append(f)
                elif f.is_file():
                    click.echo(_('{f}: warning: not a progress report (.yaml or .xlsx); not read', f=f), err=True)
        else:
            files.append(p)
    progress, failed, units_seen, refused = [], False, {}, []
    with click.progressbar(length=len(files), label=_("Reading progress reports"), file=sys.stderr, show_pos=True) as bar:
        results = load_progress_files(files, plan, str(plan_path), ref, on_done=bar.update)
    for f, item, lines in results:
        say(lines)
        if item is None:
            refused.append(f)  # the report goes on without it; the unit gets a return sheet
            continue
        if item.unit in units_seen:
            click.echo(_('{f}: error: unit: {unit} already reported in {value}', f=f, unit=repr(item.unit), value=units_seen[item.unit]), err=True)
            failed = True
            continue
        units_seen[item.unit] = f
        progress.append(item)
    if failed:
        ctx.exit(EXIT_INPUT)
    out = Path(out_file)
    if out.is_dir():
        out = out / ("bao-cao.yaml" if as_yaml else "bao-cao.docx")
    sheets: dict[Path, Path] = {}
    for f in refused:  # two refused files of one name (from two folders) get a sheet each
        target, n = out.parent / f"phieu-tra-lai-{f.stem}.txt", 1
        while target in sheets:
            n += 1
            target = out.parent / f"phieu-tra-lai-{f.stem}-{n}.txt"
        sheets[target] = f

    def list_refused() -> None:
        click.echo(_('{value} progress report(s) refused, their units counted as not reported; send each its return sheet:', value=len(refused)), err=True)
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
            _write_return_sheets(sheets, plan, str(plan_path), ref, force)
        if refused and not progress:
            list_refused()
            click.echo(_('vanban: no progress report could be used; no report written'), err=True)
            ctx.exit(EXIT_INPUT)
        rolled = roll_up(plan, progress, as_of, ref)
        rel = os.path.relpath(plan_path.resolve(), out.parent.resolve())
        doc = build_report(rolled, period, ref, plan_file=rel)
        if as_yaml:
            text = dump_plan(doc, _("Báo cáo {period} rolled up by `vanban report` from {n} unit report(s).\n"
                                    "Edit the text, then: vanban render THIS.yaml -o FOLDER", period=period_label(period), n=len(progress)))
            write_atomic(out, text.encode("utf-8"), force)
        else:
            write_atomic(out, render_document(doc, ref), force, drop=[out.with_suffix(".pdf")] if pdf else ())
    except (OutputError, RenderError, ConvertError) as exc:
        click.echo(_('vanban: {exc}', exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    click.echo(_('wrote {out}', out=out))
    overdue = ", ".join(t.task.id for t in rolled.overdue) or "-"
    missing = ", ".join(u.id for u in rolled.missing) or "-"
    click.echo(_('summary: {value}/{value2} unit(s) reported; overdue tasks: {overdue}; missing units: {missing}', value=len(progress), value2=len(rolled.expected), overdue=overdue, missing=missing), err=True)
    if refused:
        list_refused()
    if pdf and not as_yaml:
        to_pdf(ctx, [out], out.parent, Options(force=True))
    if refused:
        ctx.exit(EXIT_INPUT)


def _write_return_sheets(sheets: dict[Path, Path], plan: Plan, plan_name: str, ref, force: bool) -> None:
    """A return sheet (phiếu trả lại) per refused file, in Vietnamese whatever the user's language: it goes to the unit."""
    from generator.io.excel import form_title, return_sheet
    from generator.services.progress import load_progress_files

    saved = os.environ.get("VANBAN_LANG")
    os.environ["VANBAN_LANG"] = "vi"
    try:
        again = load_progress_files(list(sheets.values()), plan, plan_name, ref, workers=1)
    finally:
        if saved is None:
            os.environ.pop("VANBAN_LANG", None)
        else:
            os.environ["VANBAN_LANG"] = saved
    title = form_title(plan, ref)
    for target, (f, _item, problems) in zip(sheets, again):
        write_atomic(target, return_sheet(f, problems, title, ref).encode("utf-8-sig"), force)
        click.echo(_('wrote {out}', out=target))


@click.command()
@click.argument("plans", metavar="FILES...", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False),
              help=_("The plan the Excel progress forms report on, to check their tasks against it."))
@click.option("--final", is_flag=True, help=_("A place still to be completed ([[…]]) is an error: the plan must be ready to issue."))
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
    plan, plan_name = None, ""
    if forms and plan_file:
        loaded = load((plan_file,))
        if loaded is None:
            ctx.exit(EXIT_INPUT)
        ((_path, plan),) = loaded
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
            click.echo(_('{name}: tasks not checked against a plan (give --plan PLAN)', name=name), err=True)
    if failed:
        ctx.exit(EXIT_INPUT)
    click.echo(_('{value} file(s) valid', value=len(plans)))
