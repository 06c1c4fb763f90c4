"""`fsl journal [--depuis DATE] [--json]` lists the journal; `verifier` checks it; `sceller` seals it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from engine.commands.service_options import console_actor, sessions
from engine.errors import FslError

TSA_VARIABLE = "FSL_HORODATAGE_URL"


def register(sub) -> None:
    parser = sub.add_parser("journal", help="journal d'audit du service : lister, vérifier la chaîne")
    parser.add_argument("--depuis", type=_day, metavar="DATE",
                        help="à partir de ce jour, par exemple 2026-12-01")
    parser.add_argument("--json", action="store_true", help="en JSON, une liste de lignes")
    parser.set_defaults(func=run_lister)
    actions = parser.add_subparsers(dest="journal_action", metavar="ACTION")
    verifier = actions.add_parser("verifier", help="recalculer la chaîne d'empreintes, vérifier les sceaux "
                                                   "et nommer la première ligne altérée")
    verifier.add_argument("--confiance", type=Path, action="append", default=[], metavar="CERT.pem",
                          help="certificat racine d'une autorité d'horodatage reconnue ; répétable "
                               "(sans lui, les sceaux sont vérifiés sans juger l'autorité)")
    verifier.set_defaults(func=run_verifier)
    sceller = actions.add_parser("sceller", help="sceller la dernière empreinte par un jeton d'horodatage "
                                                 "RFC 3161")
    sceller.add_argument("--horodatage", metavar="URL_TSA",
                         help=f"adresse de l'autorité d'horodatage (défaut : ${TSA_VARIABLE})")
    sceller.set_defaults(func=run_sceller)


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"date « {text} » invalide : attendu AAAA-MM-JJ, "
                                         "par exemple 2026-12-01") from None


def run_lister(args: argparse.Namespace) -> int:
    from engine.service import journal

    with sessions().begin() as session:
        rows = journal.rows(session, since=args.depuis)
        if args.json:
            print(json.dumps([_as_dict(r) for r in rows], ensure_ascii=False, indent=2))
            return 0
        if not rows:
            print("Journal vide." if not args.depuis else f"Aucune ligne depuis le {args.depuis}.")
        for r in rows:
            print(f"{r.id}  {r.horodatage}  {r.utilisateur}  {r.action}  {r.objet}  {r.detail}")
    return 0


def _as_dict(row) -> dict[str, object]:
    return {"id": row.id, "horodatage": row.horodatage, "utilisateur": row.utilisateur,
            "action": row.action, "objet": row.objet, "detail": _detail(row.detail),
            "empreinte_precedente": row.empreinte_precedente, "empreinte": row.empreinte}


def _detail(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text  # shown as it is stored: `verifier` says the row was altered


def run_verifier(args: argparse.Namespace) -> int:
    from engine.service import journal, sealing

    with sessions().begin() as session:
        rows = journal.rows(session)
        broken = journal.verify(rows)
        if broken:
            r = broken.row
            raise FslError(f"journal : ligne {r.id} ({r.horodatage}, {r.action}, {r.objet}) : "
                           f"{broken.reason}. Les lignes 1 à {r.id - 1} sont intactes.")
        roots = [cert for path in args.confiance for cert in sealing.load_roots(path)]
        problems = list(sealing.check(session, roots))
        for problem in problems:
            print(f"journal : sceau {problem.seal.id} (ligne {problem.seal.journal_id}, "
                  f"{problem.seal.heure}) : {problem.reason}.", file=sys.stderr)
        if problems:
            raise FslError(f"{len(problems)} sceau(x) sur {len(sealing.seals(session))} ne tiennent pas : "
                           "le journal a été réécrit après son scellement.")
        count = len(sealing.seals(session))
    print(f"Journal intact : {len(rows)} ligne(s), chaîne d'empreintes vérifiée"
          + (f" jusqu'à {rows[-1].empreinte[:16]}…" if rows else "")
          + (f", {count} sceau(x) vérifié(s)." if count else "."))
    return 0


def run_sceller(args: argparse.Namespace) -> int:
    from engine.service import sealing

    url = args.horodatage or os.environ.get(TSA_VARIABLE)
    if not url:
        raise FslError(f"aucune autorité d'horodatage : donnez --horodatage URL_TSA ou ${TSA_VARIABLE}, "
                       "par exemple --horodatage https://freetsa.org/tsr")
    with sessions().begin() as session:
        stamp = sealing.seal(session, console_actor(), timestamper(url), url)
    print(f"Ligne {stamp.journal_id} scellée par {url} à {stamp.heure} (empreinte {stamp.empreinte[:16]}…).")
    return 0


def timestamper(url: str):
    """The RFC 3161 client of pyHanko for `url` (tests replace it with its in-process authority)."""
    from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=30)



