"""/subscribe, /unsubscribe, campaign deep links (QR codes on pamphlets), and quiz answers.

Typed as well as pressed: the menu's buttons are read like any others (handlers/choices.py);
「订阅知识问答」 subscribes and 「不要知识问答了」 leaves (a typed topic is not a toggle), 「不想收了」
from a subscriber leaves everything, and a quiz just received takes 「60 日」 or 「2」 typed.
"""

from __future__ import annotations

from datetime import timedelta

from backend import campaigns
from backend.errors import Invalid, NotFound
from knowledge import payloads
from knowledge.numerals import article_label

from .choices import StandingOffer, reader
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
ALL_OFF = "全部退订"
# ─────────────────────────────────────────────────────────────────────────────

QUIZ_WINDOW = timedelta(days=3)  # a quiz received this recently takes typed answers
QUIZ_ANSWER_CHARS = 12  # an option typed out, or its number


async def show_menu(ctx: Context) -> None:
    mine = await campaigns.topics_of(ctx.uow.session, ctx.reader_id)
    buttons = [
        Button(("✅ " if topic in mine else "☐ ") + name, payloads.SUBSCRIPTION.build("t", topic))
        for topic, name in campaigns.TOPICS.items()
    ]
    ctx.say(MENU, rows(*buttons, _all_off(), Button(DONE, payloads.SUBSCRIPTION.build("done"), ("done",)), per_row=2))


def _all_off() -> Button:
    return Button(ALL_OFF, payloads.SUBSCRIPTION.build("off"), ("unsubscribe",))


@router.standing_offer("unsubscribe")
async def leaving(ctx: Context) -> StandingOffer | None:
    """「不想收了」「别再发了」 from a subscriber: the one-tap 「退订」 every broadcast carries."""
    if not await campaigns.topics_of(ctx.uow.session, ctx.reader_id):
        return None
    return StandingOffer((_all_off(),))


@router.standing_offer(short=QUIZ_ANSWER_CHARS)
async def open_quiz(ctx: Context) -> StandingOffer | None:
    """The options of a quiz the citizen received lately and has not answered."""
    campaign = await campaigns.open_quiz(ctx.uow.session, ctx.reader_id, ctx.services.now() - QUIZ_WINDOW)
    if campaign is None:
        return None
    options = [Button(o, payloads.QUIZ.build(campaign.id, i)) for i, o in enumerate(campaign.quiz["options"])]
    return StandingOffer(tuple(options), numbers=True)


@router.command("subscribe")
async def subscribe_command(ctx: Context, _args: str) -> None:
    await show_menu(ctx)


@router.command("unsubscribe")
async def unsubscribe_command(ctx: Context, _args: str) -> None:
    changed = await campaigns.unsubscribe(ctx.uow.session, ctx.reader_id)
    ctx.say(OFF if changed else NOTHING)


@router.button(payloads.SUBSCRIPTION.prefix)
async def subscription_button(ctx: Context, payload: str) -> None:
    action, topic = payloads.SUBSCRIPTION.parse(payload)
    if action == "off":
        changed = await campaigns.unsubscribe(ctx.uow.session, ctx.reader_id)
        ctx.say(OFF if changed else NOTHING)
    elif action == "t" and topic in campaigns.TOPICS:
        subscribed = topic in await campaigns.topics_of(ctx.uow.session, ctx.reader_id)
        # pressed: a toggle; typed: what the words say (「订阅……」 twice must not unsubscribe)
        leave = _typed_leave(ctx) if ctx.incoming.text else subscribed
        if leave and subscribed:
            await campaigns.unsubscribe(ctx.uow.session, ctx.reader_id, topic)
        elif not leave and not subscribed:
            await campaigns.subscribe(ctx.uow.session, ctx.citizen_id, topic, "menu")
        ctx.say((UNSUBSCRIBED_ONE if leave else SUBSCRIBED).format(topic=campaigns.TOPICS[topic]))
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


def _typed_leave(ctx: Context) -> bool:
    """「不要知识问答了」「取消条例每日一条」 leave that topic; 「订阅……」 or the bare name joins it."""
    return bool(reader(ctx).read(ctx.incoming.text, ("unsubscribe", "cancel", "no")).meanings)


@router.button(payloads.QUIZ.prefix)
async def quiz_answer(ctx: Context, payload: str) -> None:
    campaign_id, choice = payloads.QUIZ.parse(payload)
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
