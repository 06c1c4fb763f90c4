"""`fsl solde YEAR --activite DIR [--json] [--out DIR] [--pdf] [--date DATE] [--prealable DATE]`:
the year's settlement (DOMAIN §5) and its letters (engine/decisions.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.commands.options import add_conventions, add_out, add_year, load, out_dir, parse_day


def register(sub) -> None:
    parser = sub.add_parser("solde", help="solde de l'année : réalisé, avance, solde, remboursement")
    add_year(parser)
    parser.add_argument("--activite", type=Path, required=True, metavar="DOSSIER",
                        help="dossier d'activité : mesures.csv, occupation.csv et/ou grilles remplies")
    parser.add_argument("--json", action="store_true", help="écrire le solde en JSON sur la sortie")
    parser.add_argument("--pdf", action="store_true", help="convertir aussi les lettres en PDF (LibreOffice)")
    parser.add_argument("--date", type=parse_day, default=None, metavar="DATE",
                        help="date des lettres (sinon « Arras, le » reste à compléter à la signature)")
    parser.add_argument("--prealable", type=parse_day, default=None, metavar="DATE",
                        help="date d'envoi des lettres préalables : sans elle, les décisions de "
                             "reversement restent des projets")
    add_out(parser)
    add_conventions(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.decisions import LetterDates
    from engine.render.output import staged
    from engine.settlement import Status
    from engine.solde import settle_folder, solde_step

    loaded = load(args)
    result = settle_folder(loaded.conventions, args.year, args.activite)
    for s in result.settlements:
        if s.status is Status.GRILLE_ABSENTE:
            print(f"attention : {s.association} : aucune activité {args.year} reçue (grille absente) : "
                  "mise en demeure", file=sys.stderr)
        elif not s.payment_recorded:
            print(f"attention : {s.association} : aucun versement dans paiements.csv : position sur "
                  "l'avance due, aucun reversement demandé", file=sys.stderr)
    missing = [a.slug for a in loaded.conventions.associations if not a.address]
    if missing and not args.json:
        print(f"attention : {len(missing)} lettre(s) sans adresse du siège (« adresse à compléter ») : "
              "renseignez `adresse` dans le fichier de l'association", file=sys.stderr)
    if args.json:
        print(json.dumps(result.json(), ensure_ascii=False, indent=2))
        return 0
    target = out_dir(args)
    with staged(target) as stage:
        dates = LetterDates(args.date, args.prealable)
        written = solde_step(loaded.conventions, result, stage, args.pdf, dates)
    print(f"{len(written)} fichier(s) écrits dans {target} (solde_{args.year}.xlsx, lettres)")
    return 0
