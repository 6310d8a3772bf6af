"""The office's own data folder layered over template-fields.yaml, statuses.yaml and the data/new/ skeletons, like the
other data (docs/du-lieu-rieng.md): each overridden from a tmp data folder and seen through real commands."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from generator.cli.app import main
from generator.io import refdata
from generator.io.refdata import load, use_user_data

from .conftest import SAMPLE_DIR


@pytest.fixture(autouse=True)
def _reset():
    use_user_data(None)
    load.cache_clear()
    yield
    use_user_data(None)
    load.cache_clear()


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_template_fields_of_the_office_override_and_add(tmp_path):
    (tmp_path / "template-fields.yaml").write_text(
        "ke-hoach:\n  title: Tên loại theo cách gọi của văn phòng\n  ghi_chu: Ghi chú riêng của văn phòng\n", encoding="utf-8"
    )
    builtin = _run("template", "fields", "ke-hoach")
    assert builtin.exit_code == 0 and "Ghi chú riêng" not in builtin.output
    result = _run("--data", str(tmp_path), "template", "fields", "ke-hoach")
    assert result.exit_code == 0, result.output
    assert "Tên loại theo cách gọi của văn phòng" in result.output and "Ghi chú riêng của văn phòng" in result.output
    assert "Trích yếu" in result.output  # the built-in fields are still there
    assert "h.place_date" in result.output or "place_date" in result.output


def test_status_words_of_the_office_print_in_the_report(tmp_path):
    (tmp_path / "statuses.yaml").write_text("statuses:\n  in-progress: đang triển khai\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _run(
        "--data", str(tmp_path), "report", str(SAMPLE_DIR / "plan.yaml"), "--progress", str(SAMPLE_DIR / "progress"),
        "--period", "so-ket", "--as-of", "2025-11-30", "-o", str(out / "bc.docx"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    d = docx.Document(io.BytesIO((out / "bc.docx").read_bytes()))
    cells = " ".join(c.text for t in d.tables for c in t._cells).lower()
    assert "đang triển khai" in cells and "đang thực hiện" not in cells
    use_user_data(tmp_path)
    assert refdata.status_id("Đang triển khai") == "in-progress" and refdata.status_label("done") == "hoàn thành"
    assert refdata.status_id("đang thực hiện") == "in-progress"  # the units' files keep the usual words


@pytest.mark.parametrize(
    ("text", "words"),
    [("statuses:\n  half-done: làm một nửa\n", "half-done"), ("trang-thai:\n  done: xong\n", "trang-thai")],
)
def test_an_unknown_status_id_or_list_is_a_located_error(tmp_path, text, words):
    (tmp_path / "statuses.yaml").write_text(text, encoding="utf-8")
    result = _run("--data", str(tmp_path), "report", str(SAMPLE_DIR / "plan.yaml"), "--progress", str(SAMPLE_DIR / "progress"),
                  "--period", "so-ket", "-o", str(tmp_path / "bc.docx"))  # fmt: skip
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "statuses.yaml:" in result.output and words in result.output
    assert not (tmp_path / "bc.docx").exists()


def test_the_office_skeleton_for_vanban_new(tmp_path):
    (tmp_path / "new").mkdir()
    own = "# Kế hoạch của Văn phòng Huyện ủy\ntype: ke-hoach\nprofile: hd36-2018\n"
    (tmp_path / "new" / "ke-hoach.yaml").write_text(own, encoding="utf-8")
    result = _run("--data", str(tmp_path), "new", "ke-hoach", "-o", str(tmp_path / "kh.yaml"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kh.yaml").read_text(encoding="utf-8") == own
    # a kind of the same shape without a skeleton of its own starts from the office's Kế hoạch, typed as itself
    result = _run("--data", str(tmp_path), "new", "thong-bao", "-o", str(tmp_path / "tb.yaml"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tb.yaml").read_text(encoding="utf-8").startswith("# Kế hoạch của Văn phòng Huyện ủy\ntype: thong-bao\n")
    # other kinds keep the built-in skeleton
    result = _run("--data", str(tmp_path), "new", "cong-van", "-o", str(tmp_path / "cv.yaml"))
    assert result.exit_code == 0 and "Văn phòng Huyện ủy" not in (tmp_path / "cv.yaml").read_text(encoding="utf-8")
    assert Path(tmp_path / "cv.yaml").stat().st_size > 100
