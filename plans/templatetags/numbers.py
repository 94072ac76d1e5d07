"""Numbers in templates, written by plans.numbers like everywhere else."""

from django import template

from plans import numbers

register = template.Library()


@register.filter
def plain(value) -> str:
    """A number as a bureau writes it: 15000, 1.8, 12.5 (no exponent, no trailing zeros)."""
    return numbers.plain(value)


@register.filter
def percent(value) -> str:
    """A share (0.483) as a percentage (48%)."""
    return numbers.percent(value)
