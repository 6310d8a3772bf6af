"""``vanban render``, ``pdf``, ``new`` and ``schema``: documents from YAML to DOCX and PDF."""

from __future__ import annotations

import json
from pathlib import Path

import click

from generator.cli.common import EXIT_INPUT, KindParam, load, to_pdf
from generator.convert.libreoffice import ConvertError, Options, check_environment
from generator.io.fsutil import OutputError, check_target, write_atomic
from generator.io.refdata import load as load_refdata
from generator.kinds import render_document
from generator.lang.i18n import _
from generator.model.document import Plan
from generator.render.engine import RenderError


@click.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help=_("Folder for the DOCX files."))
@click.option("--name", help=_("File name without .docx (one plan only); default: the YAML file's name."))
@click.option("--force", is_flag=True, help=_("Overwrite existing output files."))
@click.option("--pdf", is_flag=True, help=_("Also convert each DOCX to PDF beside it (LibreOffice)."))
@click.option("--pdfa", is_flag=True, help=_("Like --pdf, as archival PDF/A-2."))
@click.option("--draft", is_flag=True, help=_("Print the DỰ THẢO mark; allows places still to be completed ([[…]])."))
@click.option(
    "--template",
    "template",
    type=click.Path(dir_okay=False),
    help=_("Your own Word template (check it first: vanban template check)."),
)
@click.pass_context
def render(
    ctx: click.Context,
    plans: tuple[str, ...],
    out_dir: str,
    name: str | None,
    force: bool,
    pdf: bool,
    pdfa: bool,
    draft: bool,
    template: str | None,
) -> None:
    """Render PLANS (YAML) to DOCX in OUT, and to PDF with --pdf.

    Every file is checked before anything is written: one bad plan writes nothing.

    \b
    Example:
      vanban render samples/ke-hoach-41-ct-tw/plan.yaml -o out/ --pdf
    """
    if name and len(plans) > 1:
        raise click.UsageError(_("--name applies to a single plan"))
    loaded = load(plans, allow_todos=draft)
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
            if not force and target.is_file():
                from generator.services.importing import edited_since_rendered

                if edited_since_rendered(target):
                    raise OutputError(
                        _(
                            "{path}: edited in Word since it was rendered: import it first (vanban import), or --force",
                            path=target,
                        )
                    )
            check_target(target, force)
            if pdf or pdfa:
                check_target(target.with_suffix(".pdf"), force)
        if len(set(targets)) != len(targets):
            raise OutputError(_("two plans would write the same file name; render them separately with --name"))
        ref = load_refdata()
        rendered = [render_document(plan, ref, template) for _path, plan in loaded]
        for target, data in zip(targets, rendered, strict=False):
            write_atomic(target, data, force, drop=[target.with_suffix(".pdf")] if pdf or pdfa else ())
            click.echo(_("wrote {target}", target=target))
    except (OutputError, RenderError, ConvertError) as exc:
        click.echo(_("vanban: {exc}", exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    if pdf or pdfa:
        to_pdf(ctx, targets, out, Options(pdfa=pdfa, force=True))


@click.command()
@click.argument("docs", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help=_("Folder for the PDF files."))
@click.option("--force", is_flag=True, help=_("Overwrite existing PDF files."))
@click.option("--pdfa", is_flag=True, help=_("Archival PDF/A-2."))
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    help=_("Seconds allowed per document (plus LibreOffice's start-up)."),
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=2, show_default=True, help=_("LibreOffice processes side by side.")
)
@click.pass_context
def pdf(ctx: click.Context, docs: tuple[str, ...], out_dir: str, force: bool, pdfa: bool, timeout: float, workers: int) -> None:
    """Convert DOCX files to PDF with LibreOffice, in batches, two processes at a time.

    A file that fails is named with the reason; every other PDF is still written.

    \b
    Example:
      vanban pdf samples/ke-hoach-41-ct-tw/plan.docx -o out/
    """
    opts = Options(pdfa=pdfa, force=force, timeout_per_doc=timeout, workers=workers)
    to_pdf(ctx, [Path(d) for d in docs], Path(out_dir), opts)


@click.command()
@click.argument("kind", type=KindParam("skeleton"))
@click.option("-o", "--out", "out_file", required=True, type=click.Path(dir_okay=False), help=_("The YAML file to write."))
@click.option("--force", is_flag=True, help=_("Overwrite the file."))
@click.pass_context
def new(ctx: click.Context, kind, out_file: str, force: bool) -> None:
    """Write a commented blank document of KIND to start from.

    \b
    Example:
      vanban new ke-hoach -o ke-hoach-moi.yaml
    """
    from generator.lang.i18n import language

    text = kind.skeleton_text(language())
    assert text is not None  # KindParam("skeleton") offers only kinds with one
    try:
        write_atomic(Path(out_file), text, force)
    except OutputError as exc:
        click.echo(_("vanban: {exc}", exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    click.echo(_("wrote {out_file}", out_file=out_file))


@click.command()
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
    from generator.lang.i18n import gettext, language

    def translated(node):
        # Descriptions are English source text in model.py, translated like any message; titles are
        # only the field names capitalised, so a Vietnamese editor shows the description alone.
        if isinstance(node, dict):
            return {
                k: gettext(v) if k == "description" and isinstance(v, str) else translated(v)
                for k, v in node.items()
                if not (k == "title" and isinstance(v, str))
            }
        return [translated(v) for v in node] if isinstance(node, list) else node

    schema_doc = Plan.model_json_schema()
    text = json.dumps(translated(schema_doc) if language() == "vi" else schema_doc, ensure_ascii=False, indent=2) + "\n"
    if not out_file:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(Path(out_file), text.encode("utf-8"), force)
    except OutputError as exc:
        click.echo(_("vanban: {exc}", exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
