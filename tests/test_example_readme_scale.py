"""Issue 20 point 4: the README's example year (`python -m engine.checker.examples --scale …`) writes
the conventions' slugs, `fsl check` reads it to its ground truth, and no Python warning reaches
the terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from engine import PROJECT_ROOT
from tests.test_checker_example import _untrusted, assert_same


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)


FSL = str(Path(sys.executable).parent / "fsl")


def test_the_readme_example_year_checks_to_its_truth_with_no_warning(tmp_path: Path) -> None:
    folder = tmp_path / "annee"
    made = _run(sys.executable, "-m", "engine.checker.examples", "--out", str(folder), "--scale", "0.02")
    assert made.returncode == 0, made.stderr
    checked = _run(FSL, "check", str(folder), "--as-of", "2026-11-22", "--json")
    assert checked.returncode == 1, checked.stderr  # findings, not a refused register
    assert "inconnue des conventions" not in checked.stderr
    assert "Warning" not in checked.stderr and "DSA" not in checked.stderr, checked.stderr
    truth = json.loads((folder / "verite.json").read_text(encoding="utf-8"))
    report = json.loads(checked.stdout)
    assert_same(report["findings"], truth["constats"] + _untrusted(truth))
