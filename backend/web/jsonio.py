"""JSON in and out for every API route (staff and public): one reader, one writer."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def json_response(value: Any, status: int = 200) -> web.Response:
    return web.json_response(value, status=status, dumps=dumps)


MAX_DEPTH = 32  # no request of ours nests deeper; a deeper one is an attack on the parser


def depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (iteratively: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


async def read_json(request: web.Request, max_bytes: int = 64 * 1024) -> dict[str, Any]:
    """The request's JSON object, or an HTTP error the error middleware renders as JSON: 400 for
    what is not JSON, not an object, or nested deeper than MAX_DEPTH."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise web.HTTPRequestEntityTooLarge(max_size=max_bytes, actual_size=request.content_length)
    chunks, size = [], 0
    while chunk := await request.content.read(64 * 1024):  # a read may return part of the body
        size += len(chunk)
        if size > max_bytes:
            raise web.HTTPRequestEntityTooLarge(max_size=max_bytes, actual_size=size)
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise web.HTTPBadRequest(text="请求体不是合法的 JSON（应为 UTF-8）") from None
    try:
        value = json.loads(text)
    except RecursionError:  # thousands of levels: the parser gives up before we could count them
        raise web.HTTPBadRequest(text=f"JSON 嵌套过深（最多 {MAX_DEPTH} 层）") from None
    except json.JSONDecodeError:
        raise web.HTTPBadRequest(text="请求体不是合法的 JSON") from None
    if depth(value) > MAX_DEPTH:
        raise web.HTTPBadRequest(text=f"JSON 嵌套过深（最多 {MAX_DEPTH} 层）")
    if not isinstance(value, dict):
        raise web.HTTPBadRequest(text="请求体应为 JSON 对象")
    return value
