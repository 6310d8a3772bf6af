"""Use case: the Báo cáo rolled up from the units' progress reports on a plan (``vanban report``, and the web
application's "generate the report"). Reading the reports is :mod:`generator.services.progress`; this module
decides what is used and what is refused, writes the return sheets' text, rolls up and builds the report."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.io.excel import form_title, return_sheet
from generator.io.loader import PROGRESS_SUFFIXES, Located
from generator.io.refdata import RefData, period_label
from generator.io.yamlout import dump_plan
from generator.lang.i18n import _, use_language
from generator.model.document import Plan, Progress, Report
from generator.services.progress import load_progress_files
from generator.transform.rollup import RollUp, build_report, roll_up

log = logging.getLogger(__name__)


def progress_files(paths: list[Path]) -> tuple[list[Path], list[Located]]:
    """The progress files a list of folders and files holds, and a warning for each other file in the folders."""
    files: list[Path] = []
    warnings: list[Located] = []
    for p in paths:
        if not p.is_dir():
            files.append(p)
            continue
        for f in sorted(p.iterdir()):
            if f.name.startswith((".", "~$")):  # hidden files, Office lock files
                continue
            if f.suffix.lower() in PROGRESS_SUFFIXES:
                files.append(f)
            elif f.is_file():
                warnings.append(Located(str(f), None, None, "", _("not a progress report (.yaml or .xlsx); not read"), "warning"))
    # A file named twice (by itself and through its folder) is one report, not a unit reporting twice.
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    log.info("%d progress file(s) to read, %d other file(s) skipped", len(unique), len(warnings))
    return unique, warnings


@dataclass
class Collected:
    """The progress reports that can be used, the files refused (their units get a return sheet), and problems."""

    progress: list[Progress] = field(default_factory=list)
    refused: list[Path] = field(default_factory=list)
    problems: list[Located] = field(default_factory=list)
    #: Two files for one unit: the report cannot say which is right, so nothing is rolled up.
    conflict: bool = False


def collect(results: list[tuple[Path, Progress | None, list[Located]]]) -> Collected:
    out = Collected()
    seen: dict[str, Path] = {}
    for f, item, problems in results:
        out.problems += problems
        if item is None:
            out.refused.append(f)  # the report goes on without it
            continue
        if item.unit in seen:
            out.problems.append(
                Located(
                    str(f),
                    None,
                    None,
                    "unit",
                    _("{unit} already reported in {value}", unit=repr(item.unit), value=seen[item.unit]),
                )
            )
            out.conflict = True
            continue
        seen[item.unit] = f
        out.progress.append(item)
    log.info(
        "progress reports: %d read, %d used, %d refused%s",
        len(results),
        len(out.progress),
        len(out.refused),
        " (two reports of one unit: nothing rolled up)" if out.conflict else "",
    )
    for f in out.refused:
        log.debug("refused: %s", f)
    return out


def return_sheet_names(refused: list[Path], folder: Path) -> dict[Path, Path]:
    """Where each refused file's return sheet goes: ``phieu-tra-lai-FILE.txt`` (two files of one name get a sheet each)."""
    sheets: dict[Path, Path] = {}
    for f in refused:
        target, n = folder / f"phieu-tra-lai-{f.stem}.txt", 1
        while target in sheets:
            n += 1
            target = folder / f"phieu-tra-lai-{f.stem}-{n}.txt"
        sheets[target] = f
    return sheets


def return_sheets(refused: list[Path], plan: Plan, plan_name: str, ref: RefData) -> list[bytes]:
    """The return sheet (phiếu trả lại) of each refused file: in Vietnamese whatever the user's language, since it
    goes to the unit; UTF-8 with a BOM so that Notepad opens it right."""
    with use_language("vi"):
        again = load_progress_files(refused, plan, plan_name, ref, workers=1)
        title = form_title(plan, ref)
        return [return_sheet(f, problems, title, ref).encode("utf-8-sig") for f, _item, problems in again]


@dataclass
class Rollup:
    document: Report
    rolled: RollUp


def build(plan: Plan, plan_path: Path, progress: list[Progress], period: str, as_of, ref: RefData, out_folder: Path) -> Rollup:
    """Roll *progress* up and build the report, citing the plan by its path relative to where the report goes."""
    rel = os.path.relpath(plan_path.resolve(), out_folder.resolve())
    return rolled_report(plan, progress, period, as_of, ref, rel)


def rolled_report(
    plan: Plan, progress: list[Progress], period: str, as_of, ref: RefData, plan_file: str, deadline=None
) -> Rollup:
    """The roll-up of *progress* and the Báo cáo on it, citing the plan as *plan_file*: what ``vanban report``
    writes, and what the web application generates from live submissions (with its collection's *deadline*)."""
    rolled = roll_up(plan, progress, as_of, ref, deadline)
    return Rollup(build_report(rolled, period, ref, plan_file=plan_file), rolled)


def as_yaml(result: Rollup, period: str, n_reports: int) -> bytes:
    """The report as YAML to edit before rendering, with a comment saying where it comes from."""
    comment = _(
        "Báo cáo {period} rolled up by `vanban report` from {n} unit report(s).\n"
        "Edit the text, then: vanban render THIS.yaml -o FOLDER",
        period=period_label(period),
        n=n_reports,
    )
    return dump_plan(result.document, comment).encode("utf-8")
