"""Article 4, « Arras, le », « En 2 exemplaires originaux » and both signature blocks always stand
on one page (issue 18, point 1): keep-with-next paragraphs and a signature row that cannot split.

The DOCX test reads the XML; the test marked `libreoffice` fills in the identity of the 27
associations (address, SIRET, RNA, representative, signatory), with addresses of growing length
so that the preamble pushes Article 4 to every height of the page, and reads each PDF page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from engine import PROJECT_ROOT
from engine.render import pdf
from engine.render.avenant import write_avenants
from engine.render.avenant_context import designation
from engine.validation import load_conventions
from tests.conftest import sirene_siret

CONVENTIONS = PROJECT_ROOT / "conventions"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SIGNATORY = {"qualite": "La Présidente", "nom": "Marie-Christine DUPONT-LEFEBVRE"}
STREETS = ("12 rue de la Paix, 62000 Arras",
           "Maison des associations, 3 place du Général de Gaulle, BP 40123, 62300 Lens Cedex",
           "145 avenue du Maréchal Leclerc, 62400 Béthune")
FILLER = "Résidence Les Tilleuls, bâtiment B, escalier 3, "
SWEEP = 24
SHORT = "immobiliere-sociale-62"
"""One annex (GLA): few pages to convert for each length."""
"""Addresses of 0 to 23 fillers (about half a line each): more than the signature area's height."""
needs_libreoffice = pytest.mark.skipif(pdf.libreoffice_path() is None, reason="LibreOffice absent")


def with_identities(parent: Path) -> Path:
    """A copy of conventions/ where each association's identity is filled in; the address grows
    with the file's rank (0 to 6 fillers), so that the preamble takes every length."""
    root = parent / "conventions"
    shutil.copytree(CONVENTIONS, root)
    for index, path in enumerate(sorted((root / "associations").glob("*.yaml"))):
        text = path.read_text(encoding="utf-8")
        assert "\nsignataire: null\n" in text, path.name
        signatory = f'{{qualite: "{SIGNATORY["qualite"]}", nom: "{SIGNATORY["nom"]}"}}'
        text = text.replace("\nsignataire: null\n", f"\nsignataire: {signatory}\n")
        text += (f'adresse: "{FILLER * (index % 7)}{STREETS[index % 3]}"\n'
                 f'identifiants: {{siret: "{sirene_siret(index)}", rna: "W62300{index:04d}"}}\n'
                 f'representant: {{qualite: "sa Présidente", nom: "{SIGNATORY["nom"]}"}}\n')
        path.write_text(text, encoding="utf-8")
    return root


def squeezed(text: str) -> str:
    text = (text or "").replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text)


def body_paragraph_texts(document) -> list[tuple[object, str]]:
    return [(p, squeezed("".join(t.text or "" for t in p.iter(f"{W}t"))))
            for p in document.element.body if p.tag == f"{W}p"]


@pytest.fixture(scope="module")
def acarlogi(tmp_path_factory) -> Document:
    conventions = load_conventions(CONVENTIONS).conventions
    [path] = write_avenants(conventions, 2026, tmp_path_factory.mktemp("docx"), association="acarlogi")
    return Document(str(path))


def test_the_last_article_the_place_and_the_date_keep_with_the_next_paragraph(acarlogi) -> None:
    paragraphs = body_paragraph_texts(acarlogi)
    start = next(i for i, (_, text) in enumerate(paragraphs) if text.startswith("Article 4"))
    kept = paragraphs[start:start + 3]
    assert [text for _, text in kept] == ["Article 4 : Autres dispositions",
                                          "Les autres dispositions de la convention demeurent inchangées.",
                                          "Arras, leEn 2 exemplaires originaux"]
    for paragraph, text in kept:
        ppr = paragraph.find(f"{W}pPr")
        assert ppr.find(f"{W}keepNext") is not None, text
        assert ppr.find(f"{W}keepLines") is not None, text
    for paragraph, text in paragraphs[:start]:  # the preamble and articles 1 to 3 flow freely
        assert paragraph.find(f"{W}pPr/{W}keepNext") is None, text


def test_the_signature_blocks_share_one_row_that_cannot_split(acarlogi) -> None:
    body = list(acarlogi.element.body)
    place = next(i for i, e in enumerate(body) if "exemplaires originaux" in "".join(e.itertext()))
    table = body[place + 1]
    assert table.tag == f"{W}tbl"
    rows = table.findall(f"{W}tr")
    assert len(rows) == 1
    assert rows[0].find(f"{W}trPr/{W}cantSplit") is not None
    left, right = (squeezed("".join(cell.itertext())) for cell in rows[0].findall(f"{W}tc"))
    assert "Sabine DESPIERRE" in left and "Pour l'association Acarlogi," in right


@pytest.mark.libreoffice
@needs_libreoffice
def test_the_27_signature_pages_are_whole_with_identities_filled_in(tmp_path) -> None:
    root = with_identities(tmp_path)
    conventions = load_conventions(root).conventions
    assert len(conventions.associations) == 27
    dep_signatory = conventions.departement.signatory.name
    docx = write_avenants(conventions, 2026, tmp_path / "avenants")
    pdfs = dict(zip((p.stem for p in docx), pdf.convert_to_pdf(docx, tmp_path / "pdf"), strict=True))
    for association in conventions.associations:
        reader = PdfReader(pdfs[f"avenant_2026_{association.slug}"])
        # a name cut at its hyphen at the end of a cell's line (« Artois-⏎Ternois ») is read whole
        pages = [re.sub(r"(?<=\w)- (?=\w)", "-", squeezed(page.extract_text())) for page in reader.pages]
        assert STREETS[0] in " ".join(pages) or STREETS[1] in " ".join(pages) or STREETS[2] in " ".join(pages)
        [page] = [p for p in pages if "Article 4 : Autres dispositions" in p]
        for expected in ("Arras, le", "En 2 exemplaires originaux", dep_signatory,
                         f"Pour {designation(association)},", f"{SIGNATORY['qualite']},",
                         SIGNATORY["nom"]):
            assert expected in page, (association.slug, expected)
        others = [p for p in pages if p is not page]
        for alone in ("exemplaires originaux", "Pour " + designation(association) + ","):
            assert not any(alone in p for p in others), (association.slug, alone)


@pytest.mark.libreoffice
@needs_libreoffice
def test_a_preamble_of_every_length_keeps_the_signature_page_whole(tmp_path) -> None:
    """One amendment whose address grows a line at a time, so that Article 4, the place and the
    signatures meet the foot of the page at each of their lines in turn."""
    docx = []
    for fillers in range(SWEEP):
        root = tmp_path / f"c{fillers}"
        shutil.copytree(CONVENTIONS, root, ignore=shutil.ignore_patterns("associations"))
        (root / "associations").mkdir()
        source = (CONVENTIONS / "associations" / f"{SHORT}.yaml").read_text(encoding="utf-8")
        (root / "associations" / f"{SHORT}.yaml").write_text(
            source + f'adresse: "{FILLER * fillers}{STREETS[0]}"\n', encoding="utf-8")
        conventions = load_conventions(root).conventions
        [path] = write_avenants(conventions, 2026, tmp_path / f"d{fillers}", association=SHORT)
        docx.append(path.rename(path.with_name(f"{SHORT}_{fillers:02d}.docx")))
    block = f"Pour {designation(conventions.association(SHORT))},"
    for path in pdf.convert_to_pdf(docx, tmp_path / "pdf"):
        pages = [squeezed(page.extract_text()) for page in PdfReader(path).pages]
        [page] = [p for p in pages if "Article 4 : Autres dispositions" in p]
        for expected in ("Arras, le", "En 2 exemplaires originaux", "Sabine DESPIERRE",
                         block, "Prénom Nom : ____"):
            assert expected in page, (path.stem, expected)
