"""``vanban check``: the format check (kiểm tra thể thức) of any Party document in DOCX.

It finds the format elements by their text, wherever a document keeps them (in a header table as
we render it, or in plain paragraphs as people type it), reads their EFFECTIVE formatting
(direct formatting → character style → paragraph style chain → document defaults, theme fonts
resolved; :mod:`generator.inspect.docx_inspect`) and checks them against the rules of a profile
(``rules:`` in data/rules/). Which rules exist, how severe they are and why, is data.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import docx
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph

from generator.inspect.docx_inspect import FormatValueError, Inspector
from generator.inspect.elements import (
    APPENDIX,
    ARTICLE,
    BLANK,
    DATE_LINE,
    DIVISION,
    ENACT,
    MARKS,
    MINUTES_ROLES,
    NUMBER,
    SALUTATION,
    SIGN,
    TEXT_TAGS,
    TIEU_DE,
)
from generator.inspect.elements import norm as _norm
from generator.inspect.elements import raw_text as _raw_text
from generator.io.fsutil import InputError, read_input, reason
from generator.io.refdata import Profile, RefData, Rule
from generator.io.safezip import MAX_TOTAL_BYTES, ZipLimitError, read_parts, repack
from generator.lang import textcheck, vn
from generator.lang.i18n import _
from generator.render.identity import read_identity

# The element patterns are shared with the reader of received documents (inspect/elements.py).
_NUMBER = NUMBER
_DATE_LINE = DATE_LINE
_BLANK = BLANK
_SIGN = SIGN
_APPENDIX = APPENDIX
_SALUTATION = SALUTATION
_MARKS = MARKS
_ARTICLE = ARTICLE
_ENACT = ENACT
_DIVISION = DIVISION
CONG_VAN = "cong-van"
BIEN_BAN = "bien-ban"


class CheckError(Exception):
    """The file cannot be checked at all (not a DOCX, unreadable)."""


@dataclass(frozen=True)
class Finding:
    severity: str
    rule: str
    clause: str
    paragraph: int | None  # 1-based, in reading order (body and table cells)
    text: str
    found: str
    expected: str

    def line(self) -> str:
        from generator.io.loader import severity_word

        where = f"¶{self.paragraph}" if self.paragraph else _("document")
        excerpt = f" “{self.text[:50]}{'…' if len(self.text) > 50 else ''}”" if self.text else ""
        return _(
            "{severity}: {rule} [{clause}] {where}{excerpt}: found {found}; expected {expected}",
            severity=severity_word(self.severity),
            rule=self.rule,
            clause=self.clause,
            where=where,
            excerpt=excerpt,
            found=self.found,
            expected=self.expected,
        )


@dataclass
class Para:
    """A line as the reader sees it: a paragraph, or one line of a paragraph typed with line breaks
    (Shift+Enter, ``w:br``), or one column of a line whose columns are separated by tabs."""

    index: int  # 1-based position in the list of lines
    p: Paragraph
    container: object  # the cell (or the body) holding it
    text: str  # whitespace collapsed, NFC: for finding elements
    raw: str  # as typed: for the text rules
    #: The run elements of this line when it is a part of its paragraph (None: the whole paragraph).
    runs: list | None = None
    #: The paragraph's number in reading order (what a finding names), and this line's place in it.
    number: int = 0
    part: int = 0
    #: The column of a line typed with tabs: how many groups of tabs stand before it on its line.
    column: int = 0


_R, _T = qn("w:r"), qn("w:t")
_SIDES: tuple[Literal["top", "bottom", "left", "right"], ...] = ("top", "bottom", "left", "right")
_TAB, _BR, _CR = qn("w:tab"), qn("w:br"), qn("w:cr")
_TEXT_TAGS = TEXT_TAGS


def _segments(p: Paragraph) -> list[tuple[str, list, int]]:
    """The lines of a paragraph typed with line breaks, and their columns typed with tabs: (text, runs, column).
    A paragraph with neither is one segment."""
    segments: list[tuple[str, list, int]] = []
    text: list[str] = []
    runs: list = []
    column, tabs = 0, False

    def close() -> None:
        nonlocal text, runs
        if "".join(text).strip() or not segments:
            segments.append(("".join(text), runs, column))
        text, runs = [], []

    for el in p._p.iter(*_TEXT_TAGS):
        r = el.getparent()
        if r.tag != _R:
            continue
        if el.tag in (_BR, _CR):
            close()
            column, tabs = 0, False
        elif el.tag == _TAB:
            if not tabs:
                if "".join(text).strip():
                    close()
                column += 1
            tabs = True
        else:
            piece: str = (el.text or "") if _TEXT_TAGS[el.tag] is None else (_TEXT_TAGS[el.tag] or "")
            if piece.strip():
                tabs = False
                if r not in runs:
                    runs.append(r)
            elif tabs:
                continue
            text.append(piece)
    close()
    # The first line keeps what comes before the first break even when empty; drop it when others follow.
    if len(segments) > 1 and not segments[0][0].strip():
        segments = segments[1:]
    return segments


def paragraphs(doc) -> list[Para]:
    """Body paragraphs and table-cell paragraphs in reading order (a merged cell once), a paragraph typed with
    line breaks or tab-separated columns as one line per part."""
    out: list[Para] = []
    body = doc.element.body
    count = 0

    def add(p: Paragraph, container) -> None:
        nonlocal count
        count += 1
        raw = _raw_text(p)
        if "\t" not in raw and "\n" not in raw:
            out.append(Para(len(out) + 1, p, container, _norm(raw), raw, number=count))
            return
        for part, (text, runs, column) in enumerate(_segments(p)):
            out.append(Para(len(out) + 1, p, container, _norm(text), text, runs, count, part, column))

    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            add(Paragraph(child, doc), body)
        elif child.tag == qn("w:tbl"):
            for row in Table(child, doc).rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    for p in cell.paragraphs:
                        add(p, cell._tc)
    return out


class _Checker:
    def __init__(self, doc, profile: Profile, ref: RefData):
        self.doc = doc
        self.profile = profile
        self.ref = ref
        self.ins = Inspector(doc)
        self.paras = paragraphs(doc)
        self.findings: list[Finding] = []

    # ---------------------------------------------------------------- helpers
    def rule(self, rid: str) -> Rule | None:
        r = self.profile.rules.get(rid)
        return None if r is None or r.severity == "off" else r

    def report(self, rid: str, para: Para | None, found: str, expected: str | None = None) -> None:
        r = self.rule(rid)
        if r is None:
            return
        self.findings.append(
            Finding(
                r.severity, rid, r.clause, para.number if para else None, para.text if para else "", found, expected or r.explain
            )
        )

    def looks(self, para: Para):
        if para.runs is not None:
            return [self.ins.run(para.p, r) for r in para.runs] or [self.ins.run(para.p)]
        return self.ins.runs(para.p) or [self.ins.run(para.p)]

    def first(self, pred, start: int = 0, stop: int | None = None) -> Para | None:
        for para in self.paras[start:stop]:
            if pred(para):
                return para
        return None

    def style_check(
        self, rid: str, para: Para, *, sizes=None, bold=None, italic=None, underline=None, upper=False, align=None
    ) -> None:
        looks = self.looks(para)
        problems = []
        if sizes is not None:
            got = sorted({l.size_pt for l in looks}, key=lambda x: x or 0)
            if any(s not in sizes for s in got):
                problems.append(_("size {value} pt", value="/".join(str(g) for g in got)))
        for name, want in (("bold", bold), ("italic", italic), ("underline", underline)):
            if want is not None and any(getattr(l, name) != want for l in looks):
                problems.append(("not " if want else "") + name)
        if upper and any(c.isalpha() and not c.isupper() for c in para.text):
            problems.append(_("not all upper case"))
        if align is not None and self.ins.paragraph(para.p).alignment not in align:
            problems.append(_("aligned {value}", value=self.ins.paragraph(para.p).alignment or "left"))
        if problems:
            self.report(rid, para, ", ".join(problems))

    # ---------------------------------------------------------------- page
    def page(self) -> None:
        for i, section in enumerate(self.doc.sections):
            w, h = round(section.page_width / Mm(1)), round(section.page_height / Mm(1))
            if sorted((w, h)) != [210, 297]:
                self.report("trang.kho-giay", None, _("section {value}: {w} × {h} mm", value=i + 1, w=w, h=h))
            if i == 0 and w > h:
                self.report("trang.huong", None, _("the first section is landscape"))
            r = self.rule("trang.le")
            if r:
                tol = r.param("tolerance_mm", 1)
                want = self.profile.layout.margins_mm
                got = {k: round(getattr(section, f"{k}_margin") / Mm(1), 1) for k in _SIDES}
                off = {k: v for k, v in got.items() if abs(v - want[k]) > tol}
                if off:
                    self.report(
                        "trang.le",
                        None,
                        f"section {i + 1} margins " + ", ".join(f"{k} {v:g} mm" for k, v in off.items()),
                        "margins " + ", ".join(f"{k} {want[k]:g} mm" for k in ("top", "bottom", "left", "right")),
                    )
        first = self.doc.sections[0]
        has_field = lambda hdr: "PAGE" in hdr._element.xml if hdr is not None else False  # noqa: E731
        if not first.different_first_page_header_footer:
            if has_field(first.header):
                self.report("trang.so-trang", None, _("a page number on the first page"))
            else:
                self.report("trang.so-trang", None, _("no page numbers"))
        elif has_field(first.first_page_header):
            self.report("trang.so-trang", None, _("a page number on the first page"))
        elif not has_field(first.header):
            self.report("trang.so-trang", None, _("no page numbers from page 2"))

    def fonts(self) -> None:
        bad: dict[str, list[Para]] = {}
        for para in self.paras:
            if not para.text or para.part:
                continue
            for r in para.p._p.iter(_R):
                if "".join(t.text or "" for t in r.iter(_T)).strip():
                    font = self.ins.run(para.p, r).font or "(no font named)"
                    if font != "Times New Roman":
                        bad.setdefault(font, []).append(para)
        for font, where in bad.items():
            self.report(
                "phong-chu",
                where[0],
                _("font {font} in {value} paragraph(s)", font=repr(font), value=len(where)),
                "Times New Roman",
            )

    # ---------------------------------------------------------------- header block
    def header(self) -> tuple[Para | None, Para | None]:
        head = self.paras[:25]
        tieu_de = self.first(lambda p: p.text == TIEU_DE, 0, 25)
        if tieu_de is None:
            self.report("tieu-de", None, _("no “ĐẢNG CỘNG SẢN VIỆT NAM” in the header"))
        else:
            self.style_check("tieu-de", tieu_de, sizes=(15,), bold=True, italic=False)
            look = self.ins.paragraph(tieu_de.p)
            nxt = self.paras[tieu_de.index] if tieu_de.index < len(self.paras) else None
            drawn = (
                "<w:drawing" in tieu_de.p._p.xml
                or "<w:pict" in tieu_de.p._p.xml
                or (nxt is not None and not nxt.text and ("<w:drawing" in nxt.p._p.xml or "<w:pict" in nxt.p._p.xml))
            )
            if not look.bottom_border and not drawn:
                self.report("tieu-de", tieu_de, _("no rule under it"))
        star = self.first(lambda p: p.text == "*", 0, 25)
        if star is None:
            self.report("co-quan.ban-hanh", None, _("no “*” under the issuing body"))
        else:
            above = [
                p
                for p in head
                if p.index < star.index
                and p.container is star.container
                and p.column == star.column
                and p.text
                and p.text != TIEU_DE
            ]
            if above:
                issuer = above[-1]
                self.style_check("co-quan.ban-hanh", issuer, sizes=(14,), bold=True, italic=False, upper=True)
                if len(above) >= 2:
                    self.style_check("co-quan.cap-tren", above[-2], sizes=(14,), bold=False, italic=False, upper=True)
            else:
                self.report("co-quan.ban-hanh", star, _("no issuing body above the “*”"))
        number = self.first(lambda p: p.text.startswith("Số"), 0, 25)
        if number is None:
            self.report("so-ky-hieu", None, _("no number line (Số …)"))
        date = self.first(lambda p: bool(_DATE_LINE.match(p.text)), 0, 25)
        if date is None:
            if not self.undated():
                self.report("ngay-thang", None, _("no place and date line"))
        else:
            self.style_check("ngay-thang", date, sizes=(14,), italic=True, bold=False)
            date_match = _DATE_LINE.match(date.text)
            assert date_match is not None  # the line was chosen by this very pattern
            day, month, year = date_match.group("day", "month", "year")
            written = date.text.split(",", 1)[1].strip()
            try:
                expected = vn.header_date(int(year), int(month) if month else None, int(day) if day else None)
            except ValueError:
                expected = None
            if expected is None or " ".join(expected.split()) != " ".join(written.split()):
                self.report(
                    "ngay-thang",
                    date,
                    _("ngày {value} tháng {month}", value=day or "(blank)", month=month),
                    expected or _("ngày 01–09 and tháng 01, 02 with a leading 0; tháng 3–12 without"),
                )
        return number, date

    def undated(self) -> bool:
        """The document was made without a date on purpose (vanban writes ``undated`` in its identity)."""
        for rel in self.doc.part.package.rels.values():
            if rel.reltype.endswith("/custom-properties") and not rel.is_external:
                ident = read_identity(rel.target_part.blob) or {}
                extra = ident.get("extra")
                return isinstance(extra, dict) and extra.get("undated") is True
        return False

    def number_line(self, number: Para | None, type_code: str | None) -> None:
        if number is None:
            return
        self.style_check("so-ky-hieu", number, sizes=(14,), bold=False, italic=False)
        raw = " ".join(number.raw.split())
        if raw.startswith("Số:") or raw.startswith("Số :"):
            self.report("so-ky-hieu", number, _("“Số:” with a colon"), _("“Số 09-KH/TU” without a colon"))
        m = _NUMBER.match(raw.replace("Số:", "Số"))
        if not m:
            self.report("so-ky-hieu", number, _("not of the form Số <số>-<loại>/<cơ quan>"))
            return
        num, code, _issuer = m.groups()
        if num and (not num.isdigit() or (int(num) < 10 and len(num) < 2)):
            self.report("so-ky-hieu", number, _("number {num}", num=repr(num)), _("a number from 01, two digits below 10"))
        if type_code and code != type_code:
            self.report(
                "so-ky-hieu",
                number,
                _("type code {code}", code=repr(code)),
                _("{type_code} for this type of document", type_code=repr(type_code)),
            )

    # ---------------------------------------------------------------- title, body, closing
    def kind(self, after: int, number: Para | None) -> tuple[str | None, Para | None]:
        """The document's kind (a type id) and its tên loại line: found from the tên loại; for a Công văn, which has
        none, from ``Kính gửi:`` or a ``V/v`` trích yếu under the number; else from the properties vanban writes."""
        names = {t.title: t for t in self.ref.types.values()}
        title = self.first(lambda p: p.text in names, after, after + 12)
        if title is not None:
            return names[title.text].id, title
        if CONG_VAN in self.ref.types:
            under = self.paras[number.index] if number is not None and number.index < len(self.paras) else None
            if (under is not None and under.text.startswith("V/v")) or self.first(
                lambda p: bool(_SALUTATION.match(p.text)), after, after + 40
            ):
                return CONG_VAN, None
        props = self.doc.core_properties
        if (props.keywords or "").startswith("vanban-profile:"):
            for t in self.ref.types.values():
                if (props.title or "").startswith(t.name + " ") or props.title == t.name:
                    return t.id, None
        return None, None

    def subject_left(self, number: Para | None) -> list[Para]:
        """A Công văn's trích yếu: the lines under the number, in its column (12 pt, italic)."""
        lines: list[Para] = []
        if number is None:
            return lines
        for p in self.paras[number.index : number.index + 6]:
            if p.container is not number.container or _SALUTATION.match(p.text):
                break
            if p.column != number.column or _DATE_LINE.match(p.text) or p.text == TIEU_DE:
                continue
            if p.text in _MARKS:  # độ mật, độ khẩn under the trích yếu: the trích yếu has ended
                break
            if not p.text:
                if lines:
                    break
                continue
            lines.append(p)
        rule = self.rule("trich-yeu.cong-van")
        sizes = tuple(rule.param("sizes", [12, 13])) if rule else (12, 13)
        for p in lines:
            self.style_check("trich-yeu.cong-van", p, sizes=sizes, italic=True, bold=False)
        return lines

    def title(self, after: int, title: Para | None, kind: str | None) -> tuple[Para | None, str | None, list[Para], int]:
        names = {t.title: t for t in self.ref.types.values()}
        if title is None:
            if kind is None:
                self.report("ten-loai", None, _("no document type name (KẾ HOẠCH, BÁO CÁO …) after the header"))
            return None, self.ref.types[kind].code if kind else None, [], after
        name_rule = self.rule("ten-loai")
        sizes = tuple(name_rule.param("sizes", [15, 16])) if name_rule else (15, 16)
        self.style_check("ten-loai", title, sizes=sizes, bold=True, upper=True, align=("center",))
        subject: list[Para] = []
        i = title.index
        # A Nghị quyết or Kết luận names its body or meeting in capitals under the tên loại (``HỘI NGHỊ LẦN THỨ BẢY`` /
        # ``BAN CHẤP HÀNH ĐẢNG BỘ TỈNH (KHÓA XVI)``) before the trích yếu.
        line_rule = self.rule("ten-loai.dong-phu")
        line_sizes = tuple(line_rule.param("sizes", [14, 15, 16])) if line_rule else (14, 15, 16)
        while (
            i < len(self.paras)
            and len(subject) < 3
            and self.paras[i].text
            and self.paras[i].text != "-----"
            and self.paras[i].text == vn.upper(self.paras[i].text)
            and any(c.isalpha() for c in self.paras[i].text)
        ):
            self.style_check("ten-loai.dong-phu", self.paras[i], sizes=line_sizes, bold=True, upper=True, align=("center",))
            i += 1
        while i < len(self.paras) and len(subject) < 4 and self.paras[i].text and self.paras[i].text != "-----":
            subject.append(self.paras[i])
            i += 1
        subject_rule = self.rule("trich-yeu")
        tsizes = tuple(subject_rule.param("sizes", [14, 15])) if subject_rule else (14, 15)
        for s in subject[:1]:
            self.style_check("trich-yeu", s, sizes=tsizes, bold=True, align=("center",))
        if i < len(self.paras) and self.paras[i].text == "-----":
            i += 1
        else:
            self.report("trich-yeu.gach", subject[-1] if subject else title, _("no “-----” under the trích yếu"))
        return title, names[title.text].code, subject, i

    def body(self, start: int, stop: int) -> None:
        size_rule = self.rule("noi-dung.co-chu")
        sizes = tuple(size_rule.param("sizes", [14, 15])) if size_rule else (14, 15)
        indent_rule, spacing_rule = self.rule("noi-dung.can-le"), self.rule("noi-dung.gian-dong")
        lo, hi = indent_rule.param("indent_mm", [9, 13]) if indent_rule else (9, 13)
        min_pt = spacing_rule.param("min_pt", 18) if spacing_rule else 18
        addressees = False  # within a Kính gửi block: its ``- `` lines are addressees, not body paragraphs
        division_name = False  # the line after ``Chương II``: the chapter's name
        lines = self.paras[start:stop]
        for k, para in enumerate(lines):
            if not para.text or para.container is not self.doc.element.body:
                addressees = addressees and bool(para.text)
                continue
            self.style_check("noi-dung.co-chu", para, sizes=sizes)
            if _SALUTATION.match(para.text):
                addressees = True
                continue
            if addressees and para.text.startswith(("-", "–", "+")) or (addressees and para.part):
                continue
            addressees = False
            if para.text.rstrip(":").strip() == _ENACT:
                # A Quyết định's ``QUYẾT ĐỊNH:`` line, and the enacting body in capitals on the line above it.
                self.style_check("quyet-dinh.quyet-dinh", para, bold=True, upper=True, align=("center",))
                prev = next((p for p in reversed(lines[:k]) if p.text), None)
                if prev is not None and prev.text == vn.upper(prev.text) and any(c.isalpha() for c in prev.text):
                    self.style_check("quyet-dinh.quyet-dinh", prev, upper=True, align=("center",))
                continue
            nxt = next((p for p in lines[k + 1 :] if p.text), None)
            if (
                nxt is not None
                and nxt.text.rstrip(":").strip() == _ENACT
                and para.text == vn.upper(para.text)
                and any(c.isalpha() for c in para.text)
            ):
                continue  # the enacting body, checked with the QUYẾT ĐỊNH line
            if _DIVISION.match(para.text):
                # a heading of a Quy chế / Quy định, centred by rule: not a body paragraph (no justification, indent)
                self.style_check("quy-dinh.chuong", para, bold=True, align=("center",))
                division_name = True
                continue
            if division_name and para.text == vn.upper(para.text):
                self.style_check("quy-dinh.chuong", para, bold=True, upper=True, align=("center",))
                division_name = False
                continue
            division_name = False
            article = _ARTICLE.match(para.text)
            if article:
                self.article(para, article)
            if para.part:
                continue  # the paragraph's layout was checked on its first line
            look = self.ins.paragraph(para.p)
            issues = []
            if look.alignment != "both":
                issues.append(_("aligned {value}", value=look.alignment or "left"))
            if not lo <= look.first_line_mm <= hi:
                issues.append(_("first-line indent {first_line_mm:.1f} mm", first_line_mm=look.first_line_mm))
            if look.space_after_pt < 6:
                issues.append(_("{space_after_pt:g} pt after", space_after_pt=look.space_after_pt))
            if issues:
                self.report("noi-dung.can-le", para, ", ".join(issues))
            if look.line_rule != "exact" or (look.line_pt or 0) < min_pt:
                self.report(
                    "noi-dung.gian-dong",
                    para,
                    _("line spacing {rule} {pt}", rule=look.line_rule or "single", pt=look.line_pt or "").strip(),
                )

    def article(self, para: Para, m: re.Match) -> None:
        """``Điều 1.``: the label (the word, its number and the full stop) bold, the text after it regular."""
        rule = self.rule("dieu.nhan")
        seps = tuple(rule.param("separators", ["."])) if rule else (".",)
        # The profile's own choice of label (layout ``article_separator``: ``Điều 1:``) is accepted with them.
        if self.profile.layout.article_separator not in seps:
            seps = (*seps, self.profile.layout.article_separator)
        if m.group(2) not in seps:
            self.report(
                "dieu.nhan",
                para,
                _("article label {value}", value=repr(m.group(0))),
                _("“{label}” followed by {value}", label=m.group(1), value=" or ".join(repr(s) for s in seps)),
            )
        want = len(m.group(0).replace(" ", ""))
        seen = 0
        for r in para.runs if para.runs is not None else para.p._p.iter(_R):
            text = "".join(t.text or "" for t in r.iter(_T))
            if not text.strip():
                continue
            if not self.ins.run(para.p, r).bold:
                self.report("dieu.nhan", para, _("the article label is not bold"))
                return
            seen += len(text.replace(" ", ""))
            if seen >= want:
                return

    def minutes_signers(self, start: int) -> list[Para]:
        """A Biên bản's signers: the secretary's and the chair's titles side by side (table cells or tab columns)."""
        rule = self.rule("ky.bien-ban")
        roles = {vn.upper(r) for r in (rule.param("roles", MINUTES_ROLES) if rule else MINUTES_ROLES)}
        return [p for p in self.paras[start:] if p.text.rstrip(":") in roles or _SIGN.match(p.text)]

    def closing(self, start: int, kind: str | None = None) -> int:
        label = self.first(lambda p: p.text.rstrip(":") == "Nơi nhận", start)
        if kind == BIEN_BAN:
            signers = self.minutes_signers(start)
            end = min([p.index - 1 for p in (label, *signers[:1]) if p is not None] or [len(self.paras)])
            if len(signers) < 2:
                self.report(
                    "ky.bien-ban",
                    signers[0] if signers else None,
                    _("{value} signer(s)", value=len(signers)),
                )
            for signer in signers:
                self.style_check("ky.bien-ban", signer, sizes=(14,), bold=True, upper=True)
                self.signer_lines(signer, check_position=bool(_SIGN.match(signer.text)))
            if label is not None:
                self.style_check("noi-nhan.nhan", label, sizes=(14,), underline=True, bold=False, italic=False)
                self.recipients(label)
            return end
        # every signing line: a joint document's signers stand side by side, two a row
        signs = [p for p in self.paras[start:] if _SIGN.match(p.text)]
        sign = signs[0] if signs else None
        end = min([p.index - 1 for p in (label, sign) if p is not None] or [len(self.paras)])
        # A form with blanks for the unit to fill (36-HD's forms) has no Nơi nhận and no signature of its own.
        form = any(_BLANK.search(p.text) for p in self.paras[:25])
        # A Quy chế / Quy định issued with a Quyết định (its caption “(Ban hành kèm theo …)” under the trích yếu) is
        # sent with the Quyết định, under the Quyết định's Nơi nhận: it has none of its own.
        issued_with = any(p.text.startswith("(Ban hành kèm theo") for p in self.paras[: min(start + 1, 40)])
        if label is not None:
            self.style_check("noi-nhan.nhan", label, sizes=(14,), underline=True, bold=False, italic=False)
            self.recipients(label)
        elif not form and not issued_with:
            self.report("noi-nhan.nhan", None, _("no “Nơi nhận:”"))
        for one in signs:
            self.signoff(one)
        if sign is None and not form:
            self.report("ky.quyen-han", None, _("no signing block (T/M, K/T, T/L …)"))
        return end

    def recipients(self, label: Para) -> None:
        lines: list[Para] = []
        for p in self.paras[label.index :]:
            if p.container is not label.container or not p.text or p.column != label.column:
                continue
            if not p.text.startswith(("-", "–")) and lines:
                break  # the block ends at the first line that is not a recipient (Th-40, …)
            if p.text.startswith(("-", "–")):
                lines.append(p)
        if not lines:
            self.report("noi-nhan.dong", label, _("no recipient lines under “Nơi nhận:”"))
            return
        rule = self.rule("noi-nhan.dong")
        seps = rule.param("separator", ",") if rule else ","
        seps = tuple(seps) if isinstance(seps, list) else (seps,)
        for p in lines:
            self.style_check("noi-nhan.dong", p, sizes=(12,))
            if not p.text.startswith("- "):
                self.report("noi-nhan.dong", p, _("line does not start with “- ”"))
        for p in lines[:-1]:
            if not p.text.endswith(seps):
                self.report(
                    "noi-nhan.dong",
                    p,
                    _("line ends with {value}", value=repr(p.text[-1])),
                    _("lines end with {value}", value=" or ".join(repr(s) for s in seps)),
                )
        last = lines[-1]
        luu = self.rule("noi-nhan.luu")
        label_word = luu.param("label", "Lưu") if luu else "Lưu"
        if not last.text.endswith("."):
            self.report("noi-nhan.dong", last, _("the last line does not end with “.”"))
        if not last.text.startswith(f"- {label_word} "):
            self.report(
                "noi-nhan.luu",
                last,
                _("last line {value}", value=repr(last.text[:20])),
                _("“- {label_word} …” (archive line)", label_word=label_word),
            )

    def signoff(self, sign: Para) -> None:
        form = sign.text.split()[0]
        allowed = set(self.profile.signing_forms)
        if form not in allowed:
            self.report(
                "ky.quyen-han",
                sign,
                _("signing form {form}", form=repr(form)),
                _("one of {value}", value=", ".join(sorted(allowed))),
            )
        self.style_check("ky.quyen-han", sign, sizes=(14,), bold=True, upper=True)
        self.signer_lines(sign, check_position=True)

    def signer_lines(self, sign: Para, *, check_position: bool) -> None:
        """The lines under a signing line, in its cell and column: the position (after T/M …), then the name."""
        rest: list[Para] = []
        for p in self.paras[sign.index :]:
            if p.container is not sign.container or not p.text or p.column != sign.column:
                continue
            if p.text.startswith(("Nơi nhận", "-")) or _APPENDIX.match(p.text) or len(rest) == 6:
                break
            if p.text.rstrip(":") in MINUTES_ROLES or _SIGN.match(p.text):
                break
            rest.append(p)
        if rest and check_position:
            self.style_check("ky.chuc-vu", rest[0], sizes=(14,), bold=False, upper=True)
        if len(rest) >= (2 if check_position else 1):
            self.style_check("ky.ho-ten", rest[-1], sizes=(14,), bold=True)

    def appendix(self, after: int) -> None:
        head = self.first(lambda p: bool(_APPENDIX.match(p.text)) and p.container is self.doc.element.body, after)
        if head is None:
            return
        note = self.first(lambda p: p.text.startswith("(Kèm theo"), head.index - 1, head.index + 4)
        if note is None:
            self.report("phu-luc", head, _("no “(Kèm theo …)” line under the appendix heading"))
        elif not all(l.italic for l in self.looks(note)):
            self.report("phu-luc", note, _("not italic"))
        if len(self.doc.sections) < 2:
            self.report(
                "phu-luc",
                head,
                _("the appendix is not a section of its own"),
                _("a section of its own (landscape for a wide table)"),
            )

    def text_rules(self) -> None:
        texts = []
        for para in self.paras:
            raw = para.raw
            if not raw.strip():
                continue
            texts.append(raw)
            for f in textcheck.check_text(raw):
                self.report(f.rule, para, f.message)
        slash, hyphen = textcheck.date_styles(texts)
        if slash and hyphen:
            self.report(
                "van-ban.ngay-tron", None, _("{slash} date(s) with “/” and {hyphen} with “-”", slash=slash, hyphen=hyphen)
            )

    def run(self) -> list[Finding]:
        self.page()
        self.fonts()
        number, date = self.header()
        after = max(p.index for p in (number, date) if p is not None) if (number or date) else 0
        kind, title_line = self.kind(after, number)
        if kind == CONG_VAN:
            # No tên loại: the trích yếu stands under the number, and the body follows the header.
            subject = self.subject_left(number)
            after = max([after, *(p.index for p in subject)])
        title, code, _subject, body_start = self.title(after, title_line, kind)
        self.number_line(number, code)
        body_end = self.closing(body_start, kind)
        self.body(body_start, body_end)
        self.appendix(body_end)
        self.text_rules()
        order = {"error": 0, "warning": 1}
        return sorted(self.findings, key=lambda f: (f.paragraph or 0, order.get(f.severity, 2), f.rule))


def check_docx(path: str | Path, profile: Profile, ref: RefData) -> list[Finding]:
    """Every finding of *profile*'s rules in the DOCX at *path*."""
    doc = open_docx(path)
    try:
        return _Checker(doc, profile, ref).run()
    except FormatValueError as exc:
        raise CheckError(_("{path}: {exc}", path=path, exc=exc)) from None


def open_docx(path: str | Path):
    """The DOCX at *path*, read under the zip limits with DOCTYPE/ENTITY declarations refused (else :class:`CheckError`)."""
    path = Path(path)
    if path.is_dir():
        raise CheckError(_("{path}: is a folder, not a DOCX file", path=path))
    try:
        with zipfile.ZipFile(io.BytesIO(read_input(path, MAX_TOTAL_BYTES))) as zf:
            parts = read_parts(zf, str(path))
        for name, data in parts.items():
            if name.endswith((".xml", ".rels")) and (b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data):
                raise CheckError(
                    _(
                        "{path}: {name}: contains a DOCTYPE/ENTITY declaration, which Word documents never need; refused",
                        path=path,
                        name=name,
                    )
                )
        doc = docx.Document(repack(parts))
    except ZipLimitError as exc:
        raise CheckError(str(exc)) from None
    except InputError as exc:
        raise CheckError(_("{path}: {exc}", path=path, exc=exc)) from None
    except FileNotFoundError:
        raise CheckError(_("{path}: file not found", path=path)) from None
    except CheckError:
        raise
    except zipfile.BadZipFile:
        raise CheckError(_("{path}: not a readable DOCX file: not a zip archive, or a damaged one", path=path)) from None
    except OSError as exc:
        raise CheckError(_("{path}: not a readable DOCX file ({exc})", path=path, exc=reason(exc))) from None
    except (KeyError, ValueError) as exc:
        raise CheckError(
            _("{path}: not a readable DOCX file ({value}: {exc})", path=path, value=type(exc).__name__, exc=exc)
        ) from None
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on damaged parts
        raise CheckError(_("{path}: not a readable DOCX file ({value})", path=path, value=type(exc).__name__)) from None
    return doc


def as_json(findings: list[Finding]) -> list[dict]:
    return [asdict(f) for f in findings]


def guess_profile(path: str | Path, ref: RefData | None = None) -> str | None:
    """The profile a document rendered by vanban was rendered for (kept in its core properties).

    A profile not known here (made elsewhere, or typed into the keywords) gives None, so that the
    default profile is used, and a warning on stderr says so.
    """
    try:
        raw = read_input(path, MAX_TOTAL_BYTES)  # a FIFO named as a DOCX must not block here
        with zipfile.ZipFile(io.BytesIO(raw)) as z, z.open("docProps/core.xml") as fh:
            core = fh.read(64 * 1024).decode("utf-8", "replace")  # the keywords come early; never read a bloated part whole
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error, InputError):
        return None
    m = re.search(r"<cp:keywords>vanban-profile:([\w.-]+)</cp:keywords>", core)
    if not m:
        return None
    if ref is None:
        from generator.io.refdata import load

        ref = load()
    if m.group(1) not in ref.profiles:
        print(
            _(
                "{path}: warning: the document was made for rule profile {pid}, which is not known here; it is checked under the default profile (use --profile to choose)",
                path=path,
                pid=repr(m.group(1)[:64]),
            ),
            file=sys.stderr,
        )
        return None
    return m.group(1)
