"""Numbers as bureaus write them, read and written in one place.

Writing: `plain` (310.0000 → 310), `percent` (0.483 → 48%), `points` (0.18 → 18个百分点),
`short` (a figure for a chart: fewer decimals as it grows). Every page, export and document
formats numbers with these.

Reading: `parse_value`, numbers as people type them into a report: 1,576 / 1576家 / 1.5亿 /
１２．５％ / 三百. The value is returned in the indicator's own unit: 1.5亿 typed against a
target kept in 万元 is 15000. Anything else is refused with a message that says how to write it.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .importers.numerals import chinese_to_int

APPROXIMATE = "多余约近左"
MAGNITUDES = {"": Decimal(1), "千": Decimal(1000), "万": Decimal(10**4), "亿": Decimal(10**8)}
_NUMBER = re.compile(
    r"^(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)|[零〇一二两三四五六七八九十百千]+)"
    r"(?P<magnitude>千|万|亿)?(?P<rest>.*)$"
)


def unit_magnitude(unit: str) -> tuple[Decimal, str]:
    """万元 → (10000, 元): the magnitude a unit carries and the word it counts."""
    if len(unit) > 1 and unit[0] in MAGNITUDES and unit[0]:
        return MAGNITUDES[unit[0]], unit[1:]
    return Decimal(1), unit


def parse_value(text: str, unit: str = "") -> Decimal:
    """The number typed in `text`, in `unit`; raises ValueError with a message for the user."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    cleaned = re.sub(r"(?<=\d)[,，](?=\d{3})", "", cleaned).replace(" ", "").replace("．", ".")
    if not cleaned:
        raise ValueError(_("Type a number."))
    match = _NUMBER.match(cleaned)
    if match is None:
        raise ValueError(_("“%(text)s” is not a number. Write it like 1576, 12.5 or 1.5亿.") % {"text": text})
    number_text, magnitude, rest = match["number"], match["magnitude"] or "", match["rest"]
    if number_text[0].isdigit() or number_text[0] in "+-.":
        try:
            number = Decimal(number_text)
        except InvalidOperation as exc:
            raise ValueError(_("“%(text)s” is not a number.") % {"text": text}) from exc
    else:
        converted = chinese_to_int(number_text)
        if converted is None:
            raise ValueError(_("“%(text)s” is not a number.") % {"text": text})
        number = Decimal(converted)
    unit_scale, unit_word = unit_magnitude(unit)
    if rest and rest[0] in APPROXIMATE:
        raise ValueError(_("“%(text)s” is approximate. Write the exact figure, like 1576.") % {"text": text})
    if rest not in {"", unit, unit_word}:
        raise ValueError(
            _("“%(text)s” does not fit the unit %(unit)s. Write the number only, like 1576 or 1.5亿.")
            % {"text": text, "unit": unit or "—"}
        )
    if not magnitude:
        # a bare number, or one with the unit written out, is in the indicator's unit;
        # 3000元 against a target in 万元 is 0.3
        scale = unit_scale if (rest == unit_word and unit_word != unit) else Decimal(1)
        return _tidy(number / scale)
    if rest == unit and unit_scale != 1:
        raise ValueError(_("“%(text)s” names the magnitude twice.") % {"text": text})
    if unit == "%":
        raise ValueError(_("A percentage has no 万 or 亿: “%(text)s”.") % {"text": text})
    return _tidy(number * MAGNITUDES[magnitude] / unit_scale)


def _tidy(value: Decimal) -> Decimal:
    """Drop a trailing exponent or zeros so that 15000 stays 15000, not 1.5E+4."""
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral() else normalized


# --- writing ----------------------------------------------------------------------------------


def plain(number, unit: str = "", empty: str = "") -> str:
    """A number as a bureau writes it: 310.0000 → 310, 1.8000 → 1.8, no exponent; with its unit."""
    if number is None or number == "":
        return empty
    if isinstance(number, bool) or not isinstance(number, Decimal | int | float):
        return f"{number}{unit}"  # not a number (a text beside figures in a table): as it is
    if not isinstance(number, Decimal):
        number = Decimal(str(number))
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}{unit}"


def percent(share, empty: str = "") -> str:
    """A share (0.483) as a whole percentage (48%)."""
    return empty if share is None or share == "" else f"{float(share) * 100:.0f}%"


def points(gap, empty: str = "—") -> str:
    """How far behind expected progress: 0.18 → 18个百分点."""
    return empty if gap is None else f"{float(gap) * 100:.0f}个百分点"


def short(number) -> str:
    """A figure for a chart or a table: 1.6, 0.17, 45, 540 (fewer decimals as it grows)."""
    if number is None:
        return ""
    value = Decimal(str(number))
    places = 2 if abs(value) < 10 else 1 if abs(value) < 100 else 0
    rounded = round(value, places)
    return plain(rounded) if rounded else "0"
