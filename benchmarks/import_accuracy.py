"""Field accuracy of `vanban import` on documents typed the way clerks type them, per kind.

Usage: python benchmarks/import_accuracy.py [--pdf]

Builds the corpora of tests/import_corpus.py (the sample plan typed in Word in several ways, without
our templates: direct formatting or styles, typed or automatic numbering, a header typed with tabs,
line breaks, merged cells both ways, an appendix table split across pages with its header repeated)
and tests/import_corpus_kinds.py (a Công văn, a Quyết định with its articles and the Quy chế it adopts,
a Biên bản: header in a table or with tabs, the trích yếu under the number with a line break, body
paragraphs starting with a tab), imports each file and prints, per variant and per kind, the share of
the printed fields read right (texts printed in capitals are compared without case: a typed document
does not keep it). With --pdf each file is also converted to PDF with LibreOffice and imported from the
PDF. Target: ≥ 98 % for each kind.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.io.refdata import load  # noqa: E402
from generator.services.importing import ImportFailure, import_file  # noqa: E402
from tests.import_corpus import VARIANTS, build, field_accuracy, sample_plan  # noqa: E402
from tests.import_corpus_kinds import KIND_VARIANTS  # noqa: E402


def _pdf(path: Path, folder: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo", "--convert-to", "pdf", "--outdir", folder, path],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return path.with_suffix(".pdf")


def main(argv: list[str]) -> int:
    ref = load()
    with_pdf = "--pdf" in argv
    plan = sample_plan()
    corpus = [("ke-hoach", name, plan, build(plan, options)) for name, options in VARIANTS.items()]
    for (kind, name), (builder, options) in KIND_VARIANTS.items():
        want, data = builder(options)
        corpus.append((kind, name, want, data))
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind, name, want, data in corpus:
            path = folder / f"{kind}-{name}.docx"
            path.write_bytes(data)
            files = [path] + ([_pdf(path, folder)] if with_pdf else [])
            for f in files:
                try:
                    got = import_file(f, ref).document
                except ImportFailure as exc:
                    print(f"{f.name}: {exc}")
                    got = None
                right, total, wrong = field_accuracy(want, got)
                key = kind + (" (PDF)" if f.suffix == ".pdf" else "")
                per_kind[key][0] += right
                per_kind[key][1] += total
                shown = ", ".join(wrong[:5]) + (" …" if len(wrong) > 5 else "")
                print(f"{kind:10} {f.name:46} {right:4}/{total:<4} {100 * right / total:6.2f} %  {shown}")
    ok = True
    print()
    for key, (right, total) in per_kind.items():
        share = 100 * right / total
        ok &= share >= 98
        print(f"{key:16} {right:5}/{total:<5} {share:6.2f} %  (target ≥ 98 %){'' if share >= 98 else '  UNDER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
