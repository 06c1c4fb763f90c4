"""`python -m engine` runs the `fsl` command line."""

import sys

from engine.cli import main

sys.exit(main())
