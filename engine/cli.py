"""The `fsl` command line: parse, call one command, print. Errors are printed once, in French.

Exit status (INTERFACES.md): 0 success, 1 invalid input or findings, 2 usage error, 3 the run
could not complete. Whatever happens, no traceback reaches the screen: an unexpected error is a
French sentence and the path of a log file holding the traceback (shown too with FSL_DEBUG=1).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from engine.commands import COMMANDS
from engine.errors import (
    EXIT_INCOMPLETE,
    EXIT_INVALID,
    FslError,
    InputErrors,
    os_reason,
    printable,
    quoted_path,
)
from engine.french_argparse import FrenchArgumentParser

INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="fsl",
        description="Conventions FSL du Pas-de-Calais : validation, tableau financier, "
        "avenants, dossier de commission, contrôle des pièces reçues.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", required=True)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `fsl` console script; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a badly written command (2)
        return exc.code if isinstance(exc.code, int) else EXIT_INVALID
    with _terminate_as_interrupt():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args) or 0)
    except InputErrors as exc:
        for error in exc.errors:
            _say(str(error))
        _say(f"{len(exc.errors)} erreur(s) : rien n'a été écrit.")
        return EXIT_INVALID
    except FslError as exc:
        _say(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        _say("Interrompu : le dossier de sortie est resté tel qu'il était.")
        return INTERRUPTED
    except OSError as exc:
        _say(os_error_sentence(exc))
        return EXIT_INCOMPLETE
    except Exception as exc:  # noqa: BLE001 - the last resort: a sentence and a log, never a traceback
        _say(_internal_error(exc))
        return EXIT_INCOMPLETE


def _say(text: str) -> None:
    print(printable(text), file=sys.stderr)


def relative_path(path: str | Path) -> str:
    """`path` relative to the current folder when it lies inside it, else unchanged."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def os_error_sentence(exc: OSError) -> str:
    """« output/2026/pack : permission refusée : la commande n'a pas pu aboutir. »"""
    reason = os_reason(exc)
    where = " → ".join(quoted_path(relative_path(p)) for p in (exc.filename, exc.filename2) if p)
    return f"{where or 'fichier'} : {reason} : la commande n'a pas pu aboutir (rien n'a été remplacé)."


def log_folder() -> Path:
    return Path(os.environ.get("FSL_LOG_DIR") or Path(tempfile.gettempdir()) / "fsl-engine")


def _internal_error(exc: BaseException) -> str:
    """Write the traceback to a log file; return the sentence that names it."""
    trace = "".join(traceback.format_exception(exc))
    if os.environ.get("FSL_DEBUG") == "1":
        print(trace, file=sys.stderr)
    sentence = f"Erreur interne inattendue ({type(exc).__name__}) : la commande n'a pas pu aboutir."
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"fsl-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
        log.write_text(f"fsl {' '.join(sys.argv[1:])}\n{trace}", encoding="utf-8")
    except OSError:
        return f"{sentence} Relancez avec FSL_DEBUG=1 pour voir le détail."
    return f"{sentence} Détail dans {log} (à joindre à un signalement)."


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM cleans up like Ctrl-C (staging folder, LibreOffice), in the main thread only."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
