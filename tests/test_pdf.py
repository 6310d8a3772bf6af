"""PDF of the very DOCX, through LibreOffice: page sizes, fonts, text, page numbers, and faults.

Skipped, with the reason, where LibreOffice or its fonts are missing — except under CI (CI=true),
whose set-up installs them, so there a missing LibreOffice fails instead of hiding the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pypdf
import pytest

from generator.convert import libreoffice as conv
from generator.convert.libreoffice import ConvertError, Options, check_environment, convert

from .conftest import SAMPLE, SAMPLE_DIR, unwritable_dir

try:
    check_environment()
    MISSING = None
except ConvertError as exc:
    MISSING = str(exc)

if MISSING and os.environ.get("CI") == "true":
    raise RuntimeError(f"CI must run the PDF tests, but: {MISSING}")
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"PDF tests skipped: {MISSING}")

A4 = (595.3, 841.9)


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory, sample_bytes) -> pypdf.PdfReader:
    work = tmp_path_factory.mktemp("pdf")
    docx_path = work / "plan.docx"
    docx_path.write_bytes(sample_bytes)
    (outcome,) = convert([docx_path], work / "out")
    assert outcome.ok, outcome.error
    return pypdf.PdfReader(outcome.pdf)


def size(page) -> tuple[float, float]:
    return round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)


def first_line(page) -> str:
    return page.extract_text().strip().splitlines()[0].strip()


def test_body_portrait_appendix_landscape(sample_pdf):
    sizes = [size(p) for p in sample_pdf.pages]
    k = sizes.index((A4[1], A4[0]))  # first landscape page
    assert k >= 1 and sizes[:k] == [A4] * k and sizes[k:] == [(A4[1], A4[0])] * (len(sizes) - k)
    assert sample_pdf.pages[k].extract_text().lstrip().startswith("Phụ lục")
    assert "Nguyễn Đăng Lực" in sample_pdf.pages[k - 1].extract_text()


def test_page_count_is_what_the_docx_numbers(sample_pdf):
    """Pages numbered by the DOCX's own PAGE fields, body then appendix, add up to the PDF."""
    sizes = [size(p) for p in sample_pdf.pages]
    k = sizes.index((A4[1], A4[0]))
    body_last = int(first_line(sample_pdf.pages[k - 1])) if k > 1 else 1
    appendix_last = int(first_line(sample_pdf.pages[-1]))
    assert body_last == k
    assert body_last + appendix_last == len(sample_pdf.pages)
    committed = pypdf.PdfReader(SAMPLE_DIR / "plan.pdf")
    assert len(committed.pages) == len(sample_pdf.pages), "samples/…/plan.pdf is stale: bash .ci/render-samples"


def test_page_numbers_from_page_two(sample_pdf):
    pages = sample_pdf.pages
    k = [size(p) for p in pages].index((A4[1], A4[0]))
    assert not first_line(pages[0]).isdigit()
    for i in range(1, k):
        assert first_line(pages[i]) == str(i + 1)
    assert not first_line(pages[k]).isdigit()  # appendix restarts, its first page unnumbered
    for i in range(k + 1, len(pages)):
        assert first_line(pages[i]) == str(i - k + 1)


def test_only_times_metric_fonts_embedded(sample_pdf):
    fonts = set()
    for page in sample_pdf.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
            assert "/FontFile2" in font["/FontDescriptor"] or "/FontFile" in font["/FontDescriptor"] or "/DescendantFonts" in font
    assert fonts and all(f.startswith(("LiberationSerif", "TimesNewRoman")) for f in fonts), fonts


def test_page_one_text(sample_pdf):
    text = " ".join(sample_pdf.pages[0].extract_text().split())
    for expected in (
        "ĐẢNG BỘ QUÂN ĐỘI",
        "ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số -KH/ĐUB",
        "Hà Nội, ngày tháng 8 năm 2025",
        "KẾ HOẠCH",
        "Thực hiện Chỉ thị số 41-CT/TW ngày 26/12/2024 của Bộ Chính trị",
        "“Về tăng cường sự lãnh đạo của Đảng đối với công tác thi đua, khen thưởng trong tình hình mới”",
    ):
        assert expected in text, expected


def test_pdfa(tmp_path, sample_bytes):
    src = tmp_path / "plan.docx"
    src.write_bytes(sample_bytes)
    (outcome,) = convert([src], tmp_path / "out", Options(pdfa=True))
    assert outcome.ok
    reader = pypdf.PdfReader(outcome.pdf)
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    plain = pypdf.PdfReader(convert([src], tmp_path / "plain")[0].pdf)
    assert plain.xmp_metadata is None or "pdfaid" not in plain.xmp_metadata.rdf_root.toxml()


# ------------------------------------------------------------------------------- faults


def _corrupt_copy(good: Path, bad: Path) -> None:
    """A valid zip whose main part is not XML: only LibreOffice finds out."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = b"<w:document><<<not xml" if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info, data)


def test_corrupt_docx_among_good_ones(cli, tmp_path, sample_bytes):
    docs = []
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.docx").write_bytes(sample_bytes)
        docs.append(tmp_path / f"{name}.docx")
    _corrupt_copy(docs[0], tmp_path / "bad.docx")
    (tmp_path / "text.docx").write_text("just text", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("pdf", docs[0], tmp_path / "bad.docx", docs[1], tmp_path / "text.docx", docs[2], "-o", out)
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", "b.pdf", "c.pdf"]  # no temp folder left
    lines = [l for l in result.stderr.splitlines() if not l.startswith("Converting to PDF")]
    assert lines == [
        f"vanban: {tmp_path / 'bad.docx'}: no PDF: LibreOffice could not open it (damaged or not a Word document)",
        f"vanban: {tmp_path / 'text.docx'}: no PDF: not a Word document (not a DOCX/zip file, or damaged)",
        "3 converted, 2 failed",
        "Summary: 3 written, 0 skipped, 2 failed",
        f"  failed     {tmp_path / 'bad.docx'}: LibreOffice could not open it (damaged or not a Word document)",
        f"  failed     {tmp_path / 'text.docx'}: not a Word document (not a DOCX/zip file, or damaged)",
    ]
    for name in ("a", "b", "c"):
        assert len(pypdf.PdfReader(out / f"{name}.pdf").pages) > 1


def _soffice_running(marker: str) -> bool:
    return subprocess.run(["pgrep", "-f", marker], capture_output=True).returncode == 0


def test_timeout_kills_and_reports(tmp_path, sample_bytes, monkeypatch):
    src = tmp_path / "plan.docx"
    src.write_bytes(sample_bytes)
    # LibreOffice's profile folder goes under this test's own temp folder, so that looking for processes
    # by that path finds only the ones this conversion started, not other conversions on the machine.
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own_tmp))
    opts = Options(startup_timeout=0.2, timeout_per_doc=0.05)
    (outcome,) = convert([src], tmp_path / "out", opts)
    assert not outcome.ok
    assert outcome.error == "LibreOffice did not finish within 0.25 s and was stopped"
    assert list((tmp_path / "out").iterdir()) == []
    assert not _soffice_running(str(own_tmp / "vanban-lo-"))  # the hung process group is gone


def test_libreoffice_missing_from_path(cli, tmp_path, monkeypatch, sample_bytes):
    src = tmp_path / "plan.docx"
    src.write_bytes(sample_bytes)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fc = shutil.which("fc-match")
    (bin_dir / "fc-match").symlink_to(fc)
    monkeypatch.setenv("PATH", str(bin_dir))
    result = cli("pdf", src, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "vanban: LibreOffice is not installed (no soffice on PATH); install it with: "
        "apt-get install --no-install-recommends libreoffice-writer-nogui fonts-liberation2"
    )
    assert not (tmp_path / "out").exists()
    result = cli("render", SAMPLE, "-o", tmp_path / "out2", "--pdf")
    assert result.exit_code == 1 and not (tmp_path / "out2").exists()  # checked before any DOCX is written


def test_fallback_font_is_refused(tmp_path, monkeypatch):
    """With only DejaVu visible to fontconfig, Times New Roman falls back: refuse, name the package."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip("DejaVu fonts not installed here")
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{dejavu}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    with pytest.raises(ConvertError) as exc:
        check_environment()
    assert str(exc.value).startswith('"Times New Roman" resolves to "DejaVu')
    assert "fonts-liberation2" in str(exc.value)


def test_output_directory_not_writable(cli, tmp_path, sample_bytes):
    src = tmp_path / "plan.docx"
    src.write_bytes(sample_bytes)
    out = unwritable_dir(tmp_path)
    result = cli("pdf", src, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"vanban: {out}: cannot write PDFs here (")
    assert "Traceback" not in result.stderr


def test_existing_pdf_not_overwritten_without_force(cli, tmp_path, sample_bytes):
    src = tmp_path / "plan.docx"
    src.write_bytes(sample_bytes)
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.pdf").write_bytes(b"keep")
    result = cli("pdf", src, "-o", out)
    assert result.exit_code == 1 and (out / "plan.pdf").read_bytes() == b"keep"
    assert "already exists; use --force" in result.stderr


def test_render_with_pdf(cli, tmp_path):
    result = cli("render", SAMPLE, "-o", tmp_path, "--pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"wrote {tmp_path / 'plan.docx'}", f"wrote {tmp_path / 'plan.pdf'}"]


def test_batches_split_across_workers():
    docs = [Path(f"{i}.docx") for i in range(40)]
    batches = conv._batches(docs, 2, 25)
    assert [len(b) for b in batches] == [20, 20]
    assert [len(b) for b in conv._batches(docs[:3], 2, 25)] == [2, 1]
    assert [len(b) for b in conv._batches(docs, 2, 8)] == [8] * 5
