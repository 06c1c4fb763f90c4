"""Issue 18 point 2: no estimate restated as a maximum; the body states the year's total, the 70 %
advance and the delegation of signature."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document

from engine.cli import main
from engine.finance import build_table
from engine.open_points import PointKind, open_points
from engine.render.avenant_context import avenant_context
from engine.validation import load_conventions
from tests.conftest import ROOT

REAL = ROOT / "conventions"
DELEGATION = """
delegation:
  nom: Sabine DESPIERRE
  qualite: La Directrice des politiques d'inclusion durable
  arrete: "n°2026-DPID-07"
  depuis: 2026-03-01
  source: "arrêté de délégation de signature (exemple de test)"
"""


@pytest.fixture(scope="module")
def conventions():
    return load_conventions(REAL).conventions


def _all_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts).replace("\u00a0", " ").replace("\u202f", " ")


def test_an_estimated_period_prints_xx_and_no_amount(conventions) -> None:
    acarlogi = conventions.association("acarlogi")
    assert acarlogi.allocation(2025).estimated and not acarlogi.allocation(2026).estimated
    context = avenant_context(conventions, acarlogi, 2026)
    for annex in context["annexes"]:
        first, second = annex["periodes"]
        assert first["annee"] == 2025 and first["estimee"] and first["montant"] == "XX €"
        assert all(c["nombre"] == "XX" and c["montant"] == "XX €" and not c["lignes"]
                   for c in first["colonnes"].values())
        assert not second["estimee"] and re.search(r"\d", second["montant"])


def test_the_drafted_annex_holds_xx_for_2025_and_figures_for_2026(tmp_path: Path) -> None:
    assert main(["avenants", "2026", "--association", "acarlogi", "--out", str(tmp_path)]) == 0
    text = _all_text(next((tmp_path / "avenants").glob("*acarlogi*.docx")))
    periods = re.findall(r"[Cc]oncernant la période du (\S+) au (\S+) : (.*)", text)
    half = [body for start, _, body in periods if start == "01/07/2025"]
    assert half and all("XX €" in body and "XX " in body for body in half)
    assert not any(re.search(r"\d[\d  ]*,\d\d €", body) for body in half), half
    assert not any("250 diagnostics" in body or "40 595,00" in body for body in half)  # issue 18: Acarlogi
    year = [body for start, _, body in periods if start == "01/01/2026"]
    assert year and all(re.search(r"\d,\d\d €", body) for body in year)


def test_the_body_states_the_year_total_and_the_advance_of_the_table(conventions) -> None:
    table = {b.association.slug: b for b in build_table(conventions, 2026).blocks}
    for association in conventions.associations:
        context = avenant_context(conventions, association, 2026)
        block = table[association.slug]
        if association.allocation(2026).estimated:
            assert context["subvention"]["montant"] == "XX €" and context["subvention"]["avance"] == "XX €"
            continue
        from engine.money import format_eur
        assert context["subvention"]["montant"] == format_eur(block.total), association.slug
        assert context["subvention"]["avance"] == format_eur(block.advance), association.slug


def _copy(tmp_path: Path, extra: str) -> Path:
    root = tmp_path / "conventions"
    shutil.copytree(REAL, root)
    path = root / "departement.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return root


def test_without_a_delegation_the_decree_is_a_blank_and_an_open_point(conventions) -> None:
    points = [p for p in open_points(conventions, 2026) if p.kind is PointKind.DELEGATION]
    assert len(points) == 1 and points[0].path.endswith("departement.yaml")
    context = avenant_context(conventions, conventions.association("acarlogi"), 2026)
    assert context["departement"]["delegation"] is None


def test_the_delegation_is_cited_and_closes_the_point(tmp_path: Path) -> None:
    root = _copy(tmp_path, DELEGATION)
    conventions = load_conventions(root).conventions
    assert not [p for p in open_points(conventions, 2026) if p.kind is PointKind.DELEGATION]
    out = tmp_path / "out"
    assert main(["avenants", "2026", "--conventions", str(root), "--association", "acarlogi",
                 "--out", str(out)]) == 0
    text = _all_text(next((out / "avenants").glob("*acarlogi*.docx")))
    assert "en vertu de l'arrêté de délégation de signature n°2026-DPID-07 du 1er mars 2026" in text


def test_a_delegation_of_another_person_is_refused_with_its_line(tmp_path: Path, capsys) -> None:
    root = _copy(tmp_path, DELEGATION.replace("nom: Sabine DESPIERRE", "nom: Autre PERSONNE"))
    assert main(["validate", "--conventions", str(root)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"departement\.yaml:\d+: delegation\.nom: « Autre PERSONNE »", err), err
