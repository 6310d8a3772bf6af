"""The plan shape: a Kế hoạch (and any type written like one) with an appendix of tasks.

Its appendix lists task groups, each task with its lead agencies, executing units and timeframe.
"""

from __future__ import annotations

from typing import Any

from generator.io.refdata import DocType, Layout
from generator.model.document import Plan
from generator.render.context import units_cell


def appendix_view(plan: Plan, doc_type: DocType, layout: Layout) -> dict[str, Any]:
    """The appendix table's groups and rows, as the template prints them."""
    assert plan.appendix is not None  # called only for a document with an appendix
    return {
        "groups": [
            {
                "id": g.id,
                "title": g.title,
                "tasks": [
                    {
                        "id": t.id,
                        "text": t.text,
                        "lead": units_cell(t.lead, layout),
                        "units": units_cell(t.units, layout) + [f"Phối hợp: {c}" for c in t.coordinating],
                        "timeframe": t.timeframe,
                    }
                    for t in g.tasks
                ],
            }
            for g in plan.appendix.groups
        ]
    }
