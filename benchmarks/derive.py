"""Derive and render many unit plans: documents per second and peak memory.

Usage: python benchmarks/derive.py [N]   (default N=1000 units)

Makes a temporary data/ folder whose units file holds N units cloned from the example profiles
with generated names, then derives and renders (DOCX, draft) one plan per unit from the sample
plan with the same batch code as `vanban derive --all --render --draft`, on all cores.
Targets (issue 4): at least 100 plans per second on 2 cores; peak memory under 300 MB (the main
process and its workers together, resident set size at its highest).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _units import many_units  # noqa: E402

from generator.io.refdata import load  # noqa: E402
from generator.services import batch  # noqa: E402


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack += [int(c) for c in fh.read().split()]
        except OSError:
            continue
    return total / 1024


def main(n: int = 1000) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data, units = many_units(tmp, n)
        ref = load(str(data))
        out = tmp / "out"
        jobs = [batch.Job(u, out / f"{u.id}.yaml", out / f"{u.id}.docx") for u in ref.units.values()]
        settings = batch.Settings(
            parent_path=ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml", draft=True, data_folder=str(data)
        )
        peak = [0.0]
        done = threading.Event()

        def watch():
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss_mb(os.getpid()))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        t0 = time.perf_counter()
        results = batch.run(jobs, settings)
        elapsed = time.perf_counter() - t0
        done.set()
        watcher.join()
        failed = [r for r in results if r.error]
        size = sum(p.stat().st_size for r in results for p in r.written)
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"unit plans: {n} (YAML + DOCX each, 22-task appendix), {os.cpu_count()} cores, {len(failed)} failed")
    print(f"time: {elapsed:.2f} s   plans per second: {n / elapsed:.1f}   output: {size / 1e6:.1f} MB")
    print(f"peak memory, main process and workers together: {peak[0]:.0f} MB (main alone: {own_peak:.0f} MB)")
    print("targets: ≥ 100 plans/s, peak memory < 300 MB")
    ok = n / elapsed >= 100 and peak[0] < 300 and not failed
    print("targets met" if ok else "TARGETS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
