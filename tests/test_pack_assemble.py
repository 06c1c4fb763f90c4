"""The pack's PDF assembly (issue 18, point 7): a nested outline, and one name per font subset.

Fast: the parts are small PDFs made here with pypdf, each embedding « BAAAAA+LiberationSans » the
way every LibreOffice export does; the pack test marked `libreoffice` checks the real thing.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

from engine.errors import DocumentError
from engine.pack.assemble import Anchor, Bookmark, PdfInfo, merge

INFO = PdfInfo("Dossier", "Département du Pas-de-Calais", 2026)


def part_pdf(path: Path, pages: list[str], subsets: tuple[str, ...] = ("BAAAAA+LiberationSans",)) -> Path:
    """A PDF whose pages show `pages` (Helvetica) and carry embedded subsets named `subsets`."""
    writer = PdfWriter()
    for text in pages:
        page = writer.add_blank_page(595, 842)
        fonts = DictionaryObject({NameObject("/F1"): writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica")}))})
        for index, name in enumerate(subsets):
            fonts[NameObject(f"/S{index}")] = writer._add_object(subset_font(writer, name, text))
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(content)
    with open(path, "wb") as stream:
        writer.write(stream)
    return path


def subset_font(writer: PdfWriter, name: str, salt: str) -> DictionaryObject:
    program = DecodedStreamObject()
    program.set_data(f"programme {name} {salt}".encode())
    descriptor = DictionaryObject({NameObject("/Type"): NameObject("/FontDescriptor"),
                                   NameObject("/FontName"): NameObject(f"/{name}"),
                                   NameObject("/FontFile2"): writer._add_object(program)})
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/TrueType"),
        NameObject("/BaseFont"): NameObject(f"/{name}"), NameObject("/FirstChar"): NumberObject(32),
        NameObject("/LastChar"): NumberObject(32), NameObject("/Widths"): ArrayObject([NumberObject(0)]),
        NameObject("/FontDescriptor"): writer._add_object(descriptor)})


def subsets_by_name(reader: PdfReader) -> dict[str, set[bytes]]:
    """Each subset name in the merged PDF → the font programs that carry it (by content)."""
    names: dict[str, set[bytes]] = defaultdict(set)
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "/FontDescriptor" not in font:
                continue
            descriptor = font["/FontDescriptor"].get_object()
            assert descriptor["/FontName"] == font["/BaseFont"]
            names[str(font["/BaseFont"])].add(descriptor["/FontFile2"].get_object().get_data())
    return names


@pytest.fixture
def parts(tmp_path: Path) -> list[Path]:
    return [part_pdf(tmp_path / "1.pdf", ["Deliberation"]),
            part_pdf(tmp_path / "2.pdf", ["Liste", "Alpha", "Beta Gamma"]),
            part_pdf(tmp_path / "3.pdf", ["Modele"]),
            part_pdf(tmp_path / "4.pdf", ["Modele AML", "suite"])]


BOOKMARKS = [Bookmark("Délibération"),
             Bookmark("Annexe 1", anchors=(Anchor("Alpha", "Alpha"), Anchor("Beta", "BetaGamma"))),
             Bookmark("Annexe 2 : modèle d'avenant"),
             Bookmark("Annexe 2 : modèle d'annexe AML", level=1)]


def test_the_outline_nests_entries_under_their_part(parts, tmp_path) -> None:
    reader = PdfReader(merge(parts, BOOKMARKS, tmp_path / "pack.pdf", INFO, b"0" * 16))
    outline = reader.outline
    tops = [item for item in outline if not isinstance(item, list)]
    assert [item.title for item in tops] == ["Délibération", "Annexe 1", "Annexe 2 : modèle d'avenant"]
    children = [item for item in outline if isinstance(item, list)]
    assert [[c.title for c in group] for group in children] == [["Alpha", "Beta"],
                                                                ["Annexe 2 : modèle d'annexe AML"]]
    pages = [[reader.get_destination_page_number(c) for c in group] for group in children]
    assert pages == [[2, 3], [5]]  # Alpha and Beta on the 2nd and 3rd pages of annexe 1
    assert [reader.get_destination_page_number(t) for t in tops] == [0, 1, 4]


def test_an_anchor_missing_from_its_part_is_named(parts, tmp_path) -> None:
    wrong = [*BOOKMARKS[:1], Bookmark("Annexe 1", anchors=(Anchor("Delta", "Delta"),)), *BOOKMARKS[2:]]
    with pytest.raises(DocumentError, match="« Delta » introuvable"):
        merge(parts, wrong, tmp_path / "pack.pdf", INFO, b"0" * 16)


def test_each_embedded_subset_has_its_own_name(parts, tmp_path) -> None:
    before = subsets_by_name(PdfReader(parts[1]))
    assert len(before["/BAAAAA+LiberationSans"]) == 3  # one per page: the parts do collide
    reader = PdfReader(merge(parts, BOOKMARKS, tmp_path / "pack.pdf", INFO, b"0" * 16))
    names = subsets_by_name(reader)
    assert sum(len(programs) for programs in names.values()) == 7
    assert all(len(programs) == 1 for programs in names.values()), names
    assert all(name.endswith("+LiberationSans") and len(name) == 22 for name in names)


def test_renaming_is_reproducible_and_keeps_shared_subsets_whole(tmp_path) -> None:
    shared = part_pdf(tmp_path / "a.pdf", ["Un"], ("BAAAAA+LiberationSans", "CAAAAA+LiberationSans-Bold"))
    other = part_pdf(tmp_path / "b.pdf", ["Deux"], ("BAAAAA+LiberationSans", "CAAAAA+LiberationSans-Bold"))
    marks = [Bookmark("A"), Bookmark("B")]
    first = merge([shared, other], marks, tmp_path / "1.pdf", INFO, b"0" * 16)
    second = merge([shared, other], marks, tmp_path / "2.pdf", INFO, b"0" * 16)
    assert first.read_bytes() == second.read_bytes()
    names = subsets_by_name(PdfReader(first))
    assert sorted(names) == ["/AAAAAA+LiberationSans", "/AAAAAA+LiberationSans-Bold",
                             "/BAAAAA+LiberationSans", "/CAAAAA+LiberationSans-Bold"]
