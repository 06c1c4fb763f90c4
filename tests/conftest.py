"""Shared fixtures: the repository's paths and a small valid conventions folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CONVENTIONS = ROOT / "conventions"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def small_conventions(tmp_path: Path) -> Path:
    """The real departement.yaml with the two fixture associations (alpha, beta), in a tmp folder."""
    root = tmp_path / "conventions"
    shutil.copytree(FIXTURES / "conventions", root)
    shutil.copy(CONVENTIONS / "departement.yaml", root / "departement.yaml")
    return root
