"""Numbers as plans write them: Arabic, Chinese (两, 十五, 一亿五千万) and OCR-mangled Arabic.

This module is the one place the importer converts numerals. Chinese numerals go through
cn2an, a maintained converter that knows the place-value grammar (一亿五千万 is 150,000,000,
一千零五 is 1,005); its errors are turned into ``None`` so a malformed numeral is simply not a
number. Digit-by-digit numerals (二〇二四, as years are written) are read digit by digit.
"""

from __future__ import annotations

import re

import cn2an

CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(CHINESE_MULTIPLIERS)
# No numeral in a plan is longer; a longer run is not read at all (and costs nothing to refuse).
MAX_NUMERAL_CHARS = 16

# OCR confuses 1 with I/l and 0 with O; only whole tokens of such look-alikes are read as digits.
_OCR_DIGITS = str.maketrans({"I": "1", "l": "1", "O": "0", "o": "0"})
_ARABIC = re.compile(r"\d{1,15}(?:,\d{3}){0,5}(?:\.\d{1,8})?")

Number = int | float


def chinese_to_int(token: str) -> int | None:
    """Convert a Chinese numeral (十五 → 15, 一亿五千万 → 150000000, 二〇二四 → 2024); None if malformed."""
    if not token or len(token) > MAX_NUMERAL_CHARS or any(c not in CHINESE_NUMERAL_CHARS for c in token):
        return None
    if not any(char in CHINESE_MULTIPLIERS for char in token):
        # Digit by digit, as years are written (二〇二四).
        return int("".join(str(CHINESE_DIGITS[char]) for char in token))
    try:
        value = cn2an.cn2an(token.replace("〇", "零"), "normal")
    except (ValueError, KeyError, IndexError, TypeError):  # how cn2an refuses a malformed numeral
        return None
    return int(value) if float(value).is_integer() else None


def parse_number(token: str) -> Number | None:
    """Read an Arabic, OCR-mangled or Chinese number; integers stay ``int`` so JSON shows 310, not 310.0."""
    token = token.strip()
    if not token or len(token) > 32:
        return None
    if _ARABIC.fullmatch(token):
        return _tidy(float(token.replace(",", "")))
    if token[0] in CHINESE_NUMERAL_CHARS:
        return chinese_to_int(token)
    digits = token.translate(_OCR_DIGITS)
    if digits.isdigit():
        return int(digits)
    return None


def _tidy(value: float) -> Number:
    """Return integral floats written with a decimal point (1.0) as int, others unchanged."""
    return int(value) if value.is_integer() else value
