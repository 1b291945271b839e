"""The web chat: the same dialogue for people without Telegram, at `/`.

A small page of our own (no CDN) keeps a random session id in the browser's localStorage;
each message goes to `POST /chat/api/send` and comes back as replies with buttons, exactly as
the Telegram transport renders them. Staff replies reach the page through `GET /chat/api/poll`.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from aiohttp import web

from backend import outbox
from backend.models import Case, CaseStatus
from backend.repo import cases as case_repo
from backend.repo import citizens
from backend.workflow import current_due
from handlers import Incoming, IncomingAttachment, Reply

from .flood import FloodControl
from .http import RateLimiter, check_rate, json_response, read_json
from .keys import ASSISTANT, CONFIG, STORE

routes = web.RouteTableDef()
_SESSION = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CHAT_RATE = web.AppKey("chat_rate_limiter", RateLimiter)
CHAT_FLOOD = web.AppKey("chat_flood", FloodControl)
STATIC = resources.files("bot") / "static"
NO_STORE = {"Cache-Control": "no-store"}


def render(replies: list[Reply]) -> list[dict]:
    return [
        {"text": r.text, "buttons": [[{"label": b.label, "data": b.data} for b in row] for row in r.buttons]}
        for r in replies
    ]


def _session(value: object) -> str:
    if not isinstance(value, str) or not _SESSION.match(value):
        raise web.HTTPBadRequest(text="会话标识无效，请刷新页面")
    return value


def _message_id(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _MESSAGE_ID.match(value):
        raise web.HTTPBadRequest(text="消息标识无效")
    return value


async def _handle(request: web.Request, incoming: Incoming) -> web.Response:
    flood = request.app[CHAT_FLOOD]
    admission = await flood.admit(incoming.user_id)
    if not admission.allowed:
        raise web.HTTPTooManyRequests(text="发送太快了，请稍等一会儿", headers={"Retry-After": "5"})
    replies = await request.app[ASSISTANT].handle(incoming)
    return json_response({"replies": render(replies)})


@functools.cache
def _page_html() -> str:
    return (STATIC / "chat.html").read_text("utf-8")  # package data: read once, not per visit


@routes.get("/")
async def page(_request: web.Request) -> web.Response:
    return web.Response(text=_page_html(), content_type="text/html", headers=NO_STORE)


@routes.post("/chat/api/send")
async def send(request: web.Request) -> web.Response:
    check_rate(request.app[CHAT_RATE], request)
    body = await read_json(request, max_bytes=32 * 1024)
    session = _session(body.get("session"))
    text, button = body.get("text", ""), body.get("button")
    if not isinstance(text, str) or (button is not None and not isinstance(button, str)):
        raise web.HTTPBadRequest(text="text 和 button 应为文字")
    incoming = Incoming(
        "web", session, session, text=text, button=button or None, update_id=_message_id(body.get("message_id"))
    )
    return await _handle(request, incoming)


@routes.post("/chat/api/upload")
async def upload(request: web.Request) -> web.Response:
    check_rate(request.app[CHAT_RATE], request)
    limit = request.app[CONFIG].max_attachment_bytes
    if not request.content_type.startswith("multipart/"):
        raise web.HTTPUnsupportedMediaType(text="请用表单上传文件")
    reader = await request.multipart()
    session = message_id = None
    attachment: IncomingAttachment | None = None
    async for part in reader:
        if part.name == "session":
            session = _session((await part.text()).strip())
        elif part.name == "message_id":
            message_id = _message_id((await part.text()).strip())
        elif part.name == "file":
            data = bytearray()
            while chunk := await part.read_chunk(64 * 1024):
                data.extend(chunk)
                if len(data) > limit:
                    break
            name = part.filename or "附件"
            mime = part.headers.get("Content-Type", "application/octet-stream")
            kind = "photo" if mime.startswith("image/") else "document"
            if len(data) > limit:
                attachment = IncomingAttachment(
                    kind, name, mime, len(data), refused=f"文件超过 {limit // 1024 // 1024} MB"
                )
            else:
                attachment = IncomingAttachment(kind, name, mime, len(data), bytes(data))
    if session is None or attachment is None:
        raise web.HTTPBadRequest(text="缺少会话标识或文件")
    return await _handle(request, Incoming("web", session, session, attachments=(attachment,), update_id=message_id))


@routes.get("/chat/api/cases")
async def my_cases(request: web.Request) -> web.Response:
    """This browser's own cases (受理编号, status, deadline), shown again after a reload."""
    check_rate(request.app[CHAT_RATE], request)
    session = _session(request.query.get("session"))
    async with request.app[STORE].unit() as uow:
        citizen_id = await citizens.find(uow.session, "web", session)
        cases = await case_repo.citizens_cases(uow.session, citizen_id, limit=10) if citizen_id else []
        body = {"cases": [_case_line(c) for c in cases]}
    response = json_response(body)
    response.headers.update(NO_STORE)
    return response


def _case_line(case: Case) -> dict[str, str | None]:
    due = current_due(case)
    return {
        "ticket": case.ticket,
        "status": CaseStatus(case.status).label,
        "department": case.department.name if case.department else None,
        "due": due.isoformat() if due else None,
        "summary": case.summary[:40],
    }


@routes.get("/chat/api/poll")
async def poll(request: web.Request) -> web.Response:
    """Messages the back office sent this browser (status changes, staff replies)."""
    session = _session(request.query.get("session"))
    async with request.app[STORE].unit() as uow:
        rows = await outbox.take_for_chat(uow.session, "web", session)
        messages = [{"text": r.text, "buttons": r.buttons or []} for r in rows]
    response = json_response({"messages": messages})
    response.headers.update(NO_STORE)
    return response


def setup(app: web.Application) -> None:
    app[CHAT_RATE] = RateLimiter(max(120, app[CONFIG].api_rate_per_minute))
    app[CHAT_FLOOD] = FloodControl(rate=app[CONFIG].flood_rate, burst=app[CONFIG].flood_burst)
    app.add_routes(routes)
    app.router.add_static("/static/", path=str(STATIC), name="static", append_version=False)
