"""`fsl pack YEAR [--pdf] [--out DIR]`: the Commission permanente pack, in output/YEAR/pack/."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands.options import add_conventions, add_out, add_year, load, out_dir


def register(sub) -> None:
    parser = sub.add_parser("pack", help="dossier de la Commission permanente et ses annexes")
    add_year(parser)
    add_out(parser)
    add_conventions(parser)
    parser.add_argument("--pdf", action="store_true",
                        help="assembler aussi le dossier en un PDF/A (LibreOffice)")
    parser.add_argument("--activite", type=Path, default=None, metavar="DOSSIER",
                        help="registre d'activité de l'année précédente (CSV ou grilles) : le rapport "
                             "en tire ses chiffres, au lieu de conventions/activite/")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.build import BuildOptions
    from engine.manifest import build_inputs, write_manifest
    from engine.pack.write import PACK_DIR, pack_step
    from engine.render.output import staged

    loaded = load(args)
    target = out_dir(args)
    options = BuildOptions(pdf=args.pdf, activity=args.activite)
    with staged(target, (f"{PACK_DIR}/",)) as stage:
        written = [p.relative_to(stage) for p in pack_step(loaded.conventions, args.year, stage, options)]
        write_manifest(stage, build_inputs(loaded.conventions, args.year), args.year)
    print(f"Dossier de la Commission permanente {args.year} écrit dans {target} :")
    for path in written:
        print(f"  {path}")
    return 0
