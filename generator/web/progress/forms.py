"""The forms of progress collections: opening one (with its figures), and the unit's report on its tasks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext

from generator.web.progress.models import Collection

MAX_FIGURES = 30
THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["period", "title", "as_of", "deadline"]
        widgets = {
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title": forms.TextInput(attrs={"size": 60}),
        }

    def clean(self):
        data = super().clean()
        if data.get("as_of") and data.get("deadline") and data["deadline"] < data["as_of"]:
            self.add_error("deadline", gettext("The deadline cannot be before the as-of date."))
        return data


def figure_id(label: str) -> str:
    """``Số đảng viên mới`` → ``so-dang-vien-moi``: the id a figure is stored under."""
    text = label.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def read_figures(post) -> tuple[list[dict], list[dict], list[str]]:
    """The figure rows as typed (to show again), the figures (``[{id, label, unit}]``) and the errors."""
    labels, units, ids = post.getlist("figure-label"), post.getlist("figure-unit"), post.getlist("figure-id")
    rows, figures, errors, seen = [], [], [], set()
    for i, label in enumerate(labels):
        label = label.strip()
        unit = (units[i] if i < len(units) else "").strip()
        fid = (ids[i] if i < len(ids) else "").strip() or figure_id(label)
        row = {"label": label, "unit": unit, "id": fid, "errors": []}
        rows.append(row)
        if not label and not unit:
            continue  # an empty row left by "add" is dropped
        if not label:
            row["errors"].append(gettext("Give the figure's name."))
        elif not fid:
            row["errors"].append(gettext("The name must contain letters or digits."))
        elif fid in seen:
            row["errors"].append(gettext("This figure is listed twice."))
        if not unit:
            row["errors"].append(gettext("Give the unit of count, e.g. buổi, lượt."))
        seen.add(fid)
        if not row["errors"]:
            figures.append({"id": fid, "label": label, "unit": unit})
    if len(figures) > MAX_FIGURES:
        errors.append(gettext("At most %(n)s figures can be asked for.") % {"n": MAX_FIGURES})
    if any(r["errors"] for r in rows):
        errors.append(gettext("Correct the figures marked below."))
    return [r for r in rows if r["label"] or r["unit"] or r["errors"]], figures, errors


@dataclass
class Report:
    """The unit's form as typed: one row per task; errors by (row index, field) and for the whole form."""

    rows: list[dict]
    errors: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    form_errors: list[str] = field(default_factory=list)

    def add(self, i: int | None, name: str, message: str) -> None:
        if i is None:
            self.form_errors.append(message)
        else:
            self.errors.setdefault((i, name), []).append(message)

    def draft(self, unit: str) -> dict:
        """What is stored for a draft: every value exactly as typed."""
        return {
            "unit": unit,
            "tasks": [
                {"task": r["task"], "status": r["status"], "done": r["done"], "figures": dict(r["figures"])} for r in self.rows
            ],
        }


def rows_from(tasks: list[dict], data: dict | None, figures: list[dict]) -> list[dict]:
    """The form's rows for *tasks*, filled from a stored draft or report (*data*)."""
    stored = {t.get("task"): t for t in (data or {}).get("tasks") or [] if isinstance(t, dict)}
    rows = []
    for t in tasks:
        s = stored.get(t["id"], {})
        typed = s.get("figures") or {}
        rows.append(
            {
                **t,
                "task": t["id"],
                "status": s.get("status") or "",
                "done": s.get("done") or "",
                "figures": {f["id"]: "" if typed.get(f["id"]) is None else str(typed[f["id"]]) for f in figures},
            }
        )
    return rows


def read_report(post, tasks: list[dict], figures: list[dict]) -> Report:
    """The posted form: values by task id (a row posted for a task not the unit's is ignored)."""
    rows = []
    for t in tasks:
        key = t["id"]
        rows.append(
            {
                **t,
                "task": key,
                "status": post.get(f"status-{key}", "").strip(),
                "done": post.get(f"done-{key}", "").replace("\r\n", "\n").strip(),
                "figures": {f["id"]: post.get(f"figure-{key}-{f['id']}", "").strip() for f in figures},
            }
        )
    return Report(rows)


def complete(report: Report, figures: list[dict], statuses: set[str]) -> list[dict]:
    """Check what the form alone can (a status for every task, whole numbers); the tasks for the Progress."""
    out = []
    for i, r in enumerate(report.rows):
        if not r["status"]:
            report.add(i, "status", gettext("Choose the status of this task."))
        elif r["status"] not in statuses:
            report.add(i, "status", gettext("Choose one of the statuses listed."))
        numbers = {}
        for f in figures:
            typed = r["figures"].get(f["id"], "").replace(" ", "")
            if THOUSANDS.match(typed):  # 1.200 is how a Vietnamese clerk writes one thousand two hundred
                typed = typed.replace(".", "")
            if not typed:
                continue
            if typed.isdigit():
                numbers[f["id"]] = int(typed)
            else:
                report.add(
                    i, f"figure-{f['id']}", gettext("%(label)s: write a whole number (0 or more).") % {"label": f["label"]}
                )
        out.append({"task": r["task"], "status": r["status"], "done": r["done"] or None, "figures": numbers})
    return out
