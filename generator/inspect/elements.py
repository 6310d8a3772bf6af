"""The elements of a Party document as found by their text: one set of patterns for the checker
(:mod:`generator.inspect.check`) and the reader of received documents (:mod:`generator.inspect.reader`,
:mod:`generator.inspect.pdf_reader`), so that both find the same header, date line and sign-off in a document.

Each pattern has named groups for what the reader takes from the line; the checker only asks whether a line is
the element.
"""

from __future__ import annotations

import re
import unicodedata

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

TIEU_DE = "ĐẢNG CỘNG SẢN VIỆT NAM"
#: ``Số 15-QĐ/ĐUB``, ``Số: 15-QĐ/ĐUB``, ``Số     -KH/ĐUB`` (a number left blank, or ``……``).
NUMBER = re.compile(r"^Số\s*:?\s*(?P<number>\S*?)\s*-\s*(?P<code>[^/\s]+)\s*/\s*(?P<issuer>\S+)$")
#: ``Hà Nội, ngày 05 tháng 3 năm 2026`` (day, or day and month, may be blank on a draft or a form).
DATE_LINE = re.compile(r"^(?P<place>[^,]+),\s*ngày\s+(?P<day>\S*)\s*tháng\s+(?P<month>\S*)\s*năm\s+(?P<year>\d{4})$")
#: A blank left for the unit to fill in a form (``CHI BỘ: ……….``, ``………., ngày …``).
BLANK = re.compile(r"…{2,}|\.{4,}")
#: The signing line: the form of signing (ô 7a) and who signs for whom (``T/M BAN THƯỜNG VỤ``).
SIGN = re.compile(r"^(?P<form>T/M|K/T|T/L|Q\.|T/U|TM\.|KT\.|TL\.|TUQ\.|Q)\s+(?P<authority>\S.*)$")
APPENDIX = re.compile(r"^phụ lục\b", re.I)
#: ``Kính gửi:`` (every kind that addresses someone), ``Đồng kính gửi:``, ``Kính trình:`` (a Tờ trình under 05-HD).
SALUTATION = re.compile(r"^(?P<word>Kính gửi|Đồng kính gửi|Kính trình)\s*:\s*(?P<rest>.*)$")
#: The secrecy and urgency marks (ô 10a, 10b), printed under the number (and under a Công văn's trích yếu).
MARKS = frozenset({"MẬT", "TỐI MẬT", "TUYỆT MẬT", "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC", "HỎA TỐC HẸN GIỜ"})
SECRECY = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
#: ``Điều 1.`` (an article of a Quyết định, a Quy chế, a Quy định); its text follows ``m.end()``.
ARTICLE = re.compile(r"^(?P<label>Điều\s+\d+)\s*(?P<sep>[.:])?")
#: ``Phần I``, ``Chương II``, ``Mục 1`` — a division of a Quy chế or Quy định, its name on the next line.
DIVISION = re.compile(r"^(?P<word>Phần|Chương|Mục)\s+(?P<n>[IVXLC]+|\d+)\.?$")
#: The line that starts the articles of a Quyết định.
ENACT = "QUYẾT ĐỊNH"
#: The signers of a Biên bản (rule ``ky.bien-ban`` may name others with ``roles``).
MINUTES_ROLES = ("THƯ KÝ", "THƯ KÝ HỘI NGHỊ", "NGƯỜI GHI BIÊN BẢN", "CHỦ TRÌ", "CHỦ TRÌ HỘI NGHỊ", "CHỦ TỌA", "CHỦ TỌA HỘI NGHỊ")

# A non-breaking hyphen is a hyphen to the reader (dates such as 16-9-2011 are rendered with them).
TEXT_TAGS = {
    qn("w:t"): None,
    qn("w:tab"): "\t",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
    qn("w:softHyphen"): "",
}
_R = qn("w:r")


def raw_text(p: Paragraph) -> str:
    """The paragraph's text as python-docx gives it, read with one lxml pass (5× faster)."""
    out: list[str] = []
    for el in p._p.iter(*TEXT_TAGS):
        if el.getparent().tag != _R:
            continue
        fixed = TEXT_TAGS[el.tag]
        out.append(el.text or "" if fixed is None else fixed)
    return "".join(out)


def norm(text: str) -> str:
    """NFC, whitespace collapsed: the text as the eye reads it."""
    return " ".join(unicodedata.normalize("NFC", text).split())
