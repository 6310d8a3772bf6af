"""The user's own data (issue 14 item 5): a working folder with its own units, profiles, kinds and templates,
layered over the built-in data, found from a subfolder, named with --data / VANBAN_DATA; errors located."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from generator.cli.app import main
from generator.io import refdata
from generator.io.loader import LoadError
from generator.io.refdata import data_dir, find_user_data, load, templates_dir, use_user_data

from .conftest import SAMPLE

UNITS = """\
organisation: {id: dang-uy-xa, issuer: Đảng ủy xã An Bình, code: ĐU}
units:
  - id: chi-bo-thon-1
    name: Chi bộ thôn 1
    kind: chi-bo
    party:
      superior: Đảng bộ xã An Bình
      issuer: Chi bộ thôn 1
      code: CB
      place: An Bình
      leadership: Chi bộ thôn 1
      signoff: {form: T/M, authority: Chi bộ, position: Bí thư, name: Nguyễn Văn An}
      archive: [Chi bộ]
"""

PROFILE = """\
id: xa-an-binh
name: Quy ước của Đảng ủy xã An Bình
extends: hd36-2018
layout:
  archive_label: Lưu trữ
"""

TYPES = """\
thong-bao:  {name: Thông báo, code: TB, tag: C, template: mau/thong-bao.docx}
to-gop-y:   {name: Tờ góp ý, code: TGY, tag: U, template: mau/to-gop-y.docx}
"""


def _tree(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(autouse=True)
def _reset():
    use_user_data(None)
    yield
    use_user_data(None)


@pytest.fixture
def office(tmp_path) -> Path:
    """An office's working folder: vanban.toml, its own units, a rule profile, two kinds with their templates."""
    root = tmp_path / "van-phong"
    (root / "units").mkdir(parents=True)
    (root / "rules").mkdir()
    (root / "mau").mkdir()
    (root / "vanban.toml").write_text("# dữ liệu riêng của văn phòng\n", encoding="utf-8")
    (root / "units" / "xa.yaml").write_text(UNITS, encoding="utf-8")
    (root / "rules" / "xa-an-binh.yaml").write_text(PROFILE, encoding="utf-8")
    (root / "document-types.yaml").write_text(TYPES, encoding="utf-8")
    shutil.copy(templates_dir() / "ke-hoach.docx", root / "mau" / "thong-bao.docx")
    shutil.copy(templates_dir() / "ke-hoach.docx", root / "mau" / "to-gop-y.docx")
    work = root / "2026" / "thang-3"
    work.mkdir(parents=True)
    plan = SAMPLE.read_text(encoding="utf-8").replace("type: ke-hoach", "type: to-gop-y", 1)
    plan = plan.replace("profile: quan-doi", "profile: xa-an-binh", 1)
    (work / "plan.yaml").write_text(plan, encoding="utf-8")
    return root


def _texts(path: Path) -> list[str]:
    d = docx.Document(io.BytesIO(path.read_bytes()))
    return [p.text for p in d.paragraphs] + [p.text for t in d.tables for r in t.rows for c in r.cells for p in c.paragraphs]


def test_layers_add_and_override_by_id(office):
    builtin = load()
    use_user_data(office)
    ref = load()
    assert set(builtin.types) < set(ref.types) and ref.types["to-gop-y"].name == "Tờ góp ý"
    assert ref.types["thong-bao"].template == "mau/thong-bao.docx"  # overrides the built-in Thông báo
    assert ref.types["ke-hoach"] == builtin.types["ke-hoach"]
    assert ref.profile("xa-an-binh").layout.archive_label == "Lưu trữ"
    assert ref.profile("xa-an-binh").layout.margins_mm == builtin.profile("hd36-2018").layout.margins_mm
    assert set(builtin.profiles) < set(ref.profiles)
    # The example units are left out once the office has units of its own.
    assert set(ref.units) == {"chi-bo-thon-1"}
    assert ref.template_path("mau/to-gop-y.docx") == office / "mau" / "to-gop-y.docx"
    assert ref.template_path("ke-hoach.docx") == templates_dir() / "ke-hoach.docx"
    use_user_data(office, examples=True)
    assert "chi-bo-thon-1" in load().units and "cong-ty-129" in load().units
    use_user_data(None)
    assert load() is builtin and "cong-ty-129" in load().units


def test_a_new_kind_from_the_working_folder_renders_from_a_subfolder(office, monkeypatch):
    before = _tree(data_dir())
    monkeypatch.chdir(office / "2026" / "thang-3")
    assert find_user_data(Path.cwd()) == office
    result = CliRunner().invoke(main, ["render", "plan.yaml", "-o", "out"])
    assert result.exit_code == 0, result.output
    texts = _texts(office / "2026" / "thang-3" / "out" / "plan.docx")
    assert "TỜ GÓP Ý" in texts and "KẾ HOẠCH" not in texts
    assert any(t.startswith("- Lưu trữ") for t in texts)  # the office's own profile
    # The office's units, not the examples: progress-form names the units it knows.
    result = CliRunner().invoke(main, ["progress-form", "plan.yaml", "--unit", "nope", "-o", "f.xlsx"])
    assert result.exit_code != 0 and "chi-bo-thon-1" in result.output and "cong-ty-129" not in result.output
    result = CliRunner().invoke(main, ["--examples", "progress-form", "plan.yaml", "--unit", "nope", "-o", "f.xlsx"])
    assert "chi-bo-thon-1" in result.output and "cong-ty-129" in result.output
    assert refdata.user_data() is None  # the command's data does not outlive it
    assert _tree(data_dir()) == before


def test_data_option_and_environment_and_dot_vanban(office, tmp_path, monkeypatch):
    plan = office / "2026" / "thang-3" / "plan.yaml"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    # Without its data, the plan's kind is unknown here.
    result = CliRunner().invoke(main, ["render", str(plan), "-o", "a"])
    assert result.exit_code == 1 and "to-gop-y" in result.output
    result = CliRunner().invoke(main, ["--data", str(office), "render", str(plan), "-o", "b"])
    assert result.exit_code == 0, result.output
    assert "TỜ GÓP Ý" in _texts(elsewhere / "b" / "plan.docx")
    result = CliRunner().invoke(main, ["render", str(plan), "-o", "c"], env={"VANBAN_DATA": str(office)})
    assert result.exit_code == 0, result.output
    # A .vanban/ folder is found the same way as a vanban.toml.
    (office / "vanban.toml").unlink()
    shutil.copytree(office, elsewhere / ".vanban", ignore=shutil.ignore_patterns("2026"))
    (elsewhere / "sub").mkdir()
    assert find_user_data(elsewhere / "sub") == elsewhere / ".vanban"
    result = CliRunner().invoke(main, ["render", str(plan), "-o", "d"])
    assert result.exit_code == 0, result.output


def test_vanban_toml_may_name_the_data_folder(tmp_path, office):
    (tmp_path / "vanban.toml").write_text('data = "van-phong"\n', encoding="utf-8")
    (office / "vanban.toml").unlink()
    assert find_user_data(tmp_path) == office
    (tmp_path / "vanban.toml").write_text('data = "khong-co"\n', encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        find_user_data(tmp_path)
    assert "vanban.toml" in str(exc.value) and "khong-co" in str(exc.value)


@pytest.mark.parametrize(
    ("name", "text", "where", "words"),
    [
        ("units/xa.yaml", UNITS.replace("kind: chi-bo", "kind: chi-bo\n    colour: red"), ":6:5:", "colour"),
        ("rules/xa-an-binh.yaml", PROFILE.replace("extends: hd36-2018", "extends: hd99"), ":3:", "hd99"),
        ("document-types.yaml", TYPES.replace("tag: U", "tag: X"), ":2:", "tag"),
        ("vanban.toml", "# dữ liệu\ndata = 12 34\n", ":2:", "TOML"),
    ],
)
def test_an_error_in_a_user_file_is_located(office, monkeypatch, name, text, where, words):
    (office / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(office / "2026" / "thang-3")
    result = CliRunner().invoke(main, ["render", "plan.yaml", "-o", "out"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    line = next(l for l in result.output.splitlines() if name.split("/")[-1] in l)
    assert str(office / name) + where in line and words in line, result.output


def test_no_working_folder_means_built_in_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_user_data(tmp_path) is None
    result = CliRunner().invoke(main, ["render", str(SAMPLE), "-o", "out"])
    assert result.exit_code == 0, result.output


def test_a_data_option_naming_no_folder_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["--data", str(tmp_path / "khong-co"), "render", str(SAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "khong-co" in result.output and "Traceback" not in result.output
