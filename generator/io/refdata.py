"""Reference data from ``data/``: document types, signing forms, rule profiles.

Part of the load stage: it reads YAML and hands typed objects to the rest.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from generator.io.fsutil import InputError, read_input
from generator.lang.i18n import _
from generator.model.document import MODELS, Plan, Reference, use_vocabulary

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def _resource_dir(name: str) -> Path:
    """``data/`` or ``doc_templates/``: beside the package in a checkout, else under share/vanban."""
    here = Path(__file__).resolve().parents[2] / name
    if here.is_dir():
        return here
    installed = Path(sys.prefix) / "share" / "vanban" / name
    if installed.is_dir():
        return installed
    raise FileNotFoundError(f"vanban's {name}/ folder was not found (looked in {here} and {installed})")


def data_dir() -> Path:
    return _resource_dir("data")


def templates_dir() -> Path:
    return _resource_dir("doc_templates")


class DocType(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    code: str
    tag: Literal["C", "S", "U"]
    template: str | None = None
    #: The document structure the type shares with others (the model, the template's fields, the appendix):
    #: a type of a known shape becomes a kind from data alone (see generator.kinds).
    shape: str = "plan"

    @model_validator(mode="after")
    def _known_shape(self) -> DocType:
        if self.shape not in MODELS:
            raise ValueError(
                _("unknown shape {shape}; expected one of: {shapes}", shape=repr(self.shape), shapes=", ".join(MODELS))
            )
        return self

    @property
    def title(self) -> str:
        from generator.lang.vn import upper

        return upper(self.name)


class Layout(BaseModel):
    """Rendering parameters a rule profile sets (see data/rules/hd36-2018.yaml for meanings)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    page: dict[str, float]
    margins_mm: dict[Literal["top", "bottom", "left", "right"], float]
    header_distance_mm: float
    body_line_spacing_pt: float = Field(gt=0)
    body_space_after_pt: float = Field(ge=0)
    first_line_indent_mm: float = Field(ge=0)
    title_size_pt: float
    subject_size_pt: float
    heading_numbers: list[str] = Field(min_length=1)
    recipient_separator: Literal[",", ";"]
    archive_label: str
    citation_comma: bool
    multi_unit_prefix: str
    appendix_page_numbers: Literal["restart", "continue"]
    letter_subject_prefix: str = ""  #: before a Công văn's trích yếu when the document does not choose ("V/v ") [U]
    submission_salutation: str = "Kính gửi:"  #: how a Tờ trình addresses its recipients ("Kính trình:" under 05-HD) [S]
    #: What follows an article's number: ``Điều 1.`` (36-HD's models) or ``Điều 1:`` (seen in some offices) [U]
    article_separator: Literal[".", ":"] = "."


class Rule(BaseModel):
    """A format rule as a profile sets it; other keys are the rule's parameters."""

    model_config = ConfigDict(extra="allow", frozen=True)
    severity: Literal["error", "warning", "off"]
    tag: Literal["C", "S", "U"]
    clause: str
    explain: str

    @model_validator(mode="after")
    def _unconfirmed_is_never_an_error(self) -> Rule:
        if self.tag == "U" and self.severity == "error":
            raise ValueError(_("a rule tagged U (unconfirmed) may be a warning, never an error"))
        return self

    def param(self, name: str, default=None):
        return (self.model_extra or {}).get(name, default)


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    extends: str | None = None
    signing_forms: list[str]
    layout: Layout
    rules: dict[str, Rule] = Field(default_factory=dict)


class Signer(BaseModel):
    """A unit's usual sign-off; ``name`` may be unknown (a derived plan then asks for it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    form: str | None = None  # a signing form of data/signing-forms.yaml (checked when the data is loaded)
    authority: str | None = None
    position: str
    name: str | None = None


class PartyOrg(BaseModel):
    """The party organisation that issues a unit's own plans."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    superior: str | None = None
    issuer: str
    code: str
    place: str
    leadership: str  # the body that leads the unit's plan and receives its reports
    signoff: Signer
    archive: list[str]
    profile: str | None = None
    groups: list[str] = Field(default_factory=list)


class Unit(BaseModel):
    """A unit that plans name, and (with ``party``) that issues a plan of its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    kind: str
    aliases: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    party: PartyOrg | None = None
    subordinates: list[str] = Field(default_factory=list)
    example: bool = False

    def phrases(self) -> list[str]:
        """Every wording of a plan that names this unit or a group it belongs to."""
        out = [self.name, *self.aliases, *self.groups]
        if self.party:
            out += [self.party.issuer, *self.party.groups]
        return out


class UnitFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    example: bool = False
    organisation: dict[str, str]
    units: list[Unit]


class Figure(BaseModel):
    """A figure a unit may report per task: what is counted (``label``) and the unit of count (``unit``, may be
    empty: a plan's own figure need not have one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    unit: str

    @property
    def heading(self) -> str:
        """The figure's column heading in the Excel form: ``Số buổi quán triệt (buổi)``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


@dataclass
class RefData(Reference):
    units: dict[str, Unit] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    #: The folder the data was read from (the user's, when one is layered over the built-in data): a type's
    #: template may be a file beside it (an office's own kind).
    folder: Path | None = None
    #: Every data folder read, the user's first: templates are looked up in this order.
    folders: tuple[Path, ...] = ()

    def template_path(self, name: str) -> Path:
        """A type's template: relative to a data folder (the user's first) when such a file is there, else a
        built-in one."""
        for folder in self.folders or ((self.folder,) if self.folder else ()):
            if (folder / name).is_file():
                return folder / name
        return templates_dir() / name

    def unit(self, uid: str) -> Unit:
        return self.units[uid]

    def profile(self, pid: str) -> Profile:
        return self.profiles[pid]

    def doc_type(self, tid: str) -> DocType:
        return self.types[tid]

    def citation(self, doc: Any, *, under: str | None = None) -> str:
        """``Kế hoạch số 09-KH/ĐUB, ngày 05/3/2026``: the Party citation of *doc* (§3.6), as a document written
        under rule profile *under* (default: *doc*'s own) prints it. The one citation of render, derive,
        roll-up and the Excel forms."""
        h = doc.header
        return self.cite(doc.type, h.number, h.issuer_code, h.date, under or doc.profile)

    def cite(self, type_id: str, number: int | None, issuer_code: str, date: Any, profile: str) -> str:
        """The citation of a document known by its type, number, issuer code and date (a PartialDate, or None for
        an undated document: no ``ngày …``), as a document under *profile* prints it."""
        from generator.lang import vn

        doc_type = self.types[type_id]
        comma = self.profiles[profile].layout.citation_comma
        if date is None:
            return f"{doc_type.name} số {vn.reference(number, doc_type.code, issuer_code)}"
        return vn.citation(doc_type.name, doc_type.code, number, issuer_code, date.year, date.month, date.day, comma=comma)


def figures_of(plan: Plan | None, ref: RefData) -> dict[str, Figure]:
    """The figures asked for on *plan*, by id: the plan's own (``figures:``) when it has any, else those of
    ``data/figures.yaml``. The one place that decides: progress checks, the Excel form, the report and the
    board all ask here. *plan* may be None (a form read without its plan): the data's figures."""
    if plan is not None and plan.figures:
        return {f.id: Figure(label=f.label, unit=f.unit or "") for f in plan.figures}
    return ref.figures


#: Unit ids are file names: see load().
_UNIT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_UNIT_ID = 64


def _read(path: Path, top: type = dict) -> Any:
    """The values of *path*; a file the user broke stops with located problems (LoadError)."""
    from generator.io.loader import read_yaml

    try:
        from generator.io.loader import MAX_FILE_BYTES, too_deep

        text = read_input(path, MAX_FILE_BYTES).decode("utf-8")
        if too_deep(text, str(path)) is not None:
            raise yaml.YAMLError("too deep")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, InputError):
        read_yaml(path)  # same parser, and the loader's located, translated message
        raise
    if not isinstance(data, top):
        _fail(path, (), _("expected a mapping of fields at the top"))
    return data


def _fail(path: Path, at: tuple, message: str):
    from generator.io.loader import locate_in

    raise locate_in(path, at=at, message=message)


def _valid(model: type[BaseModel], data: Any, path: Path, at: tuple = ()) -> Any:
    from generator.io.loader import locate_in

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise locate_in(path, exc, model, at=at) from None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _load_profiles(folders: list[Path]) -> tuple[dict[str, Profile], dict[str, Path]]:
    """Rule profiles by id (the file's name); a later folder's profile replaces an earlier one of its id, and may
    extend any profile of any folder."""
    files = {p.stem: p for folder in folders for p in sorted(folder.glob("*.yaml"))}
    raw = {pid: _read(p) for pid, p in files.items()}
    resolved: dict[str, dict] = {}

    def resolve(pid: str, chain: tuple[str, ...] = ()) -> dict:
        if pid in chain:
            _fail(
                files[chain[-1]],
                ("extends",),
                _("rule profiles extend each other in a circle: {chain}", chain=" → ".join(chain + (pid,))),
            )
        if pid not in raw:
            _fail(
                files[chain[-1]],
                ("extends",),
                _("extends unknown profile {pid}; profiles: {known}", pid=repr(pid), known=", ".join(raw)),
            )
        if pid not in resolved:
            data = raw[pid]
            parent = data.get("extends")
            resolved[pid] = _merge(resolve(parent, chain + (pid,)), data) if parent else data
        return resolved[pid]

    profiles = {}
    for pid in raw:
        merged = dict(resolve(pid))
        merged["extends"] = raw[pid].get("extends")
        profiles[pid] = _valid(Profile, {k: v for k, v in merged.items() if k in Profile.model_fields}, files[pid])
    return profiles, files


# ----------------------------------------------------------------------------- the user's own data

#: What ``load()`` layers over the built-in data: the user's data folder (``--data``, ``VANBAN_DATA``, a
#: ``vanban.toml`` or ``.vanban/`` found from the current folder upwards) and whether the example units
#: are shown beside the user's own. Set by a front end (the CLI); the web application leaves it unset.
_USER: dict[str, Any] = {"folder": None, "examples": None}

USER_CONFIG = "vanban.toml"
USER_FOLDER = ".vanban"


def use_user_data(folder: str | Path | None, *, examples: bool | None = None) -> None:
    """Layer *folder* (the user's data) over the built-in data in every later ``load()``; None: built-in only.

    *examples*: show the example units (``example: true``) beside the user's units (True), never (False), or
    only when the user's data has no units of its own (None, the default)."""
    _USER["folder"] = str(Path(folder).resolve()) if folder is not None else None
    _USER["examples"] = examples


def user_data() -> Path | None:
    return Path(_USER["folder"]) if _USER["folder"] else None


def find_user_data(start: str | Path) -> Path | None:
    """The user's data folder for a command run in *start*: the folder of the nearest ``vanban.toml`` (or the
    folder its ``data`` key names), or the nearest ``.vanban/`` folder, looking from *start* upwards."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        config = folder / USER_CONFIG
        if config.is_file():
            return _config_folder(config)
        if (folder / USER_FOLDER).is_dir():
            return folder / USER_FOLDER
    return None


def _config_folder(config: Path) -> Path:
    """``vanban.toml``: an optional ``data = "folder"`` (relative to the file); default the file's own folder."""
    import tomllib

    from generator.io.loader import LoadError, Located

    def fail(message: str, line: int | None = None, column: int | None = None, at: str = ""):
        raise LoadError([Located(str(config), line, column, at, message)])

    try:
        settings = tomllib.loads(read_input(config, 64 * 1024).decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        fail(
            _("not valid TOML: {exc}", exc=re.sub(r"\s*\(at line.*\)$", "", str(exc))),
            int(m.group(1)) if m else None,
            int(m.group(2)) if m else None,
        )
    except (OSError, UnicodeDecodeError, InputError) as exc:
        fail(_("cannot be read: {exc}", exc=exc))
    unknown = sorted(set(settings) - {"data"})
    if unknown:
        fail(_("unknown setting {key}; known settings: data", key=repr(unknown[0])), at=unknown[0])
    folder = settings.get("data", ".")
    if not isinstance(folder, str):
        fail(_("expected the path of a folder"), at="data")
    path = (config.parent / folder).resolve()
    if not path.is_dir():
        fail(_("folder {path} does not exist", path=str(path)), at="data")
    return path


def load(folder: str | None = None) -> RefData:
    """All reference data, read once per process: the built-in data with the user's own layered over it
    (see ``use_user_data``), or exactly *folder* when one is given."""
    if folder is not None:
        return _load((str(folder),), True)
    user = _USER["folder"]
    roots = (str(data_dir()),) + ((user,) if user and Path(user) != data_dir() else ())
    return _load(roots, _USER["examples"])


def _optional(path: Path, layer: int) -> dict:
    """A file of the user's layer may be absent (the built-in one stands); a built-in one must be there."""
    return _read(path) if layer == 0 or path.is_file() else {}


@functools.lru_cache(maxsize=4)
def _load(roots: tuple[str, ...], examples: bool | None) -> RefData:
    """*roots*: the built-in data folder first, then the user's; a later layer adds to or overrides an earlier
    one, entry by entry (types, profiles, units, figures and signing forms by id)."""
    layers = [Path(r) for r in roots]
    log.info("reading reference data from %s", ", ".join(map(str, layers)))
    types: dict[str, DocType] = {}
    for layer, root in enumerate(layers):
        path = root / "document-types.yaml"
        for tid, spec in _optional(path, layer).items():
            types[tid] = _valid(DocType, {"id": tid, **spec} if isinstance(spec, dict) else spec, path, (tid,))
    profiles, profile_files = _load_profiles([root / "rules" for root in layers])
    units: dict[str, Unit] = {}
    where: dict[str, tuple[Path, tuple]] = {}
    own_units = False
    for layer, root in enumerate(layers):
        in_layer: set[str] = set()
        for path in sorted((root / "units").glob("*.yaml")):
            book = _valid(UnitFile, _read(path), path)
            for i, unit in enumerate(book.units):
                # Unit ids name output files (derived plans, forms, return sheets): '../x' would write
                # outside the output folder, a 300-character one fails after other files were written.
                if not _UNIT_ID.fullmatch(unit.id) or len(unit.id) > MAX_UNIT_ID:
                    _fail(
                        path,
                        ("units", i, "id"),
                        _(
                            "unit id {id} must be lower-case letters, digits and hyphens, at most {limit} characters (e.g. cong-ty-129)",
                            id=repr(unit.id[:80]),
                            limit=MAX_UNIT_ID,
                        ),
                    )
                if unit.id in in_layer:
                    _fail(path, ("units", i, "id"), _("unit id {id} is defined twice", id=repr(unit.id)))
                in_layer.add(unit.id)
                units[unit.id] = unit.model_copy(update={"example": book.example})
                where[unit.id] = (path, ("units", i, "party", "signoff", "form"))
                own_units = own_units or (layer > 0 and not book.example)
    if examples is False or (examples is None and own_units):
        # The example units (data/units/ban-co-yeu.yaml) are shown only when asked, or while the user has none.
        units = {uid: u for uid, u in units.items() if not u.example}
    figures: dict[str, Figure] = {}
    forms: dict[str, Any] = {}
    for layer, root in enumerate(layers):
        path = root / "figures.yaml"
        figures.update({fid: _valid(Figure, spec, path, (fid,)) for fid, spec in _optional(path, layer).items()})
        forms.update(_optional(root / "signing-forms.yaml", layer))
    for pid, profile in profiles.items():
        unknown = [f for f in profile.signing_forms if f not in forms]
        if unknown:
            _fail(
                profile_files[pid],
                ("signing_forms",),
                _("names signing forms not in signing-forms.yaml: {forms}", forms=", ".join(unknown)),
            )
    for uid, unit in units.items():
        form = unit.party.signoff.form if unit.party else None
        if form is not None and form not in forms:
            _fail(
                *where[uid],
                _(
                    "signing form {form} is not in signing-forms.yaml; expected one of: {forms}",
                    form=repr(form),
                    forms=", ".join(forms),
                ),
            )
    return RefData(
        types=types,
        profiles=profiles,
        units=units,
        figures=figures,
        signing_forms=list(forms),
        folder=layers[-1],
        folders=tuple(reversed(layers)),
    )


def data_folders() -> tuple[Path, ...]:
    """The data folders of every later read, the user's first (see ``use_user_data``), then the built-in one."""
    user = _USER["folder"]
    return ((Path(user),) if user and Path(user) != data_dir() else ()) + (data_dir(),)


def _clear_caches() -> None:
    for cached in (_load, _template_fields, _vocabulary):
        cached.cache_clear()


load.cache_clear = _clear_caches  # type: ignore[attr-defined]  # tests clear the caches through load


def template_fields(folder: str | None = None) -> dict[str, Any]:
    """data/template-fields.yaml: per document kind, the variables its templates may use; the user's own file (in
    the data folder) layered over it, kind by kind and field by field. Exactly *folder*'s file when one is given."""
    roots = (folder,) if folder else tuple(str(f) for f in reversed(data_folders()))
    return _template_fields(roots)


@functools.lru_cache(maxsize=4)
def _template_fields(roots: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for layer, root in enumerate(roots):
        out = _merge(out, _optional(Path(root) / "template-fields.yaml", layer))
    return out


# ----------------------------------------------------------------------------- statuses and periods


def vocabulary(folder: str | None = None) -> dict[str, dict[str, str]]:
    """data/statuses.yaml: ``statuses``, ``periods`` and ``plan-periods``, each id → Vietnamese label; the user's own
    file may give other words for the same ids (the ids are what progress files and the program use), and periods
    of its own. A period may be written as its words alone (``so-ket: sơ kết``) or as ``{words, subject,
    preamble}``: the report's trích yếu and opening words (:func:`period_texts`), kept in the tables
    ``period-subjects`` and ``period-preambles``."""
    roots = (folder,) if folder else tuple(str(f) for f in reversed(data_folders()))
    return _vocabulary(roots)


@functools.lru_cache(maxsize=4)
def _vocabulary(roots: tuple[str, ...]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for layer, root in enumerate(roots):
        path = Path(root) / "statuses.yaml"
        for table, labels in _optional(path, layer).items():
            if layer and table not in out:
                _fail(path, (table,), _("unknown list {key}; known lists: {value}", key=repr(table), value=", ".join(out)))
            if table == "periods" and isinstance(labels, dict):
                labels = _periods(path, labels, out)
            if not isinstance(labels, dict) or not all(isinstance(v, str) and v.strip() for v in labels.values()):
                _fail(path, (table,), _("expected each id with its words, e.g. done: hoàn thành"))
            for sid in labels:
                if layer and sid not in out[table] and table != "periods":  # a period of the office's own is data
                    known = ", ".join(out[table])
                    message = _(
                        "unknown id {key}; the ids are fixed, only their words may change: {value}", key=repr(sid), value=known
                    )
                    _fail(path, (table, sid), message)
            out[table] = {**out.get(table, {}), **labels}
    return out


#: What a period's report texts may name: the plan as cited (``Kế hoạch số … của …``) and the as-of year.
_PERIOD_FIELDS = ("plan", "year")


def _periods(path: Path, entries: dict, out: dict[str, dict[str, str]]) -> dict:
    """A ``periods`` table: each id → its words; the subject and preamble of an entry written as a mapping go to
    ``period-subjects`` and ``period-preambles`` (an entry given by its words alone drops the layer's earlier ones,
    which may not suit the new words)."""
    import string

    labels: dict[str, Any] = {}
    for pid, entry in entries.items():
        for table in ("period-subjects", "period-preambles"):
            out.setdefault(table, {}).pop(pid, None)
        if not isinstance(entry, dict):
            labels[pid] = entry
            continue
        unknown = [k for k in entry if k not in ("words", "subject", "preamble")]
        if unknown or not isinstance(entry.get("words"), str):
            _fail(path, ("periods", pid, *unknown[:1]), _("expected words, subject and preamble, e.g. words: hằng năm"))
        labels[pid] = entry["words"]
        for key, table in (("subject", "period-subjects"), ("preamble", "period-preambles")):
            text = entry.get(key)
            if text is None:
                continue
            try:
                names = (
                    [f for _t, f, _s, _c in string.Formatter().parse(text) if f is not None] if isinstance(text, str) else None
                )
            except ValueError:
                names = None
            if names is None or any(n not in _PERIOD_FIELDS for n in names) or not text.strip():
                known = ", ".join("{" + f + "}" for f in _PERIOD_FIELDS)
                _fail(path, ("periods", pid, key), _("expected a text that may name {value}", value=known))
            out[table][pid] = text
    return labels


def _key(text: str) -> str:
    # "Hoàn thành", "hoàn  thành", "sơ-kết" and "sơ kết" are the same word to a reader.
    text = unicodedata.normalize("NFC", text).casefold().replace("-", " ").replace("_", " ")
    return " ".join(text.split())


def statuses() -> dict[str, str]:
    """Every status id → its label, ``no-report`` last."""
    return vocabulary()["statuses"]


def status_label(sid: str) -> str:
    return statuses()[sid]


def periods() -> dict[str, str]:
    """Every report period id → its words (data/statuses.yaml, the office's own added)."""
    return vocabulary()["periods"]


def period_label(pid: str) -> str:
    return vocabulary()["periods"][pid]


def period_texts(pid: str, plan: str, year: int) -> tuple[str, str]:
    """The report's words for period *pid*: the first line of its trích yếu (``Sơ kết thực hiện {plan}``, ``Kết quả
    thực hiện {plan} năm {year}``) and what the preamble says the committee reports (``báo cáo sơ kết kết quả thực
    hiện``); a period given by its words alone reads ``{Words} thực hiện …`` and ``báo cáo {words} kết quả thực
    hiện``. *plan* is the plan as cited with its issuer, *year* the as-of year."""
    words = vocabulary()
    label = words["periods"][pid]
    subject = words.get("period-subjects", {}).get(pid) or label[:1].upper() + label[1:] + " thực hiện {plan}"
    preamble = words.get("period-preambles", {}).get(pid) or "báo cáo " + label + " kết quả thực hiện"
    return subject.format(plan=plan, year=year), preamble.format(plan=plan, year=year)


def plan_period_label(kind: str) -> str:
    return vocabulary()["plan-periods"][kind]


def _lookup(table: dict[str, str], value: str, builtin: dict[str, str] | None = None) -> str | None:
    key = _key(value)
    found = _index(tuple(table.items())).get(key)
    if found is None and builtin is not None:
        # the built-in words are still understood where the office prints its own (units' files use them)
        found = next((i for i, label in builtin.items() if i in table and key == _key(label)), None)
    return found


@functools.lru_cache(maxsize=16)
def _index(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Each way of writing an entry (its id, its label) → the id of the first entry written so: a status is looked up
    for every task of every unit's report."""
    index: dict[str, str] = {}
    for i, label in items:
        index.setdefault(_key(i), i)
        index.setdefault(_key(label), i)
    return index


def status_id(value: str, *, report: bool = False) -> str | None:
    """The status id for an id or a label as typed (any case); ``no-report`` only in a report."""
    if value in statuses() and (report or value != "no-report"):
        return value  # already an id (what stored reports hold; a board reads hundreds): no word to normalise
    table = statuses() if report else {k: v for k, v in statuses().items() if k != "no-report"}
    return _lookup(table, value, vocabulary(str(data_dir()))["statuses"])


def period_id(value: str) -> str | None:
    """The period id for ``so-ket``, ``sơ-kết``, ``Sơ kết`` …"""
    return _lookup(vocabulary()["periods"], value, vocabulary(str(data_dir()))["periods"])


# The model accepts statuses and periods by their words too (``status: hoàn thành``): it asks this module.
use_vocabulary(sys.modules[__name__])  # a module with the Vocabulary functions
