"""Issue 11 §5: a broken file of the user's reference data is located like any input; ``validate``
says how many places remain to be completed, and where (an error under ``--final``)."""

from __future__ import annotations

import shutil

import pytest

from generator.io import refdata

from .conftest import ROOT, SAMPLE
from .test_i18n import run


@pytest.fixture
def own_data(tmp_path, monkeypatch):
    """A copy of data/ that the CLI reads as its reference data (the user edits theirs in place)."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    monkeypatch.setattr(refdata, "data_dir", lambda: folder)
    refdata.load.cache_clear()
    yield folder
    refdata.load.cache_clear()


def _line_of(path, text):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_malformed_unit_file_is_located(cli, own_data):
    units = own_data / "units" / "ban-co-yeu.yaml"
    units.write_text(
        units.read_text(encoding="utf-8").replace("    name: Cục Chính trị - Tổ chức", "    name: Cục Chính trị: Tổ chức", 1),
        encoding="utf-8",
    )
    result = cli("validate", SAMPLE)
    line = _line_of(units, "Cục Chính trị: Tổ chức")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{units}:{line}:24: error: malformed YAML: mapping values are not allowed in this context")


def test_wrong_field_in_a_rule_profile_is_located(cli, own_data):
    rules = own_data / "rules" / "hd05-2026.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace('recipient_separator: ";"', 'recipient_separator: "/"'), encoding="utf-8"
    )
    result = cli("render", SAMPLE, "-o", own_data.parent / "out")
    line = _line_of(rules, 'recipient_separator: "/"')
    assert result.exit_code == 1 and not (own_data.parent / "out").exists()
    assert result.stderr.strip() == (
        f"{rules}:{line}:24: error: layout.recipient_separator: expected one of: ',' or ';', got '/'"
    )


def test_unit_defined_twice_and_unknown_signing_form_are_located(cli, own_data):
    units = own_data / "units" / "ban-co-yeu.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace("  - id: tap-chi-attt", "  - id: cuc-ct-tc", 1), encoding="utf-8")
    result = cli("derive", SAMPLE, "--list")
    second = [i for i, l in enumerate(units.read_text(encoding="utf-8").splitlines(), 1) if "- id: cuc-ct-tc" in l][1]
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{units}:{second}:9: error: units.1.id: unit id 'cuc-ct-tc' is defined twice"
    units.write_text(text, encoding="utf-8")
    rules = own_data / "rules" / "hd05-2026.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("[T/M, K/T, T/L, Q.]", "[T/M, K/T, T/L, Q., X/Y]"), encoding="utf-8"
    )
    refdata.load.cache_clear()
    result = cli("lint", SAMPLE)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{rules}:{_line_of(rules, 'signing_forms:')}:16: error: signing_forms: "
        "names signing forms not in signing-forms.yaml: X/Y"
    )


def test_broken_reference_data_reads_in_vietnamese(tmp_path):
    """A real run, in Vietnamese, on a copy of the whole program whose data/ the user broke."""
    for name in ("generator", "data", "doc_templates"):
        shutil.copytree(ROOT / name, tmp_path / name)
    figures = tmp_path / "data" / "figures.yaml"
    figures.write_text(figures.read_text(encoding="utf-8") + "so-hoi-nghi:\n\tlabel: Số hội nghị\n", encoding="utf-8")
    env_root = tmp_path
    out = run(["validate", SAMPLE], "vi", cwd=env_root, pythonpath=env_root)
    line = len(figures.read_text(encoding="utf-8").splitlines())
    assert out.returncode == 1, out.stderr
    assert out.stderr.strip() == (
        f"{figures}:{line}:1: lỗi: YAML sai cú pháp: giá trị không được mở đầu bằng ký tự này "
        "(như @, `, % hoặc dấu tab); hãy đặt văn bản trong dấu ngoặc kép và thụt lề bằng dấu cách"
    )


# ----------------------------------------------------------------------------- places still to complete


@pytest.fixture
def child(cli, tmp_path):
    path = tmp_path / "child.yaml"
    # A derived plan may name its parent only beside it (or one folder up): the plan is copied here.
    assert cli("derive", shutil.copy(SAMPLE, tmp_path / "plan.yaml"), "--unit", "cuc-ct-tc", "-o", path).exit_code == 0
    return path


def test_validate_warns_how_many_places_remain_and_where(cli, child):
    result = cli("validate", child)
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    todos = [l for l in lines if ": todo: " in l]
    assert len(todos) == 4 and all(l.startswith(f"{child}:") for l in todos)
    assert (
        f"{child}:{_line_of(child, '[[họ tên người ký]]')}:9: todo: signoff.name: still to be completed: [[họ tên người ký]]"
        in todos
    )
    assert lines[-1] == f"{child}: warning: 4 place(s) still to be completed ([[…]]): the plan renders only as a draft (--draft)"


def test_validate_final_makes_them_errors(cli, child):
    result = cli("validate", "--final", child)
    assert result.exit_code == 1 and "valid" not in result.stdout
    errors = result.stderr.splitlines()
    assert len(errors) == 4
    assert errors[-1] == (
        f"{child}:{_line_of(child, '[[họ tên người ký]]')}:9: error: signoff.name: still to be completed: "
        "[[họ tên người ký]] (fill it in, or render with --draft)"
    )


def test_validate_final_passes_a_finished_plan(cli):
    result = cli("validate", "--final", SAMPLE)
    assert result.exit_code == 0 and result.stdout.strip() == "1 file(s) valid" and result.stderr == ""


def test_unfinished_place_as_an_error_reads_in_vietnamese(cli, child, tmp_path):
    out = run(["render", child, "-o", tmp_path / "out"], "vi")
    assert out.returncode == 1 and not (tmp_path / "out").exists()
    assert out.stderr.splitlines()[-1] == (
        f"{child}:{_line_of(child, '[[họ tên người ký]]')}:9: lỗi: signoff.name: còn phải hoàn thiện: "
        "[[họ tên người ký]] (hãy điền vào, hoặc kết xuất với --draft)"
    )
    warned = run(["validate", child], "vi")
    assert warned.returncode == 0
    assert warned.stderr.splitlines()[-1] == (
        f"{child}: cảnh báo: còn 4 chỗ phải hoàn thiện ([[…]]): kế hoạch chỉ kết xuất được dưới dạng dự thảo (--draft)"
    )
