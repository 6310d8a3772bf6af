"""Messages in Vietnamese and English: every message has a translation, and the commands speak it."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from generator.lang.i18n import LOCALE_DIR

from .conftest import ROOT, SAMPLE, SAMPLE_DIR

PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "vanban.po"


def catalog():
    with PO.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def source_messages() -> list[str]:
    ids = []
    for _file, _line, message, _c, _ctx in extract_from_dir(str(ROOT / "generator"), method_map=[("**.py", "python")],
                                                          keywords={"_": None}):
        if isinstance(message, str) and message not in ids:
            ids.append(message)
    return ids


def command_helps() -> list[str]:
    env = dict(os.environ, VANBAN_LANG="en")
    code = ("import json, inspect\nfrom generator.cli.app import main\nout=[]\n"
            "def walk(c):\n    out.append(c.help) if c.help else None\n    [walk(s) for s in getattr(c,'commands',{}).values()]\n"
            "walk(main)\nprint(json.dumps(out))")
    import json

    return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                                     check=True).stdout)


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_has_a_vietnamese_translation():
    cat = catalog()
    messages = source_messages() + command_helps()
    assert len(messages) > 250
    missing = [m for m in messages if not cat.get(m)]
    assert missing == [], f"{len(missing)} message(s) without a translation in {PO}"
    for m in messages:
        assert fields(m) == fields(cat[m]), m  # a translation keeps every placeholder


def run(args, lang, cwd=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(VANBAN_LANG=lang, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "generator.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd or ROOT, timeout=120)


COMMANDS = [["render"], ["pdf"], ["derive"], ["progress-form"], ["report"], ["check"], ["lint"], ["validate"],
            ["schema"], ["new"], ["doctor"], ["template", "check"], ["template", "fields"], []]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "vanban")
def test_help_in_both_languages(cmd):
    cat = catalog()
    en = run([*cmd, "--help"], "en")
    vi = run([*cmd, "--help"], "vi")
    assert en.returncode == vi.returncode == 0
    assert "Usage:" in en.stdout and "Cách dùng:" in vi.stdout
    assert "Options:" in en.stdout and "Tùy chọn:" in vi.stdout
    first_en = en.stdout.split("\n\n")[1].strip().split("\n")[0]
    english = next(m for m in cat if isinstance(m, str) and m.startswith(first_en))  # plural ids are tuples
    assert cat[english].split("\n")[0][:40] in " ".join(vi.stdout.split())
    assert "Ví dụ:" in vi.stdout or not cmd or cmd == ["template"]  # a worked example in every command


def test_locale_selects_vietnamese():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "VANBAN_LANG"))}
    env.update(LANG="vi_VN.UTF-8", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "generator.cli", "--help"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert "Cách dùng:" in out.stdout


def test_missing_field_reads_in_vietnamese_with_file_line_and_field(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace("  name: Nguyễn Đăng Lực\n", ""), encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("signoff:")) + 1
    vi = run(["validate", path], "vi")
    assert vi.returncode == 1
    assert vi.stderr.strip() == f"{path}:{line}:3: lỗi: signoff.name: thiếu trường bắt buộc"
    en = run(["validate", path], "en")
    assert en.stderr.strip() == f"{path}:{line}:3: error: signoff.name: required field is missing"


def test_commands_speak_vietnamese(tmp_path):
    vi = run(["validate", SAMPLE], "vi")
    assert vi.stdout.strip() == "1 tệp hợp lệ"
    out = tmp_path / "out"
    assert run(["render", SAMPLE, "-o", out], "vi").stdout.strip() == f"đã ghi {out / 'plan.docx'}"
    again = run(["render", SAMPLE, "-o", out], "vi")
    assert again.returncode == 1 and again.stderr.strip() == f"vanban: {out / 'plan.docx'}: đã có; dùng --force để ghi đè"
    check = run(["check", SAMPLE_DIR / "plan.docx", "--profile", "hd36-2018"], "vi")
    assert "lỗi: noi-nhan.luu [spec §3.9] ¶35 “- Lưu: VT, CTTC.”: thấy dòng cuối '- Lưu: VT, CTTC.'; yêu cầu" in check.stdout
    assert check.stderr.strip().endswith("2 lỗi, 0 cảnh báo theo hồ sơ hd36-2018")
    doctor = run(["doctor", "-o", tmp_path], "vi")
    assert "ngôn ngữ hiện tại: vi" in doctor.stdout and "thư mục ghi kết quả" in doctor.stdout
    bad = run(["render", "--bogus"], "vi")
    assert bad.returncode == 2 and "Không có tùy chọn" in bad.stderr


def test_no_untranslated_english_in_vietnamese_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("type: ke-hoach\nheader: {number: x, colour: red}\n", encoding="utf-8")
    vi = run(["validate", path], "vi")
    for line in vi.stderr.splitlines():
        assert re.search(r"\b(error|expected|missing|unknown|required|got)\b", line) is None, line
