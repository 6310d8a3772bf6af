"""The document-kind registry: kinds from data, a new kind of a known shape with no Python, derive's kind."""

from __future__ import annotations

import io
import shutil

import docx
import yaml

from generator.inspect.check import check_docx
from generator.io.loader import load_plan
from generator.io.refdata import data_dir, load, templates_dir
from generator.kinds import SHAPES, kind, registry, render_document
from generator.transform.derive import derive

from .conftest import SAMPLE


def test_every_listed_type_is_a_kind_and_those_with_a_template_render(ref):
    kinds = registry(ref)
    listed = yaml.safe_load((data_dir() / "document-types.yaml").read_text(encoding="utf-8"))
    assert set(kinds) == set(listed)
    plan_shaped = {
        "nghi-quyet",
        "ket-luan",
        "chi-thi",
        "thong-tri",
        "huong-dan",
        "thong-bao",
        "chuong-trinh",
        "de-an",
        "phuong-an",
    }
    letters = {"cong-van", "to-trinh"}
    articles = {"quyet-dinh", "quy-che", "quy-dinh", "bien-ban", "ban-sao"}
    assert {k.id for k in kinds.values() if k.template is not None} >= {"ke-hoach", "bao-cao"} | plan_shaped | letters | articles
    assert kind("bao-cao", ref).shape is SHAPES["report"] and kind("nghi-quyet", ref).shape is SHAPES["plan"]


def test_a_kind_of_a_known_shape_from_data_and_a_template_alone(tmp_path):
    """Thông báo added as an office would: a line of data naming a template in its own data folder. No Python."""
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    (data / "mau").mkdir()
    shutil.copy(templates_dir() / "ke-hoach.docx", data / "mau" / "thong-bao.docx")
    types = data / "document-types.yaml"
    text = types.read_text(encoding="utf-8")
    line = "thong-bao:  {name: Thông báo,    code: TB,  tag: C, template: ke-hoach.docx}"
    assert line in text
    types.write_text(
        text.replace(line, "thong-bao:  {name: Thông báo,    code: TB,  tag: C, template: mau/thong-bao.docx}"), encoding="utf-8"
    )
    ref = load(str(data))
    assert kind("thong-bao", ref).template == data / "mau" / "thong-bao.docx"

    plan = load_plan(SAMPLE, ref).plan.model_copy(update={"type": "thong-bao"})
    out = tmp_path / "thong-bao.docx"
    out.write_bytes(render_document(plan, ref))
    doc = docx.Document(io.BytesIO(out.read_bytes()))
    texts = [p.text for p in doc.paragraphs] + [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    assert "THÔNG BÁO" in texts and "KẾ HOẠCH" not in texts
    assert any(t.startswith("Số") and "-TB/ĐUB" in t for t in texts)
    findings = check_docx(out, ref.profile(plan.profile), ref)
    assert [f for f in findings if f.severity == "error"] == []


def test_a_plan_derived_from_any_kind_is_a_ke_hoach(ref):
    """A unit carries out a Nghị quyết (or any document) with a Kế hoạch of its own, which says so."""
    parent = load_plan(SAMPLE, ref).plan.model_copy(update={"type": "nghi-quyet"})
    child = derive(parent, ref.unit("cong-ty-129"), ref, parent_file="plan.yaml")
    assert child.type == "ke-hoach"
    assert any("Nghị quyết" in p for p in child.preamble)
