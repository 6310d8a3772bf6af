"""The copy shape: a Bản sao. The copied document is rendered through its own kind; the copy block — a solid line
across the text width, the copying body and the copy's number on the left, the kind of copy and the place and date
on the right, then Nơi nhận and the signer — is rendered through the Bản sao's template and added at its end
(36-HD/VPTW Mục II Khoản 3; docs/document-kinds.md §3.18)."""

from __future__ import annotations

from typing import Any

from generator.inspect.reader import DocumentReader
from generator.io.refdata import DocType, Layout
from generator.lang.i18n import _
from generator.model.copy import COPY_FORMS, Copy


def view(copy: Copy, doc_type: DocType, layout: Layout) -> dict[str, Any]:
    return {"copy_form": copy.form_words or COPY_FORMS[copy.form]}


def read(r: DocumentReader, data: dict[str, Any], start: int) -> None:
    """The copy block of a Bản sao (the copied document is read before it, as the copy's ``original``): the kind of
    copy under the number, Nơi nhận and the signer."""
    words = {v: k for k, v in COPY_FORMS.items()}
    line = r.first(lambda p: p.text in words or p.text.startswith(("SAO ", "TRÍCH SAO")), r.lo)
    if line is None:
        r.note(None, _("no kind of copy (SAO Y BẢN CHÍNH, SAO LỤC, TRÍCH SAO) in the copy block"))
    else:
        data["form"] = words.get(line.text, "trich-sao" if line.text.startswith("TRÍCH") else "sao-y")
        if line.text not in words:
            data["form_words"] = line.text
        r.notes = [n for n in r.notes if n.paragraph != line.index]  # the header's reading did not know it
    r.closing(data, start)
    data.pop("subject", None)
