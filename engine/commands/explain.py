"""`fsl explain YEAR SLUG [--json]`: where every figure of an association's amendment comes from."""

from __future__ import annotations

import argparse

from engine.commands.options import add_conventions, add_year, load


def register(sub) -> None:
    parser = sub.add_parser("explain", help="d'où vient chaque chiffre de l'avenant d'une association")
    add_year(parser)
    parser.add_argument("slug", metavar="ASSOCIATION", help="identifiant de l'association (ex. acarlogi)")
    add_conventions(parser)
    parser.add_argument("--json", action="store_true", help="écrire la trace en JSON sur la sortie")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.explain import explain
    from engine.render.trace import trace_text
    from engine.traces import trace_text_json

    loaded = load(args, quiet=True)
    if args.json:
        print(trace_text_json(loaded.conventions, args.year, args.slug), end="")
        return 0
    print("\n".join(trace_text(explain(loaded.conventions, args.year, args.slug))))
    return 0
