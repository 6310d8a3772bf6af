"""What a shape can do that the loader and the commands ask about, so that no code outside this package (and the
model) asks what class a document is:

* its *links* — fields naming another document's YAML, read and checked in its place by the loader
  (:func:`generator.services.documents.load_document`): a Bản sao's ``original``, a Quyết định's ``attachment``;
* whether it is a *plan* — a document whose tasks ``vanban derive``, ``progress-form`` and ``report`` work from.

Kept beside the registry (``Shape.links``, ``Shape.derivable``, ``Kind.as_plan`` in :mod:`generator.kinds`), by shape id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.lang.i18n import _
from generator.model.articles import Regulation
from generator.model.copy import Copy
from generator.model.document import Document, Plan


@dataclass(frozen=True)
class Link:
    """A field of a document that may name another document's YAML file, read in its place."""

    field: str
    #: Why the document read from the file cannot stand there (None: it can); given the file's name as written.
    refuse: Callable[[Document, str], str | None]
    #: A name still to be completed (``[[…]]``, a draft) is left alone rather than read.
    drafts: bool = False
    #: The field may also name a received DOCX, copied as it is (a Bản sao of a document not made by vanban).
    received: bool = False


def _original(doc: Document, name: str) -> str | None:
    return _("{file} is itself a copy: copy its original", file=name) if isinstance(doc, Copy) else None


def _attachment(doc: Document, name: str) -> str | None:
    if isinstance(doc, Regulation):
        return None
    return _("{file} is a {type}; a Quyết định adopts a Quy chế or a Quy định", file=name, type=doc.type)


#: By shape id: the fields naming other documents, in the order they are read.
LINKS: dict[str, tuple[Link, ...]] = {
    "copy": (Link("original", _original, drafts=True, received=True),),
    "decision": (Link("attachment", _attachment),),
}


def as_plan(doc: Document) -> Plan | None:
    """*doc* as a plan with tasks to work from; None for a document of another shape (a Báo cáo, a Quyết định…)."""
    return doc if isinstance(doc, Plan) else None
