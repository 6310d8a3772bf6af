"""Render stage: a :class:`~generator.model.Plan` → DOCX bytes through a docxtpl template.

Two steps, like a Pandoc writer:

1. :func:`context` turns the model into the strings the page shows (numbers, dates, upper case,
   line endings) using :mod:`generator.lang.vn` and the rule profile's layout. Templates only place them.
2. :class:`CompiledTemplate` renders that context. It uses docxtpl's own tag pre-processing
   (``patch_xml``) and post-processing (``resolve_listing``), so a template behaves exactly as
   under ``DocxTemplate.render(context, autoescape=True)``, but it parses and compiles the template
   once and then writes each document straight into a zip. docxtpl's usual path re-reads the
   template, recompiles the Jinja source and re-serialises every part through python-docx for each
   document (≈55 ms); this one costs a few milliseconds (benchmarks/render.py).

Output is deterministic: same input and template → byte-identical file (fixed part order, zip
timestamps and core properties from the document's own date).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import io
import logging
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, Undefined, nodes, pass_context
from jinja2.filters import FILTERS as DEFAULT_FILTERS
from jinja2.runtime import Macro, markup_join
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer
from lxml import etree

from generator.io.activecontent import active_content, active_fields, field_name
from generator.io.fsutil import InputError, read_input, reason
from generator.io.refdata import DocType, Layout, Profile
from generator.io.safezip import ZipLimitError, read_parts
from generator.lang import vn
from generator.lang.i18n import _
from generator.model.document import Document, PartialDate
from generator.render.context import CHART_MARK, AppendixView, KindView, context
from generator.render.ooxml import (
    SAFE_PARSER as _SAFE_PARSER,
)
from generator.render.ooxml import (
    apply_layout_document,
    apply_layout_styles,
    apply_pagination,
    fit_date_line,
    keep_last_paragraph,
    mark_date_table,
    unbreakable_hyphens,
)
from generator.render.tables import place_tables


class RenderError(Exception):
    """The template could not be rendered with this data (names the template and the cause)."""


# --------------------------------------------------------------------------- the chart picture

_CHART_RID = "rIdVanbanChart1"
_PIC_NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)


def _chart_run(width_emu: int, height_emu: int) -> str:
    """An inline picture run showing the chart part (DrawingML, as Word writes it)."""
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{width_emu}" cy="{height_emu}"/>'
        f'<wp:docPr id="4001" name="Biểu đồ tình hình thực hiện"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks {_PIC_NS} noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic {_PIC_NS}><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="chart.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{_CHART_RID}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width_emu}" cy="{height_emu}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        f"</wp:inline></w:drawing></w:r>"
    )


# --------------------------------------------------------------------------- the sandbox

#: Loop iterations and macro calls one render may make, over all loops (the seed plan needs about 300).
MAX_LOOP_ITEMS = 2_000_000
#: Characters one rendered part may have (a 2,000-task appendix is about 10 MB of XML).
MAX_OUTPUT_CHARS = 40_000_000
#: Size (characters, or items for a list) of any one text or list a template makes: checked before it is made.
MAX_VALUE_SIZE = 1_000_000
#: Bits of any whole number a template computes (page arithmetic needs a handful).
MAX_INT_BITS = 64
#: Nesting depth of macro calls.
MAX_CALL_DEPTH = 20
#: Wall-clock seconds one document's render may take, all parts together (the seed plan takes milliseconds).
MAX_RENDER_SECONDS = 20.0
#: Bytes of a template part or of a whole template file.
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024

_clock = time.monotonic


class LimitError(SecurityError):
    """The template went past one of the render's bounds."""


@dataclass
class _Limits:
    steps: int
    deadline: float
    depth: int = 0


_budget: contextvars.ContextVar[_Limits] = contextvars.ContextVar("vanban_render_limits")


@contextlib.contextmanager
def bounded() -> Iterator[_Limits]:
    """The bounds of one render: templates run inside it share its loop budget and its clock."""
    current = _budget.get(None)
    if current is not None:
        yield current
        return
    token = _budget.set(_Limits(MAX_LOOP_ITEMS, _clock() + MAX_RENDER_SECONDS))
    try:
        yield _budget.get()
    finally:
        _budget.reset(token)


def _tick() -> None:
    limits = _budget.get(None)
    if limits is not None and _clock() > limits.deadline:
        raise LimitError(_("the template runs longer than {n:g} seconds; stopped", n=MAX_RENDER_SECONDS))


def _spend(n: int) -> None:
    limits = _budget.get(None)
    if limits is None:
        return
    limits.steps -= n
    if limits.steps < 0:
        raise LimitError(_("the template loops or calls macros more than {n:,} times; stopped", n=MAX_LOOP_ITEMS))
    _tick()


def _size(value: Any, limit: int = MAX_VALUE_SIZE) -> int:
    """How big *value* is once printed (characters; a list counts its items and theirs), stopping
    past *limit*: a list repeated inside a list is cheap to hold and huge to print."""
    total, stack = 0, [value]
    while stack and total <= limit:
        v = stack.pop()
        if isinstance(v, str):
            total += len(v)
        elif isinstance(v, bool) or v is None:
            total += 5
        elif isinstance(v, int):
            total += v.bit_length() // 3 + 1
        elif isinstance(v, dict):
            total += 2 + 4 * len(v)
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(v)
            stack.extend(v)
        else:
            total += 24
    return total


def _too_large() -> LimitError:
    return LimitError(
        _("the template makes a text or list too large (over {n:,} characters or items); stopped", n=MAX_VALUE_SIZE)
    )


def _check_size(*values: Any) -> None:
    if sum(_size(v) for v in values) > MAX_VALUE_SIZE:
        raise _too_large()


def _check_int(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise LimitError(_("the template computes a number larger than {n} bits; stopped", n=MAX_INT_BITS))
    return value


def _bounded_range(*args):
    for a in args:
        _check_int(a)
    r = range(*args)
    _spend(len(r))
    return r


@pass_context
def _iterate(_context, iterable):
    """Every ``{% for %}`` runs through this: each item spends one step of the loop budget."""
    for item in iterable:
        _spend(1)
        yield item


def _concat(*parts):
    """``~`` with the result's size checked before it is built."""
    _tick()
    _check_size(parts)
    return markup_join(parts)


def _list_of(value: Any) -> list:
    """A generator (map, select …) made a list, each item a step: its size can then be checked."""
    if isinstance(value, (str, dict, Undefined)) or not hasattr(value, "__iter__"):
        return value
    items = []
    for item in value:
        _spend(1)
        items.append(item)
    return items


def _join_check(args, kwargs) -> tuple:
    value = _list_of(args[0])
    sep = args[1] if len(args) > 1 else kwargs.get("d", "")
    if isinstance(value, list) and _size(value) + _size(sep) * max(len(value) - 1, 0) > MAX_VALUE_SIZE:
        raise _too_large()
    return (value, *args[1:])


def _replace_check(args, kwargs) -> tuple:
    s, old, new = (str(a) for a in args[:3])
    count = args[3] if len(args) > 3 else kwargs.get("count")
    n = s.count(old) if old else len(s) + 1
    if isinstance(count, int) and count >= 0:
        n = min(n, count)
    if len(s) + n * max(len(new) - len(old), 0) > MAX_VALUE_SIZE:
        raise _too_large()
    return args


def _counted_input(args, kwargs) -> tuple:
    return (_list_of(args[0]), *args[1:])


def _sized_input(args, kwargs) -> tuple:
    value = _list_of(args[0])
    _check_size(value)
    return (value, *args[1:])


#: The filters a template may use, each with the check run on its input before it runs. They can
#: only keep, shorten, reorder, escape or measure what they get; the rest (center, indent, format,
#: wordwrap, batch, safe, attr, xmlattr, tojson, urlize, pprint, filesizeformat, truncate …) are refused:
#: they either build text of a size the template chooses or bypass escaping into the document's XML.
ALLOWED_FILTERS: dict[str, Any] = {
    # These return the input's own items or a number: a big context list (5,000 tasks) is fine.
    **dict.fromkeys(
        [
            "default",
            "d",
            "first",
            "last",
            "length",
            "count",
            "int",
            "float",
            "abs",
            "round",
            "reverse",
            "sort",
            "unique",
            "min",
            "max",
            "select",
            "reject",
            "selectattr",
            "rejectattr",
            "map",
            "dictsort",
            "items",
            "list",
        ],
        _counted_input,
    ),
    # These turn their input into text: a list is as big as everything printed in it.
    **dict.fromkeys(
        ["e", "escape", "forceescape", "lower", "upper", "title", "capitalize", "trim", "wordcount", "string"], _sized_input
    ),
    "join": _join_check,
    "replace": _replace_check,
}
#: Methods a template may call on a text, list or mapping: none of them makes anything bigger than its input.
ALLOWED_METHODS = {
    str: frozenset(
        {
            "upper",
            "lower",
            "strip",
            "lstrip",
            "rstrip",
            "startswith",
            "endswith",
            "split",
            "rsplit",
            "splitlines",
            "title",
            "capitalize",
            "isdigit",
            "isalpha",
            "isalnum",
            "isspace",
            "isupper",
            "islower",
            "find",
            "rfind",
            "count",
        }
    ),
    dict: frozenset({"items", "keys", "values", "get"}),
    list: frozenset({"index", "count"}),
    tuple: frozenset({"index", "count"}),
}


def _bounded_filter(func, check):
    pass_arg = _PassArg.from_obj(func)

    @functools.wraps(func)
    def run(*args, **kwargs):
        _tick()
        lead = 1 if pass_arg is not None else 0
        args = (*args[:lead], *check(args[lead:], kwargs))
        return _check_int(func(*args, **kwargs))

    return run


class _Harden(NodeTransformer):
    """Routes every loop and every ``~`` through the bounds; refuses what a one-file template cannot use."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        if node.recursive:
            raise TemplateSyntaxError(_("recursive loops are not allowed in templates"), node.lineno)
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "_vanban_iterate", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(node.nodes[0], "_vanban_concat", node.nodes[1:], [], None, None, lineno=node.lineno)

    def visit_Filter(self, node: nodes.Filter) -> nodes.Node:
        if node.name not in ALLOWED_FILTERS:
            raise TemplateSyntaxError(
                _(
                    "the filter {name} is not allowed in templates (allowed: {allowed})",
                    name=repr(node.name),
                    allowed=", ".join(sorted(ALLOWED_FILTERS)),
                ),
                node.lineno,
            )
        return self.generic_visit(node)

    def _refuse(self, node: nodes.Node) -> nodes.Node:
        raise TemplateSyntaxError(
            _("{% include %}, {% import %} and {% extends %} are not allowed: a template is one DOCX file"), node.lineno
        )

    visit_Include = visit_Import = visit_FromImport = visit_Extends = _refuse


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no access to Python internals), plus bounds: a template may not loop, call,
    compute or print without end, nor build a text, list or number past a size; only the filters
    and methods listed above are there. Data values are always autoescaped text, never template code."""

    intercepted_binops = frozenset(["*", "**", "+", "-", "%", "//"])

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, finalize=self._finalize)
        self.globals = {"range": _bounded_range}  # only what templates need
        self.filters = {name: _bounded_filter(DEFAULT_FILTERS[name], check) for name, check in ALLOWED_FILTERS.items()}
        self.filters["_vanban_iterate"] = _iterate
        self.filters["_vanban_concat"] = _concat

    def _generate(self, source, name, filename, defer_init=False):
        return super()._generate(_Harden().visit(source), name, filename, defer_init=defer_init)

    @staticmethod
    def _finalize(value):
        # What {{ }} prints: a list printed whole is as big as everything in it.
        if not isinstance(value, (str, int, float)) or isinstance(value, str) and len(value) > MAX_VALUE_SIZE:
            _check_size(value)
        return value

    def wrap_str_format(self, value):
        # str.format and format_map pad to any width the template asks ('{0:>1000000000}'); refused.
        if getattr(value, "__name__", None) in ("format", "format_map") and isinstance(getattr(value, "__self__", None), str):
            raise SecurityError(_("the text method {name} is not allowed in templates", name=value.__name__))
        return None

    def is_safe_attribute(self, obj, attr, value):
        for kind, allowed in ALLOWED_METHODS.items():
            if isinstance(obj, kind) and callable(value) and attr not in allowed:
                return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator, left, right):
        _tick()
        if operator == "**":
            raise SecurityError(_("the power operator is not allowed in templates"))
        if operator == "%" and isinstance(left, str):
            raise SecurityError(_("text formatting with % is not allowed in templates"))
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                # len, not _size: a repeated list holds references; printing or joining it is checked in full.
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_VALUE_SIZE:
                    raise _too_large()
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS + 1:
                raise LimitError(_("the template computes a number larger than {n} bits; stopped", n=MAX_INT_BITS))
        if (
            operator == "+"
            and isinstance(left, (str, list, tuple))
            and isinstance(right, (str, list, tuple))
            and len(left) + len(right) > MAX_VALUE_SIZE
        ):
            raise _too_large()
        return _check_int(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        _tick()
        if not isinstance(__obj, Macro):
            return super().call(__context, __obj, *args, **kwargs)
        _spend(1)
        limits = _budget.get(None)
        if limits is None:
            return super().call(__context, __obj, *args, **kwargs)
        if limits.depth >= MAX_CALL_DEPTH:
            raise LimitError(_("macros call each other more than {n} deep; stopped", n=MAX_CALL_DEPTH))
        limits.depth += 1
        try:
            return super().call(__context, __obj, *args, **kwargs)
        finally:
            limits.depth -= 1


def render_bounded(template, ctx: dict) -> str:
    """*template* rendered with *ctx* inside the render's bounds, its output counted as it is made."""
    with bounded():
        chunks, size = [], 0
        for chunk in template.generate(ctx):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise LimitError(_("the template writes more than {n:,} characters; stopped", n=MAX_OUTPUT_CHARS))
            chunks.append(chunk)
        return "".join(chunks)


def _hardened_xml(data: bytes, where: str) -> bytes:
    """Refuse DOCTYPE declarations: the only use of one in a DOCX part is an entity attack."""
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data:
        raise RenderError(
            _("{where}: contains a DOCTYPE/ENTITY declaration, which Word documents never need; refused", where=where)
        )
    return data


# --------------------------------------------------------------------------- compiled template


def _fill_empty_cells(out: str) -> str:
    """An empty paragraph in each table cell that ends without one (``</w:p>`` or ``<w:p/>`` just before its
    ``</w:tc>``): what ``re.sub(r"(?<!</w:p>)(?<!<w:p/>)</w:tc>", "<w:p/></w:tc>", out)`` does, without trying the
    look-behinds at every character."""
    pieces = out.split("</w:tc>")
    if len(pieces) == 1:
        return out
    # A piece shorter than the look-behind ends with text of the "</w:tc>" before it, which ends neither way.
    return "</w:tc>".join(
        piece if i == len(pieces) - 1 or piece.endswith(("</w:p>", "<w:p/>")) else piece + "<w:p/>"
        for i, piece in enumerate(pieces)
    )


_JINJA_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.S)  # docxtpl's own paragraph pattern
_LISTING_CHARS = re.compile("[\n\t\a\f]")


@dataclass
class _Part:
    name: str
    data: bytes
    template: Any = None  # compiled Jinja template, for parts that hold tags


class CompiledTemplate:
    """A docxtpl template parsed and compiled once, rendered many times."""

    def __init__(self, path: str | Path, layout: Layout | None = None):
        self.path = Path(path)
        self._tpl = DocxTemplate(None)  # for docxtpl's patch_xml / resolve_listing only
        self.env = Sandbox()
        self.parts: list[_Part] = []
        try:
            if self.path.is_dir():
                raise RenderError(_("{path}: is a folder, not a DOCX template", path=self.path))
            if self.path.stat().st_size > MAX_TEMPLATE_BYTES:
                raise RenderError(
                    _("{path}: template is larger than {value} MB", path=self.path, value=MAX_TEMPLATE_BYTES // 2**20)
                )
            zf = zipfile.ZipFile(io.BytesIO(read_input(self.path, MAX_TEMPLATE_BYTES)))
        except InputError as exc:
            raise RenderError(_("{path}: {exc}", path=self.path, exc=exc)) from None
        except FileNotFoundError:
            raise RenderError(_("{path}: template not found", path=self.path)) from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise RenderError(_("{path}: not a readable DOCX template ({exc})", path=self.path, exc=exc)) from None
        with zf:
            try:
                parts = read_parts(zf, str(self.path), max_part=MAX_TEMPLATE_BYTES, max_total=5 * MAX_TEMPLATE_BYTES)
            except ZipLimitError as exc:
                raise RenderError(str(exc)) from None
            for name, data in parts.items():
                if name.endswith((".xml", ".rels")):
                    _hardened_xml(data, f"{self.path}: {name}")
            active = active_content(parts)
            if active:
                raise RenderError(_("{path}: {name}: {message}", path=self.path, name=active[0][0], message=active[0][1]))
            for filename, data in parts.items():
                info = zipfile.ZipInfo(filename)
                if layout and info.filename == "word/document.xml":
                    data = apply_layout_document(data, layout)
                if info.filename == "word/document.xml":
                    data = mark_date_table(apply_pagination(data))
                if layout and info.filename == "word/styles.xml":
                    data = apply_layout_styles(data, layout)
                part = _Part(info.filename, data)
                if _JINJA_PARTS.match(info.filename):
                    text = data.decode("utf-8")
                    if "{{" in text or "{%" in text:
                        part.template = self._compile(info.filename, text)
                if info.filename == "word/document.xml":
                    self._body_sect = self._portrait_sect(data.decode("utf-8"))
                self.parts.append(part)
        if not any(p.name == "word/document.xml" for p in self.parts):
            raise RenderError(_("{path}: not a Word document (no word/document.xml)", path=self.path))

    def _compile(self, name: str, xml: str):
        src = self._tpl.patch_xml(xml)
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
        try:
            return self.env.from_string(src)
        except TemplateError as exc:
            raise RenderError(_("{path}: {name}: template error: {exc}", path=self.path, name=name, exc=exc)) from None
        except (RecursionError, ValueError, MemoryError) as exc:  # nesting Python's parser cannot take; a 5,000-digit number
            raise RenderError(
                _("{path}: {name}: template error: {exc}", path=self.path, name=name, exc=type(exc).__name__)
            ) from None

    @staticmethod
    def _portrait_sect(xml: str) -> str | None:
        """The body section's properties, kept in the paragraph that ends the body."""
        m = re.search(r"<w:pPr>(?:(?!</w:pPr>).)*?(<w:sectPr[ >].*?</w:sectPr>)", xml, flags=re.S)
        return m.group(1) if m else None

    def _listing(self, m: re.Match) -> str:
        # docxtpl's resolve_listing (\n → line break, \t → tab, \a → new paragraph, \f → page
        # break), run only on paragraphs that hold such a character: the same result, without
        # re-parsing every run of the document (it was 40 % of the render time).
        xml = m.group(0)
        return self._tpl.resolve_listing(xml) if _LISTING_CHARS.search(xml) else xml

    def _listings(self, out: str) -> str:
        """``_PARAGRAPH.sub(self._listing, out)``, visiting only the paragraphs that hold a listing character.

        The paragraph pattern is matched from where the whole scan would match it (the start, or the end of a
        paragraph it matched), so each paragraph is the one the full scan finds; the others, untouched by
        :meth:`_listing`, are copied as they are."""
        pieces: list[str] = []
        done = pos = at = 0  # copied up to; the scan restarts at (a match's end); next listing char from
        while (c := _LISTING_CHARS.search(out, at)) is not None:
            m = _PARAGRAPH.search(out, pos)
            while m is not None and m.end() <= c.start():
                pos = m.end()
                m = _PARAGRAPH.search(out, pos)
            if m is None:
                break
            if m.start() <= c.start():  # the character is in this paragraph
                pieces += [out[done : m.start()], self._listing(m)]
                done = pos = at = m.end()
            else:  # between paragraphs: left as it is
                at = c.end()
        return "".join(pieces) + out[done:] if pieces else out

    def _render_part(self, part: _Part, ctx: dict) -> tuple[bytes, Any]:
        """The rendered part, and its parsed tree (checked here; the document's identity reads its text)."""
        try:
            out = render_bounded(part.template, ctx)
        except SecurityError as exc:
            raise RenderError(_("{path}: {name}: refused: {exc}", path=self.path, name=part.name, exc=exc)) from None
        except TemplateError as exc:
            raise RenderError(
                _("{path}: {name}: {value}: {exc}", path=self.path, name=part.name, value=type(exc).__name__, exc=exc)
            ) from None
        except RecursionError:
            raise RenderError(
                _("{path}: {name}: refused: the template nests too deeply", path=self.path, name=part.name)
            ) from None
        # The line breaks _compile put before each paragraph go (two plain replaces: one regex pass with a group
        # reference cost as much as the rest of the clean-up together).
        out = out.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        out = out.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        out = self._listings(out)
        if part.name == "word/document.xml":  # body tables, at the paragraphs marking their place
            out = place_tables(out, [b["xml"] for b in ctx.get("body", []) if b.get("kind") == "table"])
        # A cell whose loops printed nothing (lead: []) would hold no paragraph: invalid OOXML.
        out = _fill_empty_cells(out)
        if part.name == "word/document.xml":
            out = keep_last_paragraph(out)
            out = unbreakable_hyphens(out)
            out = fit_date_line(out, ctx.get("h", {}).get("place_date", ""))
        if part.name == "word/document.xml" and self._body_sect and out.count("<w:sectPr") == 1:
            # Without an appendix (an attachment) its section is gone; the body's own section ends the file.
            start = out.rfind("<w:sectPr")
            end = out.find("</w:sectPr>", start) + len("</w:sectPr>")
            out = out[:start] + self._body_sect + out[end:]
        data = out.encode("utf-8")
        try:
            root = etree.fromstring(data, _SAFE_PARSER)  # never write a DOCX Word cannot open
        except etree.XMLSyntaxError as exc:
            raise RenderError(
                _("{path}: {name}: the rendered XML is not well-formed ({exc})", path=self.path, name=part.name, exc=exc)
            ) from None
        # A variable printed inside a field's instructions would let the data write a DDE field.
        bad = active_fields(root)
        if bad:
            raise RenderError(
                _(
                    "{path}: {name}: the rendered document has a field {code} that fetches, runs or imports content; refused",
                    path=self.path,
                    name=part.name,
                    code=field_name(bad[0]),
                )
            )
        return data, root

    def render(
        self,
        ctx: dict,
        *,
        core: dict[str, str] | None = None,
        date_time=(1980, 1, 1, 0, 0, 0),
        chart: bytes | None = None,
        custom: Callable[[Any], bytes] | None = None,
    ) -> bytes:
        """The DOCX; *chart* (PNG) replaces the chart marker of the context with a picture; *custom* makes
        docProps/custom.xml from the parsed tree of the rendered word/document.xml (the document's identity)."""
        from generator.render import identity

        buf = io.BytesIO()
        custom_xml = None
        with bounded(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for part in self.parts:
                if part.template is not None:
                    data, root = self._render_part(part, ctx)
                    if part.name == "word/document.xml" and str(CHART_MARK) in data.decode("utf-8"):
                        data = self._place_chart(data, chart)  # a picture run: the text stays the same
                    if part.name == "word/document.xml" and custom is not None:
                        custom_xml = custom(root)
                elif custom is not None and part.name in ("[Content_Types].xml", "_rels/.rels", "docProps/custom.xml"):
                    if part.name == "docProps/custom.xml":
                        continue  # the template's own custom properties give way to the identity
                    data = identity.declare(part.name, part.data)
                    if chart is not None and part.name == "[Content_Types].xml" and b'Extension="png"' not in data:
                        data = re.sub(rb"(<Types[^>]*>)", rb'\1<Default Extension="png" ContentType="image/png"/>', data, count=1)
                elif part.name == "docProps/core.xml" and core is not None:
                    data = _core_xml(core)
                elif chart is not None and part.name == "word/_rels/document.xml.rels":
                    rel = (
                        f'<Relationship Id="{_CHART_RID}" Target="media/vanban-chart.png" '
                        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>'
                    )
                    data = part.data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
                elif chart is not None and part.name == "[Content_Types].xml" and b'Extension="png"' not in part.data:
                    data = re.sub(
                        rb"(<Types[^>]*>)", rb'\1<Default Extension="png" ContentType="image/png"/>', part.data, count=1
                    )
                else:
                    data = part.data
                info = zipfile.ZipInfo(part.name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, data, compresslevel=6)
            if custom_xml is not None:
                info = zipfile.ZipInfo("docProps/custom.xml", date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, custom_xml, compresslevel=6)
            if chart is not None:
                info = zipfile.ZipInfo("word/media/vanban-chart.png", date_time=date_time)
                info.external_attr = 0o644 << 16
                zf.writestr(info, chart, compress_type=zipfile.ZIP_STORED)  # PNG is compressed already
        return buf.getvalue()

    @staticmethod
    def _place_chart(data: bytes, chart: bytes | None) -> bytes:
        from generator.render.chart import png_size

        text = data.decode("utf-8")
        if chart is None:
            return text.replace(str(CHART_MARK), "").encode("utf-8")
        w_px, h_px = png_size(chart)
        width = 8_500_000  # EMU, ≈ 236 mm: the landscape text width less a margin
        run = _chart_run(width, round(width * h_px / w_px))
        # {{r}} left the marker between runs; the picture is a run of its own.
        return text.replace(str(CHART_MARK), run).encode("utf-8")


def _core_xml(props: dict[str, str]) -> bytes:
    e = {k: xml_escape(v) for k, v in props.items()}
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{e['title']}</dc:title><dc:subject>{e['subject']}</dc:subject>"
        f"<dc:creator>{e['creator']}</dc:creator><cp:lastModifiedBy>{e['creator']}</cp:lastModifiedBy>"
        f"<cp:keywords>vanban-profile:{e['profile']}</cp:keywords>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{e["date"]}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{e["date"]}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


# --------------------------------------------------------------------------- entry point

_CACHE: dict[tuple, CompiledTemplate] = {}
log = logging.getLogger(__name__)


def compiled(template: Path, profile: Profile) -> CompiledTemplate:
    """The compiled template for (file, profile), reused while the file is unchanged."""
    try:
        stat = template.stat()
    except OSError as exc:
        raise RenderError(
            _("{template}: template not found", template=template)
            if isinstance(exc, FileNotFoundError)
            else _("{template}: cannot be read ({reason})", template=template, reason=reason(exc))
        ) from None
    key = (str(template.resolve()), stat.st_mtime_ns, stat.st_size, profile.id)
    if key not in _CACHE:
        log.debug("compiling template %s for rule profile %s", template, profile.id)
        _CACHE[key] = CompiledTemplate(template, profile.layout)
    return _CACHE[key]


def render_document(
    doc: Document,
    doc_type: DocType,
    profile: Profile,
    template: Path,
    *,
    appendix_view: AppendixView | None = None,
    kind_view: KindView | None = None,
    chart: Callable[[Any], bytes] | None = None,
) -> bytes:
    """DOCX bytes of *doc*, typed *doc_type*, through *template* under *profile*.

    What only its kind knows comes as functions: *appendix_view* builds the appendix's rows, *chart*
    draws the chart a template asks for (see :mod:`generator.kinds`)."""
    tpl = compiled(template, profile)
    # an undated document (date: null) takes the earliest date a zip entry holds, in its properties too
    d = doc.header.date or PartialDate(1980, 1, 1)
    day = d.day or 1
    month = d.month or 1  # a form dated by its year alone
    core = {
        "title": f"{doc_type.name} {' '.join(doc.subject)}",
        "subject": vn.number_line(doc.header.number, doc_type.code, doc.header.issuer_code),
        "creator": doc.header.issuer,
        "profile": doc.profile,  # lets `vanban check` use the rules the document was made under
        "date": f"{d.year:04d}-{month:02d}-{day:02d}T00:00:00Z",
    }
    ctx = context(doc, doc_type, profile, appendix_view, kind_view)
    picture = chart(doc) if chart and ctx["appendix"] and ctx["appendix"].get("chart") else None
    # A zip entry's date holds the years 1980–2107 only; the document's own date stays in its properties.
    stamp = (min(max(d.year, 1980), 2107), month, day, 0, 0, 0)
    from generator.render.identity import custom_xml

    return tpl.render(ctx, core=core, date_time=stamp, chart=picture, custom=lambda xml: custom_xml(xml, doc))
