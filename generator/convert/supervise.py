"""Runs one LibreOffice process and makes sure nothing of it outlives its time or its parent.

Started by :mod:`generator.convert.libreoffice` as a script (stdlib only, so it starts fast)::

    python supervise.py PARENT_PID TIMEOUT PROFILE LOG -- soffice ARGS…

Why a separate process: when vanban itself is killed (``kill -9``, the OOM killer), nothing in it
runs any more, so LibreOffice and its profile would stay. This process is told by the kernel when
its parent dies (``PR_SET_PDEATHSIG``), and it is a *subreaper* (``PR_SET_CHILD_SUBREAPER``): a
descendant that daemonises (double fork, new session) is re-parented to it, not to init, so it
can still be found and killed. It exits only when every descendant is gone, then removes the
profile. Its exit code: LibreOffice's own, 124 for a timeout, 125 when LibreOffice cannot be
started, 143 when it was itself stopped by a signal.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
TIMED_OUT, CANNOT_START, STOPPED = 124, 125, 143


class _Stop(Exception):
    pass


def _prctl(option: int, value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the timeouts still hold, the kill -9 guarantee does not
        pass


def _die_with_parent() -> None:
    # In LibreOffice's own launcher, between fork and exec: its group is killed by us, but if we
    # die abruptly ourselves the kernel stops it.
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _descendants() -> list[int]:
    """Every process below this one (orphans included, thanks to the subreaper flag)."""
    found, todo = [], [os.getpid()]
    while todo:
        pid = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def _kill_all(child: subprocess.Popen | None) -> None:
    """SIGKILL the whole tree, reap it, until nothing is left (bounded: 5 s)."""
    if child is not None:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:
            pass
    end = time.monotonic() + 5
    while time.monotonic() < end:
        pids = _descendants()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            if not pids:
                return
        if not pids and not _descendants():
            return
        time.sleep(0.02)


def main(argv: list[str]) -> int:
    parent, timeout, profile, log = int(argv[0]), float(argv[1]), argv[2], argv[3]
    cmd = argv[5:]

    def stop(signum, frame):
        raise _Stop()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    child = None
    code = STOPPED
    try:
        if os.getppid() != parent:  # vanban died before the death signal was armed
            return STOPPED
        try:
            with open(log, "wb") as out:
                child = subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_die_with_parent,
                )
        except OSError as exc:
            with open(log, "a") as note:
                note.write(f"cannot start: {exc.strerror or exc}\n")
            return CANNOT_START
        try:
            rc = child.wait(timeout=timeout)
            code = rc if rc >= 0 else 128 - rc
        except subprocess.TimeoutExpired:
            code = TIMED_OUT
    except _Stop:
        code = STOPPED
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # Even after a clean exit: a descendant that left the group must not keep running.
        _kill_all(child)
        shutil.rmtree(profile, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
