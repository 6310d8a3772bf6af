"""The article shapes: the Quyết định (shape ``decision``) and the Quy chế / Quy định it may adopt (``regulation``).

Their templates print, beyond the common parts: the căn cứ lines (``grounds``), the enacting line(s), the articles as
blocks (``articles``: ``division`` a Phần/Chương/Mục label and its name on two lines of one paragraph, ``article`` an article's label, title and
text, ``p`` a paragraph), and for a Quyết định the adopted document (``attachment``) with its own heading block.
"""

from __future__ import annotations

from typing import Any

from generator.io.refdata import DocType, Layout, RefData
from generator.lang import vn
from generator.model.articles import Article, Decision, Division, Regulation
from generator.render.context import signer

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


def _sign(doc: Any) -> dict[str, str] | None:
    signers = doc.all_signers()
    return signer(signers[-1]) if signers else None  # an attachment prints one block: its (last) signer's


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
        "sign": _sign(reg),
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
