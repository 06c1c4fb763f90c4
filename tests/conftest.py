"""Shared fixtures: the repository's paths and a small valid conventions folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CONVENTIONS = ROOT / "conventions"
SHARED = ROOT.parent / "shared"
TEST_SIRET = "73282932000074"  # both keys right (python-stdnum); not the Département's


@pytest.fixture(autouse=True, scope="session")
def _cold_pdf_conversions():
    """The suite converts cold (FSL_SANS_CACHE=1): a PDF from an earlier test or run never stands in
    for a conversion a test is about; tests/test_pdf_cache.py turns the cache on where it tests it."""
    previous = os.environ.get("FSL_SANS_CACHE")
    os.environ["FSL_SANS_CACHE"] = "1"
    yield
    if previous is None:
        os.environ.pop("FSL_SANS_CACHE", None)
    else:
        os.environ["FSL_SANS_CACHE"] = previous


@pytest.fixture
def small_conventions(tmp_path: Path) -> Path:
    """The real departement.yaml with the two fixture associations (alpha, beta), in a tmp folder."""
    root = tmp_path / "conventions"
    shutil.copytree(FIXTURES / "conventions", root)
    shutil.copy(CONVENTIONS / "departement.yaml", root / "departement.yaml")
    return root


def copy_pack_conventions(parent: Path) -> Path:
    """`parent/conventions`: the two fictitious associations carrying the 2026 totals (004 annexe 3)
    with the real Département, commissions and activity: everything a build needs."""
    root = parent / "conventions"
    shutil.copytree(FIXTURES / "pack" / "totaux-2026", root)
    shutil.copy(CONVENTIONS / "departement.yaml", root)
    for folder in ("commissions", "activite"):
        shutil.copytree(CONVENTIONS / folder, root / folder)
    return root


def sirene_siret(index: int) -> str:
    """A SIRET SIRENE could issue (both Luhn keys right), distinct for each `index` below 10 000:
    SIREN 8123NNNN + key, NIC 0001 + key. Test data only, no real establishment is meant."""
    from stdnum import luhn

    siren = f"8123{index:04d}"
    siren += luhn.calc_check_digit(siren)
    nic = siren + "0001"
    return nic + luhn.calc_check_digit(nic)


def with_siret(root: Path, siret: str = TEST_SIRET) -> Path:
    """`root` with `siret` as the Département's SIRET in departement.yaml (the seeds give none)."""
    path = root / "departement.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nservice: ", f'\nsiret: "{siret}"\nservice: ', 1), encoding="utf-8")
    return root


def with_identifiers(root: Path, acarlogi: str | None = None) -> Path:
    """Each association given a SIRET SIRENE could issue (`acarlogi`'s instead, when given)."""
    for path in sorted((root / "associations").glob("*.yaml")):
        siret = acarlogi if path.stem == "acarlogi" and acarlogi else assigned_siret(root, path.stem)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nnom: ", f'\nidentifiants: {{siret: "{siret}"}}\nnom: ', 1),
                        encoding="utf-8")
    return root


def assigned_siret(root: Path, slug: str) -> str:
    """The SIRET `with_identifiers` gives the association `slug`."""
    names = sorted(p.stem for p in (root / "associations").glob("*.yaml"))
    return sirene_siret(names.index(slug) + 1)
