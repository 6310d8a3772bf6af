"""The plan editor's task table, written in Python: one row per task (a plan may have thousands), each with a dozen
labels and values, is the edit page's hot loop. Through the template engine every row cost an ``{% include %}``, ten
``{% translate %}`` tags and some thirty variable lookups; here the labels are translated once per table and a
row is one string format. The markup is the one ``web/row.html`` had (tests/web/test_editor_rows.py checks what
the browser posts back from it)."""

from __future__ import annotations

import html

from django import template
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

from generator.web.templatetags.vanban import lines, places

register = template.Library()


def conditional_escape(value) -> str:
    """Django's ``conditional_escape`` without its lazy-string wrapper (the same text: both use ``html.escape``)."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


_TASK_CELLS = (
    '\n  <td><input name="row-lead" value="{lead}" list="names" aria-label="{l_lead}"></td>'
    '\n  <td><input name="row-units" value="{units}" list="names" aria-label="{l_units}"></td>'
    '\n  <td><input name="row-timeframe" value="{timeframe}" size="10" aria-label="{l_time}"></td>\n  '
)
_GROUP_CELLS = (
    '<td colspan="3"><input type="hidden" name="row-lead" value=""><input type="hidden" name="row-units" value="">'
    '<input type="hidden" name="row-timeframe" value=""></td>\n  '
)
_ROW = (
    '<tr class="row-{kind}{invalid}{has_place}">\n'
    '  <td><input type="hidden" name="row-kind" value="{kind}"><input type="hidden" name="row-parent" value="{parent}">'
    "{l_row}</td>\n"
    '  <td><input name="row-id" value="{id}" size="4" aria-label="{l_no}"></td>\n'
    '  <td><textarea name="row-text" rows="2" aria-label="{l_text}">{text}</textarea>\n'
    "      {errors}</td>\n"
    "  {cells}\n"
    '  <td class="move"><button type="button" class="row-up" aria-label="{l_up}">↑</button>'
    '<button type="button" class="row-down" aria-label="{l_down}">↓</button>'
    '<button type="button" class="row-remove" aria-label="{l_remove}">✕</button></td>\n'
    "</tr>\n"
)


def _labels() -> dict[str, str]:
    """The table's labels in the active language, escaped, once per table."""
    e = conditional_escape
    return {
        "group": e(gettext("Group")),
        "task": e(gettext("Task")),
        "group_title": e(gettext("Group title")),
        "l_no": e(gettext("No.")),
        "l_lead": e(gettext("Lead")),
        "l_units": e(gettext("Executing units")),
        "l_time": e(gettext("Time")),
        "l_up": e(gettext("Move up")),
        "l_down": e(gettext("Move down")),
        "l_remove": e(gettext("Remove row")),
    }


def _value(row: dict | None, key: str) -> str:
    v = row.get(key) if row else None
    return conditional_escape(v or "")  # as ``{{ r.key|default:'' }}``: a missing, empty or 0 value prints nothing


def _row(row: dict | None, kind: str, labels: dict[str, str]) -> str:
    group = kind == "group"
    errors = (row or {}).get("errors") or []
    cells = (
        _GROUP_CELLS
        if group
        else _TASK_CELLS.format(
            lead=_value(row, "lead"),
            units=_value(row, "units"),
            timeframe=_value(row, "timeframe"),
            l_lead=labels["l_lead"],
            l_units=labels["l_units"],
            l_time=labels["l_time"],
        )
    )
    return _ROW.format(
        kind=conditional_escape(kind),
        invalid=" invalid" if errors else "",
        has_place=" has-place" if (row or {}).get("place") else "",
        parent=_value(row, "parent"),
        l_row=labels["group"] if group else labels["task"],
        id=_value(row, "id"),
        l_no=labels["l_no"],
        l_text=labels["group_title"] if group else labels["task"],
        text=_value(row, "text"),
        errors='<ul class="errors">' + "".join(f"<li>{conditional_escape(e)}</li>" for e in errors) + "</ul>" if errors else "",
        cells=cells,
        l_up=labels["l_up"],
        l_down=labels["l_down"],
        l_remove=labels["l_remove"],
    )


@register.simple_tag
def task_rows(rows: list[dict]) -> SafeString:
    """The rows of the task table, each of the kind it says (group or task)."""
    labels = _labels()
    return mark_safe("".join(_row(r, str(r.get("kind", "")), labels) for r in rows))


@register.simple_tag
def blank_row(kind: str) -> SafeString:
    """An empty row of *kind*, for the ``<template>`` the "Add a task / group" buttons copy."""
    return mark_safe(_row(None, kind, _labels()))


def _shown(item: dict, key: str) -> str:
    """``{{ item.key }}``: nothing for a missing key, the value as text otherwise (escaped)."""
    return conditional_escape(item[key]) if key in item else ""


def _cell_lines(value) -> str:
    return "".join(f"<div>{places(u)}</div>" for u in lines(value))


@register.simple_tag
def appendix_rows(appendix: dict) -> SafeString:
    """The preview's appendix table body: a group row, then its tasks (the preview's hot loop, as the task table)."""
    out = []
    for g in appendix.get("groups") or []:
        out.append(f'<tr class="group"><td>{_shown(g, "id")}</td><td colspan="4">{places(g.get("title"))}</td></tr>\n')
        for t in g.get("tasks") or []:
            out.append(
                f"<tr><td>{_shown(t, 'id')}</td><td>{places(t.get('text'))}</td>"
                f"<td>{_cell_lines(t.get('lead'))}</td><td>{_cell_lines(t.get('units'))}</td>"
                f"<td>{places(t.get('timeframe'))}</td></tr>"
            )
    return mark_safe("".join(out))
