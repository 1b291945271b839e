"""What steering adds per message: verdict + urgency + date, against the rest of the text path.

Messages: the steer dev set, our longer colloquial accounts, and 500 real letters (long). The
baseline is what every free-text message costs anyway (normalise, intent, keyword routing);
"steering" is `steer()` + `urgency()` + the date the citizen mentions. Prints p50/p99 of both
and the steering accuracy on the dev set.

    python -m bench.steering
"""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import date
from pathlib import Path

from bench.common import REPO, dev_file, percentile, summary, time_each
from knowledge import load_knowledge
from nlp import Engine
from nlp.dates import mentioned_date
from nlp.evaluate import evaluate_steering


def main() -> None:
    engine = Engine.build(load_knowledge(), Path(tempfile.mkdtemp()))
    dev = [json.loads(line) for line in dev_file("steer_dev.jsonl").read_text("utf-8").splitlines() if line.strip()]
    local = REPO / "tests" / "nlp" / "data" / "steer_colloquial.jsonl"
    colloquial = [json.loads(line) for line in local.read_text("utf-8").splitlines() if line.strip()]
    letters = [r["text"] for r in csv.DictReader(dev_file("routing_dev.csv").open(encoding="utf-8"))][:500]
    messages = [r["text"] for r in dev + colloquial] + letters
    today = date(2026, 11, 25)

    def baseline(text: str) -> None:
        engine.intent(text)
        engine.route(text)

    def steering(text: str) -> None:
        engine.steer(text)
        engine.urgency(text)
        mentioned_date(text, today)

    for text in messages[:50]:
        baseline(text)
        steering(text)
    base_lat, base_wall = time_each(baseline, messages, 3)
    steer_lat, steer_wall = time_each(steering, messages, 3)
    print(f"{len(messages)} messages ({len(dev)} dev, {len(colloquial)} colloquial, {len(letters)} long letters) × 3")
    print(summary("baseline (intent+routing)", base_lat, base_wall))
    print(summary("steering adds", steer_lat, steer_wall))
    print(f"ratio steering/baseline p99: {percentile(steer_lat, 99) / percentile(base_lat, 99):.2f}")
    report = evaluate_steering(engine.steerer, dev)
    print(f"dev accuracy {report.accuracy:.1%}, ordinary petitions steered away {report.steered_away_rate:.1%}")


if __name__ == "__main__":
    main()
