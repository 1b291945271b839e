"""The date a citizen says something happened: 「3月5日收到处罚决定书」「上个月底」「半个月前」,
and which event each date belongs to: 收到决定书, 离职, 判决生效, 放出来, 收到处理意见 ….

Relative to today (China time). When the words give only a month or a vague span, the
earliest day it could mean is taken — an earlier start gives an earlier deadline, and telling a
citizen too early a last day is the safe mistake — and the result says it is approximate.

A date belongs to the events named in its own clause, and in the clauses after it in the same
sentence up to the next date (「2月3日派出所说我打架，决定拘留我10天」). When one event gets several
dates, the one said with 「收到」「送达」「知道」 wins — the law counts from receiving or knowing —
then an exact one, then the earliest.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

import holidays

from knowledge.numerals import cn_to_int
from knowledge.periods import add_months

_NUM = r"[0-9]{1,4}|[零〇一二两三四五六七八九十]{1,3}"
_ABSOLUTE = re.compile(
    rf"(?:(?P<y>\d{{4}}|今|去|前)年)?(?P<m>{_NUM})月(?:份)?(?:(?P<d>{_NUM})(?:日|号))?(?P<part>初|中旬|底|末|下旬|上旬)?"
)
# 「2019年」「2023年底」「前年年初」: a year, or its start or end, without a month
_YEAR_ONLY = re.compile(
    r"(?P<y>\d{4}|前|去|今)年(?P<part>年底|年末|底|末|年初|初|上半年|下半年)?(?![0-9零〇一二三四五六七八九十两]{1,3}月|[0-9])"
)
# 「元旦那天」「国庆节前一天」「端午节当天」: a festival day (the most recent one, unless a year is said)
_FESTIVAL = re.compile(
    r"(?P<y>\d{4}年|今年|去年|前年)?(?P<name>元旦|除夕|春节|大年初一|清明节?|劳动节|五一|端午节?|中秋节?|国庆节?)"
    r"(?P<mod>前一天|前一日|前夕|那天|那一天|当天|后一天)?"
)
_FESTIVAL_NAMES = {
    "元旦": "New Year's Day",
    "春节": "Chinese New Year (Spring Festival)",
    "大年初一": "Chinese New Year (Spring Festival)",
    "除夕": "Chinese New Year's Eve",
    "清明": "Tomb-Sweeping Day",
    "劳动节": "Labor Day",
    "五一": "Labor Day",
    "端午": "Dragon Boat Festival",
    "中秋": "Mid-Autumn Festival",
    "国庆": "National Day",
}
_ISO = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3}
_AGO = re.compile(rf"(?P<n>{_NUM}|半|几)\s*(?P<unit>天|日|周|星期|个星期|礼拜|个礼拜|个月|月|年)(?:以?前|之前)")
_LAST_MONTH = re.compile(rf"上个?月(?:(?P<d>{_NUM})(?:日|号))?(?P<part>初|中旬|底|末|下旬|上旬)?")
_THIS_MONTH = re.compile(rf"(?:这个?|本)月(?:(?P<d>{_NUM})(?:日|号)|(?P<part>初|中旬|底|末|下旬|上旬))")
# 「5号收到的」: a day of this month (or last month, if it has not come yet); not 「3号楼」「5号线」
_BARE_DAY = re.compile(
    r"(?<![月\d年第])(?P<d>[0-9]{1,2}|[一二三四五六七八九十]{1,3})号(?![楼院线车房室门铺位床窗口码路街巷桥馆厂店井栋号区组队地])"
)
_LAST_WEEK = re.compile(r"上(?:个)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])?")
_LAST_YEAR = re.compile(r"去年(?P<part>年初|年底|年末|底|初)?")
# words that say "this is when I received / learned of it" — the date nearest to them wins
_EVENT = re.compile(
    r"收到|送达|拿到|接到|知道|得知|下达|作出|做出|判决|宣判|裁定|处罚|罚|辞退|开除|解雇|离职|被打|被骗|发生"
)
# the law counts from receiving or knowing: a date said with these words is the one that counts
_RECEIPT = re.compile(r"收到|送达|签收|拿到|接到|领到|寄到|知道|得知|才知|通知我|告诉我|给我")
_SENTENCE_BREAK = re.compile(r"[。！？!?；;\n]")
_COMMA = re.compile(r"[，,、]")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


@dataclass(frozen=True, slots=True)
class MentionedDate:
    day: date
    text: str  # the words it came from
    approximate: bool  # only a month or a span was given: the earliest day it could mean


def _num(text: str) -> int:
    return int(text) if text.isdigit() else cn_to_int(text.replace("两", "二"))


def _month_part(year: int, month: int, part: str | None) -> tuple[date, bool]:
    last = calendar.monthrange(year, month)[1]
    if part in ("底", "末", "下旬"):
        return date(year, month, 21 if part == "下旬" else last), part == "下旬"
    if part == "中旬":
        return date(year, month, 11), True
    return date(year, month, 1), True  # 初, 上旬, or just the month


def _festival(year: int, name: str) -> date | None:
    """The first day of a festival in a year (the festival itself, not the whole holiday)."""
    wanted = _FESTIVAL_NAMES[name.rstrip("节") if name not in _FESTIVAL_NAMES else name]
    days = sorted(d for d, n in holidays.China(years=year).items() if n == wanted)
    return days[0] if days else None


def _previous_month(today: date, months: int = 1) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 - months
    return index // 12, index % 12 + 1


def _spans(text: str, today: date) -> list[tuple[int, int, MentionedDate]]:
    """Every date the text states, as (start, end, date), longest reading first where they overlap."""
    found: list[tuple[int, int, MentionedDate]] = []

    def add(position: int, day: date, words: str, approximate: bool) -> None:
        if date(1990, 1, 1) <= day <= today:
            found.append((position, position + len(words), MentionedDate(day, words, approximate)))

    for m in _ISO.finditer(text):
        try:
            add(m.start(), date(int(m["y"]), int(m["m"]), int(m["d"])), m.group(0), False)
        except ValueError:
            continue
    context_year: int | None = None  # 「去年3月被抓，3月10日放出来」: the second date is in that year too
    for m in _ABSOLUTE.finditer(text):
        try:
            month = _num(m["m"])
            if not 1 <= month <= 12:
                continue
            year_word = m["y"]
            year = {"今": today.year, "去": today.year - 1, "前": today.year - 2}.get(year_word or "")
            if year is None:
                year = int(year_word) if year_word else (context_year or today.year)
            if year_word:
                context_year = year
            if m["d"]:
                day = date(year, month, _num(m["d"]))
                approximate = False
            else:
                day, approximate = _month_part(year, month, m["part"])
            if not year_word and not context_year and day > today:
                day = (
                    day.replace(year=year - 1)
                    if not (day.month == 2 and day.day == 29)
                    else day.replace(year=year - 1, day=28)
                )
            add(m.start(), day, m.group(0), approximate)
        except ValueError:
            continue
    for m in _FESTIVAL.finditer(text):
        said_year = m["y"]
        years = (
            [{"今年": today.year, "去年": today.year - 1, "前年": today.year - 2}.get(said_year) or int(said_year[:4])]
            if said_year
            else [today.year, today.year - 1]
        )
        shift = {"前一天": -1, "前一日": -1, "前夕": -1, "后一天": 1}.get(m["mod"] or "", 0)
        for year in years:
            day = _festival(year, m["name"])
            if day is not None and day + timedelta(days=shift) <= today:
                # without 「那天」「前一天」 the festival may mean its whole holiday: approximate
                add(m.start(), day + timedelta(days=shift), m.group(0), not m["mod"])
                break
    for m in _YEAR_ONLY.finditer(text):
        year = {"今": today.year, "去": today.year - 1, "前": today.year - 2}.get(m["y"]) or int(m["y"])
        part = m["part"] or ""
        if m["y"] == "去" and not part:
            continue  # 「去年」 alone is read below
        if part in ("年底", "年末", "底", "末"):
            day = date(year, 12, 1)
        elif part == "下半年":
            day = date(year, 7, 1)
        else:
            day = date(year, 1, 1)
        if m["y"] == "去" and part in ("年底", "年末", "底", "末", "年初", "初"):
            continue  # read below as 去年年底 / 去年年初
        if 1990 <= year <= today.year:
            add(m.start(), min(day, today), m.group(0), True)
    for words, back in _RELATIVE_DAYS.items():
        for m in re.finditer(words, text):
            if words == "前天" and text[max(0, m.start() - 1) : m.start()] == "大":
                continue
            add(m.start(), today - timedelta(days=back), words, False)
    for m in _AGO.finditer(text):
        try:
            n = 0.5 if m["n"] == "半" else 3 if m["n"] == "几" else _num(m["n"])
        except ValueError:
            continue
        if n > 100:
            continue  # 「两千年前」 is history, not a deadline
        unit = m["unit"]
        if unit in ("天", "日"):
            day = today - timedelta(days=int(n))
        elif unit in ("周", "星期", "个星期", "礼拜", "个礼拜"):
            day = today - timedelta(days=int(7 * n))
        elif unit in ("个月", "月"):
            day = today - timedelta(days=16) if n < 1 else add_months(today, -int(n))
        else:
            day = date(today.year - int(n), 1, 1) if n >= 1 else today - timedelta(days=183)
        add(m.start(), day, m.group(0), unit not in ("天", "日"))
    for m in _LAST_MONTH.finditer(text):
        year, month = _previous_month(today)
        try:
            if m["d"]:
                day, approximate = date(year, month, _num(m["d"])), False
            else:
                day, approximate = _month_part(year, month, m["part"])
        except ValueError:
            continue
        add(m.start(), day, m.group(0), approximate)
    for m in _THIS_MONTH.finditer(text):
        try:
            if m["d"]:
                day, approximate = date(today.year, today.month, _num(m["d"])), False
            else:
                day, approximate = _month_part(today.year, today.month, m["part"])
        except ValueError:
            continue
        add(m.start(), min(day, today), m.group(0), approximate)
    for m in _BARE_DAY.finditer(text):
        try:
            number = _num(m["d"])
            year, month = (today.year, today.month) if number <= today.day else _previous_month(today)
            add(m.start(), date(year, month, number), m.group(0), False)
        except ValueError:
            continue
    for m in _LAST_WEEK.finditer(text):
        monday = today - timedelta(days=today.weekday() + 7)
        if m["wd"]:
            wd = m["wd"]
            offset = int(wd) - 1 if wd.isdigit() else _WEEKDAYS[wd]
            add(m.start(), monday + timedelta(days=offset), m.group(0), False)
        else:
            add(m.start(), monday, m.group(0), True)
    for m in _LAST_YEAR.finditer(text):
        if m.end() < len(text) and re.match(rf"({_NUM})月", text[m.end() :]):
            continue  # 「去年12月」 is read above, as a month
        part = m["part"] or ""
        day = date(today.year - 1, 12, 1) if part in ("年底", "年末", "底") else date(today.year - 1, 1, 1)
        add(m.start(), day, m.group(0), True)
    # where readings overlap (「上个月5号」 and 「上个月」), keep the longest
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, MentionedDate]] = []
    for span in found:
        if not any(k[0] <= span[0] < k[1] or span[0] <= k[0] < span[1] for k in kept):
            kept.append(span)
    return kept


def _candidates(text: str, today: date) -> list[tuple[int, MentionedDate]]:
    return [(start, found) for start, _end, found in _spans(text, today)]


def mentioned_date(text: str, today: date) -> MentionedDate | None:
    """The date of the event the text is about, or None when it names no date."""
    found = _candidates(text, today)
    if not found:
        return None
    events = [m.start() for m in _EVENT.finditer(text)]
    if not events:
        return found[0][1]
    return min(found, key=lambda pair: min(abs(pair[0] - e) for e in events))[1]


class EventWords(Protocol):
    """What an event is called in citizens' words (knowledge.remedies.Event has this shape)."""

    @property
    def id(self) -> str: ...
    @property
    def words(self) -> tuple[str, ...]: ...
    @property
    def unless(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class EventDate:
    event: str  # the event id
    date: MentionedDate
    word: str  # the event's word nearest to the date
    receipt: bool  # said with 收到 / 送达 / 知道: the moment the law counts from
    words: tuple[str, ...] = ()  # every word of the event tied to this date
    near: tuple[str, ...] = ()  # … of which those in the date's own clause


@dataclass(frozen=True, slots=True)
class DatedText:
    """What the text says happened when: the date of each event, and dates tied to none."""

    events: dict[str, EventDate]
    untied: tuple[MentionedDate, ...]
    all_dates: tuple[MentionedDate, ...]


def dated_events(text: str, today: date, events: Iterable[EventWords]) -> DatedText:
    """Tie each date the text states to the event it belongs to (see the module doc)."""
    spans = _spans(text, today)
    # clauses: split at sentence ends and commas; a date speaks for its own clause, and for the
    # clauses after it in the same sentence until the next date (「2月3日派出所说我打架，决定拘留我」)
    breaks = [0] + [m.end() for m in re.finditer(r"[。！？!?；;\n，,、]", text)] + [len(text) + 1]
    sentence_ends = {m.end() for m in _SENTENCE_BREAK.finditer(text)}

    def clause_of(position: int) -> int:
        return next(i for i in range(len(breaks) - 1) if breaks[i] <= position < breaks[i + 1])

    def sentence_of(position: int) -> int:
        return sum(1 for end in sentence_ends if end <= position)

    hits: list[tuple[int, int, str, str]] = []  # start, end, event id, word
    for event in events:
        if any(w in text for w in event.unless):
            continue
        for word in event.words:
            for m in re.finditer(re.escape(word), text):
                if not any(s[0] < m.end() and m.start() < s[1] for s in spans):
                    hits.append((m.start(), m.end(), event.id, word))
    owner: dict[int, int] = {}  # hit index → span index
    for index, (h_start, _h_end, _event, _word) in enumerate(hits):
        clause, sentence = clause_of(h_start), sentence_of(h_start)
        same = [i for i, s in enumerate(spans) if clause_of(s[0]) == clause]
        if same:
            owner[index] = min(same, key=lambda i: abs(spans[i][0] - h_start))
            continue
        before = [i for i, s in enumerate(spans) if s[0] < h_start and sentence_of(s[0]) == sentence]
        after = [i for i, s in enumerate(spans) if s[0] > h_start and sentence_of(s[0]) == sentence]
        if before:
            owner[index] = before[-1]
        elif after:
            owner[index] = after[0]
    chosen: dict[str, EventDate] = {}
    untied: list[MentionedDate] = []
    for position, (start, _end, found) in enumerate(spans):
        mine = [hits[i] for i, p in owner.items() if p == position]
        if not mine:
            untied.append(found)
            continue
        clause = clause_of(start)
        receipt = bool(_RECEIPT.search(text[breaks[clause] : breaks[clause + 1]]))
        words: dict[str, list[str]] = {}
        near: dict[str, list[str]] = {}
        for h_start, _e, event_id, word in sorted(mine, key=lambda h: abs(h[0] - start)):
            words.setdefault(event_id, []).append(word)
            if clause_of(h_start) == clause:
                near.setdefault(event_id, []).append(word)
        for event_id, said in words.items():
            candidate = EventDate(event_id, found, said[0], receipt, tuple(said), tuple(near.get(event_id, ())))
            previous = chosen.get(event_id)
            if previous is None or _better(candidate, previous):
                chosen[event_id] = candidate
    return DatedText(chosen, tuple(untied), tuple(found for _s, _e, found in spans))


def _better(new: EventDate, old: EventDate) -> bool:
    """Of two dates for one event: the one said with 收到/知道, then the exact one, then the earliest."""
    if new.receipt != old.receipt:
        return new.receipt
    if new.date.approximate != old.date.approximate:
        return not new.date.approximate
    return new.date.day < old.date.day
