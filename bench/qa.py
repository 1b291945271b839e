"""Q&A accuracy and speed: our retriever against a plain baseline, measured in the same run.

Baseline: `jieba.lcut` (global tokenizer, no domain lexicon) + `rank_bm25.BM25Okapi` over the
raw texts of the regulation's 50 articles — no FAQ, no synonyms, no notion of "not sure".

Reports, for both, on a labelled JSONL file (`{"q": "...", "articles": [34]}`; `"articles": []`
marks a question outside the regulation):
- top-1 / top-3: a hit when one of the first 1 / 3 cited articles of the regulation is labelled
  (exactly the citations /api/v1/ask returns, none when unsure — which counts as a miss);
- out-of-scope questions answered confidently (with a citation): the baseline always answers;
- latency p50 / p99 per question and questions per second;
and the ratios ours / baseline.

    python -m bench.qa [--set FILE] [--repeat 20]

Default set: ../shared/dev/qa_dev.jsonl.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

from bench.common import dev_file, summary, time_each
from knowledge import load_knowledge
from nlp import Engine
from nlp.evaluate import evaluate_qa, read_jsonl


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


def baseline_accuracy(ranker, rows) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """top-1, top-3 on the in-scope rows; out-of-scope rows it answered (it always does)."""
    inside = [r for r in rows if r["articles"]]
    top1 = top3 = 0
    for row in inside:
        got = ranker(row["q"])
        top1 += bool(got) and got[0] in row["articles"]
        top3 += any(a in row["articles"] for a in got[:3])
    answered = sum(bool(ranker(r["q"])) for r in rows if not r["articles"])
    return top1 / max(len(inside), 1), top3 / max(len(inside), 1), answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, help="labelled JSONL file (default: ../shared/dev/qa_dev.jsonl)")
    parser.add_argument("--repeat", type=int, default=20, help="timing passes over the set")
    parser.add_argument("--misses", action="store_true", help="list our misses")
    args = parser.parse_args()
    path = args.set or dev_file("qa_dev.jsonl")
    rows = read_jsonl(path, ("q", "articles"))
    questions = [r["q"] for r in rows]
    knowledge = load_knowledge()

    t = time.perf_counter()
    engine = Engine.build(knowledge, Path(tempfile.mkdtemp()))
    build_s = time.perf_counter() - t
    base = baseline(knowledge)
    for q in questions:  # warm both
        engine.ask(q)
        base(q)

    lat_ours, wall_ours = time_each(engine.ask, questions, args.repeat)
    lat_base, wall_base = time_each(base, questions, args.repeat)
    ours = evaluate_qa(engine.retriever, rows)
    b1, b3, b_answered = baseline_accuracy(base, rows)

    print(f"{path}: {ours.total} questions in scope, {ours.out_of_scope} out of scope; {args.repeat} timing passes")
    print(f"engine build {build_s:.2f} s (cold jieba cache)")
    print(
        summary("ours (FAQ+law+needs)", lat_ours, wall_ours),
        f"  top-1 {ours.top1_accuracy:.1%}  top-3 {ours.top3_accuracy:.1%}"
        f"  out-of-scope answered {ours.false_answers}/{ours.out_of_scope}"
        f" ({ours.other_law_answers} from another law)",
    )
    print(
        summary("baseline (jieba+BM25)", lat_base, wall_base),
        f"  top-1 {b1:.1%}  top-3 {b3:.1%}  out-of-scope answered {b_answered}/{ours.out_of_scope}",
    )
    qps_ratio = (len(lat_ours) / wall_ours) / (len(lat_base) / wall_base)
    print(
        f"ratio ours/baseline: speed {qps_ratio:.2f}×   top-1 {ours.top1_accuracy / max(b1, 1e-9):.2f}×"
        f"   top-3 {ours.top3_accuracy / max(b3, 1e-9):.2f}×"
    )
    if args.misses:
        print(ours.render())


if __name__ == "__main__":
    main()
