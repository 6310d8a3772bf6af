"""``vanban doctor``: what vanban needs, whether it is installed and usable, and what to do if not."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import EXIT_INPUT
from generator.lang.i18n import _


@click.command()
@click.option(
    "-o",
    "--out",
    "out_dir",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help=_("The folder you will write documents to."),
)
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
    for dist in (
        "docxtpl",
        "python-docx",
        "Jinja2",
        "lxml",
        "babel",
        "click",
        "PyYAML",
        "pydantic",
        "openpyxl",
        "matplotlib",
        "roman",
    ):
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
    good = font is not None and any(f in font for f in ("Times New Roman", "Liberation Serif"))
    line(
        good,
        _("font for Times New Roman"),
        font or _("fontconfig not found"),
        _("install fonts-liberation2 (PDF would use another font)"),
        required=False,
    )
    mo = LOCALE_DIR / "vi" / "LC_MESSAGES" / "vanban.mo"
    line(
        mo.exists(),
        _("Vietnamese messages"),
        _("compiled") if mo.exists() else _("read from the .po file"),
        _("run: python -m generator.lang.i18n compile"),
        required=False,
    )
    click.echo(_("  language now: {lang} (VANBAN_LANG=vi or a vi_* locale for Vietnamese)", lang=language()))
    try:
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
        line(True, _("output folder"), str(folder.resolve()))
    except OSError as exc:
        from generator.io.fsutil import reason

        line(False, _("output folder"), f"{out_dir}: {reason(exc)}", _("choose a folder you can write to"))
    if not ok_all:
        ctx.exit(EXIT_INPUT)
