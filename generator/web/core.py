"""The web application's one door into vanban's core: load and validate, render, convert, derive.

Nothing else in :mod:`generator.web` imports the core packages, so this module is the one place to
repoint at the service layer (``generator.services``). Every function runs inside
``use_language(lang)`` so that the core's messages follow the request's language. Documents cross
this door as the JSON dump of the pydantic model (``Plan.model_dump(mode="json")``).
"""

from __future__ import annotations

import copy
import datetime as _dt
import functools
import hashlib
import json
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.io.loader import LoadError, Located, load_plan
from generator.io.refdata import PartyOrg, RefData, Signer, Unit, periods, statuses
from generator.io.refdata import load as load_refdata
from generator.io.yamlout import dump_data, dump_plan
from generator.kinds import SHAPES, UnknownKind, kind, render_document
from generator.lang import vn
from generator.lang.i18n import use_language
from generator.model.concern import concerns
from generator.model.document import MODELS, PLACEHOLDER, Document, Plan, Progress, Report
from generator.render.engine import RenderError
from generator.services import livereport
from generator.services.board import Board, Entry, board_workbook, build_board, reminder_messages, reminder_text
from generator.services.documents import load_document
from generator.transform.derive import DeriveError, derive

__all__ = [
    "CoreError",
    "Checked",
    "check_data",
    "check_yaml",
    "to_yaml",
    "render_docx",
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


#: The fields that name another document's YAML file (a Bản sao's original, a Quyết định's attachment): the web
#: keeps the name as written, and gives the named documents as files beside the document when it loads it.
REFERENCES = ("original", "attachment")


def _load(path: Path, display: str, lang: str, resolve: bool = False) -> Checked:
    with use_language(lang):
        try:
            if resolve:  # the documents it names, read beside it as the CLI reads them (generator.services)
                loaded = load_document(path, load_refdata(), display)
            else:
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


def _write_files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / Path(name).name).write_text(text, encoding="utf-8")  # a bare file name: nothing outside the folder


#: Checked documents by content: the document page checks the same saved data at every view, and a form
#: posted again unchanged is the same document. The result depends only on the content, the files it names, the
#: language and the reference data (no check reads the clock); a few dozen entries per process, each given out as a copy.
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


def _files_key(files: dict[str, str] | None) -> bytes | None:
    if files is None:
        return None
    return hashlib.sha256(json.dumps(sorted(files.items()), ensure_ascii=False).encode("utf-8")).digest()


def check_yaml(raw: bytes, display: str, lang: str, files: dict[str, str] | None = None) -> Checked:
    """A YAML document as the CLI reads it (same limits, checks and messages). Given *files* (name → YAML), the
    documents it names (its original, its attachment) are those files, read and checked with it."""
    key = ("yaml", hashlib.sha256(raw).digest(), _files_key(files), display, lang)
    return _cached_check(key, lambda: _check_yaml(raw, display, lang, files))


def _check_yaml(raw: bytes, display: str, lang: str, files: dict[str, str] | None = None) -> Checked:
    with tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
        path = Path(tmp) / "upload.yaml"
        path.write_bytes(raw)
        if files is not None:
            _write_files(Path(tmp), files)
            checked = _load(path, display, lang, resolve=True)
            if checked.data is not None:
                keep = yaml_value(raw)
                for key in REFERENCES:  # kept as named: the stored document names its original, it does not copy it
                    if isinstance(keep, dict) and isinstance(keep.get(key), str):
                        checked.data[key] = keep[key]
            return checked
        return _load(path, display, lang)


def check_data(data: dict, lang: str, files: dict[str, str] | None = None) -> Checked:
    """Form data (plain values) through the same loader as a YAML file, so that the web and the
    CLI accept and refuse exactly the same documents, with the same messages."""

    def compute() -> Checked:
        return _check_yaml(dump_data(data).encode("utf-8"), "form", lang, files)

    try:  # in the order typed: the YAML made from it, and the lines its messages name, follow that order
        content = json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):  # a value JSON cannot hold (a date object): checked without the cache
        return compute()
    return _cached_check(("data", hashlib.sha256(content).digest(), _files_key(files), lang), compute)


def yaml_value(raw: bytes) -> Any:
    with tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
        path = Path(tmp) / "value.yaml"
        path.write_bytes(raw)
        try:
            from generator.io.loader import read_yaml

            return read_yaml(path)[0]
        except LoadError:
            return None


def named_files(data: dict) -> list[str]:
    """The file names *data* gives in its reference fields (``van-ban-12.yaml``)."""
    return [data[k] for k in REFERENCES if isinstance(data.get(k), str) and not PLACEHOLDER.search(data[k])]


def model_for(type_id: str | None) -> type[Document]:
    """The pydantic model of a kind: its type's shape in data/document-types.yaml (a plan when unknown)."""
    t = load_refdata().types.get(type_id or "ke-hoach")
    return MODELS.get(t.shape, Plan) if t else Plan


def shape_of(type_id: str | None) -> str:
    t = load_refdata().types.get(type_id or "ke-hoach")
    return t.shape if t else "plan"


def _model(data: dict) -> Document:
    return model_for(data.get("type")).model_validate(data)


def normalised(type_id: str | None, name: str, value: Any) -> Any:
    """*value* of the top-level field *name* as the kind's model reads and dumps it (to compare two writings of it);
    None when the model refuses it."""
    from pydantic import TypeAdapter, ValidationError

    info = model_for(type_id).model_fields.get(name)
    if info is None or info.annotation is None:
        return None
    try:
        adapter: TypeAdapter[Any] = TypeAdapter(info.annotation)
        return adapter.dump_python(adapter.validate_python(value), mode="json")
    except ValidationError:
        return None


def read_yaml_text(text: str, lang: str) -> tuple[Any, str | None]:
    """A value written in YAML in a form field, read by the CLI's reader (its limits and its messages): the value, or
    None and the problem (``line:column: message``)."""
    from generator.io.loader import read_yaml

    with use_language(lang), tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
        path = Path(tmp) / "field.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            value, _builder = read_yaml(path, "YAML")
        except LoadError as exc:
            p = exc.problems[0]
            where = f"{p.line}:{p.column}: " if p.line and p.column else f"{p.line}: " if p.line else ""
            return None, where + p.message
        return value, None


def yaml_text(value: Any) -> str:
    """*value* written in YAML, for a form field (empty for nothing)."""
    return "" if value in (None, [], {}, "") else dump_data(value).strip()


def template_names(type_id: str) -> set[str] | None:
    """The names of the render context the kind's DOCX template prints (``body``, ``title_lines``, ``report``, …), for the
    form to leave out what this kind's template never prints; None when the template cannot be read."""
    from generator.kinds import kind as _kind

    try:
        path = _kind(type_id, load_refdata()).template
        if path is None:
            return None
        return set(_template_names(str(path), path.stat().st_mtime))
    except (KeyError, OSError, ValueError):
        return None


@functools.lru_cache(maxsize=64)
def _template_names(path: str, _mtime: float) -> frozenset[str]:
    import zipfile

    from docxtpl import DocxTemplate
    from jinja2 import Environment, meta

    names: set[str] = set()
    tpl = DocxTemplate(None)
    with zipfile.ZipFile(path) as zf:
        for part in zf.namelist():
            if part.startswith("word/") and part.endswith(".xml") and "/_rels/" not in part:
                source = tpl.patch_xml(zf.read(part).decode("utf-8"))
                source = source.replace("{%tr ", "{% ").replace("{%tc ", "{% ").replace("{%p ", "{% ").replace("{%r ", "{% ")
                names |= meta.find_undeclared_variables(Environment().parse(source))
    return frozenset(names)


def to_yaml(data: dict, comment: str = "") -> str:
    return dump_plan(_model(data), comment)


def has_places(data: dict) -> bool:
    return bool(PLACEHOLDER.search(json.dumps(data, ensure_ascii=False)))


def places(text: str) -> list[str]:
    return PLACEHOLDER.findall(text or "")


def render_docx(data: dict, lang: str, files: dict[str, str] | None = None) -> bytes:
    """The DOCX of a document; one with places still to fill prints DỰ THẢO, as `vanban render --draft`. Given
    *files*, the documents it names (a Bản sao's original, a Quyết định's attachment) are read from them."""
    with use_language(lang):
        plan = _model(data)
        if files is not None and named_files(data):
            with tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
                path = Path(tmp) / "document.yaml"
                path.write_text(dump_data(data), encoding="utf-8")
                _write_files(Path(tmp), files)
                try:
                    plan = load_document(path, load_refdata(), "document").plan
                except LoadError as exc:
                    raise CoreError("; ".join(str(p) for p in exc.problems)) from None
        if has_places(data):
            plan = plan.as_draft()
        try:
            return render_document(plan, load_refdata())
        except RenderError as exc:
            raise CoreError(str(exc)) from None


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
    _model(out)
    return out


def type_code(type_id: str) -> str:
    ref = load_refdata()
    return ref.types[type_id].code if type_id in ref.types else type_id.upper()


def type_name(type_id: str) -> str:
    ref = load_refdata()
    return ref.types[type_id].name if type_id in ref.types else type_id


def type_choices() -> list[tuple[str, str]]:
    """Kinds that can be drafted in the web forms: every type of the data with a template and a known shape."""
    ref = load_refdata()
    return [(t.id, t.name) for t in ref.types.values() if t.template and t.shape in SHAPES]


#: How often the preview fills a missing field with a place to fill before it gives up (one pass per nesting level).
_PREVIEW_PASSES = 6


def _set_at(data: Any, loc: tuple, value: Any) -> bool:
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    if isinstance(node, dict) and isinstance(loc[-1], str):
        node[loc[-1]] = value
        return True
    return False


def _resolved(data: dict, files: dict[str, str], ref: Any) -> Document | None:
    """*data* with the documents it names read from *files*, as the CLI reads them; None when they cannot be."""
    with tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
        path = Path(tmp) / "document.yaml"
        path.write_text(dump_data(data), encoding="utf-8")
        _write_files(Path(tmp), files)
        try:
            return load_document(path, ref, "document").plan
        except LoadError:
            return None


def render_context(data: dict, lang: str, files: dict[str, str] | None = None) -> tuple[dict | None, list[str]]:
    """What the DOCX template prints for *data* (the render context of the kind, its own view included), for the
    web's live preview; a required field still empty is shown as a place to fill (``[[…]]``). Given *files*, the
    documents it names (a Quyết định's attachment) are read from them. Returns the context and, when it cannot be
    built, the reasons."""
    import copy

    from pydantic import ValidationError

    from generator.kinds import kind as _kind
    from generator.render.context import context as _context

    work = copy.deepcopy(data)
    with use_language(lang):
        ref = load_refdata()
        try:
            k = _kind(work.get("type") or "ke-hoach", ref)
        except KeyError:
            return None, [str(work.get("type"))]
        for _ in range(_PREVIEW_PASSES):
            try:
                doc = k.model.model_validate(work)
                break
            except ValidationError as exc:
                filled = False
                for err in exc.errors():
                    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper()))
                    if err["type"] in ("missing", "string_too_short") and loc:
                        filled |= _set_at(work, loc, "[[…]]")
                if not filled:
                    return None, [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        else:
            return None, []
        try:
            profile = ref.profile(doc.profile)
            if files is not None and named_files(work):
                doc = _resolved(work, files, ref) or doc
        except KeyError:
            return None, [str(doc.profile)]
        ctx = _context(doc, k.doc_type, profile, appendix_view=k.shape.appendix_view, kind_view=k.view_for(ref))
        ctx.pop("chart", None)
        return ctx, []


def symbol(number: int | None, type_id: str, issuer_code: str) -> str:
    """``09-KH/ĐUB``."""
    return vn.reference(number, type_code(type_id), issuer_code)


def profile_choices() -> list[tuple[str, str]]:
    """(id, name as data/rules/*.yaml gives it) of each rule profile, for a choice the clerk reads."""
    found = load_refdata().profiles
    return [(pid, found[pid].name) for pid in sorted(found)]


def refdata_units() -> list[Unit]:
    return list(load_refdata().units.values())


def default_figures() -> list[dict]:
    """The figures of data/figures.yaml as a collection lists them: ``[{id, label, unit}]``."""
    return [{"id": fid, "label": f.label, "unit": f.unit} for fid, f in load_refdata().figures.items()]


def dateline(header: dict) -> str:
    """``Hà Nội, ngày 05 tháng 8 năm 2025`` from a header as typed; the raw text when it is not a date yet; nothing
    without a date."""
    raw = str(header.get("date") or "")
    if not raw:  # an undated document (date: null) prints no place/date line, as its DOCX does
        return ""
    parts = raw.split("-")
    try:
        year, month = int(parts[0]), int(parts[1])
        day = int(parts[2]) if len(parts) > 2 else None
        return vn.header_date(year, month, day, header.get("place") or None)
    except (ValueError, IndexError):
        return f"{header.get('place') or ''}, {raw}"


# ----------------------------------------------------------------------------- progress collections
# The board, the reminders and the report written from the units' submissions (generator.web.progress).


@dataclass(frozen=True)
class Stored:
    """What the web keeps of one unit's report in a collection (a Submission row, or none yet)."""

    unit: str  # the committee's slug
    state: str  # "submitted" | "draft" | "not-started"
    data: dict | None  # the Progress JSON dump, as typed (a draft may be incomplete)
    submitted_on: _dt.date | None = None
    #: *data* already validated by the caller (progress_of), which may keep it between requests; used instead
    progress: Progress | None = None


def progress_of(data: dict | None) -> Progress | None:
    """The Progress a submission holds, or None when it is too incomplete to be one (a fresh draft)."""
    if not data:
        return None
    try:
        return Progress.model_validate(data)
    except ValidationError:
        return None


def board(plan: dict, stored: list[Stored], as_of: _dt.date, deadline: _dt.date | None, ref: RefData, lang: str) -> Board:
    """The secretariat's board of a collection (services.board.build_board), units and figures from *ref*."""
    with use_language(lang):
        entries = [
            Entry(s.unit, s.state, s.progress if s.progress is not None else progress_of(s.data), s.submitted_on) for s in stored
        ]
        return build_board(Plan.model_validate(plan), entries, as_of, deadline, ref)


def board_xlsx(b: Board, lang: str) -> bytes:
    with use_language(lang):
        return board_workbook(b)


def reminders(b: Board, title: str) -> str:
    """The list of units to chase as text to paste into a message; Vietnamese, since it goes to the units."""
    with use_language("vi"):
        return reminder_text(b, title)


def reminder_mails(b: Board, title: str) -> list[tuple[str, str, str]]:
    """(unit id, subject, body) of the e-mail reminder to each unit behind; Vietnamese, since it goes to them."""
    with use_language("vi"):
        return [(unit.id, subject, body) for unit, subject, body in reminder_messages(b, title)]


def status_words() -> dict[str, str]:
    """Status id → its words (data/statuses.yaml)."""
    return dict(statuses())


#: A collection's period whose report period has another id in data/statuses.yaml.
_REPORT_PERIODS = {"ad-hoc": "dot-xuat"}


def period_id(collection_period: str) -> str:
    """The report's period of a collection's period: the period of data/statuses.yaml of that id (hằng năm,
    sơ kết 6 tháng, tổng kết …; ad hoc: đột xuất), a sơ kết when the data has none."""
    pid = _REPORT_PERIODS.get(collection_period, collection_period)
    return pid if pid in periods() else "so-ket"


def live_report(
    plan: dict,
    progress: list[dict],
    period: str,
    as_of: _dt.date,
    ref: RefData,
    plan_file: str,
    lang: str,
    deadline: _dt.date | None = None,
) -> dict:
    """The Báo cáo rolled up from the submitted reports, as `vanban report` writes it (JSON dump)."""
    with use_language(lang):
        items = [p for p in (progress_of(d) for d in progress) if p is not None]
        try:
            report = livereport.generate(Plan.model_validate(plan), items, period, as_of, ref, plan_file, deadline)
        except livereport.GenerateError as exc:
            raise CoreError(str(exc)) from None
        return report.model_dump(mode="json")


#: The changes (their kind) where the secretariat's text is kept although the generated one changed: shown as kept,
#: not replaced.
KEPT_CHANGES = frozenset(
    {
        livereport.KEPT,
        livereport.KEPT_GONE,
        livereport.STILL_REMOVED,
        livereport.SECTION_KEPT_GONE,
        livereport.SECTION_STILL_REMOVED,
    }
)


def live_regenerate(base: dict, edited: dict, fresh: dict, lang: str) -> tuple[dict, list[livereport.Change]]:
    """The report generated again, the secretariat's edits kept; and what changed, for display."""
    with use_language(lang):
        merged, changes = livereport.regenerate(
            Report.model_validate(base), Report.model_validate(edited), Report.model_validate(fresh)
        )
        return merged.model_dump(mode="json"), changes


# --- progress collections (generator.web.progress) ---------------------------------------------------------
# A collection's figures and the web's committees stand in for data/figures.yaml and data/units/: the web builds
# a RefData of them and hands it to the same services as `vanban progress-form` and `vanban report`.


@dataclass
class ProgressChecked:
    data: dict | None  # the validated Progress as JSON; None when there are errors
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def progress_ref(committees: list[Any], figures: list[dict]) -> Any:
    """Reference data whose units are *committees* and whose figures are a collection's ``[{id, label, unit}]``."""
    import dataclasses

    from generator.io.refdata import Figure

    ref = load_refdata()
    return dataclasses.replace(
        ref,
        units={c.slug: unit_for(c) for c in committees},
        figures={f["id"]: Figure(label=f["label"], unit=f.get("unit") or "") for f in figures},
    )


def _asking(plan: dict, figures: list[dict]) -> Plan:
    """*plan* asking for a collection's figures: the collection, not the plan's own list, decides what is asked
    (figures_of reads the plan's figures first), so the form, the Excel form and the checks agree."""
    asked = [{"id": f["id"], "label": f["label"], "unit": f.get("unit") or None} for f in figures]
    return Plan.model_validate({**plan, "figures": asked})


def reporting_tasks(plan: dict, committee: Any) -> list[dict]:
    """The tasks of *plan* that *committee* reports on: ``[{id, text, timeframe, group, roles}]``."""
    from generator.model.concern import concerning_tasks

    return [
        {"id": c.task.id, "text": c.task.text, "timeframe": c.task.timeframe, "group": c.group.title, "roles": list(c.roles)}
        for c in concerning_tasks(Plan.model_validate(plan), unit_for(committee))
    ]


def reporting_committees(plan: dict, committees: list[Any]) -> list[Any]:
    """The committees that report on *plan*: those `vanban progress-form` makes a form for."""
    from generator.services.forms import reporting_units

    ids = {u.id for u in reporting_units(Plan.model_validate(plan), progress_ref(committees, []))}
    return [c for c in committees if c.slug in ids]


def status_choices() -> list[tuple[str, str]]:
    """(status id, Vietnamese label) as the form and the Excel form offer them."""
    from generator.io.refdata import statuses

    return [(sid, label) for sid, label in statuses().items() if sid != "no-report"]


def check_progress(data: dict, plan: dict, plan_name: str, committee: Any, figures: list[dict], lang: str) -> ProgressChecked:
    """A unit's progress (plain values) through the loader and the checks of `vanban report`, as a YAML file."""
    from generator.io.loader import LoadError
    from generator.services.progress import load_progress

    with use_language(lang), tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
        path = Path(tmp) / "progress.yaml"
        path.write_text(dump_data(data), encoding="utf-8")
        ref = progress_ref([committee], figures)
        try:
            progress, warnings = load_progress(path, _asking(plan, figures), plan_name, ref)
        except LoadError as exc:
            return ProgressChecked(
                None,
                errors=[_problem(p) for p in exc.problems if p.severity == "error"],
                warnings=[_problem(p) for p in exc.problems if p.severity != "error"],
            )
        return ProgressChecked(progress.model_dump(mode="json"), warnings=[_problem(p) for p in warnings])


def progress_form(plan: dict, committee: Any, figures: list[dict], lang: str) -> bytes:
    """The unit's Excel form, as `vanban progress-form` makes it, with the collection's figures."""
    from generator.services.forms import progress_form as make_form

    with use_language(lang):
        ref = progress_ref([committee], figures)
        return make_form(_asking(plan, figures), ref.units[committee.slug], ref)


def read_progress_form(raw: bytes, plan: dict, plan_name: str, committee: Any, figures: list[dict], lang: str) -> ProgressChecked:
    """A filled Excel form read and checked as `vanban report` reads it; problems are named by sheet!cell."""
    from generator.io.loader import LoadError
    from generator.services.progress import read_progress_form as read_form

    with use_language(lang), tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
        path = Path(tmp) / "form.xlsx"
        path.write_bytes(raw)
        ref = progress_ref([committee], figures)
        try:
            progress, warnings = read_form(path, _asking(plan, figures), plan_name, ref)
        except LoadError as exc:
            return ProgressChecked(
                None,
                errors=[_problem(p) for p in exc.problems if p.severity == "error"],
                warnings=[_problem(p) for p in exc.problems if p.severity != "error"],
            )
        return ProgressChecked(progress.model_dump(mode="json"), warnings=[_problem(p) for p in warnings])


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

    try:
        return kind(type_id, load_refdata()).shape.id == "plan"
    except UnknownKind:
        return False


def status_table(data: dict) -> list[dict]:
    """The groups and rows of a Báo cáo's status appendix, each unit's status id in words and the units grouped
    by status, for the HTML preview; empty for a document without one (a plan's appendix has tasks, not rows)."""
    raw = (data.get("appendix") or {}).get("groups") or []
    if not any(isinstance(g, dict) and "rows" in g for g in raw):
        return []
    words = status_words()
    groups = []
    for g in raw:
        rows = []
        for r in g.get("rows") or []:
            by: dict[str, list[str]] = {}
            lines = []
            for u in r.get("units") or []:
                if isinstance(u, dict):
                    sid = str(u.get("status") or "")
                    by.setdefault(words.get(sid, sid), []).append(u.get("unit", ""))
                else:
                    lines.append(str(u))
            order = list(words.values())  # as the printed table lists them: done first, no report last
            grouped = sorted(by.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
            rows.append({"row": r, "by": grouped, "lines": lines, "overall": words.get(r.get("overall"), "")})
        groups.append({"id": g.get("id"), "title": g.get("title"), "rows": rows})
    return groups


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
    _warm_pages()


#: The pages a clerk opens all day: compiled before the workers fork (Django's cached template loader keeps them).
WARM_PAGES = (
    "web/base.html",
    "web/edit.html",
    "web/preview.html",
    "web/sections.html",
    "web/kind_edit.html",
    "web/kind_preview.html",
    "web/document.html",
)


def _warm_pages() -> None:
    from django.template.loader import get_template

    for name in WARM_PAGES:
        get_template(name)
