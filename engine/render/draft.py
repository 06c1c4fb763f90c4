"""A draft says so on its face (DOMAIN §7): « PROJET » at the top of every page, and at the end
the list of what remains to confirm. A document with no open point is left as it is (final).
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt, RGBColor

from engine.open_points import OpenPoint

DRAFT_MARK = "PROJET"
HEADER_TEXT = f"{DRAFT_MARK} – document non définitif : points à confirmer en fin de document"
TITLE = f"{DRAFT_MARK} : points restant à confirmer avant signature"
RED = RGBColor(0xC0, 0x00, 0x00)


def mark_draft(document, points: Sequence[OpenPoint], root: str, *, new_page: bool = True,
               listed: bool = True) -> bool:
    """Stamp « PROJET » in the header of every section and append the open points; False if none.

    `listed=False` stamps only (a part of the pack whose last part carries the list).
    """
    if not points:
        return False
    for section in document.sections:
        _stamp(section.header)
        if section.different_first_page_header_footer:
            _stamp(section.first_page_header)
    if listed:
        _append_list(document, points, root, new_page)
    return True


def _stamp(header) -> None:
    header.is_linked_to_previous = False
    first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    paragraph = first.insert_paragraph_before() if first.text.strip() else first
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(HEADER_TEXT)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(9), RED


def _append_list(document, points: Sequence[OpenPoint], root: str, new_page: bool) -> None:
    heading = document.add_paragraph()
    if new_page:
        heading.add_run().add_break(WD_BREAK.PAGE)
    run = heading.add_run(TITLE)
    run.bold, run.font.color.rgb = True, RED
    document.add_paragraph(
        "Ce document est un projet : il repose sur les données ci-dessous, estimées ou incomplètes. "
        "Une fois chacune confirmée dans le fichier indiqué, « fsl build --final » produit l'acte "
        "définitif.")
    for point in points:
        document.add_paragraph(point.located(root))
