"""Write the pack of a year into `pack/`: one DOCX per part and, with --pdf, the whole pack as one
PDF/A-2b (LibreOffice converts the parts, pypdf assembles them under a nested outline).
"""

from __future__ import annotations

import sys
from pathlib import Path

from engine.build import BuildOptions
from engine.finance import build_table
from engine.grid import sheets_for
from engine.load.activity import load_activity as read_register
from engine.model import Conventions
from engine.open_points import figure_points
from engine.pack.annex_models import annex_models
from engine.pack.assemble import Bookmark, PdfInfo, assemble_pdf, merge, parts_identifier
from engine.pack.commission import load_activity, load_commission
from engine.pack.document import fix_properties, running_texts, save
from engine.pack.parts import PARTS, PackData, RenderedPart, author, context, render_part
from engine.pack.register_figures import activity_from_register
from engine.render.draft import mark_draft
from engine.render.pdf import MISSING, libreoffice_path

PACK_DIR = "pack"


def pdf_name(year: int) -> str:
    return f"dossier_commission_permanente_{year}.pdf"


def pack_data(conventions: Conventions, year: int, activity: Path | None = None) -> PackData:
    """Read and check everything the pack needs before anything is rendered (fail before writing).

    The previous year's figures come from its activity register when `activity` is given, else
    from `activite/<year-1>.yaml`.
    """
    root = Path(conventions.root)
    table = build_table(conventions, year)
    commission = load_commission(root, year)
    figures = load_activity(root, year) if activity is None else register_activity(conventions, year - 1,
                                                                                    activity)
    return PackData(conventions, table, commission, figures)


def register_activity(conventions: Conventions, year: int, folder: Path):
    """The figures of `year` computed from its activity register (CSV and/or grids)."""
    before = build_table(conventions, year)
    expected = {b.association.slug: sheets_for(b.amounts) for b in before.blocks}
    register = read_register(folder, expected, year)
    print(f"activité {year} : chiffres du rapport calculés à partir du registre {folder}", file=sys.stderr)
    return activity_from_register(register, year, str(folder))


def render_parts(data: PackData) -> list[RenderedPart]:
    values = context(data)
    return [render_part(part, data, values) for part in PARTS]


def pack_step(conventions: Conventions, year: int, stage: Path, options: BuildOptions) -> list[Path]:
    """`pack/` with the five DOCX parts, and `pack/dossier_commission_permanente_YEAR.pdf` with --pdf."""
    data = pack_data(conventions, year, options.activity)
    rendered = render_parts(data)
    documents = pack_documents(data, rendered)
    folder = stage / PACK_DIR
    folder.mkdir()
    docx = [save(document, folder / f"{stem}.docx", year) for stem, document, _ in documents]
    if not options.pdf:
        return docx
    if libreoffice_path() is None:
        print(MISSING, file=sys.stderr)
        return docx
    info = PdfInfo(rendered[0].title, author(data), year)
    bookmarks = [bookmark for _, _, bookmark in documents]
    target = folder / pdf_name(year)
    converter = options.converter
    if converter is None:
        return [*docx, assemble_pdf(docx, bookmarks, target, info)]
    # the build's converter: the parts wait their turn with the avenants; merged at the end
    futures = converter.submit(docx, converter.scratch("fsl-pack-"), pdf_a=True)
    converter.flush()

    def merge_parts() -> None:
        merge(converter.wait(futures), bookmarks, target, info, parts_identifier(docx))

    converter.later(merge_parts)
    return [*docx, target]


def pack_documents(data: PackData, rendered: list[RenderedPart]) -> list[tuple[str, object, Bookmark]]:
    """(file stem, document, bookmark) in pack order: annexe 2's model amendment is followed by
    the five measure-annex models (004: annexe 2 holds both), under its header and bookmark."""
    out = []
    for part in rendered:
        out.append((part.part.stem, part.document, Bookmark(part.bookmark, 0, part.anchors)))
        if part.part.template == "annexe2.j2":
            header = part.markup.settings.get("entete")
            for model in annex_models(data.conventions, data.year):
                fix_properties(model.document, model.bookmark, author(data), data.year)
                running_texts(model.document, header, model.footer)
                mark_draft(model.document, figure_points(data.conventions, data.year),
                           data.conventions.root, listed=False)
                out.append((model.stem, model.document, Bookmark(model.bookmark, 1)))
    return out
