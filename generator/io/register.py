"""The printed register's layout (``data/register.yaml``, or the same file in the user's data folder):
its title and its columns, each showing one field of a register line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.io.refdata import _fail, _read, data_dir, user_data
from generator.lang.i18n import _

#: What a column may show (generator.render.register fills them).
FIELDS = ("symbol", "date", "subject", "signer", "recipients", "archive", "copies", "note")


@dataclass(frozen=True)
class Column:
    field: str
    title: str
    width: float  # mm


@dataclass(frozen=True)
class RegisterLayout:
    title: str
    columns: tuple[Column, ...]


def load_layout() -> RegisterLayout:
    """The user's ``register.yaml`` when their data folder has one, else the built-in one."""
    user = user_data()
    path = user / "register.yaml" if user and (user / "register.yaml").is_file() else data_dir() / "register.yaml"
    return read_layout(path)


def read_layout(path: Path) -> RegisterLayout:
    raw = _read(path)
    columns = raw.get("columns")
    if not isinstance(columns, list) or not columns:
        _fail(path, ("columns",), _("expected a list of columns"))
    out = []
    for i, col in enumerate(columns):
        if not isinstance(col, dict):
            _fail(path, ("columns", i), _("expected a mapping of fields at the top"))
        if col.get("field") not in FIELDS:
            _fail(
                path,
                ("columns", i, "field"),
                _("unknown field {key}; known: {value}", key=repr(col.get("field")), value=", ".join(FIELDS)),
            )
        try:
            width = float(col.get("width") or 0)
        except (TypeError, ValueError):
            width = 0
        if width <= 0:
            _fail(path, ("columns", i, "width"), _("expected a width in millimetres, more than 0"))
        out.append(Column(col["field"], str(col.get("title") or ""), width))
    return RegisterLayout(str(raw.get("title") or "SỔ ĐĂNG KÝ VĂN BẢN ĐI"), tuple(out))
