"""The Word documents of the pack: page set-up, running header and footer, fixed properties.

Each part is its own document with its own page numbers (« page 1 / 2 »), as the parts of 004
are; bytes are reproducible (core dates fixed to 1 January of the year, zip normalised).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from engine.pack.markup import Markup, add_runs
from engine.render.reproducible import write_document

FONT = "Arial"


def portrait() -> DocxDocument:
    """An A4 portrait document with the pack's font and margins."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    set_font(document)
    return document


def set_font(document, size: float = 10.5, space_after: float = 6) -> None:
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(size)
    normal.paragraph_format.space_after = Pt(space_after)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def apply_settings(document, markup: Markup) -> None:
    """`@entete` and `@pied` become the running header and footer of every page."""
    running_texts(document, markup.settings.get("entete"), markup.settings.get("pied"))


def running_texts(document, header: str | None, footer: str | None) -> None:
    """The pack's running header (right, bold) and footer (centred) replace what a template had
    there (the model amendment's « Avenant financier 2026 – … » footer)."""
    section = document.sections[0]
    for name, text, part, style in (("entete", header, section.header, "Header"),
                                    ("pied", footer, section.footer, "Footer")):
        if text:
            _drop_definition(document, f"w:{'header' if name == 'entete' else 'footer'}Reference")
            document.styles[style].font.size = Pt(8)
            paragraph = part.paragraphs[0]
            paragraph.style = document.styles[style]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if name == "entete" else WD_ALIGN_PARAGRAPH.CENTER
            add_runs(paragraph, text, bold=name == "entete")


def _drop_definition(document, reference: str) -> None:
    """Unlink the section's header or footer (a template's), so that python-docx makes a new one."""
    section = document.sections[0]._sectPr
    for element in section.findall(qn(reference)):
        section.remove(element)
        document.part.drop_rel(element.get(qn("r:id")))


def fix_properties(document, title: str, author: str, year: int) -> None:
    """Title and author for the archive; dates fixed so the same data gives the same bytes."""
    stamp = datetime(year, 1, 1)
    props = document.core_properties
    props.created = props.modified = props.last_printed = stamp
    props.title, props.author = title, author
    props.last_modified_by = "fsl-engine"
    props.revision = 1


def save(document, path: Path, year: int) -> Path:
    """Write `document` (typeset in place: it is not to be saved again)."""
    return write_document(path, document, year)
