"""The article shapes: the Quyết định (shape ``decision``) and the Quy chế / Quy định it may adopt (``regulation``).

Their templates print, beyond the common parts: the căn cứ lines (``grounds``), the enacting line(s), the articles as
blocks (``articles``: ``division`` a Phần/Chương/Mục label and its name on two lines of one paragraph, ``article`` an article's label, title and
text, ``p`` a paragraph), and for a Quyết định the adopted document (``attachment``) with its own heading block.
"""

from __future__ import annotations

import re
from typing import Any

from generator.inspect.check import Para
from generator.inspect.elements import ARTICLE, DIVISION, ENACT, SIGN, TIEU_DE
from generator.inspect.reader import DocumentReader
from generator.io.refdata import DocType, Layout, RefData
from generator.lang import vn
from generator.lang.i18n import _
from generator.model.articles import Article, Decision, Division, Regulation
from generator.render.context import signer, signer_rows

_END = ";,."


def grounds(lines: list[str]) -> list[str]:
    """``- Căn cứ …;`` lines, the last ending with ``,`` (the enacting line follows)."""
    out = [f"- {line.rstrip().rstrip(_END).rstrip()};" for line in lines]
    if out:
        out[-1] = out[-1][:-1] + ","
    return out


def _article(a: Article, n: int, out: list[dict[str, str]], sep: str = ".") -> None:
    # The text follows the label on its line; after a title it starts a paragraph of its own.
    inline = "" if a.title else a.text or ""
    out.append({"kind": "article", "label": f"Điều {n}{sep}", "title": a.title or "", "text": inline})
    if a.title and a.text:
        out.append({"kind": "p", "text": a.text})
    out.extend({"kind": "p", "text": t} for t in a.paragraphs)
    for i, c in enumerate(a.clauses, 1):
        out.append({"kind": "p", "text": f"{i}. {c.text}"})
        out.extend({"kind": "p", "text": f"{vn.alpha(j)}) {p}"} for j, p in enumerate(c.points, 1))


def _division(word: str, d: Division, out: list[dict[str, str]], counter: list[int], number: str, sep: str) -> None:
    # label and name in one paragraph, a line break between (kept whole, and with what follows, on one page)
    out.append({"kind": "division", "text": f"{word} {number}\n{vn.upper(d.title)}"})
    for ch in d.chapters:
        _division("Chương", ch, out, counter, vn.roman(counter_next(counter, "chapter")), sep)
    for i, s in enumerate(d.sections, 1):
        _division("Mục", s, out, counter, str(i), sep)
    for a in d.articles:
        counter[0] += 1
        _article(a, counter[0], out, sep)


def counter_next(counter: list[int], level: str) -> int:
    """Chapters are numbered through the whole document, like articles."""
    idx = {"chapter": 1, "part": 2}[level]
    counter[idx] += 1
    return counter[idx]


def article_blocks(
    articles: list[Article],
    parts: list[Division] | None = None,
    chapters: list[Division] | None = None,
    sep: str = ".",
) -> list[dict]:
    """The body of a document written in articles, articles numbered from 1 through the whole document; *sep*
    follows an article's number (``Điều 1.`` or ``Điều 1:``)."""
    out: list[dict[str, str]] = []
    counter = [0, 0, 0]  # articles, chapters, parts
    for p in parts or []:
        _division("Phần", p, out, counter, vn.roman(counter_next(counter, "part")), sep)
    for ch in chapters or []:
        _division("Chương", ch, out, counter, vn.roman(counter_next(counter, "chapter")), sep)
    for a in articles:
        counter[0] += 1
        _article(a, counter[0], out, sep)
    return out


def caption(citation: str, by: str | None) -> str:
    """``(Ban hành kèm theo Quyết định số 15-QĐ/ĐUB, ngày 10/3/2026 của Ban Thường vụ Đảng ủy …)``."""
    return f"(Ban hành kèm theo {citation}{f' của {by}' if by else ''})"


def _caption(decision: Decision, ref: RefData) -> str:
    h, s = decision.header, decision.signoff
    by = f"{s.authority} {h.issuer}" if s and s.authority else h.issuer
    return caption(ref.citation(decision), by)


def _signs(doc: Any) -> dict[str, Any]:
    """An attachment's signers as a Quy chế alone prints them: one signer on the right (``sign``); two or more
    (a cosigner, ``signers``) side by side, two a row (``cosign`` set, ``signer_rows``)."""
    signers = doc.all_signers()
    return {
        "sign": signer(signers[-1]) if signers else None,
        "cosign": signer(signers[0]) if len(signers) > 1 else None,
        "signer_rows": signer_rows(signers) if len(signers) > 1 else [],
    }


def _regulation(reg: Regulation, caption: str, title: str, sep: str) -> dict[str, Any]:
    h = reg.header
    return {
        "h": {"superior": vn.upper(h.superior) if h.superior else "", "issuer": vn.upper(h.issuer)},
        "title": title,
        "subject": "\n".join(reg.subject),
        "caption": caption,
        "grounds": grounds(reg.grounds),
        "enacting": reg.enacting or "",
        "articles": article_blocks(reg.articles, reg.parts, reg.chapters, sep),
        **_signs(reg),
    }


def decision_view(decision: Decision, doc_type: DocType, layout: Layout, *, ref: RefData) -> dict[str, Any]:
    s, h = decision.signoff, decision.header
    sep = decision.article_separator or layout.article_separator
    enacting = decision.enacting_body or (f"{s.authority} {h.issuer}" if s and s.authority else h.issuer)
    attachment = None
    a = decision.attachment
    if isinstance(a, Regulation):
        adopted = ref.types.get(a.type)  # the reference data of this render: an office's own names count
        title = adopted.title if adopted else vn.upper(a.type)
        # the attachment's own choice of "Điều 1:", else the Quyết định's, else the profile's
        attachment = _regulation(a, _caption(decision, ref), title, a.article_separator or sep)
    return {
        "grounds": grounds(decision.grounds),
        "enacting": vn.upper(enacting),
        "decides": decision.decides,
        "articles": article_blocks(decision.articles, sep=sep),
        "attachment": attachment,
    }


def regulation_view(reg: Regulation, doc_type: DocType, layout: Layout, *, ref: RefData) -> dict[str, Any]:
    text = ""
    i = reg.issued_with
    if i is not None:  # the adopting Quyết định's citation, made by the one citation of every document
        text = caption(ref.cite(i.type, i.number, i.issuer_code, i.date, reg.profile), i.issuer)
    view = _regulation(reg, text, doc_type.title, reg.article_separator or layout.article_separator)
    out = {k: view[k] for k in ("caption", "grounds", "enacting", "articles")}
    if not reg.recipients and not reg.archive:
        out["recipients"] = []  # no Nơi nhận at all (not a lone "- Lưu ." line)
    return out


# --------------------------------------------------------------------------- reading back (vanban import)

_GROUND = re.compile(r"^(?:[-–]\s*)?((?:Căn cứ|Xét|Theo|Thực hiện)\b.*?)\s*[;,.]?$")
_CLAUSE = re.compile(r"^(\d{1,2})\.\s+(.+)$")
_POINT = re.compile(r"^([a-zđ])\)\s+(.+)$")
_DASHES = re.compile(r"^[-–_]{3,}$")
_ISSUED = re.compile(
    r"^\(Ban hành kèm theo (?P<type_name>.+?) số (?P<number>\d*)\s*-\s*(?P<code>[^/\s]+)/(?P<issuer_code>[^,\s]+)"
    r",?(?:\s*ngày (?P<date>[\d/]+))?(?:\s*của (?P<issuer>.+?))?\)$"
)


def _articles(r: DocumentReader, items: list[Para], out: dict[str, Any]) -> None:
    """Divisions and articles from *items* into *out* (``parts``, ``chapters``, ``articles``)."""
    top: dict[str, Any] = {"parts": [], "chapters": [], "articles": []}
    part: dict | None = None
    chapter: dict | None = None
    section: dict | None = None
    article: dict | None = None
    pending: tuple[str, Para] | None = None  # a division label waiting for its name on the next line
    for para in items:
        text = para.text
        if pending is not None:
            word, label = pending
            div: dict[str, Any] = {"title": r.cased(text), "chapters": [], "sections": [], "articles": []}
            if word == "Phần":
                top["parts"].append(div)
                part, chapter, section = div, None, None
            elif word == "Chương":
                (part["chapters"] if part is not None else top["chapters"]).append(div)
                chapter, section = div, None
            else:
                if chapter is None:
                    r.note(label, _("a Mục outside any Chương: kept as a Chương"))
                    top["chapters"].append(div)
                    chapter = div
                else:
                    chapter["sections"].append(div)
                section = div
            pending, article = None, None
            continue
        m = DIVISION.match(text)
        if m:
            pending = (m.group("word"), para)
            continue
        m = ARTICLE.match(text)
        if m:
            rest = text[m.end() :].strip()
            article = {"paragraphs": [], "clauses": []}
            if rest:
                bold = r.bold_after(para, text[: m.end()])
                if bold is None:  # typed without bold: a short name without a full stop is a title
                    bold = len(rest.split()) <= 15 and not rest.endswith((".", ";", ":"))
                article["title" if bold else "text"] = rest
            holder = section or chapter or part or top
            holder["articles"].append(article)
            continue
        if article is None:
            r.note(para, _("a line before the first article that was not understood: kept as the first article's text"))
            article = {"paragraphs": [], "clauses": []}
            (section or chapter or part or top)["articles"].append(article)
            article["text"] = text
            continue
        c = _CLAUSE.match(text)
        if c:
            article["clauses"].append({"text": c.group(2), "points": []})
            continue
        pt = _POINT.match(text)
        if pt and article["clauses"]:
            article["clauses"][-1]["points"].append(pt.group(2))
            continue
        if article["clauses"]:
            r.note(para, _("a paragraph after the clauses of an article: kept in the last clause's text"))
            article["clauses"][-1]["text"] += " " + text
            continue
        article["paragraphs"].append(text)
    if pending is not None:
        r.note(pending[1], _("a part or chapter without a name or articles: kept as the last article's paragraph"))
        if article is not None:
            article["paragraphs"].append(pending[1].text)

    def prune(d: dict) -> None:
        for key in ("chapters", "sections", "articles", "paragraphs", "clauses", "parts", "points"):
            if key in d and not d[key]:
                del d[key]
        for key in ("chapters", "sections", "parts"):
            for sub in d.get(key, []):
                prune(sub)
        for a in d.get("articles", []):
            prune(a)
            for c in a.get("clauses", []):
                prune(c)

    prune(top)
    for key in ("parts", "chapters", "articles"):
        if top.get(key):
            out[key] = top[key]


def _grounds(items: list[Para]) -> tuple[list[str], int]:
    grounds: list[str] = []
    i = 0
    while i < len(items):
        text = items[i].text
        if text.startswith("(Ban hành kèm theo"):  # the caption, maybe wrapped over lines (read from a PDF)
            while i < len(items) - 1 and not items[i].text.endswith(")"):
                i += 1
            i += 1
            continue
        if _DASHES.match(text):
            i += 1
            continue
        m = _GROUND.match(text)
        if not m:
            break
        grounds.append(m.group(1))
        i += 1
    return grounds, i


def _read_caption(items: list[Para], data: dict) -> None:
    for k, p in enumerate(items[:3]):
        text = p.text
        for more in items[k + 1 : k + 4]:
            if text.endswith(")") or not text.startswith("(Ban hành kèm theo"):
                break
            text += " " + more.text  # wrapped over lines
        m = _ISSUED.match(text)
        if m and text.startswith("(Ban hành kèm theo"):
            issued = {k: v for k, v in m.groupdict().items() if v}
            if issued.get("number"):
                issued["number"] = int(issued["number"])
            else:
                issued.pop("number", None)
            issued["type_code"] = issued.pop("code")
            data["issued_with"] = issued


def read_regulation(r: DocumentReader, data: dict[str, Any], start: int) -> None:
    """A Quy chế or Quy định: (its caption,) căn cứ lines, the enacting sentence, divisions and articles."""
    end = r.closing(data, start, recipients_expected=False)  # one issued with a Quyết định may have none
    items = r.lines(start, end)
    if not r.attached:
        _read_caption(items, data)
    grounds, i = _grounds(items)
    if grounds:
        data["grounds"] = grounds
    first = next((j for j in range(i, len(items)) if DIVISION.match(items[j].text) or ARTICLE.match(items[j].text)), len(items))
    if first > i:
        data["enacting"] = " ".join(p.text for p in items[i:first])
    _articles(r, items[first:], data)
    data.pop("sections", None)


def read_decision(r: DocumentReader, data: dict[str, Any], start: int) -> None:
    """A Quyết định: căn cứ, the enacting body, ``QUYẾT ĐỊNH:``, articles; the document it adopts after the sign-off."""
    sign = r.first(lambda p: bool(SIGN.match(p.text)), start)
    if sign is not None:
        tieu_de = r.first(lambda p: p.text == TIEU_DE, sign.index)
        if tieu_de is not None:
            lo = next(
                (p.index - 1 for p in r.paras[sign.index : tieu_de.index] if p.text and p.container is not sign.container),
                tieu_de.index - 1,
            )
            attached, notes = r.attachment(lo)
            r.limit(lo)
            data["attachment"] = attached
            r.notes += notes
    end = r.closing(data, start)
    items = r.lines(start, end)
    grounds, i = _grounds(items)
    if grounds:
        data["grounds"] = grounds
    decides = next((j for j in range(i, len(items)) if items[j].text.rstrip(":").strip() == ENACT), None)
    if decides is None:
        r.note(items[i] if i < len(items) else None, _("no “QUYẾT ĐỊNH:” line before the articles"))
        decides = i - 1
    else:
        if items[decides].text != "QUYẾT ĐỊNH:":
            data["decides"] = items[decides].text
        body_lines = items[i:decides]
        if body_lines:
            enacting = " ".join(p.text for p in body_lines)
            s, h = data.get("signoff") or {}, data["header"]
            default = f"{s.get('authority')} {h.get('issuer')}" if s.get("authority") else h.get("issuer", "")
            if enacting != vn.upper(default):
                data["enacting_body"] = r.cased(enacting)
    _articles(r, items[decides + 1 :], data)
    data.pop("sections", None)
    for key in ("parts", "chapters"):
        divisions = data.pop(key, None) or []
        if divisions:
            r.note(None, _("a Quyết định written in parts or chapters: their articles are kept, their headings left out"))
        while divisions:
            d = divisions.pop(0)
            data.setdefault("articles", []).extend(d.get("articles", []))
            divisions[:0] = d.get("chapters", []) + d.get("sections", [])
