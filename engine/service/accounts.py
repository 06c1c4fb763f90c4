"""Accounts: add, list, deactivate, change a password; each change one row of the journal.

Passwords are hashed with argon2 (argon2-cffi) and must have at least 12 characters and not be
in `mots_de_passe_courants.txt`. The roles are those of issue 19; what each may do comes later.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.errors import FslError
from engine.service import journal
from engine.service.journal import timestamp
from engine.service.models import User
from engine.service.roles import Role

MIN_LENGTH = 12
COMMON_PASSWORDS = Path(__file__).resolve().parent / "mots_de_passe_courants.txt"
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AccountError(FslError):
    """An account request is refused: a French sentence, exit 1."""


@dataclass(frozen=True)
class Actor:
    """Who does the action, as the journal names them (`console:jdupont` from the command line)."""

    name: str
    at: datetime


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, login: str) -> str | None:
    """Why `password` is refused, as a French sentence, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return (f"mot de passe trop court ({len(password)} caractères) : il en faut au moins {MIN_LENGTH}, "
                "par exemple une phrase de plusieurs mots")
    if login.lower() in password.lower():
        return "mot de passe refusé : il contient l'identifiant du compte"
    if password.lower() in _common_passwords():
        return "mot de passe trop courant (il figure dans la liste des mots de passe les plus utilisés) : " \
               "choisissez-en un autre, par exemple une phrase de plusieurs mots"
    return None


def _checked_password(password: str, login: str) -> str:
    problem = password_problem(password, login)
    if problem:
        raise AccountError(f"utilisateur {login} : {problem}.")
    return PasswordHasher().hash(password)


def add(session: Session, actor: Actor, login: str, role: Role, password: str, *,
        name: str | None = None, association: str | None = None,
        known_associations: Collection[str] = ()) -> User:
    """Create the account `login`; refused when the login is taken or malformed, or the password weak."""
    _check_login(login)
    _check_association(login, role, association, known_associations)
    if session.scalars(select(User).where(User.identifiant == login)).first():
        raise AccountError(f"utilisateur {login} : cet identifiant existe déjà "
                           "(« fsl utilisateurs lister » pour voir les comptes).")
    user = User(identifiant=login, nom=name, role=role.value, association=association,
                mot_de_passe=_checked_password(password, login), actif=True, cree_le=timestamp(actor.at))
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise AccountError(f"utilisateur {login} : cet identifiant existe déjà.") from None
    detail = {"role": role.value, "association": association, "nom_renseigne": name is not None}
    journal.append(session, at=actor.at, user=actor.name, action="utilisateur.ajout",
                   target=login, detail=detail)
    return user


def _check_login(login: str) -> None:
    if not _LOGIN.match(login):
        raise AccountError(f"identifiant « {login} » invalide : attendu 2 à 64 caractères parmi les "
                           "minuscules, chiffres, point, tiret et souligné, par exemple jdupont.")


def _check_association(login: str, role: Role, association: str | None, known: Collection[str]) -> None:
    if role is Role.ASSOCIATION and not association:
        raise AccountError(f"utilisateur {login} : le rôle association demande --association SLUG, "
                           "par exemple --association acarlogi.")
    if role is not Role.ASSOCIATION and association:
        raise AccountError(f"utilisateur {login} : --association ne va qu'avec le rôle association "
                           f"(rôle demandé : {role.value}).")
    if association and association not in known:
        raise AccountError(f"utilisateur {login} : association « {association} » inconnue des "
                           "conventions (attendu le slug d'un fichier de conventions/associations, "
                           "par exemple acarlogi).")


def listed(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.identifiant)))


def find(session: Session, login: str) -> User:
    user = session.scalars(select(User).where(User.identifiant == login)).first()
    if user is None:
        raise AccountError(f"utilisateur {login} : compte inconnu (« fsl utilisateurs lister » pour voir "
                           "les comptes).")
    return user


def deactivate(session: Session, actor: Actor, login: str) -> User:
    """Deactivate `login` (never deleted: the journal keeps naming it)."""
    user = find(session, login)
    if not user.actif:
        raise AccountError(f"utilisateur {login} : ce compte est déjà désactivé.")
    user.actif = False
    journal.append(session, at=actor.at, user=actor.name, action="utilisateur.desactivation",
                   target=login, detail={"actif": {"avant": True, "apres": False}})
    return user


def set_password(session: Session, actor: Actor, login: str, password: str) -> User:
    user = find(session, login)
    user.mot_de_passe = _checked_password(password, login)
    journal.append(session, at=actor.at, user=actor.name, action="utilisateur.mot_de_passe",
                   target=login, detail={"mot_de_passe": "changé"})
    return user


def password_matches(user: User, password: str) -> bool:
    """True when `password` is the account's (for the login page to come)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return PasswordHasher().verify(user.mot_de_passe, password)
    except (VerificationError, InvalidHashError):
        return False
