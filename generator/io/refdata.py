"""Reference data from ``data/``: document types, signing forms, rule profiles.

Part of the load stage: it reads YAML and hands typed objects to the rest.
"""

from __future__ import annotations

import functools
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
from generator.model.document import Reference, use_vocabulary


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
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    unit: str


@dataclass
class RefData(Reference):
    units: dict[str, Unit] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    #: The folder the data was read from: a type's template may be a file beside it (an office's own kind).
    folder: Path | None = None

    def template_path(self, name: str) -> Path:
        """A type's template: relative to the data folder when such a file is there, else a built-in one."""
        own = self.folder / name if self.folder else None
        return own if own is not None and own.is_file() else templates_dir() / name

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
        from generator.lang import vn

        doc_type, h = self.types[doc.type], doc.header
        comma = self.profiles[under or doc.profile].layout.citation_comma
        return vn.citation(
            doc_type.name, doc_type.code, h.number, h.issuer_code, h.date.year, h.date.month, h.date.day, comma=comma
        )


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


def _load_profiles(folder: Path) -> dict[str, Profile]:
    files = {p.stem: p for p in sorted(folder.glob("*.yaml"))}
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
    return profiles


@functools.lru_cache(maxsize=4)
def load(folder: str | None = None) -> RefData:
    """Read all reference data once per process."""
    root = Path(folder) if folder else data_dir()
    path = root / "document-types.yaml"
    types = {
        tid: _valid(DocType, {"id": tid, **spec} if isinstance(spec, dict) else spec, path, (tid,))
        for tid, spec in _read(path).items()
    }
    profiles = _load_profiles(root / "rules")
    units: dict[str, Unit] = {}
    where: dict[str, tuple[Path, tuple]] = {}
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
            if unit.id in units:
                _fail(path, ("units", i, "id"), _("unit id {id} is defined twice", id=repr(unit.id)))
            units[unit.id] = unit.model_copy(update={"example": book.example})
            where[unit.id] = (path, ("units", i, "party", "signoff", "form"))
    path = root / "figures.yaml"
    figures = {fid: _valid(Figure, spec, path, (fid,)) for fid, spec in _read(path).items()}
    forms = _read(root / "signing-forms.yaml")
    for pid, profile in profiles.items():
        unknown = [f for f in profile.signing_forms if f not in forms]
        if unknown:
            _fail(
                root / "rules" / f"{pid}.yaml",
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
    return RefData(types=types, profiles=profiles, units=units, figures=figures, signing_forms=list(forms), folder=root)


@functools.lru_cache(maxsize=2)
def template_fields(folder: str | None = None) -> dict[str, Any]:
    """data/template-fields.yaml: per document kind, the variables its templates may use."""
    return _read((Path(folder) if folder else data_dir()) / "template-fields.yaml")


# ----------------------------------------------------------------------------- statuses and periods


@functools.lru_cache(maxsize=2)
def vocabulary(folder: str | None = None) -> dict[str, dict[str, str]]:
    """data/statuses.yaml: ``statuses``, ``periods`` and ``plan-periods``, each id → Vietnamese label."""
    return _read((Path(folder) if folder else data_dir()) / "statuses.yaml")


def _key(text: str) -> str:
    # "Hoàn thành", "hoàn  thành", "sơ-kết" and "sơ kết" are the same word to a reader.
    text = unicodedata.normalize("NFC", text).casefold().replace("-", " ").replace("_", " ")
    return " ".join(text.split())


def statuses() -> dict[str, str]:
    """Every status id → its label, ``no-report`` last."""
    return vocabulary()["statuses"]


def status_label(sid: str) -> str:
    return statuses()[sid]


def period_label(pid: str) -> str:
    return vocabulary()["periods"][pid]


def plan_period_label(kind: str) -> str:
    return vocabulary()["plan-periods"][kind]


def _lookup(table: dict[str, str], value: str) -> str | None:
    key = _key(value)
    return next((i for i, label in table.items() if key in (_key(i), _key(label))), None)


def status_id(value: str, *, report: bool = False) -> str | None:
    """The status id for an id or a label as typed (any case); ``no-report`` only in a report."""
    table = statuses() if report else {k: v for k, v in statuses().items() if k != "no-report"}
    return _lookup(table, value)


def period_id(value: str) -> str | None:
    """The period id for ``so-ket``, ``sơ-kết``, ``Sơ kết`` …"""
    return _lookup(vocabulary()["periods"], value)


# The model accepts statuses and periods by their words too (``status: hoàn thành``): it asks this module.
use_vocabulary(sys.modules[__name__])  # type: ignore[arg-type]  # a module with the Vocabulary functions
