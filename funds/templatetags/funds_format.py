"""How the campaign pages show numbers: floor areas grouped like money ("20,062.00 m²" next to
"¥300,930.00"), in both languages. Django's Chinese locale groups nothing (its thousand
separator is empty), so ``floatformat:"2g"`` read "20062.00" there while money read "¥300,930.00"."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

FEN = Decimal("0.01")


@register.filter
def area(value) -> str:
    """An area in m² to two places, grouped by thousands: 20062 → "20,062.00"; "" when missing."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return ""
    return f"{number:,.2f}"


@register.filter
def count(value) -> str:
    """A count (owners, units) grouped by thousands like the areas and money: 1234 → "1,234"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    return f"{int(number):,}" if number == number.to_integral_value() else f"{number:,}"
