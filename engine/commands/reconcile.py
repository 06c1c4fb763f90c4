"""`fsl reconcile YEAR --published FILE.csv`: a table made elsewhere against the engine's arithmetic."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import TYPE_CHECKING

from engine.commands.options import add_conventions, add_year, load

if TYPE_CHECKING:
    from engine.reconcile import Disagreement, Reconciliation


def register(sub) -> None:
    parser = sub.add_parser("reconcile", help="comparer un tableau publié (CSV) au calcul du moteur")
    add_year(parser)
    parser.add_argument("--published", required=True, metavar="FICHIER.csv",
                        help="tableau à comparer : CSV UTF-8, séparateur « ; », une ligne par ligne imprimée")
    add_conventions(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.finance import build_table
    from engine.load.published import read_published
    from engine.reconcile import reconcile

    published = read_published(args.published)
    loaded = load(args, quiet=True)
    result = reconcile(published, loaded.conventions.departement,
                       build_table(loaded.conventions, args.year))
    for item in result.disagreements:
        print(f"{published.path}:{line(item)}")
    print(summary(result))
    return 1 if result.disagreements else 0


def line(item: Disagreement) -> str:
    """`47: montant_gla: Totaux : imprimé 395 646,00, calculé 399 648,00 = 800 × 499,56 (produit)`."""
    printed = "rien" if item.blank else _shown(item, item.printed)
    return (f"{item.line}: {item.column}: {item.where} : imprimé {printed}, "
            f"calculé {_shown(item, item.computed)} = {item.how} ({item.check})")


def _shown(item: Disagreement, value: Decimal) -> str:
    from engine.money import format_count, format_number

    return format_count(int(value)) if item.is_count() else format_number(value)


def summary(result: Reconciliation) -> str:
    skipped = ", ".join(f"{count} {what}" for what, count in sorted(result.unchecked.items()))
    tail = f" ; non vérifiées : {skipped}" if skipped else ""
    if not result.disagreements:
        return f"Aucun désaccord : {result.checked} cellules vérifiées{tail}."
    return f"{len(result.disagreements)} désaccord(s) sur {result.checked} cellules vérifiées{tail}."
