"""Reading the editable data files under knowledge/data, with line numbers for errors.

A petition officer edits these files by hand, so a mistake must be reported as
`knowledge/data/faq.toml:123: …` at start-up, not as a stack trace later.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .errors import KnowledgeError


@dataclass(frozen=True, slots=True)
class DataFile:
    """A parsed TOML data file that can point back at the line of any item it holds."""

    source: str
    text: str
    data: dict[str, Any]

    def error(self, message: str, line: int | None = None) -> KnowledgeError:
        return KnowledgeError(self.source, line, message)

    def item_line(self, table: str, index: int) -> int | None:
        """Line of the index-th `[[table]]` header."""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        seen = -1
        for number, line in enumerate(self.text.splitlines(), start=1):
            if header.match(line):
                seen += 1
                if seen == index:
                    return number
        return None

    def key_line(self, key: str, after: int = 0) -> int | None:
        """First line at or after `after` where `key` (bare or quoted) is assigned."""
        pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=')
        for number, line in enumerate(self.text.splitlines(), start=1):
            if number >= after and pattern.match(line):
                return number
        return None

    def text_line(self, needle: str, after: int = 0) -> int | None:
        for number, line in enumerate(self.text.splitlines(), start=1):
            if number >= after and needle in line:
                return number
        return None


def read_text(name: str) -> tuple[str, str]:
    """(source label, text) of knowledge/data/<name>."""
    source = f"knowledge/data/{name}"
    try:
        return source, (resources.files("knowledge") / "data" / name).read_text("utf-8")
    except FileNotFoundError:
        raise KnowledgeError(source, None, "文件不存在") from None
    except UnicodeDecodeError as exc:
        raise KnowledgeError(source, None, f"不是 UTF-8 编码：{exc}") from None


def load_toml(name: str, text: str | None = None) -> DataFile:
    """Parse knowledge/data/<name> (or the given text under that name)."""
    if text is None:
        source, text = read_text(name)
    else:
        source = f"knowledge/data/{name}"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else (text.count("\n") + 1 if "end of document" in str(exc) else None)
        raise KnowledgeError(source, line, f"TOML 格式错误：{exc}") from None
    return DataFile(source, text, data)


def require_str(file: DataFile, item: dict[str, Any], key: str, line: int | None, *, max_len: int = 0) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise file.error(f"缺少 {key}（应为非空文字）", line)
    if max_len and len(value) > max_len:
        raise file.error(f"{key} 太长（{len(value)} 字，最多 {max_len} 字）", line)
    return value.strip()


def require_str_list(
    file: DataFile, item: dict[str, Any], key: str, line: int | None, *, min_len: int = 1
) -> list[str]:
    value = item.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise file.error(f"{key} 应为文字列表", line)
    if len(value) < min_len:
        raise file.error(f"{key} 至少要有 {min_len} 项", line)
    return [v.strip() for v in value]


def require_int_list(file: DataFile, item: dict[str, Any], key: str, line: int | None) -> list[int]:
    value = item.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, int) and v > 0 for v in value):
        raise file.error(f"{key} 应为非空的正整数列表", line)
    return list(value)
