"""Build the docxtpl templates (templates/*.docx) from the prose kept in templates/*.yaml.

    .venv/bin/python templates/make_templates.py

One DOCX per document kind: `avenant.docx` (004 annexe 2) and `annexe_<mesure>.docx` (the five
measure annexes of 004). All share one base (A4, Arial, styles, list numbering, footer with page
numbers), so the engine can append the annexes to the avenant and keep their styles. The DOCX
are committed; a test checks they are exactly what this script builds from the YAML.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from engine.load.yamlfile import load_yaml  # noqa: E402
from engine.render.reproducible import write_normalized  # noqa: E402

FONT = "Arial"
MEASURES = ("asll", "aml", "fal", "dsf", "gla")
TEMPLATE_YEAR = 2025
TEXT_WIDTH = Cm(17.0)
LABEL_WIDTH, CONTENT_WIDTH = Cm(4.2), Cm(12.8)
GRID_WIDTHS = (Cm(3.6), Cm(4.4), Cm(4.4))
LABEL_SHADING = "E7E6E6"
BULLET_LIST, DASH_LIST = 90, 91

# style name: (base, size pt, bold, underline, alignment, space before pt, space after pt)
STYLES = {
    "Entête Département": ("Normal", 9, False, False, None, 0, 0),
    "Titre avenant": ("Normal", 14, True, False, "center", 18, 6),
    "Centré": ("Normal", 10, False, False, "center", 0, 4),
    "Lieu et date": ("Normal", 10, False, False, None, 18, 12),
    "Intitulé": ("Normal", 10, True, False, None, 0, 4),
    "Intertitre": ("Normal", 10, True, True, None, 6, 4),
    "Puce": ("Normal", 10, False, False, None, 0, 2),
    "Tiret": ("Normal", 10, False, False, None, 0, 2),
    "Tiret 2": ("Normal", 10, False, False, None, 0, 2),
    "Signature": ("Normal", 10, False, False, None, 0, 0),
    "Sous-titre annexe": ("Heading 2", 11, True, False, "center", 0, 12),
}
LISTS = {"Puce": (BULLET_LIST, 0), "Tiret": (DASH_LIST, 0), "Tiret 2": (BULLET_LIST, 1)}
KINDS = {
    "p": "Normal", "centre": "Centré", "titre": "Titre avenant", "article": "Heading 2",
    "titre_annexe": "Heading 1", "sous_titre_annexe": "Sous-titre annexe", "intertitre": "Intertitre",
    "puce": "Puce", "tiret": "Tiret", "tiret2": "Tiret 2", "signature": "Signature",
    "blanc": "Signature", "entete": "Entête Département", "intitule": "Intitulé",
    "lieu": "Lieu et date",
}
MARKUP = re.compile(r"(</?(?:b|u|sup)>|<br/>)")
STRAY_TAG = re.compile(r"</?[a-z]+/?>")


def build_all(folder: Path = HERE) -> list[Path]:
    """Write avenant.docx and the five annexe_<mesure>.docx next to their YAML."""
    avenant = load_yaml(folder / "avenant.yaml").data
    footer = (avenant["pied_de_page"], avenant["page"])
    written = [_write(avenant["blocs"], footer, folder / "avenant.docx")]
    for measure in MEASURES:
        spec = load_yaml(folder / "annexes" / f"{measure}.yaml").data
        written.append(_write(spec["blocs"], footer, folder / f"annexe_{measure}.docx"))
    return written


def build_bytes(blocks: list, footer: tuple[str, str]) -> bytes:
    """The DOCX of one document kind, before zip normalisation."""
    document = _base(footer)
    add_blocks(document, blocks)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _write(blocks: list, footer: tuple[str, str], path: Path) -> Path:
    write_normalized(path, build_bytes(blocks, footer), TEMPLATE_YEAR, typeset=False)
    return path


# --- the base document: page, styles, lists, footer -------------------------------------------

def _base(footer: tuple[str, str]):
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    section.footer_distance = Cm(0.8)
    _french_defaults(document)
    _numbering(document)
    _styles(document)
    _footer(document, *footer)
    props = document.core_properties
    props.author, props.last_modified_by, props.revision = "Département du Pas-de-Calais", "fsl-engine", 1
    props.title, props.language = "Avenant financier FSL", "fr-FR"
    return document


def _french_defaults(document) -> None:
    """Arial 10 pt, French language (spelling, hyphenation) for the whole document."""
    normal = document.styles["Normal"]
    _font(normal, 10)
    normal.paragraph_format.space_after = Pt(4)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")


def _font(style, size: int, bold: bool | None = None, underline: bool | None = None) -> None:
    style.font.size = Pt(size)
    style.font.bold, style.font.underline = bold, underline
    style.font.color.rgb = RGBColor(0, 0, 0)
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attribute), FONT)
    color = style.element.rPr.find(qn("w:color"))
    for theme in ("w:themeColor", "w:themeShade"):
        color.attrib.pop(qn(theme), None)


def _styles(document) -> None:
    for name in ("Heading 1", "Heading 2"):
        _font(document.styles[name], 13 if name == "Heading 1" else 11, bold=True)
        document.styles[name].paragraph_format.space_before = Pt(0 if name == "Heading 1" else 12)
        document.styles[name].paragraph_format.space_after = Pt(6)
    heading = document.styles["Heading 1"].paragraph_format
    heading.page_break_before, heading.alignment = True, WD_ALIGN_PARAGRAPH.CENTER
    for name, (base, size, bold, underline, align, before, after) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles[base]
        _font(style, size, bold or None, underline or None)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if align == "center":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if name in LISTS:
            _list_style(style, *LISTS[name])
    for name in ("Intertitre", "Sous-titre annexe"):
        document.styles[name].paragraph_format.keep_with_next = True


def _numbering(document) -> None:
    """Two bullet lists: « • » then « - » under it (Puce, Tiret 2), and « - » alone (Tiret)."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for list_id, levels in ((BULLET_LIST, (("•", 284), ("-", 568))), (DASH_LIST, (("-", 284),))):
        first_num.addprevious(parse_xml(_abstract_num(list_id, levels)))
        numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{list_id}"><w:abstractNumId w:val="{list_id}"/></w:num>'
        ))


def _abstract_num(list_id: int, levels) -> str:
    body = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="284"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:hint="default"/></w:rPr>'
        "</w:lvl>"
        for level, (text, indent) in enumerate(levels)
    )
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{list_id}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{body}</w:abstractNum>')


def _list_style(style, list_id: int, level: int) -> None:
    num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = list_id


def _footer(document, text: str, page: str) -> None:
    """« Avenant financier 2026 – <association> » then « Page N / M » at the right margin."""
    style = document.styles["Footer"]
    _font(style, 8)
    style.paragraph_format.tab_stops.clear_all()
    style.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.style = style
    paragraph.add_run(text)
    paragraph.add_run(f"\t{page} ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" / ")
    _field(paragraph, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    ))


# --- blocks: paragraphs, loops, conditions, tables ---------------------------------------------

def add_blocks(container, blocks: list) -> None:
    """Add YAML blocks to a document or a table cell (see templates/avenant.yaml)."""
    for block in blocks:
        kind = next(iter(block))
        if kind in KINDS:
            for text in (block[kind] if kind == "entete" else [block[kind]]):
                add_paragraph(container, text, KINDS[kind])
        elif kind == "pour":
            _control(container, f"for {block['pour']}", block["contenu"], "endfor")
        elif kind == "si":
            _conditional(container, block)
        elif kind == "tableau_annexe":
            _annex_table(container, block[kind])
        elif kind == "grille":
            _grid(container, block[kind])
        elif kind == "signatures":
            _signatures(container, block[kind])
        elif kind == "ensemble":
            _together(container, block[kind])
        else:
            raise ValueError(f"bloc inconnu « {kind} » ; blocs possibles : {sorted(KINDS)}")


def add_paragraph(container, text: str, style: str):
    """A paragraph whose text may carry <b>, <u>, <sup> and <br/>; Jinja tags stay in one run."""
    paragraph = container.add_paragraph(style=style)
    flags: set[str] = set()
    for token in MARKUP.split(str(text)):
        if token == "<br/>":
            paragraph.add_run().add_break()
        elif MARKUP.fullmatch(token):
            name = token.strip("</>")
            if token.startswith("</"):
                flags.discard(name)
            else:
                flags.add(name)
        elif token:
            _check_run(token, text)
            run = paragraph.add_run(token)
            run.bold = True if "b" in flags else None
            run.underline = True if "u" in flags else None
            run.font.superscript = True if "sup" in flags else None
    return paragraph


def _check_run(token: str, text: str) -> None:
    if STRAY_TAG.search(token):
        raise ValueError(f"balise inconnue dans « {text} » : seules <b>, <u>, <sup>, <br/> sont admises")
    if token.count("{{") != token.count("}}") or token.count("{%") != token.count("%}"):
        raise ValueError(f"champ Jinja coupé par une mise en forme dans « {text} »")


def _control(container, opening: str, blocks: list, closing: str) -> None:
    container.add_paragraph("{%p " + opening + " %}")
    add_blocks(container, blocks)
    container.add_paragraph("{%p " + closing + " %}")


def _conditional(container, block: dict) -> None:
    container.add_paragraph("{%p if " + block["si"] + " %}")
    add_blocks(container, block["contenu"])
    if block.get("sinon"):
        container.add_paragraph("{%p else %}")
        add_blocks(container, block["sinon"])
    container.add_paragraph("{%p endif %}")


def _annex_table(container, rows: list) -> None:
    """The two-column table of a measure annex: bold shaded label, then the clause."""
    table = container.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in rows:
        label, content = table.add_row().cells
        fill(label, [{"intitule": row["intitule"]}])
        _shade(label)
        fill(content, row["contenu"])
    _widths(table, (LABEL_WIDTH, CONTENT_WIDTH))


def _grid(cell, spec: dict) -> None:
    """ASLL « Le contenu de la mesure »: theme, ACCES, MAINTIEN; `commun` spans both columns."""
    table = cell.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for head, text in zip(table.rows[0].cells, spec["colonnes"], strict=True):
        fill(head, [{"intitule": text}] if text else [])
        head.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in spec["lignes"]:
        theme, access, keep = table.add_row().cells
        if line.get("suite"):
            table.cell(len(table.rows) - 2, 0).merge(theme)
        else:
            fill(theme, [{"intitule": line["theme"]}])
        if "commun" in line:
            fill(access.merge(keep), [{"tiret": item} for item in line["commun"]])
        else:
            fill(access, [{"tiret": item} for item in line.get("acces", [])])
            fill(keep, [{"tiret": item} for item in line.get("maintien", [])])
    _widths(table, GRID_WIDTHS)


def _signatures(container, spec: dict) -> None:
    """Two signature blocks side by side, in one row of a table without borders; the row cannot
    break across pages, so neither block is ever split or left alone on a page."""
    table = container.add_table(rows=1, cols=2)
    table.autofit = False
    fill(table.cell(0, 0), spec["gauche"])
    fill(table.cell(0, 1), spec["droite"])
    _widths(table, (Emu(TEXT_WIDTH // 2), Emu(TEXT_WIDTH // 2)))
    row = table.rows[0]._tr.get_or_add_trPr()
    row.append(parse_xml(f'<w:cantSplit {nsdecls("w")} w:val="true"/>'))


def _together(container, blocks: list) -> None:
    """Blocks kept on one page (the last article, the place and date, the signatures): each
    paragraph before the last block keeps its lines together and stays with the next one."""
    body = getattr(container, "_body", container)._element  # a document's body, or a cell
    before = set(body)
    add_blocks(container, blocks)
    added = [element for element in body if element not in before and element.tag != qn("w:sectPr")]
    for element in added[:-1]:
        if element.tag == qn("w:p"):
            fmt = Paragraph(element, container).paragraph_format
            fmt.keep_with_next = fmt.keep_together = True


def fill(cell, blocks: list) -> None:
    """Fill a new cell: drop its empty first paragraph; end with a paragraph after a nested table."""
    first = cell.paragraphs[0]
    add_blocks(cell, blocks)
    if not first.text and len(cell.paragraphs) + len(cell.tables) > 1:
        first._p.getparent().remove(first._p)
    if cell._tc[-1].tag == qn("w:tbl"):
        cell.add_paragraph()


def _shade(cell) -> None:
    cell._tc.get_or_add_tcPr().append(parse_xml(
        f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{LABEL_SHADING}"/>'
    ))


def _widths(table, widths) -> None:
    """Fixed column widths, a merged cell getting the sum of the columns it spans."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        start = 0
        for tc in row._tr.tc_lst:
            tc.width = Emu(sum(widths[start:start + tc.grid_span]))
            start += tc.grid_span


if __name__ == "__main__":
    for written in build_all():
        print(f"écrit : {written.relative_to(HERE.parent)}")
