"""The ``vanban`` command line: the only package that knows arguments, exit codes and the terminal."""

from generator.lang.i18n import translate_click

# Click names some values (FILE, DIRECTORY, PATH) when an option is declared: its words must be ours first.
translate_click()

from generator.cli.app import main  # noqa: E402

__all__ = ["main"]
