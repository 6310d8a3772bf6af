"""Format-check speed: `vanban check` on many documents.

Usage: python benchmarks/check.py [N]   (default N=200)

Checks N documents — copies of the rendered samples (the 9-page plan, the 17-page report, the two
derived unit plans), in turn — in one process, as `vanban check a.docx b.docx …` does, and prints
the mean and the slowest time per document. Target (issue 6): ≤ 30 ms per document.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.inspect.check import check_docx, guess_profile  # noqa: E402
from generator.io.refdata import load  # noqa: E402


def main(n: int = 200) -> int:
    ref = load()
    folder = ROOT / "samples" / "ke-hoach-41-ct-tw"
    docs = [folder / "plan.docx", folder / "bao-cao-so-ket.docx", *sorted((folder / "derived").glob("*.docx"))]
    times, errors = [], 0
    for i in range(n):
        path = docs[i % len(docs)]
        t0 = time.perf_counter()
        findings = check_docx(path, ref.profile(guess_profile(path) or "hd36-2018"), ref)
        times.append(time.perf_counter() - t0)
        errors += sum(f.severity == "error" for f in findings)
    mean = statistics.mean(times) * 1000
    print(f"documents: {n} ({len(docs)} different, 9 to 17 pages), errors found: {errors}")
    print(f"mean {mean:.1f} ms per document, median {statistics.median(times) * 1000:.1f} ms, slowest {max(times) * 1000:.1f} ms")
    print("target: ≤ 30 ms per document")
    ok = mean <= 30
    print("target met" if ok else "TARGET NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
