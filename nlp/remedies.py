"""Which remedies apply to what a citizen says, and by when: every door's periods, computed.

`assess(text, doors, today, remedies)` ties the dates the text states to their events (nlp.dates),
then walks each door's remedies (knowledge/data/remedies.toml): a remedy's first rule that applies
and has a dated start event gives its last day, counted per 民法典第二百零一条至第二百零三条 with
the holiday calendar (knowledge.periods). It also says what is missing — the event whose date the
period turns on — so the dialogue can ask for it once.

Two readings the law forces:
- an unappealed first-instance judgment takes effect when the appeal period has run out: the day
  after its last day stands in for 「判决生效」 (approximate: the other party's service may differ);
- 国家赔偿法第三十九条 leaves custody out of the count: the period runs from release when the citizen
  learned of the wrong while held;
- a matter ended in the citizen's favour (宣告无罪, 撤销案件, 不起诉) is not appealed, retried or
  enforced: those doors are closed for it, and state compensation is the way, from the organ
  国家赔偿法第二十一条 names for what happened;
- 行政复议法第二十三条 sends some cases (当场处罚, 不履行法定职责, 不予公开 …) to 行政复议 first: there
  no direct suit is offered, only the suit after the review decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from knowledge.channels import Basis
from knowledge.periods import calendar_is_official, period_end
from knowledge.remedies import Closed, Event, Liable, Remedies, ReviewFirst, Rule

from .dates import DatedText, dated_events
from .meaning import negated

SHORT_ACCOUNT = 160  # characters: a first-person account, not a long letter with many dates


@dataclass(frozen=True, slots=True)
class Start:
    day: date
    said: str  # the citizen's words for the date (or what it was derived from)
    approximate: bool
    derived: bool = False  # read from another event by law (一审判决 takes effect when the appeal period ends)


@dataclass(frozen=True, slots=True)
class Deadline:
    rule: Rule
    event: str  # the start event it was counted from
    start: Start
    due: date
    expired: bool
    provisional: bool  # the holiday calendar of the due year is not published yet
    capped: bool = False  # the longest protection (e.g. 二十年) ends it earlier

    @property
    def remedy(self) -> str:
        return self.rule.remedy

    @property
    def approximate(self) -> bool:
        return self.start.approximate

    @property
    def basis(self) -> Basis:
        """What the last day rests on: the longest protection's article when that ended it."""
        return self.rule.cap.basis if self.capped and self.rule.cap else self.rule.basis

    def days_left(self, today: date) -> int:
        return (self.due - today).days


@dataclass(frozen=True, slots=True)
class Pending:
    """The period has not started (在职期间被拖欠工资)."""

    rule: Rule
    text: str


@dataclass(frozen=True, slots=True)
class Assessment:
    doors: tuple[str, ...]
    deadlines: tuple[Deadline, ...]
    pending: tuple[Pending, ...]
    missing: tuple[tuple[Rule, Event], ...]  # applicable, but the start event has no date
    dated: DatedText
    starts: dict[str, Start] = field(default_factory=dict)
    events: Mapping[str, Event] = field(default_factory=dict)
    review_first: tuple[ReviewFirst, ...] = ()  # the text names a case where review comes before court
    closed: tuple[Closed, ...] = ()  # the matter has ended in the citizen's favour: these doors are shut
    liable: Liable | None = None  # who answers a claim for state compensation, for what the text says

    @property
    def closed_doors(self) -> frozenset[str]:
        return frozenset(d for c in self.closed for d in c.doors)

    def question(self, door: str | None = None) -> Event | None:
        """The one event to ask the date of: a missing one when the door got no last day at all,
        else the event behind an approximate last day. None when nothing needs asking."""
        door = door or (self.doors[0] if self.doors else None)
        mine = [d for d in self.deadlines if d.rule.door == door]
        if not mine and not any(p.rule.door == door for p in self.pending):
            missing = [event for rule, event in self.missing if rule.door == door]
            return missing[0] if missing else None
        approximate = [d for d in mine if d.approximate and not d.start.derived]
        return self.events.get(approximate[0].event) if approximate else None


_WISH = re.compile(r"(要求|申请|希望|请求|想让|想|让|让他们|能否|能不能|可以)$")


def _stated(text: str, word: str) -> bool:
    """The text says it happened: not denied (「没有撤案」), not asked for (「要求撤案」)."""
    for m in re.finditer(re.escape(word), text):
        if not negated(text, m.start()) and not _WISH.search(text[max(0, m.start() - 3) : m.start()]):
            return True
    return False


def _closed(text: str, remedies: Remedies) -> tuple[Closed, ...]:
    return tuple(c for c in remedies.closed if any(_stated(text, w) for w in c.words))


def _starts(dated: DatedText, given: Mapping[str, date], today: date) -> dict[str, Start]:
    starts = {k: Start(v.date.day, v.date.text, v.date.approximate) for k, v in dated.events.items()}
    for event, day in given.items():
        starts[event] = Start(day, f"{day.year}年{day.month}月{day.day}日", False)
    if "judgment_effective" not in starts:
        for served, days in (("judgment_served", 15), ("ruling_served", 10)):
            if served in starts:
                last = period_end(starts[served].day, days=days)
                if last < today:
                    # no appeal within the period: the judgment took effect when it ran out
                    starts["judgment_effective"] = Start(last + timedelta(days=1), "上诉期届满", True, True)
                break
    return starts


def _start_of(rule: Rule, starts: dict[str, Start]) -> tuple[str, Start] | None:
    dated = [(e, starts[e]) for e in rule.events if e in starts]
    if not dated:
        return None
    if rule.not_counted == "custody" and len(dated) > 1:
        # learned of the wrong while held: the period runs from release (custody not counted)
        return max(dated, key=lambda pair: pair[1].day)
    return dated[0]


def _untied_as_default(
    dated: DatedText, starts: dict[str, Start], rules: Iterable[Rule], text: str, remedies: Remedies
) -> None:
    """A lone date tied to no event: take it for the door's one start event, approximately."""
    applicable = [r for r in rules if r.applies_to(text)]
    if not applicable or len(dated.untied) != 1 or any(e in starts for r in applicable for e in r.events):
        return
    firsts = {r.events[0] for r in applicable if not any(w in text for w in remedies.events[r.events[0]].unless)}
    if len(firsts) == 1:
        only = dated.untied[0]
        starts[firsts.pop()] = Start(only.day, only.text, True)


def assess(
    text: str,
    doors: Iterable[str],
    today: date,
    remedies: Remedies,
    given: Mapping[str, date] | None = None,
) -> Assessment:
    """Every remedy of these doors (and of doors a decisive event names) with its last day."""
    dated = dated_events(text, today, remedies.events.values())
    starts = _starts(dated, given or {}, today)
    chosen = list(dict.fromkeys(doors))
    for event_id, tied in dated.events.items():
        # in a short account any tied word names the door; in a long letter, only one in the date's clause
        said = tied.words if len(text) <= SHORT_ACCOUNT else tied.near
        if any(w in remedies.events[event_id].decisive for w in said):
            # the event's own door: the first whose remedies run from it
            home = next(rule.door for rule in remedies.rules if event_id in rule.events)
            if home not in chosen:
                chosen.append(home)
    # 宣告无罪 ends the criminal matter: no appeal, retrial or enforcement, only its compensation —
    # when compensation is what the text is about (a victim's case dropped by the police is not)
    closed = tuple(c for c in _closed(text, remedies) if c.door in chosen)
    for matter in closed:
        chosen = [d for d in chosen if d not in matter.doors]
    if chosen:
        _untied_as_default(dated, starts, remedies.of_door(chosen[0]), text, remedies)
    review_first = tuple(r for r in remedies.review_first if r.found_in(text))
    deadlines: list[Deadline] = []
    pending: list[Pending] = []
    missing: list[tuple[Rule, Event]] = []
    for door in chosen:
        for remedy_id in remedies.remedy_ids(door):
            if any(d.remedy == remedy_id for d in deadlines):
                continue  # another door already gave it (诉讼时效 of a land dispute)
            first_missing: Rule | None = None
            for rule in remedies.rules_of(remedy_id, door):
                if not rule.applies_to(text) or any(e in starts for e in rule.unless_events):
                    continue
                if rule.direct and review_first:
                    continue  # 复议前置: the court only after the review decision
                found = _start_of(rule, starts)
                if found is not None:
                    deadlines.append(_deadline(rule, *found, starts, today))
                    first_missing = None
                    break
                if rule.open_when and not any(
                    # 「已经离职了」 with no date: the period has started; its date is asked, not waived
                    e in starts or any(w in text for w in remedies.events[e].words)
                    for e in rule.open_when.unless_events
                ):
                    pending.append(Pending(rule, rule.open_when.text))
                    first_missing = None
                    break
                askable = [e for e in rule.events if not any(w in text for w in remedies.events[e].unless)]
                if first_missing is None and askable:
                    first_missing = rule
                    missing_event = remedies.events[askable[0]]
            if first_missing is not None:
                missing.append((first_missing, missing_event))
    liable = next((r for r in remedies.liable if r.door in chosen and r.found_in(text)), None)
    return Assessment(
        tuple(chosen),
        tuple(deadlines),
        tuple(pending),
        tuple(missing),
        dated,
        starts,
        remedies.events,
        review_first,
        closed,
        liable,
    )


def _deadline(rule: Rule, event: str, start: Start, starts: dict[str, Start], today: date) -> Deadline:
    p = rule.period
    due = period_end(start.day, days=p.days, months=p.months, years=p.years)
    capped = False
    if rule.cap is not None and rule.cap.event in starts:
        c = rule.cap.period
        cap_due = period_end(starts[rule.cap.event].day, days=c.days, months=c.months, years=c.years)
        if cap_due < due:
            due, capped = cap_due, True
    return Deadline(rule, event, start, due, due < today, not calendar_is_official(due), capped)


def deadlines_json(deadlines: Iterable[Deadline]) -> list[dict[str, Any]]:
    """Deadlines as JSON (the `deadlines` of /api/v1/triage in DESIGN.md), one per remedy, soonest first."""
    return [
        {
            "remedy": d.remedy,
            "due": d.due.isoformat(),
            "expired": d.expired,
            "basis": {"source": d.basis.citation.law, "article": d.basis.citation.article},
            "from": {"event": d.event, "date": d.start.day.isoformat(), "approximate": d.approximate},
            "provisional": d.provisional,
        }
        for d in sorted(deadlines, key=lambda d: d.due)
    ]
