"""`fsl utilisateurs ajouter|lister|desactiver|mot-de-passe`: the service's accounts."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from engine.commands.options import DEFAULT_CONVENTIONS
from engine.commands.service_options import console_actor, sessions
from engine.service.roles import Role

ROLES = [role.value for role in Role]


def register(sub) -> None:
    parser = sub.add_parser("utilisateurs", help="comptes du service : ajouter, lister, désactiver, "
                                                 "changer un mot de passe")
    actions = parser.add_subparsers(dest="utilisateurs_action", metavar="ACTION", required=True)
    add = actions.add_parser("ajouter", help="créer un compte")
    add.add_argument("login", metavar="IDENTIFIANT", help="identifiant de connexion, par exemple jdupont")
    add.add_argument("--role", required=True, choices=ROLES, metavar="ROLE",
                     help="agent, responsable, lecture ou association")
    add.add_argument("--association", metavar="SLUG", help="pour le rôle association : son slug")
    add.add_argument("--nom", metavar="NOM", help="« Prénom NOM » de la personne")
    _add_password_input(add)
    add.add_argument("--conventions", type=Path, default=DEFAULT_CONVENTIONS, metavar="DOSSIER",
                     help="dossier des conventions, pour vérifier le slug (défaut : conventions/ du projet)")
    add.set_defaults(func=run_ajouter)
    actions.add_parser("lister", help="les comptes").set_defaults(func=run_lister)
    off = actions.add_parser("desactiver", help="désactiver un compte (jamais supprimé)")
    off.add_argument("login", metavar="IDENTIFIANT")
    off.set_defaults(func=run_desactiver)
    change = actions.add_parser("mot-de-passe", help="changer le mot de passe d'un compte")
    change.add_argument("login", metavar="IDENTIFIANT")
    _add_password_input(change)
    change.set_defaults(func=run_mot_de_passe)


def _add_password_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mot-de-passe-stdin", action="store_true",
                        help="lire le mot de passe sur l'entrée standard (sinon saisie masquée)")


def run_ajouter(args: argparse.Namespace) -> int:
    from engine.service import accounts

    role = Role(args.role)
    known = _association_slugs(args.conventions) if args.association else ()
    password = _read_password(args.login, args.mot_de_passe_stdin)
    actor = console_actor()
    with sessions().begin() as session:
        user = accounts.add(session, actor, args.login, role, password, name=args.nom,
                            association=args.association, known_associations=known)
        shown = f" ({user.association})" if user.association else ""
    print(f"Compte {args.login} créé : rôle {role.value}{shown}.")
    return 0


def run_lister(args: argparse.Namespace) -> int:
    from engine.service import accounts

    with sessions().begin() as session:
        users = accounts.listed(session)
        if not users:
            print("Aucun compte (« fsl utilisateurs ajouter IDENTIFIANT --role responsable » "
                  "pour le premier).")
            return 0
        rows = [("identifiant", "rôle", "association", "nom", "état", "créé le")]
        rows += [(u.identifiant, u.role, u.association or "-", u.nom or "-",
                  "actif" if u.actif else "désactivé", u.cree_le[:10]) for u in users]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def run_desactiver(args: argparse.Namespace) -> int:
    from engine.service import accounts

    with sessions().begin() as session:
        accounts.deactivate(session, console_actor(), args.login)
    print(f"Compte {args.login} désactivé.")
    return 0


def run_mot_de_passe(args: argparse.Namespace) -> int:
    from engine.service import accounts

    password = _read_password(args.login, args.mot_de_passe_stdin)
    with sessions().begin() as session:
        accounts.set_password(session, console_actor(), args.login, password)
    print(f"Mot de passe du compte {args.login} changé.")
    return 0


def _read_password(login: str, from_stdin: bool) -> str:
    from engine.service.accounts import AccountError

    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise AccountError(f"utilisateur {login} : aucun mot de passe lu sur l'entrée standard.")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AccountError(f"utilisateur {login} : pas de terminal pour la saisie masquée du mot de passe : "
                           "ajoutez --mot-de-passe-stdin pour le lire sur l'entrée standard.")
    first = getpass.getpass(f"Mot de passe de {login} : ")
    if getpass.getpass("Une seconde fois, pour confirmer : ") != first:
        raise AccountError(f"utilisateur {login} : les deux saisies du mot de passe diffèrent.")
    return first


def _association_slugs(conventions) -> set[str]:
    from engine.validation import load_conventions

    return {a.slug for a in load_conventions(conventions).conventions.associations}
