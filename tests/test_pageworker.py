"""The page worker, run for real: a warm LibreOffice converts queued DOCX into PDF and page images,
survives LibreOffice being killed, and leaves nothing running when it is stopped."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pypdf
import pytest

from generator.convert.pages import PageCache, key_of
from generator.convert.warm import uno_python

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.docx"

pytestmark = pytest.mark.skipif(uno_python() is None, reason="python3-uno is not installed (.ci/setup installs it)")


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
                found += kids
                todo += kids
        except OSError:
            continue
    return found


def _soffice(pid: int) -> list[int]:
    out = []
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/cmdline", "rb") as fh:
                if b"soffice" in fh.read().split(b"\0")[0]:
                    out.append(p)
        except OSError:
            pass
    return out


def _variant(tag: str) -> bytes:
    """The sample plan's DOCX with one more part: the same pages, another content hash."""
    src = zipfile.ZipFile(PLAN)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            z.writestr(name, src.read(name))
        z.writestr(f"customXml/vanban-test-{tag}.xml", "<a/>")
    return out.getvalue()


def _wait(cache: PageCache, key: str, limit: float = 180) -> dict:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        state = cache.state(key)
        if state is not None:
            return state
        time.sleep(0.05)
    raise AssertionError("no result")


def test_worker_converts_survives_a_libreoffice_crash_and_stops_clean(tmp_path):
    cache = PageCache(tmp_path / "pages")
    worker = subprocess.Popen(
        [sys.executable, "-m", "generator.convert.pageworker", str(cache.root), "--timeout", "120"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        end = time.monotonic() + 120
        while not cache.worker_alive() and time.monotonic() < end:
            time.sleep(0.1)
        assert cache.worker_alive()
        expected = len(pypdf.PdfReader(PLAN.with_suffix(".pdf")).pages)

        first = _variant("a")
        state = _wait(cache, _enqueue(cache, first))
        assert state == {"state": "done", "pages": expected}
        key = key_of(first)
        assert len(pypdf.PdfReader(cache.pdf(key)).pages) == expected
        assert [p.name for p in sorted(cache.folder(key).glob("page-*.jpg"))] == sorted(
            f"page-{n}.jpg" for n in range(1, expected + 1)
        )
        assert not cache.jobs()

        # LibreOffice dies: the worker restarts it and the next document is converted all the same
        victims = _soffice(worker.pid)
        assert victims, "no LibreOffice below the worker"
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        second = _variant("b")
        assert _wait(cache, _enqueue(cache, second)) == {"state": "done", "pages": expected}
        assert _soffice(worker.pid) and set(_soffice(worker.pid)).isdisjoint(victims)

        # a file that is not a DOCX: an error for it, in words, and the worker goes on
        bad = b"PK\x03\x04 not really"
        state = _wait(cache, _enqueue(cache, bad))
        assert state["state"] == "error" and "Word" in state["error"]
        assert worker.poll() is None
        running = _soffice(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    assert worker.returncode == 0
    assert not cache.worker_alive() and not (cache.root / "worker.json").exists()
    # LibreOffice went with it, and its profile too
    assert [pid for pid in running if Path(f"/proc/{pid}").exists()] == []
    assert list(Path(tempfile.gettempdir()).glob(f"vanban-lo-{worker.pid}-*")) == []


def _enqueue(cache: PageCache, docx: bytes) -> str:
    key = key_of(docx)
    cache.enqueue(key, docx)
    return key
