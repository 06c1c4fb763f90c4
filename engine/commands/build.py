"""`fsl build YEAR [--pdf]`: validate, then every document of the year, into output/YEAR/."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from engine.commands.options import add_conventions, add_out, add_year, load, out_dir

if TYPE_CHECKING:
    from engine.render.pdf import Converter

def steps() -> list:
    """The build's steps, in the order their files are listed (imported here: `fsl validate` does
    not pay for them)."""
    from engine.build import table_step
    from engine.commands.avenants import avenants_step
    from engine.pack.write import pack_step
    from engine.publication import scdl_step
    from engine.traces import traces_step

    # traces/<slug>.json (fsl explain); the SCDL file (fsl scdl)
    return [table_step, avenants_step, pack_step, traces_step, scdl_step]


def run_order(listed: list) -> list:
    """The steps in the order they run: those with documents for LibreOffice first (the avenants,
    then the pack), so that with --pdf the conversions start as early as possible and the steps
    that only write files (table, traces, SCDL) overlap the last conversions."""
    first = ["avenants_step", "pack_step"]  # sorted() is stable: the others keep their order
    return sorted(listed, key=lambda step: (first + [step.__name__]).index(step.__name__))


def register(sub) -> None:
    parser = sub.add_parser("build", help="tout produire pour l'année : tableau, avenants, dossier")
    add_year(parser)
    add_out(parser)
    add_conventions(parser)
    parser.add_argument("--pdf", action="store_true", help="convertir aussi en PDF (LibreOffice)")
    parser.add_argument("--sans-cache", action="store_true",
                        help="convertir chaque DOCX à nouveau, sans lire ni écrire le cache des PDF")
    parser.add_argument("--final", action="store_true",
                        help="actes définitifs : refuser (rien écrit) tant qu'un point reste à confirmer")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "sans_cache", False):
        from engine.render.pdf_cache import without_cache

        with without_cache():
            return _run(args)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from engine.build import BuildOptions
    from engine.manifest import build_inputs, write_manifest
    from engine.render.output import ALL, staged

    loaded = load(args, quiet=args.final)
    if args.final and refuse_final(loaded.conventions, args.year):
        return 1
    target = out_dir(args)
    listed = steps()
    by_step: dict = {}
    with staged(target, ALL) as stage, _converter(args.pdf) as converter:
        options = BuildOptions(pdf=args.pdf, progress=True, converter=converter)
        for step in run_order(listed):
            by_step[step] = [path.relative_to(stage) for path in step(loaded.conventions, args.year, stage,
                                                                      options)]
        written = [path for step in listed for path in by_step[step]]
        if converter is not None:
            with Console(stderr=True).status("Conversion en PDF (LibreOffice)…"):
                converter.finish()  # every PDF written (and the pack merged) before publishing
        inputs = build_inputs(loaded.conventions, args.year)
        written.append(write_manifest(stage, inputs, args.year).relative_to(stage))
    print("\n".join(summary(target, written, len(inputs))))
    return 0


@contextmanager
def _converter(pdf: bool) -> Iterator[Converter | None]:
    """One LibreOffice service for the whole build (None without --pdf or without LibreOffice:
    the steps then say once that the PDFs are not produced)."""
    from engine.render.pdf import Converter, libreoffice_path, workers

    if not pdf or libreoffice_path() is None or workers() == 0:
        yield None
        return
    with Converter(workers=workers()) as converter:
        yield converter


def refuse_final(conventions, year: int) -> bool:
    """--final: list every open point on stderr and refuse while any remains (DOMAIN §7)."""
    from engine.commands.points import print_points
    from engine.printed import all_points

    points = all_points(conventions, year)
    if points:
        print_points(points, year, sys.stderr)
        print(f"--final refusé : {len(points)} point(s) restent à confirmer (voir « fsl points "
              f"{year} ») ; rien n'a été écrit.", file=sys.stderr)
    return bool(points)


def summary(target: Path, written: list[Path], inputs: int) -> list[str]:
    """« 66 fichiers écrits dans output/2026 » then one line per file or folder, counted by kind."""
    lines = [f"{len(written)} fichiers écrits dans {target} :"]
    folders: dict[str, Counter] = {}
    for path in written:
        if len(path.parts) == 1:
            note = f" (empreintes SHA-256 de {inputs} entrées et {len(written) - 1} sorties)" \
                if path.name == "manifest.json" else ""
            lines.append(f"  {path}{note}")
        else:
            folders.setdefault(path.parts[0], Counter())[path.suffix.lstrip(".").upper()] += 1
    for folder, kinds in folders.items():
        counted = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        lines.append(f"  {folder}/ : {counted}")
    return lines
