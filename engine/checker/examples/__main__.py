"""`python -m engine.checker.examples --out DIR [--scale small|full|FACTEUR]`: write an example."""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path

from engine.checker.examples.build import generate
from engine.commands.options import parse_day


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.checker.examples",
                                     description="Écrit un dossier de pièces d'exemple et sa vérité terrain.")
    parser.add_argument("--out", type=Path, required=True, metavar="DOSSIER")
    parser.add_argument("--scale", default="small",
                        help="small (défaut), full (une année : ~2 900 ASLL, 200 AML, 550 FAL, 1 050 DSF) "
                             "ou un facteur appliqué à full, par exemple 0.1")
    parser.add_argument("--as-of", type=parse_day, default=parse_day("2026-11-22"), metavar="DATE")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    scale = args.scale if args.scale in ("small", "full") else _factor(args.scale)
    made = generate(args.out, scale, args.as_of, args.seed)
    plan = made.plan
    print(f"{args.out} : {len(plan.measures)} mesures, {len(plan.documents)} pièces, "
          f"{len(plan.files)} fichiers, {len(plan.truth)} constats attendus.", file=sys.stderr)
    return 0


def _factor(text: str) -> Fraction:
    """A scale factor such as 0.1, read exactly (no float)."""
    try:
        return Fraction(text)
    except ValueError:
        raise SystemExit(f"--scale « {text} » : attendu small, full ou un facteur comme 0.1") from None


if __name__ == "__main__":
    sys.exit(main())
