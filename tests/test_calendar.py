"""Deadlines per CPC art. 641/642 and jours ouvrés: golden vectors from tests/cases, then properties."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import holidays as holidays_lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.calendar import (
    Counting,
    add_months,
    add_working_days,
    deadline,
    extend_to_working_day,
    holiday_calendar,
    is_working_day,
    months_between,
)
from engine.load.yamlfile import load_yaml

CASES = load_yaml(Path(__file__).parent / "cases" / "calendrier.yaml").data["cas"]
CALENDARS = {"france": ("FR", None), "alsace-moselle": ("FR", "6AE")}


def _calendar(name: str):
    country, subdivision = CALENDARS[name]
    return holiday_calendar(country, subdivision)


@pytest.mark.parametrize("case", CASES, ids=[c["nom"] for c in CASES])
def test_golden_deadline(case: dict) -> None:
    fixed = None
    if "jour_fixe" in case:
        month, day = case["jour_fixe"].split("-")
        fixed = (int(month), int(day))
    due = deadline(
        date.fromisoformat(case["depart"]), case["delai"], Counting(case["decompte"]),
        _calendar(case["calendrier"]), extend=case["prorogation"], fixed_day=fixed,
    )
    assert due == date.fromisoformat(case["attendu"]), case["nom"]


def test_golden_vectors_cover_the_issue_list() -> None:
    names = " ".join(c["nom"] for c in CASES)
    for needle in ("bissextile", "Vendredi saint", "26 décembre", "31 janvier", "non reporté"):
        assert needle in names


def test_alsace_calendar_has_good_friday_and_saint_stephen() -> None:
    alsace, france = holiday_calendar("FR", "6AE"), holiday_calendar("FR")
    for day in (date(2026, 4, 3), date(2026, 12, 26), date(2027, 3, 26)):
        assert day in alsace and day not in france


def test_add_months_goes_backwards_to_month_end() -> None:
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -13) == date(2024, 12, 15)


def test_add_working_days_backwards_skips_weekend() -> None:
    assert add_working_days(date(2026, 3, 16), -1, holiday_calendar("FR")) == date(2026, 3, 13)


def test_add_working_days_refuses_absurd_counts() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), 10**6, holiday_calendar("FR"))


def test_fixed_date_needs_day_and_month() -> None:
    with pytest.raises(ValueError):
        deadline(date(2026, 1, 1), 1, Counting.FIXED_DATE, set(), extend=False)


def test_months_between_spans_year_end() -> None:
    assert months_between(date(2025, 11, 3), date(2026, 2, 1)) == [
        (2025, 11), (2025, 12), (2026, 1), (2026, 2)]


# --- Properties (hypothesis) -------------------------------------------------------------------

DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 11, 30))
REFERENCE = {
    name: holidays_lib.France(subdiv=subdivision, years=range(2024, 2037))
    for name, (_, subdivision) in CALENDARS.items()
}


def _is_rest_day(day: date, name: str) -> bool:
    """Independent of engine.calendar: the weekday and a holiday table built for the years."""
    return day.weekday() >= 5 or day in REFERENCE[name]


@settings(max_examples=400, deadline=None)
@given(anchor=DAYS, months=st.integers(0, 24), name=st.sampled_from(sorted(CALENDARS)),
       counting=st.sampled_from([Counting.MONTHS, Counting.END_OF_MONTH, Counting.CALENDAR_DAYS]))
def test_extended_deadline_is_never_a_rest_day(anchor, months, name, counting) -> None:
    due = deadline(anchor, months, counting, _calendar(name), extend=True)
    assert not _is_rest_day(due, name)
    raw = deadline(anchor, months, counting, _calendar(name), extend=False)
    assert raw <= due < raw + timedelta(days=6)


@settings(max_examples=300, deadline=None)
@given(anchor=DAYS, count=st.integers(1, 30), name=st.sampled_from(sorted(CALENDARS)))
def test_working_day_count_lands_on_working_day(anchor, count, name) -> None:
    due = add_working_days(anchor, count, _calendar(name))
    assert not _is_rest_day(due, name)
    span = [anchor + timedelta(days=i) for i in range(1, (due - anchor).days + 1)]
    assert sum(not _is_rest_day(d, name) for d in span) == count


@settings(max_examples=300, deadline=None)
@given(anchor=DAYS, months=st.integers(-24, 24))
def test_add_months_keeps_day_or_clamps_to_month_end(anchor, months) -> None:
    result = add_months(anchor, months)
    assert (result.year * 12 + result.month) - (anchor.year * 12 + anchor.month) == months
    assert result.day == anchor.day or (result.day < anchor.day and (result + timedelta(days=1)).day == 1)


@settings(max_examples=200, deadline=None)
@given(anchor=DAYS, months=st.integers(-12, -1), name=st.sampled_from(sorted(CALENDARS)))
def test_backward_deadline_is_never_moved(anchor, months, name) -> None:
    due = deadline(anchor, months, Counting.MONTHS, _calendar(name), extend=True)
    assert due == add_months(anchor, months)


def test_extend_is_identity_on_working_days() -> None:
    calendar = holiday_calendar("FR")
    day = date(2026, 3, 16)
    assert is_working_day(day, calendar) and extend_to_working_day(day, calendar) == day
