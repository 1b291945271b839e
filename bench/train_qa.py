"""Fit the learned part of Q&A (knowledge/data/qa_model.toml) on labelled questions.

Two small linear models over features the retriever computes (nlp/retrieve.py RANK_FEATURES,
CONFIDENCE_FEATURES) — never over the questions' words, so what they learn is how much each
kind of evidence counts, not any set's wording:

- rank: orders the candidate articles of a question (pairwise logistic regression: the labelled
  article against every other candidate);
- confidence: the probability that the question is one the regulation answers (logistic regression
  on the top candidate's features; out-of-scope questions, labelled `"articles": []`, are the
  negatives).

Before writing, it reports leave-one-set-out accuracy: each set scored by models fitted on the
others, so the figures say how the weights carry to questions they did not see.

    python -m bench.train_qa [--set FILE ...] [--out-of-scope FILE ...] [--write]

Needs the bench extra (scikit-learn); the product reads only the TOML it writes.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

from knowledge import REGULATION, QaModel, load_knowledge
from nlp import Engine
from nlp.evaluate import read_jsonl
from nlp.retrieve import CONFIDENCE_FEATURES, CONFIDENCE_THRESHOLD, RANK_FEATURES, Retriever

ROOT = Path(__file__).resolve().parent.parent
TUNE = Path("/work/evalsets/tune")
DEFAULT_SETS = [
    ROOT / "tests" / "data" / "dev" / "qa_dev.jsonl",
    TUNE / "qa_questions.jsonl",
    ROOT / "bench" / "data" / "qa2_tune.jsonl",
    ROOT / "tests" / "nlp" / "data" / "qa_colloquial.jsonl",
    ROOT / "tests" / "nlp" / "data" / "qa_voices.jsonl",
]
DEFAULT_OUT_OF_SCOPE = [ROOT / "tests" / "nlp" / "data" / "qa_out_of_domain.txt"]
MODEL_FILE = ROOT / "knowledge" / "data" / "qa_model.toml"
C = 1.0  # inverse regularisation strength, on standardised features


def load_rows(sets: list[Path], out_of_scope: list[Path]) -> dict[str, list[dict]]:
    rows = {path.name: read_jsonl(path, ("q", "articles")) for path in sets if path.exists()}
    for path in out_of_scope:
        if path.exists():
            lines = path.read_text("utf-8").splitlines()
            rows[path.name] = [{"q": q, "articles": []} for q in lines if q.strip()]
    return rows


def rank_pairs(retriever: Retriever, rows: list[dict]) -> tuple[list[list[float]], list[int]]:
    """Feature differences (labelled − other) and their mirror images, for every candidate pair."""
    x: list[list[float]] = []
    y: list[int] = []
    for row in rows:
        reading = retriever.read(row["q"])
        if reading is None or not row["articles"]:
            continue
        gold = [c for c in reading.ranked if c.article.law == REGULATION and c.article.article in row["articles"]]
        if not gold:
            continue  # the labelled article is not among the candidates: no ranking can help
        good = gold[0].features
        for other in reading.ranked:
            if other in gold:
                continue
            diff = [good[f] - other.features[f] for f in RANK_FEATURES]
            x.append(diff)
            y.append(1)
            x.append([-d for d in diff])
            y.append(0)
    return x, y


def confidence_rows(retriever: Retriever, rows: list[dict]) -> tuple[list[list[float]], list[int]]:
    x: list[list[float]] = []
    y: list[int] = []
    for row in rows:
        reading = retriever.read(row["q"])
        if reading is None or not reading.ranked:
            continue
        ranked = reading.ranked
        features = retriever.confidence_features(
            reading.text, reading.words, ranked[0], ranked[1] if len(ranked) > 1 else None
        )
        x.append([features[f] for f in CONFIDENCE_FEATURES])
        # the target is "a question about the regulation": whether the top candidate is right is
        # the ranker's job, and doubting hard in-scope questions would only cost right answers
        y.append(int(bool(row["articles"])))
    return x, y


def fit(x: list[list[float]], y: list[int], *, intercept: bool) -> tuple[list[float], float]:
    """Logistic regression on standardised features; weights returned on the raw scale."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    xa = np.asarray(x, dtype=float)
    mean = xa.mean(axis=0) if intercept else np.zeros(xa.shape[1])
    std = xa.std(axis=0)
    std[std == 0] = 1.0
    model = LogisticRegression(C=C, fit_intercept=intercept, max_iter=2000)
    model.fit((xa - mean) / std, np.asarray(y))
    w = model.coef_[0] / std
    bias = float(model.intercept_[0] - (w * mean).sum()) if intercept else 0.0
    return [float(v) for v in w], bias


def train(engine: Engine, rows: list[dict]) -> QaModel:
    knowledge = engine.knowledge
    w, _ = fit(*rank_pairs(engine.retriever, rows), intercept=False)
    ranked = Retriever(
        dataclasses.replace(knowledge, qa_model=QaModel(dict(zip(RANK_FEATURES, w, strict=True)), {"bias": 0.0})),
        engine.segmenter,
    )
    c, bias = fit(*confidence_rows(ranked, rows), intercept=True)
    return QaModel(
        dict(zip(RANK_FEATURES, w, strict=True)), {"bias": bias, **dict(zip(CONFIDENCE_FEATURES, c, strict=True))}
    )


def score(retriever: Retriever, rows: list[dict]) -> tuple[int, int, int, int, int]:
    """(top-1 ranked first whatever the confidence, top-1 answered confidently, in-scope,
    out-of-scope answered confidently, out-of-scope)."""
    ranked = hits = inside = false = outside = 0
    for row in rows:
        result = retriever.search(row["q"])
        first = result.citations()[:1]
        cited = first if result.confident else []
        if row["articles"]:
            inside += 1
            ranked += bool(first) and first[0].law == REGULATION and first[0].article in row["articles"]
            hits += bool(cited) and cited[0].law == REGULATION and cited[0].article in row["articles"]
        else:
            outside += 1
            false += bool(cited)
    return ranked, hits, inside, false, outside


def render(model: QaModel) -> str:
    lines = [
        "# 问答的学习部分：两个小线性模型的权重。由 python -m bench.train_qa --write 生成，请勿手改。",
        "# [rank] 给候选条文排序；[confidence] 估计排第一的条文答对的概率（特征见 nlp/retrieve.py）。",
        "",
        "[rank]",
        *(f"{name} = {weight:.6f}" for name, weight in model.rank.items()),
        "",
        "[confidence]",
        *(f"{name} = {weight:.6f}" for name, weight in model.confidence.items()),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", help="labelled JSONL (repeatable)")
    parser.add_argument("--out-of-scope", type=Path, action="append", help="one out-of-scope question a line")
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE.relative_to(ROOT)}")
    args = parser.parse_args()
    by_set = load_rows(args.set or DEFAULT_SETS, args.out_of_scope or DEFAULT_OUT_OF_SCOPE)
    knowledge = load_knowledge()
    engine = Engine.build(knowledge, Path(tempfile.mkdtemp()))
    base = engine.retriever
    print(f"confidence threshold {CONFIDENCE_THRESHOLD}; leave-one-set-out (models fitted on the other sets):")
    for name, rows in by_set.items():
        others = [r for n, rs in by_set.items() if n != name for r in rs]
        held = Retriever(dataclasses.replace(knowledge, qa_model=train(engine, others)), engine.segmenter)
        before = score(base, rows)
        after = score(held, rows)
        print(
            f"  {name:28s} ranked first {before[0]}/{before[2]} → {after[0]}, answered {after[1]}"
            f"   out of scope answered {before[3]}/{before[4]} → {after[3]}"
        )
    model = train(engine, [r for rows in by_set.values() for r in rows])
    print(render(model))
    if args.write:
        MODEL_FILE.write_text(render(model), "utf-8")
        print(f"written {MODEL_FILE}")


if __name__ == "__main__":
    main()
