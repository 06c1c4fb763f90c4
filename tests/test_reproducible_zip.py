"""Issue 10: `zip_entries` writes zipfile's bytes, whether a member's deflate stream is fresh or kept."""

from __future__ import annotations

import io
import zipfile

from docx import Document

from engine.render import reproducible
from engine.render.reproducible import FIXED_ZIP_TIME, package_entries, zip_entries


def with_zipfile(entries: dict[str, bytes]) -> bytes:
    """The reference: zipfile's own writer with the project's fixed time and permissions."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return out.getvalue()


def test_a_document_is_zipped_as_zipfile_zips_it_twice_in_a_row() -> None:
    document = Document()
    document.add_paragraph("Aide & Partage : 36 099,00 €")
    entries = package_entries(document)
    assert max(len(c) for c in entries.values()) >= reproducible.DEFLATED_CACHE_MIN  # styles: kept
    first, second = zip_entries(entries), zip_entries(entries)  # the second from the kept streams
    assert first == second == with_zipfile(entries)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None
        assert {n: archive.read(n) for n in archive.namelist()} == entries


def test_odd_members_empty_tiny_large_and_a_changed_large_one() -> None:
    large = bytes(range(256)) * 400
    entries = {"[Content_Types].xml": b"", "a": b"x", "dir/large.bin": large, "dir/other.bin": large[::-1]}
    assert zip_entries(entries) == with_zipfile(entries)
    entries["dir/large.bin"] = large[:-1] + b"!"  # same size, other content: never a stale stream
    assert zip_entries(entries) == with_zipfile(entries)


def test_a_non_ascii_name_goes_through_zipfile() -> None:
    entries = {"pièce.xml": b"<a/>", "b.xml": b"<b/>"}
    data = zip_entries(entries)
    assert data == with_zipfile(entries)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["pièce.xml", "b.xml"]
