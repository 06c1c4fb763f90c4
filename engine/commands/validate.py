"""`fsl validate`: schema and business validation of every YAML of the conventions."""

from __future__ import annotations

import argparse

from engine.commands.options import add_conventions, load


def register(sub) -> None:
    parser = sub.add_parser("validate", help="valider les fichiers YAML des conventions")
    add_conventions(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loaded = load(args)
    count = len(loaded.conventions.associations)
    print(f"Données valides : {count} associations, {len(loaded.warnings)} avertissement(s).")
    return 0
