"""The minutes shape: a Biên bản. Its template prints, beyond the common parts, the opening lines (``opening``:
time, place, content, chair, secretary, attendance, guests), the closing line (``end_line``) and the secretary's
signature block (``secretary``) left of the chair's (the common ``sign``); it has no Nơi nhận.
Layout: Hướng dẫn 16-HD/VPTW's model and chi bộ templates (docs/document-kinds.md §3.15)."""

from __future__ import annotations

from typing import Any

from generator.io.refdata import DocType, Layout
from generator.lang import vn
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
