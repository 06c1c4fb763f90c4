"""Unpacking an uploaded ZIP: size-limited, every member inside the upload folder, no link.

A member whose name leaves the folder (`../x`, `/etc/x`, `C:\\x`), a symbolic link, a special
file, too many members or too many bytes once unpacked: the whole archive is refused with a
French message (nothing of it is read by the checker).
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from engine.errors import FslError

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
CHUNK = 1024 * 1024


def unpack_zip(stream, folder: Path) -> Path:
    """Unpack the ZIP `stream` into `folder/depot`; return the submissions folder inside it
    (the archive's single top folder when it has one, as a zipped folder usually does)."""
    target = Path(folder) / "depot"
    target.mkdir()
    archive_path = Path(folder) / "archive.zip"
    with open(archive_path, "wb") as out:
        size = 0
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise FslError(f"archive trop volumineuse : {MAX_UPLOAD_BYTES // (1024 * 1024)} Mo au plus")
            out.write(chunk)
    try:
        archive = zipfile.ZipFile(archive_path)
    except zipfile.BadZipFile:
        raise FslError("le fichier déposé n'est pas une archive ZIP lisible") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise FslError(f"archive refusée : plus de {MAX_MEMBERS} fichiers")
        total = 0
        for member in members:
            relative = _member_path(member)
            total += member.file_size
            if total > MAX_UNPACKED_BYTES:
                raise FslError(f"archive refusée : plus de {MAX_UNPACKED_BYTES // (1024 * 1024)} Mo une fois "
                               "décompressée")
            destination = target.joinpath(*relative.parts)
            if member.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with archive.open(member) as source, open(destination, "xb") as out:
                while chunk := source.read(CHUNK):
                    written += len(chunk)
                    if written > member.file_size or total - member.file_size + written > MAX_UNPACKED_BYTES:
                        raise FslError(f"archive refusée : {member.filename} plus gros que déclaré")
                    out.write(chunk)
    entries = [p for p in target.iterdir()]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target


def _member_path(member: zipfile.ZipInfo) -> PurePosixPath:
    name = member.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]) or not path.parts:
        raise FslError(f"archive refusée : {name} sort du dossier de dépôt")
    kind = stat.S_IFMT(member.external_attr >> 16)  # 0 when the archiver wrote no Unix type
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise FslError(f"archive refusée : {name} est un lien ou un fichier spécial")
    return path
