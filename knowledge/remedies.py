"""Remedies and their periods, as the law has them: each door's ways out, each with its period,
the event it runs from, and its basis — quoted from the shipped law text and checked at start-up.

One door may offer several remedies (行政复议 and 行政诉讼; 上诉, 再审 and 申请执行), and one remedy
may have several rules (行政诉讼: 6 months from the act, or 15 days from the 复议决定). The rules of
a remedy are tried in file order; the first that applies and has a dated start event decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .channels import CHANNEL_IDS, Basis, parse_basis
from .datafile import DataFile, load_toml, require_str, require_str_list
from .laws import Law

REMEDIES_FILE = "remedies.toml"
REMEDY_IDS = (
    "admin_review",
    "admin_litigation",
    "labor_arbitration",
    "civil_litigation",
    "commercial_arbitration",
    "rural_land_arbitration",
    "appeal",
    "retrial",
    "enforcement",
    "state_compensation",
    "petition_review",
    "petition_recheck",
)
LIABLE_DOOR = "state_compensation"  # 赔偿义务机关 (国家赔偿法第二十一条) are that door's
NOT_COUNTED = ("custody",)  # periods the law leaves out of the count (国家赔偿法第三十九条: 被羁押等)


@dataclass(frozen=True, slots=True)
class Event:
    """What a period runs from: 收到决定书, 离职, 判决生效, 放出来 …"""

    id: str
    name: str
    ask: str  # the one question that asks for its date
    words: tuple[str, ...]
    unless: tuple[str, ...] = ()  # the text speaks of something else (二审 ≠ 一审判决)
    decisive: tuple[str, ...] = ()  # words that alone name the door (信访处理意见书, 罚款决定书)


@dataclass(frozen=True, slots=True)
class Period:
    days: int = 0
    months: int = 0
    years: int = 0

    @property
    def words(self) -> str:
        if self.days:
            return f"{self.days} 日"
        if self.months:
            return f"{self.months} 个月"
        return f"{self.years} 年"


@dataclass(frozen=True, slots=True)
class Cap:
    """A longest protection, counted from another event (民法典第一百八十八条: 二十年)."""

    period: Period
    event: str
    basis: Basis


@dataclass(frozen=True, slots=True)
class Open:
    """The period does not run yet (在职期间被拖欠工资): said in words, no last day."""

    text: str
    unless_events: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """One way a remedy's period is counted."""

    remedy: str
    door: str
    name: str
    period: Period
    events: tuple[str, ...]  # start events, first dated wins
    start: str  # 「从哪天起算」 in words
    basis: Basis
    if_passed: str
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    unless_events: tuple[str, ...] = ()
    not_counted: str = ""
    cap: Cap | None = None
    open_when: Open | None = None
    direct: bool = False  # straight to court, skipping 行政复议: not open where review comes first

    def applies_to(self, text: str) -> bool:
        if self.when and not any(w in text for w in self.when):
            return False
        return not any(w in text for w in self.unless)


@dataclass(frozen=True, slots=True)
class ReviewFirst:
    """A case the law sends to 行政复议 before any court (行政复议法第二十三条): no direct suit."""

    case: str  # in the citizen's terms
    words: tuple[str, ...]
    basis: Basis
    door: str  # the door whose direct suit it closes (admin_remedy)

    def found_in(self, text: str) -> bool:
        return any(w in text for w in self.words)


@dataclass(frozen=True, slots=True)
class Closed:
    """The matter has ended in the citizen's favour (宣告无罪, 撤销案件, 不起诉): the doors for
    challenging or enforcing a judgment are not its way; `door` is."""

    case: str
    words: tuple[str, ...]
    doors: tuple[str, ...]  # closed for this matter (court_procedure)
    door: str  # the way that remains (state_compensation)
    text: str  # why, in the citizen's terms


@dataclass(frozen=True, slots=True)
class Liable:
    """Which organ answers a claim for state compensation, by what happened (国家赔偿法第二十一条)."""

    case: str
    words: tuple[str, ...]  # 「再审…无罪」: both parts, in this order, anything between
    who: str
    basis: Basis
    door: str = LIABLE_DOOR

    def found_in(self, text: str) -> bool:
        return any(_in_order(text, w.split("…")) for w in self.words)


def _in_order(text: str, parts: list[str]) -> bool:
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


@dataclass(frozen=True, slots=True)
class Remedies:
    events: dict[str, Event]
    rules: tuple[Rule, ...]
    review_first: tuple[ReviewFirst, ...] = ()
    closed: tuple[Closed, ...] = ()
    liable: tuple[Liable, ...] = ()

    def of_door(self, door: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.door == door)

    def remedy_ids(self, door: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.remedy for r in self.of_door(door)))

    def rules_of(self, remedy: str, door: str | None = None) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.remedy == remedy and (door is None or r.door == door))


def _period(file: DataFile, raw: dict[str, Any], line: int | None, what: str) -> Period:
    units = {k: raw.get(k, 0) for k in ("days", "months", "years")}
    if any(not isinstance(v, int) or v < 0 for v in units.values()) or sum(1 for v in units.values() if v) != 1:
        raise file.error(f"{what}：days、months、years 三者必须且只能填一个正整数", line)
    return Period(**units)


def _flag(file: DataFile, raw: dict[str, Any], key: str, line: int | None) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise file.error(f"{key} 只能写 true 或 false", line)
    return value


def _words(file: DataFile, raw: dict[str, Any], key: str, line: int | None) -> tuple[str, ...]:
    if key not in raw:
        return ()
    return tuple(require_str_list(file, raw, key, line))


def parse_remedies(file: DataFile, laws: dict[str, Law]) -> Remedies:
    events: dict[str, Event] = {}
    for index, raw in enumerate(file.data.get("event", [])):
        line = file.item_line("event", index)
        event_id = require_str(file, raw, "id", line)
        if event_id in events:
            raise file.error(f"起算事件「{event_id}」重复", line)
        words = tuple(require_str_list(file, raw, "words", line))
        decisive = raw.get("decisive", False)
        if decisive is True:
            decisive_words = words
        elif decisive is False:
            decisive_words = ()
        else:
            decisive_words = _words(file, raw, "decisive", line)
        events[event_id] = Event(
            event_id,
            require_str(file, raw, "name", line),
            require_str(file, raw, "ask", line, max_len=120),
            words + tuple(w for w in decisive_words if w not in words),
            _words(file, raw, "unless", line),
            decisive_words,
        )
    if not events:
        raise file.error("没有任何 [[event]]（起算事件）")

    def known(ids: tuple[str, ...], line: int | None, what: str) -> tuple[str, ...]:
        unknown = [e for e in ids if e not in events]
        if unknown:
            raise file.error(f"{what}：未知的起算事件 {unknown}", line)
        return ids

    rules: list[Rule] = []
    for index, raw in enumerate(file.data.get("remedy", [])):
        line = file.item_line("remedy", index)
        remedy_id = require_str(file, raw, "id", line)
        if remedy_id not in REMEDY_IDS:
            raise file.error(f"未知的救济方式 id「{remedy_id}」（应为 {', '.join(REMEDY_IDS)} 之一）", line)
        door = require_str(file, raw, "door", line)
        if door not in CHANNEL_IDS:
            raise file.error(f"{remedy_id}：未知的途径「{door}」", line)
        what = f"{remedy_id} 的期限"
        not_counted = str(raw.get("not_counted", ""))
        if not_counted and not_counted not in NOT_COUNTED:
            raise file.error(f"{remedy_id}：not_counted 只能是 {', '.join(NOT_COUNTED)}", line)
        cap = None
        if "cap" in raw:
            raw_cap = raw["cap"]
            if not isinstance(raw_cap, dict):
                raise file.error(f"{remedy_id}：cap 格式不对", line)
            cap = Cap(
                _period(file, raw_cap, line, f"{remedy_id} 的 cap"),
                known((require_str(file, raw_cap, "from", line),), line, remedy_id)[0],
                parse_basis(file, laws, raw_cap.get("basis"), line, f"{remedy_id} 的最长保护期"),
            )
        open_when = None
        if "open_when" in raw:
            raw_open = raw["open_when"]
            if not isinstance(raw_open, dict):
                raise file.error(f"{remedy_id}：open_when 格式不对", line)
            open_when = Open(
                require_str(file, raw_open, "text", line),
                known(_words(file, raw_open, "unless_events", line), line, remedy_id),
            )
        rules.append(
            Rule(
                remedy=remedy_id,
                door=door,
                name=require_str(file, raw, "name", line),
                period=_period(file, raw, line, what),
                events=known(tuple(require_str_list(file, raw, "from", line)), line, remedy_id),
                start=require_str(file, raw, "start", line),
                basis=parse_basis(file, laws, raw.get("basis"), line, what),
                if_passed=require_str(file, raw, "if_passed", line),
                when=_words(file, raw, "when", line),
                unless=_words(file, raw, "unless", line),
                unless_events=known(_words(file, raw, "unless_events", line), line, remedy_id),
                not_counted=not_counted,
                cap=cap,
                open_when=open_when,
                direct=_flag(file, raw, "direct", line),
            )
        )
    missing = [r for r in REMEDY_IDS if r not in {rule.remedy for rule in rules}]
    if missing:
        raise file.error(f"缺少救济方式：{', '.join(missing)}")
    review_first: list[ReviewFirst] = []
    direct_doors = list(dict.fromkeys(r.door for r in rules if r.direct))
    for index, raw in enumerate(file.data.get("review_first", [])):
        line = file.item_line("review_first", index)
        case = require_str(file, raw, "case", line)
        review_first.append(
            ReviewFirst(
                case,
                tuple(require_str_list(file, raw, "words", line)),
                parse_basis(file, laws, raw.get("basis"), line, f"复议前置「{case}」"),
                direct_doors[0] if len(direct_doors) == 1 else "",
            )
        )
    if review_first and len(direct_doors) != 1:
        raise file.error("写了 [[review_first]]（复议前置），应当有且只有一个途径的规则标了 direct = true（直接起诉）")
    closed: list[Closed] = []
    for index, raw in enumerate(file.data.get("closed", [])):
        line = file.item_line("closed", index)
        doors = tuple(require_str_list(file, raw, "doors", line))
        door = require_str(file, raw, "door", line)
        unknown = [d for d in (*doors, door) if d not in CHANNEL_IDS]
        if unknown:
            raise file.error(f"closed：未知的途径 {unknown}", line)
        closed.append(
            Closed(
                require_str(file, raw, "case", line),
                tuple(require_str_list(file, raw, "words", line)),
                doors,
                door,
                require_str(file, raw, "text", line),
            )
        )
    liable: list[Liable] = []
    for index, raw in enumerate(file.data.get("liable", [])):
        line = file.item_line("liable", index)
        case = require_str(file, raw, "case", line)
        liable.append(
            Liable(
                case,
                tuple(require_str_list(file, raw, "words", line)),
                require_str(file, raw, "who", line),
                parse_basis(file, laws, raw.get("basis"), line, f"赔偿义务机关「{case}」"),
            )
        )
    return Remedies(events, tuple(rules), tuple(review_first), tuple(closed), tuple(liable))


def load_remedies(laws: dict[str, Law], text: str | None = None) -> Remedies:
    return parse_remedies(load_toml(REMEDIES_FILE, text), laws)
