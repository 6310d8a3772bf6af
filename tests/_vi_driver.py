"""Run many vanban invocations in one process (started with VANBAN_LANG=vi) and print their output as JSON.

Used by tests/test_i18n.py: one interpreter instead of one per command keeps the test fast. The
commands are the real CLI (``generator.cli.main``), invoked as a user would, through click.
"""

import json
import sys

from click.testing import CliRunner

from generator.cli.app import main


def commands(group, prefix=()):
    yield prefix
    for name, sub in getattr(group, "commands", {}).items():
        yield from commands(sub, prefix + (name,))


def option_names(group):
    """Options are named in capitals in the help text too: OUT for --out, UNIT for --unit. (Arguments are not: their
    names are translated, KẾ_HOẠCH for PLANS.)"""
    out = set()
    for path in commands(group):
        command = group
        for name in path:
            command = command.commands[name]
        out |= {o.lstrip("-").upper() for p in command.params if p.param_type_name == "option" for o in p.opts}
    return out


job = json.loads(sys.stdin.read())
runner = CliRunner()
results = []
for args in [[*c, "--help"] for c in commands(main) if job["helps"]] + job["runs"]:
    r = runner.invoke(main, args, prog_name="vanban")
    results.append(
        {
            "args": args,
            "code": r.exit_code,
            "out": r.stdout,
            "err": r.stderr,
            "exc": None if r.exception is None or isinstance(r.exception, SystemExit) else repr(r.exception),
        }
    )
names = sorted({name for path in commands(main) for name in path})
print(json.dumps({"results": results, "options": sorted(option_names(main)), "commands": names}, ensure_ascii=False))
