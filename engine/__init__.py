"""fsl-engine : conventions FSL du Pas-de-Calais (avenants, tableau financier, contrôles)."""

import warnings
from pathlib import Path

# pyHanko imports cryptography's DSA classes, which print « CryptographyDeprecationWarning: DSA is
# deprecated » on every `fsl check`: no Python warning reaches a user's terminal (it is about the
# library's own import, not about a file being checked).
warnings.filterwarnings("ignore", message=r"DSA is deprecated", module=r"pyhanko(\.|$)")

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout the package runs from (editable install): schemas, templates, conventions."""
