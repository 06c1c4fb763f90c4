"""`fsl relances DIR`: one reminder letter per association with missing or late documents."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from engine.checker.ruleset import DEFAULT_RULES, load_certificate, load_ruleset
from engine.commands.options import DEFAULT_OUTPUT, add_conventions, parse_day

MAIL_MERGE = "relances.csv"


def register(sub) -> None:
    parser = sub.add_parser("relances", help="lettres de relance : pièces manquantes ou en retard")
    parser.add_argument("folder", type=Path, metavar="DOSSIER",
                        help="dossier des pièces : mesures.csv, documents.csv, evenements.csv, fichiers/")
    parser.add_argument("--as-of", type=parse_day, default=None, metavar="DATE",
                        help="date du contrôle, AAAA-MM-JJ ou JJ/MM/AAAA (défaut : aujourd'hui)")
    parser.add_argument("--out", type=Path, default=None, metavar="DOSSIER",
                        help="dossier des lettres (défaut : output/relances/AAAA-MM-JJ)")
    parser.add_argument("--pdf", action="store_true", help="produire aussi le PDF de chaque lettre")
    parser.add_argument("--regles", default=DEFAULT_RULES, metavar="NOM",
                        help="règles de conventions/regles/ ou chemin d'un fichier de règles "
                             "(défaut : pas-de-calais)")
    parser.add_argument("--confiance", type=Path, action="append", default=[], metavar="CERT.pem",
                        help="autorité de certification reconnue pour ce contrôle ; répétable")
    add_conventions(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.checker.reminders import letters
    from engine.checker.run import run_check
    from engine.validation import load_conventions

    as_of = args.as_of or date.today()  # as for fsl check: the only read of the clock
    ruleset = load_ruleset(args.regles)
    conventions = load_conventions(args.conventions).conventions
    trusted = tuple(load_certificate(path) for path in args.confiance)
    result = run_check(args.folder, as_of, ruleset, trust_roots=trusted)
    made = letters(result, {a.slug: a.name for a in conventions.associations})
    out_dir = args.out if args.out is not None else DEFAULT_OUTPUT / "relances" / as_of.isoformat()
    _refuse_inside(out_dir, args.folder)
    departement = _departement(conventions.departement)
    write_letters(made, result, departement, out_dir, args.pdf)
    count = sum(len(letter.lines) for letter in made)
    print(f"Relances au {as_of} : {len(made)} lettre(s), {count} pièce(s) manquante(s) ou en retard, "
          f"dans {out_dir}", file=sys.stderr)
    return 0


def write_letters(made, result, departement: dict, out_dir: Path, pdf: bool) -> None:
    """Every letter (DOCX, then PDF in one LibreOffice batch) and the mail-merge CSV, staged then
    moved into `out_dir` at once."""
    from engine.checker.reminders import mail_merge_csv, render_letter
    from engine.render.output import staged

    with staged(out_dir) as stage:
        paths = []
        for letter in made:
            path = stage / f"{letter.stem}.docx"
            path.write_bytes(render_letter(letter, result, departement))
            paths.append(path)
        if pdf and paths:
            from engine.render.pdf import convert_to_pdf

            convert_to_pdf(paths, stage)
        (stage / MAIL_MERGE).write_text(mail_merge_csv(made, pdf), encoding="utf-8-sig", newline="")


def _departement(dep) -> dict:
    return {"nom": dep.name, "service": dep.service, "ville": dep.city,
            "signataire": {"qualite": dep.signatory.title, "nom": dep.signatory.name}}


def _refuse_inside(out_dir: Path, folder: Path) -> None:
    """Letters are never written inside the folder being checked (INTERFACES.md)."""
    from engine.errors import FslError

    if Path(out_dir).resolve().is_relative_to(Path(folder).resolve()):
        raise FslError(f"{out_dir} : les lettres ne s'écrivent pas dans le dossier des pièces contrôlé")
