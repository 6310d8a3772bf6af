"""Use case: read documents from YAML, checked as far as vanban can check them.

The one entry point the CLI and the web application use to load a document: the YAML reader of
:mod:`generator.io.loader` plus the checks that need another stage (a derived plan against its parent).
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.io.loader import Loaded, LoadError, Located, load_plan, locate
from generator.io.refdata import RefData
from generator.io.refdata import load as load_refdata
from generator.kinds import kind_of
from generator.lang.i18n import _
from generator.model.copy import ReceivedDocx
from generator.model.document import PLACEHOLDER, Document, Problem
from generator.transform.derive import parent_problems, parent_within_reach


def load_document(
    path: str | Path, ref: RefData | None = None, display: str | None = None, *, named: Collection[Path] = ()
) -> Loaded:
    """Read and check one document; a derived plan is also checked against its parent, which it may name only
    near itself unless the user *named* the parent too. Raises LoadError."""
    loaded = load_plan(path, ref, display, checks=functools.partial(_parent_problems, named=named))
    _read_links(loaded, Path(path), ref, named)
    return loaded


def _parent_problems(doc: Document, path: Path, ref: RefData, named: Collection[Path] = ()) -> list[Problem]:
    """A derived plan checked against its parent (see :func:`parent_problems`); other documents have none."""
    found = kind_of(doc, ref)
    plan = found.as_plan(doc) if found else None
    return parent_problems(plan, path, ref, named) if plan is not None else []


def _near(path: Path, name: str, field_name: str, named: Collection[Path], suffixes: tuple[str, ...] = (".yaml", ".yml")) -> Path:
    """The file a document names (its original, its attachment), allowed only near the document or named by the
    user, like a derived plan's parent: an uploaded document must not make vanban read any file it likes."""
    target = path.parent / name
    # Beside the document, below it, or in a neighbouring folder (samples/ban-sao/ → ../quyet-dinh/…), no further.
    near = target.resolve().is_relative_to(path.parent.resolve().parent) and target.suffix.lower() in suffixes
    if Path(name).is_absolute() or not (near or parent_within_reach(path, target, named)):
        if suffixes == (".docx",):
            message = _(
                "{file}: must be a .docx file under the folder just above this document's folder, named relative to this document",
                file=name,
            )
        else:
            message = _(
                "{file}: must be a .yaml file under the folder just above this document's folder, named relative to this document",
                file=name,
            )
        raise LoadError(locate(path, [((field_name,), message)]))
    return target


def _received(path: Path, name: str, named: Collection[Path]) -> ReceivedDocx:
    """The received DOCX a Bản sao copies, read under the zip limits and checked to be a Word document; a PDF is
    refused (its text cannot be copied as it is)."""
    from generator.inspect.check import CheckError, open_docx
    from generator.io.fsutil import InputError, read_input
    from generator.io.safezip import MAX_TOTAL_BYTES

    if Path(name).suffix.lower() == ".pdf":
        message = _("{file}: a PDF cannot be copied into a Bản sao; give the document as DOCX (or its YAML)", file=name)
        raise LoadError(locate(path, [(("original",), message)]))
    target = _near(path, name, "original", named, (".docx",))
    if not target.is_file():
        raise LoadError(locate(path, [(("original",), _("{file}: no such file", file=name))]))
    try:
        open_docx(target)  # a damaged or hostile file stops here, named
        data = read_input(target, MAX_TOTAL_BYTES)
    except (CheckError, InputError) as exc:
        raise LoadError(locate(path, [(("original",), str(exc))])) from None
    return ReceivedDocx(file=name, data=data)


def _read_links(loaded: Loaded, path: Path, ref: RefData | None, named: Collection[Path] = ()) -> None:
    """The documents a document names by file in the fields its shape links (a Bản sao's original, a Quyết định's
    attachment: :attr:`generator.kinds.Shape.links`), each read and checked, with its own links, in its place."""
    doc: Document = loaded.plan
    found = kind_of(doc, ref or load_refdata())
    for link in found.shape.links if found else ():
        name = getattr(doc, link.field, None)
        if not isinstance(name, str) or (link.drafts and PLACEHOLDER.search(name)):
            continue  # written inline, absent, or still to be named in a draft
        if link.received and Path(name).suffix.lower() in (".docx", ".pdf"):
            setattr(doc, link.field, _received(path, name, named))  # a received document, copied as it is
            continue
        target = _near(path, name, link.field, named)
        if not target.is_file():
            raise LoadError(locate(path, [((link.field,), _("{file}: no such file", file=name))]))
        sub = load_plan(target, ref)
        refusal = link.refuse(sub.plan, name)
        if refusal is not None:
            raise LoadError(locate(path, [((link.field,), refusal)]))
        _read_links(sub, target, ref, named)
        setattr(doc, link.field, sub.plan)
        loaded.warnings += sub.warnings
        loaded.todos += sub.todos


@dataclass
class Loading:
    """Documents read from files: those that can be used, and every problem of every file, in order."""

    documents: list[tuple[Path, Document]] = field(default_factory=list)
    problems: list[Located] = field(default_factory=list)
    failed: bool = False


def load_documents(
    paths: list[str], ref: RefData | None = None, *, allow_todos: bool = True, count_todos: bool = False
) -> Loading:
    """Read every file, collecting all problems of all files.

    A place still to be completed (``[[…]]``) is an error unless *allow_todos*; with *count_todos* the places
    are listed and counted in a warning when they are allowed (what ``vanban validate`` says)."""
    ref = ref or load_refdata()
    out = Loading()
    for name in paths:
        try:
            loaded = load_document(name, ref, named=[Path(p) for p in paths])
        except LoadError as exc:
            out.problems += exc.problems
            out.failed = True
            continue
        out.problems += loaded.warnings
        if loaded.todos and not allow_todos:
            out.problems += [
                replace(t, severity="error", message=_("{message} (fill it in, or render with --draft)", message=t.message))
                for t in loaded.todos
            ]
            out.failed = True
            continue
        if loaded.todos and count_todos:
            out.problems += loaded.todos
            out.problems.append(
                Located(
                    name,
                    None,
                    None,
                    "",
                    _(
                        "{n} place(s) still to be completed ([[…]]): the plan renders only as a draft (--draft)",
                        n=len(loaded.todos),
                    ),
                    "warning",
                )
            )
        out.documents.append((Path(name), loaded.plan))
    return out
