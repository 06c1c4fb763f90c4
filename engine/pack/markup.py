"""The light markup the pack templates write, and its rendering into a python-docx document.

One paragraph per group of lines; a blank line ends it. A line's first characters give its kind:

    # TITRE                 centred, bold          ## Article 1 : ...    heading, bold
    - élément               bullet                 = texte               centred
    > bloc de signature     indented on the right  | cadre               framed (the vote block)
    || a || b || c          table row (the first row is the header)
    [[graphique]]           an insert the code provides (chart, table)
    @signet / @titre / @entete / @pied texte       settings of the document, not printed as is

Inline: **gras**, ^{exposant}, {PAGE} and {NUMPAGES} (page fields), \\x for a literal x.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from engine.errors import TemplateError
from engine.money import NBSP
from engine.render.table_docx import add_field, keep_rows_whole

_KINDS = (("|| ", "table"), ("## ", "heading"), ("# ", "title"), ("- ", "bullet"),
          ("| ", "box"), ("> ", "signature"), ("= ", "center"))
_INSERT = re.compile(r"\[\[([a-z_]+)\]\]")
_DIRECTIVES = ("signet", "titre", "entete", "pied")
_FIELDS = ("PAGE", "NUMPAGES")
_CELL_SPLIT = re.compile(r"(?<!\\)\|\|")
_MARKUP_START = re.compile(r"[\\*^{]")

Insert = Callable[[object], None]


@dataclass(frozen=True)
class Block:
    kind: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Markup:
    """A parsed template: its blocks and its settings (`@signet`, `@pied`...)."""

    blocks: tuple[Block, ...]
    settings: Mapping[str, str] = field(default_factory=dict)


def parse(text: str, template: str = "?") -> Markup:
    blocks: list[Block] = []
    settings: dict[str, str] = {}
    kind: str | None = None
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        new_kind, content = _classify(line)
        if new_kind in ("blank", "setting", "insert") or new_kind != kind or new_kind == "bullet":
            if kind is not None:
                blocks.append(Block(kind, tuple(lines)))
            kind, lines = None, []
        if new_kind == "setting":
            name, _, value = content.partition(" ")
            if name not in _DIRECTIVES:
                raise TemplateError(f"réglage « @{name} » inconnu (connus : {', '.join(_DIRECTIVES)})",
                                    template, name)
            settings[name] = value.strip()
        elif new_kind == "insert":
            blocks.append(Block("insert", (content,)))
        elif new_kind != "blank":
            kind = new_kind
            lines.append(content)
    if kind is not None:
        blocks.append(Block(kind, tuple(lines)))
    return Markup(tuple(blocks), settings)


def _classify(line: str) -> tuple[str, str]:
    if not line.strip():
        return "blank", ""
    if line.startswith("@"):
        return "setting", line[1:]
    insert = _INSERT.fullmatch(line.strip())
    if insert:
        return "insert", insert.group(1)
    for prefix, kind in _KINDS:
        if line.startswith(prefix) or line == prefix.rstrip():
            return kind, line[len(prefix):]
    return "text", line


def write(document, markup: Markup, inserts: Mapping[str, Insert], template: str = "?") -> None:
    """Append the blocks to `document`; `[[name]]` calls `inserts[name](document)`."""
    for block in markup.blocks:
        if block.kind == "insert":
            name = block.lines[0]
            if name not in inserts:
                raise TemplateError(f"insertion [[{name}]] inconnue (connues : "
                                    f"{', '.join(sorted(inserts)) or 'aucune'})", template, name)
            inserts[name](document)
        elif block.kind == "table":
            _table(document, block.lines)
        elif block.kind == "box":
            _box(document, block.lines)
        else:
            _paragraph(document.add_paragraph(), block)


def _paragraph(paragraph, block: Block) -> None:
    fmt = paragraph.paragraph_format
    bold = block.kind in ("title", "heading")
    if block.kind == "title":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif block.kind == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif block.kind == "heading":
        fmt.space_before, fmt.keep_with_next = Pt(12), True
    elif block.kind == "bullet":
        paragraph.style = "List Bullet"
    elif block.kind == "signature":
        fmt.left_indent, fmt.keep_together = Cm(8.0), True
    elif len(block.lines) == 1:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    add_lines(paragraph, block.lines, bold)


def add_lines(paragraph, lines, bold: bool = False) -> None:
    """The lines of one paragraph, separated by line breaks."""
    for index, line in enumerate(lines):
        if index:
            paragraph.add_run().add_break()
        add_runs(paragraph, line, bold)


def add_runs(paragraph, text: str, bold: bool = False) -> None:
    """Inline markup: **bold**, ^{superscript}, {PAGE}/{NUMPAGES}, backslash escapes."""
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            paragraph.add_run(french_spacing("".join(buffer))).bold = bold or None
            buffer.clear()

    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            buffer.append(text[i + 1])
            i += 2
        elif text.startswith("**", i):
            flush()
            bold, i = not bold, i + 2
        elif text.startswith("^{", i):
            flush()
            end = _closing(text, i + 2)
            run = paragraph.add_run(_unescape(text[i + 2:end]))
            run.font.superscript, run.bold = True, bold or None
            i = end + 1
        elif (name := _field_at(text, i)) is not None:
            flush()
            add_field(paragraph, name)
            i += len(name) + 2
        else:  # this character, then up to the next one that may start markup
            found = _MARKUP_START.search(text, i + 1)
            end = len(text) if found is None else found.start()
            buffer.append(text[i:end])
            i = end
    flush()


def french_spacing(text: str) -> str:
    """No-break spaces where French typography keeps signs with their word (« x », a ; b : c)."""
    text = re.sub(r"« +", "«" + NBSP, text)
    return re.sub(r" +([»;:!?])", NBSP + r"\1", text)


def _closing(text: str, start: int) -> int:
    i = start
    while i < len(text) and text[i] != "}":
        i += 2 if text[i] == "\\" else 1
    return min(i, len(text))


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _field_at(text: str, i: int) -> str | None:
    return next((name for name in _FIELDS if text.startswith(f"{{{name}}}", i)), None)


def _box(document, lines) -> None:
    grid = document.add_table(rows=1, cols=1)
    grid.style = "Table Grid"
    add_lines(grid.cell(0, 0).paragraphs[0], lines)


def _table(document, rows) -> None:
    cells = [[c.strip() for c in _CELL_SPLIT.split(row)] for row in rows]
    width = max(len(r) for r in cells)
    grid = document.add_table(rows=len(cells), cols=width)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, (row, texts) in enumerate(zip(grid.rows, cells, strict=True)):
        for cell, text in zip(row.cells, texts, strict=False):  # row by row (`grid.cell` walks it all)
            add_runs(cell.paragraphs[0], text, bold=r == 0)
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    keep_rows_whole(grid)
