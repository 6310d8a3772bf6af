"""Vietnamese language rules, in one place.

Every other module calls these functions instead of formatting dates, numerals or case
itself, so that a rule (say, the zero-padding of months) is changed here once.

Sources: ``party-format-rules.md`` §3.3 (number line), §3.4 (header date), §8.1 (code
points), §8.3 (body dates, quarters, numbers).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass

import roman as _roman
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal

from generator.lang.i18n import _

LOCALE = "vi_VN"

#: What is printed where the văn thư fills in a number or a day by hand.
BLANK = "    "

#: Look-alikes of Đ/đ seen in text from old fonts and OCR (§8.1), with their correction.
LOOKALIKES = {
    "\u00d0": "\u0110",  # Ð Icelandic eth (capital) -> Đ
    "\u00f0": "\u0111",  # ð Icelandic eth (small) -> đ
    "\u0189": "\u0110",  # Ɖ African D -> Đ
}
_LOOKALIKE_RE = re.compile("[" + "".join(LOOKALIKES) + "]")

# Control characters have no place in a document (\n and \t are line break and tab), and XML
# cannot hold the non-characters U+FFFE, U+FFFF or lone surrogates at all.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class TextFix:
    """A change made to a piece of text while normalising it."""

    found: str
    replaced_by: str
    count: int

    def describe(self) -> str:
        return _(
            "look-alike {found} (U+{code:04X}) replaced by {fixed} (U+{fixed_code:04X}), {count}×",
            found=repr(self.found),
            code=ord(self.found),
            fixed=repr(self.replaced_by),
            fixed_code=ord(self.replaced_by),
            count=self.count,
        )


def normalize(text: str) -> tuple[str, list[TextFix]]:
    """Return *text* in NFC with Đ look-alikes corrected, and the list of corrections made.

    NFC is applied before and after the look-alike correction so that a decomposed
    sequence never hides a look-alike.
    """
    if text.isascii() or (unicodedata.is_normalized("NFC", text) and not _LOOKALIKE_RE.search(text)):
        return text, []  # the usual case, without building new strings
    text = unicodedata.normalize("NFC", text)
    fixes: list[TextFix] = []
    found = set(_LOOKALIKE_RE.findall(text))
    for ch in sorted(found):
        fixes.append(TextFix(ch, LOOKALIKES[ch], text.count(ch)))
        text = text.replace(ch, LOOKALIKES[ch])
    return unicodedata.normalize("NFC", text), fixes


def control_characters(text: str) -> list[str]:
    """The characters in *text* that cannot be printed or stored in XML (tab and newline allowed)."""
    return sorted(set(_CONTROL_RE.findall(text))) if _CONTROL_RE.search(text) else []


def upper(text: str) -> str:
    """Upper-case with Vietnamese diacritics kept: ``Đảng ủy`` → ``ĐẢNG ỦY``.

    Python's ``str.upper`` is locale-independent (no Turkish dotless-i fold) and maps
    every precomposed Vietnamese letter to its capital; NFC afterwards keeps the output
    precomposed even when a capital has no single code point of its own.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).upper())


def _month_pattern(month: int) -> str:
    # Months 1 and 2 are written 01, 02; 3-12 are not padded (§3.4).
    return "MM" if month < 3 else "M"


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(_("month must be 1–12, got {month}", month=month))


def header_date(year: int, month: int | None, day: int | None, place: str | None = None) -> str:
    """The place/date line of ô 4: ``Hà Nội, ngày 05 tháng 8 năm 2025``.

    Days 1–9 and months 1–2 are zero-padded. With ``day=None`` the day is left blank for
    the văn thư: ``ngày    tháng 8 năm 2025``; with ``month=None`` the month too.
    """
    if month is None:
        text = f"ngày{BLANK}tháng{BLANK}năm {year}"
        return f"{place}, {text}" if place else text
    _check_month(month)
    if day is None:
        # babel formats only whole dates; the blank-day form keeps its month rule.
        text = "ngày{b}tháng {m} năm {y}".format(b=BLANK, m=f"{month:02d}" if month < 3 else str(month), y=year)
    else:
        d = _dt.date(year, month, day)
        text = _babel_format_date(d, f"'ngày' dd 'tháng' {_month_pattern(month)} 'năm' y", locale=LOCALE)
    return f"{place}, {text}" if place else text


def citation_date(year: int, month: int | None, day: int | None) -> str:
    """A date inside the body: ``26/12/2024``, ``05/3/2026``, ``24/01/2025`` (§8.3).

    A blank day prints as blanks before the month: ``    /8/2025``; a blank month as ``    /    /2025``.
    """
    if month is None:
        return f"{BLANK}/{BLANK}/{year}"
    _check_month(month)
    if day is None:
        return f"{BLANK}/{month:02d}/{year}" if month < 3 else f"{BLANK}/{month}/{year}"
    d = _dt.date(year, month, day)
    return _babel_format_date(d, f"dd/{_month_pattern(month)}/y", locale=LOCALE)


def document_number(number: int | None) -> str:
    """The running number of a document: ``09``, ``127``; blanks when not yet issued."""
    if number is None:
        return BLANK
    if number < 1:
        raise ValueError(_("a document number starts at 1, got {number}", number=number))
    return f"{number:02d}"


def number_line(number: int | None, type_code: str, issuer_code: str) -> str:
    """Ô 3 without a colon: ``Số 09-KH/ĐUB`` or ``Số    -KH/ĐUB`` (§3.3)."""
    return f"Số {reference(number, type_code, issuer_code)}"


def reference(number: int | None, type_code: str, issuer_code: str) -> str:
    """Số-ký hiệu as cited in running text: ``09-KH/ĐUB`` (blank number: ``    -KH/ĐUB``)."""
    return f"{document_number(number)}-{type_code}/{issuer_code}"


# Hyphens a line must not break at (§8.3): inside a date written with hyphens (16-9-2011, 9-2011)
# and inside a document number (41-CT/TW, 09-KH/ĐUB, 3609-CTr/QUTW). Word and LibreOffice break after any hyphen.
_UNBREAKABLE = re.compile(r"(?<![\w-])(?:\d{1,2}-\d{1,2}-\d{4}|\d{1,2}-\d{4}|\d+-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ\d]+)(?![\w-])")


_DIGIT_HYPHEN = re.compile(r"\d-")


def unbreakable_hyphens(text: str) -> list[int]:
    """Offsets of the hyphens in *text* that must print as non-breaking hyphens."""
    if "-" not in text or not _DIGIT_HYPHEN.search(text):  # most hyphens join words ("Chính trị - Tổ chức")
        return []
    return [m.start() + i for m in _UNBREAKABLE.finditer(text) for i, c in enumerate(m.group(0)) if c == "-"]


def short_title(text: str, limit: int = 36) -> str:
    """*text* cut after a whole word to at most *limit* characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.- ")
    return cut + "…"


def roman(n: int) -> str:
    """Roman numeral for section headings and quarters: 3 → ``III``."""
    return _roman.toRoman(n)


def alpha(n: int) -> str:
    """Letter for point-level items (điểm): 1 → ``a``, 5 → ``đ``, in the Vietnamese
    alphabet order a, b, c, d, đ, e, g … (no f, j, w, z)."""
    letters = "abcdđeghiklmnopqrstuvxy"
    if not 1 <= n <= len(letters):
        raise ValueError(_("no letter for item {n}", n=n))
    return letters[n - 1]


def quarter(q: int, year: int | None = None, *, capital: bool = True) -> str:
    """``Quý III/2025``; mid-sentence ``quý III/2025`` (§8.3)."""
    if not 1 <= q <= 4:
        raise ValueError(_("quarter must be 1–4, got {q}", q=q))
    word = "Quý" if capital else "quý"
    return f"{word} {roman(q)}/{year}" if year is not None else f"{word} {roman(q)}"


def number(value: float | int) -> str:
    """A figure with Vietnamese separators: 1234.5 → ``1.234,5`` (§8.3)."""
    return _babel_format_decimal(value, locale=LOCALE)


def lower_first(text: str) -> str:
    """``Thực hiện Chỉ thị …`` → ``thực hiện Chỉ thị …`` (for ``về …`` after a citation).

    Leaves the text alone when its first word is an acronym or a proper noun in capitals
    (``BCH``, ``Đảng``): only a capital followed by a lower-case letter is lowered.
    """
    if len(text) >= 2 and text[0].isupper() and text[1].islower() and not text.startswith(("Đảng ", "Bác ", "Nhà nước")):
        return text[0].lower() + text[1:]
    return text


def citation(
    type_name: str,
    type_code: str,
    number: int | None,
    issuer_code: str,
    year: int,
    month: int | None,
    day: int | None,
    *,
    comma: bool = True,
) -> str:
    """A Party citation: ``Kế hoạch số 09-KH/ĐUB, ngày 05/3/2026`` (§3.6); blanks where the
    number or day is not yet given: ``Kế hoạch số     -KH/ĐUB, ngày     /8/2025``."""
    sep = "," if comma else ""
    return f"{type_name} số {reference(number, type_code, issuer_code)}{sep} ngày {citation_date(year, month, day)}"


# ----------------------------------------------------------------------------- timeframes


@dataclass(frozen=True)
class Timeframe:
    """A plan's "Thời gian" wording, and what can be checked of it.

    ``kind``: ``by-date`` (``due`` is the last day), ``yearly`` (due at every year end),
    ``ongoing`` (thường xuyên, từng đợt thi đua, đột xuất: reported each period, no due date),
    ``unknown`` (kept as written, never guessed).
    """

    text: str
    kind: str
    due: _dt.date | None = None

    @property
    def checkable(self) -> bool:
        return self.due is not None


_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4}
_DATE_PATTERNS = [
    # (regex, function of match → due date); matched case-insensitively on NFC text
    (
        re.compile(r"(?:hoàn thành\s+)?(?:trong\s+|trước\s+)?quý\s+(IV|III|II|I)\s*(?:/|năm)\s*(\d{4})", re.I),
        lambda m: _dt.date(int(m[2]), *_QUARTER_END[_ROMAN_Q[m[1].upper()]]),
    ),
    (
        re.compile(r"(?:hoàn thành\s+)?(?:trước\s+|trong\s+)?(?:ngày\s+)?(\d{1,2})[/-](\d{1,2})[/-](\d{4})", re.I),
        lambda m: _dt.date(int(m[3]), int(m[2]), int(m[1])),
    ),
    (
        re.compile(r"(?:hoàn thành\s+)?(?:trong\s+|trước\s+)?tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})", re.I),
        lambda m: _month_end(int(m[2]), int(m[1])),
    ),
    (re.compile(r"(?:hoàn thành\s+)?(?:trong\s+)?năm\s+(\d{4})", re.I), lambda m: _dt.date(int(m[1]), 12, 31)),
]
_YEARLY = re.compile(r"h[ằà]ng\s+năm", re.I)
# Wording that says "every period / as it comes", no due date of its own.
_ONGOING = [
    r"thường\s+xuyên",
    r"định\s+kỳ(?:\s+tổ\s+chức)?",
    r"đột\s+xuất",
    r"theo\s+quy\s+định",
    r"(?:trong\s+)?(?:từng|các)\s+đợt\s+thi\s+đua",
    r"(?:các\s+)?đợt\s+thi\s+đua",
    r"giai\s+đoạn",
    r"theo\s+nhiệm\s+vụ\s+của\s+các\s+cơ\s+quan,\s*đơn\s+vị",
    r"liên\s+tục",
]
_ONGOING_RE = re.compile("|".join(_ONGOING), re.I)
_SEPARATORS = re.compile(r"^(?:[\s,;.]|và|trong)*$", re.I)


def _month_end(year: int, month: int) -> _dt.date:
    nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - _dt.timedelta(days=1)


def parse_timeframe(text: str) -> Timeframe:
    """Read a "Thời gian" cell: ``Quý III/2025`` → due 30/9/2025; ``Thường xuyên`` → ongoing.

    Every part of the wording must be understood, or the result is ``unknown``: "Hằng năm, theo
    nhiệm vụ của các cơ quan, đơn vị" is yearly, "sau khi có hướng dẫn" is unknown.
    """
    rest = " ".join(unicodedata.normalize("NFC", text).split())
    dues = []
    for pattern, due in _DATE_PATTERNS:
        for m in list(pattern.finditer(rest)):
            try:
                dues.append(due(m))
            except ValueError:
                return Timeframe(text, "unknown")
        rest = pattern.sub(" ", rest)
    yearly = bool(_YEARLY.search(rest))
    rest = _YEARLY.sub(" ", rest)
    ongoing = bool(_ONGOING_RE.search(rest))
    rest = _ONGOING_RE.sub(" ", rest)
    if not _SEPARATORS.match(rest) or not (dues or yearly or ongoing):
        return Timeframe(text, "unknown")
    if dues:
        return Timeframe(text, "by-date", max(dues))
    return Timeframe(text, "yearly" if yearly else "ongoing")


# ----------------------------------------------------------------------------- a plan's period

# "năm 2027", "giai đoạn 2025 - 2030", "nhiệm kỳ 2025 – 2030", or a bare "2025-2030"; never the
# year of a date ("ngày 26 tháng 12 năm 2024", "26/12/2024") or of a document number.
_PERIOD_WORDS = re.compile(r"\b(?:năm|giai\s+đoạn|nhiệm\s+kỳ)\s+(\d{4})(?:\s*[-–]\s*(\d{4}))?(?![\d/])", re.I)
_PERIOD_RANGE = re.compile(r"(?<![\d/-])(\d{4})\s*[-–]\s*(\d{4})(?![\d/-])")
_DATE_BEFORE = re.compile(r"tháng\s+\d{1,2}\s*$", re.I)


def period_in_subject(text: str) -> tuple[int, int] | None:
    """The years a trích yếu says its plan covers: ``Kế hoạch công tác năm 2027`` → (2027, 2027),
    ``… giai đoạn 2025 - 2030`` → (2025, 2030); None when it names none, or several."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    found = set()
    for m in _PERIOD_WORDS.finditer(text):
        if m[0].lower().startswith("năm") and _DATE_BEFORE.search(text[: m.start()]):
            continue
        found.add((int(m[1]), int(m[2] or m[1])))
    for m in _PERIOD_RANGE.finditer(text):
        found.add((int(m[1]), int(m[2])))
    found = {f for f in found if f[0] <= f[1]}
    # "giai đoạn 2025 - 2030" is matched by both patterns; anything else is ambiguous.
    return found.pop() if len(found) == 1 else None
