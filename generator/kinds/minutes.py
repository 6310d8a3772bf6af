"""The minutes shape: a Biên bản. Its template prints, beyond the common parts, the opening lines (``opening``:
time, place, content, chair, secretary, attendance, guests), the closing line (``end_line``) and the secretary's
signature block (``secretary``) left of the chair's (the common ``sign``); it has no Nơi nhận.
Layout: Hướng dẫn 16-HD/VPTW's model and chi bộ templates (docs/document-kinds.md §3.15)."""

from __future__ import annotations

import re
from typing import Any

from generator.inspect.elements import MINUTES_ROLES, SIGN
from generator.inspect.reader import DocumentReader
from generator.io.refdata import DocType, Layout
from generator.lang import vn
from generator.lang.i18n import _
from generator.model.document import SignOff
from generator.model.minutes import Minutes, Person
from generator.render.context import signer_rows


def _person(p: Person) -> str:
    return f"đồng chí {p.name}" + (f", {p.position}" if p.position else "")


def _clock(hour: int, minute: int) -> str:
    return f"{hour:02d} giờ {minute:02d} phút"


def opening(m: Minutes) -> list[str]:
    """The lines that open the minutes, each ``- Label: …``."""
    s, a = m.start, m.attendance
    lines = [
        f"- Thời gian: vào hồi {_clock(s.hour, s.minute)}, {vn.header_date(s.year, s.month, s.day)}.",
        f"- Địa điểm: {m.place}.",
    ]
    if m.content:
        lines.append(f"- Nội dung: {m.content.rstrip('.')}.")
    lines.append(f"- Chủ trì: {_person(m.chair)}.")
    lines.append(f"- {vn.upper(m.secretary_title[0]) + m.secretary_title[1:]}: {_person(m.secretary)}.")
    of = f"/{a.expected:02d}" if a.expected else ""
    present = f"- Thành phần: có mặt {a.present:02d}{of} {a.members}"
    if a.absent:
        names = ", ".join(f"đồng chí {x.name}" + (f" ({x.reason})" if x.reason else "") for x in a.absent)
        present += f"; vắng mặt {len(a.absent):02d} đồng chí: {names}"
    lines.append(present + ".")
    if a.invited:
        lines.append(f"- Đại biểu mời dự: {', '.join(a.invited)}.")
    return lines


def end_line(m: Minutes) -> str:
    if m.end_line:
        return m.end_line
    if m.end is None:
        return ""
    return f"Hội nghị kết thúc vào lúc {_clock(m.end.hour, m.end.minute)} cùng ngày."


def view(m: Minutes, doc_type: DocType, layout: Layout) -> dict[str, Any]:
    # the secretary left of the chair; or the signers the minutes name (three: a witness, a representative …)
    signers = m.signers or [SignOff(position=m.secretary_title, name=m.secretary.name), *m.all_signers()]
    return {
        "opening": opening(m),
        "end_line": end_line(m),
        "secretary": {"position": vn.upper(m.secretary_title), "name": m.secretary.name},
        "signer_rows": signer_rows(signers),
    }


# --------------------------------------------------------------------------- reading back (vanban import)

_LINE = re.compile(r"^[-–]\s*(?P<label>[^:]{3,40}?)\s*:\s*(?P<value>.+?)\.?$")
_TIME = re.compile(r"(\d{1,2})\s*giờ\s*(\d{1,2})?\s*(?:phút)?")
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_PERSON = re.compile(r"^(?:đồng chí\s+)?(?P<name>[^,]+?)(?:,\s*(?P<position>.+))?$")
_PRESENT = re.compile(
    r"^có mặt\s+(?P<present>\d+)(?:/(?P<expected>\d+))?\s+(?P<members>[^;]+?)(?:;\s*vắng mặt\s+\d+\s+đồng chí:?\s*(?P<absent>.+))?$"
)
_ABSENT = re.compile(r"^(?:đồng chí\s+)?(?P<name>[^()]+?)(?:\s*\((?P<reason>[^()]*)\))?$")
_END = re.compile(r"^(Hội nghị|Cuộc họp|Buổi làm việc)\s+kết thúc")


def _read_person(text: str) -> dict[str, str]:
    m = _PERSON.match(text)
    assert m  # matches any text
    return {k: v for k, v in m.groupdict().items() if v}


def read(r: DocumentReader, data: dict[str, Any], start: int) -> None:
    """A Biên bản: the opening lines (``- Thời gian: …``, ``- Địa điểm: …`` …), the proceedings by numbered parts,
    the closing line, then the secretary's and the chair's signatures side by side; no Nơi nhận."""
    roles = [p for p in r.paras[start:] if p.text.rstrip(":") in MINUTES_ROLES or SIGN.match(p.text)]
    stop = roles[0].index - 1 if roles else len(r.paras)
    lines = r.lines(start, stop)
    i = 0
    for i, p in enumerate(lines):  # noqa: B007 - i is where the proceedings start
        m = _LINE.match(p.text)
        if not m:
            break
        label, value = m.group("label"), m.group("value")
        low = label.lower()
        if low == "thời gian":
            t, d = _TIME.search(value), _DATE.search(value)
            if t and d:
                data["start"] = f"{int(d[3]):04d}-{int(d[2]):02d}-{int(d[1]):02d} {int(t[1]):02d}:{int(t[2] or 0):02d}"
            else:
                r.note(p, _("a time of the meeting that was not understood: {text}", text=value))
        elif low == "địa điểm":
            data["place"] = value
        elif low == "nội dung":
            data["content"] = value
        elif low in ("chủ trì", "chủ tọa"):
            data["chair"] = _read_person(value)
        elif low in ("thư ký", "người ghi biên bản", "thư ký hội nghị"):
            data["secretary"] = _read_person(value)
            if label != "Thư ký":
                data["secretary_title"] = label
        elif low == "thành phần":
            a = _PRESENT.match(value)
            if a is None:
                r.note(p, _("an attendance line that was not understood: {text}", text=value))
                continue
            att: dict[str, Any] = {"present": int(a["present"]), "members": a["members"]}
            if a["expected"]:
                att["expected"] = int(a["expected"])
            if a["absent"]:
                att["absent"] = [
                    {k: v for k, v in _ABSENT.match(x.strip()).groupdict().items() if v}  # type: ignore[union-attr]
                    for x in re.split(r",\s*(?=đồng chí\s)", a["absent"])
                ]
            data["attendance"] = {**data.get("attendance", {}), **att}
        elif low == "đại biểu mời dự":
            data.setdefault("attendance", {})["invited"] = [x.strip() for x in re.split(r",\s*(?=đồng chí\s)", value)]
        else:
            r.note(p, _("an opening line of the minutes that was not understood: {text}", text=p.text))
    else:
        i = len(lines)
    body_stop = stop
    closing = next((p for p in reversed(lines[i:]) if _END.match(p.text)), None)
    if closing is not None:
        body_stop = closing.index - 1
        t = _TIME.search(closing.text)
        if t:
            data["end"] = f"{int(t[1]):02d}:{int(t[2] or 0):02d}"
        made = f"Hội nghị kết thúc vào lúc {_clock(int(t[1]), int(t[2] or 0))} cùng ngày." if t else None
        if closing.text != made:
            data["end_line"] = closing.text
    r.body(data, lines[i].index - 1 if i < len(lines) else stop, body_stop)
    for key in ("preamble", "points"):
        if not data.get("sections"):
            break  # no parts to keep them in: they stay where they were read
        for text in reversed(data.pop(key, [])):
            message = _("a paragraph of the minutes outside its parts: kept at the start of the first part: {text}", text=text)
            r.note(None, message)
            data["sections"][0].setdefault("paragraphs", []).insert(0, text)
    data["recipients"], data["archive"] = [], []
    for role in roles:
        block = r.block_after(role)
        name = block[0].text if block else ""
        title = r.cased(role.text.rstrip(":"))
        if vn.upper(data.get("secretary_title", "Thư ký")) == role.text.rstrip(":"):
            continue  # the secretary's block: title and name are the opening lines'
        data["signoff"] = {"position": title, "name": name}
