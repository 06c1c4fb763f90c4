"""`fsl serve [--port 8062]`: the engine's pages in a browser, on this machine only (127.0.0.1)."""

from __future__ import annotations

import argparse
import errno
import logging
import socket
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
        from werkzeug.serving import make_server

        from engine.web.app import create_app
    except ImportError as exc:  # Flask missing from an old install
        raise FslError(f"Flask n'est pas installé ({exc.name}) : lancez « make install »") from None
    from engine.validation import load_conventions

    load_conventions(args.conventions)  # invalid data: the same message as `fsl validate`, before serving
    app = create_app(args.conventions, args.out)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no English line per request
    _refuse_busy(args.port)  # before werkzeug, which would print English and exit
    server = make_server(HOST, args.port, app, threaded=False)
    print(f"Interface FSL : ouvrez http://{HOST}:{args.port}/ dans votre navigateur "
          f"(accessible depuis ce poste seulement). Ctrl-C pour arrêter.", flush=True)
    try:
        server.serve_forever()  # werkzeug's returns on Ctrl-C (and on SIGTERM, made an interrupt by the CLI)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("Interface arrêtée.", flush=True)
    return 0


def _refuse_busy(port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will (TIME_WAIT)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise FslError(f"le port {port} est déjà utilisé sur {HOST} (une autre interface "
                               "ouverte ?) : choisissez-en un autre avec --port") from None
            raise
