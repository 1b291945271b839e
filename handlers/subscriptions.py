"""/subscribe, /unsubscribe, campaign deep links (QR codes on pamphlets), and quiz answers."""

from __future__ import annotations

from backend import campaigns
from backend.errors import Invalid, NotFound
from knowledge.numerals import article_label

from .context import Context
from .router import Router
from .types import Button, rows

router = Router("subscriptions")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
MENU = "选择您想收到的内容（点一下订阅，再点一下取消）。我们只在您订阅后才发送，随时一键退订。"
SUBSCRIBED = "已订阅「{topic}」。"
UNSUBSCRIBED_ONE = "已取消「{topic}」。"
OFF = "已全部退订，不会再收到推送。想再订阅，随时发送 /subscribe。"
NOTHING = "您目前没有订阅任何内容。发送 /subscribe 可以订阅。"
WELCOME_LINK = "欢迎！已为您订阅「{topic}」，每期都会准时送到。不想收了随时发送 /unsubscribe 一键退订。"
RIGHT = "✅ 答对了！{explain}\n依据：《信访工作条例》{article}"
WRONG = "❌ 正确答案是「{answer}」。{explain}\n依据：《信访工作条例》{article}"
ALREADY = "您已经答过这道题了。{verdict}"
QUIZ_GONE = "这道题找不到了。"
DONE = "完成"
# ─────────────────────────────────────────────────────────────────────────────


async def show_menu(ctx: Context) -> None:
    mine = await campaigns.topics_of(ctx.uow.session, ctx.reader_id)
    buttons = [
        Button(("✅ " if topic in mine else "☐ ") + name, f"sub:t:{topic}") for topic, name in campaigns.TOPICS.items()
    ]
    ctx.say(MENU, rows(*buttons, Button("全部退订", "sub:off"), Button(DONE, "sub:done"), per_row=2))


@router.command("subscribe")
async def subscribe_command(ctx: Context, _args: str) -> None:
    await show_menu(ctx)


@router.command("unsubscribe")
async def unsubscribe_command(ctx: Context, _args: str) -> None:
    changed = await campaigns.unsubscribe(ctx.uow.session, ctx.reader_id)
    ctx.say(OFF if changed else NOTHING)


@router.button("sub")
async def subscription_button(ctx: Context, payload: str) -> None:
    action, _, topic = payload.partition(":")
    if action == "off":
        changed = await campaigns.unsubscribe(ctx.uow.session, ctx.reader_id)
        ctx.say(OFF if changed else NOTHING)
    elif action == "t" and topic in campaigns.TOPICS:
        if topic in await campaigns.topics_of(ctx.uow.session, ctx.reader_id):
            await campaigns.unsubscribe(ctx.uow.session, ctx.reader_id, topic)
            ctx.say(UNSUBSCRIBED_ONE.format(topic=campaigns.TOPICS[topic]))
        else:
            await campaigns.subscribe(ctx.uow.session, ctx.citizen_id, topic, "menu")
            ctx.say(SUBSCRIBED.format(topic=campaigns.TOPICS[topic]))
        await show_menu(ctx)
    elif action == "done":
        mine = await campaigns.topics_of(ctx.uow.session, ctx.reader_id)
        ctx.say("好的。" + ("您订阅了：" + "、".join(campaigns.TOPICS[t] for t in sorted(mine)) if mine else NOTHING))
    else:  # "sub:menu" from the main menu, or anything else
        await show_menu(ctx)


@router.deep_link("c_")
async def campaign_link(ctx: Context, rest: str) -> None:
    """t.me/<bot>?start=c_<campaign>: subscribe to that campaign's topic, remembering the source."""
    topic = "daily_article"
    if rest.isdigit():
        try:
            campaign = await campaigns.get(ctx.uow.session, int(rest))
            topic = campaign.topic or topic
        except NotFound:
            pass
    await campaigns.subscribe(ctx.uow.session, ctx.citizen_id, topic, f"c_{rest}"[:64])
    ctx.say(WELCOME_LINK.format(topic=campaigns.TOPICS[topic]))


@router.button("quiz")
async def quiz_answer(ctx: Context, payload: str) -> None:
    campaign_id, _, choice = payload.partition(":")
    if not (campaign_id.isdigit() and choice.isdigit()):
        ctx.say(QUIZ_GONE)
        return
    try:
        correct, quiz, first = await campaigns.record_answer(
            ctx.uow.session, int(campaign_id), ctx.citizen_id, int(choice)
        )
    except (NotFound, Invalid):
        ctx.say(QUIZ_GONE)
        return
    article = article_label(int(quiz.get("article", 0))) if quiz.get("article") else ""
    verdict = (RIGHT if correct else WRONG).format(
        explain=quiz.get("explain", ""), article=article, answer=quiz["options"][quiz["answer"]]
    )
    ctx.say(verdict if first else ALREADY.format(verdict=verdict))
