"""`vanban check` knows every kind (issue 14 item 6).

A corpus of correct documents typed the way clerks type them in Word — built here with python-docx, not with
vanban's templates: header and sign-off as paragraphs or as one paragraph with line breaks (Shift+Enter), fonts
set directly or through styles, the sign-off beside the Nơi nhận in a table or with tabs — for Công văn, Nghị
quyết, Kết luận, Quyết định, Tờ trình and Biên bản (layouts of docs/document-kinds.md). Each has 0 errors and 0
warnings under hd36-2018 and hd05-2026; each planted mistake is found.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from generator.inspect.check import check_docx

PROFILES = ("hd36-2018", "hd05-2026")
_SAL = re.compile(r"^(Kính gửi|Đồng kính gửi)")
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


@dataclass(frozen=True)
class Look:
    size: float = 14
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Line:
    text: str
    look: Look = Look()


@dataclass
class Kind:
    code: str
    title: list[Line]  # the tên loại and the lines under it, before the trích yếu (empty for a Công văn)
    subject: list[str]
    body: list[Line | tuple[str, str]]  # a body paragraph; ("Điều 1.", "text") an article; Line for others
    signers: list[list[Line]]  # one block per signer
    recipients: bool = True
    salutation: list[Line] = field(default_factory=list)


B14, R14, I12, B16 = Look(14, True), Look(14), Look(12, italic=True), Look(16, True)
SIGN_TM = [Line("T/M BAN THƯỜNG VỤ", B14), Line("BÍ THƯ", R14), Line("Nguyễn Văn An", B14)]

KINDS = {
    "cong-van": Kind(
        "CV",
        [],
        ["V/v tổ chức hội nghị sơ kết", "công tác xây dựng Đảng"],
        ["Thực hiện kế hoạch năm 2026, Ban Thường vụ Huyện ủy đề nghị các đơn vị báo cáo kết quả công tác."],
        [SIGN_TM],
        salutation=[
            Line("Kính gửi:"),
            Line("- Ban Tổ chức Huyện ủy,"),
            Line("- Các chi bộ, đảng bộ cơ sở."),
            Line("Đồng kính gửi: Ủy ban Kiểm tra Huyện ủy."),
        ],
    ),
    "to-trinh": Kind(
        "TTr",
        [Line("TỜ TRÌNH", B16)],
        ["về việc công nhận chi ủy nhiệm kỳ 2025 - 2027"],
        [
            "Căn cứ Điều lệ Đảng và kết quả đại hội chi bộ, chi ủy đề nghị Ban Thường vụ xem xét công nhận:",
            "1. Đồng chí Trần Văn Bình, Bí thư Chi bộ.",
            "2. Đồng chí Lê Thị Cúc, Phó Bí thư Chi bộ.",
        ],
        [SIGN_TM],
        salutation=[Line("Kính gửi: Ban Thường vụ Huyện ủy Hàm Thuận Bắc")],
    ),
    "nghi-quyet": Kind(
        "NQ",
        [Line("NGHỊ QUYẾT", B16), Line("CỦA BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN (KHÓA XIV)", B14)],
        ["về phát triển kinh tế - xã hội năm 2026"],
        [Line("I. TÌNH HÌNH VÀ NGUYÊN NHÂN", B14), "Năm 2025, kinh tế của huyện tiếp tục tăng trưởng khá."],
        [[Line("T/M BAN CHẤP HÀNH", B14), Line("BÍ THƯ", R14), Line("Nguyễn Văn An", B14)]],
    ),
    "ket-luan": Kind(
        "KL",
        [Line("KẾT LUẬN", B16), Line("HỘI NGHỊ LẦN THỨ BẢY", B14), Line("BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN (KHÓA XIV)", B14)],
        ["về xây dựng kết cấu hạ tầng đến năm 2030"],
        [
            "Hội nghị lần thứ bảy Ban Chấp hành Đảng bộ huyện họp ngày 26/4/2026 đã thảo luận và kết luận:",
            Line("I. ĐÁNH GIÁ TÌNH HÌNH", B14),
            "Hạ tầng giao thông được đầu tư đồng bộ hơn.",
        ],
        [[Line("T/M BAN CHẤP HÀNH", B14), Line("BÍ THƯ", R14), Line("Nguyễn Văn An", B14)]],
    ),
    "quyet-dinh": Kind(
        "QĐ",
        [Line("QUYẾT ĐỊNH", B16)],
        ["về việc thành lập Ban Chỉ đạo"],
        [
            "- Căn cứ Điều lệ Đảng;",
            "- Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ huyện khóa XIV,",
            Line("BAN THƯỜNG VỤ HUYỆN ỦY", B14),
            Line("QUYẾT ĐỊNH:", B14),
            ("Điều 1.", "Thành lập Ban Chỉ đạo gồm các đồng chí có tên trong danh sách kèm theo."),
            ("Điều 2.", "Quyết định có hiệu lực kể từ ngày ký."),
        ],
        [SIGN_TM],
    ),
    "bien-ban": Kind(
        "BB",
        [Line("BIÊN BẢN", B16)],
        ["Hội nghị Ban Chấp hành Đảng bộ huyện"],
        [
            "- Thời gian: 08 giờ 00, ngày 05/3/2026.",
            "- Địa điểm: Hội trường Huyện ủy.",
            "- Có mặt: 33/35 đồng chí; vắng mặt: 02 đồng chí (có lý do).",
            "Hội nghị kết thúc lúc 11 giờ 30 cùng ngày.",
        ],
        [[Line("THƯ KÝ", B14), Line("Trần Thị Bình", B14)], [Line("CHỦ TRÌ HỘI NGHỊ", B14), Line("Nguyễn Văn An", B14)]],
        recipients=False,
    ),
}


@dataclass(frozen=True)
class Typing:
    breaks: bool  # header, title block and sign-off as one paragraph with line breaks (Shift+Enter)
    styles: bool  # fonts through character styles instead of direct formatting
    tabs: bool  # Nơi nhận and sign-off side by side with tabs, not in a table


TYPINGS = [Typing(*t) for t in itertools.product((False, True), repeat=3)]


@dataclass(frozen=True)
class Mistake:
    rule: str
    what: str  # a key the builder understands
    kinds: tuple[str, ...] = tuple(KINDS)


MISTAKES = [
    Mistake("ten-loai", "title-size", tuple(k for k in KINDS if k != "cong-van")),
    Mistake("co-quan.ban-hanh", "issuer-regular"),
    Mistake("co-quan.ban-hanh", "no-star"),
    Mistake("ngay-thang", "date-unpadded"),
    Mistake("ky.quyen-han", "sign-regular", tuple(k for k in KINDS if k != "bien-ban")),
    Mistake("ky.ho-ten", "name-regular"),
    Mistake("noi-nhan.nhan", "label-bold", tuple(k for k in KINDS if k != "bien-ban")),
    Mistake("trich-yeu.cong-van", "cv-subject-upright", ("cong-van",)),
    Mistake("dieu.nhan", "article-regular", ("quyet-dinh",)),
    Mistake("quyet-dinh.quyet-dinh", "enact-left", ("quyet-dinh",)),
    Mistake("ky.bien-ban", "one-signer", ("bien-ban",)),
    Mistake("noi-dung.co-chu", "body-13"),
    Mistake("ten-loai.dong-phu", "meeting-regular", ("ket-luan", "nghi-quyet")),
]


class Builder:
    def __init__(self, typing: Typing, mistake: str | None):
        self.t, self.m = typing, mistake
        self.doc = docx.Document()
        self._styles: dict[Look, str] = {}
        normal = self.doc.styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(14)
        normal.paragraph_format.space_after = Pt(0)
        s = self.doc.sections[0]
        s.page_width, s.page_height = Mm(210), Mm(297)
        s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
        s.different_first_page_header_footer = True
        p = s.header.paragraphs[0]
        p.alignment = CENTER
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "2"
        r.append(t)
        fld.append(r)
        p._p.append(fld)

    def run(self, p, text: str, look: Look):
        if self.t.styles:
            name = self._styles.get(look)
            if name is None:
                name = self._styles[look] = f"VB {look.size:g}{'b' * look.bold}{'i' * look.italic}{'u' * look.underline}"
                st = self.doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
                st.font.name, st.font.size = "Times New Roman", Pt(look.size)
                st.font.bold, st.font.italic, st.font.underline = look.bold, look.italic, look.underline
            return p.add_run(text, style=name)
        r = p.add_run(text)
        r.font.name, r.font.size = "Times New Roman", Pt(look.size)
        r.font.bold, r.font.italic, r.font.underline = look.bold, look.italic, look.underline
        return r

    def lines(self, where, lines: list[Line], align=CENTER) -> None:
        """*lines* into *where* (a cell or the document): paragraphs, or one paragraph with line breaks."""
        if self.t.breaks:
            p = where.add_paragraph()
            p.alignment = align
            for i, line in enumerate(lines):
                r = self.run(p, line.text, line.look)
                if i < len(lines) - 1:
                    r.add_break()
            return
        for line in lines:
            p = where.add_paragraph()
            p.alignment = align
            self.run(p, line.text, line.look)

    def table(self, cols: int, widths: tuple[float, ...]):
        table = self.doc.add_table(rows=1, cols=cols)
        table.autofit = False
        for col, w in zip(table.columns, widths, strict=True):
            col.width = Mm(w)
        for cell, w in zip(table.rows[0].cells, widths, strict=True):
            cell.width = Mm(w)
            cell._tc.remove(cell.paragraphs[0]._p)
        return table.rows[0].cells

    def build(self, kid: str, profile: str, path: Path) -> Path:
        kind, m = KINDS[kid], self.m
        left, right = self.table(2, (80, 85))
        head = [Line("ĐẢNG BỘ TỈNH BÌNH THUẬN", R14), Line("HUYỆN ỦY HÀM THUẬN BẮC", R14 if m == "issuer-regular" else B14)]
        if m != "no-star":
            head.append(Line("*"))
        head.append(Line(f"Số 12-{kind.code}/HU", R14))
        self.lines(left, head)
        if kid == "cong-van":
            look = Look(12) if m == "cv-subject-upright" else I12
            self.lines(left, [Line(t, look) for t in kind.subject])
        p = right.add_paragraph()
        p.alignment = CENTER
        self.run(p, "ĐẢNG CỘNG SẢN VIỆT NAM", Look(15, True))
        pbdr = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
            bottom.set(qn(k), v)
        pbdr.append(bottom)
        p._p.get_or_add_pPr().append(pbdr)
        date = "ngày 5 tháng 3 năm 2026" if m == "date-unpadded" else "ngày 05 tháng 3 năm 2026"
        self.lines(right, [Line(""), Line(f"Hàm Thuận Bắc, {date}", Look(14, italic=True))])
        self.doc.add_paragraph()
        if kind.title:
            title = list(kind.title)
            if m == "title-size":
                title[0] = Line(title[0].text, Look(14, True))
            if m == "meeting-regular":
                title[1] = Line(title[1].text, R14)
            self.lines(self.doc, title)
            self.lines(self.doc, [Line(t, Look(14, True)) for t in kind.subject] + [Line("-----")])
            self.doc.add_paragraph()
        for line in kind.salutation:
            if kid == "to-trinh" and profile == "hd05-2026":  # 05-HD: a Tờ trình addresses with “Kính trình:”
                line = Line(line.text.replace("Kính gửi:", "Kính trình:"), line.look)
            p = self.doc.add_paragraph()
            p.alignment = CENTER if line.text.startswith("Kính gửi:") and len(kind.salutation) == 1 else WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.left_indent = Mm(0 if line.text.endswith(":") or "gửi" in line.text else 25)
            self.run(p, line.text, line.look)
        for item in kind.body:
            self.body(item)
        self.closing(kind, profile)
        self.doc.save(path)
        return path

    def body(self, item) -> None:
        m = self.m
        if isinstance(item, Line):  # a heading, or the QUYẾT ĐỊNH line and the body above it
            p = self.doc.add_paragraph()
            upper_centred = item.text == "QUYẾT ĐỊNH:" or item.text.startswith("BAN THƯỜNG VỤ")
            p.alignment = (
                (WD_ALIGN_PARAGRAPH.LEFT if m == "enact-left" and item.text == "QUYẾT ĐỊNH:" else CENTER)
                if (upper_centred)
                else JUSTIFY
            )
            self.spacing(p, indent=not upper_centred)
            self.run(p, item.text, item.look)
            return
        p = self.doc.add_paragraph()
        p.alignment = JUSTIFY
        self.spacing(p)
        size = 13 if m == "body-13" else 14
        if isinstance(item, tuple):
            self.run(p, item[0], Look(size, m != "article-regular"))
            self.run(p, " " + item[1], Look(size))
        else:
            self.run(p, item, Look(size))

    @staticmethod
    def spacing(p, indent: bool = True) -> None:
        f = p.paragraph_format
        f.first_line_indent = Mm(10) if indent else Mm(0)
        f.space_after = Pt(6)
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        f.line_spacing = Pt(18)

    def closing(self, kind: Kind, profile: str) -> None:
        m = self.m
        sep = ";" if profile == "hd05-2026" else ","
        recipients = [Line(f"- Như trên{sep}", Look(12)), Line("- Lưu Văn phòng Huyện ủy.", Look(12))]
        label = Line("Nơi nhận:", Look(14, bold=True, underline=True) if m == "label-bold" else Look(14, underline=True))
        signers = [list(s) for s in kind.signers]
        if m == "one-signer":
            signers = signers[:1]
        for block in signers:
            if m == "sign-regular" and block[0].text.startswith("T/M"):
                block[0] = Line(block[0].text, R14)
            if m == "name-regular":
                block[-1] = Line(block[-1].text, R14)
        self.doc.add_paragraph()
        if not kind.recipients:  # a Biên bản: two signers side by side, no Nơi nhận
            if self.t.tabs:
                for i in range(max(len(b) for b in signers) - 1):  # the titles; the names come last
                    p = self.doc.add_paragraph()
                    self.centre_tabs(p, 40, 125)
                    for block in signers:
                        self.doc_tab(p)
                        if i < len(block) - 1:
                            self.run(p, block[i].text, block[i].look)
                for _ in range(3):
                    self.doc.add_paragraph()
                p = self.doc.add_paragraph()
                self.centre_tabs(p, 40, 125)
                for block in signers:
                    self.doc_tab(p)
                    self.run(p, block[-1].text, block[-1].look)
                return
            cells = self.table(len(signers), (82,) * len(signers) if len(signers) > 1 else (165,))
            for cell, block in zip(cells, signers, strict=True):
                self.lines(cell, [*block[:-1], Line(""), Line(""), Line(""), block[-1]])
            return
        sign = signers[0]
        if self.t.tabs:
            # Nơi nhận on the left, the signer on the right, one line each, separated by tabs.
            left = [label, *recipients]
            right = [sign[0], sign[1], Line(""), Line(""), Line(""), sign[2]]
            for i in range(max(len(left), len(right))):
                p = self.doc.add_paragraph()
                self.centre_tabs(p, 120)
                if i < len(left):
                    self.run(p, left[i].text, left[i].look)
                if i < len(right) and right[i].text:
                    self.doc_tab(p)
                    self.run(p, right[i].text, right[i].look)
            return
        cl, cr = self.table(2, (80, 85))
        self.lines(cl, [label], align=WD_ALIGN_PARAGRAPH.LEFT)
        self.lines(cl, recipients, align=WD_ALIGN_PARAGRAPH.LEFT)
        self.lines(cr, [sign[0], sign[1], Line(""), Line(""), Line(""), sign[2]])

    @staticmethod
    def centre_tabs(p, *at_mm: float) -> None:
        for x in at_mm:
            p.paragraph_format.tab_stops.add_tab_stop(Mm(x), WD_TAB_ALIGNMENT.CENTER)

    @staticmethod
    def doc_tab(p) -> None:
        p.add_run().add_tab()


def _build(tmp_path, kid: str, typing: Typing, profile: str, mistake: str | None = None) -> Path:
    name = f"{kid}-{int(typing.breaks)}{int(typing.styles)}{int(typing.tabs)}-{profile}-{mistake or 'ok'}.docx"
    return Builder(typing, mistake).build(kid, profile, tmp_path / name)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("kid", list(KINDS))
def test_correct_documents_typed_in_word_have_no_findings(tmp_path, ref, kid, profile):
    for typing in TYPINGS:
        path = _build(tmp_path, kid, typing, profile)
        findings = check_docx(path, ref.profile(profile), ref)
        assert [f.line() for f in findings] == [], (kid, typing)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(("kid", "mistake"), [(k, m) for m in MISTAKES for k in m.kinds], ids=lambda v: getattr(v, "what", v))
def test_every_planted_mistake_is_found(tmp_path, ref, kid, mistake, profile):
    for typing in (TYPINGS[0], TYPINGS[-1]):  # paragraphs, direct formatting, a table; breaks, styles, tabs
        path = _build(tmp_path, kid, typing, profile, mistake.what)
        findings = check_docx(path, ref.profile(profile), ref)
        errors = [f for f in findings if f.severity == "error"]
        assert any(f.rule == mistake.rule for f in errors), (kid, typing, mistake, [f.line() for f in findings])
        # The mistake is found where it is, not as a cascade of unrelated errors.
        assert {f.rule for f in errors} <= {mistake.rule, "co-quan.cap-tren", "noi-dung.co-chu"}, [f.line() for f in errors]


def test_line_breaks_in_header_and_sign_off_are_read_as_lines(tmp_path, ref):
    """The three false errors of a Word-typed document with Shift+Enter: no “*”, signing line not bold, the
    position rule applied to the name."""
    path = _build(tmp_path, "nghi-quyet", Typing(breaks=True, styles=False, tabs=False), "hd36-2018")
    d = docx.Document(str(path))
    texts = [p.text for t in d.tables for c in t.rows[0].cells for p in c.paragraphs]
    assert "ĐẢNG BỘ TỈNH BÌNH THUẬN\nHUYỆN ỦY HÀM THUẬN BẮC\n*\nSố 12-NQ/HU" in texts
    assert "T/M BAN CHẤP HÀNH\nBÍ THƯ\n\n\n\nNguyễn Văn An" in texts
    assert check_docx(path, ref.profile("hd36-2018"), ref) == []


def test_a_finding_names_the_paragraph_not_the_line(tmp_path, ref):
    path = _build(tmp_path, "quyet-dinh", Typing(breaks=True, styles=False, tabs=False), "hd36-2018", "issuer-regular")
    [finding] = check_docx(path, ref.profile("hd36-2018"), ref)
    assert finding.paragraph == 1 and finding.text == "HUYỆN ỦY HÀM THUẬN BẮC"


def test_vanban_check_on_the_corpus(tmp_path):
    """The command line: a correct Công văn typed with breaks and tabs passes; with a mistake it fails, located."""
    from click.testing import CliRunner

    from generator.cli.app import main

    typing = Typing(breaks=True, styles=True, tabs=True)
    good = _build(tmp_path, "cong-van", typing, "hd05-2026")
    bad = _build(tmp_path, "cong-van", typing, "hd05-2026", "cv-subject-upright")
    result = CliRunner().invoke(main, ["check", str(good), "--profile", "hd05-2026"])
    assert result.exit_code == 0 and "0 error(s), 0 warning(s)" in result.output, result.output
    result = CliRunner().invoke(main, ["check", str(bad), "--profile", "hd05-2026", "--format", "json"])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)[0]["findings"]
    assert {f["rule"] for f in findings} == {"trich-yeu.cong-van"}
    assert [f["text"] for f in findings] == ["V/v tổ chức hội nghị sơ kết", "công tác xây dựng Đảng"]
    assert {f["paragraph"] for f in findings} == {2}  # both lines of the left header cell's one paragraph


def test_the_kind_from_the_properties_vanban_writes(tmp_path, ref):
    """A Công văn with neither Kính gửi nor V/v is known as one from the title vanban writes in its properties."""
    path = _build(tmp_path, "cong-van", TYPINGS[0], "hd36-2018")
    d = docx.Document(str(path))
    for p in d.paragraphs:
        if _SAL.match(p.text) or p.text.startswith("-"):
            p._p.getparent().remove(p._p)
    for cell in d.tables[0].rows[0].cells:
        for p in cell.paragraphs:
            for r in p.runs:
                r.text = r.text.replace("V/v ", "")
    d.save(str(path))
    rules = {f.rule for f in check_docx(path, ref.profile("hd36-2018"), ref)}
    assert "ten-loai" in rules  # nothing says it is a Công văn
    d.core_properties.keywords = "vanban-profile:hd36-2018"
    d.core_properties.title = "Công văn tổ chức hội nghị sơ kết công tác xây dựng Đảng"
    d.save(str(path))
    assert check_docx(path, ref.profile("hd36-2018"), ref) == []
