"""Use case: read the units' progress reports on a plan (YAML, or filled Excel forms), each checked against the
plan, many files on all cores. Used by ``vanban report``, ``vanban validate`` and the web application."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from generator.io.excel import read_form
from generator.io.loader import OTHER_SPREADSHEETS, LoadError, Located
from generator.io.loader import load_progress as read_progress
from generator.io.refdata import RefData
from generator.io.refdata import load as load_refdata
from generator.model.document import Plan, Progress
from generator.transform.rollup import check_progress


def load_progress(path: str | Path, plan: Plan, plan_name: str, ref: RefData | None = None) -> tuple[Progress, list[Located]]:
    """One unit's progress report (YAML) checked against *plan* (named *plan_name* in messages). Raises LoadError."""
    ref = ref or load_refdata()
    return read_progress(path, ref, checks=lambda progress, _path, r: check_progress(progress, plan, plan_name, r))


def read_progress_form(path: str | Path, plan: Plan, plan_name: str, ref: RefData) -> tuple[Progress, list[Located]]:
    """One filled Excel form checked against *plan*, every problem named by sheet!cell. Raises LoadError."""
    return read_form(path, plan, plan_name, ref)


_STATE: dict = {}


def _init(plan: Plan, plan_name: str, ref: RefData) -> None:
    _STATE.update(plan=plan, plan_name=plan_name, ref=ref)


def _one(path: Path) -> tuple[Path, Progress | None, list[Located]]:
    """One progress file (YAML or a filled Excel form): (path, progress or None, problems)."""
    s = _STATE
    try:
        if path.suffix.lower() in (".xlsx", *OTHER_SPREADSHEETS):  # CONG-TY-129.XLSX is a form too
            progress, warnings = read_form(path, s["plan"], s["plan_name"], s["ref"])
        else:
            progress, warnings = load_progress(path, s["plan"], s["plan_name"], s["ref"])
    except LoadError as exc:
        return path, None, exc.problems
    return path, progress, warnings


def load_progress_files(
    paths: list[Path],
    plan: Plan,
    plan_name: str,
    ref: RefData,
    *,
    workers: int | None = None,
    on_done: Callable[[int], object] | None = None,
) -> list[tuple[Path, Progress | None, list[Located]]]:
    """Every file checked, in input order; on several cores when there are many files."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(paths) < 64:  # a pool costs more than it saves on few files
        _init(plan, plan_name, ref)
        out = []
        for p in paths:
            out.append(_one(p))
            if on_done:
                on_done(1)
        return out
    out = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(plan, plan_name, ref)) as pool:
        for item in pool.map(_one, paths, chunksize=max(1, len(paths) // (workers * 8))):
            out.append(item)
            if on_done:
                on_done(1)
    return out
