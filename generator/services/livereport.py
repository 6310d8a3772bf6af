"""Use case: the Báo cáo written from live data — generated from the submissions at any moment, edited by the
secretariat, generated again after more submissions without losing the edits.

:func:`generate` is ``vanban report``'s report (the same code: :func:`generator.services.report.rolled_report`).
:func:`regenerate` is a three-way merge of the report's prose: *base* is what was generated last time, *edited*
the secretariat's current text, *fresh* what is generated now. A paragraph (or bullet, or heading) the
secretariat did not touch takes the fresh text; one it edited is kept; what the generated text adds or drops is
added or dropped; what the secretariat added is kept where it put it. The appendix (the status table) and the
report's basis are always fresh. Every difference the merge made or kept is a :class:`Change`, in the user's
language (the message catalog: ``II. 1, đoạn 2`` in Vietnamese, ``II. 1, paragraph 2`` in English), saying where.

Paragraphs are matched between two generations by what opens them — the words before the first colon
(``Nhiệm vụ 1.1 (Quý III/2025)``, ``Cục Chính trị - Tổ chức (nhiệm vụ 1.1)``), or the first words with their
numbers blanked (``Đến ngày #/#/#, #/# đơn vị``) — since the roll-up writes one such line per task, unit and
fact; and between the generated text and the secretariat's by their order (a diff), as an editor changes them.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from generator.io.refdata import RefData
from generator.lang import vn
from generator.lang.i18n import _
from generator.model.document import Plan, Problem, Progress, Report, Section
from generator.services.report import rolled_report
from generator.transform.rollup import check_report_dates


@dataclass
class Change:
    """One difference between the report as it was and as it is generated again, for display in the user's
    language.

    ``where``: the place in the merged report (``Phần mở đầu, đoạn 1``, ``I. 2, gạch đầu dòng 3``, ``III``);
    ``what``: what happened, in words; ``before`` and ``after``: the text before and after (empty when none);
    ``kind``: what happened as an id (:data:`ADDED`, :data:`KEPT` …), whatever the language.
    """

    where: str
    what: str
    before: str
    after: str
    kind: str = ""


class GenerateError(ValueError):
    """The report cannot be generated as of that date (before the plan's date, yearly tasks without a period):
    ``problems`` say why, located in the plan."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def generate(
    plan: Plan,
    progress: list[Progress],
    period: str,
    as_of: _dt.date,
    ref: RefData,
    plan_file: str,
    deadline: _dt.date | None = None,
) -> Report:
    """The Báo cáo on *plan* rolled up from *progress* as of *as_of*, exactly as ``vanban report`` builds it;
    *period* is a period id (``so-ket``, ``tong-ket``), *plan_file* how the report's basis names the plan.
    A report is late after *deadline* (the collection's; default: the plan's reporting deadline).
    Raises :class:`GenerateError` when ``vanban report`` would refuse the date."""
    problems = check_report_dates(plan, as_of)
    if problems:
        raise GenerateError(problems)
    return rolled_report(plan, progress, period, as_of, ref, plan_file, deadline).document


# ----------------------------------------------------------------------------- the three-way merge

#: What a change is (:attr:`Change.kind`); its words, in the user's language, are :func:`change_words`'.
ADDED = "added"
REMOVED = "removed"
UPDATED = "updated"
KEPT = "kept"
KEPT_GONE = "kept-gone"
STILL_REMOVED = "still-removed"
SECTION_ADDED = "section-added"
SECTION_REMOVED = "section-removed"
SECTION_KEPT_GONE = "section-kept-gone"
SECTION_STILL_REMOVED = "section-still-removed"


def change_words() -> dict[str, str]:
    """What each change says, in the user's language (the secretariat reads them; the Vietnamese: ``giữ nội dung
    đã chỉnh sửa; nội dung tạo tự động đã đổi thành`` …)."""
    return {
        ADDED: _("added (from the new data)"),
        REMOVED: _("removed (no longer in the new data)"),
        UPDATED: _("updated from the new data"),
        KEPT: _("your edited text kept; the generated text changed to"),
        KEPT_GONE: _("your edited text kept; the generated text no longer has this paragraph"),
        STILL_REMOVED: _("left deleted as you deleted it; the generated text changed to"),
        SECTION_ADDED: _("section added (from the new data)"),
        SECTION_REMOVED: _("section removed (no longer in the new data)"),
        SECTION_KEPT_GONE: _("your edited section kept; the generated text no longer has this section"),
        SECTION_STILL_REMOVED: _("section left deleted as you deleted it; the generated text changed"),
    }


#: Fields of the report always taken from the fresh generation.
_FRESH = {"appendix", "basis"}
#: Fields merged item by item (the prose).
_PROSE = {"preamble", "sections"}


def _field_names() -> dict[str, str]:
    """How a change names a field of the report outside the prose, in the user's language."""
    return {
        "subject": _("Summary line (trích yếu)"),
        "recipients": _("Recipients (nơi nhận)"),
        "signoff": _("Signing authority"),
        "archive": _("Filed at (lưu)"),
        "title_lines": _("Lines under the document's type name"),
        "points": _("Numbered points"),
        "closing": _("Closing part"),
        "header.number": _("Document number"),
        "header.date": _("Date line"),
        "header.place": _("Place name"),
        "header.issuer": _("Issuing body"),
        "header.superior": _("Superior body"),
        "header.issuer_code": _("Issuing body's code"),
        "header.marks": _("Secrecy and urgency marks"),
        "type": _("Document type"),
        "profile": _("Formatting rules"),
        "numbering": _("Heading numbering"),
        "cosigner": _("Co-signer"),
        "distribution": _("Distribution"),
        "tables": _("tables"),
        "assignments": _("assignments"),
    }


_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_DIGITS = re.compile(r"\d+")


def _key(text: str) -> str:
    """What opens a generated paragraph: the words before its first colon (dates blanked), else its first six
    words with their numbers blanked."""
    head, colon, _rest = text.partition(": ")
    if colon and len(head) <= 120:
        return _DATE.sub("#", head)
    return _DIGITS.sub("#", " ".join(text.split()[:6]))


T = TypeVar("T")


@dataclass
class _Slot(Generic[T]):
    """One item of the merged list: its base, edited and fresh versions (None where it has none)."""

    base: T | None
    edited: T | None
    fresh: T | None


def _pair_edits(base: list[str], edited: list[str]) -> dict[int, int]:
    """Base index → edited index of the same item, untouched or edited in place (a diff of the two lists;
    inside a replaced block, items are paired in order with the most alike)."""
    pairs: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, base, edited, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs.update({i1 + k: j1 + k for k in range(i2 - i1)})
        elif op == "replace":
            j = j1
            for i in range(i1, i2):
                best, best_ratio = None, 0.0
                for jj in range(j, j2):
                    ratio = difflib.SequenceMatcher(None, base[i], edited[jj], autojunk=False).ratio()
                    if ratio > best_ratio:
                        best, best_ratio = jj, ratio
                if best is not None and (best_ratio >= 0.4 or (i2 - i1 == j2 - j1)):
                    pairs[i] = best
                    j = best + 1
    return pairs


def _keyed(items: list[str], key: Callable[[str], str]) -> dict[tuple[str, int], int]:
    """(key, n-th item of that key) → index: two lines opening alike are told apart by their order."""
    seen: dict[str, int] = {}
    out = {}
    for i, text in enumerate(items):
        k = key(text)
        out[(k, seen.get(k, 0))] = i
        seen[k] = seen.get(k, 0) + 1
    return out


def _slots(
    base: list[T], edited: list[T], fresh: list[T], text: Callable[[T], str], key: Callable[[str], str] = _key
) -> list[_Slot[T]]:
    """The three lists lined up: fresh items in their order, the secretariat's own items (and its edited items
    whose generated source is gone) after the item they followed in its text."""
    b_text, e_text, f_text = [text(x) for x in base], [text(x) for x in edited], [text(x) for x in fresh]
    b2e = _pair_edits(b_text, e_text)
    e2b = {e: b for b, e in b2e.items()}
    f_by_key = _keyed(f_text, key)
    b2f = {}
    for k_n, b_index in _keyed(b_text, key).items():
        if k_n in f_by_key:
            b2f[b_index] = f_by_key[k_n]
    f2b = {f: b for b, f in b2f.items()}

    # Items of the edited text that have no fresh counterpart go after the fresh item their predecessor became.
    after: dict[int, list[_Slot[T]]] = {}
    anchor = -1
    for ei, item in enumerate(edited):
        was = e2b.get(ei)
        if was is not None and was in b2f:
            anchor = b2f[was]
            continue
        # The secretariat's own item, or one whose generated text is gone (kept if edited, else removed).
        after.setdefault(anchor, []).append(_Slot(base[was] if was is not None else None, item, None))
    # A base item the secretariat deleted and the fresh text dropped too is in no slot: nothing to show.

    out: list[_Slot[T]] = list(after.get(-1, []))
    for fi, item in enumerate(fresh):
        bi = f2b.get(fi)
        if bi is None:
            out.append(_Slot(None, None, item))
        else:
            now = b2e.get(bi)
            out.append(_Slot(base[bi], edited[now] if now is not None else None, item))
        out += after.get(fi, [])
    return out


@dataclass
class _Merge:
    changes: list[Change] = field(default_factory=list)

    words: dict[str, str] = field(default_factory=change_words)

    def note(self, where: str, kind: str, before: str, after: str) -> None:
        self.changes.append(Change(where, self.words[kind], before, after, kind))

    def texts(self, base: list[str], edited: list[str], fresh: list[str], where: str, word: str) -> list[str]:
        """A list of paragraphs (or bullets) merged; *word* names one (``đoạn``, in the user's language)."""
        out: list[str] = []
        for slot in _slots(base, edited, fresh, str):
            b, e, f = slot.base, slot.edited, slot.fresh
            at = f"{where}, {word} {len(out) + 1}" if where else f"{word} {len(out) + 1}".capitalize()
            if f is not None and e is None and b is not None:  # the secretariat deleted it
                if f != b:
                    self.note(at, STILL_REMOVED, b, f)
            elif f is not None and b is None:  # new in the generated text
                out.append(f)
                self.note(at, ADDED, "", f)
            elif f is not None and e is not None and b is not None:
                if e == b:
                    out.append(f)
                    if f != b:
                        self.note(at, UPDATED, b, f)
                else:
                    out.append(e)
                    if f != b:
                        self.note(at, KEPT, e, f)
            elif e is not None:  # the secretariat's own, or its edit of a paragraph no longer generated
                if b is None:
                    out.append(e)
                elif e != b:
                    self.note(at, KEPT_GONE, e, "")
                    out.append(e)
                else:
                    self.note(at, REMOVED, b, "")
            elif b is not None:  # untouched and no longer generated
                self.note(at, REMOVED, b, "")
        return out

    def value(self, base: Any, edited: Any, fresh: Any, where: str) -> Any:
        """One field: the secretariat's when it changed it (noted when the generated value changed too), else
        the fresh one."""
        if edited != base:
            if fresh != base:
                self.note(where, KEPT, _shown(edited), _shown(fresh))
            return edited
        return fresh

    def sections(self, base: list[Section], edited: list[Section], fresh: list[Section], where: str, level: int) -> list[Section]:
        out: list[Section] = []
        for slot in _slots(base, edited, fresh, lambda s: s.title, key=str):
            b, e, f = slot.base, slot.edited, slot.fresh
            at = _section_where(where, level, len(out) + 1)
            if f is not None and e is None and b is not None:
                if f != b:
                    self.note(at, SECTION_STILL_REMOVED, b.title, f.title)
            elif f is not None and b is None:
                out.append(f)
                self.note(at, SECTION_ADDED, "", f.title)
            elif f is not None and e is not None and b is not None:
                out.append(self.section(b, e, f, at, level))
            elif e is not None:
                if b is None:
                    out.append(e)
                elif e != b:
                    self.note(at, SECTION_KEPT_GONE, e.title, "")
                    out.append(e)
                else:
                    self.note(at, SECTION_REMOVED, b.title, "")
            elif b is not None:
                self.note(at, SECTION_REMOVED, b.title, "")
        return out

    def section(self, b: Section, e: Section, f: Section, at: str, level: int) -> Section:
        heading, note = _("heading"), _("note under the heading")
        update: dict[str, Any] = {
            "title": self.value(b.title, e.title, f.title, f"{at}, {heading}"),
            "note": self.value(b.note, e.note, f.note, f"{at}, {note}"),
            "paragraphs": self.texts(b.paragraphs, e.paragraphs, f.paragraphs, at, _("paragraph")),
            "bullets": self.texts(b.bullets, e.bullets, f.bullets, at, _("bulleted line")),
            "sections": self.sections(b.sections, e.sections, f.sections, at, level + 1),
        }
        for name in Section.model_fields:
            if name not in update:
                update[name] = self.value(getattr(b, name), getattr(e, name), getattr(f, name), f"{at}, {_where(name)}")
        return f.model_copy(update=update)


def _section_where(parent: str, level: int, n: int) -> str:
    """``II``, ``II. 1``, ``II. 1.a``: where a heading is, as its numbers read."""
    if level == 1:
        return vn.roman(n)
    if level == 2:
        return f"{parent}. {n}"
    return f"{parent}.{vn.alpha(n)}"


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(_shown(v) for v in value)
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return ", ".join(f"{v}" for v in dump(mode="json", exclude_none=True).values())
    return str(value)


def regenerate(base: Report, edited: Report, fresh: Report) -> tuple[Report, list[Change]]:
    """The report generated again, the secretariat's edits kept: (merged report, what changed).

    *base* is the report generated last time, *edited* the secretariat's current text of it, *fresh* the
    report generated now (:func:`generate`). Each paragraph, bullet and heading the secretariat left as
    generated takes the fresh text; each it edited is kept (listed when its generated text changed too);
    paragraphs and sections that appear or disappear are listed; the appendix and the basis are fresh; the
    other fields (trích yếu, Nơi nhận, the header's number…) are the secretariat's where it changed them.
    Keep *fresh* as the next *base* and the merged report as the next *edited*: the edits carry over every
    generation.
    """
    merge = _Merge()
    update: dict[str, Any] = {
        "preamble": merge.texts(base.preamble, edited.preamble, fresh.preamble, _("Opening"), _("paragraph")),
        "sections": merge.sections(base.sections, edited.sections, fresh.sections, "", 1),
    }
    header = {
        name: merge.value(
            getattr(base.header, name), getattr(edited.header, name), getattr(fresh.header, name), _where(f"header.{name}")
        )
        for name in type(fresh.header).model_fields
    }
    update["header"] = fresh.header.model_copy(update=header)
    for name in type(fresh).model_fields:
        if name in _FRESH or name in _PROSE or name == "header":
            continue
        update[name] = merge.value(getattr(base, name), getattr(edited, name), getattr(fresh, name), _where(name))
    return fresh.model_copy(update=update), merge.changes


def _where(name: str) -> str:
    return _field_names().get(name, name)
