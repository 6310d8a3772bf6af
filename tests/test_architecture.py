"""The architecture holds: stages import only the stages below them, and only the front ends know their medium."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

#: Lowest first. A package may import from itself and from any package before it, never after.
LAYERS: list[tuple[str, ...]] = [
    ("lang",),
    ("model",),
    ("io",),
    ("transform",),
    ("render",),
    ("convert",),
    ("inspect",),
    ("kinds",),
    ("services",),
    ("web",),
    ("cli",),  # the command line also launches the web application (vanban serve)
]
RANK = {pkg: i for i, group in enumerate(LAYERS) for pkg in group}

#: What only one package may import: the medium of a front end, the format of a reader.
ONLY_IN = {
    "click": {"cli"},
    "django": {"web", "cli/web.py"},  # the commands that start the web application set Django up
    "yaml": {"io", "inspect"},  # readers: the YAML loader, and lint (it edits YAML text in place)
    "openpyxl": {"io"},
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "locale" not in p.parts and "migrations" not in p.parts)


def _package_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE).parts
    return rel[0] if len(rel) > 1 else ""


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}:{node.lineno}: relative import; vanban's imports are absolute")
    return out


def test_every_package_has_a_rank():
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages - {"locale"} <= set(RANK), f"give these packages a layer: {packages - set(RANK)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path):
    own = _package_of(path)
    wrong = []
    for line, module in _imports(path):
        parts = module.split(".")
        if parts[0] == "generator" and len(parts) > 1 and parts[1] in RANK and own in RANK:
            target = parts[1]
            if target != own and RANK[target] >= RANK[own]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {own} imports {module} (rank {RANK[target]} ≥ {RANK[own]})")
        allowed = ONLY_IN.get(parts[0])
        if allowed is not None and own not in allowed and str(path.relative_to(PACKAGE)) not in allowed:
            wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {module} is for {', '.join(sorted(allowed))} only")
    assert wrong == []


def _document_models() -> set[str]:
    """The names of every document model (a subclass of Document, at any depth)."""
    from generator.model.document import MODELS, Document

    seen: set[type] = set()
    todo = list(Document.__subclasses__()) + list(MODELS.values())
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            todo += cls.__subclasses__()
    return {cls.__name__ for cls in seen}


def _class_checks(source: str, label: str, names: set[str]) -> list[str]:
    """``isinstance``/``issubclass`` calls in *source* naming one of *names* (alone, in a tuple, or as module.Name)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("isinstance", "issubclass")):
            continue
        if len(node.args) != 2:
            continue
        arg = node.args[1]
        for item in arg.elts if isinstance(arg, ast.Tuple) else [arg]:
            name = item.id if isinstance(item, ast.Name) else item.attr if isinstance(item, ast.Attribute) else None
            if name in names:
                found.append(f"{label}:{node.lineno}: {node.func.id}(…, {name})")
    return found


def test_only_the_kinds_and_the_model_ask_what_class_a_document_is():
    # What a shape can do (its linked files, whether it is a plan to work from) is asked through the kind registry
    # (generator.kinds: Shape.links, Kind.as_plan), so that a new shape is one module there, not edits elsewhere.
    names = _document_models()
    assert {"Plan", "Report", "Copy", "Decision", "Regulation"} <= names
    wrong = [
        hit
        for path in _modules()
        if _package_of(path) not in ("kinds", "model")
        for hit in _class_checks(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)), names)
    ]
    assert wrong == []


def test_the_class_check_finds_what_it_looks_for():
    # The test above cannot pass by finding nothing: the same scan catches a module that asks.
    source = "def f(doc, Plan, m):\n    return isinstance(doc, (int, Plan)) or isinstance(doc, m.Copy) or isinstance(doc, str)\n"
    assert _class_checks(source, "probe.py", _document_models()) == [
        "probe.py:2: isinstance(…, Plan)",
        "probe.py:2: isinstance(…, Copy)",
    ]
