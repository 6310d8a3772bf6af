"""Reading the parts of an uploaded zip (DOCX, XLSX, a template) without trusting its sizes.

A zip's headers say how large each part unpacks, and they may lie: a 4 MB DOCX can hold a 1 GB
part of spaces, or declare 1 KB for a part that inflates to 2 GB before its CRC fails. Every part
is therefore read through a stream that counts the bytes really decompressed and stops at a limit
per part and per file; nothing bigger is ever held in memory. :func:`repack` turns the parts back
into an honest in-memory zip for libraries that open zips themselves (python-docx, openpyxl).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from generator.lang.i18n import _

#: Bytes one part of a checked document or form may unpack to (a 2,000-task appendix is ≈10 MB of XML).
MAX_PART_BYTES = 50 * 2**20
#: Bytes all parts of one file may unpack to.
MAX_TOTAL_BYTES = 100 * 2**20
#: Parts one file may hold (Word writes a few dozen).
MAX_PARTS = 2_000

_CHUNK = 2**20


class ZipLimitError(Exception):
    """A part is damaged or unpacks past a limit; the message names the file and the part."""


def read_parts(
    zf: zipfile.ZipFile,
    where: str,
    *,
    max_part: int = MAX_PART_BYTES,
    max_total: int = MAX_TOTAL_BYTES,
    max_parts: int = MAX_PARTS,
) -> dict[str, bytes]:
    """Every part of *zf*, in the zip's order, read under the limits (*where* names the file in messages)."""
    infos = zf.infolist()
    if len(infos) > max_parts:
        raise ZipLimitError(_("{where}: has {n:,} parts; the limit is {limit:,}", where=where, n=len(infos), limit=max_parts))
    parts: dict[str, bytes] = {}
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        # The declared size is checked first only because it is free; the count below is what holds.
        if info.file_size > max_part:
            raise _too_big(where, info.filename, max_part)
        buf = bytearray()
        try:
            with zf.open(info) as stream:
                while True:
                    chunk = stream.read(min(_CHUNK, max_part + 1 - len(buf)))
                    if not chunk:
                        break
                    buf += chunk
                    if len(buf) > max_part:
                        raise _too_big(where, info.filename, max_part)
                    if total + len(buf) > max_total:
                        raise ZipLimitError(
                            _("{where}: unpacks to more than {limit} MB in all; refused", where=where, limit=max_total // 2**20)
                        )
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            EOFError,
            OSError,
            NotImplementedError,
            RuntimeError,
        ) as exc:  # RuntimeError: an encrypted part
            raise ZipLimitError(
                _("{path}: damaged part {filename} ({exc})", path=where, filename=info.filename, exc=exc)
            ) from None
        total += len(buf)
        parts[info.filename] = bytes(buf)
    return parts


def _too_big(where: str, name: str, limit: int) -> ZipLimitError:
    return ZipLimitError(
        _("{where}: part {name} unpacks to more than {limit} MB; refused", where=where, name=name, limit=limit // 2**20)
    )


def repack(parts: dict[str, bytes]) -> io.BytesIO:
    """An in-memory zip of *parts* whose sizes are true, for python-docx or openpyxl to open."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    buf.seek(0)
    return buf


def open_bounded(path, where: str | None = None, **limits) -> io.BytesIO:
    """The zip at *path* read under the limits and repacked (raises zipfile.BadZipFile/OSError on open)."""
    with zipfile.ZipFile(path) as zf:
        return repack(read_parts(zf, where or str(path), **limits))
