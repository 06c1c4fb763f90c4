"""The checker (`fsl check`): submitted documents against deadlines, durations and signatures."""

from engine import PROJECT_ROOT

RULES_DIR = PROJECT_ROOT / "conventions" / "regles"
DEFAULT_RULES = "pas-de-calais"
"""Here, not in ruleset: the command line reads them without loading the rules' machinery."""
