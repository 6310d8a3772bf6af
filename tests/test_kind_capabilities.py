"""What a shape can do, asked through the kind registry: the files its documents name (a Bản sao's original, a
Quyết định's attachment) and whether its documents are plans to work from (derive, progress-form, report)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.io.loader import LoadError
from generator.kinds import SHAPES, kind, kind_of, registry
from generator.model.articles import Regulation
from generator.model.document import Plan
from generator.services.documents import load_document

from .conftest import ROOT


def test_each_shape_says_which_fields_name_other_documents(ref):
    links = {sid: [link.field for link in shape.links] for sid, shape in SHAPES.items()}
    assert links["copy"] == ["original"] and links["decision"] == ["attachment"]
    assert all(links[s] == [] for s in ("plan", "report", "regulation", "minutes", "letter", "submission"))


def test_plans_are_the_documents_with_tasks_to_work_from(ref, sample_plan):
    derivable = {k.id for k in registry(ref).values() if k.shape.derivable}
    assert {"ke-hoach", "nghi-quyet", "chuong-trinh"} <= derivable
    assert derivable.isdisjoint({"bao-cao", "quyet-dinh", "quy-che", "ban-sao", "cong-van", "bien-ban"})
    assert kind("ke-hoach", ref).as_plan(sample_plan) is sample_plan
    report = load_document(ROOT / "samples" / "bao-cao" / "bao-cao.yaml", ref).plan
    found = kind_of(report, ref)
    assert found is not None and found.id == "bao-cao" and found.as_plan(report) is None


def test_a_copy_reads_its_original_and_the_original_its_attachment(ref):
    copy = load_document(ROOT / "samples" / "ban-sao" / "ban-sao.yaml", ref).plan
    decision = copy.original
    assert decision.type == "quyet-dinh" and isinstance(decision.attachment, Regulation)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("quyet-dinh-quy-che", "ban-sao", "ke-hoach-41-ct-tw"):
        shutil.copytree(ROOT / "samples" / name, tmp_path / name)
    return tmp_path


def test_a_copy_of_a_copy_is_refused_at_its_original_field(ref, folder):
    second = folder / "ban-sao" / "second.yaml"
    text = (folder / "ban-sao" / "ban-sao.yaml").read_text(encoding="utf-8")
    second.write_text(text.replace("../quyet-dinh-quy-che/quyet-dinh.yaml", "ban-sao.yaml"), encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_document(second, ref)
    (problem,) = err.value.problems
    assert "ban-sao.yaml is itself a copy: copy its original" in problem.message
    line = next(i for i, row in enumerate(second.read_text(encoding="utf-8").splitlines(), 1) if row.startswith("original:"))
    assert problem.line == line


def test_a_decision_adopting_a_plan_is_refused_at_its_attachment_field(ref, folder):
    decision = folder / "quyet-dinh-quy-che" / "quyet-dinh.yaml"
    text = decision.read_text(encoding="utf-8").replace("attachment: quy-che.yaml", "attachment: ../ke-hoach-41-ct-tw/plan.yaml")
    decision.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_document(decision, ref)
    (problem,) = err.value.problems
    assert "plan.yaml is a ke-hoach; a Quyết định adopts a Quy chế or a Quy định" in problem.message
    assert problem.path and "attachment" in str(problem.path)


def test_a_draft_copy_may_leave_its_original_to_be_named(ref, folder):
    draft = folder / "ban-sao" / "draft.yaml"
    text = (folder / "ban-sao" / "ban-sao.yaml").read_text(encoding="utf-8")
    draft.write_text(text.replace("../quyet-dinh-quy-che/quyet-dinh.yaml", "'[[the copied document]]'"), encoding="utf-8")
    loaded = load_document(draft, ref)
    assert loaded.plan.original == "[[the copied document]]" and loaded.todos
    assert not isinstance(loaded.plan, Plan)
