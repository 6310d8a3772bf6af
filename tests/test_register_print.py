"""The printed register's builder without the web: its layout file (data/register.yaml, or the office's
own) and what a broken one says."""

from __future__ import annotations

import datetime as dt
import io
import os
import time

import docx
import pytest

from generator.convert.pages import PageCache
from generator.io.loader import LoadError
from generator.io.register import read_layout
from generator.lang.i18n import use_language
from generator.services.register import Entry, register_docx


def test_a_layout_of_the_offices_own_prints_its_columns(tmp_path):
    path = tmp_path / "register.yaml"
    path.write_text(
        "title: SỔ VĂN BẢN ĐI\ncolumns:\n"
        "  - {field: symbol, title: Số, width: 40}\n"
        "  - {field: subject, title: Trích yếu, width: 180}\n"
        "  - {field: note, title: Ghi chú, width: 47}\n",
        encoding="utf-8",
    )
    entries = [
        Entry(1, "01-KH/ĐU", "ke-hoach", dt.date(2026, 2, 5), "về thi đua"),
        Entry(2, "02-KH/ĐU", "ke-hoach", dt.date(2026, 3, 1), "hủy", cancelled=True, reason="ký nhầm"),
    ]
    d = docx.Document(io.BytesIO(register_docx(entries, superior="", issuer="Đảng ủy X", year=2026, layout=read_layout(path))))
    rows = [[c.text for c in r.cells] for r in d.tables[0].rows]
    assert rows[0] == ["Số", "Trích yếu", "Ghi chú"]
    assert rows[2] == ["01-KH/ĐU", "Kế hoạch: về thi đua", ""]
    assert rows[3][0] == "02-KH/ĐU" and rows[3][2] == "ĐÃ HỦY SỐ: ký nhầm"
    assert "SỔ VĂN BẢN ĐI" in [p.text for p in d.paragraphs]


def test_a_broken_layout_names_the_line(tmp_path):
    path = tmp_path / "register.yaml"
    path.write_text(
        "columns:\n  - {field: symbol, title: Số, width: 40}\n  - {field: colour, title: Màu, width: 9}\n", encoding="utf-8"
    )
    with use_language("vi"), pytest.raises(LoadError) as err:
        read_layout(path)
    text = str(err.value)
    assert f"{path}:3:" in text and "không có trường 'colour'" in text


def test_old_cache_entries_are_pruned_others_kept(tmp_path):
    cache = PageCache(tmp_path)
    old, new = cache.folder("a" * 64), cache.folder("b" * 64)
    for folder in (old, new):
        folder.mkdir(parents=True)
        (folder / "state.json").write_text('{"state": "done", "pages": 1}')
    (tmp_path / "queue").mkdir()
    past = time.time() - 31 * 24 * 3600
    os.utime(old, (past, past))
    assert cache.prune() == 1
    assert not old.exists() and new.exists() and (tmp_path / "queue").exists()
