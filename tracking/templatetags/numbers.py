from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain(value) -> str:
    """A number as a bureau writes it: 15000, 1.8, 12.5 (no exponent, no trailing zeros)."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@register.filter
def percent(value) -> str:
    """A share (0.483) as a percentage (48%)."""
    if value is None:
        return ""
    return f"{float(value) * 100:.0f}%"
