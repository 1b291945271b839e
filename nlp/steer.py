"""诉访分离 steering: which door a matter belongs to, from what the citizen's words mean.

The message is read into slots (who acted, what happened, what they want — nlp/meaning.py over
knowledge/data/steering.toml). The door follows from the combination, by the rules written in
that file as the statute's logic: an employer and unpaid wages → labour arbitration (and, for
migrant workers' wages, a complaint too); an administrative decision and disagreement →
administrative review or litigation; a judgment → the court's own procedure; and so on.

An ordinary petition needs no evidence: it is what remains. A door is named only when a rule
of full strength holds and outweighs the petition context of the message (a long letter about
the neighbourhood mentioning a fine in passing stays a petition). Evidence that is only partial
— 「想告他」 with nothing else — is not guessed at: the verdict stays `petition` and lists the doors
in `ask`, and the dialogue asks the citizen one question (wrongly sending an ordinary grievance
away is the worst error). A matter that mixes doors lists all of them, the one the law puts first
first (`precedence` in the data).

A citizen who asks an office to do something for the public (「能不能多巡逻」「建议补个标志」) is
petitioning; another door then needs the citizen to want its remedy too (to sue, be compensated,
report a crime). A reporter's worry (「会不会被打击报复」「举报人信息会泄露吗」) is a question about
protection (条例第三十条), not the report it mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from knowledge.steering import PETITION, Rule, SteeringRules

from .meaning import Meaning, MeaningReader
from .normalize import normalize

PETITION_PRIOR = 1.5  # an ordinary grievance needs no evidence to stay a petition
CONTEXT_WEIGHT = 0.5  # each distinct word of public affairs / service / 「请政府帮忙」 adds this …
CONTEXT_CAP = 4  # … up to this many words
LONG_CONTEXT_CAP = 5  # … or this many in a long letter, whose public-affairs words are many
_CONTEXT = ("what.public", "what.service", "want.mediate")
WINDOW = 2  # sentences: who did what to whom is told in one or two neighbouring sentences
LONG = 200  # characters: past this, a door must be what the message is about (see _weight_of_place)
OFF_CENTRE = 1.0  # what a door mentioned once in passing, deep in a long letter, loses
RECURS = 3  # places: a long letter that comes back to a matter this often is plainly about it
RECURS_BONUS = 0.5
# 「能不能多巡逻」「建议出台政策」: the citizen asks an office to act for the public. Another door
# then needs the citizen to want that door's remedy too (to sue, be compensated, report a crime…);
# without one, what the account mentions in passing (a theft, a fine) is the background of a petition
ASKS_OFFICE = "want.act"
ASKS_OFFICE_PENALTY = 2.0
_DOOR_WANTS = (
    "want.sue",
    "want.compensate",
    "want.enforce",
    "want.investigate",
    "want.police",
    "want.arbitrate",
    "want.review",
    "want.state_compensation",
)
# 「举报了会不会被打击报复」「举报人信息会泄露吗」: a question about the reporter's protection
# (条例第三十条), whatever report it mentions — not the report itself
REPORTER_WORRY = "what.reporter_worry"
REPORTER_WORRY_PENALTY = 1.0  # enough to silence what the worry mentions (「举报了村支书」), not a report it comes with


@dataclass(frozen=True, slots=True)
class CueHit:
    """One readable reason for a door: the rule's reason and the citizen's words behind it."""

    channel: str
    label: str
    matched: str
    weight: float
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    channel: str
    confidence: float
    cues: tuple[CueHit, ...]  # why (for the chosen channel), strongest first
    also: tuple[str, ...]  # other doors that apply too, in the law's order (欠薪: arbitration and a petition)
    scores: dict[str, float]
    ask: tuple[str, ...] = ()  # unsure: the doors to ask the citizen about (the channel stays petition)
    meaning: Meaning = field(default_factory=lambda: Meaning(()))

    @property
    def steered_away(self) -> bool:
        return self.channel != PETITION

    @property
    def unsure(self) -> bool:
        return bool(self.ask)


def _satisfied(rule: Rule, keys: frozenset[str] | set[str]) -> bool:
    return all(any(k in keys for k in entry) for entry in rule.when)


def _windows(rule: Rule, keys: frozenset[str], by_window: list[set[str]]) -> list[int]:
    """The first sentences of the windows in which the whole combination is told."""
    if any(u in keys for u in rule.unless):
        return []
    return [first for first, told in enumerate(by_window) if _satisfied(rule, told)]


def _by_window(meaning: Meaning) -> list[set[str]]:
    """The meanings told in each window of neighbouring sentences."""
    by_sentence: dict[int, set[str]] = {}
    for hit in meaning.hits:
        by_sentence.setdefault(hit.sentence, set()).add(hit.key)
    return [
        set().union(*(by_sentence.get(first + i, set()) for i in range(WINDOW)))
        for first in range(max(1, meaning.sentences - WINDOW + 1))
    ]


def _weight_of_place(windows: list[int], meaning: Meaning) -> float:
    """Short messages are about what they say. A long letter is about what its opening tells (the
    title and first sentence) and what it keeps coming back to — not about a word in passing."""
    if meaning.length <= LONG:
        return 0.0
    places, last = 0, -WINDOW
    for first in windows:  # separate places in the letter where the whole combination is told
        if first - last >= WINDOW:
            places, last = places + 1, first
    if places >= RECURS:
        return RECURS_BONUS
    if windows[0] == 0 or places >= 2:
        return 0.0
    return -OFF_CENTRE


class Steerer:
    def __init__(self, rules: SteeringRules) -> None:
        self.rules = rules
        self.reader = MeaningReader(rules.groups)
        self._order = {door: i for i, door in enumerate(rules.precedence)}
        # the same message is often steered twice in one request (its reading, then its
        # deadlines); a verdict is immutable, so the recent ones are kept
        self._recent = lru_cache(maxsize=256)(self._steer)

    def steer(self, text: str) -> Verdict:
        return self._recent(text)

    def _cue(self, rule: Rule, meaning: Meaning) -> CueHit:
        keys = [k for entry in rule.when for k in entry if k in meaning.keys]
        words = dict.fromkeys(w for k in keys for w in meaning.words(k))
        return CueHit(rule.door, rule.reason, "、".join(words), rule.strength, rule.also)

    def _cues(self, rules: list[Rule], meaning: Meaning) -> tuple[CueHit, ...]:
        """One cue per distinct reason (the strongest rule giving it), with all its words."""
        by_reason: dict[str, CueHit] = {}
        for rule in rules:
            cue = self._cue(rule, meaning)
            if cue.label in by_reason:
                first = by_reason[cue.label]
                words = "、".join(dict.fromkeys((first.matched + "、" + cue.matched).split("、")))
                cue = CueHit(
                    first.channel, first.label, words, first.weight, tuple(dict.fromkeys(first.also + cue.also))
                )
            by_reason[cue.label] = cue
        return tuple(by_reason.values())

    def _steer(self, text: str) -> Verdict:
        text = normalize(text)
        meaning = self.reader.read(text)
        keys = meaning.keys
        by_window = _by_window(meaning)
        held: dict[str, list[Rule]] = {}
        strength: dict[Rule, float] = {}
        for rule in self.rules.rules:
            if not _satisfied(rule, keys):
                continue
            windows = _windows(rule, keys, by_window)
            if windows:
                held.setdefault(rule.door, []).append(rule)
                strength[rule] = rule.strength + _weight_of_place(windows, meaning)
        scores = {door: 0.0 for door in (PETITION, *self.rules.precedence)}
        asks_office = ASKS_OFFICE in keys and not any(w in keys for w in _DOOR_WANTS)
        for door, rules in held.items():
            for rule in rules:
                if REPORTER_WORRY in keys:
                    strength[rule] -= REPORTER_WORRY_PENALTY
                elif asks_office:
                    # who did it and what they did, both told, stand; a bare act (「有人偷电瓶」) does not
                    told_who = any(k.startswith("who.") for entry in rule.when for k in entry)
                    strength[rule] -= ASKS_OFFICE_PENALTY / 2 if told_who else ASKS_OFFICE_PENALTY
            rules.sort(key=lambda r: -strength[r])
            strengths = [strength[r] for r in rules]
            # a second, independent reason for the same door counts a little
            scores[door] = strengths[0] + 0.25 * min(2, len(strengths) - 1)
        context = min(LONG_CONTEXT_CAP if meaning.length > LONG else CONTEXT_CAP, meaning.count(*_CONTEXT))
        scores[PETITION] = PETITION_PRIOR + CONTEXT_WEIGHT * context
        firm_bar = max(self.rules.firm, scores[PETITION] + 0.01)
        others = [d for d in self.rules.precedence if scores[d] > 0]
        top = max((scores[d] for d in others), default=0.0)
        firm = [d for d in others if scores[d] >= firm_bar and scores[d] >= top - 0.75]
        if firm:
            chosen = min(firm, key=self._order.__getitem__)  # the law's order among doors that clearly apply
            rules = held[chosen]
            cues = self._cues(rules, meaning)
            also = [a for r in rules for a in r.also if a != chosen]
            also += sorted((d for d in others if d != chosen and scores[d] >= self.rules.firm), key=self._order.get)
            runner_up = max([scores[PETITION]] + [scores[d] for d in others if d != chosen])
            margin = scores[chosen] - runner_up
            confidence = min(0.97, 0.6 + 0.1 * margin + 0.05 * (scores[chosen] - self.rules.firm))
            return Verdict(
                chosen, round(max(0.5, confidence), 3), cues, tuple(dict.fromkeys(also)), scores, (), meaning
            )
        weak = sorted((d for d in others if scores[d] >= self.rules.weak), key=lambda d: (-scores[d], self._order[d]))
        cues = tuple(self._cue(held[d][0], meaning) for d in weak)
        confidence = 0.9 - 0.1 * len(weak) if weak else min(0.95, 0.8 + 0.05 * context)
        return Verdict(PETITION, round(confidence, 3), cues, (), scores, tuple(weak), meaning)
