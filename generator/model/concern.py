"""Which tasks and duties of a plan concern a unit: a query over the model, used by derive, the roll-up and the
Excel forms alike.

A task concerns a unit when its lead, executing or coordinating cell names the unit, one of its aliases, or a
group it belongs to ("Các cơ quan, đơn vị thuộc Ban", "Các đảng ủy, chi bộ trực thuộc Đảng ủy Ban" …), compared
without case and with the profile's ``- `` prefix of multi-unit cells removed.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from generator.model.document import Plan, Section, Task, TaskGroup


class NamesUnits(Protocol):
    """A unit as reference data describes it: every wording of a plan that names it."""

    def phrases(self) -> list[str]: ...


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A wording folded for comparison: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _strip_prefix(text: str) -> str:
    return text[2:] if text.startswith("- ") else text


def concerns(unit: NamesUnits, cells: list[str]) -> bool:
    """Whether any of *cells* (unit names as a plan writes them) names *unit* or its groups."""
    mine = {fold(p) for p in unit.phrases()}
    return any(fold(_strip_prefix(c)) in mine for c in cells)


@dataclass(frozen=True)
class Concern:
    group: TaskGroup
    task: Task
    roles: tuple[str, ...]  # "chủ trì", "thực hiện", "phối hợp"


def concerning_tasks(plan: Plan, unit: NamesUnits) -> list[Concern]:
    return concerning_tasks_of(plan, [unit])[0]


def concerning_tasks_of(plan: Plan, units: Sequence[NamesUnits]) -> list[list[Concern]]:
    """:func:`concerning_tasks` of each of *units*, in their order: the plan's cells are folded once, each
    unit's wordings once (a board of 500 units asks this of every unit)."""
    rows = [
        (
            group,
            task,
            [
                (role, {fold(_strip_prefix(c)) for c in cells})
                for role, cells in (("chủ trì", task.lead), ("thực hiện", task.units), ("phối hợp", task.coordinating))
            ],
        )
        for group in (plan.appendix.groups if plan.appendix else [])
        for task in group.tasks
    ]
    # Each folded cell → the (row, role) pairs it appears in: a unit's few wordings are then looked up, rather
    # than every cell of every task compared with every unit (500 units × 22 tasks × 3 roles on a board).
    where: dict[str, list[tuple[int, int]]] = {}
    for i, (_group, _task, cells) in enumerate(rows):
        for r, (_role, folded) in enumerate(cells):
            for f in folded:
                where.setdefault(f, []).append((i, r))
    out = []
    for unit in units:
        hits = sorted({hit for p in {fold(p) for p in unit.phrases()} for hit in where.get(p, ())})
        found: list[Concern] = []
        last = -1
        for i, r in hits:  # sorted: the plan's order, and each task's roles in the order chủ trì, thực hiện, phối hợp
            group, task, cells = rows[i]
            role = cells[r][0]
            if i == last:
                found[-1] = Concern(group, task, (*found[-1].roles, role))
            else:
                found.append(Concern(group, task, (role,)))
            last = i
        out.append(found)
    return out


def duties(plan: Plan, unit: NamesUnits) -> list[str]:
    """What the plan's "Tổ chức thực hiện" assigns to the unit (or to a group it belongs to)."""
    found: list[str] = []

    def walk(sections: list[Section]) -> None:
        for s in sections:
            for a in s.assignments:
                if concerns(unit, [a.unit]):
                    found.extend(a.duties)
            walk(s.sections)

    walk(plan.sections)
    return found
