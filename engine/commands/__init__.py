"""The commands behind `fsl`: each module has `register(subparsers)` that sets `func`."""

from engine.commands import build, table, validate

COMMANDS = [validate, table, build]
