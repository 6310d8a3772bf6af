"""Convert stage: DOCX → PDF with LibreOffice headless, the very file that gets signed.

Measured on the target machine (shared/spec/stack-notes.md): a cold ``soffice`` costs ~2 s while
a batch of 20 documents in one process costs ~0.3 s each, and two processes sharing one user
profile make the second fail silently. So:

* every process gets its own temporary profile (``-env:UserInstallation``);
* documents go in batches, one batch per worker, two workers on two cores;
* every process has a timeout; a crashed or hung one is killed with its process group, and the
  documents it did not deliver are retried once, each in a fresh process;
* what still fails is reported by name with the reason, and every other PDF is still delivered;
* PDFs are written beside the target first and renamed into place: never a half-written PDF.

Before any work, :func:`check_environment` makes sure LibreOffice is there and that fontconfig
gives Times New Roman or its metric twin Liberation Serif: a fallback font (DejaVu Serif) would
silently change the page count.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from generator.io.fsutil import reason
from generator.lang.i18n import _

#: Fonts whose metrics match the documents' Times New Roman.
GOOD_FONTS = ("Times New Roman", "Liberation Serif")
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
INSTALL_HINT = "apt-get install --no-install-recommends libreoffice-writer-nogui fonts-liberation2"


class ConvertError(Exception):
    """PDF conversion cannot start at all (LibreOffice or fonts missing, output unusable)."""


@dataclass
class Outcome:
    source: Path
    pdf: Path | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.pdf is not None


@dataclass
class Options:
    pdfa: bool = False
    workers: int = 2
    max_batch: int = 25
    #: Seconds allowed per document, plus one start-up allowance per process.
    timeout_per_doc: float = 20.0
    startup_timeout: float = 60.0
    force: bool = False
    soffice: str | None = None


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def resolved_font(family: str = "Times New Roman") -> str | None:
    """The family fontconfig substitutes for *family*, or None without fontconfig."""
    fc = shutil.which("fc-match")
    if not fc:
        return None
    try:
        out = subprocess.run([fc, "-f", "%{family}", family], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def check_environment(opts: Options | None = None) -> str:
    """Path of soffice; raises :class:`ConvertError` saying what to install."""
    soffice = (opts.soffice if opts else None) or find_soffice()
    if not soffice:
        raise ConvertError(_('LibreOffice is not installed (no soffice on PATH); install it with: {value}', value=INSTALL_HINT))
    font = resolved_font()
    if font is None:
        raise ConvertError(_('fontconfig cannot be asked which font replaces Times New Roman (fc-match missing); install: {value}', value=INSTALL_HINT))
    if not any(good in font for good in GOOD_FONTS):
        raise ConvertError(
            _('"Times New Roman" resolves to "{font}", which would change the page layout; install fonts-liberation2 (metric-compatible with Times New Roman) or Times New Roman itself', font=font)
        )
    return soffice


def _batches(items: list[Path], workers: int, max_batch: int) -> list[list[Path]]:
    per = max(1, min(max_batch, -(-len(items) // max(1, workers))))
    return [items[i : i + per] for i in range(0, len(items), per)]


def _run_soffice(soffice: str, docs: list[Path], outdir: Path, opts: Options) -> tuple[str | None, str]:
    """One LibreOffice process over *docs*. Returns (failure reason or None, its output)."""
    profile = tempfile.mkdtemp(prefix="vanban-lo-")
    cmd = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        "--convert-to", PDFA_FILTER if opts.pdfa else "pdf",
        "--outdir", str(outdir),
        *[str(d) for d in docs],
    ]
    timeout = opts.startup_timeout + opts.timeout_per_doc * len(docs)
    env = dict(os.environ, SAL_USE_VCLPLUGIN="svp", HOME=profile)
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True, env=env, stdin=subprocess.DEVNULL)
        try:
            out, _err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            out, _err = proc.communicate()
            return _("LibreOffice did not finish within {timeout:g} s and was stopped", timeout=timeout), out or ""
        if proc.returncode not in (0, None):
            return _("LibreOffice exited with code {code}", code=proc.returncode), out or ""
        return None, out or ""
    except OSError as exc:
        return _("LibreOffice could not be started ({reason})", reason=reason(exc)), ""
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _kill(proc: subprocess.Popen) -> None:
    # soffice starts soffice.bin as a child: stop the whole group.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


def _reason_for(process_failure: str | None, output: str) -> str:
    """Why a document converted alone produced no PDF (its process's output is its own)."""
    if "source file could not be loaded" in output:
        return _("LibreOffice could not open it (damaged or not a Word document)")
    return process_failure or _("LibreOffice produced no PDF for it")


def _docx_problem(path: Path) -> str | None:
    """Refuse what is not a DOCX before LibreOffice sees it: it would import plain text as a
    document and print it, silently."""
    if not path.exists():
        return _("file not found")
    if not path.is_file():
        return _("is not a file")
    try:
        with zipfile.ZipFile(path) as z:
            if "word/document.xml" not in z.namelist():
                return _("not a Word document (no word/document.xml inside)")
    except zipfile.BadZipFile:
        return _("not a Word document (not a DOCX/zip file, or damaged)")
    except OSError as exc:
        return _("cannot be read ({reason})", reason=reason(exc))
    return None


def _valid_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(5)
        return head == b"%PDF-" and path.stat().st_size > 200
    except OSError:
        return False


def convert(docs: list[Path], out_dir: Path, opts: Options | None = None, on_progress=None) -> list[Outcome]:
    """Convert *docs* into *out_dir*; one :class:`Outcome` per document, in input order.

    Raises :class:`ConvertError` only when nothing can be converted at all.
    """
    opts = opts or Options()
    soffice = check_environment(opts)
    docs = [Path(d) for d in docs]
    stems = [d.stem for d in docs]
    dupes = sorted({s for s in stems if stems.count(s) > 1})
    if dupes:
        raise ConvertError(_('several inputs would make the same PDF name: {value}', value=', '.join(s + '.pdf' for s in dupes)))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".vanban-pdf-", dir=out_dir))
    except OSError as exc:
        raise ConvertError(_('{out_dir}: cannot write PDFs here ({value})', out_dir=out_dir, value=reason(exc))) from None

    outcomes = {d: Outcome(d) for d in docs}
    try:
        todo = []
        for d in docs:
            target = out_dir / f"{d.stem}.pdf"
            problem = _docx_problem(d)
            if problem:
                outcomes[d].error = problem
            elif target.exists() and not opts.force:
                outcomes[d].error = _("{target} already exists; use --force to overwrite it", target=target)
            else:
                todo.append(d.resolve())
        by_resolved = {d.resolve(): d for d in docs}

        def run(batch: list[Path]) -> tuple[list[Path], str | None, str]:
            failure, output = _run_soffice(soffice, batch, staging, opts)
            return batch, failure, output

        retry: list[tuple[Path, str | None, str]] = []
        with ThreadPoolExecutor(max_workers=max(1, opts.workers)) as pool:
            for batch, failure, output in pool.map(run, _batches(todo, opts.workers, opts.max_batch)):
                if on_progress:
                    on_progress(len(batch))
                for doc in batch:
                    if not _valid_pdf(staging / f"{doc.stem}.pdf"):
                        retry.append((doc, failure, output))
            # Retry once, each alone in a fresh process, so one bad file cannot take others down.
            for (batch, failure, output) in pool.map(lambda item: run([item[0]]), retry):
                doc = batch[0]
                if not _valid_pdf(staging / f"{doc.stem}.pdf"):
                    outcomes[by_resolved[doc]].error = _reason_for(failure, output)
        for d in docs:
            produced = staging / f"{d.stem}.pdf"
            if outcomes[d].error is None and _valid_pdf(produced):
                target = out_dir / f"{d.stem}.pdf"
                try:
                    os.replace(produced, target)
                    outcomes[d].pdf = target
                except OSError as exc:
                    outcomes[d].error = _("{target}: cannot write ({reason})", target=target, reason=reason(exc))
            elif outcomes[d].error is None:
                outcomes[d].error = _("LibreOffice produced no PDF for it")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [outcomes[d] for d in docs]
