"""Vocabulary groups: the words citizens use for one idea, written so a legal officer can edit them.

A data file lists `[[group]]` tables, each naming a slot and a value (`who = "employer"`), a
readable label, and its terms. A term is plain text, with two conveniences:

- `…` joins parts that may stand a few characters apart in the same clause: 「把我…开了」 also
  reads 「把我给开了」「把我们几个都开了」; `……` joins parts anywhere in the same sentence
  (across commas, up to 30 characters): 「孩子……找不到」;
- `+` joins parts that must stand right next to each other: 「杀了/砍了+他/她」;
- `/` inside a part lists alternatives: 「干活/上班/施工…摔/砸/受伤」.

Terms are checked at start-up (no empty parts, no stray symbols), so a typo fails loudly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .datafile import DataFile, require_str, require_str_list

GAP = "…"
WIDE_GAP = "……"
ALTERNATIVE = "/"
GAP_CHARS = 8  # how far apart the parts of a term may stand (「…」, within a clause)
WIDE_GAP_CHARS = 30  # 「……」, within a sentence
_CLAUSE_BREAK = "，,。！!？?；;\n"
_SENTENCE_BREAK = "。！!？?；;\n"
ADJACENT = "+"
_SEPARATOR = re.compile(r"(……|…|\+)")
_FORBIDDEN = re.compile(r"[\\\[\](){}*?^$|.]")


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # as written in the data file
    parts: tuple[tuple[str, ...], ...]  # each part: its alternatives
    pattern: re.Pattern[str] | None  # None for a single literal

    @property
    def literal(self) -> str | None:
        return self.parts[0][0] if self.pattern is None else None


@dataclass(frozen=True, slots=True)
class Group:
    slot: str
    value: str
    label: str
    terms: tuple[Term, ...]
    negatable: bool = False  # 「没有拖欠工资」: a negation just before the term cancels it
    reported: bool = True  # False: inside quoted speech (「他说"你去告啊"」) the term is not the citizen's own

    @property
    def key(self) -> str:
        return f"{self.slot}.{self.value}"


def parse_term(file: DataFile, raw: str, line: int | None) -> Term:
    text = raw.strip()
    if _FORBIDDEN.search(text):
        raise file.error(f"词语「{text}」里有特殊符号；只能用 … 表示间隔、+ 表示紧挨着、/ 表示“或”", line)
    pieces = _SEPARATOR.split(text)
    parts = tuple(tuple(a.strip() for a in part.split(ALTERNATIVE)) for part in pieces[::2])
    if not parts or any(not a for part in parts for a in part):
        raise file.error(f"词语「{text}」有空的部分（检查 … 和 / 两边）", line)
    if len(parts) == 1 and len(parts[0]) == 1:
        return Term(text, parts, None)
    gaps = {
        GAP: f"[^{re.escape(_CLAUSE_BREAK)}]{{0,{GAP_CHARS}}}?",
        WIDE_GAP: f"[^{re.escape(_SENTENCE_BREAK)}]{{0,{WIDE_GAP_CHARS}}}?",
        ADJACENT: "",
    }
    body = "(" + "|".join(re.escape(a) for a in sorted(parts[0], key=len, reverse=True)) + ")"
    for separator, part in zip(pieces[1::2], parts[1:], strict=True):
        body += gaps[separator] + "(" + "|".join(re.escape(a) for a in sorted(part, key=len, reverse=True)) + ")"
    return Term(text, parts, re.compile(body))


def parse_groups(file: DataFile, slots: dict[str, tuple[str, ...] | None], table: str = "group") -> tuple[Group, ...]:
    """`[[group]]` tables; `slots` maps each allowed slot to its allowed values (None: any value)."""
    items = file.data.get(table)
    if not isinstance(items, list) or not items:
        raise file.error(f"没有任何 [[{table}]]")
    groups: list[Group] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        line = file.item_line(table, index)
        present = [s for s in slots if s in item]
        if len(present) != 1:
            raise file.error(f"每个 [[{table}]] 要写且只写 {' / '.join(slots)} 中的一项", line)
        slot = present[0]
        value = item[slot]
        allowed = slots[slot]
        if not isinstance(value, str) or (allowed is not None and value not in allowed):
            raise file.error(f"{slot} = 「{value}」不认识（应为 {', '.join(allowed or ())} 之一）", line)
        label = require_str(file, item, "label", line, max_len=40)
        terms = tuple(parse_term(file, t, line) for t in require_str_list(file, item, "terms", line))
        duplicates = sorted({t.text for t in terms if sum(u.text == t.text for u in terms) > 1})
        if duplicates:
            raise file.error(f"{slot} = 「{value}」里的词语重复：{'、'.join(duplicates)}", line)
        for flag in ("negatable", "reported"):
            if flag in item and not isinstance(item[flag], bool):
                raise file.error(f"{flag} 应为 true 或 false", line)
        group = Group(slot, value, label, terms, item.get("negatable", False), item.get("reported", True))
        if group.key in seen:
            raise file.error(f"{group.key} 写了两次，请合并成一组", line)
        seen.add(group.key)
        groups.append(group)
    return tuple(groups)
