"""The grids' due date (engine/grilles.py: grid_due), from the rules set's BILAN-ANNUEL."""

from __future__ import annotations

from datetime import date

import pytest

from engine.errors import FslError
from engine.grilles import grid_due


def test_grid_due_is_the_first_of_february_of_the_next_year() -> None:
    assert grid_due(2026) == date(2027, 2, 1)  # a Monday: not moved


def test_grid_due_without_the_annual_grid_rule_is_a_french_error() -> None:
    with pytest.raises(FslError, match="règles « cea » : la règle BILAN-ANNUEL et son échéance"):
        grid_due(2026, "cea")  # the CEA set has no BILAN-ANNUEL rule
