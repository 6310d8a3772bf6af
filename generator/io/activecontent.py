"""Active content in a Word file: what makes Word fetch, run or import something when it is opened.

A user's template is copied into every document rendered from it, so anything in it that reaches
outside the document (an image on ``http://`` or ``file://server/share`` — Word sends the reader's
NTLM credentials to that server —, a ``javascript:`` link, a remote ``attachedTemplate``), runs code
(``vbaProject.bin``, OLE packages, ActiveX) or pulls data in (DDE, ``INCLUDETEXT``,
``INCLUDEPICTURE`` fields) would reach every committee's official documents. None of it is needed
by a Party document, so all of it is refused, each named by its part.
"""

from __future__ import annotations

import re

from lxml import etree

from generator.lang.i18n import _

_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: Relationship types (last path segment) that run code, embed other files or import content.
ACTIVE_RELATIONSHIPS = frozenset(
    {
        "attachedTemplate",
        "oleObject",
        "package",
        "vbaProject",
        "wordVbaData",
        "keyMapCustomizations",
        "activeXControl",
        "activeXControlBinary",
        "control",
        "subDocument",
        "aFChunk",
        "frame",
        "externalLinkPath",
        "mailMergeSource",
        "mailMergeHeaderSource",
        "recipientData",
    }
)
#: Field codes a Party document may use: page numbers and references inside the document. Any other
#: (DDE, DDEAUTO, INCLUDETEXT, INCLUDEPICTURE, LINK, IMPORT, DATABASE, HYPERLINK, MACROBUTTON …) is refused.
SAFE_FIELDS = frozenset(
    {
        "PAGE",
        "NUMPAGES",
        "SECTIONPAGES",
        "SECTION",
        "SEQ",
        "REF",
        "PAGEREF",
        "NOTEREF",
        "STYLEREF",
        "TOC",
        "TC",
        "DATE",
        "CREATEDATE",
        "SAVEDATE",
        "PRINTDATE",
        "TITLE",
        "SUBJECT",
        "AUTHOR",
        "NUMWORDS",
        "NUMCHARS",
        "LISTNUM",
        "AUTONUM",
        "AUTONUMLGL",
        "AUTONUMOUT",
        "QUOTE",
        "SYMBOL",
        "ADVANCE",
        "EQ",
    }
)
_ACTIVE_NAMES = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|embeddings/|activeX/)|\.bin$", re.I)
_FIELD_PARTS = re.compile(r"^word/[^/]+\.xml$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def field_name(instr: str) -> str:
    """The field's code word, upper case (``DDEAUTO`` of `` ddeauto "c:\\\\x" ``)."""
    word = instr.strip().split(None, 1)[0] if instr.strip() else ""
    return word.lstrip("\\").upper()


def fields(root: etree._Element) -> list[str]:
    """The instructions of every field in a part: simple fields and complex ones (instructions
    split over runs, nested fields each their own)."""
    out: list[str] = []
    stack: list[tuple[list[str], list[bool]]] = []  # (instruction pieces, [result reached])
    for el in root.iter(f"{_W}fldSimple", f"{_W}fldChar", f"{_W}instrText", f"{_W}delInstrText"):
        if el.tag == f"{_W}fldSimple":
            out.append(el.get(f"{_W}instr") or "")
        elif el.tag == f"{_W}fldChar":
            kind = el.get(f"{_W}fldCharType")
            if kind == "begin":
                stack.append(([], [False]))
            elif kind == "separate" and stack:
                stack[-1][1][0] = True
            elif kind == "end" and stack:
                out.append("".join(stack.pop()[0]))
        elif stack and not stack[-1][1][0]:
            stack[-1][0].append(el.text or "")
        elif not stack:
            out.append(el.text or "")  # an instruction outside any field: judged all the same
    out.extend("".join(pieces) for pieces, _done in stack)  # a field never closed
    return out


def active_fields(root: etree._Element) -> list[str]:
    """Field instructions of *root* whose code is not in :data:`SAFE_FIELDS`."""
    return [instr.strip() for instr in fields(root) if instr.strip() and field_name(instr) not in SAFE_FIELDS]


def active_content(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    """``(part, message)`` for every external relationship, macro, embedded object and active field."""
    found: list[tuple[str, str]] = []
    for name, data in parts.items():
        if _ACTIVE_NAMES.search(name):
            found.append((name, _("a macro or embedded object (code Word may run); refused")))
            continue
        if name == "[Content_Types].xml" and re.search(rb"macroEnabled|vbaProject|oleObject|activeX", data, re.I):
            found.append((name, _("declares macros or embedded objects; refused")))
            continue
        if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data:
            continue  # refused by the caller's DOCTYPE check, which names it
        if name.endswith(".rels"):
            try:
                root = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError as exc:
                found.append((name, _("not well-formed XML ({exc})", exc=exc)))
                continue
            for rel in root.iter(f"{_RELS_NS}Relationship"):
                kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
                target = rel.get("Target") or ""
                if (rel.get("TargetMode") or "").lower() == "external":
                    found.append(
                        (
                            name,
                            _(
                                "relationship {rid} points outside the document ({kind} → {target}); refused",
                                rid=rel.get("Id") or "?",
                                kind=kind,
                                target=target[:200],
                            ),
                        )
                    )
                elif kind in ACTIVE_RELATIONSHIPS:
                    found.append(
                        (
                            name,
                            _(
                                "relationship {rid} of type {kind} (macros, embedded or imported content); refused",
                                rid=rel.get("Id") or "?",
                                kind=kind,
                            ),
                        )
                    )
        elif _FIELD_PARTS.match(name) and (b"instr" in data):
            try:
                root = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError:
                continue  # reported as not well-formed where the part is parsed
            for instr in active_fields(root):
                found.append(
                    (
                        name,
                        _(
                            "field {code} fetches, runs or imports content (“{instr}”); only page numbers and references inside the document are allowed",
                            code=field_name(instr),
                            instr=instr[:120],
                        ),
                    )
                )
    return found
