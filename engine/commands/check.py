"""`fsl check DIR`: submitted documents against the deadlines and signatures of a rules set."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from engine.checker import DEFAULT_RULES, RULES_DIR
from engine.commands.options import DEFAULT_CONVENTIONS, parse_day
from engine.errors import FslError, OutputError, one_line

SEVERITY_FR = {"error": "ERREUR", "warning": "attention"}

if TYPE_CHECKING:
    from engine.checker.registry import Reference
    from engine.checker.run import CheckResult
    from engine.rules import RuleSet


def register(sub) -> None:
    parser = sub.add_parser("check", help="contrôler les pièces reçues (échéances, signatures)")
    add_submission_arguments(parser)
    parser.add_argument("--json", action="store_true", help="écrire les constats en JSON sur la sortie")
    parser.add_argument("--html", type=Path, metavar="FICHIER", help="écrire le rapport HTML")
    parser.add_argument("--xlsx", type=Path, metavar="FICHIER", help="écrire le tableau XLSX des constats")
    parser.set_defaults(func=run)


def add_submission_arguments(parser: argparse.ArgumentParser) -> None:
    """What `fsl check` and `fsl relances` both read: the folder, the date, the rules, the trust."""
    parser.add_argument("folder", type=Path, metavar="DOSSIER",
                        help="dossier des pièces : mesures.csv, documents.csv, evenements.csv, fichiers/")
    parser.add_argument("--as-of", type=parse_day, default=None, metavar="DATE",
                        help="date du contrôle, AAAA-MM-JJ ou JJ/MM/AAAA (défaut : aujourd'hui)")
    parser.add_argument("--regles", default=DEFAULT_RULES, metavar="NOM",
                        help="règles de conventions/regles/ (défaut : pas-de-calais ; cea pour l'Alsace), "
                             "ou le chemin d'un fichier de règles .yaml")
    parser.add_argument("--confiance", type=Path, action="append", default=[], metavar="CERT.pem",
                        help="autorité de certification reconnue pour ce contrôle (PEM ou DER), "
                             "en plus des certificats_confiance des règles ; répétable")
    parser.add_argument("--conventions", type=Path, default=DEFAULT_CONVENTIONS, metavar="DOSSIER",
                        help="conventions dont les associations et territoires sont attendus "
                             "(défaut : conventions/ du projet)")


def run(args: argparse.Namespace) -> int:
    from engine.checker.report import result_json, write_atomically
    from engine.checker.report_html import write_html
    from engine.checker.report_xlsx import write_xlsx

    _check_targets(args)
    result = check_submissions(args, progress=_progress())
    if args.html:
        write_atomically(args.html, lambda path: write_html(result, path))
    if args.xlsx:
        write_atomically(args.xlsx, lambda path: write_xlsx(result, path))
    if args.json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
    else:
        _print_text(result)
    return 1 if result.errors else 0


def check_submissions(args: argparse.Namespace, progress=None) -> CheckResult:
    """The check `fsl check` and `fsl relances` share (one engine, two views): the rules, the
    trusted authorities, the register cross-checked against the conventions, then `run_check`."""
    from engine.checker.ruleset import load_certificate, load_ruleset
    from engine.checker.run import run_check

    as_of = args.as_of or date.today()  # the only place the checker reads the clock
    ruleset = load_ruleset(args.regles)
    trusted = tuple(load_certificate(path) for path in args.confiance)
    return run_check(args.folder, as_of, ruleset, trust_roots=trusted, progress=progress,
                     reference=conventions_reference(args.conventions, ruleset))


def conventions_reference(root: Path, ruleset: RuleSet) -> Reference | None:
    """The associations and territories of the conventions, when they load and are those of the
    rules set's Département (the Alsace rules check another Département's register)."""
    from engine.checker.convention_measures import held_measures
    from engine.checker.registry import Reference
    from engine.validation import load_conventions

    try:
        conventions = load_conventions(root).conventions
    except FslError:
        print(f"attention : conventions de {root} illisibles : associations et territoires du "
              "registre non vérifiés", file=sys.stderr)
        return None
    departement = conventions.departement
    if departement.name not in ruleset.territory:
        return None
    places = (*departement.territories, *departement.arrondissements)
    return Reference(frozenset(a.slug for a in conventions.associations), frozenset(p.id for p in places),
                     held_measures(conventions))


def _check_targets(args: argparse.Namespace) -> None:
    """Refuse a report target that could destroy something, before any work (exit 3)."""
    from engine.checker.report_target import check_report_target
    from engine.checker.ruleset import is_path

    rules = Path(args.regles) if is_path(args.regles) else RULES_DIR / f"{args.regles}.yaml"
    inputs = [rules, *(getattr(args, "confiance", None) or ())]
    targets = [t for t in (args.html, args.xlsx) if t is not None]
    for target in targets:
        check_report_target(target, args.folder, inputs)
    if len(targets) == 2 and targets[0].resolve() == targets[1].resolve():
        raise OutputError("--html et --xlsx désignent le même fichier", targets[0])


def _print_text(result: CheckResult) -> None:
    for f in result.findings:
        where = " ".join(filter(None, [f.association, f.mesure_id, f.document_id]))
        print(f"{SEVERITY_FR[f.severity.value]} {f.rule} {one_line(where)} : {one_line(f.message)}")
    print(f"Contrôle au {result.as_of} ({result.ruleset.name}) : {result.measures} mesure(s), "
          f"{result.documents} pièce(s), {result.errors} erreur(s), {result.warnings} avertissement(s).")


def _progress():
    """A progress line on a terminal while the files are read; nothing when piped."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console

    console = Console(stderr=True)

    def show(done: int, total: int) -> None:
        console.print(f"Lecture des fichiers : {done}/{total}", end="\r", highlight=False)
        if done == total:
            console.print()

    return show
