"""The routing taxonomy: categories, their departments, and weighted keywords.

Two files: departments.toml (curated by petition staff: the departments of each category and
the words that pick one department within it) and routing_keywords.toml (the category model
learned from labelled letters by `xinfang routing learn`: per word and character pair, one
weight per category — readable and editable like the rest).
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
class RoutingModel:
    """The learned part of routing: a linear model over the words and characters of a letter.

    Each feature (a word, or one or two adjacent characters) has an IDF and one weight per
    category; a letter's score for a category is its bias plus the sum over the letter's features
    of (1 + ln count) × IDF × weight, each block normalised to unit length and scaled by its
    block weight. Read from routing_keywords.toml, written by `xinfang routing learn`.
    """

    categories: tuple[str, ...]  # the column order of every weight row
    bias: tuple[float, ...]
    blocks: dict[str, dict[str, tuple[float, tuple[float, ...]]]]  # block → feature → (IDF, weights)
    block_weights: dict[str, float]
    title_repeat: int = 3  # title words and characters count this many times in the words/pieces blocks
    temperature: float = 1.0  # scores / temperature → softmax → confidence
    triage_below: float = 0.0  # confidence under this: 待分办
    source: str = ""
    examples: int = 0

    def keywords(self, category: str) -> dict[str, float]:
        """The words that speak for a category, strongest first (positive weights only)."""
        k = self.categories.index(category)
        rows = self.blocks.get("words", {})
        return dict(sorted(((w, r[1][k]) for w, r in rows.items() if r[1][k] > 0), key=lambda kv: -kv[1]))


EMPTY_MODEL = RoutingModel((), (), {}, {})


@dataclass(frozen=True, slots=True)
class Taxonomy:
    categories: tuple[Category, ...]
    model: RoutingModel = EMPTY_MODEL
    not_reasons: frozenset[str] = frozenset()  # words never shown as the reason for a routing
    # everyday words → the words letters use for the same matter (「太吵」→「噪音」): a one-line
    # message is read with them, as the letters the model learned from were
    everyday: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def departments(self) -> dict[str, Department]:
        return {d.id: d for c in self.categories for d in c.departments}

    def category(self, name: str) -> Category:
        return next(c for c in self.categories if c.name == name)

    @property
    def learned(self) -> dict[str, dict[str, float]]:
        """category → the learned words that speak for it (word → weight)."""
        return {c: self.model.keywords(c) for c in self.model.categories}

    @property
    def words(self) -> frozenset[str]:
        """Every curated keyword and everyday word, for the segmenter's lexicon."""
        words: set[str] = set(self.everyday)
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


ROUTING_BLOCKS = ("words", "pieces", "title")


def _number(file: DataFile, value: Any, what: str, line: int | None, *, positive: bool = False) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise file.error(f"{what} 应为数字", line)
    if positive and value <= 0:
        raise file.error(f"{what} 应为正数", line)
    return float(value)


def parse_routing_model(file: DataFile, categories: tuple[Category, ...]) -> RoutingModel:
    meta = file.data.get("meta")
    if not isinstance(meta, dict):
        raise file.error("缺少 [meta] 表")
    mline = file.text_line("[meta]")
    columns = meta.get("categories")
    if not isinstance(columns, list) or not columns or not all(isinstance(c, str) for c in columns):
        raise file.error("meta.categories 应为分类名称列表（权重各列的顺序）", file.key_line("categories", mline or 0))
    routable = {c.name for c in categories if c.routable}
    for name in columns:
        if name not in routable:
            raise file.error(f"分类「{name}」不是 departments.toml 中可自动分派的分类", file.key_line("categories"))
    if len(set(columns)) != len(columns):
        raise file.error("meta.categories 有重复的分类", file.key_line("categories"))
    n = len(columns)
    title_repeat = meta.get("title_repeat", 3)
    if not isinstance(title_repeat, int) or isinstance(title_repeat, bool) or not 1 <= title_repeat <= 10:
        raise file.error("meta.title_repeat 应为 1 到 10 的整数", file.key_line("title_repeat"))
    temperature = _number(
        file, meta.get("temperature", 1.0), "meta.temperature", file.key_line("temperature"), positive=True
    )
    triage_below = _number(file, meta.get("triage_below", 0.0), "meta.triage_below", file.key_line("triage_below"))
    if not 0 <= triage_below < 1:
        raise file.error("meta.triage_below 应在 0 到 1 之间", file.key_line("triage_below"))
    weights_table = meta.get("block_weights", {})
    if not isinstance(weights_table, dict):
        raise file.error("meta.block_weights 应为 { words = 1.0, … }", file.key_line("block_weights"))
    block_weights: dict[str, float] = {}
    for block, value in weights_table.items():
        if block not in ROUTING_BLOCKS:
            raise file.error(
                f"meta.block_weights 里的「{block}」不是 {'、'.join(ROUTING_BLOCKS)} 之一",
                file.key_line("block_weights"),
            )
        block_weights[block] = _number(file, value, f"meta.block_weights.{block}", file.key_line("block_weights"))
    bias_table = file.data.get("bias", {})
    if not isinstance(bias_table, dict) or set(bias_table) != set(columns):
        raise file.error("[bias] 应为每个分类一个数字", file.text_line("[bias]"))
    bias = tuple(_number(file, bias_table[c], f"「{c}」的 bias", file.key_line(c)) for c in columns)
    blocks: dict[str, dict[str, tuple[float, tuple[float, ...]]]] = {}
    for block in ROUTING_BLOCKS:
        rows = file.data.get(block, {})
        if not isinstance(rows, dict):
            raise file.error(f"[{block}] 表格式不对", file.text_line(f"[{block}]"))
        if rows and block not in block_weights:
            raise file.error(f"[{block}] 没有对应的 meta.block_weights.{block}", file.text_line(f"[{block}]"))
        parsed: dict[str, tuple[float, tuple[float, ...]]] = {}
        for feature, row in rows.items():
            valid = (
                isinstance(row, list)
                and len(row) == n + 1
                and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in row)
                and row[0] > 0
            )
            if not valid or not feature.strip():
                line = file.key_line(feature, file.text_line(f"[{block}]") or 0)
                raise file.error(f"[{block}]「{feature}」应为 [IDF（正数）, 后跟 {n} 个分类的权重]", line)
            parsed[feature] = (float(row[0]), tuple(float(v) for v in row[1:]))
        blocks[block] = parsed
    source, examples = meta.get("source", ""), meta.get("examples", 0)
    return RoutingModel(
        tuple(columns),
        bias,
        blocks,
        block_weights,
        title_repeat,
        temperature,
        triage_below,
        str(source),
        int(examples) if isinstance(examples, int) else 0,
    )


def load_taxonomy(departments_text: str | None = None, model_text: str | None = None) -> Taxonomy:
    departments = load_toml(DEPARTMENTS_FILE, departments_text)
    categories = parse_departments(departments)
    not_reasons = departments.data.get("not_reasons", [])
    if not isinstance(not_reasons, list) or not all(isinstance(w, str) and w.strip() for w in not_reasons):
        raise departments.error("not_reasons 应为文字列表", departments.key_line("not_reasons"))
    model = parse_routing_model(load_toml(ROUTING_KEYWORDS_FILE, model_text), categories)
    return Taxonomy(categories, model, frozenset(w.strip() for w in not_reasons), parse_everyday(departments))


def parse_everyday(file: DataFile) -> dict[str, tuple[str, ...]]:
    raw = file.data.get("everyday", {})
    line = file.text_line("[everyday]")
    if not isinstance(raw, dict):
        raise file.error("[everyday] 应为「日常说法 = [来信用词, …]」", line)
    everyday: dict[str, tuple[str, ...]] = {}
    for said, words in raw.items():
        if isinstance(words, str):
            words = [words]
        if not said.strip() or not isinstance(words, list) or not words:
            raise file.error(f"[everyday]「{said}」应对应一个或几个来信用词", file.text_line(f'"{said}"', line or 0))
        if not all(isinstance(w, str) and w.strip() and w != said for w in words):
            raise file.error(f"[everyday]「{said}」的来信用词应为非空文字，且不同于它自己", file.text_line(f'"{said}"'))
        everyday[said.strip()] = tuple(w.strip() for w in words)
    return everyday
