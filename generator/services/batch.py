"""Many unit plans at once: derive (and render) in worker processes, one result per unit.

Workers load the parent plan and the reference data once each (process initializer), so a
batch of a thousand units costs one load per core, not per unit. Output is deterministic: the
same parent gives byte-identical YAML and DOCX files whatever the order the workers finish in.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.io.fsutil import OutputError, write_atomic
from generator.io.loader import LoadError, load_plan
from generator.io.refdata import RefData, Unit
from generator.io.refdata import load as load_refdata
from generator.io.yamlout import dump_plan
from generator.kinds import render_document
from generator.lang.i18n import _
from generator.model.document import PartialDate
from generator.render.engine import RenderError
from generator.transform.derive import DeriveError, derive


@dataclass
class Job:
    unit: Unit
    yaml_path: Path
    docx_path: Path | None  # None: YAML only
    pdf_path: Path | None = None  # its PDF, to be made next: an old one goes when the DOCX is replaced


@dataclass
class Result:
    unit_id: str
    written: list[Path] = field(default_factory=list)
    todos: int = 0
    error: str | None = None


@dataclass
class Settings:
    parent_path: Path
    date: PartialDate | None = None
    report_days: int = 5
    draft: bool = False
    force: bool = False
    data_folder: str | None = None  # another data/ (benchmarks, tests); default: vanban's own


_STATE: dict = {}


def _tie_to_parent(parent: int) -> None:
    """A worker must not outlive vanban: a killed vanban's workers would go on writing files.

    The kernel sends SIGTERM when the parent dies (PR_SET_PDEATHSIG, Linux); SIGTERM ends the
    worker through SystemExit, so the file it is writing is removed, not left half-made.
    """
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # died before the signal was armed
        sys.exit(143)


def _init(settings: Settings, parent: int | None = None) -> None:
    if parent is not None:
        _tie_to_parent(parent)
    ref = load_refdata(settings.data_folder)
    _STATE.update(settings=settings, ref=ref, parent=load_plan(settings.parent_path, ref).plan)


def header_comment(parent_path: Path, unit: Unit) -> str:
    return _(
        "Kế hoạch of {issuer}, derived by `vanban derive` from {parent}.\n"
        "Places to complete are marked [[…]]: fill them in, then render. Until then only\n"
        "`vanban render --draft` renders it, with the DỰ THẢO mark.\n"
        "Tasks keep the id of the parent task they implement in `parent:`. To leave one out, delete it\n"
        "and list it under source.dropped with a reason; `vanban validate` checks this against the parent.",
        issuer=unit.party.issuer if unit.party else unit.name,
        parent=parent_path.name,
    ) + (
        "\n" + _("EXAMPLE DATA: the unit profile is an example (data/units/), not confirmed by the unit.") if unit.example else ""
    )


def run_job(job: Job) -> Result:
    s: Settings = _STATE["settings"]
    ref: RefData = _STATE["ref"]
    parent = _STATE["parent"]
    result = Result(job.unit.id)
    try:
        rel = os.path.relpath(s.parent_path.resolve(), job.yaml_path.parent.resolve())
        child = derive(parent, job.unit, ref, parent_file=rel, date=s.date, report_days=s.report_days)
        text = dump_plan(child, header_comment(s.parent_path, job.unit))
        result.todos = text.count("[[")
        data = None
        if job.docx_path is not None:
            if result.todos and not s.draft:
                raise RenderError(
                    _("{todos} place(s) still to be completed ([[…]]); fill them in or use --draft", todos=result.todos)
                )
            data = render_document(child.as_draft() if s.draft else child, ref)
        write_atomic(job.yaml_path, text.encode("utf-8"), s.force)
        result.written.append(job.yaml_path)
        if data is not None and job.docx_path is not None:  # rendered only when the job has a DOCX to write
            write_atomic(job.docx_path, data, s.force, drop=[job.pdf_path])
            result.written.append(job.docx_path)
    except (DeriveError, RenderError, OutputError, LoadError) as exc:
        result.error = str(exc)
    return result


def _run_in_worker(job: Job) -> Result:
    try:
        return run_job(job)
    except SystemExit:
        # Stopped by SIGTERM, the file being written already removed on the way here; the executor
        # would catch SystemExit and take the next job, so leave at once.
        os._exit(143)


def run(
    jobs: list[Job], settings: Settings, *, workers: int | None = None, on_done: Callable[[Result], None] | None = None
) -> list[Result]:
    """Run *jobs* on *workers* processes (default: all cores); results in job order."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    results: list[Result] = []
    if workers == 1:
        _init(settings)
        iterator: Iterable[Result] = map(run_job, jobs)
        for r in iterator:
            results.append(r)
            if on_done:
                on_done(r)
        return results
    chunk = max(1, min(32, len(jobs) // (workers * 4) or 1))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(settings, os.getpid()))
    try:
        for r in pool.map(_run_in_worker, jobs, chunksize=chunk):
            results.append(r)
            if on_done:
                on_done(r)
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): stop the workers now rather than let them finish their
        # chunks; each removes the file it was writing. The executor keeps no public list of them.
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                proc.terminate()
            except OSError:
                pass
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results
