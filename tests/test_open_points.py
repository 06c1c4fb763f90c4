"""Drafts and acts (DOMAIN §7): open points, « PROJET » on drafts, `fsl build --final`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document

from engine.cli import main
from engine.open_points import PLAIN_FIRST, PointKind, figure_points, open_points
from engine.validation import load_conventions
from tests.conftest import sirene_siret

ROOT = Path(__file__).resolve().parents[1]
LOCATED = re.compile(r"^.+\.yaml:\d+: [a-z_.0-9]+: .+$")
PLAIN_LOCATED = re.compile(r"^[^/].+ — .+\.(yaml|csv):[1-9]\d*: [a-z_.0-9\[\]]+$")
"""A reconstruction choice: the French sentence first, then the file, line and field."""


def test_open_points_of_2026_name_every_kind_and_are_located() -> None:
    conventions = load_conventions(ROOT / "conventions").conventions
    points = open_points(conventions, 2026)
    kinds = {p.kind for p in points}
    assert {PointKind.ESTIMATE, PointKind.ANNEX_NUMBERS, PointKind.SIGNATORY, PointKind.IDENTITY} <= kinds
    assert all((PLAIN_LOCATED if p.kind in PLAIN_FIRST else LOCATED).match(str(p)) for p in points)
    estimated_2026 = {p.association for p in figure_points(conventions, 2026)}
    assert estimated_2026 == {"apprentis-d-auteuil-fjt", "la-sauvegarde-du-nord"}


def test_fsl_points_lists_them_and_exits_1(capsys) -> None:
    assert main(["points", "2026"]) == 1
    out = capsys.readouterr().out
    assert "apprentis-d-auteuil-fjt.yaml:" in out
    assert "allocations.2026.estimated" in out


def test_build_final_refuses_lists_the_points_and_writes_nothing(tmp_path: Path, capsys) -> None:
    out = tmp_path / "2026"
    assert main(["build", "2026", "--final", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "apprentis-d-auteuil-fjt.yaml:22: allocations.2026.estimated:" in err
    assert "rien n'a été écrit" in err
    assert not out.exists()


def confirmed_copy(target: Path) -> Path:
    """The conventions with every estimate confirmed and every identity field filled in."""
    shutil.copytree(ROOT / "conventions", target)
    shutil.rmtree(target / "published")  # an erratum voted: no printed total departs any more
    for index, path in enumerate(sorted((target / "associations").glob("*.yaml"))):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"estimated: true", "estimated: false", text)
        text = re.sub(r"estimees: true", "estimees: false", text)
        text = re.sub(r"(?m)^\s*inference: .*\n", "", text)  # each reconstruction confirmed
        text = re.sub(r"(?m)^(  - territoire: \S+\n)(    source: .*)$",
                      r'\1\2\n    confirme: "courrier du SPSLH"', text)  # each deviation confirmed
        text = text.replace("signataire: null", 'signataire: {qualite: "La Présidente", nom: "Marie DUPONT"}')
        text += (f'adresse: "{index + 1} rue de la Paix, 62000 Arras"\n'
                 f'identifiants: {{siret: "{sirene_siret(index + 1)}"}}\n'
                 'etp: {ASLL: 20, AML: 20, source: "postes déclarés (exemple de test)"}\n')
        path.write_text(text, encoding="utf-8")
    departement = target / "departement.yaml"
    departement.write_text(departement.read_text(encoding="utf-8") + (
        "delegation:\n  nom: Sabine DESPIERRE\n  qualite: La Directrice des politiques d'inclusion durable\n"
        "  arrete: \"n°2026-DPID-07\"\n  depuis: 2026-03-01\n  source: \"arrêté (exemple de test)\"\n"),
        encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def confirmed(tmp_path_factory) -> Path:
    return confirmed_copy(tmp_path_factory.mktemp("confirmed") / "conventions")


def _all_text(path: Path) -> str:
    document = Document(path)
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def test_drafts_say_projet_on_every_page_and_end_with_the_list(tmp_path: Path) -> None:
    out = tmp_path / "2026"
    assert main(["build", "2026", "--out", str(out)]) == 0
    avenants = sorted((out / "avenants").glob("*.docx"))
    assert len(avenants) == 27
    for path in [*avenants, *(out / "pack").glob("*.docx"), out / "tableau_financier_2026.docx"]:
        document = Document(path)
        assert all("PROJET" in s.header.paragraphs[0].text for s in document.sections), path.name
    last = Document(out / "avenants" / "avenant_2026_apprentis-d-auteuil-fjt.docx").paragraphs
    tail = "\n".join(p.text for p in last[-30:])
    assert "PROJET" in tail and "allocations.2026.estimated" in tail


def test_confirmed_data_builds_final_documents_without_projet(confirmed: Path, tmp_path: Path,
                                                              capsys) -> None:
    assert main(["points", "2026", "--conventions", str(confirmed)]) == 0
    out = tmp_path / "2026"
    assert main(["build", "2026", "--final", "--conventions", str(confirmed), "--out", str(out)]) == 0
    written = [*out.rglob("*.docx")]
    assert len(written) == 27 + 10 + 1
    for path in written:
        assert "PROJET" not in _all_text(path), path.name
    text = _all_text(out / "avenants" / "avenant_2026_audasse.docx").replace("\u00a0", " ")
    assert "Pour l'association AUDASSE," in text
    assert "SIRET n°" in text and "rue de la Paix" in text
    assert "agissant par la Présidente, Marie DUPONT" in text


def test_each_amendment_cites_its_convention_date_and_the_deliberation(tmp_path: Path) -> None:
    out = tmp_path / "avenants"
    assert main(["avenants", "2026", "--out", str(out)]) == 0
    text = _all_text(out / "avenants" / "avenant_2026_chrs-le-coin-familial.docx").replace("\u00a0", " ")
    assert "Vu la convention relative aux accompagnements sociaux" in text
    assert ("signée le 16 juillet 2025 entre le Département du Pas-de-Calais "
            "et le CHRS Le Coin Familial") in text
    assert ("Vu la délibération n°2026-173 de la Commission permanente du Conseil départemental "
            "en date du 26 mai 2026") in text
    assert "Pour le CHRS Le Coin Familial," in text
