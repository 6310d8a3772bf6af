"""Reading a DOCX back: the EFFECTIVE formatting of paragraphs and runs.

Word resolves a run's look from its direct formatting, then its character style, then the
paragraph style and the styles that one is based on, then the document defaults; fonts may name
a theme font instead of a typeface. Tests use this to assert what a reader sees, and the format
checker will use it to check documents typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.document import Document as _Document
from lxml import etree
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

_TOGGLES = {"bold": "w:b", "italic": "w:i", "caps": "w:caps"}
# Plain lxml lookups: python-docx's property accessors cost 10× more and a check reads thousands.
_PPR, _RPR, _PSTYLE, _RSTYLE, _VAL = qn("w:pPr"), qn("w:rPr"), qn("w:pStyle"), qn("w:rStyle"), qn("w:val")


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
            (sid for sid, s in self._styles.items() if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")),
            None,
        )
        dd = styles.find(qn("w:docDefaults"))
        self._rpr_default = dd.find(qn("w:rPrDefault")).find(qn("w:rPr")) if dd is not None and dd.find(qn("w:rPrDefault")) is not None else None
        self._ppr_default = dd.find(qn("w:pPrDefault")).find(qn("w:pPr")) if dd is not None and dd.find(qn("w:pPrDefault")) is not None else None
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
                from lxml import etree

                root = etree.fromstring(rel.target_part.blob)
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

    def _para_style_id(self, p: Paragraph) -> str | None:
        ppr = p._p.find(_PPR)
        ps = ppr.find(_PSTYLE) if ppr is not None else None
        return ps.get(_VAL) if ps is not None else self._default_para

    def _rpr_sources(self, p: Paragraph, r: Run | None) -> list[Any]:
        sources = []
        if r is not None:
            rpr = getattr(r, "_r", r).find(_RPR)
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
    def run(self, p: Paragraph, r: Run | None = None) -> RunLook:
        """Effective look of run *r* of paragraph *p* (of the paragraph mark when r is None)."""
        rpr = getattr(r, "_r", r).find(_RPR) if r is not None else None
        key = (self._para_style_id(p), etree.tostring(rpr) if rpr is not None else None)
        look = self._run_cache.get(key)
        if look is None:
            look = self._run_cache[key] = self._resolve_run(p, r)
        return look

    def _resolve_run(self, p: Paragraph, r: Run | None) -> RunLook:
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
            size_pt=int(sz.get(qn("w:val"))) / 2 if sz is not None else None,
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
                    return int(el.get(qn(attr)))
            return 0

        line_rule = None
        line = None
        for s in src:
            sp = s.find(qn("w:spacing"))
            if sp is not None and sp.get(qn("w:line")) is not None:
                line_rule = sp.get(qn("w:lineRule")) or "auto"
                line = int(sp.get(qn("w:line"))) / 20 if line_rule != "auto" else int(sp.get(qn("w:line"))) / 240
                break
        keep = self._first(src, "w:keepNext")
        bdr = self._first(src, "w:pBdr")
        bottom = bdr.find(qn("w:bottom")) if bdr is not None else None
        return ParagraphLook(
            style=self._styles[self._para_style_id(p)].find(qn("w:name")).get(qn("w:val")) if self._para_style_id(p) in self._styles else "",
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
