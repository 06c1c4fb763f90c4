"""`fsl relances DIR`: one reminder letter per association with missing or late documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.commands.check import add_submission_arguments, check_submissions
from engine.commands.options import DEFAULT_OUTPUT

MAIL_MERGE = "relances.csv"


def register(sub) -> None:
    parser = sub.add_parser("relances", help="lettres de relance : pièces manquantes ou en retard")
    add_submission_arguments(parser)
    parser.add_argument("--out", type=Path, default=None, metavar="DOSSIER",
                        help="dossier des lettres (défaut : output/relances/AAAA-MM-JJ)")
    parser.add_argument("--pdf", action="store_true", help="produire aussi le PDF de chaque lettre")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.checker.reminders import letters
    from engine.validation import load_conventions

    result = check_submissions(args)
    as_of = result.as_of
    conventions = load_conventions(args.conventions).conventions
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
