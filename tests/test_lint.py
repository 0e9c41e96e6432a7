"""The code holds nothing that cannot be right: pyflakes' checks (ruff's F rules) over the package, the
tests, the benchmarks and the scripts. A test defined twice under one name runs once; an unused import
or an undefined name is a mistake waiting."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list[str]:
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if exe is None:
        pytest.skip("ruff is not installed (the test extra installs it)")
    return [exe]


def test_lint_pyflakes_finds_nothing() -> None:
    done = subprocess.run([*_ruff(), "check", "--no-cache", "--output-format", "concise", "src", "tests", "benchmarks",
                           "scripts"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
