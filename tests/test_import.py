"""``vanban import``: a received DOCX or PDF read back into our data (issue 17)."""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from generator.io.loader import load_plan
from generator.kinds import render_document
from generator.services.importing import import_file, read_file

from .conftest import ROOT
from .import_corpus import VARIANTS, build, field_accuracy
from .test_fidelity import document_stream, seed_lines

SAMPLES = ROOT / "samples" / "ke-hoach-41-ct-tw"
PLAN_SAMPLES = [SAMPLES / "plan.yaml", *sorted((SAMPLES / "derived").glob("*.yaml"))]


def _diff(a, b, path="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in _diff(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _diff(x, y, f"{path}.{i}")]
    return [] if a == b else [f"{path}: {a!r:.80} != {b!r:.80}"]


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("sample", PLAN_SAMPLES, ids=lambda p: p.stem)
def test_render_then_import_gives_back_the_same_data(sample, ref, tmp_path):
    plan = load_plan(sample, ref).plan
    path = tmp_path / "plan.docx"
    path.write_bytes(render_document(plan, ref))
    imported = import_file(path, ref)
    assert _diff(plan.model_dump(mode="json"), imported.document.model_dump(mode="json")) == []
    assert imported.rendered and not imported.edited
    assert imported.notes == []


def test_the_committed_sample_docx_imports_to_its_yaml(ref):
    plan = load_plan(SAMPLES / "plan.yaml", ref).plan
    imported = import_file(SAMPLES / "plan.docx", ref)
    assert _diff(plan.model_dump(mode="json"), imported.document.model_dump(mode="json")) == []


def test_edits_made_in_word_come_back_as_data(ref, tmp_path, cli):
    plan = load_plan(SAMPLES / "plan.yaml", ref).plan
    path = tmp_path / "plan.docx"
    path.write_bytes(render_document(plan, ref))
    doc = docx.Document(str(path))
    body = [p for p in doc.paragraphs if p.text.startswith("- Quán triệt")][0]
    for run in body.runs[1:]:
        run.text = ""
    body.runs[0].text = "- Quán triệt đầy đủ Chỉ thị số 41-CT/TW."
    table = doc.tables[-1]
    row = next(r for r in table.rows if r.cells[0].text == "1.2")
    row.cells[4].paragraphs[0].runs[0].text = "Quý IV/2025"
    for run in row.cells[4].paragraphs[0].runs[1:]:
        run.text = ""
    doc.save(str(path))

    imported = import_file(path, ref)
    assert imported.rendered and imported.edited
    got = imported.document
    assert got.sections[0].sections[0].bullets[0] == "Quán triệt đầy đủ Chỉ thị số 41-CT/TW."
    assert got.tasks()[1].timeframe == "Quý IV/2025"
    # everything else as it was
    want = plan.model_dump(mode="json")
    want["sections"][0]["sections"][0]["bullets"][0] = "Quán triệt đầy đủ Chỉ thị số 41-CT/TW."
    want["appendix"]["groups"][0]["tasks"][1]["timeframe"] = "Quý IV/2025"
    assert _diff(want, got.model_dump(mode="json")) == []

    # rendering over it is refused until the edits are imported, or --force
    out = tmp_path / "yaml"
    out.mkdir()
    (out / "plan.yaml").write_text((SAMPLES / "plan.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("render", out / "plan.yaml", "-o", tmp_path)
    assert result.exit_code == 1
    assert "edited in Word since it was rendered: import it first" in result.stderr
    assert docx.Document(str(path)).tables[-1] is not None
    assert import_file(path, ref).edited  # not overwritten
    result = cli("render", out / "plan.yaml", "-o", tmp_path, "--force")
    assert result.exit_code == 0, result.stderr
    assert not import_file(path, ref).edited


def test_an_unedited_rendered_docx_is_overwritten_with_force_only(ref, tmp_path, cli):
    result = cli("render", SAMPLES / "plan.yaml", "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    result = cli("render", SAMPLES / "plan.yaml", "-o", tmp_path)
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "edited in Word" not in result.stderr


# --------------------------------------------------------------------------- documents typed in Word


@pytest.fixture(scope="module")
def typed(ref, tmp_path_factory) -> dict[str, Path]:
    plan = load_plan(SAMPLES / "plan.yaml", ref).plan
    folder = tmp_path_factory.mktemp("typed")
    out = {}
    for name, options in VARIANTS.items():
        out[name] = folder / f"{name}.docx"
        out[name].write_bytes(build(plan, options))
    return out


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_plans_typed_by_clerks_are_read_field_by_field(variant, typed, ref):
    plan = load_plan(SAMPLES / "plan.yaml", ref).plan
    imported = import_file(typed[variant], ref)
    assert not imported.rendered
    right, total, wrong = field_accuracy(plan, imported.document)
    assert total > 250
    assert right / total >= 0.98, wrong
    # Names printed in capitals get their case back from the running text (căn cứ, the “Kèm theo” line).
    got = imported.document
    assert got.header.issuer == "Đảng ủy Ban Cơ yếu Chính phủ"
    assert [s.title for s in got.sections] == [s.title for s in plan.sections]
    assert got.appendix is not None and plan.appendix is not None and got.appendix.title == plan.appendix.title


def test_the_corpus_has_what_clerks_do(typed):
    """The variants really hold automatic numbering, merged cells both ways, a split table, a repeated header."""
    xml = {name: zipfile.ZipFile(path).read("word/document.xml").decode() for name, path in typed.items()}
    assert "<w:numPr>" in xml["styles-auto-numbering"] and "Heading1" in xml["styles-auto-numbering"]
    assert "<w:vMerge" in xml["merged-split-table"] and "<w:gridSpan" in xml["merged-split-table"]
    assert xml["merged-split-table"].count("<w:tbl>") == 4  # header, closing, the appendix in two parts
    assert "<w:tblHeader/>" in xml["auto-merged-repeat-header"]
    assert "<w:tab/>" in xml["tab-header-breaks"]
    assert '<w:br w:type="page"/>' in xml["dash-headings"]


def test_what_is_not_understood_is_kept_and_reported_with_its_paragraph(ref, tmp_path, cli):
    doc = docx.Document(str(SAMPLES / "plan.docx"))
    target = next(p for p in doc.paragraphs if p.text.startswith("2. Yêu cầu"))
    stray = target.insert_paragraph_before("Ghi chú của văn thư: xem lại.")
    first = next(p for p in doc.paragraphs if p.text.startswith("1. Mục đích"))
    first.insert_paragraph_before("b) Một mục không có mục trên")
    del stray
    path = tmp_path / "typed.docx"
    doc.save(str(path))
    result = cli("import", path, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert "Ghi chú của văn thư: xem lại." in text
    assert "Một mục không có mục trên" in text
    assert "warning: ¶" in result.stderr
    lines = [line for line in result.stderr.splitlines() if "warning: ¶" in line]
    assert len(lines) >= 2


def test_a_paragraph_of_to_chuc_thuc_hien_that_names_a_unit_is_an_assignment(ref, tmp_path):
    """Clerks often type “- Cục Chính trị - Tổ chức: chủ trì …” instead of a numbered heading per unit."""
    plan = load_plan(SAMPLES / "plan.yaml", ref).plan
    doc = docx.Document(str(SAMPLES / "plan.docx"))
    paras = doc.paragraphs
    for i, p in enumerate(paras):
        for number, name in (("1. ", "Cục Chính trị - Tổ chức"), ("2. ", "Tạp chí An toàn thông tin")):
            if p.text == number + name:
                duty = paras[i + 1].text
                for r in p.runs + paras[i + 1].runs:
                    r.text = ""
                p.runs[0].text = f"- {name}: {duty}"
    path = tmp_path / "typed.docx"
    doc.save(str(path))
    got = import_file(path, ref).document
    assert [a.model_dump() for a in got.sections[2].assignments] == [a.model_dump() for a in plan.sections[2].assignments]


# --------------------------------------------------------------------------- the command


def test_cli_import_writes_yaml_that_loads_to_the_same_plan(ref, tmp_path, cli):
    out = tmp_path / "plan.yaml"
    result = cli("import", SAMPLES / "plan.docx", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert _diff(load_plan(SAMPLES / "plan.yaml", ref).plan.model_dump(), load_plan(out, ref).plan.model_dump()) == []
    again = cli("import", SAMPLES / "plan.docx", "-o", out)
    assert again.exit_code == 1 and "--force" in again.stderr


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _bad_files() -> dict[str, tuple[str, bytes, str]]:
    sample = (SAMPLES / "plan.docx").read_bytes()
    parts = {i.filename: zipfile.ZipFile(io.BytesIO(sample)).read(i) for i in zipfile.ZipFile(io.BytesIO(sample)).infolist()}
    entity = dict(parts)
    entity["word/document.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + parts["word/document.xml"][38:]
    )
    bomb = dict(parts)
    bomb["word/document.xml"] = b" " * (60 * 2**20)
    return {
        "not-a-docx": ("x.docx", b"just some text, not a document\n", "not a readable DOCX file"),
        "encrypted": ("x.docx", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504, "password-protected"),
        "zip-bomb": ("x.docx", _zip(bomb), "refused"),
        "external-entity": ("x.docx", _zip(entity), "DOCTYPE/ENTITY"),
        "pdf-without-text": ("x.pdf", _blank_pdf(), "no text"),
        "not-a-pdf": ("x.pdf", b"hello", "not a PDF file"),
    }


@pytest.mark.parametrize("case", list(_bad_files()))
def test_bad_files_are_refused_with_a_clear_message_and_nothing_written(case, tmp_path, cli):
    name, data, words = _bad_files()[case]
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "out.yaml"
    result = cli("import", path, "-o", out)
    assert result.exit_code == 1
    assert words in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_the_report_sample_round_trips_too(ref, tmp_path, cli):
    """The Báo cáo's status table: each unit's status read from the lines grouped by status, overall with (quá hạn)."""
    report = load_plan(SAMPLES / "bao-cao-so-ket.yaml", ref).plan
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(render_document(report, ref))
    imported = import_file(path, ref)
    assert _diff(report.model_dump(mode="json"), imported.document.model_dump(mode="json")) == []
    committed = import_file(SAMPLES / "bao-cao-so-ket.docx", ref)
    assert _diff(report.model_dump(mode="json"), committed.document.model_dump(mode="json")) == []
    out = tmp_path / "bao-cao.yaml"
    result = cli("import", SAMPLES / "bao-cao-so-ket.docx", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert _diff(report.model_dump(), load_plan(out, ref).plan.model_dump()) == []


# --------------------------------------------------------------------------- PDF


def test_the_sample_pdf_imports_to_the_sample_data(ref):
    plan = load_plan(SAMPLES / "plan.yaml", ref).plan
    imported = import_file(SAMPLES / "plan.pdf", ref)
    right, total, wrong = field_accuracy(plan, imported.document)
    assert right == total, wrong


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed to make the PDF")
def test_the_seed_typed_in_its_own_layout_as_pdf_imports_to_the_seed_text(ref, tmp_path):
    """The seed plan typed in Word (its own layout, no template of ours), saved as PDF, imported and rendered
    again, says what the seed says."""
    plan = load_plan(SAMPLES / "plan.yaml", ref).plan
    typed = tmp_path / "seed.docx"
    typed.write_bytes(build(plan, VARIANTS["merged-split-table"]))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp_path,
            typed,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    read = read_file(tmp_path / "seed.pdf", ref)
    assert not read.rendered
    imported = import_file(tmp_path / "seed.pdf", ref)
    rendered = docx.Document(io.BytesIO(render_document(imported.document, ref)))
    ours = document_stream(rendered).split()
    seed_words = " ".join(seed_lines()).split()
    ratio = difflib.SequenceMatcher(None, seed_words, ours, autojunk=False).ratio()
    assert ratio >= 0.97, ratio


def test_a_password_protected_pdf_is_refused(tmp_path, cli):
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for page in PdfReader(str(SAMPLES / "plan.pdf")).pages[:1]:
        w.add_page(page)
    w.encrypt(user_password="bi-mat", owner_password="bi-mat")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        w.write(fh)
    result = cli("import", path, "-o", tmp_path / "out.yaml")
    assert result.exit_code == 1
    assert "password" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.yaml").exists()
