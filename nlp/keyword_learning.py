"""Learning category keyword weights from labelled messages, into a readable table.

Method (NB-weighted linear SVM, "NBSVM", Wang & Manning 2012): features are the words of a
message (title words counted `title_weight` times), scaled by their naive-Bayes log-count
ratio for the category and by IDF; a one-vs-rest linear SVM is fitted per category; the weight
of a keyword for a category is the SVM weight × the NB ratio × IDF. Only the strongest
positive weights are kept (`per_category`), so the result reads as a list of words that speak
for each category — and scoring needs nothing but sums over that list.

Needs scikit-learn (`pip install -e ".[bench]"`); the product itself only reads the table.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .normalize import normalize
from .route import MAX_BODY_CHARS, message_features, split_title
from .segment import Segmenter

DEFAULT_PER_CATEGORY = 800


def learn_keyword_table(
    texts: Sequence[str],
    labels: Sequence[str],
    segmenter: Segmenter,
    *,
    title_weight: float = 2.0,
    per_category: int = DEFAULT_PER_CATEGORY,
    min_df: int = 2,
    c: float = 1.0,
) -> dict[str, dict[str, float]]:
    try:
        import numpy as np
        from scipy import sparse
        from sklearn.svm import LinearSVC
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise RuntimeError('学习关键词权重需要 scikit-learn：pip install -e ".[bench]"') from exc

    feats = []
    for text in texts:
        title, body = split_title(text)
        feats.append(message_features(segmenter, normalize(title), normalize(body[:MAX_BODY_CHARS]), title_weight))
    df: Counter[str] = Counter()
    for f in feats:
        df.update(f.keys())
    n = len(feats)
    vocab = sorted(w for w, d in df.items() if d >= min_df)
    index = {w: i for i, w in enumerate(vocab)}
    idf = np.array([math.log((n + 1) / (df[w] + 1)) + 1 for w in vocab])
    rows, cols, vals = [], [], []
    for r, f in enumerate(feats):
        entries = [(index[w], v * idf[index[w]]) for w, v in f.items() if w in index]
        norm = math.sqrt(sum(v * v for _, v in entries)) or 1.0
        for col, v in entries:
            rows.append(r)
            cols.append(col)
            vals.append(v / norm)
    x = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
    x.indices, x.indptr = x.indices.astype(np.int32), x.indptr.astype(np.int32)
    present = (x > 0).astype(np.float64)
    labels_array = np.array(labels)
    table: dict[str, dict[str, float]] = {}
    for category in sorted(set(labels)):
        mine = labels_array == category
        p = 1.0 + present[mine].sum(axis=0).A1
        q = 1.0 + present[~mine].sum(axis=0).A1
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        scaled = x.multiply(ratio).tocsr()
        scaled.indices, scaled.indptr = scaled.indices.astype(np.int32), scaled.indptr.astype(np.int32)
        svm = LinearSVC(C=c).fit(scaled, mine.astype(int))
        weights = svm.coef_[0] * ratio * idf
        order = np.argsort(-weights)[:per_category]
        table[category] = {vocab[i]: float(weights[i]) for i in order if weights[i] > 0}
    # one global scale (argmax unchanged) so the strongest keyword weighs 10: the same range as
    # the curated weights in departments.toml, which a person writes by hand
    top = max((w for weights in table.values() for w in weights.values()), default=1.0)
    return {c: {w: round(v * 10 / top, 3) for w, v in ws.items()} for c, ws in table.items()}


def render_keyword_table(table: dict[str, dict[str, float]], *, source: str, examples: int, title_weight: float) -> str:
    """The TOML a petition officer reads: per category, its keywords from strongest to weakest."""
    lines = [
        "# 信访助手 — 分类关键词权重（机器学习所得，可人工调整）",
        "#",
        f"# 由 `xinfang routing learn` 从 {source}（{examples} 条已标注的群众来信）学得，{date.today().isoformat()}。",
        "# 一条来信在某分类的得分 = 其中出现的该分类关键词的权重之和（标题里的词按 title_weight 倍计）。",
        "# 得分最高的分类胜出；差距不明显时进入「待分办」由人工分派。",
        "# 可以删掉不合理的词、调低或调高权重；部门和人工关键词在 departments.toml。",
        "",
        "[meta]",
        f'source = "{source}"',
        f"examples = {examples}",
        f"title_weight = {title_weight}",
        'method = "NB 加权线性 SVM（NBSVM），每类保留最强的正权重关键词"',
    ]
    for category, weights in table.items():
        lines += ["", f"[keywords.{json.dumps(category, ensure_ascii=False)}]"]
        ordered = sorted(weights.items(), key=lambda kv: -kv[1])
        lines += [f"{json.dumps(word, ensure_ascii=False)} = {weight}" for word, weight in ordered]
    return "\n".join(lines) + "\n"


def write_keyword_table(path: Path, table: dict[str, dict[str, float]], **meta: object) -> None:
    path.write_text(render_keyword_table(table, **meta), "utf-8")  # type: ignore[arg-type]
