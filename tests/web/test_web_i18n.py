"""Every message of the web application has its Vietnamese translation, with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

WEB = Path(__file__).resolve().parents[2] / "generator" / "web"
PO = WEB / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def source_messages() -> set[str]:
    found: set[str] = set()
    for path in WEB.rglob("*.html"):  # every app's templates (web/, progress/)
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'{%\s*translate\s+"([^"]+)"', text))
        found |= set(re.findall(r"{%\s*translate\s+'([^']+)'", text))
        for block in re.findall(r"{%\s*blocktranslate[^%]*%}(.*?){%\s*(?:plural|endblocktranslate)", text, re.S):
            found.add(re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", block))
    for path in WEB.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for literals in re.findall(r'\bgettext(?:_lazy)?\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', text):
            # adjacent literals are one message: "…; " "a change …"
            found.add("".join(ast.literal_eval(lit) for lit in re.findall(r'"(?:[^"\\]|\\.)*"', literals)))
    return found


def test_every_web_message_is_translated():
    with PO.open("rb") as fh:
        catalog = {(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in read_po(fh) if m.id}
    messages = source_messages()
    assert len(messages) > 150
    missing = sorted(m for m in messages if not catalog.get(m))
    assert missing == []
    for msgid, msgstr in catalog.items():
        text = msgstr[0] if isinstance(msgstr, tuple) else msgstr
        assert set(re.findall(r"%\((\w+)\)s", msgid)) == set(re.findall(r"%\((\w+)\)s", text)), msgid
