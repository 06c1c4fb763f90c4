"""Options and steps shared by several commands (conventions folder, output folder, warnings)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from engine import PROJECT_ROOT
from engine.validation import Loaded, load_conventions

DEFAULT_CONVENTIONS = PROJECT_ROOT / "conventions"
DEFAULT_OUTPUT = PROJECT_ROOT / "output"


def add_conventions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--conventions", type=Path, default=DEFAULT_CONVENTIONS, metavar="DOSSIER",
                        help="dossier des conventions (défaut : conventions/ du projet)")


def add_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", type=int, metavar="ANNEE", help="année à produire, par exemple 2026")


def add_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, metavar="DOSSIER",
                        help="dossier de sortie (défaut : output/ANNEE)")


def out_dir(args: argparse.Namespace) -> Path:
    return args.out if args.out is not None else DEFAULT_OUTPUT / str(args.year)


def load(args: argparse.Namespace, quiet: bool = False) -> Loaded:
    """Load and validate the conventions; print warnings on stderr (they never stop the run)."""
    loaded = load_conventions(args.conventions)
    if not quiet:
        for warning in loaded.warnings:
            print(f"attention : {warning}", file=sys.stderr)
    return loaded


def parse_day(text: str) -> date:
    """`AAAA-MM-JJ` or `JJ/MM/AAAA` for --as-of style options."""
    try:
        if "/" in text:
            day, month, year = text.split("/")
            return date(int(year), int(month), int(day))
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"date « {text} » invalide : attendu AAAA-MM-JJ ou JJ/MM/AAAA, par exemple 2026-11-22"
        ) from None
