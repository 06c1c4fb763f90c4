"""`fsl base migrer|etat`: the service's database, brought to the code's revision or described."""

from __future__ import annotations

import argparse
import os


def register(sub) -> None:
    parser = sub.add_parser("base", help="base de données du service (comptes, journal) : migrer, état")
    actions = parser.add_subparsers(dest="base_action", metavar="ACTION", required=True)
    migrer = actions.add_parser("migrer", help="mettre la base à la révision du code (copie d'un fichier "
                                               "SQLite faite avant)")
    migrer.set_defaults(func=run_migrer)
    etat = actions.add_parser("etat", help="adresse et révision de la base")
    etat.set_defaults(func=run_etat)


def run_migrer(args: argparse.Namespace) -> int:
    from engine.service.database import database_url, migrate, shown_url

    url = database_url(os.environ)
    done = migrate(url)
    if done.before == done.after:
        print(f"{shown_url(url)} : déjà à la révision {done.after}, rien à faire.")
        return 0
    if done.copy:
        print(f"Copie de la base avant migration : {done.copy}")
    elif url.startswith("postgresql"):
        print("PostgreSQL : aucune copie faite par fsl (sauvegardez avec pg_dump avant une migration).")
    print(f"{shown_url(url)} : révision {done.before or 'aucune'} → {done.after}.")
    return 0


def run_etat(args: argparse.Namespace) -> int:
    from engine.service.database import connect, current_revision, database_url, head_revision, shown_url

    url = database_url(os.environ)
    engine = connect(url)
    current = current_revision(engine)
    engine.dispose()
    head = head_revision()
    state = "à jour" if current == head else "à migrer (« fsl base migrer »)"
    print(f"{shown_url(url)} : révision {current or 'aucune'}, code {head} : {state}.")
    return 0
