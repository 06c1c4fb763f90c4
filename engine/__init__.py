"""fsl-engine : conventions FSL du Pas-de-Calais (avenants, tableau financier, contrôles)."""

from pathlib import Path

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout the package runs from (editable install): schemas, templates, conventions."""
