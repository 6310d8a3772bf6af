"""Writer: a plan (or report) model → YAML a person can read and edit (for ``vanban derive`` and ``vanban report``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from generator.model.document import Document

if TYPE_CHECKING:  # a base class chosen at run time is beyond mypy; CSafeDumper behaves as a SafeDumper
    _BaseDumper = yaml.SafeDumper
else:  # libyaml when available: ~10× faster
    _BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Long texts as folded blocks keep the file readable; short ones stay on their line.
    style = ">" if len(value) > 90 and "\n" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def dump_plan(doc: Document, comment: str = "") -> str:
    """YAML of *doc* (a plan, or a rolled-up report), with *comment* lines on top; loading it gives back an equal document."""
    data = doc.model_dump(mode="json", exclude_defaults=True)
    data = {"type": doc.type, "profile": doc.profile, **data}
    text = yaml.dump(_prune(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
    head = "".join(f"# {line}\n" if line else "#\n" for line in comment.splitlines())
    return head + text


def dump_data(data: dict[str, Any]) -> str:
    """Plain values (a form's fields) as YAML, to be read back by the loader with its positions and messages."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
