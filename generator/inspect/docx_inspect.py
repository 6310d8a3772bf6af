"""Reading a DOCX back: the EFFECTIVE formatting of paragraphs and runs.

Word resolves a run's look from its direct formatting, then its character style, then the
paragraph style and the styles that one is based on, then the document defaults; fonts may name
a theme font instead of a typeface. Tests use this to assert what a reader sees, and the format
checker will use it to check documents typed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docx.document import Document as _Document
from docx.oxml.ns import qn
from docx.oxml.text.run import CT_R
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from generator.lang.i18n import _

_TOGGLES = {"bold": "w:b", "italic": "w:i", "caps": "w:caps"}
# Plain lxml lookups: python-docx's property accessors cost 10× more and a check reads thousands.
_PPR, _RPR, _PSTYLE, _RSTYLE, _VAL = qn("w:pPr"), qn("w:rPr"), qn("w:pStyle"), qn("w:rStyle"), qn("w:val")
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _run_element(r: Run | CT_R) -> CT_R:
    """The w:r element of a run (the checker passes the elements themselves: cheaper than Run objects)."""
    return r._r if isinstance(r, Run) else r


@dataclass(frozen=True)
class RunLook:
    font: str | None
    size_pt: float | None
    bold: bool
    italic: bool
    underline: bool


@dataclass(frozen=True)
class ParagraphLook:
    style: str
    alignment: str | None  # "left", "center", "right", "both" (justified)
    first_line_mm: float
    left_mm: float
    space_before_pt: float
    space_after_pt: float
    line_pt: float | None  # exact/at-least spacing in points
    line_rule: str | None  # "exact", "atLeast", "auto"
    keep_next: bool
    bottom_border: bool


class FormatValueError(ValueError):
    """A formatting value the document holds cannot be read; the message names the element and the value."""


_MEASURE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt|pc|pi)?\s*$")
_TWIPS_PER = {None: 1, "mm": 1440 / 25.4, "cm": 1440 / 2.54, "in": 1440, "pt": 20, "pc": 240, "pi": 240}


def measure(value: str, unit: float = 1, where: str = "") -> float:
    """A measure in the units of its attribute (twips, half-points …). OOXML also allows a
    "universal measure" with its unit (``0.5in``, ``12.7mm``, ``18pt``): converted, *unit* being
    how many twips one attribute unit is."""
    m = _MEASURE.match(value)
    if not m:
        raise FormatValueError(
            _(
                "{where}: {value} is not a measure (a number, or a number with mm, cm, in, pt or pc)",
                where=where,
                value=repr(value),
            )
        )
    number, suffix = float(m.group(1)), m.group(2)
    return number if suffix is None else number * _TWIPS_PER[suffix] / unit


def _on(el) -> bool:
    val = el.get(qn("w:val"))
    return val not in ("0", "false", "off", "none")


class Inspector:
    """Effective formatting inside one document."""

    def __init__(self, doc: _Document):
        self.doc = doc
        styles = doc.styles.element
        self._styles = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
        self._default_para = next(
            (
                sid
                for sid, s in self._styles.items()
                if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")
            ),
            None,
        )
        dd = styles.find(qn("w:docDefaults"))
        self._rpr_default = (
            dd.find(qn("w:rPrDefault")).find(qn("w:rPr")) if dd is not None and dd.find(qn("w:rPrDefault")) is not None else None
        )
        self._ppr_default = (
            dd.find(qn("w:pPrDefault")).find(qn("w:pPr")) if dd is not None and dd.find(qn("w:pPrDefault")) is not None else None
        )
        self._theme = self._theme_fonts()
        # A document has few distinct run formats: cache looks by (style, run properties).
        self._run_cache: dict[tuple, RunLook] = {}
        self._chain_cache: dict[str | None, list] = {}
        self._para_cache: dict[tuple, ParagraphLook] = {}

    # ------------------------------------------------------------------ helpers
    def _theme_fonts(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for rel in self.doc.part.rels.values():
            if rel.reltype.endswith("/theme"):
                blob = rel.target_part.blob
                if b"<!DOCTYPE" in blob[:4096].upper() or b"<!ENTITY" in blob:
                    raise FormatValueError(
                        _(
                            "{name}: contains a DOCTYPE/ENTITY declaration, which Word documents never need; refused",
                            name=str(rel.target_part.partname).lstrip("/"),
                        )
                    )
                try:
                    root = etree.fromstring(blob, _SAFE_PARSER)
                except etree.XMLSyntaxError as exc:
                    raise FormatValueError(
                        _("{name}: not well-formed XML ({exc})", name=str(rel.target_part.partname).lstrip("/"), exc=exc)
                    ) from None
                ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
                for kind in ("major", "minor"):
                    latin = root.find(f".//a:{kind}Font/a:latin", ns)
                    if latin is not None:
                        out[kind] = latin.get("typeface")
        return out

    def _style_chain(self, style_id: str | None) -> list[Any]:
        if style_id in self._chain_cache:
            return self._chain_cache[style_id]
        start = style_id
        chain, seen = [], set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            st = self._styles[style_id]
            chain.append(st)
            based = st.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        self._chain_cache[start] = chain
        return chain

    def _style_name(self, style_id: str | None) -> str:
        # A style may lack w:name (Word then shows its id); it is not an error in the document.
        st = self._styles.get(style_id)
        name = st.find(qn("w:name")) if st is not None else None
        return (name.get(_VAL) if name is not None else None) or (style_id if st is not None else "") or ""

    def _para_style_id(self, p: Paragraph) -> str | None:
        ppr = p._p.find(_PPR)
        ps = ppr.find(_PSTYLE) if ppr is not None else None
        return ps.get(_VAL) if ps is not None else self._default_para

    def _rpr_sources(self, p: Paragraph, r: Run | CT_R | None) -> list[Any]:
        sources = []
        if r is not None:
            rpr = _run_element(r).find(_RPR)
            if rpr is not None:
                sources.append(rpr)
                rstyle = rpr.find(_RSTYLE)
                if rstyle is not None:
                    sources += [s.find(_RPR) for s in self._style_chain(rstyle.get(_VAL))]
        sources += [s.find(qn("w:rPr")) for s in self._style_chain(self._para_style_id(p))]
        sources.append(self._rpr_default)
        return [s for s in sources if s is not None]

    def _ppr_sources(self, p: Paragraph) -> list[Any]:
        sources = [p._p.find(_PPR)] + [s.find(_PPR) for s in self._style_chain(self._para_style_id(p))] + [self._ppr_default]
        return [s for s in sources if s is not None]

    @staticmethod
    def _first(sources, tag: str):
        for src in sources:
            el = src.find(qn(tag))
            if el is not None:
                return el
        return None

    # ------------------------------------------------------------------ API
    def run(self, p: Paragraph, r: Run | CT_R | None = None) -> RunLook:
        """Effective look of run *r* (a Run or its w:r element) of paragraph *p* (of the paragraph mark when r is None)."""
        rpr = _run_element(r).find(_RPR) if r is not None else None
        key = (self._para_style_id(p), etree.tostring(rpr) if rpr is not None else None)
        look = self._run_cache.get(key)
        if look is None:
            look = self._run_cache[key] = self._resolve_run(p, r)
        return look

    def _resolve_run(self, p: Paragraph, r: Run | CT_R | None) -> RunLook:
        src = self._rpr_sources(p, r)
        font = None
        for s in src:
            rf = s.find(qn("w:rFonts"))
            if rf is None:
                continue
            if rf.get(qn("w:ascii")):
                font = rf.get(qn("w:ascii"))
                break
            theme = rf.get(qn("w:asciiTheme"))
            if theme:
                font = self._theme.get("major" if theme.startswith("major") else "minor")
                break
        sz = self._first(src, "w:sz")
        u = self._first(src, "w:u")
        toggles = {name: (lambda el: el is not None and _on(el))(self._first(src, tag)) for name, tag in _TOGGLES.items()}
        return RunLook(
            font=font,
            size_pt=measure(sz.get(qn("w:val")) or "", 10, "w:sz/@w:val") / 2 if sz is not None else None,
            bold=toggles["bold"],
            italic=toggles["italic"],
            underline=u is not None and u.get(qn("w:val")) not in (None, "none"),
        )

    def runs(self, p: Paragraph) -> list[RunLook]:
        """Looks of the runs that carry text (empty runs ignored)."""
        return [self.run(p, r) for r in p.runs if r.text.strip()]

    def paragraph(self, p: Paragraph) -> ParagraphLook:
        ppr = p._p.find(_PPR)
        key = (self._para_style_id(p), etree.tostring(ppr) if ppr is not None else None)
        look = self._para_cache.get(key)
        if look is None:
            look = self._para_cache[key] = self._resolve_paragraph(p)
        return look

    def _resolve_paragraph(self, p: Paragraph) -> ParagraphLook:
        src = self._ppr_sources(p)
        jc = self._first(src, "w:jc")

        def twips_attr(tag: str, attr: str) -> float:
            for s in src:
                el = s.find(qn(tag))
                if el is not None and el.get(qn(attr)) is not None:
                    return measure(el.get(qn(attr)), 1, f"{tag}/@{attr}")
            return 0

        line_rule = None
        line = None
        for s in src:
            sp = s.find(qn("w:spacing"))
            if sp is not None and sp.get(qn("w:line")) is not None:
                line_rule = sp.get(qn("w:lineRule")) or "auto"
                twips = measure(sp.get(qn("w:line")), 1, "w:spacing/@w:line")
                line = twips / 20 if line_rule != "auto" else twips / 240
                break
        keep = self._first(src, "w:keepNext")
        bdr = self._first(src, "w:pBdr")
        bottom = bdr.find(qn("w:bottom")) if bdr is not None else None
        return ParagraphLook(
            style=self._style_name(self._para_style_id(p)),
            alignment=jc.get(qn("w:val")) if jc is not None else None,
            first_line_mm=twips_attr("w:ind", "w:firstLine") * 25.4 / 1440,
            left_mm=twips_attr("w:ind", "w:left") * 25.4 / 1440,
            space_before_pt=twips_attr("w:spacing", "w:before") / 20,
            space_after_pt=twips_attr("w:spacing", "w:after") / 20,
            line_pt=line,
            line_rule=line_rule,
            keep_next=keep is not None and _on(keep),
            bottom_border=bottom is not None and bottom.get(qn("w:val")) not in (None, "nil", "none"),
        )
