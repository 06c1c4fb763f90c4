"""argparse in French: usage, help and error texts, and exit status 2 on a badly written command.

argparse looks its texts up through the module-level `argparse._` (gettext) at the moment it
needs them; the parser swaps in a French lookup only while one of its own methods runs, so no
global state outlives a call.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments positionnels",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "afficher ce message d'aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires absents : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "expected one argument": "une valeur est attendue après cette option",
    "expected at most one argument": "au plus une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected %s argument": "%s valeur(s) attendue(s)",
    "expected %s arguments": "%s valeurs attendues",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "choix « %(value)s » invalide (possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur %r ignorée",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "%r is not callable": "%r n'est pas une fonction",
}
TYPE_NAMES = {"int": "un nombre entier, par exemple 2026", "float": "un nombre",
              "Path": "un chemin de fichier ou de dossier"}


def _french(text: str) -> str:
    return FRENCH.get(text, text)


@contextmanager
def _in_french() -> Iterator[None]:
    module = vars(argparse)  # argparse's gettext alias `_` is private: typeshed does not declare it
    previous = module["_"]
    module["_"] = _french
    try:
        yield
    finally:
        module["_"] = previous


class FrenchArgumentParser(argparse.ArgumentParser):
    """An `ArgumentParser` whose every text is French; its subparsers are French too."""

    def __init__(self, *args, **kwargs) -> None:
        with _in_french():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        with _in_french():
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, args=None, namespace=None):
        with _in_french():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _in_french():
            return super().format_usage()

    def format_help(self) -> str:
        with _in_french():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with _in_french():
            super().error(message)

    def _get_value(self, action: argparse.Action, arg_string: str):
        """The typed value; a type that fails without a French message gets one here."""
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as exc:
            convert = self._registry_get("type", action.type, action.type)
            if isinstance(exc.__context__, argparse.ArgumentTypeError):
                raise
            name = TYPE_NAMES.get(getattr(convert, "__name__", ""), "une autre valeur")
            raise argparse.ArgumentError(
                action, f"valeur « {arg_string} » invalide : attendu {name}") from None
