"""Bad input for the newer kinds, found by a review run as a user: each a located message, never a crash."""

from __future__ import annotations

import yaml

from .conftest import ROOT

SAMPLES = ROOT / "samples"


def _sample(name: str) -> dict:
    return yaml.safe_load((SAMPLES / name).read_text(encoding="utf-8"))


def _write(tmp_path, data: dict, name: str = "doc.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_an_inline_original_of_a_copy_is_refused_where_it_is_written(cli, tmp_path):
    data = _sample("ban-sao/ban-sao.yaml")
    data["original"] = _sample("bien-ban/bien-ban.yaml")
    path = _write(tmp_path, data)
    for command in (("validate", path), ("render", path, "-o", tmp_path / "out")):
        result = cli(*command)
        assert result.exit_code == 1, result.output
        assert "original: give the path of the copied document's YAML file" in result.stderr
    assert not (tmp_path / "out").exists()


def test_files_named_by_a_document_stay_near_it(cli, tmp_path):
    copy = _sample("ban-sao/ban-sao.yaml")
    copy["original"] = "/etc/passwd"
    decision = _sample("quyet-dinh-quy-che/quyet-dinh.yaml")
    decision["attachment"] = "../../../etc/hostname.yaml"
    for data in (copy, decision):
        result = cli("validate", _write(tmp_path, data))
        assert result.exit_code == 1
        assert "must be a .yaml file under the folder just above this document's folder" in result.stderr


def test_an_unknown_type_is_said_with_the_other_problems(cli, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("type: nosuch\nprofile: hd36-2018\n", encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any("header: required field is missing" in line for line in lines)
    assert any(line.startswith(f"{path}:1:7: error: type: unknown document type 'nosuch'") for line in lines)


def test_a_kind_of_an_unknown_shape_in_the_users_data_is_located(cli, tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    (own / "document-types.yaml").write_text(
        "la-thu: {name: Lá thư, code: LT, tag: U, template: ke-hoach.docx, shape: foo}\n", encoding="utf-8"
    )
    result = cli("--data", own, "validate", SAMPLES / "ke-hoach-41-ct-tw" / "plan.yaml")
    assert result.exit_code == 1
    assert f"{own / 'document-types.yaml'}:1:9: error: la-thu: unknown shape 'foo'" in result.stderr


def test_minutes_whose_attendance_does_not_add_up_are_refused(cli, tmp_path):
    data = _sample("bien-ban/bien-ban.yaml")
    data["attendance"]["present"] = data["attendance"]["expected"] + 3
    result = cli("validate", _write(tmp_path, data))
    assert result.exit_code == 1
    assert "attendance: present (" in result.stderr and "not to the" in result.stderr


def test_a_time_that_is_no_time_reads_in_vietnamese(tmp_path):
    import os
    import subprocess
    import sys

    data = _sample("bien-ban/bien-ban.yaml")
    data["end"] = "25:99"
    path = _write(tmp_path, data)
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        env=dict(os.environ, VANBAN_LANG="vi"),
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert "end: cần giờ theo dạng HH:MM (giờ:phút)" in done.stderr
    assert "Input should" not in done.stderr


def test_every_plan_shaped_kind_can_be_started_with_new(cli, tmp_path):
    for kind in ("nghi-quyet", "ket-luan", "chi-thi", "thong-bao"):
        out = tmp_path / f"{kind}.yaml"
        assert cli("new", kind, "-o", out).exit_code == 0
        assert yaml.safe_load(out.read_text(encoding="utf-8"))["type"] == kind
        assert cli("validate", out).exit_code == 0
