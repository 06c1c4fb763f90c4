"""`fsl solde 2026 --activite examples/activite-2026`: the ground truth to the cent, the same figures
in the JSON, the XLSX for the payment service and the letters."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from engine.cli import main
from engine.money import format_eur
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "activite-2026"
TRUTH = EXAMPLE / "verite_solde_2026.json"
ESTIMATED_2026 = {"apprentis-d-auteuil-fjt", "la-sauvegarde-du-nord"}


def load_generator():
    """examples/generate_activite.py as a module (it is a script beside the examples, not in engine/)."""
    if "generate_activite" in sys.modules:
        return sys.modules["generate_activite"]
    path = ROOT / "examples" / "generate_activite.py"
    spec = importlib.util.spec_from_file_location("generate_activite", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def solde() -> dict:
    code, out, err = run("solde", "2026", "--activite", str(EXAMPLE), "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("solde")
    code, _, err = run("solde", "2026", "--activite", str(EXAMPLE), "--out", str(out))
    assert code == 0, err
    return out


def test_solde_json_equals_the_ground_truth_to_the_cent(solde):
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    assert solde["associations"] == truth["associations"]
    computed = [a for a in truth["associations"] if a["statut"] == "calcule"]
    assert solde["totaux"] == {
        "subvention": _total(a["subvention"] for a in truth["associations"]),
        "avance": _total(a["avance"] for a in truth["associations"]),
        "realise": _total(a["realise"]["total"] for a in computed),
        "solde": _total(a["solde"] for a in computed),
        "avance_versee": _total(a["avance_versee"] for a in truth["associations"] if a["avance_versee"]),
        "remboursement": _total(a["remboursement"] for a in computed if a["remboursement"] is not None),
    }


def _total(values) -> str:
    return f"{sum((Decimal(v) for v in values), Decimal('0.00')):.2f}"


def test_the_example_plants_every_scenario(solde):
    rows = {a["association"]: a for a in solde["associations"]}
    assert rows["solidaritoit-les-toits-de-l-espoir"]["statut"] == "grille_absente"
    assert any(Decimal(a["remboursement"] or 0) > 0 for a in rows.values())
    assert any(a["taux_realisation"] == "1.0000" for a in rows.values())  # over-realised, capped
    assert any(Decimal(a["solde"] or 0) > 0 and a["taux_realisation"] < "1" for a in rows.values())
    assert Decimal(rows["immobiliere-sociale-62"]["realise"]["gla"]) > 0
    text = (EXAMPLE / "mesures.csv").read_text(encoding="utf-8")
    assert ";realise;2025-" in text and ";2025-1" in text  # DSF of 2025, measures begun in 2025
    assert ";diagnostic;" in text and ";cet_non_signe;" in text  # ASLL acts paid in points
    occupancy = (EXAMPLE / "occupation.csv").read_text(encoding="utf-8").splitlines()
    assert any(";FAL;" in line and line.endswith(";oui") for line in occupancy)  # accompagnement seul
    assert len(list(EXAMPLE.glob("grille_activite_2026_*.xlsx"))) == 3


def test_the_committed_example_is_what_the_script_writes(tmp_path):
    load_generator().generate(tmp_path)
    for name in ("mesures.csv", "occupation.csv", "documents.csv", "paiements.csv", "verite_solde_2026.json"):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name
    for grid in EXAMPLE.glob("*.xlsx"):
        assert (tmp_path / grid.name).read_bytes() == grid.read_bytes(), grid.name


def test_xlsx_carries_the_json_figures(solde, written):
    sheet = load_workbook(written / "solde_2026.xlsx")["Solde 2026"]
    header = [c.value.replace("\xa0", " ") for c in sheet[3]]  # the typography's no-break spaces
    rows = sheet.iter_rows(min_row=4, values_only=True)
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    names = _names()
    for a in solde["associations"]:
        row = by_name[names[a["association"]]]
        assert _cents(row["Subvention"]) == a["subvention"]
        assert _cents(row["Avance due (70 %)"]) == a["avance"]
        if a["avance_versee"] is None:
            assert row["Avance versée"] is None
            assert row["Position calculée sur"] == "avance due, versement non enregistré"
        else:
            assert _cents(row["Avance versée"]) == a["avance_versee"]
        if a["statut"] == "calcule":
            assert _cents(row["Réalisé retenu"]) == a["realise"]["total"]
            assert _cents(row["Réalisé ASLL"]) == a["realise"]["asll"]
            assert _cents(row["Solde à verser"]) == a["solde"]
            assert (row["Remboursement"] is None if a["remboursement"] is None
                    else _cents(row["Remboursement"]) == a["remboursement"])
        else:
            assert row["Statut"] == "grille absente" and row["Solde à verser"] is None
    assert _cents(by_name["Total"]["Remboursement"]) == solde["totaux"]["remboursement"]
    schedule = load_workbook(written / "solde_2026.xlsx")["Avances"]
    assert schedule["A4"].value == names["acarlogi"] and _cents(schedule["C4"].value) == "104037.50"


def _cents(value) -> str:
    return f"{Decimal(str(value)):.2f}"


def _names() -> dict[str, str]:
    from engine.validation import load_conventions
    return {a.slug: a.name for a in load_conventions(ROOT / "conventions").conventions.associations}


def _signed() -> set[str]:
    rows = (EXAMPLE / "documents.csv").read_text(encoding="utf-8").splitlines()[1:]
    return {r.split(";")[2] for r in rows if ";avenant;2026;" in r and r.endswith("departement|association")}


def test_one_letter_per_association_and_a_prior_letter_before_each_refund(solde, written):
    letters = sorted(p.name for p in (written / "lettres_solde").glob("*.docx"))
    refunds = [a["association"] for a in solde["associations"] if Decimal(a["remboursement"] or 0) > 0]
    assert refunds  # the example plants refunds on a recorded payment
    assert letters == sorted([f"solde_2026_{a['association']}.docx" for a in solde["associations"]]
                             + [f"solde_2026_{slug}_prealable.docx" for slug in refunds])


def test_letters_carry_the_same_figures_and_say_projet_when_estimated_or_unsigned(solde, written):
    signed = _signed()
    for a in solde["associations"]:
        text = _plain(_docx_text(written / "lettres_solde" / f"solde_2026_{a['association']}.docx"))
        plain = text
        assert "Sabine DESPIERRE" in text and "70 % dans le mois qui suit la signature" in plain
        assert "adresse à compléter" in text and "Affaire suivie par" in text
        assert "SPSLH/FSL/SOLDE/2026/" in text
        assert "n°2026-173 de la Commission permanente du 26 mai 2026" in text
        refund = Decimal(a["remboursement"] or 0) > 0  # no --prealable: the decision waits for the delay
        assert ("PROJET" in text) == (a["association"] in ESTIMATED_2026 or a["association"] not in signed
                                      or refund)
        if a["statut"] == "grille_absente":
            assert "Mise en demeure de transmettre la grille d'activité" in text
            assert "Je vous mets donc en demeure de transmettre votre grille d'activité 2026" in text
            continue
        assert _plain(format_eur(Decimal(a["realise"]["total"]))) in text
        if a["versement"] == "non_enregistre":
            assert "avance due, versement non enregistré" in text
            assert "aucun reversement ne vous est demandé" in text
            assert "Voies et délais de recours" not in text and "Montant à reverser" not in text
        elif Decimal(a["remboursement"]) > 0:
            assert "Décision de reversement" in text
            assert _plain(format_eur(Decimal(a["remboursement"]))) in text
            assert "Voies et délais de recours" in text and "titre de recettes" in text
        else:
            assert "Notification du solde" in text and _plain(format_eur(Decimal(a["solde"]))) in text
            assert "Voies et délais de recours" in text and "Montant à reverser" not in text


def test_refund_decision_follows_a_prior_letter_inviting_observations(solde, written):
    a = next(a for a in solde["associations"] if Decimal(a["remboursement"] or 0) > 0)
    prior = _plain(_docx_text(written / "lettres_solde" / f"solde_2026_{a['association']}_prealable.docx"))
    decision = _plain(_docx_text(written / "lettres_solde" / f"solde_2026_{a['association']}.docx"))
    for text in (prior, decision):
        assert "adresse à compléter" in text and _plain(format_eur(Decimal(a["remboursement"]))) in text
        assert "× 85,95 €" in text  # the motivation: counts × rate = amount
    assert "présenter vos observations" in prior and "15 jours à compter de la réception" in prior
    assert "Voies et délais de recours" not in prior and "n'est pas une décision" in prior
    assert "Par lettre du" in decision and "-P)" in decision  # the contradictory step, by reference
    assert "tribunal administratif de Lille" in decision and "www.telerecours.fr" in decision
    assert "Payeur départemental du Pas-de-Calais, à réception de ce titre" in decision
    assert "PROJET" in decision and "lettre préalable n'est pas encore envoyée" in decision


def _plain(text: str) -> str:
    """French typography's no-break spaces as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ").replace("\u2011", "-")


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for t in cell.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return "\n".join(parts)


def test_letter_template_is_what_its_script_builds(tmp_path):
    script = ROOT / "templates" / "make_solde_template.py"
    spec = importlib.util.spec_from_file_location("make_solde_template", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from engine.load.yamlfile import load_yaml
    from engine.render.reproducible import normalize_zip
    stamp = f"{module.TEMPLATE_YEAR}-01-01T00:00:00Z"
    built = normalize_zip(module.build_bytes(load_yaml(module.SOURCE).data), stamp)
    assert built == module.TARGET.read_bytes(), "relancez : python templates/make_solde_template.py"


@pytest.mark.libreoffice
def test_pdf_letters_in_one_batch_carry_the_figures(solde, tmp_path):
    from engine.render.pdf import libreoffice_path
    if libreoffice_path() is None:
        pytest.skip("LibreOffice absent")
    code, _, err = run("solde", "2026", "--activite", str(EXAMPLE), "--out", str(tmp_path), "--pdf")
    assert code == 0, err
    pdfs = sorted((tmp_path / "lettres_solde").glob("*.pdf"))
    refunds = [a for a in solde["associations"] if Decimal(a["remboursement"] or 0) > 0]
    assert len(pdfs) == 27 + len(refunds)
    from pypdf import PdfReader
    row = next(a for a in solde["associations"] if a["association"] == "fiac-de-berck")
    pdf = tmp_path / "lettres_solde" / "solde_2026_fiac-de-berck.pdf"
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Décision de reversement" in text
    assert format_eur(Decimal(row["remboursement"])).replace("\u00a0", " ") in text.replace("\u00a0", " ")
