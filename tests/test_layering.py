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


@pytest.mark.parametrize("package", ["station", "physics", "scenario", "formats", "fileio", "ensemble"])
def test_no_panda3d_outside_render(package):
    offenders = {f for f, names in imported_top_modules(package).items() if names & {"panda3d", "direct", "render"}}
    assert not offenders, f"{package}/ must not import Panda3D or render/: {sorted(offenders)}"


def test_fileio_imports_nothing_of_the_project():
    """fileio/ (atomic writes, bounded readers) sits below every package: it imports none of them."""
    project = {"station", "physics", "scenario", "formats", "render", "cli", "main"}
    offenders = {f: names & project for f, names in imported_top_modules("fileio").items() if names & project}
    assert not offenders, offenders


def test_physics_does_not_know_the_station():
    offenders = {f for f, names in imported_top_modules("physics").items() if names & {"station", "scenario"}}
    assert not offenders, f"physics/ must stay generic: {sorted(offenders)}"


def test_the_checker_sees_imports(tmp_path):
    """Guard against a checker that can never fail: it must see an import in a real file."""
    names = imported_top_modules("tests")
    assert "pytest" in names[str(Path("tests") / "test_layering.py")]


def test_importing_every_module_loads_no_panda3d_and_physics_alone_no_station():
    """The static check misses imports built at run time (importlib) or pulled in through a third
    package; this one imports every module of the three packages in a fresh interpreter and looks at
    sys.modules."""
    import subprocess
    import sys
    code = (
        "import importlib, pkgutil, sys\n"
        "def load(p):\n"
        "    pkg = importlib.import_module(p)\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(p + '.' + m.name)\n"
        "top = lambda: {m.split('.')[0] for m in sys.modules}\n"
        "load('physics')\n"
        "assert not top() & {'station', 'scenario', 'render', 'panda3d', 'direct'}, top() & {'station', 'scenario', 'render', 'panda3d', 'direct'}\n"
        "load('station'); load('scenario')\n"
        "assert not top() & {'render', 'panda3d', 'direct'}, top() & {'render', 'panda3d', 'direct'}\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
