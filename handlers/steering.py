"""A grievance told in free text: care first if someone is in danger, then the right door.

Matters the law sends elsewhere (诉访分离, 条例第二十八条、第三十一条) get a channel card
(handlers/cards.py) — who, where, every remedy's last day (computed from the dates the citizen
mentions; one question when the date is missing), what to bring, legal aid — with the choice to
file with the petition office anyway; a matter that mixes doors names them all, the one the law
puts first first. Ordinary matters are offered filing. Where the reading is unsure between an
ordinary petition and another door, the citizen is asked ONE question (by buttons, or typed:
「政府的」「和老板的纠纷」「2」) and the answer settles the door — what a trained receptionist does
(分清性质、明确管辖). Every card shown is recorded (a steered citizen counts as served), and danger
to a person alerts staff at once, in any dialogue state (条例第二十五条).
"""

from __future__ import annotations

from backend.repo import guidance
from knowledge.steering import PETITION, Choice
from nlp import Intent, Urgency, Verdict
from nlp.pii import mask_pii
from nlp.steer import CueHit

from . import cards, story
from .context import Context
from .router import Router
from .types import Button, rows

router = Router("steering")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
URGENT_FIRST = {
    "violence": "您或家人正在受到伤害的话，请马上拨打 110 报警；受了伤请拨打 120。遭受家庭暴力的，还可以找妇联（12338）求助，"
    "向法院申请人身安全保护令。",
    "threat": "有人威胁要伤害您的话，请马上拨打 110 报警，保存好聊天记录、录音等证据，尽量不要单独见对方。",
    "missing_child": "孩子不见了，请立刻拨打 110 报警——报警不用等 24 小时，越早越好；同时联系学校、亲友，留意孩子常去的地方。",
    "danger": "有生命危险请马上拨打 110，着火拨打 119，急救拨打 120；闻到燃气味不要开关电器、不要打火，先开窗、离开后再打电话。",
}
URGENT = (
    "看到您说的这些，我们很担心您的安全。请先照顾好自己，您并不孤单：\n"
    "• 有危险、有人伤害您或您想伤害自己：请马上拨打 110（医疗急救 120）；\n"
    "• 心里特别难受、撑不住时：拨打全国心理援助热线 12356，有人 24 小时听您说；\n"
    "• 您说的情况已经标记为紧急，信访工作人员会尽快处理。\n"
    "事情再难，也有办法一起想。您愿意的话，把情况告诉我，我帮您登记、交给负责的部门。"
)
GATHERING = (
    "理解您和大家的心情。多人为同一件事反映，可以推选不超过 5 名代表，到有权处理的机关接待场所反映"
    "（条例第二十条）；聚集、堵路可能触犯法律（条例第二十六条、第四十七条），反而耽误解决。"
    "您反映的事已经标记为紧急，工作人员会尽快联系。也可以让我现在就帮您登记。"
)
CLARIFY = "为了帮您找对地方，想先确认一下：这是{options}？点下面的按钮，或直接回复。"
CLARIFY_OR = "，还是"
CLARIFY_HINT = "没太明白您的意思。请点下面的按钮，或回复序号（比如「1」）：\n{choices}"
SETTLED_PETITION = "明白了，这是需要政府部门帮忙解决的事，可以向信访部门反映。"
UNDERSTOOD = "好的。祝您顺利！办理中遇到困难，随时回来找我；也可以拨打 12348 咨询法律问题。"
BUTTON_OK, BUTTON_FILE, BUTTON_ASK = "我明白了", "仍要反映给信访部门", "咨询其他问题"
# ─────────────────────────────────────────────────────────────────────────────


async def care_if_urgent(ctx: Context, urgency: Urgency) -> None:
    """The caring reply and the staff alert, first; the conversation (even mid-intake) goes on afterwards."""
    if not urgency.urgent:
        return
    ctx.state.data["urgent"] = True
    draft = ctx.state.data.get("draft")
    if isinstance(draft, dict):
        draft["urgent"] = True  # the case this draft becomes is marked urgent too
    await guidance.raise_alert(
        ctx.uow.session,
        ctx.citizen_id,
        ctx.incoming.channel,
        ctx.incoming.chat_id,
        list(urgency.kinds),
        mask_pii(ctx.text)[:1000],
    )
    if urgency.only_gathering:
        text = GATHERING
    else:
        text = "\n".join([*(URGENT_FIRST[k] for k in urgency.kinds if k in URGENT_FIRST), URGENT])
    in_intake = ctx.state.name.startswith("intake:")
    ctx.say(text, () if in_intake else rows(Button("我要反映问题", "intake:start")))


async def steer(ctx: Context, verdict: Verdict) -> bool:
    """The channel card when the matter belongs elsewhere, or the one clarifying question when the
    reading is unsure; False when it is plainly an ordinary petition."""
    if verdict.unsure:
        ask_which_door(ctx, verdict)
        return True
    if not verdict.steered_away:
        return False
    await show_card(ctx, verdict)
    return True


async def show_card(ctx: Context, verdict: Verdict, text: str | None = None) -> None:
    text = text or ctx.text
    channel = ctx.engine.knowledge.channels[verdict.channel]
    card, last = cards.for_verdict(ctx, verdict, text)
    guidance_id = await guidance.record_guidance(
        ctx.uow.session, ctx.citizen_id, channel.id, verdict.confidence, [h.label for h in verdict.cues], last
    )
    story.keep(ctx, text)
    ctx.state.data["steer"] = {"channel": channel.id, "guidance": guidance_id}
    ctx.say(
        card,
        rows(
            Button(BUTTON_OK, f"steer:ok:{guidance_id}"),
            Button(BUTTON_FILE, f"steer:file:{guidance_id}"),
            Button(BUTTON_ASK, "qa:prompt"),
            per_row=1,
        ),
    )
    cards.ask_date_if_needed(ctx)


# ── the one clarifying question ─────────────────────────────────────────────


_BROAD = {"admin_remedy", "civil_litigation", "court_procedure"}  # 「讨说法」「想告」: against whom is the question


def _choices(ctx: Context, doors: list[str]) -> list[int]:
    """Indexes of the answers to offer: those covering the doors in doubt, and always 「都不是」."""
    all_choices = ctx.engine.knowledge.steering.choices
    if _BROAD & set(doors):
        doors = [*doors, *sorted(_BROAD)]
    offered = [i for i, c in enumerate(all_choices) if set(c.doors) & set(doors) and PETITION not in c.doors]
    offered += [i for i, c in enumerate(all_choices) if PETITION in c.doors]
    return offered


def ask_which_door(ctx: Context, verdict: Verdict) -> None:
    doors = list(verdict.ask)
    offered = _choices(ctx, doors)
    ctx.go("steer:clarify", clarify={"text": ctx.text, "doors": doors, "offered": offered, "tries": 0})
    story.keep(ctx, ctx.text)
    _say_question(ctx, offered)


def _say_question(ctx: Context, offered: list[int], hint: bool = False) -> None:
    choices = [ctx.engine.knowledge.steering.choices[i] for i in offered]
    buttons = rows(*(Button(c.button, f"steer:pick:{i}") for i, c in zip(offered, choices, strict=True)), per_row=1)
    if hint:
        listed = "\n".join(f"{n}. {c.means}" for n, c in enumerate(choices, start=1))
        ctx.say(CLARIFY_HINT.format(choices=listed), buttons)
    else:
        ctx.say(CLARIFY.format(options=CLARIFY_OR.join(c.means for c in choices)), buttons)


SHORT_ANSWER = 20  # characters: past this a reply is a story, not a pick among the choices


def _typed_choice(answer: str, offered: list[int], choices: tuple[Choice, ...], short: int) -> int | None:
    """The offered answer a typed reply means: its number, or (in a short reply) the one whose words it uses most."""
    digits = answer.strip().rstrip("。.!！").lstrip("第")
    number = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}.get(digits[:1], 0)
    if digits.isdigit():
        number = int(digits)
    if 1 <= number <= len(offered) and len(digits) <= 3:
        return offered[number - 1]
    if len(answer) > short:
        return None
    scored = sorted(((choices[i].matches(answer), i) for i in offered), reverse=True)
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


async def _settle(ctx: Context, choice: Choice, answer: str) -> None:
    """The citizen's answer decides: file it as a petition, or show the card of the door it means."""
    clarify = ctx.state.data.pop("clarify", {})
    ctx.go("idle")
    earlier = clarify.get("text") or story.kept(ctx) or ""
    # the answer adds what the story lacked: read, record and file both together
    told = f"{earlier}。{answer}" if answer else earlier
    if PETITION in choice.doors:
        from .chat import offer_to_file

        ctx.say(SETTLED_PETITION)
        await offer_to_file(ctx, told)
        return
    verdict = ctx.engine.steer(told)
    doubted = [d for d in clarify.get("doors", []) if d in choice.doors]
    if verdict.channel in choice.doors and not verdict.unsure:
        door = verdict.channel
    else:
        door = (doubted or [d for d in verdict.ask if d in choice.doors] or list(choice.doors))[0]
    if verdict.channel != door:
        cue = CueHit(door, choice.means, answer or choice.button, 0.0)
        also = tuple(d for d in verdict.also if d != door)
        verdict = Verdict(door, 0.75, (cue, *(c for c in verdict.cues if c.channel == door)), also, verdict.scores)
    await show_card(ctx, verdict, told)


@router.state("steer:clarify")
async def clarify_answer(ctx: Context) -> None:
    clarify = ctx.state.data.get("clarify") or {}
    offered = [i for i in clarify.get("offered", []) if isinstance(i, int)]
    choices = ctx.engine.knowledge.steering.choices
    offered = [i for i in offered if 0 <= i < len(choices)]
    if not offered:
        ctx.go("idle")
        from .chat import free_text

        await free_text(ctx)
        return
    reading = ctx.reading
    asks = reading.intent.intent in (Intent.ASK, Intent.STATUS) and (
        reading.intent.intent is Intent.STATUS or (reading.retrieval is not None and reading.retrieval.confident)
    )
    picked = None if asks else _typed_choice(ctx.text, offered, choices, short=SHORT_ANSWER)
    if picked is not None:
        await _settle(ctx, choices[picked], ctx.text)
        return
    # no choice named: perhaps the reply tells the missing part (「是城管罚的」「老板不给」)
    verdict = ctx.engine.steer(f"{clarify.get('text', '')}。{ctx.text}")
    if verdict.steered_away and not asks:
        match = next((i for i in offered if verdict.channel in choices[i].doors), None)
        if match is not None:
            await _settle(ctx, choices[match], ctx.text)
            return
    if asks or (reading.intent.intent is Intent.COMPLAIN and len(ctx.text) >= SHORT_ANSWER):
        # not an answer but a question or a new story: read it afresh
        ctx.state.data.pop("clarify", None)
        ctx.go("idle")
        from .chat import free_text

        await free_text(ctx)
        return
    if clarify.get("tries", 0) >= 1:
        # never the same question a third time: an ordinary petition is the safe reading
        petition = next(i for i in offered if PETITION in choices[i].doors)
        await _settle(ctx, choices[petition], "")
        return
    clarify["tries"] = clarify.get("tries", 0) + 1
    ctx.state.data["clarify"] = clarify
    _say_question(ctx, offered, hint=True)


@router.button("steer")
async def steer_button(ctx: Context, payload: str) -> None:
    from . import intake

    action, _, raw_id = payload.partition(":")
    if action == "pick":
        await _pick(ctx, raw_id)
        return
    steered = ctx.state.data.get("steer") or {}
    guidance_id = int(raw_id) if raw_id.isdigit() else 0
    if action == "ok":
        if guidance_id:
            await guidance.set_outcome(ctx.uow.session, guidance_id, ctx.citizen_id, "understood")
        ctx.say(UNDERSTOOD)
    elif action == "file":
        if guidance_id:
            await guidance.set_outcome(ctx.uow.session, guidance_id, ctx.citizen_id, "filed_anyway")
        intake.begin(ctx, story.take(ctx))
        draft = ctx.state.data.get("draft", {})
        if steered.get("channel"):
            draft["steer_channel"] = steered["channel"]
            draft["guidance_id"] = guidance_id or steered.get("guidance")
            if steered["channel"] == "discipline_report":
                draft["kind"] = "report"  # 检举控告: the complainant's identity is protected (条例第三十条)
        if ctx.state.data.get("urgent"):
            draft["urgent"] = True
    else:
        ctx.say("这个按钮已经失效了，请直接告诉我您的问题。")


async def _pick(ctx: Context, raw: str) -> None:
    clarify = ctx.state.data.get("clarify") or {}
    choices = ctx.engine.knowledge.steering.choices
    index = int(raw) if raw.isdigit() else -1
    if ctx.state.name != "steer:clarify" or index not in clarify.get("offered", []) or index >= len(choices):
        ctx.say("这个按钮已经失效了，请直接告诉我您的问题。")
        return
    await _settle(ctx, choices[index], "")
