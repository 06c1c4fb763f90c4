"""`fsl scdl YEAR [--out DIR]`: the SCDL « subventions » open-data file of the year."""

from __future__ import annotations

import argparse
import sys

from engine.commands.options import add_conventions, add_out, add_year, load, out_dir


def register(sub) -> None:
    parser = sub.add_parser("scdl", help="données essentielles des subventions (SCDL, open data)")
    add_year(parser)
    add_out(parser)
    add_conventions(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.errors import printable
    from engine.render.output import staged
    from engine.render.scdl_csv import ScdlRefused, scdl_file

    loaded = load(args, quiet=True)
    try:
        published = scdl_file(loaded.conventions, args.year)
    except ScdlRefused as refused:
        for error in refused.errors:
            print(printable(str(error)), file=sys.stderr)
        print(f"{refused.summary()} : rien n'a été écrit.", file=sys.stderr)
        return 1
    for warning in published.warnings:
        print(f"attention : {warning}", file=sys.stderr)
    target = out_dir(args)
    with staged(target) as stage:
        (stage / published.name).write_bytes(published.data)
    print(f"écrit : {target / published.name} ({published.rows} lignes ; Validata "
          f"{published.verdict.version} : 0 erreur contre le schéma SCDL {published.schema})")
    return 0
