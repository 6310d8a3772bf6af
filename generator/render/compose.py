"""A Bản sao of a received DOCX: the copy block appended to a document vanban did not write, its body copied as it is.

The merge is docxcompose's (styles, numbering, pictures, footnotes and relationships of the appended part carried
over by id), the original being the master document: its page set-up, headers and footers stay its own.
"""

from __future__ import annotations

import copy
import io

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxcompose.composer import Composer


def page_break_first(block: bytes) -> bytes:
    """*block* starting with a page break (a copy block that begins on a new page)."""
    d = docx.Document(io.BytesIO(block))
    p, r, br = OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    r.append(br)
    p.append(r)
    d.element.body.insert(0, p)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


_BASE = "VBNormal"


def _self_contained(block):
    """Make *block*'s look independent of the document it is appended to. Its styles rest on ``Normal`` and the
    document defaults (Times New Roman 14, no spacing), which a received document defines its own way (Calibri 11,
    8 pt after): they are rebased on a copy of its own ``Normal`` holding those defaults, and unstyled paragraphs
    take that copy."""
    styles = block.styles.element
    normal = next(s for s in styles.findall(qn("w:style")) if s.get(qn("w:styleId")) == "Normal")
    base = copy.deepcopy(normal)
    base.set(qn("w:styleId"), _BASE)
    base.attrib.pop(qn("w:default"), None)
    base.find(qn("w:name")).set(qn("w:val"), "VB Normal")
    defaults = styles.find(qn("w:docDefaults"))
    for kind, tag in (("w:rPrDefault", "w:rPr"), ("w:pPrDefault", "w:pPr")):
        own = base.find(qn(tag))
        if own is None:
            own = OxmlElement(tag)
            base.append(own)
        held = {child.tag for child in own}
        default = defaults.find(f"{qn(kind)}/{qn(tag)}") if defaults is not None else None
        for child in default if default is not None else ():
            if child.tag not in held:
                own.append(copy.deepcopy(child))
                held.add(child.tag)
        if tag == "w:pPr" and qn("w:spacing") not in held:
            spacing = OxmlElement("w:spacing")
            for key, value in (("after", "0"), ("line", "240"), ("lineRule", "auto")):
                spacing.set(qn(f"w:{key}"), value)
            own.append(spacing)
    styles.append(base)
    for style in styles.findall(qn("w:style")):
        based = style.find(qn("w:basedOn"))
        if based is not None and based.get(qn("w:val")) == "Normal" and style.get(qn("w:type")) == "paragraph":
            based.set(qn("w:val"), _BASE)
    for p in block.element.body.iter(qn("w:p")):
        ppr = p.get_or_add_pPr()
        if ppr.find(qn("w:pStyle")) is None:
            ps = OxmlElement("w:pStyle")
            ps.set(qn("w:val"), _BASE)
            ppr.insert(0, ps)
    return base


def append_to_received(original: bytes, block: bytes, profile: str) -> bytes:
    """*original* (any DOCX) with the body of *block* (a copy block rendered by vanban under rule profile *profile*)
    after its content."""
    master = docx.Document(io.BytesIO(original))
    appended = docx.Document(io.BytesIO(block))
    base = _self_contained(appended)
    composer = Composer(master)
    composer.append(appended)
    # docxcompose carries the styles the block's paragraphs name, not the style they are based on
    held = {s.get(qn("w:styleId")) for s in master.styles.element.findall(qn("w:style"))}
    if _BASE not in held:
        master.styles.element.append(copy.deepcopy(base))
    # `vanban check` reads the rule profile of the copy from the keywords vanban writes
    master.core_properties.keywords = f"vanban-profile:{profile}"
    out = io.BytesIO()
    composer.save(out)
    return out.getvalue()
