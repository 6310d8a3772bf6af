"""Report periods from data (data/statuses.yaml, the office's own added): `vanban report --period hang-nam` and the
other periods beyond sơ kết and tổng kết, their words in the Báo cáo's trích yếu and opening, an office's own
period, and the located errors of a bad one."""

from __future__ import annotations

import io

import docx
import pytest
import yaml
from click.testing import CliRunner

from generator.cli.app import main
from generator.io.refdata import load, use_user_data

from .conftest import SAMPLE, SAMPLE_DIR

PROGRESS = SAMPLE_DIR / "progress"
PLAN_CITED = "Kế hoạch số     -KH/ĐUB ngày     /8/2025 của Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ"


@pytest.fixture(autouse=True)
def _reset():
    use_user_data(None)
    load.cache_clear()
    yield
    use_user_data(None)
    load.cache_clear()


def _run(*args: str):
    return CliRunner().invoke(main, list(args), env={"VANBAN_LANG": "vi"})


def _report(tmp_path, period: str, *data: str):
    out = tmp_path / "bc.docx"
    result = _run(
        *data, "report", str(SAMPLE), "--progress", str(PROGRESS), "--period", period,
        "--as-of", "2025-11-30", "-o", str(out), "--force",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return docx.Document(io.BytesIO(out.read_bytes()))


def _texts(d) -> list[str]:
    return [p.text for p in d.paragraphs] + [p.text for t in d.tables for c in t._cells for p in c.paragraphs]


@pytest.mark.parametrize(
    ("period", "subject", "reports"),
    [
        ("hang-nam", f"Kết quả thực hiện {PLAN_CITED} năm 2025", "báo cáo kết quả thực hiện năm 2025 đến ngày 30/11/2025"),
        ("hằng năm", f"Kết quả thực hiện {PLAN_CITED} năm 2025", "báo cáo kết quả thực hiện năm 2025 đến ngày"),
        (
            "so-ket-6-thang",
            f"Sơ kết 6 tháng đầu năm 2025 thực hiện {PLAN_CITED}",
            "báo cáo sơ kết 6 tháng đầu năm 2025 kết quả thực hiện đến ngày",
        ),
        ("dot-xuat", f"Kết quả thực hiện {PLAN_CITED}", "Chính phủ báo cáo kết quả thực hiện đến ngày 30/11/2025"),
        ("so-ket", f"Sơ kết thực hiện {PLAN_CITED}", "báo cáo sơ kết kết quả thực hiện đến ngày"),
        ("tong-ket", f"Tổng kết thực hiện {PLAN_CITED}", "báo cáo tổng kết kết quả thực hiện đến ngày"),
    ],
)
def test_the_period_words_open_the_subject_and_the_preamble(tmp_path, period, subject, reports):
    texts = _texts(_report(tmp_path, period))
    lines = [line for t in texts for line in t.split("\n")]
    assert subject in lines, [t for t in texts if "thực hiện Kế hoạch" in t][:3]
    assert any(reports in t for t in texts)


def test_the_period_is_kept_in_the_yaml_and_read_back(tmp_path, cli):
    out = tmp_path / "bc.yaml"
    result = cli("report", str(SAMPLE), "--progress", str(PROGRESS), "--period", "hằng năm", "--as-of", "2025-11-30",
                 "--yaml", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["basis"]["period"] == "hang-nam"
    data["basis"]["plan"] = str(SAMPLE)
    data["basis"]["period"] = "Đột xuất"  # its words are read as its id
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli("validate", str(out)).exit_code == 0


def test_an_unknown_period_is_refused_naming_the_periods(tmp_path, cli):
    result = cli("report", str(SAMPLE), "--progress", str(PROGRESS), "--period", "quý", "--as-of", "2025-11-30",
                 "-o", str(tmp_path / "bc.docx"))  # fmt: skip
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "hang-nam (hằng năm)" in result.output and "dot-xuat (đột xuất)" in result.output
    assert not (tmp_path / "bc.docx").exists()
    out = tmp_path / "bc.yaml"
    assert cli("report", str(SAMPLE), "--progress", str(PROGRESS), "--period", "so-ket", "--as-of", "2025-11-30",
               "--yaml", "-o", str(out)).exit_code == 0  # fmt: skip
    text = out.read_text(encoding="utf-8").replace("period: so-ket", "period: quý")
    out.write_text(text, encoding="utf-8")
    bad = _run("validate", str(out))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.strip() == "period: quý")
    assert bad.exit_code == 1 and f"bc.yaml:{line}:" in bad.output and "hằng năm" in bad.output and "Traceback" not in bad.output


def test_an_office_adds_its_own_period_and_rewords_one(tmp_path):
    (tmp_path / "statuses.yaml").write_text(
        "periods:\n"
        "  quy:\n"
        "    words: hằng quý\n"
        "    subject: Kết quả thực hiện {plan} quý IV năm {year}\n"
        "    preamble: báo cáo kết quả thực hiện quý IV năm {year}\n"
        "  so-ket: sơ kết giữa kỳ\n",
        encoding="utf-8",
    )
    texts = _texts(_report(tmp_path, "hằng quý", "--data", str(tmp_path)))
    lines = [line for t in texts for line in t.split("\n")]
    assert f"Kết quả thực hiện {PLAN_CITED} quý IV năm 2025" in lines
    assert any("báo cáo kết quả thực hiện quý IV năm 2025 đến ngày" in t for t in texts)
    load.cache_clear()
    texts = _texts(_report(tmp_path, "so-ket", "--data", str(tmp_path)))
    assert f"Sơ kết giữa kỳ thực hiện {PLAN_CITED}" in [line for t in texts for line in t.split("\n")]


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("  quy:\n    words: hằng quý\n    subject: Kết quả {ke_hoach}\n", "{plan}, {year}"),
        ("  quy:\n    word: hằng quý\n", "words"),
    ],
)
def test_a_bad_period_of_the_office_is_a_located_error(tmp_path, entry, words):
    (tmp_path / "statuses.yaml").write_text("periods:\n" + entry, encoding="utf-8")
    result = _run("--data", str(tmp_path), "report", str(SAMPLE), "--progress", str(PROGRESS), "--period", "so-ket",
                  "--as-of", "2025-11-30", "-o", str(tmp_path / "bc.docx"))  # fmt: skip
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "statuses.yaml:" in result.output and words in result.output
    assert not (tmp_path / "bc.docx").exists()
