"""The plan editor's task table and the preview's appendix, written by generator.web.templatetags.editor instead of
a template included once a row: what the page holds must be what the browser posts back, escaped, with each row's
errors and places marked, in the reader's language."""

from __future__ import annotations

import lxml.html

from generator.web.models import Document

from .conftest import login
from .test_flow import SAMPLE, form_post


def _form_pairs(page: str) -> list[tuple[str, str]]:
    """What the browser posts for the edit page's form: its controls, not the blank rows kept in <template>s."""
    tree = lxml.html.fromstring(page)
    for tpl in tree.xpath("//template"):
        tpl.drop_tree()
    form = tree.get_element_by_id("plan-form")
    return [(k, v) for k, v in form.form_values() if k != "csrfmiddlewaretoken"]


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def _sample_doc(c) -> Document:
    import yaml

    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["header"]["number"] = None
    r = c.post("/documents/new/", form_post(data))
    assert r.status_code == 302, r.content.decode()[:500]
    return Document.objects.get(pk=int(r["Location"].split("/")[2]))


def test_the_edit_page_posted_back_unchanged_saves_the_same_plan(tree):
    c = login("vanphong.dang-uy-ban")
    doc = _sample_doc(c)
    page = c.get(f"/documents/{doc.pk}/edit/").content.decode()
    pairs = _form_pairs(page)
    kinds = [v for k, v in pairs if k == "row-kind"]
    groups = doc.data["appendix"]["groups"]
    assert kinds.count("group") == len(groups) and kinds.count("task") == sum(len(g["tasks"]) for g in groups)
    r = c.post(f"/documents/{doc.pk}/edit/", _multi(pairs))
    assert r.status_code == 302
    doc.refresh_from_db()
    assert doc.data == Document.objects.get(pk=doc.pk).versions.order_by("n").first().data
    # the blank rows the "Add" buttons copy: one of each kind, empty, with the same controls
    blank = lxml.html.fromstring(page).xpath("//template[@id='row-task']")[0]
    assert 'name="row-lead" value=""' in lxml.html.tostring(blank, encoding="unicode")


def test_a_refused_row_keeps_what_was_typed_escaped_and_shows_its_error(tree):
    c = login("vanphong.dang-uy-ban")
    doc = _sample_doc(c)
    pairs = _form_pairs(c.get(f"/documents/{doc.pk}/edit/").content.decode())
    typed = 'Giao <b>Ban</b> & "Văn phòng" [[đơn vị]]'
    tasks = [n for n, kind in enumerate(v for k, v in pairs if k == "row-kind") if kind == "task"]
    texts = [i for i, (k, _v) in enumerate(pairs) if k == "row-text"]
    leads = [i for i, (k, _v) in enumerate(pairs) if k == "row-lead"]
    pairs[texts[tasks[1]]] = ("row-text", "")  # a task with no text: refused, its row marked
    pairs[leads[tasks[2]]] = ("row-lead", typed)
    r = c.post(f"/documents/{doc.pk}/edit/", _multi(pairs))
    assert r.status_code == 400
    page = r.content.decode()
    assert "<b>Ban</b>" not in page and "Giao &lt;b&gt;Ban&lt;/b&gt; &amp; &quot;Văn phòng&quot;" in page
    tree_ = lxml.html.fromstring(page)
    invalid = tree_.xpath("//table[@id='tasks']//tr[contains(@class, 'invalid')]")
    assert len(invalid) == 1 and invalid[0].xpath(".//ul[@class='errors']/li")
    assert invalid[0].xpath(".//textarea[@name='row-text']")[0].text in (None, "")
    placed = tree_.xpath("//table[@id='tasks']//tr[contains(@class, 'has-place')]")
    assert [tr.xpath(".//input[@name='row-lead']")[0].get("value") for tr in placed] == [typed]
    assert _form_pairs(page) == pairs  # nothing typed is lost: the re-shown form posts what was sent


def test_the_task_table_speaks_the_readers_language(tree):
    for lang, words in (("vi", ("Nhóm", "Chuyển lên")), ("en", ("Group", "Move up"))):
        page = login("vanphong.dang-uy-ban", lang).get("/documents/new/").content.decode()
        tpl = lxml.html.fromstring(page).xpath("//template[@id='row-group']")[0]
        html = lxml.html.tostring(tpl, encoding="unicode")
        assert all(w in html for w in words), (lang, html)


def test_the_preview_appendix_lists_every_task_escaped_with_its_places_marked(tree):
    c = login("vanphong.dang-uy-ban")
    doc = _sample_doc(c)
    pairs = _form_pairs(c.get(f"/documents/{doc.pk}/edit/").content.decode())
    first_task = [v for k, v in pairs if k == "row-kind"].index("task")
    leads = [i for i, (k, _v) in enumerate(pairs) if k == "row-lead"]
    pairs[leads[first_task]] = ("row-lead", "Ban <i>A</i>; [[đơn vị]]")
    html = c.post("/documents/preview/", _multi(pairs)).content.decode()
    rows = lxml.html.fromstring(html).xpath("//table[@class='appendix']/tbody/tr")
    tasks = [tr for tr in rows if tr.get("class") != "group"]
    assert len(tasks) == sum(len(g["tasks"]) for g in doc.data["appendix"]["groups"])
    first = tasks[0].xpath("./td")[2]
    assert [d.text_content() for d in first.xpath("./div")] == ["Ban <i>A</i>", "[[đơn vị]]"]
    assert first.xpath("./div/mark[@class='place']")[0].text == "[[đơn vị]]"
