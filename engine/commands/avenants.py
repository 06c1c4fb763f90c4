"""`fsl avenants YEAR [--association SLUG] [--pdf] [--out DIR]`: one avenant and its annexes per
association, in output/YEAR/avenants/ (DOCX, and PDF with --pdf); `fsl build` runs the same step.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from engine.commands.options import add_conventions, add_out, add_year, load, out_dir
from engine.render.pdf import MISSING, Converter, convert_to_pdf, libreoffice_path, workers

if TYPE_CHECKING:
    from engine.build import BuildOptions
    from engine.model import Conventions


def register(sub) -> None:
    parser = sub.add_parser("avenants", help="un avenant et ses annexes par association (DOCX, PDF)")
    add_year(parser)
    parser.add_argument("--association", metavar="SLUG", default=None,
                        help="une seule association, par exemple acarlogi")
    parser.add_argument("--pdf", action="store_true", help="convertir aussi en PDF (LibreOffice)")
    add_out(parser)
    add_conventions(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.build import BuildOptions
    from engine.manifest import build_inputs, write_manifest
    from engine.render.avenant import AVENANTS_DIR, avenant_filename
    from engine.render.output import staged

    loaded = load(args)
    target = out_dir(args)
    options = BuildOptions(pdf=args.pdf, association=args.association, progress=True)
    # the engine's files of avenants/ (or only this association's) are replaced, nothing else
    scope = f"{AVENANTS_DIR}/" if args.association is None else \
        f"{AVENANTS_DIR}/{avenant_filename(args.year, args.association, '.')}"
    with staged(target, (scope,)) as stage:
        written = avenants_step(loaded.conventions, args.year, stage, options)
        write_manifest(stage, build_inputs(loaded.conventions, args.year), args.year)
    docx = sum(1 for p in written if p.suffix == ".docx")
    pdf = len(written) - docx
    print(f"{docx} avenant(s) DOCX et {pdf} PDF écrits dans {target / AVENANTS_DIR}")
    return 0


def avenants_step(conventions: Conventions, year: int, stage: Path, options: BuildOptions) -> list[Path]:
    """The build step: `avenants/avenant_<year>_<slug>.docx` (and `.pdf` with options.pdf)."""
    from engine.render.avenant import AVENANTS_DIR

    return write_step(conventions, year, stage / AVENANTS_DIR, options)


def write_step(conventions: Conventions, year: int, folder: Path, options: BuildOptions) -> list[Path]:
    """Render the DOCX into `folder`; with --pdf each one goes to LibreOffice as soon as it is
    written (the build's converter, or one of this command's own), so conversion overlaps rendering."""
    from engine.render.avenant import avenant_filename, write_avenants
    from engine.render.avenant_context import avenant_associations

    total = len(avenant_associations(conventions, year, options.association))
    if options.pdf and libreoffice_path() is None:
        print(MISSING, file=sys.stderr)
        options = replace(options, pdf=False)
    if not options.pdf or (options.converter is None and workers() == 0):
        with _progress(options.progress, total) as advance:
            docx = write_avenants(conventions, year, folder, association=options.association,
                                  on_rendered=advance)
        if not options.pdf:
            return docx
        with _status(options.progress, f"Conversion en PDF de {len(docx)} avenant(s) (LibreOffice)…"):
            return docx + convert_to_pdf(docx, folder)  # FSL_PDF_WORKERS=0: one batch, as before
    with _converter(options) as converter:
        futures = []

        def rendered(association) -> None:
            advance(association)
            docx = folder / avenant_filename(year, association.slug)
            futures.extend(converter.submit([docx], folder))

        with _progress(options.progress, total) as advance:
            docx = write_avenants(conventions, year, folder, association=options.association,
                                  on_rendered=rendered)
        converter.flush()
        if options.converter is not None:  # the build waits for every PDF before publishing
            return docx + [path.with_suffix(".pdf") for path in docx]
        with _status(options.progress, f"Conversion en PDF de {len(docx)} avenant(s) (LibreOffice)…"):
            return docx + converter.wait(futures)


@contextmanager
def _converter(options: BuildOptions) -> Iterator[Converter]:
    """The build's converter, or a private one (one worker: one command's few documents)."""
    if options.converter is not None:
        yield options.converter
        return
    with Converter(workers=1) as converter:
        yield converter


@contextmanager
def _progress(show: bool, total: int) -> Iterator:
    """A progress bar on stderr (advanced once per association), or nothing."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if not show:
        yield lambda association: None
        return
    columns = (TextColumn("Avenants"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.description}"))
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("", total=total)
        yield lambda association: progress.update(task, advance=1, description=association.slug)


@contextmanager
def _status(show: bool, message: str) -> Iterator[None]:
    from rich.console import Console

    if not show:
        yield
        return
    with Console(stderr=True).status(message):
        yield
