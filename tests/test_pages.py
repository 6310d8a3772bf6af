"""Printed pages: where pages end, lines break and cells stay valid, checked on the rendered DOCX
and, through LibreOffice, on the PDF pages (one batch conversion for the whole module)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from lxml import etree

from generator.convert.libreoffice import ConvertError, check_environment, convert
from generator.io.loader import load_plan
from generator.io.refdata import templates_dir
from generator.kinds import render_document
from generator.lang import vn
from generator.render.chart import status_chart_figure

from .conftest import SAMPLE, SAMPLE_DIR

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PROGRESS = SAMPLE_DIR / "progress"


def sample_data() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def write_plan(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def parts(data: bytes) -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: etree.fromstring(zf.read(n)) for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml")}


def assert_cells_hold_paragraphs(data: bytes) -> None:
    """OOXML: every table cell holds at least one paragraph (LibreOffice misdraws, Word refuses)."""
    for name, root in parts(data).items():
        for tc in root.iter(W + "tc"):
            assert tc.find(W + "p") is not None, f"{name}: a w:tc without w:p"


def appendix_rows(document) -> list:
    """Rows of the appendix table (the last table), without the header row."""
    return document.tables[-1].rows[1:]


def keeps(row) -> list[bool]:
    """For each paragraph of *row*: does it keep with the next?"""
    return [p.find(f"{W}pPr/{W}keepNext") is not None for p in row._tr.iter(W + "p")]


def is_group_row(row) -> bool:
    return len(row._tr.tc_lst) == 2  # number | title over the other columns


# ----------------------------------------------------------------------- group rows (DOCX)


def check_group_rows_keep(data: bytes) -> None:
    rows = appendix_rows(docx.Document(io.BytesIO(data)))
    groups = [r for r in rows if is_group_row(r)]
    assert groups
    for row in rows:
        if is_group_row(row):
            assert all(keeps(row)), "a group row without keep-with-next"
        else:
            assert not any(keeps(row)), "keep-with-next on a task row"


def test_group_rows_keep_with_their_first_task(sample_bytes, cli, tmp_path):
    check_group_rows_keep(sample_bytes)
    out = tmp_path / "bc.docx"
    result = cli("report", SAMPLE, "--progress", PROGRESS, "--period", "sơ-kết", "--as-of", "2025-11-30", "-o", out)
    assert result.exit_code == 0, result.output
    check_group_rows_keep(out.read_bytes())


def test_user_template_group_rows_keep_too(cli, tmp_path):
    """A template the user wrote, without keepNext and with its own loop names, gets it on group rows."""
    src = templates_dir() / "ke-hoach.docx"
    mine = tmp_path / "mine.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(mine, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8").replace("<w:keepNext/>", "")
                text = re.sub(r"\bg\.(id|title|tasks)\b", r"nhom.\1", text).replace("for g in", "for nhom in")
                assert "nhom.title" in text and "keepNext" not in text
                data = text.encode("utf-8")
            zout.writestr(info, data)
    result = cli("render", SAMPLE, "-o", tmp_path / "out", "--template", mine)
    assert result.exit_code == 0, result.output
    check_group_rows_keep((tmp_path / "out" / "plan.docx").read_bytes())


# ----------------------------------------------------------------------- sign-off (DOCX)


def test_last_body_paragraph_keeps_with_signoff(sample_doc):
    body = sample_doc.element.body
    closing = next(t for t in body.iterchildren(W + "tbl") if "Nguyễn Đăng Lực" in "".join(t.itertext()))
    before = closing.getprevious()
    assert before.tag == W + "p" and "trước ngày 15/8/2025" in "".join(before.itertext())
    assert before.find(f"{W}pPr/{W}keepNext") is not None
    assert not list(body.iter(etree.Comment))  # the renderer's marks are gone


# ----------------------------------------------------------------------- empty cells, archive


def test_empty_lists_still_give_valid_cells(cli, tmp_path):
    data = sample_data()
    task = data["appendix"]["groups"][0]["tasks"][0]
    task["lead"], task["units"] = [], []
    task.pop("coordinating", None)
    result = cli("render", write_plan(tmp_path / "plan.yaml", data), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out" / "plan.docx").read_bytes()
    assert_cells_hold_paragraphs(out)
    row = next(r for r in appendix_rows(docx.Document(io.BytesIO(out))) if r.cells[0].text == "1.1")
    assert [c.text for c in row.cells[2:4]] == ["", ""]


def test_every_rendered_cell_holds_a_paragraph(sample_bytes, cli, tmp_path):
    assert_cells_hold_paragraphs(sample_bytes)
    out = tmp_path / "bc.docx"
    assert cli("report", SAMPLE, "--progress", PROGRESS, "--period", "sơ-kết", "--as-of", "2025-11-30", "-o", out).exit_code == 0
    assert_cells_hold_paragraphs(out.read_bytes())


def test_empty_archive_is_refused_with_its_place(cli, tmp_path):
    data = sample_data()
    data["archive"] = []
    plan = write_plan(tmp_path / "plan.yaml", data)
    line = next(i for i, l in enumerate(plan.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("archive:"))
    result = cli("render", plan, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert f"{plan}:{line}:10: error: archive:" in result.stderr
    assert "Lưu ." not in result.output and not (tmp_path / "out").exists()


# ----------------------------------------------------------------------- hyphens


def test_hyphens_in_dates_and_numbers_do_not_break(cli, tmp_path):
    sentence = (
        "Thực hiện Quyết định số 123-QĐ/TW ngày 16-9-2011 và Kế hoạch số 09-KH/ĐUB (tháng 9-2011), "
        "giai đoạn 2025 - 2030, Cục Chính trị - Tổ chức."
    )
    data = sample_data()
    data["preamble"] = [sentence]
    result = cli("render", write_plan(tmp_path / "plan.yaml", data), "-o", tmp_path)
    assert result.exit_code == 0, result.output
    document = docx.Document(tmp_path / "plan.docx")
    p = next(p for p in document.paragraphs if p.text.startswith("Thực hiện Quyết định"))
    assert p.text == sentence  # the text is unchanged
    xml = etree.tostring(p._p, encoding="unicode")
    assert xml.count("<w:noBreakHyphen/>") == 5  # 123‑QĐ, 16‑9‑2011, 09‑KH, 9‑2011
    assert "2025 - 2030" in "".join(p._p.itertext()) and "Chính trị - Tổ chức" in "".join(p._p.itertext())


@pytest.mark.parametrize(
    "text, hyphens",
    [
        ("ngày 16-9-2011", [7, 9]),
        ("số 41-CT/TW", [5]),
        ("3609-CTr/QUTW", [4]),
        ("tháng 9-2011", [7]),
        ("2025 - 2030", []),
        ("2025-2030", []),
        ("Bà Rịa - Vũng Tàu", []),
        ("Số    -KH/ĐUB", []),
        ("mã 1-2-3", []),
    ],
)
def test_unbreakable_hyphens(text, hyphens):
    assert vn.unbreakable_hyphens(text) == hyphens


# ----------------------------------------------------------------------- date line (DOCX)

LONG_PLACES = [("Thừa Thiên Huế", "2022-05-13"), ("Bà Rịa - Vũng Tàu", "2022-12-28"), ("Thành phố Hồ Chí Minh", "2022-12-28")]


def header_widths(data: bytes) -> list[int]:
    tbl = docx.Document(io.BytesIO(data)).tables[0]._tbl
    return [int(g.get(W + "w")) for g in tbl.find(W + "tblGrid")]


def test_date_column_widens_only_for_a_long_place(tmp_path, ref, sample_bytes):
    usual = header_widths(sample_bytes)
    data = sample_data()
    data["header"].update(place="Thành phố Hồ Chí Minh", date="2022-12-28")
    plan = load_plan(write_plan(tmp_path / "plan.yaml", data)).plan
    widths = header_widths(render_document(plan, ref))
    assert sum(widths) == sum(usual) and widths[1] > usual[1] + 25 * 56.7  # ≥ 105 mm
    tieu_de = docx.Document(io.BytesIO(render_document(plan, ref))).tables[0].rows[0].cells[1].paragraphs[0]
    rule = widths[1] - tieu_de.paragraph_format.left_indent.twips - tieu_de.paragraph_format.right_indent.twips
    assert abs(rule - 72.9 * 56.7) < 60  # the rule under ĐẢNG CỘNG SẢN VIỆT NAM keeps its length


# ----------------------------------------------------------------------- chart


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_chart_legend_clear_of_axis_title(n):
    groups = [
        (f"{i}. Nhóm nhiệm vụ số {i}", {"done": i, "in-progress": 1, "not-started": 1, "no-report": 1}) for i in range(1, n + 1)
    ]
    fig = status_chart_figure(groups)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        assert len(fig.legends[0].get_texts()) == 4  # one entry per status: the bars were drawn
        legend = fig.legends[0].get_window_extent(renderer)
        for other in (ax.xaxis.label.get_window_extent(renderer), ax.xaxis.get_tightbbox(renderer)):
            assert legend.y1 <= other.y0, "the legend overlaps the axis"
        fig_box = fig.bbox
        assert legend.y0 >= fig_box.y0 - 0.5 and legend.x0 >= fig_box.x0 - 0.5 and legend.x1 <= fig_box.x1 + 0.5
    finally:
        from matplotlib import pyplot as plt

        plt.close(fig)


def test_chart_labels_groups_by_short_title(tmp_path, cli):
    from generator.kinds import report as render

    out = tmp_path / "bc.yaml"
    r = cli("report", SAMPLE, "--progress", PROGRESS, "--period", "sơ-kết", "--as-of", "2025-11-30", "-o", out, "--yaml")
    assert r.exit_code == 0, r.output
    labels = render.chart_labels(load_plan(out).plan)
    assert labels[0].startswith("1. Tổ chức phổ biến") and all(len(l) <= 40 for l in labels)
    assert not any(l.startswith("Nhóm") for l in labels)


# ----------------------------------------------------------------------- PDF pages

try:
    check_environment()
    MISSING = None
except ConvertError as exc:
    MISSING = str(exc)


def flat(text: str) -> str:
    return " ".join(text.split())


def appendix_pages(reader: pypdf.PdfReader) -> list[tuple[int, str]]:
    """(page number, text) of the landscape pages, where the appendix is."""
    return [(i + 1, flat(p.extract_text())) for i, p in enumerate(reader.pages) if p.mediabox.width > p.mediabox.height]


def lonely_group_rows(doc, pages: list[tuple[int, str]]) -> list[str]:
    """Groups whose title row ends a page: the title is on a page, its first item only on a later one."""
    found, start = [], 0
    for g in doc.appendix.groups:
        items = getattr(g, "tasks", None) or g.rows
        title, first = flat(g.title)[:30], flat(items[0].text)[:30]
        k = next(k for k in range(start, len(pages)) if title in pages[k][1])
        number, text = pages[k]
        if first not in text[text.index(title) :]:
            found.append(f"group {g.id} at the foot of page {number}")
        start = k
    return found


def big_plan(n_groups: int = 20, per_group: int = 10) -> dict:
    data = sample_data()
    words = (
        "Triển khai thực hiện nghiêm túc, hiệu quả các nhiệm vụ thi đua, khen thưởng của cơ quan, "
        "đơn vị; kiểm tra, đôn đốc, sơ kết, tổng kết, báo cáo kết quả theo quy định. "
    ).split()
    groups = []
    for g in range(1, n_groups + 1):
        tasks = []
        for t in range(1, per_group + 1):
            length = 8 + (g * 7 + t * 13) % 60  # rows from one to five lines high
            text = " ".join(words[(i + g) % len(words)] for i in range(length))
            tasks.append(
                {
                    "id": f"{g}.{t}",
                    "text": f"Nhiệm vụ {g}.{t}: {text}",
                    "lead": ["Cục Chính trị - Tổ chức"],
                    "units": ["Các cơ quan, đơn vị thuộc Ban"],
                    "timeframe": "Thường xuyên",
                }
            )
        groups.append({"id": str(g), "title": f"Nhóm nhiệm vụ thứ {g} về công tác thi đua, khen thưởng", "tasks": tasks})
    data["appendix"]["groups"] = groups
    return data


def signoff_plans() -> list[dict]:
    """Short plans, one body line more each: in some, the closing block no longer fits its page."""
    plans = []
    for n in range(18, 34):
        data = sample_data()
        data["preamble"] = []
        data["sections"] = [
            {"title": "Mục đích, yêu cầu", "paragraphs": [f"Đoạn {i} của kế hoạch ngắn." for i in range(1, n + 1)]}
        ]
        data.pop("appendix")
        plans.append(data)
    return plans


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, ref):
    """Every document the PDF tests read, converted in one LibreOffice batch."""
    if MISSING:
        pytest.skip(f"PDF tests skipped: {MISSING}")
    from click.testing import CliRunner

    from generator.cli.app import main

    work = tmp_path_factory.mktemp("pages")
    run = CliRunner()
    docs: dict[str, tuple] = {}

    def add(name: str, yaml_path: Path, docx_path: Path) -> None:
        docs[name] = (load_plan(yaml_path).plan, docx_path)

    def add_data(name: str, data: dict) -> None:
        path = write_plan(work / f"{name}.yaml", data)
        (work / f"{name}.docx").write_bytes(render_document(load_plan(path).plan, ref))
        add(name, path, work / f"{name}.docx")

    (work / "plan.docx").write_bytes(render_document(load_plan(SAMPLE).plan, ref))
    add("plan", SAMPLE, work / "plan.docx")
    for fmt in ("--yaml", None):
        out = work / ("bao-cao.yaml" if fmt else "bao-cao.docx")
        args = [
            "report",
            str(SAMPLE),
            "--progress",
            str(PROGRESS),
            "--period",
            "sơ-kết",
            "--as-of",
            "2025-11-30",
            "-o",
            str(out),
        ] + ([fmt] if fmt else [])
        assert run.invoke(main, args).exit_code == 0
    add("bao-cao", work / "bao-cao.yaml", work / "bao-cao.docx")
    for unit in ("cong-ty-129", "cuc-ct-tc"):
        out = work / f"{unit}.yaml"
        r = run.invoke(main, ["derive", str(SAMPLE), "--unit", unit, "-o", str(out), "--render", "--draft"])
        assert r.exit_code == 0, r.output
        add(unit, out, work / f"{unit}.docx")
    add_data("big", big_plan())
    for i, data in enumerate(signoff_plans()):
        add_data(f"short-{i}", data)
    for i, (place, date) in enumerate(LONG_PLACES):
        data = sample_data()
        data["header"].update(place=place, date=date)
        add_data(f"place-{i}", data)
    outcomes = convert([d for _, d in docs.values()], work / "pdf")
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    return {name: (doc, pypdf.PdfReader(work / "pdf" / f"{path.stem}.pdf"), path) for name, (doc, path) in docs.items()}


def test_every_cell_of_every_document_holds_a_paragraph(pdfs):
    for _, _, path in pdfs.values():
        assert_cells_hold_paragraphs(path.read_bytes())


@pytest.mark.parametrize("name", ["plan", "bao-cao", "cong-ty-129", "cuc-ct-tc", "big"])
def test_no_group_row_alone_at_a_page_foot(pdfs, name):
    doc, reader, _ = pdfs[name]
    assert lonely_group_rows(doc, appendix_pages(reader)) == []


def test_the_checker_sees_a_lonely_group_row(pdfs):
    """The check above can fail: the same pages, with group 4's row moved to the foot of its page."""
    doc, reader, _ = pdfs["big"]
    pages = appendix_pages(reader)
    g = doc.appendix.groups[3]
    k = next(k for k, (_, t) in enumerate(pages) if flat(g.title)[:30] in t)
    first = flat(g.tasks[0].text)[:30]
    number, text = pages[k]
    moved = (
        pages[:k] + [(number, text.replace(first, ""))] + [(n, first + " " + t) for n, t in pages[k + 1 : k + 2]] + pages[k + 2 :]
    )
    assert lonely_group_rows(doc, moved) == [f"group {g.id} at the foot of page {number}"]


def test_signature_never_opens_a_page(pdfs):
    moved = 0
    for i in range(len(signoff_plans())):
        doc, reader, _ = pdfs[f"short-{i}"]
        texts = [flat(p.extract_text()) for p in reader.pages]
        sign = next(k for k, t in enumerate(texts) if "Nguyễn Đăng Lực" in t)
        assert "trước ngày 15/8/2025" in texts[sign], f"short-{i}: the sign-off opens page {sign + 1} alone"
        moved += sign > 0
    assert moved, "no variant put the closing block on a second page: the test proves nothing"


@pytest.mark.parametrize("i", range(len(LONG_PLACES)))
def test_date_line_stays_on_one_line(pdfs, i):
    doc, reader, _ = pdfs[f"place-{i}"]
    h = doc.header
    line = vn.header_date(h.date.year, h.date.month, h.date.day, h.place)
    lines = [flat(l) for l in reader.pages[0].extract_text().splitlines()]
    # pypdf joins the row's two cells into one line: "Số -KH/ĐUB Thành phố Hồ Chí Minh, ngày …"
    assert any(l.endswith(line) for l in lines), lines[:12]
