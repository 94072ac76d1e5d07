"""Numbers as people type them, read into the target's own unit."""

from decimal import Decimal

import pytest
from django.utils import translation

from plans.numbers import parse_value


@pytest.mark.parametrize(
    ("typed", "unit", "value"),
    [
        ("1576", "家", "1576"),
        ("1,576", "家", "1576"),
        ("1，576家", "家", "1576"),
        (" 1576 家 ", "家", "1576"),
        ("１５７６", "家", "1576"),
        ("三百", "家", "300"),
        ("两千", "个", "2000"),
        ("2万", "人", "20000"),
        ("1.5亿", "万元", "15000"),
        ("1.2亿元", "万元", "12000"),
        ("3000万", "万元", "3000"),
        ("3000万元", "万元", "3000"),
        ("3000", "万元", "3000"),
        ("3000元", "万元", "0.3"),
        ("3000万", "亿元", "0.3"),
        ("35", "亿元", "35"),
        ("12.5%", "%", "12.5"),
        ("１２．５％", "%", "12.5"),
        ("-3.2", "%", "-3.2"),
        ("0", "件", "0"),
    ],
)
def test_typed_numbers_are_read_in_the_targets_unit(typed, unit, value):
    assert parse_value(typed, unit) == Decimal(value)


@pytest.mark.parametrize(
    ("typed", "unit", "message"),
    [
        ("", "家", "Type a number"),
        ("abc", "家", "is not a number"),
        ("一百多", "家", "approximate"),
        ("300左右", "家", "approximate"),
        ("15个", "家", "does not fit the unit"),
        ("1万万元", "万元", "magnitude twice"),
        ("5万%", "%", "percentage"),
        ("1e5", "家", "does not fit the unit"),
    ],
)
def test_what_cannot_be_read_is_refused_with_a_reason(typed, unit, message):
    with translation.override("en"), pytest.raises(ValueError, match=message):
        parse_value(typed, unit)
