"""Progress → roll-up → Báo cáo: statuses, sums, overdue tasks, missing units, Excel, the document."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from generator.inspect.docx_inspect import Inspector
from generator.io.excel import form_title, read_form, write_form
from generator.io.loader import LoadError
from generator.kinds import render_document
from generator.services.progress import load_progress
from generator.transform.rollup import NO_REPORT, build_report, roll_up

from .conftest import SAMPLE, SAMPLE_DIR

PROGRESS = SAMPLE_DIR / "progress"
AS_OF = dt.date(2025, 11, 30)


@pytest.fixture(scope="module")
def progress(sample_plan, ref):
    return [load_progress(f, sample_plan, "plan.yaml", ref)[0] for f in sorted(PROGRESS.glob("*.yaml"))]


@pytest.fixture(scope="module")
def rolled(sample_plan, progress, ref):
    return roll_up(sample_plan, progress, AS_OF, ref)


@pytest.fixture(scope="module")
def report_doc(rolled, ref):
    return build_report(rolled, "so-ket", ref, plan_file="plan.yaml")


# ----------------------------------------------------------------------------- roll-up


def test_sums_across_units(rolled, progress):
    expected: dict[str, int] = {}
    for p in progress:
        for tp in p.tasks:
            for k, v in tp.figures.items():
                expected[k] = expected.get(k, 0) + v
    assert rolled.totals() == expected
    assert rolled.totals()["so-luot-can-bo"] == 185 + 32 + 210 + 430
    t11 = next(t for t in rolled.tasks if t.task.id == "1.1")
    assert t11.figures == {"so-buoi-quan-triet": 11, "so-luot-can-bo": 857}


def test_statuses(rolled):
    overall = {t.task.id: t.overall for t in rolled.tasks}
    assert overall["5.1"] == "done"  # every reporting unit says so
    assert overall["1.2"] == "in-progress"  # the Tạp chí is still at it
    assert overall["1.1"] == "in-progress"  # four done, one not started
    assert rolled.counts() == {"done": 3, "in-progress": 19, "not-started": 0, NO_REPORT: 0}


def test_missing_and_late_units(rolled):
    assert [u.id for u in rolled.expected] == [
        "cuc-ct-tc",
        "tap-chi-attt",
        "trung-tam-cntt-gsanm",
        "cong-ty-129",
        "hoc-vien-ktmm",
        "cuc-qlmmds",
    ]
    assert [u.id for u in rolled.missing] == ["hoc-vien-ktmm"]
    assert [(u.id, d) for u, d in rolled.late] == [("cuc-qlmmds", dt.date(2025, 8, 20))]


@pytest.mark.parametrize(
    "as_of, overdue",
    [
        (dt.date(2025, 9, 30), []),  # due that very day: not yet overdue
        (dt.date(2025, 11, 30), ["1.1", "4.1"]),
        # the plan covers 2025-2030: in 2026 its yearly tasks are due at the end of 2026
        (dt.date(2026, 1, 5), ["1.1", "4.1"]),
        # after the period's last year end, yearly tasks not yet done are overdue too; ongoing ones never are
        (dt.date(2031, 1, 5), ["1.1", "2.1", "2.2", "3.1", "3.2", "3.3", "4.1", "4.2", "5.4", "6.2", "7.1", "7.2", "8.1", "8.2"]),
    ],
)
def test_overdue_as_of_a_date(sample_plan, progress, ref, as_of, overdue):
    assert [t.task.id for t in roll_up(sample_plan, progress, as_of, ref).overdue] == overdue


def test_no_progress_at_all(sample_plan, ref):
    r = roll_up(sample_plan, [], AS_OF, ref)
    assert len(r.missing) == 6 and all(t.overall == NO_REPORT for t in r.tasks)
    # nothing says they were done by their due date: they count as overdue, marked "no report"
    assert [(t.task.id, t.overall) for t in r.overdue] == [("1.1", NO_REPORT), ("4.1", NO_REPORT)]


# ----------------------------------------------------------------------------- the report's text


def test_report_names_exactly_the_overdue_tasks_and_the_missing_unit(report_doc):
    limits = next(s for s in report_doc.sections if s.title == "Hạn chế, tồn tại").bullets
    assert [b.split(" (")[0] for b in limits if "quá hạn" in b] == ["Nhiệm vụ 1.1", "Nhiệm vụ 4.1"]
    assert [b for b in limits if "chưa gửi báo cáo" in b] == [
        "Đảng ủy Học viện Kỹ thuật mật mã chưa gửi báo cáo (hạn 15/8/2025)."
    ]
    assert [b for b in limits if "chậm" in b] == [
        "Đảng ủy Cục Quản lý mật mã dân sự và Kiểm định sản phẩm mật mã gửi báo cáo ngày 20/8/2025, chậm so với thời hạn 15/8/2025."
    ]
    assert len(limits) == 4


def test_report_attributes_each_units_words(report_doc):
    results = report_doc.sections[0]
    assert results.paragraphs[0] == (
        "Đến ngày 30/11/2025, 5/6 đơn vị đã gửi báo cáo; trong 22 nhiệm vụ, 3 hoàn thành, 19 đang thực hiện, 0 chưa thực hiện."
    )
    assert results.paragraphs[1].startswith(
        "Tổng hợp số liệu của các đơn vị: số buổi quán triệt: 11 buổi; số lượt cán bộ tham gia: 857 lượt"
    )
    group1 = results.sections[0]
    assert group1.paragraphs[0] == (
        "Nhiệm vụ 1.1 (Quý III/2025): đang thực hiện, 4/6 đơn vị hoàn thành; "
        "số buổi quán triệt: 11 buổi; số lượt cán bộ tham gia: 857 lượt."
    )
    assert (
        "Công ty TNHH MTV 129 (nhiệm vụ 1.1): Quán triệt tại hội nghị Ban Chấp hành Đảng bộ mở rộng và các chi bộ."
        in group1.bullets
    )


def test_next_period_carries_unfinished_tasks(report_doc):
    nxt = report_doc.sections[2].bullets
    assert nxt[0].startswith("Khắc phục ngay nhiệm vụ quá hạn 1.1: ")
    assert nxt[1].startswith("Khắc phục ngay nhiệm vụ quá hạn 4.1: ")
    assert nxt[2].startswith("Tiếp tục thực hiện các nhiệm vụ chưa hoàn thành: 1.2, 2.1,")
    assert "5.1" not in nxt[2]


# ----------------------------------------------------------------------------- the document


@pytest.fixture(scope="module")
def rendered(report_doc, ref):
    data = render_document(report_doc, ref)
    return data, docx.Document(io.BytesIO(data))


def test_report_document_structure_and_format(rendered):
    data, doc = rendered
    ins = Inspector(doc)
    head = doc.tables[0]
    assert [p.text for p in head.cell(0, 0).paragraphs] == ["ĐẢNG BỘ QUÂN ĐỘI", "ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ", "*"]
    assert head.cell(0, 1).text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert head.cell(1, 0).text == "Số     -BC/ĐUB"
    assert head.cell(1, 1).text == "Hà Nội, ngày 30 tháng 11 năm 2025"
    title = next(p for p in doc.paragraphs if p.text == "BÁO CÁO")
    assert (ins.run(title, title.runs[0]).bold, ins.run(title, title.runs[0]).size_pt) == (True, 16)
    assert ins.paragraph(title).alignment == "center"
    texts = [p.text for p in doc.paragraphs]
    subject = texts[texts.index("BÁO CÁO") + 1]
    assert subject.startswith(
        "Sơ kết thực hiện Kế hoạch số     -KH/ĐUB ngày     /8/2025 của Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ\n"
    )
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. HẠN CHẾ, TỒN TẠI", "III. NHIỆM VỤ THỜI GIAN TỚI"):
        p = doc.paragraphs[texts.index(heading)]
        assert ins.run(p, p.runs[0]).bold and ins.paragraph(p).alignment == "both"
    body, appendix = doc.sections
    assert body.orientation == WD_ORIENT.PORTRAIT and appendix.orientation == WD_ORIENT.LANDSCAPE
    assert "(Kèm theo Báo cáo số     -BC/ĐUB ngày 30/11/2025 của Đảng ủy Ban Cơ yếu Chính phủ)" in texts


def test_report_appendix_table_and_chart(rendered):
    data, doc = rendered
    table = doc.tables[2]
    assert [c.text for c in table.rows[0].cells] == [
        "TT",
        "Nhiệm vụ, giải pháp",
        "Cơ quan chủ trì",
        "Thời gian",
        "Tình hình thực hiện của các đơn vị",
        "Kết quả chung",
    ]
    rows = {r.cells[0].text: r for r in table.rows[1:] if len(r._tr.tc_lst) == 6}
    assert list(rows) == [
        f"{g}.{t}" for g, n in ((1, 2), (2, 2), (3, 3), (4, 3), (5, 4), (6, 2), (7, 3), (8, 3)) for t in range(1, n + 1)
    ]
    assert rows["1.1"].cells[5].text == "đang thực hiện (quá hạn)"
    assert [p.text for p in rows["1.1"].cells[4].paragraphs] == [
        "Hoàn thành (4): Cục Chính trị - Tổ chức; Tạp chí An toàn thông tin; Trung tâm Công nghệ thông tin và Giám sát an ninh mạng; Công ty TNHH MTV 129",
        "Chưa thực hiện (1): Cục Quản lý mật mã dân sự và Kiểm định sản phẩm mật mã",
        "Chưa có báo cáo (1): Học viện Kỹ thuật mật mã",
    ]
    assert rows["5.1"].cells[5].text == "hoàn thành"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        png = z.read("word/media/vanban-chart.png")
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert 'Extension="png"' in z.read("[Content_Types].xml").decode()
    blips = doc.element.body.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    assert len(blips) == 1
    rid = blips[0].get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
    assert doc.part.related_parts[rid].blob == png


def test_report_without_chart(report_doc, ref):
    plain = report_doc.model_copy(update={"appendix": report_doc.appendix.model_copy(update={"chart": False})})
    data = render_document(plain, ref)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]
        assert "vanban-chart" not in z.read("word/document.xml").decode()


def test_yaml_then_render_gives_the_same_document(cli, tmp_path):
    args = ["report", SAMPLE, "--progress", PROGRESS, "--period", "sơ-kết", "--as-of", "2025-11-30"]
    assert cli(*args, "-o", tmp_path / "a.docx").exit_code == 0
    result = cli(*args, "-o", tmp_path / "r.yaml", "--yaml")
    assert result.exit_code == 0
    assert "summary: 5/6 unit(s) reported; overdue tasks: 1.1, 4.1; missing units: hoc-vien-ktmm" in result.stderr
    assert cli("render", tmp_path / "r.yaml", "-o", tmp_path / "out").exit_code == 0
    assert (tmp_path / "out" / "r.docx").read_bytes() == (tmp_path / "a.docx").read_bytes()


def test_committed_sample_report_is_current(report_doc, ref, sample_plan, progress):
    from generator.io.yamlout import dump_plan

    doc = build_report(roll_up(sample_plan, progress, AS_OF, ref), "so-ket", ref, plan_file="plan.yaml")
    committed = (SAMPLE_DIR / "bao-cao-so-ket.yaml").read_text(encoding="utf-8")
    assert committed.split("\n", 2)[2] == dump_plan(doc).lstrip("\n")  # after its two comment lines
    with (
        zipfile.ZipFile(SAMPLE_DIR / "bao-cao-so-ket.docx") as z,
        zipfile.ZipFile(io.BytesIO(render_document(doc, ref))) as fresh,
    ):
        assert z.read("word/document.xml") == fresh.read("word/document.xml")


# ----------------------------------------------------------------------------- progress input


def test_progress_yaml_errors_name_both_files(tmp_path, sample_plan, ref):
    path = tmp_path / "p.yaml"
    path.write_text(
        'unit: cong-ty-129\nreported: 2025-08-12\ntasks:\n  - {task: "9.9", status: hoàn thành}\n'
        '  - {task: "1.1", status: xong}\n  - {task: "1.2", status: hoàn thành, figures: {so-cay: 3}}\n',
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as exc:
        load_progress(path, sample_plan, "plan.yaml", ref)
    assert [str(p).replace(str(path), "p.yaml") for p in exc.value.problems] == [
        "p.yaml:5:27: error: tasks.1.status: expected one of: hoàn thành, đang thực hiện, chưa thực hiện "
        "(or the ids done, in-progress, not-started), got 'xong'",
    ]
    path.write_text(path.read_text(encoding="utf-8").replace("status: xong", "status: hoàn thành"), encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        load_progress(path, sample_plan, "plan.yaml", ref)
    errors = [str(p).replace(str(path), "p.yaml") for p in exc.value.problems if p.severity == "error"]
    assert errors == [
        "p.yaml:4:12: error: tasks.0.task: task '9.9' does not exist in plan.yaml",
        "p.yaml:6:57: error: tasks.2.figures.so-cay: unknown figure 'so-cay'; expected one of: so-buoi-quan-triet, "
        "so-luot-can-bo, so-tap-the-khen-thuong, so-ca-nhan-khen-thuong, so-van-ban-ban-hanh",
    ]


# ----------------------------------------------------------------------------- Excel round trip


@pytest.fixture
def form(tmp_path, sample_plan, ref):
    path = tmp_path / "form.xlsx"
    path.write_bytes(write_form(sample_plan, ref.unit("cong-ty-129"), ref, form_title(sample_plan, ref)))
    return path


def _fill(path, edit=None):
    wb = load_workbook(path)
    ws = wb["Tiến độ"]
    ws["B4"] = dt.datetime(2025, 8, 12)
    for row in range(7, ws.max_row + 1):
        ws.cell(row, 4, "hoàn thành" if ws.cell(row, 1).value == "1.1" else "đang thực hiện")
    ws["E7"] = "Đã quán triệt tại hội nghị Đảng ủy."
    ws["F7"] = 5  # số buổi quán triệt
    ws["G7"] = 430
    if edit:
        edit(ws)
    wb.save(path)


def test_form_is_locked_with_a_status_dropdown(form):
    wb = load_workbook(form)
    ws = wb["Tiến độ"]
    assert ws.protection.sheet
    assert [ws.cell(r, 1).value for r in range(7, 9)] == ["1.1", "1.2"]
    assert ws["A7"].protection.locked and ws["B7"].protection.locked
    assert not ws["D7"].protection.locked and not ws["B4"].protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"hoàn thành,đang thực hiện,chưa thực hiện"' and "D7" in str(lists[0].sqref)
    assert "Hướng dẫn" in wb.sheetnames and wb["Hướng dẫn"]["A1"].value.startswith("HƯỚNG DẪN")


def test_excel_round_trip(form, sample_plan, ref):
    _fill(form)
    progress, warnings = read_form(form, sample_plan, "plan.yaml", ref)
    assert warnings == []
    assert progress.unit == "cong-ty-129" and progress.reported == dt.date(2025, 8, 12)
    assert len(progress.tasks) == 22
    first = progress.tasks[0]
    assert (first.task, first.status, first.done, first.figures) == (
        "1.1",
        "done",
        "Đã quán triệt tại hội nghị Đảng ủy.",
        {"so-buoi-quan-triet": 5, "so-luot-can-bo": 430},
    )
    assert progress.tasks[1].status == "in-progress"


def test_excel_wrong_status_and_bad_figure(form, sample_plan, ref):
    def edit(ws):
        ws["D9"] = "xong rồi"
        ws["F10"] = "năm"

    _fill(form, edit)
    with pytest.raises(LoadError) as exc:
        read_form(form, sample_plan, "plan.yaml", ref)
    assert [str(p).replace(str(form), "form.xlsx") for p in exc.value.problems] == [
        "form.xlsx: error: Tiến độ!D9: status 'xong rồi' of task 2.1 is not one of: hoàn thành, đang thực hiện, chưa thực hiện",
        "form.xlsx: error: Tiến độ!F10: Số buổi quán triệt (buổi) of task 2.2 must be a whole number ≥ 0, got 'năm'",
    ]


def test_excel_deleted_row(form, sample_plan, ref):
    _fill(form, lambda ws: ws.delete_rows(8))  # the row of task 1.2
    with pytest.raises(LoadError) as exc:
        read_form(form, sample_plan, "plan.yaml", ref)
    assert [str(p).replace(str(form), "form.xlsx") for p in exc.value.problems] == [
        "form.xlsx: error: Tiến độ: task 1.2 is missing (was its row deleted?)"
    ]


def test_excel_report_through_the_cli(cli, form, tmp_path):
    _fill(form)
    result = cli(
        "report", SAMPLE, "--progress", form, "--period", "tổng-kết", "--as-of", "2025-11-30", "-o", tmp_path / "bc.docx"
    )
    assert result.exit_code == 0, result.output
    doc = docx.Document(tmp_path / "bc.docx")
    assert any(p.text.startswith("Tổng kết thực hiện Kế hoạch số") for p in doc.paragraphs)
    # The same file named twice is one report; a copy of it under another name is the unit reporting twice.
    copy = tmp_path / "ban-sao-form.xlsx"
    copy.write_bytes(form.read_bytes())
    result = cli(
        "report",
        SAMPLE,
        "--progress",
        form,
        "--progress",
        form,
        "--progress",
        copy,
        "--period",
        "sơ-kết",
        "--as-of",
        "2025-11-30",
        "-o",
        tmp_path / "bc2.docx",
    )
    assert result.exit_code == 1 and "already reported" in result.stderr and not (tmp_path / "bc2.docx").exists()


def test_not_a_workbook(tmp_path, sample_plan, ref):
    bad = tmp_path / "x.xlsx"
    bad.write_text("not excel")
    with pytest.raises(LoadError, match="not a readable Excel workbook"):
        read_form(bad, sample_plan, "plan.yaml", ref)
