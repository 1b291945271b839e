"""Citizens who never press a button: how many reach a 受理编号 with the right fields.

Each persona in the file (JSONL; fields in tests/auxil/persona.py) is played against the real
Assistant on a fresh SQLite store — it types its own words at whatever step the dialogue is at,
interjects, corrects fields at the summary — and the filed case is checked against what the
persona expects. The default set is the one our tests use (tests/data/intake_personas.jsonl).

    python -m bench.intake [--set FILE] [-v | -vv]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

from backend.db import Database
from backend.store import Store
from bench.common import REPO
from bot.app import build_assistant, department_rows
from bot.config import Config
from knowledge import load_knowledge
from nlp import Engine
from tests.auxil.persona import Outcome, Persona, play

DEFAULT_SET = REPO / "tests" / "data" / "intake_personas.jsonl"


def load_personas(path: Path) -> list[Persona]:
    personas = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip():
            try:
                personas.append(Persona.from_dict(json.loads(line), len(personas)))
            except (json.JSONDecodeError, TypeError, AttributeError) as exc:
                sys.exit(f"{path}:{number}: {exc}")
    return personas


async def run(personas: list[Persona], workdir: Path) -> list[Outcome]:
    config = Config(
        database_url=f"sqlite+aiosqlite:///{workdir / 'intake.db'}",
        data_dir=workdir / "data",
        telegram_bot_token=None,
        secret_key="bench",
        _env_file=None,
    )
    engine = Engine.build(load_knowledge(), workdir / "jieba")
    db = Database(config.database_url)
    await db.upgrade()
    store = Store(db)
    await store.sync_departments(department_rows(engine))
    assistant = build_assistant(config, engine, store)
    try:
        return [await play(assistant, store, p, f"persona{i}") for i, p in enumerate(personas)]
    finally:
        await db.dispose()


def report(outcomes: list[Outcome], verbose: int) -> str:
    lines = []
    for outcome in outcomes:
        mark = "ok  " if outcome.ok else "FAIL"
        lines.append(f"{mark} {outcome.persona:<36} {outcome.ticket or '-':<17} {outcome.why()}")
        for note in outcome.notes:
            lines.append(f"       note: {note}")
        if verbose == 2 or (verbose and not outcome.ok):
            for who, text in outcome.transcript:
                lines.append(f"       {'>' if who == 'citizen' else '<'} {text[:160].replace(chr(10), ' / ')}")
    ok = sum(o.ok for o in outcomes)
    meant = [o for o in outcomes if o.submitted_expected]
    filed = sum(o.ok for o in meant)
    lines.append(
        f"\n{ok} of {len(outcomes)} personas ended as they meant ({ok / len(outcomes):.0%}): "
        f"{filed} of {len(meant)} who meant to file reached a 受理编号 with the right fields, "
        f"{ok - filed} of {len(outcomes) - len(meant)} who chose not to submit filed nothing."
        if outcomes
        else "no personas"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="JSONL file of personas")
    parser.add_argument(
        "--verbose", "-v", action="count", default=0, help="-v: the dialogue of each failure; -vv: of every persona"
    )
    args = parser.parse_args()
    personas = load_personas(args.set)
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp:
        outcomes = asyncio.run(run(personas, Path(tmp)))
    print(f"set: {args.set}")
    print(report(outcomes, args.verbose))


if __name__ == "__main__":
    main()
