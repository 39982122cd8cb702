"""Every third-party import is declared in pyproject.toml, and every declared package is imported (or says why not).

Product code (scanner/, kiosk/, ui/) must import only [project] dependencies; tests/ and bench/ may also use the
``test`` extra. Run by .ci/run with the project's virtualenv (it maps import names to installed distributions).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("scanner", "kiosk", "ui")
TOOLS = ("tests", "bench", "scripts", ".ci")
# declared but never imported by name, and why
NOT_IMPORTED = {
    "httptools": "uvicorn picks it up by itself (C HTTP parser)",
    "uvloop": "uvicorn picks it up by itself (event loop)",
    "pyside6-addons": "provides PySide6 modules (QtMultimedia, QtCharts) under the PySide6 name",
    "pytest-qt": "a pytest plugin (the qtbot fixture)",
    "pytest-timeout": "a pytest plugin (the timeout setting)",
    "ruff": "the linter CI runs",
}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def imports(folders: tuple[str, ...]) -> dict[str, str]:
    """Top-level module names imported below ``folders`` -> one file that imports it."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if ".venv" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    test = {_name(r) for r in project["optional-dependencies"]["test"]}
    owners = {module: {_name(d) for d in dists} for module, dists in packages_distributions().items()}
    local = set(PRODUCT) | {p.stem for folder in TOOLS for p in (ROOT / folder).glob("*.py")} | {"conftest"}
    problems: list[str] = []
    used: set[str] = set()
    for folders, allowed in ((PRODUCT, runtime), (TOOLS, runtime | test)):
        for module, where in sorted(imports(folders).items()):
            if module in sys.stdlib_module_names or module in local:
                continue
            dists = owners.get(module)
            if not dists:
                problems.append(f"{where}: imports {module!r}, which no installed distribution provides")
                continue
            used |= dists
            if not dists & allowed:
                kind = "[project] dependencies" if allowed is runtime else "dependencies or the test extra"
                problems.append(f"{where}: imports {module!r} ({', '.join(sorted(dists))}), not in {kind}")
    for name in sorted((runtime | test) - used - set(NOT_IMPORTED)):
        problems.append(f"pyproject.toml declares {name!r}, which nothing imports")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
