"""`fsl serve [--port 8062]`: the engine's pages in a browser, on this machine only (127.0.0.1)."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands.options import DEFAULT_CONVENTIONS, DEFAULT_OUTPUT
from engine.errors import FslError

HOST = "127.0.0.1"  # never another address: the pages edit the conventions and run the engine


def register(sub) -> None:
    parser = sub.add_parser("serve", help="l'interface web locale (navigateur, sur ce poste seulement)")
    parser.add_argument("--port", type=int, default=8062, metavar="PORT", help="port (défaut : 8062)")
    parser.add_argument("--conventions", type=Path, default=DEFAULT_CONVENTIONS, metavar="DOSSIER",
                        help="dossier des conventions (défaut : conventions/ du projet)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, metavar="DOSSIER",
                        help="dossier des sorties, un sous-dossier par année (défaut : output/ du projet)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise FslError(f"port {args.port} invalide : attendu un nombre de 1 à 65535")
    try:
        from werkzeug.serving import run_simple

        from engine.web.app import create_app
    except ImportError as exc:  # Flask missing from an old install
        raise FslError(f"Flask n'est pas installé ({exc.name}) : lancez « make install »") from None
    from engine.validation import load_conventions

    load_conventions(args.conventions)  # invalid data: the same message as `fsl validate`, before serving
    app = create_app(args.conventions, args.out)
    print(f"Interface FSL : ouvrez http://{HOST}:{args.port}/ dans votre navigateur "
          f"(accessible depuis ce poste seulement). Ctrl-C pour arrêter.", flush=True)
    run_simple(HOST, args.port, app, threaded=False, use_reloader=False, use_debugger=False)
    return 0
