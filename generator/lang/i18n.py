"""Messages in the user's language: Vietnamese or English, through Babel/gettext catalogs.

Vietnamese is chosen by ``VANBAN_LANG=vi`` or a ``vi*`` locale (LC_ALL, LC_MESSAGES, LANG);
English otherwise. Source strings are English; the Vietnamese catalog is
``generator/locale/vi/LC_MESSAGES/vanban.po``, compiled to ``vanban.mo`` when the package is set
up (``.ci/setup``, ``python -m generator.lang.i18n compile``); without the compiled file the ``.po``
is read directly, so a checkout works either way.

Usage: ``_("file not found")``, ``_("{n} file(s) valid", n=3)`` — placeholders are filled after
translation, so a translation may reorder them.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "vanban"
LANGUAGES = ("en", "vi")


#: The language of the current request or command, when a front end sets one (:func:`use_language`).
#: A context variable, not the environment: a web server answers requests in different languages at once.
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("vanban_language", default=None)


@contextlib.contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Messages inside the block are in *lang* (``vi`` or ``en``), whatever the environment says."""
    token = _current.set("vi" if lang.lower().startswith("vi") else "en")
    try:
        yield
    finally:
        _current.reset(token)


def language() -> str:
    """``vi`` or ``en``: the one set by :func:`use_language`, else VANBAN_LANG, else the locale variables."""
    current = _current.get()
    if current:
        return current
    forced = os.environ.get("VANBAN_LANG")
    if forced:
        return "vi" if forced.lower().startswith("vi") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


@functools.lru_cache(maxsize=4)
def _catalog(lang: str) -> NullTranslations:
    if lang == "en":
        return NullTranslations()
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    mo = folder / f"{DOMAIN}.mo"
    po = folder / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return Translations(fh, DOMAIN)
    if po.exists():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=DOMAIN)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return Translations(buf, DOMAIN)
    return NullTranslations()


def _(msgid: str, /, **values) -> str:
    """*message* in the user's language, placeholders filled."""
    text = _catalog(language()).gettext(msgid)
    return text.format(**values) if values else text


def gettext(msgid: str) -> str:
    """Translation without filling placeholders (for click, which fills its own)."""
    return _catalog(language()).gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog(language()).ngettext(singular, plural, n)


def translate_click() -> None:
    """Click's own words (Usage, Options, its error messages) go through our catalog too."""
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils"):
        try:
            module: Any = importlib.import_module(f"click.{name}")  # patched below: names mypy does not know
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


def compile_catalogs() -> list[Path]:
    """Compile every .po under LOCALE_DIR to its .mo (run at set-up)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name, domain=DOMAIN)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as fh:
            write_mo(fh, catalog)
        written.append(mo)
    _catalog.cache_clear()
    return written


if __name__ == "__main__":  # python -m generator.lang.i18n compile
    if sys.argv[1:] == ["compile"]:
        for path in compile_catalogs():
            print(path)
    else:
        sys.exit("usage: python -m generator.lang.i18n compile")
