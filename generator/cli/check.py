"""``vanban check``, ``lint`` and ``template``: the format of documents, the text of YAML, users' templates."""

from __future__ import annotations

import json
from pathlib import Path

import click

from generator.cli.common import EXIT_INPUT, KindParam
from generator.io.refdata import load as load_refdata
from generator.lang.i18n import _


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "--profile",
    "profile_id",
    help=_("Rule profile (data/rules/); default: the one the document was rendered under, else hd36-2018."),
)
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
    from generator.inspect.check import as_json
    from generator.services.check import check_files

    ref = load_refdata()
    if profile_id and profile_id not in ref.profiles:
        raise click.BadParameter(
            _(
                "unknown profile {profile_id}; expected one of: {value}",
                profile_id=repr(profile_id),
                value=", ".join(sorted(ref.profiles)),
            ),
            param_hint="--profile",
        )
    checked = check_files(list(files), ref, profile_id)
    for c in checked:
        if c.error:
            click.echo(_("vanban: {exc}", exc=c.error), err=True)
    done = [c for c in checked if c.error is None]
    errors, failed = sum(c.errors for c in done), len(done) < len(checked)
    if fmt == "json":
        click.echo(
            json.dumps(
                [{"file": c.file, "profile": c.profile, "findings": as_json(c.findings)} for c in done],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for c in done:
            for f in c.findings:
                click.echo(_("{name}: {value}", name=c.file, value=f.line()))
            click.echo(
                _(
                    "{name}: {n_err} error(s), {value} warning(s) under profile {pid}",
                    name=c.file,
                    n_err=c.errors,
                    value=len(c.findings) - c.errors,
                    pid=c.profile,
                ),
                err=True,
            )
    if errors or failed:
        ctx.exit(EXIT_INPUT)


@click.command()
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
            click.echo(_("vanban: {exc}", exc=exc), err=True)
            errors += 1
            continue
        for line in changes:
            click.echo(_("{name}: fixed: {line}", name=name, line=line))
        for f in findings:
            click.echo(str(f))
        errors += sum(f.severity == "error" for f in findings)
    if errors:
        ctx.exit(EXIT_INPUT)


@click.group()
def template() -> None:
    """Your own Word templates: check them, list the fields they may use."""


@template.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "--kind",
    "kind",
    type=KindParam("template"),
    default="ke-hoach",
    show_default=True,
    help=_("The kind of document the template is for."),
)
@click.pass_context
def template_check(ctx: click.Context, files: tuple[str, ...], kind) -> None:
    """Lint templates: split tags, smart quotes, unbalanced blocks, row tags outside rows, unknown fields.

    \b
    Example:
      vanban template check doc_templates/ke-hoach.docx
    """
    from generator.inspect.template_check import check_template

    errors = 0
    for name in files:
        issues = check_template(name, kind.shape.fields)
        for issue in issues:
            click.echo(_("{name}: {issue}", name=name, issue=issue))
        errors += sum(i.severity == "error" for i in issues)
        if not issues:
            click.echo(_("{name}: no problems found", name=name), err=True)
    if errors:
        ctx.exit(EXIT_INPUT)


@template.command("fields")
@click.argument("kind", type=KindParam("template"))
def template_fields(kind) -> None:
    """List the variables a template of KIND may use, with their meaning.

    \b
    Example:
      vanban template fields ke-hoach
    """
    from generator.inspect.template_check import describe, fields

    for name, meaning in describe(fields(kind.shape.fields)):
        click.echo(_("{name:34} {meaning}", name=name, meaning=meaning))
