"""The ``vanban`` command line. Only this module knows about arguments, exit codes and the terminal."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .convert import ConvertError, Options, check_environment, convert
from .fsutil import OutputError, check_target, write_atomic
from .loader import LoadError, load_plan
from .model import Plan
from .refdata import load as load_refdata
from .render import RenderError, render_plan

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
                click.echo(f"vanban: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vanban")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an internal error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn structured data into Party documents (Kế hoạch, Báo cáo) in the format of 36-HD/VPTW.

    \b
    Example:
      vanban render samples/ke-hoach-41-ct-tw/plan.yaml -o out/
    """
    ctx.ensure_object(dict)["debug"] = debug


def _load(paths: tuple[str, ...]) -> list[tuple[Path, Plan]] | None:
    """Load every file, printing all problems of all files; None when any has an error."""
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
        plans.append((Path(name), loaded.plan))
    return None if failed else plans


@main.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the DOCX files.")
@click.option("--name", help="File name without .docx (one plan only); default: the YAML file's name.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--pdf", is_flag=True, help="Also convert each DOCX to PDF beside it (LibreOffice).")
@click.option("--pdfa", is_flag=True, help="Like --pdf, as archival PDF/A-2.")
@click.pass_context
def render(ctx: click.Context, plans: tuple[str, ...], out_dir: str, name: str | None, force: bool, pdf: bool, pdfa: bool) -> None:
    """Render PLANS (YAML) to DOCX in OUT, and to PDF with --pdf.

    Every file is checked before anything is written: one bad plan writes nothing.

    \b
    Example:
      vanban render samples/ke-hoach-41-ct-tw/plan.yaml -o out/ --pdf
    """
    if name and len(plans) > 1:
        raise click.UsageError("--name applies to a single plan")
    loaded = _load(plans)
    if loaded is None:
        ctx.exit(EXIT_INPUT)
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
            raise OutputError("two plans would write the same file name; render them separately with --name")
        ref = load_refdata()
        rendered = [render_plan(plan, ref) for _, plan in loaded]
        for target, data in zip(targets, rendered):
            write_atomic(target, data, force)
            click.echo(f"wrote {target}")
    except (OutputError, RenderError, ConvertError) as exc:
        click.echo(f"vanban: {exc}", err=True)
        ctx.exit(EXIT_INPUT)
    if pdf or pdfa:
        _to_pdf(ctx, targets, out, Options(pdfa=pdfa, force=True))


def _to_pdf(ctx: click.Context, docs: list[Path], out: Path, opts: Options) -> None:
    """Convert, report each PDF and each failure by name, exit 1 if any failed."""
    try:
        outcomes = convert(docs, out, opts)
    except ConvertError as exc:
        click.echo(f"vanban: {exc}", err=True)
        ctx.exit(EXIT_INPUT)
    failed = [o for o in outcomes if not o.ok]
    for o in outcomes:
        if o.ok:
            click.echo(f"wrote {o.pdf}")
        else:
            click.echo(f"vanban: {o.source}: no PDF: {o.error}", err=True)
    if failed:
        click.echo(f"{len(outcomes) - len(failed)} converted, {len(failed)} failed", err=True)
        ctx.exit(EXIT_INPUT)


@main.command()
@click.argument("docs", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the PDF files.")
@click.option("--force", is_flag=True, help="Overwrite existing PDF files.")
@click.option("--pdfa", is_flag=True, help="Archival PDF/A-2.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds allowed per document (plus LibreOffice's start-up).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="LibreOffice processes side by side.")
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


@main.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.pass_context
def validate(ctx: click.Context, plans: tuple[str, ...]) -> None:
    """Check PLANS (YAML) and list every problem with file:line:column and field."""
    if _load(plans) is None:
        ctx.exit(EXIT_INPUT)
    click.echo(f"{len(plans)} file(s) valid")


@main.command()
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False), help="Write to a file instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite the output file.")
@click.pass_context
def schema(ctx: click.Context, out_file: str | None, force: bool) -> None:
    """Print the JSON Schema of a plan, for editor completion of the YAML.

    \b
    In VS Code (YAML extension), first line of a plan:
      # yaml-language-server: $schema=vanban-plan.schema.json
    """
    text = json.dumps(Plan.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if not out_file:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(Path(out_file), text.encode("utf-8"), force)
    except OutputError as exc:
        click.echo(f"vanban: {exc}", err=True)
        ctx.exit(EXIT_INPUT)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
