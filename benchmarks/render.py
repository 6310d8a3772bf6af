"""Render speed of the Kế hoạch: vanban's compiled renderer against the naive docxtpl loop.

Usage: python benchmarks/render.py [N]   (default N=500)

Prints the median time of one render of the seed plan, and the throughput of N renders written to
disk, for both paths in the same run on the same machine. Targets (issue 2): median ≤ 15 ms per
document, and at least 3× the naive loop's throughput.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402

from generator.io.loader import load_plan  # noqa: E402
from generator.io.refdata import load, templates_dir  # noqa: E402
from generator.kinds import plan as plan_shape  # noqa: E402
from generator.kinds import render_document  # noqa: E402
from generator.render.context import context  # noqa: E402


def main(n: int = 500) -> int:
    ref = load()
    plan = load_plan(ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml", ref).plan
    doc_type, profile = ref.doc_type(plan.type), ref.profile(plan.profile)
    template = templates_dir() / doc_type.template
    render_document(plan, ref)  # compile once, as a batch does

    singles = []
    for _ in range(51):
        t0 = time.perf_counter()
        render_document(plan, ref)
        singles.append(time.perf_counter() - t0)
    median_ms = statistics.median(singles) * 1000

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        for i in range(n):
            (out / f"v{i}.docx").write_bytes(render_document(plan, ref))
        ours = time.perf_counter() - t0

        naive_singles = []
        t0 = time.perf_counter()
        for i in range(n):
            t1 = time.perf_counter()
            tpl = DocxTemplate(template)
            tpl.render(context(plan, doc_type, profile, plan_shape.appendix_view), autoescape=True)
            tpl.save(out / f"n{i}.docx")
            naive_singles.append(time.perf_counter() - t1)
        naive = time.perf_counter() - t0

    print(f"documents: {n} renders of the seed plan (8 task groups, 22 tasks)")
    print(f"{'':32}{'vanban':>12}{'naive docxtpl':>16}")
    print(f"{'median per document (ms)':32}{median_ms:12.1f}{statistics.median(naive_singles) * 1000:16.1f}")
    print(f"{'throughput (documents/s)':32}{n / ours:12.1f}{n / naive:16.1f}")
    print(f"speed-up: {naive / ours:.1f}×   targets: median ≤ 15 ms, speed-up ≥ 3×")
    big = plan.model_copy(
        update={
            "appendix": plan.appendix.model_copy(
                update={
                    "groups": [
                        g.model_copy(
                            update={
                                "id": str(i),
                                "tasks": [
                                    t.model_copy(update={"id": f"{i}.{j}"}) for j, t in enumerate((plan.tasks() * 10)[:100], 1)
                                ],
                            }
                        )
                        for i, g in enumerate((plan.appendix.groups * 3)[:20], 1)
                    ]
                }
            )
        }
    )
    t0 = time.perf_counter()
    big_docx = render_document(big, ref)
    print(f"a 2,000-task appendix: rendered in {time.perf_counter() - t0:.2f} s ({len(big_docx) / 1e6:.1f} MB DOCX)")
    ok = median_ms <= 15 and naive / ours >= 3
    print("targets met" if ok else "TARGETS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
