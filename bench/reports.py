"""Which messages filing seals as reports (检举控告, 条例第三十条): recall and precision against
labelled steering sets, the steering verdict alone as the baseline measured in the same run.

A message is a report when its labels include `discipline_report`. Filing (backend/filing.py
`seal`) calls it one when the steering verdict is 检举控告 *or* nlp/accused.py lays an act of
misconduct at an official's door. What matters most: reports missed (the reporter's identity
would reach the department they accuse), then ordinary matters turned into reports (sent to
the 纪委监委 instead of the department that should act).

    python -m bench.reports [--set FILE.jsonl ...]

Each FILE is JSONL with {"text", "channels"}; by default the shared steer dev set.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.common import dev_file
from knowledge import load_knowledge
from nlp import Engine

DISCIPLINE = "discipline_report"


def _rows(paths: list[Path]) -> list[tuple[str, bool]]:
    rows = []
    for path in paths:
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append((row["text"], DISCIPLINE in (row.get("channels") or [])))
    return rows


def _score(name: str, predicted: list[bool], gold: list[bool], seconds: float) -> str:
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
    fn = sum(g and not p for p, g in zip(predicted, gold, strict=True))
    recall = tp / (tp + fn) if tp + fn else 1.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    ordinary = sum(not g for g in gold)
    return (
        f"{name:<34} recall {recall:6.1%} ({tp}/{tp + fn})   precision {precision:6.1%}   "
        f"ordinary made reports {fp}/{ordinary}   {seconds * 1000 / max(len(gold), 1):.2f} ms/msg"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="sets", type=Path, action="append", help="JSONL {text, channels}")
    args = parser.parse_args()
    rows = _rows(args.sets or [dev_file("steer_dev.jsonl")])
    engine = Engine.build(load_knowledge(), Path(tempfile.mkdtemp()))
    texts, gold = [t for t, _ in rows], [g for _, g in rows]

    t = time.perf_counter()
    steered = [engine.steer(text).channel == DISCIPLINE for text in texts]
    base_time = time.perf_counter() - t
    t = time.perf_counter()
    accused = [bool((a := engine.accusation(text)) and a.is_report) for text in texts]
    accused_time = time.perf_counter() - t
    sealed = [s or a for s, a in zip(steered, accused, strict=True)]

    print(f"{len(rows)} messages, {sum(gold)} labelled 检举控告")
    print(_score("steering verdict alone (baseline)", steered, gold, base_time))
    print(_score("accusation finder alone", accused, gold, accused_time))
    print(_score("filing: either (what is sealed)", sealed, gold, base_time + accused_time))
    missed = [text for text, s, g in zip(texts, sealed, gold, strict=True) if g and not s]
    for text in missed[:10]:
        print(f"  missed: {text[:70]}")


if __name__ == "__main__":
    main()
