"""The copy shape: a Bản sao. The copied document is rendered through its own kind; the copy block — a solid line
across the text width, the copying body and the copy's number on the left, the kind of copy and the place and date
on the right, then Nơi nhận and the signer — is rendered through the Bản sao's template and added at its end
(36-HD/VPTW Mục II Khoản 3; docs/document-kinds.md §3.18)."""

from __future__ import annotations

from typing import Any

from generator.io.refdata import DocType, Layout
from generator.model.copy import COPY_FORMS, Copy


def view(copy: Copy, doc_type: DocType, layout: Layout) -> dict[str, Any]:
    return {"copy_form": copy.form_words or COPY_FORMS[copy.form]}
