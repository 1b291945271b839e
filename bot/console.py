"""`xinfang chat`: the same dialogue as Telegram, in a terminal. Buttons become numbered choices."""

from __future__ import annotations

import asyncio
import getpass
import itertools
import sys

from backend.db import Database
from backend.store import Store
from handlers import Incoming, Reply

from .app import build_assistant, build_engine, department_rows
from .config import Config

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
WELCOME = "信访助手（终端版）。直接输入文字对话；输入编号可点按钮；输入 /quit 或按 Ctrl+D 退出。"
PROMPT = "您："
BYE = "再见，祝您顺利！"
# ─────────────────────────────────────────────────────────────────────────────


def render(replies: list[Reply]) -> tuple[str, dict[str, str]]:
    """Text for the terminal, and the number → button data the user may type."""
    lines: list[str] = []
    choices: dict[str, str] = {}
    for reply in replies:
        lines.append(f"助手：{reply.text}")
        for button in reply.button_list:
            number = str(len(choices) + 1)
            choices[number] = button.data
            lines.append(f"  [{number}] {button.label}")
    return "\n".join(lines), choices


async def run_console(config: Config, stdin=sys.stdin, stdout=sys.stdout) -> int:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    engine_future = loop.run_in_executor(None, build_engine, config)
    db = Database(config.database_url)
    try:
        await db.upgrade()
        engine = await engine_future
        store = Store(db)
        await store.sync_departments(department_rows(engine))
        assistant = build_assistant(config, engine, store)
        user = getpass.getuser()
        counter = itertools.count(1)
        print(WELCOME, file=stdout, flush=True)
        text, choices = render(await assistant.handle(Incoming("console", user, user, text="/start")))
        print(text, file=stdout, flush=True)
        while True:
            print(PROMPT, end="", file=stdout, flush=True)
            line = await loop.run_in_executor(None, stdin.readline)
            if not line or line.strip() in ("/quit", "/exit"):
                print(BYE, file=stdout, flush=True)
                return 0
            line = line.rstrip("\n")
            button = choices.get(line.strip())
            incoming = Incoming(
                "console", user, user, text="" if button else line, button=button, update_id=f"c{next(counter)}"
            )
            text, choices = render(await assistant.handle(incoming))
            print(text, file=stdout, flush=True)
    finally:
        await db.dispose()
