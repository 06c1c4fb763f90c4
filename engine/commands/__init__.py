"""The commands behind `fsl`: each module has `register(subparsers)` that sets `func`."""

from engine.commands import (
    avenants,
    base,
    build,
    check,
    compare,
    explain,
    grilles,
    journal,
    pack,
    points,
    reconcile,
    regles,
    relances,
    scdl,
    serve,
    solde,
    table,
    utilisateurs,
    validate,
)

COMMANDS = [validate, table, build, check, avenants, pack, reconcile, points, relances]
COMMANDS += [grilles, solde, explain, compare, scdl, serve, regles, utilisateurs, journal, base]
