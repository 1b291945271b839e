"""Harm first (条例第二十五条): self-harm (said plainly or obliquely), violence, threats, a missing
child, danger to life, a planned mass gathering.

The words are data (knowledge/data/harm.toml), read like steering's vocabulary (nlp/meaning.py):
longest phrase first, so everyday hyperbole listed there as neutral (「累死了」「吵死人」「鱼都死了」)
owns its characters and trips nothing. No negation is honoured: 「不想活」 is itself the alarm, and
a false alarm costs a staff member a look while a missed one may cost a life. Only a clause told
wholly in the past (「我去年被人打了」, no 「现在」「又」) is history rather than danger now — never
for self-harm, which counts however it is told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from knowledge.steering import HARM_KINDS, HarmVocabulary

from .meaning import MeaningReader
from .normalize import normalize


@dataclass(frozen=True, slots=True)
class Urgency:
    urgent: bool
    kinds: tuple[str, ...]  # in the order of knowledge.steering.HARM_KINDS
    matched: tuple[str, ...]  # the words behind each kind

    @property
    def only_gathering(self) -> bool:
        return self.kinds == ("gathering",)


_CLAUSE = re.compile(r"[^，,。！!？?；;\n]+")


class HarmReader:
    def __init__(self, vocabulary: HarmVocabulary) -> None:
        self.reader = MeaningReader(vocabulary.groups)
        self.vocabulary = vocabulary
        self._past_keys = frozenset(f"kind.{k}" for k in vocabulary.past_kinds)

    def _history(self, text: str) -> list[tuple[int, int]]:
        """Spans of the clauses told in the past tense only (「我去年被人打了」)."""
        v = self.vocabulary
        return [
            m.span()
            for m in _CLAUSE.finditer(text)
            if any(w in m.group(0) for w in v.past) and not any(w in m.group(0) for w in v.present)
        ]

    def detect(self, text: str) -> Urgency:
        text = normalize(text)
        meaning = self.reader.read(text)
        history = self._history(text) if self.vocabulary.past and any(w in text for w in self.vocabulary.past) else []
        kinds, matched = [], []
        for kind in HARM_KINDS:
            key = f"kind.{kind}"
            words = [
                h.matched
                for h in meaning.hits
                if h.key == key and not (key in self._past_keys and any(s <= h.start < e for s, e in history))
            ]
            if words:
                kinds.append(kind)
                matched.append(words[0])
        return Urgency(bool(kinds), tuple(kinds), tuple(matched))


def detect_urgency(text: str) -> Urgency:
    """For callers without an Engine: the shipped vocabulary."""
    return _default_reader().detect(text)


@cache
def _default_reader() -> HarmReader:
    from knowledge import load_knowledge

    return HarmReader(load_knowledge().harm)
