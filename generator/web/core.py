"""The web application's one door into vanban's core: load and validate, render, convert, derive.

Nothing else in :mod:`generator.web` imports the core packages, so this module is the one place to
repoint at the service layer (``generator.services``). Every function runs inside
``use_language(lang)`` so that the core's messages follow the request's language. Documents cross
this door as the JSON dump of the pydantic model (``Plan.model_dump(mode="json")``).
"""

from __future__ import annotations

import datetime as _dt
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.convert.libreoffice import ConvertError, Options, convert
from generator.io.loader import LoadError, Located, load_plan
from generator.io.refdata import PartyOrg, Signer, Unit
from generator.io.refdata import load as load_refdata
from generator.io.yamlout import dump_data, dump_plan
from generator.kinds import render_document
from generator.lang import vn
from generator.lang.i18n import use_language
from generator.model.concern import concerns
from generator.model.document import PLACEHOLDER, Plan
from generator.render.engine import RenderError
from generator.transform.derive import DeriveError, derive

__all__ = [
    "CoreError",
    "Checked",
    "check_data",
    "check_yaml",
    "to_yaml",
    "render_docx",
    "render_pdf",
    "derive_for",
    "unit_for",
    "named_by",
    "symbol",
    "type_name",
    "type_choices",
    "has_places",
    "places",
]


class CoreError(Exception):
    """Rendering, converting or deriving failed; the message is for the user."""


@dataclass
class Problem:
    path: str  # dotted field path, e.g. header.issuer or appendix.groups.0.tasks.2.text
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line else ""
        return f"{where}{self.path + ': ' if self.path else ''}{self.message}"


@dataclass
class Checked:
    data: dict | None  # the validated document's JSON dump; None when there are errors
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    todos: list[Problem] = field(default_factory=list)


def _problem(p: Located) -> Problem:
    return Problem(p.path, p.message, p.line, p.column)


def _load(path: Path, display: str, lang: str) -> Checked:
    with use_language(lang):
        try:
            loaded = load_plan(path, load_refdata(), display)  # no parent file: the web keeps the parent's id
        except LoadError as exc:
            return Checked(
                None,
                errors=[_problem(p) for p in exc.problems if p.severity == "error"],
                warnings=[_problem(p) for p in exc.problems if p.severity != "error"],
            )
        return Checked(
            loaded.plan.model_dump(mode="json"),
            warnings=[_problem(p) for p in loaded.warnings],
            todos=[_problem(p) for p in loaded.todos],
        )


def check_yaml(raw: bytes, display: str, lang: str) -> Checked:
    """A YAML document as the CLI reads it (same limits, checks and messages)."""
    with tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
        path = Path(tmp) / "upload.yaml"
        path.write_bytes(raw)
        return _load(path, display, lang)


def check_data(data: dict, lang: str) -> Checked:
    """Form data (plain values) through the same loader as a YAML file, so that the web and the
    CLI accept and refuse exactly the same documents, with the same messages."""
    text = dump_data(data)
    return check_yaml(text.encode("utf-8"), "form", lang)


def to_yaml(data: dict, comment: str = "") -> str:
    return dump_plan(Plan.model_validate(data), comment)


def has_places(data: dict) -> bool:
    return bool(PLACEHOLDER.search(json.dumps(data, ensure_ascii=False)))


def places(text: str) -> list[str]:
    return PLACEHOLDER.findall(text or "")


def render_docx(data: dict, lang: str) -> bytes:
    """The DOCX of a document; one with places still to fill prints DỰ THẢO, as `vanban render --draft`."""
    with use_language(lang):
        plan = Plan.model_validate(data)
        if has_places(data):
            plan = plan.as_draft()
        try:
            return render_document(plan, load_refdata())
        except RenderError as exc:
            raise CoreError(str(exc)) from None


def render_pdf(docx: bytes, lang: str, timeout: float) -> bytes:
    """PDF of *docx* through LibreOffice, bounded by *timeout* seconds."""
    with use_language(lang), tempfile.TemporaryDirectory(prefix="vanban-web-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx)
        opts = Options(workers=1, timeout_per_doc=timeout, startup_timeout=timeout, force=True)
        try:
            outcome = convert([src], Path(tmp) / "out", opts)[0]
        except ConvertError as exc:
            raise CoreError(str(exc)) from None
        if not outcome.ok or outcome.pdf is None:
            raise CoreError(outcome.error or "LibreOffice produced no PDF")
        return outcome.pdf.read_bytes()


def unit_for(c: Any) -> Unit:
    """The unit profile that derive needs, from a committee row (generator.web.models.Committee)."""
    party = PartyOrg(
        superior=c.superior or None,
        issuer=c.name,
        code=c.code,
        place=c.place,
        leadership=c.leadership or c.name,
        signoff=Signer(
            form=c.signer_form or None,
            authority=c.signer_authority or None,
            position=c.signer_position,
            name=c.signer_name or None,
        ),
        archive=c.archive_list() or ["VT"],
        profile=c.profile or None,
        groups=list(c.groups or []),
    )
    return Unit(
        id=c.slug,
        name=c.unit_name or c.name,
        kind=c.kind,
        aliases=list(c.aliases or []),
        groups=[],
        party=party,
        subordinates=list(c.subordinates or []),
    )


def named_by(data: dict, committees: list[Any]) -> list[Any]:
    """The committees that the document's Nơi nhận names, by name, alias or group phrase."""
    lines = [r["to"] if isinstance(r, dict) else str(r) for r in data.get("recipients") or []]
    return [c for c in committees if concerns(unit_for(c), lines)]


def derive_for(parent: dict, committee: Any, parent_file: str, lang: str) -> dict:
    """What `vanban derive` makes for *committee* from the plan *parent*."""
    with use_language(lang):
        try:
            child = derive(Plan.model_validate(parent), unit_for(committee), load_refdata(), parent_file=parent_file)
        except (DeriveError, KeyError) as exc:
            raise CoreError(str(exc).strip("'\"")) from None
        return child.model_dump(mode="json")


def issued(data: dict, number: int, on: _dt.date) -> dict:
    """*data* with the number and date the register gave it."""
    out = dict(data)
    out["header"] = {**data["header"], "number": number, "date": on.isoformat()}
    Plan.model_validate(out)
    return out


def type_code(type_id: str) -> str:
    ref = load_refdata()
    return ref.types[type_id].code if type_id in ref.types else type_id.upper()


def type_name(type_id: str) -> str:
    ref = load_refdata()
    return ref.types[type_id].name if type_id in ref.types else type_id


def type_choices() -> list[tuple[str, str]]:
    """Kinds that can be drafted in the web form (a template exists and the model is the plan's)."""
    return [(t.id, t.name) for t in load_refdata().types.values() if t.id == "ke-hoach"]


def symbol(number: int | None, type_id: str, issuer_code: str) -> str:
    """``09-KH/ĐUB``."""
    return vn.reference(number, type_code(type_id), issuer_code)


def profiles() -> list[str]:
    return sorted(load_refdata().profiles)


def refdata_units() -> list[Unit]:
    return list(load_refdata().units.values())


def dateline(header: dict) -> str:
    """``Hà Nội, ngày 05 tháng 8 năm 2025`` from a header as typed; the raw text when it is not a date yet."""
    raw = str(header.get("date") or "")
    parts = raw.split("-")
    try:
        year, month = int(parts[0]), int(parts[1])
        day = int(parts[2]) if len(parts) > 2 else None
        return vn.header_date(year, month, day, header.get("place") or None)
    except (ValueError, IndexError):
        return f"{header.get('place') or ''}, {raw}"


# -- page images and the PDF through the page cache (generator.services.pages) ----------------------


def page_images(docx: bytes, root: Path, lang: str, timeout: float, wait: float = 0.0) -> Any:
    """The printed pages of *docx*: done (with the count), pending (the worker has it) or error."""
    from generator.services import pages

    with use_language(lang):
        return pages.page_images(docx, root, timeout, wait)


def pages_status(root: Path, key: str) -> Any:
    from generator.services import pages

    return pages.status(root, key)


def page_image_path(root: Path, key: str, n: int) -> Path | None:
    from generator.services.pages import PageCache

    try:
        return PageCache(root).image(key, n)
    except ValueError:  # not a key
        return None


def pdf_of(docx: bytes, root: Path, lang: str, timeout: float) -> bytes:
    """The PDF of *docx* from the page cache (the same bytes as its page images), converting it if needed."""
    from generator.services import pages

    with use_language(lang):
        try:
            return pages.pdf_of(docx, root, timeout)
        except pages.PagesUnavailable as exc:
            raise CoreError(str(exc)) from None


def register_docx(entries: list[dict], *, superior: str, issuer: str, year: int, lang: str) -> bytes:
    """The register of outgoing documents printed as the office's sổ (DOCX)."""
    from generator.services import register

    with use_language(lang):
        try:
            return register.register_docx([register.Entry(**e) for e in entries], superior=superior, issuer=issuer, year=year)
        except LoadError as exc:  # the office's register.yaml is broken
            raise CoreError(str(exc)) from None


# -- received files ("Tải lên văn bản"): read by the import service --------------------------------


@dataclass
class Received:
    data: dict | None  # the document read, as the model's JSON dump; None when it cannot be read
    notes: list[str] = field(default_factory=list)  # what was read only in part, with its paragraph number
    error: str = ""


def read_received(content: bytes, kind: str, name: str, lang: str) -> Received:
    """What `vanban import` reads from a received DOCX or PDF (same checks, same messages)."""
    from generator.services.importing import ImportFailure, import_file

    with use_language(lang), tempfile.TemporaryDirectory(prefix="vanban-web-received-") as tmp:
        path = Path(tmp) / f"received.{kind}"
        path.write_bytes(content)
        try:
            imported = import_file(path, load_refdata())
        except ImportFailure as exc:
            return Received(None, error=str(exc).replace(str(path), name))
        return Received(imported.document.model_dump(mode="json"), [n.line() for n in imported.notes])


def received_pages(content: bytes, kind: str, root: Path, lang: str, timeout: float, wait: float = 0.0) -> Any:
    """The page images of a received file as it came: a PDF cut as it is, a DOCX through the page worker."""
    from generator.services import pages

    with use_language(lang):
        if kind == "pdf":
            return pages.pdf_page_images(content, root, timeout)
        return pages.page_images(content, root, timeout, wait)


def plan_shaped(type_id: str) -> bool:
    """Whether a unit's plan can be derived from a document of this kind (its shape is the plan's)."""
    from generator.kinds import UnknownKind, kind

    try:
        return kind(type_id, load_refdata()).shape.id == "plan"
    except UnknownKind:
        return False
