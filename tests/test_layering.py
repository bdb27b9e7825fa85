"""The layering rule: only render/ imports Panda3D; physics/ knows nothing of the station."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_top_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize("package", ["station", "physics", "scenario"])
def test_no_panda3d_outside_render(package):
    offenders = {f for f, names in imported_top_modules(package).items() if names & {"panda3d", "direct", "render"}}
    assert not offenders, f"{package}/ must not import Panda3D or render/: {sorted(offenders)}"


def test_physics_does_not_know_the_station():
    offenders = {f for f, names in imported_top_modules("physics").items() if names & {"station", "scenario"}}
    assert not offenders, f"physics/ must stay generic: {sorted(offenders)}"


def test_the_checker_sees_imports(tmp_path):
    """Guard against a checker that can never fail: it must see an import in a real file."""
    names = imported_top_modules("tests")
    assert "pytest" in names[str(Path("tests") / "test_layering.py")]
