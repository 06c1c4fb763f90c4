"""`fsl regles [--regles NOM] [--json]`: what a rules set checks, what it reads, what it leaves unchecked."""

from __future__ import annotations

import argparse

from engine.checker import DEFAULT_RULES


def register(sub) -> None:
    parser = sub.add_parser("regles", help="ce que le contrôle vérifie, ce qu'il lit du registre, "
                                           "ce qu'il ne peut pas vérifier")
    parser.add_argument("--regles", default=DEFAULT_RULES, metavar="NOM",
                        help="règles de conventions/regles/ (défaut : pas-de-calais ; cea pour l'Alsace), "
                             "ou le chemin d'un fichier de règles .yaml")
    parser.add_argument("--json", action="store_true", help="écrire la liste en JSON sur la sortie")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.checker.catalogue import catalogue_json, catalogue_text
    from engine.checker.ruleset import load_ruleset

    ruleset = load_ruleset(args.regles)
    print(catalogue_json(ruleset) if args.json else catalogue_text(ruleset), end="")
    return 0
