"""`fsl journal [--depuis DATE] [--json]` lists the audit journal; `fsl journal verifier` checks its chain."""

from __future__ import annotations

import argparse
import json
from datetime import date

from engine.commands.service_options import sessions
from engine.errors import FslError
from engine.service import journal


def register(sub) -> None:
    parser = sub.add_parser("journal", help="journal d'audit du service : lister, vérifier la chaîne")
    parser.add_argument("--depuis", type=_day, metavar="DATE",
                        help="à partir de ce jour, par exemple 2026-12-01")
    parser.add_argument("--json", action="store_true", help="en JSON, une liste de lignes")
    parser.set_defaults(func=run_lister)
    actions = parser.add_subparsers(dest="journal_action", metavar="ACTION")
    actions.add_parser("verifier", help="recalculer la chaîne d'empreintes et nommer la première ligne "
                                        "altérée").set_defaults(func=run_verifier)


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"date « {text} » invalide : attendu AAAA-MM-JJ, "
                                         "par exemple 2026-12-01") from None


def run_lister(args: argparse.Namespace) -> int:
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
    with sessions().begin() as session:
        rows = journal.rows(session)
        broken = journal.verify(rows)
        if broken:
            r = broken.row
            raise FslError(f"journal : ligne {r.id} ({r.horodatage}, {r.action}, {r.objet}) : "
                           f"{broken.reason}. Les lignes 1 à {r.id - 1} sont intactes.")
    print(f"Journal intact : {len(rows)} ligne(s), chaîne d'empreintes vérifiée"
          + (f" jusqu'à {rows[-1].empreinte[:16]}…." if rows else "."))
    return 0



