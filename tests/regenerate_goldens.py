"""Golden texts of the avenants: how they are extracted, and the one command that rewrites them.

    make goldens        (or: .venv/bin/python -m tests.regenerate_goldens)

Writes `tests/golden/avenants/<slug>.txt` (the text of the fixture avenants for 2026) and, when
`../shared/seeds` is there, `seed_<mesure>.txt` (the sentences of each annex of the deliberation,
after the corrections of docs/ocr-corrections.md). Tests never rewrite them.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "avenants"
GOLDEN_DIR = ROOT / "tests" / "golden" / "avenants"
SEED = ROOT.parent / "shared" / "seeds" / "004_665cc12d9ae3da1b.txt"
CORRECTIONS = ROOT / "docs" / "ocr-corrections.md"
YEAR = 2026
GOLDEN_SLUGS = ("entraide-artois", "horizon-logement", "immobiliere-sociale-62", "aide-et-partage-nord")
LIST_PREFIX = {"Puce": "• ", "Tiret": "- ", "Tiret 2": "  - "}

# Each annex of 004 starts at its title and ends at the next one (the last at annexe 3).
SEED_SECTIONS = {
    "AML": "# Aide à la Médiation Locative - AML",
    "ASLL": "# Accompagnement Social Lié au Logement - ASLL",
    "FAL": "# FORFAIT ANNUEL LOGEMENT - FAL",
    "GLA": "# Gestion Locative Adaptée - GLA",
    "DSF": "# DIAGNOSTIC SOCIAL ET FINANCIER - DSF",
}
SEED_END = "Tableau financier ASLL"
# Sentences with a field the data fills (tested with their values, not as seed text).
FILLED = re.compile(r"XX|^Annexe N°|subvention maximum")


# --- text of a DOCX: paragraphs and table cells, in order --------------------------------------

def docx_text(source) -> str:
    """The text of a DOCX (path or python-docx Document): a line per paragraph, `| ` per cell."""
    document = Document(str(source)) if isinstance(source, (str, Path)) else source
    return "\n".join(_lines(document.element.body, document)) + "\n"


def _lines(element, parent) -> list[str]:
    lines: list[str] = []
    for child in element.iterchildren(qn("w:p"), qn("w:tbl")):
        if child.tag == qn("w:p"):
            lines += _paragraph(Paragraph(child, parent))
        else:
            lines += _table(Table(child, parent))
    return lines


def _paragraph(paragraph: Paragraph) -> list[str]:
    text = paragraph.text
    if not text.strip():
        return []
    return [LIST_PREFIX.get(paragraph.style.name, "") + text]


def _table(table: Table) -> list[str]:
    lines: list[str] = []
    seen = set()
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen or cell._tc.vMerge == "continue":
                continue
            seen.add(cell._tc)  # the element itself: an id() could be reused by lxml
            content = _lines(cell._tc, cell) or [""]
            lines += ["| " + content[0], *content[1:]]
    return lines


def normalized(text: str) -> str:
    """One line, single spaces, no-break spaces as spaces (for sentence containment)."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


# --- sentences of the deliberation's annexes ---------------------------------------------------

def ocr_corrections(path: Path = CORRECTIONS) -> list[tuple[str, str, str]]:
    """(annex, OCR text, kept text) from the table of docs/ocr-corrections.md."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*(\w+)\s*\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|", line)
        if match:
            rows.append(match.groups())
    return rows


def seed_sections(seed: str) -> dict[str, str]:
    """Each annex's plain text, tags removed, corrections applied."""
    sections = {}
    for measure, title in SEED_SECTIONS.items():
        start = seed.index(title)
        ends = [seed.find(t, start + 1) for t in [*SEED_SECTIONS.values(), SEED_END]]
        end = min(e for e in ends if e > start)
        sections[measure] = _plain(seed[start:end])
    for measure, wrong, right in ocr_corrections():
        sections[measure] = sections[measure].replace(wrong, right)
    return sections


def _plain(markdown: str) -> str:
    text = re.sub(r"<br\s*/?>|</?(?:p|li|ul)\b[^>]*>|\|", "\n", markdown)
    text = re.sub(r"<[^>]+>|\*\*", "", text)
    return text


def seed_sentences(seed: str) -> dict[str, list[str]]:
    """Every sentence of each annex of 004 that the avenant must carry verbatim."""
    result = {}
    for measure, text in seed_sections(seed).items():
        sentences = []
        for line in text.splitlines():
            line = re.sub(r"^(?:[#\s]|[-•●](?=\s))+", "", line).strip()
            if not line or re.fullmatch(r"[-:\s]+", line):
                continue
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«])", line):
                if not FILLED.search(sentence):
                    sentences.append(normalized(sentence))
        result[measure] = sentences
    return result


# --- the command -------------------------------------------------------------------------------

def render_fixture(out: Path) -> list[Path]:
    """The fixture's avenants for YEAR, written in `out`."""
    from engine.render.avenant import write_avenants
    from engine.validation import load_conventions

    conventions = load_conventions(FIXTURE).conventions
    return write_avenants(conventions, YEAR, out)


def main() -> int:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for path in render_fixture(Path(folder)):
            slug = path.stem.removeprefix(f"avenant_{YEAR}_")
            if slug in GOLDEN_SLUGS:
                target = GOLDEN_DIR / f"{slug}.txt"
                target.write_text(docx_text(path), encoding="utf-8")
                print(f"écrit : {target.relative_to(ROOT)}")
    if SEED.is_file():
        for measure, sentences in seed_sentences(SEED.read_text(encoding="utf-8")).items():
            target = GOLDEN_DIR / f"seed_{measure.lower()}.txt"
            target.write_text("\n".join(sentences) + "\n", encoding="utf-8")
            print(f"écrit : {target.relative_to(ROOT)}")
    else:
        print(f"{SEED} absent : phrases de la délibération non régénérées", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
