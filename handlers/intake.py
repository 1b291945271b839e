"""Taking a complaint: one question at a time, what 条例第十九条 requires, confirmed, then filed.

The draft lives in the dialogue state (the database), so a restart loses nothing and a citizen
who comes back days later is asked whether to continue. Anything a citizen already said that
answers a later question (a phone number in the story, 「希望……」) is used, not asked again.
Submitting is idempotent: the confirm button carries the draft's nonce, and a second press (or
a re-delivered update) reports the case already filed.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from backend import attachments as attachment_store
from backend.errors import Invalid
from backend.filing import CaseDraft, FilingResult, Routing, expected_conclusion, file_case
from backend.models import CaseStatus
from backend.repo import guidance
from backend.repo.events import record_told
from nlp import Intent
from nlp.extract import extract_fields, find_phone, normalise_phone, valid_name
from nlp.pii import mask_phone
from nlp.route import accused_department

from . import qa
from .context import Context
from .router import Router
from .types import Button, rows

router = Router("intake")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
START = "好的，我来帮您把要反映的问题登记下来。一次只问一件事，大约需要两三分钟；随时发送 /cancel 可以取消。"
PROMPTS = {
    "name": "请问您怎么称呼？（条例第十九条要求写明姓名，用于书面告知办理结果，您的信息会受到保护。）",
    "phone": "请留一个联系电话（手机或座机），方便工作人员核实情况、通知结果。",
    "address": "请告诉我您的住址，或者事情发生的地点（写到区、镇街道、小区或村），便于交给当地负责的部门。",
    "facts": "请说说发生了什么：时间、地点、经过。写得越具体，越好办。",
    "request": "您希望怎么解决？（您的请求，比如「尽快修好路灯」「退还多收的费用」）",
    "reason": "为什么应该这样解决？（理由：比如依据哪项规定、造成了什么影响）",
    "attachments": "有照片或材料吗？可以直接发过来（照片、PDF、Word，单个不超过 {max_mb} MB，最多 {max_files} 个）。没有的话点「没有了，下一步」。",
    "group": "这件事是只涉及您自己，还是还有其他人（比如同一小区的邻居）？",
    "group_size": "大约一共多少人？请输入数字。",
    "representatives": (
        "多人一起当面走访时，需要推选代表，代表不超过 5 人（条例第二十条）。"
        "请输入代表的姓名，用逗号隔开；暂不推选可以点下面的按钮。"
    ),
}
ANONYMOUS_NOTE = "好的，按不留名处理。提醒您：不留姓名和地址的，机关无法书面告知结果（条例第二十三条），但您仍可以在这里用受理编号查询进度。"
INVALID = {
    "name": "这个称呼好像不太对，请输入您的姓名（不超过 30 个字），或点「不愿留名」。",
    "phone": "这个号码好像不对。请输入 11 位手机号（如 13812345678）或带区号的座机（如 0731-84567890）。",
    "address": "请写得具体一点，至少写到区或镇街道（4 个字以上）。",
    "facts": "请再多写几句：发生了什么、什么时候、在哪里（至少 10 个字）。",
    "request": "请简单说说您希望怎么解决（至少 2 个字）。",
    "reason": "请简单说说理由（至少 2 个字），或点「上面已说清楚」。",
    "group_size": "请输入一个数字，比如 12。",
    "representatives": "代表最多 5 人（条例第二十条），请重新输入，用逗号隔开。",
}
GOT_FILES = "已收到 {count} 个文件（{names}）。还有的话继续发，没有了就点「没有了，下一步」。"
FILE_REFUSED = "这个文件没能收下：{why}。"
TOO_MANY_FILES = "最多只能附 {max_files} 个文件，多出的没有保存。"
SUMMARY = (
    "请核对您要反映的内容：\n"
    "姓名：{name}\n电话：{phone}\n地址：{address}\n"
    "事实：{facts}\n请求：{request}\n理由：{reason}\n"
    "附件：{files}\n涉及人数：{group}\n"
    "没问题就点「确认提交」；要改哪一项点「修改」。"
)
EDIT_WHICH = "要修改哪一项？"
CANCELLED = "已取消，这次填写的内容没有提交。改变主意的话，可以点「恢复刚才的内容」。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。"
RESTORED = "已恢复刚才填写的内容。"
NOTHING_TO_RESTORE = "没有可以恢复的内容了，我们重新开始吧。"
RESUME = "您上次（{when}）填写的反映还没有提交，已填了：{filled}。要接着填吗？"
ALREADY_FILED = "这份材料已经提交过了，受理编号 {ticket}，不会重复登记。发送 /status {ticket} 可以查询进度。"
FILED = (
    "✅ 已登记，受理编号：{ticket}\n"
    "{routing}\n"
    "接下来：\n"
    "• {accept_due} 前，会书面告知您是否受理（条例第二十二条、第二十三条规定 15 日内告知）；\n"
    "• 受理后 60 日内办结，情况复杂的最多延长 30 日，并会告诉您理由（条例第三十四条）；按时受理的话，最晚约 {conclude_by} 办结；\n"
    "• 随时发送 /status {ticket} 查询进度，或 /mycases 查看您反映过的全部事项。"
)
ROUTED = "已转交：{department}\n分派依据：您提到了{keywords}。"
SEALED = (
    "您反映的是公职人员的问题（检举控告），已转交：{department}。"
    "依照条例第三十条，您的身份和检举材料不会透露或转给被反映的人员和单位。"
)
TRIAGED = "您反映的情况涉及面较广，将由信访工作人员人工确定责任部门，不会耽误办理期限。"
REPEAT = (
    "您反映的这件事，和您之前反映的 {ticket}（{status}）基本相同，我们已把这次补充的内容并入该件，"
    "不再重复登记（条例第十九条：已受理或正在办理的同一事项不重复受理）。发送 /status {ticket} 可以查询进度。"
)
SUBMIT_BUTTON, EDIT_BUTTON, CANCEL_BUTTON = "确认提交", "修改", "取消"
FIELD_LABELS = {
    "name": "姓名",
    "phone": "电话",
    "address": "地址",
    "facts": "事实",
    "request": "请求",
    "reason": "理由",
    "attachments": "附件",
    "group": "涉及人数",
}
# ─────────────────────────────────────────────────────────────────────────────

STEPS = ("name", "phone", "address", "facts", "request", "reason", "attachments", "group")
SUB_STEPS = ("group_size", "representatives")
STALE_AFTER = timedelta(minutes=30)
MAX_FILES = attachment_store.MAX_FILES_PER_CASE
_SKIP_WORDS = re.compile(r"^(没有|没|无|不用|不需要|跳过|下一步|没了|没有了|不要|算了)[。.!！]*$")
_QUESTION_END = re.compile(r"[?？吗呢]\s*$")


# ── the draft ───────────────────────────────────────────────────────────────


def _draft(ctx: Context) -> dict[str, Any]:
    return ctx.state.data.setdefault("draft", {"nonce": secrets.token_hex(6), "attachments": []})


def _touch(ctx: Context) -> None:
    ctx.state.data["touched"] = ctx.services.now().isoformat()


def _filled(draft: dict[str, Any], step: str) -> bool:
    if step == "attachments":
        return bool(draft.get("attachments_done"))
    if step == "group":
        return "group_size" in draft
    return step in draft


def begin(ctx: Context, seed: str | None = None) -> None:
    """Start a fresh draft; a grievance the citizen already told becomes its facts."""
    ctx.state.data.pop("draft", None)
    draft = _draft(ctx)
    ctx.say(START)
    if seed:
        draft["facts"] = seed
        draft["summary"] = seed.split("\n", 1)[0][:60]
        _absorb(draft, seed, skip=("facts",))
    advance(ctx)


def _absorb(draft: dict[str, Any], text: str, skip: tuple[str, ...] = ()) -> None:
    """Take any field the text states plainly and the draft still lacks."""
    found = extract_fields(text)
    for key in ("name", "phone", "address", "request"):
        value = getattr(found, key)
        if value and key not in draft and key not in skip:
            draft[key] = value


def advance(ctx: Context) -> None:
    """Ask the first thing still missing, or show the summary to confirm."""
    draft = _draft(ctx)
    _touch(ctx)
    if draft.pop("editing", None):
        confirm(ctx)
        return
    for step in STEPS:
        if not _filled(draft, step):
            ask(ctx, step)
            return
    confirm(ctx)


def ask(ctx: Context, step: str) -> None:
    ctx.go(f"intake:{step}")
    text = PROMPTS[step].format(max_mb=ctx.services.max_attachment_bytes // 1024 // 1024, max_files=MAX_FILES)
    buttons: tuple[tuple[Button, ...], ...] = ()
    if step == "name":
        buttons = rows(Button("不愿留名", "intake:anonymous"))
    elif step in ("phone", "address") and _draft(ctx).get("anonymous"):
        buttons = rows(Button("跳过", f"intake:skip:{step}"))
    elif step == "reason":
        buttons = rows(Button("上面已说清楚", "intake:skip:reason"))
    elif step == "attachments":
        buttons = rows(Button("没有了，下一步", "intake:skip:attachments"))
    elif step == "group":
        buttons = rows(Button("只有我自己", "intake:group:1"), Button("还有其他人", "intake:group:many"))
    elif step == "representatives":
        buttons = rows(Button("暂不推选", "intake:skip:representatives"))
    ctx.say(text, buttons)


def confirm(ctx: Context) -> None:
    draft = _draft(ctx)
    ctx.go("intake:confirm")
    group = "只有我自己"
    if draft.get("group_size", 1) > 1:
        group = f"约 {draft['group_size']} 人"
        if draft.get("representatives"):
            group += f"，代表：{'、'.join(draft['representatives'])}"
    files = draft.get("attachment_names") or []
    ctx.say(
        SUMMARY.format(
            name=draft.get("name", "（不愿留名）"),
            phone=mask_phone(draft["phone"]) if draft.get("phone") else "（未留）",
            address=draft.get("address", "（未留）"),
            facts=_preview(draft.get("facts", "")),
            request=_preview(draft.get("request", "")),
            reason=_preview(draft.get("reason", "")),
            files="、".join(files) if files else "无",
            group=group,
        ),
        rows(
            Button(SUBMIT_BUTTON, f"intake:submit:{draft['nonce']}"),
            Button(EDIT_BUTTON, "intake:edit"),
            Button(CANCEL_BUTTON, "intake:cancel"),
            per_row=3,
        ),
    )


def _preview(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


# ── entering and leaving ────────────────────────────────────────────────────


@router.command("complain")
async def complain(ctx: Context, text: str) -> None:
    if ctx.state.name.startswith("intake:") and ctx.state.data.get("draft"):
        _offer_resume(ctx)
        return
    begin(ctx, text or None)


@router.command("cancel")
async def cancel(ctx: Context, _args: str) -> None:
    draft = ctx.state.data.get("draft")
    was_busy = ctx.state.name != "idle"
    ctx.reset()
    if draft:
        ctx.state.data["cancelled_draft"] = draft
        ctx.say(CANCELLED, rows(Button("恢复刚才的内容", "intake:restore")))
    elif was_busy:
        ctx.say("好的，已取消。还有什么可以帮您？")
    else:
        ctx.say(NOTHING_TO_CANCEL)


@router.button("intake")
async def intake_button(ctx: Context, payload: str) -> None:
    action, _, value = payload.partition(":")
    draft = ctx.state.data.get("draft")
    if action == "start":
        if draft and ctx.state.name.startswith("intake:"):
            _offer_resume(ctx)
        else:
            begin(ctx, ctx.state.data.pop("seed", None))
            if ctx.state.data.get("urgent"):
                _draft(ctx)["urgent"] = True
        return
    if action == "restore":
        saved = ctx.state.data.pop("cancelled_draft", None)
        if saved:
            ctx.state.data["draft"] = saved
            ctx.say(RESTORED)
            advance(ctx)
        else:
            ctx.say(NOTHING_TO_RESTORE)
            begin(ctx)
        return
    if action == "submit":
        await _submit(ctx, value)
        return
    if action == "resume":
        if value == "continue" and draft:
            advance(ctx)
        elif value == "restart":
            begin(ctx)
        else:
            await cancel(ctx, "")
        return
    if not draft or not ctx.state.name.startswith("intake:"):
        # a button from a finished or abandoned dialogue
        ctx.say(
            "这一步已经结束了。要反映新的问题，请点「我要反映问题」。", rows(Button("我要反映问题", "intake:start"))
        )
        return
    if action == "cancel":
        await cancel(ctx, "")
    elif action == "anonymous":
        draft["anonymous"] = True
        draft["name"] = "（不愿留名）"
        ctx.say(ANONYMOUS_NOTE)
        advance(ctx)
    elif action == "skip" and (value in ("reason", "attachments", "representatives") or draft.get("anonymous")):
        if value == "reason":
            draft["reason"] = "见上述事实"
        elif value == "attachments":
            draft["attachments_done"] = True
        elif value == "representatives":
            draft["representatives"] = []
        else:
            draft[value] = None  # an anonymous citizen may leave phone and address out
        advance(ctx)
    elif action == "group":
        if value == "1":
            draft["group_size"] = 1
            draft["representatives"] = []
            advance(ctx)
        else:
            ask(ctx, "group_size")
    elif action == "edit":
        ctx.go("intake:confirm")
        ctx.say(
            EDIT_WHICH, rows(*(Button(label, f"intake:field:{key}") for key, label in FIELD_LABELS.items()), per_row=4)
        )
    elif action == "field" and value in FIELD_LABELS:
        draft["editing"] = True
        if value == "attachments":
            draft.pop("attachments_done", None)
        ask(ctx, value)
    else:
        ctx.say("这个按钮已经失效了。", rows(Button("我要反映问题", "intake:start")))


def _offer_resume(ctx: Context) -> None:
    draft = ctx.state.data.get("draft", {})
    filled = [FIELD_LABELS[k] for k in ("name", "phone", "address", "facts", "request", "reason") if draft.get(k)]
    touched = ctx.state.data.get("touched")
    when = _when(ctx, touched) if touched else "之前"
    ctx.say(
        RESUME.format(when=when, filled="、".join(filled) or "还没有"),
        rows(
            Button("继续填写", "intake:resume:continue"),
            Button("重新开始", "intake:resume:restart"),
            Button("不填了", "intake:resume:drop"),
            per_row=3,
        ),
    )


def _when(ctx: Context, iso: str) -> str:
    then = datetime.fromisoformat(iso).astimezone(ctx.services.timezone)
    return f"{then.month}月{then.day}日 {then:%H:%M}"


def _stale(ctx: Context) -> bool:
    touched = ctx.state.data.get("touched")
    if not touched:
        return False
    return ctx.services.now() - datetime.fromisoformat(touched) > STALE_AFTER


# ── answering the questions ─────────────────────────────────────────────────


@router.state(*(f"intake:{s}" for s in (*STEPS, *SUB_STEPS)), "intake:confirm")
async def answer(ctx: Context) -> None:
    if _stale(ctx) and not ctx.state.data.get("resume_offered"):
        ctx.state.data["resume_offered"] = True
        _offer_resume(ctx)
        return
    ctx.state.data.pop("resume_offered", None)
    step = ctx.state.name.split(":", 1)[1]
    draft = _draft(ctx)
    if ctx.incoming.attachments:
        stored = await _take_files(ctx, draft)
        if step == "attachments" or not ctx.text:
            if step != "attachments" or not stored:
                ask(ctx, step)  # files arrived early (kept) or were refused: the question stands
            _touch(ctx)
            return
    if step == "confirm":
        ctx.say("请点下面的按钮：确认提交、修改或取消。")
        confirm(ctx)
        return
    text = ctx.text
    if not text:
        ask(ctx, step)
        return
    if step in ("name", "phone", "address", "group_size") and _QUESTION_END.search(text):
        guess = ctx.engine.intent(text)
        if guess.intent is Intent.ASK:
            await qa.answer_question(ctx, text)  # a question mid-way is answered, then we carry on
            ask(ctx, step)
            return
    if step == "attachments":
        if _SKIP_WORDS.match(text):
            draft["attachments_done"] = True
            advance(ctx)
        else:
            ctx.say(
                "请直接发送照片或文件；没有的话点「没有了，下一步」。",
                rows(Button("没有了，下一步", "intake:skip:attachments")),
            )
        return
    error = _set_field(draft, step, text)
    if error:
        ctx.say(error)
        ask(ctx, step)
        return
    if step in ("facts", "request", "reason"):
        _absorb(draft, text)
    if step == "group_size":
        ask(ctx, "representatives")
        return
    advance(ctx)


def _set_field(draft: dict[str, Any], step: str, text: str) -> str | None:
    """Validate and store one answer; the error to tell the citizen, or None."""
    if step == "name":
        if not valid_name(text):
            return INVALID["name"]
        draft["name"] = text.strip()
        draft.pop("anonymous", None)
    elif step == "phone":
        phone = normalise_phone(text) or find_phone(text)
        if not phone:
            return INVALID["phone"]
        draft["phone"] = phone
    elif step == "address":
        if len(text) < 4 or not re.search(r"[\u4e00-\u9fa5]", text):
            return INVALID["address"]
        draft["address"] = text[:256]
    elif step == "facts":
        if len(text) < 10:
            return INVALID["facts"]
        draft["facts"] = text
        draft.setdefault("summary", text.split("\n", 1)[0][:60])
    elif step in ("request", "reason"):
        if len(text) < 2:
            return INVALID[step]
        draft[step] = text
    elif step == "group_size":
        m = re.search(r"\d+", text)
        if not m or not 1 <= int(m.group(0)) <= 100_000:
            return INVALID["group_size"]
        draft["group_size"] = int(m.group(0))
    elif step == "representatives":
        names = [n.strip() for n in re.split(r"[，,、;；\s]+", text) if n.strip()]
        if not names or len(names) > 5 or not all(valid_name(n) for n in names):
            return INVALID["representatives"]
        draft["representatives"] = names
    return None


async def _take_files(ctx: Context, draft: dict[str, Any]) -> int:
    """Store the files that pass the checks; say what was kept and what was not."""
    stored: list[str] = []
    for attachment in ctx.incoming.attachments:
        if len(draft.setdefault("attachments", [])) >= MAX_FILES:
            ctx.say(TOO_MANY_FILES.format(max_files=MAX_FILES))
            break
        if attachment.refused:
            ctx.say(FILE_REFUSED.format(why=attachment.refused))
            continue
        try:
            saved = await attachment_store.store(
                ctx.uow.session,
                ctx.citizen_id,
                attachment.kind,
                attachment.file_name,
                attachment.data,
                ctx.services.max_attachment_bytes,
            )
        except Invalid as exc:
            ctx.say(FILE_REFUSED.format(why=exc))
            continue
        draft["attachments"].append(saved.id)
        draft.setdefault("attachment_names", []).append(saved.file_name)
        stored.append(saved.file_name)
    if stored:
        ctx.say(
            GOT_FILES.format(count=len(draft["attachments"]), names="、".join(draft["attachment_names"])),
            rows(Button("没有了，下一步", "intake:skip:attachments")),
        )
    return len(stored)


# ── filing ──────────────────────────────────────────────────────────────────


async def _submit(ctx: Context, nonce: str) -> None:
    filed = ctx.state.data.get("filed", {})
    if nonce in filed:
        ctx.say(ALREADY_FILED.format(ticket=filed[nonce]))
        return
    draft = ctx.state.data.get("draft")
    if not draft or draft.get("nonce") != nonce or ctx.state.name != "intake:confirm":
        ctx.say("这份材料已经不在了，可能已提交或已取消。发送 /mycases 查看已登记的事项。")
        return
    engine = ctx.engine
    title = draft.get("summary") or draft["facts"][:60]
    body = "\n".join(x for x in (draft["facts"], draft["request"], draft.get("reason", "")) if x)
    decision = engine.route(body, title=title)
    words = engine.segmenter.words(f"{draft['facts']} {draft['request']}")
    case_draft = CaseDraft(
        citizen_id=ctx.citizen_id,
        channel=ctx.incoming.channel,
        chat_id=ctx.incoming.chat_id,
        name=draft.get("name") or "（不愿留名）",
        phone=draft.get("phone"),
        address=draft.get("address") or "（未留）",
        facts=draft["facts"],
        request=draft["request"],
        reason=draft.get("reason", ""),
        summary=title,
        group_size=draft.get("group_size", 1),
        representatives=draft.get("representatives", []),
        attachment_ids=draft.get("attachments", []),
        kind=draft.get("kind", "complaint"),
        steer_channel=draft.get("steer_channel"),
        urgent=bool(draft.get("urgent")),
        accused_department_id=accused_department(engine.knowledge.taxonomy, body),
    )
    routing = Routing(
        decision.category, decision.department_id, decision.confidence, list(decision.keywords), decision.needs_triage
    )
    result = await file_case(
        ctx.uow.session, case_draft, routing, words, ctx.services.now(), ctx.services.today(), nlp=engine
    )
    if draft.get("steer_channel"):
        # the citizen was shown another door and chose to file anyway: both are on record
        await record_told(ctx.uow.session, result.case.id, draft["steer_channel"])
        if draft.get("guidance_id"):
            await guidance.set_outcome(
                ctx.uow.session, int(draft["guidance_id"]), ctx.citizen_id, "filed_anyway", result.case.id
            )
    filed[nonce] = result.case.ticket
    ctx.reset()
    ctx.state.data["filed"] = dict(list(filed.items())[-20:])  # remembered: a second press files nothing
    department = result.case.department_name or (decision.department.name if decision.department else "")
    ctx.say(filed_message(result, department, ctx.services.today()))


def filed_message(result: FilingResult, department_name: str, today: date) -> str:
    case = result.case
    if result.repeat:
        return REPEAT.format(ticket=case.ticket, status=CaseStatus(case.status).label)
    if case.kind == "report":
        routing = SEALED.format(department=department_name or "纪检监察机关")
    elif case.needs_triage or not case.department_id:
        routing = TRIAGED
    else:
        keywords = "、".join(f"「{k}」" for k in case.routing_keywords[:4]) or "相关情况"
        routing = ROUTED.format(department=department_name, keywords=keywords)
    return FILED.format(
        ticket=case.ticket,
        routing=routing,
        accept_due=format_date(case.accept_due),
        conclude_by=format_date(expected_conclusion(today)),
    )


def format_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
