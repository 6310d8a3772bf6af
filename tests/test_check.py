"""`vanban check`: one broken rule per document (built from the rendered sample), a document
typed with Word's conventions, and every document the toolkit renders passing its profile."""

from __future__ import annotations

import io
import json
import unicodedata

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator.inspect.check import CheckError, check_docx

from .conftest import ROOT, SAMPLE_DIR


def para(doc, text):
    for p in doc.paragraphs:
        if p.text == text:
            return p
    for t in doc.tables:
        for row in t.rows:
            for c in row.cells:
                for p in c.paragraphs:
                    if p.text == text:
                        return p
    raise AssertionError(text)


def body_para(doc, start):
    return next(p for p in doc.paragraphs if p.text.startswith(start))


def set_text(p, text):
    p.runs[0].text = text
    for r in p.runs[1:]:
        r.text = ""


def no_first_page(d):
    d.sections[0].different_first_page_header_footer = False


def landscape_first(d):
    s = d.sections[0]
    s.orientation = WD_ORIENT.LANDSCAPE
    s.page_width, s.page_height = s.page_height, s.page_width


def add_text(start, extra):
    return lambda d: set_text(body_para(d, start), body_para(d, start).text + extra)


BODY = "Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ ban hành"
CASES = {
    "trang.kho-giay": lambda d: setattr(d.sections[1], "page_height", Mm(216)),
    "trang.le": lambda d: setattr(d.sections[0], "left_margin", Mm(25)),
    "trang.so-trang": no_first_page,
    "trang.huong": landscape_first,
    "phong-chu": lambda d: setattr(body_para(d, BODY).runs[0].font, "name", "Arial"),
    "tieu-de": lambda d: setattr(para(d, "ĐẢNG CỘNG SẢN VIỆT NAM").runs[0].font, "bold", False),
    "co-quan.ban-hanh": lambda d: setattr(para(d, "ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ").runs[0].font, "bold", False),
    "co-quan.cap-tren": lambda d: setattr(para(d, "ĐẢNG BỘ QUÂN ĐỘI").runs[0].font, "bold", True),
    "so-ky-hieu": lambda d: set_text(para(d, "Số     -KH/ĐUB"), "Số 7-KH/ĐUB"),
    "ngay-thang": lambda d: set_text(para(d, "Hà Nội, ngày    tháng 8 năm 2025"), "Hà Nội, ngày 5 tháng 8 năm 2025"),
    "ten-loai": lambda d: setattr(para(d, "KẾ HOẠCH").runs[0].font, "size", Pt(12)),
    "trich-yeu": lambda d: [setattr(r.font, "bold", False) for r in body_para(d, "Thực hiện Chỉ thị số 41").runs],
    "trich-yeu.gach": lambda d: set_text(para(d, "-----"), ""),
    "noi-dung.co-chu": lambda d: setattr(body_para(d, BODY).runs[0].font, "size", Pt(13)),
    "noi-dung.can-le": lambda d: setattr(body_para(d, BODY).paragraph_format, "alignment", WD_ALIGN_PARAGRAPH.LEFT),
    "noi-dung.gian-dong": lambda d: setattr(body_para(d, BODY).paragraph_format, "line_spacing_rule", WD_LINE_SPACING.SINGLE),
    "ky.quyen-han": lambda d: setattr(para(d, "T/M BAN THƯỜNG VỤ").runs[0].font, "bold", False),
    "ky.chuc-vu": lambda d: setattr(para(d, "BÍ THƯ").runs[0].font, "bold", True),
    "ky.ho-ten": lambda d: setattr(para(d, "Nguyễn Đăng Lực").runs[0].font, "bold", False),
    "noi-nhan.nhan": lambda d: setattr(para(d, "Nơi nhận:").runs[0].font, "underline", False),
    "noi-nhan.dong": lambda d: set_text(para(d, "- UBKT ĐUB,"), "- UBKT ĐUB"),
    "noi-nhan.luu": lambda d: set_text(para(d, "- Lưu: VT, CTTC."), "- VT, CTTC."),
    "phu-luc": lambda d: setattr(body_para(d, "(Kèm theo").runs[0].font, "italic", False),
    "van-ban.nfc": lambda d: set_text(body_para(d, BODY), unicodedata.normalize("NFD", body_para(d, BODY).text)),
    "van-ban.chu-d": add_text(BODY, " Ðại hội."),
    "van-ban.ma-cu": add_text(BODY, " Uû ban nh©n d©n."),
    "van-ban.ngay-so-0": add_text(BODY, " Ngày 5/3/2025."),
    "van-ban.ngay-tron": add_text(BODY, " Ngày 05-3-2025."),
    "van-ban.khoang-trang": add_text(BODY, " Hai  khoảng trắng."),
}


@pytest.fixture(scope="module")
def sample_docx_bytes():
    return (SAMPLE_DIR / "plan.docx").read_bytes()


def test_the_sample_passes_its_profile(ref):
    assert check_docx(SAMPLE_DIR / "plan.docx", ref.profile("quan-doi"), ref) == []


@pytest.mark.parametrize("rule", CASES)
def test_one_broken_rule_is_caught(rule, tmp_path, ref, sample_docx_bytes):
    d = docx.Document(io.BytesIO(sample_docx_bytes))
    CASES[rule](d)
    path = tmp_path / f"{rule}.docx"
    d.save(path)
    findings = check_docx(path, ref.profile("quan-doi"), ref)
    assert {f.rule for f in findings} == {rule}, [f.line() for f in findings]  # that rule and no other
    f = next(f for f in findings if f.rule == rule)
    assert f.clause and f.expected and f.found


def test_state_forms_are_caught(tmp_path, ref, sample_docx_bytes):
    d = docx.Document(io.BytesIO(sample_docx_bytes))
    set_text(para(d, "T/M BAN THƯỜNG VỤ"), "TM. BAN THƯỜNG VỤ")
    set_text(para(d, "Số     -KH/ĐUB"), "Số: 12-KH/ĐUB")
    d.save(tmp_path / "state.docx")
    findings = check_docx(tmp_path / "state.docx", ref.profile("quan-doi"), ref)
    lines = [(f.rule, f.text, f.found) for f in findings]
    assert ("so-ky-hieu", "Số: 12-KH/ĐUB", "“Số:” with a colon") in lines
    assert ("ky.quyen-han", "TM. BAN THƯỜNG VỤ", "signing form 'TM.'") in lines
    assert {r for r, *_ in lines} == {"so-ky-hieu", "ky.quyen-han", "van-ban.the-thuc-nha-nuoc"}


def test_seed_practice_is_reported_under_hd36_only(ref):
    under36 = check_docx(SAMPLE_DIR / "plan.docx", ref.profile("hd36-2018"), ref)
    assert [(f.rule, f.text) for f in under36] == [
        ("noi-nhan.dong", "- Cục Tuyên huấn/TCCT (để b/c);"),
        ("noi-nhan.luu", "- Lưu: VT, CTTC."),
    ]
    assert all(f.severity == "error" for f in under36)


def test_unconfirmed_rules_are_warnings(ref):
    for profile in ref.profiles.values():
        for rid, rule in profile.rules.items():
            if rule.tag == "U":
                assert rule.severity in ("warning", "off"), (profile.id, rid)


def test_every_rendered_document_passes(ref, tmp_path, cli):
    """The plan, its derived unit plans and the report: zero errors under their own profile."""
    paths = [SAMPLE_DIR / "plan.docx", SAMPLE_DIR / "bao-cao-so-ket.docx", *sorted((SAMPLE_DIR / "derived").glob("*.docx"))]
    from .test_loader import MINIMAL, write

    assert cli("render", write(tmp_path, MINIMAL), "-o", tmp_path / "out").exit_code == 0
    paths.append(tmp_path / "out" / "plan.docx")
    for path in paths:
        result = cli("check", path)
        assert result.exit_code == 0, result.output
        assert " 0 error(s)" in result.stderr


# ----------------------------------------------------------------------------- a document typed in Word


def _word_style_document(path):
    """Typed as Word users do: named styles, no direct formatting, the font from the theme."""
    d = docx.Document()
    theme = next(r.target_part for r in d.part.rels.values() if r.reltype.endswith("/theme"))
    theme._blob = theme.blob.replace(b'<a:latin typeface="Calibri"/>', b'<a:latin typeface="Times New Roman"/>').replace(
        b'<a:latin typeface="Cambria"/>', b'<a:latin typeface="Times New Roman"/>'
    )
    rpr = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    fonts.set(qn("w:asciiTheme"), "minorHAnsi")
    fonts.set(qn("w:hAnsiTheme"), "minorHAnsi")
    normal = d.styles["Normal"]
    normal.font.size = Pt(14)
    normal.element.rPr.find(qn("w:rFonts")) is not None and normal.element.rPr.remove(normal.element.rPr.find(qn("w:rFonts")))
    from docx.enum.style import WD_STYLE_TYPE

    def style(name, base="Normal", **kw):
        st = d.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = d.styles[base]
        for k, v in kw.items():
            if k in ("bold", "italic", "underline", "size"):
                setattr(st.font, k, Pt(v) if k == "size" else v)
            else:
                setattr(st.paragraph_format, k, v)
        return st

    c = WD_ALIGN_PARAGRAPH.CENTER
    style("Co quan", alignment=c)
    style("Co quan dam", "Co quan", bold=True)
    tieu = style("Tieu de", "Co quan", bold=True, size=15)
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        bottom.set(qn(f"w:{k}"), v)
    bdr.append(bottom)
    tieu.element.get_or_add_pPr().append(bdr)
    style("Ngay", "Co quan", italic=True)
    style("Ten loai", alignment=c, bold=True, size=16)
    style("Trich yeu", alignment=c, bold=True)
    body = style(
        "Noi dung",
        alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent=Mm(10),
        space_after=Pt(6),
        line_spacing_rule=WD_LINE_SPACING.EXACTLY,
    )
    body.paragraph_format.line_spacing = Pt(18)
    under = d.styles.add_style("Gach chan", WD_STYLE_TYPE.CHARACTER)
    under.font.underline = True
    style("Nguoi nhan", size=12)
    style("Quyen han", alignment=c, bold=True)
    style("Chuc vu", alignment=c)
    style("Ho ten", alignment=c, bold=True)
    s = d.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    s.different_first_page_header_footer = True
    run = s.header.paragraphs[0].add_run()
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run._r.append(fld)
    for text, st in [
        ("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "Co quan"),
        ("ĐẢNG ỦY XÃ CÔNG HẢI", "Co quan dam"),
        ("*", "Co quan"),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", "Tieu de"),
        ("Số 05-KH/ĐU", "Co quan"),
        ("Công Hải, ngày 05 tháng 3 năm 2026", "Ngay"),
        ("KẾ HOẠCH", "Ten loai"),
        ("về công tác thi đua, khen thưởng năm 2026", "Trich yeu"),
        ("-----", "Co quan"),
        ("Căn cứ Kế hoạch số 12-KH/TU, ngày 24/01/2026 của Ban Thường vụ Tỉnh ủy,", "Noi dung"),
        ("Ban Thường vụ Đảng ủy xã ban hành Kế hoạch như sau:", "Noi dung"),
    ]:
        d.add_paragraph(text, style=st)
    p = d.add_paragraph(style="Normal")
    p.add_run("Nơi nhận:", style="Gach chan")
    for text in ("- Ban Thường vụ Tỉnh ủy,", "- Lưu Văn phòng Đảng ủy."):
        d.add_paragraph(text, style="Nguoi nhan")
    for text, st in (("T/M BAN THƯỜNG VỤ", "Quyen han"), ("BÍ THƯ", "Chuc vu"), ("", "Chuc vu"), ("Nguyễn Văn A", "Ho ten")):
        d.add_paragraph(text, style=st)
    d.save(path)


def test_word_conventions_are_read_through_styles_and_theme(tmp_path, ref):
    path = tmp_path / "word.docx"
    _word_style_document(path)
    findings = check_docx(path, ref.profile("hd36-2018"), ref)
    assert [f.line() for f in findings if f.severity == "error"] == []
    # and a wrong style is still seen through the same chain
    d = docx.Document(path)
    d.styles["Noi dung"].font.size = Pt(12)
    d.save(path)
    sizes = [f for f in check_docx(path, ref.profile("hd36-2018"), ref) if f.rule == "noi-dung.co-chu"]
    assert len(sizes) == 2 and sizes[0].found == "size 12.0 pt"


# ----------------------------------------------------------------------------- CLI


def test_check_cli_text_and_json(cli, tmp_path, sample_docx_bytes):
    d = docx.Document(io.BytesIO(sample_docx_bytes))
    set_text(para(d, "Nơi nhận:"), "Nơi nhận:")
    para(d, "Nơi nhận:").runs[0].font.underline = False
    path = tmp_path / "x.docx"
    d.save(path)
    result = cli("check", path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}: error: noi-nhan.nhan [spec §3.9] ¶29 “Nơi nhận:”: found not underline; expected "
        "Chữ “Nơi nhận:” cỡ 14, gạch chân, không đậm, không nghiêng."
    ]
    data = json.loads(cli("check", path, "--format", "json").stdout)
    assert data[0]["profile"] == "quan-doi" and data[0]["findings"][0]["rule"] == "noi-nhan.nhan"
    assert data[0]["findings"][0]["paragraph"] == 29


def test_check_refuses_what_is_not_a_docx(cli, tmp_path, ref):
    bad = tmp_path / "x.docx"
    bad.write_text("hello")
    with pytest.raises(CheckError, match="not a readable DOCX"):
        check_docx(bad, ref.profile("hd36-2018"), ref)
    result = cli("check", bad)
    assert result.exit_code == 1 and result.stderr.startswith(f"vanban: {bad}: not a readable DOCX file")
    assert cli("check", tmp_path / "nope.docx").exit_code == 1


# ----------------------------------------------------------------------------- lint


def test_lint_and_fix(cli, tmp_path):
    from .test_loader import MINIMAL

    text = MINIMAL.replace("paragraphs: [Nội dung.]", "paragraphs: ['Ngày 5/3/2026  họp ,Uû ban nh©n d©n.', 'TM. Ban']")
    text = text.replace("issuer: Đảng ủy", "issuer: Ðảng ủy") + "# comment kept  as is\n"
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("lint", path)
    assert result.exit_code == 1
    rules = [l.rsplit("[", 1)[1].rstrip("]") for l in result.stdout.splitlines()]
    assert rules == [
        "van-ban.chu-d",
        "van-ban.ma-cu",
        "van-ban.ngay-so-0",
        "van-ban.khoang-trang",
        "van-ban.khoang-trang",
        "van-ban.the-thuc-nha-nuoc",
    ]
    assert result.stdout.splitlines()[0] == (
        f"{path}:5:11: error: header.issuer: look-alike 'Ð' (U+00D0) instead of 'Đ' [van-ban.chu-d]"
    )
    result = cli("lint", path, "--fix")
    fixed = path.read_text(encoding="utf-8")
    assert "issuer: Đảng ủy" in fixed and "'Ngày 05/3/2026 họp,Uû ban nh©n d©n.'" in fixed
    assert "# comment kept  as is" in fixed  # comments untouched
    assert [l.split(": fixed: ", 1)[1] for l in result.stdout.splitlines() if ": fixed: " in l] == [
        "5:11 header.issuer: look-alike 'Ð' (U+00D0) replaced by 'Đ' (U+0110), 1×",
        "13:18 sections.0.paragraphs.0: date 5/3/2026 → 05/3/2026",
        "13:18 sections.0.paragraphs.0: spaces in a row → one space",
        "13:18 sections.0.paragraphs.0: space before punctuation removed",
    ]
    # what needs a person stays reported
    assert [l.rsplit("[", 1)[1].rstrip("]") for l in result.stdout.splitlines() if ": fixed: " not in l] == [
        "van-ban.ma-cu",
        "van-ban.the-thuc-nha-nuoc",
    ]
    assert result.exit_code == 1


def test_sample_yaml_is_clean(cli):
    result = cli("lint", SAMPLE_DIR / "plan.yaml")
    assert result.exit_code == 0 and result.stdout == ""


def test_lint_fix_keeps_the_file_mode(cli, tmp_path):
    """`lint --fix` writes through the one atomic writer: a group-writable plan stays group-writable."""
    from .test_loader import MINIMAL

    path = tmp_path / "p.yaml"
    path.write_text(MINIMAL.replace("issuer: Đảng ủy", "issuer: Ðảng ủy"), encoding="utf-8")
    path.chmod(0o664)
    cli("lint", path, "--fix")
    assert "issuer: Đảng ủy" in path.read_text(encoding="utf-8")
    assert oct(path.stat().st_mode & 0o777) == oct(0o664)
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]  # no temporary file left beside it


def test_a_form_with_blanks_needs_no_signature_but_a_document_does(tmp_path, ref):
    """36-HD's forms leave blanks for the unit (``………., ngày    tháng    năm 2026``) and carry no signature or
    Nơi nhận of their own; a document without blanks that lacks them is still wrong."""
    import docx as _docx

    form = ROOT / "samples" / "chuong-trinh" / "chuong-trinh.docx"
    findings = check_docx(form, ref.profile("hd36-2018"), ref)
    assert [f for f in findings if f.severity == "error"] == []
    doc = _docx.Document(str(SAMPLE_DIR / "plan.docx"))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if p.text.startswith("T/M") or p.text == "Nơi nhận:":
                        for run in p.runs:
                            run.text = ""
    bare = tmp_path / "bare.docx"
    doc.save(str(bare))
    rules = {f.rule for f in check_docx(bare, ref.profile("quan-doi"), ref) if f.severity == "error"}
    assert {"ky.quyen-han", "noi-nhan.nhan"} <= rules
