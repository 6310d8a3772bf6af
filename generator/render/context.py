"""Model → view: the strings a page shows, ready for a template to place.

:func:`context` turns any :class:`~generator.model.document.Document` into the header block, the
body blocks, the closing and the sign-off, applying the Vietnamese rules of :mod:`generator.lang.vn`
and the layout of the rule profile. What differs by document kind (the appendix's rows, a chart)
comes from the kind's own view function, passed in by :mod:`generator.kinds`: this module knows no kind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from generator.io.refdata import DocType, Layout, Profile
from generator.lang import vn
from generator.model.document import Document, Section, SignOff
from generator.render import tables

#: The chart's place in the context; the template engine replaces it with a picture run.
CHART_MARK = Markup("<!--vanban-chart-->")

#: A kind's appendix view: (document, its type, the profile's layout) → the appendix keys its template reads
#: beyond the common ones (label, title, attached, columns), e.g. ``groups`` and ``chart``.
AppendixView = Callable[[Any, DocType, Layout], dict[str, Any]]


def heading_number(layout: Layout, level: int, n: int, numbering: list[str] | None = None) -> str:
    """``I.``, ``1.``, ``a)`` … for the *n*-th heading of *level*, in the document's numbering style if it
    chose one, else the profile's."""
    numbers = numbering or layout.heading_numbers
    fmt = numbers[min(level, len(numbers)) - 1]
    return fmt.format(n=n, roman=vn.roman(n), alpha=vn.alpha(n), alpha_upper=vn.upper(vn.alpha(n)))


def _section_blocks(
    section: Section, level: int, n: int, layout: Layout, out: list[dict], numbering: list[str] | None = None
) -> None:
    title = vn.upper(section.title) if level == 1 else section.title
    number = heading_number(layout, level, n, numbering)
    out.append({"kind": f"h{min(level, 3)}", "text": f"{number} {title}", "note": section.note or ""})
    out.extend({"kind": "p", "text": t, "note": ""} for t in section.paragraphs)
    out.extend({"kind": "bullet", "text": t, "note": ""} for t in section.bullets)
    for t in section.tables:
        n = sum(1 for b in out if b["kind"] == "table")
        width = layout.page["width_mm"] - layout.margins_mm["left"] - layout.margins_mm["right"]
        out.append({"kind": "table", "text": tables.mark(n), "note": "", "xml": tables.table_xml(t, width)})
    for i, sub in enumerate(section.sections, 1):
        _section_blocks(sub, level + 1, i, layout, out, numbering)
    for i, a in enumerate(section.assignments, 1):
        number = heading_number(layout, level + 1, i, numbering)
        out.append({"kind": f"h{min(level + 1, 3)}", "text": f"{number} {a.unit}", "note": ""})
        out.extend({"kind": "p", "text": t, "note": ""} for t in a.duties)


def citation(doc_type: DocType, doc: Document, layout: Layout) -> str:
    """``Kế hoạch số 09-KH/ĐUB, ngày 05/3/2026`` — the Party citation of *doc* (§3.6)."""
    h = doc.header
    if h.date is None:  # an undated document is cited by its number alone
        return f"{doc_type.name} số {vn.reference(h.number, doc_type.code, h.issuer_code)}"
    return vn.citation(
        doc_type.name, doc_type.code, h.number, h.issuer_code, h.date.year, h.date.month, h.date.day, comma=layout.citation_comma
    )


def signer(s: SignOff | None) -> dict[str, str] | None:
    """Ô 7a–7c as printed: ``T/M BAN THƯỜNG VỤ`` / ``BÍ THƯ`` / the name; None when the document is not signed."""
    if s is None:
        return None
    return {
        "form_line": f"{s.form} {vn.upper(s.authority)}" if s.form and s.authority else "",
        "position": vn.upper(s.position),
        "name": s.name,
    }


def signer_rows(signers: list[SignOff]) -> list[dict[str, Any]]:
    """The signers two a row, left then right, in the order given; an odd last one alone on the right, where a single
    signer stands [U]. A block without a T/M line beside one with it gets a blank line (``pad``), so that the two
    positions and names stand level."""
    views: list[dict[str, Any] | None] = [signer(s) for s in signers]
    if len(views) % 2:
        views.insert(len(views) - 1, None)
    rows = []
    for left, right in zip(views[::2], views[1::2], strict=True):

        def block(one: dict[str, Any] | None, other: dict[str, Any] | None) -> dict[str, Any] | None:
            if one is None:
                return None
            return {**one, "pad": bool(not one["form_line"] and other is not None and other["form_line"])}

        rows.append({"left": block(left, right), "right": block(right, left)})
    return rows


def units_cell(names: list[str], layout: Layout) -> list[str]:
    """The lines of a table cell naming units: one per unit, with the profile's prefix when there are several."""
    return [layout.multi_unit_prefix + u for u in names] if len(names) > 1 else list(names)


#: A kind's own view: (document, its type, the profile's layout) → keys its template reads beyond the common ones
#: (e.g. the addressees of a Công văn, the articles of a Quyết định); they are added to the context's top level.
KindView = Callable[[Any, DocType, Layout], dict[str, Any]]


def context(
    doc: Document,
    doc_type: DocType,
    profile: Profile,
    appendix_view: AppendixView | None = None,
    kind_view: KindView | None = None,
) -> dict[str, Any]:
    """Everything the template prints, as ready-made strings (the chart, if any, as :data:`CHART_MARK`)."""
    layout = profile.layout
    h = doc.header
    marks = h.marks
    top = []
    if marks.draft:
        top.append("DỰ THẢO" if marks.draft is True else marks.draft)
    if marks.circulation:
        top.append(marks.circulation)
    body: list[dict] = [{"kind": "p", "text": t, "note": ""} for t in doc.preamble]
    # a flat numbered list after the opening paragraphs (a Công văn's points, a Thông báo's conclusions)
    body.extend({"kind": "p", "text": f"{i}. {t}", "note": ""} for i, t in enumerate(doc.points, 1))
    for i, section in enumerate(doc.sections, 1):
        _section_blocks(section, 1, i, layout, body, doc.numbering)
    report = None
    if doc.closing:
        body.extend({"kind": "p", "text": t, "note": ""} for t in doc.closing.paragraphs)
        if doc.closing.report:
            r = doc.closing.report
            d = r.deadline
            report = {
                "lead": r.lead or "",
                "what": r.what,
                "to": r.to,
                "via": r.via or "",
                "deadline": vn.citation_date(d.year, d.month, d.day),
            }
    recipients = [f"- {r.to}{f' ({r.note})' if r.note else ''}{r.end or layout.recipient_separator}" for r in doc.recipients]
    if doc.archive:
        recipients.append(f"- {layout.archive_label} {', '.join(doc.archive)}.")  # document text: never translated
    appendix = None
    a = getattr(doc, "appendix", None)
    if a is not None:
        appendix = {
            "label": a.label,
            "title": vn.upper(a.title),
            "attached": f"(Kèm theo {citation(doc_type, doc, layout)} của {h.issuer})",
            "columns": a.columns.model_dump(),
        }
        if appendix_view is not None:
            appendix.update(appendix_view(doc, doc_type, layout))
    signers = doc.all_signers()
    ctx: dict[str, Any] = {
        "h": {
            "top_marks": "\n".join(top),
            "superior": vn.upper(h.superior) if h.superior else "",
            "issuer": vn.upper(h.issuer),
            "number_line": vn.number_line(h.number, doc_type.code, h.issuer_code),
            "left_marks": [m for m in (marks.secrecy, marks.urgency) if m],
            # no place and date line at all on a document that has no date (date: null)
            "place_date": vn.header_date(h.date.year, h.date.month, h.date.day, h.place) if h.date else "",
        },
        "title": doc_type.title,
        "title_lines": [vn.upper(t) for t in doc.title_lines],
        "subject": "\n".join(doc.subject),
        "body": body,
        "report": report,
        "recipients": recipients,
        "distribution": f"{doc.distribution.typist}-{doc.distribution.copies}." if doc.distribution else "",
        # one signer: Nơi nhận beside it; two or more (cosign set): side by side, two a row (signer_rows), Nơi nhận below
        "sign": signer(signers[-1]) if signers else None,
        "cosign": signer(signers[0]) if len(signers) > 1 else None,
        "signer_rows": signer_rows(signers) if len(signers) > 1 else [],
        "appendix": appendix,
    }
    if kind_view is not None:
        ctx.update(kind_view(doc, doc_type, layout))
    return ctx
