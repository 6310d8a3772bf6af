"""The web application's one door into vanban's core: load and validate, render, convert, derive.

Nothing else in :mod:`generator.web` imports the core packages, so this module is the one place to
repoint at the service layer (``generator.services``). Every function runs inside
``use_language(lang)`` so that the core's messages follow the request's language. Documents cross
this door as the JSON dump of the pydantic model (``Plan.model_dump(mode="json")``).
"""

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import json
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
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


#: Checked documents by content: the document page checks the same saved data at every view, and a form
#: posted again unchanged is the same document. The result depends only on the content, the language and the
#: reference data (no check reads the clock); a few dozen entries per process, each given out as a copy.
_CHECKED: OrderedDict[tuple, tuple[Any, Checked]] = OrderedDict()
_CHECKED_MAX = 64
_CHECKED_LOCK = threading.Lock()


def _cached_check(key: tuple, compute: Callable[[], Checked]) -> Checked:
    ref = load_refdata()
    with _CHECKED_LOCK:
        hit = _CHECKED.get(key)
        if hit is not None and hit[0] is ref:
            _CHECKED.move_to_end(key)
            return copy.deepcopy(hit[1])
    checked = compute()
    with _CHECKED_LOCK:
        _CHECKED[key] = (ref, copy.deepcopy(checked))
        while len(_CHECKED) > _CHECKED_MAX:
            _CHECKED.popitem(last=False)
    return checked


def check_yaml(raw: bytes, display: str, lang: str) -> Checked:
    """A YAML document as the CLI reads it (same limits, checks and messages)."""
    return _cached_check(("yaml", hashlib.sha256(raw).digest(), display, lang), lambda: _check_yaml(raw, display, lang))


def _check_yaml(raw: bytes, display: str, lang: str) -> Checked:
    with tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
        path = Path(tmp) / "upload.yaml"
        path.write_bytes(raw)
        return _load(path, display, lang)


def check_data(data: dict, lang: str) -> Checked:
    """Form data (plain values) through the same loader as a YAML file, so that the web and the
    CLI accept and refuse exactly the same documents, with the same messages."""

    def compute() -> Checked:
        return _check_yaml(dump_data(data).encode("utf-8"), "form", lang)

    try:  # in the order typed: the YAML made from it, and the lines its messages name, follow that order
        content = json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):  # a value JSON cannot hold (a date object): checked without the cache
        return compute()
    return _cached_check(("data", hashlib.sha256(content).digest(), lang), compute)


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


def warm() -> None:
    """Read once, before the server forks its workers (gunicorn ``preload_app``), what every request uses: the
    reference data, the kind registry and the compiled template of each kind the web drafts, under each rule
    profile. The workers share them instead of each paying for them on its first requests."""
    from generator.kinds import registry
    from generator.render.engine import compiled

    ref = load_refdata()
    kinds = registry(ref)
    for type_id, _name in type_choices():
        template = kinds[type_id].template if type_id in kinds else None
        for profile in ref.profiles.values():
            if template is not None:
                try:
                    compiled(template, profile)
                except RenderError:  # a broken template is reported when a document uses it, in the user's language
                    continue
