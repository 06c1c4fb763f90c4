"""`fsl points YEAR`: what remains to confirm before the documents of YEAR can be final."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from engine.commands.options import add_conventions, add_out, add_year, load, out_dir

if TYPE_CHECKING:
    from engine.open_points import OpenPoint


def register(sub) -> None:
    parser = sub.add_parser("points", help="lister ce qui reste à confirmer avant les actes définitifs")
    add_year(parser)
    add_conventions(parser)
    add_out(parser)
    parser.add_argument("--note", action="store_true",
                        help="écrire aussi la note de réconciliation (annexe 3 imprimée et montants "
                             "retenus) pour le service juridique, note_reconciliation_ANNEE.docx")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Each open point as `path:line: field: message`; exit 1 while any remains."""
    from engine.printed import all_points

    conventions = load(args, quiet=True).conventions
    points = all_points(conventions, args.year)
    print_points(points, args.year)
    if args.note:
        from engine.render.output import staged
        from engine.render.reconciliation_note import note_name, write_note

        target = out_dir(args)
        with staged(target) as stage:
            write_note(conventions, args.year, stage)
        print(f"écrit : {target / note_name(args.year)}", file=sys.stderr)
    return 1 if points else 0


def print_points(points: tuple[OpenPoint, ...], year: int, stream=None) -> None:
    stream = stream or sys.stdout
    for point in points:
        print(point, file=stream)
    if points:
        associations = len({p.association for p in points if p.association is not None})
        common = sum(p.association is None for p in points)  # departement.yaml, commissions: every act
        who = f"{associations} association(s)" + (f", {common} commun(s) à tous les actes" if common else "")
        print(f"{len(points)} point(s) à confirmer ({who}) : les documents "
              f"{year} restent des projets.", file=stream)
    else:
        print(f"Aucun point à confirmer : les documents {year} peuvent être définitifs.", file=stream)
