"""pyproject.toml declares what the code imports, and nothing it does not (.ci/check_deps.py, also run by CI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_is_declared_and_every_declared_package_is_used() -> None:
    run = subprocess.run([sys.executable, str(ROOT / ".ci" / "check_deps.py")], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
