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

from pydantic import ValidationError

from generator.convert.libreoffice import ConvertError, Options, convert
from generator.io.loader import LoadError, Located, load_plan
from generator.io.refdata import PartyOrg, RefData, Signer, Unit, statuses
from generator.io.refdata import load as load_refdata
from generator.io.yamlout import dump_data, dump_plan
from generator.kinds import UnknownKind, kind, render_document
from generator.lang import vn
from generator.lang.i18n import use_language
from generator.model.concern import concerns
from generator.model.document import PLACEHOLDER, Document, Plan, Progress, Report
from generator.render.engine import RenderError
from generator.services import livereport
from generator.services.board import Board, Entry, board_workbook, build_board, reminder_messages, reminder_text
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
        plan = model_of(data).model_validate(data)
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
    model_of(out).model_validate(out)
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


def default_figures() -> list[dict]:
    """The figures of data/figures.yaml as a collection lists them: ``[{id, label, unit}]``."""
    return [{"id": fid, "label": f.label, "unit": f.unit} for fid, f in load_refdata().figures.items()]


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


def model_of(data: dict) -> type[Document]:
    """The model of a document's kind (a Plan for a Kế hoạch, a Report for a Báo cáo…); a Plan when unknown."""
    try:
        return kind(str(data.get("type") or "ke-hoach"), load_refdata()).model
    except UnknownKind:
        return Plan


# ----------------------------------------------------------------------------- progress collections
# The board, the reminders and the report written from the units' submissions (generator.web.progress).


@dataclass(frozen=True)
class Stored:
    """What the web keeps of one unit's report in a collection (a Submission row, or none yet)."""

    unit: str  # the committee's slug
    state: str  # "submitted" | "draft" | "not-started"
    data: dict | None  # the Progress JSON dump, as typed (a draft may be incomplete)
    submitted_on: _dt.date | None = None


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
        entries = [Entry(s.unit, s.state, progress_of(s.data), s.submitted_on) for s in stored]
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


def period_id(collection_period: str) -> str:
    """The report's period (sơ kết or tổng kết) of a collection's period: a tổng kết is one, the rest are sơ kết."""
    return "tong-ket" if collection_period == "tong-ket" else "so-ket"


def live_report(plan: dict, progress: list[dict], period: str, as_of: _dt.date, ref: RefData, plan_file: str, lang: str) -> dict:
    """The Báo cáo rolled up from the submitted reports, as `vanban report` writes it (JSON dump)."""
    with use_language(lang):
        items = [p for p in (progress_of(d) for d in progress) if p is not None]
        try:
            report = livereport.generate(Plan.model_validate(plan), items, period, as_of, ref, plan_file)
        except livereport.GenerateError as exc:
            raise CoreError(str(exc)) from None
        return report.model_dump(mode="json")


#: The changes where the secretariat's text is kept although the generated one changed: shown as kept, not replaced.
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
