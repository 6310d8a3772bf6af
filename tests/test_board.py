"""The board of a progress collection (services/board.py), the plan's own figures, and ``vanban board``."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import yaml
from openpyxl import load_workbook

from generator.io.excel import DATE_CELL, read_form, write_form
from generator.io.loader import LoadError, load_plan
from generator.io.refdata import figures_of
from generator.io.refdata import load as load_refdata
from generator.model.document import Plan, PlanFigure
from generator.services.board import Entry, board_workbook, build_board, reminder_messages, reminder_text
from generator.services.progress import load_progress
from generator.transform.rollup import build_report, check_progress, roll_up

from .conftest import SAMPLE_DIR

PROGRESS = SAMPLE_DIR / "progress"
AS_OF = dt.date(2025, 11, 30)
DEADLINE = dt.date(2025, 8, 15)  # the sample plan's reporting deadline


@pytest.fixture(scope="module")
def reports(sample_plan, ref):
    return {f.stem: load_progress(f, sample_plan, "plan.yaml", ref)[0] for f in sorted(PROGRESS.glob("*.yaml"))}


@pytest.fixture(scope="module")
def entries(reports):
    """Four units submitted; the Tạp chí has a draft of two tasks; the Học viện has not started."""
    out = [Entry(uid, "submitted", p) for uid, p in reports.items() if uid != "tap-chi-attt"]
    draft = reports["tap-chi-attt"].model_copy(update={"tasks": reports["tap-chi-attt"].tasks[:2]})
    return [*out, Entry("tap-chi-attt", "draft", draft)]


@pytest.fixture(scope="module")
def board(sample_plan, entries, ref):
    return build_board(sample_plan, entries, AS_OF, DEADLINE, ref)


def test_units_their_state_and_lateness(board):
    rows = {r.unit.id: r for r in board.units}
    assert list(rows) == ["cuc-ct-tc", "tap-chi-attt", "trung-tam-cntt-gsanm", "cong-ty-129", "hoc-vien-ktmm", "cuc-qlmmds"]
    assert {uid: (r.state, r.late) for uid, r in rows.items()} == {
        "cuc-ct-tc": ("submitted", False),
        "tap-chi-attt": ("draft", True),  # not submitted and 30/11 is past 15/8
        "trung-tam-cntt-gsanm": ("submitted", False),
        "cong-ty-129": ("submitted", False),
        "hoc-vien-ktmm": ("not-started", True),
        "cuc-qlmmds": ("submitted", True),  # submitted on 20/8, after the deadline
    }
    assert rows["cuc-qlmmds"].submitted_on == dt.date(2025, 8, 20)
    assert rows["tap-chi-attt"].submitted_on is None
    assert board.counts() == {"submitted": 4, "draft": 1, "not-started": 1, "late": 3}


def test_unit_counts_include_its_draft(board, reports):
    rows = {r.unit.id: r for r in board.units}
    draft = rows["tap-chi-attt"]
    assert (draft.tasks, draft.reported) == (22, 2)
    assert draft.counts["no-report"] == 20
    assert draft.missing[:3] == ["2.1", "2.2", "3.1"]
    company = rows["cong-ty-129"]
    statuses = [tp.status for tp in reports["cong-ty-129"].tasks]
    assert company.counts == {
        "done": statuses.count("done"),
        "in-progress": statuses.count("in-progress"),
        "not-started": statuses.count("not-started"),
        "no-report": 0,
    }
    assert company.counts["done"] == 8


def test_tasks_roll_up_only_submitted_reports(board, sample_plan, reports, ref):
    t11 = next(t for t in board.tasks if t.id == "1.1")
    # The draft's figures (the Tạp chí's 1.1) are not counted: the roll-up of the four submitted reports.
    submitted = [p for uid, p in reports.items() if uid != "tap-chi-attt"]
    rolled = roll_up(sample_plan, submitted, AS_OF, ref)
    assert t11.figures == next(t for t in rolled.tasks if t.task.id == "1.1").figures
    assert t11.figures == {"so-buoi-quan-triet": 10, "so-luot-can-bo": 825}
    assert t11.by_unit["tap-chi-attt"] is None and t11.by_unit["hoc-vien-ktmm"] is None
    assert t11.by_unit["cuc-qlmmds"] == "not-started"
    assert (t11.due, t11.overdue, t11.overall) == (dt.date(2025, 9, 30), True, "in-progress")
    assert board.figures == rolled.totals()
    assert board.figure_labels["so-luot-can-bo"] == "Số lượt cán bộ tham gia"
    assert [g for g, _title in board.groups] == [g.id for g in sample_plan.appendix.groups]


def test_yearly_task_due_at_the_end_of_the_year_under_way(sample_plan, entries, ref):
    """2.1 is 'Hằng năm' in a plan of 2025-2030: due 31/12 of the as-of year, overdue once past it."""
    before = build_board(sample_plan, entries, AS_OF, DEADLINE, ref)
    after = build_board(sample_plan, entries, dt.date(2026, 1, 5), DEADLINE, ref)
    t_before, t_after = (next(t for t in b.tasks if t.id == "2.1") for b in (before, after))
    assert (t_before.due, t_before.overdue) == (dt.date(2025, 12, 31), False)
    assert (t_after.due, t_after.overdue) == (dt.date(2026, 12, 31), False)
    late = build_board(sample_plan, entries, dt.date(2031, 1, 5), DEADLINE, ref)
    t2031 = next(t for t in late.tasks if t.id == "2.1")
    assert (t2031.due, t2031.overdue) == (dt.date(2030, 12, 31), True)  # the period's last year
    assert t2031.due_dates == [dt.date(y, 12, 31) for y in range(2025, 2031)]
    t11 = next(t for t in late.tasks if t.id == "1.1")
    assert t11.due_dates == [dt.date(2025, 9, 30)]
    assert next(t for t in late.tasks if t.id == "1.2").due_dates == []  # Thường xuyên


def test_no_deadline_nobody_late_before_it_nobody_late(sample_plan, entries, ref):
    assert build_board(sample_plan, entries, AS_OF, None, ref).counts()["late"] == 0
    early = build_board(sample_plan, entries, dt.date(2025, 8, 14), DEADLINE, ref)
    assert {r.unit.id for r in early.units if r.late} == {"cuc-qlmmds"}  # its report is dated 20/8


def test_filtered_by_group_and_unit(board):
    g = board.filtered(group="6")
    assert [t.id for t in g.tasks] == ["6.1", "6.2"]
    assert g.groups == [gr for gr in board.groups if gr[0] == "6"]
    assert len(g.units) == 6
    u = board.filtered(unit="cong-ty-129")
    assert [r.unit.id for r in u.units] == ["cong-ty-129"]
    assert len(u.tasks) == 22 and all(list(t.by_unit) == ["cong-ty-129"] for t in u.tasks)
    assert u.figures == {"so-buoi-quan-triet": 5, "so-luot-can-bo": 430, "so-ca-nhan-khen-thuong": 25}
    both = board.filtered(group="1", unit="cong-ty-129")
    assert both.figures == {"so-buoi-quan-triet": 5, "so-luot-can-bo": 430}
    assert board.filtered(unit="khong-co").tasks == []


def test_behind_late_first(sample_plan, entries, ref):
    board = build_board(sample_plan, entries, AS_OF, DEADLINE, ref)
    assert [r.unit.id for r in board.behind()] == ["tap-chi-attt", "hoc-vien-ktmm"]
    early = build_board(sample_plan, entries[:-1], dt.date(2025, 8, 10), DEADLINE, ref)
    assert [r.unit.id for r in early.behind()] == ["tap-chi-attt", "hoc-vien-ktmm"]
    assert not any(r.late for r in early.behind())


def test_other_units_and_repeated_entries_are_ignored(sample_plan, reports, ref):
    p = reports["cong-ty-129"]
    board = build_board(
        sample_plan,
        [Entry("cong-ty-129", "submitted", p), Entry("cong-ty-129", "draft", None), Entry("not-a-unit", "submitted", p)],
        AS_OF,
        None,
        ref,
    )
    assert board.counts() == {"submitted": 1, "draft": 0, "not-started": 5, "late": 0}
    with pytest.raises(ValueError):
        Entry("cong-ty-129", "sent", p)


def test_reminder_text(board):
    text = reminder_text(board, "Báo cáo sơ kết thực hiện Kế hoạch số 09-KH/ĐUB")
    lines = text.splitlines()
    assert lines[0] == "Báo cáo sơ kết thực hiện Kế hoạch số 09-KH/ĐUB"
    assert lines[1] == "Hạn gửi báo cáo: 15/8/2025."
    assert lines[2] == "Đến ngày 30/11/2025, 2/6 đơn vị chưa gửi báo cáo:"
    assert lines[3].startswith(
        "1. Chi bộ Tạp chí An toàn thông tin (đang soạn, chậm hạn): còn 20/22 nhiệm vụ chưa báo cáo: 2.1, 2.2,"
    )
    assert lines[4].startswith(
        "2. Đảng ủy Học viện Kỹ thuật mật mã (chưa bắt đầu, chậm hạn): chưa báo cáo 22 nhiệm vụ: 1.1, 1.2,"
    )
    assert len(lines) == 5


def test_reminder_when_all_submitted(sample_plan, reports, ref):
    board = build_board(sample_plan, [Entry(u, "submitted", p) for u, p in reports.items()], AS_OF, None, ref)
    board = board.filtered(unit="cong-ty-129")
    assert reminder_text(board, "T").splitlines() == ["T", "Đến ngày 30/11/2025, tất cả 1 đơn vị đã gửi báo cáo."]
    assert reminder_messages(board, "T") == []


def test_reminder_messages(board):
    messages = reminder_messages(board, "Báo cáo sơ kết")
    assert [u.id for u, _s, _b in messages] == ["tap-chi-attt", "hoc-vien-ktmm"]
    unit, subject, body = messages[1]
    assert subject == "Nhắc gửi báo cáo: Báo cáo sơ kết"
    assert body.startswith("Kính gửi: Đảng ủy Học viện Kỹ thuật mật mã.\n")
    assert "Hạn gửi báo cáo là ngày 15/8/2025; đến ngày 30/11/2025, đơn vị chưa gửi báo cáo." in body
    assert "Đề nghị đơn vị khẩn trương hoàn thành và gửi báo cáo." in body


def test_workbook(board):
    wb = load_workbook(io.BytesIO(board_workbook(board)))
    assert wb.sheetnames == ["Đơn vị", "Nhiệm vụ", "Chi tiết"]
    units = wb["Đơn vị"]
    assert units["A1"].value == "Tình hình gửi báo cáo của các đơn vị đến ngày 30/11/2025; hạn gửi 15/8/2025"
    assert [c.value for c in units[2]][:6] == ["TT", "Đơn vị", "Tình trạng", "Chậm hạn", "Ngày gửi", "Số nhiệm vụ đã báo cáo"]
    qlmmds = [c.value for c in units[8]]
    assert qlmmds[:4] == [6, "Cục Quản lý mật mã dân sự và Kiểm định sản phẩm mật mã", "đã gửi", "x"]
    assert qlmmds[4].date() == dt.date(2025, 8, 20) and units["E8"].number_format == "DD/MM/YYYY"
    assert qlmmds[5] == "22/22"
    tasks = wb["Nhiệm vụ"]
    head = [c.value for c in tasks[2]]
    row = dict(zip(head, [c.value for c in tasks[3]], strict=True))
    assert (row["TT"], row["Quá hạn"], row["Tình trạng chung"]) == ("1.1", "x", "đang thực hiện")
    assert (row["Số đơn vị hoàn thành"], row["Số đơn vị chưa có báo cáo"]) == (3, 2)
    assert row["Số lượt cán bộ tham gia"] == 825
    assert tasks.max_row == 2 + 22
    assert wb["Chi tiết"].max_row == 2 + sum(len(t.by_unit) for t in board.tasks)


# ----------------------------------------------------------------------------- the plan's own figures


@pytest.fixture(scope="module")
def own_figures_plan(sample_plan) -> Plan:
    return sample_plan.model_copy(
        update={
            "figures": [
                PlanFigure(id="so-hoi-nghi", label="Số hội nghị quán triệt", unit="hội nghị"),
                PlanFigure(id="so-bai-viet", label="Số bài viết tuyên truyền"),
            ]
        }
    )


def test_plan_figures_replace_the_datas(own_figures_plan, sample_plan, ref):
    assert list(figures_of(sample_plan, ref)) == list(ref.figures)
    asked = figures_of(own_figures_plan, ref)
    assert list(asked) == ["so-hoi-nghi", "so-bai-viet"]
    assert asked["so-bai-viet"].heading == "Số bài viết tuyên truyền"
    assert asked["so-hoi-nghi"].heading == "Số hội nghị quán triệt (hội nghị)"


def test_plan_figures_in_checks_and_report(own_figures_plan, reports, ref):
    p = reports["cong-ty-129"]
    problems = check_progress(p, own_figures_plan, "plan.yaml", ref)
    assert any("unknown figure 'so-buoi-quan-triet'" in x.message and "so-hoi-nghi, so-bai-viet" in x.message for x in problems)
    tasks = [p.tasks[0].model_copy(update={"figures": {"so-hoi-nghi": 3, "so-bai-viet": 7}})]
    tasks += [tp.model_copy(update={"figures": {}}) for tp in p.tasks[1:]]
    mine = p.model_copy(update={"tasks": tasks})
    assert not [x for x in check_progress(mine, own_figures_plan, "plan.yaml", ref) if x.severity == "error"]
    report = build_report(roll_up(own_figures_plan, [mine], AS_OF, ref), "so-ket", ref, plan_file="plan.yaml")
    summary = report.sections[0].paragraphs
    assert "Tổng hợp số liệu của các đơn vị: số hội nghị quán triệt: 3 hội nghị; số bài viết tuyên truyền: 7." in summary
    board = build_board(own_figures_plan, [Entry(mine.unit, "submitted", mine)], AS_OF, None, ref)
    assert board.figures == {"so-hoi-nghi": 3, "so-bai-viet": 7}
    assert board.figure_labels == {"so-hoi-nghi": "Số hội nghị quán triệt", "so-bai-viet": "Số bài viết tuyên truyền"}


def test_plan_figures_in_the_excel_form(own_figures_plan, ref, tmp_path):
    unit = ref.units["cong-ty-129"]
    form = tmp_path / "f.xlsx"
    form.write_bytes(write_form(own_figures_plan, unit, ref, "Kế hoạch"))
    wb = load_workbook(form)
    ws = wb.worksheets[0]
    heads = [
        c.value
        for row in ws.iter_rows()
        for c in row
        if c.value in ("Số hội nghị quán triệt (hội nghị)", "Số bài viết tuyên truyền")
    ]
    assert heads == ["Số hội nghị quán triệt (hội nghị)", "Số bài viết tuyên truyền"]
    header_row = next(c.row for row in ws.iter_rows() for c in row if c.value == "Số bài viết tuyên truyền")
    first = header_row + 1
    ws.protection.sheet = False
    ws.cell(first, 4).value = "hoàn thành"
    for col in range(1, ws.max_column + 1):
        if ws.cell(header_row, col).value == "Số bài viết tuyên truyền":
            ws.cell(first, col).value = 4
    for r in range(first + 1, ws.max_row + 1):
        if ws.cell(r, 1).value:
            ws.cell(r, 4).value = "đang thực hiện"
    ws[DATE_CELL].value = dt.date(2025, 8, 12)
    wb.save(form)
    progress, _warnings = read_form(form, own_figures_plan, "plan.yaml", ref)
    assert progress.tasks[0].figures == {"so-bai-viet": 4}
    # The same form read against the plan without its own figures: its columns are unknown.
    with pytest.raises(LoadError) as exc:
        read_form(form, own_figures_plan.model_copy(update={"figures": []}), "plan.yaml", ref)
    assert any("unknown figure column 'Số bài viết tuyên truyền'" in p.message for p in exc.value.problems)


def test_plan_figures_from_yaml_and_their_ids_once(tmp_path):
    data = yaml.safe_load((SAMPLE_DIR / "plan.yaml").read_text(encoding="utf-8"))
    data["figures"] = [{"id": "so-hoi-nghi", "label": "Số hội nghị"}, {"id": "so-hoi-nghi", "label": "Số hội nghị, lần 2"}]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        load_plan(path)
    assert any("figure id 'so-hoi-nghi' is used twice (first at figures.0)" in p.message for p in exc.value.problems)


# ----------------------------------------------------------------------------- vanban board


def test_cli_board(cli):
    result = cli("board", SAMPLE_DIR / "plan.yaml", PROGRESS, "--as-of", "2025-11-30")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "As of 30/11/2025 (deadline 15/8/2025): 5 submitted, 0 draft, 1 not started; 2 late"
    academy = next(line for line in lines if "Học viện Kỹ thuật mật mã" in line)
    assert academy.split()[-8:] == ["started,", "late", "-", "0/22", "0", "0", "0", "22"]
    qlmmds = next(line for line in lines if line.strip().startswith("Cục Quản lý mật mã"))
    assert "submitted, late" in qlmmds and "20/8/2025" in qlmmds
    t11 = next(line for line in lines if line.strip().startswith("1.1 "))
    assert t11.split(None, 2)[1] == "30/9/2025"
    assert "in progress (overdue)" in t11 and t11.endswith("4 done, 1 not carried out, 1 not reported")
    assert "  Số lượt cán bộ tham gia: 857 lượt" in lines


def test_cli_board_deadline_xlsx_and_reminders(cli, tmp_path):
    out = tmp_path / "bang.xlsx"
    result = cli(
        "board", SAMPLE_DIR / "plan.yaml", PROGRESS, "--as-of", "2025-11-30", "--deadline", "2025-08-30",
        "--xlsx", out, "--reminders",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith("(deadline 30/8/2025): 5 submitted, 0 draft, 1 not started; 1 late")
    reminders = result.stdout[result.stdout.index("Hạn gửi báo cáo: 30/8/2025.") :].splitlines()
    assert reminders[1] == "Đến ngày 30/11/2025, 1/6 đơn vị chưa gửi báo cáo:"
    assert reminders[2].startswith("1. Đảng ủy Học viện Kỹ thuật mật mã (chưa bắt đầu, chậm hạn): chưa báo cáo 22 nhiệm vụ: 1.1,")
    wb = load_workbook(out)
    assert wb.sheetnames == ["Đơn vị", "Nhiệm vụ", "Chi tiết"]
    assert [c.value for c in wb["Đơn vị"][7]][1:4] == ["Học viện Kỹ thuật mật mã", "chưa bắt đầu", "x"]
    # An existing file is not overwritten without --force, and nothing else is written.
    again = cli("board", SAMPLE_DIR / "plan.yaml", PROGRESS, "--xlsx", out)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert again.stdout == ""


def test_cli_board_refused_file_and_no_reports(cli, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "cong-ty-129.yaml").write_text((PROGRESS / "cong-ty-129.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "hoc-vien.yaml").write_text("unit: hoc-vien-ktmm\nreported: 2025-08-40\ntasks: []\n", encoding="utf-8")
    result = cli("board", SAMPLE_DIR / "plan.yaml", folder, "--as-of", "2025-11-30")
    assert result.exit_code == 1
    assert f"{folder / 'hoc-vien.yaml'}:2:" in result.stderr  # located: file:line
    assert "1 progress report(s) refused" in result.stderr
    assert result.stdout.splitlines()[0].endswith("1 submitted, 0 draft, 5 not started; 5 late")
    nothing = cli("board", SAMPLE_DIR / "plan.yaml", "--as-of", "2025-08-01")
    assert nothing.exit_code == 0 and nothing.stdout.splitlines()[0].endswith("0 submitted, 0 draft, 6 not started; 0 late")


def test_cli_board_bad_date(cli):
    result = cli("board", SAMPLE_DIR / "plan.yaml", PROGRESS, "--as-of", "30/11/2025")
    assert result.exit_code == 2 and "'30/11/2025' is not a date as YYYY-MM-DD" in result.stderr


def test_cli_board_in_vietnamese():
    from .test_i18n import run

    result = run(["board", SAMPLE_DIR / "plan.yaml", PROGRESS, "--as-of", "2025-11-30"], "vi")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Đến ngày 30/11/2025 (hạn gửi 15/8/2025): 5 đơn vị đã gửi, 0 đang soạn, 1 chưa bắt đầu; 2 chậm hạn"
    assert "chưa bắt đầu, chậm hạn" in next(line for line in lines if "Học viện Kỹ thuật mật mã" in line)
    t11 = next(line for line in lines if line.strip().startswith("1.1 "))
    assert "đang thực hiện (quá hạn)" in t11 and t11.endswith("4 hoàn thành, 1 chưa thực hiện, 1 chưa có báo cáo")


def test_derived_plan_asks_its_units_for_the_same_figures(own_figures_plan, ref):
    from generator.transform.derive import derive

    child = derive(own_figures_plan, ref.units["cong-ty-129"], ref, parent_file="../plan.yaml")
    assert [f.id for f in child.figures] == ["so-hoi-nghi", "so-bai-viet"]
    assert list(figures_of(child, ref)) == ["so-hoi-nghi", "so-bai-viet"]


def test_cli_board_yearly_tasks_without_years(cli, tmp_path):
    data = yaml.safe_load((SAMPLE_DIR / "plan.yaml").read_text(encoding="utf-8"))
    del data["period"]
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("board", plan, PROGRESS, "--as-of", "2025-11-30")
    assert result.exit_code == 1 and result.stdout == ""
    assert f"{plan}:1:1: error: period: the plan has 'Hằng năm' tasks but does not say which years" in result.stderr
    with pytest.raises(ValueError, match="period: 2025-2030"):
        build_board(load_plan(plan).plan, [], AS_OF, None, load_refdata())


def test_cli_board_refuses_a_date_before_the_plan_and_writes_no_workbook_over_a_refused_report(cli, tmp_path):
    early = cli("board", SAMPLE_DIR / "plan.yaml", PROGRESS, "--as-of", "2020-01-01")
    assert early.exit_code == 1 and "plan.yaml:" in early.stderr and "before the plan's date" in early.stderr
    assert early.stdout == ""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "hoc-vien.yaml").write_text("unit: hoc-vien-ktmm\nreported: 2025-08-40\ntasks: []\n", encoding="utf-8")
    out = tmp_path / "bang.xlsx"
    refused = cli("board", SAMPLE_DIR / "plan.yaml", PROGRESS, folder, "--as-of", "2025-11-30", "--xlsx", out)
    assert refused.exit_code == 1 and "not written" in refused.stderr
    assert not out.exists()


def test_cli_board_reads_a_file_named_twice_once(cli):
    twice = cli("board", SAMPLE_DIR / "plan.yaml", PROGRESS, PROGRESS / "cong-ty-129.yaml", "--as-of", "2025-11-30")
    assert twice.exit_code == 0, twice.output
    assert twice.stdout.splitlines()[0].endswith("5 submitted, 0 draft, 1 not started; 2 late")


def test_a_file_that_is_no_workbook_is_explained_in_vietnamese(tmp_path):
    from .test_i18n import run

    renamed = tmp_path / "bao-cao.xlsx"
    renamed.write_text("hello", encoding="utf-8")
    result = run(["board", SAMPLE_DIR / "plan.yaml", renamed, "--as-of", "2025-11-30"], "vi")
    assert result.returncode == 1
    assert "tệp không phải sổ tính .xlsx" in result.stderr and "zip file" not in result.stderr
