"""The ``vanban`` command line. Only this module knows about arguments, exit codes and the terminal."""

from __future__ import annotations

import inspect
import json
import os
import sys
import traceback
from pathlib import Path

import click

from generator import __version__
from generator.convert.libreoffice import ConvertError, Options, check_environment, convert
from generator.io.fsutil import OutputError, check_target, write_atomic
from generator.io.loader import LoadError, load_plan
from generator.model.document import Plan
from generator.io.refdata import load as load_refdata
from generator.render.engine import RenderError, render_plan
from generator.lang.i18n import _, translate_click

translate_click()

EXIT_INPUT = 1  # bad input, or output that cannot be written
EXIT_INTERNAL = 3  # a bug in vanban: reported in one line unless --debug


def _say(lines, err: bool = True) -> None:
    for line in lines:
        click.echo(str(line), err=err)


class _Group(click.Group):
    """Turns every unexpected exception into one line and an exit code, unless --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - last resort, see docstring
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            else:
                click.echo(_('vanban: internal error: {value}: {exc} (run with --debug for details)', value=type(exc).__name__, exc=exc), err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vanban")
@click.option("--debug", is_flag=True, help=_("Show the Python traceback of an internal error."))
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn structured data into Party documents (Kế hoạch, Báo cáo) in the format of 36-HD/VPTW.

    \b
    Example:
      vanban render samples/ke-hoach-41-ct-tw/plan.yaml -o out/
    """
    ctx.ensure_object(dict)["debug"] = debug


def _load(paths: tuple[str, ...], *, allow_todos: bool = True) -> list[tuple[Path, Plan]] | None:
    """Load every file, printing all problems of all files; None when any has an error.

    With ``allow_todos=False`` a place still to be completed (``[[…]]``) is an error too.
    """
    ref = load_refdata()
    plans, failed = [], False
    for name in paths:
        try:
            loaded = load_plan(name, ref)
        except LoadError as exc:
            _say(exc.problems)
            failed = True
            continue
        _say(loaded.warnings)
        if loaded.todos and not allow_todos:
            _say(str(t).replace(": todo: ", ": error: ") + " (fill it in, or render with --draft)" for t in loaded.todos)
            failed = True
            continue
        plans.append((Path(name), loaded.plan))
    return None if failed else plans


@main.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help=_("Folder for the DOCX files."))
@click.option("--name", help=_("File name without .docx (one plan only); default: the YAML file's name."))
@click.option("--force", is_flag=True, help=_("Overwrite existing output files."))
@click.option("--pdf", is_flag=True, help=_("Also convert each DOCX to PDF beside it (LibreOffice)."))
@click.option("--pdfa", is_flag=True, help=_("Like --pdf, as archival PDF/A-2."))
@click.option("--draft", is_flag=True, help=_("Print the DỰ THẢO mark; allows places still to be completed ([[…]])."))
@click.option("--template", "template", type=click.Path(dir_okay=False),
              help=_("Your own Word template (check it first: vanban template check)."))
@click.pass_context
def render(ctx: click.Context, plans: tuple[str, ...], out_dir: str, name: str | None, force: bool, pdf: bool, pdfa: bool,
           draft: bool, template: str | None) -> None:
    """Render PLANS (YAML) to DOCX in OUT, and to PDF with --pdf.

    Every file is checked before anything is written: one bad plan writes nothing.

    \b
    Example:
      vanban render samples/ke-hoach-41-ct-tw/plan.yaml -o out/ --pdf
    """
    if name and len(plans) > 1:
        raise click.UsageError(_('--name applies to a single plan'))
    loaded = _load(plans, allow_todos=draft)
    if loaded is None:
        ctx.exit(EXIT_INPUT)
    if draft:
        loaded = [(path, plan.as_draft()) for path, plan in loaded]
    out = Path(out_dir)
    targets = [out / f"{name or path.stem}.docx" for path, _ in loaded]
    try:
        if pdf or pdfa:
            check_environment()
        for target in targets:
            check_target(target, force)
            if pdf or pdfa:
                check_target(target.with_suffix(".pdf"), force)
        if len(set(targets)) != len(targets):
            raise OutputError(_('two plans would write the same file name; render them separately with --name'))
        ref = load_refdata()
        rendered = [render_plan(plan, ref, template) for _path, plan in loaded]
        for target, data in zip(targets, rendered):
            write_atomic(target, data, force)
            click.echo(_('wrote {target}', target=target))
    except (OutputError, RenderError, ConvertError) as exc:
        click.echo(_('vanban: {exc}', exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    if pdf or pdfa:
        _to_pdf(ctx, targets, out, Options(pdfa=pdfa, force=True))


def _summary(written: int, skipped: list[tuple[str, str]], failed: list[tuple[str, str]]) -> None:
    """The closing table of a long operation: written, skipped and failed, with reasons."""
    click.echo(_("Summary: {written} written, {skipped} skipped, {failed} failed",
                 written=written, skipped=len(skipped), failed=len(failed)), err=True)
    for label, rows in ((_("skipped"), skipped), (_("failed"), failed)):
        for name, reason in rows:
            click.echo(f"  {label:10} {name}: {reason}", err=True)


def _to_pdf(ctx: click.Context, docs: list[Path], out: Path, opts: Options) -> None:
    """Convert, report each PDF and each failure by name, exit 1 if any failed."""
    try:
        if len(docs) > 1:
            with click.progressbar(length=len(docs), label=_("Converting to PDF"), file=sys.stderr,
                                   show_pos=True, show_eta=True) as bar:
                outcomes = convert(docs, out, opts, on_progress=bar.update)
        else:
            outcomes = convert(docs, out, opts)
    except ConvertError as exc:
        click.echo(_('vanban: {exc}', exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    failed = [o for o in outcomes if not o.ok]
    for o in outcomes:
        if o.ok:
            click.echo(_('wrote {pdf}', pdf=o.pdf))
        else:
            click.echo(_('vanban: {source}: no PDF: {error}', source=o.source, error=o.error), err=True)
    if failed:
        click.echo(_('{value} converted, {value2} failed', value=len(outcomes) - len(failed), value2=len(failed)), err=True)
    if len(docs) > 1:
        _summary(len(outcomes) - len(failed), [], [(str(o.source), o.error) for o in failed])
    if failed:
        ctx.exit(EXIT_INPUT)


@main.command()
@click.argument("docs", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help=_("Folder for the PDF files."))
@click.option("--force", is_flag=True, help=_("Overwrite existing PDF files."))
@click.option("--pdfa", is_flag=True, help=_("Archival PDF/A-2."))
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help=_("Seconds allowed per document (plus LibreOffice's start-up)."))
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help=_("LibreOffice processes side by side."))
@click.pass_context
def pdf(ctx: click.Context, docs: tuple[str, ...], out_dir: str, force: bool, pdfa: bool, timeout: float, workers: int) -> None:
    """Convert DOCX files to PDF with LibreOffice, in batches, two processes at a time.

    A file that fails is named with the reason; every other PDF is still written.

    \b
    Example:
      vanban pdf samples/ke-hoach-41-ct-tw/plan.docx -o out/
    """
    opts = Options(pdfa=pdfa, force=force, timeout_per_doc=timeout, workers=workers)
    _to_pdf(ctx, [Path(d) for d in docs], Path(out_dir), opts)


def _partial_date(ctx, param, value):
    if value is None:
        return None
    from generator.model.document import _parse_partial_date

    try:
        return _parse_partial_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.argument("parent", type=click.Path(dir_okay=True))
@click.option("--unit", "unit_id", help=_("Unit id from data/units/ (see --list)."))
@click.option("--all", "all_units", is_flag=True, help=_("One plan for every unit the plan concerns."))
@click.option("--list", "list_units", is_flag=True, help=_("List the units the plan concerns, and stop."))
@click.option("-o", "--out", "out", type=click.Path(), help=_("CHILD.yaml with --unit; a folder with --all."))
@click.option("--render", "do_render", is_flag=True, help=_("Also render each plan to DOCX."))
@click.option("--pdf", is_flag=True, help=_("Also convert each DOCX to PDF (implies --render)."))
@click.option("--draft", is_flag=True, help=_("Render with the DỰ THẢO mark although places are still to be completed."))
@click.option("--date", callback=_partial_date, help=_("Date of the unit plans, YYYY-MM[-DD]; default: the parent's month, day blank."))
@click.option("--report-days", type=click.IntRange(min=0), default=5, show_default=True,
              help=_("Days before the parent's reporting deadline that the units' own deadline falls."))
@click.option("--force", is_flag=True, help=_("Overwrite existing files."))
@click.option("--workers", type=click.IntRange(min=1), help=_("Processes side by side (default: all cores)."))
@click.pass_context
def derive(ctx: click.Context, parent: str, unit_id: str | None, all_units: bool, list_units: bool, out: str | None,
           do_render: bool, pdf: bool, draft: bool, date, report_days: int, force: bool, workers: int | None) -> None:
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
    from generator.transform.derive import concerning_tasks, duties

    if sum(map(bool, (unit_id, all_units, list_units))) != 1:
        raise click.UsageError(_('give exactly one of --unit UNIT, --all, --list'))
    loaded = _load((parent,))
    if loaded is None:
        ctx.exit(EXIT_INPUT)
    (parent_path, plan), = loaded
    ref = load_refdata()
    concerned = {u.id: u for u in ref.units.values() if concerning_tasks(plan, u) or duties(plan, u)}
    if list_units:
        for u in ref.units.values():
            n = len(concerning_tasks(plan, u))
            status = f"{n} task(s)" if u.id in concerned else "not concerned"
            if u.party is None:
                status += "; issues no plan of its own (no 'party' in its profile)"
            click.echo(_('{id:24} {name} — {status}', id=u.id, name=u.name, status=status))
        return
    if not out:
        raise click.UsageError(_('-o/--out is required'))
    do_render = do_render or pdf
    settings = batch.Settings(parent_path=parent_path, date=date, report_days=report_days, draft=draft, force=force)
    if unit_id:
        if unit_id not in ref.units:
            click.echo(_('vanban: unknown unit {unit_id}; known units: {value}', unit_id=repr(unit_id), value=', '.join(ref.units)), err=True)
            ctx.exit(EXIT_INPUT)
        target = Path(out)
        jobs = [batch.Job(ref.units[unit_id], target, target.with_suffix(".docx") if do_render else None)]
    else:
        folder = Path(out)
        units = [u for u in concerned.values() if u.party is not None]
        jobs = [batch.Job(u, folder / f"{u.id}.yaml", folder / f"{u.id}.docx" if do_render else None) for u in units]
    try:
        if pdf:
            check_environment()
        for job in jobs:
            for path in (job.yaml_path, job.docx_path, job.docx_path.with_suffix(".pdf") if pdf and job.docx_path else None):
                if path is not None:
                    check_target(path, force)
    except (OutputError, ConvertError) as exc:
        click.echo(_('vanban: {exc}', exc=exc), err=True)
        ctx.exit(EXIT_INPUT)

    with click.progressbar(length=len(jobs), label=_("Deriving unit plans"), file=sys.stderr, show_pos=True, show_eta=True) as bar:
        results = batch.run(jobs, settings, workers=workers if all_units else 1, on_done=lambda r: bar.update(1))
    failed = [r for r in results if r.error]
    for r in results:
        for path in r.written:
            click.echo(_('wrote {path}', path=path))
        if r.error:
            click.echo(_('vanban: {unit_id}: {error}', unit_id=r.unit_id, error=r.error), err=True)
    todo_units = [r for r in results if r.todos and not r.error]
    if todo_units and not draft:
        click.echo(_('{value} plan(s) have places to complete, marked [[…]]', value=len(todo_units)), err=True)
    docx = [p for r in results for p in r.written if p.suffix == ".docx"]
    if pdf and docx:
        _to_pdf(ctx, docx, docx[0].parent, Options(force=True))
    if all_units:
        done = {j.unit.id for j in jobs}
        skipped = [(u.id, _("issues no plan of its own") if u.party is None else _("not concerned by the plan"))
                   for u in ref.units.values() if u.id not in done]
        _summary(len(results) - len(failed), skipped, [(r.unit_id, r.error) for r in failed])
    if failed:
        ctx.exit(EXIT_INPUT)


def _as_of(ctx, param, value):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_('{value} is not a date as YYYY-MM-DD', value=repr(value))) from None


@main.command("progress-form")
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=True))
@click.option("--unit", "unit_id", required=True, help=_("Unit id from data/units/."))
@click.option("-o", "--out", "out_file", required=True, type=click.Path(dir_okay=False), help=_("The .xlsx form to write."))
@click.option("--force", is_flag=True, help=_("Overwrite the file."))
@click.pass_context
def progress_form(ctx: click.Context, plan_file: str, unit_id: str, out_file: str, force: bool) -> None:
    """Write an Excel form for UNIT to report its progress on PLAN's tasks.

    \b
    Example:
      vanban progress-form samples/ke-hoach-41-ct-tw/plan.yaml --unit cong-ty-129 -o cong-ty-129.xlsx
    """
    from generator.io.excel import form_title, write_form

    loaded = _load((plan_file,))
    if loaded is None:
        ctx.exit(EXIT_INPUT)
    ((_path, plan),) = loaded
    ref = load_refdata()
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


@main.command()
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=True))
@click.option("--progress", "progress_paths", required=True, multiple=True, type=click.Path(),
              help=_("A folder of progress files (.yaml, .xlsx), or one file; repeat for several."))
@click.option("--period", required=True, type=click.Choice(["sơ-kết", "tổng-kết"]), help=_("Báo cáo sơ kết or tổng kết."))
@click.option("--as-of", "as_of", required=True, callback=_as_of, help=_("Date the report speaks of, YYYY-MM-DD."))
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
    from generator.io.loader import load_progress_files
    from generator.transform.rollup import build_report, roll_up
    from generator.io.yamlout import dump_plan

    loaded = _load((plan_file,))
    if loaded is None:
        ctx.exit(EXIT_INPUT)
    ((plan_path, plan),) = loaded
    ref = load_refdata()
    files: list[Path] = []
    for p in map(Path, progress_paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix in (".yaml", ".yml", ".xlsx") and not f.name.startswith((".", "~$")))
        else:
            files.append(p)
    progress, failed, units_seen = [], False, {}
    with click.progressbar(length=len(files), label=_("Reading progress reports"), file=sys.stderr, show_pos=True) as bar:
        results = load_progress_files(files, plan, str(plan_path), ref, on_done=bar.update)
    for f, item, lines in results:
        _say(lines)
        if item is None:
            failed = True
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
    try:
        check_target(out, force)
        if pdf and not as_yaml:
            check_environment()
            check_target(out.with_suffix(".pdf"), force)
        rolled = roll_up(plan, progress, as_of, ref)
        rel = os.path.relpath(plan_path.resolve(), out.parent.resolve())
        doc = build_report(rolled, period, ref, plan_file=rel)
        if as_yaml:
            text = dump_plan(doc, f"Báo cáo {period} rolled up by `vanban report` from {len(progress)} unit report(s).\n"
                                  "Edit the text, then: vanban render THIS.yaml -o FOLDER")
            write_atomic(out, text.encode("utf-8"), force)
        else:
            write_atomic(out, render_plan(doc, ref), force)
    except (OutputError, RenderError, ConvertError) as exc:
        click.echo(_('vanban: {exc}', exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    click.echo(_('wrote {out}', out=out))
    overdue = ", ".join(t.task.id for t in rolled.overdue) or "-"
    missing = ", ".join(u.id for u in rolled.missing) or "-"
    click.echo(_('summary: {value}/{value2} unit(s) reported; overdue tasks: {overdue}; missing units: {missing}', value=len(progress), value2=len(rolled.expected), overdue=overdue, missing=missing), err=True)
    if pdf and not as_yaml:
        _to_pdf(ctx, [out], out.parent, Options(force=True))


@main.command()
@click.option("-o", "--out", "out_dir", default=".", show_default=True, type=click.Path(file_okay=False),
              help=_("The folder you will write documents to."))
@click.pass_context
def doctor(ctx: click.Context, out_dir: str) -> None:
    """Report what vanban needs and whether it is installed and usable, and what to do if not.

    \b
    Example:
      vanban doctor -o out/
    """
    import importlib.metadata
    import subprocess
    import tempfile

    from generator.convert.libreoffice import INSTALL_HINT, find_soffice, resolved_font
    from generator.lang.i18n import LOCALE_DIR, language

    ok_all = True

    def line(ok: bool, what: str, detail: str, fix: str = "", required: bool = True) -> None:
        nonlocal ok_all
        mark = "✓" if ok else ("✗" if required else "!")
        ok_all = ok_all and (ok or not required)
        click.echo(f"{mark} {what}: {detail}" + (f" — {fix}" if fix and not ok else ""))

    line(sys.version_info >= (3, 11), "Python", sys.version.split()[0], _("install Python 3.11 or newer"))
    for dist in ("docxtpl", "python-docx", "Jinja2", "lxml", "babel", "click", "PyYAML", "pydantic", "openpyxl",
                 "matplotlib", "roman"):
        try:
            line(True, dist, importlib.metadata.version(dist))
        except importlib.metadata.PackageNotFoundError:
            line(False, dist, _("not installed"), _("run: pip install -e . (or bash .ci/setup)"))
    soffice = find_soffice()
    version = ""
    if soffice:
        try:
            version = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            version = soffice
    line(bool(soffice), "LibreOffice", version or _("not found (needed for PDF only)"), INSTALL_HINT, required=False)
    font = resolved_font()
    good = bool(font) and any(f in font for f in ("Times New Roman", "Liberation Serif"))
    line(good, _("font for Times New Roman"), font or _("fontconfig not found"),
         _("install fonts-liberation2 (PDF would use another font)"), required=False)
    mo = LOCALE_DIR / "vi" / "LC_MESSAGES" / "vanban.mo"
    line(mo.exists(), _("Vietnamese messages"), _("compiled") if mo.exists() else _("read from the .po file"),
         _("run: python -m generator.lang.i18n compile"), required=False)
    click.echo(_("  language now: {lang} (VANBAN_LANG=vi or a vi_* locale for Vietnamese)", lang=language()))
    try:
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
        line(True, _("output folder"), str(folder.resolve()))
    except OSError as exc:
        line(False, _("output folder"), f"{out_dir}: {exc.strerror or exc}", _("choose a folder you can write to"))
    if not ok_all:
        ctx.exit(EXIT_INPUT)


@main.group()
def template() -> None:
    """Your own Word templates: check them, list the fields they may use."""


@template.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--kind", type=click.Choice(["ke-hoach", "bao-cao"]), default="ke-hoach", show_default=True,
              help=_("The kind of document the template is for."))
@click.pass_context
def template_check(ctx: click.Context, files: tuple[str, ...], kind: str) -> None:
    """Lint templates: split tags, smart quotes, unbalanced blocks, row tags outside rows, unknown fields.

    \b
    Example:
      vanban template check doc_templates/ke-hoach.docx
    """
    from generator.inspect.template_check import check_template

    errors = 0
    for name in files:
        issues = check_template(name, kind)
        for issue in issues:
            click.echo(_('{name}: {issue}', name=name, issue=issue))
        errors += sum(i.severity == "error" for i in issues)
        if not issues:
            click.echo(_('{name}: no problems found', name=name), err=True)
    if errors:
        ctx.exit(EXIT_INPUT)


@template.command("fields")
@click.argument("kind", type=click.Choice(["ke-hoach", "bao-cao"]))
def template_fields(kind: str) -> None:
    """List the variables a template of KIND may use, with their meaning.

    \b
    Example:
      vanban template fields ke-hoach
    """
    from generator.inspect.template_check import describe, fields

    for name, meaning in describe(fields(kind)):
        click.echo(_('{name:34} {meaning}', name=name, meaning=meaning))


@main.command()
@click.argument("kind", type=click.Choice(["ke-hoach"]))
@click.option("-o", "--out", "out_file", required=True, type=click.Path(dir_okay=False), help=_("The YAML file to write."))
@click.option("--force", is_flag=True, help=_("Overwrite the file."))
@click.pass_context
def new(ctx: click.Context, kind: str, out_file: str, force: bool) -> None:
    """Write a commented blank plan of KIND to start from.

    \b
    Example:
      vanban new ke-hoach -o ke-hoach-moi.yaml
    """
    from generator.io.refdata import data_dir

    try:
        write_atomic(Path(out_file), (data_dir() / "new" / f"{kind}.yaml").read_bytes(), force)
    except OutputError as exc:
        click.echo(_('vanban: {exc}', exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    click.echo(_('wrote {out_file}', out_file=out_file))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--profile", "profile_id", help=_("Rule profile (data/rules/); default: the one the document was rendered under, else hd36-2018."))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def check(ctx: click.Context, files: tuple[str, ...], profile_id: str | None, fmt: str) -> None:
    """Check the format (thể thức) of Party documents in DOCX, ours or typed by hand.

    One line per finding: severity, rule id, the clause it comes from, the paragraph (¶, in reading
    order) and its text, what was found and what is expected. Exit code 1 when there are errors.

    \b
    Example:
      vanban check samples/ke-hoach-41-ct-tw/plan.docx
      vanban check van-ban.docx --profile hd05-2026 --format json
    """
    from generator.inspect.check import CheckError, as_json, check_docx, guess_profile

    ref = load_refdata()
    if profile_id and profile_id not in ref.profiles:
        raise click.BadParameter(_('unknown profile {profile_id}; expected one of: {value}', profile_id=repr(profile_id), value=', '.join(sorted(ref.profiles))),
                                 param_hint="--profile")
    results, errors, failed = {}, 0, False
    for name in files:
        pid = profile_id or guess_profile(name) or "hd36-2018"
        try:
            findings = check_docx(name, ref.profile(pid), ref)
        except CheckError as exc:
            click.echo(_('vanban: {exc}', exc=exc), err=True)
            failed = True
            continue
        errors += sum(f.severity == "error" for f in findings)
        results[name] = (pid, findings)
    if fmt == "json":
        click.echo(json.dumps([{"file": n, "profile": pid, "findings": as_json(fs)} for n, (pid, fs) in results.items()],
                              ensure_ascii=False, indent=2))
    else:
        for name, (pid, findings) in results.items():
            for f in findings:
                click.echo(_('{name}: {value}', name=name, value=f.line()))
            n_err = sum(f.severity == "error" for f in findings)
            click.echo(_('{name}: {n_err} error(s), {value} warning(s) under profile {pid}', name=name, n_err=n_err, value=len(findings) - n_err, pid=pid), err=True)
    if errors or failed:
        ctx.exit(EXIT_INPUT)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--fix", "do_fix", is_flag=True, help=_("Repair what is safe to repair, and say what changed."))
@click.pass_context
def lint(ctx: click.Context, files: tuple[str, ...], do_fix: bool) -> None:
    """Check the text of YAML files: NFC, look-alike Đ, TCVN3/VNI text, state forms, dates, spaces.

    \b
    Example:
      vanban lint samples/ke-hoach-41-ct-tw/plan.yaml --fix
    """
    from generator.inspect.lint import LintError, lint_file

    ref = load_refdata()
    errors = 0
    for name in files:
        try:
            findings, changes = lint_file(Path(name), ref, fix=do_fix)
        except LintError as exc:
            click.echo(_('vanban: {exc}', exc=exc), err=True)
            errors += 1
            continue
        for line in changes:
            click.echo(_('{name}: fixed: {line}', name=name, line=line))
        for f in findings:
            click.echo(str(f))
        errors += sum(f.severity == "error" for f in findings)
    if errors:
        ctx.exit(EXIT_INPUT)


@main.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.pass_context
def validate(ctx: click.Context, plans: tuple[str, ...]) -> None:
    """Check PLANS (YAML) and list every problem with file:line:column and field.

    \b
    Example:
      vanban validate samples/ke-hoach-41-ct-tw/plan.yaml
    """
    if _load(plans) is None:
        ctx.exit(EXIT_INPUT)
    click.echo(_('{value} file(s) valid', value=len(plans)))


@main.command()
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False), help=_("Write to a file instead of standard output."))
@click.option("--force", is_flag=True, help=_("Overwrite the output file."))
@click.pass_context
def schema(ctx: click.Context, out_file: str | None, force: bool) -> None:
    """Print the JSON Schema of a plan, for editor completion of the YAML.

    \b
    Example:
      vanban schema -o plan.schema.json
    In VS Code (YAML extension), first line of a plan:
      # yaml-language-server: $schema=plan.schema.json
    """
    text = json.dumps(Plan.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if not out_file:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(Path(out_file), text.encode("utf-8"), force)
    except OutputError as exc:
        click.echo(_('vanban: {exc}', exc=exc), err=True)
        ctx.exit(EXIT_INPUT)




def _translate_help(command: click.Command) -> None:
    """Command help comes from docstrings (read by developers too); the user reads it translated."""
    if command.help:
        command.help = _(inspect.cleandoc(command.help))
    for sub in getattr(command, "commands", {}).values():
        _translate_help(sub)


from generator.cli.web import COMMANDS as _WEB_COMMANDS  # noqa: E402 - the web commands live in their own module

[main.add_command(_c) for _c in _WEB_COMMANDS]

_translate_help(main)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
