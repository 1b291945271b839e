"""Routing against TF-IDF + LinearSVC trained on the same letters, in the same run.

    python -m bench.routing                                  # 5-fold CV over ../shared/dev/routing_dev.csv
    python -m bench.routing --train A.csv                    # 5-fold CV over A.csv
    python -m bench.routing --train A.csv --set B.csv        # learn on A.csv, judge on B.csv

Ours is learned exactly as `xinfang routing learn` does (nlp.keyword_learning, calibration
included) from the training letters only, joined with the curated departments.toml, and judged
through `KeywordRouter.route` as the product runs it. The baseline is TF-IDF over plain
`jieba.lcut` tokens + LinearSVC (scikit-learn defaults); two common TF-IDF settings are run and
the stronger one is the reference. Macro-F1 counts a letter sent to 待分办 as a miss (it reaches
no department); the figure without 待分办 (the router's first choice) is printed beside it.
With CV the figures are over the pooled out-of-fold predictions. Latency: one message at a time,
in-process, ours (`route()`) and the baseline's (transform + predict) on the same letters.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from bench.common import dev_file, percentile, summary, time_each
from knowledge import load_knowledge
from nlp import Engine
from nlp.evaluate import ClassificationReport, evaluate_routing, read_labelled_csv
from nlp.keyword_learning import LearningSettings, learn_routing_model, read_letters
from nlp.route import KeywordRouter

BASELINES = {"TF-IDF+LinearSVC": {}, "TF-IDF(sublinear)+LinearSVC": {"sublinear_tf": True}}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.routing", description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, help="labelled CSV (text,label) to learn from; default routing_dev.csv")
    parser.add_argument("--set", type=Path, help="labelled CSV to judge on; without it: k-fold CV over --train")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


class Baseline:
    def __init__(self, texts: list[str], labels: list[str], **tfidf: object) -> None:
        import jieba
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        self.vectorizer = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, **tfidf)  # type: ignore[arg-type]
        self.svm = LinearSVC().fit(self.vectorizer.fit_transform(texts), labels)

    def predict(self, texts: list[str]) -> list[str]:
        return list(self.svm.predict(self.vectorizer.transform(texts)))

    def predict_one(self, text: str) -> str:
        return self.predict([text])[0]


def main(argv: list[str] | None = None) -> None:
    import jieba
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    args = parse_args(argv)
    jieba.setLogLevel(logging.WARNING)
    train_path = args.train or dev_file("routing_dev.csv")
    rows = read_labelled_csv(train_path)
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    knowledge = load_knowledge()
    engine = Engine.build(knowledge, Path.home() / ".cache" / "xinfang-bench")
    if args.set:
        test_rows = read_labelled_csv(args.set)
        splits = [(list(range(len(rows))), None)]
        print(f"learn on {train_path.name} ({len(rows)}), judge on {args.set.name} ({len(test_rows)})")
    else:
        folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=args.seed)
        splits = [(list(tr), list(te)) for tr, te in folds.split(texts, labels)]
        print(f"{args.folds}-fold CV over {train_path.name} ({len(rows)} letters), seed {args.seed}")
    letters = read_letters(texts, engine.segmenter, LearningSettings().title_repeat, knowledge.taxonomy.everyday)

    ours = ClassificationReport()
    guesses = ClassificationReport()
    base = {name: ClassificationReport() for name in BASELINES}
    triaged = 0
    timing: tuple[KeywordRouter, Baseline, list[str]] | None = None
    for number, (train, test) in enumerate(splits, start=1):
        model = learn_routing_model(
            [texts[i] for i in train],
            [labels[i] for i in train],
            engine.segmenter,
            letters=[letters[i] for i in train],
            source=train_path.name,
        )
        router = KeywordRouter(replace_model(knowledge.taxonomy, model), engine.segmenter)
        judged = test_rows if test is None else [rows[i] for i in test]
        report = evaluate_routing(router, judged)
        for g, p in zip(report.classes.gold, report.classes.predicted, strict=True):
            ours.add(g, p)
        for g, p in zip(report.guesses.gold, report.guesses.predicted, strict=True):
            guesses.add(g, p)
        triaged += report.triaged
        line = f"  part {number}: ours {report.classes.macro_f1:.4f} (待分办 {report.triage_share:.1%})"
        judged_texts = [r["text"] for r in judged]
        for name, settings in BASELINES.items():
            baseline = Baseline([texts[i] for i in train], [labels[i] for i in train], **settings)
            part = ClassificationReport(report.classes.gold, baseline.predict(judged_texts))
            for g, p in zip(part.gold, part.predicted, strict=True):
                base[name].add(g, p)
            line += f"   {name} {part.macro_f1:.4f}"
        print(line, flush=True)
        timing = (router, baseline, judged_texts)

    reference = max(base, key=lambda n: base[n].macro_f1)
    share = triaged / len(ours.gold)
    print()
    print(
        f"ours (待分办 = miss)        macro-F1 {ours.macro_f1:.4f}   accuracy {ours.accuracy:.4f}   待分办 {share:.1%}"
    )
    print(f"ours (first choice)        macro-F1 {guesses.macro_f1:.4f}   accuracy {guesses.accuracy:.4f}")
    for name, report in base.items():
        print(f"{name:<27}macro-F1 {report.macro_f1:.4f}   accuracy {report.accuracy:.4f}")
    print(
        f"ratio macro-F1 ours / {reference}: {ours.macro_f1 / base[reference].macro_f1:.3f}"
        f"   (first choice: {guesses.macro_f1 / base[reference].macro_f1:.3f})"
    )

    assert timing is not None
    router, baseline, sample = timing
    sample = sample[:400]
    ours_ms, ours_wall = time_each(router.route, sample, 2)
    base_ms, base_wall = time_each(baseline.predict_one, sample, 2)
    print(summary("route() per message", ours_ms, ours_wall))
    print(summary("baseline per message", base_ms, base_wall))
    print(
        f"p99 ratio ours / baseline: {percentile(ours_ms, 99) / percentile(base_ms, 99):.2f}"
        f"   (mean {np.mean(ours_ms) / np.mean(base_ms):.2f})"
    )


def replace_model(taxonomy, model):  # type: ignore[no-untyped-def]
    import dataclasses

    return dataclasses.replace(taxonomy, model=model)


if __name__ == "__main__":
    main()
