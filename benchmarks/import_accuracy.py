"""Field accuracy of `vanban import` on plans typed the way clerks type them.

Usage: python benchmarks/import_accuracy.py [--pdf]

Builds the corpus of tests/import_corpus.py (the sample plan typed in Word in several ways, without
our templates: direct formatting or styles, typed or automatic numbering, a header typed with tabs,
line breaks, merged cells both ways, an appendix table split across pages with its header repeated),
imports each file and prints, per variant and for the kind, the share of the printed fields read right
(texts printed in capitals are compared without case: a typed document does not keep it). With --pdf
each variant is also converted to PDF with LibreOffice and imported from the PDF. Target: ≥ 98 %.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.io.refdata import load  # noqa: E402
from generator.services.importing import ImportFailure, import_file  # noqa: E402
from tests.import_corpus import VARIANTS, build, field_accuracy, sample_plan  # noqa: E402


def main(argv: list[str]) -> int:
    ref = load()
    plan = sample_plan()
    with_pdf = "--pdf" in argv
    right_all = total_all = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, options in VARIANTS.items():
            path = folder / f"{name}.docx"
            path.write_bytes(build(plan, options))
            files = [path]
            if with_pdf:
                subprocess.run(
                    [
                        "soffice",
                        "--headless",
                        f"-env:UserInstallation=file://{folder}/lo",
                        "--convert-to",
                        "pdf",
                        "--outdir",
                        folder,
                        path,
                    ],
                    check=True,
                    capture_output=True,
                    timeout=300,
                )
                files.append(path.with_suffix(".pdf"))
            for f in files:
                try:
                    got = import_file(f, ref).document
                except ImportFailure as exc:
                    print(f"{f.name}: {exc}")
                    got = None
                right, total, wrong = field_accuracy(plan, got)
                right_all += right
                total_all += total
                shown = ", ".join(wrong[:5]) + (" …" if len(wrong) > 5 else "")
                print(f"ke-hoach  {f.name:40} {right:4}/{total:<4} {100 * right / total:6.2f} %  {shown}")
    share = 100 * right_all / total_all
    print(f"ke-hoach  {'all':40} {right_all:4}/{total_all:<4} {share:6.2f} %  (target ≥ 98 %)")
    return 0 if share >= 98 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
