"""One PDF/A-2b of the whole pack: LibreOffice exports each part as PDF/A-2b, pypdf puts them
end to end with a bookmark per part, and writes the title and author in both the document
information and the XMP metadata (PDF/A wants the two to agree) with the parts' output intent.
"""

from __future__ import annotations

import hashlib
import tempfile
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


def assemble_pdf(docx: list[Path], bookmarks: list[str], target: Path, info: PdfInfo) -> Path:
    """Convert the parts in one LibreOffice run (PDF/A-2b), then merge them into `target`."""
    with tempfile.TemporaryDirectory(prefix="fsl-pack-") as tmp:
        pdfs = convert_to_pdf(docx, Path(tmp), pdf_a=True)
        return merge(pdfs, bookmarks, target, info, parts_identifier(docx))


def parts_identifier(docx: list[Path]) -> bytes:
    """The PDF's file identifier, derived from the parts: the same data gives the same one."""
    return hashlib.sha256(b"".join(p.read_bytes() for p in docx)).digest()[:16]


def merge(pdfs: list[Path], bookmarks: list[str], target: Path, info: PdfInfo,
          identifier: bytes) -> Path:
    """The parts end to end, one top-level bookmark at the first page of each."""
    if len(pdfs) != len(bookmarks):
        raise DocumentError(f"{len(pdfs)} PDF pour {len(bookmarks)} signets", target)
    from pypdf import PdfReader, PdfWriter

    readers = [PdfReader(p) for p in pdfs]
    writer = PdfWriter()
    starts = []
    for reader in readers:
        starts.append(len(writer.pages))
        writer.append(reader, import_outline=False)
    for title, start in zip(bookmarks, starts, strict=True):
        writer.add_outline_item(title=title, page_number=start)
    writer.page_mode = "/UseOutlines"
    _archive_metadata(writer, readers[0], info, identifier)
    with open(target, "wb") as stream:
        writer.write(stream)
    return target


def _archive_metadata(writer: PdfWriter, first: PdfReader, info: PdfInfo, identifier: bytes) -> None:
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

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
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    root = first.trailer["/Root"]
    if "/OutputIntents" in root:
        writer.root_object[NameObject("/OutputIntents")] = root["/OutputIntents"].clone(writer)
    writer.root_object[NameObject("/Lang")] = TextStringObject("fr-FR")
    # PDF/A asks for a file identifier; derived from the parts so the same data gives the same one.
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
