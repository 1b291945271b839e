"""诉访分离 and harm: accuracy on labelled sets, and what reading a message costs.

For each labelled JSONL set (`--set FILE`, repeatable; default: the dev set and our own accounts):
rows with "channels" are scored for steering (accuracy, per-channel precision/recall, ordinary
petitions steered away — the worst error —, legal matters found, how often the dialogue would ask
first); rows with "harm" (true/false or a kind) are scored for harm (recall, false alarms).

Speed, measured in the same run on the same messages (the sets plus 500 long real letters):
- baseline: what every free-text message cost before this design (intent + keyword routing);
- steering: `steer()` + harm, the part this design adds;
- read: `Engine.read()`, everything the dialogue needs, once;
- `/api/v1/triage` handled in-process (aiohttp test client over a temporary SQLite store), p99.

    python -m bench.steering [--set FILE ...] [--repeat 3] [--misses]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import tempfile
import time
from pathlib import Path

from bench.common import REPO, dev_file, percentile, summary, time_each
from knowledge import load_knowledge
from nlp import Engine
from nlp.evaluate import evaluate_harm, evaluate_steering

LOCAL = REPO / "tests" / "nlp" / "data"
DEFAULT_SETS = (LOCAL / "steer_colloquial.jsonl", LOCAL / "steer_voices.jsonl", LOCAL / "harm_voices.jsonl")


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def report_set(engine: Engine, path: Path, misses: bool) -> list[str]:
    rows = read_rows(path)
    print(f"\n══ {path.name}（{len(rows)} 条）")
    steer_rows = [r for r in rows if "text" in r and "channels" in r]
    harm_rows = [r for r in rows if "text" in r and "harm" in r]
    if steer_rows:
        print(evaluate_steering(engine.steerer, steer_rows).render(misses))
    if harm_rows:
        print(evaluate_harm(engine.harm.detect, harm_rows).render(misses))
    if not steer_rows and not harm_rows:
        print("（没有 channels 或 harm 标注）")
    return [r["text"] for r in rows if isinstance(r.get("text"), str)]


async def triage_latency(engine: Engine, texts: list[str], repeat: int) -> list[float]:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.app import create_app
    from bot.config import Config

    folder = Path(tempfile.mkdtemp())
    config = Config(
        database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}",
        data_dir=folder / "data",
        telegram_bot_token=None,
        secret_key="bench-secret-key-not-for-production",
        api_rate_per_minute=10_000_000,
        _env_file=None,
    )
    client = TestClient(TestServer(create_app(config, engine=engine)))
    await client.start_server()
    latencies = []
    try:
        for text in texts[:20]:
            await client.post("/api/v1/triage", json={"text": text})
        for _ in range(repeat):
            for text in texts:
                start = time.perf_counter()
                response = await client.post("/api/v1/triage", json={"text": text})
                await response.read()
                latencies.append((time.perf_counter() - start) * 1000)
    finally:
        await client.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", dest="sets", action="append", type=Path, help="labelled JSONL (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    engine = Engine.build(load_knowledge(), Path(tempfile.mkdtemp()))
    sets = args.sets or [dev_file("steer_dev.jsonl"), *DEFAULT_SETS]
    messages: list[str] = []
    for path in sets:
        messages += report_set(engine, path, args.misses)
    letters = [r["text"] for r in csv.DictReader(dev_file("routing_dev.csv").open(encoding="utf-8"))][:500]
    messages += letters

    def baseline(text: str) -> None:
        engine.intent(text)
        engine.route(text)

    def steering(text: str) -> None:
        engine.steer(text)
        engine.urgency(text)

    def read(text: str) -> None:
        engine.read(text)

    for text in messages[:50]:
        baseline(text)
        steering(text)
        read(text)
    base_lat, base_wall = time_each(baseline, messages, args.repeat)
    steer_lat, steer_wall = time_each(steering, messages, args.repeat)
    read_lat, read_wall = time_each(read, messages, args.repeat)
    print(f"\n══ 速度：{len(messages)} 条消息（其中 {len(letters)} 封较长的真实来信）× {args.repeat}")
    print(summary("baseline (intent+routing)", base_lat, base_wall))
    print(summary("steering + harm", steer_lat, steer_wall))
    print(summary("Engine.read (all, once)", read_lat, read_wall))
    print(f"ratio steering/baseline p99: {percentile(steer_lat, 99) / percentile(base_lat, 99):.2f}")
    print(f"ratio read/baseline p99:     {percentile(read_lat, 99) / percentile(base_lat, 99):.2f}")
    accounts = messages[: len(messages) - len(letters)]
    for name, texts in (("the labelled messages", accounts), ("long real letters", letters)):
        triage = asyncio.run(triage_latency(engine, texts, args.repeat))
        print(summary(f"/api/v1/triage, {name}", triage, sum(triage) / 1000))
        print(f"  p99 {percentile(triage, 99):.2f} ms (bar ≤ 10 ms)")


if __name__ == "__main__":
    main()
