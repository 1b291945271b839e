"""Remedies and their last days on dated first-person accounts, through the triage logic.

Each line of the set is `{"text", "today", "deadlines": [{"remedy", "due", "expired"}]}` with the
last days computed by hand from the statutes. Every labelled remedy is a hit when it is listed
with the right last day and the right expired flag; otherwise a miss, with what went wrong.
Remedies listed but not labelled are reported as extra (not counted against the bar, shown so a
reader can judge them).

    python -m bench.deadlines [--set FILE] [--verbose]

Default set: tests/nlp/data/dated_accounts.jsonl (our own worked examples). Also prints the time
the remedy step takes against steering alone (the rest of the triage path), as a ratio.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from bench.common import REPO, percentile, time_each
from knowledge import load_knowledge
from nlp import Engine

DEFAULT_SET = REPO / "tests" / "nlp" / "data" / "dated_accounts.jsonl"


def judge(engine: Engine, item: dict) -> tuple[list[tuple[str, str]], list[dict]]:
    """([(remedy, "hit" | why it missed)], extra listed remedies) for one labelled account."""
    today = date.fromisoformat(item["today"])
    found = {d.remedy: d for d in engine.deadlines(item["text"], today).deadlines}
    results = []
    for label in item["deadlines"]:
        got = found.pop(label["remedy"], None)
        if got is None:
            results.append((label["remedy"], "not listed"))
        elif got.due.isoformat() != label["due"]:
            results.append((label["remedy"], f"last day {got.due.isoformat()} ≠ {label['due']}"))
        elif got.expired != bool(label["expired"]):
            results.append((label["remedy"], f"expired {got.expired} ≠ {label['expired']}"))
        else:
            results.append((label["remedy"], "hit"))
    extra = [{"remedy": d.remedy, "due": d.due.isoformat(), "expired": d.expired} for d in found.values()]
    return results, extra


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="JSONL file of dated accounts")
    parser.add_argument("--verbose", action="store_true", help="print every miss and extra with its text")
    args = parser.parse_args(argv)
    items = [json.loads(line) for line in args.set.read_text("utf-8").splitlines() if line.strip()]
    engine = Engine.build(load_knowledge(), Path(tempfile.mkdtemp()))
    per_remedy: dict[str, Counter[str]] = {}
    accounts_all_hit = 0
    extras = 0
    for item in items:
        results, extra = judge(engine, item)
        extras += len(extra)
        accounts_all_hit += all(r == "hit" for _, r in results) and not extra
        for remedy, result in results:
            per_remedy.setdefault(remedy, Counter())["hit" if result == "hit" else "miss"] += 1
            if result != "hit" and args.verbose:
                print(f"MISS {remedy}: {result}\n     {item['text'][:120]} (today {item['today']})")
        if extra and args.verbose:
            print(f"EXTRA {extra}\n     {item['text'][:120]} (today {item['today']})")
    total_hit = sum(c["hit"] for c in per_remedy.values())
    total = sum(c["hit"] + c["miss"] for c in per_remedy.values())
    print(f"{len(items)} accounts, {total} labelled remedies: {total_hit} hits, {total - total_hit} misses")
    for remedy, counts in sorted(per_remedy.items()):
        print(f"  {remedy:24} {counts['hit']:3} hit  {counts['miss']:3} miss")
    print(f"accounts fully right (no miss, no extra): {accounts_all_hit}/{len(items)}; extra listed: {extras}")

    texts = [item["text"] for item in items] or ["2026年3月5日收到罚款决定书，我不服"]
    today = date(2026, 11, 25)
    steer_lat, _ = time_each(lambda t: engine.steer(t), texts, 5)
    both_lat, _ = time_each(lambda t: engine.deadlines(t, today), texts, 5)
    print(
        f"time p50 steering {percentile(steer_lat, 50):.2f} ms, steering+remedies "
        f"{percentile(both_lat, 50):.2f} ms; ratio {percentile(both_lat, 50) / percentile(steer_lat, 50):.2f}"
    )


if __name__ == "__main__":
    main()
