import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

_PLACE = re.compile(r"\[\[(.+?)\]\]")


@register.filter
def places(value) -> str:
    """The text escaped, with every place still to fill ([[…]]) highlighted."""
    escaped = str(conditional_escape(value if value is not None else ""))
    return mark_safe(_PLACE.sub(r'<mark class="place">[[\1]]</mark>', escaped))


@register.filter
def lines(value) -> list:
    if isinstance(value, str):
        return [value]
    return list(value or [])


@register.filter
def recipient(value) -> str:
    from generator.web.forms import recipient_line

    return recipient_line(value)


@register.filter
def mark(index: int, level: int) -> str:
    """The heading number as the outline writes it: I. / 1. / a)."""
    from generator.web.outline import _MARKS

    return _MARKS[min(int(level), 3) - 1](int(index))


@register.filter
def get(value, key) -> str:
    """A key of a dict in a template (``{{ row|get:name }}``); empty when there is none."""
    return (value or {}).get(key, "") if isinstance(value, dict) or value is None else ""
