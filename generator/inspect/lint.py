"""``vanban lint``: the text rules of :mod:`generator.lang.textcheck` on a YAML file, located at
file:line:column and field; ``--fix`` repairs the safe ones inside the text values only, keeping
the file's comments, quoting and layout.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml

from generator.io.fsutil import InputError, OutputError, read_input, write_atomic
from generator.io.loader import MAX_FILE_BYTES, Located, too_deep
from generator.io.refdata import RefData
from generator.lang import textcheck
from generator.lang.i18n import _


class LintError(Exception):
    """The file cannot be linted (unreadable, not YAML)."""


def _scalars(node: yaml.Node, path: tuple = ()):
    """Every text scalar with its field path; aliases are visited once."""
    seen: set[int] = set()
    stack = [(node, path)]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.append((value, path + (key.value,)))
        elif isinstance(node, yaml.SequenceNode):
            for i, value in reversed(list(enumerate(node.value))):
                stack.append((value, path + (i,)))
        elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            yield node, path


def _profile_of(root: yaml.Node) -> str:
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "profile" and isinstance(value, yaml.ScalarNode):
                return value.value
    return "hd36-2018"


def lint_text(text: str, name: str, ref: RefData) -> list[Located]:
    deep = too_deep(text, name)
    if deep is not None:
        raise LintError(str(deep))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        from generator.io.loader import yaml_problem

        mark = getattr(exc, "problem_mark", None)
        line: int | str  # "?" when YAML gives no position
        if isinstance(exc, yaml.reader.ReaderError):
            what = _(
                "the file contains the character U+{code:04X}, which YAML does not allow",
                code=exc.character if isinstance(exc.character, int) else ord(exc.character),
            )
            line = text[: exc.position].count("\n") + 1
        else:
            what, line = yaml_problem(getattr(exc, "problem", None) or str(exc)), mark.line + 1 if mark else "?"
        raise LintError(_("{name}:{value}: malformed YAML: {value2}", name=name, value=line, value2=what)) from None
    if root is None:
        return []
    profile = ref.profiles.get(_profile_of(root)) or ref.profile("hd36-2018")
    out = []
    for node, path in _scalars(root):
        for f in textcheck.check_text(node.value):
            rule = profile.rules.get(f.rule)
            if rule is None or rule.severity == "off":
                continue
            m = node.start_mark
            dotted = ".".join(str(p) for p in path)
            out.append(
                Located(
                    name, m.line + 1, m.column + 1, dotted, _("{message} [{rule}]", message=f.message, rule=f.rule), rule.severity
                )
            )
    return sorted(out, key=lambda p: (p.line, p.column))


def lint_file(path: Path, ref: RefData, *, fix: bool = False) -> tuple[list[Located], list[str]]:
    """Findings (after fixing, with ``fix``) and the list of changes made."""
    name = str(path)
    try:
        text = read_input(path, MAX_FILE_BYTES).decode("utf-8")
    except InputError as exc:
        raise LintError(_("{name}: {value}", name=name, value=exc)) from None
    except UnicodeDecodeError as exc:  # the codec's own words would say less than the line does
        line = exc.object[: exc.start].count(b"\n") + 1
        raise LintError(
            _("{name}:{line}: {value}", name=name, line=line, value=_("file is not UTF-8 text; save it as UTF-8"))
        ) from None
    except OSError as exc:
        raise LintError(_("{name}: cannot be read as UTF-8 text ({exc})", name=name, exc=exc)) from None
    changes: list[str] = []
    if fix and too_deep(text, name) is None:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            root = None
        if root is not None:
            edits = []
            for node, path_ in _scalars(root):
                start, end = node.start_mark.index, node.end_mark.index
                region = text[start:end]
                fixed, what = textcheck.fix(region)
                if fixed != region:
                    edits.append((start, end, fixed))
                    where = f"{node.start_mark.line + 1}:{node.start_mark.column + 1} {'.'.join(str(p) for p in path_)}"
                    changes += [f"{where}: {w}" for w in what]
            for start, end, fixed in sorted(edits, reverse=True):
                text = text[:start] + fixed + text[end:]
            nfc = unicodedata.normalize("NFC", text)
            if nfc != text:
                text = nfc
                if not any("NFC" in c for c in changes):
                    changes.append(_("normalised to NFC"))
            if edits or changes:
                try:
                    write_atomic(path, text.encode("utf-8"), force=True)
                except OutputError as exc:
                    raise LintError(str(exc)) from None
    return lint_text(text, name, ref), changes
