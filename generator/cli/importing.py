"""``vanban import``: a received document (DOCX, or a born-digital PDF) into a YAML file of our data."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import EXIT_INPUT
from generator.io.fsutil import OutputError, write_atomic
from generator.io.refdata import load as load_refdata
from generator.lang.i18n import _


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("-o", "--out", "out_file", required=True, type=click.Path(dir_okay=False), help=_("The YAML file to write."))
@click.option("--force", is_flag=True, help=_("Overwrite the file."))
@click.pass_context
def import_(ctx: click.Context, file: str, out_file: str, force: bool) -> None:
    """Read a received document (DOCX or PDF) into a YAML file of vanban's data.

    Every part not understood is kept as text where it stands and listed as a warning with its
    paragraph number (¶, in reading order, as `vanban check` counts them).

    \b
    Example:
      vanban import ke-hoach-cap-tren.docx -o ke-hoach.yaml
    """
    from generator.services.importing import ImportFailure, import_file

    ref = load_refdata()
    try:
        imported = import_file(file, ref)
    except ImportFailure as exc:
        click.echo(_("vanban: {exc}", exc=exc), err=True)
        ctx.exit(EXIT_INPUT)
        return
    for note in imported.notes:
        click.echo(_("{path}: warning: {note}", path=file, note=note.line()), err=True)
    if imported.edited:
        click.echo(_("{path}: edited since vanban rendered it: the edits are in the data read", path=file), err=True)
    files = imported.files(Path(out_file), Path(file).name)
    if not force:  # all or nothing: a Bản sao writes its original beside it
        for path, _text in files:
            if path.exists():
                click.echo(_("vanban: {exc}", exc=_("{path}: already exists; use --force to overwrite it", path=path)), err=True)
                ctx.exit(EXIT_INPUT)
                return
    for path, text in files:
        try:
            write_atomic(path, text.encode("utf-8"), force)
        except OutputError as exc:
            click.echo(_("vanban: {exc}", exc=exc), err=True)
            ctx.exit(EXIT_INPUT)
            return
        click.echo(_("{path}: written", path=path), err=True)
