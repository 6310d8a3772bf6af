"""The Bản sao (36-HD/VPTW Mục II Khoản 3): a copy of a document with the copy block at its end — the kind of
copy, the copying body, the copy's number (``Số 24-BS/UBKTTU``), place and date, the signer and the Nơi nhận."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field

from generator.lang.i18n import _
from generator.model.document import Document, Model, Section, Text


def _named_not_written(value: Any) -> Any:
    # The copied document is read from its own file, as its own type; written inline it would be read as no type.
    if isinstance(value, dict):
        raise ValueError(_("give the path of the copied document's YAML file, relative to this file"))
    return value


class ReceivedDocx(Model):
    """A document vanban did not write (a received DOCX), copied as it is: the loader reads its file."""

    file: Text = Field(description="The DOCX file as named by the copy")
    data: bytes = Field(exclude=True, repr=False, description="Its bytes")


#: The three kinds of copy (36-HD Mục II 3.1) and the words printed for each [C kinds; S words].
COPY_FORMS: dict[str, str] = {"sao-y": "SAO Y BẢN CHÍNH", "sao-luc": "SAO LỤC", "trich-sao": "TRÍCH SAO"}


class Copy(Document):
    """A Bản sao: ``header`` is the copying body's (its number is the copy's own), ``signoff``, ``recipients`` and
    ``archive`` are the copy's; ``original`` names the copied document."""

    model_config = ConfigDict(title="vanban copy", extra="forbid", validate_assignment=True)

    type: Text = Field("ban-sao", description="Document type id from data/document-types.yaml")
    form: Literal["sao-y", "sao-luc", "trich-sao"] = Field(description="sao-y (bản chính), sao-luc, trich-sao")
    form_words: Text | None = Field(None, description="The words printed for the form, when they differ from the usual")
    original: Annotated[Document | ReceivedDocx | Text, BeforeValidator(_named_not_written)] = Field(
        description="The copied document: the path of its YAML file, or of a received DOCX copied as it is (relative "
        "to this file)"
    )
    new_page: bool = Field(False, description="Start the copy block on a new page after the copied document")
    subject: list[Text] = Field(default_factory=list, description="Not printed: the copy has the original's")
    sections: list[Section] = Field(default_factory=list, description="Not used: the copy prints the original")
