"""Byte-reproducible Office files: fixed zip timestamps, sorted entries, fixed core properties."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from engine.render.typography import typeset_office

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CORE = "docProps/core.xml"
_STAMPED = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def normalize_zip(data: bytes, stamp: str = "2000-01-01T00:00:00Z") -> bytes:
    """Rewrite an OOXML zip with sorted entries, fixed timestamps and fixed core dates.

    openpyxl stamps `modified` with the clock at save time whatever the properties say.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    if CORE in entries:
        entries[CORE] = _STAMPED.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", entries[CORE])
    order = sorted(entries, key=lambda name: (name != "[Content_Types].xml", name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, entries[name])
    return out.getvalue()


def write_normalized(path: Path, data: bytes, year: int, *, typeset: bool = True) -> None:
    """Write an Office file whose core dates are 1 January of `year` (the document's year).

    Its text is typeset the French way first (`render.typography`); templates, whose Jinja tags
    must stay as written, pass `typeset=False`.
    """
    if typeset:
        data = typeset_office(data)
    Path(path).write_bytes(normalize_zip(data, f"{year}-01-01T00:00:00Z"))
