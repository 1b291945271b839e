"""Learning the routing model from labelled letters, into a table a petition officer can read.

Method: TF-IDF over three blocks of features — the letter's words, its single characters and
pairs of adjacent characters (these carry the meaning when a word is new, misspelt or cut
differently), and the title's own words and characters (the title names the matter; its words
also count `title_repeat` times in the first two blocks) — each block normalised to unit length;
one linear SVM per category against the rest (LinearSVC) over them. Only the `keep` features with
the largest weight for some category stay, and the model is fitted again on those alone, so what
is shipped is exactly what is applied. The scale of the scores is calibrated on predictions for letters the
model did not see (5-fold cross-fitting, minimum log-loss), so the confidence means something and
the 待分办 threshold is a probability.

Every number is removed before features are read (see nlp.route.strip_pii), so no phone, ID or
house number can be learned or shown. Needs scikit-learn (`pip install -e ".[bench]"`); the
product only reads the table (nlp.route applies it in plain Python).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from knowledge.departments import ROUTING_BLOCKS, RoutingModel

from .route import LetterFeatures, letter_features, split_title, weighted
from .segment import Segmenter


@dataclass(frozen=True, slots=True)
class LearningSettings:
    """Chosen by 5-fold cross-validation on the tuning part of the labelled letters."""

    c: float = 2.0  # the SVM's regularisation (higher: fits the training letters more closely)
    keep: int = 10000  # features kept in the shipped table
    title_repeat: int = 3
    block_weights: tuple[tuple[str, float], ...] = (("words", 1.0), ("pieces", 1.0), ("title", 0.5))
    # below this confidence a letter waits in 待分办 (about 2 % of letters in CV; those are right
    # less than half the time, so a person routes them faster than a department bounces them)
    triage_below: float = 0.45
    calibration_folds: int = 5
    seed: int = 0


def _sklearn():  # type: ignore[no-untyped-def]
    try:
        import numpy as np
        from scipy import sparse
        from sklearn.model_selection import StratifiedKFold
        from sklearn.svm import LinearSVC
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise RuntimeError('学习路由模型需要 scikit-learn：pip install -e ".[bench]"') from exc
    return np, sparse, StratifiedKFold, LinearSVC


def read_letters(
    texts: Sequence[str],
    segmenter: Segmenter,
    title_repeat: int,
    everyday: Mapping[str, Sequence[str]] | None = None,
) -> list[LetterFeatures]:
    """The letters' features as the router reads them (everyday words included: departments.toml)."""
    return [letter_features(segmenter, *split_title(t), title_repeat, everyday) for t in texts]


def learn_routing_model(
    texts: Sequence[str],
    labels: Sequence[str],
    segmenter: Segmenter,
    settings: LearningSettings = LearningSettings(),
    *,
    source: str = "",
    letters: Sequence[LetterFeatures] | None = None,
    everyday: Mapping[str, Sequence[str]] | None = None,
) -> RoutingModel:
    """The model for these letters; `letters` may carry their features already read."""
    if letters is None:
        letters = read_letters(texts, segmenter, settings.title_repeat, everyday)
    labels = list(labels)
    model = _fit(letters, labels, settings)
    temperature = _calibrate(letters, labels, settings) if settings.calibration_folds > 1 else 1.0
    # one global scale (argmax unchanged) so the strongest word weighs 10, the range of the
    # curated weights a person writes by hand in departments.toml
    top = max((max(r[1]) for r in model.blocks["words"].values()), default=1.0) or 1.0
    scale = 10.0 / top
    blocks = {
        b: {f: (round(idf, 4), tuple(round(w * scale, 4) for w in ws)) for f, (idf, ws) in rows.items()}
        for b, rows in model.blocks.items()
    }
    return replace(
        model,
        bias=tuple(round(b * scale, 4) for b in model.bias),
        blocks=blocks,
        temperature=round(temperature * scale, 4),
        source=source,
        examples=len(labels),
    )


def _idf(letters: Sequence[LetterFeatures], block: str, vocabulary: set[str] | None) -> dict[str, tuple[float]]:
    df: Counter[str] = Counter()
    for letter in letters:
        df.update(f for f in letter.blocks[block] if vocabulary is None or f in vocabulary)
    n = len(letters)
    return {f: (math.log((n + 1) / (d + 1)) + 1.0,) for f, d in df.items()}


def _matrix(letters: Sequence[LetterFeatures], tables: dict[str, dict[str, tuple]], block_weights: dict[str, float]):  # type: ignore[no-untyped-def]
    """The letters as rows of the very vectors nlp.route computes at run time."""
    np, sparse, _, _ = _sklearn()
    columns: dict[tuple[str, str], int] = {}
    for block, table in tables.items():
        for feature in table:
            columns[(block, feature)] = len(columns)
    rows, cols, vals = [], [], []
    for r, letter in enumerate(letters):
        for block, table in tables.items():
            for feature, value in weighted(letter.blocks[block], table, block_weights[block]).items():
                rows.append(r)
                cols.append(columns[(block, feature)])
                vals.append(value)
    x = sparse.csr_matrix((vals, (rows, cols)), shape=(len(letters), len(columns)), dtype=np.float64)
    return x, list(columns)


def _fit(letters: Sequence[LetterFeatures], labels: list[str], settings: LearningSettings) -> RoutingModel:
    np, _, _, LinearSVC = _sklearn()
    block_weights = dict(settings.block_weights)
    categories = sorted(set(labels))
    y = np.array(labels)

    def svm(tables):  # type: ignore[no-untyped-def]
        x, columns = _matrix(letters, tables, block_weights)
        coef, bias = [], []
        for category in categories:  # one against the rest, whatever the number of categories
            fitted = LinearSVC(C=settings.c, max_iter=10000, random_state=settings.seed)
            fitted.fit(x, (y == category).astype(int))
            coef.append(fitted.coef_[0])
            bias.append(fitted.intercept_[0])
        return np.vstack(coef), np.array(bias), columns

    tables = {b: _idf(letters, b, None) for b in ROUTING_BLOCKS}
    coef, _, columns = svm(tables)
    strongest = np.argsort(-np.abs(coef).max(axis=0))[: settings.keep]
    kept: dict[str, set[str]] = {b: set() for b in ROUTING_BLOCKS}
    for i in strongest:
        block, feature = columns[i]
        kept[block].add(feature)
    tables = {b: _idf(letters, b, kept[b]) for b in ROUTING_BLOCKS}
    coef, bias, columns = svm(tables)
    blocks: dict[str, dict[str, tuple[float, tuple[float, ...]]]] = {b: {} for b in ROUTING_BLOCKS}
    for i, (block, feature) in enumerate(columns):
        blocks[block][feature] = (tables[block][feature][0], tuple(float(w) for w in coef[:, i]))
    return RoutingModel(
        categories=tuple(categories),
        bias=tuple(float(b) for b in bias),
        blocks=blocks,
        block_weights=block_weights,
        title_repeat=settings.title_repeat,
        temperature=1.0,
        triage_below=settings.triage_below,
    )


def raw_scores(model: RoutingModel, letter: LetterFeatures) -> list[float]:
    scores = list(model.bias)
    for block, rows in model.blocks.items():
        for feature, value in weighted(letter.blocks[block], rows, model.block_weights[block]).items():
            for k, w in enumerate(rows[feature][1]):
                scores[k] += value * w
    return scores


def _calibrate(letters: Sequence[LetterFeatures], labels: list[str], settings: LearningSettings) -> float:
    """The temperature that makes softmax(scores / T) the best probability for unseen letters."""
    np, _, StratifiedKFold, _ = _sklearn()
    folds = StratifiedKFold(n_splits=settings.calibration_folds, shuffle=True, random_state=settings.seed)
    y = np.array(labels)
    scores, truth = [], []
    no_calibration = replace(settings, calibration_folds=0)
    for train, test in folds.split(np.zeros(len(y)), y):
        model = _fit([letters[i] for i in train], y[train].tolist(), no_calibration)
        for i in test:
            scores.append(raw_scores(model, letters[i]))
            truth.append(model.categories.index(labels[i]) if labels[i] in model.categories else -1)
    s, t = np.array(scores), np.array(truth)
    s, t = s[t >= 0], t[t >= 0]

    def log_loss(temperature: float) -> float:
        z = s / temperature
        z = z - z.max(axis=1, keepdims=True)
        return float(-(z[np.arange(len(t)), t] - np.log(np.exp(z).sum(axis=1))).mean())

    grid = np.exp(np.linspace(np.log(0.02), np.log(5.0), 200))
    return float(min(grid, key=log_loss))


def render_routing_model(model: RoutingModel, *, note: str = "") -> str:
    """The TOML a petition officer reads: per word (and character pair) its weight for each category."""
    columns = "、".join(model.categories)
    lines = [
        "# 信访助手 — 来信分类模型（机器学习所得，可人工审阅、调整）",
        "#",
        f"# 由 `xinfang routing learn` 从 {model.source}（{model.examples} 条已标注的群众来信）学得，"
        f"{date.today().isoformat()}。{note}",
        "# 怎么用：一条来信在某个分类的得分 = bias + 它里面每个特征的「出现强度 × 该分类的权重」之和；",
        "# 得分最高的分类胜出，把握不够（置信度低于 triage_below）的进入「待分办」由人工分派。",
        "# 出现强度 = (1 + ln 出现次数) × IDF，每一块各自归一；标题里的词和字按 title_repeat 倍计。",
        "# 三块特征：[words] 词；[pieces] 单字和相邻两字（词没切对、有错别字时靠它）；[title] 标题里的词和字。",
        f'# 每行："词" = [IDF, 各分类的权重…]，分类顺序见 meta.categories（{columns}）。',
        "# 正权重支持该分类，负权重反对；每块按最强的权重从大到小排列。可以调高、调低或删掉一行",
        "# （删掉 = 不再读这个特征）。所有数字（电话、身份证号、门牌号等）读之前就已去掉，不会成为依据。",
        "# 部门（分类之下交给谁）由 departments.toml 的人工关键词决定，不在这里。",
        "",
        "[meta]",
        f"source = {json.dumps(model.source, ensure_ascii=False)}",
        f"examples = {model.examples}",
        'method = "TF-IDF（词 + 单字/双字 + 标题）上的一对多线性 SVM；置信度按交叉验证校准"',
        f"categories = {json.dumps(list(model.categories), ensure_ascii=False)}",
        f"title_repeat = {model.title_repeat}",
        "block_weights = { " + ", ".join(f"{b} = {w}" for b, w in model.block_weights.items()) + " }",
        f"temperature = {model.temperature}",
        f"triage_below = {model.triage_below}",
        "",
        "[bias]",
        *(f"{json.dumps(c, ensure_ascii=False)} = {b}" for c, b in zip(model.categories, model.bias, strict=True)),
    ]
    for block in ROUTING_BLOCKS:
        rows = model.blocks.get(block, {})
        lines += ["", f"[{block}]"]
        for feature, (idf, weights) in sorted(rows.items(), key=lambda kv: (-max(kv[1][1]), kv[0])):
            values = ", ".join(_number(v) for v in (idf, *weights))
            lines.append(f"{json.dumps(feature, ensure_ascii=False)} = [{values}]")
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_routing_model(path: Path, model: RoutingModel, *, note: str = "") -> None:
    path.write_text(render_routing_model(model, note=note), "utf-8")
