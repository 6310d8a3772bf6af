"""Use case: the register of outgoing documents (sổ đăng ký văn bản đi) printed, as DOCX (its PDF comes
from :mod:`generator.services.pages`, the same converter as every other page)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from generator.io.refdata import RefData
from generator.io.refdata import load as load_refdata
from generator.io.register import RegisterLayout, load_layout
from generator.render.register import RegisterLine
from generator.render.register import register_docx as build


@dataclass
class Entry:
    """A line of the register, as the office keeps it."""

    number: int
    symbol: str
    type_id: str
    issued_on: _dt.date
    subject: str
    signer: str = ""
    recipients: str = ""
    archive: str = ""
    cancelled: bool = False
    cancelled_on: _dt.date | None = None
    reason: str = ""


def _line(e: Entry, ref: RefData) -> RegisterLine:
    kind = ref.types[e.type_id].name if e.type_id in ref.types else ""
    values = {
        "symbol": e.symbol,
        "date": f"{e.issued_on.day:02d}/{e.issued_on.month:02d}",
        "subject": f"{kind}: {e.subject}" if kind else e.subject,
        "signer": e.signer,
        "recipients": "\n".join(r.strip() for r in e.recipients.split(";") if r.strip()),
        "archive": e.archive,
        "copies": "",
        "note": "",
    }
    on = e.cancelled_on.strftime("%d/%m/%Y") if e.cancelled_on else ""
    return RegisterLine(values, e.cancelled, on, e.reason)


def register_docx(entries: list[Entry], *, superior: str, issuer: str, year: int, layout: RegisterLayout | None = None) -> bytes:
    """The sổ of *issuer* for *year*, its lines in the order given (by kind, then number)."""
    ref = load_refdata()
    return build(layout or load_layout(), [_line(e, ref) for e in entries], superior=superior, issuer=issuer, year=year)
