"""Reading a received DOCX back into the document model (``vanban import``).

It walks the document in the reading order of ``vanban check`` (:func:`generator.inspect.check.paragraphs`:
body paragraphs, then each table cell once) and finds the same elements by their text: the header block
(``*``, ``Số …``, the place and date line), tên loại and trích yếu, the body's numbered structure — typed
(``I.``/``I-``, ``1.``, ``a)``, ``-``) or Word's automatic numbering (``w:numPr`` resolved to its numbering
definition's format) —, the closing report sentence, Nơi nhận and the archive line, the sign-off and the
appendix table (merged cells, header rows repeated across pages). It lives in ``inspect`` because it reads
through the checker's element finder, so both read a document the same way.

Nothing is dropped silently: a paragraph that fits no element is kept as text where it stands and reported
as a :class:`Note` with its paragraph number.

A DOCX rendered by vanban carries, in its custom properties, what the page does not show: the original
case of the texts printed in capitals, the fields not printed (period, source), and a hash of its text as
rendered, so that an edit in Word is noticed (:func:`identity`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import tostring as etree_tostring

from generator.inspect.check import Para, paragraphs
from generator.inspect.elements import APPENDIX, DATE_LINE, MARKS, NUMBER, SALUTATION, SECRECY, SIGN, TIEU_DE
from generator.inspect.elements import norm as _norm
from generator.inspect.elements import raw_text as _raw_text
from generator.io.refdata import RefData
from generator.lang import vn
from generator.lang.i18n import _
from generator.render.identity import body_text_hash, read_identity

_H1 = re.compile(r"^([IVXLC]+)\s*[.\-–]\s*(.+)$")
_H2 = re.compile(r"^(\d{1,2})\s*[.)]\s*(.+)$")
_H3 = re.compile(r"^([a-zđ])\s*\)\s*(.+)$")
_BULLET = re.compile(r"^[-–+•]\s*(.+)$")
_REPORT = re.compile(
    r"^(?:(?P<lead>.+?),\s*báo cáo|Báo cáo)\s+(?P<what>.+?)\s+về\s+(?P<to>.+?)"
    r"(?:\s*\(qua\s+(?P<via>[^)]+)\))?\s+trước ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})\s*\.?$"
)
_RECIPIENT = re.compile(r"^[-–]\s*(?P<to>.+?)(?:\s*\((?P<note>[^()]*)\))?\s*(?P<end>[,;.])?$")
_ARCHIVE = re.compile(r"^[-–]\s*(Lưu\s*:?)\s*(.+?)\.?$")
_DISTRIBUTION = re.compile(r"^(\S+)\s*-\s*(\d+)\s*\.?$")
_NOTE = re.compile(r"^(.*?)\s*(\([^()]*\))$")
_STATUS_LINE = re.compile(r"^([^():;]+?)\s*\((\d+)\):\s*(.+)$")
_DASHES = re.compile(r"^[-–_]{3,}$")
#: A party body's name: the word for the body, then the organisation's own name (in capitals: a proper name).
_PARTY_BODY = re.compile(r"^(?:Đảng bộ|Đảng ủy|Chi bộ) (.+)$")
_DO_ASSIGN = re.compile(r"^tổ chức thực hiện$", re.I)


@dataclass(frozen=True)
class Note:
    """Something read only in part, or kept as plain text: where (¶ in reading order) and what."""

    paragraph: int | None
    message: str

    def line(self) -> str:
        where = f"¶{self.paragraph}" if self.paragraph else _("document")
        return f"{where}: {self.message}"


@dataclass
class Read:
    """What was read: the model's data (plain values, validated by the caller), notes, and whether the
    document was rendered by vanban and edited since."""

    data: dict[str, Any]
    notes: list[Note] = field(default_factory=list)
    rendered: bool = False
    edited: bool = False


# --------------------------------------------------------------------------- identity (round trip with Word)


def text_hash(doc) -> str:
    """The hash of the document's text, as :mod:`generator.render.identity` computes it when rendering."""
    return body_text_hash(doc.element.body)


def identity(doc) -> dict[str, Any] | None:
    """What vanban wrote into a DOCX it rendered (see :mod:`generator.render.identity`), or None."""
    for rel in doc.part.package.rels.values():
        if rel.reltype.endswith("/custom-properties") and not rel.is_external:
            return read_identity(rel.target_part.blob)
    return None


# --------------------------------------------------------------------------- helpers


def _sentence(text: str, case: dict[str, str]) -> str:
    """The text of a line printed in capitals: its original case when vanban kept it, else sentence case."""
    if text in case:
        return case[text]
    if any(c.isalpha() and c.islower() for c in text):
        return text
    low = text.lower()
    # Codes and Roman numerals keep their capitals: 41-CT/TW, XIV, ĐUB.
    words = []
    for word, orig in zip(low.split(" "), text.split(" "), strict=True):
        words.append(orig if ("/" in orig or "-" in orig and any(ch.isdigit() for ch in orig) or _is_roman(orig)) else word)
    out = _proper(" ".join(words))
    return out[:1].upper() + out[1:]


#: Names of the Party's and the State's bodies and offices, written with their capitals inside a name printed in
#: capitals (``ĐẢNG BỘ QUÂN ĐỘI`` → ``Đảng bộ Quân đội``, ``PHÓ BÍ THƯ`` → ``Phó Bí thư``) when neither the document's
#: identity nor its running text tells the case.
PROPER_NAMES = (
    "Bí thư",
    "Ban Thường vụ",
    "Ban Chấp hành",
    "Bộ Chính trị",
    "Trung ương",
    "Quân đội",
    "Quân ủy",
    "Chính phủ",
    "Ủy ban Kiểm tra",
    "Văn phòng",
    "Cơ yếu",
    "Quốc hội",
)
_PROPER = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in PROPER_NAMES) + r")(?!\w)", re.IGNORECASE)
_PROPER_CASE = {n.lower(): n for n in PROPER_NAMES}


def _proper(text: str) -> str:
    return _PROPER.sub(lambda m: _PROPER_CASE.get(m.group(0).lower(), m.group(0)), text)


#: A party body named after its place (Đảng bộ xã …, Tỉnh ủy …): the rest of the name is the place's.
_PLACE = re.compile(
    r"(?<!\w)((?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)|(?:Tỉnh|Thành|Huyện|Quận|Thị) ủy) (?!viên\b)(\w.*)$"
)


def _place(text: str) -> str:
    """A place's name, which the page printed in capitals, with a capital on each syllable (Vietnamese writes a
    place's name so: ``Đảng bộ xã Tuy Lộc``, ``Tỉnh ủy Thừa Thiên Huế``); a word with its own capitals is left."""
    m = _PLACE.search(text)
    if m is None:
        return text
    rest = " ".join(w if any(c.isupper() for c in w) else w[:1].upper() + w[1:] for w in m.group(2).split(" "))
    return text[: m.start(2)] + rest


def _keeps_capitals(word: str) -> bool:
    """Codes and Roman numerals keep their capitals: 41-CT/TW, XIV."""
    return "/" in word or ("-" in word and any(ch.isdigit() for ch in word)) or _is_roman(word)


def _is_roman(word: str) -> bool:
    return bool(word) and bool(re.fullmatch(r"\(?[IVXLC]+[.,;:)]?", word)) and len(word.strip("().,;:")) > 1


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


class _Numbering:
    """Word's automatic numbering: (numId, ilvl) → the level's format, from word/numbering.xml."""

    def __init__(self, doc) -> None:
        self.formats: dict[tuple[str, str], tuple[str, str]] = {}
        #: Paragraph styles that number their paragraphs (List Number, a heading style tied to a list).
        self.style_numpr: dict[str, Any] = {}
        for st in doc.styles.element.findall(qn("w:style")):
            ppr = st.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if numpr is not None and numpr.find(qn("w:numId")) is not None:
                self.style_numpr[st.get(qn("w:styleId"))] = numpr
        try:
            numbering = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[str, tuple[str, str]]] = {}
        for an in numbering.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in an.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                txt = lvl.find(qn("w:lvlText"))
                levels[lvl.get(qn("w:ilvl"))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    txt.get(qn("w:val")) if txt is not None else "",
                )
            abstract[an.get(qn("w:abstractNumId"))] = levels
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, look in abstract.get(ref.get(qn("w:val")), {}).items():
                self.formats[(num.get(qn("w:numId")), ilvl)] = look

    def kind(self, para: Para) -> str | None:
        """'h1', 'h2', 'h3' or 'bullet' for a paragraph Word numbers itself; None otherwise."""
        ppr = para.p._p.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is None and ppr is not None and ppr.find(qn("w:pStyle")) is not None:
            numpr = self.style_numpr.get(ppr.find(qn("w:pStyle")).get(qn("w:val")))
        if numpr is None:
            return None
        num_id = numpr.find(qn("w:numId"))
        ilvl = numpr.find(qn("w:ilvl"))
        key = (num_id.get(qn("w:val")) if num_id is not None else "", ilvl.get(qn("w:val")) if ilvl is not None else "0")
        fmt, _text = self.formats.get(key, (None, ""))
        return {"upperRoman": "h1", "decimal": "h2", "lowerLetter": "h3", "bullet": "bullet"}.get(fmt or "")


# --------------------------------------------------------------------------- the reader


#: A shape's reading of what only it has: (reader, data read so far, the line after the title block). It reads the
#: body, the closing block and anything after (see :meth:`DocumentReader.read_plan` for the plan's).
ShapeReader = Callable[["DocumentReader", dict[str, Any], int], None]


class DocumentReader:
    """Reads one document, or one part of it (the lines *lo* to *hi*: a Quyết định's attachment on its own pages),
    the common parts itself and the rest through the reader of the document's shape (*shapes*, by shape id)."""

    def __init__(
        self,
        doc,
        ref: RefData,
        shapes: Mapping[str, ShapeReader] | None = None,
        paras: list[Para] | None = None,
        appended: Collection[str] = (),
        lo: int = 0,
        hi: int | None = None,
        attached: bool = False,
    ) -> None:
        self.doc = doc
        self.ref = ref
        self.shapes = shapes or {}
        #: The shapes whose documents are a block added at the end of another (a Bản sao's copy block).
        self.appended = tuple(appended)
        self.paras = paras if paras is not None else paragraphs(doc)
        self.lo, self.hi = lo, hi
        #: The part is a document attached to another (a Quy chế after its Quyết định): no number, date or Nơi nhận.
        self.attached = attached
        self.archive_label: str | None = None
        #: Lines not understood that have no place of their own: kept after the closing paragraphs.
        self.kept: list[str] = []
        self.top = lo == 0 and hi is None
        if not self.top:  # outside its part, a line is as if empty: every search stays within the part
            self.paras = [
                p if lo <= i < (hi if hi is not None else len(self.paras)) else replace(p, text="", raw="")
                for i, p in enumerate(self.paras)
            ]
        self.body_el = doc.element.body
        self.notes: list[Note] = []
        self.numbering = _Numbering(doc)
        ident = identity(doc)
        self.ident = ident
        self.case: dict[str, str] = dict(ident.get("case", {})) if ident else {}
        self.used: set[int] = set()

    def cased(self, text: str) -> str:
        """A name printed in capitals, in its case as the running text writes it (``Đảng ủy Ban Cơ yếu Chính phủ``
        in the căn cứ or the appendix's “Kèm theo” line), else as :func:`_sentence` makes it."""
        if text in self.case or not _is_upper(text):
            return _sentence(text, self.case)
        if not hasattr(self, "_running"):
            self._running = "\n".join(p.text for p in self.paras if not _is_upper(p.text))
        m = re.search(r"(?<!\w)" + re.escape(text) + r"(?!\w)", self._running, re.IGNORECASE)
        if m and not _is_upper(m.group(0)) and m.group(0)[:1].isupper():
            return self._known_names(m.group(0))
        # Else phrase by phrase: the longest run of words the running text writes too, in its case.
        words = text.split(" ")
        out: list[str] = []
        i = 0
        while i < len(words):
            for j in range(len(words), i + 1, -1):
                phrase = " ".join(words[i:j])
                m = re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", self._running, re.IGNORECASE)
                if m and not _is_upper(m.group(0)):
                    found = m.group(0)
                    before = self._running[max(0, m.start() - 2) : m.start()]
                    if i and (m.start() == 0 or before.endswith("\n") or before in (". ", ": ", "- ", ") ", "“")):
                        found = found[:1].lower() + found[1:]  # capital only because a sentence starts there
                    out.append(found)
                    i = j
                    break
            else:
                out.append(
                    _sentence(words[i], {})
                    if i == 0
                    else _sentence(words[i], {}).lower()
                    if not _keeps_capitals(words[i])
                    else words[i]
                )
                i += 1
        # What the running text did not write keeps the capitals of a body's or an office's name: the units of the
        # reference data (data/units/) by their names, then the well-known ones.
        joined = _place(_proper(self._known_names(" ".join(out))))
        return joined[:1].upper() + joined[1:]

    def _known_names(self, text: str) -> str:
        if not hasattr(self, "_names_rx"):
            # The units' wordings, and their party organisations' superiors: also without the word for the party
            # body (Đảng bộ, Đảng ủy, Chi bộ), the organisation's own name (Ban Cơ yếu Chính phủ), which a header
            # printed in capitals under another party body (ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ) names too.
            wordings = {n for u in self.ref.units.values() for n in u.phrases()}
            wordings |= {u.party.superior for u in self.ref.units.values() if u.party and u.party.superior}
            wordings |= {m.group(1) for n in list(wordings) if (m := _PARTY_BODY.match(n)) and m.group(1)[:1].isupper()}
            names = sorted({n for n in wordings if any(c.isupper() for c in n[1:])}, key=len, reverse=True)
            self._names_case = {n.lower(): n for n in names}
            self._names_rx = (
                re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE) if names else None
            )
        if self._names_rx is None:
            return text
        return self._names_rx.sub(lambda m: self._names_case.get(m.group(0).lower(), m.group(0)), text)

    def note(self, para: Para | None, message: str) -> None:
        self.notes.append(Note(para.index if para else None, message))

    def first(self, pred, start: int = 0, stop: int | None = None) -> Para | None:
        for para in self.paras[start:stop]:
            if pred(para):
                return para
        return None

    # ------------------------------------------------------------------ header
    def header(self, data: dict) -> int:
        # A header typed in paragraphs puts its right column after a tab: each side is a line of its own.
        head: list[Para] = []
        for p in self.paras[self.lo : self.lo + 30]:
            parts = [part for part in p.raw.split("\t") if part.strip()] or [p.raw]
            for i, part in enumerate(parts):
                container = p.container if i == 0 else ("right", p.index)  # the right column is not the issuer's
                head.append(Para(p.index, p.p, container, _norm(part), part))
        number = next((p for p in head if NUMBER.match(p.text)), None)
        date = next((p for p in head if _date_match(p.text)), None)
        star = next((p for p in head if p.text == "*"), None)
        h: dict[str, Any] = {}
        marks: dict[str, Any] = {}
        stop = max([p.index for p in (number, date, star) if p is not None] or [0])
        understood: list[Para] = []
        # Marks: DỰ THẢO above the header, độ mật and độ khẩn under the number (ô 10a, 10b).
        for p in head:
            if p.index > stop + 4:  # typed in paragraphs, a mark may follow the trích yếu under the number
                break
            if p.text in MARKS:
                marks["secrecy" if p.text in SECRECY else "urgency"] = p.text
                understood.append(p)
            elif p.text.upper().startswith("DỰ THẢO"):
                marks["draft"] = True if p.text == "DỰ THẢO" else self.cased(p.text)
                understood.append(p)
        if star is not None:
            above = [
                p
                for p in head
                if p.index < star.index and p.container is star.container and p.text and p.text != TIEU_DE and p not in understood
            ]
        else:
            limit = number.index if number else stop
            above = [
                p for p in head if p.index < limit and p.text and p.text != TIEU_DE and _is_upper(p.text) and p not in understood
            ]
        if above:
            h["issuer"] = self.cased(above[-1].text)
            if len(above) >= 2:
                h["superior"] = self.cased(above[-2].text)
            for extra in above[:-2]:
                self.note(
                    extra,
                    _("a line above the issuing body that was not understood, left out of the data: {text}", text=extra.text),
                )
        else:
            self.note(None, _("no issuing body found in the header"))
        self.letter_subject: list[str] = []
        if number is not None:
            m = NUMBER.match(number.text)
            assert m
            num, code, issuer_code = m.group("number", "code", "issuer")
            h["number"] = int(num) if num.isdigit() else None
            h["issuer_code"] = issuer_code
            self.type_code = code
            # A Công văn's trích yếu stands under the number, in the number's column, before the date.
            # Typed in paragraphs, it is the lines after the header starting with ``V/v``, up to an empty line.
            in_cell = number.container is not self.body_el
            for p in self.paras[number.index : number.index + 12] if not in_cell else head:
                if p.index <= number.index or p.container is not number.container or p in understood or p is date:
                    continue
                if p.text in MARKS:
                    continue
                if in_cell and not p.text:
                    continue
                if SALUTATION.match(p.text):
                    break
                if _date_match(p.text) or p.text == "*" or p.text == TIEU_DE:
                    if in_cell:
                        break
                    continue
                if not in_cell and (
                    p.index <= stop
                    or not p.text
                    or SALUTATION.match(p.text)
                    or not (self.letter_subject or p.text.startswith("V/v"))
                    or len(self.letter_subject) >= 3
                ):
                    if p.index <= stop:
                        continue
                    break
                self.letter_subject.append(p.text)
                understood.append(p)
                stop = max(stop, p.index) if not in_cell else stop
        else:
            self.type_code = None
            if not self.attached:
                self.note(None, _("no number line (Số …) found in the header"))
        if date is not None:
            m = _date_match(date.text)
            assert m
            place, day, month, year = m.group("place", "day", "month", "year")
            h["place"] = place.strip()
            if month.isdigit():
                h["date"] = f"{int(year):04d}-{int(month):02d}" + (f"-{int(day):02d}" if day.isdigit() else "")
            else:
                h["date"] = year
        elif not self.attached:
            self.note(None, _("no place and date line found in the header"))
        if marks:
            h["marks"] = marks
        data["header"] = h
        if not in_header_cells(number, self.body_el):  # typed in paragraphs: the header ends with its last line read
            stop = max([stop, *(u.index for u in understood)])
        seen = {(u.index, u.text) for u in understood}  # the header's lines are copies of the reader's
        for p in head:
            if p.index > stop:
                break
            if (
                p.text
                and p not in above
                and p not in (number, date, star)
                and p.text != TIEU_DE
                and (p.index, p.text) not in seen
            ):
                self.note(p, _("a header line that was not understood: {text}", text=p.text))
        return stop

    # ------------------------------------------------------------------ title and subject
    def title(self, data: dict, after: int) -> int:
        """Tên loại, the lines in capitals under it (``CỦA BAN CHẤP HÀNH …``) and the trích yếu; the kind is the type
        whose name the tên loại is (the number's type code choosing among types of one name), or for a document
        with none (a Công văn) the type of the number's code."""
        names = {vn.upper(t.name): (tid, t) for tid, t in self.ref.types.items()}
        title = self.first(lambda p: p.text in names, after, after + 12)
        if title is None:
            by_code = [tid for tid, t in self.ref.types.items() if self.type_code and t.code == self.type_code]
            if by_code:
                data["type"] = by_code[0]
                if self.letter_subject:
                    data["subject"] = self.letter_subject
                return after
            self.note(None, _("no document type name (KẾ HOẠCH, BÁO CÁO …) after the header"))
            return after
        tid, dtype = names[title.text]
        if self.type_code and self.type_code != dtype.code:
            for oid, other in self.ref.types.items():
                if other.code == self.type_code and vn.upper(other.name) == title.text:
                    tid = oid
        data["type"] = tid
        title_lines: list[str] = []
        subject: list[str] = []
        i = title.index
        while i < len(self.paras):
            p = self.paras[i]
            if _DASHES.match(p.text):
                i += 1
                break
            if not p.text:
                if subject:
                    i += 1
                    break
                i += 1
                continue
            if p.text.startswith("(Ban hành kèm theo"):
                break  # the caption of a document issued with a Quyết định: its shape reads it
            if subject and (not self._centered(p) or _H1.match(p.text) or p.text.startswith("Căn cứ")):
                break
            if not subject and _is_upper(p.text) and self._centered(p) and not _H1.match(p.text):
                title_lines.append(self.cased(p.text))
                i += 1
                continue
            if not subject and not self._centered(p) and not (p.text[:1].islower() or self._could_be_subject(p)):
                break  # typed without centring, a trích yếu still starts in lower case (“về …”, “ban hành …”)
            subject += [nfc(line).replace("\t", " ").strip() for line in p.raw.split("\n") if line.strip()]
            i += 1
            if len(subject) > 8:
                break
        data["subject"] = subject
        if title_lines:
            data["title_lines"] = title_lines
        return i

    def _could_be_subject(self, para: Para) -> bool:
        """The line right after the tên loại, not centred by a flag (a line as wide as the page, read from a PDF), is
        still the trích yếu unless it is plainly the body: a list line, a heading, a căn cứ or a salutation."""
        text = para.text
        return not (
            text.startswith(("-", "–", "+", "Căn cứ", "(")) or _H1.match(text) or _H2.match(text) or SALUTATION.match(text)
        )

    def _centered(self, para: Para) -> bool:
        from generator.inspect.docx_inspect import Inspector

        if not hasattr(self, "_ins"):
            self._ins = Inspector(self.doc)
        return self._ins.paragraph(para.p).alignment == "center"

    # ------------------------------------------------------------------ body
    def classify(self, para: Para) -> tuple[str, str]:
        auto = self.numbering.kind(para)
        text = para.text
        if auto == "h1":
            return "h1", text
        if auto in ("h2", "h3", "bullet"):
            return auto, text
        for kind, rx in (("h1", _H1), ("h3", _H3), ("h2", _H2), ("bullet", _BULLET)):
            m = rx.match(text)
            if m:
                rest = m.groups()[-1]
                if kind == "h1" and not (_is_upper(rest.split("(")[0]) or m.group(1) in ("I", "II", "III", "IV", "V", "VI")):
                    continue
                return kind, rest
        return "p", text

    def _body_tables(self, start: int, stop: int) -> list[Para]:
        """The tables of the body between two lines, each as a placeholder line at its first cell (``container`` the
        ``w:tbl``, ``caption`` the line above it if that line is a table caption)."""
        out: list[Para] = []
        found: list[Any] = []
        for p in self.paras[start:stop]:
            if p.container is self.body_el or not p.text:
                continue
            el = self._top_table(p)
            if el is None or any(el is f for f in found):
                continue
            found.append(el)
            line = Para(p.index, p.p, el, "", "")
            prev = el.getprevious()
            if prev is not None and prev.tag == qn("w:p"):
                style = prev.find(qn("w:pPr") + "/" + qn("w:pStyle"))
                if style is not None and style.get(qn("w:val")) == "VBPhuLuc":
                    line.caption = _norm(_raw_text(Paragraph(prev, self.doc)))  # type: ignore[attr-defined]
            out.append(line)
        return out

    def _table(self, tbl) -> dict[str, Any] | None:
        """A body table as data: header rows (``w:tblHeader``), widths in mm, cells merged across and down."""
        grid = [int(g.get(qn("w:w"), "0")) for g in tbl.iter(qn("w:gridCol"))]
        header: list[list[dict]] = []
        rows: list[list[dict]] = []
        open_down: dict[int, dict] = {}  # column → the cell a vMerge continues
        for tr in tbl.iterchildren(qn("w:tr")):
            trpr = tr.find(qn("w:trPr"))
            is_header = trpr is not None and trpr.find(qn("w:tblHeader")) is not None and not rows
            row: list[dict] = []
            col = 0
            for tc in tr.iterchildren(qn("w:tc")):
                tcpr = tc.find(qn("w:tcPr"))
                span_el = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
                span = int(span_el.get(qn("w:val"), "1")) if span_el is not None else 1
                vm = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                if vm is not None and vm.get(qn("w:val")) != "restart" and col in open_down:
                    open_down[col]["rows"] = open_down[col].get("rows", 1) + 1
                    col += span
                    continue
                paras = [Paragraph(p, self.doc) for p in tc.iterchildren(qn("w:p"))]
                lines = [nfc(_raw_text(p)).strip() for p in paras]
                while lines and not lines[-1]:
                    lines.pop()
                cell: dict[str, Any] = {"text": "\n".join(lines)}
                if span > 1:
                    cell["span"] = span
                runs = [
                    r for p in paras for r in p._p.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()
                ]
                if runs and all(_direct_bold(r) for r in runs):
                    cell["bold"] = True
                jc = next(
                    (
                        p._p.find(qn("w:pPr") + "/" + qn("w:jc"))
                        for p in paras
                        if p._p.find(qn("w:pPr") + "/" + qn("w:jc")) is not None
                    ),
                    None,
                )
                align = (
                    {"both": "justify", "start": "left", "end": "right"}.get(jc.get(qn("w:val")), jc.get(qn("w:val")))
                    if jc is not None
                    else None
                )
                if align and not (is_header and align == "center"):
                    cell["align"] = align
                if vm is not None:
                    open_down[col] = cell
                else:
                    open_down.pop(col, None)
                row.append(cell)
                col += span
            (header if is_header else rows).append(row)
        if not rows:
            return None
        mm = [round(w / (1440 / 25.4), 1) for w in grid]
        out: dict[str, Any] = {"header": header, "rows": rows}
        if mm and max(mm) - min(mm) > 0.2:
            out["widths"] = [int(w) if abs(w - round(w)) < 0.06 else w for w in mm]
        return out

    def _numbering_seen(self, items: list[Para], kinds: list[tuple[str, str]]) -> list[str]:
        """The heading numbers as typed, by level (``["{roman}.", "{n}.", "{alpha})"]``); Word's own numbering says
        nothing here."""
        formats: dict[str, str] = {}
        for para, (kind, _text) in zip(items, kinds, strict=True):
            if kind in formats or kind not in ("h1", "h2", "h3") or self.numbering.kind(para):
                continue
            m = re.match(r"^(?:[IVXLC]+|\d{1,2}|[a-zđ])\s*([.)\-–])", para.text)
            if m:
                formats[kind] = {"h1": "{roman}", "h2": "{n}", "h3": "{alpha}"}[kind] + m.group(1).replace("–", "-")
        return [formats[k] for k in ("h1", "h2", "h3") if k in formats]

    def body(self, data: dict, start: int, stop: int) -> None:
        preamble: list[str] = []
        sections: list[dict] = []
        path: list[dict] = []  # the open sections, level 1 first
        assign: dict | None = None
        closing_paras: list[str] = []
        items = [p for p in self.paras[start:stop] if p.text and p.container is self.body_el]
        report = None
        if items:
            m = _REPORT.match(items[-1].text)
            if m:
                g = m.groupdict()
                report = {
                    k: v
                    for k, v in {
                        "lead": g["lead"],
                        "what": g["what"],
                        "to": g["to"],
                        "via": g["via"],
                        "deadline": f"{int(g['y']):04d}-{int(g['m']):02d}-{int(g['d']):02d}",
                    }.items()
                    if v
                }
                items = items[:-1]
        tables = self._body_tables(start, stop)
        if tables:  # each table stands where its first cell is, as a line of its own
            items = sorted(items + tables, key=lambda p: p.index)
        kinds = [self.classify(p) if p.container is self.body_el else ("table", "") for p in items]
        self.seen_numbering = self._numbering_seen(items, kinds)
        if not any(k == "h1" for k, _t in kinds) and any(k == "h2" for k, _t in kinds):
            numbered = [j for j, (k, _t) in enumerate(kinds) if k == "h2"]
            if not tables and numbered == list(range(numbered[0], numbered[-1] + 1)):
                # One run of "1." lines with nothing under them: a flat list (points), the lines after it closing.
                data["preamble"] = [_as_written(p, p.text) for p in items[: numbered[0]]]
                data["points"] = [_as_written(items[j], kinds[j][1]) for j in numbered]
                after = [_as_written(p, p.text) for p in items[numbered[-1] + 1 :]]
                data["sections"] = []
                if report or after:
                    data["closing"] = {"paragraphs": after, **({"report": report} if report else {})}
                self.seen_numbering = []
                return
            # "1." at the first level (a Chỉ thị): each level one up.
            kinds = [({"h2": "h1", "h3": "h2"}.get(k, k), t) for k, t in kinds]
        for para, (kind, text) in zip(items, kinds, strict=True):
            if kind == "table":
                table = self._table(para.container)
                if table is None:
                    continue
                if path:
                    caption = getattr(para, "caption", None)
                    if caption and (path[-1].get("paragraphs") or [None])[-1] == caption:
                        table["caption"] = caption
                        path[-1]["paragraphs"].pop()  # the line above the table, bold and centred: its caption
                    path[-1].setdefault("tables", []).append(table)
                else:
                    self.note(para, _("a table before the first part (I.): kept as text in the preamble"))
                    preamble += [" | ".join(c["text"] for c in row) for row in table["header"] + table["rows"]]
                continue
            text = _as_written(para, text)
            in_assign = bool(path) and _DO_ASSIGN.match(path[0]["title"] or "") is not None
            if kind == "h1":
                title, note = self._title_note(text)
                sec: dict[str, Any] = {"title": self.cased(title), "note": note}
                sections.append(sec)
                path = [sec]
                assign = None
                continue
            if not path:
                if kind in ("h2", "h3"):
                    self.note(para, _("a numbered heading before the first part (I.): kept as a paragraph of the preamble"))
                preamble.append(_as_written(para, para.text))
                continue
            if kind == "h2" and in_assign:
                unit, _sep, duty = text.partition(":")
                assign = {"unit": unit.strip(), "duties": [duty.strip()] if duty.strip() else []}
                path[0].setdefault("assignments", []).append(assign)
                continue
            if kind in ("h2", "h3"):
                level = 2 if kind == "h2" else 3
                if level > len(path) + 1 or (level == 3 and len(path) < 2):
                    self.note(para, _("a sub-heading without its heading above: kept as a paragraph"))
                    self._add(path[-1], "paragraphs", para.text, para)
                    continue
                title, note = self._title_note(text)
                sec = {"title": title, "note": note}
                path = path[: level - 1]
                path[-1].setdefault("sections", []).append(sec)
                path.append(sec)
                assign = None
                continue
            named = self._names_unit(text) if in_assign and kind in ("p", "bullet") and not path[0].get("sections") else None
            if named is not None:
                assign = {"unit": named[0], "duties": [named[1]]}
                path[0].setdefault("assignments", []).append(assign)
                continue
            if assign is not None:
                assign["duties"].append(text if kind == "p" else para.text)
                continue
            if kind == "bullet":
                self._add(path[-1], "bullets", text, para)
            else:
                self._add(path[-1], "paragraphs", text, para)
        for sec in sections:
            _clean(sec)
        for sec in sections:
            for a in sec.get("assignments", []):
                if not a["duties"]:
                    a["duties"] = [a["unit"]]
        data["preamble"] = preamble
        data["sections"] = sections
        if report or closing_paras:
            data["closing"] = {"paragraphs": closing_paras, **({"report": report} if report else {})}

    def _names_unit(self, text: str) -> tuple[str, str] | None:
        """``Cục Chính trị - Tổ chức: chủ trì …`` — a paragraph of Tổ chức thực hiện that names a unit (one of
        data/units/, by its name, an alias or a group) before a colon: the unit and its duties."""
        m = re.match(r"^([^:]{3,120}?)\s*:\s+(.+)$", text)
        if not m:
            return None
        if not hasattr(self, "_unit_phrases"):
            self._unit_phrases = {_norm(ph).lower() for u in self.ref.units.values() for ph in u.phrases()}
        head = _norm(m.group(1))
        return (head, m.group(2)) if head.lower() in self._unit_phrases else None

    def _add(self, sec: dict, key: str, text: str, para: Para) -> None:
        if key == "paragraphs" and sec.get("bullets"):
            self.note(para, _("a paragraph after the lines with “-”: kept, printed before them"))
        if sec.get("sections"):
            self.note(para, _("text after the sub-headings of its part: kept in the last of them"))
            self._add(sec["sections"][-1], key, text, para)
            return
        sec.setdefault(key, []).append(text)

    def _title_note(self, text: str) -> tuple[str, str | None]:
        m = _NOTE.match(text)
        if m and m.group(1) and not _is_upper(m.group(2)):
            return m.group(1), m.group(2)
        return text, None

    # ------------------------------------------------------------------ closing
    def closing(self, data: dict, start: int, recipients_expected: bool = True) -> int:
        label = self.first(lambda p: p.text.rstrip(":").strip() == "Nơi nhận", start)
        sign = self.first(lambda p: bool(SIGN.match(p.text)), start)
        end = min([p.index - 1 for p in (label, sign) if p is not None] or [len(self.paras)])
        recipients: list[Any] = []
        archive: list[str] = []
        self.archive_label = None
        if label is not None:
            for p in self.paras[label.index :]:
                if p.container is not label.container or not p.text:
                    continue
                m = _ARCHIVE.match(p.text)
                if m:
                    self.archive_label = m.group(1).replace(" ", "")
                    archive = [a.strip() for a in m.group(2).split(",") if a.strip()]
                    d = self.first(lambda q: bool(q.text), p.index)
                    if d is not None and d.container is p.container and _DISTRIBUTION.match(d.text):
                        t, n = _DISTRIBUTION.match(d.text).groups()  # type: ignore[union-attr]
                        data["distribution"] = {"typist": t, "copies": int(n)}
                    break
                if not p.text.startswith(("-", "–")):
                    if recipients:
                        self.note(p, _("a line under “Nơi nhận:” that was not understood: {text}", text=p.text))
                        break
                    continue
                m = _RECIPIENT.match(p.text)
                if not m:
                    self.note(p, _("a recipient line that was not understood: kept as written"))
                    recipients.append({"to": p.text.lstrip("-– ")})
                    continue
                recipients.append({k: v for k, v in m.groupdict().items() if v})
        elif not self.attached and recipients_expected and sign is not None:  # a form to fill has neither
            self.note(None, _("no “Nơi nhận:” found"))
        data["recipients"] = recipients
        data["archive"] = archive
        signs = [p for p in self.paras[start:] if SIGN.match(p.text)] if sign is not None else []
        if len(signs) >= 2:
            # Two signers (a joint document): side by side, the cosigner on the left, read first; or one under the
            # other, typed in that order.
            self.signoff(data, signs[1])
            data["cosigner"] = data.pop("signoff")
            self.signoff(data, signs[0])
            data["cosigner"], data["signoff"] = data["signoff"], data["cosigner"]
            for extra in signs[2:]:
                block = [extra.text] + [p.text for p in self.block_after(extra) if p.container is extra.container][:3]
                self.kept.append(" ".join(block))
                self.note(extra, _("a third signer: kept as text after the closing paragraphs: {text}", text=extra.text))
        elif sign is not None:
            self.signoff(data, sign)
        else:
            self.unsigned(data, label, start)
        return end

    def signoff(self, data: dict, sign: Para) -> None:
        m = SIGN.match(sign.text)
        assert m
        rest = []
        for p in self.paras[sign.index :]:
            if p.container is not sign.container:
                break
            if not p.text:
                continue
            if p.text.startswith(("Nơi nhận", "-")) or APPENDIX.match(p.text) or (p is not sign and SIGN.match(p.text)):
                break
            rest.append(p)
        s: dict[str, Any] = {"form": m.group(1), "authority": self.cased(m.group(2))}
        if rest:
            s["position"] = _sentence(rest[0].text, self.case)
        if len(rest) >= 2:
            s["name"] = rest[-1].text
        for extra in rest[1:-1]:
            self.note(extra, _("another signer or a line of the sign-off that was not understood: {text}", text=extra.text))
        data["signoff"] = s

    def unsigned(self, data: dict, label: Para | None, after: int) -> None:
        """A head signing in his or her own name: a line in capitals (the position), then the name, after the body's
        last line (a form left for the unit to sign has none)."""
        start = label.index if label else after
        if label is None:
            return
        for p in self.paras[start:]:
            if p.text and _is_upper(p.text) and not p.text.startswith("-") and p.text != TIEU_DE:
                names = [q for q in self.paras[p.index :] if q.text and q.container is p.container]
                if names:
                    data["signoff"] = {"position": _sentence(p.text, self.case), "name": names[0].text}
                    return
        self.note(None, _("no sign-off found"))

    # ------------------------------------------------------------------ appendix
    def appendix(self, data: dict, after: int) -> None:
        head = self.first(lambda p: bool(APPENDIX.match(p.text)) and p.container is self.body_el, max(after, 0))
        if head is None:
            return
        title_lines: list[str] = []
        for p in self.paras[head.index :]:
            if p.container is not self.body_el:
                break
            if p.text.startswith("(Kèm theo") or not p.text:
                if title_lines and not p.text:
                    continue
                if p.text.startswith("(Kèm theo"):
                    break
                continue
            title_lines.append(p.text)
        a: dict[str, Any] = {"label": head.text, "title": self.cased(" ".join(title_lines))}
        index = {p.p._p: p for p in self.paras}
        groups: list[dict] = []
        header: list[str] | None = None
        status_table = False
        started = False
        for child in self.body_el.iterchildren():
            if child is head.p._p:
                started = True
            if not started or child.tag != qn("w:tbl"):
                continue
            for row in Table(child, self.doc).rows:
                cells = []
                seen: list[Any] = []
                for cell in row.cells:
                    if seen and cell._tc is seen[-1]:
                        continue  # gridSpan: one cell over several columns
                    seen.append(cell._tc)
                    cells.append(cell)
                texts = [[_norm(line) for p in c.paragraphs for line in _raw_text(p).split("\n") if line.strip()] for c in cells]
                flat = [" ".join(t) for t in texts]
                first = next((index.get(p._p) for c in cells for p in c.paragraphs if index.get(p._p)), None)
                if header is None or flat == header:
                    if header is None:
                        header = flat
                        status_table = len(flat) >= 6  # the Báo cáo's table: a status per unit and overall
                    continue
                if not any(flat):
                    continue
                if status_table:
                    self._status_row(groups, texts, flat, first)
                    continue
                if len(cells) <= 2 or (len(cells) >= 5 and not any(flat[2:])):
                    gid = flat[0].rstrip(".")
                    groups.append({"id": gid, "title": " ".join(flat[1:]).strip() or flat[0], "tasks": []})
                    continue
                if len(cells) < 5:
                    self.note(first, _("an appendix row that was not understood: kept as a task's text"))
                    texts = texts + [[]] * (5 - len(texts))
                    flat = flat + [""] * (5 - len(flat))
                if not groups:
                    self.note(first, _("a task before any group row: put in a group of its own"))
                    groups.append({"id": "1", "title": "(chưa có tên nhóm)", "tasks": []})
                groups[-1]["tasks"].append(
                    {
                        "id": flat[0].rstrip("."),
                        "text": flat[1],
                        "lead": _units(texts[2]),
                        "units": _units(texts[3]),
                        "timeframe": " ".join(texts[4]),
                    }
                )
                for extra in flat[5:]:
                    if extra:
                        self.note(first, _("an appendix column that was not understood: {text}", text=extra))
        if status_table and header:
            keys6 = ("id", "task", "lead", "timeframe", "units", "overall")
            defaults6 = {
                "id": "TT",
                "task": "Nhiệm vụ, giải pháp",
                "lead": "Cơ quan chủ trì",
                "timeframe": "Thời gian",
                "units": "Tình hình thực hiện của các đơn vị",
                "overall": "Kết quả chung",
            }
            cols6 = {k: v for k, v in zip(keys6, header[:6], strict=True) if v and v != defaults6[k]}
            if cols6:
                a["columns"] = cols6
            a["groups"] = groups
            a["chart"] = b"<w:drawing" in etree_tostring(self.body_el)
            data["appendix"] = a
            return
        if header and len(header) >= 5:
            keys = ("id", "task", "lead", "units", "timeframe")
            cols = dict(zip(keys, header[:5], strict=True))
            defaults = {
                "id": "TT",
                "task": "Nhiệm vụ, giải pháp",
                "lead": "Cơ quan chủ trì",
                "units": "Cơ quan, đơn vị thực hiện",
                "timeframe": "Thời gian",
            }
            cols = {k: v for k, v in cols.items() if v and v != defaults[k]}
            if cols:
                a["columns"] = cols
        a["groups"] = groups
        data["appendix"] = a

    def _status_row(self, groups: list[dict], texts: list[list[str]], flat: list[str], first: Para | None) -> None:
        """A row of the Báo cáo's status table: a group, or a task with each unit's status and the overall one."""
        if len(flat) < 6 or not any(flat[2:]):
            groups.append({"id": flat[0].rstrip("."), "title": " ".join(f for f in flat[1:] if f) or flat[0], "rows": []})
            return
        if not groups:
            self.note(first, _("a task before any group row: put in a group of its own"))
            groups.append({"id": "1", "title": "(chưa có tên nhóm)", "rows": []})
        units: list[Any] = []
        for line in texts[4]:
            m = _STATUS_LINE.match(line)
            if m:
                status = m.group(1).lower()
                names = [n.strip() for n in m.group(3).split(";") if n.strip()]
                units += [{"unit": n, "status": status} for n in names]
                if len(names) != int(m.group(2)):
                    self.note(first, _("a status line lists fewer units than it counts: kept as it is listed"))
            else:
                units.append(line)
        # The units' order is not printed (a report lists them by status): the identity keeps it; without one (a PDF,
        # a typed report) the units register's, which is the order a report is rolled up in.
        order = (self.ident or {}).get("extra", {}).get("unit_order") or [u.name for u in self.ref.units.values()]
        if order:
            rank = {name: i for i, name in enumerate(order)}
            named = sorted((u for u in units if isinstance(u, dict)), key=lambda u: rank.get(u["unit"], len(rank)))
            units = named + [u for u in units if not isinstance(u, dict)]
        groups[-1]["rows"].append(
            {
                "id": flat[0].rstrip("."),
                "text": flat[1],
                "lead": _units(texts[2]),
                "timeframe": flat[3],
                "units": units,
                "overall": flat[5],
            }
        )

    # ------------------------------------------------------------------ for the shapes' readers
    def lines(self, start: int, stop: int | None = None) -> list[Para]:
        """The body's non-empty lines from *start* (a line's index: the lines after it) to *stop*."""
        return [p for p in self.paras[start:stop] if p.text and p.container is self.body_el]

    def block_after(self, head: Para) -> list[Para]:
        """The non-empty lines of *head*'s cell (or column) after it: a signature block's position and name."""
        return [p for p in self.paras[head.index :] if p.container is head.container and p.text]

    def bold_after(self, para: Para, prefix: str) -> bool | None:
        """Whether the text after *prefix* (the paragraph's first characters, as collapsed) is bold; None if unknown."""
        ins = self._ins_ready()
        seen = 0
        want = len(prefix.replace(" ", ""))
        label_bold = None
        for r in para.p._p.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r.iter(qn("w:t"))).replace(" ", "")
            if not text:
                continue
            if label_bold is None:
                label_bold = bool(ins.run(para.p, r).bold)
                if not label_bold:
                    return None  # the label itself not bold: the formatting says nothing (a PDF's text, plain typing)
            if seen + len(text) > want:
                return bool(ins.run(para.p, r).bold)
            seen += len(text)
        return None

    def _ins_ready(self):
        from generator.inspect.docx_inspect import Inspector

        if not hasattr(self, "_ins"):
            self._ins = Inspector(self.doc)
        return self._ins

    def limit(self, hi: int) -> None:
        """Read no further than line position *hi* (what follows is another document: an attachment)."""
        self.paras = [p if i < hi else replace(p, text="", raw="") for i, p in enumerate(self.paras)]

    def attachment(self, lo: int) -> tuple[dict[str, Any], list[Note]]:
        """The data of the document attached from line position *lo* on (its own heading block on a new page)."""
        sub = DocumentReader(self.doc, self.ref, self.shapes, self.paras, lo=lo, attached=True)
        sub.case = self.case
        data = sub.read_data()
        return data, sub.notes

    # ------------------------------------------------------------------ all
    def read_plan(self, data: dict, start: int) -> None:
        """The body of sections (or points), the closing block, and the appendix table: a plan's, a report's, and
        the body of any kind written the same way."""
        end = self.closing(data, start)
        appendix_at = self.first(lambda p: bool(APPENDIX.match(p.text)) and p.container is self.body_el, start)
        stop = end
        if appendix_at is not None and appendix_at.index - 1 < stop:
            stop = appendix_at.index - 1
        self.body(data, start, stop)
        self.appendix(data, stop)

    def shape_of(self, data: dict) -> str:
        t = self.ref.types.get(data.get("type") or "ke-hoach")
        return t.shape if t is not None else "plan"

    def _appended(self) -> int | None:
        """Where a block added at the end of another document starts (the copy block of a Bản sao: its own number
        line, of a type whose shape appends, after the copied document's sign-off), or None."""
        if not self.appended:
            return None
        codes = {t.code for t in self.ref.types.values() if t.shape in self.appended}
        sign = self.first(lambda p: bool(SIGN.match(p.text)), self.lo)
        if sign is None:
            return None
        number = None
        for p in self.paras[sign.index :]:
            m = NUMBER.match(p.text)
            if m and m.group("code") in codes:
                number = p
        if number is None:
            return None
        # The block starts with the copying body's lines above its number: its header table's first line, or typed
        # in paragraphs, the lines in capitals and the star above it.
        table = self._top_table(number)
        if table is not None:
            first = next(p for p in self.paras[sign.index : number.index] if self._top_table(p) is table)
            return first.index - 1
        first = number
        for p in reversed(self.paras[sign.index : number.index - 1]):
            if not p.text:
                continue
            if p.text != "*" and not _is_upper(p.text):
                break
            first = p
        return first.index - 1

    def _top_table(self, para: Para):
        """The table of the body holding *para*, or None."""
        el = para.p._p
        tbl = qn("w:tbl")
        while el is not None and not (el.tag == tbl and el.getparent() is self.body_el):
            el = el.getparent()
        return el

    def read_data(self) -> dict[str, Any]:
        """The data of the document (or of its part), not yet checked against the model."""
        lo = self._appended()
        if lo is not None:
            block = DocumentReader(self.doc, self.ref, self.shapes, self.paras, lo=lo)
            block.case = self.case
            copied = block.read_data()
            self.notes += block.notes
            self.limit(lo)
            self.appended = ()
            copied["original"] = self.read_data()
            return copied
        data: dict[str, Any] = {}
        after = self.header(data)
        start = self.title(data, after)
        hook = self.shapes.get(self.shape_of(data))
        if hook is None:
            self.read_plan(data, start)
        else:
            hook(self, data, start)
        return data

    def read(self) -> Read:
        data = self.read_data()
        if self.kept:
            closing = data.get("closing") or {}
            data["closing"] = {**closing, "paragraphs": [*closing.get("paragraphs", []), *self.kept]}
        extra = (self.ident or {}).get("extra") or {}
        data["profile"] = extra.get("profile") or self.guess_profile()
        prof = self.ref.profiles.get(data["profile"])
        seen = getattr(self, "seen_numbering", None)
        if seen and prof is not None and seen != prof.layout.heading_numbers[: len(seen)]:
            data["numbering"] = seen
        # What the page does not say: fields not printed, and choices printed the same as their default.
        for key in ("period", "source", "basis", "numbering", "subject_prefix"):
            if key in extra:
                data[key] = extra[key]
        parents = extra.get("parents") or {}
        for task in (t for g in data.get("appendix", {}).get("groups", []) for t in g.get("tasks", [])):
            if task["id"] in parents:
                task["parent"] = parents[task["id"]]
        original = data.get("original")
        if isinstance(original, dict):
            oextra = extra.get("original") or {}
            original["profile"] = oextra.get("profile") or data["profile"]
            for key in ("numbering", "subject_prefix"):
                if key in oextra:
                    original[key] = oextra[key]
            self.fix_recipients(original)
        att = data.get("attachment") or (original or {}).get("attachment")
        if isinstance(att, dict):
            holder = original if isinstance(original, dict) and original.get("attachment") is att else data
            att["profile"] = holder["profile"]
            for key in ("issuer_code", "place", "date"):  # not printed on the attachment: its Quyết định's
                att["header"].setdefault(key, holder["header"].get(key))
            att["header"] = {k: v for k, v in att["header"].items() if v is not None}
        self.fix_recipients(data)
        rendered = self.ident is not None
        edited = rendered and self.ident.get("text") != text_hash(self.doc)  # type: ignore[union-attr]
        return Read(data, self.notes, rendered, edited)

    def guess_profile(self) -> str:
        if self.archive_label == "Lưu:" and "quan-doi" in self.ref.profiles:
            return "quan-doi"
        return "hd36-2018"

    def fix_recipients(self, data: dict) -> None:
        prof = self.ref.profiles.get(data["profile"])
        sep = prof.layout.recipient_separator if prof else ","
        for r in data.get("recipients", []):
            if r.get("end") == sep or "end" not in r:
                r.pop("end", None)


def _as_written(para: Para, text: str) -> str:
    """*text* (a tail of the paragraph's collapsed text) with the spaces as typed: blanks left for a number or a
    day (``số     -KH/ĐUB``) are kept; tabs and line breaks become spaces."""
    raw = re.sub(r"[\t\n]", " ", nfc(para.raw)).strip()
    if _norm(raw) == para.text and text and para.text.endswith(text):
        words = len(text.split())
        parts = re.split(r"(\s+)", raw)
        tail = "".join(parts[len(parts) - (2 * words - 1) :])
        if _norm(tail) == text:
            return tail
    return text


def in_header_cells(number: Para | None, body) -> bool:
    """Whether the header is typed in a table (its number line in a cell), not in paragraphs."""
    return number is not None and number.container is not body


def _direct_bold(run) -> bool:
    b = run.find(qn("w:rPr") + "/" + qn("w:b"))
    return b is not None and b.get(qn("w:val"), "true") not in ("0", "false")


def _date_match(text: str) -> re.Match[str] | None:
    """The place and date line (a typed one may end with a full stop)."""
    return DATE_LINE.match(text[:-1] if text.endswith(".") else text)


def _units(lines: list[str]) -> list[str]:
    return [re.sub(r"^[-–+•]\s*", "", line) for line in lines if line.strip("-–+• ")]


def _clean(sec: dict) -> None:
    if not sec.get("note"):
        sec.pop("note", None)
    for sub in sec.get("sections", []):
        _clean(sub)


def read_document(doc, ref: RefData, shapes: Mapping[str, ShapeReader] | None = None, appended: Collection[str] = ()) -> Read:
    """The data of the opened DOCX *doc* (a ``docx.Document``), with notes on what was not understood; *shapes* are
    the readers of what only a shape has (``generator.kinds``: ``Shape.read``), by shape id; *appended* the shapes
    whose documents are a block at the end of another (a Bản sao: the copied document is read as ``original``)."""
    return DocumentReader(doc, ref, shapes, appended=appended).read()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
