"""诉访分离 steering: which door a matter belongs to, from the citizen's own words.

Each channel in knowledge/data/channels.toml lists cues (words and patterns) with weights. A
cue counts once; a cue may require a companion word elsewhere in the message (a fine *and*
「不服」); and a cue for a procedure does not count when a negation stands just before it
(「不是要打官司」「没有签什么仲裁协议」) — while grievance words (「没有加班费」) are facts, not wishes.
An ordinary petition starts with a prior, so a channel other than `petition` wins only on
clear evidence: wrongly sending an ordinary grievance away is the worst error, and when in
doubt the citizen is offered to file with the petition office anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.channels import Channel, Cue

from .normalize import normalize

PETITION = "petition"
PETITION_PRIOR = 1.5  # an ordinary grievance needs no cue to stay a petition
STEER_MIN = 2.5  # another channel needs at least one clear cue
# a negation shortly before a procedure cue cancels it: 不是要打官司 / 没有签什么仲裁协议 / 不想起诉
_NEGATION = re.compile(r"(不是|并不是|并非|不想|不要|不用|不需要|无需|不打算|不准备|不愿意?|没有|没|别)[^不没]{0,4}$")
# … but a question is not a negation: 能不能起诉 / 要不要仲裁 / 是不是该报警
_QUESTION_BEFORE = re.compile(r"(能不能|可不可以|要不要|是不是|该不该|会不会|有没有)(去|再|申请|找)?$")
# … and inside a matched phrase: 「公司没有拖欠工资」
_INNER_NEGATION = re.compile(
    r"(没有|并没有|没|并未|未|不存在|不是)(拖欠|欠|克扣|辞退|开除|解雇|被|骗|偷|打|违约|签.{0,4}仲裁)"
)
_WINDOW = 7
_CLAUSE_BREAK = re.compile(r"[，,。！!？?；;\n]")


@dataclass(frozen=True, slots=True)
class CueHit:
    channel: str
    label: str
    matched: str
    weight: float
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    channel: str
    confidence: float
    cues: tuple[CueHit, ...]  # what decided it (for the chosen channel), strongest first
    also: tuple[str, ...]  # other channels that apply as well (e.g. 欠薪: labour arbitration and a petition)
    scores: dict[str, float]

    @property
    def steered_away(self) -> bool:
        return self.channel != PETITION


def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def negated(text: str, start: int) -> bool:
    """Is the match at `start` preceded (in the same clause) by a negation?"""
    window = text[max(0, start - _WINDOW) : start]
    window = _CLAUSE_BREAK.split(window)[-1]
    if _QUESTION_BEFORE.search(window):
        return False
    return bool(_NEGATION.search(window))


class Steerer:
    def __init__(self, channels: dict[str, Channel]) -> None:
        self.channels = channels
        self._cues: list[tuple[str, Cue, list[re.Pattern[str]]]] = []
        for channel in channels.values():
            for cue in channel.cues:
                patterns = [p for p in (_word_pattern(cue.words), *cue.patterns) if p is not None]
                self._cues.append((channel.id, cue, patterns))

    def _first_match(self, text: str, cue: Cue, patterns: list[re.Pattern[str]]) -> str | None:
        if cue.with_words and not any(w in text for w in cue.with_words):
            return None
        if cue.without_words and any(w in text for w in cue.without_words):
            return None
        for pattern in patterns:
            for m in pattern.finditer(text):
                if not (cue.negatable and (negated(text, m.start()) or _INNER_NEGATION.search(m.group(0)))):
                    return m.group(0)
        return None

    def steer(self, text: str) -> Verdict:
        text = normalize(text)
        scores = dict.fromkeys(self.channels, 0.0)
        scores[PETITION] = PETITION_PRIOR
        hits: dict[str, list[CueHit]] = {c: [] for c in self.channels}
        for channel_id, cue, patterns in self._cues:
            matched = self._first_match(text, cue, patterns)
            if matched is not None:
                scores[channel_id] += cue.weight
                hits[channel_id].append(CueHit(channel_id, cue.label, matched, cue.weight, cue.also))
        others = sorted((c for c in scores if c != PETITION), key=scores.__getitem__, reverse=True)
        best = others[0]
        if scores[best] >= STEER_MIN and scores[best] > scores[PETITION]:
            chosen = best
            runner_up = max(scores[PETITION], scores[others[1]])
        else:
            chosen = PETITION
            runner_up = scores[best]
        margin = scores[chosen] - runner_up
        confidence = round(min(1.0, 0.5 + margin / (2 * (scores[chosen] + 1.0))), 3)
        decided = tuple(sorted(hits[chosen], key=lambda h: -h.weight))
        also: list[str] = [a for h in decided for a in h.also if a != chosen]
        # another door with clear evidence of its own is worth mentioning too
        for other in others:
            if other != chosen and scores[other] >= STEER_MIN + 0.5 and other not in also:
                also.append(other)
        return Verdict(
            chosen, confidence, decided, tuple(dict.fromkeys(also)), {c: round(s, 2) for c, s in scores.items()}
        )
