"""A grievance told in free text: care first if it is urgent, then the right door.

Matters the law sends elsewhere (诉访分离, 条例第二十八条、第三十一条) get a channel card
(handlers/cards.py) — who, where, every remedy's last day (computed from the dates the citizen
mentions; one question when the date is missing), what to bring, legal aid — with the choice to
file with the petition office anyway. Ordinary matters are offered filing. Every
card shown is recorded (a steered citizen counts as served), and urgent words alert staff at once.
"""

from __future__ import annotations

from backend.repo import guidance
from nlp import Urgency, Verdict
from nlp.pii import mask_pii

from . import cards
from .context import Context
from .router import Router
from .types import Button, rows

router = Router("steering")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
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
UNDERSTOOD = "好的。祝您顺利！办理中遇到困难，随时回来找我；也可以拨打 12348 咨询法律问题。"
BUTTON_OK, BUTTON_FILE, BUTTON_ASK = "我明白了", "仍要反映给信访部门", "咨询其他问题"
# ─────────────────────────────────────────────────────────────────────────────


async def care_if_urgent(ctx: Context, urgency: Urgency) -> None:
    """The caring reply and the staff alert; the conversation goes on afterwards."""
    if not urgency.urgent:
        return
    ctx.state.data["urgent"] = True
    await guidance.raise_alert(
        ctx.uow.session,
        ctx.citizen_id,
        ctx.incoming.channel,
        ctx.incoming.chat_id,
        list(urgency.kinds),
        mask_pii(ctx.text)[:1000],
    )
    ctx.say(GATHERING if urgency.kinds == ("gathering",) else URGENT, rows(Button("我要反映问题", "intake:start")))


async def steer(ctx: Context, verdict: Verdict) -> bool:
    """Show the channel card when the matter belongs elsewhere; False when it is a petition."""
    if not verdict.steered_away:
        return False
    channel = ctx.engine.knowledge.channels[verdict.channel]
    card, last = cards.for_verdict(ctx, verdict)
    guidance_id = await guidance.record_guidance(
        ctx.uow.session, ctx.citizen_id, channel.id, verdict.confidence, [h.label for h in verdict.cues], last
    )
    ctx.state.data["seed"] = ctx.text
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
    return True


@router.button("steer")
async def steer_button(ctx: Context, payload: str) -> None:
    from . import intake

    action, _, raw_id = payload.partition(":")
    steered = ctx.state.data.get("steer") or {}
    guidance_id = int(raw_id) if raw_id.isdigit() else 0
    if action == "ok":
        if guidance_id:
            await guidance.set_outcome(ctx.uow.session, guidance_id, ctx.citizen_id, "understood")
        ctx.say(UNDERSTOOD)
    elif action == "file":
        if guidance_id:
            await guidance.set_outcome(ctx.uow.session, guidance_id, ctx.citizen_id, "filed_anyway")
        seed = ctx.state.data.pop("seed", None)
        intake.begin(ctx, seed)
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
