"""Bad input: exact messages located at file:line:column and field, non-zero exit, no output."""

from __future__ import annotations

import textwrap
import unicodedata

import docx
import pytest

from generator.io.loader import LoadError, load_plan

MINIMAL = textwrap.dedent(
    """\
    type: ke-hoach
    profile: hd36-2018
    header:
      superior: Đảng bộ tỉnh Lâm Đồng
      issuer: Đảng ủy đặc khu Phú Quý
      issuer_code: ĐU
      number: 5
      place: Phú Quý
      date: 2026-03-05
    subject: về công tác thi đua, khen thưởng năm 2026
    sections:
      - title: Mục đích, yêu cầu
        paragraphs: [Nội dung.]
    recipients: [Ban Thường vụ Tỉnh ủy]
    archive: Văn phòng Đảng ủy
    signoff: {form: T/M, authority: Ban Thường vụ, position: Bí thư, name: Nguyễn Văn A}
    appendix:
      title: Nhiệm vụ
      groups:
        - id: 1
          title: Nhóm một
          tasks:
            - {id: "1.1", text: Việc một, lead: Văn phòng, units: Các chi bộ, timeframe: Quý II/2026}
            - {id: "1.2", text: Việc hai, lead: Văn phòng, units: Các chi bộ, timeframe: Thường xuyên}
    """
)


def write(tmp_path, text: str, name: str = "plan.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def render_fails(cli, tmp_path, text: str) -> list[str]:
    """Render *text*; assert it failed cleanly and return its stderr lines."""
    path = write(tmp_path, text)
    out = tmp_path / "out"
    result = cli("render", path, "-o", out)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    assert not out.exists() or list(out.iterdir()) == []  # nothing written, not even a temp file
    return [line.replace(str(path), "plan.yaml") for line in result.stderr.splitlines()]


def test_minimal_plan_renders(cli, tmp_path):
    path = write(tmp_path, MINIMAL)
    result = cli("render", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    doc = docx.Document(tmp_path / "out" / "plan.docx")
    texts = [p.text for p in doc.paragraphs]
    assert "I- MỤC ĐÍCH, YÊU CẦU" in texts  # hd36 numbering "I-"
    assert "- Lưu Văn phòng Đảng ủy." in [p.text for c in doc.tables[1].columns[0].cells for p in c.paragraphs]


def test_malformed_yaml(cli, tmp_path):
    assert render_fails(cli, tmp_path, MINIMAL.replace("  number: 5", "  number: [5")) == [
        "plan.yaml:8:8: error: malformed YAML: did not find expected ',' or ']'"
    ]


def test_missing_required_field(cli, tmp_path):
    text = MINIMAL.replace("position: Bí thư, name: Nguyễn Văn A", "position: Bí thư")
    assert render_fails(cli, tmp_path, text) == ["plan.yaml:16:10: error: signoff.name: required field is missing"]


def test_wrong_type(cli, tmp_path):
    assert render_fails(cli, tmp_path, MINIMAL.replace("number: 5", "number: năm")) == [
        "plan.yaml:7:11: error: header.number: expected a whole number, got text 'năm'"
    ]


def test_unknown_key(cli, tmp_path):
    text = MINIMAL.replace("  place: Phú Quý\n", "  place: Phú Quý\n  colour: đỏ\n")
    assert render_fails(cli, tmp_path, text) == [
        "plan.yaml:9:3: error: header.colour: unknown field; expected one of: "
        "superior, issuer, issuer_code, number, place, date, marks"
    ]


def test_task_id_used_twice(cli, tmp_path):
    text = MINIMAL.replace('{id: "1.2"', '{id: "1.1"')
    assert render_fails(cli, tmp_path, text) == [
        "plan.yaml:24:16: error: appendix.groups.0.tasks.1.id: task id '1.1' is used twice (first at appendix.groups.0.tasks.0)"
    ]


def test_all_problems_at_once_in_file_order(cli, tmp_path):
    text = (
        MINIMAL.replace("number: 5", "number: -1")
        .replace("date: 2026-03-05", "date: 2026-02-30")
        .replace("timeframe: Quý II/2026}", "}")
    )
    assert render_fails(cli, tmp_path, text) == [
        "plan.yaml:7:11: error: header.number: must be ≥ 1, got -1",
        "plan.yaml:9:9: error: header.date: not a real date: day is out of range for month",
        "plan.yaml:23:11: error: appendix.groups.0.tasks.0.timeframe: required field is missing",
    ]


def test_duplicate_yaml_key(cli, tmp_path):
    text = MINIMAL.replace("  place: Phú Quý\n", "  place: Phú Quý\n  place: Hà Nội\n")
    assert render_fails(cli, tmp_path, text) == [
        "plan.yaml:9:3: error: header.place: field 'place' is given twice (first at line 8)"
    ]


def test_unknown_profile_and_signing_form(cli, tmp_path):
    text = MINIMAL.replace("form: T/M", "form: Q.")
    assert render_fails(cli, tmp_path, text) == [
        "plan.yaml:16:17: error: signoff.form: signing form 'Q.' is not used under profile 'hd36-2018'; expected one of: T/M, K/T, T/L"
    ]
    text = MINIMAL.replace("profile: hd36-2018", "profile: hd99")
    assert render_fails(cli, tmp_path, text) == [
        "plan.yaml:2:10: error: profile: unknown rule profile 'hd99'; expected one of: hd05-2026, hd36-2018, quan-doi"
    ]


def test_control_characters_refused(cli, tmp_path):
    text = MINIMAL.replace("subject: về công tác", 'subject: "về\\x07 công tác')
    text = text.replace("khen thưởng năm 2026\n", 'khen thưởng năm 2026"\n', 1)
    assert render_fails(cli, tmp_path, text) == [
        "plan.yaml:10:10: error: subject: text contains control characters that cannot be printed (U+0007)"
    ]


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"\xff\xfe t\x00y\x00", "plan.yaml:1: error: file is not UTF-8 text; save it as UTF-8"),
        (b"", "plan.yaml:1:1: error: the file is empty"),
        (b"- a\n- b\n", "plan.yaml:1:1: error: expected a mapping of fields at the top, got a list"),
    ],
)
def test_not_a_plan(cli, tmp_path, raw, message):
    (tmp_path / "plan.yaml").write_bytes(raw)
    out = tmp_path / "out"
    result = cli("render", tmp_path / "plan.yaml", "-o", out)
    assert result.exit_code == 1
    assert result.stderr.replace(str(tmp_path / "plan.yaml"), "plan.yaml").splitlines() == [message]
    assert not out.exists()


def test_billion_laughs_is_bounded(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(LoadError) as exc:
        load_plan(path)
    assert "expands to more than" in str(exc.value)


def test_directory_and_missing_file(cli, tmp_path):
    result = cli("render", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 1 and result.stderr.strip() == f"{tmp_path}: error: is a folder, not a YAML file"
    result = cli("render", tmp_path / "nope.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 1 and result.stderr.strip() == f"{tmp_path / 'nope.yaml'}: error: file not found"


def test_xml_special_characters_render_literally(cli, tmp_path):
    text = MINIMAL.replace("paragraphs: [Nội dung.]", "paragraphs: ['Về việc A & B <khẩn> > C \"x\"']")
    path = write(tmp_path, text)
    assert cli("render", path, "-o", tmp_path / "out").exit_code == 0
    doc = docx.Document(tmp_path / "out" / "plan.docx")
    assert 'Về việc A & B <khẩn> > C "x"' in [p.text for p in doc.paragraphs]


def test_nfd_input_is_stored_and_rendered_nfc(cli, tmp_path):
    nfd = unicodedata.normalize("NFD", MINIMAL)
    assert nfd != MINIMAL
    path = write(tmp_path, nfd)
    plan = load_plan(path).plan
    assert plan.header.issuer == "Đảng ủy đặc khu Phú Quý"
    assert cli("render", path, "-o", tmp_path / "out").exit_code == 0
    doc = docx.Document(tmp_path / "out" / "plan.docx")
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "MỤC ĐÍCH, YÊU CẦU" in body and unicodedata.is_normalized("NFC", body)


def test_lookalike_d_is_corrected_with_a_warning(cli, tmp_path):
    path = write(tmp_path, MINIMAL.replace("issuer: Đảng ủy", "issuer: Ðảng ủy"))
    result = cli("render", path, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stderr.replace(str(path), "plan.yaml").splitlines() == [
        "plan.yaml:5:11: warning: header.issuer: look-alike 'Ð' (U+00D0) replaced by 'Đ' (U+0110), 1×"
    ]
    doc = docx.Document(tmp_path / "out" / "plan.docx")
    cell = doc.tables[0].cell(0, 0)
    assert "ĐẢNG ỦY ĐẶC KHU PHÚ QUÝ" in [p.text for p in cell.paragraphs]
    assert "Ð" not in doc.element.xml


def test_one_bad_plan_among_several_writes_nothing(cli, tmp_path):
    good = write(tmp_path, MINIMAL, "good.yaml")
    bad = write(tmp_path, MINIMAL.replace("number: 5", "number: x"), "bad.yaml")
    out = tmp_path / "out"
    result = cli("render", good, bad, "-o", out)
    assert result.exit_code == 1 and "bad.yaml:7:11" in result.stderr
    assert not out.exists()


def test_load_error_is_exception_with_all_problems(tmp_path):
    path = write(tmp_path, MINIMAL.replace("number: 5", "number: x").replace("place: Phú Quý", "place: ''"))
    with pytest.raises(LoadError) as exc:
        load_plan(path)
    assert [p.path for p in exc.value.problems] == ["header.number", "header.place"]
