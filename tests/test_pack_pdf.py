"""The pack as one PDF/A-2b (needs LibreOffice): bookmarks, text, metadata, fonts, page numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from engine.cli import main
from engine.render.pdf import libreoffice_path
from tests.conftest import copy_pack_conventions

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice absent"),
]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
REAL = ROOT / "conventions"
BOOKMARKS = ["Délibération n°2026-173", "Rapport n°21", "Annexe 1 : conventions",
             "Annexe 2 : modèle d'avenant", "Annexe 3 : tableau financier"]
CHILDREN = {
    "Annexe 1 : conventions": ["Association Grande Fictive", "Logement Fictif 62"],
    "Annexe 2 : modèle d'avenant": [f"Annexe 2 : modèle d'annexe {m}"
                                    for m in ("AML", "ASLL", "FAL", "GLA", "DSF")],
    "Annexe 3 : tableau financier": ["Récapitulatif par association",
                                     *(f"{m} : détail par association et par territoire"
                                       for m in ("ASLL", "AML", "DSF", "GLA", "FAL"))],
}
ACTIVITY_2025 = (
    "ont bénéficié à 3 636 ménages",
    "2 887 ménages accompagnés au titre de l'ASLL, dont 1 387 mesures débutées en 2025",
    "199 ménages accompagnés au titre de l'AML, dont 80 mesures débutées en 2025",
    "550 ménages accompagnés au titre du FAL, dont 281 mesures débutées en 2025",
    "1 053 DSF ont été réalisés", "708 logements occupés",
)


def build_pack(conventions: Path, out: Path) -> PdfReader:
    assert main(["pack", "2026", "--pdf", "--conventions", str(conventions), "--out", str(out)]) == 0
    return PdfReader(out / "pack" / "dossier_commission_permanente_2026.pdf")


def text(reader: PdfReader) -> str:
    return " ".join(" ".join((page.extract_text() or "").replace("\u00a0", " ").split())
                    for page in reader.pages)


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> PdfReader:
    """The pack of two fictitious associations carrying the 2026 totals (004 annexe 3)."""
    root = copy_pack_conventions(tmp_path_factory.mktemp("pdf"))
    return build_pack(root, root.parent / "sortie")


def outline(pack: PdfReader) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """(title, page, [(child title, page)]) for each top-level entry."""
    out: list = []
    for item in pack.outline:
        if isinstance(item, list):
            out[-1][2].extend((c.title, pack.get_destination_page_number(c)) for c in item)
        else:
            out.append((item.title, pack.get_destination_page_number(item), []))
    return out


def test_one_bookmark_per_part_in_order(pack: PdfReader) -> None:
    parts = outline(pack)
    assert [title for title, _, _ in parts] == BOOKMARKS
    pages = [page for _, page, _ in parts]
    assert pages[0] == 0 and pages == sorted(set(pages)) and pages[-1] < len(pack.pages)


def test_bookmarks_nest_associations_annex_models_and_measures(pack: PdfReader) -> None:
    parts = outline(pack)
    ends = [page for _, page, _ in parts[1:]] + [len(pack.pages)]
    for (title, start, children), end in zip(parts, ends, strict=True):
        assert [child for child, _ in children] == CHILDREN.get(title, []), title
        child_pages = [page for _, page in children]
        assert child_pages == sorted(child_pages) and all(start <= p < end for p in child_pages), title
    models = dict(parts[3][2])
    assert models["Annexe 2 : modèle d'annexe AML"] > parts[3][1]  # after the model amendment
    for name, page in parts[2][2]:
        assert name in " ".join((pack.pages[page].extract_text() or "").split()), name


def test_each_embedded_font_subset_has_its_own_name(pack: PdfReader) -> None:
    owners: dict[str, set] = {}
    for page in pack.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font.get_object()["/DescendantFonts"][0].get_object() \
                if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            program = next(descriptor.raw_get(k) for k in ("/FontFile", "/FontFile2", "/FontFile3")
                           if k in descriptor)
            assert descriptor["/FontName"] == descendant["/BaseFont"]
            owners.setdefault(str(font["/BaseFont"]), set()).add(program.idnum)
    assert len(owners) > 6  # one subset pair per part at least: LibreOffice named them all alike
    assert all(len(programs) == 1 for programs in owners.values()), owners


def test_annexe3_figures_are_9_pt(pack: PdfReader) -> None:
    """Every amount of annexe 3 at 9 pt (it was 6 pt); only the running header and footer are 8 pt."""
    start = outline(pack)[-1][1]
    sizes: dict[str, list[float]] = {"amounts": [], "all": []}

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            scale = (abs(tm[0] * cm[0] + tm[1] * cm[2]) ** 2 + abs(tm[0] * cm[1] + tm[1] * cm[3]) ** 2) ** 0.5
            sizes["all"].append(round(size * scale, 1))
            if re.search(r"\d,\d\d", text):
                sizes["amounts"].append(round(size * scale, 1))

    for page in pack.pages[start:]:
        page.extract_text(visitor_text=visit)
    assert len(sizes["amounts"]) > 20 and min(sizes["amounts"]) >= 8.9, sorted(set(sizes["amounts"]))
    assert min(sizes["all"]) >= 7.9, sorted(set(sizes["all"]))


def test_text_has_the_names_the_total_and_the_2025_activity(pack: PdfReader) -> None:
    content = text(pack)
    for expected in ("Association Grande Fictive", "Logement Fictif 62", "4 139 361,80", *ACTIVITY_2025):
        assert expected in content, expected


def test_each_part_numbers_its_pages(pack: PdfReader) -> None:
    content = text(pack)
    assert "Délibération n°2026-173 – page 1 / 2" in content
    assert "Rapport n°21 – page 1 /" in content and "Annexe 3 – page 1 /" in content


def test_archive_metadata_and_pdfa_identification(pack: PdfReader) -> None:
    assert pack.metadata.title.startswith("Délibération n°2026-173")
    assert pack.metadata.author == "Département du Pas-de-Calais"
    xmp = pack.xmp_metadata.stream.get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert pack.metadata.title in xmp and pack.metadata.author in xmp
    root = pack.trailer["/Root"]
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert root["/Metadata"].get_object()["/Subtype"] == "/XML"
    assert len(pack.trailer["/ID"]) == 2


def test_every_font_is_embedded(pack: PdfReader) -> None:
    for page in pack.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is None:  # a Type0 font keeps it on its descendant
                descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object()), font


def test_annexe3_is_landscape(pack: PdfReader) -> None:
    last = pack.pages[outline(pack)[-1][1]]
    assert last.mediabox.width > last.mediabox.height


@pytest.mark.skipif(len(list((REAL / "associations").glob("*.yaml"))) < 27,
                    reason="les 27 associations ne sont pas encore dans conventions/associations")
def test_the_real_2026_pack(tmp_path: Path) -> None:
    from engine.validation import load_conventions

    reader = build_pack(REAL, tmp_path)
    content = text(reader)
    for association in load_conventions(REAL).conventions.associations:
        assert " ".join(association.name.split()) in content, association.name
    for expected in ("4 139 361,80", "avec les 27 associations reprises en annexe 1", *ACTIVITY_2025):
        assert expected in content, expected
