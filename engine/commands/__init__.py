"""The commands behind `fsl`: each module has `register(subparsers)` that sets `func`."""

from engine.commands import (
    avenants,
    build,
    check,
    compare,
    explain,
    pack,
    reconcile,
    scdl,
    table,
    validate,
)

COMMANDS = [validate, table, build, check, avenants, pack, reconcile]
COMMANDS += [explain, compare, scdl]
