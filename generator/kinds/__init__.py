"""Document kinds: the one place that knows, for a type id of ``data/document-types.yaml``, its model, its
template and the template's fields, its skeleton for ``vanban new``, its appendix view and its chart.

A kind is a type (name, code, tag, template: data) of a *shape*. A shape is a plug-in module of this package
(:mod:`.plan`, :mod:`.report`, :mod:`.letter`, :mod:`.decision`, :mod:`.minutes`, :mod:`.copy`): the model its documents are read into and the functions that render what only
that shape has. Every type listed in ``data/document-types.yaml`` with a known shape is a kind from data alone;
it renders once it names a template. Adding a kind:

* of a known shape: a line in ``data/document-types.yaml`` (``shape: plan``) and a template in
  ``doc_templates/`` (or in the office's own data folder) — no Python;
* of a new shape: a module here defining its appendix view (and chart), its model in
  :mod:`generator.model.document` (``MODELS``), a ``SHAPES`` entry below, and its fields in
  ``data/template-fields.yaml``.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.inspect.reader import ShapeReader
from generator.io.refdata import DocType, RefData, data_folders
from generator.kinds import copy as _copy
from generator.kinds import decision as _decision
from generator.kinds import letter as _letter
from generator.kinds import minutes as _minutes
from generator.kinds import plan as _plan
from generator.kinds import report as _report
from generator.kinds.capabilities import LINKS, Link
from generator.kinds.capabilities import as_plan as _as_plan
from generator.model.copy import ReceivedDocx
from generator.model.document import MODELS, Document, Plan
from generator.render.compose import append_to_received, page_break_first
from generator.render.context import AppendixView, KindView
from generator.render.engine import render_document as _render
from generator.render.identity import restamp
from generator.render.ooxml import append_body

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Shape:
    """What documents of several types share: their model, their template's fields, their appendix and chart."""

    id: str
    fields: str  #: the key of data/template-fields.yaml listing what its templates may print
    appendix_view: AppendixView | None = None
    chart: Callable[[Any], bytes] | None = None
    #: What else its template prints (addressees, articles, signers …): a KindView, which may also take ``ref``.
    view: Callable[..., dict[str, Any]] | None = None
    #: The template renders a block added at the end of another document (the copy block of a Bản sao under the
    #: copied document, found in the document's ``original``): the other document renders through its own kind.
    appends_to_original: bool = False
    #: How ``vanban import`` reads what only this shape has (addressees, articles, the minutes' opening lines …):
    #: a :data:`generator.inspect.reader.ShapeReader`; None reads the body as a plan's.
    read: ShapeReader | None = None

    @property
    def model(self) -> type[Document]:
        return MODELS[self.id]

    @property
    def links(self) -> tuple[Link, ...]:
        """The fields naming another document's YAML, read in their place by the loader (see :mod:`.capabilities`)."""
        return LINKS.get(self.id, ())

    @property
    def derivable(self) -> bool:
        """Its documents are plans: derive, progress-form and report work from their tasks."""
        return issubclass(self.model, Plan)


#: A kind with no skeleton of its own starts from its shape's.
SHAPE_SKELETONS = {"plan": "ke-hoach", "letter": "cong-van", "submission": "to-trinh", "regulation": "quy-che"}

SHAPES: dict[str, Shape] = {
    "plan": Shape("plan", fields="ke-hoach", appendix_view=_plan.appendix_view),
    "report": Shape("report", fields="bao-cao", appendix_view=_report.appendix_view, chart=_report.chart),
    "decision": Shape("decision", fields="quyet-dinh", view=_decision.decision_view, read=_decision.read_decision),
    "regulation": Shape("regulation", fields="quy-che", view=_decision.regulation_view, read=_decision.read_regulation),
    "minutes": Shape("minutes", fields="bien-ban", view=_minutes.view, read=_minutes.read),
    "copy": Shape("copy", fields="ban-sao", view=_copy.view, appends_to_original=True, read=_copy.read),
    "letter": Shape("letter", fields="cong-van", view=_letter.view, read=_letter.read),
    "submission": Shape("submission", fields="to-trinh", view=_letter.submission_view, read=_letter.read),
}


class UnknownKind(KeyError):
    """A type id that data/document-types.yaml does not list, or whose shape no module provides."""


@dataclass(frozen=True)
class Kind:
    """A document type as vanban renders it."""

    doc_type: DocType
    shape: Shape

    @property
    def id(self) -> str:
        return self.doc_type.id

    @property
    def model(self) -> type[Document]:
        return self.shape.model

    template: Path | None = None  #: None while the type has no template: it cannot be rendered yet

    @property
    def skeleton(self) -> Path | None:
        """The commented blank document ``vanban new`` starts from: the kind's own (``data/new/<id>.yaml``), else
        its shape's (a Nghị quyết starts from the Kế hoạch's, see :meth:`skeleton_text`)."""
        for name in (self.id, SHAPE_SKELETONS.get(self.shape.id)):
            for folder in data_folders():  # the office's own skeletons first (its data folder's new/)
                path = folder / "new" / f"{name}.yaml" if name else None
                if path is not None and path.is_file():
                    return path
        return None

    def skeleton_text(self, lang: str) -> bytes | None:
        """The skeleton in the user's language (``<name>.<lang>.yaml`` when there is one), typed as this kind."""
        path = self.skeleton
        if path is None:
            return None
        translated = path.with_suffix(f".{lang}.yaml")
        text = (translated if translated.is_file() else path).read_text(encoding="utf-8")
        if path.stem != self.id:  # the shape's skeleton: the type line names this kind
            text = re.sub(r"^type: \S+", f"type: {self.id}", text, count=1, flags=re.M)
        return text.encode("utf-8")

    def as_plan(self, doc: Document) -> Plan | None:
        """*doc* as a plan to work from (derive, progress-form, report), None when its shape has no tasks."""
        return _as_plan(doc) if self.shape.derivable else None

    def view_for(self, ref: RefData) -> KindView | None:
        """The shape's view, given *ref* when it looks other kinds up (a Quyết định names its attachment's type)."""
        view = self.shape.view
        if view is not None and "ref" in inspect.signature(view).parameters:
            return functools.partial(view, ref=ref)
        return view

    def render(self, doc: Document, ref: RefData, template: str | Path | None = None) -> bytes:
        """DOCX bytes of *doc* under the rule profile it names, through *template* or the kind's own."""
        path = Path(template) if template else self.template
        if path is None:
            raise UnknownKind(self.id)
        if self.shape.appends_to_original:
            block = _render(doc, self.doc_type, ref.profile(doc.profile), path, kind_view=self.shape.view)
            if getattr(doc, "new_page", False):
                block = page_break_first(block)
            original = getattr(doc, "original", None)
            if isinstance(original, ReceivedDocx):  # a received DOCX: its body kept as it is, the block after it
                return append_to_received(original.data, block, doc.profile)
            # The loader reads the original; one still to be named ([[…]], a draft) leaves the block alone.
            if not isinstance(original, Document):
                return block
            # The identity (for `vanban import` and the round trip with Word) is the whole copy's, not the original's.
            return restamp(append_body(render_document(original, ref), block), doc)
        profile = ref.profile(doc.profile)
        log.info("rendering a %s with template %s under rule profile %s", self.id, path, profile.id)
        return _render(
            doc,
            self.doc_type,
            profile,
            path,
            appendix_view=self.shape.appendix_view,
            kind_view=self.view_for(ref),
            chart=self.shape.chart,
        )


def _kind(t: DocType, ref: RefData) -> Kind:
    return Kind(t, SHAPES[t.shape], ref.template_path(t.template) if t.template else None)


def registry(ref: RefData) -> dict[str, Kind]:
    """Every kind of the reference data, by type id."""
    return {tid: _kind(t, ref) for tid, t in ref.types.items() if t.shape in SHAPES}


def kind(type_id: str, ref: RefData) -> Kind:
    t = ref.types.get(type_id)
    if t is None or t.shape not in SHAPES:
        raise UnknownKind(type_id)
    return _kind(t, ref)


def shape_readers() -> dict[str, ShapeReader]:
    """The reader of each shape that reads more than a plan's body, for ``vanban import``."""
    return {sid: shape.read for sid, shape in SHAPES.items() if shape.read is not None}


def appended_shapes() -> tuple[str, ...]:
    """The shapes whose documents are a block added at the end of another (a Bản sao), for ``vanban import``."""
    return tuple(sid for sid, shape in SHAPES.items() if shape.appends_to_original)


def render_document(doc: Document, ref: RefData, template: str | Path | None = None) -> bytes:
    """DOCX bytes of any document, through its kind (see :meth:`Kind.render`)."""
    return kind(doc.type, ref).render(doc, ref, template)


def kind_of(doc: Document, ref: RefData) -> Kind | None:
    """The kind of a document read by the loader; None when its type has no known shape."""
    try:
        return kind(doc.type, ref)
    except UnknownKind:
        return None
