"""`create_app(config)`: the one aiohttp application, used by `xinfang run` and by the tests.

Resources live in cleanup contexts, in order: the database (migrated on start), the NLP engine
(built off the event loop), the dialogue, then the transports and workers that need them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

from aiohttp import web

from backend import web as staff_web
from backend.db import Database, is_unavailable
from backend.errors import StoreUnavailable
from backend.store import Store
from handlers import Assistant, Services
from knowledge import load_knowledge
from nlp import Engine

from . import campaign_worker, citizen_api, public_api, send_budget, webchat, workers
from .config import Config
from .http import errors_middleware, security_headers_middleware
from .keys import ASSISTANT, CONFIG, DATABASE, ENGINE, STORE
from .telegram import runtime as telegram_runtime

log = logging.getLogger(__name__)


def build_engine(config: Config) -> Engine:
    """Blocking: validate the knowledge files and build the NLP engine (jieba cache in data_dir)."""
    return Engine.build(load_knowledge(), config.data_dir / "cache")


def build_services(config: Config, engine: Engine) -> Services:
    return Services(
        engine=engine,
        hotline=config.hotline,
        timezone=ZoneInfo(config.timezone),
        max_message_chars=config.max_message_chars,
        max_attachment_bytes=config.max_attachment_bytes,
    )


def build_assistant(config: Config, engine: Engine, store: Store) -> Assistant:
    return Assistant(store, build_services(config, engine))


async def _database(app: web.Application) -> AsyncIterator[None]:
    """The database, migrated. When it is down at start the server starts anyway — /healthz says
    degraded, the dialogue apologises and keeps the input — and the migration is retried in the
    background; when it succeeds everything carries on without a restart."""
    config = app[CONFIG]
    db = Database(config.database_url)
    app[DATABASE] = db
    app[STORE] = Store(db)
    migrating = None
    if config.migrate_on_start:
        try:
            await db.upgrade()
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            log.error("数据库不可用，先以降级模式启动，稍后自动重试升级：%s", str(exc).splitlines()[0][:200])
            db.ready = False
            migrating = asyncio.create_task(_upgrade_when_possible(db))
    yield
    if migrating is not None:
        await workers.stop(migrating)
    await db.dispose()


async def _upgrade_when_possible(db: Database, first_delay: float = 1.0, max_delay: float = 10.0) -> None:
    delay = first_delay
    while True:
        await asyncio.sleep(delay)
        try:
            await db.upgrade()
        except Exception as exc:
            if not is_unavailable(exc):
                log.exception("数据库升级失败")
            delay = min(delay * 2, max_delay)
            continue
        db.ready = True
        log.warning("数据库已恢复，升级完成，服务恢复正常")
        return


async def _engine(app: web.Application) -> AsyncIterator[None]:
    if ENGINE not in app:  # tests may hand in one engine for many apps
        app[ENGINE] = await asyncio.get_running_loop().run_in_executor(None, build_engine, app[CONFIG])
    yield


def department_rows(engine: Engine) -> list[tuple[str, str, str]]:
    return [(d.id, d.name, d.category) for d in engine.knowledge.taxonomy.departments.values()]


async def _sync_departments(store: Store, rows: list[tuple[str, str, str]]) -> None:
    """Mirror the taxonomy into the database; while the database is down, keep trying."""
    delay = 2.0
    while True:
        try:
            await store.sync_departments(rows)
            return
        except StoreUnavailable as exc:
            log.warning("部门表同步失败（数据库不可用：%s），%.0f 秒后重试", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)


def build_staff_context(config: Config, engine: Engine, store: Store) -> staff_web.StaffContext:
    return staff_web.StaffContext(
        store=store,
        secret=config.resolved_secret_key(),
        timezone=ZoneInfo(config.timezone),
        words=engine.segmenter.words,
        channel_names={c.id: c.name for c in engine.knowledge.channels.values()},
        secure_cookies=config.secure_cookies,
        trusted_proxies=config.trusted_proxy_networks(),
        knowledge=engine.knowledge,
        topic_words=topic_vocabulary(engine),
        engine=engine,
        max_attachment_bytes=config.max_attachment_bytes,
    )


def topic_vocabulary(engine: Engine, min_weight: float = 1.5) -> frozenset[str]:
    """The strong routing keywords, learned and curated: the words hot topics are made of."""
    taxonomy = engine.knowledge.taxonomy
    words = {w for weights in taxonomy.learned.values() for w, v in weights.items() if v >= min_weight}
    for category in taxonomy.categories:
        words.update(w for w, v in category.keywords.items() if v >= min_weight)
        for department in category.departments:
            words.update(w for w, v in department.keywords.items() if v >= min_weight)
    return frozenset(words)


async def _assistant(app: web.Application) -> AsyncIterator[None]:
    rows = department_rows(app[ENGINE])
    try:
        await app[STORE].sync_departments(rows)
        retry = None
    except StoreUnavailable:
        # start anyway: /healthz says the database is down, and the sync catches up when it is back
        retry = asyncio.create_task(_sync_departments(app[STORE], rows))
    app[ASSISTANT] = build_assistant(app[CONFIG], app[ENGINE], app[STORE])
    app[staff_web.STAFF] = build_staff_context(app[CONFIG], app[ENGINE], app[STORE])
    yield
    if retry is not None:
        await workers.stop(retry)


def create_app(config: Config | None = None, *, engine: Engine | None = None) -> web.Application:
    config = config or Config()
    app = web.Application(middlewares=[errors_middleware, security_headers_middleware], client_max_size=16 * 1024**2)
    app[CONFIG] = config
    if engine is not None:
        app[ENGINE] = engine
    app.cleanup_ctx.extend(
        [_database, _engine, _assistant, workers.similar_cases, workers.forget_old_updates, workers.staff_notices]
    )
    app.cleanup_ctx.append(send_budget.context)  # before the transports that send within it
    if config.serve_citizens:
        public_api.setup(app)
        citizen_api.setup(app)
        webchat.setup(app)
        staff_web.setup(app)
    else:  # a workers-only process: no citizen-facing routes, only its health
        app.router.add_get("/healthz", public_api.healthz)
    telegram_runtime.setup(app, config)
    app.cleanup_ctx.append(campaign_worker.campaign_context)
    return app
