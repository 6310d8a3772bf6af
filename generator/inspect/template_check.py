"""``vanban template check``: lint a user's Word template before it is used.

Finds what makes docxtpl templates fail or render wrong without a word: Jinja tags split across
Word runs, Word's smart quotes inside tags, unbalanced blocks, table-row tags outside a table
row, and variables the document kind does not have (nested fields and loop variables included,
against ``data/template-fields.yaml``). Each issue names where it is: the paragraph's text, or the
table, row and cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SecurityError
from lxml import etree

from generator.io.activecontent import active_content
from generator.io.fsutil import InputError, read_input, reason
from generator.io.refdata import template_fields
from generator.io.safezip import ZipLimitError, read_parts
from generator.lang.i18n import _
from generator.render.engine import MAX_TEMPLATE_BYTES, Sandbox, render_bounded

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TAG = re.compile(r"\{[{%#].*?[}%#]\}", re.S)
_SMART = "“”‘’"
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")


@dataclass(frozen=True)
class TemplateIssue:
    severity: str
    where: str
    message: str

    def __str__(self) -> str:
        from generator.io.loader import severity_word

        return f"{severity_word(self.severity)}: {self.where}: {self.message}"


def fields(kind: str) -> dict[str, Any]:
    """The variables of KIND's templates: nested mapping, leaves are their descriptions."""
    book = template_fields()
    if kind not in book or kind == "common":
        raise KeyError(kind)
    return book[kind]


def describe(tree: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """``(variable, meaning)`` for every field, in order: ``h.issuer``, ``body[].text`` …"""
    out = []
    for key, value in tree.items():
        if key in ("_", "<<"):
            continue
        name = prefix + key
        if isinstance(value, dict):
            out.append((name, value.get("_", "")))
            out += describe(value, name + ".")
        else:
            out.append((name, value))
    return out


def _shape(tree: Any) -> Any:
    """data/template-fields.yaml → shapes: dict (mapping), ("list", item), or "text"."""
    if not isinstance(tree, dict):
        return "text"
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if key in ("_", "<<"):
            continue
        if key.endswith("[]"):
            out[key[:-2]] = ("list", _shape(value))
        else:
            out[key] = _shape(value)
    return out


def _where(para: etree._Element) -> str:
    text = "".join(t.text or "" for t in para.iter(f"{W}t"))
    cell = next((a for a in para.iterancestors(f"{W}tc")), None)
    short = text if len(text) <= 60 else text[:57] + "…"
    if cell is None:
        return f"paragraph “{short}”"
    row = cell.getparent()
    table = row.getparent()
    body_tables = list(table.getroottree().getroot().iter(f"{W}tbl"))
    return (
        f"table {body_tables.index(table) + 1}, row {list(table.iterchildren(f'{W}tr')).index(row) + 1}, "
        f"cell {list(row.iterchildren(f'{W}tc')).index(cell) + 1}: “{short}”"
    )


def _paragraph_issues(root: etree._Element, part: str) -> list[TemplateIssue]:
    issues = []
    for para in root.iter(f"{W}p"):
        runs = [("".join(t.text or "" for t in r.iter(f"{W}t"))) for r in para.iter(f"{W}r")]
        text = "".join(runs)
        if "{" not in text:
            continue
        bounds, pos = set(), 0
        for chunk in runs[:-1]:
            pos += len(chunk)
            bounds.add(pos)
        for m in _TAG.finditer(text):
            tag = m.group(0)
            if any(m.start() < b < m.end() for b in bounds):
                issues.append(
                    TemplateIssue(
                        "warning",
                        _("{part}, {value}", part=part, value=_where(para)),
                        _(
                            "tag {tag} is split across Word runs (formatting changed inside it); retype it in one go",
                            tag=repr(tag),
                        ),
                    )
                )
            if any(q in tag for q in _SMART):
                issues.append(
                    TemplateIssue(
                        "warning",
                        _("{part}, {value}", part=part, value=_where(para)),
                        _(
                            "Word's smart quotes inside {tag}; use straight quotes (turn off AutoFormat “smart quotes”)",
                            tag=repr(tag),
                        ),
                    )
                )
            for kind, ancestor in (("{%tr", "tr"), ("{%tc", "tc")):
                if tag.startswith(kind) and next(para.iterancestors(f"{W}{ancestor}"), None) is None:
                    issues.append(
                        TemplateIssue(
                            "error",
                            _("{part}, {value}", part=part, value=_where(para)),
                            _(
                                "{value} tag {tag} is not inside a table {value2}",
                                value=kind[2:],
                                tag=repr(tag),
                                value2="row" if ancestor == "tr" else "cell",
                            ),
                        )
                    )
        opened = text.count("{{") + text.count("{%")
        closed = text.count("}}") + text.count("%}")
        if opened != closed:
            issues.append(
                TemplateIssue(
                    "error",
                    _("{part}, {value}", part=part, value=_where(para)),
                    _("a tag is opened and not closed (or the reverse)"),
                )
            )
    return issues


class _Names:
    """Walks a template's syntax tree, resolving each variable against the kind's fields."""

    def __init__(self, shape: dict, part: str, lines: list[str]):
        self.shape = shape
        self.part = part
        self.lines = lines
        self.issues: list[TemplateIssue] = []

    def where(self, lineno: int) -> str:
        line = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""
        text = re.sub(r"<[^>]+>", "", line).strip()
        return _("{name}, paragraph “{value}”", name=self.part, value=text[:60])

    def resolve(self, node: nodes.Node, scope: dict) -> Any:
        """The shape of an expression, None when it cannot be known (filters, calls …)."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.shape:
                return self.shape[node.name]
            if node.name in ("range", "loop", "true", "false", "none"):
                return None
            self.issues.append(
                TemplateIssue("error", self.where(node.lineno), _("unknown variable {name}", name=repr(node.name)))
            )
            return None
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base = self.resolve(node.node, scope)
            attr = (
                node.attr if isinstance(node, nodes.Getattr) else (node.arg.value if isinstance(node.arg, nodes.Const) else None)
            )
            if isinstance(base, dict) and isinstance(attr, str):
                if attr in base:
                    return base[attr]
                self.issues.append(
                    TemplateIssue(
                        "error",
                        self.where(node.lineno),
                        _("unknown field {attr} (known: {value})", attr=repr(attr), value=", ".join(base)),
                    )
                )
            return None
        return None

    def walk(self, node: nodes.Node, scope: dict) -> None:
        if isinstance(node, nodes.For):
            self.walk(node.iter, scope)
            it = self.resolve(node.iter, scope)
            inner = dict(scope, loop=None)
            item = it[1] if isinstance(it, tuple) and it[0] == "list" else None
            for target in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]:
                inner[target.name] = item
            for child in node.body + node.else_:
                self.walk(child, inner)
            if node.test is not None:
                self.walk(node.test, inner)
            return
        if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)) and getattr(node, "ctx", "load") == "load":
            self.resolve(node, scope)
            if isinstance(node, nodes.Getitem):
                self.walk(node.arg, scope)
            return
        if isinstance(node, nodes.Assign):
            self.walk(node.node, scope)
            for target in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]:
                scope[target.name] = None
            return
        for child in node.iter_child_nodes():
            self.walk(child, scope)


def _sample(shape: Any) -> Any:
    """Stand-in data of the kind's shape (two items per list) for a trial render."""
    if isinstance(shape, dict):
        return {k: _sample(v) for k, v in shape.items()}
    if isinstance(shape, tuple):
        return [_sample(shape[1]) for _i in range(2)]
    return "Văn bản mẫu"


def _template_line(exc: BaseException) -> int:
    """The template line a runtime error was raised at (Jinja rewrites the traceback to show it)."""
    line, tb = 0, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _trial(env: Sandbox, source: str, sample: dict, walker: _Names) -> list[TemplateIssue]:
    """Compile and render the part with stand-in data under the render's bounds: what would loop,
    grow or recurse past them (whatever the data) is reported now rather than on the server."""
    try:
        template = env.from_string(source)
    except TemplateSyntaxError as exc:
        return [TemplateIssue("error", walker.where(exc.lineno or 0), _("template syntax: {message}", message=exc.message))]
    except (RecursionError, ValueError, MemoryError) as exc:
        return [TemplateIssue("error", walker.part, _("template syntax: {message}", message=type(exc).__name__))]
    try:
        render_bounded(template, sample)
    except SecurityError as exc:
        return [TemplateIssue("error", walker.where(_template_line(exc)), _("refused when rendered: {exc}", exc=exc))]
    except RecursionError:
        return [TemplateIssue("error", walker.part, _("refused when rendered: the template nests too deeply"))]
    except Exception:  # noqa: BLE001 - stand-in data may not suit the template; only the bounds are judged here
        pass
    return []


def check_template(path: str | Path, kind: str) -> list[TemplateIssue]:
    path = Path(path)
    try:
        shape = _shape(fields(kind))
    except KeyError:
        return [TemplateIssue("error", str(path), _("unknown document kind {kind}", kind=repr(kind)))]
    try:
        with zipfile.ZipFile(io.BytesIO(read_input(path, MAX_TEMPLATE_BYTES))) as zf:
            parts = read_parts(zf, str(path), max_part=MAX_TEMPLATE_BYTES, max_total=5 * MAX_TEMPLATE_BYTES)
    except InputError as exc:
        return [TemplateIssue("error", str(path), str(exc))]
    except ZipLimitError as exc:
        return [TemplateIssue("error", str(path), str(exc).removeprefix(f"{path}: "))]
    except zipfile.BadZipFile:
        return [TemplateIssue("error", str(path), _("not a readable DOCX file: not a zip archive, or a damaged one"))]
    except OSError as exc:
        return [TemplateIssue("error", str(path), _("not a readable DOCX file ({exc})", exc=reason(exc)))]
    issues: list[TemplateIssue] = []
    tpl = DocxTemplate(None)
    env = Sandbox()
    sample = _sample(shape)
    names = list(parts)
    if "word/document.xml" not in names:
        return [TemplateIssue("error", str(path), _("not a Word document (no word/document.xml)"))]
    issues += [TemplateIssue("error", name, message) for name, message in active_content(parts)]
    for name in names:
        data = parts[name]
        if name.endswith((".xml", ".rels")) and (b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data):
            issues.append(TemplateIssue("error", name, _("contains a DOCTYPE/ENTITY declaration; refused")))
            continue
        if not _PARTS.match(name):
            continue
        try:
            root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as exc:
            issues.append(TemplateIssue("error", name, _("not well-formed XML ({exc})", exc=exc)))
            continue
        issues += _paragraph_issues(root, name)
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(data.decode("utf-8")))
        # A row or cell tag docxtpl could not place is reported above; parse the rest anyway.
        source = re.sub(r"\{%(?:tr|tc|p|r) ", "{% ", source)
        lines = source.split("\n")
        try:
            ast = env.parse(source)
        except TemplateSyntaxError as exc:
            line = lines[exc.lineno - 1] if exc.lineno and exc.lineno <= len(lines) else ""
            text = re.sub(r"<[^>]+>", "", line).strip()
            issues.append(
                TemplateIssue(
                    "error",
                    _("{name}, paragraph “{value}”", name=name, value=text[:60]),
                    _("template syntax: {message}", message=exc.message),
                )
            )
            continue
        walker = _Names(shape, name, lines)
        walker.walk(ast, {})
        issues += walker.issues
        issues += _trial(env, source, sample, walker)
    seen, unique = set(), []
    for issue in issues:
        if (issue.where, issue.message) not in seen:
            seen.add((issue.where, issue.message))
            unique.append(issue)
    return unique
