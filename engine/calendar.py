"""French deadline arithmetic: months per CPC art. 641, extension per art. 642, jours ouvrés.

Pure: every function takes its dates and its holiday calendar as arguments; nothing reads the
clock. Code de procédure civile, art. 641 : « Lorsqu'un délai est exprimé en mois [...], ce délai
expire le jour du dernier mois [...] qui porte le même quantième que le jour de l'acte [...] qui
fait courir le délai. À défaut d'un quantième identique, le délai expire le dernier jour du mois. »
Art. 642 : « Le délai qui expirerait normalement un samedi, un dimanche ou un jour férié ou chômé,
est prorogé jusqu'au premier jour ouvrable suivant. »
"""

from __future__ import annotations

import calendar as stdlib_calendar
from collections.abc import Container
from datetime import date, timedelta
from enum import Enum

import holidays as holidays_lib

HolidayCalendar = Container[date]
"""Anything that answers `day in calendar` for public holidays (a `holidays` object, a set)."""

SATURDAY = 5
MAX_WORKING_DAYS = 3660


class Counting(Enum):
    """How a rule's offset is counted from its anchor date."""

    MONTHS = "mois"  # art. 641: same day number, or the month's last day
    CALENDAR_DAYS = "jours"  # art. 641 al. 1: the anchor day does not count
    WORKING_DAYS = "jours_ouvres"  # Monday to Friday, minus public holidays
    END_OF_MONTH = "fin_de_mois"  # last day of the month `offset` months after the anchor's
    FIXED_DATE = "date_fixe"  # a fixed day and month, `offset` years after the anchor's year


def holiday_calendar(country: str, subdivision: str | None = None) -> HolidayCalendar:
    """The public holidays of `country` (ISO code), of `subdivision` when given ("6AE": Alsace).

    The `holidays` object fills in the years it is asked about, so one calendar serves any date.
    """
    return holidays_lib.country_holidays(country, subdiv=subdivision)


def days_in_month(year: int, month: int) -> int:
    return stdlib_calendar.monthrange(year, month)[1]


def end_of_month(day: date) -> date:
    return day.replace(day=days_in_month(day.year, day.month))


def first_of_next_month(day: date) -> date:
    return end_of_month(day) + timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """`day` plus `months` (negative: minus) per art. 641: same day number, else the month's end.

    31 January + 1 month = 28 (or 29) February; 31 March - 1 month = 28 (or 29) February.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def is_working_day(day: date, holidays: HolidayCalendar) -> bool:
    """Monday to Friday and not a public holiday (jour ouvré)."""
    return day.weekday() < SATURDAY and day not in holidays


def extend_to_working_day(day: date, holidays: HolidayCalendar) -> date:
    """Art. 642: a deadline falling on a Saturday, Sunday or holiday moves to the next working day."""
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int, holidays: HolidayCalendar) -> date:
    """The `count`-th working day after `day` (before it when `count` is negative); `day` not counted."""
    if abs(count) > MAX_WORKING_DAYS:
        raise ValueError(f"délai de {count} jours ouvrés hors des bornes raisonnables")
    step = timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def deadline(
    anchor: date,
    offset: int,
    counting: Counting,
    holidays: HolidayCalendar,
    *,
    extend: bool,
    fixed_day: tuple[int, int] | None = None,
) -> date:
    """The due date `offset` units after `anchor` (before it when negative), counted as `counting`.

    With `extend`, a forward deadline landing on a non-working day moves to the next working day
    (art. 642); a backward deadline ("1 mois avant la fin", "10 jours avant l'audience") is a
    latest date to act *before* an event and is never moved, whatever `extend` says.
    """
    due = _raw_deadline(anchor, offset, counting, holidays, fixed_day)
    if extend and due >= anchor:
        due = extend_to_working_day(due, holidays)
    return due


def _raw_deadline(
    anchor: date, offset: int, counting: Counting, holidays: HolidayCalendar,
    fixed_day: tuple[int, int] | None,
) -> date:
    if counting is Counting.MONTHS:
        return add_months(anchor, offset)
    if counting is Counting.CALENDAR_DAYS:
        return anchor + timedelta(days=offset)
    if counting is Counting.WORKING_DAYS:
        return add_working_days(anchor, offset, holidays)
    if counting is Counting.END_OF_MONTH:
        return end_of_month(add_months(anchor.replace(day=1), offset))
    if fixed_day is None:
        raise ValueError("un décompte « date_fixe » demande un jour et un mois")
    month, day = fixed_day
    return date(anchor.year + offset, month, day)


def months_between(start: date, end: date) -> list[tuple[int, int]]:
    """The (year, month) pairs from `start`'s month to `end`'s month, both included."""
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    return [(i // 12, i % 12 + 1) for i in range(first, last + 1)]
