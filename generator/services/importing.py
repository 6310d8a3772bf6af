"""Use case: a received document (DOCX, or a born-digital PDF) read into our data (``vanban import``).

The reading is :mod:`generator.inspect.reader`; this module opens the file safely, validates what was read
against the model of the document's shape, and turns it into YAML a person can check and edit. It never
prints and never exits: problems come back as :class:`ImportFailure` with a located message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.inspect.check import CheckError, open_docx
from generator.inspect.reader import Note, Read, read_document, text_hash
from generator.io.refdata import RefData
from generator.io.yamlout import dump_plan
from generator.kinds import UnknownKind, appended_shapes, kind, shape_readers
from generator.lang.i18n import _
from generator.model.document import Document

#: The signature of an OLE compound file: an encrypted DOCX, or a Word 97–2003 .doc.
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")

#: The shapes whose documents can be read back.
SHAPES = ("plan", "report", "letter", "submission", "decision", "regulation", "minutes", "copy")


class ImportFailure(Exception):
    """The file cannot be imported; the message names the file and why."""


@dataclass
class Imported:
    document: Document
    notes: list[Note] = field(default_factory=list)
    rendered: bool = False  # rendered by vanban (its identity is in the document properties)
    edited: bool = False  # … and edited since

    def yaml(self, source: str) -> str:
        head = _("Imported from {source} by vanban import; check it against the original.", source=source)
        return dump_plan(self.document, head)

    def files(self, out: Path, source: str) -> list[tuple[Path, str]]:
        """The YAML files to write for *out*: the document, and for a Bản sao the copied document beside it
        (``<name>-original.yaml``, named by the copy's ``original:`` as a copy names it when written by hand)."""
        original = getattr(self.document, "original", None)
        if not isinstance(original, Document):
            return [(out, self.yaml(source))]
        path = out.with_name(f"{out.stem}-original.yaml")
        head = _("Imported from {source} by vanban import; check it against the original.", source=source)
        copy = self.document.model_copy(update={"original": path.name})
        return [(path, dump_plan(original, head)), (out, dump_plan(copy, head))]


def _open(path: Path):
    if path.suffix.lower() == ".pdf":
        from generator.inspect.pdf_reader import PdfReadError, open_pdf

        try:
            return open_pdf(path)
        except PdfReadError as exc:
            raise ImportFailure(str(exc)) from None
    try:
        with open(path, "rb") as fh:
            magic = fh.read(8)
    except FileNotFoundError:
        raise ImportFailure(_("{path}: file not found", path=path)) from None
    except OSError:
        magic = b""  # open_docx says why
    if magic == _OLE:
        raise ImportFailure(
            _(
                "{path}: a password-protected (encrypted) document or an old Word .doc file; save it in Word as .docx without a password, then import it",
                path=path,
            )
        )
    if magic.startswith(b"%PDF"):
        raise ImportFailure(_("{path}: a PDF file named .docx; rename it to .pdf", path=path))
    try:
        return open_docx(path)
    except CheckError as exc:
        raise ImportFailure(str(exc)) from None


def read_file(path: str | Path, ref: RefData) -> Read:
    """What the file says, as plain data with notes (not yet validated)."""
    return read_document(_open(Path(path)), ref, shape_readers(), appended_shapes())


def import_file(path: str | Path, ref: RefData) -> Imported:
    """The document in the DOCX or PDF at *path*, validated against its kind's model."""
    path = Path(path)
    read = read_file(path, ref)
    return validate(read, ref, str(path))


def validate(read: Read, ref: RefData, where: str) -> Imported:
    data = read.data
    original = data.get("original")
    if isinstance(original, dict):  # a Bản sao: the copied document, validated as its own kind
        data = {**data, "original": validate(Read(original), ref, _("{where} (the copied document)", where=where)).document}
    type_id = data.get("type") or "ke-hoach"
    try:
        k = kind(type_id, ref)
        model = k.model
        if k.shape.id not in SHAPES:
            raise ImportFailure(
                _(
                    "{where}: a {name} cannot be imported yet; only documents shaped like a plan can",
                    where=where,
                    name=k.doc_type.name,
                )
            )
    except UnknownKind:
        raise ImportFailure(_("{where}: document type {type} cannot be imported", where=where, type=repr(type_id))) from None
    try:
        doc = model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors()[:10]:
            loc = ".".join(str(p) for p in err["loc"]) or "(document)"
            lines.append(f"  {loc}: {err['msg']}")
        raise ImportFailure(
            _("{where}: what was read is not a complete document:\n{details}", where=where, details="\n".join(lines))
        ) from None
    return Imported(doc, read.notes, read.rendered, read.edited)


def edited_since_rendered(path: str | Path) -> bool:
    """True when *path* is a DOCX vanban rendered whose text was changed since (in Word); False otherwise."""
    from generator.inspect.reader import identity

    try:
        doc = open_docx(path)
    except CheckError:
        return False
    ident: dict[str, Any] | None = identity(doc)
    return ident is not None and ident.get("text") != text_hash(doc)
