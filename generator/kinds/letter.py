"""The letter shapes: a Công văn (``letter``) and a Tờ trình (``submission``), both addressed to someone.

A Công văn has no tên loại: its trích yếu stands under the number in the left column, 12 pt italic, with
``V/v`` or not (the document's choice, else the rule profile's). A Tờ trình prints ``TỜ TRÌNH`` and its
trích yếu as a plan does, and addresses ``Kính trình:`` or ``Kính gửi:`` as the rule profile says. Both
then print the addressees (one on the line, several as a ``- `` list) and ``Đồng kính gửi:`` if any.
"""

from __future__ import annotations

import re
from typing import Any

from generator.inspect.elements import MARKS, SALUTATION, SECRECY
from generator.inspect.reader import DocumentReader
from generator.io.refdata import DocType, Layout
from generator.lang.i18n import _
from generator.model.document import Letter

#: The addressing word of a Công văn (36-HD and 05-HD alike).
TO = "Kính gửi:"
CC = "Đồng kính gửi:"


def addressees(names: list[str], layout: Layout) -> dict[str, Any]:
    """One addressee printed after the salutation (``inline``); several one a line with ``- ``, each line ending
    in the profile's separator and the last in a full stop (``lines``)."""
    if len(names) == 1:
        return {"inline": names[0], "lines": []}
    sep = layout.recipient_separator
    return {"inline": "", "lines": [f"- {n}{sep if i < len(names) - 1 else '.'}" for i, n in enumerate(names)]}


def subject_prefix(doc: Letter, layout: Layout) -> str:
    if doc.subject_prefix is None:
        return layout.letter_subject_prefix
    return (layout.letter_subject_prefix or "V/v ") if doc.subject_prefix else ""


def _view(doc: Letter, layout: Layout, salutation: str, subject_left: str) -> dict[str, Any]:
    cc = addressees(doc.cc, layout) if doc.cc else None
    return {
        "letter": {
            "subject_left": subject_left,
            "salutation": salutation,
            "to": addressees(doc.to, layout),
            "cc_salutation": CC if cc else "",
            "cc": cc or {"inline": "", "lines": []},
        }
    }


def view(doc: Letter, doc_type: DocType, layout: Layout) -> dict[str, Any]:
    """A Công văn: no tên loại, the trích yếu under the number; ``Kính gửi:``."""
    lines = list(doc.subject)
    lines[0] = subject_prefix(doc, layout) + lines[0]
    return {**_view(doc, layout, TO, "\n".join(lines)), "title": "", "subject": ""}


def submission_view(doc: Letter, doc_type: DocType, layout: Layout) -> dict[str, Any]:
    """A Tờ trình: tên loại and trích yếu centred as a plan's; the salutation of the rule profile."""
    return _view(doc, layout, layout.submission_salutation, "")


# --------------------------------------------------------------------------- reading back (vanban import)


def _addressee(text: str) -> str:
    return re.sub(r"\s*[,;.]$", "", re.sub(r"^[-–]\s*", "", text)).strip()


def read(r: DocumentReader, data: dict[str, Any], start: int) -> None:
    """A Công văn or a Tờ trình: ``Kính gửi:`` / ``Kính trình:`` with one addressee on its line or several as a
    ``- `` list, ``Đồng kính gửi:``, then a body read as a plan's (paragraphs, points, sections)."""
    subject = data.get("subject") or []
    if subject and subject[0].startswith("V/v "):
        data["subject"] = [subject[0][4:], *subject[1:]]
        data["subject_prefix"] = True
    end = r.closing(data, start)
    lines = r.lines(start, end)
    # A header read from a PDF as a table leaves the trích yếu and the marks typed under it in the body.
    while lines and not data.get("subject") and lines[0].text.startswith("V/v "):
        data["subject"] = [lines[0].text[4:]]
        data["subject_prefix"] = True
        start = lines[0].index
        lines = lines[1:]
        while lines and lines[0].text in MARKS:
            marks = data["header"].setdefault("marks", {})
            marks["secrecy" if lines[0].text in SECRECY else "urgency"] = lines[0].text
            start = lines[0].index
            lines = lines[1:]
    to: list[str] = []
    cc: list[str] = []
    target: list[str] | None = None
    after = start
    for p in lines:
        m = SALUTATION.match(p.text)
        if m:
            target = cc if m.group("word") == "Đồng kính gửi" else to
            if m.group("rest"):
                target += [_addressee(a) for a in m.group("rest").split("\n") if a.strip()]
            after = p.index
            continue
        if target is not None and p.text.startswith(("-", "–")):
            target.append(_addressee(p.text))
            after = p.index
            continue
        break
    if not to:
        r.note(None, _("no addressee (Kính gửi: …) found"))
    data["to"] = to
    if cc:
        data["cc"] = cc
    r.body(data, after, end)
