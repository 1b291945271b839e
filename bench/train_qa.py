"""Fit the learned part of Q&A (knowledge/data/qa_model.toml, qa_lexical.toml) on labelled questions.

Three small linear models:

- lexical: which character n-grams speak for which article of the regulation — multinomial
  logistic regression over TF-IDF of nlp.retrieve.lexical_grams, fitted on the FAQ's phrasings and
  topics, the articles' own paragraphs, and the labelled questions (each labelled with its first
  article); weights below PRUNE are dropped, so the file stays small and fast;
- rank: orders the candidate articles of a question over the features the retriever computes
  (nlp/retrieve.py RANK_FEATURES, the lexical model's probability among them) — pairwise logistic
  regression, the labelled article against every other candidate;
- confidence: the probability that the question is one the regulation answers (logistic regression
  on the top candidate's features; out-of-scope questions, labelled `"articles": []`, are the
  negatives).

Every set given is one writer (a person, or an independently written half). The lexical model has
seen the wording of the sets it was fitted on, so the rank and confidence models are fitted on
cross-fitted features: each set's lexical probabilities come from a lexical model fitted without
that set. Before writing, it reports leave-one-writer-out accuracy — each set scored by all three
models fitted on the other sets only (nested), through the same search /api/v1/ask uses — so the
figures say how the weights carry to a writer they never saw.

    python -m bench.train_qa [--set FILE ...] [--out-of-scope FILE ...] [--no-lexical] [--write]

Needs the bench extra (scikit-learn); the product reads only the TOML it writes.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterable
from pathlib import Path

from knowledge import REGULATION, QaModel, load_knowledge
from knowledge.qa_model import LexicalModel
from nlp import Engine
from nlp.evaluate import read_jsonl
from nlp.retrieve import CONFIDENCE_FEATURES, CONFIDENCE_THRESHOLD, RANK_FEATURES, Retriever, lexical_grams

ROOT = Path(__file__).resolve().parent.parent
TUNE = ROOT / "bench" / "data" / "tune"  # the halves of the fresh sets not frozen (bench/data/frozen)
DEFAULT_SETS = [  # one file per writer; never a held-out set (bench/data/*holdout*): fitting on
    # it would make its measurement mean nothing
    ROOT / "tests" / "data" / "dev" / "qa_dev.jsonl",
    TUNE / "qa_questions.jsonl",
    ROOT / "bench" / "data" / "qa2_tune.jsonl",
    ROOT / "tests" / "nlp" / "data" / "qa_colloquial.jsonl",
    ROOT / "tests" / "nlp" / "data" / "qa_voices.jsonl",
]
DEFAULT_OUT_OF_SCOPE = [ROOT / "tests" / "nlp" / "data" / "qa_out_of_domain.txt"]
MODEL_FILE = ROOT / "knowledge" / "data" / "qa_model.toml"
LEXICAL_FILE = ROOT / "knowledge" / "data" / "qa_lexical.toml"
C = 1.0  # inverse regularisation strength of rank and confidence, on standardised features
LEXICAL_C = 10.0
MIN_DF = 2  # an n-gram seen once says more about one sentence than about an article
PRUNE = 0.3  # lexical weights smaller than this are dropped (measured: no loss of accuracy)


def load_rows(sets: list[Path], out_of_scope: list[Path]) -> dict[str, list[dict]]:
    rows = {path.name: read_jsonl(path, ("q", "articles")) for path in sets if path.exists()}
    for path in out_of_scope:
        if path.exists():
            lines = path.read_text("utf-8").splitlines()
            rows[path.name] = [{"q": q, "articles": []} for q in lines if q.strip()]
    return rows


def knowledge_texts(engine: Engine) -> list[tuple[str, int]]:
    """What the knowledge base itself says about each article: the FAQ's phrasings and topics, and
    the article's paragraphs."""
    knowledge = engine.knowledge
    texts = [
        (question, entry.citations[0].article)
        for entry in knowledge.faq
        if entry.citations[0].law == REGULATION
        for question in (*entry.questions, entry.topic)
    ]
    texts += [(p, a.number) for a in knowledge.regulation.articles.values() for p in a.paragraphs]
    return texts


def fit_lexical(retriever: Retriever, base: list[tuple[str, int]], rows: Iterable[dict]) -> LexicalModel:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = base + [(r["q"], int(r["articles"][0])) for r in rows if r["articles"]]
    vectorizer = TfidfVectorizer(analyzer=lexical_grams, sublinear_tf=True, min_df=MIN_DF)
    x = vectorizer.fit_transform([retriever.plain(q) for q, _ in texts])
    model = LogisticRegression(C=LEXICAL_C, max_iter=3000)
    model.fit(x, [a for _, a in texts])
    classes = [int(c) for c in model.classes_]
    idf = dict(zip(vectorizer.get_feature_names_out(), vectorizer.idf_, strict=True))
    weights: dict[str, tuple[tuple[int, float], ...]] = {}
    for gram, column in vectorizer.vocabulary_.items():
        kept = np.nonzero(np.abs(model.coef_[:, column]) >= PRUNE)[0]
        if len(kept):
            weights[gram] = tuple((classes[k], round(float(model.coef_[k, column]), 4)) for k in kept)
    bias = {c: round(float(b), 4) for c, b in zip(classes, model.intercept_, strict=True)}
    return LexicalModel({g: round(float(v), 4) for g, v in idf.items()}, bias, weights)


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


class Trainer:
    def __init__(self, engine: Engine, by_set: dict[str, list[dict]], *, lexical: bool) -> None:
        self.base = engine.retriever
        self.by_set = by_set
        self.lexical = lexical
        self.texts = knowledge_texts(engine)
        self._fits: dict[frozenset[str], LexicalModel] = {}

    def lexical_without(self, left_out: Iterable[str]) -> LexicalModel:
        """The lexical model fitted on the knowledge base and every set but these (cached)."""
        if not self.lexical:
            return LexicalModel()
        key = frozenset(left_out)
        if key not in self._fits:
            rows = [r for name, rs in self.by_set.items() if name not in key for r in rs]
            self._fits[key] = fit_lexical(self.base, self.texts, rows)
        return self._fits[key]

    def train(self, names: list[str], left_out: frozenset[str] = frozenset()) -> QaModel:
        """All three models from these sets; rank and confidence on cross-fitted lexical features."""
        per_set = {n: self.base.with_model(QaModel(lexical=self.lexical_without(left_out | {n}))) for n in names}
        x: list[list[float]] = []
        y: list[int] = []
        for name in names:
            xs, ys = rank_pairs(per_set[name], self.by_set[name])
            x += xs
            y += ys
        w, _ = fit(x, y, intercept=False)
        rank = dict(zip(RANK_FEATURES, w, strict=True))
        x, y = [], []
        for name in names:
            ranked = self.base.with_model(QaModel(rank, lexical=self.lexical_without(left_out | {name})))
            xs, ys = confidence_rows(ranked, self.by_set[name])
            x += xs
            y += ys
        c, bias = fit(x, y, intercept=True)
        confidence = {"bias": bias, **dict(zip(CONFIDENCE_FEATURES, c, strict=True))}
        return QaModel(rank, confidence, self.lexical_without(left_out))


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


def _key(gram: str) -> str:
    return '"' + gram.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_lexical(model: LexicalModel) -> str:
    lines = [
        "# 问答的学习部分：哪些字、词片段说明问题问的是哪一条。由 python -m bench.train_qa --write 生成，请勿手改。",
        "# [bias] 每条的基础分；[grams] 每个片段（一到三个字，空格表示句子或词语的边界）：",
        "#   idf = 它有多少信息量，条文编号 = 它为该条加（正）或减（负）的分。",
        "",
        "[bias]",
        *(f'"{article}" = {weight}' for article, weight in sorted(model.bias.items())),
        "",
        "[grams]",
    ]
    for gram in sorted(model.idf):
        parts = [f"idf = {model.idf[gram]}", *(f'"{a}" = {w}' for a, w in model.weights.get(gram, ()))]
        lines.append(f"{_key(gram)} = {{ {', '.join(parts)} }}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", help="labelled JSONL, one per writer (repeatable)")
    parser.add_argument("--out-of-scope", type=Path, action="append", help="one out-of-scope question a line")
    parser.add_argument("--no-lexical", action="store_true", help="without the lexical model (for comparison)")
    parser.add_argument("--write", action="store_true", help="write the model files")
    args = parser.parse_args()
    by_set = load_rows(args.set or DEFAULT_SETS, args.out_of_scope or DEFAULT_OUT_OF_SCOPE)
    knowledge = load_knowledge()
    engine = Engine.build(knowledge, Path(tempfile.mkdtemp()))
    trainer = Trainer(engine, by_set, lexical=not args.no_lexical)
    shipped = engine.retriever
    print(f"confidence threshold {CONFIDENCE_THRESHOLD}; leave-one-writer-out (all models fitted on the other sets):")
    totals = [0, 0, 0, 0, 0, 0, 0]
    for name, rows in by_set.items():
        others = [n for n in by_set if n != name]
        held = shipped.with_model(trainer.train(others, frozenset({name})))
        before, after = score(shipped, rows), score(held, rows)
        for i, v in enumerate((*after, before[1])):
            totals[i] += v
        print(
            f"  {name:28s} shipped {before[1]}/{before[2]} → held out: ranked first {after[0]}, answered {after[1]}"
            f" ({after[1] / max(after[2], 1):.1%})   out of scope answered {before[3]}/{before[4]} → {after[3]}"
        )
    print(
        f"  pooled: held out answered {totals[1]}/{totals[2]} ({totals[1] / max(totals[2], 1):.1%}),"
        f" out of scope answered {totals[3]}/{totals[4]}; shipped {totals[5]}/{totals[2]}"
    )
    model = trainer.train(list(by_set))
    print(render(model))
    if args.write:
        MODEL_FILE.write_text(render(model), "utf-8")
        LEXICAL_FILE.write_text(render_lexical(model.lexical), "utf-8")
        print(f"written {MODEL_FILE} and {LEXICAL_FILE}")


if __name__ == "__main__":
    main()
