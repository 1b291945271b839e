"""The learned part of Q&A: weights of small linear models over retrieval features and words.

Produced by `python -m bench.train_qa` from labelled questions (never edited by hand):

- qa_model.toml: `[rank]` orders the candidate articles of a question, `[confidence]` turns the
  best candidate's features into the probability that it answers the question. The feature names
  are nlp/retrieve.py's; it checks them when it builds.
- qa_lexical.toml: which characters and character pairs/triples speak for which article of the
  regulation (a multinomial logistic regression over TF-IDF of the question's character n-grams,
  fitted on the FAQ, the articles' own paragraphs and questions in many writers' words). Each
  line is one n-gram: its `idf` and its weight for the articles it speaks for or against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from .datafile import DataFile, load_toml

QA_MODEL_FILE = "qa_model.toml"
QA_LEXICAL_FILE = "qa_lexical.toml"


@dataclass(frozen=True, slots=True)
class LexicalModel:
    """n-gram → idf, article → bias, n-gram → ((article, weight), …). Empty: no lexical evidence."""

    idf: dict[str, float] = field(default_factory=dict)
    bias: dict[int, float] = field(default_factory=dict)
    weights: dict[str, tuple[tuple[int, float], ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.bias)


@dataclass(frozen=True, slots=True)
class QaModel:
    rank: dict[str, float] = field(default_factory=dict)  # feature → weight (no bias: only order matters)
    confidence: dict[str, float] = field(default_factory=dict)  # feature → weight, and "bias"
    lexical: LexicalModel = field(default_factory=LexicalModel)


def _number(file: DataFile, table: str, name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise file.error(f"[{table}] {name} 应为数字", file.key_line(name))
    return float(value)


def _weights(file: DataFile, table: str) -> dict[str, float]:
    value = file.data.get(table)
    if not isinstance(value, dict) or not value:
        raise file.error(f"缺少 [{table}] 表")
    return {name: _number(file, table, name, weight) for name, weight in value.items()}


def _article(file: DataFile, table: str, key: str) -> int:
    if not key.isdigit():
        raise file.error(f"[{table}] 的条文编号「{key}」应为数字", file.key_line(key))
    return int(key)


def parse_lexical(file: DataFile) -> LexicalModel:
    bias = {_article(file, "bias", k): w for k, w in _weights(file, "bias").items()}
    grams = file.data.get("grams")
    if not isinstance(grams, dict) or not grams:
        raise file.error("缺少 [grams] 表")
    idf: dict[str, float] = {}
    weights: dict[str, tuple[tuple[int, float], ...]] = {}
    for gram, entry in grams.items():
        if not isinstance(entry, dict) or "idf" not in entry:
            raise file.error(f"[grams]「{gram}」应为 {{idf = …, 条文编号 = 权重}}", file.key_line(gram))
        idf[gram] = _number(file, "grams", gram, entry["idf"])
        pairs = tuple(
            (_article(file, "grams", k), _number(file, "grams", gram, w)) for k, w in entry.items() if k != "idf"
        )
        unknown = [a for a, _ in pairs if a not in bias]
        if unknown:
            raise file.error(f"[grams]「{gram}」的条文 {unknown[0]} 不在 [bias] 里", file.key_line(gram))
        if pairs:
            weights[gram] = pairs
    return LexicalModel(idf, bias, weights)


def parse_qa_model(file: DataFile, lexical: LexicalModel | None = None) -> QaModel:
    return QaModel(_weights(file, "rank"), _weights(file, "confidence"), lexical or LexicalModel())


@cache
def load_lexical(text: str | None = None) -> LexicalModel:
    return parse_lexical(load_toml(QA_LEXICAL_FILE, text))


@cache
def load_qa_model(text: str | None = None) -> QaModel:
    """The shipped model (both files); with `text`, qa_model.toml's part alone (for tests)."""
    return parse_qa_model(load_toml(QA_MODEL_FILE, text), load_lexical() if text is None else None)
