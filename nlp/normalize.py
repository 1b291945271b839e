"""Text normalisation before anything else reads it: width, script, whitespace, length."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from opencc import OpenCC

_SPACES = re.compile(r"\s+")
# control characters except newline and tab; they only break terminals and logs
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


@cache
def _t2s() -> OpenCC:
    return OpenCC("t2s")


@cache
def _traditional_characters() -> frozenset[str]:
    """Characters that t2s changes; text without any of them is already simplified (fast path)."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars = set()
    for line in path.read_text("utf-8").splitlines():
        source, _, targets = line.partition("\t")
        if source and source not in targets.split():
            chars.add(source)
    return frozenset(chars)


def normalize(text: str) -> str:
    """Full-width → half-width (NFKC), traditional → simplified, controls dropped, spaces folded."""
    text = _CONTROL.sub("", unicodedata.normalize("NFKC", text))
    if not _traditional_characters().isdisjoint(text):
        text = _t2s().convert(text)
    return _SPACES.sub(" ", text).strip()


_FULL_WIDTH = {",": "，", ":": "：", "!": "！", "?": "？", ";": "；", "(": "（", ")": "）"}
_CJK_PUNCTUATION = re.compile(r"(?<=[\u4e00-\u9fff])[,:!?;)]|[,:!?;(](?=[\u4e00-\u9fff])")


def chinese_punctuation(text: str) -> str:
    """Normalised text as a person would write it again: 「路灯坏了,晚上黑」 → 「路灯坏了，晚上黑」.

    Reading works on the half-width form; what staff read (the filed facts) keeps the Chinese one.
    """
    return _CJK_PUNCTUATION.sub(lambda m: _FULL_WIDTH[m.group()], text)


def truncate(text: str, limit: int) -> tuple[str, bool]:
    """Cut text to at most `limit` characters; say whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True


def has_meaning(text: str) -> bool:
    """True when the text holds at least one letter, digit or CJK character (not only emoji/punctuation)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
