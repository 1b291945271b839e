"""Text → meaning, as pure functions over knowledge/: no database, no network.

`Engine` bundles what the dialogue needs — segmenter, Q&A retriever, router, steerer, harm
reader — built once per process; `Engine.read(text)` reads one message into a `Reading`. Building segments the whole knowledge base (about a second), so servers build it off
the event loop: `await loop.run_in_executor(None, Engine.build, knowledge, cache_dir)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from knowledge import Knowledge

from .accused import Accusation, AccusedFinder
from .dates import mentioned_date
from .intent import Intent, IntentGuess, guess_intent, ticket_in
from .normalize import has_meaning, normalize, truncate
from .reading import Reading
from .remedies import Assessment, Deadline, assess
from .retrieve import Retrieval, Retriever
from .route import KeywordRouter, RoutingDecision
from .segment import Segmenter
from .steer import Steerer, Verdict
from .urgent import HarmReader, Urgency

T = TypeVar("T")

__all__ = [
    "Accusation",
    "Assessment",
    "Deadline",
    "Engine",
    "Intent",
    "IntentGuess",
    "Reading",
    "Retrieval",
    "RoutingDecision",
    "Urgency",
    "Verdict",
    "has_meaning",
    "normalize",
    "ticket_in",
    "truncate",
]


def _once(compute: Callable[[], T]) -> Callable[[], T]:
    done: list[T] = []

    def value() -> T:
        if not done:
            done.append(compute())
        return done[0]

    return value


@dataclass(frozen=True, slots=True)
class Engine:
    knowledge: Knowledge
    segmenter: Segmenter
    retriever: Retriever
    router: KeywordRouter
    steerer: Steerer
    accused: AccusedFinder
    harm: HarmReader

    @classmethod
    def build(cls, knowledge: Knowledge, cache_dir: Path | None = None) -> Engine:
        """Blocking: load jieba with the lexicon and index the knowledge base."""
        words = knowledge.lexicon.all_words | knowledge.taxonomy.words
        segmenter = Segmenter(words, knowledge.lexicon.stopwords, cache_dir)
        segmenter.initialise()
        return cls(
            knowledge,
            segmenter,
            Retriever(knowledge, segmenter),
            KeywordRouter(knowledge.taxonomy, segmenter),
            Steerer(knowledge.steering),
            AccusedFinder(knowledge.taxonomy, knowledge.accusations),
            HarmReader(knowledge.harm),
        )

    def ask(self, question: str) -> Retrieval:
        return self.retriever.search(question)

    def route(self, text: str, title: str | None = None) -> RoutingDecision:
        return self.router.route(text, title)

    def steer(self, text: str) -> Verdict:
        return self.steerer.steer(normalize(text))  # one key for the steerer's recent verdicts

    def remedies(
        self, text: str, doors: Iterable[str], today: date, given: Mapping[str, date] | None = None
    ) -> Assessment:
        """Every remedy of these doors that the dates in the text start, with its last day."""
        return assess(normalize(text), doors, today, self.knowledge.remedies, given)

    def deadlines(self, text: str, today: date) -> Assessment:
        """The remedies of the doors steering finds for the text (POST /api/v1/triage, bench.deadlines)."""
        verdict = self.steer(text)
        return self.remedies(text, (verdict.channel, *verdict.also), today)

    def accusation(self, text: str) -> Accusation | None:
        """Whom the text accuses (an official, a department) and whether it is a report (条例第三十条)."""
        return self.accused.find(text)

    def urgency(self, text: str) -> Urgency:
        return self.harm.detect(text)

    def read(self, text: str, today: date | None = None) -> Reading:
        """Everything the assistant makes of one message, each part computed once."""
        text = normalize(text)
        verdict = self.steer(text)
        asked: list[Retrieval] = []

        def ask() -> Retrieval:
            if not asked:
                asked.append(self.ask(text))
            return asked[0]

        guess = self._intent(text, verdict, ask)
        # a question is answered from this retrieval (computed when first read, if not already)
        answer = ask if asked or guess.intent is Intent.ASK else None
        return Reading(
            text=text,
            intent=guess,
            verdict=verdict,
            urgency=self.urgency(text),
            date=mentioned_date(text, today) if today is not None else None,
            _route=_once(lambda: self.route(text)),
            _answer=answer,
        )

    def intent(self, text: str) -> IntentGuess:
        text = normalize(text)
        return self._intent(text, None, lambda: self.ask(text))

    def _intent(self, text: str, verdict: Verdict | None, ask: Callable[[], Retrieval]) -> IntentGuess:
        guess = guess_intent(text)
        if guess.intent.specific or (guess.intent is Intent.OTHER and not has_meaning(text)):
            return guess
        if guess.intent is not Intent.COMPLAIN:
            # a matter the law sends elsewhere is a grievance, however it is phrased — unless it
            # is plainly a question about the regulation
            verdict = verdict or self.steer(text)
            if verdict.steered_away:
                # retrieval only when it can decide: a first-person account is a grievance anyway
                plainly_asked = guess.intent is Intent.ASK and "我" not in text
                if not (plainly_asked and (qa := ask()).confident and qa.confidence >= 0.6):
                    return IntentGuess(Intent.COMPLAIN, tuple(h.matched for h in verdict.cues))
            if guess.intent is Intent.OTHER and verdict.unsure:
                # 「想讨个说法」: a grievance whose door is not yet clear — the dialogue asks
                return IntentGuess(Intent.COMPLAIN, tuple(h.matched for h in verdict.cues))
        if guess.intent in (Intent.OTHER, Intent.STATUS) or guess.cues:
            return guess
        return guess_intent(text, qa_confidence=ask().confidence)
