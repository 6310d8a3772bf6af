"""Convert stage: DOCX → PDF with LibreOffice headless, the very file that gets signed.

Measured on the target machine (shared/spec/stack-notes.md): a cold ``soffice`` costs ~2 s while
a batch of 20 documents in one process costs ~0.3 s each, and two processes sharing one user
profile make the second fail silently. So:

* every process gets its own temporary profile (``-env:UserInstallation``);
* documents go in batches, one batch per worker, two workers on two cores;
* every process has a timeout and runs under :mod:`~generator.convert.supervise`, which kills all it
  started (even what left its process group) at the timeout, at the end, and when vanban dies;
* after a timeout or a crash none of the batch's PDFs is trusted: its documents are retried once,
  each in a fresh process; a PDF is delivered only when it parses whole;
* what still fails is reported by name with the reason, and every other PDF is still delivered;
* PDFs are written beside the target first and renamed into place: never a half-written PDF; the
  staging folders and profiles of a killed run are removed by the next one.

Before any work, :func:`check_environment` makes sure LibreOffice is there and that fontconfig
gives Times New Roman or its metric twin Liberation Serif: a fallback font (DejaVu Serif) would
silently change the page count.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pypdf

from generator.convert import supervise
from generator.io.fsutil import pid_alive, reason
from generator.lang.i18n import _

log = logging.getLogger(__name__)

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
    #: Pages each PDF must have, by document name (stem), where the caller knows it.
    expected_pages: dict[str, int] | None = None


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
        raise ConvertError(_("LibreOffice is not installed (no soffice on PATH); install it with: {value}", value=INSTALL_HINT))
    font = resolved_font()
    if font is None:
        raise ConvertError(
            _(
                "fontconfig cannot be asked which font replaces Times New Roman (fc-match missing); install: {value}",
                value=INSTALL_HINT,
            )
        )
    if not any(good in font for good in GOOD_FONTS):
        raise ConvertError(
            _(
                '"Times New Roman" resolves to "{font}", which would change the page layout; install fonts-liberation2 (metric-compatible with Times New Roman) or Times New Roman itself',
                font=font,
            )
        )
    return soffice


def _batches(items: list[Path], workers: int, max_batch: int) -> list[list[Path]]:
    per = max(1, min(max_batch, -(-len(items) // max(1, workers))))
    return [items[i : i + per] for i in range(0, len(items), per)]


#: Written into every profile we create. A template's linked (not embedded) image or object would
#: otherwise be fetched while converting: a ``file:///`` link put a file of the server into the PDF.
#: BlockUntrustedRefererLinks stops LibreOffice loading linked content from the document; Writer's
#: Content/Update/Link 0 is "never update links" (sw/inc/linkenum.hxx: NEVER = 0).
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
SUPERVISOR = Path(__file__).with_name("supervise.py")
#: Seconds the supervisor may take beyond LibreOffice's own timeout to kill it and clean up.
GRACE = 10.0
PROFILE_PREFIX = "vanban-lo-"
STAGING_PREFIX = ".vanban-pdf-"


class _Live:
    """The supervisors running now, so that an interrupted conversion stops them at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.procs: set[subprocess.Popen] = set()
        self.stopping = False

    def stop_all(self) -> None:
        with self.lock:
            self.stopping = True
            procs = list(self.procs)
        for proc in procs:
            try:
                proc.terminate()  # the supervisor kills LibreOffice's tree and removes its profile
            except OSError:
                pass


def _new_profile() -> str:
    # The pid in the name lets a later run tell a dead run's profile from a live one's.
    profile = tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-")
    user = Path(profile) / "user"
    user.mkdir()
    (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
    return profile


def _run_soffice(
    soffice: str, docs: list[Path], outdir: Path, opts: Options, live: _Live | None = None
) -> tuple[str | None, str]:
    """One LibreOffice process over *docs*. Returns (failure reason or None, its output)."""
    live = live or _Live()
    try:
        profile = _new_profile()
    except OSError as exc:
        return f"no temporary LibreOffice profile could be made ({exc.strerror or exc})", ""
    log_file = Path(profile + ".log")
    cmd = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        PDFA_FILTER if opts.pdfa else "pdf",
        "--outdir",
        str(outdir),
        *[str(d) for d in docs],
    ]
    timeout = opts.startup_timeout + opts.timeout_per_doc * len(docs)
    env = dict(os.environ, SAL_USE_VCLPLUGIN="svp", HOME=profile)
    # No pipes: a descendant holding a pipe open would block reading it past any timeout.
    sup = [sys.executable, "-I", str(SUPERVISOR), str(os.getpid()), repr(timeout), profile, str(log_file), "--", *cmd]
    log.info("LibreOffice: %d document(s), time limit %g s: %s", len(docs), timeout, shlex.join(cmd))
    started = time.monotonic()
    try:
        with live.lock:
            if live.stopping:
                return "conversion interrupted", ""
            proc = subprocess.Popen(sup, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            live.procs.add(proc)
        try:
            code = proc.wait(timeout=timeout + GRACE)
        except subprocess.TimeoutExpired:
            proc.kill()  # its LibreOffice dies with it (death signal)
            proc.wait()
            code = supervise.TIMED_OUT
        finally:
            with live.lock:
                live.procs.discard(proc)
        try:
            out = log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            out = ""
        log.info("LibreOffice: exit code %s after %.1f s for %d document(s)", code, time.monotonic() - started, len(docs))
        if out.strip():
            log.debug("LibreOffice output:\n%s", out.rstrip())
        if code == 0:
            return None, out
        if code == supervise.TIMED_OUT:
            return _("LibreOffice did not finish within {timeout:g} s and was stopped", timeout=timeout), out
        if code == supervise.CANNOT_START:
            return _("LibreOffice could not be started ({value})", value=out.strip().removeprefix("cannot start: ")), out
        if code == supervise.STOPPED:
            return _("conversion interrupted"), out
        return _("LibreOffice exited with code {code}", code=code), out
    except OSError as exc:
        return _("LibreOffice could not be started ({reason})", reason=reason(exc)), ""
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        log_file.unlink(missing_ok=True)


def clean_stale(folder: Path, prefix: str) -> None:
    """Remove what a killed run left in *folder* (staging folders, profiles, their logs).

    Only entries named after a process that no longer exists: a run going on beside us keeps its own.
    """
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        pid = entry.name[len(prefix) :].split("-", 1)[0]
        if not pid.isdigit() or pid_alive(int(pid)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            try:
                entry.unlink()
            except OSError:
                pass


def _reason_for(process_failure: str | None, output: str, produced: Path) -> str:
    """Why a document converted alone produced no PDF (its process's output is its own)."""
    if "source file could not be loaded" in output:
        return _("LibreOffice could not open it (damaged or not a Word document)")
    if process_failure:
        return process_failure
    if produced.exists():
        return _("LibreOffice produced a damaged PDF (it does not parse, or has the wrong number of pages)")
    return _("LibreOffice produced no PDF for it")


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


def _valid_pdf(path: Path, pages: int | None = None) -> bool:
    """A PDF that parses whole: header, cross-reference table, trailer, every page's content.

    A process killed while writing leaves a file that starts like a PDF and is cut short; a broken
    converter can write junk after the header. Neither may be delivered as a document to sign.
    """
    try:
        with path.open("rb") as fh:
            if fh.read(5) != b"%PDF-":
                return False
        logger = logging.getLogger("pypdf")
        disabled, logger.disabled = logger.disabled, True  # its warnings would reach the user's terminal
        try:
            reader = pypdf.PdfReader(path, strict=True)
            count = len(reader.pages)
            for page in reader.pages:
                page.get_contents()
        finally:
            logger.disabled = disabled
    except Exception:  # noqa: BLE001 - any parse failure means the same: not a usable PDF
        return False
    return count > 0 and (pages is None or count == pages)


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
        raise ConvertError(_("several inputs would make the same PDF name: {value}", value=", ".join(s + ".pdf" for s in dupes)))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        clean_stale(out_dir, STAGING_PREFIX)
        clean_stale(Path(tempfile.gettempdir()), PROFILE_PREFIX)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out_dir))
    except OSError as exc:
        raise ConvertError(_("{out_dir}: cannot write PDFs here ({value})", out_dir=out_dir, value=reason(exc))) from None

    outcomes = {d: Outcome(d) for d in docs}
    live = _Live()
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
        pages = opts.expected_pages or {}

        def run(batch: list[Path]) -> tuple[list[Path], str | None, str]:
            failure, output = _run_soffice(soffice, batch, staging, opts, live)
            return batch, failure, output

        def good(doc: Path) -> bool:
            return _valid_pdf(staging / f"{doc.stem}.pdf", pages.get(doc.stem))

        deliver: set[Path] = set()
        retry: list[Path] = []
        with ThreadPoolExecutor(max_workers=max(1, opts.workers)) as pool:
            try:
                for batch, failure, _output in pool.map(run, _batches(todo, opts.workers, opts.max_batch)):
                    if on_progress:
                        on_progress(len(batch))
                    for doc in batch:
                        # After a timeout or a crash no PDF of the batch is trusted, however it looks.
                        if failure is None and good(doc):
                            deliver.add(doc)
                        else:
                            (staging / f"{doc.stem}.pdf").unlink(missing_ok=True)
                            retry.append(doc)
                # Retry once, each alone in a fresh process, so one bad file cannot take others down.
                for batch, failure, output in pool.map(lambda doc: run([doc]), retry):
                    doc = batch[0]
                    if failure is None and good(doc):
                        deliver.add(doc)
                    else:
                        outcomes[by_resolved[doc]].error = _reason_for(failure, output, staging / f"{doc.stem}.pdf")
            except BaseException:
                live.stop_all()
                raise
        for d in docs:
            produced = staging / f"{d.stem}.pdf"
            if outcomes[d].error is None and d.resolve() in deliver:
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
