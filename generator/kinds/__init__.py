"""Document kinds: the one place that knows, for a type id of ``data/document-types.yaml``, its model, its
template and the template's fields, its skeleton for ``vanban new``, its appendix view and its chart.

A kind is a type (name, code, tag, template: data) of a *shape*. A shape is a plug-in module of this package
(:mod:`.plan`, :mod:`.report`): the model its documents are read into and the functions that render what only
that shape has. Every type listed in ``data/document-types.yaml`` with a known shape is a kind from data alone;
it renders once it names a template. Adding a kind:

* of a known shape: a line in ``data/document-types.yaml`` (``shape: plan``) and a template in
  ``doc_templates/`` (or in the office's own data folder) — no Python;
* of a new shape: a module here defining its appendix view (and chart), its model in
  :mod:`generator.model.document` (``MODELS``), a ``SHAPES`` entry below, and its fields in
  ``data/template-fields.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.io.refdata import DocType, RefData, data_dir
from generator.kinds import letter as _letter
from generator.kinds import plan as _plan
from generator.kinds import report as _report
from generator.model.document import MODELS, Document
from generator.render.context import AppendixView, KindView
from generator.render.engine import render_document as _render


@dataclass(frozen=True)
class Shape:
    """What documents of several types share: their model, their template's fields, their appendix and chart."""

    id: str
    fields: str  #: the key of data/template-fields.yaml listing what its templates may print
    appendix_view: AppendixView | None = None
    chart: Callable[[Any], bytes] | None = None
    view: KindView | None = None  #: what else its template prints (addressees, articles, signers …)

    @property
    def model(self) -> type[Document]:
        return MODELS[self.id]


SHAPES: dict[str, Shape] = {
    "plan": Shape("plan", fields="ke-hoach", appendix_view=_plan.appendix_view),
    "report": Shape("report", fields="bao-cao", appendix_view=_report.appendix_view, chart=_report.chart),
    "letter": Shape("letter", fields="cong-van", view=_letter.view),
    "submission": Shape("submission", fields="to-trinh", view=_letter.submission_view),
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
        """The commented blank document ``vanban new`` writes, if the kind has one (``data/new/<id>.yaml``)."""
        path = data_dir() / "new" / f"{self.id}.yaml"
        return path if path.is_file() else None

    def render(self, doc: Document, ref: RefData, template: str | Path | None = None) -> bytes:
        """DOCX bytes of *doc* under the rule profile it names, through *template* or the kind's own."""
        path = Path(template) if template else self.template
        if path is None:
            raise UnknownKind(self.id)
        return _render(
            doc,
            self.doc_type,
            ref.profile(doc.profile),
            path,
            appendix_view=self.shape.appendix_view,
            kind_view=self.shape.view,
            chart=self.shape.chart,
        )


def registry(ref: RefData) -> dict[str, Kind]:
    """Every kind of the reference data, by type id."""
    return {
        tid: Kind(t, SHAPES[t.shape], ref.template_path(t.template) if t.template else None)
        for tid, t in ref.types.items()
        if t.shape in SHAPES
    }


def kind(type_id: str, ref: RefData) -> Kind:
    try:
        return registry(ref)[type_id]
    except KeyError:
        raise UnknownKind(type_id) from None


def renderable(ref: RefData) -> list[str]:
    """Type ids that have a template: what ``vanban template check --kind`` and ``vanban new`` offer."""
    return [k.id for k in registry(ref).values() if k.template is not None]


def render_document(doc: Document, ref: RefData, template: str | Path | None = None) -> bytes:
    """DOCX bytes of any document, through its kind (see :meth:`Kind.render`)."""
    return kind(doc.type, ref).render(doc, ref, template)
