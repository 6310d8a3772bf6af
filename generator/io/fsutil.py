"""Writing output files safely: never a half-written file, never an overwrite unless asked."""

from __future__ import annotations

import glob
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from generator.lang.i18n import _, language


class InputError(Exception):
    """An input file cannot be read as a file: the message says why, without the file's name."""


def read_input(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file at *path*, at most *limit* of them, else :class:`InputError`.

    The size on disk is not trusted: ``/dev/zero`` says 0 bytes and never ends, a FIFO blocks its
    reader forever. So only regular files are read (opened non-blocking, checked on the open
    descriptor, so a file swapped after a check is still the one checked) and never past *limit*.
    FileNotFoundError and PermissionError pass through for the caller's own words.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(_("is a folder, not a file"))
        if not stat.S_ISREG(st.st_mode):
            raise InputError(_("is not a regular file (a device, a pipe or a socket); only files are read"))
        if st.st_size > limit:
            raise InputError(_("file is {size:,} bytes; the limit is {limit:,}", size=st.st_size, limit=limit))
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew while being read
                raise InputError(_("file is more than {limit:,} bytes; refused", limit=limit))
        return b"".join(chunks)
    finally:
        os.close(fd)


class OutputError(Exception):
    """An output file cannot be written; the message names it and says why."""


def reason(exc: OSError) -> str:
    """Why *exc* happened, in the user's language: the msgids are the C library's (English) strerror."""
    import errno

    words = {
        errno.EACCES: _("Permission denied"),
        errno.EPERM: _("Operation not permitted"),
        errno.ENOENT: _("No such file or directory"),
        errno.ENOSPC: _("No space left on device"),
        errno.EROFS: _("Read-only file system"),
        errno.ENOTDIR: _("Not a directory"),
        errno.EISDIR: _("Is a directory"),
        errno.EEXIST: _("File exists"),
        errno.ENAMETOOLONG: _("File name too long"),
        errno.EDQUOT: _("Disk quota exceeded"),
    }
    own = exc.strerror or str(exc)
    if language() == "en" or exc.errno is None:
        return own
    return words.get(exc.errno, own)


def check_target(path: Path, force: bool) -> None:
    """Refuse before any work is done, so that a refused run changes nothing."""
    if path.is_dir():
        raise OutputError(_("{path}: is a folder, not a file", path=path))
    if path.exists() and not force:
        raise OutputError(_("{path}: already exists; use --force to overwrite it", path=path))


def pid_alive(pid: int) -> bool:
    """Whether process *pid* still runs (someone else's process counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale_parts(path: Path) -> None:
    """Remove the temporary files a killed writer of *path* left (``kill -9`` runs no cleanup).

    Their names carry the writer's pid: a writer still running keeps its file.
    """
    for part in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        pid = part.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            try:
                part.unlink()
            except OSError:
                pass


def write_atomic(path: Path, data: bytes, force: bool = False, drop: Iterable[Path | None] = ()) -> None:
    """Write *data* to a temporary file beside *path*, then rename it into place.

    A crash or Ctrl-C leaves either the old file or the new one, never a partial file.
    *drop*: files made from the old *path* (its PDF) removed just before the new one takes its
    place, so that an interruption can never leave the new DOCX beside the old document's PDF.
    """
    check_target(path, force)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        clean_stale_parts(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(_("{folder}: cannot write here ({value})", folder=folder, value=reason(exc))) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # An overwritten file keeps its permissions (a shared plan stays group-writable); a new one is 0644.
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
        if not force and path.exists():  # appeared while we worked
            raise OutputError(_("{path}: already exists; use --force to overwrite it", path=path))
        for stale in drop:
            if stale is not None:
                stale.unlink(missing_ok=True)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(_("{path}: cannot write ({value})", path=path, value=reason(exc))) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
