"""The identity a rendered DOCX carries, for the round trip with Word (``vanban import``, ``vanban render``).

In ``docProps/custom.xml`` one property, ``vanban-identity``, holds JSON:

- ``text``: a hash of the text of ``word/document.xml`` as rendered (each paragraph's text, whitespace
  collapsed): a DOCX whose text hashes differently was edited since, in Word or elsewhere;
- ``data``: a hash of the model the document was rendered from;
- ``case``: the original of each text the page prints in capitals (issuer, level-1 headings, the appendix
  title, the signer's position …), so that an import gives back ``Đảng ủy Ban Cơ yếu Chính phủ`` and not a
  guess from ``ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ``;
- ``extra``: the fields the page does not print (profile, period, source of a derived plan).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from lxml import etree

from generator.lang import vn
from generator.model.document import Document

PROPERTY = "vanban-identity"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _R, _T, _TAB, _BR, _CR = (f"{{{_W}}}{t}" for t in ("p", "r", "t", "tab", "br", "cr"))
_NBH, _SOFT = f"{{{_W}}}noBreakHyphen", f"{{{_W}}}softHyphen"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
_CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


_CHARS = {_TAB: "\t", _BR: "\n", _CR: "\n", _NBH: "-", _SOFT: ""}
#: Where the fast pass below does not apply: paragraphs inside paragraphs (a text box's), or runs outside any.
_IRREGULAR = etree.XPath("boolean(.//w:p//w:p | .//w:r[not(ancestor::w:p)])", namespaces={"w": _W})


def body_text_hash(body: Any) -> str:
    """A hash of the text of *body* (the ``w:body`` element): paragraphs in document order, runs joined."""
    if _IRREGULAR(body):
        return _nested_text_hash(body)
    # One walk of the tree (libxml2 filters the tags): each run's text belongs to the paragraph last seen.
    paragraphs: list[list[str]] = []
    out: list[str] = []
    for el in body.iter(_P, _T, _TAB, _BR, _CR, _NBH, _SOFT):
        tag = el.tag
        if tag == _P:
            out = []
            paragraphs.append(out)
        elif el.getparent().tag == _R:
            out.append((el.text or "") if tag == _T else _CHARS[tag])
    text = "\n".join(" ".join("".join(p).split()) for p in paragraphs)
    text = unicodedata.normalize("NFC", text) if not text.isascii() else text
    return hashlib.sha256((text + "\n").encode("utf-8") if paragraphs else b"").hexdigest()[:32]


def _nested_text_hash(body: Any) -> str:
    """:func:`body_text_hash` of a body with paragraphs inside paragraphs: an outer paragraph's text holds the
    inner's too."""
    h = hashlib.sha256()
    for p in body.iter(_P):
        out = []
        for el in p.iter(_T, _TAB, _BR, _CR, _NBH, _SOFT):
            if el.getparent().tag != _R:
                continue
            tag = el.tag
            out.append(
                (el.text or "") if tag == _T else "\t" if tag == _TAB else "-" if tag == _NBH else "" if tag == _SOFT else "\n"
            )
        h.update(_norm("".join(out)).encode("utf-8") + b"\n")
    return h.hexdigest()[:32]


def data_hash(doc: Document) -> str:
    data = doc.model_dump(mode="json")
    # A plan's figures were added later: a plan without any keeps the hash it had, so its DOCX is unchanged.
    if data.get("figures") == []:
        del data["figures"]
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def case_hints(doc: Document) -> dict[str, str]:
    """Each text the page prints in capitals → its original."""
    texts: list[str | None] = []
    docs = [doc]
    for d in docs[:]:
        original = getattr(d, "original", None)  # a Bản sao prints its original first
        docs += [original] if isinstance(original, Document) else []
    for d in docs[:]:
        docs += [a for a in (getattr(d, "attachment", None),) if isinstance(a, Document)]
    for d in docs:
        texts += [d.header.superior, d.header.issuer, *d.title_lines]
        for s in (d.signoff, d.cosigner):
            texts += [s.authority, s.position] if s else []
        texts += [s.title for s in d.sections]
        appendix = getattr(d, "appendix", None)
        if appendix is not None:
            texts.append(appendix.title)
        # A Quyết định's enacting body, a Quy chế's parts and chapters, a Biên bản's signers' titles.
        texts += [getattr(d, "enacting_body", None), getattr(d, "secretary_title", None), getattr(d, "chair_title", None)]
        divisions = list(getattr(d, "parts", [])) + list(getattr(d, "chapters", []))
        while divisions:
            div = divisions.pop()
            texts.append(div.title)
            divisions += list(div.chapters) + list(div.sections)
        draft = d.header.marks.draft
        if isinstance(draft, str):
            texts.append(draft)
    return {vn.upper(t): t for t in texts if t and vn.upper(t) != t}


def extras(doc: Document) -> dict[str, Any]:
    # numbering and subject_prefix: a document's own choice prints the same as the profile's default when equal.
    data = doc.model_dump(
        mode="json", include={"profile", "period", "source", "basis", "numbering", "subject_prefix"}, exclude_none=True
    )
    appendix = getattr(doc, "appendix", None)
    order: list[str] = []
    for group in getattr(appendix, "groups", []) or []:
        for row in getattr(group, "rows", []):
            for u in row.units:
                name = getattr(u, "unit", None)
                if name and name not in order:
                    order.append(name)
    if doc.header.date is None:
        data["undated"] = True  # the document has no date on purpose: `vanban check` does not ask for one
    if order:
        data["unit_order"] = order  # a report lists units grouped by status; their own order is not printed
    parents = {t.id: t.parent for t in doc.tasks() if getattr(t, "parent", None)}
    if parents:
        data["parents"] = parents  # a derived plan's task → the parent plan's task it implements
    original = getattr(doc, "original", None)
    if isinstance(original, Document):
        data["original"] = extras(original)  # the copied document's own profile and choices
    return {k: v for k, v in data.items() if v not in (None, [], {})}


def _custom_xml(value: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        f'name="{PROPERTY}"><vt:lpwstr>{xml_escape(value)}</vt:lpwstr></property></Properties>'
    ).encode()


def custom_xml(document: Any, doc: Document) -> bytes:
    """docProps/custom.xml holding the identity of *doc*, rendered as *document* (word/document.xml, as bytes or
    as its parsed root element)."""
    root = etree.fromstring(document, _PARSER) if isinstance(document, bytes) else document
    body = root.find(f"{{{_W}}}body")
    ident = {"text": body_text_hash(body), "data": data_hash(doc), "case": case_hints(doc), "extra": extras(doc)}
    return _custom_xml(json.dumps(ident, ensure_ascii=False, sort_keys=True))


def declare(name: str, data: bytes) -> bytes:
    """[Content_Types].xml or _rels/.rels with the custom properties part declared."""
    if name == "[Content_Types].xml" and b"/docProps/custom.xml" not in data:
        return data.replace(
            b"</Types>", f'<Override PartName="/docProps/custom.xml" ContentType="{_CUSTOM_CT}"/></Types>'.encode()
        )
    if name == "_rels/.rels" and b"docProps/custom.xml" not in data:
        return data.replace(
            b"</Relationships>",
            f'<Relationship Id="rIdVanbanCustom" Type="{_CUSTOM_REL}" Target="docProps/custom.xml"/></Relationships>'.encode(),
        )
    return data


def read_identity(custom_xml: bytes) -> dict[str, Any] | None:
    """The identity in a docProps/custom.xml part, or None."""
    if b"<!DOCTYPE" in custom_xml[:4096].upper() or b"<!ENTITY" in custom_xml:
        return None
    try:
        root = etree.fromstring(custom_xml, _PARSER)
    except etree.XMLSyntaxError:
        return None
    for prop in root:
        if prop.get("name") == PROPERTY and len(prop):
            try:
                value = json.loads(prop[0].text or "")
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


def restamp(docx: bytes, doc: Document) -> bytes:
    """*docx* with the identity of *doc* in place of the one it carries: a Bản sao is its original's rendering with
    the copy block added, and its identity is the whole document's (the text as a whole, the copy's data)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as src:
        custom = custom_xml(src.read("word/document.xml"), doc)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename == "docProps/custom.xml":
                    dst.writestr(info, custom)
                else:
                    dst.writestr(info, src.read(info.filename))
    return out.getvalue()
