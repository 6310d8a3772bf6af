"""A drafting form for every document kind, generated from the kind's document model.

The form is not written per kind: :func:`fields_for` walks the pydantic model of the kind's shape
(``generator.model.document.MODELS`` through :func:`core.model_for`) and gives each field a widget by its
type — text, number, a choice for a ``Literal``, lines for a list of text, a small table for a list of flat
records, a fieldset for a nested record. A few fields every document has get the widget they need (the
header, the body as an outline, articles, recipients, signers); any field the walk cannot map to a widget is
edited as a small YAML text area, so a kind added as data + template gets its form without web code, and no
field of the model is ever dropped. Fields the model marks "Not used" / "Not printed" are not shown.

Values go back into the document dict on top of what it held (keys the form does not show are kept), and the
document is validated by the same loader as the CLI (:func:`core.check_data`); each problem's field path is
put beside the widget that edits it, with what the clerk typed kept.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.translation import get_language, gettext, gettext_lazy
from pydantic import BaseModel

from generator.web import core, outline

#: Labels of the fields by their path in the model (the Vietnamese comes from the web catalog). A field without a
#: label here (a new shape's) is labelled by its name and the model's description.
LABELS: dict[str, Any] = {
    "profile": gettext_lazy("Rule profile"),
    "header.superior": gettext_lazy("Superior line"),
    "header.issuer": gettext_lazy("Issuing committee"),
    "header.issuer_code": gettext_lazy("Issuer code"),
    "header.place": gettext_lazy("Place"),
    "header.date": gettext_lazy("Date (YYYY-MM-DD; YYYY-MM leaves the day blank, YYYY day and month)"),
    "header.marks": gettext_lazy("Marks"),
    "header.marks.secrecy": gettext_lazy("Secrecy"),
    "header.marks.urgency": gettext_lazy("Urgency"),
    "header.marks.circulation": gettext_lazy("Circulation (e.g. Lưu hành nội bộ)"),
    "header.marks.draft": gettext_lazy("Draft mark (true, or the words to print)"),
    "subject": gettext_lazy("Subject (trích yếu), one line per printed line"),
    "title_lines": gettext_lazy("Lines under the document name, one per line"),
    "numbering": gettext_lazy("Heading numbers by level, one per line (I. / 1. / a)); empty: the profile's"),
    "preamble": gettext_lazy("Grounds (căn cứ) and lead-in, one paragraph per line"),
    "points": gettext_lazy("Numbered points after the opening, one per line"),
    "sections": gettext_lazy("Body: I. / 1. / a) headings, “-” bullets, “|” table rows, other lines are paragraphs"),
    "closing": gettext_lazy("Closing"),
    "closing.paragraphs": gettext_lazy("Closing paragraphs, one per line"),
    "closing.report": gettext_lazy("Report request"),
    "closing.report.lead": gettext_lazy("Report request: words before “, báo cáo …”"),
    "closing.report.what": gettext_lazy("Report request: what is reported"),
    "closing.report.to": gettext_lazy("Report request: to whom"),
    "closing.report.via": gettext_lazy("Report request: through whom"),
    "closing.report.deadline": gettext_lazy("Report request: deadline (YYYY-MM-DD)"),
    "recipients": gettext_lazy("Recipients (Nơi nhận)"),
    "archive": gettext_lazy("Archive copy (Lưu), comma-separated"),
    "signers": gettext_lazy("Signers"),
    "distribution": gettext_lazy("Typist and copies"),
    "distribution.typist": gettext_lazy("Typist"),
    "distribution.copies": gettext_lazy("Copies"),
    "to": gettext_lazy("Addressees (Kính gửi / Kính trình), one per line"),
    "cc": gettext_lazy("Also addressed to (Đồng kính gửi), one per line"),
    "subject_prefix": gettext_lazy("“V/v” before the subject"),
    "grounds": gettext_lazy("Grounds (căn cứ), one per line"),
    "enacting_body": gettext_lazy("Enacting body (empty: the signing authority and issuer)"),
    "enacting": gettext_lazy("Enacting sentence before the articles"),
    "decides": gettext_lazy("Line before the articles"),
    "articles": gettext_lazy("Articles: “Điều 1.” starts an article, “1.” a clause, “a)” a point"),
    "structure": gettext_lazy("Parts, chapters and articles: “Phần I.”, “Chương I.”, “Mục 1.”, “Điều 1.”"),
    "attachment": gettext_lazy(
        "Adopted document (Quy chế, Quy định): in YAML, or the file name of one drafted here (van-ban-12.yaml)"
    ),
    "issued_with": gettext_lazy("Issued with a decision"),
    "start": gettext_lazy("Opened at"),
    "end": gettext_lazy("Closed at"),
    "end_line": gettext_lazy("Closing line as written (instead of the time)"),
    "place": gettext_lazy("Meeting place"),
    "content": gettext_lazy("Content of the meeting, in a line"),
    "chair": gettext_lazy("Chair"),
    "chair.name": gettext_lazy("Chair: name"),
    "chair.position": gettext_lazy("Chair: position"),
    "secretary": gettext_lazy("Secretary"),
    "secretary.name": gettext_lazy("Secretary: name"),
    "secretary.position": gettext_lazy("Secretary: position"),
    "attendance": gettext_lazy("Attendance"),
    "attendance.members": gettext_lazy("Who is counted (e.g. đồng chí)"),
    "attendance.expected": gettext_lazy("Called"),
    "attendance.present": gettext_lazy("Present"),
    "attendance.absent": gettext_lazy("Absent"),
    "attendance.invited": gettext_lazy("Invited guests, one per line"),
    "secretary_title": gettext_lazy("Title over the secretary's signature"),
    "chair_title": gettext_lazy("Title over the chair's signature"),
    "form": gettext_lazy("Kind of copy"),
    "form_words": gettext_lazy("Words printed for the kind of copy (when they differ)"),
    "original": gettext_lazy("Copied document: its YAML file"),
    "appendix": gettext_lazy("Appendix, in YAML"),
    "basis": gettext_lazy("Rolled up from"),
    "period": gettext_lazy("Plan period (2027 or 2025-2030)"),
    "name": gettext_lazy("Name"),
    "reason": gettext_lazy("Reason"),
    "position": gettext_lazy("Position"),
}

#: Fieldsets, in order, and which top-level fields go in which (the rest go to "shape").
GROUPS = [
    ("header", gettext_lazy("Header")),
    ("title", gettext_lazy("Title")),
    ("shape", gettext_lazy("This kind of document")),
    ("body", gettext_lazy("Body")),
    ("closing", gettext_lazy("Recipients and sign-off")),
    ("more", gettext_lazy("More (seldom used)")),
]
#: Fields seldom typed: shown folded, under "more".
_MORE = ("header.marks", "numbering", "points", "closing.report", "distribution", "issued_with", "title_lines")
_GROUP_OF = {
    "profile": "header",
    "header": "header",
    "subject": "title",
    "title_lines": "title",
    "subject_prefix": "title",
    "preamble": "body",
    "grounds": "body",
    "points": "body",
    "sections": "body",
    "articles": "body",
    "structure": "body",
    "closing": "body",
    "recipients": "closing",
    "archive": "closing",
    "signers": "closing",
    "distribution": "closing",
}

#: Set by the register when the document is issued, or by `vanban derive`: not typed in the form.
_NOT_TYPED = {"type", "header.number", "source"}

#: One or two signers are the signer and a cosigner printed beside it; three or more are the model's ``signers``
#: (printed two a row, in the order typed).
SIGNER_PATHS = ("signoff", "cosigner")
SIGNER_FIELDS = (*SIGNER_PATHS, "signers")
#: How many signers a kind whose template prints rows of signers (``signer_rows``) takes in the form.
MAX_SIGNERS = 6
SIGNER_KEYS = ("form", "authority", "position", "name")
SIGNING_FORMS = [("", "—"), ("T/M", "T/M"), ("K/T", "K/T"), ("T/L", "T/L"), ("Q.", "Q."), ("T/U", "T/U")]


@dataclass
class Widget:
    name: str  #: form field name: the model path it edits ("header.issuer"), or a composite's ("signers")
    label: str
    kind: str  #: text, number, date, datetime, time, select, tristate, lines, csv, outline, articles, structure,
    #: rows, recipients, signers, yaml
    group: str = "shape"
    help: str = ""
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  #: rows: (key, label)
    covers: tuple[str, ...] = ()  #: model paths whose problems are shown beside this widget
    max_items: int = 0  #: signers: how many the kind's template prints
    #: the nested optional records this field is in: each is dropped when all its fields are empty
    optional_parents: tuple[str, ...] = ()


def _label(path: str, info: Any) -> str:
    if path in LABELS:
        return str(LABELS[path])
    last = path.rsplit(".", 1)[-1]
    if last in LABELS:
        return str(LABELS[last])
    return last.replace("_", " ").capitalize()


def _strip(annotation: Any) -> tuple[Any, bool]:
    """The annotation without Annotated[...] and Optional; and whether None is allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation, optional


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _scalar_kind(t: Any, optional: bool) -> tuple[str, list[tuple[str, str]]] | None:
    if typing.get_origin(t) is Literal:
        choices = [(str(v), str(v)) for v in typing.get_args(t)]
        return "select", ([("", "—")] if optional else []) + choices
    if t is bool:
        return ("tristate", []) if optional else ("check", [])
    if t is int or t is float:
        return "number", []
    if t is _dt.datetime:
        return "datetime", []
    if t is _dt.time:
        return "time", []
    if t is _dt.date:
        return "date", []
    if t is str:
        return "text", []
    if isinstance(t, type) and t.__name__ == "PartialDate":
        return "text", []
    return None


def _names_a_document(t: Any) -> bool:
    """A union of a document model and its file name (``original: Document | Text``)."""
    from generator.model.document import Document

    return typing.get_origin(t) in (typing.Union, types.UnionType) and any(
        isinstance(a, type) and issubclass(a, Document) for a in (_strip(x)[0] for x in typing.get_args(t))
    )


def _flat_record(model: type[BaseModel]) -> list[tuple[str, str]] | None:
    """The columns of a list of records whose fields are all text (a row editor), or None."""
    cols = []
    for name, info in model.model_fields.items():
        t, _opt = _strip(info.annotation)
        if t is not str:
            return None
        cols.append((name, _label(name, info)))
    return cols


#: Edited as YAML whatever their type: the Báo cáo's status appendix is made by `vanban report`, not typed.
_AS_YAML = {"appendix"}


def _walk(model: type[BaseModel], prefix: str, out: list[Widget], group: str | None, parents: tuple[str, ...]) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        desc = info.description or ""
        if path in _NOT_TYPED or desc.startswith(("Not used", "Not printed")):
            continue
        top = path.split(".", 1)[0]
        g = "more" if path.startswith(_MORE) else group or _GROUP_OF.get(top, "shape")
        label = _label(path, info)
        required = info.is_required()
        t, optional = _strip(info.annotation)
        # the model's (English) description helps only where the field has no label of its own (a new shape's)
        known = path in LABELS or name in LABELS
        w = Widget(path, label, "yaml", g, "" if known else desc, required, covers=(path,), optional_parents=parents)
        if not prefix and name in SIGNER_FIELDS:
            if not any(x.kind == "signers" for x in out):
                out.append(Widget("signers", str(LABELS["signers"]), "signers", "closing", covers=SIGNER_FIELDS))
            continue
        if not prefix and name == "recipients":
            w.kind = "recipients"
        elif not prefix and name == "archive":
            w.kind = "csv"
        elif not prefix and name == "sections":
            w.kind = "outline"
        elif not prefix and name in ("parts", "chapters", "articles") and "chapters" in model.model_fields:
            if not any(x.kind == "structure" for x in out):
                out.append(
                    Widget(
                        "structure",
                        str(LABELS["structure"]),
                        "structure",
                        "body",
                        covers=("parts", "chapters", "articles"),
                        required=True,
                    )
                )
            continue
        elif not prefix and name == "articles":
            w.kind = "articles"
        elif path in _AS_YAML:
            pass
        elif not prefix and not optional and _names_a_document(t):
            w.kind = "document"  # a Bản sao's original: one of the office's documents, by its file name
        elif _is_model(t):
            _walk(t, path + ".", out, g, parents + ((path,) if optional else ()))
            continue
        elif typing.get_origin(t) is list:
            (item,) = typing.get_args(t) or (Any,)
            item, _o = _strip(item)
            if item is str:
                w.kind = "lines"
            elif _is_model(item) and _flat_record(item):
                w.kind, w.columns = "rows", _flat_record(item) or []
        else:
            scalar = _scalar_kind(t, optional or not required)
            if scalar:
                w.kind, w.choices = scalar
        if path == "profile":
            w.kind, w.choices = "select", core.profile_choices()
        out.append(w)


#: Fields of the common model and the name of the render context that prints them (generator/render/context.py).
_PRINTED_AS = {
    "preamble": "body",
    "points": "body",
    "sections": "body",
    "closing.paragraphs": "body",
    "closing.report": "report",
    "title_lines": "title_lines",
    "distribution": "distribution",
    "recipients": "recipients",
    "archive": "recipients",
}


def _printed(type_id: str, widgets: list[Widget]) -> list[Widget]:
    """Leave out the common fields the kind's template never prints (a Quyết định prints no body paragraphs, a
    Biên bản no Nơi nhận): what the clerk types must show on the page."""
    names = core.template_names(type_id)
    out = []
    for w in widgets:
        if w.kind == "signers":
            if names is None or "signer_rows" in names:
                w.max_items = MAX_SIGNERS
            else:
                w.max_items = len(SIGNER_PATHS) if "cosign" in names else 1
        printed_as = next((n for p, n in _PRINTED_AS.items() if w.name == p or w.name.startswith(p + ".")), None)
        if names is not None and printed_as is not None and printed_as not in names:
            continue
        out.append(w)
    return out


def fields_for(type_id: str, data: dict | None = None) -> list[Widget]:
    """The widgets of a kind's form, in the order of its model's fields. Given the document *data*, a field whose
    value its outline cannot write back as it is (a table with merged cells, a section's note and assignments
    mixed in a way the outline does not say) is edited as YAML instead, so that an edit never loses it."""
    out: list[Widget] = []
    _walk(core.model_for(type_id), "", out, None, ())
    out = _printed(type_id, out)
    if data:
        for w in out:
            if w.kind in ("outline", "articles") and data.get(w.name):
                value: Any = data[w.name] if w.kind == "outline" else canonical_articles(data[w.name])
                text = outline.render(value) if w.kind == "outline" else render_articles(value)
                back = outline.parse(text)[0] if w.kind == "outline" else parse_articles(text)[0]
                if core.normalised(type_id, w.name, back) != core.normalised(type_id, w.name, value):
                    w.kind = "yaml"
            elif w.kind == "structure" and any(data.get(k) for k in ("parts", "chapters", "articles")):
                canon = _canonical_structure(data)
                divisions, _problems = parse_structure(render_structure(canon))
                if any(
                    core.normalised(type_id, k, divisions.get(k) or []) != core.normalised(type_id, k, canon[k])
                    for k in ("parts", "chapters", "articles")
                ):
                    w.kind = "yaml"  # a mapping of parts, chapters and articles
    return out


# --------------------------------------------------------------------------- model values ⇄ form values


def _get(data: Any, path: str) -> Any:
    node = data
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _put(data: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            node[part] = nxt
        node = nxt
    if value is None:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value


def _yaml_text(value: Any) -> str:
    return core.yaml_text(value)


def _recipient_rows(value: Any) -> list[dict]:
    rows = []
    for r in value or []:
        r = {"to": r} if isinstance(r, str) else r
        rows.append({"to": r.get("to", ""), "note": r.get("note") or "", "end": r.get("end") or ""})
    return rows


def initial(widgets: list[Widget], data: dict) -> dict[str, Any]:
    """Form values of a document."""
    out: dict[str, Any] = {}
    for w in widgets:
        value = _get(data, w.name) if w.kind not in ("signers", "structure") and w.name != "structure" else None
        if w.kind == "signers":
            listed = data.get("signers") or [data.get(p) for p in SIGNER_PATHS]
            out[w.name] = [{k: (s.get(k) or "") for k in SIGNER_KEYS} for s in listed if isinstance(s, dict)]
        elif w.kind == "recipients":
            out[w.name] = _recipient_rows(value)
        elif w.kind == "rows":
            out[w.name] = [{k: (r.get(k) or "") for k, _l in w.columns} for r in value or [] if isinstance(r, dict)]
        elif w.kind == "lines":
            out[w.name] = "\n".join([value] if isinstance(value, str) else value or [])
        elif w.kind == "csv":
            out[w.name] = ", ".join([value] if isinstance(value, str) else value or [])
        elif w.kind == "outline":
            out[w.name] = outline.render(value or [])
        elif w.kind == "articles":
            out[w.name] = render_articles(value or [], title_first=False)
        elif w.kind == "structure":
            out[w.name] = render_structure(data)
        elif w.kind == "tristate":
            out[w.name] = "" if value is None else ("yes" if value else "no")
        elif w.kind == "check":
            out[w.name] = bool(value)
        elif w.kind == "yaml" and w.name == "structure":
            out[w.name] = _yaml_text({k: data[k] for k in ("parts", "chapters", "articles") if data.get(k)})
        elif w.kind == "yaml":
            out[w.name] = _yaml_text(value)
        elif w.kind == "datetime":
            out[w.name] = str(value or "").replace(" ", "T")[:16]
        elif w.kind == "time":
            out[w.name] = str(value or "")[:5]
        else:
            out[w.name] = "" if value is None else str(value)
    return out


@dataclass
class Submitted:
    values: dict[str, Any]
    data: dict
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _columns(post, prefix: str, keys) -> list[dict[str, str]]:
    cols = {k: post.getlist(f"{prefix}-{k}") for k in keys}
    n = max((len(v) for v in cols.values()), default=0)
    return [{k: (cols[k][i] if i < len(cols[k]) else "") for k in keys} for i in range(n)]


def read_post(post, widgets: list[Widget], base: dict) -> Submitted:
    """Form values from a POST, and the document dict they make on top of *base* (its other keys kept)."""
    data = copy.deepcopy(base)
    values: dict[str, Any] = {}
    sub = Submitted(values, data)
    emptied: dict[str, bool] = {}  # optional nested record → all its fields empty so far
    for w in widgets:
        name = w.name
        value: Any = None
        if w.kind == "signers":
            rows = [r for r in _columns(post, "signer", SIGNER_KEYS) if any(v.strip() for v in r.values())]
            values[name] = rows
            if len(rows) > (w.max_items or len(SIGNER_PATHS)):
                sub.add(name, gettext("at most %(n)s signers") % {"n": w.max_items or len(SIGNER_PATHS)})
            typed = [{k: v.strip() for k, v in r.items() if v.strip()} for r in rows]
            for path in SIGNER_FIELDS:
                data.pop(path, None)
            if len(typed) > len(SIGNER_PATHS):
                data["signers"] = typed
            else:
                data.update(zip(SIGNER_PATHS, typed, strict=False))
            continue
        if w.kind == "recipients":
            rows = [r for r in _columns(post, "recipient", ("to", "note", "end")) if any(v.strip() for v in r.values())]
            values[name] = rows
            value = [{k: v.strip() for k, v in r.items() if v.strip()} for r in rows]
        elif w.kind == "rows":
            keys = [k for k, _l in w.columns]
            rows = [r for r in _columns(post, f"{name}-row", keys) if any(v.strip() for v in r.values())]
            values[name] = rows
            value = [{k: v.strip() for k, v in r.items() if v.strip()} for r in rows]
        else:
            raw = post.get(name, "")
            values[name] = (raw == "on") if w.kind == "check" else raw
            if w.kind == "check":
                value = raw == "on"
            elif w.kind == "lines":
                value = _lines(raw)
            elif w.kind == "csv":
                value = [a.strip() for a in raw.split(",") if a.strip()]
            elif w.kind == "outline":
                value, problems = outline.parse(raw)
                for p in problems:
                    sub.add(name, gettext("line %(line)s: %(message)s") % {"line": p.line, "message": p.message})
            elif w.kind == "articles":
                value, problems = parse_articles(raw)
                for p in problems:
                    sub.add(name, gettext("line %(line)s: %(message)s") % {"line": p.line, "message": p.message})
            elif w.kind == "structure":
                parsed, found = parse_structure(raw)
                problems = found
                for p in problems:
                    sub.add(name, gettext("line %(line)s: %(message)s") % {"line": p.line, "message": p.message})
                for key in ("parts", "chapters", "articles"):
                    _put(data, key, parsed.get(key) or None)
                continue
            elif w.kind == "tristate":
                value = {"yes": True, "no": False}.get(raw)
            elif w.kind == "yaml":
                if raw.strip():
                    value, problem = core.read_yaml_text(raw, get_language() or "vi")
                    if problem:
                        sub.add(name, gettext("not valid YAML: %(problem)s") % {"problem": problem})
                        value = _get(base, name)
                if name == "structure":  # the regulation's divisions as one YAML mapping
                    parts = value if isinstance(value, dict) else {}
                    if value is not None and not isinstance(value, dict):
                        sub.add(name, gettext("write the parts, chapters and articles as a YAML mapping"))
                    for key in ("parts", "chapters", "articles"):
                        _put(data, key, parts.get(key) or None)
                    continue
            elif w.kind == "datetime":
                value = raw.strip().replace("T", " ") or None
            else:
                value = raw.strip() or None
        if value in ([], "") and w.kind != "check":
            value = None
        for parent in w.optional_parents:
            emptied[parent] = emptied.get(parent, True) and value in (None, False)
        _put(data, name, value)
    for path, empty in sorted(emptied.items(), key=lambda p: -len(p[0])):
        if empty:
            _put(data, path, None)
    return sub


def place_problem(sub: Submitted, widgets: list[Widget], path: str, message: str) -> None:
    """Put a core problem (dotted model path) beside the widget that edits that field."""
    best: tuple[int, Widget, str] | None = None
    for w in widgets:
        for cover in w.covers:
            if path == cover or path.startswith(cover + "."):
                if best is None or len(cover) > best[0]:
                    best = (len(cover), w, path[len(cover) + 1 :])
    if best is None and path:  # a record as a whole (attendance: the counts do not add up): its first field
        for w in widgets:
            if any(c.startswith(path + ".") for c in w.covers):
                sub.add(w.name, message)
                return
    if best is None:
        sub.add("__all__", f"{path}: {message}" if path else message)
        return
    _n, w, rest = best
    where = _where(w, path, rest)
    sub.add(w.name, f"{where}: {message}" if where else message)


def label_of(widgets: list[Widget], path: str) -> str:
    """The label of the widget that edits the field at *path* (dotted), for messages shown away from the field."""
    best = ""
    label = ""
    for w in widgets:
        for cover in w.covers:
            if (path == cover or path.startswith(cover + ".")) and len(cover) > len(best):
                best, label = cover, w.label
    return label or path


def _where(w: Widget, path: str, rest: str) -> str:
    """Which part of a composite widget a problem concerns, in words (``người ký 2``, ``Điều 3``, ``dòng 2``)."""
    parts = rest.split(".") if rest else []
    if w.kind == "signers":
        head, _dot, tail = path.partition(".")
        n = int(tail.split(".")[0]) + 1 if head == "signers" and tail[:1].isdigit() else SIGNER_PATHS.index(head) + 1
        return gettext("signer %(n)s") % {"n": n}
    if w.kind == "articles" and parts and parts[0].isdigit():
        return f"Điều {int(parts[0]) + 1}"
    if w.kind in ("rows", "recipients") and parts and parts[0].isdigit():
        return gettext("row %(n)s") % {"n": int(parts[0]) + 1}
    return ""


# --------------------------------------------------------------------------- articles as an outline

_ARTICLE = re.compile(r"^Điều\s+(\d+)\s*[.:]?\s*(.*)$", re.I)
_CLAUSE = re.compile(r"^(\d{1,2})\s*\.\s*(\S.*)$")
_POINT = re.compile(r"^([a-zđ])\s*\)\s*(\S.*)$")
_DIVISION = re.compile(r"^(Phần|Chương|Mục)\s+([IVXLC]+|\d+|thứ\s+\S+)\s*[.:\-–]?\s*(.*)$", re.I)
_ENDS_SENTENCE = (".", ":", ";", "!", "?", "…")


def _norm(line: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", line).replace("\t", " ").strip()


def _article_lines(lines: list[tuple[int, str]], problems: list[outline.OutlineError]) -> list[dict]:
    articles: list[dict] = []
    for no, line in lines:
        m = _ARTICLE.match(line)
        if m:
            rest = m.group(2).strip()
            art: dict = {"paragraphs": [], "clauses": []}
            # "Điều 1. Phạm vi điều chỉnh" names the article (bold); a sentence after the label is its text
            if rest and rest.endswith(_ENDS_SENTENCE):
                art["text"] = rest
            elif rest:
                art["title"] = rest
            articles.append(art)
            continue
        if not articles:
            problems.append(outline.OutlineError(no, gettext("text before the first article (start with “Điều 1.”)")))
            continue
        art = articles[-1]
        m = _CLAUSE.match(line)
        if m:
            art["clauses"].append({"text": m.group(2), "points": []})
            continue
        m = _POINT.match(line)
        if m and art["clauses"]:
            art["clauses"][-1]["points"].append(m.group(2))
            continue
        if not art.get("text") and not art["paragraphs"] and not art["clauses"]:
            art["text"] = line  # the first line under "Điều N. Title" (printed as its own paragraph)
        else:
            art["paragraphs"].append(line)
    return [_clean_article(a) for a in articles]


def _clean_article(a: dict) -> dict:
    out = {k: v for k, v in a.items() if v not in ([], None, "")}
    if "clauses" in out:
        out["clauses"] = [{k: v for k, v in c.items() if v not in ([], None, "")} for c in out["clauses"]]
    return out


def parse_articles(text: str) -> tuple[list[dict], list[outline.OutlineError]]:
    """Articles from ``Điều 1. …`` lines, ``1.`` clauses, ``a)`` points, other lines paragraphs."""
    lines = [(no, _norm(raw)) for no, raw in enumerate((text or "").splitlines(), 1) if raw.strip()]
    problems: list[outline.OutlineError] = []
    return _article_lines(lines, problems), problems


def canonical_articles(articles: list[dict]) -> list[dict]:
    """Articles as the outline reads them back: a titled article's first paragraph is its text (printed alike)."""
    out = []
    for a in articles or []:
        a = dict(a)
        if a.get("title") and not a.get("text") and a.get("paragraphs"):
            a["text"], a["paragraphs"] = a["paragraphs"][0], a["paragraphs"][1:]
        out.append(_clean_article(a))
    return out


def _canonical_structure(data: dict) -> dict:
    def division(d: dict) -> dict:
        d = dict(d)
        for key in ("chapters", "sections"):
            if d.get(key):
                d[key] = [division(x) for x in d[key]]
        if d.get("articles"):
            d["articles"] = canonical_articles(d["articles"])
        return d

    return {
        "parts": [division(d) for d in data.get("parts") or []],
        "chapters": [division(d) for d in data.get("chapters") or []],
        "articles": canonical_articles(data.get("articles") or []),
    }


def render_articles(articles: list[dict], title_first: bool = True, start: int = 1) -> str:
    out: list[str] = []
    for n, a in enumerate(articles, start):
        head = f"Điều {n}."
        text = a.get("text")
        if a.get("title"):
            out.append(f"{head} {a['title']}")
            if text:
                out.append(text)
        elif text and text.rstrip().endswith(_ENDS_SENTENCE):
            out.append(f"{head} {text}")
        else:
            out.append(head)
            if text:
                out.append(text)
        out.extend(a.get("paragraphs") or [])
        for i, c in enumerate(a.get("clauses") or [], 1):
            out.append(f"{i}. {c.get('text', '')}")
            out.extend(
                f"{outline._LETTERS[(j - 1) % len(outline._LETTERS)]}) {p}" for j, p in enumerate(c.get("points") or [], 1)
            )
    return "\n".join(out)


def parse_structure(text: str) -> tuple[dict[str, list[dict]], list[outline.OutlineError]]:
    """A Quy chế / Quy định: ``Phần I. …``, ``Chương I. …``, ``Mục 1. …`` and articles (see :func:`parse_articles`).
    A division's name may stand on its own line under ``Chương I``."""
    lines = [(no, _norm(raw)) for no, raw in enumerate((text or "").splitlines(), 1) if raw.strip()]
    problems: list[outline.OutlineError] = []
    out: dict[str, list[dict]] = {"parts": [], "chapters": [], "articles": []}
    # chunks: (level, division, its lines)
    current: dict[str, dict | None] = {"phần": None, "chương": None, "mục": None}
    pending_title: dict[str, Any] | None = None
    chunks: list[tuple[dict | None, list[tuple[int, str]]]] = [(None, [])]
    for no, line in lines:
        m = _DIVISION.match(line)
        if m and not _ARTICLE.match(line):
            word = m.group(1).lower()
            div: dict = {"title": m.group(3).strip(), "chapters": [], "sections": [], "articles": []}
            if word == "phần":
                out["parts"].append(div)
                current.update({"phần": div, "chương": None, "mục": None})
            elif word == "chương":
                (current["phần"]["chapters"] if current["phần"] else out["chapters"]).append(div)
                current.update({"chương": div, "mục": None})
            else:
                if current["chương"] is None:
                    problems.append(outline.OutlineError(no, gettext("a “Mục” outside a chapter")))
                    continue
                current["chương"]["sections"].append(div)
                current["mục"] = div
            pending_title = None if div["title"] else div
            chunks.append((div, []))
            continue
        if pending_title is not None and not _ARTICLE.match(line):
            pending_title["title"] = line
            pending_title = None
            continue
        pending_title = None
        chunks[-1][1].append((no, line))
    for holder, chunk in chunks:
        arts = _article_lines(chunk, problems) if chunk else []
        (holder["articles"] if holder is not None else out["articles"]).extend(arts)
    return {k: [_clean_division(d) for d in v] if k != "articles" else v for k, v in out.items()}, problems


def _clean_division(d: dict) -> dict:
    out = {k: v for k, v in d.items() if v not in ([], None, "")}
    for key in ("chapters", "sections"):
        if key in out:
            out[key] = [_clean_division(x) for x in out[key]]
    return out


def render_structure(data: dict) -> str:
    out: list[str] = []
    counter = [0, 0]  # articles, chapters

    def arts(items: list[dict]) -> None:
        if items:
            out.append(render_articles(items, start=counter[0] + 1))
            counter[0] += len(items)

    def division(word: str, number: str, d: dict) -> None:
        out.append(f"{word} {number}. {d.get('title', '')}")
        for ch in d.get("chapters") or []:
            counter[1] += 1
            division("Chương", outline._roman(counter[1]), ch)
        for i, s in enumerate(d.get("sections") or [], 1):
            division("Mục", str(i), s)
        arts(d.get("articles") or [])

    for i, p in enumerate(data.get("parts") or [], 1):
        division("Phần", outline._roman(i), p)
    for ch in data.get("chapters") or []:
        counter[1] += 1
        division("Chương", outline._roman(counter[1]), ch)
    arts(data.get("articles") or [])
    return "\n".join(out)
