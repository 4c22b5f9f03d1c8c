"""Interfaces stay thin: web, api and cli never query models themselves, so scoping is not bypassed."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THIN_LAYERS = ("web", "api", "cli")


def _python_files():
    for layer in THIN_LAYERS:
        folder = ROOT / layer
        if folder.is_dir():
            yield from (p for p in folder.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts)


@pytest.mark.parametrize("path", list(_python_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_direct_model_queries_in_interfaces(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offenders = [
        f"{path.name}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]
    assert not offenders, f"query models through selectors/services, not .objects: {offenders}"


def test_layers_point_down_and_the_engine_imports_no_django():
    """The contracts in .importlinter (the layer order of docs/architecture.md; no Django in the engine)."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT.parent / ".importlinter"), no_cache=True) == 0
