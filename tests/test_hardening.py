"""Bad input and hostile templates: every one refused with a clear message, nothing executed,
nothing half-written; random Unicode either round-trips exactly or is rejected clearly."""

from __future__ import annotations

import io
import shutil
import time
import unicodedata
import zipfile

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.inspect.check import CheckError, check_docx
from generator.inspect.template_check import check_template
from generator.io.loader import MAX_TEXT, LoadError, load_plan
from generator.io.refdata import templates_dir
from generator.kinds import render_document
from generator.lang import vn
from generator.render.engine import RenderError

from .conftest import SAMPLE_DIR
from .test_loader import MINIMAL, write

TEMPLATE = templates_dir() / "ke-hoach.docx"


def plan_with_paragraph(text: str) -> str:
    data = yaml.safe_load(MINIMAL)
    data["sections"][0]["paragraphs"] = [text]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# ----------------------------------------------------------------------------- random text

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐƯƠ"
alphabet = st.one_of(
    st.sampled_from(VIETNAMESE),
    st.sampled_from("\u0300\u0301\u0303\u0309\u0323"),  # combining tone marks (NFD input)
    st.sampled_from("<>&\"'{}%#"),  # XML and Jinja specials
    st.sampled_from("\x00\x07\x1b\x7f\u0085\ufeff\ufffe\uffff\u00d0\u00f0 "),  # controls, BOM, non-characters, look-alikes
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet, min_size=1, max_size=300))
def test_random_text_round_trips_or_is_rejected(tmp_path_factory, ref, text):
    tmp = tmp_path_factory.mktemp("h")
    path = write(tmp, plan_with_paragraph(text))
    try:
        plan = load_plan(path, ref).plan
    except LoadError as exc:
        assert exc.problems and all(str(p).startswith(str(path)) for p in exc.problems)
        return
    stored = plan.sections[0].paragraphs[0]
    expected, _ = vn.normalize(yaml.safe_load(path.read_text(encoding="utf-8"))["sections"][0]["paragraphs"][0])
    assert stored == expected and unicodedata.is_normalized("NFC", stored)
    doc = docx.Document(io.BytesIO(render_document(plan, ref)))
    texts = [p.text for p in doc.paragraphs]
    # docxtpl turns \n into a line break and \t into a tab: python-docx reads them back the same
    assert stored.strip() == "" or stored in texts


def test_very_long_text_is_refused(tmp_path, ref):
    path = write(tmp_path, plan_with_paragraph("a" * (MAX_TEXT + 1)))
    with pytest.raises(LoadError) as exc:
        load_plan(path, ref)
    assert [p.message for p in exc.value.problems] == [f"text of {MAX_TEXT + 1:,} characters; the limit is {MAX_TEXT:,}"]


def test_deep_sections_and_yaml_nesting_are_refused(tmp_path, ref):
    data = yaml.safe_load(MINIMAL)
    node = data["sections"][0]
    for _ in range(4):
        node["sections"] = [{"title": "Mục", "paragraphs": ["x"]}]
        node = node["sections"][0]
    with pytest.raises(LoadError, match="sections are nested 5 levels deep; the limit is 4"):
        load_plan(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)), ref)
    deep = "a: " + "[" * 60 + "]" * 60 + "\n"
    with pytest.raises(LoadError, match="nested more than 40 levels deep"):
        load_plan(write(tmp_path, deep, "deep.yaml"), ref)


# ----------------------------------------------------------------------------- hostile templates


def template_with(tmp_path, replace: dict[str, str], name="evil.docx"):
    """A copy of our template with some of its tags rewritten (in the XML, as a user's edit would)."""
    out = tmp_path / name
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                text = data.decode()
                for old, new in replace.items():
                    assert old in text
                    text = text.replace(old, new)
                data = text.encode()
            dst.writestr(info, data)
    return out


@pytest.mark.parametrize(
    "payload, message",
    [
        ("{{ ''.__class__.__mro__ }}", "refused: access to attribute '__class__' of 'str' object is unsafe"),
        ("{{ cycler.__init__.__globals__ }}", "refused: access to attribute '__init__'"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "refused: the template loops or calls macros more than",
        ),
        ("{{ 'x' * 1000000000 }}", "refused: the template makes a text or list too large"),
        ("{{ 2 ** 100000000 }}", "refused: the power operator is not allowed"),
    ],
)
def test_template_attacks_are_refused(tmp_path, sample_plan, ref, payload, message):
    evil = template_with(tmp_path, {"{{ h.issuer }}": payload})
    t0 = time.perf_counter()
    with pytest.raises(RenderError) as exc:
        render_document(sample_plan, ref, evil)
    assert message in str(exc.value)
    assert time.perf_counter() - t0 < 10


def test_template_code_in_data_is_just_text(tmp_path, ref, cli):
    payload = "{{ ''.__class__.__mro__ }} {% for x in range(10**9) %}x{% endfor %} {{r evil }}"
    path = write(tmp_path, plan_with_paragraph(payload))
    assert cli("render", path, "-o", tmp_path / "out").exit_code == 0
    texts = [p.text for p in docx.Document(tmp_path / "out" / "plan.docx").paragraphs]
    assert payload in texts


def test_entity_expansion_in_a_docx_is_refused(tmp_path, sample_plan, ref):
    bomb = (
        '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    src = zipfile.ZipFile(TEMPLATE)
    evil = tmp_path / "bomb.docx"
    with zipfile.ZipFile(evil, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>\n", b"?>\n" + bomb.encode() + b"\n", 1).replace(b"{{ h.issuer }}", b"&c;")
            dst.writestr(info, data)
    with pytest.raises(RenderError, match="DOCTYPE/ENTITY declaration.*refused"):
        render_document(sample_plan, ref, evil)
    assert any("DOCTYPE" in i.message for i in check_template(evil, "ke-hoach"))
    # the checker refuses it too, naming the part, before any parser sees it
    with pytest.raises(CheckError, match="word/document.xml: contains a DOCTYPE/ENTITY declaration"):
        check_docx(evil, ref.profile("hd36-2018"), ref)


def test_user_template_renders(tmp_path, sample_plan, ref, cli):
    mine = template_with(tmp_path, {"{{ h.issuer }}": "{{ h.issuer }} (mẫu riêng)"}, "mine.docx")
    assert check_template(mine, "ke-hoach") == []
    result = cli("render", SAMPLE_DIR / "plan.yaml", "-o", tmp_path / "out", "--template", mine)
    assert result.exit_code == 0, result.output
    doc = docx.Document(tmp_path / "out" / "plan.docx")
    assert doc.tables[0].cell(0, 0).paragraphs[1].text == "ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ (mẫu riêng)"


# ----------------------------------------------------------------------------- template check


def _docx_with(tmp_path, build, name="t.docx"):
    d = docx.Document()
    build(d)
    path = tmp_path / name
    d.save(path)
    return path


def test_template_check_finds_each_problem(tmp_path):
    def build(d):
        p = d.add_paragraph()
        p.add_run("{{ h.iss")
        p.add_run("uer }}").bold = True  # split across runs
        d.add_paragraph("{{ h.isuer }}")  # unknown field
        d.add_paragraph("{{ sign.name | default(“x”) }}")  # smart quotes
        d.add_paragraph("{%tr for g in appendix.groups %}")  # row tags outside a table
        d.add_paragraph("{%tr endfor %}")
        d.add_paragraph("{% for b in body %}{{ b.txt }}{% endfor %}")  # unknown field of a loop item
        d.add_paragraph("{{ nobody }}")

    issues = [str(i) for i in check_template(_docx_with(tmp_path, build), "ke-hoach")]
    assert (
        "warning: word/document.xml, paragraph “{{ h.issuer }}”: tag '{{ h.issuer }}' is split across Word runs (formatting changed inside it); retype it in one go"
        in issues
    )
    assert (
        "error: word/document.xml, paragraph “{{ h.isuer }}”: unknown field 'isuer' (known: top_marks, superior, issuer, number_line, left_marks, place_date)"
        in issues
    )
    assert any("smart quotes inside '{{ sign.name | default(“x”) }}'" in i for i in issues)
    assert any("tr tag '{%tr for g in appendix.groups %}' is not inside a table row" in i for i in issues)
    assert any("unknown field 'txt' (known: kind, text, note)" in i for i in issues)
    assert any("unknown variable 'nobody'" in i for i in issues)


def test_template_check_unbalanced_block(tmp_path, cli):
    path = _docx_with(tmp_path, lambda d: (d.add_paragraph("{% if h.superior %}"), d.add_paragraph("{{ h.superior }}")))
    issues = [str(i) for i in check_template(path, "ke-hoach")]
    assert len(issues) == 1 and "template syntax: Unexpected end of template" in issues[0]
    result = cli("template", "check", path)
    assert result.exit_code == 1 and "Unexpected end of template" in result.stdout


def test_our_templates_pass_their_own_check(cli):
    assert cli("template", "check", TEMPLATE).exit_code == 0
    assert cli("template", "check", templates_dir() / "bao-cao.docx", "--kind", "bao-cao").exit_code == 0


def test_template_fields_lists_nested_fields_in_vietnamese(cli):
    out = cli("template", "fields", "ke-hoach").stdout.splitlines()
    assert any(l.startswith("appendix.groups[].tasks[].timeframe") and "Thời gian" in l for l in out)
    assert any(l.startswith("h.issuer") and "Tên cơ quan ban hành" in l for l in out)


# ----------------------------------------------------------------------------- fault corpus


def _truncated(tmp_path, src, name):
    data = src.read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: len(data) // 2])
    return path


def _without(tmp_path, src, part, name):
    path = tmp_path / name
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(path, "w") as b:
        for info in a.infolist():
            if info.filename != part:
                b.writestr(info, a.read(info))
    return path


def test_fault_corpus_for_templates(tmp_path, sample_plan, ref):
    cases = {
        _truncated(tmp_path, TEMPLATE, "truncated.docx"): "not a readable DOCX template",
        _without(tmp_path, TEMPLATE, "word/document.xml", "nodoc.docx"): "not a Word document (no word/document.xml)",
        tmp_path: "is a folder, not a DOCX template",
        tmp_path / "missing.docx": "template not found",
    }
    for path, message in cases.items():
        with pytest.raises(RenderError) as exc:
            render_document(sample_plan, ref, path)
        assert message in str(exc.value), (path, str(exc.value))


def test_fault_corpus_for_check(tmp_path, ref, cli):
    plan_docx = SAMPLE_DIR / "plan.docx"
    cases = [
        _truncated(tmp_path, plan_docx, "truncated.docx"),
        _without(tmp_path, plan_docx, "word/document.xml", "nodoc.docx"),
        _without(tmp_path, plan_docx, "word/styles.xml", "nostyles.docx"),
    ]
    for path in cases:  # a part its relationships name is missing: damaged, said so
        with pytest.raises(CheckError, match="not a readable DOCX file"):
            check_docx(path, ref.profile("hd36-2018"), ref)
    result = cli("check", tmp_path)
    assert result.exit_code == 1 and result.stderr.strip() == f"vanban: {tmp_path}: is a folder, not a DOCX file"


def test_unreadable_progress_workbook_and_template_in_cli(tmp_path, cli):
    bad = tmp_path / "t.docx"
    bad.write_text("no")
    result = cli("render", SAMPLE_DIR / "plan.yaml", "-o", tmp_path / "out", "--template", bad)
    assert result.exit_code == 1 and "not a readable DOCX template" in result.stderr
    assert not (tmp_path / "out").exists()


def test_2000_task_appendix_renders(tmp_path, ref):
    data = yaml.safe_load(MINIMAL)
    data["appendix"]["groups"] = [
        {
            "id": str(g),
            "title": f"Nhóm {g}",
            "tasks": [
                {
                    "id": f"{g}.{t}",
                    "text": f"Nhiệm vụ {g}.{t} " + "nội dung " * 20,
                    "lead": "Văn phòng",
                    "units": ["Các chi bộ", "Các đoàn thể"],
                    "timeframe": "Quý II/2026",
                }
                for t in range(1, 101)
            ],
        }
        for g in range(1, 21)
    ]
    plan = load_plan(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)), ref).plan
    doc = docx.Document(io.BytesIO(render_document(plan, ref)))
    assert len(doc.tables[2].rows) == 1 + 20 + 2000
    shutil.rmtree(tmp_path, ignore_errors=True)
