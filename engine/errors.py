"""The engine's errors: one small hierarchy, each with its location, printed once by the CLI."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 1
"""Invalid input, or findings (`fsl check`, `fsl reconcile`)."""
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
"""The run could not complete: an unwritable output, an unreadable path, an internal error."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKING = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
"""What could forge or hide a line of a message: line breaks, controls, bidi and invisible format characters."""


def one_line(text: object) -> str:
    """`text` on one line: a line break or a bidi control in a path or a name shows as `\\n`, `\\u202e`.

    Every path, field and message goes through it before it is printed, so a file named
    `x\\nacarlogi.yaml:1: slug: …` cannot print a forged error line."""
    def shown(match: re.Match[str]) -> str:
        char = match[0]
        if char == "\n":
            return "\\n"
        if char == "\r":
            return "\\r"
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _LINE_BREAKING.sub(shown, str(text))


class FslError(Exception):
    """The engine could not run; the message is French and meant for a person."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(FslError):
    """An input file is wrong: `path:line: field: message`."""

    def __init__(
        self, message: str, path: Path | str, line: int | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.field = field

    def __str__(self) -> str:
        return located(self.path, self.line, self.field, self.message)


def quoted_path(path: object) -> str:
    """The path as is when it is plain, else « its one-line form » between guillemets."""
    shown = one_line(path)
    return shown if shown == str(path) else f"« {shown} »"


def located(path: str, line: int | None, field: str | None, message: str) -> str:
    """`path:line: field: message`, each part on one line (see `one_line`)."""
    where = quoted_path(path) if line is None else f"{quoted_path(path)}:{line}"
    return f"{where}: {one_line(field or '-')}: {one_line(message)}"


class InputErrors(FslError):
    """Several input errors found in one pass (schema validation collects them all)."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class TemplateError(FslError):
    """A template needs a field the data does not give."""

    def __init__(self, message: str, template: str, field: str | None = None) -> None:
        super().__init__(message)
        self.template = template
        self.field = field

    def __str__(self) -> str:
        return f"{one_line(self.template)}: {one_line(self.field or '-')}: {one_line(self.message)}"


class DocumentError(FslError):
    """A document could not be read or written."""

    def __init__(self, message: str, path: Path | str) -> None:
        super().__init__(message)
        self.path = str(path)

    def __str__(self) -> str:
        return f"{quoted_path(self.path)}: {one_line(self.message)}"


class RunError(FslError):
    """The run could not complete for a reason outside the inputs (a tool too slow, a lock): exit 3."""

    exit_code = EXIT_INCOMPLETE


class OutputError(RunError):
    """An output could not be written, or its target is refused (an input, a folder): exit 3."""

    def __init__(self, message: str, path: Path | str) -> None:
        super().__init__(message)
        self.path = str(path)

    def __str__(self) -> str:
        return f"{quoted_path(self.path)}: {one_line(self.message)}"


OS_REASONS = {
    errno.EACCES: "permission refusée", errno.EPERM: "opération non permise (fichier protégé ?)",
    errno.ENOSPC: "disque plein", errno.EDQUOT: "quota disque dépassé",
    errno.EROFS: "système de fichiers en lecture seule", errno.EISDIR: "c'est un dossier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier", errno.ENOENT: "introuvable",
    errno.EEXIST: "existe déjà", errno.ENAMETOOLONG: "nom trop long", errno.EIO: "erreur d'entrée-sortie",
    errno.ELOOP: "boucle de liens symboliques", errno.EBUSY: "ressource occupée",
    errno.EXDEV: "déplacement entre deux disques impossible",
}


def os_reason(exc: OSError) -> str:
    """« permission refusée »: the French reason of a system error."""
    return OS_REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def printable(text: str) -> str:
    """`text` with control characters shown as `\\x1b`: a message never drives the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


@dataclass(frozen=True)
class ValidationWarning:
    """A problem worth a look that does not stop the run (estimated data, cap exceeded...)."""

    path: str
    line: int | None
    field: str | None
    message: str
    kind: str | None = None
    """What the summary counts it as (« allocations 2025 estimées »); None = counted alone."""

    def __str__(self) -> str:
        return located(self.path, self.line, self.field, self.message)
