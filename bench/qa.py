"""Q&A speed and accuracy: our retriever against a plain baseline, measured in the same run.

Baseline: `jieba.lcut` (global tokenizer, no domain lexicon) + `rank_bm25.BM25Okapi` over the
raw texts of the 50 articles — no FAQ, no synonyms. Prints questions/second, p50/p99 latency
and top-1/top-3 accuracy of both on ../shared/dev/qa_dev.jsonl, and the ratios.

    python -m bench.qa [--repeat 50]
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from pathlib import Path

from bench.common import dev_file, summary, time_each
from knowledge import REGULATION, load_knowledge
from nlp import Engine


def baseline(knowledge):  # type: ignore[no-untyped-def]
    import jieba
    from rank_bm25 import BM25Okapi

    jieba.setLogLevel(logging.WARNING)
    articles = list(knowledge.regulation.articles.values())
    index = BM25Okapi([jieba.lcut(a.text) for a in articles])

    def ask(question: str) -> list[int]:
        scores = index.get_scores(jieba.lcut(question))
        order = sorted(range(len(articles)), key=lambda i: -scores[i])
        return [articles[i].number for i in order[:3]]

    return ask


def accuracy(ranker, rows) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    top1 = top3 = 0
    for row in rows:
        got = ranker(row["q"])
        top1 += bool(got) and got[0] in row["articles"]
        top3 += any(a in row["articles"] for a in got[:3])
    return top1 / len(rows), top3 / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    rows = [json.loads(line) for line in dev_file("qa_dev.jsonl").read_text("utf-8").splitlines() if line.strip()]
    questions = [r["q"] for r in rows]
    knowledge = load_knowledge()

    t = time.perf_counter()
    engine = Engine.build(knowledge, Path(tempfile.mkdtemp()))
    build_s = time.perf_counter() - t
    ours = engine.ask
    base = baseline(knowledge)
    for q in questions:  # warm both
        ours(q)
        base(q)

    def ours_ranked(question: str) -> list[int]:
        result = engine.ask(question)
        return [c.article for c in result.citations() if c.law == REGULATION] if result.confident else []

    lat_ours, wall_ours = time_each(ours, questions, args.repeat)
    lat_base, wall_base = time_each(base, questions, args.repeat)
    acc_ours, acc_base = accuracy(ours_ranked, rows), accuracy(base, rows)

    print(f"dev set: {len(rows)} questions × {args.repeat} passes (engine build {build_s:.2f} s, cold cache)")
    print(
        summary("ours (FAQ+articles+syn.)", lat_ours, wall_ours), f"  top-1 {acc_ours[0]:.1%}  top-3 {acc_ours[1]:.1%}"
    )
    print(summary("baseline (jieba+BM25)", lat_base, wall_base), f"  top-1 {acc_base[0]:.1%}  top-3 {acc_base[1]:.1%}")
    qps_ratio = (len(lat_ours) / wall_ours) / (len(lat_base) / wall_base)
    print(f"ratio ours/baseline: speed {qps_ratio:.2f}×   top-1 {acc_ours[0] / max(acc_base[0], 1e-9):.2f}×")


if __name__ == "__main__":
    main()
