"""The web's checks are cached by content (generator.web.core): the same document is read once per process, each
caller gets its own copy, and a change of content or language is checked afresh."""

from __future__ import annotations

from pathlib import Path

from generator.web import core

from ..conftest import ROOT

SAMPLE = ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml"


def _counting(monkeypatch) -> list[str]:
    """The languages the loader was run in, from now on, with an empty cache."""
    monkeypatch.setattr(core, "_CHECKED", type(core._CHECKED)())
    calls: list[str] = []
    real = core._load

    def load(path, display, lang):
        calls.append(lang)
        return real(path, display, lang)

    monkeypatch.setattr(core, "_load", load)
    return calls


def test_the_same_document_is_read_once_and_each_caller_gets_a_copy(monkeypatch):
    data = core.check_yaml(SAMPLE.read_bytes(), SAMPLE.name, "vi").data
    calls = _counting(monkeypatch)
    first = core.check_data(data, "vi")
    assert first.data is not None and not first.errors
    first.data["subject"] = ["changed by the caller"]
    first.warnings.append(core.Problem("x", "y"))
    again = core.check_data(data, "vi")
    assert calls == ["vi"]  # read once
    assert again.data == core.check_data(data, "vi").data and again.data["subject"] != ["changed by the caller"]
    assert len(again.warnings) == len(first.warnings) - 1


def test_other_content_or_language_is_checked_afresh_with_its_own_messages(monkeypatch):
    data = core.check_yaml(SAMPLE.read_bytes(), SAMPLE.name, "vi").data
    broken = {**data, "header": {**data["header"], "date": "2025-13-40"}}
    calls = _counting(monkeypatch)
    vi, en = core.check_data(broken, "vi"), core.check_data(broken, "en")
    assert calls == ["vi", "en"]
    assert vi.errors and en.errors and vi.errors[0].message != en.errors[0].message
    assert core.check_data(broken, "vi").errors[0].message == vi.errors[0].message and calls == ["vi", "en"]


def test_warm_compiles_the_drafted_kinds_templates_under_every_profile(monkeypatch):
    from generator.io.refdata import load
    from generator.render import engine

    monkeypatch.setattr(engine, "_CACHE", {})
    core.warm()
    from generator.kinds import registry

    compiled = {(Path(key[0]).name, key[3]) for key in engine._CACHE}
    kinds = registry(load())
    templates = {kinds[type_id].template.name for type_id, _name in core.type_choices()}
    assert {"ke-hoach.docx", "cong-van.docx", "quyet-dinh.docx", "bien-ban.docx"} <= templates  # every kind is drafted
    assert compiled == {(name, profile) for name in templates for profile in load().profiles}
