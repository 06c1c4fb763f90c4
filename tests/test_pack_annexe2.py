"""Annexe 2 of the pack is the amendment that is signed (issue 18, point 7): the amendments' own
template, preamble included, with 004's placeholders, under « Délibération n°… – Annexe 2 »
taken from the commission's data, and never the amendment's « Avenant financier » footer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from engine.cli import main
from engine.render.avenant import write_avenants
from engine.validation import load_conventions
from tests.test_pack import add_pack_data, normalise

ROOT = Path(__file__).resolve().parent.parent
MODELS = ("aml", "asll", "fal", "gla", "dsf")


@pytest.fixture(scope="module")
def renumbered(tmp_path_factory) -> Path:
    """The avenants' fixture with the 2026 meeting, whose deliberation is renumbered 2026-999."""
    root = tmp_path_factory.mktemp("annexe2") / "conventions"
    shutil.copytree(ROOT / "tests" / "fixtures" / "avenants", root)
    add_pack_data(root)
    meeting = root / "commissions" / "2026.yaml"
    text = meeting.read_text(encoding="utf-8")
    assert text.count('numero: "2026-173"') == 1
    meeting.write_text(text.replace('numero: "2026-173"', 'numero: "2026-999"'), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def pack(renumbered: Path) -> Path:
    out = renumbered.parent / "sortie"
    assert main(["pack", "2026", "--conventions", str(renumbered), "--out", str(out)]) == 0
    return out / "pack"


def running(document, which: str) -> list[str]:
    part = getattr(document.sections[0], which)
    return [normalise(p.text) for p in part.paragraphs if p.text.strip()]


def body(document) -> list[str]:
    return [normalise(p.text) for p in document.paragraphs if p.text.strip()]


def test_the_model_has_the_amendments_preamble_and_placeholders(pack: Path, renumbered: Path,
                                                                 tmp_path: Path) -> None:
    model = body(Document(pack / "4_annexe2_modele_avenant.docx"))
    conventions = load_conventions(renumbered).conventions
    [signed] = write_avenants(conventions, 2026, tmp_path, association="entraide-artois")
    amendment = body(Document(signed))
    preamble = amendment[amendment.index("Entre"):amendment.index("Il est convenu ce qui suit :") + 1]
    assert len(preamble) >= 8
    start = model.index("Entre")
    ours = model[start:start + len(preamble)]
    # line for line the amendment's, but for the association's name, identity and convention date
    name = conventions.association("entraide-artois").name
    assert [a for a, b in zip(ours, preamble, strict=True) if a != b] == [
        line for line in ours if "Nom Organisme" in line]
    assert [b for a, b in zip(ours, preamble, strict=True) if a != b] == [
        line for line in preamble if name in line]
    assert "Vu la délibération n°2026-999 de la Commission permanente du Conseil départemental en date " \
           "du 26 mai 2026 autorisant la signature du présent avenant ;" in model
    assert any(line.startswith("Nom Organisme, dont le siège est situé ____") for line in model)
    assert "Convention signée le XX XXXXXX XXXX" in model
    assert "Le présent avenant a pour objet de modifier l'article 3 et l'annexe XX / les annexes XX et XX " \
           "de la convention initiale." in model
    table = Document(pack / "4_annexe2_modele_avenant.docx").tables[-1]
    right = normalise(table.rows[0].cells[1].text)
    assert right == "Pour Nom Organisme, Le Qualité du signataire, Prénom Nom"


def test_annexe_2_has_the_deliberation_header_and_no_amendment_footer(pack: Path) -> None:
    stems = ["4_annexe2_modele_avenant", *(f"4_annexe2_modele_avenant_{i}_annexe_{m}"
                                          for i, m in enumerate(MODELS, start=1))]
    for stem in stems:
        document = Document(pack / f"{stem}.docx")
        assert "Délibération n°2026-999 – Annexe 2" in running(document, "header"), stem
        footer = " ".join(running(document, "footer"))
        assert footer.startswith("Annexe 2 – ") and "page" in footer, (stem, footer)
        assert "Avenant financier" not in footer and "Association" not in footer, stem
        assert "2026-173" not in " ".join(running(document, "header")), stem
    aml = Document(pack / "4_annexe2_modele_avenant_1_annexe_aml.docx")
    assert running(aml, "footer") == ["Annexe 2 – modèle d'annexe AML – page /"]  # then PAGE, NUMPAGES
    fields = aml.sections[0].footer.paragraphs[0]._p.xpath(".//w:fldSimple/@w:instr")
    assert [f.strip() for f in fields] == ["PAGE", "NUMPAGES"]


def test_an_amendment_keeps_its_own_footer(renumbered: Path, tmp_path: Path) -> None:
    conventions = load_conventions(renumbered).conventions
    [signed] = write_avenants(conventions, 2026, tmp_path, association="entraide-artois")
    footer = " ".join(running(Document(signed), "footer"))
    assert footer.startswith("Avenant financier 2026 – ")
    assert "Le présent avenant a pour objet de modifier l'article 3 et " in " ".join(body(Document(signed)))
    assert "XX" not in " ".join(body(Document(signed))[:40])
