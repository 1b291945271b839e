"""Citizens' wording → plain wording, before retrieval and intent read it.

Two steps, both from knowledge/data/colloquial.toml and the domain lexicon:

- `Rewriter`: dialect and colloquial forms (俺→我, 咋→怎么, 晓得→知道) and known typos (复合→复核),
  replaced whole, longest first, in one pass (a replacement is never rewritten again).
- `Homophones`: typos that a pinyin input method produces — the right syllables, the wrong
  characters (付查→复查, 信仿→信访, 授理→受理). Only characters that the segmenter could not
  place in a known word are candidates, so real words (交付, 上方) are left alone; a candidate is
  replaced when its toneless pinyin (with the fuzzy pairs input methods offer: zh/z, l/n, -ng/-n)
  is that of exactly one domain term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from knowledge import Colloquial
from knowledge.numerals import cn_to_int

from .segment import Segmenter

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
MAX_TERM = 4
RARE = 10  # a "word" the dictionary has seen fewer times than this may well be a typo
# fuzzy pinyin, as input methods offer it for southern accents: zh/z, ch/c, sh/s, -ng/-n (not l/n:
# it turns too many ordinary syllables into each other)
_FUZZY = ((re.compile(r"^([zcs])h"), r"\1"), (re.compile(r"([aei])ng$"), r"\1n"))
# 「六十天」「五人」: Chinese numerals before a unit become digits, as the law writes them (60日, 5人)
_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百]+(?=个?(?:工作日|日|天|月|年|人|户|名|岁|次|倍|周|星期))")


# words that end in a character the [final] table reads as a particle: 「改革的步伐」 stays
_ENDS_LIKE_A_PARTICLE = frozenset({"步伐", "砍伐", "讨伐", "征伐", "北伐", "采伐", "杀伐", "攻伐"})


class Rewriter:
    """Dialect, colloquial forms and listed typos → plain Mandarin, in one pass."""

    def __init__(self, colloquial: Colloquial) -> None:
        self._plain = dict(colloquial.typos)
        self._plain.update(colloquial.dialect)
        keys = sorted(self._plain, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
        # a particle only at the end of a sentence: 「有用伐？」 asks, 「步伐」 does not
        self._final = dict(colloquial.final)
        finals = sorted(self._final, key=len, reverse=True)
        self._final_pattern = (
            re.compile(f"({'|'.join(map(re.escape, finals))})(?=[?？!！。.,，;；~～\\s]|$)") if finals else None
        )

    def __call__(self, text: str) -> str:
        if self._final_pattern is not None:
            text = self._final_pattern.sub(self._particle, text)
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._plain[m.group(0)], text)

    def _particle(self, match: re.Match[str]) -> str:
        start = match.start()
        if match.string[max(0, start - 1) : match.end()] in _ENDS_LIKE_A_PARTICLE:
            return match.group(0)
        return self._final[match.group(1)]


@cache
def _syllable(char: str) -> str | None:
    """The toneless pinyin of a character's most common reading (None for non-Chinese)."""
    from pypinyin.pinyin_dict import pinyin_dict

    reading = pinyin_dict.get(ord(char))
    if not reading:
        return None
    first = reading.split(",", 1)[0]
    syllable = "".join(ch for ch in unicodedata.normalize("NFD", first) if not unicodedata.combining(ch))
    for pattern, replacement in _FUZZY:
        syllable = pattern.sub(replacement, syllable)
    return syllable


def sound(word: str) -> tuple[str, ...] | None:
    """Toneless, accent-tolerant pinyin of a word; None when a character has none."""
    syllables = tuple(_syllable(ch) for ch in word)
    return None if None in syllables else syllables  # type: ignore[return-value]


def digits(text: str) -> str:
    """「六十天」→「60天」, 「五个人」→「5个人」: numbers as the law writes them."""

    def convert(match: re.Match[str]) -> str:
        try:
            return str(cn_to_int(match.group(0).replace("两", "二")))
        except ValueError:
            return match.group(0)

    return _NUMERAL.sub(convert, text)


class Homophones:
    """Finds domain terms typed with the wrong characters of the same sound."""

    def __init__(self, terms: Iterable[str], segmenter: Segmenter, preferred: Iterable[str] = ()) -> None:
        """`terms`: every word a question may mean; `preferred`: the domain's own terms, which win
        when a sound is shared (浮核 → 复核, not 符合)."""
        self._seg = segmenter
        preferred = frozenset(preferred)
        by_sound: dict[tuple[str, ...], set[str]] = {}
        for term in terms:
            if 2 <= len(term) <= MAX_TERM and _CJK.match(term) and segmenter.frequency(term) >= RARE:
                key = sound(term)
                if key is not None:
                    by_sound.setdefault(key, set()).add(term)
        self._terms: dict[tuple[str, ...], str] = {}
        for key, found in by_sound.items():
            # a sound shared by two terms says nothing about which one was meant, unless exactly
            # one of them is a term of the domain
            chosen = found if len(found) == 1 else found & preferred
            if len(chosen) == 1:
                self._terms[key] = next(iter(chosen))

    def correct(self, text: str) -> str:
        """The text with misheard domain terms replaced; unchanged when there are none."""
        if not self._terms:
            return text
        tokens = self._seg.cut(text)
        out: list[str] = []
        run: list[str] = []

        def flush() -> None:
            out.append(self._fix_run("".join(run)))
            run.clear()

        position = 0
        for token in tokens:
            start = text.find(token, position)
            if start < 0:
                continue
            if start > position:  # spaces and punctuation the segmenter dropped
                flush()
                out.append(text[position:start])
            position = start + len(token)
            if len(token) == 1 or (len(token) <= MAX_TERM and self._seg.frequency(token) < RARE):
                run.append(token)
            else:
                flush()
                out.append(token)
        flush()
        out.append(text[position:])
        return "".join(out)

    def _breaks_a_word(self, run: str, start: int, size: int) -> bool:
        """A window that is a word itself, or cuts a word at its edges («时效是» holds 效是 = 小事
        in sound, but 时效 is a word), is left alone."""
        known = self._seg.frequency
        end = start + size
        return (
            known(run[start:end]) >= RARE
            or (start > 0 and known(run[start - 1 : start + 1]) >= RARE)
            or (end < len(run) and known(run[end - 1 : end + 1]) >= RARE)
        )

    def _fix_run(self, run: str) -> str:
        if len(run) < 2:
            return run
        out: list[str] = []
        i = 0
        while i < len(run):
            for size in range(min(MAX_TERM, len(run) - i), 1, -1):
                window = run[i : i + size]
                key = sound(window)
                term = self._terms.get(key) if key else None
                if term is not None and term != window and not self._breaks_a_word(run, i, size):
                    out.append(term)
                    i += size
                    break
            else:
                out.append(run[i])
                i += 1
        return "".join(out)
