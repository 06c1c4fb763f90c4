"""`fsl build YEAR [--pdf]`: validate, then every document of the year, into output/YEAR/."""

from __future__ import annotations

import argparse

from engine.build import BuildOptions, table_step
from engine.commands.avenants import avenants_step
from engine.commands.options import add_conventions, add_out, add_year, load, out_dir
from engine.render.output import staged

STEPS = [table_step, avenants_step]


def register(sub) -> None:
    parser = sub.add_parser("build", help="tout produire pour l'année : tableau, avenants, dossier")
    add_year(parser)
    add_out(parser)
    add_conventions(parser)
    parser.add_argument("--pdf", action="store_true", help="convertir aussi en PDF (LibreOffice)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded = load(args)
    target = out_dir(args)
    options = BuildOptions(pdf=args.pdf, progress=True)
    written = []
    with staged(target) as stage:
        for step in STEPS:
            paths = step(loaded.conventions, args.year, stage, options)
            written += [path.relative_to(stage) for path in paths]
    print(f"{len(written)} fichier(s) écrit(s) dans {target} :")
    for path in written:
        print(f"  {path}")
    return 0
