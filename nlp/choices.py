"""Reading a typed answer to a question that offered buttons: which button, if any, it means.

A citizen answers 「就我自己」「没问题，提交吧」「还行吧，基本满意」「2」 instead of pressing. Each
button stands for one or more meanings (knowledge/data/choices.toml); the text is scanned for the
everyday phrases of those meanings, a 不/没/别 right before a phrase turns it into its negated
meaning (「不太满意」), and the answer counts as a choice only when the phrases cover nearly all of
it — 「电话写错了，应该是139…」 mentions 写错 but is a correction, not a press of 「修改」.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.choices import GAP, ChoiceVocabulary

_NEGATION = frozenset("不没别未甭")
_NEGATION_WINDOW = 3
_GAP_CHARS = 4
_CN_INDEX = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBER = re.compile(
    r"^(?:第|选|选择|按|点)?\s*([1-9]|10|[一二两三四五六七八九十]|[\u2460-\u2469]|[a-jA-J])\s*(?:个|项|号|条|种|个吧)?$"
)
_LABEL_DECORATION = re.compile(r"^[\W_]+|[\W_]+$")


def _meaningful(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def _stands(text: str, match: re.Match[str]) -> bool:
    """A one-character phrase (「是」「对」「好」) counts only where it begins a clause: not 「还是」."""
    if match.end() - match.start() > 1:
        return True
    return match.start() == 0 or not _meaningful(text[match.start() - 1])


def compact(text: str) -> str:
    """Lower case, no spaces, no decoration at either end (「✅ 满意」 → 「满意」)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower())
    return _LABEL_DECORATION.sub("", text)


@dataclass(frozen=True, slots=True)
class Found:
    meaning: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ChoiceReading:
    """The meanings found in a typed answer, and how much of the answer they account for."""

    found: tuple[Found, ...]
    uncovered: int  # letters and digits neither in a phrase nor a filler
    total: int  # letters and digits in the answer

    @property
    def meanings(self) -> frozenset[str]:
        return frozenset(f.meaning for f in self.found)

    @property
    def plain(self) -> bool:
        """The answer is (almost) nothing but the choice: 「没有照片」 yes, 「电话写错了，应该是139…」 no."""
        return bool(self.found) and self.uncovered <= max(2, self.total // 3)


@dataclass(frozen=True, slots=True)
class Option:
    """One button as the reader sees it: its label and the meanings it stands for."""

    label: str
    meanings: frozenset[str]


class ChoiceReader:
    def __init__(self, vocabulary: ChoiceVocabulary) -> None:
        self.vocabulary = vocabulary
        self._patterns = {
            meaning.id: [self._compile(p) for p in meaning.phrases] for meaning in vocabulary.meanings.values()
        }
        self._fillers = sorted({compact(f) for f in vocabulary.fillers if compact(f)}, key=len, reverse=True)
        self._label_meanings: dict[str, frozenset[str]] = {}

    @staticmethod
    def _compile(phrase: str) -> re.Pattern[str]:
        parts = [re.escape(compact(part)) for part in phrase.split(GAP)]
        return re.compile(f".{{0,{_GAP_CHARS}}}?".join(parts))

    # ── reading ──────────────────────────────────────────────────────────────

    def read(
        self, text: str, meanings: Iterable[str] | None = None, extra: dict[str, Sequence[str]] | None = None
    ) -> ChoiceReading:
        """Find the phrases of `meanings` (default: all) and of `extra` ad-hoc phrases in the text."""
        text = compact(text)
        wanted = list(self._patterns) if meanings is None else [m for m in meanings if m in self._patterns]
        candidates: list[Found] = []
        for meaning in wanted:
            for pattern in self._patterns[meaning]:
                candidates += [Found(meaning, m.start(), m.end()) for m in pattern.finditer(text) if _stands(text, m)]
        for meaning, phrases in (extra or {}).items():
            for phrase in phrases:
                phrase = compact(phrase)
                if phrase:
                    start = text.find(phrase)
                    while start >= 0:
                        candidates.append(Found(meaning, start, start + len(phrase)))
                        start = text.find(phrase, start + 1)
        chosen = self._longest_first(candidates)
        cover = [0] * len(text)  # the length of the phrase covering each character (0: none)
        for found in chosen:
            for i in range(found.start, found.end):
                # a bare 「不」「不是」 may be the negation of what follows (「不是很满意」): see through it
                cover[i] = 1 if found.meaning == "no" else found.end - found.start
        negations: set[int] = set()
        kept = [self._negate(text, cover, f, negations) for f in chosen]
        found = tuple(
            f
            for f in kept
            if f is not None and not (f.meaning == "no" and any(f.start <= i < f.end for i in negations))
        )
        covered = [c > 0 for c in cover]
        self._cover_fillers(text, covered)
        total = sum(1 for ch in text if _meaningful(ch))
        uncovered = sum(1 for ch, c in zip(text, covered, strict=True) if not c and _meaningful(ch))
        return ChoiceReading(found, uncovered, total)

    @staticmethod
    def _longest_first(candidates: list[Found]) -> list[Found]:
        """Non-overlapping matches, longest first; every meaning of a chosen span is kept."""
        chosen: list[Found] = []
        taken: list[tuple[int, int]] = []
        for found in sorted(candidates, key=lambda f: (-(f.end - f.start), f.start)):
            span = (found.start, found.end)
            if span in taken:
                chosen.append(found)
            elif all(found.end <= s or found.start >= e for s, e in taken):
                taken.append(span)
                chosen.append(found)
        return sorted(chosen, key=lambda f: f.start)

    def _negate(self, text: str, cover: list[int], found: Found, negations: set[int]) -> Found | None:
        """「不太满意」: a negation just before a phrase (not inside a longer one) turns it round."""
        if text[found.start] in _NEGATION:
            return found
        i = found.start - 1
        while i >= 0 and found.start - i <= _NEGATION_WINDOW and cover[i] <= 1 and _meaningful(text[i]):
            if text[i] in _NEGATION:
                negations.add(i)
                meaning = self.vocabulary.meanings.get(found.meaning)
                if meaning is None or meaning.negated is None:
                    return None
                return Found(meaning.negated, found.start, found.end)
            i -= 1
        return found

    def _cover_fillers(self, text: str, covered: list[bool]) -> None:
        for filler in self._fillers:
            start = text.find(filler)
            while start >= 0:
                end = start + len(filler)
                if not any(covered[start:end]):
                    for i in range(start, end):
                        covered[i] = True
                start = text.find(filler, start + 1)

    # ── choosing ─────────────────────────────────────────────────────────────

    @staticmethod
    def number(text: str) -> int | None:
        """「2」「第二个」「②」「B」 → 2 (1-based); None when the answer is not a bare position."""
        m = _NUMBER.match(compact(text).rstrip("。.!！"))
        if not m:
            return None
        token = m.group(1)
        if token.isdigit():
            return int(token)
        if token in _CN_INDEX:
            return _CN_INDEX[token]
        if "\u2460" <= token <= "\u2469":
            return ord(token) - 0x2460 + 1
        return ord(token.lower()) - ord("a") + 1

    def meanings_of(self, label: str) -> frozenset[str]:
        """What a button's own words mean (「没有了，下一步」 → skip), when they plainly mean something."""
        if label not in self._label_meanings:
            meanings = self.read(label).meanings
            if len(self._label_meanings) > 2048:  # labels are few; quiz options come and go
                self._label_meanings.clear()
            # a label is written by us, short and to the point: one meaning in it is its meaning
            self._label_meanings[label] = meanings if len(meanings) == 1 else frozenset()
        return self._label_meanings[label]

    def option(self, label: str, meanings: Iterable[str] = ()) -> Option:
        return Option(label, frozenset(meanings) | self.meanings_of(label))

    def pick(self, text: str, options: Sequence[Option], *, strict: bool = True) -> int | None:
        """The index of the option the typed text chooses, or None (nothing, or more than one).

        strict: the phrases must account for nearly the whole answer (a step where free text is
        also an answer); not strict: any unambiguous phrase will do (a question with only buttons).
        """
        if not options or not text.strip():
            return None
        n = self.number(text)
        if n is not None:
            return n - 1 if 1 <= n <= len(options) else None
        typed = compact(text)
        exact = [i for i, option in enumerate(options) if compact(option.label) == typed]
        if len(exact) == 1:
            return exact[0]
        wanted = set().union(*(o.meanings for o in options)) | {"yes", "no"}
        labels = {f"#{i}": [option.label] for i, option in enumerate(options) if compact(option.label)}
        reading = self.read(text, wanted, labels)
        if not reading.found or (strict and not reading.plain):
            return None
        hits = {i for i, o in enumerate(options) if o.meanings & reading.meanings or f"#{i}" in reading.meanings}
        meanings = self.vocabulary.meanings
        for generic, flag in (("yes", "answers_yes"), ("no", "answers_no")):
            if generic in reading.meanings:
                # a button that says it is the yes (「要取消吗？」→「取消登记」) outranks those that merely take one
                takers = [i for i, o in enumerate(options) if generic in o.meanings] or [
                    i
                    for i, o in enumerate(options)
                    if any(getattr(meanings[m], flag) for m in o.meanings if m in meanings)
                ]
                if len(takers) == 1:
                    hits.add(takers[0])
        return hits.pop() if len(hits) == 1 else None


_readers: dict[int, tuple[ChoiceVocabulary, ChoiceReader]] = {}


def reader_for(vocabulary: ChoiceVocabulary) -> ChoiceReader:
    """One reader per vocabulary (the process has one; tests may load another)."""
    entry = _readers.get(id(vocabulary))
    if entry is None or entry[0] is not vocabulary:
        entry = (vocabulary, ChoiceReader(vocabulary))
        _readers[id(vocabulary)] = entry
    return entry[1]
