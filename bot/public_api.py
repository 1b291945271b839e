"""Public endpoints: health, and the NLP behind the assistant as JSON (rate-limited)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from backend.errors import FieldErrors
from handlers.qa import NOT_SURE, format_answer, topic_button
from nlp import has_meaning, normalize, truncate
from nlp.remedies import deadlines_json

from .http import RateLimiter, check_rate, json_response, read_json
from .keys import CONFIG, DATABASE, ENGINE
from .telegram.link import LINK as TELEGRAM_LINK

routes = web.RouteTableDef()
RATE_LIMITER = web.AppKey("public_rate_limiter", RateLimiter)


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    """503 only when the database is down; Telegram away is reported (when a bot is configured)
    but does not take the web chat, the API and the dashboard out of a load balancer."""
    ok = await request.app[DATABASE].ping()
    body = {"status": "ok" if ok else "degraded", "db": "ok" if ok else "unavailable"}
    link = request.app.get(TELEGRAM_LINK)
    if link is not None:
        body["telegram"] = link.state
        if not link.up:
            body["status"] = "degraded"
    return json_response(body, 200 if ok else 503)


def _text_field(body: dict, name: str, limit: int) -> tuple[str, bool]:
    value = body.get(name)
    if not isinstance(value, str):
        problem = f"缺少 {name}（应为文字）" if value is None else f"{name} 应为文字"
        raise FieldErrors({name: problem})  # 422 with the field, as every API form error
    text, cut = truncate(normalize(value), limit)
    if not text:
        raise FieldErrors({name: f"{name} 不能为空"})
    return text, cut


@routes.post("/api/v1/ask")
async def ask(request: web.Request) -> web.Response:
    check_rate(request.app[RATE_LIMITER], request)
    config = request.app[CONFIG]
    question, cut = _text_field(await read_json(request), "q", config.max_message_chars)
    engine = request.app[ENGINE]
    result = engine.ask(question) if has_meaning(question) else None
    body: dict = {"answer": NOT_SURE.format(hotline=config.hotline), "citations": [], "confidence": 0.0}
    if result is not None and result.best is not None:
        body["confidence"] = result.confidence
        if result.confident:
            body["answer"] = format_answer(result.best)
            body["citations"] = [{"source": c.law, "article": c.article} for c in result.citations()]
            body["topic"] = result.best.topic
            if result.need is not None and result.need.need:
                body["need"] = result.need.need  # e.g. "recheck": the question asked for 复核
        else:
            body["suggestions"] = [topic_button(a).label for a in result.answers[:2]]
    if cut:
        body["truncated"] = True
    return json_response(body)


@routes.post("/api/v1/triage")
async def triage(request: web.Request) -> web.Response:
    """What the assistant makes of a message: intent, routing (and, with steering, channel)."""
    check_rate(request.app[RATE_LIMITER], request)
    config = request.app[CONFIG]
    body_in = await read_json(request)
    text, cut = _text_field(body_in, "text", config.max_message_chars)
    today = _today_field(body_in, config)
    engine = request.app[ENGINE]
    reading = engine.read(text)
    guess, decision, verdict, urgency = reading.intent, reading.routing, reading.verdict, reading.urgency
    assessment = engine.deadlines(text, today)
    body = {
        "intent": guess.intent.public,
        "channel": verdict.channel,
        "channel_confidence": verdict.confidence,
        "channel_cues": [h.label for h in verdict.cues if h.channel == verdict.channel],
        "also": [d for d in verdict.also if d not in assessment.closed_doors],  # not 上诉 after 宣告无罪
        "channel_unsure": list(verdict.ask),  # doors the dialogue would ask the citizen about
        "category": decision.category,
        "department": decision.department_id,
        "department_name": decision.department.name if decision.department else None,
        "keywords": list(decision.keywords),
        "confidence": decision.confidence,
        "needs_triage": decision.needs_triage,
        "urgent": urgency.urgent,
        "deadlines": deadlines_json(assessment.deadlines),
    }
    if cut:
        body["truncated"] = True
    return json_response(body)


def _today_field(body: dict, config) -> date:  # type: ignore[no-untyped-def]
    """The optional `today` (YYYY-MM-DD) that decides `expired`; the local date by default."""
    value = body.get("today")
    if value is None:
        return datetime.now(ZoneInfo(config.timezone)).date()
    if not isinstance(value, str):
        raise web.HTTPUnprocessableEntity(text="today 应为 YYYY-MM-DD 格式的日期")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise web.HTTPUnprocessableEntity(text="today 应为 YYYY-MM-DD 格式的日期") from None


def setup(app: web.Application) -> None:
    app[RATE_LIMITER] = RateLimiter(app[CONFIG].api_rate_per_minute)
    app.add_routes(routes)
