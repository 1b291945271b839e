"""Shared fixtures: one NLP engine per session, a fresh database per test (SQLite; PostgreSQL
where a test asks for it), the aiohttp app from `create_app`, and the dialogue on that store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from backend.db import Database
from backend.store import Store
from bot.app import build_assistant, create_app, department_rows
from bot.config import Config
from handlers import Assistant
from nlp import Engine
from tests.auxil import postgres
from tests.auxil.bot_api import TOKEN, BotApiStandIn
from tests.auxil.nlp import shared_engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    return shared_engine()


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    return postgres.unavailable_reason()


@pytest.fixture(params=["sqlite"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """SQLite by default; parametrize indirectly with "postgresql" to run on the local server."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'xinfang.db'}"
        return
    reason = request.getfixturevalue("postgres_reason")
    if reason:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({reason}); .ci/run starts it")
    url = await postgres.create_database()
    try:
        yield url
    finally:
        await postgres.drop_database(url)


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Config:
    return Config(
        database_url=database_url,
        data_dir=tmp_path / "data",
        telegram_bot_token=None,
        secret_key="test-secret-key-not-for-production",
        api_rate_per_minute=10_000,
        _env_file=None,
    )


@pytest.fixture
async def database(config: Config) -> AsyncIterator[Database]:
    db = Database(config.database_url)
    await db.upgrade()
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
async def store(database: Database, engine: Engine) -> Store:
    store = Store(database)
    await store.sync_departments(department_rows(engine))
    return store


@pytest.fixture
def assistant(config: Config, engine: Engine, store: Store) -> Assistant:
    return build_assistant(config, engine, store)


@pytest.fixture
async def client(aiohttp_client, config: Config, engine: Engine) -> TestClient:  # type: ignore[no-untyped-def]
    return await aiohttp_client(create_app(config, engine=engine))


@pytest.fixture
async def telegram() -> AsyncIterator[BotApiStandIn]:
    """The Bot API stand-in, on a free local port."""
    api = BotApiStandIn()
    await api.start()
    yield api
    await api.close()


@pytest.fixture
def telegram_config(config: Config, telegram: BotApiStandIn) -> Config:
    """The test config, with the bot pointed at the stand-in (short long-polls: quick shutdown)."""
    return config.model_copy(
        update={"telegram_bot_token": TOKEN, "telegram_api_base_url": telegram.base_url, "telegram_poll_timeout": 1}
    )
