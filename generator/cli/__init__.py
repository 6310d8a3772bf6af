"""The ``vanban`` command line: the only package that knows arguments, exit codes and the terminal."""

from generator.cli.app import main

__all__ = ["main"]
