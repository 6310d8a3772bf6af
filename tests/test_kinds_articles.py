"""The article-shaped kinds (Quyết định with its adopted Quy chế, Quy định) and the Biên bản: rendered from their
samples, read back with python-docx for their EFFECTIVE formatting and with pypdf for their pages."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from generator.inspect.check import check_docx
from generator.inspect.docx_inspect import Inspector
from generator.kinds import render_document
from generator.services.documents import load_document

from .conftest import ROOT

DECISION = ROOT / "samples" / "quyet-dinh-quy-che" / "quyet-dinh.yaml"
REGULATION = ROOT / "samples" / "quy-dinh" / "quy-dinh.yaml"
MINUTES = ROOT / "samples" / "bien-ban" / "bien-ban.yaml"


def _render(path: Path, ref, profile: str | None = None) -> bytes:
    doc = load_document(path, ref).plan
    if profile:
        doc = doc.model_copy(update={"profile": profile})
    return render_document(doc, ref)


@pytest.fixture(scope="module")
def decision(ref):
    return docx.Document(io.BytesIO(_render(DECISION, ref)))


def _runs(ins, p):
    """(text, effective look) of each run of *p* that prints something."""
    return [(r.text, look) for r, look in zip(p.runs, ins.runs(p), strict=True) if r.text.strip()]


def _para(doc, text: str):
    # a Chương heading is one paragraph of two lines ("Chương II" / its name): found by either line
    return next(p for p in doc.paragraphs if text == p.text.strip() or text in p.text.split("\n"))


def test_decision_grounds_end_with_semicolons_and_the_last_with_a_comma(decision):
    grounds = [p.text for p in decision.paragraphs if p.text.startswith("- Căn cứ") or p.text.startswith("- Xét")]
    assert len(grounds) == 4
    assert all(g.endswith(";") for g in grounds[:-1]) and grounds[-1].endswith(",")
    assert grounds[0] == "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"


def test_enacting_body_and_quyet_dinh_line_are_centred_bold(decision):
    ins = Inspector(decision)
    texts = [p.text for p in decision.paragraphs]
    at = texts.index("QUYẾT ĐỊNH:")
    assert texts[at - 1] == "BAN THƯỜNG VỤ ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ"  # the signing authority + the issuer
    for p in (decision.paragraphs[at - 1], decision.paragraphs[at]):
        assert ins.paragraph(p).alignment == "center"
        assert all(look.bold and look.size_pt == 14 for _t, look in _runs(ins, p))


def test_article_label_bold_and_its_text_regular(decision):
    ins = Inspector(decision)
    for n in (1, 2, 3):
        p = next(p for p in decision.paragraphs if p.text.startswith(f"Điều {n}."))
        runs = _runs(ins, p)
        assert runs[0][0].strip() == f"Điều {n}." and runs[0][1].bold
        assert all(not look.bold for _t, look in runs[1:]) and len(runs) > 1
        assert ins.paragraph(p).alignment == "both"


def test_nơi_nhan_starts_with_nhu_dieu_3(decision):
    lines = [p.text for t in decision.tables for c in t._cells for p in c.paragraphs]
    assert lines[lines.index("Nơi nhận:") + 1] == "- Như Điều 3,"


def test_attachment_on_a_new_page_with_its_own_heading_and_page_numbers_restarting(decision, ref):
    body = decision.element.body
    sects = body.findall(".//" + qn("w:sectPr"))
    assert len(sects) == 2  # the decision, then the adopted Quy chế in a section of its own
    attached = decision.sections[1]
    assert attached._sectPr.find(qn("w:type")) is None or attached._sectPr.find(qn("w:type")).get(qn("w:val")) == "nextPage"
    pg = attached._sectPr.find(qn("w:pgNumType"))
    assert pg is not None and pg.get(qn("w:start")) == "1"  # profile hd36-2018: appendix_page_numbers: restart
    ins = Inspector(decision)
    title = _para(decision, "QUY CHẾ")
    look = ins.paragraph(title)
    assert look.alignment == "center" and all(lk.bold for _t, lk in _runs(ins, title))
    caption = _para(
        decision,
        "(Ban hành kèm theo Quyết định số 15-QĐ/ĐUB, ngày 05/3/2026 của Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ)",
    )
    assert all(lk.italic and not lk.bold for _t, lk in _runs(ins, caption))
    # the attachment's own header block: issuer bold, and the tiêu đề
    heads = [c.paragraphs[0].text for t in decision.tables for c in t.rows[0].cells]
    assert heads.count("ĐẢNG CỘNG SẢN VIỆT NAM") == 2
    # articles numbered through the Quy chế; chapter label and name centred bold
    chapter = _para(decision, "Chương II")
    assert ins.paragraph(chapter).alignment == "center" and _runs(ins, chapter)[0][1].bold
    assert _para(decision, "Điều 5. Trách nhiệm thi hành")


def test_attachment_page_numbers_continue_when_the_profile_says_so(ref):
    doc = load_document(DECISION, ref).plan
    profile = ref.profile(doc.profile)
    layout = profile.layout.model_copy(update={"appendix_page_numbers": "continue"})
    cont = profile.model_copy(update={"id": "test-continue", "layout": layout})  # its own compiled template
    from generator.kinds import kind
    from generator.render.engine import render_document as render_with

    k = kind(doc.type, ref)
    out = docx.Document(
        io.BytesIO(render_with(doc, k.doc_type, cont, k.template, kind_view=k.view_for(ref), appendix_view=k.shape.appendix_view))
    )
    assert out.sections[1]._sectPr.find(qn("w:pgNumType")) is None


def test_attachment_pages_in_the_pdf(ref, tmp_path, cli):
    result = cli("render", str(DECISION), "-o", str(tmp_path), "--pdf")
    assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in pypdf.PdfReader(tmp_path / "quyet-dinh.pdf").pages]
    assert len(pages) >= 2
    assert "QUYẾT ĐỊNH:" in pages[0] and "QUY CHẾ" not in pages[0].split("QUYẾT ĐỊNH:")[1].split("Nơi nhận")[0]
    assert "Chương I" not in pages[0]
    first_of_attachment = next(p for p in pages if "QUY CHẾ" in p)
    assert pages.index(first_of_attachment) >= 1
    assert "(Ban hành kèm theo Quyết định số 15-QĐ/ĐUB" in " ".join(first_of_attachment.split())


def test_regulation_parts_chapters_and_articles(ref):
    d = docx.Document(io.BytesIO(_render(REGULATION, ref)))
    texts = [line for p in d.paragraphs for line in p.text.split("\n") if line.strip()]
    for label in ("Phần I", "QUY ĐỊNH CHUNG", "Phần II", "Chương I", "BÁO CÁO ĐỊNH KỲ", "Chương II"):
        assert label in texts
    assert [t.split(".")[0] for t in texts if t.startswith("Điều ")] == ["Điều 1", "Điều 2", "Điều 3"]
    assert "a) báo cáo tháng, gửi trước ngày 20 hằng tháng;" in texts
    assert "- Theo đề nghị của Văn phòng Đảng ủy Ban," in texts
    ins = Inspector(d)
    titled = next(p for p in d.paragraphs if p.text.startswith("Điều 3."))
    assert ins.paragraph(titled).keep_next  # an article's title never ends a page alone


@pytest.fixture(scope="module")
def minutes(ref):
    return docx.Document(io.BytesIO(_render(MINUTES, ref)))


def test_minutes_opening_lines_and_closing_line(minutes):
    texts = [p.text for p in minutes.paragraphs]
    assert "BIÊN BẢN" in texts
    assert "- Thời gian: vào hồi 08 giờ 00 phút, ngày 05 tháng 3 năm 2026." in texts
    assert "- Chủ trì: đồng chí Nguyễn Đăng Lực, Bí thư Đảng ủy Ban." in texts
    assert (
        "- Thành phần: có mặt 08/09 đồng chí Ủy viên Ban Thường vụ; vắng mặt 01 đồng chí: đồng chí Lê Văn Hùng (đi công tác)."
        in texts
    )
    assert any(t.startswith("Hội nghị kết thúc vào lúc 11 giờ 30 phút cùng ngày.") for t in texts)


def test_minutes_two_signers_side_by_side_and_no_noi_nhan(minutes):
    ins = Inspector(minutes)
    signers = minutes.tables[-1]
    assert len(signers.rows) == 1 and len(signers.rows[0].cells) == 2
    left, right = ([p for p in c.paragraphs if p.text.strip()] for c in signers.rows[0].cells)
    assert [p.text for p in left] == ["NGƯỜI GHI BIÊN BẢN", "Trần Thị Minh Hà"]
    assert [p.text for p in right] == ["CHỦ TRÌ HỘI NGHỊ", "Nguyễn Đăng Lực"]
    for p in (left[-1], right[-1]):
        assert ins.paragraph(p).alignment == "center" and all(lk.bold for _t, lk in _runs(ins, p))
    everything = [p.text for t in minutes.tables for c in t._cells for p in c.paragraphs] + [p.text for p in minutes.paragraphs]
    assert not any("Nơi nhận" in t or t.startswith("- Lưu") for t in everything)


@pytest.mark.parametrize("sample", [DECISION, REGULATION, MINUTES])
@pytest.mark.parametrize("profile", ["hd36-2018", "hd05-2026"])
def test_check_finds_no_error(ref, tmp_path, sample, profile):
    path = tmp_path / "out.docx"
    path.write_bytes(_render(sample, ref, profile))
    findings = check_docx(path, ref.profile(profile), ref)
    assert [f for f in findings if f.severity == "error"] == []


def test_attachment_path_that_does_not_exist_is_a_located_error(tmp_path, cli):
    text = DECISION.read_text(encoding="utf-8").replace("attachment: quy-che.yaml", "attachment: khong-co.yaml")
    (tmp_path / "qd.yaml").write_text(text, encoding="utf-8")
    result = cli("render", str(tmp_path / "qd.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "khong-co.yaml" in result.output


def test_an_empty_article_is_a_located_error(tmp_path, cli):
    text = DECISION.read_text(encoding="utf-8").replace("  - text: Quyết định này có hiệu lực kể từ ngày ký.", "  - {}")
    (tmp_path / "qd.yaml").write_text(text, encoding="utf-8")
    result = cli("render", str(tmp_path / "qd.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "qd.yaml:" in result.output and "articles.1" in result.output


def test_an_attachment_of_another_kind_is_a_located_error(tmp_path, cli):
    text = DECISION.read_text(encoding="utf-8").replace("attachment: quy-che.yaml", "attachment: kh.yaml")
    (tmp_path / "qd.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "kh.yaml").write_text((ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml").read_text(encoding="utf-8"))
    result = cli("render", str(tmp_path / "qd.yaml"), "-o", str(tmp_path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("attachment:"))
    assert f"qd.yaml:{line}:" in result.output and "kh.yaml" in result.output


COPY = ROOT / "samples" / "ban-sao" / "ban-sao.yaml"


def _render_copy(ref, profile: str) -> bytes:
    doc = load_document(COPY, ref).plan
    doc = doc.model_copy(update={"profile": profile, "original": doc.original.model_copy(update={"profile": profile})})
    return render_document(doc, ref)


def test_copy_block_under_the_copied_document(ref):
    d = docx.Document(io.BytesIO(_render_copy(ref, "hd36-2018")))
    ins = Inspector(d)
    texts = [p.text for p in d.paragraphs]
    assert "QUYẾT ĐỊNH:" in texts and "QUY CHẾ" in texts  # the copied document, with its attachment
    body = list(d.element.body.iterchildren())
    # the solid line across the text width, after everything of the original, then the copy block
    line = next(
        i
        for i, el in enumerate(body)
        if el.tag == qn("w:p")
        and el.find(".//" + qn("w:pBdr")) is not None
        and not "".join(el.itertext()).strip()
        and i > len(body) // 2
    )
    assert body[line].find(".//" + qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:val")) == "single"
    block, closing = d.tables[-2], d.tables[-1]
    assert block._tbl is body[line + 1]
    left, right = block.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ", "VĂN PHÒNG ĐẢNG ỦY BAN", "*", "Số 24-BS/VPĐUB"]
    form, date = right.paragraphs
    assert form.text == "SAO Y BẢN CHÍNH" and all(lk.bold for _t, lk in _runs(ins, form))
    assert date.text == "Hà Nội, ngày 09 tháng 3 năm 2026" and all(lk.italic for _t, lk in _runs(ins, date))
    signs = [p.text for p in closing.rows[0].cells[1].paragraphs if p.text.strip()]
    assert signs == ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Trần Thị Minh Hà"]
    assert "- Lưu Văn phòng Đảng ủy Ban." in [p.text for p in closing.rows[0].cells[0].paragraphs]


@pytest.mark.parametrize("profile", ["hd36-2018", "hd05-2026"])
def test_check_finds_no_error_in_the_copy(ref, tmp_path, profile):
    path = tmp_path / "copy.docx"
    path.write_bytes(_render_copy(ref, profile))
    assert [f for f in check_docx(path, ref.profile(profile), ref) if f.severity == "error"] == []


def test_a_copy_of_a_copy_is_a_located_error(tmp_path, cli):
    import shutil

    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    twice = tmp_path / "samples" / "ban-sao" / "twice.yaml"
    twice.write_text(COPY.read_text(encoding="utf-8").replace("../quyet-dinh-quy-che/quyet-dinh.yaml", "ban-sao.yaml"))
    result = cli("render", str(twice), "-o", str(tmp_path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "twice.yaml:" in result.output and "ban-sao.yaml" in result.output


@pytest.mark.parametrize("name", ["quyet-dinh", "quy-che", "quy-dinh", "bien-ban", "ban-sao"])
def test_committed_templates_match_their_build(tmp_path, name):
    import importlib.util
    import zipfile

    from generator.io.refdata import templates_dir

    spec = importlib.util.spec_from_file_location("build_templates", templates_dir() / "build_templates.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fresh = zipfile.ZipFile(mod.build(tmp_path / f"{name}.docx", name))
    committed = zipfile.ZipFile(templates_dir() / f"{name}.docx")
    for part in ("word/document.xml", "word/styles.xml"):
        assert fresh.read(part) == committed.read(part), f"{name}: run python doc_templates/build_templates.py"


@pytest.mark.parametrize("n", [2, 3])
def test_attached_quy_che_prints_every_signer_as_alone(ref, tmp_path, n):
    """A Quy chế signed by two or three (a joint one) prints them all two a row after its articles, as it does
    alone; before, only its last signer was printed."""
    import yaml

    folder = tmp_path / "qd"
    folder.mkdir()
    src = DECISION.parent
    reg = yaml.safe_load((src / "quy-che.yaml").read_text(encoding="utf-8"))
    people = [
        {"form": "T/M", "authority": "Ban Thường vụ", "position": "Bí thư", "name": "Nguyễn Đăng Lực"},
        {"position": "Phó Bí thư", "name": "Trần Văn Bình"},
        {"position": "Ủy viên", "name": "Lê Thị Cúc"},
    ][:n]
    reg.pop("signoff", None)
    reg["signers"] = people
    (folder / "quy-che.yaml").write_text(yaml.safe_dump(reg, allow_unicode=True), encoding="utf-8")
    (folder / "quyet-dinh.yaml").write_text((src / "quyet-dinh.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    doc = docx.Document(io.BytesIO(_render(folder / "quyet-dinh.yaml", ref)))
    # the tables after the attachment's caption: its heading block, then its signers
    caption = _para(
        doc, "(Ban hành kèm theo Quyết định số 15-QĐ/ĐUB, ngày 05/3/2026 của Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ)"
    )
    after = [t for t in doc.tables if t._tbl in list(caption._p.itersiblings())]
    assert after, "the attachment's signers are in a table after its caption"
    names = [[p.text for p in c.paragraphs if p.text.strip()] for t in after for r in t.rows for c in r.cells]
    assert [lines[-1] for lines in names if lines] == [p["name"] for p in people]  # every signer, in order
    # two a row: the first two side by side in one row
    first_row = next(r for t in after for r in t.rows if any(p.text == "Nguyễn Đăng Lực" for c in r.cells for p in c.paragraphs))
    left, right = ([p.text for p in c.paragraphs if p.text.strip()] for c in first_row.cells)
    assert left == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Đăng Lực"]
    assert right == ["PHÓ BÍ THƯ", "Trần Văn Bình"]
    if n == 3:  # an odd last one alone on the right
        last = next(r for t in after for r in t.rows if any(p.text == "Lê Thị Cúc" for c in r.cells for p in c.paragraphs))
        assert [p.text for p in last.cells[0].paragraphs if p.text.strip()] == []
        assert [p.text for p in last.cells[1].paragraphs if p.text.strip()] == ["ỦY VIÊN", "Lê Thị Cúc"]
