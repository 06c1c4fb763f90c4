"""`fsl compare YEAR_A YEAR_B [--json] [--out DIR]`: two years' allocations side by side."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from engine.commands.options import DEFAULT_OUTPUT, add_conventions, load

if TYPE_CHECKING:
    from engine.compare import Comparison


def register(sub) -> None:
    parser = sub.add_parser("compare", help="allocations de deux années côte à côte, avec l'écart")
    parser.add_argument("year_a", type=int, metavar="ANNEE_A", help="première année, par exemple 2025")
    parser.add_argument("year_b", type=int, metavar="ANNEE_B", help="seconde année, par exemple 2026")
    parser.add_argument("--out", type=Path, default=None, metavar="DOSSIER",
                        help="dossier de sortie (défaut : output/comparaison_A_B)")
    add_conventions(parser)
    parser.add_argument("--json", action="store_true", help="écrire la comparaison en JSON sur la sortie")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.compare import compare
    from engine.render.compare_json import compare_json
    from engine.render.output import staged

    loaded = load(args, quiet=args.json)
    comparison = compare(loaded.conventions, args.year_a, args.year_b)
    if args.json:
        print(json.dumps(compare_json(comparison), ensure_ascii=False, indent=2))
        return 0
    target = args.out or DEFAULT_OUTPUT / f"comparaison_{args.year_a}_{args.year_b}"
    with staged(target) as stage:
        written = write_compare(comparison, stage)
    for path in written:
        print(f"écrit : {target / path.name}")
    return 0


def write_compare(comparison: Comparison, folder: Path) -> list[Path]:
    """`comparaison_A_B.xlsx` and `comparaison_A_B.png` in `folder`."""
    from engine.render.compare_chart import compare_png
    from engine.render.compare_xlsx import write_compare_xlsx

    stem = f"comparaison_{comparison.year_a}_{comparison.year_b}"
    xlsx, png = folder / f"{stem}.xlsx", folder / f"{stem}.png"
    write_compare_xlsx(comparison, xlsx)
    png.write_bytes(compare_png(comparison))
    return [xlsx, png]
