"""Template filters for the exact numbers the core returns (fractions as text)."""

from __future__ import annotations

from fractions import Fraction

from django import template
from django.utils.formats import number_format

register = template.Library()


def _value(text: object) -> Fraction | None:
    try:
        return Fraction(str(text))
    except (ValueError, ZeroDivisionError):
        return None


@register.filter
def decimal(text: object, places: int = 2) -> str:
    """``"9/4"`` as ``2.25`` (localised); whole numbers without decimals."""
    value = _value(text)
    if value is None:
        return str(text)
    if value.denominator == 1:
        return number_format(value.numerator)
    return number_format(round(float(value), places), decimal_pos=places)


@register.filter
def percent(text: object) -> str:
    """A share ``"9/13"`` as ``69%``."""
    value = _value(text)
    if value is None:
        return str(text)
    return f"{number_format(round(float(value) * 100))}%"
