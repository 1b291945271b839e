"""Configuration from the environment and a `.env` file (names fixed in DESIGN.md)."""

from __future__ import annotations

import secrets
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backend.filing import MAX_FACTS_CHARS

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./xinfang.db"
DEFAULT_TELEGRAM_API = "https://api.telegram.org/bot"


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias=AliasChoices("DATABASE_URL", "database_url"))
    telegram_bot_token: str | None = Field(
        None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "telegram_bot_token")
    )
    telegram_api_base_url: str = Field(
        DEFAULT_TELEGRAM_API, validation_alias=AliasChoices("TELEGRAM_API_BASE_URL", "telegram_api_base_url")
    )
    telegram_webhook_url: str | None = Field(
        None, validation_alias=AliasChoices("TELEGRAM_WEBHOOK_URL", "telegram_webhook_url")
    )
    host: str = Field("127.0.0.1", validation_alias=AliasChoices("XINFANG_HOST", "host"))
    port: int = Field(8080, validation_alias=AliasChoices("XINFANG_PORT", "port"))
    secret_key: str | None = Field(None, validation_alias=AliasChoices("XINFANG_SECRET_KEY", "secret_key"))
    # where the jieba cache, the generated secret key and other local state live
    data_dir: Path = Field(Path(".xinfang"), validation_alias=AliasChoices("XINFANG_DATA_DIR", "data_dir"))
    timezone: str = Field("Asia/Shanghai", validation_alias=AliasChoices("XINFANG_TIMEZONE", "timezone"))
    # public hotline offered when the assistant is not sure
    hotline: str = Field("12345", validation_alias=AliasChoices("XINFANG_HOTLINE", "hotline"))
    max_message_chars: int = MAX_FACTS_CHARS  # a message can hold a complaint's whole facts
    max_attachment_bytes: int = 10 * 1024 * 1024
    # API rate limit for the public endpoints, per client address
    api_rate_per_minute: int = Field(60, validation_alias=AliasChoices("XINFANG_API_RATE", "api_rate_per_minute"))
    # the web chat: per browser session (a person), and a generous ceiling per address (many people
    # behind one NAT share an address; only a flood from all of them together reaches it)
    chat_session_rate_per_minute: int = Field(
        40, validation_alias=AliasChoices("XINFANG_CHAT_SESSION_RATE", "chat_session_rate_per_minute")
    )
    chat_address_rate_per_minute: int = Field(
        1200, validation_alias=AliasChoices("XINFANG_CHAT_ADDRESS_RATE", "chat_address_rate_per_minute")
    )
    # outgoing Telegram messages per second, all chats together (Telegram's limit is about 30)
    telegram_global_rate: float = Field(
        30.0, validation_alias=AliasChoices("XINFANG_TELEGRAM_RATE", "telegram_global_rate")
    )
    # where the send budget lives when several processes send for one bot: Redis if set, else
    # PostgreSQL when that is the database (SQLite: in the process)
    redis_url: str | None = Field(None, validation_alias=AliasChoices("REDIS_URL", "redis_url"))
    telegram_poll_timeout: int = 10  # long-polling wait (s); stopping the bot waits for it too
    # the Bot API unreachable: tried again after 1, 2, 4 … seconds, at most this many apart
    telegram_retry_max: float = 60.0
    # per-user flood control: a burst, then this many messages per second (faster is slowed down)
    flood_rate: float = 1.0
    flood_burst: int = 8
    # a Telegram chat (group) of petition staff: new, urgent and overdue cases are announced there
    staff_chat_id: str | None = Field(None, validation_alias=AliasChoices("XINFANG_STAFF_CHAT_ID", "staff_chat_id"))
    secure_cookies: bool = Field(False, validation_alias=AliasChoices("XINFANG_SECURE_COOKIES", "secure_cookies"))
    # reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For and
    # X-Forwarded-Proto headers are believed; nobody else's are
    trusted_proxies: str = Field("", validation_alias=AliasChoices("XINFANG_TRUSTED_PROXIES", "trusted_proxies"))
    migrate_on_start: bool = True
    # what this process does (`xinfang run --no-workers / --workers-only / --no-telegram`):
    run_workers: bool = True  # background loops: outbox and campaign delivery, 相似件, pruning
    serve_citizens: bool = True  # web chat, API, dashboard, webhook / polling (False: workers only)
    run_telegram: bool = True  # Telegram at all in this process (when a token is set)
    # the durable inbox (see bot/telegram/pipeline.py)
    inbox_scan_every: float = 1.0  # s between looks for work no process is doing
    # an update left unhandled this long is taken by any process (s)
    inbox_grace: float = Field(3.0, validation_alias=AliasChoices("XINFANG_INBOX_GRACE", "inbox_grace"))
    # a process silent this long is gone: its unsent replies are taken over (s)
    instance_ttl: float = Field(10.0, validation_alias=AliasChoices("XINFANG_INSTANCE_TTL", "instance_ttl"))

    @field_validator(
        "telegram_bot_token", "telegram_webhook_url", "secret_key", "redis_url", "staff_chat_id", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    def trusted_proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        try:
            return tuple(ip_network(p.strip(), strict=False) for p in self.trusted_proxies.split(",") if p.strip())
        except ValueError as exc:
            raise ValueError(f"XINFANG_TRUSTED_PROXIES 中有无效的地址：{exc}") from None

    @property
    def web_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}/"

    def resolved_secret_key(self) -> str:
        """XINFANG_SECRET_KEY, or one generated on first run and kept in the data directory."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text("utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key, "utf-8")
        path.chmod(0o600)
        return key
