"""The commands behind `fsl`: each module has `register(subparsers)` that sets `func`."""

from engine.commands import avenants, build, check, grilles, pack, reconcile, solde, table, validate

COMMANDS = [validate, table, build, check, avenants, pack, reconcile]
COMMANDS += [grilles, solde]
