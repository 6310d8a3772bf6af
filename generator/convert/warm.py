"""DOCX → PDF through a LibreOffice kept running (warm): unoserver, supervised, restarted when it dies.

Why: measured on this machine (2 cores, shared) a cold ``soffice --convert-to`` of the sample plan
costs 2–11 s (most of it starting LibreOffice and making its profile), the same conversion through a
LibreOffice already running costs 0.45–0.6 s. The web's page preview needs the second figure.

How: unoserver (PyPI) runs LibreOffice with a UNO socket and serves an XML-RPC ``convert`` call. Its
server needs the ``uno`` module, which only the Python that LibreOffice was built for has (Debian's
``python3-uno`` for ``/usr/bin/python3``), not our virtual environment; its client is plain XML-RPC.
So the server runs under that Python (:func:`uno_python`) with unoserver appended to its path, under
:mod:`generator.convert.supervise` (which kills LibreOffice's whole tree and removes the profile when
we stop, crash or are killed); we talk to it with :mod:`xmlrpc.client` and our own timeout. The
profile is ours (:data:`~generator.convert.libreoffice.PROFILE_SETTINGS`: no linked content fetched,
macros off), made before start.

A conversion that fails or outlasts its time, or a LibreOffice that died, costs a restart: the next
call starts a fresh server (the caller sees one error, not a stuck worker).
"""

from __future__ import annotations

import http.client
import logging
import os
import socket
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

from generator.convert import libreoffice
from generator.lang.i18n import _

log = logging.getLogger(__name__)

#: Pythons that may have LibreOffice's ``uno`` module, tried in order after $VANBAN_UNO_PYTHON.
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")


class WarmUnavailable(Exception):
    """No warm LibreOffice can be run here (no ``uno`` module or no unoserver): use the batch converter."""


def uno_python() -> str | None:
    """A Python interpreter that can ``import uno``, or None."""
    for exe in (os.environ.get("VANBAN_UNO_PYTHON"), sys.executable, *UNO_PYTHONS):
        if not exe or not Path(exe).exists():
            continue
        try:
            ok = subprocess.run([exe, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            continue
        if ok:
            return exe
    return None


def unoserver_path() -> str | None:
    """The folder holding the ``unoserver`` package (installed in our environment), or None."""
    try:
        import unoserver  # noqa: F401 - only its location is wanted
    except ImportError:
        return None
    import importlib.util

    spec = importlib.util.find_spec("unoserver")
    if spec is None or not spec.origin:
        return None
    return str(Path(spec.origin).parent.parent)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _has_soffice(pid: int) -> bool:
    """Whether a LibreOffice (soffice) runs below process *pid* (Linux: read from /proc)."""
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/cmdline", "rb") as fh:
                if p != pid and b"soffice" in fh.read().split(b"\0")[0]:
                    return True
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(k) for k in fh.read().split()]
        except OSError:
            continue
    return False


class _Transport(xmlrpc.client.Transport):
    """XML-RPC over HTTP with a timeout: a hung LibreOffice must not hang the worker."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


class WarmConverter:
    """One warm LibreOffice; :meth:`convert` is not thread-safe (the worker calls it from one thread)."""

    def __init__(self, startup_timeout: float = 90.0) -> None:
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.starts = 0  # how many times LibreOffice was started (a restart after a crash counts)
        self.log_file = ""
        self.started_lo = False  # its LibreOffice has been seen running (until then alive() asks only the server)
        self.python = uno_python()
        self.path = unoserver_path()
        if self.python is None:
            raise WarmUnavailable(_("LibreOffice's Python module uno is missing (install python3-uno)"))
        if self.path is None:
            raise WarmUnavailable(_("the unoserver package is missing (pip install unoserver)"))
        self.soffice = libreoffice.check_environment()

    def alive(self) -> bool:
        """The server runs and so does its LibreOffice (unoserver outlives a LibreOffice that crashed)."""
        if self.proc is None or self.proc.poll() is not None:
            return False
        return self.started_lo is False or _has_soffice(self.proc.pid)

    def start(self) -> None:
        """Start LibreOffice and wait until it answers; raises :class:`libreoffice.ConvertError`."""
        self.stop()
        self.started_lo = False
        profile = libreoffice._new_profile()
        log_file = self.log_file = profile + ".log"
        self.port, uno_port = _free_port(), _free_port()
        boot = f"import sys; sys.path.append({self.path!r}); from unoserver.server import main; sys.exit(main())"
        cmd = [
            str(self.python),
            "-c",
            boot,
            "--port",
            str(self.port),
            "--uno-port",
            str(uno_port),
            "--user-installation",
            profile,
            "--executable",
            self.soffice,
            "--quiet",
        ]
        env = dict(os.environ, SAL_USE_VCLPLUGIN="svp", HOME=profile)
        env.pop("PYTHONPATH", None)
        env.pop("VIRTUAL_ENV", None)
        forever = str(10 * 365 * 24 * 3600.0)
        sup = [sys.executable, "-I", str(libreoffice.SUPERVISOR), str(os.getpid()), forever, profile, log_file, "--", *cmd]
        log.info("warm LibreOffice: starting unoserver on port %d", self.port)
        self.proc = subprocess.Popen(sup, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        self.starts += 1
        end = time.monotonic() + self.startup_timeout
        while time.monotonic() < end:
            if not self.alive():
                break
            try:
                self._proxy(5).info()
                self.started_lo = _has_soffice(self.proc.pid) if self.proc else False
                return
            except (OSError, http.client.HTTPException, xmlrpc.client.Error):
                time.sleep(0.25)
        self.stop()
        raise libreoffice.ConvertError(
            _(
                "LibreOffice could not be started ({value})",
                value=_("no answer within {timeout:g} s", timeout=self.startup_timeout),
            )
        )

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", allow_none=True, transport=_Transport(timeout))

    def convert(self, docx: Path, pdf: Path, timeout: float) -> None:
        """Convert *docx* into *pdf* (written whole or not at all); raises ConvertError saying why.

        A failure may be LibreOffice's (it crashed, or hung on the previous document), not the
        document's: the server is restarted and the document tried once more before it is refused.
        """
        problem = libreoffice._docx_problem(docx)
        if problem:
            raise libreoffice.ConvertError(problem)
        for attempt in (1, 2):
            if not self.alive():
                self.start()
            part = pdf.with_name(f".{pdf.name}.{os.getpid()}.part.pdf")
            try:
                self._proxy(timeout).convert(str(docx.resolve()), None, str(part.resolve()), "pdf", None, [], True, None, None)
            except TimeoutError:
                self.stop()  # a LibreOffice stuck on one document is of no use for the next
                part.unlink(missing_ok=True)
                raise libreoffice.ConvertError(
                    _("LibreOffice did not finish within {timeout:g} s and was stopped", timeout=timeout)
                ) from None
            except (OSError, http.client.HTTPException, xmlrpc.client.Error) as exc:
                self.stop()
                part.unlink(missing_ok=True)
                log.info("warm LibreOffice failed on %s (attempt %d): %s", docx, attempt, exc)
                if attempt == 1:
                    continue
                raise libreoffice.ConvertError(_("LibreOffice could not open it (damaged or not a Word document)")) from None
            if not libreoffice._valid_pdf(part):
                part.unlink(missing_ok=True)
                raise libreoffice.ConvertError(
                    _("LibreOffice produced a damaged PDF (it does not parse, or has the wrong number of pages)")
                )
            os.replace(part, pdf)
            return

    def stop(self) -> None:
        """Stop LibreOffice (the supervisor kills its tree and removes the profile)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=libreoffice.GRACE)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.log_file:  # the supervisor removed the profile; its output file is ours to remove
            Path(self.log_file).unlink(missing_ok=True)
