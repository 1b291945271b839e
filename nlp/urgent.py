"""Harm first (条例第二十五条): self-harm (said plainly or obliquely), violence, threats, a missing
child, danger to life, a planned mass gathering.

The words are data (knowledge/data/harm.toml), read like steering's vocabulary (nlp/meaning.py):
longest phrase first, so everyday hyperbole listed there as neutral (「累死了」「吵死人」「鱼都死了」)
owns its characters and trips nothing. No negation is honoured: 「不想活」 is itself the alarm, and
a false alarm costs a staff member a look while a missed one may cost a life.
"""

from __future__ import annotations

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


class HarmReader:
    def __init__(self, vocabulary: HarmVocabulary) -> None:
        self.reader = MeaningReader(vocabulary.groups)

    def detect(self, text: str) -> Urgency:
        meaning = self.reader.read(normalize(text))
        kinds, matched = [], []
        for kind in HARM_KINDS:
            words = meaning.words(f"kind.{kind}")
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
