"""The command line: overwrite protection, atomic writes, schema, validation, no tracebacks."""

from __future__ import annotations

import json

import docx
import pytest

from generator.io import fsutil

from .conftest import SAMPLE, SAMPLE_DIR, unwritable_dir


def test_render_writes_named_docx(cli, tmp_path):
    result = cli("render", SAMPLE, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {tmp_path / 'plan.docx'}"
    assert docx.Document(tmp_path / "plan.docx").paragraphs  # opens
    result = cli("render", SAMPLE, "-o", tmp_path, "--name", "kh-41")
    assert result.exit_code == 0 and (tmp_path / "kh-41.docx").exists()


def test_refuses_to_overwrite_without_force(cli, tmp_path):
    target = tmp_path / "plan.docx"
    target.write_bytes(b"keep me")
    result = cli("render", SAMPLE, "-o", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"vanban: {target}: already exists; use --force to overwrite it"
    assert target.read_bytes() == b"keep me"
    assert cli("render", SAMPLE, "-o", tmp_path, "--force").exit_code == 0
    assert target.read_bytes()[:2] == b"PK"


def test_interrupted_write_leaves_no_partial_file(cli, tmp_path, monkeypatch):
    target = tmp_path / "plan.docx"
    target.write_bytes(b"old version")

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil.os, "replace", crash)
    result = cli("render", SAMPLE, "-o", tmp_path, "--force")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"vanban: {target}: cannot write (No space left on device)"
    assert target.read_bytes() == b"old version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.docx"]  # no .part left behind


def test_unwritable_output_folder(cli, tmp_path):
    locked = unwritable_dir(tmp_path)
    result = cli("render", SAMPLE, "-o", locked)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"vanban: {locked}: cannot write here (")


def test_output_folder_is_a_file(cli, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("x")
    result = cli("render", SAMPLE, "-o", blocker / "sub")
    assert result.exit_code == 1
    assert result.stderr.startswith("vanban: ") and "Traceback" not in result.stderr
    assert blocker.read_text() == "x"


def test_schema_is_json_schema_of_the_plan(cli, tmp_path):
    result = cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "vanban plan"
    # number, date alone, sections, Nơi nhận and sign-off are optional (forms, documents without them)
    assert set(schema["required"]) == {"header", "subject"}
    header = schema["$defs"]["Header"]["properties"]
    # a date, or null for a document with no date at all
    assert header["date"]["anyOf"] == [
        {**header["date"]["anyOf"][0], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        {"type": "null"},
    ]
    assert "date" in schema["$defs"]["Header"]["required"]
    assert "Số" in header["number"]["description"]
    out = tmp_path / "plan.schema.json"
    assert cli("schema", "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == schema
    assert cli("schema", "-o", out).exit_code == 1  # no overwrite without --force


def test_schema_validates_the_sample():
    """The published schema accepts the sample and rejects an unknown key (editor completion)."""
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from generator.model.document import Plan

    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["header"]["date"] = (
        str(data["header"]["date"]) if not isinstance(data["header"]["date"], str) else data["header"]["date"]
    )
    data["closing"]["report"]["deadline"] = str(data["closing"]["report"]["deadline"])
    jsonschema.validate(data, Plan.model_json_schema())
    data["header"]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, Plan.model_json_schema())


def test_validate_command(cli, tmp_path):
    result = cli("validate", SAMPLE)
    assert result.exit_code == 0 and result.stdout.strip() == "1 file(s) valid"
    bad = tmp_path / "bad.yaml"
    bad.write_text("type: ke-hoach\n", encoding="utf-8")
    result = cli("validate", bad)
    assert result.exit_code == 1
    assert f"{bad}:1:1: error: header: required field is missing" in result.stderr.splitlines()


def test_internal_error_is_one_line_without_debug(cli, tmp_path, monkeypatch):
    from generator.cli import render as cli_module

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(cli_module, "render_document", boom)
    result = cli("render", SAMPLE, "-o", tmp_path)
    assert result.exit_code == 3
    assert result.stderr.strip() == "vanban: internal error: RuntimeError: simulated bug (run with --debug for details)"
    assert list(tmp_path.iterdir()) == []


def test_help_mentions_example(cli):
    result = cli("--help")
    assert result.exit_code == 0 and "vanban render samples/ke-hoach-41-ct-tw/plan.yaml" in result.stdout


def test_verbose_says_which_template_and_profile_rendered(cli, tmp_path):
    result = cli("-v", "render", SAMPLE, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("INFO generator.kinds: rendering")]
    assert len(lines) == 1, result.stderr
    assert "template " in lines[0] and "ke-hoach.docx" in lines[0]
    assert lines[0].endswith("under rule profile quan-doi")  # the sample's `profile:`
    assert result.stdout.strip() == f"wrote {tmp_path / 'plan.docx'}"  # log lines never go to stdout


def test_without_verbose_no_info_lines(cli, tmp_path):
    result = cli("render", SAMPLE, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert "INFO" not in result.stderr and "rendering" not in result.stderr


def test_commands_that_work_from_a_plan_refuse_a_report(cli, tmp_path):
    report = SAMPLE_DIR / "bao-cao-so-ket.yaml"
    for args in (("derive", report, "--list"), ("progress-form", report, "--all", "-o", tmp_path / "forms")):
        result = cli(*args)
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() == (
            f"vanban: {report}: vanban {args[0]} works from a plan (Kế hoạch); this document is of type bao-cao"
        )
    assert not (tmp_path / "forms").exists()
