"""What issue 14 left for every kind: the ``Điều 1:`` label, the Quy chế's caption from the one citation, more than
two signers, documents without a date, headings that never end a page, a Bản sao of any DOCX, the checker clean on
our own output. Each test renders real documents and reads them back (python-docx, pypdf, ``vanban check``)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from generator.inspect.check import check_docx
from generator.inspect.docx_inspect import Inspector
from generator.kinds import render_document
from generator.services.documents import load_document

from .conftest import ROOT

DECISION = ROOT / "samples" / "quyet-dinh-quy-che" / "quyet-dinh.yaml"
REGULATION = ROOT / "samples" / "quy-dinh" / "quy-dinh.yaml"
QUY_CHE = ROOT / "samples" / "quyet-dinh-quy-che" / "quy-che.yaml"
MINUTES = ROOT / "samples" / "bien-ban" / "bien-ban.yaml"


def _load(path: Path, ref, **update):
    doc = load_document(path, ref).plan
    return doc.model_copy(update=update) if update else doc


def _docx(doc, ref):
    return docx.Document(io.BytesIO(render_document(doc, ref)))


def _texts(d) -> list[str]:
    cells = [p.text for t in d.tables for c in t._cells for p in c.paragraphs]
    return [p.text for p in d.paragraphs] + cells


def _check(data: bytes, ref, tmp_path: Path, profile):
    path = tmp_path / "out.docx"
    path.write_bytes(data)
    return check_docx(path, profile, ref)


def _profile(ref, pid: str = "hd36-2018", **layout):
    p = ref.profile(pid)
    return p.model_copy(
        update={"id": f"test-{len(layout)}-{abs(hash(str(layout)))}", "layout": p.layout.model_copy(update=layout)}
    )


# --------------------------------------------------------------------------- Điều 1: (colon)


def test_article_label_with_a_colon_chosen_by_the_document(ref):
    d = _docx(_load(DECISION, ref, article_separator=":"), ref)
    ins = Inspector(d)
    labels = [p for p in d.paragraphs if p.text.startswith("Điều ")]
    assert labels and all(p.text.split()[1].endswith(":") for p in labels)
    # the attachment follows the Quyết định's choice unless it makes its own
    assert any(p.text.startswith("Điều 5: Trách nhiệm thi hành") for p in labels)
    first = labels[0]
    assert ins.runs(first)[0].bold and first.runs[0].text.strip() == "Điều 1:"


def test_article_label_default_is_a_full_stop(ref):
    d = _docx(_load(REGULATION, ref), ref)
    assert [p.text[:7] for p in d.paragraphs if p.text.startswith("Điều ")] == ["Điều 1.", "Điều 2.", "Điều 3."]


def test_checker_accepts_the_colon_only_where_it_is_configured(ref, tmp_path):
    from generator.kinds import kind
    from generator.render.engine import render_document as render_with

    doc = _load(REGULATION, ref)
    colon = _profile(ref, article_separator=":")
    k = kind(doc.type, ref)
    data = render_with(doc, k.doc_type, colon, k.template, kind_view=k.view_for(ref))
    d = docx.Document(io.BytesIO(data))
    assert any(p.text.startswith("Điều 1:") for p in d.paragraphs)  # the profile's choice, printed
    assert [f for f in _check(data, ref, tmp_path, colon) if f.rule == "dieu.nhan"] == []
    wrong = [f for f in _check(data, ref, tmp_path, ref.profile("hd36-2018")) if f.rule == "dieu.nhan"]
    assert len(wrong) == 3 and "Điều 1:" in wrong[0].found


# --------------------------------------------------------------------------- the Quy chế's caption, one citation


def test_caption_of_a_regulation_rendered_alone_is_the_decisions_citation(ref):
    reg = _load(QUY_CHE, ref)
    issued = {"number": 15, "issuer_code": "ĐUB", "date": "2026-03-05", "issuer": "Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ"}
    alone = reg.model_copy(update={"issued_with": type(reg).model_fields["issued_with"].annotation.__args__[0](**issued)})
    texts = _texts(_docx(alone, ref))
    want = "(Ban hành kèm theo Quyết định số 15-QĐ/ĐUB, ngày 05/3/2026 của Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ)"
    assert want in texts
    # the same words as the caption the Quyết định prints over it (one source)
    assert want in _texts(_docx(_load(DECISION, ref), ref))
    # under a profile without the citation comma, both drop it
    quan_doi = _texts(_docx(alone.model_copy(update={"profile": "quan-doi"}), ref))
    assert any(t.startswith("(Ban hành kèm theo Quyết định số 15-QĐ/ĐUB ngày 05/3/2026") for t in quan_doi)


# --------------------------------------------------------------------------- the checker on our own output

#: Every sample document that .ci/render-samples renders, by its YAML.
SAMPLES = sorted(
    p for p in (ROOT / "samples").glob("*/*.yaml") if p.with_suffix(".docx").is_file() and p.parent.name != "ke-hoach-41-ct-tw"
) + [ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml"]


def test_every_sample_is_listed():
    assert len(SAMPLES) >= 17 and REGULATION in SAMPLES and MINUTES in SAMPLES


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name + "/" + p.stem)
def test_check_on_every_sample_under_its_profile_is_clean(sample, ref, tmp_path):
    doc = _load(sample, ref)
    findings = _check(render_document(doc, ref), ref, tmp_path, ref.profile(doc.profile))
    assert [f.line() for f in findings] == []


def test_a_regulation_issued_with_a_decision_needs_no_noi_nhan_of_its_own(ref, tmp_path):
    reg = _load(QUY_CHE, ref)
    data = render_document(reg, ref)
    assert [f.rule for f in _check(data, ref, tmp_path, ref.profile("hd36-2018"))] == ["noi-nhan.nhan"]  # on its own
    issued = type(reg).model_fields["issued_with"].annotation.__args__[0](number=15, issuer_code="ĐUB", date="2026-03-05")
    data = render_document(reg.model_copy(update={"issued_with": issued}), ref)
    assert _check(data, ref, tmp_path, ref.profile("hd36-2018")) == []


def test_division_headings_are_checked_as_headings_not_body_paragraphs(ref, tmp_path):
    d = _docx(_load(REGULATION, ref), ref)
    chapter = next(p for p in d.paragraphs if p.text.startswith("Chương II"))
    assert chapter.text == "Chương II\nTỔ CHỨC THỰC HIỆN"  # one paragraph, a line break between
    ins = Inspector(d)
    assert ins.paragraph(chapter).keep_next and chapter.paragraph_format.keep_together is not False
    # a planted mistake: the heading left-aligned and not bold
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    chapter.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for r in chapter.runs:
        r.font.bold = False
    out = io.BytesIO()
    d.save(out)
    found = _check(out.getvalue(), ref, tmp_path, ref.profile("hd36-2018"))
    assert {f.rule for f in found} == {"quy-dinh.chuong"}
    assert [f.text for f in found] == ["Chương II", "TỔ CHỨC THỰC HIỆN"]


# --------------------------------------------------------------------------- headings never end a page

_HEADING_STYLES = ("VB Chương", "VB Điều", "VB Mục 1", "VB Mục 2", "VB Mục 3", "VB Giữa đậm")


def _heading_lines(d) -> set[str]:
    """The lines of the headings of *d* (a Chương and its name, a titled Điều, a plan's I., 1., a) …)."""
    out: set[str] = set()
    for p in d.paragraphs:
        if p.style is not None and p.style.name in _HEADING_STYLES:
            out.update(" ".join(line.split()) for line in p.text.split("\n") if line.strip())
    return out


def _last_lines(pdf: Path) -> list[str]:
    import pypdf

    pages = [p.extract_text() or "" for p in pypdf.PdfReader(pdf).pages]
    return [" ".join(([ln for ln in text.splitlines() if ln.strip()] or [""])[-1].split()) for text in pages[:-1]]


def _assert_no_heading_ends_a_page(docx_path: Path, pdf: Path) -> None:
    headings = _heading_lines(docx.Document(docx_path))
    ends = _last_lines(pdf)
    assert [line for line in ends if line in headings] == [], f"{pdf.name}: a page ends with a heading"


@pytest.mark.parametrize("pdf", sorted((ROOT / "samples").rglob("*.pdf")), ids=lambda p: p.stem)
def test_no_heading_is_the_last_line_of_a_page_in_a_committed_sample(pdf):
    _assert_no_heading_ends_a_page(pdf.with_suffix(".docx"), pdf)


def test_the_quy_dinh_chapter_starts_page_2_with_its_first_article(cli, tmp_path):
    result = cli("render", str(REGULATION), "-o", str(tmp_path), "--pdf")
    assert result.exit_code == 0, result.output
    _assert_no_heading_ends_a_page(tmp_path / "quy-dinh.docx", tmp_path / "quy-dinh.pdf")
    import pypdf

    pages = [p.extract_text() for p in pypdf.PdfReader(tmp_path / "quy-dinh.pdf").pages]
    assert "Chương II" not in pages[0] and "Chương II" in pages[1]


# --------------------------------------------------------------------------- more than two signers

THONG_TRI = ROOT / "samples" / "thong-tri" / "thong-tri.yaml"


def _signers(n: int):
    from generator.model.document import SignOff

    people = [
        SignOff(form="T/M", authority="Ban Thường vụ Đoàn Thanh niên", position="Bí thư", name="Lê Văn Ba"),
        SignOff(form="T/M", authority="Ban Thường vụ Hội Cựu chiến binh", position="Chủ tịch", name="Phạm Văn Bốn"),
        SignOff(position="Chủ tịch Hội Phụ nữ", name="Nguyễn Thị Năm"),
        SignOff(form="T/M", authority="Ban Thường vụ", position="Phó Bí thư", name="Trần Văn Hòa"),
    ]
    return people[:2] + people[4 - (n - 2) :] if n > 2 else people[4 - n :]


def _signer_table(d):
    return next(t for t in d.tables if any("Trần Văn Hòa" in c.text for c in t._cells))


def _cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text.strip()]


@pytest.mark.parametrize("n", [3, 4])
def test_three_and_four_signers_two_a_row(ref, tmp_path, n):
    doc = _load(THONG_TRI, ref, signoff=None, signers=_signers(n))
    data = render_document(doc, ref)
    d = docx.Document(io.BytesIO(data))
    table = _signer_table(d)
    rows = [[_cell_lines(c) for c in r.cells] for r in table.rows]
    assert len(rows) == 2
    assert rows[0] == [
        ["T/M BAN THƯỜNG VỤ ĐOÀN THANH NIÊN", "BÍ THƯ", "Lê Văn Ba"],
        ["T/M BAN THƯỜNG VỤ HỘI CỰU CHIẾN BINH", "CHỦ TỊCH", "Phạm Văn Bốn"],
    ]
    last = ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Văn Hòa"]
    assert rows[1] == ([[], last] if n == 3 else [["CHỦ TỊCH HỘI PHỤ NỮ", "Nguyễn Thị Năm"], last])
    if n == 4:  # a blank line where the neighbour has its T/M line: the positions stand level
        left = [p.text for p in table.rows[1].cells[0].paragraphs]
        right = [p.text for p in table.rows[1].cells[1].paragraphs]
        assert left.index("CHỦ TỊCH HỘI PHỤ NỮ") == right.index("PHÓ BÍ THƯ")
    # Nơi nhận below the signers, not beside them
    body_texts = [p.text for p in d.paragraphs]
    assert "Nơi nhận:" in body_texts
    assert _check(data, ref, tmp_path, ref.profile(doc.profile)) == []


def test_every_signer_is_checked(ref, tmp_path):
    doc = _load(THONG_TRI, ref, signoff=None, signers=_signers(3))
    d = _docx(doc, ref)
    table = _signer_table(d)
    name = next(p for p in table.rows[1].cells[1].paragraphs if p.text == "Trần Văn Hòa")
    for r in name.runs:
        r.font.bold = False  # a planted mistake in the third signer's block
    out = io.BytesIO()
    d.save(out)
    found = _check(out.getvalue(), ref, tmp_path, ref.profile("hd36-2018"))
    assert [(f.rule, f.text) for f in found] == [("ky.ho-ten", "Trần Văn Hòa")]


def test_one_signer_keeps_noi_nhan_beside_it(ref):
    d = _docx(_load(THONG_TRI, ref), ref)
    closing = _signer_table(d)
    assert len(closing.rows) == 1 and closing.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"


def test_a_regulation_and_a_minutes_with_three_signers(ref, tmp_path):
    reg = _load(REGULATION, ref, signoff=None, signers=_signers(3))
    data = render_document(reg, ref)
    assert [len(_cell_lines(c)) for c in _signer_table(docx.Document(io.BytesIO(data))).rows[1].cells] == [0, 3]
    assert _check(data, ref, tmp_path, ref.profile(reg.profile)) == []
    from generator.model.document import SignOff

    three = [
        SignOff(position="Thư ký", name="Trần Thị Minh Hà"),
        SignOff(position="Đại diện chi bộ", name="Lê Văn Ba"),
        SignOff(position="Chủ trì hội nghị", name="Trần Văn Hòa"),
    ]
    m = _load(MINUTES, ref, signoff=None, signers=three)
    data = render_document(m, ref)
    rows = [[_cell_lines(c) for c in r.cells] for r in _signer_table(docx.Document(io.BytesIO(data))).rows]
    assert rows == [
        [["THƯ KÝ", "Trần Thị Minh Hà"], ["ĐẠI DIỆN CHI BỘ", "Lê Văn Ba"]],
        [[], ["CHỦ TRÌ HỘI NGHỊ", "Trần Văn Hòa"]],
    ]
    assert [f for f in _check(data, ref, tmp_path, ref.profile(m.profile)) if f.severity == "error"] == []


def test_signers_and_signoff_together_is_a_located_error(tmp_path, cli):
    text = THONG_TRI.read_text(encoding="utf-8") + "signers:\n  - {position: Bí thư, name: Lê Văn Ba}\n"
    (tmp_path / "tt.yaml").write_text(text, encoding="utf-8")
    result = cli("render", str(tmp_path / "tt.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "tt.yaml" in result.output and "signers" in result.output


# --------------------------------------------------------------------------- no date, a year alone

NGHI_QUYET = ROOT / "samples" / "nghi-quyet" / "nghi-quyet.yaml"


def _header_table(d):
    return d.tables[0]


def test_a_document_with_no_date_prints_no_place_and_date_line(ref, tmp_path, cli):
    text = NGHI_QUYET.read_text(encoding="utf-8")
    import re

    undated = re.sub(r"^(\s+)date: .*$", r"\1date: null", text, count=1, flags=re.M)
    assert undated != text
    (tmp_path / "nq.yaml").write_text(undated, encoding="utf-8")
    result = cli("render", str(tmp_path / "nq.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    d = docx.Document(tmp_path / "nq.docx")
    header = _header_table(d)
    assert len(header.rows) == 2 and len(header.columns) == 2  # the table keeps its shape
    assert [p.text for p in header.rows[1].cells[1].paragraphs] == [""]  # no “…, ngày … tháng … năm …”
    assert not any("ngày" in t and "tháng" in t and "năm" in t for t in _texts(d)[:20])
    assert header.rows[1].cells[0].paragraphs[0].text.startswith("Số ")
    # the checker does not ask for a date the document says it has not
    result = cli("check", str(tmp_path / "nq.docx"))
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output
    # …but a date line removed by hand from a dated document is still reported
    dated = _docx(_load(NGHI_QUYET, ref), ref)
    cell = _header_table(dated).rows[1].cells[1]
    for r in cell.paragraphs[0].runs:
        r.text = ""
    out = io.BytesIO()
    dated.save(out)
    assert [f.rule for f in _check(out.getvalue(), ref, tmp_path, ref.profile("hd36-2018"))] == ["ngay-thang"]


def test_a_date_missing_from_the_yaml_is_still_an_error(tmp_path, cli):
    import re

    text = re.sub(r"^\s+date: .*\n", "", NGHI_QUYET.read_text(encoding="utf-8"), count=1, flags=re.M)
    (tmp_path / "nq.yaml").write_text(text, encoding="utf-8")
    result = cli("render", str(tmp_path / "nq.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 1 and "Traceback" not in result.output and "date" in result.output


def test_a_date_that_is_only_a_year(ref, tmp_path):
    from generator.lang import vn

    doc = _load(NGHI_QUYET, ref)
    doc = doc.model_copy(
        update={"header": doc.header.model_copy(update={"date": _load(NGHI_QUYET, ref).header.date.__class__(2026, None)})}
    )
    data = render_document(doc, ref)
    d = docx.Document(io.BytesIO(data))
    line = _header_table(d).rows[1].cells[1].paragraphs[0].text
    assert line == f"{doc.header.place}, ngày{vn.BLANK}tháng{vn.BLANK}năm 2026"
    assert _check(data, ref, tmp_path, ref.profile(doc.profile)) == []


# --------------------------------------------------------------------------- a Bản sao of a received DOCX

COPY_YAML = """type: ban-sao
profile: hd36-2018
original: {original}
form: sao-luc
new_page: {new_page}
header:
  superior: Đảng ủy Ban Cơ yếu Chính phủ
  issuer: Văn phòng Đảng ủy Ban
  issuer_code: VPĐUB
  number: 25
  place: Hà Nội
  date: 2026-03-09
recipients:
  - Các đảng ủy, chi bộ trực thuộc
archive: [Văn phòng Đảng ủy Ban]
signoff: {{form: T/L, authority: Ban Thường vụ, position: Chánh Văn phòng, name: Trần Thị Minh Hà}}
"""


def _received(path: Path) -> Path:
    """A document typed in Word by another office: its own styles (Calibri, spacing), a numbered list, a table."""
    d = docx.Document()
    d.add_heading("TỈNH ỦY THÁI BÌNH", 1)
    d.add_paragraph("Số 445-KL/TU")
    d.add_paragraph("Mục một của văn bản nhận được", style="List Number")
    d.add_paragraph("Mục hai của văn bản nhận được", style="List Number")
    t = d.add_table(rows=2, cols=2)
    t.style = "Table Grid"
    t.cell(0, 0).text = "Đơn vị"
    d.add_paragraph("Đoạn cuối của văn bản gốc.")
    d.save(path)
    return path


def _copy_of(tmp_path: Path, cli, original: str = "nhan.docx", new_page: str = "false"):
    (tmp_path / "sao.yaml").write_text(COPY_YAML.format(original=original, new_page=new_page), encoding="utf-8")
    return cli("render", str(tmp_path / "sao.yaml"), "-o", str(tmp_path), "--force")


def test_copy_of_a_received_docx_keeps_its_body_and_adds_the_copy_block(tmp_path, cli):
    from lxml import etree

    received = docx.Document(_received(tmp_path / "nhan.docx"))
    result = _copy_of(tmp_path, cli)
    assert result.exit_code == 0, result.output
    out = docx.Document(tmp_path / "sao.docx")
    body = [el for el in received.element.body if not el.tag.endswith("sectPr")]
    # the original's body copied as it is, element for element, then the block
    assert [etree.tostring(el) for el in out.element.body[: len(body)]] == [etree.tostring(el) for el in body]
    texts = _texts(out)
    assert texts[:4] == ["TỈNH ỦY THÁI BÌNH", "Số 445-KL/TU", "Mục một của văn bản nhận được", "Mục hai của văn bản nhận được"]
    for line in ("SAO LỤC", "VĂN PHÒNG ĐẢNG ỦY BAN", "Số 25-BS/VPĐUB", "Hà Nội, ngày 09 tháng 3 năm 2026", "T/L BAN THƯỜNG VỤ"):
        assert line in texts
    # the numbered list still numbered; the block keeps its own look over the received document's defaults
    assert out.paragraphs[2].style.name == "List Number"
    ins = Inspector(out)
    issuer = next(p for t in out.tables for c in t._cells for p in c.paragraphs if p.text == "VĂN PHÒNG ĐẢNG ỦY BAN")
    look = ins.runs(issuer)[0]
    assert (look.font, look.size_pt, look.bold) == ("Times New Roman", 14, True)
    line = next(p for t in out.tables for c in t._cells for p in c.paragraphs if p.text.startswith("- Các đảng ủy"))
    assert ins.runs(line)[0].size_pt == 12 and ins.paragraph(line).space_after_pt == 0
    assert out.core_properties.keywords == "vanban-profile:hd36-2018"


def test_copy_block_on_a_new_page_when_asked(tmp_path, cli):
    import pypdf

    _received(tmp_path / "nhan.docx")
    (tmp_path / "sao.yaml").write_text(COPY_YAML.format(original="nhan.docx", new_page="true"), encoding="utf-8")
    result = cli("render", str(tmp_path / "sao.yaml"), "-o", str(tmp_path), "--force", "--pdf")
    assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in pypdf.PdfReader(tmp_path / "sao.pdf").pages]
    assert len(pages) == 2 and "Đoạn cuối của văn bản gốc." in pages[0] and "SAO LỤC" in pages[1]
    assert "SAO LỤC" not in pages[0]


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("nhan.pdf", b"%PDF-1.4\n", "PDF"),
        ("hong.docx", b"not a zip", "hong.docx"),
        ("khong-co.docx", None, "khong-co.docx"),
    ],
)
def test_copy_of_a_pdf_or_a_broken_docx_is_refused_with_a_message(tmp_path, cli, name, content, said):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = _copy_of(tmp_path, cli, original=name)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert said in result.output and "sao.yaml" in result.output
    assert not (tmp_path / "sao.docx").exists()


# --------------------------------------------------------------------------- every rule documented


def _emitted_rule_ids() -> set[str]:
    """Every rule id the checker (and the text rules it shares with lint) can report: the literal ids in their
    source, and every rule of every profile (a profile's rule is reported under its id)."""
    import re

    import yaml

    ids: set[str] = set()
    for path in (ROOT / "generator" / "inspect" / "check.py", ROOT / "generator" / "lang" / "textcheck.py"):
        text = path.read_text(encoding="utf-8")
        ids |= set(re.findall(r"""(?:report|style_check|rule|TextFinding)\(\s*["']([a-z][a-z0-9.-]+)["']""", text))
        ids |= set(re.findall(r"""^\s+["']((?:van-ban)\.[a-z0-9-]+)["'],?$""", text, flags=re.M))
    for profile in (ROOT / "data" / "rules").glob("*.yaml"):
        ids |= set(yaml.safe_load(profile.read_text(encoding="utf-8")).get("rules") or {})
    return ids


def test_every_rule_the_checker_can_emit_is_documented_with_its_tag(ref):
    import re

    doc = (ROOT / "docs" / "format-rules.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z][a-z0-9.-]+)` \|.*?\| \[([CSU])\] \|", doc, flags=re.M))
    ids = _emitted_rule_ids()
    assert {"quy-dinh.chuong", "dieu.nhan", "ky.bien-ban", "trich-yeu.cong-van", "van-ban.ngay-so-0"} <= ids
    assert sorted(ids - set(rows)) == []
    for rid in ids:  # the tag documented is the tag the profile gives
        rule = ref.profile("hd36-2018").rules.get(rid)
        assert rule is not None, rid
        assert rows[rid] == rule.tag, rid


def test_a_caption_naming_an_unknown_type_is_a_located_error(tmp_path, cli):
    text = QUY_CHE.read_text(encoding="utf-8") + "issued_with: {type: khong-co, number: 15, issuer_code: ĐUB}\n"
    (tmp_path / "qc.yaml").write_text(text, encoding="utf-8")
    result = cli("render", str(tmp_path / "qc.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "qc.yaml" in result.output and "issued_with.type" in result.output and "khong-co" in result.output


def test_the_biên_bản_signers_never_stand_alone_on_a_page():
    import pypdf

    pages = [p.extract_text() for p in pypdf.PdfReader(MINUTES.with_suffix(".pdf")).pages]
    last = next(p for p in pages if "NGƯỜI GHI BIÊN BẢN" in p)
    assert "Hội nghị kết thúc vào lúc" in last  # the closing line keeps with the signatures
