"""A local stand-in for the Telegram Bot API, spoken over real HTTP.

The bot under test (python-telegram-bot, through `TELEGRAM_API_BASE_URL`) talks to this aiohttp
server exactly as it would to api.telegram.org: getMe, getUpdates (long polling), sendMessage,
editMessageText, editMessageReplyMarkup, answerCallbackQuery, getFile + file download,
setWebhook, deleteWebhook, setMyCommands. Tests push user updates in and read what the bot
sent. It can also play a user who blocked the bot (403) and rate limiting (429 retry_after).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-TOKEN"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "信访助手",
    "username": "xinfang_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# form fields PTB sends JSON-encoded (strings such as `text` arrive as they are)
_JSON_FIELDS = {
    "chat_id",
    "reply_markup",
    "allowed_updates",
    "commands",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "show_alert",
    "drop_pending_updates",
    "max_connections",
    "link_preview_options",
}


def message_update(update_id: int, user: int, text: str) -> dict:
    """A private-chat text message as Telegram posts it to a webhook."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1,
            "text": text,
            "from": {"id": user, "is_bot": False, "first_name": "x"},
            "chat": {"id": user, "type": "private"},
        },
    }


def callback_update(update_id: int, user: int, data: str) -> dict:
    """A button press (callback query) as Telegram posts it to a webhook."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "from": {"id": user, "is_bot": False, "first_name": "x"},
            "chat_instance": str(user),
            "data": data,
            "message": {"message_id": 1, "date": 1, "chat": {"id": user, "type": "private"}, "text": "…"},
        },
    }


# a complaint typed step by step, with a fragment of the question each step is answered with
COMPLAINT_STEPS = (
    ("/complain", "怎么称呼"),
    ("张三", "联系电话"),
    ("13812345678", "住址"),
    ("A市A3区建设路", "发生了什么"),
    ("小区门口的路灯坏了三个月，晚上很危险", "怎么解决"),
    ("尽快修好", "理由"),
    ("影响出行安全", "照片"),
)


@dataclass
class Sent:
    method: str
    chat_id: int
    text: str
    reply_markup: dict | None
    message_id: int
    at: float

    @property
    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b["callback_data"]) for row in rows for b in row]


@dataclass
class BotApiStandIn:
    updates: list[dict] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    calls: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    files: dict[str, bytes] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    throttle: dict[int, list[int]] = field(default_factory=dict)  # chat → [times left, retry_after]
    webhook: dict[str, Any] = field(default_factory=dict)
    commands: list[dict] = field(default_factory=list)
    callback_answers: list[str] = field(default_factory=list)
    delay: float = 0.0  # simulated network/processing latency per call
    # sendMessage calls wait (unanswered, not delivered) while this is set: a bot killed meanwhile
    # never got through; `release_sends()` lets the waiting ones through if their caller is alive
    hold_sends: bool = False
    held: int = 0  # sendMessage calls that have waited
    # every method answers this HTTP status while it is set (an API in trouble: 502, 503, …)
    failing: int | None = None

    def __post_init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._new_message = asyncio.Event()
        self._released = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.port = 0
        self.updates_seen: list[dict] = []

    # ── the test's side ─────────────────────────────────────────────────────

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def _user(self, user_id: int) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": f"用户{user_id}"}

    def push(self, update: dict) -> int:
        update.setdefault("update_id", next(self._update_ids))
        self.updates.append(update)
        self._new_update.set()
        return update["update_id"]

    def push_message(self, user_id: int, text: str = "", **extra: Any) -> int:
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "from": self._user(user_id),
            "chat": {"id": user_id, "type": "private", "first_name": f"用户{user_id}"},
            **extra,
        }
        if text:
            message["text"] = text
        return self.push({"message": message})

    def push_photo(self, user_id: int, data: bytes, caption: str = "") -> int:
        file_id = f"photo{len(self.files)}"
        self.files[file_id] = data
        sizes = [
            {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 800, "height": 600, "file_size": len(data)}
        ]
        extra: dict[str, Any] = {"photo": sizes}
        if caption:
            extra["caption"] = caption
        return self.push_message(user_id, **extra)

    def push_document(self, user_id: int, name: str, mime: str, data: bytes) -> int:
        file_id = f"doc{len(self.files)}"
        self.files[file_id] = data
        return self.push_message(
            user_id,
            document={
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": name,
                "mime_type": mime,
                "file_size": len(data),
            },
        )

    def push_callback(self, user_id: int, data: str, message_id: int = 1) -> int:
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "from": BOT_USER,
            "chat": {"id": user_id, "type": "private"},
            "text": "…",
        }
        return self.push(
            {
                "callback_query": {
                    "id": f"cb{time.monotonic_ns()}",
                    "from": self._user(user_id),
                    "chat_instance": str(user_id),
                    "data": data,
                    "message": message,
                }
            }
        )

    def redeliver(self, update_id: int) -> None:
        """Telegram sometimes sends the same update again (e.g. after a timeout)."""
        original = next(u for u in self.updates_seen if u["update_id"] == update_id)
        self.updates.append(json.loads(json.dumps(original)))
        self._new_update.set()

    def release_sends(self) -> None:
        self.hold_sends = False
        self._released.set()

    def to(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]

    async def wait_for(self, chat_id: int, count: int, timeout: float = 15.0) -> list[Sent]:
        """Wait until `count` messages went to the chat (in total); returns them all."""
        deadline = time.monotonic() + timeout
        while len(self.to(chat_id)) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"chat {chat_id}: {len(self.to(chat_id))}/{count} messages: "
                    f"{[s.text[:40] for s in self.to(chat_id)]}"
                )
            self._new_message.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_message.wait(), min(remaining, 0.5))
        return self.to(chat_id)

    async def wait_until(self, condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met")
            await asyncio.sleep(0.02)

    # ── the bot's side: HTTP ────────────────────────────────────────────────

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._method)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        return app

    async def start(self) -> None:
        """Listen on a free port — or, started again after `close()`, on the same one (the API is back)."""
        self.runner = web.AppRunner(self.app())
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        """Stop listening (the API is unreachable: connections are refused) until `start()`."""
        if self.runner is not None:
            await self.runner.cleanup()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post() if request.method == "POST" else request.query
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, str) and key in _JSON_FIELDS:
                try:
                    params[key] = json.loads(value)
                    continue
                except json.JSONDecodeError:
                    pass
            params[key] = value
        return params

    @staticmethod
    def ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def error(code: int, description: str, **parameters: Any) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=code)

    async def _method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return self.error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls[method] += 1
        if self.failing is not None:
            return self.error(self.failing, "Service Unavailable")
        if self.delay:
            await asyncio.sleep(self.delay)
        if method == "sendMessage" and self.hold_sends:
            self.held += 1
            await self._released.wait()
            if request.transport is None or request.transport.is_closing():
                return web.Response(status=499)  # the caller is gone: the message never arrived
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self.error(404, f"Not Found: method {method} not implemented by the stand-in")
        return await handler(params)

    async def _api_getMe(self, _params: dict) -> web.Response:
        return self.ok(BOT_USER)

    async def _api_getUpdates(self, params: dict) -> web.Response:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        batch = self.updates[: int(params.get("limit") or 100)]
        self.updates_seen.extend(u for u in batch if u not in self.updates_seen)
        # a re-delivered update keeps its id, so an offset past it drops both copies
        return self.ok(batch)

    async def _api_sendMessage(self, params: dict) -> web.Response:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return self.error(403, "Forbidden: bot was blocked by the user")
        throttle = self.throttle.get(chat_id)
        if throttle and throttle[0] > 0:
            throttle[0] -= 1
            return self.error(429, f"Too Many Requests: retry after {throttle[1]}", retry_after=throttle[1])
        text = params.get("text", "")
        if not text or len(text) > 4096:
            return self.error(400, "Bad Request: message text is empty or too long")
        markup = params.get("reply_markup")
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    return self.error(400, "Bad Request: BUTTON_DATA_INVALID")
        message_id = next(self._message_ids)
        self.sent.append(Sent("sendMessage", chat_id, text, markup, message_id, time.monotonic()))
        self._new_message.set()
        return self.ok(
            {
                "message_id": message_id,
                "date": int(time.time()),
                "from": BOT_USER,
                "chat": {"id": chat_id, "type": "private"},
                "text": text,
            }
        )

    async def _api_editMessageText(self, params: dict) -> web.Response:
        chat_id = int(params["chat_id"])
        self.sent.append(
            Sent(
                "editMessageText",
                chat_id,
                params.get("text", ""),
                params.get("reply_markup"),
                int(params.get("message_id", 0)),
                time.monotonic(),
            )
        )
        return self.ok(
            {
                "message_id": int(params.get("message_id", 0)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": params.get("text", ""),
            }
        )

    async def _api_editMessageReplyMarkup(self, params: dict) -> web.Response:
        chat_id = int(params["chat_id"])
        return self.ok(
            {
                "message_id": int(params.get("message_id", 0)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": "…",
            }
        )

    async def _api_answerCallbackQuery(self, params: dict) -> web.Response:
        self.callback_answers.append(params.get("callback_query_id", ""))
        return self.ok(True)

    async def _api_getFile(self, params: dict) -> web.Response:
        file_id = params["file_id"]
        if file_id not in self.files:
            return self.error(400, "Bad Request: invalid file_id")
        return self.ok(
            {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self.files[file_id]),
                "file_path": f"files/{file_id}.bin",
            }
        )

    async def _file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1].removesuffix(".bin")
        if file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])

    async def _api_setWebhook(self, params: dict) -> web.Response:
        self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token", "")}
        return self.ok(True)

    async def _api_deleteWebhook(self, _params: dict) -> web.Response:
        self.webhook = {}
        return self.ok(True)

    async def _api_getWebhookInfo(self, _params: dict) -> web.Response:
        return self.ok({"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0})

    async def _api_setMyCommands(self, params: dict) -> web.Response:
        self.commands = params.get("commands") or []
        return self.ok(True)

    async def _api_sendChatAction(self, _params: dict) -> web.Response:
        return self.ok(True)
