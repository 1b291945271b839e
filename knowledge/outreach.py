"""Outreach content: one plain line per article (「条例每日一条」) and quiz questions."""

from __future__ import annotations

from dataclasses import dataclass

from .datafile import load_toml, require_str, require_str_list
from .laws import Law

OUTREACH_FILE = "outreach.toml"


@dataclass(frozen=True, slots=True)
class QuizItem:
    question: str
    options: tuple[str, ...]
    answer: int  # index into options, from 0
    explain: str
    article: int


@dataclass(frozen=True, slots=True)
class Outreach:
    daily: dict[int, str]  # article → one plain line
    quiz: tuple[QuizItem, ...]


def load_outreach(regulation: Law, text: str | None = None) -> Outreach:
    file = load_toml(OUTREACH_FILE, text)
    daily: dict[int, str] = {}
    for item in file.data.get("daily", {}).get("lines", []):
        article = item.get("article")
        line_no = file.text_line(f"article = {article},")
        if article not in regulation.articles:
            raise file.error(f"条例没有第{article}条", line_no)
        line = require_str(file, item, "line", line_no, max_len=60)
        if article in daily:
            raise file.error(f"第{article}条重复", line_no)
        daily[article] = line
    missing = sorted(set(regulation.articles) - set(daily))
    if missing:
        raise file.error(f"[daily] 缺少这些条：{missing}")
    quiz = []
    for index, item in enumerate(file.data.get("quiz", [])):
        line = file.item_line("quiz", index)
        options = require_str_list(file, item, "options", line, min_len=2)
        answer = item.get("answer")
        if not isinstance(answer, int) or not 1 <= answer <= len(options) or len(options) > 4:
            raise file.error("answer 应为正确选项的序号（1 到选项个数，最多 4 个选项）", line)
        article = item.get("article")
        if article not in regulation.articles:
            raise file.error(f"条例没有第{article}条", line)
        quiz.append(
            QuizItem(
                require_str(file, item, "question", line, max_len=80),
                tuple(options),
                answer - 1,
                require_str(file, item, "explain", line, max_len=200),
                article,
            )
        )
    return Outreach(daily, tuple(quiz))
