"""Report statements that must be true: status and period ids, yearly tasks per year of the plan's
period, the report's date, and the units' own words normalised before they reach the page."""

from __future__ import annotations

import datetime as dt
import re

import docx
import pytest

from generator.io.loader import LoadError, load_plan
from generator.render import chart as chart_module
from generator.services.progress import load_progress
from generator.transform.rollup import build_report, roll_up

from .conftest import SAMPLE, SAMPLE_DIR

PROGRESS = SAMPLE_DIR / "progress"
REPORT = ["report", SAMPLE, "--progress", PROGRESS, "--as-of", "2025-11-30"]


# ----------------------------------------------------------------------------- ids and their labels


def test_period_by_id_and_by_its_vietnamese_words(cli, tmp_path):
    outputs = []
    for i, period in enumerate(("so-ket", "sơ-kết", "Sơ kết")):
        result = cli(*REPORT, "--period", period, "--yaml", "-o", tmp_path / f"r{i}.yaml")
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / f"r{i}.yaml").read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] == outputs[2]
    assert "period: so-ket" in outputs[0]
    assert cli(*REPORT, "--period", "tong-ket", "-o", tmp_path / "t.docx").exit_code == 0
    assert any(p.text.startswith("Tổng kết thực hiện Kế hoạch số") for p in docx.Document(tmp_path / "t.docx").paragraphs)
    bad = cli(*REPORT, "--period", "giữa-kỳ", "-o", tmp_path / "x.docx")
    assert bad.exit_code != 0 and "so-ket (sơ kết), tong-ket (tổng kết)" in bad.stderr
    assert not (tmp_path / "x.docx").exists()


def test_status_by_id_and_by_its_vietnamese_words(tmp_path, sample_plan, ref):
    path = tmp_path / "p.yaml"
    path.write_text(
        'unit: cong-ty-129\nreported: 2025-08-12\ntasks:\n  - {task: "1.1", status: done}\n'
        '  - {task: "1.2", status: Hoàn thành}\n  - {task: "2.1", status: in-progress}\n'
        '  - {task: "2.2", status: chưa thực hiện}\n',
        encoding="utf-8",
    )
    progress, _warnings = load_progress(path, sample_plan, "plan.yaml", ref)
    assert [t.status for t in progress.tasks] == ["done", "done", "in-progress", "not-started"]
    # "no report" is what a report says of a unit, never what a unit says of itself
    path.write_text(path.read_text(encoding="utf-8").replace("status: done", "status: no-report"), encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        load_progress(path, sample_plan, "plan.yaml", ref)
    assert "tasks.0.status: expected one of: hoàn thành, đang thực hiện, chưa thực hiện" in str(exc.value)


def test_chart_counts_follow_a_status_edited_in_the_report_yaml(cli, tmp_path, monkeypatch):
    assert cli(*REPORT, "--period", "sơ-kết", "--yaml", "-o", tmp_path / "r.yaml").exit_code == 0
    text = (tmp_path / "r.yaml").read_text(encoding="utf-8")
    # The secretariat marks task 1.2 (group 1) done, in the words the page prints.
    row = re.search(r"\n    - id: '1\.2'\n(?:      .*\n)*?      overall: (.*)\n", text)
    assert row is not None, text
    edited = text[: row.start(1)] + "Hoàn thành" + text[row.end(1) :]
    (tmp_path / "r.yaml").write_text(edited, encoding="utf-8")

    drawn = []
    real = chart_module.status_chart

    def spy(groups, **kw):
        drawn.append(groups)
        return real(groups, **kw)

    monkeypatch.setattr(chart_module, "status_chart", spy)
    result = cli("render", tmp_path / "r.yaml", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    (groups,) = drawn
    assert groups[0][0].startswith("1. Tổ chức phổ biến")
    assert groups[0][1] == {"in-progress": 1, "done": 1}  # 1.1 still in progress (overdue), 1.2 done
    assert sum(sum(c.values()) for _label, c in groups) == 22
    table = docx.Document(tmp_path / "out" / "r.docx").tables[2]
    cells = {r.cells[0].text: r.cells[5].text for r in table.rows[1:] if len(r._tr.tc_lst) == 6}
    assert (cells["1.1"], cells["1.2"]) == ("đang thực hiện (quá hạn)", "hoàn thành")


# ----------------------------------------------------------------------------- yearly tasks and the plan's period


def _plan_for_2027(tmp_path, period_line: str = "period: 2027"):
    """The sample plan issued in November 2026 for the year 2027."""
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("  date: 2025-08 ", "  date: 2026-11 ")
    text = re.sub(r"^period: .*$", period_line, text, flags=re.M)
    path = tmp_path / "plan-2027.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("period_line", ["period: 2027", "# no period field; the trích yếu says it"])
def test_yearly_tasks_are_due_at_the_end_of_the_plans_year_not_of_its_date(tmp_path, ref, period_line):
    path = _plan_for_2027(tmp_path, period_line)
    if not period_line.startswith("period"):
        text = path.read_text(encoding="utf-8").replace("  - “Về tăng cường", "  - năm 2027 “Về tăng cường", 1)
        path.write_text(text, encoding="utf-8")
    plan = load_plan(path, ref).plan
    progress = [load_progress(f, plan, "plan.yaml", ref)[0] for f in sorted(PROGRESS.glob("*.yaml"))]
    yearly = {t.task.id for t in roll_up(plan, progress, dt.date(2027, 1, 10), ref).tasks if t.timeframe.kind == "yearly"}
    assert len(yearly) == 12

    early = roll_up(plan, progress, dt.date(2027, 1, 10), ref)
    assert not yearly & {t.task.id for t in early.overdue}
    text = "\n".join(build_report(early, "so-ket", ref, plan_file="p.yaml").model_dump_json().split("\\n"))
    assert "31/12/2026" not in text
    assert "Nhiệm vụ 2.1 (Thường xuyên, hằng năm; năm 2027): đang thực hiện" in text

    after = roll_up(plan, progress, dt.date(2028, 1, 5), ref)
    late = {t.task.id: t.due for t in after.overdue}
    not_done = {t.task.id for t in after.tasks if t.task.id in yearly and t.overall != "done"}
    assert not_done == yearly and not_done <= set(late)  # no unit has finished a yearly task
    assert {late[t] for t in not_done} == {dt.date(2027, 12, 31)}
    limits = build_report(after, "tong-ket", ref, plan_file="p.yaml").sections[1].bullets
    assert "Nhiệm vụ 2.1 (thời gian: Thường xuyên, hằng năm; năm 2027; hạn 31/12/2027) quá hạn, chưa hoàn thành: " in "\n".join(
        limits
    )


def test_yearly_tasks_of_a_multi_year_plan_are_due_each_year(sample_plan, ref):
    progress = [load_progress(f, sample_plan, "plan.yaml", ref)[0] for f in sorted(PROGRESS.glob("*.yaml"))]
    assert sample_plan.period == "2025-2030"
    roll = roll_up(sample_plan, progress, dt.date(2028, 6, 30), ref)
    t21 = next(t for t in roll.tasks if t.task.id == "2.1")
    assert (t21.year, t21.due, t21.overdue) == (2028, dt.date(2028, 12, 31), False)


def test_a_plan_with_yearly_tasks_and_no_period_is_asked_for_one(cli, tmp_path):
    path = _plan_for_2027(tmp_path, "")
    result = cli("report", path, "--progress", PROGRESS, "--period", "so-ket", "--as-of", "2027-01-10", "-o", tmp_path / "r.docx")
    assert result.exit_code == 1
    assert re.search(
        rf"^{re.escape(str(path))}:\d+:\d+: error: period: the plan has 'Hằng năm' tasks but does not say "
        r"which years it covers: add period: 2027 \(one year\) or period: 2025-2030",
        result.stderr,
        re.M,
    ), result.stderr
    assert not (tmp_path / "r.docx").exists()


# ----------------------------------------------------------------------------- the report's date


def test_a_report_dated_before_its_plan_is_refused(cli, tmp_path):
    args = ["report", SAMPLE, "--progress", PROGRESS, "--period", "sơ-kết", "-o", tmp_path / "r.docx"]
    result = cli(*args, "--as-of", "2025-07-31")
    assert result.exit_code == 1
    line = next(i for i, t in enumerate(SAMPLE.read_text(encoding="utf-8").splitlines(), 1) if t.startswith("  date:"))
    assert (
        f"{SAMPLE}:{line}:9: error: header.date: the report date 2025-07-31 is before the plan's date 2025-08" in result.stderr
    ), result.stderr
    assert not (tmp_path / "r.docx").exists()
    # the plan's day is left blank: any day of its month may be after it
    assert cli(*args, "--as-of", "2025-08-01").exit_code == 0


# ----------------------------------------------------------------------------- the units' words on the page


def test_the_toolkits_own_report_passes_check_when_a_unit_wrote_a_short_date(cli, tmp_path):
    units = tmp_path / "progress"
    units.mkdir()
    for f in PROGRESS.glob("*.yaml"):
        (units / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    mine = units / "cong-ty-129.yaml"
    decomposed = "Quán triệt".replace("á", "a\u0301")
    mine.write_text(
        mine.read_text(encoding="utf-8").replace(
            'done: "Quán triệt tại hội nghị', f'done: "{decomposed} ngày 5/4/2027 và 3/12/2027  tại hội nghị'
        ),
        encoding="utf-8",
    )
    out = tmp_path / "bc.docx"
    result = cli("report", SAMPLE, "--progress", units, "--period", "sơ-kết", "--as-of", "2025-11-30", "-o", out)
    assert result.exit_code == 0, result.output
    check = cli("check", out)
    assert check.exit_code == 0 and ": error:" not in check.output, check.output
    texts = [p.text for p in docx.Document(out).paragraphs]
    assert any("Quán triệt ngày 05/4/2027 và 03/12/2027 tại hội nghị" in t for t in texts)
