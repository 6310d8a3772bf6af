"""Hostile and broken converters, and vanban killed mid-way (issue 13).

A fake ``soffice`` (a small Python script) stands in for LibreOffice: it hangs, crashes, writes no
PDF, a truncated PDF, junk, or leaves a daemon behind. Whatever it does, every document that can be
delivered is, nothing invalid is delivered, the run ends within its timeouts, and no process and no
temporary folder is left. Then vanban itself is killed (SIGKILL, SIGTERM) during ``render --pdf``
and ``derive --all --render --pdf``: the previous outputs stay whole, a new DOCX never sits beside
the old PDF, and the next run clears what the killed one left.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

from generator.convert import libreoffice as conv
from generator.convert.libreoffice import Options, convert

from .conftest import ROOT, SAMPLE

FAKE = r"""#!{python}
import os, sys, time, signal
from pathlib import Path
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
docs = [Path(a) for a in args if a.endswith(".docx")]
log = os.environ.get("FAKE_PIDS")
if log:
    with open(log, "a") as fh:
        fh.write(f"{{os.getpid()}}\n")
good = Path({good!r}).read_bytes()
names = " ".join(d.stem for d in docs)
if "daemon" in names and os.fork() == 0:
    os.setsid()  # leaves the process group: killing the group does not reach it
    if os.fork() == 0:
        if log:
            with open(log, "a") as fh:
                fh.write(f"{{os.getpid()}}\n")
        time.sleep(600)
    os._exit(0)
for d in docs:
    if "truncated" in d.stem:
        (out / f"{{d.stem}}.pdf").write_bytes(good[: len(good) // 2])
        time.sleep(600)
    if "hang" in d.stem:
        time.sleep(600)
    if "crash" in d.stem:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "junk" in d.stem:
        (out / f"{{d.stem}}.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(4000))
        continue
    if "nopdf" in d.stem:
        continue
    (out / f"{{d.stem}}.pdf").write_bytes(good)
"""


def _good_pdf(pages: int = 2) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """A fake soffice first on PATH; temporary folders under the test's own tmp (to look for leftovers)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    good = tmp_path / "good.pdf"
    good.write_bytes(_good_pdf())
    script = bin_dir / "soffice"
    script.write_text(FAKE.format(python=sys.executable, good=str(good)), encoding="utf-8")
    script.chmod(0o755)
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own_tmp))
    monkeypatch.setenv("TMPDIR", str(own_tmp))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_PIDS", str(tmp_path / "pids"))
    return script


def _docs(folder: Path, sample_bytes: bytes, *names: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for name in names:
        (folder / f"{name}.docx").write_bytes(sample_bytes)
        paths.append(folder / f"{name}.docx")
    return paths


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _no_leftovers(tmp_path: Path, out: Path) -> None:
    pids = [int(p) for p in (tmp_path / "pids").read_text().split()] if (tmp_path / "pids").exists() else []
    assert pids, "the fake soffice never ran"
    assert [p for p in pids if _alive(p)] == []
    assert list((tmp_path / "tmp").iterdir()) == []  # no LibreOffice profile, no log
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no staging folder


OPTS = dict(startup_timeout=0.6, timeout_per_doc=0.2)


@pytest.mark.parametrize("bad", ["hang", "crash", "nopdf", "truncated", "junk"])
def test_bad_converter_in_a_batch(fake, tmp_path, sample_bytes, bad):
    docs = _docs(tmp_path / "in", sample_bytes, "a", bad, "b", "c")
    out = tmp_path / "out"
    start = time.monotonic()
    outcomes = convert(docs, out, Options(workers=2, **OPTS))
    elapsed = time.monotonic() - start
    assert [o.ok for o in outcomes] == [True, False, True, True]
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", "b.pdf", "c.pdf"]
    for name in ("a", "b", "c"):
        assert len(pypdf.PdfReader(out / f"{name}.pdf").pages) == 2
    reason = outcomes[1].error
    expected = {
        "hang": "LibreOffice did not finish within 0.8 s and was stopped",
        "truncated": "LibreOffice did not finish within 0.8 s and was stopped",
        "crash": f"LibreOffice exited with code {128 + signal.SIGSEGV}",
        "nopdf": "LibreOffice produced no PDF for it",
        "junk": "LibreOffice produced a damaged PDF (it does not parse, or has the wrong number of pages)",
    }[bad]
    assert reason == expected
    # One batch timeout (1 s) and one retry (0.8 s) side by side with others, plus the supervisor's grace.
    assert elapsed < 1.0 + 0.8 + getattr(conv, "GRACE", 10)
    _no_leftovers(tmp_path, out)


def test_descendant_that_daemonises_is_killed(fake, tmp_path, sample_bytes):
    docs = _docs(tmp_path / "in", sample_bytes, "daemon")
    out = tmp_path / "out"
    start = time.monotonic()
    (outcome,) = convert(docs, out, Options(**OPTS))
    assert outcome.ok
    assert time.monotonic() - start < 0.8 + getattr(conv, "GRACE", 10)
    _no_leftovers(tmp_path, out)


def test_wrong_page_count_is_not_delivered(fake, tmp_path, sample_bytes):
    docs = _docs(tmp_path / "in", sample_bytes, "a", "b")
    out = tmp_path / "out"
    outcomes = convert(docs, out, Options(expected_pages={"a": 2, "b": 3}, **OPTS))
    assert [o.ok for o in outcomes] == [True, False]
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf"]


def test_junk_pdf_fails_the_cli(fake, cli, tmp_path, sample_bytes):
    (doc,) = _docs(tmp_path / "in", sample_bytes, "junk")
    out = tmp_path / "out"
    result = cli("pdf", doc, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"vanban: {doc}: no PDF: LibreOffice produced a damaged PDF (it does not parse, or has the wrong number of pages)",
        "0 converted, 1 failed",
    ]
    assert list(out.iterdir()) == []


def test_stale_staging_and_profiles_cleaned_by_the_next_run(fake, tmp_path, sample_bytes):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    (out / f".vanban-pdf-{dead_pid}-x1").mkdir()
    (out / f".vanban-pdf-{dead_pid}-x1" / "a.pdf").write_bytes(b"%PDF-")
    (tmp_path / "tmp" / f"vanban-lo-{dead_pid}-y2" / "user").mkdir(parents=True)
    (tmp_path / "tmp" / f"vanban-lo-{dead_pid}-y2.log").write_text("")
    alive = out / f".vanban-pdf-{os.getpid()}-z3"  # a run going on now: left alone
    alive.mkdir()
    docs = _docs(tmp_path / "in", sample_bytes, "a")
    assert convert(docs, out, Options(**OPTS))[0].ok
    assert sorted(p.name for p in out.iterdir()) == [alive.name, "a.pdf"]
    assert list((tmp_path / "tmp").iterdir()) == []


def test_stale_part_file_cleaned_by_the_next_write(tmp_path):
    from generator.io.fsutil import write_atomic

    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout)
    (tmp_path / f".plan.docx.{dead}.abc123.part").write_bytes(b"half")
    (tmp_path / f".plan.docx.{os.getpid()}.def456.part").write_bytes(b"mine")  # a writer still at work
    write_atomic(tmp_path / "plan.docx", b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".plan.docx.{os.getpid()}.def456.part", "plan.docx"]


def test_sigterm_inside_the_atomic_write_leaves_no_part(tmp_path):
    """SIGTERM arrives while the data is being written: the old file stays, no .part is left."""
    target = tmp_path / "plan.docx"
    target.write_bytes(b"old")
    code = f"""
import os, signal, sys
from pathlib import Path
from generator.cli.app import _stop_on_sigterm
from generator.io import fsutil
import click
_stop_on_sigterm(click.Context(click.Command("x")))
real_fsync = os.fsync
def fsync(fd):
    os.kill(os.getpid(), signal.SIGTERM)
    real_fsync(fd)
fsutil.os.fsync = fsync
try:
    fsutil.write_atomic(Path({str(target)!r}), b"new", force=True)
except KeyboardInterrupt:
    sys.exit(130)
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 130, proc.stderr
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.docx"]


# ------------------------------------------------------------------- vanban itself killed

VANBAN = "import sys; from generator.cli.app import main; sys.argv[0] = 'vanban'; main()  # {marker}"


def _start(tmp_path: Path, *args) -> subprocess.Popen:
    code = VANBAN.format(marker=tmp_path)
    env = dict(os.environ)
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _wait_for(condition, limit: float = 30.0) -> None:
    end = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(0.05)


def _processes_of(tmp_path: Path) -> list[int]:
    """Live processes started for this test: vanban and its workers (marker in their command
    line), supervisors (profile path under tmp_path), and the fake soffice (its pid file)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(tmp_path) in cmdline and _alive(int(entry.name)):
            found.append(int(entry.name))
    pids_file = tmp_path / "pids"
    if pids_file.exists():
        found += [int(p) for p in pids_file.read_text().split() if _alive(int(p))]
    return found


def _fake_started() -> Callable[[], bool]:
    return lambda: bool(os.environ.get("FAKE_PIDS")) and Path(os.environ["FAKE_PIDS"]).exists()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
@pytest.mark.parametrize("moment", ["converting", "docx-written"])
def test_render_pdf_killed(fake, tmp_path, sample_bytes, sig, moment):
    out = tmp_path / "out"
    out.mkdir()
    # "hang" in the name: the fake converter hangs, so that the kill lands during the conversion.
    stem = "plan-hang" if moment == "converting" else "plan"
    old_docx, old_pdf = b"OLD DOCX", _good_pdf(1)
    (out / f"{stem}.docx").write_bytes(old_docx)
    (out / f"{stem}.pdf").write_bytes(old_pdf)
    proc = _start(tmp_path, "render", SAMPLE, "-o", out, "--pdf", "--force", "--name", stem)
    if moment == "converting":
        _wait_for(_fake_started())
    else:  # just after the new DOCX is in place; the conversion may have begun, or even ended
        _wait_for(lambda: (out / f"{stem}.docx").read_bytes() != old_docx)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    _wait_for(lambda: not _processes_of(tmp_path))  # the supervisor stops LibreOffice when vanban dies
    docx_new = (out / f"{stem}.docx").read_bytes() != old_docx
    pdf_old = (out / f"{stem}.pdf").exists() and (out / f"{stem}.pdf").read_bytes() == old_pdf
    assert not (docx_new and pdf_old), "the new DOCX beside the old PDF"
    if moment == "converting":
        assert docx_new and not (out / f"{stem}.pdf").exists()  # the old PDF went when the new DOCX came
    else:
        assert docx_new or pdf_old  # untouched, or moved on
    if sig == signal.SIGTERM:
        assert proc.returncode != 0
        assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # cleaned on the way out
        assert list((tmp_path / "tmp").iterdir()) == []
    # The next run completes and leaves nothing of the killed one.
    result = subprocess.run(
        [sys.executable, "-c", VANBAN.format(marker=tmp_path), "render", SAMPLE, "-o", out, "--pdf", "--force"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert len(pypdf.PdfReader(out / "plan.pdf").pages) == 2
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not _processes_of(tmp_path)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_derive_all_killed(fake, tmp_path, sig):
    out = tmp_path / "units"
    args = ("derive", SAMPLE, "--all", "-o", out, "--render", "--draft", "--force", "--workers", "2")
    first = subprocess.run(
        [sys.executable, "-c", VANBAN.format(marker=tmp_path), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # The fake converter hangs on every unit plan whose name has "cong-ty": kill during that conversion.
    (tmp_path / "bin" / "soffice").write_text(
        (tmp_path / "bin" / "soffice").read_text().replace('if "hang" in d.stem', 'if "cong-ty" in d.stem')
    )
    proc = _start(tmp_path, *args, "--pdf")
    _wait_for(_fake_started(), 60)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    _wait_for(lambda: not _processes_of(tmp_path))  # no worker, no supervisor, no soffice left
    after = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    assert {n for n in after if n.endswith((".yaml", ".docx"))} == set(before)
    for name in after:
        if name.endswith(".pdf"):  # a PDF delivered is the new DOCX's
            assert (out / name).with_suffix(".docx").exists()
    assert not any(n.endswith(".pdf") and "cong-ty" in n for n in after)
    # The next run (no hang) clears the staging folder a SIGKILL left, and delivers every pair.
    (tmp_path / "bin" / "soffice").write_text(
        (tmp_path / "bin" / "soffice").read_text().replace('if "cong-ty" in d.stem', 'if "hang" in d.stem')
    )
    again = subprocess.run(
        [sys.executable, "-c", VANBAN.format(marker=tmp_path), *map(str, args), "--pdf"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    names = sorted(p.name for p in out.iterdir())
    assert [n for n in names if n.startswith(".")] == []
    assert {n[:-4] for n in names if n.endswith(".pdf")} == {n[:-5] for n in names if n.endswith(".docx")}
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not _processes_of(tmp_path)


def test_external_image_link_is_not_loaded(tmp_path):
    """A template's image linked as file:///… (not embedded) must not end up in the PDF."""
    if conv.find_soffice() is None or not shutil.which("fc-match"):
        pytest.skip("LibreOffice not installed")
    import re
    import zipfile

    import docx
    from PIL import Image

    png = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), (255, 0, 0)).save(png)
    document = docx.Document()
    document.add_paragraph("before")
    document.add_picture(str(png))
    buf = io.BytesIO()
    document.save(buf)
    src = tmp_path / "linked.docx"
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(src, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"r:embed=", b"r:link=")
            elif info.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'Target="media/image1\.png"', f'Target="file://{png}" TargetMode="External"'.encode(), data)
            elif info.filename.startswith("word/media/"):
                continue
            zout.writestr(info, data)
    (outcome,) = convert([src], tmp_path / "out")
    assert outcome.ok, outcome.error
    reader = pypdf.PdfReader(outcome.pdf)
    assert "before" in reader.pages[0].extract_text()
    assert [img.name for page in reader.pages for img in page.images] == []


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_pool_workers_die_with_vanban(tmp_path, sig):
    """Workers busy on their jobs when vanban is killed stop too, and write nothing more."""
    pids = tmp_path / "workers"
    code = f"""
import os, sys, time
from pathlib import Path
from generator.cli.app import _stop_on_sigterm
from generator.io.refdata import load
from generator.services import batch
import click
_stop_on_sigterm(click.Context(click.Command("x")))

def slow(job):  # the forked workers see this module as patched here
    with open({str(pids)!r}, "a") as fh:
        fh.write(f"{{os.getpid()}}\\n")
    time.sleep(600)
    return batch.real_run_job(job)

batch.real_run_job, batch.run_job = batch.run_job, slow
units = list(load().units.values())[:4]
jobs = [batch.Job(u, Path({str(tmp_path)!r}) / f"{{u.id}}.yaml", None) for u in units]
try:
    batch.run(jobs, batch.Settings(parent_path=Path({str(SAMPLE)!r})), workers=2)
except KeyboardInterrupt:
    sys.exit(130)
"""
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    _wait_for(lambda: pids.exists() and len(pids.read_text().split()) == 2)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    workers = [int(p) for p in pids.read_text().split()]
    _wait_for(lambda: not [p for p in workers if _alive(p)], 10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workers"]


@pytest.mark.parametrize("command", ["render", "report"])
def test_failed_pdf_leaves_no_stale_pair(fake, cli, tmp_path, command):
    """`--pdf --force` whose conversion fails: the new DOCX is written, the old PDF (of the old DOCX) is gone."""
    out = tmp_path / "out"
    out.mkdir()
    stem = "doc-nopdf"  # the fake converter writes no PDF for it
    (out / f"{stem}.docx").write_bytes(b"OLD DOCX")
    (out / f"{stem}.pdf").write_bytes(_good_pdf(1))
    if command == "render":
        result = cli("render", SAMPLE, "-o", out, "--name", stem, "--pdf", "--force")
    else:
        result = cli(
            "report",
            SAMPLE,
            "--progress",
            SAMPLE.parent / "progress",
            "--period",
            "sơ-kết",
            "--as-of",
            "2025-11-30",
            "-o",
            out / f"{stem}.docx",
            "--pdf",
            "--force",
        )
    assert result.exit_code == 1
    assert f"{stem}.docx: no PDF: LibreOffice produced no PDF for it" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.docx"]
    assert (out / f"{stem}.docx").read_bytes() != b"OLD DOCX"


def test_real_libreoffice_killed_with_vanban(tmp_path):
    """soffice.bin is LibreOffice's grandchild: it too goes when vanban is killed, with its profile."""
    if conv.find_soffice() is None or not shutil.which("fc-match"):
        pytest.skip("LibreOffice not installed")
    out, own_tmp = tmp_path / "out", tmp_path / "tmp"
    own_tmp.mkdir()
    code = VANBAN.format(marker=tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "render", str(SAMPLE), "-o", str(out), "--pdf"],
        cwd=ROOT,
        env=dict(os.environ, TMPDIR=str(own_tmp)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def soffice_bin_running() -> bool:
        return any("soffice.bin" in " ".join(map(str, _cmdline(p))) for p in _processes_of(tmp_path))

    _wait_for(lambda: soffice_bin_running() or proc.poll() is not None, 60)
    if proc.poll() is not None:
        pytest.skip("the conversion ended before it could be interrupted")
    proc.kill()
    proc.wait()
    _wait_for(lambda: not _processes_of(tmp_path), 15)
    assert [p.name for p in own_tmp.iterdir() if p.is_dir()] == []  # the profile went with LibreOffice
    result = subprocess.run(
        [sys.executable, "-c", code, "render", str(SAMPLE), "-o", str(out), "--pdf", "--force"],
        cwd=ROOT,
        env=dict(os.environ, TMPDIR=str(own_tmp)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["plan.docx", "plan.pdf"]
    assert list(own_tmp.iterdir()) == []


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []
