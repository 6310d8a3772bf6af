"""Use case: the Excel forms the units fill to report their progress on a plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.io.excel import form_title, write_form
from generator.io.refdata import RefData, Unit
from generator.lang.i18n import _
from generator.model.concern import concerning_tasks
from generator.model.document import Plan
from generator.transform.rollup import issuing_units


def progress_form(plan: Plan, unit: Unit, ref: RefData) -> bytes:
    """The .xlsx form for *unit*: the tasks of *plan* that concern it, locked, with a status drop-down."""
    return write_form(plan, unit, ref, form_title(plan, ref))


@dataclass
class Forms:
    forms: list[tuple[Unit, bytes]] = field(default_factory=list)
    #: Units with no form, and why: (unit id, reason).
    skipped: list[tuple[str, str]] = field(default_factory=list)


def reporting_units(plan: Plan, ref: RefData) -> list[Unit]:
    """The units that report on *plan*: they issue plans and a task of it concerns them."""
    return [u for u in issuing_units(plan, ref) if concerning_tasks(plan, u)]


def progress_forms(plan: Plan, ref: RefData) -> Forms:
    """A form for every unit that reports on *plan* (it issues plans and a task concerns it)."""
    units = reporting_units(plan, ref)
    done = {u.id for u in units}
    title = form_title(plan, ref)
    return Forms(
        forms=[(u, write_form(plan, u, ref, title)) for u in units],
        skipped=[
            (u.id, _("issues no plan of its own") if u.party is None else _("no task of the plan concerns it"))
            for u in ref.units.values()
            if u.id not in done
        ],
    )
