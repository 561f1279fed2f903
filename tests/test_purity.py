"""The core and the io layer never import Qt: checked on the source and in a fresh interpreter."""
import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "evidencegui"
FORBIDDEN = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_core_and_io_sources_import_no_qt():
    bad = []
    for sub in ("core", "io"):
        for f in (PKG / sub).rglob("*.py"):
            for mod in _imports(f):
                if mod.split(".")[0] in FORBIDDEN or mod.startswith("evidencegui.ui"):
                    bad.append(f"{f.relative_to(PKG)} imports {mod}")
    assert not bad, bad


def test_importing_every_core_and_io_module_loads_no_qt():
    mods = [f"evidencegui.{sub}.{f.stem}" for sub in ("core", "io")
            for f in sorted((PKG / sub).glob("*.py")) if f.stem != "__init__"]
    code = ("import importlib, sys\n"
            f"for m in {mods!r}: importlib.import_module(m)\n"
            f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_no_module_imports_scipy():
    """scipy is left out of the frozen program (installer/evidencegui.spec), so nothing in the
    package may import it; the tests use it as an oracle only."""
    bad = [f"{f.relative_to(PKG)} imports {mod}"
           for f in PKG.rglob("*.py") for mod in _imports(f) if mod.split(".")[0] == "scipy"]
    assert not bad, bad
