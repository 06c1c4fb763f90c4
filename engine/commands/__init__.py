"""The commands behind `fsl`: each module has `register(subparsers)` that sets `func`."""

from engine.commands import avenants, build, reconcile, table, validate

COMMANDS = [validate, table, build, avenants, reconcile]
