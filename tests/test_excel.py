"""The Excel loop as units and secretariats meet it: forms for every unit, what clerks type, what
they break (merged cells, hidden rows, moved columns, formulas), one bad form among good ones."""

from __future__ import annotations

import datetime as dt
import shutil

import docx
import pytest
from openpyxl import load_workbook

from generator.io.excel import form_title, read_form, status_value, write_form
from generator.io.loader import LoadError

from .conftest import SAMPLE

PLAN = "plan.yaml"


def _form(path, plan, ref, unit="cong-ty-129"):
    path.write_bytes(write_form(plan, ref.unit(unit), ref, form_title(plan, ref)))
    return path


def _fill(path, edit=None):
    """A form filled in the way the instructions ask, then *edit* applied to the sheet."""
    wb = load_workbook(path)
    ws = wb["Tiến độ"]
    ws["B4"] = dt.datetime(2025, 8, 12)
    for row in range(7, ws.max_row + 1):
        ws.cell(row, 4, "đang thực hiện")
    ws["E7"] = "Đã quán triệt tại hội nghị Đảng ủy."
    ws["F7"] = 5
    if edit:
        edit(ws)
    wb.save(path)
    return path


def _lines(exc_or_list, path):
    problems = exc_or_list.problems if isinstance(exc_or_list, LoadError) else exc_or_list
    return [str(p).replace(str(path), "form.xlsx") for p in problems]


@pytest.fixture
def form(tmp_path, sample_plan, ref):
    return _form(tmp_path / "form.xlsx", sample_plan, ref)


# ----------------------------------------------------------------------------- one pass


def test_every_problem_of_every_cell_in_one_pass(form, sample_plan, ref):
    def edit(ws):
        ws["B4"] = "hôm qua"
        ws["D8"] = "xong rồi"
        ws["F8"] = "năm"  # same row as the bad status: reported too
        ws["A9"] = "9.9"  # a task id the plan does not have
        ws["K6"] = "Ghi chú"  # a column the form does not know

    _fill(form, edit)
    with pytest.raises(LoadError) as exc:
        read_form(form, sample_plan, PLAN, ref)
    assert _lines(exc.value, form) == [
        "form.xlsx: error: Tiến độ!K6: unknown figure column 'Ghi chú'; restore its heading as in the form sent",
        "form.xlsx: error: Tiến độ!B4: the report date 'hôm qua' is not a date; type it as day/month/year, e.g. 15/10/2025",
        "form.xlsx: error: Tiến độ!D8: status 'xong rồi' of task 1.2 is not one of: hoàn thành, đang thực hiện, chưa thực hiện",
        "form.xlsx: error: Tiến độ!F8: Số buổi quán triệt (buổi) of task 1.2 must be a whole number ≥ 0, got 'năm'",
        "form.xlsx: error: Tiến độ!A9: task '9.9' does not exist in plan.yaml; do not change the task ids",
        "form.xlsx: error: Tiến độ: task 2.1 is missing (was its row deleted?)",
    ]


# ----------------------------------------------------------------------------- what clerks type


def test_status_as_clerks_type_it():
    assert status_value("hoan thanh") == "hoàn thành"
    assert status_value("HOÀN THÀNH") == "hoàn thành"
    assert status_value("  Dang  thuc HIEN ") == "đang thực hiện"
    assert status_value("chưa thực hiện") == "chưa thực hiện"
    assert status_value("xong") is None


def test_text_typed_the_usual_way_is_read_with_a_warning_per_cell(form, sample_plan, ref):
    def edit(ws):
        ws["B4"] = "15/10/2025"
        ws["D7"] = "hoan thanh"
        ws["D8"] = "HOÀN THÀNH"
        ws["F7"] = "1.200"
        ws["G7"] = "2 350"
        ws["F8"] = "12"

    _fill(form, edit)
    progress, warnings = read_form(form, sample_plan, PLAN, ref)
    assert progress.reported == dt.date(2025, 10, 15)
    t11, t12 = progress.tasks[:2]
    assert (t11.status, t11.figures) == ("done", {"so-buoi-quan-triet": 1200, "so-luot-can-bo": 2350})
    assert (t12.status, t12.figures) == ("done", {"so-buoi-quan-triet": 12})
    assert _lines(warnings, form) == [
        "form.xlsx: warning: Tiến độ!B4: the report date '15/10/2025' was typed as text; read as 15/10/2025",
        "form.xlsx: warning: Tiến độ!F7: Số buổi quán triệt (buổi) of task 1.1: '1.200' was typed as text; read as 1200",
        "form.xlsx: warning: Tiến độ!G7: Số lượt cán bộ tham gia (lượt) of task 1.1: '2 350' was typed as text; read as 2350",
        "form.xlsx: warning: Tiến độ!F8: Số buổi quán triệt (buổi) of task 1.2: '12' was typed as text; read as 12",
        "form.xlsx: warning: Tiến độ!D7: status 'hoan thanh' read as 'hoàn thành'",
        "form.xlsx: warning: Tiến độ!D8: status 'HOÀN THÀNH' read as 'hoàn thành'",
    ]


def test_the_same_slip_on_many_rows_is_said_once_with_every_cell(form, sample_plan, ref):
    def edit(ws):
        for row in range(7, ws.max_row + 1):
            ws.cell(row, 4, "hoan thanh")
        ws["D9"] = ws["D10"] = ws["D12"] = None

    _fill(form, edit)
    with pytest.raises(LoadError) as exc:
        read_form(form, sample_plan, PLAN, ref)
    assert _lines(exc.value, form) == [
        "form.xlsx: error: Tiến độ!D9:D10,D12: status (Trạng thái) is empty; choose one of: hoàn thành, đang thực hiện, "
        "chưa thực hiện",
        "form.xlsx: warning: Tiến độ!D7:D8,D11,D13:D28: status 'hoan thanh' read as 'hoàn thành'",
    ]


@pytest.mark.parametrize("typed", ["1.2", "1,200", "12.34.567", "-3", "1.200,5"])
def test_numbers_that_are_not_whole_counts_are_refused(form, sample_plan, ref, typed):
    _fill(form, lambda ws: ws.__setitem__("F7", typed))
    with pytest.raises(LoadError) as exc:
        read_form(form, sample_plan, PLAN, ref)
    assert _lines(exc.value, form) == [
        f"form.xlsx: error: Tiến độ!F7: Số buổi quán triệt (buổi) of task 1.1 must be a whole number ≥ 0, got {typed!r}"
    ]


@pytest.mark.parametrize("typed", ["31/02/2025", "2025/10/15", "15/10"])
def test_text_that_is_no_date_is_refused(form, sample_plan, ref, typed):
    _fill(form, lambda ws: ws.__setitem__("B4", typed))
    with pytest.raises(LoadError) as exc:
        read_form(form, sample_plan, PLAN, ref)
    assert _lines(exc.value, form) == [
        f"form.xlsx: error: Tiến độ!B4: the report date {typed!r} is not a date; type it as day/month/year, e.g. 15/10/2025"
    ]


# ----------------------------------------------------------------------------- what clerks break


def test_merged_cells_are_refused_not_silently_dropped(form, sample_plan, ref):
    def edit(ws):
        ws.protection.sheet = False
        ws["E8"] = "Đã tổ chức học tập."
        ws.merge_cells("E8:E10")  # one result for three tasks: rows 9 and 10 would read as empty

    _fill(form, edit)
    with pytest.raises(LoadError) as exc:
        read_form(form, sample_plan, PLAN, ref)
    assert _lines(exc.value, form) == [
        "form.xlsx: error: Tiến độ!E8:E10: cells E8:E10 are merged, so only the first one is read; unmerge them and fill each row"
    ]


def test_formula_without_a_saved_value_is_computed_or_refused(form, sample_plan, ref):
    _fill(form, lambda ws: ws.__setitem__("F7", "=10+2"))  # openpyxl saves no value, like a generated file
    progress, warnings = read_form(form, sample_plan, PLAN, ref)
    assert progress.tasks[0].figures["so-buoi-quan-triet"] == 12
    assert _lines(warnings, form) == [
        "form.xlsx: warning: Tiến độ!F7: formula =10+2 had no computed value in the file; it was computed as 12"
    ]

    _fill(form, lambda ws: ws.__setitem__("G8", "=SUM(G7:G7)*2"))
    with pytest.raises(LoadError) as exc:
        read_form(form, sample_plan, PLAN, ref)
    assert _lines(exc.value, form)[0] == (
        "form.xlsx: error: Tiến độ!G8: formula =SUM(G7:G7)*2 has no computed value in the file; type the value itself, "
        "or open the file in Excel and save it"
    )


def test_hidden_rows_and_columns_are_read_and_named(form, sample_plan, ref):
    def edit(ws):
        ws["E9"] = "Kết quả của dòng bị ẩn"
        ws.row_dimensions[9].hidden = True
        ws.column_dimensions["G"].hidden = True

    _fill(form, edit)
    progress, warnings = read_form(form, sample_plan, PLAN, ref)
    assert progress.tasks[2].done == "Kết quả của dòng bị ẩn"
    assert _lines(warnings, form) == [
        "form.xlsx: warning: Tiến độ!G: column(s) G are hidden; they were read: unhide them and check them",
        "form.xlsx: warning: Tiến độ!A9: row 9 (task 2.1) is hidden; it was read: unhide it and check it",
    ]


def test_moved_columns_are_read_by_their_heading(form, sample_plan, ref):
    def edit(ws):
        for row in range(6, ws.max_row + 1):  # Trạng thái and Kết quả swapped
            ws.cell(row, 4).value, ws.cell(row, 5).value = ws.cell(row, 5).value, ws.cell(row, 4).value

    _fill(form, edit)
    progress, warnings = read_form(form, sample_plan, PLAN, ref)
    assert (progress.tasks[0].status, progress.tasks[0].done) == ("in-progress", "Đã quán triệt tại hội nghị Đảng ủy.")
    assert _lines(warnings, form) == [
        "form.xlsx: warning: Tiến độ!E6: column 'Trạng thái' was moved from D to E; it was read by its heading",
        "form.xlsx: warning: Tiến độ!D6: column 'Kết quả thực hiện' was moved from E to D; it was read by its heading",
    ]


def test_text_outside_the_columns_is_named(form, sample_plan, ref):
    _fill(form, lambda ws: ws.__setitem__("Z7", "thêm 3 buổi"))
    _progress, warnings = read_form(form, sample_plan, PLAN, ref)
    assert _lines(warnings, form) == [
        "form.xlsx: warning: Tiến độ!Z7: 'thêm 3 buổi' is outside the columns of the form and was not read; "
        "move it to the column it belongs to"
    ]


# ----------------------------------------------------------------------------- forms we write


def test_form_title_follows_the_profile_citation_comma(sample_plan, ref):
    assert sample_plan.profile == "quan-doi"  # seed: "Kế hoạch số …-KH/ĐUB ngày …/8/2025", no comma
    assert form_title(sample_plan, ref).startswith("Kế hoạch số     -KH/ĐUB ngày     /8/2025 — ")
    hd36 = sample_plan.model_copy(update={"profile": "hd36-2018"})
    assert form_title(hd36, ref).startswith("Kế hoạch số     -KH/ĐUB, ngày     /8/2025 — ")


def test_text_beginning_with_equals_is_written_as_text(tmp_path, sample_plan, ref):
    plan = sample_plan.model_copy(deep=True)
    task = plan.appendix.groups[0].tasks[0]
    task.text = '=HYPERLINK("http://example.invalid","Bấm vào đây")'
    task.timeframe = "=1+1"
    path = tmp_path / "form.xlsx"
    path.write_bytes(write_form(plan, ref.unit("cong-ty-129"), ref, "=2+2"))
    ws = load_workbook(path)["Tiến độ"]
    for ref_, text in (("B7", task.text), ("C7", "=1+1"), ("B2", "=2+2")):
        assert (ws[ref_].value, ws[ref_].data_type) == (text, "s"), ref_
    assert b"<f>" not in __import__("zipfile").ZipFile(path).read("xl/worksheets/sheet1.xml")


# ----------------------------------------------------------------------------- the commands


def test_progress_form_all_writes_one_form_per_unit(cli, tmp_path, sample_plan, ref):
    result = cli("progress-form", SAMPLE, "--all", "-o", tmp_path / "forms")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "forms").iterdir())
    assert written == [
        "cong-ty-129.xlsx",
        "cuc-ct-tc.xlsx",
        "cuc-qlmmds.xlsx",
        "hoc-vien-ktmm.xlsx",
        "tap-chi-attt.xlsx",
        "trung-tam-cntt-gsanm.xlsx",
    ]
    for name in written:
        ws = load_workbook(tmp_path / "forms" / name)["Tiến độ"]
        assert ws["B3"].value == name.removesuffix(".xlsx") and ws["A7"].value
    assert "Summary: 6 written" in result.stderr
    again = cli("progress-form", SAMPLE, "--all", "-o", tmp_path / "forms")
    assert again.exit_code == 1 and "already exists; use --force" in again.stderr
    assert cli("progress-form", SAMPLE, "-o", tmp_path / "x.xlsx").exit_code == 2  # neither --unit nor --all


def test_validate_a_form(cli, form):
    _fill(form)
    result = cli("validate", form, "--plan", SAMPLE)
    assert result.exit_code == 0 and result.stdout.strip() == "1 file(s) valid", result.output
    assert "UTF-8" not in result.output
    result = cli("validate", form)
    assert result.exit_code == 0 and "tasks not checked against a plan (give --plan PLAN)" in result.stderr
    _fill(form, lambda ws: ws.__setitem__("D9", "xong"))
    result = cli("validate", form)
    assert result.exit_code == 1
    assert (
        f"{form}: error: Tiến độ!D9: status 'xong' of task 2.1 is not one of: hoàn thành, đang thực hiện, chưa thực hiện"
        in result.stderr.splitlines()
    )


def test_one_bad_form_does_not_stop_the_report(cli, tmp_path, sample_plan, ref):
    folder = tmp_path / "progress"
    folder.mkdir()
    _fill(_form(folder / "cuc-ct-tc.xlsx", sample_plan, ref, "cuc-ct-tc"))
    _fill(_form(folder / "cong-ty-129.xlsx", sample_plan, ref), lambda ws: ws.__setitem__("D9", "xong rồi"))
    out = tmp_path / "out" / "bc.docx"
    result = cli("report", SAMPLE, "--progress", folder, "--period", "sơ-kết", "--as-of", "2025-11-30", "-o", out)
    assert result.exit_code == 1  # the report is written, but a unit's report was refused
    assert out.exists()
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert "1/6 đơn vị đã gửi báo cáo" in text
    assert "Đảng ủy Công ty TNHH MTV 129 chưa gửi báo cáo" in text  # refused: counted as not reported
    sheet = out.parent / "phieu-tra-lai-cong-ty-129.txt"
    assert f"  {folder / 'cong-ty-129.xlsx'} → {sheet}" in result.stderr.splitlines()
    assert "1 progress report(s) refused" in result.stderr
    body = sheet.read_text(encoding="utf-8-sig")
    # In Vietnamese although the secretariat's terminal speaks English: the sheet goes to the unit.
    assert body.startswith("PHIẾU TRẢ LẠI BÁO CÁO TIẾN ĐỘ\n")
    assert "Tệp đã nhận: cong-ty-129.xlsx" in body
    assert (
        "1. Tiến độ!D9: trạng thái 'xong rồi' của nhiệm vụ 2.1 không phải một trong: hoàn thành, đang thực hiện, chưa thực hiện"
        in body.splitlines()
    )


def test_every_form_refused_writes_no_report_but_the_return_sheets(cli, tmp_path, sample_plan, ref):
    folder = tmp_path / "progress"
    folder.mkdir()
    _fill(_form(folder / "cong-ty-129.xlsx", sample_plan, ref), lambda ws: ws.__setitem__("B4", None))
    out = tmp_path / "bc.docx"
    result = cli("report", SAMPLE, "--progress", folder, "--period", "sơ-kết", "--as-of", "2025-11-30", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "no progress report could be used; no report written" in result.stderr
    assert f"  {folder / 'cong-ty-129.xlsx'} → {tmp_path / 'phieu-tra-lai-cong-ty-129.txt'}" in result.stderr.splitlines()
    assert (tmp_path / "phieu-tra-lai-cong-ty-129.txt").exists()


def test_upper_case_xlsx_is_read_and_xls_is_refused(cli, tmp_path, sample_plan, ref):
    folder = tmp_path / "progress"
    folder.mkdir()
    _fill(_form(folder / "CONG-TY-129.XLSX", sample_plan, ref))
    (folder / "cuc-ct-tc.xls").write_bytes(b"\xd0\xcf\x11\xe0 old Excel")
    (folder / "ghi-chu.docx").write_bytes(b"")
    out = tmp_path / "bc.docx"
    result = cli("report", SAMPLE, "--progress", folder, "--period", "sơ-kết", "--as-of", "2025-11-30", "-o", out)
    assert result.exit_code == 1 and out.exists()
    assert "summary: 1/6 unit(s) reported" in result.stderr
    lines = result.stderr.splitlines()
    assert (
        f"{folder / 'cuc-ct-tc.xls'}: error: a .xls spreadsheet cannot be read; open it in Excel or LibreOffice and "
        "save it as .xlsx (Excel Workbook)"
    ) in lines
    assert f"{folder / 'ghi-chu.docx'}: warning: not a progress report (.yaml or .xlsx); not read" in lines
    assert "cuc-ct-tc.xls" in (tmp_path / "phieu-tra-lai-cuc-ct-tc.txt").read_text(encoding="utf-8-sig")


def test_yaml_progress_folder_still_reports_cleanly(cli, tmp_path):
    """The sample folder (all YAML, all valid) is unchanged by the Excel rules: exit 0, no return sheet."""
    folder = tmp_path / "progress"
    shutil.copytree(SAMPLE.parent / "progress", folder)
    result = cli(
        "report", SAMPLE, "--progress", folder, "--period", "sơ-kết", "--as-of", "2025-11-30", "-o", tmp_path / "bc.docx"
    )
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.glob("phieu-tra-lai-*"))


def test_only_plain_arithmetic_is_computed():
    from generator.io.excel import _arithmetic

    assert (_arithmetic("=10+2"), _arithmetic("=2*(3+4)"), _arithmetic("=-5+5")) == (12, 14, 0)
    for formula in ("=9**9**9", "=2^3", "=1/0", "=A1+1", "=SUM(1,2)", '="a"+"b"', "=" + "(" * 500 + "1" + ")" * 500):
        assert _arithmetic(formula) is None, formula


def test_a_refused_run_writes_no_return_sheet_either(cli, tmp_path, sample_plan, ref):
    folder = tmp_path / "progress"
    folder.mkdir()
    _fill(_form(folder / "cuc-ct-tc.xlsx", sample_plan, ref, "cuc-ct-tc"))
    _fill(_form(folder / "cong-ty-129.xlsx", sample_plan, ref), lambda ws: ws.__setitem__("D9", "xong rồi"))
    out = tmp_path / "bc.docx"
    out.write_bytes(b"earlier report")
    result = cli("report", SAMPLE, "--progress", folder, "--period", "sơ-kết", "--as-of", "2025-11-30", "-o", out)
    assert result.exit_code == 1 and "already exists; use --force" in result.stderr
    assert out.read_bytes() == b"earlier report" and not (tmp_path / "phieu-tra-lai-cong-ty-129.txt").exists()
