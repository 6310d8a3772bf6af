"""The body of a document as an outline a clerk types or pastes from Word, and back.

``I.`` starts a level-1 section, ``1.`` a level-2 one, ``a)`` a level-3 one (when the text has no
``I.`` heading, ``1.`` is level 1 and ``a)`` level 2); ``-`` starts a bullet; any other line is a
paragraph. A heading ending in ``(…)`` keeps that as its note. A line starting with ``|`` is a row of a
table (cells between ``|``; a row of dashes, ``|---|---|``, ends the header rows), the pasted-table format of
the body's tables. Under a level-1 section titled
"Tổ chức thực hiện", numbered items are assignments: the unit, then its duties.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_ROMAN = re.compile(r"^([IVXLC]+)\s*[.\-]\s*(\S.*)$")
_NUMBER = re.compile(r"^(\d{1,2})\s*\.\s*(\S.*)$")
_LETTER = re.compile(r"^([a-zđ])\s*\)\s*(\S.*)$")
_BULLET = re.compile(r"^[-–—•+*]\s*(\S.*)$")
_NOTE = re.compile(r"^(.*\S)\s+(\([^()]*\))$")
_RULE = re.compile(r"^:?-{3,}:?$")
ASSIGNING = "tổ chức thực hiện"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass
class OutlineError:
    line: int
    message: str


def _title_note(text: str) -> tuple[str, str | None]:
    m = _NOTE.match(text)
    return (m.group(1), m.group(2)) if m else (text, None)


def parse(text: str) -> tuple[list[dict], list[OutlineError]]:
    """Sections (model dicts) from the outline; errors name the line they concern."""
    from django.utils.translation import gettext

    lines = [unicodedata.normalize("NFC", raw).replace("\t", " ").strip() for raw in (text or "").splitlines()]
    has_roman = any(_ROMAN.match(line) for line in lines)
    root: list[dict] = []
    stack: list[tuple[int, dict]] = []
    errors: list[OutlineError] = []
    table: dict | None = None  # the table the previous line was a row of
    for no, line in enumerate(lines, 1):
        if not line:
            table = None
            continue
        if line.startswith("|") and stack:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if table is None:
                table = {"header": [], "rows": []}
                stack[-1][1].setdefault("tables", []).append(table)
            if all(_RULE.match(c) for c in cells):
                table["header"], table["rows"] = table["header"] + table["rows"], []
            else:
                table["rows"].append(cells)
            continue
        table = None
        level = None
        for lvl, pattern in ((1, _ROMAN), (2, _NUMBER), (3, _LETTER)):
            m = pattern.match(line)
            if m:
                level = lvl if has_roman else lvl - 1
                heading = m.group(2)
                break
        if level == 0:  # "I." cannot happen without roman headings; keep it as text
            level = None
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            if (not stack and level != 1) or (stack and stack[-1][0] != level - 1):
                errors.append(
                    OutlineError(no, gettext("heading of level %(level)s without the level above it") % {"level": level})
                )
                continue
            title, note = _title_note(heading)
            node: dict = {"title": title, "paragraphs": [], "bullets": [], "sections": []}
            if note:
                node["note"] = note
            (stack[-1][1]["sections"] if stack else root).append(node)
            stack.append((level, node))
            continue
        if not stack:
            errors.append(OutlineError(no, gettext("text before the first heading (start with “I.” or “1.”)")))
            continue
        m = _BULLET.match(line)
        if m:
            stack[-1][1]["bullets"].append(m.group(1))
        else:
            stack[-1][1]["paragraphs"].append(line)
    for node in root:
        _assignments(node)
    return [_clean(n) for n in root], errors


def _assignments(node: dict) -> None:
    children = node["sections"]
    if _norm(node["title"]) == ASSIGNING and children and not any(c["sections"] for c in children):
        node["assignments"] = [
            {"unit": c["title"], "duties": c["paragraphs"] + [f"- {b}" for b in c["bullets"]]} for c in children
        ]
        node["sections"] = []


def _clean(node: dict) -> dict:
    out = {k: v for k, v in node.items() if v not in ([], None)}
    if "sections" in out:
        out["sections"] = [_clean(s) for s in out["sections"]]
    return out


def _roman(n: int) -> str:
    values = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in values:
        while n >= v:
            out += s
            n -= v
    return out


_LETTERS = "abcdđeghiklmnopqrstuvxy"
_MARKS = [lambda i: f"{_roman(i)}.", lambda i: f"{i}.", lambda i: f"{_LETTERS[(i - 1) % len(_LETTERS)]})"]


def render(sections: list[dict]) -> str:
    """The outline text of *sections* (model dicts): what :func:`parse` reads back."""
    out: list[str] = []
    marks = _MARKS

    def walk(items: list[dict], level: int) -> None:
        for i, s in enumerate(items, 1):
            head = f"{marks[min(level, 2)](i)} {s.get('title', '')}"
            if s.get("note"):
                head += f" {s['note']}"
            out.append(head)
            out.extend(s.get("paragraphs") or [])
            out.extend(f"- {b}" for b in s.get("bullets") or [])
            for t in s.get("tables") or []:
                out.extend(table_lines(t))
                out.append("")
            walk(s.get("sections") or [], level + 1)
            for j, a in enumerate(s.get("assignments") or [], 1):
                out.append(f"{marks[min(level + 1, 2)](j)} {a.get('unit', '')}")
                out.extend(a.get("duties") or [])

    walk(sections, 0)
    return "\n".join(out)


def _cell_text(cell) -> str:
    return str(cell.get("text", "") if isinstance(cell, dict) else cell).replace("|", "/").replace("\n", " ")


def table_lines(table: dict) -> list[str]:
    """A body table as ``| a | b |`` rows, a ``|---|`` rule under its header rows."""
    out = [f"| {' | '.join(_cell_text(c) for c in row)} |" for row in table.get("header") or []]
    if out:
        width = len(table["header"][0])
        out.append("|" + "---|" * width)
    out.extend(f"| {' | '.join(_cell_text(c) for c in row)} |" for row in table.get("rows") or [])
    return out


def structure(sections: list[dict]) -> list[tuple[int, str, str]]:
    """(level, number, title) of every heading, for the panel beside the outline."""
    out: list[tuple[int, str, str]] = []
    marks = _MARKS

    def walk(items: list[dict], level: int) -> None:
        for i, s in enumerate(items, 1):
            out.append((level, marks[min(level, 2)](i), s.get("title", "")))
            walk(s.get("sections") or [], level + 1)
            for j, a in enumerate(s.get("assignments") or [], 1):
                out.append((level + 1, marks[min(level + 1, 2)](j), a.get("unit", "")))

    walk(sections, 0)
    return out
