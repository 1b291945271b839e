"""The learned part of Q&A: weights of two small linear models over retrieval features.

Produced by `python -m bench.train_qa` from labelled questions (never edited by hand): `[rank]`
orders the candidate articles of a question, `[confidence]` turns the best candidate's features
into the probability that it answers the question. The feature names are nlp/retrieve.py's;
it checks them when it builds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from .datafile import DataFile, load_toml

QA_MODEL_FILE = "qa_model.toml"


@dataclass(frozen=True, slots=True)
class QaModel:
    rank: dict[str, float] = field(default_factory=dict)  # feature → weight (no bias: only order matters)
    confidence: dict[str, float] = field(default_factory=dict)  # feature → weight, and "bias"


def _weights(file: DataFile, table: str) -> dict[str, float]:
    value = file.data.get(table)
    if not isinstance(value, dict) or not value:
        raise file.error(f"缺少 [{table}] 表")
    weights: dict[str, float] = {}
    for name, weight in value.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise file.error(f"[{table}] {name} 应为数字", file.key_line(name))
        weights[name] = float(weight)
    return weights


def parse_qa_model(file: DataFile) -> QaModel:
    return QaModel(_weights(file, "rank"), _weights(file, "confidence"))


@cache
def load_qa_model(text: str | None = None) -> QaModel:
    return parse_qa_model(load_toml(QA_MODEL_FILE, text))
