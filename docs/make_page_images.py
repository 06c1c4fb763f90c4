"""Regenerate the page images of docs/ from the shipped 2026 data (needs LibreOffice and poppler).

    .venv/bin/python docs/make_page_images.py

Writes docs/avenant-page1.png (first page of one amendment), docs/avenant-signatures.png (its
page holding Article 4 and the signatures), docs/pack-page1.png (the deliberation), docs/pack-annexe2.png (the model amendment and the first measure-annex model) and
docs/pack-annexe3.png (the financial table). Images are for reading, not compared by tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from engine.cli import main  # noqa: E402

DPI = 80
AVENANT = "audasse"


def page_png(pdf: Path, page: int, target: Path) -> Path:
    """One page (1-based) of `pdf` as `target` (PNG), with pdftoppm."""
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True, timeout=120)
    return target


def bookmark_page(pdf: Path, title: str) -> int:
    """The page (1-based) of the outline entry `title`, at any depth."""
    reader = PdfReader(pdf)
    items, flat = list(reader.outline), []
    while items:
        item = items.pop(0)
        if isinstance(item, list):
            items = item + items
        else:
            flat.append(item)
    item = next(o for o in flat if o.title == title)
    return reader.get_destination_page_number(item) + 1


def text_page(pdf: Path, text: str) -> int:
    """The first page (1-based) of `pdf` whose text holds `text`."""
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        if text in (page.extract_text() or "").replace("\u00a0", " "):
            return number
    raise SystemExit(f"« {text} » introuvable dans {pdf}")


def main_images() -> list[Path]:
    if shutil.which("pdftoppm") is None or shutil.which("soffice") is None:
        raise SystemExit("pdftoppm (poppler-utils) et soffice (LibreOffice) sont nécessaires")
    with tempfile.TemporaryDirectory(prefix="fsl-images-") as tmp:
        out = Path(tmp) / "2026"
        if main(["avenants", "2026", "--association", AVENANT, "--pdf", "--out", str(out)]) != 0:
            raise SystemExit("avenant non produit")
        if main(["pack", "2026", "--pdf", "--out", str(out)]) != 0:
            raise SystemExit("dossier non produit")
        avenant = out / "avenants" / f"avenant_2026_{AVENANT}.pdf"
        pack = out / "pack" / "dossier_commission_permanente_2026.pdf"
        annexe2 = bookmark_page(pack, "Annexe 2 : modèle d'avenant")
        return [page_png(avenant, 1, HERE / "avenant-page1.png"),
                page_png(avenant, text_page(avenant, "Article 4 : Autres dispositions"),
                         HERE / "avenant-signatures.png"),
                page_png(pack, 1, HERE / "pack-page1.png"),
                page_png(pack, annexe2, HERE / "pack-annexe2.png"),
                page_png(pack, bookmark_page(pack, "Annexe 2 : modèle d'annexe AML"),
                         HERE / "pack-annexe2-aml.png"),
                page_png(pack, bookmark_page(pack, "Annexe 3 : tableau financier"),
                         HERE / "pack-annexe3.png")]


if __name__ == "__main__":
    for path in main_images():
        print(f"écrit : {path.relative_to(HERE.parent)}")
