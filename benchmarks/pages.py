"""Page-image preview speed ("Xem trang in"): the sample plan's DOCX → PDF → JPEG pages.

Usage: python benchmarks/pages.py [N]   (default N=10 warm runs, 3 cold)

* warm: the page worker of `vanban serve` is started first and has warmed LibreOffice; each run
  queues a new DOCX (the plan with one more part, so the cache never answers) and waits for its images;
* cold: no worker, the web's fallback: a LibreOffice started for the one document, then the images.

Target (issue 15): warm ≤ 1.5 s. Prints median and p95 of each.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.convert.pages import PageCache  # noqa: E402
from generator.io.loader import load_plan  # noqa: E402
from generator.io.refdata import load  # noqa: E402
from generator.kinds import render_document  # noqa: E402
from generator.services.pages import page_images  # noqa: E402


def variant(docx: bytes, tag: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            z.writestr(name, src.read(name))
        z.writestr(f"customXml/bench-{tag}.xml", "<a/>")
    return out.getvalue()


def figures(name: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"{name:5} n={len(times):3}  median {statistics.median(times):6.2f} s  p95 {p95:6.2f} s"


def main(n: int = 10, cold_runs: int = 3) -> int:
    ref = load()
    docx = render_document(load_plan(ROOT / "samples" / "ke-hoach-41-ct-tw" / "plan.yaml", ref).plan, ref)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pages"
        cache = PageCache(root)
        worker = subprocess.Popen([sys.executable, "-m", "generator.convert.pageworker", str(root)], stderr=subprocess.DEVNULL)
        try:
            end = time.monotonic() + 120
            while not cache.worker_alive() and time.monotonic() < end:
                time.sleep(0.1)
            time.sleep(1)  # the worker warms LibreOffice right after its first heartbeat
            page_images(variant(docx, "warm-up"), root, 120, wait=120)
            warm, pages = [], 0
            for i in range(n):
                doc = variant(docx, f"w{i}")
                t0 = time.perf_counter()
                got = page_images(doc, root, 120, wait=120)
                warm.append(time.perf_counter() - t0)
                assert got.state == "done", got
                pages = got.count
        finally:
            worker.terminate()
            worker.wait()
        cold = []
        for i in range(cold_runs):
            t0 = time.perf_counter()
            got = page_images(variant(docx, f"c{i}"), Path(tmp) / f"cold-{i}", 120)
            cold.append(time.perf_counter() - t0)
            assert got.state == "done", got
    print(f"sample plan, {pages} pages (DOCX → PDF → JPEG pages at 100 dpi)")
    print(figures("warm", warm), "  target ≤ 1.5 s:", "ok" if statistics.median(warm) <= 1.5 else "MISSED")
    print(figures("cold", cold))
    return 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:2])))
