"""Pages of the generated form (:mod:`generator.web.kindforms`): drafting any kind, its live preview, the kind chooser.

:mod:`generator.web.views` dispatches here for every kind whose shape is not the plan's (the plan keeps its own editor
with the task table); the rules (who may draft, versions, audit) stay in :mod:`generator.web.office`.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext

from generator.web import core, kindforms, office
from generator.web.models import Committee, Document, Membership


def _lang() -> str:
    return get_language() or "vi"


def committee_header(c: Committee) -> dict:
    """The header a new document of committee *c* starts with: its names, code and place, this month (the number
    stays blank until the document is issued)."""
    today = timezone.localdate()
    return {
        "superior": c.superior or None,
        "issuer": c.name,
        "issuer_code": c.code,
        "place": c.place,
        "date": f"{today.year:04d}-{today.month:02d}",
    }


def committee_signer(c: Committee) -> dict:
    """The committee's usual signer (its empty parts left out)."""
    signer = {
        "form": c.signer_form or None,
        "authority": c.signer_authority or None,
        "position": c.signer_position,
        "name": c.signer_name or None,
    }
    return {k: v for k, v in signer.items() if v}


def blank(m: Membership, type_id: str) -> dict:
    """A new document of *type_id* with the committee's header (number blank until issued) and default signer."""
    c = m.committee
    data: dict = {
        "type": type_id,
        "profile": c.profile or "hd36-2018",
        "header": committee_header(c),
        "archive": c.archive_list(),
    }
    if core.shape_of(type_id) != "minutes":  # a Biên bản is signed by its chair and secretary
        data["signoff"] = committee_signer(c)
    return data


def names() -> list[str]:
    """The committee tree's names as printed: the choices offered for Nơi nhận and addressees (free text allowed)."""
    out: set[str] = set()
    for c in Committee.objects.all():
        out.update(filter(None, [c.unit_name, c.name, c.leadership, *(c.subordinates or []), *(c.groups or [])]))
    return sorted(out)


def documents(m: Membership, doc: Document | None) -> list[tuple[str, str]]:
    """The documents the committee may name (a Bản sao's original): its own and those it received."""
    out = []
    for d in office.visible(m).exclude(pk=doc.pk if doc else None).order_by("-updated_at")[:200]:
        out.append((office.file_name(d), f"{core.type_name(d.type_id)} {d.symbol if d.number else '#' + str(d.pk)} — {d.title}"))
    return out


def preview_context(data: dict, m: Membership | None = None) -> dict:
    files = office.referenced_files(m, data) if m is not None and core.named_files(data) else None
    ctx, problems = core.render_context(data, _lang(), files)
    type_id = data.get("type") or "ke-hoach"
    if ctx is None:  # say why in the words of the loader (as the CLI would), each under its field's label
        widgets = kindforms.fields_for(type_id)
        problems = [f"{kindforms.label_of(widgets, p.path)}: {p.message}" for p in core.check_data(data, _lang()).errors]
    if ctx is not None:  # what the kind's template does not print is not previewed either
        names = core.template_names(type_id)
        for key in ("body", "report", "recipients", "title_lines", "cosign"):
            if names is not None and key not in names:
                ctx[key] = [] if key in ("body", "recipients", "title_lines") else None
    return {"ctx": ctx, "problems": problems, "type_name": core.type_name(type_id), "shape": core.shape_of(type_id)}


def _fields(widgets, values, errors) -> list[dict]:
    out = []
    for w in widgets:
        value = values.get(w.name, "")
        out.append(
            {
                "w": w,
                "name": w.name,
                "id": "id_" + w.name.replace(".", "_"),
                "value": value,
                "errors": errors.get(w.name, []),
                "place": bool(core.places(value)) if isinstance(value, str) else False,
            }
        )
    return out


def editor(request, m, doc: Document | None, type_id: str, sub: kindforms.Submitted | None = None, status: int = 200):
    data = doc.data if doc else blank(m, type_id)
    widgets = kindforms.fields_for(type_id, data)
    values = sub.values if sub else kindforms.initial(widgets, data)
    errors = sub.errors if sub else {}
    fields = _fields(widgets, values, errors)
    docs = documents(m, doc) if any(w.kind == "document" for w in widgets) else []
    groups = [
        {
            "id": g,
            "legend": legend,
            "fields": [f for f in fields if f["w"].group == g],
            "invalid": any(f["errors"] for f in fields if f["w"].group == g),
        }
        for g, legend in kindforms.GROUPS
    ]
    return render(
        request,
        "web/kind_edit.html",
        {
            "doc": doc,
            "kind": type_id,
            "type_name": core.type_name(type_id),
            "groups": [g for g in groups if g["fields"]],
            "form_errors": errors.get("__all__", []),
            "signing_forms": kindforms.SIGNING_FORMS,
            "names": names(),
            "documents": docs,
            "documents_names": [name for name, _label in docs],
            "preview": preview_context(sub.data if sub else data, m),
        },
        status=status,
    )


def save(request, m, doc: Document | None, type_id: str):
    base = doc.data if doc else blank(m, type_id)
    widgets = kindforms.fields_for(type_id, base)
    sub = kindforms.read_post(request.POST, widgets, base)
    sub.data["type"] = type_id
    if not sub.errors:
        files = office.referenced_files(m, sub.data) if core.named_files(sub.data) else None
        checked = core.check_data(sub.data, _lang(), files)
        for p in checked.errors:
            kindforms.place_problem(sub, widgets, p.path, p.message)
        if not sub.errors:
            assert checked.data is not None  # no errors: the document was validated
            try:
                if doc is None:
                    doc = office.create(m, checked.data)
                else:
                    office.update(m, doc, checked.data)
            except office.Refused as exc:
                messages.error(request, str(exc))
                return redirect("web:document", pk=doc.pk) if doc else redirect("web:documents")
            messages.success(request, gettext("Saved."))
            return redirect("web:edit", pk=doc.pk)
    messages.error(request, gettext("Not saved: correct the fields marked below."))
    return editor(request, m, doc, type_id, sub, status=400)


def preview(request, m, type_id: str):
    """The live preview of what the form holds now, built from the render context the DOCX is made from."""
    widgets = kindforms.fields_for(type_id)
    sub = kindforms.read_post(request.POST, widgets, blank(m, type_id))
    sub.data["type"] = type_id
    ctx = preview_context(sub.data, m)
    ctx["form_problems"] = [msg for msgs in sub.errors.values() for msg in msgs]
    return render(request, "web/kind_preview.html", ctx)


def choose(request, m):
    """“Văn bản mới”: the kinds of the data, each opening its form."""
    return render(request, "web/kind_choose.html", {"kinds": core.type_choices()})
