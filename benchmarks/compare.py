"""Every benchmark at a base revision and at the working tree, side by side, in one run on one machine.

Usage: python benchmarks/compare.py [--base REV] [NAME ...]     (default base: 24231e3, before the stage
packages; default names: render check report derive)

The base revision is checked out into a temporary git worktree and each benchmark script runs there with
the same Python, then here; their printed lines are shown side by side (before | after). Nothing is
timed by the tests: numbers come only from these scripts.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["render", "check", "report", "derive"]
WIDTH = 78


def run(script: Path, cwd: Path) -> list[str]:
    done = subprocess.run([sys.executable, str(script)], cwd=cwd, capture_output=True, text=True, timeout=1800)
    lines = (done.stdout + (done.stderr if done.returncode else "")).splitlines()
    return [line for text in lines for line in (textwrap.wrap(text, WIDTH) or [""])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="24231e3")
    parser.add_argument("names", nargs="*", default=DEFAULT)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="vanban-bench-base-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], cwd=ROOT, check=True, capture_output=True)
    try:
        for name in args.names:
            before = (
                run(base / "benchmarks" / f"{name}.py", base) if (base / "benchmarks" / f"{name}.py").exists() else ["(none)"]
            )
            after = run(ROOT / "benchmarks" / f"{name}.py", ROOT)
            print(f"== {name}: before ({args.base}) | after (working tree)")
            for i in range(max(len(before), len(after))):
                left = before[i] if i < len(before) else ""
                right = after[i] if i < len(after) else ""
                print(f"{left:<{WIDTH}} | {right}")
            print()
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
