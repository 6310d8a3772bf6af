"""Text rules shared by ``vanban check`` (DOCX) and ``vanban lint`` (YAML): code points, legacy
encodings, state-document forms, date writing, spacing. Each finding names its rule id
(see ``rules:`` in data/rules/); :func:`fix` repairs only what is safe to repair.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from generator.lang import vn
from generator.lang.i18n import _

# Latin-1 characters that Vietnamese never uses: inside a word they betray text typed in a
# TCVN3 (ABC) or VNI font and pasted as if it were Unicode ("Uû ban nh©n d©n").
_LEGACY = set("©¬ª®µ¸¹¶·¼½¾¿×÷ÆæÅåÄäÖöÜüÑñÇçËëÏïÎîÿøûÛþÞß¢£¤¥¦§¨¯°±²³´")  # not Ð: see van-ban.chu-d
_LEGACY_RE = re.compile("[" + re.escape("".join(sorted(_LEGACY))) + "]")
_WORD = re.compile(r"\S+")
_STATE_SIGN = re.compile(r"^(TM|KT|TL|TUQ)\.\s")
_STATE_NUMBER = re.compile(r"^Số\s*:")
_QYD = re.compile(r"\bQyĐ\b")
_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_HYPHEN_DATE = re.compile(r"(?<![\d-])(\d{1,2})-(\d{1,2})-(\d{4})(?![\d-])")
# Blanks left on purpose for the văn thư: "Số     -KH/ĐUB", "ngày    tháng", "ngày     /8/2025".
_BLANKS = re.compile(r"(?:[Ss]ố|ngày|tháng)(\s{2,})(?=-|/|tháng|năm)")  # blanks left for the văn thư to fill
_DOUBLE_SPACE = re.compile(r"(?<=\S)( {2,})(?=\S)")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\w) +(?=[,.;:!?)](?!\.\.))")


@dataclass(frozen=True)
class TextFinding:
    rule: str
    message: str
    start: int = 0
    fixable: bool = False


def _good_date(day: str, month: str, year: str) -> str:
    return vn.citation_date(int(year), int(month), int(day))


def check_text(text: str) -> list[TextFinding]:
    """Findings in one piece of text (a paragraph or a YAML value)."""
    out: list[TextFinding] = []
    if not unicodedata.is_normalized("NFC", text):
        out.append(TextFinding("van-ban.nfc", _("text is not in NFC (decomposed diacritics)"), 0, True))
    for ch in sorted(set(text) & set(vn.LOOKALIKES)):
        out.append(
            TextFinding(
                "van-ban.chu-d",
                _(
                    "look-alike {ch} (U+{value:04X}) instead of {value2}",
                    ch=repr(ch),
                    value=ord(ch),
                    value2=repr(vn.LOOKALIKES[ch]),
                ),
                text.index(ch),
                True,
            )
        )
    legacy = [w for w in _WORD.findall(text) if any(c in _LEGACY for c in w)] if _LEGACY_RE.search(text) else []
    if legacy:
        out.append(
            TextFinding(
                "van-ban.ma-cu",
                _("text pasted from a TCVN3/VNI font: {value}", value=repr(" ".join(legacy[:3]))),
                text.index(legacy[0]),
            )
        )
    stripped = text.lstrip()
    if _STATE_SIGN.match(stripped):
        out.append(
            TextFinding(
                "van-ban.the-thuc-nha-nuoc",
                _("state signing form {value}; Party documents write T/M, K/T, T/L", value=repr(stripped.split()[0])),
            )
        )
    if _STATE_NUMBER.match(stripped):
        out.append(
            TextFinding("van-ban.the-thuc-nha-nuoc", _("“Số:” with a colon is the state form; Party documents write “Số 09-…”"))
        )
    if _QYD.search(text):
        out.append(
            TextFinding(
                "van-ban.the-thuc-nha-nuoc", _("“QyĐ” is the state code of a Quy định; Party documents use QĐ"), text.index("QyĐ")
            )
        )
    for m in _SLASH_DATE.finditer(text):
        day, month, year = m.groups()
        try:
            good = _good_date(day, month, year)
        except ValueError:
            continue  # not a date (31/2/2025): nothing to say about its writing
        if good != m.group(0):
            out.append(
                TextFinding(
                    "van-ban.ngay-so-0",
                    _("date {value} should be written {good}", value=repr(m.group(0)), good=repr(good)),
                    m.start(),
                    True,
                )
            )
    blanked = _BLANKS.sub(lambda m: m.group(0).replace(m.group(1), " "), text)
    for m in _DOUBLE_SPACE.finditer(blanked):
        out.append(TextFinding("van-ban.khoang-trang", _("two or more spaces in a row"), m.start(), True))
        break
    before = _SPACE_BEFORE_PUNCT.search(text)
    if before:
        out.append(
            TextFinding("van-ban.khoang-trang", _("space before {value}", value=repr(text[before.end()])), before.start(), True)
        )
    return out


def date_styles(texts: list[str]) -> tuple[int, int]:
    """How many slash dates and hyphen dates a document uses (to report a mix)."""
    slash = sum(len(_SLASH_DATE.findall(t)) for t in texts)
    hyphen = sum(len(_HYPHEN_DATE.findall(t)) for t in texts)
    return slash, hyphen


def fix(text: str) -> tuple[str, list[str]]:
    """Repair what is safe: NFC, Đ look-alikes, date zero-padding, stray spaces. Returns the text
    and what was changed; legacy encodings and state forms need a person and are left alone."""
    changes: list[str] = []
    fixed, lookalikes = vn.normalize(text)
    if fixed != unicodedata.normalize("NFC", text) or lookalikes:
        changes += [f.describe() for f in lookalikes]
    if not unicodedata.is_normalized("NFC", text):
        changes.append(_("normalised to NFC"))

    def pad(m: re.Match) -> str:
        day, month, year = m.groups()
        try:
            good = _good_date(day, month, year)
        except ValueError:
            return m.group(0)
        if good != m.group(0):
            changes.append(_("date {value} → {good}", value=m.group(0), good=good))
        return good

    fixed = _SLASH_DATE.sub(lambda m: pad(m) if 1 <= int(m.group(2)) <= 12 else m.group(0), fixed)
    keep = {m.start(1): m.group(1) for m in _BLANKS.finditer(fixed)}

    def single(m: re.Match) -> str:
        if m.start(1) in keep:
            return m.group(1)
        changes.append(_("spaces in a row → one space"))
        return " "

    fixed = _DOUBLE_SPACE.sub(single, fixed)
    before = fixed
    fixed = _SPACE_BEFORE_PUNCT.sub("", fixed)
    if fixed != before:
        changes.append(_("space before punctuation removed"))
    return fixed, changes
