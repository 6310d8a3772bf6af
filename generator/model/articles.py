"""Documents written in articles (``Điều 1.``): the Quyết định and what it may issue, the Quy chế and the Quy định.

A Quyết định has căn cứ lines, an enacting body, ``QUYẾT ĐỊNH:`` and its articles; it may carry the document it
adopts (a Quy chế, a Quy định) as an attachment with its own heading block. A Quy chế or Quy định is divided into
parts (``Phần``), chapters (``Chương``), sections (``Mục``) and articles, each level optional; its articles are
numbered through the whole document.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from generator.lang.i18n import _
from generator.model.document import DateMaybeBlankDay, Document, Model, OptionalRecipients, Section, Text


class Clause(Model):
    """A numbered clause of an article (``1. …``) with its points (``a) …``)."""

    text: Text
    points: list[Text] = Field(default_factory=list, description="Points printed 'a) …', 'b) …'")


class Article(Model):
    """``Điều 1. Title`` (label and title bold) followed by its text."""

    title: Text | None = Field(None, description="The article's name, printed bold after 'Điều N.'")
    text: Text | None = Field(None, description="Text that follows the label on the same line (regular type)")
    paragraphs: list[Text] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list, description="Numbered clauses '1.', '2.' …")

    @model_validator(mode="after")
    def _has_content(self) -> Article:
        if not (self.title or self.text or self.paragraphs or self.clauses):
            raise ValueError(_("an article needs a title, a text, paragraphs or clauses"))
        return self


class Division(Model):
    """A Phần, Chương or Mục: its name, and the divisions or articles it holds."""

    title: Text = Field(description="Name of the part, chapter or section (printed upper case)")
    chapters: list[Division] = Field(default_factory=list, description="In a part: its chapters")
    sections: list[Division] = Field(default_factory=list, description="In a chapter: its sections (Mục)")
    articles: list[Article] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_content(self) -> Division:
        if not (self.chapters or self.sections or self.articles):
            raise ValueError(_("a part, chapter or section needs chapters, sections or articles"))
        return self


class Issued(Model):
    """The Quyết định that adopts this document, printed ``(Ban hành kèm theo Quyết định số …)`` when the document is
    rendered on its own. The caption is the Quyết định's citation, made as the Quyết định's own is (one source): give
    what identifies it. (When this document is a Quyết định's attachment, it comes from the Quyết định.)"""

    type: Text = Field("quyet-dinh", description="Type id of the adopting document in data/document-types.yaml")
    number: int | None = Field(None, ge=1)
    issuer_code: Text
    date: DateMaybeBlankDay | None = Field(None, description="Its date: YYYY-MM-DD (YYYY-MM, YYYY when partly blank)")
    issuer: Text | None = Field(None, description="Who issued it, as in running text: 'Ban Thường vụ Đảng ủy …'")


class Regulation(Document):
    """A Quy chế or a Quy định: căn cứ, an enacting sentence, then parts, chapters, sections and articles."""

    model_config = ConfigDict(title="vanban regulation", extra="forbid", validate_assignment=True)

    type: Text = Field("quy-che", description="Document type id from data/document-types.yaml")
    sections: list[Section] = Field(default_factory=list, description="Not used: a regulation is written in articles")
    grounds: list[Text] = Field(default_factory=list, description="Căn cứ lines, printed '- … ;' (the last ending ',')")
    enacting: Text | None = Field(None, description="The sentence before the articles, e.g. 'Ban Thường vụ … ban hành …'")
    parts: list[Division] = Field(default_factory=list, description="Phần I, Phần II …")
    chapters: list[Division] = Field(default_factory=list, description="Chương I, Chương II …")
    articles: list[Article] = Field(default_factory=list, description="Articles outside any chapter")
    recipients: OptionalRecipients = Field(default_factory=list)  # none when it is an attachment
    archive: list[Text] = Field(default_factory=list)
    issued_with: Issued | None = Field(None, description="Set when the document is issued with a Quyết định")
    article_separator: Literal[".", ":"] | None = Field(
        None, description="After an article's number: '.' (Điều 1.) or ':' (Điều 1:); default: the rule profile's"
    )

    @model_validator(mode="after")
    def _has_articles(self) -> Regulation:
        if not (self.parts or self.chapters or self.articles):
            raise ValueError(_("a regulation needs parts, chapters or articles"))
        return self


class Decision(Document):
    """A Quyết định: căn cứ lines, the enacting body, ``QUYẾT ĐỊNH:``, articles; maybe the document it adopts."""

    model_config = ConfigDict(title="vanban decision", extra="forbid", validate_assignment=True)

    type: Text = Field("quyet-dinh", description="Document type id from data/document-types.yaml")
    sections: list[Section] = Field(default_factory=list, description="Not used: a decision is written in articles")
    grounds: list[Text] = Field(default_factory=list, description="Căn cứ lines, printed '- … ;' (the last ending ',')")
    enacting_body: Text | None = Field(
        None, description="Printed upper case on its own line before 'QUYẾT ĐỊNH:'; default: the signing authority and issuer"
    )
    decides: Text = Field("QUYẾT ĐỊNH:", description="The line before the articles (some offices write it without ':')")
    article_separator: Literal[".", ":"] | None = Field(
        None, description="After an article's number: '.' (Điều 1.) or ':' (Điều 1:); default: the rule profile's"
    )
    articles: list[Article] = Field(min_length=1)
    attachment: Regulation | Text | None = Field(
        None, description="The document it adopts: written here, or the path of its YAML file (relative to this file)"
    )
