"""Issue 13, the input side: devices and FIFOs, Excel forms that inflate, YAML nested past any
parser's stack, numbers and ids that break the writers, tags that skip the text checks.

The attack files are made at test time. Each case runs the real CLI (``python -m generator.cli``)
in a child process whose address space is capped at 1 GB and under a generous timeout, and checks
the located message, the exit status 1 and that the output folder holds nothing half-made.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from generator.io import refdata
from generator.io.excel import form_title, write_form

from .conftest import ROOT, SAMPLE, SAMPLE_DIR, capped_vanban

TIMEOUT = 120  # seconds; a FIFO read blocks forever, a 17-billion-cell walk takes hours
NOT_A_FILE = "is not a regular file (a device, a pipe or a socket); only files are read"


def vanban(*args, lang: str = "en"):
    return capped_vanban(*args, timeout=TIMEOUT, lang=lang)


def refused(result: subprocess.CompletedProcess, *expected: str) -> None:
    """Exit 1, no traceback, no 'internal error', and every *expected* line in the output."""
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out and "internal error" not in out, out
    for line in expected:
        assert line in out, out


@pytest.fixture
def fifo(tmp_path):
    def make(name: str):
        path = tmp_path / name
        os.mkfifo(path)
        return path

    return make


# ----------------------------------------------------------------------------- 3. devices and FIFOs


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", [("validate",), ("lint",), ("check",)])
def test_a_device_is_refused_by_every_reader(device, command):
    result = vanban(*command, device)
    refused(result, f"{device}: {NOT_A_FILE}" if command[0] != "validate" else f"{device}: error: {NOT_A_FILE}")


@pytest.mark.parametrize(
    "name, command",
    [
        ("plan.yaml", ("validate",)),
        ("plan.yaml", ("lint",)),
        ("form.xlsx", ("validate",)),
        ("plan.docx", ("check",)),
        ("template.docx", ("template", "check")),
    ],
)
def test_a_fifo_is_refused_not_waited_on(fifo, name, command):
    path = fifo(name)
    refused(vanban(*command, path), f"{path}: ", NOT_A_FILE)


def test_a_device_as_template_writes_nothing(tmp_path):
    out = tmp_path / "out"
    refused(vanban("render", SAMPLE, "-o", out, "--template", "/dev/zero"), f"vanban: /dev/zero: {NOT_A_FILE}")
    assert not out.exists()


def _child_naming(tmp_path, parent: str):
    """A derived plan (made by vanban derive) whose source.plan is replaced by *parent*."""
    (tmp_path / "derived").mkdir()
    shutil.copy(SAMPLE, tmp_path / "plan.yaml")
    child = tmp_path / "derived" / "cong-ty-129.yaml"
    text = (SAMPLE_DIR / "derived" / "cong-ty-129.yaml").read_text(encoding="utf-8")
    child.write_text(text.replace("  plan: ../plan.yaml", f"  plan: {parent}"), encoding="utf-8")
    line = next(i for i, l in enumerate(child.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("  plan: "))
    return child, line


@pytest.mark.parametrize(
    "parent", ["/dev/zero", "../../../../../../../../dev/zero", "../../etc/passwd", "/etc/hostname", "../../elsewhere.yaml"]
)
def test_source_plan_outside_the_plan_folder_is_refused(tmp_path, parent):
    child, line = _child_naming(tmp_path, parent)
    refused(
        vanban("validate", child),
        f"{child}:{line}:9: error: source.plan: the parent plan must be a .yaml file in this plan's folder",
    )


def test_source_plan_beside_or_one_folder_up_is_read(tmp_path):
    child, _line = _child_naming(tmp_path, "../plan.yaml")
    result = vanban("validate", child)
    assert result.returncode == 0, result.stderr
    fifo = tmp_path / "derived" / "parent.yaml"
    os.mkfifo(fifo)
    child.write_text(child.read_text(encoding="utf-8").replace("  plan: ../plan.yaml", "  plan: parent.yaml"), encoding="utf-8")
    refused(vanban("validate", child), "source.plan: the parent plan cannot be used:", NOT_A_FILE)


# ----------------------------------------------------------------------------- 4. Excel forms


@pytest.fixture
def form(tmp_path, sample_plan, ref):
    """A form filled as its instructions ask; ``form(edit)`` applies *edit* to the sheet first."""
    path = tmp_path / "cong-ty-129.xlsx"

    def make(edit=None):
        path.write_bytes(write_form(sample_plan, ref.unit("cong-ty-129"), ref, form_title(sample_plan, ref)))
        wb = load_workbook(path)
        ws = wb["Tiến độ"]
        ws["B4"] = dt.datetime(2025, 8, 12)
        for row in range(7, ws.max_row + 1):
            ws.cell(row, 4, "đang thực hiện")
        ws["E7"] = "Đã quán triệt tại hội nghị Đảng ủy."
        if edit:
            edit(ws)
        wb.save(path)
        return path

    return make


def test_one_cell_at_the_sheet_corner_costs_nothing(form):
    path = form(lambda ws: ws.__setitem__("XFD1048576", "x"))
    assert path.stat().st_size < 50_000
    refused(
        vanban("validate", path, "--plan", SAMPLE), f"{path}: error: Tiến độ!A1048576: row 1048576 has no task id (Mã nhiệm vụ)"
    )


def test_an_empty_cell_at_the_sheet_corner_is_harmless(form):
    path = form(lambda ws: ws["XFD1048576"].__setattr__("number_format", "0.00"))
    result = vanban("validate", path, "--plan", SAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_huge_result_text_is_refused_at_its_cell(form):
    path = form(lambda ws: ws.__setitem__("E7", "x" * 30_000))  # Excel keeps at most 32,767 per cell
    refused(
        vanban("validate", path, "--plan", SAMPLE), f"{path}: error: Tiến độ!E7: text of 30,000 characters; the limit is 20,000"
    )


def test_a_sheet_inflating_past_the_part_limit_is_refused(tmp_path, form):
    path = form(lambda ws: ws.__setitem__("E7", "MARK"))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info)
            if b"MARK" in data:
                data = data.replace(b"MARK", b" " * (30 * 2**20))
            b.writestr(info.filename, data)
    assert bomb.stat().st_size < 200_000
    refused(vanban("validate", bomb, "--plan", SAMPLE), "unpacks to more than 20 MB; refused")


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Đã làm \x90 xong", "Tiến độ!E7: text contains control characters that cannot be printed (U+0090)"),
        ("[[kết quả]]", "Tiến độ!E7: [[kết quả]] is a place still to be completed; write the text itself"),
    ],
)
def test_result_text_is_checked_like_yaml_text(form, typed, expected):
    path = form(lambda ws: ws.__setitem__("E7", typed))
    refused(vanban("validate", path, "--plan", SAMPLE), f"{path}: error: {expected}")


def test_the_eth_look_alike_is_corrected_with_a_warning(form, tmp_path):
    path = form(lambda ws: ws.__setitem__("E7", "Ðã quán triệt"))  # U+00D0, not Đ
    result = vanban("validate", path, "--plan", SAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{path}: warning: Tiến độ!E7: " in result.stderr and "U+00D0" in result.stderr


def test_a_figure_of_1e300_is_refused_at_its_cell(form, tmp_path):
    path = form(lambda ws: ws.__setitem__("F7", 1e300))
    refused(vanban("validate", path, "--plan", SAMPLE), f"{path}: error: Tiến độ!F7: ", "must be ≤ 1,000,000,000,000, got 1e+300")
    out = tmp_path / "out"
    refused(
        vanban("report", SAMPLE, "--progress", path, "--period", "so-ket", "--as-of", "2025-11-30", "-o", out / "bc.docx"),
        "no report written",
    )
    assert sorted(p.name for p in out.iterdir()) if out.exists() else [] == []


# ----------------------------------------------------------------------------- 6. nesting


@pytest.mark.parametrize(
    "text, where",
    [
        ("[" * 50_000, "1:1001"),
        ("{a: " * 50_000, "1:161"),
        ("- " * 50_000 + "x\n", "1:81"),
        ("".join(" " * i + "a:\n" for i in range(2_000)), "41:41"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "lint"])
def test_deep_nesting_is_refused_before_parsing(tmp_path, text, where, command):
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    refused(vanban(command, path), f"{path}:{where}: error: nested more than 40 levels deep")


# ----------------------------------------------------------------------------- 10. located, not internal errors


def test_a_huge_figure_in_a_yaml_progress_report_is_located(tmp_path):
    folder = tmp_path / "progress"
    folder.mkdir()
    mine = folder / "cong-ty-129.yaml"
    text = (SAMPLE_DIR / "progress" / "cong-ty-129.yaml").read_text(encoding="utf-8")
    mine.write_text(text.replace("so-buoi-quan-triet: 5,", "so-buoi-quan-triet: " + "1" + "0" * 300 + ","), encoding="utf-8")
    out = tmp_path / "out"
    result = vanban("report", SAMPLE, "--progress", folder, "--period", "so-ket", "--as-of", "2025-11-30", "-o", out / "bc.docx")
    refused(
        result,
        f"{mine}:6:",
        "tasks.0.figures.so-buoi-quan-triet: must be ≤ 1,000,000,000,000, got 10000000000000000000…",
        "no report written",
    )
    # The return sheet is the one complete output; no report, whole or in part.
    assert sorted(p.name for p in out.iterdir()) == ["phieu-tra-lai-cong-ty-129.txt"]
    sheet = (out / "phieu-tra-lai-cong-ty-129.txt").read_text(encoding="utf-8")
    assert "dòng 6 (tasks.0.figures.so-buoi-quan-triet): phải ≤ 1,000,000,000,000, đang là 10000000000000000000…" in sheet


def test_binary_scalars_are_refused_where_text_is_expected(tmp_path):
    plan = tmp_path / "plan.yaml"
    # base64 of "[[fill me]]": it used to reach a final DOCX unchecked.
    plan.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("  name: Nguyễn Đăng Lực", "  name: !!binary W1tmaWxsIG1lXV0="),
        encoding="utf-8",
    )
    line = next(i for i, l in enumerate(plan.read_text(encoding="utf-8").splitlines(), 1) if "!!binary" in l)
    expected = (
        f"{plan}:{line}:9: error: signoff.name: the YAML tag !!binary is not allowed; write the value as plain text or a number"
    )
    refused(vanban("validate", plan), expected)
    out = tmp_path / "out"
    refused(vanban("render", plan, "-o", out), expected)
    assert not out.exists()


def test_a_plan_dated_2108_or_later_validates_and_renders(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(SAMPLE.read_text(encoding="utf-8").replace("  date: 2025-08 ", "  date: 2999-12-31 "), encoding="utf-8")
    assert vanban("validate", plan).returncode == 0
    result = vanban("render", plan, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["plan.docx"]


def test_an_unknown_profile_in_the_keywords_falls_back_with_a_warning(tmp_path):
    evil = tmp_path / "plan.docx"
    with zipfile.ZipFile(SAMPLE_DIR / "plan.docx") as a, zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename == "docProps/core.xml":
                data = data.replace(b"vanban-profile:quan-doi", b"vanban-profile:tinh-uy-rieng")
            b.writestr(info.filename, data)
    result = vanban("check", evil)
    assert "internal error" not in result.stderr and result.returncode in (0, 1), result.stderr
    assert (
        f"{evil}: warning: the document was made for rule profile 'tinh-uy-rieng', which is not known here; "
        "it is checked under the default profile (use --profile to choose)"
    ) in result.stderr
    assert "under profile hd36-2018" in result.stdout + result.stderr


@pytest.fixture
def own_data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    monkeypatch.setattr(refdata, "data_dir", lambda: folder)
    refdata.load.cache_clear()
    yield folder
    refdata.load.cache_clear()


@pytest.mark.parametrize("bad_id", ["../../thoat-ra", "x" * 300, "Cong-Ty", "cong ty", "cong-ty-"])
def test_unit_ids_must_be_safe_file_names(cli, own_data, tmp_path, bad_id):
    units = own_data / "units" / "ban-co-yeu.yaml"
    text = units.read_text(encoding="utf-8")
    assert "  - id: cong-ty-129\n" in text
    units.write_text(text.replace("  - id: cong-ty-129\n", f'  - id: "{bad_id}"\n', 1), encoding="utf-8")
    line = next(i for i, l in enumerate(units.read_text(encoding="utf-8").splitlines(), 1) if bad_id[:40] in l)
    out = tmp_path / "out"
    result = cli("derive", SAMPLE, "--all", "-o", out)
    assert result.exit_code == 1
    assert (
        result.stderr.strip().startswith(f"{units}:{line}:9: error: units.")
        and "must be lower-case letters, digits and hyphens, at most 64 characters" in result.stderr
    )
    assert not out.exists() and not (tmp_path / "thoat-ra.yaml").exists()
