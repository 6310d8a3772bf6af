"""Load stage: a YAML file → a checked :class:`~generator.model.Plan`.

Every problem is located at ``file:line:column`` and named by its field path, and all of them
are reported at once. Text is normalised to NFC and Đ look-alikes are corrected with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.io.fsutil import InputError, read_input
from generator.io.refdata import RefData
from generator.io.refdata import load as load_refdata
from generator.lang import vn
from generator.lang.i18n import _
from generator.model.document import MODELS, PLACEHOLDER, Plan, Problem, Progress, check

#: A YAML file larger than this is refused before parsing (a plan is a few dozen kB).
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Values built from the node graph; bounds alias expansion ("billion laughs").
MAX_NODES = 200_000
#: Characters in one text value (the longest task of the seed has about 900).
MAX_TEXT = 20_000
#: Levels of nesting in the YAML (a plan needs about 10).
MAX_DEPTH = 40


@dataclass(frozen=True)
class Located:
    """A problem with its place in the source file."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        field_part = f" {self.path}:" if self.path else ""
        return f"{where}: {severity_word(self.severity)}:{field_part} {self.message}"


def severity_word(severity: str) -> str:
    """ "error", "warning", "todo" in the user's language."""
    return {"error": _("error"), "warning": _("warning"), "todo": _("todo")}.get(severity, severity)


class LoadError(Exception):
    """Raised with every problem found; ``problems`` holds them in file order."""

    def __init__(self, problems: list[Located]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Loaded:
    plan: Plan
    warnings: list[Located] = field(default_factory=list)
    #: Places still to be completed (``[[…]]``): the plan renders only as a draft while any remain.
    todos: list[Located] = field(default_factory=list)


# ----------------------------------------------------------------------------- YAML → values


class _Marks:
    """Source positions of every value and every mapping key, by field path."""

    def __init__(self) -> None:
        self.values: dict[tuple, yaml.Mark] = {}
        self.keys: dict[tuple, yaml.Mark] = {}


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.marks = _Marks()
        self.problems: list[Located] = []
        self.warnings: list[Located] = []
        self.todos: list[Located] = []
        self.nodes = 0
        self._scalar_loader = yaml.SafeLoader("")

    def _at(self, mark: yaml.Mark, path: tuple, message: str, severity: str = "error") -> Located:
        return Located(self.file, mark.line + 1, mark.column + 1, _dotted(path), message, severity)

    def build(self, node: yaml.Node, path: tuple = ()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooBig(
                self._at(
                    node.start_mark,
                    path,
                    _("the document expands to more than {value} values (aliases used recursively?)", value=MAX_NODES),
                )
            )
        self.marks.values[path] = node.start_mark
        if len(path) > MAX_DEPTH:
            raise _TooBig(self._at(node.start_mark, path, _("nested more than {value} levels deep", value=MAX_DEPTH)))
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(
                        self._at(key_node.start_mark, path, _("YAML merge keys ('<<') are not supported; write the fields out"))
                    )
                    continue
                key = self.build(key_node, path + ("<key>",))
                if not isinstance(key, (str, int)):
                    self.problems.append(
                        self._at(key_node.start_mark, path, _("a field name must be text, got {value}", value=_kind(key)))
                    )
                    continue
                key = str(key)
                if key in out:
                    first = self.marks.keys[path + (key,)]
                    self.problems.append(
                        self._at(
                            key_node.start_mark,
                            path + (key,),
                            _("field {key} is given twice (first at line {value})", key=repr(key), value=first.line + 1),
                        )
                    )
                    continue
                self.marks.keys[path + (key,)] = key_node.start_mark
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:str":  # most values: no constructor needed
            return self._text(node.value, node, path)
        if node.tag not in _PLAIN_TAGS:
            # !!binary gives bytes, which the model takes for text: they would skip every text check.
            self.problems.append(
                self._at(
                    node.start_mark,
                    path,
                    _("the YAML tag {tag} is not allowed; write the value as plain text or a number", tag=_short_tag(node.tag)),
                )
            )
            return node.value
        try:
            value = self._scalar_loader.construct_object(node)
        except (ValueError, yaml.YAMLError):
            # e.g. 2026-02-30 looks like a timestamp but is none; the model says what is wrong.
            value = node.value
        if isinstance(value, float):
            # The model has no fractional numbers: "1.10" is a task id, not the number 1.1.
            return node.value
        if isinstance(value, str):
            value = self._text(value, node, path)
        return value

    def _text(self, value: str, node: yaml.Node, path: tuple) -> str:
        if len(value) > MAX_TEXT:
            self.problems.append(
                self._at(
                    node.start_mark,
                    path,
                    _("text of {value:,} characters; the limit is {value2:,}", value=len(value), value2=MAX_TEXT),
                )
            )
            return value[:MAX_TEXT]
        bad = vn.control_characters(value)
        if bad:
            codes = ", ".join(f"U+{ord(c):04X}" for c in bad)
            self.problems.append(
                self._at(
                    node.start_mark, path, _("text contains control characters that cannot be printed ({codes})", codes=codes)
                )
            )
        value, fixes = vn.normalize(value)
        for fix in fixes:
            self.warnings.append(self._at(node.start_mark, path, fix.describe(), "warning"))
        for m in PLACEHOLDER.finditer(value):
            self.todos.append(self._at(node.start_mark, path, _("still to be completed: {value}", value=m.group(0)), "todo"))
        return value


#: Scalar tags a document may hold (plain or explicit): text, numbers, true/false, nothing, dates.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


class _TooBig(Exception):
    def __init__(self, problem: Located):
        self.problem = problem


def _kind(value: Any) -> str:
    return {
        dict: _("a mapping"),
        list: _("a list"),
        str: _("text"),
        int: _("a number"),
        bool: _("true/false"),
        type(None): _("nothing"),
    }.get(type(value), type(value).__name__)


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path if p != "<key>")


# ----------------------------------------------------------------------------- pydantic → messages


def _expected(kind: str) -> str | None:
    return {
        "string_type": _("expected text"),
        "int_type": _("expected a whole number"),
        "int_parsing": _("expected a whole number"),
        "bool_type": _("expected true or false"),
        "bool_parsing": _("expected true or false"),
        "list_type": _("expected a list"),
        "dict_type": _("expected a mapping of fields"),
        "model_type": _("expected a mapping of fields"),
        "model_attributes_type": _("expected a mapping of fields"),
        "date_type": _("expected a date as YYYY-MM-DD"),
        "date_from_datetime_parsing": _("expected a date as YYYY-MM-DD"),
        "date_parsing": _("expected a date as YYYY-MM-DD"),
        "missing": _("required field is missing"),
        "time_type": _("expected a time as HH:MM"),
        "time_parsing": _("expected a time as HH:MM"),
        "datetime_type": _("expected a date as YYYY-MM-DD, or a date and a time"),
        "datetime_parsing": _("expected a date as YYYY-MM-DD, or a date and a time"),
        "datetime_from_date_parsing": _("expected a date as YYYY-MM-DD, or a date and a time"),
        "float_type": _("expected a number"),
        "float_parsing": _("expected a number"),
    }.get(kind)


def _message(err: ErrorDetails, known_fields: list[str] | None) -> str:
    kind = err["type"]
    got = err.get("input")
    if kind == "extra_forbidden":
        if known_fields:
            return _("unknown field; expected one of: {fields}", fields=", ".join(known_fields))
        return _("unknown field")
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "too_short":
        return _("needs at least {n} item(s)", n=err["ctx"]["min_length"])
    if kind == "literal_error":
        word_or = _(" or ")
        return _("expected one of: {choices}, got {got}", choices=err["ctx"]["expected"].replace(" or ", word_or), got=repr(got))
    if kind == "greater_than_equal":
        return _("must be ≥ {limit}, got {got}", limit=err["ctx"]["ge"], got=repr(got))
    if kind == "less_than_equal":
        shown = repr(got)
        return _("must be ≤ {limit:,}, got {got}", limit=err["ctx"]["le"], got=shown if len(shown) <= 40 else shown[:20] + "…")
    if kind == "greater_than":
        return _("must be > {limit}, got {got}", limit=err["ctx"]["gt"], got=repr(got))
    if kind == "value_error":
        return str(err["ctx"]["error"])
    expected = _expected(kind)
    if expected:
        if kind == "missing":
            return expected
        shown = f" {got!r}" if isinstance(got, (str, int)) and not isinstance(got, bool) else ""
        return _("{expected}, got {kind}{shown}", expected=expected, kind=_kind(got), shown=shown)
    # A check of pydantic's that has no words of ours yet: say what was refused, not pydantic's English.
    shown = repr(got)
    return _("this value is not accepted here: {got}", got=shown if len(shown) <= 60 else shown[:40] + "…")


def _model_fields_at(loc: tuple, root: Any) -> list[str] | None:
    """Field names of the model that owns the key at *loc*, for 'expected one of' hints."""
    from pydantic import BaseModel

    current: Any = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _clean_loc(loc: tuple) -> tuple:
    # Drop the union/validator branch names pydantic inserts ("str", "Recipient", "function-before[…]").
    out = []
    for part in loc:
        if isinstance(part, str) and (
            part[:1].isupper() or "[" in part or part.startswith("constrained-") or part in ("str", "bool", "int", "list", "dict")
        ):
            continue
        out.append(part)
    return tuple(out)


# ----------------------------------------------------------------------------- entry points


def read_yaml(path: Path, display: str | None = None) -> tuple[Any, _Builder]:
    """Parse *path* into plain values plus the marks that locate them; raises :class:`LoadError`."""
    name = display or str(path)
    try:
        if path.is_dir():
            raise LoadError([Located(name, None, None, "", _("is a folder, not a YAML file"))])
        raw = read_input(path, MAX_FILE_BYTES)
    except InputError as exc:
        raise LoadError([Located(name, None, None, "", str(exc))]) from None
    except FileNotFoundError:
        raise LoadError([Located(name, None, None, "", _("file not found"))]) from None
    except PermissionError:
        raise LoadError([Located(name, None, None, "", _("file cannot be read (permission denied)"))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError([Located(name, line, None, "", _("file is not UTF-8 text; save it as UTF-8"))]) from None
    deep = too_deep(text, name)
    if deep is not None:
        raise LoadError([deep])
    builder = _Builder(name)
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: same marks, faster
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = yaml_problem(exc.problem or exc.context or "")
        raise LoadError(
            [
                Located(
                    name,
                    mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None,
                    "",
                    _("malformed YAML: {what}", what=what),
                )
            ]
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise LoadError(
            [
                Located(
                    name,
                    line,
                    column,
                    "",
                    _(
                        "the file contains the character U+{code:04X}, which YAML does not allow",
                        code=exc.character if isinstance(exc.character, int) else ord(exc.character),
                    ),
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError([Located(name, None, None, "", _("malformed YAML: {exc}", exc=exc))]) from None
    if node is None:
        raise LoadError([Located(name, 1, 1, "", _("the file is empty"))])
    try:
        value = builder.build(node)
    except _TooBig as exc:
        raise LoadError([exc.problem]) from None
    except RecursionError:
        raise LoadError([Located(name, None, None, "", _("the document is nested too deeply"))]) from None
    return value, builder


_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def too_deep(text: str, name: str) -> Located | None:
    """The place where *text* nests deeper than MAX_DEPTH, found before parsing, else None.

    The parsers recurse once per level: 50,000 '[' crash libyaml's composer (SIGSEGV) and exhaust
    Python's stack in the pure-Python one. Their scanners loop instead, so counting the opening and
    closing tokens is safe at any depth and stops at the first level too many. Scanner errors are
    left for the parser to report in its own words.
    """
    depth = 0
    try:
        for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(token, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = token.start_mark
                    return Located(
                        name, mark.line + 1, mark.column + 1, "", _("nested more than {value} levels deep", value=MAX_DEPTH)
                    )
            elif isinstance(token, _CLOSE):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml stops at its own limit (1,000 levels) while looking ahead, before any token is seen.
        if "maximum nesting depth" in (exc.problem or "") and exc.problem_mark is not None:
            mark = exc.problem_mark
            return Located(name, mark.line + 1, mark.column + 1, "", _("nested more than {value} levels deep", value=MAX_DEPTH))
        return None
    except yaml.YAMLError:
        return None
    return None


#: The YAML parser's problem texts (libyaml's; PyYAML's variants matched to them) are msgids:
#: the catalog explains each in Vietnamese, English users read the parser's own words.
YAML_PROBLEMS: dict[str, str] = {
    "mapping values are not allowed in this context": r"mapping values are not allowed (here|in this context)",
    "did not find expected key": r"expected <block end>, but found '(<block mapping start>|:|<scalar>|-)'",
    "did not find expected '-' indicator": r"expected <block end>, but found '\?'",
    "block sequence entries are not allowed in this context": r"(block )?sequence entries are not allowed (here|in this context)",
    "found character that cannot start any token": r"found character .* that cannot start any token",
    "found a tab character that violates indentation": r"found a tab character that violates indentation",
    "found a tab character where an indentation space is expected": r"found a tab character where an indentation space is expected",
    "did not find expected ',' or ']'": r"expected ',' or '\]', but got .*",
    "did not find expected ',' or '}'": r"expected ',' or '\}', but got .*",
    "could not find expected ':'": r"could not find expected ':'",
    "did not find expected node content": r"expected the node content, but found .*",
    "did not find expected comment or line break": r"expected a comment or a line break, but found .*",
    "did not find expected alphabetic or numeric character": r"expected alphabetic or numeric character, but found .*",
    "found undefined alias": r"found undefined alias.*",
    "second occurrence": r"second occurrence",
    "found unknown escape character": r"found unknown escape character.*",
    "found unexpected end of stream": r"found unexpected end of stream",
    "found unknown directive name": r"found unknown directive name",
    "found undefined tag handle": r"found undefined tag handle.*",
    "found an indentation indicator equal to 0": r"expected indentation indicator in the range 1-9, but found 0|found an indentation indicator equal to 0",
    "but found another document": r"but found another document",
}


def yaml_problem(problem: str) -> str:
    """The parser's *problem* explained in the user's language."""
    from generator.lang.i18n import gettext, language

    for msgid, pattern in YAML_PROBLEMS.items():
        if problem == msgid or re.fullmatch(pattern, problem):
            explained = gettext(msgid)
            return problem if explained == msgid else explained
    # A problem this table does not know: its English words would be all a Vietnamese user reads.
    return problem if language() == "en" else _("the YAML here cannot be read; check the indentation and the quotes")


def _validate(builder: _Builder, value: Any, model: type[BaseModel], problems: list[Located]) -> Any:
    """``model`` validated from *value*, or None with every problem added (located)."""
    if not isinstance(value, dict):
        problems.append(
            Located(builder.file, 1, 1, "", _("expected a mapping of fields at the top, got {value}", value=_kind(value)))
        )
        return None
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        problems.extend(_validation_problems(builder, exc, model))
        return None


def _validation_problems(
    builder: _Builder, exc: ValidationError, model: type[BaseModel] | None, prefix: tuple = ()
) -> list[Located]:
    out, seen, branches = [], set(), set()
    for err in exc.errors():
        raw = tuple(err["loc"])
        loc = _clean_loc(raw)
        if loc != raw and not any(isinstance(p, int) for p in raw[len(loc) :]):
            # A union's branches (a path *or* a mapping) each refuse the value: one message for the field is enough.
            if loc in branches:
                continue
            branches.add(loc)
        msg = _message(err, _model_fields_at(loc, model) if err["type"] == "extra_forbidden" else None)
        if (loc, msg) not in seen:
            seen.add((loc, msg))
            out.append(_locate(builder, prefix + loc, msg, err["type"]))
    return out


def locate_in(
    path: Path, exc: ValidationError | None = None, model: type[BaseModel] | None = None, *, at: tuple = (), message: str = ""
) -> LoadError:
    """A located error in a file read otherwise (reference data): the problems of a failed
    validation of the mapping at field path *at*, or *message* at *at*. The file is read again for
    its marks, so a file that does not parse reports that instead."""
    _value, builder = read_yaml(path)
    if exc is not None:
        return LoadError(sorted(_validation_problems(builder, exc, model, at), key=_order))
    return LoadError([_locate(builder, at, message, None)])


def _finish(builder: _Builder, problems: list[Located], doc: Any) -> tuple[Any, list[Located]]:
    """Raise with all errors (then warnings) in file order, or return the document and its warnings."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = builder.warnings + [p for p in problems if p.severity != "error"]
    if errors or doc is None:
        raise LoadError(sorted(errors, key=_order) + sorted(warnings, key=_order))
    return doc, sorted(warnings, key=_order)


#: Checks a caller adds to loading: (document, its path, reference data) → problems located by field path.
#: The loader stays a reader: checks that need another stage (a derived plan against its parent, progress
#: against its plan) are given by the caller (see generator.services).
Checks = Callable[[Any, Path, RefData], list[Problem]]


def load_plan(
    path: str | Path, ref: RefData | None = None, display: str | None = None, *, checks: Checks | None = None
) -> Loaded:
    """Read, validate and check a document of any kind (its model chosen by the shape of its ``type``).

    Raises :class:`LoadError` listing every problem, those of *checks* included, each at its place in the file.
    """
    path = Path(path)
    ref = ref or load_refdata()
    value, builder = read_yaml(path, display)
    problems = list(builder.problems)
    type_id = value.get("type", "ke-hoach") if isinstance(value, dict) else None
    doc_type = ref.types.get(type_id) if isinstance(type_id, str) else None
    model = MODELS.get(doc_type.shape, Plan) if doc_type else Plan  # an unknown type is reported by check()
    plan = _validate(builder, value, model, problems)
    if plan is None and isinstance(type_id, str) and doc_type is None:
        # Said with the other problems, not once they are fixed: the type decides which fields are expected.
        known = ", ".join(sorted(ref.types))
        problems.append(
            _locate(
                builder,
                ("type",),
                _("unknown document type {type}; expected one of: {value}", type=repr(type_id), value=known),
                None,
            )
        )
    if plan is not None:
        found = check(plan, ref) + (checks(plan, path, ref) if checks else [])
        for prob in found:
            problems.append(_locate(builder, prob.path, prob.message, None, prob.severity))
    plan, warnings = _finish(builder, problems, plan)
    return Loaded(plan, warnings, builder.todos)


def locate(path: str | Path, problems: list[tuple[tuple, str]]) -> list[Located]:
    """Problems found in an already loaded file, placed at their fields' lines in it."""
    _value, builder = read_yaml(Path(path))
    return [_locate(builder, field_path, message, None) for field_path, message in problems]


def load_progress(
    path: str | Path, ref: RefData | None = None, *, checks: Checks | None = None
) -> tuple[Progress, list[Located]]:
    """Read one unit's progress report (YAML); *checks* compare it with the plan it reports on."""
    path = Path(path)
    ref = ref or load_refdata()
    value, builder = read_yaml(path)
    problems = list(builder.problems)
    progress = _validate(builder, value, Progress, problems)
    if progress is not None and checks:
        for prob in checks(progress, path, ref):
            problems.append(_locate(builder, prob.path, prob.message, None, prob.severity))
    return _finish(builder, problems, progress)


def _locate(builder: _Builder, loc: tuple, message: str, kind: str | None, severity: str = "error") -> Located:
    marks = builder.marks
    mark = None
    if kind == "extra_forbidden":
        mark = marks.keys.get(loc)
    if mark is None and kind != "missing":
        mark = marks.values.get(loc)
    probe = loc
    while mark is None and probe:
        # Missing field: point at the mapping that should hold it.
        probe = probe[:-1]
        mark = marks.values.get(probe)
    if mark is None:
        return Located(builder.file, None, None, _dotted(loc), message, severity)
    return Located(builder.file, mark.line + 1, mark.column + 1, _dotted(loc), message, severity)


def _order(p: Located) -> tuple:
    return (p.line or 0, p.column or 0, p.path)


# ----------------------------------------------------------------------------- progress folders

#: Spreadsheets a unit may send that cannot be read: refused with "save it as .xlsx", never skipped.
OTHER_SPREADSHEETS = (".xls", ".ods", ".xlsb", ".numbers")
#: What a progress folder may hold; any other file there is named in a warning.
PROGRESS_SUFFIXES = (".yaml", ".yml", ".xlsx", *OTHER_SPREADSHEETS)
