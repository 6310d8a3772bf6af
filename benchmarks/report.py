"""Roll up progress from many units into the Báo cáo: time per stage and in total.

Usage: python benchmarks/report.py [N]   (default N=500 units)

Makes a temporary data/ folder with N units (example profiles cloned with generated names), writes
one progress YAML file per unit for the seed's 22 tasks, then times: loading and checking the N
files, the roll-up, and building and rendering the report DOCX (chart included).
Target (issue 5): under 2 s for all of it, loading included.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _units import many_units  # noqa: E402

from generator.io.loader import load_plan  # noqa: E402
from generator.io.refdata import load  # noqa: E402
from generator.kinds import render_document  # noqa: E402
from generator.services.progress import load_progress_files  # noqa: E402
from generator.transform.rollup import build_report, roll_up  # noqa: E402

STATUSES = ("hoàn thành", "đang thực hiện", "chưa thực hiện")


def main(n: int = 500) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data, units = many_units(tmp, n)
        ref = load(str(data))
        plan = load_plan(ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml", ref).plan
        folder = tmp / "progress"
        folder.mkdir()
        for i, u in enumerate(units[: n - n // 50]):  # 2 % of the units do not report
            tasks = [
                {
                    "task": t.id,
                    "status": STATUSES[(i + j) % 3],
                    "done": f"Đơn vị {i:04d} đã thực hiện nhiệm vụ {t.id}.",
                    "figures": {"so-buoi-quan-triet": (i + j) % 4},
                }
                for j, t in enumerate(plan.tasks())
            ]
            (folder / f"{u['id']}.yaml").write_text(
                yaml.safe_dump({"unit": u["id"], "reported": dt.date(2025, 8, 10 + i % 10), "tasks": tasks}, allow_unicode=True),
                encoding="utf-8",
            )

        t0 = time.perf_counter()
        loaded = load_progress_files(sorted(folder.iterdir()), plan, "plan.yaml", ref)  # as `vanban report` does
        progress = [p for _, p, _ in loaded]
        t1 = time.perf_counter()
        rolled = roll_up(plan, progress, dt.date(2025, 11, 30), ref)
        t2 = time.perf_counter()
        data_docx = render_document(build_report(rolled, "so-ket", ref, plan_file="plan.yaml"), ref)
        t3 = time.perf_counter()

    print(f"units: {n} ({len(progress)} reported) × {len(plan.tasks())} tasks; report DOCX {len(data_docx) / 1e3:.0f} kB")
    print(f"load and check {len(progress)} progress files (on all cores): {t1 - t0:.2f} s")
    print(f"roll-up: {t2 - t1:.3f} s   report build and render (chart included): {t3 - t2:.3f} s")
    print(f"roll-up + render: {t3 - t1:.2f} s   all, loading included: {t3 - t0:.2f} s (target < 2 s)")
    ok = t3 - t0 < 2
    print("target met" if ok else "TARGET NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
