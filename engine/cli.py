"""The `fsl` command line: parse, call one command, print. Errors are printed once, in French."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from engine.commands import COMMANDS
from engine.errors import FslError, InputErrors


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fsl",
        description="Conventions FSL du Pas-de-Calais : validation, tableau financier, "
        "avenants, dossier de commission, contrôle des pièces reçues.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", required=True)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `fsl` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"{len(exc.errors)} erreur(s) : rien n'a été écrit.", file=sys.stderr)
        return 1
    except FslError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
