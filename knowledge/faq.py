"""The FAQ: questions in citizens' words, short answers, and the articles they rest on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .datafile import DataFile, load_toml, require_int_list, require_str, require_str_list
from .laws import REGULATION, Law

FAQ_FILE = "faq.toml"
# the specific needs the intent reader recognises (nlp/intent.py); an entry may answer one of them
NEEDS = ("review", "recheck", "not_accepted", "not_registered", "leader", "confidential", "status")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")


@dataclass(frozen=True, slots=True)
class Citation:
    law: str
    article: int


@dataclass(frozen=True, slots=True)
class FaqEntry:
    id: str
    topic: str
    questions: tuple[str, ...]
    answer: str
    citations: tuple[Citation, ...]  # best first
    quote: str  # verbatim sentence of citations[0]
    need: str | None = None  # the specific need this entry answers (one of NEEDS)

    @property
    def law(self) -> str:
        return self.citations[0].law


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def parse_faq(file: DataFile, laws: dict[str, Law]) -> tuple[FaqEntry, ...]:
    items = file.data.get("entry")
    if not isinstance(items, list) or not items:
        raise file.error("没有任何 [[entry]]")
    entries: list[FaqEntry] = []
    seen: dict[str, int | None] = {}
    needs: dict[str, str] = {}
    for index, item in enumerate(items):
        line = file.item_line("entry", index)
        entry_id = require_str(file, item, "id", line)
        if not _ID.match(entry_id):
            raise file.error(f"id「{entry_id}」只能用小写字母、数字和连字符", line)
        if entry_id in seen:
            raise file.error(f"id「{entry_id}」重复（第一次出现在第 {seen[entry_id]} 行）", line)
        seen[entry_id] = line
        law_name = item.get("law", REGULATION)
        law = laws.get(law_name)
        if law is None:
            raise file.error(f"没有名为《{law_name}》的法律文本", line)
        numbers = require_int_list(file, item, "articles", line)
        for number in numbers:
            if number not in law.articles:
                raise file.error(f"《{law.name}》没有第{number}条", file.key_line("articles", line or 0))
        quote = require_str(file, item, "quote", line)
        if _squash(quote) not in _squash(law.articles[numbers[0]].text):
            raise file.error(
                f"quote 不是《{law.name}》第{numbers[0]}条的原文，请从条文中原样复制",
                file.key_line("quote", line or 0),
            )
        need = item.get("need")
        if need is not None:
            if need not in NEEDS:
                raise file.error(f"need 只能是 {'、'.join(NEEDS)} 之一", file.key_line("need", line or 0))
            if need in needs:
                raise file.error(f"need「{need}」已由「{needs[need]}」回答，每种需要只对应一条", line)
            needs[need] = entry_id
        entries.append(
            FaqEntry(
                id=entry_id,
                topic=require_str(file, item, "topic", line, max_len=12),
                questions=tuple(require_str_list(file, item, "questions", line, min_len=2)),
                answer=require_str(file, item, "answer", line, max_len=400),
                citations=tuple(Citation(law.name, n) for n in numbers),
                quote=quote,
                need=need,
            )
        )
    return tuple(entries)


def load_faq(laws: dict[str, Law], text: str | None = None) -> tuple[FaqEntry, ...]:
    return parse_faq(load_toml(FAQ_FILE, text), laws)
