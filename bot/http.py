"""HTTP plumbing shared by every route: JSON errors, security headers, per-client rate limits."""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from backend.errors import Conflict, Forbidden, Invalid, NotFound, StoreError, StoreUnavailable
from backend.web.jsonio import json_response, read_json

__all__ = [
    "RateLimiter",
    "check_rate",
    "errors_middleware",
    "json_error",
    "json_response",
    "read_json",
    "security_headers_middleware",
]

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
JSON_PREFIXES = ("/api/", "/chat/api/")  # paths whose errors are JSON

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal",
    503: "unavailable",
}


# Domain errors an API handler lets through, as HTTP. NotFound's own text names internal ids, and
# "not yours" must read exactly like "does not exist", so it gets one fixed message.
_DOMAIN_STATUS: tuple[tuple[type[StoreError], int, str | None], ...] = (
    (NotFound, 404, "未找到"),
    (Forbidden, 403, None),
    (Conflict, 409, None),
    (Invalid, 422, None),
    (StoreUnavailable, 503, "数据库暂时不可用，请稍后重试"),
)


# ── 用户可见文字：出错时的简短说明（替换 aiohttp 的英文默认文字） ──────────────
_PLAIN = {
    400: "请求有误，请检查后再试",
    401: "请先登录",
    403: "无权访问",
    404: "找不到这个页面或接口，请检查地址",
    405: "不支持这种请求方式",
    413: "提交的内容太大",
    415: "不支持这种内容格式",
    422: "填写的内容有误",
    429: "请求太频繁，请稍后再试",
    500: "服务器内部错误，请稍后再试",
    503: "服务暂时不可用，请稍后再试",
}
_CJK = re.compile(r"[\u4e00-\u9fa5]")
# ─────────────────────────────────────────────────────────────────────────────


def _message(exc: web.HTTPException) -> str:
    """Our own (Chinese) text, or a short Chinese one for aiohttp's English defaults, which may
    also name internals (「Maximum request body size 65536 exceeded」)."""
    if exc.text and _CJK.search(exc.text):
        return exc.text
    return _PLAIN.get(exc.status, "请求未能完成" if exc.status < 500 else _PLAIN[500])


def json_error(status: int, message: str, code: str | None = None, **extra: Any) -> web.Response:
    body = {"error": {"code": code or _STATUS_CODES.get(status, "error"), "message": message, **extra}}
    return json_response(body, status)


def _domain_error(exc: Exception) -> web.Response | None:
    for kind, status, message in _DOMAIN_STATUS:
        if isinstance(exc, kind):
            fields = getattr(exc, "fields", None)
            return json_error(status, message or str(exc), **({"fields": fields} if fields else {}))
    return None


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """API paths answer errors, HTTP or domain, as {"error": {...}}; nothing answers with a stack trace."""
    is_api = request.path.startswith(JSON_PREFIXES)
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        message = _message(exc)
        if is_api:
            response = json_error(exc.status, message)
        elif exc.text and _CJK.search(exc.text) and exc.content_type != "text/plain":
            raise  # a page of ours (HTML) with its own words
        else:
            response = web.Response(status=exc.status, text=message, content_type="text/plain")
        for header in ("Retry-After", "WWW-Authenticate", "Allow"):
            if header in exc.headers:
                response.headers[header] = exc.headers[header]
        return response
    except Exception as exc:
        domain = _domain_error(exc) if is_api else None
        if domain is not None:
            return domain
        log.exception("unhandled error on %s %s", request.method, request.path)
        if is_api:
            return json_error(500, "服务器内部错误，请稍后再试")
        return web.Response(status=500, text="服务器内部错误，请稍后再试。", content_type="text/plain")


@web.middleware
async def security_headers_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    )
    return response


class RateLimiter:
    """A token bucket per client key (address): `rate` requests per `per` seconds, bursts allowed."""

    def __init__(self, rate: int, per: float = 60.0, max_clients: int = 10_000) -> None:
        self.capacity = float(max(rate, 1))
        self.refill = self.capacity / per
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._max_clients = max_clients

    def retry_after(self, key: str, now: float | None = None) -> float:
        """0 when the request may go ahead (and spends a token), else seconds to wait."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.refill)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.refill
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self._max_clients:
            self._buckets.popitem(last=False)
        return wait


def client_key(request: web.Request) -> str:
    return request.remote or "unknown"


def check_rate(limiter: RateLimiter, request: web.Request) -> None:
    wait = limiter.retry_after(client_key(request))
    if wait > 0:
        raise web.HTTPTooManyRequests(text="请求太频繁，请稍后再试", headers={"Retry-After": str(int(wait) + 1)})
