"""What a message says, slot by slot: who acted, what happened, what the citizen wants.

The vocabulary lives in knowledge/data (see knowledge/vocabulary.py for the term syntax). Reading
is longest-match first over the whole text, so a longer phrase owns its characters: 「赔偿金额」 is
read as a sum of money, never as the labour term 「赔偿金」 inside it; a phrase listed in several
groups carries all their meanings (「欠钱」: money, and not paid). A term in a negatable group does not
count when a negation stands just before it in the same clause (「公司没有拖欠工资」「不是要打官司」) —
a question is not a negation (「能不能告」「要不要仲裁」). Wishes and procedure words inside quoted
speech are someone else's words (老板说“有本事你去告”) and do not count as the citizen's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from knowledge.vocabulary import Group

_NEGATION = re.compile(
    r"(不是|并不是|并非|不想|不要|不用|不需要|无需|不打算|不准备|不愿意?|没有|并没有|从来没有?|从没|没|未曾|并未|别|不存在)"
    r"[^不没，。！？；,.!?;]{0,3}$"
)
_QUESTION_BEFORE = re.compile(
    r"(能不能|可不可以|能否|要不要|是不是|该不该|会不会|有没有|可以不可以)(去|再|申请|找|直接)?$"
)
_WINDOW = 7
_SELF_NEGATING = frozenset("不没未拒")
_CLAUSE_BREAK = re.compile(r"[，,。！!？?；;\n]")
_SENTENCE_END = re.compile(r"[。！!？?；;\n]+")
_QUOTES = re.compile(r"「[^」]*」|“[^”]*”|\"[^\"]*\"|『[^』]*』|‘[^’]*’")


@dataclass(frozen=True, slots=True)
class Hit:
    key: str  # slot.value, e.g. "what.wage"
    label: str
    matched: str  # the citizen's own words
    start: int
    sentence: int = 0  # which sentence of the message (「。！？」 and line breaks end one)


@dataclass(frozen=True, slots=True)
class Meaning:
    hits: tuple[Hit, ...]  # in text order
    sentences: int = 1
    length: int = 0

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(h.key for h in self.hits)

    def words(self, key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.matched for h in self.hits if h.key == key))

    def count(self, *keys: str) -> int:
        """How many distinct words were read for these slot values."""
        return len({h.matched for h in self.hits if h.key in keys})


def negated(text: str, start: int) -> bool:
    """Is the word at `start` preceded, in the same clause, by a negation (and not by a question)?"""
    window = _CLAUSE_BREAK.split(text[max(0, start - _WINDOW) : start])[-1]
    if _QUESTION_BEFORE.search(window):
        return False
    return bool(_NEGATION.search(window))


def _negated_in_gap(text: str, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(
        _NEGATION.search(text[end:start]) and text[start] not in _SELF_NEGATING
        for (_, end), (start, _) in pairwise(spans)
    )


def a_not_a(text: str, start: int) -> bool:
    """Is the 不/没 at `start` the middle of an A-not-A question (「能不能」「有没有」「给没给」)?"""
    return 0 < start < len(text) - 1 and text[start - 1] == text[start + 1]


def _quoted(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTES.finditer(text)]


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    spans: tuple[tuple[int, int], ...]  # the literal parts (a gap between them is free for other words)
    size: int
    matched: str
    groups: tuple[Group, ...]


class MeaningReader:
    """Reads the slots of one vocabulary (steering's or harm's) out of normalised text."""

    def __init__(self, groups: tuple[Group, ...]) -> None:
        literal: dict[str, list[Group]] = {}
        gapped: dict[str, tuple[re.Pattern[str], tuple[str, ...], list[Group]]] = {}
        for group in groups:
            for term in group.terms:
                if term.literal is not None:
                    literal.setdefault(term.literal, []).append(group)
                else:
                    assert term.pattern is not None
                    entry = gapped.setdefault(term.text, (term.pattern, term.parts[0], []))
                    entry[2].append(group)
        self._by_first: dict[str, list[tuple[str, tuple[Group, ...]]]] = {}
        for word, owners in literal.items():
            self._by_first.setdefault(word[0], []).append((word, tuple(owners)))
        self._gapped = [(p, first, tuple(owners)) for p, first, owners in gapped.values()]

    def _candidates(self, text: str) -> list[_Candidate]:
        found: list[_Candidate] = []
        for char in set(text):
            for word, owners in self._by_first.get(char, ()):
                at = text.find(word)
                while at >= 0:
                    found.append(_Candidate(at, ((at, at + len(word)),), len(word), word, owners))
                    at = text.find(word, at + 1)
        for pattern, first, owners in self._gapped:
            if not any(a in text for a in first):
                continue
            for m in pattern.finditer(text):
                spans = tuple(m.span(i) for i in range(1, (pattern.groups or 0) + 1))
                size = sum(e - s for s, e in spans)
                found.append(_Candidate(m.start(), spans, size, m.group(0), owners))
        return found

    def read(self, text: str) -> Meaning:
        """`text` must already be normalised (nlp.normalize)."""
        taken = bytearray(len(text))
        quoted = _quoted(text) if any(q in text for q in '「“"『‘') else []
        hits: list[Hit] = []
        for cand in sorted(self._candidates(text), key=lambda c: (-c.size, c.start)):
            if any(any(taken[s:e]) for s, e in cand.spans):
                continue
            for s, e in cand.spans:
                taken[s:e] = b"\x01" * (e - s)
            in_quotes = any(qs <= cand.start < qe for qs, qe in quoted)
            for group in cand.groups:
                if group.slot == "neutral":
                    continue
                # a term that carries its own negation (「不给」「没发」) is a fact, not a negated one
                if group.negatable and cand.matched[0] not in _SELF_NEGATING and negated(text, cand.start):
                    continue
                # 「我没被罚」 read by 「我…被罚」: a negation inside the gap cancels the term too
                if group.negatable and _negated_in_gap(text, cand.spans):
                    continue
                # 「能不能公开」「给没给钱」: the same word either side of 不/没 asks, it states nothing
                if group.negatable and cand.matched[0] in _SELF_NEGATING and a_not_a(text, cand.start):
                    continue
                if in_quotes and not group.reported:
                    continue
                hits.append(Hit(group.key, group.label, cand.matched, cand.start))
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        hits.sort(key=lambda h: h.start)
        placed = tuple(Hit(h.key, h.label, h.matched, h.start, bisect_right(ends, h.start)) for h in hits)
        sentences = len(ends) + (0 if ends and ends[-1] == len(text) else 1)
        return Meaning(placed, sentences, len(text))
