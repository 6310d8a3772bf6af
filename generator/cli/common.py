"""What every command shares: exit codes, printing problems, loading documents, converting to PDF, option parsers."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.convert.libreoffice import ConvertError, Options, convert
from generator.io.refdata import load as load_refdata
from generator.kinds import kind_of
from generator.lang.i18n import _
from generator.model.document import Document, Plan
from generator.services.documents import load_documents

EXIT_INPUT = 1  # bad input, or output that cannot be written
EXIT_INTERNAL = 3  # a bug in vanban: reported in one line unless --debug


def say(lines, err: bool = True) -> None:
    for line in lines:
        click.echo(str(line), err=err)


def load(paths: tuple[str, ...], *, allow_todos: bool = True, show_todos: bool = False) -> list[tuple[Path, Document]] | None:
    """Load every file, printing all problems of all files; None when any has an error."""
    loading = load_documents(list(paths), allow_todos=allow_todos, count_todos=show_todos)
    say(loading.problems)
    return None if loading.failed else loading.documents


def load_plan_file(ctx: click.Context, name: str, command: str) -> tuple[Path, Plan]:
    """The plan a command works from, loaded and checked; every problem said and exit 1 otherwise."""
    loaded = load((name,))
    if loaded is None:
        ctx.exit(EXIT_INPUT)
    assert loaded is not None  # ctx.exit raised
    ((path, doc),) = loaded
    return path, plan_of(ctx, path, doc, command)


def plan_of(ctx: click.Context, path: Path, doc: Document, command: str) -> Plan:
    """*doc* when it is a plan (a Kế hoạch, with its tasks); otherwise say so and exit 1 (a Báo cáo has no tasks to work from).
    Its kind says so (:meth:`generator.kinds.Kind.as_plan`)."""
    found = kind_of(doc, load_refdata())
    plan = found.as_plan(doc) if found else None
    if plan is not None:
        return plan
    click.echo(
        _(
            "vanban: {path}: {command} works from a plan (Kế hoạch); this document is of type {type}",
            path=path,
            command=f"vanban {command}",
            type=doc.type,
        ),
        err=True,
    )
    ctx.exit(EXIT_INPUT)


def summary(written: int, skipped: list[tuple[str, str]], failed: list[tuple[str, str]]) -> None:
    """The closing table of a long operation: written, skipped and failed, with reasons."""
    click.echo(
        _(
            "Summary: {written} written, {skipped} skipped, {failed} failed",
            written=written,
            skipped=len(skipped),
            failed=len(failed),
        ),
        err=True,
    )
    for label, rows in ((_("skipped"), skipped), (_("failed"), failed)):
        for name, reason in rows:
            click.echo(f"  {label:10} {name}: {reason}", err=True)


def to_pdf(ctx: click.Context, docs: list[Path], out: Path, opts: Options) -> None:
    """Convert, report each PDF and each failure by name, exit 1 if any failed."""
    try:
        if len(docs) > 1:
            with click.progressbar(
                length=len(docs), label=_("Converting to PDF"), file=sys.stderr, show_pos=True, show_eta=True
            ) as bar:
                outcomes = convert(docs, out, opts, on_progress=bar.update)
        else:
            outcomes = convert(docs, out, opts)
    except ConvertError as exc:
        click.echo(_("vanban: {exc}", exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
    failed = [o for o in outcomes if not o.ok]
    for o in outcomes:
        if o.ok:
            click.echo(_("wrote {pdf}", pdf=o.pdf))
        else:
            click.echo(_("vanban: {source}: no PDF: {error}", source=o.source, error=o.error), err=True)
    if failed:
        click.echo(_("{value} converted, {value2} failed", value=len(outcomes) - len(failed), value2=len(failed)), err=True)
    if len(docs) > 1:
        summary(len(outcomes) - len(failed), [], [(str(o.source), o.error or "") for o in failed])
    if failed:
        ctx.exit(EXIT_INPUT)


def partial_date(ctx, param, value):
    if value is None:
        return None
    from generator.model.document import _parse_partial_date

    try:
        return _parse_partial_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def as_of_date(ctx, param, value):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("{value} is not a date as YYYY-MM-DD", value=repr(value))) from None


def period_option(ctx, param, value):
    from generator.io.refdata import period_id, vocabulary

    pid = period_id(value)
    if pid is None:
        periods = vocabulary()["periods"]
        raise click.BadParameter(
            _(
                "{value} is not a period; expected one of: {choices}",
                value=repr(value),
                choices=", ".join(f"{i} ({label})" for i, label in periods.items()),
            )
        )
    return pid


class KindParam(click.ParamType):
    """A document kind id of the registry (data/document-types.yaml): the choices come from data, not from code.

    *needs* narrows them: ``"template"`` (kinds that render) or ``"skeleton"`` (kinds ``vanban new`` can write)."""

    name = "kind"

    def __init__(self, needs: str | None = None):
        self.needs = needs

    def choices(self) -> list[str]:
        from generator.io.refdata import load as load_refdata
        from generator.kinds import registry

        kinds = registry(load_refdata()).values()
        if self.needs == "template":
            return [k.id for k in kinds if k.template is not None]
        if self.needs == "skeleton":
            return [k.id for k in kinds if k.skeleton is not None]
        return [k.id for k in kinds]

    def get_metavar(self, param, ctx=None) -> str:  # click ≥8.2 passes ctx
        return _("KIND")

    def convert(self, value, param, ctx):
        from generator.io.refdata import load as load_refdata
        from generator.kinds import kind

        choices = self.choices()
        if value not in choices:
            self.fail(
                _(
                    "{value} is not a kind of document here; expected one of: {choices}",
                    value=repr(value),
                    choices=", ".join(choices),
                ),
                param,
                ctx,
            )
        return kind(value, load_refdata())
