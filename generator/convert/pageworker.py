"""The page worker: converts the queued DOCX of a :class:`~generator.convert.pages.PageCache` with a warm
LibreOffice and cuts the PDFs into page images. Started and stopped by ``vanban serve``::

    python -m generator.convert.pageworker PAGES_DIR [--timeout S] [--parent PID]

It dies with its parent (``PR_SET_PDEATHSIG``), restarts LibreOffice when it crashed or hung, and
falls back to the batch converter (a cold LibreOffice per document) where no warm one can run.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from generator.convert import libreoffice
from generator.convert.pages import PageCache
from generator.convert.supervise import PR_SET_PDEATHSIG, _prctl
from generator.convert.warm import WarmConverter, WarmUnavailable

log = logging.getLogger("vanban.pageworker")

#: Seconds between two looks at the queue, and between two heartbeats.
POLL, BEAT = 0.1, 2.0
#: Seconds between two prunings of the cache (at start, then hourly).
PRUNE_EVERY = 3600.0


class _Stop(Exception):
    pass


def convert_cold(docx: Path, pdf: Path, timeout: float) -> None:
    """The batch converter, for one document (no warm LibreOffice here)."""
    opts = libreoffice.Options(workers=1, timeout_per_doc=timeout, startup_timeout=timeout, force=True)
    with tempfile.TemporaryDirectory(prefix="vanban-pages-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx.read_bytes())
        outcome = libreoffice.convert([src], Path(tmp) / "out", opts)[0]
        if not outcome.ok or outcome.pdf is None:
            raise libreoffice.ConvertError(outcome.error or "LibreOffice produced no PDF")
        os.replace(outcome.pdf, pdf)


def run_job(cache: PageCache, job: Path, warm: WarmConverter | None, timeout: float) -> dict:
    key = job.stem
    with tempfile.TemporaryDirectory(prefix="vanban-pages-") as tmp:
        pdf = Path(tmp) / "document.pdf"
        try:
            if warm is not None:
                warm.convert(job, pdf, timeout)
            else:
                convert_cold(job, pdf, timeout)
        except libreoffice.ConvertError as exc:
            return cache.fail(key, str(exc))
        return cache.store(key, pdf, timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser("pageworker")
    parser.add_argument("root")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--parent", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="pageworker: %(message)s")

    def stop(signum, frame):
        raise _Stop()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if args.parent and os.getppid() != args.parent:  # the parent died before the death signal was armed
        return 0
    cache = PageCache(Path(args.root))
    warm: WarmConverter | None = None
    beating = threading.Event()

    def heartbeat() -> None:  # from its own thread: a long conversion must not look like a dead worker
        while not beating.wait(BEAT):
            cache.beat()

    try:
        cache.beat()
        threading.Thread(target=heartbeat, daemon=True).start()
        try:
            warm = WarmConverter()
            warm.start()  # warm before the first request
            log.info("LibreOffice is warm")
        except WarmUnavailable as exc:
            log.warning("no warm LibreOffice (%s): each document is converted by a cold one", exc)
            warm = None
        except libreoffice.ConvertError as exc:
            log.warning("%s; retried with the first job", exc)
        last = time.monotonic()
        pruned = 0.0
        while True:
            if time.monotonic() - pruned > PRUNE_EVERY:  # the cache is bounded by age, not left to grow
                pruned = time.monotonic()
                if removed := cache.prune():
                    log.info("removed %d old page cache entries", removed)
            if time.monotonic() - last > BEAT:
                last = time.monotonic()
                if warm is not None and not warm.alive():  # crashed between jobs: warm again now
                    log.warning("LibreOffice is gone; restarting it")
                    try:
                        warm.start()
                    except libreoffice.ConvertError as exc:
                        log.warning("%s", exc)
            for job in cache.jobs():
                if cache.state(job.stem) is not None:  # made meanwhile (by a request while no worker ran)
                    job.unlink(missing_ok=True)
                    continue
                state = run_job(cache, job, warm, args.timeout)
                job.unlink(missing_ok=True)
                log.info("%s: %s", job.stem[:12], state.get("state"))
            time.sleep(POLL)
    except _Stop:
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        beating.set()
        if warm is not None:
            warm.stop()
        cache.worker_gone()


if __name__ == "__main__":
    sys.exit(main())
