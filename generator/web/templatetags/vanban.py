import html
import re

from django import template
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

_PLACE = re.compile(r"\[\[(.+?)\]\]")


@register.filter
def places(value) -> str:
    """The text escaped, with every place still to fill ([[…]]) highlighted."""
    if value is None:
        value = ""
    # html.escape is what conditional_escape calls; called directly it skips the lazy-text wrapper (the preview
    # calls this filter on every cell), and text without "[[" needs no search
    escaped = str(value) if isinstance(value, SafeData) else html.escape(str(value))
    return mark_safe(_PLACE.sub(r'<mark class="place">[[\1]]</mark>', escaped) if "[[" in escaped else escaped)


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


@register.filter
def action_label(code: str) -> str:
    """An audit log action in the reader's language; its code when it has no name yet."""
    from generator.web.office import ACTION_LABELS

    return str(ACTION_LABELS.get(code, code))
