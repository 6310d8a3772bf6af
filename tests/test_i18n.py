"""Messages in Vietnamese and English: every message has a translation, and the commands speak it."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from generator.cli.app import ARGUMENT_NAMES
from generator.lang.i18n import LOCALE_DIR

from .conftest import ROOT, SAMPLE, SAMPLE_DIR, unwritable_dir

PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "vanban.po"


def catalog():
    with PO.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def source_messages() -> list[str]:
    ids = []
    for _file, _line, message, _c, _ctx in extract_from_dir(
        str(ROOT / "generator"), method_map=[("**.py", "python")], keywords={"_": None}
    ):
        if isinstance(message, str) and message not in ids:
            ids.append(message)
    return ids


def command_helps() -> list[str]:
    env = dict(os.environ, VANBAN_LANG="en")
    code = (
        "import json, inspect\nfrom generator.cli.app import main\nout=[]\n"
        "def walk(c):\n    out.append(c.help) if c.help else None\n    [walk(s) for s in getattr(c,'commands',{}).values()]\n"
        "walk(main)\nprint(json.dumps(out))"
    )
    import json

    return json.loads(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout
    )


def schema_descriptions() -> list[str]:
    """Field descriptions of every model a user edits as YAML: `vanban schema` shows them translated."""
    from generator.model.document import Plan, Progress, Report

    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "description" and isinstance(v, str):
                    out.append(v) if v not in out else None
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for model in (Plan, Report, Progress):
        walk(model.model_json_schema())
    return out


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_has_a_vietnamese_translation():
    cat = catalog()
    messages = source_messages() + command_helps() + schema_descriptions()
    assert len(messages) > 250
    missing = [m for m in messages if not cat.get(m)]
    assert missing == [], f"{len(missing)} message(s) without a translation in {PO}"
    for m in messages:
        assert fields(m) == fields(cat[m]), m  # a translation keeps every placeholder


def run(args, lang, cwd=None, pythonpath=ROOT):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(VANBAN_LANG=lang, PYTHONPATH=str(pythonpath))
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=120,
    )


COMMANDS = [
    ["render"],
    ["pdf"],
    ["derive"],
    ["progress-form"],
    ["report"],
    ["board"],
    ["check"],
    ["lint"],
    ["validate"],
    ["schema"],
    ["new"],
    ["doctor"],
    ["template", "check"],
    ["template", "fields"],
    [],
]


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


def test_arguments_are_named_in_the_users_language():
    vi = run(["render", "--help"], "vi")
    assert vi.stdout.split("\n")[0].endswith(" render [TÙY_CHỌN] KẾ_HOẠCH...")
    assert "Kết xuất KẾ_HOẠCH (YAML)" in " ".join(vi.stdout.split())
    assert "--kind LOẠI" in run(["template", "check", "--help"], "vi").stdout
    missing = run(["new"], "vi")
    assert missing.returncode == 2 and "Thiếu tham số 'LOẠI'" in missing.stderr
    en = run(["render", "--help"], "en")
    assert en.stdout.split("\n")[0].endswith(" render [OPTIONS] PLANS...") and "Render PLANS (YAML)" in en.stdout


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


# ----------------------------------------------------------------------------- no English left in Vietnamese

#: Common English words the catalog's own messages may not contain (function words, the YAML
#: parser's and click's vocabulary). The catalog's msgids add every word vanban itself speaks.
COMMON_ENGLISH = set(
    """
a about after all allowed already an and any are argument arguments as at be but by cannot character choose
command commands context could did does done error expected false file files find for found from given got
has have here if in indentation indicator into invalid is it key line list mapping may missing must no not
now of on one only option options or other parsing path please range run scanning sequence should some such
tab text than that the then there this to token true try type unexpected unknown use value values was were
what when where which while with without would wrote yes you your integer float number boolean choice
directory filename document block flow stream end start alias anchor escape quoted scalar directive usage
help show exit
""".split()
)

#: Codes and proper names that are the same in Vietnamese: formats, programs, the tool itself.
WHITELIST = {
    "yaml",
    "docx",
    "pdf",
    "xlsx",
    "json",
    "png",
    "utf",
    "vanban",
    "libreoffice",
    "word",
    "excel",
    "python",
    "schema",
    "vs",
    "code",
    "nfc",
    "tcvn",
    "vni",
    "unicode",
    "fontconfig",
    "pip",
    "times",
    "new",
    "roman",
    "liberation",
    "serif",
    "jinja",
    "lxml",
    "babel",
    "click",
    "pyyaml",
    "pydantic",
    "openpyxl",
    "matplotlib",
    "docxtpl",
    "zip",
    "tab",
    "ok",
    "id",
    "ids",
    "x",
    "hd",
    "ct",
    "tw",
    "kh",
    "vptw",
    "tnhh",
    "mtv",
    "cttc",
    "vt",
    "web",
    "gunicorn",
    "sqlite",
    "postgresql",
    "django",
    "nginx",
    "https",
}

_VI_INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_VI_VOWEL = r"(?:uyu|uya|uye|uoi|uou|oai|oao|oay|oeo|ieu|yeu|uai|uay|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|[aeiouy])"
VI_SYLLABLE = re.compile(rf"{_VI_INITIAL}{_VI_VOWEL}(?:ch|ng|nh|[cmnpt])?")

#: What is not a word of a sentence: paths and file names, options, field paths, code in backticks,
#: ids with digits, hyphens or underscores, the user's own values quoted back.
NOT_PROSE = re.compile(
    r"`[^`]*`|\S*[/\\]\S*|\S+\.(?:yaml|yml|docx|pdf|xlsx|json|png|po|mo)\b|(?<!\w)--?[A-Za-z][\w-]*"
    r"|\S*\[\]\S*|\b\w+(?:[.\-_]\w+)+\b|\w*\d\w*|'[^'\n]*'|\[\[[^\]]*\]\]|\$\w+|\bU\+[0-9A-F]+"
)


def english_words(text: str, vocabulary: set[str], allowed: set[str], names: set[str] = frozenset()) -> list[str]:
    """The English words of *text*; *names* are allowed as written (PLANS, render), *allowed* in any case."""
    words = []
    for token in re.findall(r"\w+", NOT_PROSE.sub(" ", text)):
        low = token.lower()
        if (
            token.isascii()
            and low in vocabulary
            and low not in allowed
            and token not in names
            and not VI_SYLLABLE.fullmatch(low)
            and not re.fullmatch(r"[IVX]+", token)
        ):
            words.append(token)
    return words


def field_names() -> set[str]:
    """Every field name of the documents a user writes: messages name them as they are written."""
    from pydantic import BaseModel

    from generator.model import document as model

    out = set()
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == model.__name__:
            out |= set(value.model_fields)
    return out


def english_vocabulary() -> set[str]:
    words = set(COMMON_ENGLISH)
    for msgid in catalog():
        for text in msgid if isinstance(msgid, tuple) else (msgid,):
            words |= {w.lower() for w in re.findall(r"[A-Za-z]+", NOT_PROSE.sub(" ", text)) if len(w) > 1}
    return words - WHITELIST


def _vi_scenarios(tmp: Path) -> list[list[str]]:
    """Every command once the way it works, and every error path a user can reach with bad input."""

    bad_yaml = {
        "colon": "type: ke-hoach\nheader: issuer: x\n",
        "indent": "header:\n  issuer: 1\n place: 2\n",
        "tab": "header:\n\t- x\n",
        "list": "subject: [a, b\nx: 1\n",
        "map": "header: {a: 1\n",
        "at": "type: @x\n",
        "alias": "type: *khong\n",
        "anchor": "a: &x 1\nb: &x 2\n",
        "escape": 'type: "a\\q"\n',
        "quote": "type: 'abc\n",
        "directive": "%FOO\n---\ntype: x\n",
        "docs": "type: a\n---\ntype: b\n",
        "dash": "subject:\n  - a\n  b: 1\n",
        "ctrl": "type: a\x01b\n",
        "empty": "",
        "top": "- a\n- b\n",
        "merge": "a: &x {b: 1}\nc: {<<: *x}\n",
        "twice": "type: ke-hoach\ntype: ke-hoach\n",
        "types": "type: ke-hoach\nheader: {number: x, colour: đỏ}\nsubject: 5\n",
        "date": SAMPLE.read_text(encoding="utf-8").replace("date: 2025-", "date: 15/10/2025 #", 1),
    }
    files = []
    for name, text in bad_yaml.items():
        (tmp / f"{name}.yaml").write_text(text, encoding="utf-8")
        files.append(str(tmp / f"{name}.yaml"))
    (tmp / "latin1.yaml").write_bytes("type: Kế hoạch\n".encode("cp1258", "replace") + b"\xff\n")
    (tmp / "folder.yaml").mkdir()
    child, form = str(tmp / "child.yaml"), tmp / "form.xlsx"
    runs = [
        ["validate", *files, str(tmp / "latin1.yaml"), str(tmp / "folder.yaml"), str(tmp / "khong-co.yaml")],
        ["validate", str(SAMPLE)],
        ["derive", str(SAMPLE), "--list"],
        ["derive", str(SAMPLE), "--unit", "cuc-ct-tc", "-o", child],
        ["validate", child],
        ["validate", "--final", child],
        ["render", child, "-o", str(tmp / "out")],
        ["derive", str(SAMPLE), "--all", "-o", str(tmp / "units")],
        ["derive", str(SAMPLE), "--all", "-o", str(tmp / "units-docx"), "--render"],
        ["derive", str(SAMPLE), "--unit", "khong-co", "-o", str(tmp / "x.yaml")],
        ["derive", str(SAMPLE), "--unit", "hoi-phu-nu-129", "-o", str(tmp / "x.yaml")],
        ["derive", str(SAMPLE), "-o", str(tmp)],
        ["derive", str(SAMPLE), "--unit", "cuc-ct-tc"],
        ["derive", str(SAMPLE), "--list", "--workers", "0"],
        ["derive", str(SAMPLE), "--list", "--date", "15/10/2025"],
        ["render", str(SAMPLE), str(SAMPLE), "--name", "x", "-o", str(tmp / "out")],
        ["render", str(SAMPLE), "-o", str(tmp / "out2")],
        ["render", str(SAMPLE), "-o", str(tmp / "out2")],
        ["render", "--bogus"],
        ["render"],
        ["pdf", str(tmp / "khong-co.docx"), "-o", str(tmp), "--timeout", "0"],
        ["pdf", str(ROOT / "README.md"), str(tmp / "khong-co.docx"), str(tmp / "folder.yaml"), "-o", str(tmp / "pdf")],
        ["render", str(SAMPLE), "-o", str(unwritable_dir(tmp))],
        ["progress-form", str(SAMPLE), "--unit", "khong-co", "-o", str(form)],
        ["progress-form", str(SAMPLE), "--unit", "cong-ty-129", "-o", str(form)],
        [
            "report",
            str(SAMPLE),
            "--progress",
            str(SAMPLE_DIR / "progress"),
            "--period",
            "sơ-kết",
            "--as-of",
            "15/10/2025",
            "-o",
            str(tmp / "bc.yaml"),
        ],
        [
            "report",
            str(SAMPLE),
            "--progress",
            str(SAMPLE_DIR / "progress"),
            "--period",
            "giữa-kỳ",
            "--as-of",
            "2025-11-30",
            "-o",
            str(tmp / "bc.yaml"),
        ],
        [
            "report",
            str(SAMPLE),
            "--progress",
            str(SAMPLE_DIR / "progress"),
            "--period",
            "sơ-kết",
            "--as-of",
            "2025-11-30",
            "-o",
            str(tmp / "bc.yaml"),
            "--yaml",
        ],
        [
            "report",
            str(SAMPLE),
            "--progress",
            str(form),
            "--period",
            "sơ-kết",
            "--as-of",
            "2025-11-30",
            "-o",
            str(tmp / "bc2.docx"),
        ],
        [
            "board",
            str(SAMPLE),
            str(SAMPLE_DIR / "progress"),
            "--as-of",
            "2025-11-30",
            "--reminders",
            "--xlsx",
            str(tmp / "b.xlsx"),
        ],
        ["board", str(SAMPLE), str(SAMPLE_DIR / "progress"), "--xlsx", str(tmp / "b.xlsx")],
        ["board", str(SAMPLE), str(form), "--as-of", "30/11/2025"],
        ["check", str(SAMPLE_DIR / "plan.docx")],
        ["check", str(SAMPLE_DIR / "plan.docx"), "--profile", "khong-co"],
        ["check", str(SAMPLE)],
        ["lint", str(SAMPLE)],
        ["lint", str(tmp / "ctrl.yaml"), str(tmp / "latin1.yaml")],
        ["schema", "-o", str(tmp / "plan.schema.json")],
        ["new", "ke-hoach", "-o", str(tmp / "moi.yaml")],
        ["new", "ke-hoach", "-o", str(tmp / "moi.yaml")],
        ["template", "check", str(ROOT / "doc_templates" / "ke-hoach.docx")],
        ["template", "check", str(SAMPLE)],
        ["template", "fields", "ke-hoach"],
        ["doctor", "-o", str(tmp / "doctor")],
        [],
    ]
    return runs


def _fill_form_with_a_bad_date(form: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(form)
    ws = wb["Tiến độ"]
    ws["B4"] = "15/10/2025"
    for row in range(7, ws.max_row + 1):
        ws.cell(row, 4, "đang thực hiện")
    wb.save(form)


def test_every_command_and_error_path_speaks_only_vietnamese(tmp_path):
    """Under VANBAN_LANG=vi, no English word in anything vanban prints or writes for the user to read.

    Runs every command's --help, every command once as it works, and every error path bad input
    reaches (broken YAML of each kind the parser reports, wrong fields, unknown units, bad dates,
    bad options, an Excel form with a bad date …), then reads stdout, stderr, the comments of the
    YAML files vanban writes (`new`, `derive`, `report --yaml`) and the descriptions of `schema`.

    A word is English when it is made of ASCII letters only, is in the English vocabulary (every
    word of the catalog's English msgids, plus common English words and the YAML parser's and
    click's words), is not a Vietnamese syllable written without its marks ("to", "in", "do",
    "can", "ban", "the" are Vietnamese too), and is not on the whitelist of codes and proper names
    (YAML, DOCX, LibreOffice, Word …). File names, paths, options, field paths (signoff.name), ids
    (cong-ty-129), text in backticks and the user's own values quoted back ('…') are not prose and
    are skipped, as are, written as vanban writes them, the names of commands (render), of their
    options in capitals (OUT, UNIT) and of the documents' fields (signoff, archive); the arguments' names (PLANS,
    PARENT …) are not: they are translated (KẾ_HOẠCH, KẾ_HOẠCH_CẤP_TRÊN). A single Vietnamese-shaped English word ("not") can slip through; a sentence cannot.
    """
    scenarios = _vi_scenarios(tmp_path)
    form = tmp_path / "form.xlsx"
    runs_before_form = scenarios[: next(i for i, a in enumerate(scenarios) if a[:1] == ["report"] and str(form) in a)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(VANBAN_LANG="vi", PYTHONPATH=str(ROOT))
    import json

    def drive(runs, helps):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "_vi_driver.py")],
            input=json.dumps({"runs": runs, "helps": helps}),
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    first = drive(runs_before_form, True)
    _fill_form_with_a_bad_date(form)
    results = first["results"] + drive(scenarios[len(runs_before_form) :], False)["results"]
    assert not [r for r in results if r["exc"] or r["code"] == 3], "a traceback or an internal error"
    assert any("15/10/2025" in r["err"] for r in results)

    texts = [(" ".join(r["args"]), r["out"] + r["err"]) for r in results]
    if os.environ.get("VANBAN_SHOW_VI"):  # to read what the user reads
        print("\n".join(f"$ vanban {a} [{r['code']}]\n{t}" for (a, t), r in zip(texts, results, strict=False)))
    for name in ("child.yaml", "moi.yaml", "bc.yaml", "units/cong-ty-129.yaml"):
        path = tmp_path / name
        texts.append((name, "\n".join(l for l in path.read_text(encoding="utf-8").splitlines() if "#" in l)))
    schema = json.loads((tmp_path / "plan.schema.json").read_text(encoding="utf-8"))

    def descriptions(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("description", "title") and isinstance(v, str):
                    yield v
                else:
                    yield from descriptions(v)
        elif isinstance(node, list):
            for v in node:
                yield from descriptions(v)

    texts.append(("schema", "\n".join(descriptions(schema))))

    vocabulary = english_vocabulary()
    # The arguments' names are translated (LOẠI, KẾ_HOẠCH): in English they are English words here, even where an
    # option has the same name (--kind, --plan).
    names = (set(first["options"]) - set(ARGUMENT_NAMES)) | set(first["commands"]) | field_names()
    found = {}
    for where, text in texts:
        for line in text.splitlines():
            words = english_words(line, vocabulary, WHITELIST, names)
            if words:
                found.setdefault(where, []).append(f"{line.strip()}  ← {', '.join(words)}")
    report = "\n".join(f"[{where}]\n  " + "\n  ".join(lines) for where, lines in found.items())
    assert not found, f"English under VANBAN_LANG=vi:\n{report}"


def test_the_english_detector_finds_english_and_passes_vietnamese():
    vocabulary = english_vocabulary()
    assert english_words("x.yaml:3:5: lỗi: malformed YAML: mapping values are not allowed here", vocabulary, WHITELIST)
    assert english_words("  --unit TEXT   Mã đơn vị", vocabulary, WHITELIST) == ["TEXT"]
    assert english_words("cong-ty-129   Công ty TNHH MTV 129 — 3 task(s)", vocabulary, WHITELIST) == ["task"]
    assert (
        english_words(
            "x.yaml:4:3: lỗi: signoff.name: thiếu trường bắt buộc; dùng --draft trong `vanban render`", vocabulary, WHITELIST
        )
        == []
    )
    assert english_words("Tên cơ quan ban hành, in hoa; mẫu Word của bạn; tệp YAML, DOCX, PDF", vocabulary, WHITELIST) == []


def test_yaml_parser_problems_are_explained_in_vietnamese_at_their_place(tmp_path):
    from generator.io.loader import YAML_PROBLEMS

    cat = catalog()
    assert [p for p in YAML_PROBLEMS if not cat.get(p)] == []
    path = tmp_path / "plan.yaml"
    path.write_text("type: ke-hoach\nheader:\n  issuer: Đảng ủy\n place: Hà Nội\n", encoding="utf-8")
    vi = run(["validate", path], "vi")
    assert vi.returncode == 1
    assert vi.stderr.strip() == (
        f"{path}:4:2: lỗi: YAML sai cú pháp: thụt lề sai: dòng này không thẳng hàng với các "
        "trường cùng cấp ở trên (hoặc thiếu dấu ':' sau tên trường)"
    )
    en = run(["validate", path], "en")
    assert en.stderr.strip() == f"{path}:4:2: error: malformed YAML: did not find expected key"


def test_new_plan_is_commented_in_the_users_language(tmp_path):
    import yaml

    vi, en = tmp_path / "vi.yaml", tmp_path / "en.yaml"
    assert run(["new", "ke-hoach", "-o", vi], "vi").returncode == 0
    assert run(["new", "ke-hoach", "-o", en], "en").returncode == 0
    vi_text, en_text = vi.read_text(encoding="utf-8"), en.read_text(encoding="utf-8")
    assert vi_text.startswith("# Kế hoạch — kế hoạch trống do `vanban new ke-hoach` tạo ra.\n")
    assert "# để trống: văn thư cấp số khi phát hành" in vi_text
    assert en_text.startswith("# Kế hoạch — blank plan made by `vanban new ke-hoach`.\n")
    assert yaml.safe_load(vi_text) == yaml.safe_load(en_text)  # the same plan, only the comments differ


def test_schema_descriptions_in_vietnamese():
    import json

    vi = json.loads(run(["schema"], "vi").stdout)
    en = json.loads(run(["schema"], "en").stdout)
    assert vi["$defs"]["Header"]["properties"]["issuer_code"]["description"] == (
        "Phần chữ viết tắt tên cơ quan trong ký hiệu, ví dụ 'ĐUB'"
    )
    assert en["$defs"]["Header"]["properties"]["issuer_code"]["description"] == "Issuer part of the ký hiệu, e.g. 'ĐUB'"
    assert "title" not in vi["$defs"]["Header"]["properties"]["issuer_code"] and "title" not in vi
    assert vi["$defs"]["Header"]["properties"].keys() == en["$defs"]["Header"]["properties"].keys()


@pytest.mark.parametrize(
    "po", [LOCALE_DIR / "vi/LC_MESSAGES/vanban.po", ROOT / "generator/web/locale/vi/LC_MESSAGES/django.po"], ids=["cli", "web"]
)
def test_each_message_is_translated_once(po):
    # Parallel branches append to the end of the catalog; a message added by two of them is compiled with
    # whichever comes last, so two different translations of one message must not both stay.
    seen: dict[tuple[str | None, str], int] = {}
    twice = []
    ctxt = None
    for n, line in enumerate(po.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("msgctxt "):
            ctxt = line
        elif line.startswith("msgid ") and line != 'msgid ""':
            key = (ctxt, line)
            if key in seen:
                twice.append(f"{po.name}:{n} (first at {seen[key]}): {line}")
            seen[key] = n
            ctxt = None
    assert not twice, "\n".join(twice)
