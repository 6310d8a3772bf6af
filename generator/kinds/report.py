"""The report shape: a Báo cáo rolled up from the units' progress, whose appendix gives each task's
status per unit and overall, under a chart of task counts by status for each group.

The report model stores status ids; the words come from ``data/statuses.yaml`` here, at rendering.
"""

from __future__ import annotations

from typing import Any

from generator.io.refdata import DocType, Layout, status_label, statuses
from generator.lang import vn
from generator.model.document import Report, StatusRow, UnitStatus
from generator.render.context import CHART_MARK, units_cell

#: Above this many units, a status cell counts units by status instead of listing each.
LIST_UNITS_UP_TO = 12


def status_cell(row: StatusRow) -> list[str]:
    """One line per status: "Hoàn thành (3): A; B; C" — names listed up to LIST_UNITS_UP_TO.
    A line of text the secretariat wrote instead is printed as written, after them."""
    by_status: dict[str, list[str]] = {}
    for u in row.units:
        if isinstance(u, UnitStatus):
            by_status.setdefault(u.status, []).append(u.unit)
    lines = []
    for status in statuses():
        names = by_status.get(status)
        if names:
            shown = "; ".join(names[:LIST_UNITS_UP_TO])
            more = f" và {len(names) - LIST_UNITS_UP_TO} đơn vị khác" if len(names) > LIST_UNITS_UP_TO else ""
            lines.append(f"{status_label(status).capitalize()} ({len(names)}): {shown}{more}")
    return lines + [u for u in row.units if isinstance(u, str)]


def overall_text(row: StatusRow) -> str:
    return status_label(row.overall) + (" (quá hạn)" if row.overdue else "")


def appendix_view(report: Report, doc_type: DocType, layout: Layout) -> dict[str, Any]:
    """The status table's groups and rows, and the chart's place when the report has one."""
    a = report.appendix
    assert a is not None  # called only for a document with an appendix
    return {
        "chart": CHART_MARK if a.chart else "",
        "groups": [
            {
                "id": g.id,
                "title": g.title,
                "rows": [
                    {
                        "id": r.id,
                        "text": r.text,
                        "lead": units_cell(r.lead, layout),
                        "timeframe": r.timeframe,
                        "units": status_cell(r),
                        "overall": overall_text(r),
                    }
                    for r in g.rows
                ],
            }
            for g in a.groups
        ],
    }


def chart_labels(report: Report) -> list[str]:
    """The chart's group labels: number and the start of the group's title, as the table shows them."""
    assert report.appendix is not None
    return [f"{g.id}. {vn.short_title(g.title, 36)}" for g in report.appendix.groups]


def chart_counts(report: Report) -> list[tuple[str, dict[str, int]]]:
    """What the chart draws: per task group, its tasks counted by overall status id."""
    assert report.appendix is not None
    groups = []
    for label, g in zip(chart_labels(report), report.appendix.groups, strict=True):
        counts: dict[str, int] = {}
        for r in g.rows:
            counts[r.overall] = counts.get(r.overall, 0) + 1
        groups.append((label, counts))
    return groups


def chart(report: Report) -> bytes:
    """The chart as PNG (matplotlib is imported only when a report with a chart is rendered)."""
    from generator.render.chart import status_chart

    return status_chart(chart_counts(report))
