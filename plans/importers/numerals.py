"""Numbers as plans write them: Arabic, Chinese (两, 十五, 一百二十) and OCR-mangled Arabic."""

from __future__ import annotations

import re

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

# OCR confuses 1 with I/l and 0 with O; only whole tokens of such look-alikes are read as digits.
_OCR_DIGITS = str.maketrans({"I": "1", "l": "1", "O": "0", "o": "0"})
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")

Number = int | float


def chinese_to_int(token: str) -> int | None:
    """Convert a Chinese numeral (十五 → 15, 一百二十 → 120, 两 → 2, 二〇二四 → 2024); None if malformed."""
    if not token or any(char not in CHINESE_NUMERAL_CHARS for char in token):
        return None
    if not any(char in CHINESE_MULTIPLIERS for char in token):
        # Digit by digit, as years are written (二〇二四).
        return int("".join(str(CHINESE_DIGITS[char]) for char in token))
    total, section, digit = 0, 0, None
    for char in token:
        if char in "零〇":
            continue  # a placeholder for an empty place (一千零五)
        if char in CHINESE_DIGITS:
            if digit is not None:
                return None  # two digits in a row without a multiplier (一二十) is not a number
            digit = CHINESE_DIGITS[char]
            continue
        multiplier = CHINESE_MULTIPLIERS[char]
        if multiplier >= 10_000:
            total = ((total + section + (digit or 0)) or 1) * multiplier
            section = 0
        else:
            # A bare multiplier means one of it: 十五 is 15, not 5.
            section += (1 if digit is None else digit) * multiplier
        digit = None
    return total + section + (digit or 0)


def parse_number(token: str) -> Number | None:
    """Read an Arabic, OCR-mangled or Chinese number; integers stay ``int`` so JSON shows 310, not 310.0."""
    token = token.strip()
    if not token:
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
