"""Example PDFs: a one-page document, its signature fields, real signatures, and two tamperings."""

from __future__ import annotations

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def document(lines: list[str]) -> bytes:
    """A valid one-page PDF (Helvetica, WinAnsi) showing `lines`; uncompressed, so it can be read."""
    shown = b" ".join(b"(" + _escape(line) + b") '" for line in lines)
    text = b"BT /F1 12 Tf 60 780 Td 16 TL " + shown + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
    ]
    out, offsets = bytearray(HEADER), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def with_empty_fields(data: bytes, names: list[str]) -> bytes:
    """Add unsigned signature fields (invisible) in one incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    for name in names:
        fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=name))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signed(data: bytes, field: str, signer: signers.Signer) -> bytes:
    """Sign (or create and sign) the field `field`; each signature is a new revision."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
    out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer)
    return out.getvalue()


def modified_after_signing(data: bytes, line: str) -> bytes:
    """An incremental update that replaces the page's text: the signatures stay intact but the
    document shown is no longer the one signed (pyHanko's difference analysis catches it)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    text = b"BT /F1 12 Tf 60 780 Td (" + _escape(line) + b") Tj ET"
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=text))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flipped(data: bytes) -> bytes:
    """One letter of the signed text changed in place: the signed bytes no longer match."""
    at = data.index(b"Mesure")
    return data[:at] + b"N" + data[at + 1:]
