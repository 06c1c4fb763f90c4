"""The commands behind `fsl`: each module has `register(subparsers)` that sets `func`."""

from engine.commands import (
    avenants,
    build,
    check,
    compare,
    explain,
    pack,
    points,
    reconcile,
    scdl,
    table,
    validate,
)

COMMANDS = [validate, table, build, check, avenants, pack, reconcile, points]
COMMANDS += [explain, compare, scdl]
