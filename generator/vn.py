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

# Control characters have no place in a document; \n and \t are line break and tab.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class TextFix:
    """A change made to a piece of text while normalising it."""

    found: str
    replaced_by: str
    count: int

    def describe(self) -> str:
        return (
            f"look-alike {self.found!r} (U+{ord(self.found):04X}) replaced by "
            f"{self.replaced_by!r} (U+{ord(self.replaced_by):04X}), {self.count}×"
        )


def normalize(text: str) -> tuple[str, list[TextFix]]:
    """Return *text* in NFC with Đ look-alikes corrected, and the list of corrections made.

    NFC is applied before and after the look-alike correction so that a decomposed
    sequence never hides a look-alike.
    """
    text = unicodedata.normalize("NFC", text)
    fixes: list[TextFix] = []
    found = set(_LOOKALIKE_RE.findall(text))
    for ch in sorted(found):
        fixes.append(TextFix(ch, LOOKALIKES[ch], text.count(ch)))
        text = text.replace(ch, LOOKALIKES[ch])
    return unicodedata.normalize("NFC", text), fixes


def control_characters(text: str) -> list[str]:
    """The control characters in *text* that cannot be printed (tab and newline allowed)."""
    return sorted(set(_CONTROL_RE.findall(text)))


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
        raise ValueError(f"month must be 1–12, got {month}")


def header_date(year: int, month: int, day: int | None, place: str | None = None) -> str:
    """The place/date line of ô 4: ``Hà Nội, ngày 05 tháng 8 năm 2025``.

    Days 1–9 and months 1–2 are zero-padded. With ``day=None`` the day is left blank for
    the văn thư: ``ngày    tháng 8 năm 2025``.
    """
    _check_month(month)
    if day is None:
        # babel formats only whole dates; the blank-day form keeps its month rule.
        text = "ngày{b}tháng {m} năm {y}".format(
            b=BLANK, m=f"{month:02d}" if month < 3 else str(month), y=year
        )
    else:
        d = _dt.date(year, month, day)
        text = _babel_format_date(
            d, f"'ngày' dd 'tháng' {_month_pattern(month)} 'năm' y", locale=LOCALE
        )
    return f"{place}, {text}" if place else text


def citation_date(year: int, month: int, day: int | None) -> str:
    """A date inside the body: ``26/12/2024``, ``05/3/2026``, ``24/01/2025`` (§8.3).

    A blank day prints as blanks before the month: ``    /8/2025``.
    """
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
        raise ValueError(f"a document number starts at 1, got {number}")
    return f"{number:02d}"


def number_line(number: int | None, type_code: str, issuer_code: str) -> str:
    """Ô 3 without a colon: ``Số 09-KH/ĐUB`` or ``Số    -KH/ĐUB`` (§3.3)."""
    return f"Số {reference(number, type_code, issuer_code)}"


def reference(number: int | None, type_code: str, issuer_code: str) -> str:
    """Số-ký hiệu as cited in running text: ``09-KH/ĐUB`` (blank number: ``    -KH/ĐUB``)."""
    return f"{document_number(number)}-{type_code}/{issuer_code}"


def roman(n: int) -> str:
    """Roman numeral for section headings and quarters: 3 → ``III``."""
    return _roman.toRoman(n)


def alpha(n: int) -> str:
    """Letter for point-level items (điểm): 1 → ``a``, 5 → ``đ``, in the Vietnamese
    alphabet order a, b, c, d, đ, e, g … (no f, j, w, z)."""
    letters = "abcdđeghiklmnopqrstuvxy"
    if not 1 <= n <= len(letters):
        raise ValueError(f"no letter for item {n}")
    return letters[n - 1]


def quarter(q: int, year: int | None = None, *, capital: bool = True) -> str:
    """``Quý III/2025``; mid-sentence ``quý III/2025`` (§8.3)."""
    if not 1 <= q <= 4:
        raise ValueError(f"quarter must be 1–4, got {q}")
    word = "Quý" if capital else "quý"
    return f"{word} {roman(q)}/{year}" if year is not None else f"{word} {roman(q)}"


def number(value: float | int) -> str:
    """A figure with Vietnamese separators: 1234.5 → ``1.234,5`` (§8.3)."""
    return _babel_format_decimal(value, locale=LOCALE)
