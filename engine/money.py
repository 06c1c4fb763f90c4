"""Money: Decimal rounded half-up to the cent, written the French way (`36 099,00 €`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

CENT = Decimal("0.01")
NBSP = "\u00a0"


def to_cent(amount: Decimal) -> Decimal:
    """Round half-up to the cent (Babel would re-round with banker's rounding: do it first)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_number(amount: Decimal) -> str:
    """`36099` → `36 099,00` with a no-break space between thousands."""
    text = format_decimal(to_cent(amount), format="#,##0.00", locale="fr_FR")
    return text.replace("\u202f", NBSP).replace(" ", NBSP)


def format_eur(amount: Decimal) -> str:
    """`36099` → `36 099,00 €` (no-break spaces, so Word never splits an amount)."""
    return f"{format_number(amount)}{NBSP}€"


def format_count(count: int) -> str:
    """`2412` → `2 412`."""
    return format_decimal(count, format="#,##0", locale="fr_FR").replace("\u202f", NBSP)


def format_percent(share: Decimal, decimals: int = 0) -> str:
    """`0.70` → `70 %`, `0.6628` with 2 decimals → `66,28 %` (no-break spaces)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(share * 100, format=pattern, locale="fr_FR").replace("\u202f", NBSP) + f"{NBSP}%"


def json_amount(amount: Decimal) -> str:
    """The JSON contract's decimal string: two decimals, never a float."""
    return f"{to_cent(amount):.2f}"
