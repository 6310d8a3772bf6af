"""The ``vanban`` command group: one line per unexpected error, SIGTERM as Ctrl-C, help in the user's language.

Each command lives in a module of this package and calls :mod:`generator.services` (the web application calls the
same functions); only this package knows arguments, exit codes and the terminal.
"""

from __future__ import annotations

import inspect
import logging
import signal
import sys
import threading
import traceback

import click

from generator import __version__
from generator.cli import board, check, derive, doctor, importing, progress, render, web
from generator.cli.common import EXIT_INPUT, EXIT_INTERNAL, say
from generator.io.loader import LoadError
from generator.lang.i18n import _


class _Group(click.Group):
    """Turns every unexpected exception into one line and an exit code, unless --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except LoadError as exc:  # the reference data in data/ is the user's input too
            say(exc.problems)
            ctx.exit(EXIT_INPUT)
        except Exception as exc:  # noqa: BLE001 - last resort, see docstring
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            else:
                click.echo(
                    _("vanban: internal error: {value}: {exc} (run with --debug for details)", value=type(exc).__name__, exc=exc),
                    err=True,
                )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vanban")
@click.option("--debug", is_flag=True, help=_("Show the Python traceback of an internal error."))
@click.option(
    "-v",
    "--verbose",
    count=True,
    help=_("Say on stderr what vanban does (templates, rule profiles, LibreOffice runs); -vv for more detail."),
)
@click.option(
    "--data",
    "data_folder",
    envvar="VANBAN_DATA",
    type=click.Path(file_okay=False, dir_okay=True),
    default=None,
    help=_(
        "Your own data folder (units, signers, document types, templates, figures, rule profiles), layered over the "
        "built-in data; default: the folder of a vanban.toml, or a .vanban folder, found from here upwards."
    ),
)
@click.option("--examples", is_flag=True, help=_("Show the example units (Ban Cơ yếu) beside your own units."))
@click.pass_context
def main(ctx: click.Context, debug: bool, verbose: int, data_folder: str | None, examples: bool) -> None:
    """Turn structured data into Party documents (Kế hoạch, Báo cáo, Công văn, Quyết định, Biên bản and the other kinds) in the format of 36-HD/VPTW.

    \b
    Example:
      vanban render samples/ke-hoach-41-ct-tw/plan.yaml -o out/
    """
    ctx.ensure_object(dict)["debug"] = debug
    _setup_logging(ctx, verbose)
    _stop_on_sigterm(ctx)
    _use_user_data(ctx, data_folder, examples)


def _use_user_data(ctx: click.Context, folder: str | None, examples: bool) -> None:
    """The user's own data for this command: --data / VANBAN_DATA, else a vanban.toml or .vanban/ found upwards."""
    from pathlib import Path

    from generator.io.refdata import find_user_data, use_user_data

    if folder is not None and not Path(folder).is_dir():
        raise click.BadParameter(_("folder {path} does not exist", path=folder), ctx=ctx, param_hint="--data")
    try:
        found = Path(folder) if folder is not None else find_user_data(Path.cwd())
    except OSError:  # the current folder was removed under us: no working folder, the built-in data
        found = None
    except LoadError as exc:
        say(exc.problems)
        ctx.exit(EXIT_INPUT)
    use_user_data(found, examples=True if examples else None)
    ctx.call_on_close(lambda: use_user_data(None))


LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


def _setup_logging(ctx: click.Context, verbose: int) -> None:
    """Log lines on stderr: warnings only, INFO with -v, DEBUG with -vv.

    The root logger is put back as it was when the command ends, so that vanban run in-process
    (tests, a caller's own logging) does not keep writing to this run's stderr."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    for h in handlers:
        root.removeHandler(h)  # basicConfig configures a root logger without handlers only
    logging.basicConfig(
        level=logging.WARNING if not verbose else logging.INFO if verbose == 1 else logging.DEBUG,
        stream=sys.stderr,
        format=LOG_FORMAT,
    )

    def restore() -> None:
        for h in root.handlers[:]:
            root.removeHandler(h)
            h.close()
        for h in handlers:
            root.addHandler(h)
        root.setLevel(level)

    ctx.call_on_close(restore)


def _stop_on_sigterm(ctx: click.Context) -> None:
    """SIGTERM (a service manager, ``kill``) stops vanban the way Ctrl-C does: temporary files,
    LibreOffice processes and worker processes are cleaned up on the way out."""
    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    ctx.call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


for command in (
    render.render,
    render.pdf,
    derive.derive,
    progress.progress_form,
    progress.report,
    board.board,
    doctor.doctor,
    check.template,
    render.new,
    check.check,
    check.lint,
    progress.validate,
    render.schema,
    importing.import_,
    *web.COMMANDS,
):
    main.add_command(command)


#: Click names a value by its type (TEXT, INTEGER RANGE …) in every help page.
_METAVARS = {
    "text": _("TEXT"),
    "integer": _("INTEGER"),
    "integer range": _("INTEGER"),
    "float": _("NUMBER"),
    "float range": _("NUMBER"),
}

#: The names of the commands' arguments, as the usage line and the help text call them (PLANS…, KIND).
ARGUMENT_NAMES = {
    "PLANS": _("PLANS"),
    "PLAN": _("PLAN"),
    "FILES": _("FILES"),
    "FILE": _("FILE"),
    "DOCS": _("DOCS"),
    "KIND": _("KIND"),
    "PARENT": _("PARENT"),
    "TARGET": _("TARGET"),
    "SOURCE": _("SOURCE"),
    "REPORTS": _("REPORTS"),
}


def _argument_metavar(param: click.Argument) -> str:
    """The argument's name in the user's language, written as click writes it (``[NAME]``, ``NAME...``)."""
    word = (param.metavar or (param.name or "").upper()).removesuffix("...")
    word = ARGUMENT_NAMES.get(word, word)
    return ("" if param.required else "[") + word + ("" if param.required else "]") + ("..." if param.nargs != 1 else "")


def _translate_help(command: click.Command) -> None:
    """Command help comes from docstrings (read by developers too); the user reads it translated."""
    if command.help:
        command.help = _(inspect.cleandoc(command.help))
    command.options_metavar = _("[OPTIONS]")
    if isinstance(command, click.Group):
        command.subcommand_metavar = _("COMMAND [ARGS]...")
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and param.type.name in _METAVARS:
            param.metavar = _METAVARS[param.type.name]
        elif isinstance(param, click.Argument):
            param.metavar = _argument_metavar(param)
    for sub in getattr(command, "commands", {}).values():
        _translate_help(sub)


_translate_help(main)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
