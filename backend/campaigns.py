"""Outreach: subscriptions, campaigns, and the persistent delivery queue.

A campaign that is due becomes one `deliveries` row per subscriber (INSERT … SELECT, so a
restart never adds a recipient twice). Senders claim rows with `FOR UPDATE SKIP LOCKED` and mark
them `sending` in their own committed transaction *before* sending: a row is never sent twice.
A graceful stop gives unsent claims back; a crash leaves them `sending`, and they are reported
as interrupted rather than sent again (at most once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge import Knowledge, payloads

from .errors import Conflict, FieldErrors, Invalid, NotFound
from .models import Campaign, Citizen, Delivery, QuizAnswer, Subscription, utcnow

TOPICS = {"daily_article": "条例每日一条", "quiz": "知识问答", "policy": "政策解读", "guide": "办事指南"}
INTERRUPTED = "interrupted: not sent again (at most once)"


# ── subscriptions ───────────────────────────────────────────────────────────


async def subscribe(session: AsyncSession, citizen_id: int, topic: str, source: str = "") -> None:
    if topic not in TOPICS:
        raise Invalid(f"unknown topic {topic}")
    insert_ = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    statement = insert_(Subscription).values(
        citizen_id=citizen_id, topic=topic, source=source, active=True, created_at=utcnow(), updated_at=utcnow()
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Subscription.citizen_id, Subscription.topic],
            set_={"active": True, "updated_at": statement.excluded.updated_at},
        )
    )


async def unsubscribe(session: AsyncSession, citizen_id: int, topic: str | None = None) -> int:
    query = update(Subscription).where(Subscription.citizen_id == citizen_id, Subscription.active)
    if topic:
        query = query.where(Subscription.topic == topic)
    result = await session.execute(query.values(active=False, updated_at=utcnow()))
    return result.rowcount or 0


async def topics_of(session: AsyncSession, citizen_id: int) -> set[str]:
    rows = await session.scalars(
        select(Subscription.topic).where(Subscription.citizen_id == citizen_id, Subscription.active)
    )
    return set(rows.all())


# ── campaigns ───────────────────────────────────────────────────────────────


async def create(
    session: AsyncSession,
    *,
    title: object,
    text: object,
    created_by: str,
    topic: object = None,
    send_at: datetime | None = None,
    buttons: object = None,
    quiz: object = None,
    draft: bool = False,
) -> Campaign:
    """A campaign from checked input: FieldErrors names every field that is wrong (wrong type
    included — the API hands in whatever JSON it was sent)."""
    errors: dict[str, str] = {}
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > 120:
        errors["title"] = "title（标题）应为 1–120 个字的文字"
    if text is not None and not isinstance(text, str):
        errors["text"] = "text（内容）应为文字"
    text = text.strip() if isinstance(text, str) else ""
    if len(text) > 3500:
        errors["text"] = "text（内容）太长（最多 3500 字）"
    if topic is not None and (not isinstance(topic, str) or topic not in TOPICS):
        errors["topic"] = f"topic（主题）应为：{', '.join(TOPICS)}"
    checked_quiz = None
    if quiz not in (None, {}):
        try:
            checked_quiz = _check_quiz(quiz)
        except Invalid as exc:
            errors["quiz"] = str(exc)
    if not text and not checked_quiz and "text" not in errors:
        errors["text"] = "text（内容）不能为空"
    try:
        checked_buttons = _check_buttons(buttons)
    except Invalid as exc:
        errors["buttons"] = str(exc)
    if errors:
        raise FieldErrors(errors)
    assert isinstance(title, str)
    campaign = Campaign(
        title=title.strip(),
        text=text,
        topic=topic,
        kind="quiz" if checked_quiz else "message",
        buttons=checked_buttons,
        quiz=checked_quiz or {},
        send_at=send_at or utcnow(),
        status="draft" if draft else "scheduled",
        created_by=created_by,
        reviewed_by=None if draft else created_by,
        reviewed_at=None if draft else utcnow(),
    )
    session.add(campaign)
    await session.flush()
    return campaign


def _check_quiz(quiz: object) -> dict[str, Any]:
    """{question, options (2–4), answer (index), explain?, article?} with the right types."""
    if not isinstance(quiz, dict):
        raise Invalid('quiz（问答）应为 {"question", "options", "answer"} 对象')
    question, options, answer = quiz.get("question"), quiz.get("options"), quiz.get("answer")
    if not isinstance(question, str) or not question.strip():
        raise Invalid("quiz.question 应为非空文字")
    if (
        not isinstance(options, list)
        or not 2 <= len(options) <= 4
        or not all(isinstance(o, str) and o.strip() for o in options)
    ):
        raise Invalid("quiz.options 应为 2–4 个非空文字选项")
    if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(options):
        raise Invalid("quiz.answer 应为正确选项的序号（从 0 起的整数）")
    explain, article = quiz.get("explain", ""), quiz.get("article")
    if not isinstance(explain, str):
        raise Invalid("quiz.explain 应为文字")
    if article is not None and (not isinstance(article, int) or isinstance(article, bool) or not 0 < article < 100):
        raise Invalid("quiz.article 应为条例的条号（正整数）")
    checked: dict[str, Any] = {
        "question": question.strip()[:300],
        "options": [o.strip()[:100] for o in options],
        "answer": answer,
        "explain": explain.strip()[:1000],
    }
    if article is not None:
        checked["article"] = article
    return checked


def _check_buttons(buttons: object) -> list[Any]:
    if buttons is None:
        return []
    if not isinstance(buttons, list):
        raise Invalid('buttons（按钮）应为列表：[{"label": "…", "url": "https://…"}]')
    rows = []
    for row in buttons:
        row = row if isinstance(row, list) else [row]
        checked = []
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("label"), str):
                raise Invalid('buttons（按钮）格式：[{"label": "…", "url": "https://…"}]')
            url = button.get("url")
            if not isinstance(url, str) or not url.startswith(("https://", "http://", "tg://")):
                raise Invalid("buttons（按钮）需要一个链接（url）")
            checked.append({"label": button["label"][:40], "url": url[:500]})
        rows.append(checked)
    return rows


async def approve(session: AsyncSession, campaign_id: int, staff: str) -> Campaign:
    campaign = await get(session, campaign_id)
    if campaign.status != "draft":
        raise Conflict("只有待审核的草稿可以批准")
    campaign.status, campaign.reviewed_by, campaign.reviewed_at = "scheduled", staff, utcnow()
    return campaign


async def cancel(session: AsyncSession, campaign_id: int) -> Campaign:
    campaign = await get(session, campaign_id)
    if campaign.status in ("done", "cancelled"):
        raise Conflict("已发送完毕或已取消")
    campaign.status = "cancelled"
    await session.execute(
        update(Delivery)
        .where(Delivery.campaign_id == campaign_id, Delivery.status == "pending")
        .values(status="failed", last_error="cancelled")
    )
    return campaign


async def get(session: AsyncSession, campaign_id: int) -> Campaign:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"campaign {campaign_id}")
    return campaign


async def generate_series(
    session: AsyncSession, knowledge: Knowledge, start: date, tz: ZoneInfo, created_by: str
) -> int:
    """Drafts for 「条例每日一条」 (one article a day at 9:00) and the quiz (one every Friday),
    built from knowledge/; each waits for a staff member's approval before it can go out."""
    existing = set((await session.scalars(select(Campaign.title).where(Campaign.created_by == "series"))).all())
    regulation = knowledge.regulation
    made = 0
    for offset, (number, line) in enumerate(sorted(knowledge.outreach.daily.items())):
        article = regulation.article(number)
        title = f"条例每日一条 · {article.label}"
        if title in existing:
            continue
        excerpt = article.text if len(article.text) <= 240 else article.text[:240] + "……"
        text = f"📖 条例每日一条 · 《信访工作条例》{article.label}\n{line}\n\n原文：{excerpt}"
        when = datetime.combine(start + timedelta(days=offset), time(9, 0), tz)
        await create(
            session, title=title, text=text, created_by="series", topic="daily_article", send_at=when, draft=True
        )
        made += 1
    friday = start + timedelta(days=(4 - start.weekday()) % 7)
    for week, item in enumerate(knowledge.outreach.quiz):
        title = f"知识问答 · {item.question[:30]}"
        if title in existing:
            continue
        when = datetime.combine(friday + timedelta(weeks=week), time(19, 0), tz)
        quiz = {
            "question": item.question,
            "options": list(item.options),
            "answer": item.answer,
            "explain": item.explain,
            "article": item.article,
        }
        await create(
            session,
            title=title,
            text=f"🧩 知识问答\n{item.question}",
            created_by="series",
            topic="quiz",
            send_at=when,
            quiz=quiz,
            draft=True,
        )
        made += 1
    return made


# ── the delivery queue ──────────────────────────────────────────────────────


async def materialize_due(session: AsyncSession, now: datetime) -> int:
    """Turn due scheduled campaigns into one delivery row per current subscriber."""
    due = (
        await session.scalars(
            select(Campaign)
            .where(Campaign.status == "scheduled", Campaign.send_at <= now)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for campaign in due:
        subscribers = (
            select(literal(campaign.id), Citizen.id, Citizen.channel, Citizen.chat_id, literal("pending"), literal(0))
            .join(Subscription, Subscription.citizen_id == Citizen.id)
            .where(Subscription.active, Citizen.blocked_at.is_(None), Citizen.channel.in_(("telegram", "web")))
            .distinct()
        )
        if campaign.topic:
            subscribers = subscribers.where(Subscription.topic == campaign.topic)
        insert_ = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
        statement = (
            insert_(Delivery)
            .from_select(["campaign_id", "citizen_id", "channel", "chat_id", "status", "attempts"], subscribers)
            .on_conflict_do_nothing(index_elements=[Delivery.campaign_id, Delivery.citizen_id])
        )
        await session.execute(statement)
        campaign.recipients = (
            await session.scalar(select(func.count(Delivery.id)).where(Delivery.campaign_id == campaign.id)) or 0
        )
        campaign.status = "sending"
    return len(due)


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    campaign_id: int
    citizen_id: int
    channel: str
    chat_id: str


async def claim(session: AsyncSession, limit: int, channels: Sequence[str] = ("telegram", "web")) -> list[Claimed]:
    rows = (
        await session.execute(
            select(Delivery.id, Delivery.campaign_id, Delivery.citizen_id, Delivery.channel, Delivery.chat_id)
            .where(Delivery.status == "pending", Delivery.channel.in_(channels))
            .order_by(Delivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if rows:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_([r.id for r in rows]))
            .values(status="sending", claimed_at=utcnow(), attempts=Delivery.attempts + 1)
        )
    return [Claimed(*r) for r in rows]


async def mark(session: AsyncSession, ids: Sequence[int], status: str, error: str | None = None) -> None:
    if ids:
        values: dict[str, Any] = {"status": status, "last_error": error}
        if status == "sent":
            values["sent_at"] = utcnow()
        await session.execute(update(Delivery).where(Delivery.id.in_(list(ids))).values(**values))


async def mark_blocked(session: AsyncSession, citizen_ids: Sequence[int]) -> None:
    """These citizens blocked the bot: no campaign is sent to them again."""
    if citizen_ids:
        await session.execute(update(Citizen).where(Citizen.id.in_(list(citizen_ids))).values(blocked_at=utcnow()))


async def release(session: AsyncSession, ids: Sequence[int]) -> None:
    """Give claimed but unsent rows back to the queue (a graceful stop, a RetryAfter pause)."""
    if ids:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(list(ids)), Delivery.status == "sending")
            .values(status="pending", claimed_at=None)
        )


async def recover_interrupted(session: AsyncSession, older_than: timedelta) -> int:
    """Rows left `sending` by a process that died: they may have gone out — never send twice."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == "sending", Delivery.claimed_at < utcnow() - older_than)
        .values(status="failed", last_error=INTERRUPTED)
    )
    return result.rowcount or 0


async def finish(session: AsyncSession) -> int:
    """Campaigns whose queue is empty are done."""
    open_rows = (
        select(Delivery.id)
        .where(Delivery.campaign_id == Campaign.id, Delivery.status.in_(("pending", "sending")))
        .exists()
    )
    result = await session.execute(
        update(Campaign).where(Campaign.status == "sending", ~open_rows).values(status="done")
    )
    return result.rowcount or 0


async def counts(session: AsyncSession, campaign_id: int) -> dict[str, Any]:
    campaign = await get(session, campaign_id)
    by_status = dict(
        (
            await session.execute(
                select(Delivery.status, func.count(Delivery.id))
                .where(Delivery.campaign_id == campaign_id)
                .group_by(Delivery.status)
            )
        ).all()
    )
    answers, correct = (
        await session.execute(
            select(func.count(QuizAnswer.id), func.coalesce(func.sum(func.cast(QuizAnswer.correct, Integer)), 0)).where(
                QuizAnswer.campaign_id == campaign_id
            )
        )
    ).one()
    total = sum(by_status.values())
    result: dict[str, Any] = {
        "id": campaign.id,
        "title": campaign.title,
        "status": campaign.status,
        "topic": campaign.topic,
        "send_at": campaign.send_at.isoformat(),
        "recipients": total,
        "sent": by_status.get("sent", 0),
        "failed": by_status.get("failed", 0),
        "blocked": by_status.get("blocked", 0),
        "pending": by_status.get("pending", 0) + by_status.get("sending", 0),
    }
    if campaign.kind == "quiz":
        result["quiz"] = {
            "answers": answers,
            "correct": int(correct),
            "score": round(int(correct) / answers, 3) if answers else None,
        }
    return result


async def record_answer(
    session: AsyncSession, campaign_id: int, citizen_id: int, choice: int
) -> tuple[bool, dict[str, Any], bool]:
    """(correct, the quiz, first time?) — a second tap does not change the recorded answer."""
    campaign = await get(session, campaign_id)
    if campaign.kind != "quiz" or not 0 <= choice < len(campaign.quiz.get("options", [])):
        raise Invalid("not a quiz answer")
    previous = await session.scalar(
        select(QuizAnswer).where(and_(QuizAnswer.campaign_id == campaign_id, QuizAnswer.citizen_id == citizen_id))
    )
    if previous is not None:
        return previous.correct, campaign.quiz, False
    correct = choice == campaign.quiz["answer"]
    session.add(QuizAnswer(campaign_id=campaign_id, citizen_id=citizen_id, choice=choice, correct=correct))
    await session.flush()
    return correct, campaign.quiz, True


async def open_quiz(session: AsyncSession, citizen_id: int, since: datetime) -> Campaign | None:
    """The latest quiz sent to the citizen since `since` that they have not answered (for typed answers)."""
    recent = (
        await session.scalars(
            select(Campaign)
            .where(Campaign.kind == "quiz", Campaign.send_at >= since, Campaign.status.in_(("sending", "done")))
            .order_by(Campaign.send_at.desc())
            .limit(3)
        )
    ).all()
    for campaign in recent:
        sent = await session.scalar(
            select(Delivery.id).where(
                Delivery.campaign_id == campaign.id, Delivery.citizen_id == citizen_id, Delivery.status == "sent"
            )
        )
        answered = await session.scalar(
            select(QuizAnswer.id).where(QuizAnswer.campaign_id == campaign.id, QuizAnswer.citizen_id == citizen_id)
        )
        if sent is not None and answered is None:
            return campaign
    return None


def message_for(campaign: Campaign) -> tuple[str, list[list[dict[str, str]]]]:
    """The text and buttons a subscriber receives (quiz options; one tap to leave)."""
    rows: list[list[dict[str, str]]] = [list(row) for row in campaign.buttons or []]
    if campaign.kind == "quiz":
        rows = [
            [{"label": option, "data": payloads.QUIZ.build(campaign.id, i)}]
            for i, option in enumerate(campaign.quiz["options"])
        ]
    rows.append([{"label": "退订", "data": payloads.SUBSCRIPTION.build("off")}])
    return campaign.text, rows
