"""Vietnamese language rules (party-format-rules.md §3.3, §3.4, §8.1, §8.3)."""

import unicodedata

import pytest

from generator.lang import vn


@pytest.mark.parametrize(
    "args, expected",
    [
        ((2018, 2, 20, "Hạ Long"), "Hạ Long, ngày 20 tháng 02 năm 2018"),  # 36-HD's own example
        ((2026, 1, 9, "Hà Nội"), "Hà Nội, ngày 09 tháng 01 năm 2026"),  # QĐ 399
        ((2026, 5, 27, "Hà Nội"), "Hà Nội, ngày 27 tháng 5 năm 2026"),
        ((2025, 12, 1, None), "ngày 01 tháng 12 năm 2025"),
        ((2025, 8, None, "Hà Nội"), "Hà Nội, ngày    tháng 8 năm 2025"),  # day left blank
        ((2025, 2, None, "Hà Nội"), "Hà Nội, ngày    tháng 02 năm 2025"),
    ],
)
def test_header_date_padding(args, expected):
    assert vn.header_date(*args) == expected


@pytest.mark.parametrize(
    "args, expected",
    [
        ((2024, 12, 26), "26/12/2024"),
        ((2026, 3, 5), "05/3/2026"),
        ((2025, 1, 24), "24/01/2025"),
        ((2024, 7, 30), "30/7/2024"),
        ((2025, 8, None), "    /8/2025"),
    ],
)
def test_citation_date(args, expected):
    assert vn.citation_date(*args) == expected


def test_impossible_dates_are_refused():
    with pytest.raises(ValueError):
        vn.header_date(2025, 2, 30)
    with pytest.raises(ValueError):
        vn.citation_date(2025, 13, 1)


def test_number_line_has_no_colon_and_pads():
    assert vn.number_line(9, "QC", "TW") == "Số 09-QC/TW"
    assert vn.number_line(127, "QĐ", "TW") == "Số 127-QĐ/TW"
    assert vn.number_line(None, "KH", "ĐUB") == "Số     -KH/ĐUB"
    with pytest.raises(ValueError):
        vn.number_line(0, "KH", "ĐUB")


def test_roman_alpha_quarter_number():
    assert [vn.roman(n) for n in (1, 3, 4, 9, 14)] == ["I", "III", "IV", "IX", "XIV"]
    assert [vn.alpha(n) for n in (1, 4, 5, 6)] == ["a", "d", "đ", "e"]
    assert vn.quarter(3, 2025) == "Quý III/2025"
    assert vn.quarter(1, 2026, capital=False) == "quý I/2026"
    assert vn.number(1234567.5) == "1.234.567,5"
    with pytest.raises(ValueError):
        vn.quarter(5, 2025)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Đảng ủy Ban Cơ yếu Chính phủ", "ĐẢNG ỦY BAN CƠ YẾU CHÍNH PHỦ"),
        ("bí thư", "BÍ THƯ"),
        ("huyện ủy định hóa", "HUYỆN ỦY ĐỊNH HÓA"),
        ("quân đội", "QUÂN ĐỘI"),
        ("tiêu đề i", "TIÊU ĐỀ I"),
    ],
)
def test_upper_keeps_diacritics(text, expected):
    out = vn.upper(text)
    assert out == expected
    assert unicodedata.is_normalized("NFC", out)


def test_upper_of_decomposed_input_is_precomposed():
    nfd = unicodedata.normalize("NFD", "đảng ủy")
    assert vn.upper(nfd) == "ĐẢNG ỦY"


def test_normalize_nfc_and_lookalikes():
    nfd = unicodedata.normalize("NFD", "Kế hoạch")
    text, fixes = vn.normalize(nfd)
    assert text == "Kế hoạch" and len(text) == 8 and fixes == []
    text, fixes = vn.normalize("Ðại hội Ðảng, ðồng chí")
    assert text == "Đại hội Đảng, đồng chí"
    assert [(f.found, f.replaced_by, f.count) for f in fixes] == [("Ð", "Đ", 2), ("ð", "đ", 1)]


def test_control_characters():
    assert vn.control_characters("a\tb\nc") == []
    assert vn.control_characters("a\x00b\x1bc") == ["\x00", "\x1b"]
    assert vn.control_characters("a\ufffeb\uffff") == ["\ufffe", "\uffff"]  # XML cannot hold them


SEED_TIMEFRAMES = {
    "Quý III/2025": ("by-date", (2025, 9, 30)),
    "Hoàn thành trong Quý III/2025": ("by-date", (2025, 9, 30)),
    "Thường xuyên": ("ongoing", None),
    "Thường xuyên, hằng năm": ("yearly", None),
    "Hằng năm, thường xuyên": ("yearly", None),
    "Hằng năm": ("yearly", None),
    "Hằng năm và trong từng đợt thi đua": ("yearly", None),
    "Hằng năm và giai đoạn, đợt thi đua": ("yearly", None),
    "Hằng năm và các đợt thi đua": ("yearly", None),
    "Định kỳ tổ chức theo quy định và đột xuất": ("ongoing", None),
    "Hằng năm, theo nhiệm vụ của các cơ quan, đơn vị": ("yearly", None),
}


@pytest.mark.parametrize("text, expected", SEED_TIMEFRAMES.items())
def test_every_seed_timeframe(text, expected):
    import datetime as dt

    tf = vn.parse_timeframe(text)
    assert (tf.kind, tf.due) == (expected[0], dt.date(*expected[1]) if expected[1] else None)
    assert tf.text == text  # the words are kept as written


def test_seed_timeframes_are_all_listed(sample_plan):
    assert {t.timeframe for t in sample_plan.tasks()} == set(SEED_TIMEFRAMES)


@pytest.mark.parametrize(
    "text, kind, due",
    [
        ("Tháng 6/2026", "by-date", (2026, 6, 30)),
        ("tháng 2 năm 2028", "by-date", (2028, 2, 29)),
        ("Trước ngày 15/8/2025", "by-date", (2025, 8, 15)),
        ("Năm 2026", "by-date", (2026, 12, 31)),
        ("quý IV năm 2026", "by-date", (2026, 12, 31)),
        ("Trong từng đợt thi đua", "ongoing", None),
        ("sau khi có hướng dẫn", "unknown", None),
        ("Quý V/2025", "unknown", None),
        ("Trước ngày 31/2/2025", "unknown", None),
        ("Thường xuyên, khi cần", "unknown", None),
        ("", "unknown", None),
    ],
)
def test_other_timeframes_and_unknowns(text, kind, due):
    import datetime as dt

    tf = vn.parse_timeframe(text)
    assert (tf.kind, tf.due) == (kind, dt.date(*due) if due else None)
    assert tf.checkable == (due is not None)


def test_lower_first_and_citation():
    assert vn.lower_first("Thực hiện Chỉ thị") == "thực hiện Chỉ thị"
    assert vn.lower_first("về công tác") == "về công tác"
    assert vn.lower_first("Đảng ủy Ban") == "Đảng ủy Ban"  # Đảng keeps its capital
    assert vn.lower_first("BCH Trung ương") == "BCH Trung ương"
    assert vn.citation("Kế hoạch", "KH", 7, "ĐUB", 2025, 8, 5) == "Kế hoạch số 07-KH/ĐUB, ngày 05/8/2025"
    assert vn.citation("Kế hoạch", "KH", None, "ĐUB", 2025, 8, None, comma=False) == "Kế hoạch số     -KH/ĐUB ngày     /8/2025"


def test_profiles_use_only_known_signing_forms(ref):
    import yaml

    from .conftest import ROOT

    forms = yaml.safe_load((ROOT / "data" / "signing-forms.yaml").read_text(encoding="utf-8"))
    assert {f for p in ref.profiles.values() for f in p.signing_forms} <= set(forms)
    assert "T/U" not in ref.profile("hd36-2018").signing_forms  # not in 36-HD (spec §3.7)
    assert "Q." in ref.profile("hd05-2026").signing_forms and "Q." not in ref.profile("hd36-2018").signing_forms
