"""PDF conversion speed: vanban's batch converter against one cold soffice call per document.

Usage: python benchmarks/pdf.py [N]   (default N=40 copies of the sample plan)

Both paths convert the same N DOCX files in the same run. Targets (issue 3): ≤ 0.25 s per
document amortised for the batch converter, and at least 6× faster than one call per document.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.convert.libreoffice import Options, check_environment, convert  # noqa: E402
from generator.io.loader import load_plan  # noqa: E402
from generator.io.refdata import load  # noqa: E402
from generator.kinds import render_document  # noqa: E402


def main(n: int = 40) -> int:
    soffice = check_environment()
    ref = load()
    data = render_document(load_plan(ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml", ref).plan, ref)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs = []
        for i in range(n):
            docs.append(tmp / f"plan-{i:03d}.docx")
            docs[-1].write_bytes(data)

        t0 = time.perf_counter()
        outcomes = convert(docs, tmp / "batch", Options())
        batch = time.perf_counter() - t0
        failed = [o for o in outcomes if not o.ok]

        t0 = time.perf_counter()
        for doc in docs:
            profile = tempfile.mkdtemp(prefix="bench-lo-")
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(tmp / "single"),
                    str(doc),
                ],
                capture_output=True,
                check=False,
                timeout=120,
            )
            shutil.rmtree(profile, ignore_errors=True)
        single = time.perf_counter() - t0
        singles_ok = len(list((tmp / "single").glob("*.pdf")))

    print(f"documents: {n} copies of the sample plan (9 pages each)")
    print(f"{'':34}{'batch (vanban)':>16}{'cold soffice each':>20}")
    print(f"{'seconds per document':34}{batch / n:16.3f}{single / n:20.3f}")
    print(f"{'total seconds':34}{batch:16.1f}{single:20.1f}")
    print(f"{'PDFs written':34}{n - len(failed):16d}{singles_ok:20d}")
    print(f"speed-up: {single / batch:.1f}×   targets: ≤ 0.25 s per document, speed-up ≥ 6×")
    ok = batch / n <= 0.25 and single / batch >= 6 and not failed
    print("targets met" if ok else "TARGETS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 40))
