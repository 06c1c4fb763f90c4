"""Options and steps shared by several commands (conventions folder, output folder, warnings)."""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from engine import PROJECT_ROOT
from engine.errors import ValidationWarning, printable
from engine.validation import Loaded, load_conventions

DEFAULT_CONVENTIONS = PROJECT_ROOT / "conventions"
DEFAULT_OUTPUT = PROJECT_ROOT / "output"
_SINGULAR = re.compile(
    r"\b(allocation|signataire|numéro|plafond|ligne|estimée|inconnu|supposé|dépassé|autre)s\b")


def add_conventions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--conventions", type=Path, default=DEFAULT_CONVENTIONS, metavar="DOSSIER",
                        help="dossier des conventions (défaut : conventions/ du projet)")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--details", action="store_true",
                       help="afficher chaque avertissement (fichier:ligne: champ: message)")
    shown.add_argument("-q", "--quiet", action="store_true", help="n'afficher aucun avertissement")


def add_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", type=int, metavar="ANNEE", help="année à produire, par exemple 2026")


def add_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, metavar="DOSSIER",
                        help="dossier de sortie (défaut : output/ANNEE)")


def out_dir(args: argparse.Namespace) -> Path:
    return args.out if args.out is not None else DEFAULT_OUTPUT / str(args.year)


def load(args: argparse.Namespace, quiet: bool = False) -> Loaded:
    """Load and validate the conventions; warnings (they never stop the run) go to stderr as one
    summary line, each of them with --details, none with --quiet."""
    loaded = load_conventions(args.conventions)
    if quiet or getattr(args, "quiet", False) or not loaded.warnings:
        return loaded
    if getattr(args, "details", False):
        for warning in loaded.warnings:
            print(printable(f"attention : {shown_warning(warning, args.conventions)}"), file=sys.stderr)
    else:
        print(printable(warnings_summary(loaded.warnings)), file=sys.stderr)
    return loaded


def warnings_summary(warnings: Sequence[ValidationWarning]) -> str:
    """« 81 avertissements : 27 allocations 2025 estimées, … — `fsl validate --details` »"""
    kinds = Counter(w.kind or "autres" for w in warnings)
    counted = ", ".join(f"{count} {kind if count > 1 else _singular(kind)}" for kind, count in kinds.items())
    noun = "avertissement" if len(warnings) == 1 else "avertissements"
    return f"{len(warnings)} {noun} : {counted} — le détail : fsl validate --details"


def _singular(kind: str) -> str:
    return _SINGULAR.sub(r"\1", kind)


def shown_warning(warning: ValidationWarning, root: Path) -> str:
    """The warning with its path relative to the conventions folder's parent
    (`conventions/associations/acarlogi.yaml:12: …`)."""
    path = Path(warning.path)
    base = Path(root).resolve().parent
    if path.resolve().is_relative_to(base):
        path = path.resolve().relative_to(base)
    return str(replace(warning, path=str(path)))


def parse_day(text: str) -> date:
    """`AAAA-MM-JJ` or `JJ/MM/AAAA` for --as-of style options."""
    from engine.checker.registry import parse_day as parse_register_day

    day = parse_register_day(text.strip())
    if day is None:
        raise argparse.ArgumentTypeError(
            f"date « {text} » invalide : attendu AAAA-MM-JJ ou JJ/MM/AAAA (années 1900 à 2199), "
            "par exemple 2026-11-22")
    return day
