"""Time the avenants: the engine against bare docxtpl, then the PDF batch.

    .venv/bin/python bench/bench_avenants.py [--conventions DIR] [--year 2026] [--repeat 3] [--no-pdf]

- engine: `write_avenants` as `fsl avenants` runs it (context, sandboxed rendering of the avenant
  and each annex, composition, normalised bytes written to disk);
- bare docxtpl: the same templates, the same contexts (built beforehand), rendered one part at a
  time with a plain `jinja2.Environment(autoescape=True)` (plus the templates' two filters, without
  which they cannot render) and saved, one file per part;
- the engine once more with Jinja compiling every template source again, as bare docxtpl does;
- the PDF batch: every DOCX of the engine run through one LibreOffice process.
Times are the median of `--repeat` runs; the target is engine / bare ≤ 1.3.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment

from engine import PROJECT_ROOT
from engine.model import Measure
from engine.render import pdf
from engine.render.avenant import Templates, load_templates, write_avenants
from engine.render.avenant_context import avenant_associations, avenant_context
from engine.render.jinja import FILTERS, DocumentEnvironment
from engine.validation import load_conventions

TARGET = 1.3


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    conventions = load_conventions(args.conventions).conventions
    associations = avenant_associations(conventions, args.year)
    templates = load_templates()
    contexts = [avenant_context(conventions, a, args.year) for a in associations]
    parts = sum(1 + len(c["annexes"]) for c in contexts)
    print(f"{len(associations)} avenants ({parts} parties : avenant + annexes), année {args.year}, "
          f"médiane de {args.repeat} passages")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine = _median(args.repeat, lambda i: write_avenants(
            conventions, args.year, folder / f"engine{i}", templates=templates))
        bare = _median(args.repeat, lambda i: _bare(templates, contexts, folder / f"bare{i}"))
        with _no_compile_cache():
            uncached = _median(args.repeat, lambda i: write_avenants(
                conventions, args.year, folder / f"uncached{i}", templates=templates))
        print(f"moteur (fsl avenants)          : {engine:7.3f} s")
        print(f"docxtpl nu, mêmes modèles      : {bare:7.3f} s")
        print(f"rapport moteur / docxtpl nu    : {engine / bare:7.2f}  (cible ≤ {TARGET})")
        print(f"moteur sans cache de compil.   : {uncached:7.3f} s  (rapport {uncached / bare:.2f})")
        if not args.no_pdf:
            _pdf_batch(sorted((folder / "engine0").glob("*.docx")), folder / "pdf")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conventions", type=Path, default=PROJECT_ROOT / "conventions")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    return parser


def _bare(templates: Templates, contexts: list[dict], folder: Path) -> None:
    """docxtpl as its README shows it: render each part with its context, save it."""
    folder.mkdir(parents=True)
    env = Environment(autoescape=True)
    env.filters.update(FILTERS)
    for context in contexts:
        slug = context["association"]["slug"]
        jobs = [(templates.avenant, context, "avenant")]
        jobs += [(templates.annexes[Measure(a["mesure"])], {**context, "annexe": a}, a["mesure"])
                 for a in context["annexes"]]
        for template, part_context, name in jobs:
            document = DocxTemplate(io.BytesIO(template.data))
            document.render(part_context, jinja_env=env)
            document.save(folder / f"{slug}_{name}.docx")


@contextmanager
def _no_compile_cache():
    cached = DocumentEnvironment.from_string
    DocumentEnvironment.from_string = SandboxedEnvironment.from_string
    try:
        yield
    finally:
        DocumentEnvironment.from_string = cached


def _median(repeat: int, run: Callable[[int], object]) -> float:
    times = []
    for index in range(repeat):
        start = time.perf_counter()
        run(index)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _pdf_batch(docx: list[Path], out: Path) -> None:
    if pdf.libreoffice_path() is None:
        print(f"PDF : {pdf.MISSING}")
        return
    start = time.perf_counter()
    converted = pdf.convert_to_pdf(docx, out)
    elapsed = time.perf_counter() - start
    print(f"PDF, un seul LibreOffice       : {elapsed:7.3f} s pour {len(converted)} PDF "
          f"({elapsed / len(converted):.2f} s par document)")


if __name__ == "__main__":
    sys.exit(main())
