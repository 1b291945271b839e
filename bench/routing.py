"""Keyword routing against TF-IDF + LinearSVC on the same 5 folds of routing_dev.csv.

For each fold the keyword table is learned from the other four folds exactly as
`xinfang routing learn` does, joined with the curated departments.toml, and the router is
scored on the held-out fold; the baseline (TF-IDF over plain `jieba.lcut` tokens + LinearSVC)
is trained and scored on the same split. Prints macro-F1 and accuracy of both, the ratio, and
routing latency (p50/p99 per message, in-process).

    python -m bench.routing
"""

from __future__ import annotations

import csv
import dataclasses
import logging
import tempfile
from pathlib import Path

from bench.common import dev_file, summary, time_each
from knowledge import load_knowledge
from nlp import Engine
from nlp.keyword_learning import learn_keyword_table
from nlp.route import KeywordRouter


def main() -> None:
    import jieba
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    jieba.setLogLevel(logging.WARNING)
    rows = list(csv.DictReader(dev_file("routing_dev.csv").open(encoding="utf-8")))
    texts = [r["text"] for r in rows]
    labels = np.array([r["label"] for r in rows])
    knowledge = load_knowledge()
    engine = Engine.build(knowledge, Path(tempfile.mkdtemp()))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    ours_f1, ours_acc, base_f1, base_acc = [], [], [], []
    for number, (train, test) in enumerate(folds.split(texts, labels), start=1):
        table = learn_keyword_table([texts[i] for i in train], labels[train].tolist(), engine.segmenter)
        taxonomy = dataclasses.replace(knowledge.taxonomy, learned=table)
        router = KeywordRouter(taxonomy, engine.segmenter)
        predicted = [router.route(texts[i]).category for i in test]
        ours_f1.append(f1_score(labels[test], predicted, average="macro"))
        ours_acc.append(accuracy_score(labels[test], predicted))

        vectorizer = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, sublinear_tf=True)
        x_train = vectorizer.fit_transform([texts[i] for i in train])
        svm = LinearSVC().fit(x_train, labels[train])
        baseline = svm.predict(vectorizer.transform([texts[i] for i in test]))
        base_f1.append(f1_score(labels[test], baseline, average="macro"))
        base_acc.append(accuracy_score(labels[test], baseline))
        print(f"fold {number}: keywords macro-F1 {ours_f1[-1]:.4f}   TF-IDF+LinearSVC {base_f1[-1]:.4f}")

    print(f"keyword routing      macro-F1 {np.mean(ours_f1):.4f}   accuracy {np.mean(ours_acc):.4f}")
    print(f"TF-IDF + LinearSVC   macro-F1 {np.mean(base_f1):.4f}   accuracy {np.mean(base_acc):.4f}")
    print(f"ratio (keywords / baseline) macro-F1: {np.mean(ours_f1) / np.mean(base_f1):.3f}")

    sample = texts[:500]
    latencies, wall = time_each(engine.route, sample, 3)
    print(summary("route() per message", latencies, wall))


if __name__ == "__main__":
    main()
