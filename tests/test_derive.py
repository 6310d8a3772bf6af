"""Deriving unit plans: coverage, citation, deadlines, drafts, determinism, samples."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import docx
import pytest

from generator.io.loader import load_plan
from generator.io.yamlout import dump_plan
from generator.model.concern import concerning_tasks, concerning_tasks_of, concerns, duties
from generator.model.document import Dropped, PartialDate
from generator.transform.derive import DeriveError, check_pair, derive

from .conftest import SAMPLE, SAMPLE_DIR

PARENT_REL = "../ke-hoach-41-ct-tw/plan.yaml"


@pytest.fixture(scope="module")
def units(ref):
    return ref.units


# ------------------------------------------------------------------------- coverage


def test_concerns_by_name_alias_group_and_party(units):
    cty = units["cong-ty-129"]
    assert concerns(cty, ["Công ty TNHH MTV 129"])
    assert concerns(cty, ["- Các cơ quan,  đơn vị thuộc BAN"])  # prefix, spaces and case do not matter
    assert concerns(cty, ["Cấp ủy cơ sở"])  # a party group of its party committee
    assert concerns(cty, ["Đảng ủy Công ty TNHH MTV 129"])
    assert not concerns(cty, ["Cục Chính trị - Tổ chức", "Tạp chí An toàn thông tin"])
    assert concerns(units["hoi-phu-nu-129"], ["Hội Phụ nữ"])
    assert not concerns(units["hoi-phu-nu-129"], ["Các cơ quan, đơn vị thuộc Ban"])


def test_tasks_and_roles_per_unit(sample_plan, units):
    lead = {c.task.id: c.roles for c in concerning_tasks(sample_plan, units["cuc-ct-tc"])}
    assert len(lead) == 22
    assert lead["1.2"] == ("chủ trì", "thực hiện")
    assert lead["1.1"] == ("chủ trì", "thực hiện")  # "Cấp ủy cơ sở": its chi bộ leads too
    assert lead["7.3"] == ("thực hiện",)  # led by the Trung tâm
    women = [c.task.id for c in concerning_tasks(sample_plan, units["hoi-phu-nu-129"])]
    assert women == ["6.1", "6.2"]
    assert concerning_tasks(sample_plan, units["ubkt-dub"]) == []


def test_concerning_tasks_of_many_units_agrees_with_each_cell_compared(sample_plan, units):
    """The index the board uses for 500 units finds, for every unit, what comparing each cell with it finds."""
    everyone = list(units.values())
    found = concerning_tasks_of(sample_plan, everyone)
    for unit, concerns_it in zip(everyone, found, strict=True):
        expected = []
        for group in sample_plan.appendix.groups:
            for task in group.tasks:
                cells = (("chủ trì", task.lead), ("thực hiện", task.units), ("phối hợp", task.coordinating))
                roles = tuple(role for role, names in cells if concerns(unit, names))
                if roles:
                    expected.append((group.id, task.id, roles))
        assert [(c.group.id, c.task.id, c.roles) for c in concerns_it] == expected, unit.id
    assert sum(1 for f in found if f) >= 5 and any(len(c.roles) > 1 for f in found for c in f)


def test_duties_from_to_chuc_thuc_hien(sample_plan, units):
    assert [d[:30] for d in duties(sample_plan, units["tap-chi-attt"])] == [
        "Tuyên truyền sâu rộng tư tưởng",
        "Căn cứ chức năng, nhiệm vụ đượ",
    ]
    assert [d[:30] for d in duties(sample_plan, units["cong-ty-129"])] == ["Căn cứ chức năng, nhiệm vụ đượ"]


# ------------------------------------------------------------------------- the derived plan


def test_derived_plan_for_a_party_committee(sample_plan, units, ref):
    child = derive(sample_plan, units["cong-ty-129"], ref, parent_file=PARENT_REL)
    h = child.header
    assert (h.superior, h.issuer, h.issuer_code, h.number, str(h.date)) == (
        "Đảng bộ Ban Cơ yếu Chính phủ",
        "Đảng ủy Công ty TNHH MTV 129",
        "ĐU",
        None,
        "2025-08",
    )
    assert child.preamble == [
        "Thực hiện Kế hoạch số     -KH/ĐUB ngày     /8/2025 của Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ về "
        "thực hiện Chỉ thị số 41-CT/TW ngày 26/12/2024 của Bộ Chính trị “Về tăng cường sự lãnh đạo của Đảng đối "
        "với công tác thi đua, khen thưởng trong tình hình mới”,",
        "Ban Thường vụ Đảng ủy Công ty TNHH MTV 129 ban hành Kế hoạch thực hiện như sau:",
    ]
    assert [t.parent for t in child.tasks()] == [t.id for t in sample_plan.tasks()]
    assert child.tasks()[0].id == "1.1" and child.tasks()[0].timeframe == "Quý III/2025"
    assert child.closing.report.deadline == dt.date(2025, 8, 10)  # before the parent's 15/8
    assert child.closing.report.to == "Ban Thường vụ Đảng ủy Công ty"
    assert child.signoff.name == "[[họ tên người ký]]"  # the profile gives no signer: to complete
    assert [r.to for r in child.recipients][:2] == ["Ban Thường vụ Đảng ủy Ban", "Cục Chính trị - Tổ chức"]
    assert child.source.plan == PARENT_REL and child.source.unit == "cong-ty-129"
    assert check_pair(child, sample_plan, units["cong-ty-129"], "plan.yaml") == []


def test_citation_of_a_numbered_parent_under_hd36(sample_plan, units, ref):
    numbered = sample_plan.model_copy(
        update={
            "profile": "hd36-2018",
            "header": sample_plan.header.model_copy(update={"number": 7, "date": PartialDate(2025, 8, 5)}),
        }
    )
    unit = units["cong-ty-129"].model_copy(
        update={"party": units["cong-ty-129"].party.model_copy(update={"profile": "hd36-2018"})}
    )
    child = derive(numbered, unit, ref, parent_file=PARENT_REL)
    assert child.preamble[0].startswith(
        "Thực hiện Kế hoạch số 07-KH/ĐUB, ngày 05/8/2025 của Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ về thực hiện"
    )


def test_chi_bo_is_named_once(sample_plan, units, ref):
    child = derive(sample_plan, units["cuc-ct-tc"], ref, parent_file=PARENT_REL)
    assert child.preamble[1] == "Chi bộ Cục Chính trị - Tổ chức ban hành Kế hoạch thực hiện như sau:"
    assert child.signoff.form == "T/M" and child.signoff.authority == "Chi bộ"


def test_units_without_party_or_concern_are_refused(sample_plan, units, ref):
    with pytest.raises(DeriveError, match="issues no party plan"):
        derive(sample_plan, units["hoi-phu-nu-129"], ref, parent_file=PARENT_REL)
    lonely = units["cong-ty-129"].model_copy(
        update={
            "name": "Đơn vị khác",
            "groups": [],
            "aliases": [],
            "party": units["cong-ty-129"].party.model_copy(update={"issuer": "Đảng ủy khác", "groups": []}),
        }
    )
    with pytest.raises(DeriveError, match="no task or duty of the plan concerns"):
        derive(sample_plan, lonely, ref, parent_file=PARENT_REL)


def test_yaml_round_trip(tmp_path, sample_plan, units, ref):
    child = derive(sample_plan, units["cong-ty-129"], ref, parent_file=str(SAMPLE))
    path = tmp_path / "child.yaml"
    path.write_text(dump_plan(child, "comment"), encoding="utf-8")
    loaded = load_plan(path, ref)
    assert loaded.plan == child
    assert {t.path for t in loaded.todos} >= {"signoff.name"}


# ------------------------------------------------------------------------- pair checks


def test_pair_checks_name_both_files(tmp_path, sample_plan, units, ref):
    unit = units["cong-ty-129"]
    child = derive(sample_plan, unit, ref, parent_file=str(SAMPLE))
    g0 = child.appendix.groups[0]
    later = g0.tasks[0].model_copy(update={"timeframe": "Quý IV/2025"})
    ghost = g0.tasks[1].model_copy(update={"parent": "9.9"})
    groups = [g0.model_copy(update={"tasks": [later, ghost]})] + child.appendix.groups[1:]
    report = child.closing.report.model_copy(update={"deadline": dt.date(2025, 8, 20)})
    bad = child.model_copy(
        update={
            "appendix": child.appendix.model_copy(update={"groups": groups}),
            "closing": child.closing.model_copy(update={"report": report}),
        }
    )
    problems = {(p.dotted, p.severity, p.message) for p in check_pair(bad, sample_plan, unit, "plan.yaml")}
    assert problems == {
        (
            "appendix.groups.0.tasks.0.timeframe",
            "error",
            "'Quý IV/2025' ends 31/12/2025, later than task 1.1 of plan.yaml ('Quý III/2025', 30/9/2025)",
        ),
        ("appendix.groups.0.tasks.1.parent", "error", "task '9.9' does not exist in plan.yaml"),
        ("closing.report.deadline", "error", "reporting deadline 20/8/2025 is later than the parent's (15/8/2025) in plan.yaml"),
        (
            "appendix",
            "warning",
            "task 1.2 of plan.yaml concerns Công ty TNHH MTV 129 (thực hiện) but is not in this plan; "
            "add a task with parent: '1.2', or list it under source.dropped with a reason",
        ),
    }
    said = bad.model_copy(
        update={"source": bad.source.model_copy(update={"dropped": [Dropped(task="1.2", reason="Đã thực hiện")]})}
    )
    assert all(p.message.find("task 1.2 of") == -1 for p in check_pair(said, sample_plan, unit, "plan.yaml"))


def test_validate_reports_pair_problems_at_child_lines(cli, tmp_path, ref):
    out = tmp_path / "child.yaml"
    # A derived plan may name its parent only beside it (or one folder up): the plan is copied here.
    assert cli("derive", shutil.copy(SAMPLE, tmp_path / "plan.yaml"), "--unit", "cong-ty-129", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8").replace("timeframe: Quý III/2025", "timeframe: Tháng 12/2025", 1)
    out.write_text(text, encoding="utf-8")
    result = cli("validate", out)
    assert result.exit_code == 1
    (line,) = [l for l in result.stderr.splitlines() if "later than task 1.1" in l]
    lineno = next(i for i, l in enumerate(text.splitlines(), 1) if "Tháng 12/2025" in l)
    assert line.startswith(f"{out}:{lineno}:18: error: appendix.groups.0.tasks.0.timeframe: 'Tháng 12/2025' ends 31/12/2025")
    assert line.endswith("plan.yaml ('Quý III/2025', 30/9/2025)")


# ------------------------------------------------------------------------- CLI, drafts, determinism


def test_render_refuses_unfinished_places_unless_draft(cli, tmp_path):
    child = tmp_path / "child.yaml"
    assert cli("derive", shutil.copy(SAMPLE, tmp_path / "plan.yaml"), "--unit", "cuc-ct-tc", "-o", child).exit_code == 0
    result = cli("render", child, "-o", tmp_path / "out")
    assert result.exit_code == 1 and not (tmp_path / "out").exists()
    errors = [l for l in result.stderr.splitlines() if "still to be completed" in l]
    assert any(
        "signoff.name: still to be completed: [[họ tên người ký]] (fill it in, or render with --draft)" in l for l in errors
    )
    result = cli("render", child, "-o", tmp_path / "out", "--draft")
    assert result.exit_code == 0
    doc = docx.Document(tmp_path / "out" / "child.docx")
    assert doc.paragraphs[0].text == "DỰ THẢO"


def test_derive_all_is_deterministic(cli, tmp_path):
    for run in ("a", "b"):
        result = cli("derive", SAMPLE, "--all", "-o", tmp_path / run, "--render", "--draft", "--workers", "2")
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(
        f"{u}.{ext}"
        for u in ("cuc-ct-tc", "tap-chi-attt", "trung-tam-cntt-gsanm", "cong-ty-129", "hoc-vien-ktmm", "cuc-qlmmds")
        for ext in ("yaml", "docx")
    )
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert "Summary: 6 written, 4 skipped, 0 failed" in result.stderr
    assert "  skipped    hoi-phu-nu-129: issues no plan of its own" in result.stderr.splitlines()


def test_derive_all_without_draft_reports_each_unfinished_plan(cli, tmp_path):
    result = cli("derive", SAMPLE, "--all", "-o", tmp_path, "--render")
    assert result.exit_code == 1
    assert "vanban: cong-ty-129: " in result.stderr and "fill them in or use --draft" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing half-done: no YAML without its DOCX


def test_derive_cli_errors(cli, tmp_path):
    result = cli("derive", SAMPLE, "--unit", "nope", "-o", tmp_path / "x.yaml")
    assert result.exit_code == 1 and result.stderr.startswith("vanban: unknown unit 'nope'; known units: cuc-ct-tc,")
    result = cli("derive", SAMPLE, "--unit", "hoi-phu-nu-129", "-o", tmp_path / "x.yaml")
    assert result.exit_code == 1 and "issues no party plan" in result.stderr
    assert cli("derive", SAMPLE, "-o", tmp_path).exit_code == 2  # neither --unit nor --all


def test_new_blank_plan(cli, tmp_path):
    path = tmp_path / "moi.yaml"
    assert cli("new", "ke-hoach", "-o", path).exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("# Kế hoạch — blank plan")
    assert cli("validate", path).exit_code == 0
    assert cli("render", path, "-o", tmp_path).exit_code == 1
    assert cli("render", path, "-o", tmp_path, "--draft").exit_code == 0
    assert cli("new", "ke-hoach", "-o", path).exit_code == 1  # no overwrite without --force


def test_derived_samples_are_current(sample_plan, ref, tmp_path):
    from generator.kinds import render_document
    from generator.services.batch import header_comment

    folder = SAMPLE_DIR / "derived"
    for uid in ("cong-ty-129", "cuc-ct-tc"):
        unit = ref.unit(uid)
        child = derive(sample_plan, unit, ref, parent_file="../plan.yaml")
        assert (folder / f"{uid}.yaml").read_text(encoding="utf-8") == dump_plan(child, header_comment(SAMPLE, unit))
        assert (folder / f"{uid}.docx").read_bytes() == render_document(child.as_draft(), ref)
        loaded = load_plan(folder / f"{uid}.yaml", ref)
        assert not [w for w in loaded.warnings if w.severity == "error"]
        doc = docx.Document(io.BytesIO((folder / f"{uid}.docx").read_bytes()))
        assert doc.paragraphs[0].text == "DỰ THẢO"


def test_a_unit_plan_far_from_its_parent_is_checked_when_the_parent_is_named(cli, tmp_path):
    """A derived plan reads its parent only near itself, or when the user names the parent on the command line."""
    far = tmp_path / "elsewhere" / "deep" / "cong-ty-129.yaml"
    assert cli("derive", SAMPLE, "--unit", "cong-ty-129", "-o", far).exit_code == 0
    alone = cli("validate", far)
    assert alone.exit_code == 1 and "or name the parent plan on the command line too" in alone.stderr
    both = cli("validate", SAMPLE, far)
    assert both.exit_code == 0, both.stderr
