"""Import speed: `vanban import` of the sample plan (DOCX and PDF) and of a 200-task appendix.

Usage: python benchmarks/import.py [N]   (default N=20 runs each; the median is printed)

Targets (issue 17): DOCX import of the sample plan ≤ 50 ms, its PDF ≤ 1 s, a plan with a 200-task
appendix (rendered by vanban) ≤ 0.5 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.io.loader import load_plan  # noqa: E402
from generator.io.refdata import load  # noqa: E402
from generator.kinds import render_document  # noqa: E402
from generator.model.document import Task, TaskGroup  # noqa: E402
from generator.services.importing import import_file  # noqa: E402

SAMPLES = ROOT / "samples" / "ke-hoach-41-ct-tw"


def big_plan(ref, tasks: int = 200):
    plan = load_plan(SAMPLES / "plan.yaml", ref).plan
    model = plan.tasks()
    groups = []
    for g in range(tasks // 20):
        rows = [
            Task(**{**model[(g * 20 + i) % len(model)].model_dump(), "id": f"{g + 1}.{i + 1}", "parent": None}) for i in range(20)
        ]
        groups.append(TaskGroup(id=str(g + 1), title=f"Nhóm nhiệm vụ thứ {g + 1}", tasks=rows))
    assert plan.appendix is not None
    return plan.model_copy(update={"appendix": plan.appendix.model_copy(update={"groups": groups})})


def timed(path: Path, ref, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        import_file(path, ref)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(n: int = 20) -> int:
    ref = load()
    import_file(SAMPLES / "plan.docx", ref)  # warm: imports, compiled patterns
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.docx"
        plan = big_plan(ref)
        big.write_bytes(render_document(plan, ref))
        assert len(import_file(big, ref).document.tasks()) == 200
        for label, path, runs, limit in (
            ("DOCX, sample plan", SAMPLES / "plan.docx", n, 0.050),
            ("PDF, sample plan", SAMPLES / "plan.pdf", max(3, n // 5), 1.0),
            ("DOCX, 200-task appendix", big, max(5, n // 2), 0.5),
        ):
            t = timed(path, ref, runs)
            ok &= t <= limit
            print(f"{label:28} {t * 1000:8.1f} ms  (target ≤ {limit * 1000:.0f} ms){'' if t <= limit else '  OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
