"""The routing taxonomy: categories, their departments, and weighted keywords.

Two files: departments.toml (curated by petition staff: departments and the words that pick
them) and routing_keywords.toml (category keywords learned from labelled messages by
`xinfang routing learn`, then readable and editable like the rest).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from .datafile import DataFile, load_toml, require_str

DEPARTMENTS_FILE = "departments.toml"
ROUTING_KEYWORDS_FILE = "routing_keywords.toml"
# the categories of the historical data: they must exist under exactly these names
REQUIRED_CATEGORIES = ("城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生")
_ID = re.compile(r"^[a-z][a-z0-9_]{1,47}$")


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: str
    short: str
    category: str
    keywords: dict[str, float]


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    default: str  # department id
    departments: tuple[Department, ...]
    keywords: dict[str, float]  # curated; learned ones live in Taxonomy.learned
    routable: bool = True  # False: staff route to it by hand; the keyword router never picks it


@dataclass(frozen=True, slots=True)
class Taxonomy:
    categories: tuple[Category, ...]
    learned: dict[str, dict[str, float]] = field(default_factory=dict)  # category → keyword → weight
    title_weight: float = 2.0

    @property
    def departments(self) -> dict[str, Department]:
        return {d.id: d for c in self.categories for d in c.departments}

    def category(self, name: str) -> Category:
        return next(c for c in self.categories if c.name == name)

    @property
    def words(self) -> frozenset[str]:
        """Every keyword, for the segmenter's lexicon."""
        words: set[str] = set()
        for category in self.categories:
            words.update(category.keywords)
            for department in category.departments:
                words.update(department.keywords)
                words.add(department.short)
        return frozenset(w for w in words if len(w) > 1)


def _weights(file: DataFile, value: Any, line: int | None, what: str) -> dict[str, float]:
    if value is None:
        return {}
    if isinstance(value, list):
        value = dict.fromkeys(value, 1.0)
    if not isinstance(value, dict):
        raise file.error(f'{what} 的 keywords 应为 {{ "词" = 权重 }} 或 ["词", …]', line)
    weights: dict[str, float] = {}
    for word, weight in value.items():
        if not isinstance(weight, int | float) or isinstance(weight, bool) or not math.isfinite(weight):
            raise file.error(f"{what} 的关键词「{word}」权重应为数字", file.text_line(f'"{word}"', line or 0) or line)
        if not word.strip():
            raise file.error(f"{what} 有空的关键词", line)
        weights[word.strip()] = float(weight)
    return weights


def parse_departments(file: DataFile) -> tuple[Category, ...]:
    items = file.data.get("category")
    if not isinstance(items, list) or not items:
        raise file.error("没有任何 [[category]]")
    categories: list[Category] = []
    seen_ids: set[str] = set()
    dept_index = 0
    for index, item in enumerate(items):
        line = file.item_line("category", index)
        name = require_str(file, item, "name", line, max_len=16)
        if any(c.name == name for c in categories):
            raise file.error(f"分类「{name}」重复", line)
        departments: list[Department] = []
        for dept in item.get("department", []):
            dline = file.item_line("category.department", dept_index)
            dept_index += 1
            dept_id = require_str(file, dept, "id", dline)
            if not _ID.match(dept_id):
                raise file.error(f"部门 id「{dept_id}」只能用小写字母、数字和下划线", dline)
            if dept_id in seen_ids:
                raise file.error(f"部门 id「{dept_id}」重复", dline)
            seen_ids.add(dept_id)
            dept_name = require_str(file, dept, "name", dline, max_len=32)
            departments.append(
                Department(
                    id=dept_id,
                    name=dept_name,
                    short=str(dept.get("short") or dept_name),
                    category=name,
                    keywords=_weights(file, dept.get("keywords"), dline, dept_name),
                )
            )
        if not departments:
            raise file.error(f"分类「{name}」下没有部门", line)
        default = require_str(file, item, "default", line)
        if default not in {d.id for d in departments}:
            raise file.error(
                f"分类「{name}」的 default「{default}」不是它下面的部门", file.key_line("default", line or 0)
            )
        routable = item.get("routable", True)
        if not isinstance(routable, bool):
            raise file.error(f"分类「{name}」的 routable 应为 true 或 false", line)
        keywords = _weights(file, item.get("keywords"), line, name)
        categories.append(Category(name, default, tuple(departments), keywords, routable))
    missing = [c for c in REQUIRED_CATEGORIES if c not in {c.name for c in categories}]
    if missing:
        raise file.error(f"缺少必需的分类：{'、'.join(missing)}")
    return tuple(categories)


def parse_learned(file: DataFile, categories: tuple[Category, ...]) -> tuple[dict[str, dict[str, float]], float]:
    names = {c.name for c in categories}
    table = file.data.get("keywords", {})
    if not isinstance(table, dict):
        raise file.error("[keywords.<分类>] 表格式不对")
    learned: dict[str, dict[str, float]] = {}
    for category, weights in table.items():
        line = file.text_line(f"[keywords.{category}]") or file.text_line(f'[keywords."{category}"]')
        if category not in names:
            raise file.error(f"分类「{category}」不在 departments.toml 中", line)
        learned[category] = _weights(file, weights, line, category)
    title_weight = file.data.get("meta", {}).get("title_weight", 2.0)
    if not isinstance(title_weight, int | float) or title_weight <= 0:
        raise file.error("meta.title_weight 应为正数")
    return learned, float(title_weight)


def load_taxonomy(departments_text: str | None = None, learned_text: str | None = None) -> Taxonomy:
    categories = parse_departments(load_toml(DEPARTMENTS_FILE, departments_text))
    learned, title_weight = parse_learned(load_toml(ROUTING_KEYWORDS_FILE, learned_text), categories)
    return Taxonomy(categories, learned, title_weight)
