"""The report from live data (services/livereport.py): generated as ``vanban report`` builds it, generated again
after more submissions with the secretariat's edits kept and every change listed."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
import yaml

from generator.kinds import render_document
from generator.lang.i18n import use_language
from generator.model.document import StatusGroup
from generator.services.livereport import (
    ADDED,
    KEPT,
    REMOVED,
    STILL_REMOVED,
    UPDATED,
    GenerateError,
    generate,
    regenerate,
)
from generator.services.progress import load_progress

from .conftest import SAMPLE, SAMPLE_DIR

PROGRESS = SAMPLE_DIR / "progress"
FIRST, LATER = dt.date(2025, 11, 30), dt.date(2025, 12, 5)


@pytest.fixture(scope="module")
def reports(sample_plan, ref):
    return {f.stem: load_progress(f, sample_plan, "plan.yaml", ref)[0] for f in sorted(PROGRESS.glob("*.yaml"))}


@pytest.fixture(scope="module")
def base(sample_plan, reports, ref):
    """Generated before the Công ty's report came in."""
    return generate(sample_plan, [p for u, p in reports.items() if u != "cong-ty-129"], "so-ket", FIRST, ref, "plan.yaml")


@pytest.fixture(scope="module")
def fresh(sample_plan, reports, ref):
    return generate(sample_plan, list(reports.values()), "so-ket", LATER, ref, "plan.yaml")


@pytest.fixture(scope="module")
def edited(base):
    """The secretariat rewrote task 1.1's line, added a limitation of its own and deleted the line of 5.1."""
    ed = base.model_copy(deep=True)
    ed.sections[0].sections[0].paragraphs[0] = "Quán triệt Chỉ thị đến 100% chi bộ; văn phòng viết lại đoạn này."
    ed.sections[1].bullets.insert(1, "Một số đơn vị gửi báo cáo chậm, số liệu chưa đầy đủ.")
    group5 = ed.sections[0].sections[4]
    assert group5.paragraphs[0].startswith("Nhiệm vụ 5.1 ")
    del group5.paragraphs[0]
    return ed


@pytest.fixture(scope="module")
def merged(base, edited, fresh):
    with use_language("vi"):  # the changes are listed in the user's language: these tests read the Vietnamese
        return regenerate(base, edited, fresh)


def test_changes_read_in_the_users_language(base, edited, fresh, merged):
    """The same merge listed for a secretariat reading English: the places and the words are English, the kinds
    and the texts the same."""
    with use_language("en"):
        _report, english = regenerate(base, edited, fresh)
    _report, vietnamese = merged
    assert [c.kind for c in english] == [c.kind for c in vietnamese]
    assert [(c.before, c.after) for c in english] == [(c.before, c.after) for c in vietnamese]
    kept = next(c for c in english if c.kind == KEPT)
    assert kept.where == "I. 1, paragraph 1" and kept.what == "your edited text kept; the generated text changed to"
    assert any(c.where.startswith("I. 1, bulleted line ") and c.what == "added (from the new data)" for c in english)
    kept_vi = next(c for c in vietnamese if c.kind == KEPT)
    assert kept_vi.where == "I. 1, đoạn 1" and kept_vi.what == "giữ nội dung đã chỉnh sửa; nội dung tạo tự động đã đổi thành"


def test_generate_is_vanban_report(sample_plan, reports, ref, cli, tmp_path):
    """The web's report and the CLI's are the same document."""
    report = generate(sample_plan, list(reports.values()), "so-ket", FIRST, ref, "plan.yaml")
    out = tmp_path / "bao-cao.yaml"
    result = cli(
        "report",
        str(SAMPLE),
        "--progress",
        str(PROGRESS),
        "--period",
        "so-ket",
        "--as-of",
        "2025-11-30",
        "--yaml",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert report.sections[0].paragraphs == written["sections"][0]["paragraphs"]
    assert report.sections[1].bullets == written["sections"][1]["bullets"]
    assert report.appendix.groups == [StatusGroup.model_validate(g) for g in written["appendix"]["groups"]]
    assert report.sections[0].paragraphs[0].startswith("Đến ngày 30/11/2025, 5/6 đơn vị đã gửi báo cáo")


def test_generate_refuses_a_date_before_the_plan(sample_plan, reports, ref):
    with pytest.raises(GenerateError) as exc:
        generate(sample_plan, list(reports.values()), "so-ket", dt.date(2020, 1, 1), ref, "plan.yaml")
    assert exc.value.problems[0].path == ("header", "date")


def test_untouched_paragraphs_take_the_new_figures(merged, fresh):
    report, changes = merged
    assert report.sections[0].paragraphs == fresh.sections[0].paragraphs
    assert report.sections[0].paragraphs[0].startswith("Đến ngày 05/12/2025, 5/6 đơn vị đã gửi báo cáo")
    summary = next(c for c in changes if c.where == "I, đoạn 1")
    assert summary.kind == UPDATED
    assert summary.before.startswith("Đến ngày 30/11/2025, 4/6") and summary.after.startswith("Đến ngày 05/12/2025, 5/6")
    assert report.preamble == fresh.preamble


def test_edited_paragraph_kept_and_listed(merged, fresh):
    report, changes = merged
    group1 = report.sections[0].sections[0]
    assert group1.paragraphs[0] == "Quán triệt Chỉ thị đến 100% chi bộ; văn phòng viết lại đoạn này."
    assert group1.paragraphs[1] == fresh.sections[0].sections[0].paragraphs[1]  # 1.2 untouched: 4/6 now
    assert "4/6 đơn vị hoàn thành" in group1.paragraphs[1]
    kept = next(c for c in changes if c.where == "I. 1, đoạn 1")
    assert kept.kind == KEPT
    assert kept.before == "Quán triệt Chỉ thị đến 100% chi bộ; văn phòng viết lại đoạn này."
    assert kept.after == fresh.sections[0].sections[0].paragraphs[0]


def test_own_paragraph_kept_in_place_and_deleted_one_stays_deleted(merged, fresh):
    report, changes = merged
    limits = report.sections[1].bullets
    assert limits[1] == "Một số đơn vị gửi báo cáo chậm, số liệu chưa đầy đủ."
    assert limits[0] == fresh.sections[1].bullets[0]
    group5 = report.sections[0].sections[4]
    assert not any(p.startswith("Nhiệm vụ 5.1 ") for p in group5.paragraphs)
    assert group5.paragraphs == fresh.sections[0].sections[4].paragraphs[1:]
    still = next(c for c in changes if c.kind == STILL_REMOVED)
    assert still.before.startswith("Nhiệm vụ 5.1 ") and "5/6 đơn vị hoàn thành" in still.after


def test_appearing_and_disappearing_lines_listed(merged):
    report, changes = merged
    added = [c for c in changes if c.kind == ADDED]
    assert any(
        c.after.startswith("Công ty TNHH MTV 129 (nhiệm vụ 1.1): ") and c.where.startswith("I. 1, gạch đầu dòng") for c in added
    )
    removed = [c for c in changes if c.kind == REMOVED]
    assert [c.before for c in removed] == ["Đảng ủy Công ty TNHH MTV 129 chưa gửi báo cáo (hạn 15/8/2025)."]
    assert not any("Công ty TNHH MTV 129 chưa gửi" in b for b in report.sections[1].bullets)
    assert any(b.startswith("Công ty TNHH MTV 129 (nhiệm vụ 6.1): ") for b in report.sections[0].sections[5].bullets)


def test_appendix_basis_and_date_always_fresh(merged, fresh):
    report, _changes = merged
    assert report.appendix == fresh.appendix
    assert report.basis == fresh.basis and report.basis.as_of == LATER
    assert str(report.header.date) == "2025-12-05"


def test_secretariats_number_and_subject_kept(base, fresh):
    ed = base.model_copy(deep=True)
    ed.header.number = 17
    ed.subject = ["Báo cáo sơ kết 6 tháng", "thực hiện Chỉ thị số 41-CT/TW"]
    report, changes = regenerate(base, ed, fresh)
    assert report.header.number == 17
    assert report.subject == ["Báo cáo sơ kết 6 tháng", "thực hiện Chỉ thị số 41-CT/TW"]
    assert not [c for c in changes if c.where in ("Trích yếu", "Số văn bản")]  # the generated ones did not change


def test_nothing_edited_nothing_new_is_the_fresh_report(base, fresh, sample_plan, reports, ref):
    same = generate(sample_plan, [p for u, p in reports.items() if u != "cong-ty-129"], "so-ket", FIRST, ref, "plan.yaml")
    assert regenerate(base, base, same) == (same, [])
    report, _changes = regenerate(base, base, fresh)
    assert report == fresh


def test_section_added_by_the_secretariat_and_title_edited(base, fresh):
    ed = base.model_copy(deep=True)
    ed.sections[2].title = "Phương hướng, nhiệm vụ thời gian tới"
    ed.sections.insert(2, ed.sections[1].model_copy(update={"title": "Nguyên nhân", "bullets": ["Do khách quan."]}))
    report, _changes = regenerate(base, ed, fresh)
    assert [s.title for s in report.sections] == [
        "Kết quả thực hiện",
        "Hạn chế, tồn tại",
        "Nguyên nhân",
        "Phương hướng, nhiệm vụ thời gian tới",
    ]
    assert report.sections[2].bullets == ["Do khách quan."]
    assert report.sections[3].bullets == fresh.sections[2].bullets


def test_merged_report_renders(merged, ref):
    report, _changes = merged
    document = docx.Document(io.BytesIO(render_document(report, ref)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Quán triệt Chỉ thị đến 100% chi bộ; văn phòng viết lại đoạn này." in text
    assert "Một số đơn vị gửi báo cáo chậm, số liệu chưa đầy đủ." in text
    assert "Đến ngày 05/12/2025, 5/6 đơn vị đã gửi báo cáo" in text


def test_edits_carry_over_two_generations(base, edited, fresh, merged, sample_plan, reports, ref):
    """Fresh becomes the next base and the merged report the next edited text."""
    report, _changes = merged
    later = generate(sample_plan, list(reports.values()), "so-ket", dt.date(2026, 1, 10), ref, "plan.yaml")
    with use_language("vi"):
        again, changes = regenerate(fresh, report, later)
    assert again.sections[0].sections[0].paragraphs[0] == "Quán triệt Chỉ thị đến 100% chi bộ; văn phòng viết lại đoạn này."
    assert "Một số đơn vị gửi báo cáo chậm, số liệu chưa đầy đủ." in again.sections[1].bullets
    assert again.sections[0].paragraphs[0].startswith("Đến ngày 10/01/2026, 5/6 đơn vị")
    assert any(c.where == "I, đoạn 1" and c.kind == UPDATED for c in changes)
