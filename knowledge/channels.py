"""The legal channels of 诉访分离: what each door is, who decides, how, by when, on what basis.
(Which door a citizen's words point to is read by the rules in steering.toml: knowledge/steering.py.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .datafile import DataFile, load_toml, require_str, require_str_list
from .faq import Citation
from .laws import Law
from .numerals import article_label

CHANNELS_FILE = "channels.toml"
_PART = re.compile(
    r"^第[一二三四五六七八九十]+[款项](第[一二三四五六七八九十]+项)?(、第[一二三四五六七八九十]+[款项])*$"
)
CHANNEL_IDS = (
    "petition",
    "admin_remedy",
    "labor_arbitration",
    "civil_litigation",
    "commercial_arbitration",
    "rural_land_arbitration",
    "court_procedure",
    "criminal_report",
    "discipline_report",
    "state_compensation",
)


@dataclass(frozen=True, slots=True)
class Basis:
    citation: Citation
    quote: str
    part: str = ""  # 款、项 within the article, e.g. 「第二款」

    @property
    def label(self) -> str:
        return f"《{self.citation.law}》{article_label(self.citation.article)}{self.part}"


@dataclass(frozen=True, slots=True)
class Limit:
    """The card's headline on time limits; the periods themselves are in remedies.toml."""

    text: str
    basis: Basis


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    name: str
    plain: str
    who: str
    where: str
    bring: tuple[str, ...]
    cost: str
    limit: Limit
    basis: tuple[Basis, ...]  # further provisions, besides the limit's
    also_text: str = ""
    door_basis: tuple[Basis, ...] = ()  # why the matter goes this way and not to the petition office
    optional: str = ""  # the route is a choice, not a must: what else the citizen may do


def parse_basis(file: DataFile, laws: dict[str, Law], raw: Any, line: int | None, what: str) -> Basis:
    if not isinstance(raw, dict):
        raise file.error(f"{what} 的依据格式不对（应有 law、article、quote）", line)
    law_name = require_str(file, raw, "law", line)
    law = laws.get(law_name)
    if law is None:
        raise file.error(f"{what}：没有名为《{law_name}》的法律文本", line)
    article = raw.get("article")
    if not isinstance(article, int) or article not in law.articles:
        raise file.error(f"{what}：《{law_name}》没有第{article}条", line)
    quote = require_str(file, raw, "quote", line)
    squash = re.compile(r"\s")
    if squash.sub("", quote) not in squash.sub("", law.articles[article].text):
        raise file.error(
            f"{what}：摘句不是《{law_name}》第{article}条的原文：「{quote}」",
            file.text_line(quote[:12], line or 0) or line,
        )
    part = str(raw.get("part", ""))
    if part and not _PART.match(part):
        raise file.error(f"{what}：part 应写成「第二款」「第一款第一项」「第一项、第四项」这样", line)
    return Basis(Citation(law_name, article), quote, part)


def parse_channels(file: DataFile, laws: dict[str, Law]) -> dict[str, Channel]:
    items = file.data.get("channel")
    if not isinstance(items, list):
        raise file.error("没有任何 [[channel]]")
    channels: dict[str, Channel] = {}
    for index, item in enumerate(items):
        line = file.item_line("channel", index)
        channel_id = require_str(file, item, "id", line)
        if channel_id not in CHANNEL_IDS:
            raise file.error(f"未知的途径 id「{channel_id}」（应为 {', '.join(CHANNEL_IDS)} 之一）", line)
        if channel_id in channels:
            raise file.error(f"途径「{channel_id}」重复", line)
        raw_limit = item.get("limit")
        if not isinstance(raw_limit, dict):
            raise file.error(f"{channel_id} 缺少 [channel.limit]", line)
        moved = [k for k in ("days", "months", "years", "from", "if_passed") if k in raw_limit]
        if moved:
            raise file.error(f"{channel_id} 的 limit 不再填 {', '.join(moved)}：期限写在 remedies.toml", line)
        limit = Limit(
            text=require_str(file, raw_limit, "text", line),
            basis=parse_basis(file, laws, raw_limit.get("basis"), line, f"{channel_id} 的时限"),
        )
        channels[channel_id] = Channel(
            id=channel_id,
            name=require_str(file, item, "name", line),
            plain=require_str(file, item, "plain", line, max_len=300),
            who=require_str(file, item, "who", line),
            where=require_str(file, item, "where", line),
            bring=tuple(require_str_list(file, item, "bring", line)),
            cost=require_str(file, item, "cost", line),
            limit=limit,
            basis=tuple(parse_basis(file, laws, b, line, channel_id) for b in item.get("basis", [])),
            also_text=str(item.get("also_text", "")),
            door_basis=tuple(parse_basis(file, laws, b, line, channel_id) for b in item.get("door_basis", [])),
            optional=str(item.get("optional", "")),
        )
    missing = [c for c in CHANNEL_IDS if c not in channels]
    if missing:
        raise file.error(f"缺少途径：{', '.join(missing)}")
    return channels


def load_channels(laws: dict[str, Law], text: str | None = None) -> dict[str, Channel]:
    return parse_channels(load_toml(CHANNELS_FILE, text), laws)
