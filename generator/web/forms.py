"""The plan form: model dict ⇄ form fields, and validation errors put next to the field they concern.

The form covers what a clerk edits; every other value of the document (marks, columns, a derived
plan's source …) is kept from the document as it was, so nothing imported from YAML is lost by an edit.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from generator.web import outline

_RECIPIENT = re.compile(r"^(?P<to>.*?)(?:\s*\((?P<note>để [^()]*)\))?\s*(?P<end>[,;.])?$")

SIGNING_FORMS = [("", "—"), ("T/M", "T/M"), ("K/T", "K/T"), ("T/L", "T/L"), ("Q.", "Q."), ("T/U", "T/U")]

#: (form field, label, model path, kind) — kind: text, lines, date, select, number, textarea
FIELDS = [
    ("superior", gettext_lazy("Superior line"), "header.superior", "text"),
    ("issuer", gettext_lazy("Issuing committee"), "header.issuer", "text"),
    ("issuer_code", gettext_lazy("Issuer code"), "header.issuer_code", "text"),
    ("place", gettext_lazy("Place"), "header.place", "text"),
    ("date", gettext_lazy("Date (YYYY-MM-DD, or YYYY-MM to leave the day blank)"), "header.date", "text"),
    ("subject", gettext_lazy("Subject (trích yếu), one line per printed line"), "subject", "lines"),
    ("preamble", gettext_lazy("Grounds (căn cứ) and lead-in, one paragraph per line"), "preamble", "lines"),
    ("outline", gettext_lazy("Body: I. / 1. / a) headings, “-” bullets, other lines are paragraphs"), "sections", "outline"),
    ("closing", gettext_lazy("Closing paragraphs, one per line"), "closing.paragraphs", "lines"),
    ("report_lead", gettext_lazy("Report request: words before “, báo cáo …”"), "closing.report.lead", "text"),
    ("report_what", gettext_lazy("Report request: what is reported"), "closing.report.what", "text"),
    ("report_to", gettext_lazy("Report request: to whom"), "closing.report.to", "text"),
    ("report_via", gettext_lazy("Report request: through whom"), "closing.report.via", "text"),
    ("report_deadline", gettext_lazy("Report request: deadline (YYYY-MM-DD)"), "closing.report.deadline", "text"),
    (
        "recipients",
        gettext_lazy("Recipients (Nơi nhận), one per line, e.g. “BTV Đảng ủy Ban (để c/đ)”"),
        "recipients",
        "recipients",
    ),
    ("archive", gettext_lazy("Archive copy (Lưu), comma-separated"), "archive", "csv"),
    ("signoff_form", gettext_lazy("Signing form"), "signoff.form", "select"),
    ("signoff_authority", gettext_lazy("Signing authority (e.g. Ban Thường vụ)"), "signoff.authority", "text"),
    ("signoff_position", gettext_lazy("Signer's position"), "signoff.position", "text"),
    ("signoff_name", gettext_lazy("Signer's name"), "signoff.name", "text"),
    ("appendix_label", gettext_lazy("Appendix label"), "appendix.label", "text"),
    ("appendix_title", gettext_lazy("Appendix title"), "appendix.title", "text"),
]
ROW_FIELDS = ("kind", "id", "text", "lead", "units", "timeframe", "parent")


def _get(data: dict, path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def recipient_line(r) -> str:
    if isinstance(r, str):
        return r
    line = r.get("to", "")
    if r.get("note"):
        line += f" ({r['note']})"
    return line + (r.get("end") or "")


def parse_recipient(line: str) -> dict:
    m = _RECIPIENT.match(line.strip())
    out = {"to": m.group("to").strip() if m else line.strip()}
    if m and m.group("note"):
        out["note"] = m.group("note").strip()
    if m and m.group("end"):
        out["end"] = m.group("end")
    return out


def initial(data: dict) -> dict[str, str]:
    """Form values of a document."""
    out: dict[str, str] = {}
    for name, _label, path, kind in FIELDS:
        value = _get(data, path)
        if kind == "lines":
            out[name] = "\n".join(value or [])
        elif kind == "outline":
            out[name] = outline.render(value or [])
        elif kind == "recipients":
            out[name] = "\n".join(recipient_line(r) for r in value or [])
        elif kind == "csv":
            out[name] = ", ".join(value or [])
        else:
            out[name] = "" if value is None else str(value)
    return out


def rows_of(data: dict) -> list[dict]:
    rows = []
    appendix = data.get("appendix") or {}
    for g in appendix.get("groups") or []:
        rows.append({"kind": "group", "id": g.get("id", ""), "text": g.get("title", "")})
        for t in g.get("tasks") or []:
            rows.append(
                {
                    "kind": "task",
                    "id": t.get("id", ""),
                    "text": t.get("text", ""),
                    "lead": "; ".join(t.get("lead") or []),
                    "units": "; ".join(t.get("units") or []),
                    "timeframe": t.get("timeframe", ""),
                    "parent": t.get("parent") or "",
                    "coordinating": t.get("coordinating") or [],
                }
            )
    return rows


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _semi(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split(";") if p.strip()]


@dataclass
class Submitted:
    values: dict[str, str]
    rows: list[dict]
    data: dict
    errors: dict[str, list[str]] = field(default_factory=dict)  # form field (or row-N) → messages
    row_of: dict[tuple, int] = field(default_factory=dict)  # (group,) or (group, task) → table row

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def read_post(post, base: dict) -> Submitted:
    """Form values from a POST, and the document dict they make on top of *base*."""
    values = {name: post.get(name, "") for name, *_rest in FIELDS}
    columns = {k: post.getlist(f"row-{k}") for k in ROW_FIELDS}
    n = len(columns["kind"])
    rows = [{k: (columns[k][i] if i < len(columns[k]) else "") for k in ROW_FIELDS} for i in range(n)]
    data: dict = copy.deepcopy(base) if base else {"type": "ke-hoach", "profile": "hd36-2018"}
    sub = Submitted(values, rows, data)

    header = dict(data.get("header") or {})
    for name, key in (
        ("superior", "superior"),
        ("issuer", "issuer"),
        ("issuer_code", "issuer_code"),
        ("place", "place"),
        ("date", "date"),
    ):
        header[key] = values[name].strip() or None
    data["header"] = header
    data["subject"] = _lines(values["subject"])
    data["preamble"] = _lines(values["preamble"])
    sections, problems = outline.parse(values["outline"])
    for p in problems:
        sub.add("outline", gettext("line %(line)s: %(message)s") % {"line": p.line, "message": p.message})
    data["sections"] = sections
    closing = dict(data.get("closing") or {})
    closing["paragraphs"] = _lines(values["closing"])
    report = {k: values[f"report_{k}"].strip() or None for k in ("lead", "what", "to", "via", "deadline")}
    closing["report"] = report if any(report.values()) else None
    data["closing"] = closing if closing["paragraphs"] or closing["report"] else None
    data["recipients"] = [parse_recipient(line) for line in _lines(values["recipients"])]
    data["archive"] = [a.strip() for a in values["archive"].split(",") if a.strip()]
    signoff = {k: values[f"signoff_{k}"].strip() or None for k in ("form", "authority", "position", "name")}
    data["signoff"] = signoff

    old_tasks = {t.get("id"): t for g in ((data.get("appendix") or {}).get("groups") or []) for t in g.get("tasks") or []}
    groups: list[dict] = []
    for i, row in enumerate(rows):
        if row["kind"] == "group":
            sub.row_of[(len(groups),)] = i
            groups.append({"id": row["id"].strip(), "title": row["text"].strip(), "tasks": []})
            continue
        if not groups:
            sub.add(f"row-{i}", gettext("a task row needs a group row above it"))
            continue
        task = {
            "id": row["id"].strip(),
            "text": row["text"].strip(),
            "lead": _semi(row["lead"]),
            "units": _semi(row["units"]),
            "timeframe": row["timeframe"].strip(),
        }
        if row.get("parent", "").strip():
            task["parent"] = row["parent"].strip()
        kept = old_tasks.get(task["id"]) or {}
        if kept.get("coordinating"):
            task["coordinating"] = kept["coordinating"]
        sub.row_of[(len(groups) - 1, len(groups[-1]["tasks"]))] = i
        groups[-1]["tasks"].append(task)
    label, title = values["appendix_label"].strip(), values["appendix_title"].strip()
    if groups or title:
        appendix = dict(data.get("appendix") or {})
        appendix.update({"label": label or "Phụ lục", "title": title or None, "groups": groups})
        data["appendix"] = appendix
    else:
        data["appendix"] = None
    return sub


_BY_PATH = sorted(((path, name) for name, _l, path, _k in FIELDS), key=lambda p: -len(p[0]))


def _row_label(field: list[str]) -> str:
    """A task row's column as the table labels it (the model's key, ``text``, is not a word the clerk sees)."""
    labels = {
        "text": gettext("Task"),
        "title": gettext("Group title"),
        "id": gettext("No."),
        "lead": gettext("Lead"),
        "units": gettext("Executing units"),
        "timeframe": gettext("Time"),
    }
    if not field:
        return ""
    return f"{labels.get(field[0], '.'.join(field))}:"


def place_problem(sub: Submitted, path: str, message: str) -> None:
    """Put a core problem (dotted model path) next to the form field or table row it concerns."""
    parts = path.split(".") if path else []
    if parts[:2] == ["appendix", "groups"] and len(parts) >= 3 and parts[2].isdigit():
        g = int(parts[2])
        key = (g, int(parts[4])) if len(parts) >= 5 and parts[3] == "tasks" and parts[4].isdigit() else (g,)
        row = sub.row_of.get(key)
        if row is not None:
            field = parts[5:] if len(key) == 2 else parts[3:]
            sub.add(f"row-{row}", f"{_row_label(field)} {message}".strip())
            return
    for prefix, name in _BY_PATH:
        if path == prefix or path.startswith(prefix + "."):
            sub.add(name, message)
            return
    if path.startswith("closing.report"):
        sub.add("report_what", message)
    elif path.startswith("closing"):
        sub.add("closing", message)
    elif path.startswith("header"):
        sub.add("issuer", f"{path}: {message}")
    elif path.startswith("signoff"):
        sub.add("signoff_position", message)
    elif path.startswith("appendix"):
        sub.add("appendix_title", message)
    else:
        sub.add("__all__", f"{path}: {message}" if path else message)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("YAML file (.yaml, at most 1 MB)"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for cancelling the number"), max_length=300)
