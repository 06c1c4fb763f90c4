"""`fsl table YEAR [--out DIR] [--json]`: the financial table (XLSX and DOCX, or JSON on stdout)."""

from __future__ import annotations

import argparse
import json

from engine.commands.options import add_conventions, add_out, add_year, load, out_dir


def register(sub) -> None:
    parser = sub.add_parser("table", help="tableau financier de l'année (XLSX, DOCX ou --json)")
    add_year(parser)
    add_out(parser)
    add_conventions(parser)
    parser.add_argument("--json", action="store_true", help="écrire le tableau en JSON sur la sortie")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from engine.build import BuildOptions, table_step
    from engine.finance import build_table
    from engine.manifest import build_inputs, write_manifest
    from engine.render.output import staged
    from engine.render.table_json import table_json

    loaded = load(args)
    if args.json:
        table = build_table(loaded.conventions, args.year)
        print(json.dumps(table_json(table), ensure_ascii=False, indent=2))
        return 0
    target = out_dir(args)
    with staged(target, (f"tableau_financier_{args.year}.",)) as stage:
        written = table_step(loaded.conventions, args.year, stage, BuildOptions())
        write_manifest(stage, build_inputs(loaded.conventions, args.year), args.year)
    for path in written:
        print(f"écrit : {target / path.name}")
    return 0
