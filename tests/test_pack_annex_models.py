"""Annexe 2 of the pack holds the model amendment and the five measure-annex models of 004."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from engine.cli import main
from engine.errors import FslError
from engine.pack.annex_models import ORDER, annex_models, model_context
from engine.validation import load_conventions
from tests.conftest import CONVENTIONS

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT.parent / "shared" / "seeds").glob("004_*.txt"), None)
HEADINGS = {"AML": "# Aide à la Médiation Locative - AML", "ASLL": "# Accompagnement Social Lié au Logement",
            "FAL": "# FORFAIT ANNUEL LOGEMENT - FAL", "GLA": "# Gestion Locative Adaptée - GLA",
            "DSF": "# DIAGNOSTIC SOCIAL ET FINANCIER - DSF"}
END = "Tableau financier ASLL - AML - DSF - FAL - GLA"
KEY_SENTENCES = {
    "AML": "AML simple équivalent à 1 point rémunéré : 85,95 €/mois",
    "ASLL": "Elle est fixée par la CL. Elle est de 3 à 12 mois renouvelables, ne pouvant excéder 24 mois.",
    "FAL": "Le FAL est rémunéré par jour d'occupation du logement.",
    "GLA": "Gestion Locative Adaptée - GLA",
    "DSF": "Ce sont les ménages assignés en résiliation de bail pour impayés de loyer.",
}
FOUND_SHARE = 0.85
"""pdftotext interleaves the columns of the ASLL grid, and 004's own figures (the IS62 GLA annex,
« 2 062 € », « 31/12/2021 ») differ on purpose (docs/ocr-corrections.md): most, not all, match."""


def squeeze(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u2011", "-").replace("\u202f", " ").replace("’", "'")
    return re.sub(r"\s+", "", text)


def seed_sentences(measure: str) -> list[str]:
    """The sentences of one 004 annex (markup, bullets and placeholders left out)."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index(HEADINGS[measure])
    ends = [text.find(h, start + 1) for h in HEADINGS.values()] + [text.index(END)]
    section = text[start:min(e for e in ends if e > start)]
    section = html.unescape(re.sub(r"<[^>]+>", " \n", section))
    section = re.sub(r"[*|●•#]", " \n", section)
    sentences = [s.strip(" -\t:;,") for s in re.split(r"(?<=[.;:])\s+|\n", section)]
    return [s for s in sentences if len(s.split()) >= 6 and "XX" not in s]


def test_the_five_models_come_in_the_order_of_004_with_placeholders() -> None:
    conventions = load_conventions(ROOT / "conventions").conventions
    models = annex_models(conventions, 2026)
    order = [m.measure.value for m in models]
    assert order == ["AML", "ASLL", "FAL", "GLA", "DSF"] == [m.value for m in ORDER]
    text = "\n".join(p.text for p in models[0].document.paragraphs)
    assert "Annexe N°X - Association" in text


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None or SEED is None,
                    reason="LibreOffice, pdftotext or the seed absent")
def test_the_pack_pdf_holds_each_seed_annex_sentences(tmp_path: Path) -> None:
    assert main(["pack", "2026", "--pdf", "--out", str(tmp_path)]) == 0
    pdf = tmp_path / "pack" / "dossier_commission_permanente_2026.pdf"
    outline = PdfReader(pdf).outline
    top = [item.title for item in outline if not isinstance(item, list)]
    nested = [[c.title for c in item] for item in outline if isinstance(item, list)]
    assert "Annexe 2 : modèle d'avenant" in top
    assert [f"Annexe 2 : modèle d'annexe {m.value}" for m in ORDER] in nested
    text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True, timeout=120).stdout)
    for measure in HEADINGS:
        sentences = seed_sentences(measure)
        found = [s for s in sentences if squeeze(s) in text]
        assert len(sentences) > 30
        assert len(found) >= FOUND_SHARE * len(sentences), (measure, set(sentences) - set(found))
        assert squeeze(KEY_SENTENCES[measure]) in text, measure


def test_the_models_of_a_year_without_a_period_are_a_french_error() -> None:
    dep = load_conventions(CONVENTIONS).conventions.departement
    with pytest.raises(FslError, match="aucune période 1990 dans departement.yaml"):
        model_context(dep, 1990)  # was an AttributeError on the missing period
