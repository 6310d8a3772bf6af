from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from generator.cli.app import main
from generator.io.loader import load_plan
from generator.io.refdata import load as load_refdata
from generator.kinds import render_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "samples" / "ke-hoach-41-ct-tw"
SAMPLE = SAMPLE_DIR / "plan.yaml"
#: The seed plan's text (a public document: Đảng ủy Ban Cơ yếu Chính phủ, Kế hoạch on Chỉ thị 41-CT/TW), kept
#: in the repository so that the tests need nothing beside the checkout.
SEED = ROOT / "tests" / "data" / "seed-ke-hoach-41-ct-tw.txt"


@pytest.fixture(scope="session")
def ref():
    return load_refdata()


@pytest.fixture(scope="session")
def sample_plan():
    return load_plan(SAMPLE).plan


@pytest.fixture(scope="session")
def sample_bytes(sample_plan, ref) -> bytes:
    return render_document(sample_plan, ref)


@pytest.fixture(scope="session")
def sample_doc(sample_bytes):
    return docx.Document(io.BytesIO(sample_bytes))


def unwritable_dir(tmp_path: Path) -> Path:
    """A folder this process cannot write in: permission bits, or for root a read-only /sys."""
    import os

    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        return locked
    return Path("/sys")


@pytest.fixture
def cli():
    """Run the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


#: Address space of a CLI run that is given hostile input: a bound that exceeding memory turns into a failure.
MEMORY_CAP = 1 << 30


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def capped_vanban(*args, timeout: float = 240, lang: str = "en"):
    """The real command line in a child process with 1 GB of address space and a time bound."""
    import subprocess
    import sys

    env = {"VANBAN_LANG": lang, "PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_cap_memory,
        cwd=ROOT,
        env=env,
    )
