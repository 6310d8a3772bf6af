"""Committed artefacts are what the code produces now: the sample DOCX and the template."""

from __future__ import annotations

import io
import zipfile

import docx

from generator.io.refdata import templates_dir
from generator.kinds import plan as plan_shape
from generator.kinds import render_document
from generator.render.context import context
from generator.render.engine import CompiledTemplate

from .conftest import SAMPLE_DIR


def test_rendering_is_deterministic(sample_plan, ref):
    assert render_document(sample_plan, ref) == render_document(sample_plan, ref)


def test_committed_sample_docx_is_current(sample_bytes):
    committed = (SAMPLE_DIR / "plan.docx").read_bytes()
    assert committed == sample_bytes, "run: bash .ci/render-samples (or vanban render … --force) and commit"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_committed_template_matches_its_build_script(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_templates", templates_dir() / "build_templates.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fresh = _parts(mod.build(tmp_path / "ke-hoach.docx").read_bytes())
    committed = _parts((templates_dir() / "ke-hoach.docx").read_bytes())
    assert fresh.keys() == committed.keys()
    for name in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/header2.xml"):
        assert fresh[name] == committed[name], f"{name} differs: run python doc_templates/build_templates.py"


def test_fast_path_matches_docxtpl_render(sample_plan, ref, tmp_path):
    """Our compiled renderer gives the same document as docxtpl's own render(autoescape=True)."""
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    profile = ref.profile(sample_plan.profile)
    doc_type = ref.doc_type(sample_plan.type)
    ctx = context(sample_plan, doc_type, profile, plan_shape.appendix_view)
    # Same starting point for both: the template with the profile's layout applied.
    tpl_path = tmp_path / "tpl.docx"
    compiled = CompiledTemplate(templates_dir() / "ke-hoach.docx", profile.layout)
    with zipfile.ZipFile(tpl_path, "w") as z:
        for part in compiled.parts:
            z.writestr(part.name, part.data)
    ours = docx.Document(io.BytesIO(compiled.render(ctx)))
    ref_tpl = DocxTemplate(tpl_path)
    ref_tpl.render(ctx, jinja_env=SandboxedEnvironment(), autoescape=True)
    buf = io.BytesIO()
    ref_tpl.save(buf)
    theirs = docx.Document(io.BytesIO(buf.getvalue()))

    def dump(d):
        out = [(p.style.name, p.text, [(r.text, r.bold, r.italic) for r in p.runs]) for p in d.paragraphs]
        for t in d.tables:
            out += [[c.text for c in row.cells] for row in t.rows]
        return out

    assert dump(ours) == dump(theirs)
    assert len(ours.sections) == len(theirs.sections) == 2
