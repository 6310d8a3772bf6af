"""What issue 14 left for every kind: the ``Điều 1:`` label, the Quy chế's caption from the one citation, more than
two signers, documents without a date, headings that never end a page, a Bản sao of any DOCX, the checker clean on
our own output. Each test renders real documents and reads them back (python-docx, pypdf, ``vanban check``)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from generator.inspect.check import check_docx
from generator.inspect.docx_inspect import Inspector
from generator.kinds import render_document
from generator.services.documents import load_document

from .conftest import ROOT

DECISION = ROOT / "samples" / "quyet-dinh-quy-che" / "quyet-dinh.yaml"
REGULATION = ROOT / "samples" / "quy-dinh" / "quy-dinh.yaml"
QUY_CHE = ROOT / "samples" / "quyet-dinh-quy-che" / "quy-che.yaml"
MINUTES = ROOT / "samples" / "bien-ban" / "bien-ban.yaml"


def _load(path: Path, ref, **update):
    doc = load_document(path, ref).plan
    return doc.model_copy(update=update) if update else doc


def _docx(doc, ref):
    return docx.Document(io.BytesIO(render_document(doc, ref)))


def _texts(d) -> list[str]:
    cells = [p.text for t in d.tables for c in t._cells for p in c.paragraphs]
    return [p.text for p in d.paragraphs] + cells


def _check(data: bytes, ref, tmp_path: Path, profile):
    path = tmp_path / "out.docx"
    path.write_bytes(data)
    return check_docx(path, profile, ref)


def _profile(ref, pid: str = "hd36-2018", **layout):
    p = ref.profile(pid)
    return p.model_copy(
        update={"id": f"test-{len(layout)}-{abs(hash(str(layout)))}", "layout": p.layout.model_copy(update=layout)}
    )


# --------------------------------------------------------------------------- Điều 1: (colon)


def test_article_label_with_a_colon_chosen_by_the_document(ref):
    d = _docx(_load(DECISION, ref, article_separator=":"), ref)
    ins = Inspector(d)
    labels = [p for p in d.paragraphs if p.text.startswith("Điều ")]
    assert labels and all(p.text.split()[1].endswith(":") for p in labels)
    # the attachment follows the Quyết định's choice unless it makes its own
    assert any(p.text.startswith("Điều 5: Trách nhiệm thi hành") for p in labels)
    first = labels[0]
    assert ins.runs(first)[0].bold and first.runs[0].text.strip() == "Điều 1:"


def test_article_label_default_is_a_full_stop(ref):
    d = _docx(_load(REGULATION, ref), ref)
    assert [p.text[:7] for p in d.paragraphs if p.text.startswith("Điều ")] == ["Điều 1.", "Điều 2.", "Điều 3."]


def test_checker_accepts_the_colon_only_where_it_is_configured(ref, tmp_path):
    from generator.kinds import kind
    from generator.render.engine import render_document as render_with

    doc = _load(REGULATION, ref)
    colon = _profile(ref, article_separator=":")
    k = kind(doc.type, ref)
    data = render_with(doc, k.doc_type, colon, k.template, kind_view=k.view_for(ref))
    d = docx.Document(io.BytesIO(data))
    assert any(p.text.startswith("Điều 1:") for p in d.paragraphs)  # the profile's choice, printed
    assert [f for f in _check(data, ref, tmp_path, colon) if f.rule == "dieu.nhan"] == []
    wrong = [f for f in _check(data, ref, tmp_path, ref.profile("hd36-2018")) if f.rule == "dieu.nhan"]
    assert len(wrong) == 3 and "Điều 1:" in wrong[0].found


# --------------------------------------------------------------------------- the Quy chế's caption, one citation


def test_caption_of_a_regulation_rendered_alone_is_the_decisions_citation(ref):
    reg = _load(QUY_CHE, ref)
    issued = {"number": 15, "issuer_code": "ĐUB", "date": "2026-03-05", "issuer": "Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ"}
    alone = reg.model_copy(update={"issued_with": type(reg).model_fields["issued_with"].annotation.__args__[0](**issued)})
    texts = _texts(_docx(alone, ref))
    want = "(Ban hành kèm theo Quyết định số 15-QĐ/ĐUB, ngày 05/3/2026 của Ban Thường vụ Đảng ủy Ban Cơ yếu Chính phủ)"
    assert want in texts
    # the same words as the caption the Quyết định prints over it (one source)
    assert want in _texts(_docx(_load(DECISION, ref), ref))
    # under a profile without the citation comma, both drop it
    quan_doi = _texts(_docx(alone.model_copy(update={"profile": "quan-doi"}), ref))
    assert any(t.startswith("(Ban hành kèm theo Quyết định số 15-QĐ/ĐUB ngày 05/3/2026") for t in quan_doi)
