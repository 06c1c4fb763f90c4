"""`fsl grilles YEAR [--out DIR] [--reprise DIR]`: the activity grid model, one per association."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands.options import add_conventions, add_out, add_year, load, out_dir


def register(sub) -> None:
    parser = sub.add_parser("grilles", help="grilles d'activité à envoyer aux associations (XLSX)")
    add_year(parser)
    parser.add_argument("--reprise", type=Path, default=None, metavar="DOSSIER",
                        help="registre ou grilles de l'année précédente : les mesures en cours sont reprises")
    add_out(parser)
    add_conventions(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.grilles import GRIDS_DIR, grids_step
    from engine.render.output import staged

    loaded = load(args, quiet=True)
    target = out_dir(args)
    with staged(target) as stage:
        written = grids_step(loaded.conventions, args.year, stage, args.reprise)
    print(f"{len(written)} grille(s) d'activité écrites dans {target / GRIDS_DIR}")
    return 0
