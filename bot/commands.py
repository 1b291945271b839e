"""The `xinfang` sub-commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from aiohttp import web

from backend.db import Database
from nlp.evaluate import (
    LabelledFileError,
    evaluate_qa,
    evaluate_routing,
    evaluate_steering,
    read_jsonl,
    read_labelled_csv,
)

from .app import build_engine, create_app
from .config import Config

Command = Callable[[argparse.Namespace, Config], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(func: Command) -> Command:
        COMMANDS[name] = func
        return func

    return register


def run_async(coro: Coroutine[Any, Any, int]) -> int:
    return asyncio.run(coro)


def run_config(args: argparse.Namespace, config: Config) -> Config:
    """The configuration with `xinfang run`'s switches applied."""
    update: dict[str, Any] = {}
    if getattr(args, "no_workers", False):
        update["run_workers"] = False
    if getattr(args, "workers_only", False):
        update["serve_citizens"] = False
    if getattr(args, "no_telegram", False):
        update["run_telegram"] = False
    if getattr(args, "host", None):
        update["host"] = args.host
    if getattr(args, "port", None):
        update["port"] = args.port
    return config.model_copy(update=update)


@command("run")
def run(args: argparse.Namespace, config: Config) -> int:
    from .telegram.runtime import PollingRefused

    config = run_config(args, config)
    app = create_app(config)
    telegram = bool(config.telegram_bot_token and config.run_telegram)
    mode = "Telegram 已启用" if telegram else "未启用 Telegram，仅提供网页服务"
    if not config.serve_citizens:
        mode = "只运行后台任务" + ("（含 Telegram 收件箱）" if telegram else "")
    elif not config.run_workers:
        mode += "，不运行后台任务"

    def announce(_message: str) -> None:
        print(f"信访助手已启动：请用浏览器打开 {config.web_url}（{mode}，按 Ctrl+C 停止）", flush=True)

    try:
        web.run_app(app, host=config.host, port=config.port, print=announce, access_log=None, shutdown_timeout=5)
    except PollingRefused as exc:
        print(f"无法启动：{exc}", file=sys.stderr)
        return 2
    return 0


@command("chat")
def chat(_args: argparse.Namespace, config: Config) -> int:
    from .console import run_console

    return run_async(run_console(config))


@command("db upgrade")
def db_upgrade(_args: argparse.Namespace, config: Config) -> int:
    async def go() -> int:
        db = Database(config.database_url)
        try:
            await db.upgrade()
            print(f"数据库已是最新版本（{await db.current_revision()}）")
        finally:
            await db.dispose()
        return 0

    return run_async(go())


@command("db current")
def db_current(_args: argparse.Namespace, config: Config) -> int:
    async def go() -> int:
        db = Database(config.database_url)
        try:
            print(await db.current_revision() or "（尚未初始化）")
        finally:
            await db.dispose()
        return 0

    return run_async(go())


@command("eval")
def evaluate(args: argparse.Namespace, config: Config) -> int:
    if not args.file.exists():
        print(f"找不到文件：{args.file}", file=sys.stderr)
        return 2
    engine = build_engine(config)
    try:
        if args.kind == "qa":
            print(evaluate_qa(engine.retriever, read_jsonl(args.file, ("q", "articles"))).render())
        elif args.kind == "routing":
            print(evaluate_routing(engine.router, read_labelled_csv(args.file)).render())
        else:
            print(evaluate_steering(engine.steerer, read_jsonl(args.file, ("text", "channels"))).render())
        return 0
    except LabelledFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2


@command("routing learn")
def routing_learn(args: argparse.Namespace, config: Config) -> int:
    from pathlib import Path

    from nlp.keyword_learning import learn_routing_model, write_routing_model

    try:
        rows = read_labelled_csv(args.file)
    except (LabelledFileError, FileNotFoundError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    source = args.file.name
    if args.with_corrections:
        corrected = run_async_value(routing_corrections(config))
        texts += [t for t, _ in corrected]
        labels += [label for _, label in corrected]
        source += f" + {len(corrected)} 条工作人员改派纠正"
    engine = build_engine(config)
    routable = {c.name for c in engine.knowledge.taxonomy.categories if c.routable}
    unknown = sorted(set(labels) - routable)
    if unknown:
        print(f"标注里有 departments.toml 中没有（或不可自动分派）的分类：{'、'.join(unknown)}", file=sys.stderr)
        return 2
    if len(set(labels)) < 2:
        print("至少需要两个分类的标注来信", file=sys.stderr)
        return 2
    everyday = engine.knowledge.taxonomy.everyday
    model = learn_routing_model(texts, labels, engine.segmenter, source=source, everyday=everyday)
    out = args.out or Path(__file__).resolve().parents[1] / "knowledge" / "data" / "routing_keywords.toml"
    write_routing_model(out, model)
    features = sum(len(rows) for rows in model.blocks.values())
    print(f"已写入 {out}：{len(model.categories)} 个分类，{features} 个词和字的权重。请审阅后提交。")
    for category in model.categories:
        print(f"  {category}：{'、'.join(list(model.keywords(category))[:12])}")
    return 0


async def routing_corrections(config: Config) -> list[tuple[str, str]]:
    """(title + text, corrected category) of every case staff re-routed: labelled examples."""
    from sqlalchemy import select

    from backend.models import Case, RoutingCorrection

    db = Database(config.database_url)
    try:
        await db.upgrade()
        async with db.session() as session:
            rows = await session.execute(
                select(Case.summary, Case.facts, Case.request, RoutingCorrection.to_category)
                .join(RoutingCorrection, RoutingCorrection.case_id == Case.id)
                .order_by(RoutingCorrection.id)
            )
            latest = {f"{s}\n{f} {r}": c for s, f, r, c in rows}  # the last correction of a case wins
        return list(latest.items())
    finally:
        await db.dispose()


def run_async_value(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


@command("staff add")
def staff_add(args: argparse.Namespace, config: Config) -> int:
    import getpass

    from backend.errors import Conflict, Invalid
    from backend.repo import staff as staff_repo
    from backend.store import Store

    from .app import department_rows

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("密码：")
        if getpass.getpass("再输入一次：") != password:
            print("两次输入的密码不一致", file=sys.stderr)
            return 2

    async def go() -> int:
        db = Database(config.database_url)
        try:
            await db.upgrade()
            store = Store(db)
            engine = build_engine(config)
            await store.sync_departments(department_rows(engine))
            async with store.unit() as uow:
                staff = await staff_repo.create(
                    uow.session, args.name, password, args.role, args.department, args.display_name
                )
            print(
                f"已创建账号 {staff.username}（{staff.role}{'，' + staff.department_id if staff.department_id else ''}）"
            )
            return 0
        except (Invalid, Conflict) as exc:
            print(f"无法创建：{exc}", file=sys.stderr)
            return 2
        finally:
            await db.dispose()

    return run_async(go())


def demo_candidates() -> list[Path]:
    """Where the shared development data may be: $XINFANG_SHARED_DIR/dev, shared/dev next to the
    checkout, or next to (or under) the directory the command runs in."""
    import os

    here = Path.cwd()
    places = [
        Path(__file__).resolve().parents[2] / "shared" / "dev",
        here / "shared" / "dev",
        here.parent / "shared" / "dev",
    ]
    if os.environ.get("XINFANG_SHARED_DIR"):
        places.insert(0, Path(os.environ["XINFANG_SHARED_DIR"]) / "dev")
    return list(dict.fromkeys(places))


@command("demo load")
def demo_load(args: argparse.Namespace, config: Config) -> int:
    from zoneinfo import ZoneInfo

    from backend.demo import DemoDataMissing, load_demo, locate
    from backend.filing import Routing
    from backend.store import Store

    from .app import department_rows

    try:
        data = args.file.parent if args.file and not args.data_dir else locate(args.data_dir, demo_candidates())
    except DemoDataMissing as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.file and not args.file.exists():
        print(f"找不到 {args.file}", file=sys.stderr)
        return 2
    engine = build_engine(config)

    def route(body: str, title: str) -> Routing:
        d = engine.route(body, title=title)
        return Routing(d.category, d.department_id, d.confidence, list(d.keywords), d.needs_triage)

    async def go() -> int:
        db = Database(config.database_url)
        try:
            await db.upgrade()
            store = Store(db)
            await store.sync_departments(department_rows(engine))
            result = await load_demo(
                store,
                route,
                engine.segmenter.words,
                data,
                args.limit,
                ZoneInfo(config.timezone),
                past=args.file,
                nlp=engine,
            )
            print(
                f"已从 {data} 导入：参考答复 {result.references} 条；"
                f"已办结的历史件 {result.concluded} 件（按答复日期）；已归档的历史留言 {result.archived} 件；"
                f"答复无日期、仅作参考的 {result.undated} 条"
                + (f"；已导入过、跳过 {result.skipped} 条" if result.skipped else "")
            )
            return 0
        finally:
            await db.dispose()

    return run_async(go())
