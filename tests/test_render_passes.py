"""The render's clean-up passes, made faster, give what the plain versions gave (the output stays byte-identical:
tests/test_outputs_current.py holds the committed sample; these hold the passes on inputs samples do not have)."""

from __future__ import annotations

import random
import re

from lxml import etree

from generator.io.refdata import templates_dir
from generator.render import identity
from generator.render.engine import _PARAGRAPH, CompiledTemplate, _fill_empty_cells

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PIECES = [
    "<w:p>",
    '<w:p w:rsidR="1">',
    "</w:p>",
    "<w:p/>",
    "<w:pPr/>",
    "<w:tc>",
    "</w:tc>",
    "<w:r><w:t>a\nb</w:t></w:r>",
    "<w:r><w:t>x\ty</w:t></w:r>",
    "<w:r><w:t>plain</w:t></w:r>",
    "\a",
    "\n",
    "text",
    "p>",
    "</w:",
]


def _random_xml(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))


def test_empty_cells_get_a_paragraph_as_the_look_behind_regex_gave():
    rng = random.Random(7)
    cases = [_random_xml(rng) for _ in range(3000)] + ["</w:tc>", "</w:p></w:tc></w:tc>", "<w:p/></w:tc>p></w:tc>"]
    for xml in cases:
        assert _fill_empty_cells(xml) == re.sub(r"(?<!</w:p>)(?<!<w:p/>)</w:tc>", "<w:p/></w:tc>", xml), repr(xml)


def test_listings_are_resolved_in_the_paragraphs_the_full_scan_finds():
    tpl = CompiledTemplate(templates_dir() / "ke-hoach.docx")
    rng = random.Random(11)
    changed = 0
    for _ in range(3000):
        xml = _random_xml(rng)
        expected = _PARAGRAPH.sub(tpl._listing, xml)
        assert tpl._listings(xml) == expected, repr(xml)
        changed += expected != xml
    assert changed > 100  # the cases do hold paragraphs with line breaks and tabs to resolve


def _body(inner: str):
    return etree.fromstring(f'<w:body xmlns:w="{_W}">{inner}</w:body>')


def test_the_text_hash_of_the_fast_pass_is_the_paragraph_by_paragraph_one():
    runs = [
        "<w:r><w:t>Hà  Nội</w:t></w:r>",
        "<w:r><w:t xml:space='preserve'> ngày\u00a0</w:t><w:tab/></w:r>",
        "<w:r><w:br/><w:noBreakHyphen/><w:softHyphen/><w:cr/></w:r>",
        "<w:r><w:t>Nguye\u0302\u0303n</w:t></w:r>",  # decomposed: NFC composes it
        "<w:r><w:t>\u2000x\u3000 </w:t></w:r>",
        "<w:ins><w:r><w:t>inserted</w:t></w:r></w:ins>",
        "<w:fldSimple><w:t>not a run's</w:t></w:fldSimple>",
        "<w:r><w:delText>deleted</w:delText></w:r>",
    ]
    rng = random.Random(3)
    for _ in range(500):
        paragraphs = [
            "<w:p>" + "".join(rng.choice(runs) for _ in range(rng.randint(0, 5))) + "</w:p>" for _ in range(rng.randint(0, 6))
        ]
        body = _body("".join(paragraphs) + "<w:tbl><w:tr><w:tc>" + "".join(paragraphs[:2]) + "</w:tc></w:tr></w:tbl>")
        assert identity.body_text_hash(body) == identity._nested_text_hash(body)
    # Where the fast pass does not apply, the result is still the paragraph-by-paragraph one.
    for inner in (
        "<w:p><w:r><w:t>outer</w:t><w:pict><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:pict></w:r><w:r><w:t>tail</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>in</w:t></w:r></w:p><w:r><w:t>outside any paragraph</w:t></w:r>",
        "",
    ):
        assert identity.body_text_hash(_body(inner)) == identity._nested_text_hash(_body(inner))
    assert identity.body_text_hash(_body("<w:p><w:r><w:t>a</w:t></w:r></w:p>")) != identity.body_text_hash(
        _body("<w:p><w:r><w:t>b</w:t></w:r></w:p>")
    )
