"""Money is rounded half-up before Babel formats it (Babel alone rounds half-even)."""

from decimal import Decimal

from engine.money import format_count, format_eur, json_amount, to_cent


def test_half_up_not_bankers_rounding() -> None:
    assert to_cent(Decimal("0.125")) == Decimal("0.13")
    assert format_eur(Decimal("0.125")) == "0,13\u00a0€"


def test_french_format_with_no_break_spaces() -> None:
    assert format_eur(Decimal("36099")) == "36\u00a0099,00\u00a0€"
    assert format_eur(Decimal("4139361.8")).replace("\u00a0", " ") == "4 139 361,80 €"
    assert format_count(2412).replace("\u00a0", " ") == "2 412"


def test_json_amount_is_a_two_decimal_string() -> None:
    assert json_amount(Decimal("52473.6")) == "52473.60"
    assert json_amount(Decimal("0")) == "0.00"
