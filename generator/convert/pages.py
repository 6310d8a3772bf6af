"""Page images of a DOCX, cached by the DOCX's content hash, and the folder queue of the page worker.

The cache is a folder (the web's data folder ``pages/``)::

    queue/<key>.docx        a job: the page worker converts it, then removes it
    <key>/document.pdf      the PDF (the same bytes the PDF download serves)
    <key>/page-<n>.jpg      page n (from 1), cut by poppler's pdftoppm
    <key>/state.json        {"state": "done", "pages": n} or {"state": "error", "error": "…", "at": t}
    worker.json             the worker's heartbeat: {"pid": …, "at": …}

A result folder is made beside its place and renamed into it, so a reader sees all of it or none.
*key* is the SHA-256 of the DOCX: the same document text gives the same pages, whoever asks; a
changed text is a new key (old entries can be removed at any time, they are only a cache).

A folder queue, not a job table: the worker then needs no database, and the web and the worker
share nothing but this folder. Past one machine, the queue moves to a broker (Celery with Redis):
``enqueue`` becomes ``convert_pages.delay(key)``, the worker a Celery task, the folder a shared
object store (see README, "Page images").
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pypdf

from generator.io.fsutil import pid_alive
from generator.lang.i18n import _

#: Resolution of the page images: A4 at 100 dpi is 827 × 1169 pixels, readable on a screen.
DPI = 100
#: Seconds after which a worker that has not written its heartbeat is taken for dead.
HEARTBEAT_STALE = 10.0
#: Seconds an error stays cached; the next request after that tries again (a timeout under load may pass).
ERROR_TTL = 60.0
#: Seconds a cache entry is kept (30 days); the page worker prunes older ones (PageCache.prune).
KEEP_SECONDS = 30 * 24 * 3600.0
_KEY = re.compile(r"^[0-9a-f]{64}$")


def key_of(docx: bytes) -> str:
    return hashlib.sha256(docx).hexdigest()


class PageCache:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.queue = self.root / "queue"

    def folder(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(key)
        return self.root / key

    def state(self, key: str) -> dict | None:
        """What is known of *key*: None (nothing yet), done with its page count, or an error still fresh."""
        try:
            state = json.loads((self.folder(key) / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if state.get("state") == "error" and time.time() - float(state.get("at") or 0) > ERROR_TTL:
            return None
        return state

    def pdf(self, key: str) -> Path:
        return self.folder(key) / "document.pdf"

    def image(self, key: str, n: int) -> Path | None:
        state = self.state(key)
        if not state or state.get("state") != "done" or not 1 <= n <= int(state["pages"]):
            return None
        return self.folder(key) / f"page-{n}.jpg"

    def queued(self, key: str) -> bool:
        return (self.queue / f"{key}.docx").exists()

    def enqueue(self, key: str, docx: bytes) -> None:
        """Put a job for the worker (once: a job already queued stays as it is)."""
        target = self.queue / f"{key}.docx"
        if target.exists():
            return
        self.queue.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".part", dir=self.queue)
        with os.fdopen(fd, "wb") as fh:
            fh.write(docx)
        os.replace(tmp, target)

    def jobs(self) -> list[Path]:
        try:
            found = [p for p in self.queue.glob("*.docx") if _KEY.match(p.stem)]
        except OSError:
            return []
        return sorted(found, key=lambda p: p.stat().st_mtime if p.exists() else 0)

    # -- results -------------------------------------------------------------------------------

    def _publish(self, key: str, staging: Path) -> None:
        target = self.folder(key)
        old = None
        if target.exists():
            old = target.with_name(f".old-{key}-{os.getpid()}-{time.monotonic_ns()}")
            try:
                os.rename(target, old)
            except OSError:
                old = None
        try:
            os.rename(staging, target)
        except OSError:  # another process published the same key first: theirs is as good
            shutil.rmtree(staging, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def _staging(self, key: str) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".new-{key}-", dir=self.root))

    def store(self, key: str, pdf: Path, timeout: float = 60.0) -> dict:
        """Cut *pdf* into page images and publish both; an error is published instead when cutting fails."""
        staging = self._staging(key)
        try:
            shutil.copyfile(pdf, staging / "document.pdf")
            count = cut_pages(staging / "document.pdf", staging, timeout)
            state = {"state": "done", "pages": count}
            (staging / "state.json").write_text(json.dumps(state), encoding="utf-8")
        except PagesError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            return self.fail(key, str(exc))
        self._publish(key, staging)
        return state

    def fail(self, key: str, message: str) -> dict:
        staging = self._staging(key)
        state = {"state": "error", "error": message, "at": time.time()}
        (staging / "state.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        self._publish(key, staging)
        return state

    def prune(self, max_age: float = KEEP_SECONDS) -> int:
        """Remove results not used (read or written) for *max_age* seconds; returns how many.

        A cache entry is only ever a copy: a later request makes it again. Serving an image or a PDF
        touches nothing, so "used" is the time the entry was made or last re-made.
        """
        removed = 0
        now = time.time()
        try:
            entries = list(self.root.iterdir())
        except OSError:
            return 0
        for entry in entries:
            if not (_KEY.match(entry.name) or entry.name.startswith((".new-", ".old-"))) or not entry.is_dir():
                continue
            try:
                age = now - entry.stat().st_mtime
            except OSError:
                continue
            if age > max_age:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        return removed

    # -- the worker's heartbeat ----------------------------------------------------------------

    def beat(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".worker.{os.getpid()}.part"
        tmp.write_text(json.dumps({"pid": os.getpid(), "at": time.time()}), encoding="utf-8")
        os.replace(tmp, self.root / "worker.json")

    def worker_alive(self) -> bool:
        try:
            beat = json.loads((self.root / "worker.json").read_text(encoding="utf-8"))
            pid, at = int(beat["pid"]), float(beat["at"])
        except (OSError, ValueError, KeyError, TypeError):
            return False
        return time.time() - at < HEARTBEAT_STALE and pid_alive(pid)

    def worker_gone(self) -> None:
        (self.root / "worker.json").unlink(missing_ok=True)


class PagesError(Exception):
    """The PDF cannot be cut into page images (the message is for the user)."""


def cut_pages(pdf: Path, folder: Path, timeout: float = 60.0, dpi: int = DPI) -> int:
    """Write ``page-1.jpg`` … of *pdf* into *folder*; returns the page count.

    JPEG, not PNG: pdftoppm spends most of its time compressing PNG (the sample plan's 9 pages at
    80 dpi: 1.2 s of CPU as PNG, 0.1 s as JPEG at 100 dpi), and a page of text at quality 85 reads the same.
    """
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PagesError(_("pdftoppm is missing; install poppler-utils"))
    try:
        pages = len(pypdf.PdfReader(pdf).pages)
    except Exception:  # noqa: BLE001 - any parse failure: the converter's PDF is unusable
        raise PagesError(_("LibreOffice produced a damaged PDF (it does not parse, or has the wrong number of pages)")) from None
    cmd = [exe, "-r", str(dpi), "-jpeg", "-jpegopt", "quality=85", str(pdf), str(folder / "p")]
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise PagesError(_("the page images were not ready within {timeout:g} s", timeout=timeout)) from None
    if done.returncode != 0:
        raise PagesError(_("the PDF could not be cut into page images ({value})", value=done.stderr.strip()[:200]))
    made = sorted(folder.glob("p-*.jpg"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if len(made) != pages:
        raise PagesError(_("the PDF could not be cut into page images ({value})", value=f"{len(made)}/{pages}"))
    for n, image in enumerate(made, 1):
        os.replace(image, folder / f"page-{n}.jpg")
    return len(made)
