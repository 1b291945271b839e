"""The date a citizen says something happened: 「3月5日收到处罚决定书」「上个月底」「半个月前」.

Relative to today (China time). When the words give only a month or a vague span, the
earliest day it could mean is taken — an earlier start gives an earlier deadline, and telling a
citizen too early a last day is the safe mistake — and the result says it is approximate.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.numerals import cn_to_int
from knowledge.periods import add_months

_NUM = r"[0-9]{1,4}|[零〇一二两三四五六七八九十]{1,3}"
_ABSOLUTE = re.compile(
    rf"(?:(?P<y>\d{{4}}|今|去|前)年)?(?P<m>{_NUM})月(?:份)?(?:(?P<d>{_NUM})(?:日|号))?(?P<part>初|中旬|底|末|下旬|上旬)?"
)
_ISO = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3}
_AGO = re.compile(rf"(?P<n>{_NUM}|半|几)\s*(?P<unit>天|日|周|星期|个星期|礼拜|个礼拜|个月|月|年)(?:以?前|之前)")
_LAST_MONTH = re.compile(r"上个?月(?P<part>初|中旬|底|末|下旬|上旬)?")
_THIS_MONTH = re.compile(r"(?:这个?|本)月(?P<part>初|中旬|底|末|下旬|上旬)")
_LAST_WEEK = re.compile(r"上(?:个)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])?")
_LAST_YEAR = re.compile(r"去年(?P<part>年初|年底|年末|底|初)?")
# words that say "this is when I received / learned of it" — the date nearest to them wins
_EVENT = re.compile(
    r"收到|送达|拿到|接到|知道|得知|下达|作出|做出|判决|宣判|裁定|处罚|罚|辞退|开除|解雇|离职|被打|被骗|发生"
)
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


def _previous_month(today: date, months: int = 1) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 - months
    return index // 12, index % 12 + 1


def _candidates(text: str, today: date) -> list[tuple[int, MentionedDate]]:
    found: list[tuple[int, MentionedDate]] = []

    def add(position: int, day: date, words: str, approximate: bool) -> None:
        if date(1990, 1, 1) <= day <= today:
            found.append((position, MentionedDate(day, words, approximate)))

    for m in _ISO.finditer(text):
        try:
            add(m.start(), date(int(m["y"]), int(m["m"]), int(m["d"])), m.group(0), False)
        except ValueError:
            continue
    for m in _ABSOLUTE.finditer(text):
        try:
            month = _num(m["m"])
            if not 1 <= month <= 12:
                continue
            year_word = m["y"]
            year = {"今": today.year, "去": today.year - 1, "前": today.year - 2}.get(year_word or "")
            if year is None:
                year = int(year_word) if year_word else today.year
            if m["d"]:
                day = date(year, month, _num(m["d"]))
                approximate = False
            else:
                day, approximate = _month_part(year, month, m["part"])
            if not year_word and day > today:
                day = (
                    day.replace(year=year - 1)
                    if not (day.month == 2 and day.day == 29)
                    else day.replace(year=year - 1, day=28)
                )
            add(m.start(), day, m.group(0), approximate)
        except ValueError:
            continue
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
        day, approximate = _month_part(year, month, m["part"])
        add(m.start(), day, m.group(0), approximate)
    for m in _THIS_MONTH.finditer(text):
        day, approximate = _month_part(today.year, today.month, m["part"])
        add(m.start(), min(day, today), m.group(0), approximate)
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
    return found


def mentioned_date(text: str, today: date) -> MentionedDate | None:
    """The date of the event the text is about, or None when it names no date."""
    found = _candidates(text, today)
    if not found:
        return None
    events = [m.start() for m in _EVENT.finditer(text)]
    if not events:
        return found[0][1]
    return min(found, key=lambda pair: min(abs(pair[0] - e) for e in events))[1]
