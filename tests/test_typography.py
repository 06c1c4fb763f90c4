"""French typography, applied in one place to every text the engine writes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from engine.cli import main
from engine.render.typography import NB_HYPHEN, NBSP, french_text

ROOT = Path(__file__).resolve().parents[1]
ORDINARY_SPACE_IN_NUMBER = re.compile(r"\d[ \u202f]\d{3}(?!\d)")
ORDINARY_SPACE_BEFORE = re.compile(r"[ \u202f][:;€%]")
ZERO_COUNT = re.compile(r"(?<![\d,.\u00a0])0[ \u00a0](?:points?|FAL|diagnostics?|portes?|logements?|"
                        r"accompagnements?|DSF|AML|ASLL|GLA)\b")
TEXT = re.compile(r"<(?:w|x)?:?t(?: [^>]*)?>([^<]*)</(?:w|x)?:?t>")


@pytest.mark.parametrize(("text", "expected"), [
    ("Total : 4 139 361,80 €", f"Total{NBSP}: 4{NBSP}139{NBSP}361,80{NBSP}€"),
    ("au 31 décembre 2025", f"au 31{NBSP}décembre 2025"),
    ("du 1er juillet 2025", f"du 1er{NBSP}juillet 2025"),
    ("70 % ; « oui »", f"70{NBSP}%{NBSP}; «{NBSP}oui{NBSP}»"),
    ("articles L.3121-14-1 et R.271-1", f"articles L.3121{NB_HYPHEN}14{NB_HYPHEN}1 et R.271{NB_HYPHEN}1"),
    ("les années 2026 et 2027", "les années 2026 et 2027"),
    ("sous-locataire", "sous-locataire"),
])
def test_french_text_puts_no_break_spaces_where_french_wants_them(text: str, expected: str) -> None:
    assert french_text(text) == expected


def test_french_text_keeps_the_length(text: str = "Pour : 42 voix ; 2 062,80 € le 26 mai") -> None:
    assert len(french_text(text)) == len(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "2026"
    assert main(["build", "2026", "--out", str(out)]) == 0
    return out


def _texts(path: Path) -> list[str]:
    """The text of each paragraph of every part (DOCX body, headers, footers; XLSX strings)."""
    out = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") and name.startswith(("word/", "xl/sharedStrings", "xl/worksheets/")):
                xml = archive.read(name).decode("utf-8")
                for paragraph in re.split(r"</w:p>|</si>|</is>", xml):
                    out.append("".join(TEXT.findall(paragraph)))
    return out


def test_every_written_office_file_is_typeset_and_has_no_zero_count_phrase(built: Path) -> None:
    files = sorted([*built.rglob("*.docx"), *built.rglob("*.xlsx")])
    assert len(files) >= 27 + 5 + 2
    problems = []
    for path in files:
        for text in _texts(path):
            for pattern in (ORDINARY_SPACE_IN_NUMBER, ORDINARY_SPACE_BEFORE, ZERO_COUNT):
                problems += [f"{path.name}: {m.group(0)!r} dans {text[:80]!r}"
                             for m in pattern.finditer(text)]
    assert problems == []


def test_every_written_office_file_names_the_departement_not_the_library(built: Path) -> None:
    for path in [*built.rglob("*.docx"), *built.rglob("*.xlsx")]:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8")
            app = archive.read("docProps/app.xml").decode("utf-8") if "docProps/app.xml" in \
                archive.namelist() else ""
        assert "<dc:creator>Département du Pas-de-Calais</dc:creator>" in core.replace(
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"', ""), path.name
        assert "<dc:title" in core, path.name
        for library in ("python-docx", "openpyxl", "Microsoft"):
            assert library not in core + app, (path.name, library)
