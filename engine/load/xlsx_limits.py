"""Bounds on what an XLSX may expand to, checked before openpyxl opens it (every XLSX reader calls
`xlsx_problem` first): members of the archive, total uncompressed size, shared strings, cells,
and no DTD or entity declaration in any XML part (an entity expansion is refused, as defusedxml
does). The parts are streamed in chunks: nothing is held in memory but a chunk.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_MEMBERS = 500
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_STRINGS = 500_000
MAX_CELLS = 2_000_000
CHUNK = 1 << 20
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")


def xlsx_problem(path: Path, max_unzipped: int = MAX_UNZIPPED) -> str | None:
    """Why the XLSX at `path` is refused, in French, or None when it stays within the bounds.
    Raises `zipfile.BadZipFile` or `OSError` for a file that is not a readable archive."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            return f"classeur de {len(members)} parties (au plus {MAX_MEMBERS}) : refusé"
        declared = sum(info.file_size for info in members)
        if declared > max_unzipped:
            return (f"archive XLSX trop grosse une fois décompressée "
                    f"({declared} octets, au plus {max_unzipped})")
        strings = cells = total = 0
        for info in members:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            shared = info.filename.endswith("sharedStrings.xml")
            sheet = info.filename.startswith("xl/worksheets/")
            tail = b""
            with archive.open(info) as part:
                while chunk := part.read(CHUNK):
                    total += len(chunk)
                    if total > max_unzipped:  # the sizes the archive declares may lie
                        return (f"archive XLSX trop grosse une fois décompressée "
                                f"(plus de {max_unzipped} octets)")
                    window = tail + chunk
                    if _DECLARATION.search(window):
                        return (f"déclaration DTD ou d'entité XML dans « {info.filename} » : refusée "
                                "(un classeur Excel n'en contient jamais)")
                    # a tag is counted in the chunk where it ends: never twice, never missed
                    if shared:
                        strings += _new(_STRING, window, len(tail))
                        if strings > MAX_STRINGS:
                            return f"plus de {MAX_STRINGS} textes partagés (sharedStrings.xml) : refusé"
                    if sheet:
                        cells += _new(_CELL, window, len(tail))
                        if cells > MAX_CELLS:
                            return f"plus de {MAX_CELLS} cellules : refusé"
                    tail = window[-16:]
    return None


def _new(pattern: re.Pattern[bytes], window: bytes, seen: int) -> int:
    return sum(1 for match in pattern.finditer(window) if match.end() > seen)
