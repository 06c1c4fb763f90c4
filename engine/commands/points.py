"""`fsl points YEAR`: what remains to confirm before the documents of YEAR can be final."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from engine.commands.options import add_conventions, add_year, load

if TYPE_CHECKING:
    from engine.open_points import OpenPoint


def register(sub) -> None:
    parser = sub.add_parser("points", help="lister ce qui reste à confirmer avant les actes définitifs")
    add_year(parser)
    add_conventions(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Each open point as `path:line: field: message`; exit 1 while any remains."""
    from engine.printed import all_points

    points = all_points(load(args, quiet=True).conventions, args.year)
    print_points(points, args.year)
    return 1 if points else 0


def print_points(points: tuple[OpenPoint, ...], year: int, stream=None) -> None:
    stream = stream or sys.stdout
    for point in points:
        print(point, file=stream)
    if points:
        associations = len({p.association for p in points})
        print(f"{len(points)} point(s) à confirmer ({associations} association(s)) : les documents "
              f"{year} restent des projets.", file=stream)
    else:
        print(f"Aucun point à confirmer : les documents {year} peuvent être définitifs.", file=stream)
