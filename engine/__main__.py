"""`python -m engine` runs the `fsl` command line."""

import sys

from engine.cli import main

code = main()
# A Ctrl-C that lands while Python evaluates a string (a dataclass being created during an import)
# sets CPython's "unhandled KeyboardInterrupt" flag even though main() handled it; under `python -m`
# the interpreter then ends by SIGINT (status -2) instead of main()'s 130. Evaluating a string
# resets that flag (Python/pythonrun.c, run_eval_code_obj).
eval("None")  # noqa: S307 - a constant, for the side effect above
sys.exit(code)
