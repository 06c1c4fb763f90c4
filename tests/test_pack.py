"""The Commission permanente pack at DOCX level (no LibreOffice): five parts that read like 004."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document

from engine.cli import main
from engine.pack.parts import context
from engine.pack.prose import render
from engine.pack.write import pack_data
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = ROOT.parent / "shared" / "seeds" / "004_665cc12d9ae3da1b.txt"
PARTS = ("1_deliberation", "2_rapport", "3_annexe1_conventions", "4_annexe2_modele_avenant",
         "4_annexe2_modele_avenant_1_annexe_aml", "4_annexe2_modele_avenant_2_annexe_asll",
         "4_annexe2_modele_avenant_3_annexe_fal", "4_annexe2_modele_avenant_4_annexe_gla",
         "4_annexe2_modele_avenant_5_annexe_dsf", "5_annexe3_tableau_financier")


def add_pack_data(conventions: Path) -> Path:
    """The shipped 2026 meeting and 2025 activity, beside a conventions folder."""
    for folder in ("commissions", "activite"):
        shutil.copytree(ROOT / "conventions" / folder, conventions / folder)
    return conventions


@pytest.fixture
def pack_conventions(small_conventions: Path) -> Path:
    return add_pack_data(small_conventions)


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory) -> Path:
    """The pack of the two fixture associations, built once for the module's read-only tests."""
    root = tmp_path_factory.mktemp("pack") / "conventions"
    shutil.copytree(FIXTURES / "conventions", root)
    shutil.copy(ROOT / "conventions" / "departement.yaml", root)
    add_pack_data(root)
    out = root.parent / "sortie"
    assert main(["pack", "2026", "--conventions", str(root), "--out", str(out)]) == 0
    return out / "pack"


def text_of(path: Path) -> str:
    """Paragraphs and table cells, spaces normalised (no-break spaces become spaces)."""
    document = Document(path)
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return normalise("\n".join(parts))


def normalise(text: str) -> str:
    """No-break spaces and hyphens (French typography) read as ordinary ones."""
    return " ".join(text.replace("\u00a0", " ").replace("\u2011", "-").split())


def seed_section(start: str, end: str) -> list[str]:
    """The lines of 004 between two markers, markdown and HTML removed."""
    text = SEED.read_text(encoding="utf-8")
    section = text[text.index(start):text.index(end)]
    lines = []
    for line in section.splitlines():
        plain = re.sub(r"<[^>]+>|\*\*|^#+ |^- ", "", line.strip()).strip()
        if plain:
            lines.append(normalise(plain))
    return lines


def test_pack_writes_one_docx_per_part(pack_dir: Path) -> None:
    assert sorted(p.stem for p in pack_dir.iterdir()) == list(PARTS)


PEOPLE_AND_VOTE = ("Secrétaire", "Étaient présents", "Excusé(s)", "Assistant également", "Pour :",
                   "Contre :", "Abstention", "(Adopté)", ".....", "Signé", "|")


def deliberation_lines() -> list[str]:
    """004's deliberation, the people present and the vote aside (the pack leaves them to fill)."""
    lines = seed_section("**DEPARTEMENT DU PAS-DE-CALAIS**", "**Annexe 1 :")
    return [line for line in lines if not line.startswith(PEOPLE_AND_VOTE)]


def report_lines() -> list[str]:
    return seed_section("Pôle Solidarités", "SIGNE")


@pytest.mark.skipif(not SEED.is_file(), reason="seed 004 absent")
def test_deliberation_repeats_every_sentence_of_004_but_the_people_and_the_vote(pack_dir: Path) -> None:
    ours = text_of(pack_dir / "1_deliberation.docx")
    for line in deliberation_lines():
        assert line.replace("27 associations", "2 associations") in ours, line


def test_deliberation_leaves_the_people_and_the_vote_to_fill(pack_dir: Path) -> None:
    ours = text_of(pack_dir / "1_deliberation.docx")
    labels = ("Secrétaire :", "Étaient présents :", "Excusé(s) :", "Pour : ……… voix", "Contre : ……… voix")
    for label in labels:
        assert label in ours
    assert "42 voix" not in ours and "Signé" not in ours and "(Adopté)" not in ours


@pytest.mark.skipif(not SEED.is_file(), reason="seed 004 absent")
def test_report_repeats_rapport_21_with_the_2025_activity(pack_dir: Path) -> None:
    ours = text_of(pack_dir / "2_rapport.docx")
    for line in report_lines():
        assert line.replace("27 associations", "2 associations") in ours, line


@pytest.mark.skipif(not SEED.is_file(), reason="seed 004 absent")
def test_the_shipped_2026_pack_says_what_004_says(tmp_path: Path) -> None:
    """The real data (27 associations): deliberation and report word for word, the 27 names in
    annexe 1, the total of 004 annexe 3 in the report and in annexe 3."""
    assert main(["pack", "2026", "--out", str(tmp_path)]) == 0
    pack = tmp_path / "pack"
    deliberation, report = text_of(pack / "1_deliberation.docx"), text_of(pack / "2_rapport.docx")
    for line in deliberation_lines():
        assert line in deliberation, line
    for line in report_lines():
        assert line in report, line
    assert "s'élèvent à 4 139 361,80 €" in report
    names = {row.cells[0].text for row in Document(pack / "3_annexe1_conventions.docx").tables[0].rows}
    assert len(names - {"", "NOM DU PRESTATAIRE"}) == 27
    assert "4 139 361,80" in text_of(pack / "5_annexe3_tableau_financier.docx")


def test_report_carries_the_year_total_and_the_chart(pack_dir: Path) -> None:
    document = Document(pack_dir / "2_rapport.docx")
    assert len(document.inline_shapes) == 1
    assert "s'élèvent à 184 524,20 €" in text_of(pack_dir / "2_rapport.docx")


def test_annexe1_lists_associations_territories_and_signature_dates(pack_dir: Path) -> None:
    table = Document(pack_dir / "3_annexe1_conventions.docx").tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["NOM DU PRESTATAIRE", "TERRITOIRES", "DATES DE SIGNATURE DES CONVENTIONS"],
        ["Association Alpha", "CommunAupôle Lens-Liévin", "25/06/2025"],
        ["", "Hénin-Carvin", ""],
        ["Beta & Fils <Nord>", "Artois", "02/07/2025"],
    ]
    assert "commission permanente du 22 avril 2025" in text_of(pack_dir / "3_annexe1_conventions.docx")


@pytest.mark.skipif(not SEED.is_file(), reason="seed 004 absent")
def test_annexe2_is_the_model_as_voted_with_its_placeholders(pack_dir: Path) -> None:
    ours = text_of(pack_dir / "4_annexe2_modele_avenant.docx")
    for line in seed_section("## **Article 1", "# Aide à la Médiation Locative"):
        assert line in ours, line


def test_annexe3_is_the_financial_table_in_landscape(pack_dir: Path) -> None:
    document = Document(pack_dir / "5_annexe3_tableau_financier.docx")
    cells = {c.text.replace("\u00a0", " ") for row in document.tables[0].rows for c in row.cells}
    assert {"Association Alpha", "Beta & Fils <Nord>", "184 524,20", "Totaux"} <= cells
    section = document.sections[0]
    assert section.page_width > section.page_height
    assert "Sous réserve de la production de l'ensemble des éléments financiers." in text_of(
        pack_dir / "5_annexe3_tableau_financier.docx")


def test_each_part_has_a_title_author_and_page_numbers(pack_dir: Path) -> None:
    for stem in PARTS:
        document = Document(pack_dir / f"{stem}.docx")
        assert document.core_properties.author == "Département du Pas-de-Calais"
        assert document.core_properties.title
        footer = document.sections[0].footer.paragraphs[0]._p.xml
        assert re.search(r'w:instr="\s*PAGE\s*"', footer) and re.search(r'w:instr="\s*NUMPAGES\s*"', footer)


def test_same_data_gives_identical_bytes(pack_conventions: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert main(["pack", "2026", "--conventions", str(pack_conventions), "--out",
                     str(tmp_path / name)]) == 0
    for stem in PARTS:
        first, second = (tmp_path / n / "pack" / f"{stem}.docx" for n in ("a", "b"))
        assert first.read_bytes() == second.read_bytes(), stem


def test_missing_meeting_file_stops_before_writing(small_conventions: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "sortie"
    assert main(["pack", "2026", "--conventions", str(small_conventions), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{small_conventions / 'commissions' / '2026.yaml'}: -: fichier introuvable" in err
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("people, expected", [
    ([], None),
    ([("Madame", "Anne UN")],
     "Madame Anne UN, intéressée à l'affaire, n'a pris part ni au débat, ni au vote."),
    ([("Madame", "Anne UN"), ("Madame", "Eve DEUX")],
     "Mesdames Anne UN et Eve DEUX, intéressées à l'affaire, n'ont pris part"),
    ([("Madame", "Anne UN"), ("Monsieur", "Paul DEUX"), ("Monsieur", "Luc TROIS")],
     "Madame Anne UN, Monsieur Paul DEUX et Monsieur Luc TROIS, intéressés à l'affaire, n'ont pris part"),
])
def test_interested_members_sentence_agrees_in_gender_and_number(pack_conventions: Path, people,
                                                                 expected) -> None:
    values = context(pack_data(load_conventions(pack_conventions).conventions, 2026))
    values["elus_interesses"] = [{"civilite": c, "nom": n} for c, n in people]
    text = normalise(render("deliberation.j2", values))
    if expected is None:
        assert "intéressé" not in text
    else:
        assert expected in text


def test_without_libreoffice_the_docx_are_written_and_the_pdf_announced(
        pack_conventions: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("engine.pack.write.libreoffice_path", lambda: None)
    out = tmp_path / "sortie"
    assert main(["pack", "2026", "--pdf", "--conventions", str(pack_conventions), "--out", str(out)]) == 0
    assert "LibreOffice est introuvable" in capsys.readouterr().err
    assert sorted(p.suffix for p in (out / "pack").iterdir()) == [".docx"] * 10
