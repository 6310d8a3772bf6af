"""Use case: which units a plan concerns, and which of them must issue a plan of their own
(``vanban derive --list`` / ``--all``, and the web application's inbox). Deriving itself is
:func:`generator.transform.derive.derive`, run for many units by :mod:`generator.services.batch`."""

from __future__ import annotations

from dataclasses import dataclass

from generator.io.refdata import RefData, Unit
from generator.lang.i18n import _
from generator.model.concern import concerning_tasks, duties
from generator.model.document import Plan


@dataclass(frozen=True)
class Concerned:
    unit: Unit
    tasks: int  #: tasks of the appendix that name the unit
    concerned: bool  #: a task or a duty of "Tổ chức thực hiện" names it

    @property
    def issues_plan(self) -> bool:
        """Whether the unit issues a plan of its own (its profile has a party organisation)."""
        return self.unit.party is not None


def concerned_units(plan: Plan, ref: RefData) -> list[Concerned]:
    """Every unit of the reference data, with how far *plan* concerns it, in profile order."""
    out = []
    for u in ref.units.values():
        n = len(concerning_tasks(plan, u))
        out.append(Concerned(u, n, bool(n) or bool(duties(plan, u))))
    return out


def units_to_derive(plan: Plan, ref: RefData) -> list[Unit]:
    """The units that must issue their own plan from *plan*."""
    return [c.unit for c in concerned_units(plan, ref) if c.concerned and c.issues_plan]


def not_derived(plan: Plan, ref: RefData) -> list[tuple[str, str]]:
    """The units ``derive --all`` leaves out, and why."""
    return [
        (c.unit.id, _("issues no plan of its own") if not c.issues_plan else _("not concerned by the plan"))
        for c in concerned_units(plan, ref)
        if not (c.concerned and c.issues_plan)
    ]
