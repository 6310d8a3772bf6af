"""Use case: the printed pages of a DOCX as images, and its PDF, from the page cache.

When the page worker (started by ``vanban serve``) is running, a missing entry is queued for it and
the caller is told "pending" (a page polls until it is done). When no worker runs (the test client,
``manage.py runserver``), the conversion happens here, in the caller, bounded by *timeout*: slower
(a cold LibreOffice) but never stuck.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generator.convert import libreoffice
from generator.convert.pages import PageCache, key_of
from generator.convert.pageworker import convert_cold
from generator.lang.i18n import _

__all__ = ["Pages", "PagesUnavailable", "page_images", "pdf_of", "PageCache", "key_of"]


class PagesUnavailable(Exception):
    """No PDF can be given (the conversion failed or is not done in time); the message is for the user."""


@dataclass
class Pages:
    key: str
    state: str  # "done", "pending" or "error"
    count: int = 0
    error: str = ""


def _of(key: str, state: dict | None) -> Pages:
    if state is None:
        return Pages(key, "pending")
    if state.get("state") == "done":
        return Pages(key, "done", int(state["pages"]))
    return Pages(key, "error", error=str(state.get("error") or ""))


def status(root: Path, key: str) -> Pages:
    cache = PageCache(root)
    return _of(key, cache.state(key))


def page_images(docx: bytes, root: Path, timeout: float, wait: float = 0.0) -> Pages:
    """The page images of *docx*: from the cache, queued for the worker, or converted here."""
    cache = PageCache(root)
    key = key_of(docx)
    state = cache.state(key)
    if state is not None:
        return _of(key, state)
    if cache.worker_alive():
        cache.enqueue(key, docx)
        end = time.monotonic() + wait
        while time.monotonic() < end:
            state = cache.state(key)
            if state is not None:
                return _of(key, state)
            time.sleep(0.05)
        return Pages(key, "pending")
    with tempfile.TemporaryDirectory(prefix="vanban-pages-") as tmp:
        src, pdf = Path(tmp) / "document.docx", Path(tmp) / "document.pdf"
        src.write_bytes(docx)
        try:
            convert_cold(src, pdf, timeout)
        except libreoffice.ConvertError as exc:
            return _of(key, cache.fail(key, str(exc)))
        return _of(key, cache.store(key, pdf, timeout))


def pdf_of(docx: bytes, root: Path, timeout: float) -> bytes:
    """The PDF of *docx*, the same bytes as the page images were cut from; waits up to *timeout*."""
    pages = page_images(docx, root, timeout, wait=timeout)
    if pages.state == "done":
        return PageCache(root).pdf(pages.key).read_bytes()
    if pages.state == "error":
        raise PagesUnavailable(pages.error)
    raise PagesUnavailable(_("the PDF is not ready after {timeout:g} s; try again in a moment", timeout=timeout))


def pdf_page_images(pdf: bytes, root: Path, timeout: float) -> Pages:
    """The page images of a PDF as it is (a received file): no conversion, cut here and cached by its hash."""
    cache = PageCache(root)
    key = key_of(pdf)
    state = cache.state(key)
    if state is not None:
        return _of(key, state)
    with tempfile.TemporaryDirectory(prefix="vanban-pages-") as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        return _of(key, cache.store(key, path, timeout))
