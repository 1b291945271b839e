"""Chinese numerals ↔ integers, as used in article and chapter numbers (第一百八十八条).

Covers 0–99999, which is more than any law here needs. Both directions are exact inverses on
that range (tested exhaustively).
"""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {ch: i for i, ch in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def cn_to_int(text: str) -> int:
    """Parse a Chinese numeral such as 「三十四」「一百零八」「十」 into an int.

    Raises ValueError on anything that is not a well-formed numeral.
    """
    if not text:
        raise ValueError("empty numeral")
    total = 0
    section = 0  # the part below 万
    digit: int | None = None
    for ch in text:
        if ch in _DIGIT_VALUE:
            if digit is not None and digit != 0:
                raise ValueError(f"two digits in a row in {text!r}")
            digit = _DIGIT_VALUE[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                section += digit or 0
                total += (section or 1) * unit
                section = 0
            else:
                # 「十」 alone at the start means 一十
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


def int_to_cn(number: int) -> str:
    """Write an int 0–99999 as a Chinese numeral the way laws write it: 10 → 十, 110 → 一百一十."""
    if not 0 <= number <= 99999:
        raise ValueError(f"out of range: {number}")
    if number == 0:
        return "零"
    parts: list[str] = []
    pending_zero = False
    for value, unit in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            if pending_zero:
                parts.append("零")
                pending_zero = False
            parts.append(_DIGITS[digit] + unit)
        elif parts:
            pending_zero = True
    text = "".join(parts)
    # laws write 十 to 十九 without the leading 一
    if text.startswith("一十"):
        text = text[1:]
    return text


def article_label(number: int) -> str:
    """第三十四条"""
    return f"第{int_to_cn(number)}条"
