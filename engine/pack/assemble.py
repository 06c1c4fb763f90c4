"""One PDF/A-2b of the whole pack: LibreOffice exports each part as PDF/A-2b, pypdf puts them
end to end under a nested outline (part, then its entries: the annex models, each association,
each measure), gives every embedded font subset its own name, and writes the title and author in
both the document information and the XMP metadata (PDF/A wants the two to agree) with the
parts' output intent.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from engine.errors import DocumentError
from engine.render.pdf import convert_to_pdf

if TYPE_CHECKING:  # pypdf is imported when a pack is merged (a build without --pdf needs none)
    from pypdf import PdfReader, PdfWriter

CREATOR = "fsl-engine"

_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


@dataclass(frozen=True)
class Anchor:
    """An outline entry inside a part: its title, and a text its page holds (first page holding it)."""

    title: str
    text: str


@dataclass(frozen=True)
class Bookmark:
    """A part's outline entry: level 0 is a part of the pack, level 1 sits under the last level 0
    (annexe 2's annex models under the model amendment); `anchors` go under it."""

    title: str
    level: int = 0
    anchors: tuple[Anchor, ...] = ()


@dataclass(frozen=True)
class PdfInfo:
    """What the archive reads first: title, author, and a date that is data, not the clock."""

    title: str
    author: str
    year: int

    @property
    def pdf_date(self) -> str:
        return f"D:{self.year}0101000000Z"

    @property
    def xmp_date(self) -> str:
        return f"{self.year}-01-01T00:00:00Z"


def assemble_pdf(docx: list[Path], bookmarks: list[Bookmark], target: Path, info: PdfInfo) -> Path:
    """Convert the parts in one LibreOffice run (PDF/A-2b), then merge them into `target`."""
    with tempfile.TemporaryDirectory(prefix="fsl-pack-") as tmp:
        pdfs = convert_to_pdf(docx, Path(tmp), pdf_a=True)
        return merge(pdfs, bookmarks, target, info, parts_identifier(docx))


def parts_identifier(docx: list[Path]) -> bytes:
    """The PDF's file identifier, derived from the parts: the same data gives the same one."""
    return hashlib.sha256(b"".join(p.read_bytes() for p in docx)).digest()[:16]


def merge(pdfs: list[Path], bookmarks: list[Bookmark], target: Path, info: PdfInfo,
          identifier: bytes) -> Path:
    """The parts end to end under a nested outline, each font subset named once."""
    if len(pdfs) != len(bookmarks):
        raise DocumentError(f"{len(pdfs)} PDF pour {len(bookmarks)} signets", target)
    from pypdf import PdfReader, PdfWriter

    readers = [PdfReader(p) for p in pdfs]
    writer = PdfWriter()
    starts = []
    for reader in readers:
        starts.append(len(writer.pages))
        writer.append(reader, import_outline=False)
    parent = None
    for bookmark, start, reader, pdf in zip(bookmarks, starts, readers, pdfs, strict=True):
        under = parent if bookmark.level else None
        item = writer.add_outline_item(title=bookmark.title, page_number=start, parent=under)
        if not bookmark.level:
            parent = item
        pages = _page_texts(reader) if bookmark.anchors else []
        for anchor in bookmark.anchors:
            writer.add_outline_item(title=anchor.title, page_number=start + _page_of(anchor, pages, pdf),
                                    parent=item)
    distinct_subset_names(writer)
    writer.page_mode = "/UseOutlines"
    _archive_metadata(writer, readers[0], info, identifier)
    with open(target, "wb") as stream:
        writer.write(stream)
    return target


def _squeezed(text: str) -> str:
    """Text without spaces, soft hyphens, ligatures or apostrophe variants: a name wrapped in a
    cell still reads."""
    return re.sub(r"[\s\u00ad]", "", unicodedata.normalize("NFKC", text)).replace("\u2019", "'")


def _page_texts(reader: PdfReader) -> list[str]:
    return [_squeezed(page.extract_text() or "") for page in reader.pages]


def _page_of(anchor: Anchor, pages: list[str], pdf: Path) -> int:
    wanted = _squeezed(anchor.text)
    for index, text in enumerate(pages):
        if wanted in text:
            return index
    raise DocumentError(f"signet « {anchor.title} » : « {anchor.text} » introuvable dans le PDF", pdf)


SUBSET = re.compile(r"[A-Z]{6}\+")
"""A subset font's name starts with six capitals and « + » (ISO 32000-1, 9.6.4)."""


def distinct_subset_names(writer: PdfWriter) -> int:
    """Rename the subsets whose name another subset already has (LibreOffice names each
    document's subsets BAAAAA+, CAAAAA+…, so merged parts repeat them); return how many."""
    owners: dict[str, int] = {}
    renamed = 0
    for font in _fonts(writer):
        name = str(font.get("/BaseFont", ""))[1:]
        if not SUBSET.match(name):
            continue
        program = _program(font)
        if owners.setdefault(name, program) == program:
            continue
        fresh = _fresh_prefix(name[7:], owners)
        _rename(font, fresh)
        owners[fresh + name[7:]] = program
        renamed += 1
    return renamed


def _fonts(writer: PdfWriter) -> list:
    """Each font dictionary of the pages (and of their form XObjects), once, in page order."""
    seen: set[int] = set()
    out = []

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources:
            return
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                out.append(font)
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
                seen.add(id(xobject))
                visit(xobject.get("/Resources"))

    for page in writer.pages:
        visit(page.get("/Resources"))
    return out


def _descriptors(font) -> list:
    """The font's descriptor, or its descendant's (a Type0 font)."""
    fonts = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
    return [f["/FontDescriptor"].get_object() for f in fonts if "/FontDescriptor" in f]


def _program(font) -> int:
    """What tells two subsets apart: the embedded font program (else the font dictionary)."""
    for descriptor in _descriptors(font):
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                return id(descriptor[key].get_object())
    return id(font)


def _fresh_prefix(base: str, owners: dict[str, int]) -> str:
    """The first six-capital prefix (AAAAAA+, BAAAAA+…, counting from the left) no subset of
    `base` holds: the same parts always give the same names."""
    number = 0
    while True:
        letters, rest = [], number
        for _ in range(6):
            rest, digit = divmod(rest, 26)
            letters.append(chr(ord("A") + digit))
        prefix = "".join(letters) + "+"
        if prefix + base not in owners:
            return prefix
        number += 1


def _rename(font, prefix: str) -> None:
    from pypdf.generic import NameObject

    for holder, key in [(font, "/BaseFont")] + \
            [(d.get_object(), "/BaseFont") for d in font.get("/DescendantFonts", [])] + \
            [(d, "/FontName") for d in _descriptors(font)]:
        name = str(holder.get(key, ""))[1:]
        if SUBSET.match(name):
            holder[NameObject(key)] = NameObject("/" + prefix + name[7:])


def _archive_metadata(writer: PdfWriter, first: PdfReader, info: PdfInfo, identifier: bytes) -> None:
    from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, NameObject, TextStringObject

    producer = first.metadata.get("/Producer", CREATOR) if first.metadata else CREATOR
    writer.pdf_header = first.pdf_header
    writer.add_metadata({"/Title": info.title, "/Author": info.author, "/Creator": CREATOR,
                         "/Producer": producer, "/CreationDate": info.pdf_date,
                         "/ModDate": info.pdf_date})
    writer.xmp_metadata = _XMP.format(
        title=escape(info.title), author=escape(info.author), date=info.xmp_date,
        creator=CREATOR, producer=escape(str(producer)),
    ).encode("utf-8")
    metadata = writer.root_object["/Metadata"].get_object()
    if isinstance(metadata, DictionaryObject):  # the XMP stream that xmp_metadata has just written
        metadata[NameObject("/Type")] = NameObject("/Metadata")
        metadata[NameObject("/Subtype")] = NameObject("/XML")
    root = first.root_object
    if "/OutputIntents" in root:
        writer.root_object[NameObject("/OutputIntents")] = root["/OutputIntents"].clone(writer)
    writer.root_object[NameObject("/Lang")] = TextStringObject("fr-FR")
    # PDF/A asks for a file identifier; derived from the parts so the same data gives the same one.
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
