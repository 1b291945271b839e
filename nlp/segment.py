"""Word segmentation: a private jieba Tokenizer with the domain lexicon.

Never the jieba module globals: other code in the process (or a test) may use jieba too, and
our lexicon must not leak into it nor theirs into ours. Building the prefix dictionary takes
about a second, so `Segmenter.initialise()` is called once, off the event loop, and its cache
file lives in our data directory (not /tmp) so the second start is fast.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable
from pathlib import Path

import jieba

from .normalize import normalize

# jieba logs every dictionary load at DEBUG through its own handler; citizens' servers need quiet
logging.getLogger("jieba").setLevel(logging.WARNING)

_PUNCT = frozenset("，。！？、；：“”‘’（）《》〈〉【】[]{}()<>,.!?;:'\"-—_…~·`@#$%^&*+=|\\/ \t\n")


class Segmenter:
    """Cuts normalised Chinese text into words; keeps the domain lexicon whole."""

    def __init__(self, words: Iterable[str], stopwords: Iterable[str], cache_dir: Path | None = None) -> None:
        self._tokenizer = jieba.Tokenizer()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._tokenizer.tmp_dir = str(cache_dir)
        self._words = sorted(set(words))
        self._stopwords = frozenset(stopwords)
        self._ready = False
        self._lock = threading.Lock()

    def initialise(self) -> None:
        """Load the dictionary and the lexicon. Blocking (~1 s cold); idempotent and thread-safe."""
        with self._lock:
            if self._ready:
                return
            self._tokenizer.initialize()
            for word in self._words:
                self._add(word)
            self._ready = True

    def _add(self, word: str) -> None:
        # a high enough frequency makes the word win over its parts; never lower a common word's
        target = max(2000, 200 * len(word), self._tokenizer.FREQ.get(word, 0))
        self._tokenizer.add_word(word, freq=target)

    def add_words(self, words: Iterable[str]) -> None:
        """More words that must stay whole (e.g. routing keywords); before or after initialise."""
        new = sorted(set(words) - set(self._words))
        self._words.extend(new)
        if self._ready:
            for word in new:
                self._add(word)

    def information(self, word: str) -> float:
        """How much a word says, from its frequency in general Chinese (jieba's dictionary).

        「想」「去」「事」 say little; 「复查」「穿小鞋」 say a lot. Unknown words count as rare but
        capped, so one odd colloquial compound does not outweigh the rest of a question.
        """
        if not self._ready:
            self.initialise()
        freq = self._tokenizer.FREQ.get(word, 0)
        if not freq:
            return 3.5
        return min(6.0, max(0.2, math.log(self._tokenizer.total / (freq + 1)) - 6.5))

    def frequency(self, word: str) -> int:
        """The word's count in the dictionary (jieba's and ours); 0 for a word it does not know."""
        if not self._ready:
            self.initialise()
        return self._tokenizer.FREQ.get(word, 0)

    def cut(self, text: str) -> list[str]:
        """All words of the already-normalised text, punctuation and spaces dropped."""
        if not self._ready:
            self.initialise()
        return [w for w in self._tokenizer.cut(text, HMM=True) if w.strip() and w not in _PUNCT]

    def words(self, text: str, *, normalised: bool = False) -> list[str]:
        """Content words: normalised, cut, stop-words and punctuation dropped, Latin lower-cased."""
        if not normalised:
            text = normalize(text)
        return [w.lower() for w in self.cut(text) if w not in self._stopwords]
