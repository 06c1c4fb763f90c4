"""French typography, in one place, for every text the engine writes (computed and fixed alike).

`french_text` is pure: it only ever turns an ordinary space into a no-break one (or a hyphen of a
legal reference into a no-break hyphen), so a paragraph's text keeps its length and can be split
back over its runs. `typeset_entries` (or `typeset_document`, on a python-docx tree) applies it to
the paragraphs of a DOCX (body, headers, footers) and to the shared strings of an XLSX, just before
the file is written.

Rules (Lexique des règles typographiques en usage à l'Imprimerie nationale):
- inside a number: « 4 139 361,80 » ; before « : ; ! ? € % » and inside « guillemets » ;
- between a day and its month: « 26 mai », « 1er juillet », « au 31 décembre » ;
- a code article stays whole: « L.3121-14-1 » (no-break hyphens).
"""

from __future__ import annotations

import re
from collections.abc import Set

from lxml import etree

NBSP = "\u00a0"
NB_HYPHEN = "\u2011"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
_SPACE = r"[ \u202f]"
_RULES: tuple[re.Pattern, ...] = (
    re.compile(rf"(?<=\d){_SPACE}(?=\d{{3}}(?!\d))"),  # 4 139 361,80
    re.compile(rf"{_SPACE}(?=[:;!?€%»])"),  # avant : ; ! ? € % »
    re.compile(rf"(?<=«){_SPACE}"),  # « texte
    re.compile(rf"(?<=\b\d)(?:er)?{_SPACE}(?=(?:{'|'.join(MONTHS)})\b)", re.IGNORECASE),
    re.compile(rf"(?<=\b\d\d){_SPACE}(?=(?:{'|'.join(MONTHS)})\b)", re.IGNORECASE),
)
_LEGAL_REFERENCE = re.compile(r"\b[LRD]\.?\d+(?:-\d+)+")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_XLSX_SHEETS = re.compile(r"xl/worksheets/sheet\d+\.xml")
_DOCX_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


def french_text(text: str) -> str:
    """`Total : 4 139 361,80 €` with no-break spaces where French typography wants them."""
    chars = list(text)
    for rule in _RULES:
        for match in rule.finditer(text):
            for index in range(match.start(), match.end()):
                if chars[index] in " \u202f":
                    chars[index] = NBSP
    for match in _LEGAL_REFERENCE.finditer(text):
        for index in range(match.start(), match.end()):
            if chars[index] == "-":
                chars[index] = NB_HYPHEN
    return "".join(chars)


def typeset_paragraph(texts: list) -> None:
    """Apply `french_text` to a paragraph whose text is spread over several `<w:t>` elements."""
    pieces = [t.text or "" for t in texts]
    joined = french_text("".join(pieces))
    start = 0
    for element, piece in zip(texts, pieces, strict=True):
        new = joined[start:start + len(piece)]
        if new != piece:
            element.text = new
        start += len(piece)


def typeset_xml(data: bytes, paragraph_tag: str, text_tag: str) -> bytes:
    root = etree.fromstring(data)
    typeset_tree(root, paragraph_tag, text_tag)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def typeset_tree(root, paragraph_tag: str = f"{W}p", text_tag: str = f"{W}t") -> None:
    for paragraph in root.iter(paragraph_tag):
        typeset_paragraph(list(paragraph.iter(text_tag)))


def typeset_document(document) -> set[str]:
    """Typeset, in place, the XML parts of a python-docx Document that `typeset_entries` would
    (body, headers, footers…), before they are serialised; return their member names."""
    done = set()
    for part in document.part.package.parts:
        name = part.partname.membername
        element = getattr(part, "_element", None)
        if _DOCX_PARTS.fullmatch(name) and element is not None:
            typeset_tree(element)
            done.add(name)
    return done


def typeset_entries(entries: dict[str, bytes], done: Set[str] = frozenset()) -> dict[str, bytes]:
    """The members of a DOCX or XLSX, by name, with their text typeset the French way (except
    those `done` already)."""
    typeset = dict(entries)
    for name, content in entries.items():
        if name in done:
            continue
        if _DOCX_PARTS.fullmatch(name):
            typeset[name] = typeset_xml(content, f"{W}p", f"{W}t")
        elif name == "xl/sharedStrings.xml":
            typeset[name] = typeset_xml(content, f"{S}si", f"{S}t")
        elif _XLSX_SHEETS.fullmatch(name):  # openpyxl writes text inline (<is><t>)
            typeset[name] = typeset_xml(content, f"{S}is", f"{S}t")
    return typeset
