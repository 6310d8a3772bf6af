"""Writer: a plan model → YAML a person can read and edit (for ``vanban derive``)."""

from __future__ import annotations

from typing import Any

import yaml

from generator.model.document import Plan


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml when available: ~10× faster
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


def dump_plan(plan: Plan, comment: str = "") -> str:
    """YAML of *plan*, with *comment* lines on top; loading it gives back an equal plan."""
    data = plan.model_dump(mode="json", exclude_defaults=True)
    data = {"type": plan.type, "profile": plan.profile, **data}
    text = yaml.dump(_prune(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
    head = "".join(f"# {line}\n" if line else "#\n" for line in comment.splitlines())
    return head + text


def dump_data(data: dict[str, Any]) -> str:
    """Plain values (a form's fields) as YAML, to be read back by the loader with its positions and messages."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
