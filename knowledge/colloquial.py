"""How citizens say things: dialect and colloquial rewrites, known typos, and the word lists
(slots) the intent reader composes — all in knowledge/data/colloquial.toml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .datafile import DataFile, load_toml, require_str_list

COLLOQUIAL_FILE = "colloquial.toml"


@dataclass(frozen=True, slots=True)
class Colloquial:
    dialect: tuple[tuple[str, str], ...]  # (said, plain), longest first
    typos: tuple[tuple[str, str], ...]  # (typed, meant), longest first
    slots: dict[str, tuple[str, ...]]
    final: tuple[tuple[str, str], ...] = ()  # sentence-final particles (said, plain): 有用伐 → 有用吗

    def slot(self, name: str) -> tuple[str, ...]:
        return self.slots[name]


def _pairs(file: DataFile, table: str) -> tuple[tuple[str, str], ...]:
    value = file.data.get(table, {})
    if not isinstance(value, dict):
        raise file.error(f"[{table}] 应为 “说法” = “换成” 的形式")
    pairs: list[tuple[str, str]] = []
    for key, target in value.items():
        if not key.strip() or not isinstance(target, str) or not target.strip():
            raise file.error(f"「{key}」的左右两边都应为非空文字", file.key_line(key))
        if key.strip() == target.strip():
            raise file.error(f"「{key}」换成它自己没有意义", file.key_line(key))
        pairs.append((key.strip(), target.strip()))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def parse_colloquial(file: DataFile) -> Colloquial:
    slots_table = file.data.get("slots")
    if not isinstance(slots_table, dict) or not slots_table:
        raise file.error("缺少 [slots] 表")
    slots = {
        name: tuple(dict.fromkeys(require_str_list(file, slots_table, name, file.key_line(name))))
        for name in slots_table
    }
    return Colloquial(_pairs(file, "dialect"), _pairs(file, "typos"), slots, _pairs(file, "final"))


@cache
def load_colloquial(text: str | None = None) -> Colloquial:
    return parse_colloquial(load_toml(COLLOQUIAL_FILE, text))
