"""Shared by the benchmarks: a copy of data/ whose units file holds N generated units."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def many_units(tmp: Path, n: int) -> tuple[Path, list[dict]]:
    """data/ copied into *tmp* with N units cloned from the example profiles that issue plans,
    each with a generated id and name. Returns the data folder and the unit records."""
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "units" / "ban-co-yeu.yaml"
    book = yaml.safe_load(path.read_text(encoding="utf-8"))
    templates = [u for u in book["units"] if u.get("party")]
    units = []
    for i in range(n):
        u = yaml.safe_load(yaml.safe_dump(templates[i % len(templates)]))
        u.update(id=f"don-vi-{i:04d}", name=f"Đơn vị {i:04d}")
        u["party"]["issuer"] = f"Đảng ủy Đơn vị {i:04d}"
        units.append(u)
    book["units"] = units
    path.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    return data, units
