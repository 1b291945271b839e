"""Taking a complaint: one question at a time, what 条例第十九条 requires, confirmed, then filed.

The draft lives in the dialogue state (the database), so a restart loses nothing and a citizen
who comes back later picks up where they were. Anything a citizen already said that answers a
later question (a phone number in the story, 「希望……」, a name given with the phone) is used,
not asked again. Every step that shows buttons also takes the same answers typed (see
handlers/choices.py); a step whose answer could not be taken is never asked the same way a third
time. A question asked mid-way is answered and the step asked again; at the summary a typed
correction (「电话写错了，应该是……」) changes that field.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from backend import attachments as attachment_store
from backend.errors import Invalid
from knowledge.payloads import INTAKE
from nlp import Intent
from nlp.extract import Correction, extract_fields, group_size_in, looks_like_name, read_correction, valid_name
from nlp.pii import mask_phone

from .. import choices, qa, story
from ..context import Context
from ..router import Router
from ..types import Button, rows
from . import text as t
from .draft import Draft
from .questions import (
    DRAFT_KEY,
    MAX_FILES,
    absorb,
    absorb_story,
    advance,
    as_above,
    ask,
    button,
    buttons_for,
    confirm,
    confirm_buttons,
    facts_within_limit,
    field_menu,
    labels,
    load,
    own_answer,
    save,
    set_field,
)
from .submit import submit

router = Router("intake")

STALE_AFTER = timedelta(minutes=30)
STEP_STATES = tuple(f"intake:{s}" for s in (*t.PROMPTS, "confirm"))
FREE_TEXT_STEPS = ("facts", "request", "reason")  # long answers, where a 「？」 may belong to the story
ACCEPTED_AS_SAID = ("address", "facts", "request", "reason")  # a second short answer is taken as it is
MAX_NAME_AS_SAID = 10
SHORT_ASIDE = 20  # 「我先去做饭，回头再说」: a short aside at a short question is not its answer
_QUESTION = re.compile(
    r"[?？]|吗|呢$|怎么|为什么|为啥|多久|多长|几天|能不能|可不可以|会不会|是不是|要不要|有没有|哪|什么|啥|如何|是否"
)
_QUESTION_END = re.compile(r"(?:[?？]|吗|呢|么)[。.!！~～]*$")


def new_complaint_button() -> Button:
    return button(t.NEW_COMPLAINT, "start", "", "file")


# ── entering and leaving ────────────────────────────────────────────────────


def begin(ctx: Context, seed: str | None = None) -> None:
    """Start a fresh draft; a grievance the citizen already told gives what it states."""
    ctx.state.data.pop(DRAFT_KEY, None)
    choices.clear_misses(ctx)
    draft = Draft()
    ctx.say(t.START)
    note = None
    if seed:
        taken = [f for f in absorb_story(ctx, draft, seed) if f != "facts" and not (f == "name" and draft.anonymous)]
        if taken:
            note = t.FROM_STORY.format(fields=labels(taken))
        if draft.anonymous:
            note = f"{note}\n{t.ANONYMOUS_NOTE}" if note else t.ANONYMOUS_NOTE
        if full := facts_within_limit(draft, ctx.cut):
            note = f"{note}\n{full}" if note else full
    advance(ctx, draft, note)


@router.command("complain")
async def complain(ctx: Context, text: str) -> None:
    if ctx.state.name.startswith("intake:") and load(ctx) is not None:
        offer_resume(ctx)
        return
    if text:
        story.keep(ctx, text)
    begin(ctx, story.take(ctx))  # what they told before /complain is the complaint's story


def start_filing(ctx: Context) -> None:
    """The citizen agreed to file (pressed, typed or asked): a draft from what they told."""
    urgent = bool(ctx.state.data.get("urgent"))
    begin(ctx, story.take(ctx))
    if urgent and (fresh := load(ctx)) is not None:
        fresh.urgent = True
        save(ctx, fresh)


@router.command("cancel")
async def cancel(ctx: Context, _args: str) -> None:
    draft = ctx.state.data.get(DRAFT_KEY)
    was_busy = ctx.state.name != "idle"
    ctx.reset()
    if draft:
        ctx.state.data["cancelled_draft"] = draft
        ctx.say(t.CANCELLED, rows(button(t.RESTORE, "restore", "", "restore", "resume")))
    elif was_busy:
        ctx.say(t.CANCELLED_OTHER)
    else:
        ctx.say(t.NOTHING_TO_CANCEL)


def after_the_dialogue(ctx: Context) -> bool:
    """With no dialogue going on: 「继续登记」「恢复」 bring back a draft set aside with 「不弄了」;
    「刚才说到哪了」「继续」「确认提交」 after filing (or with nothing begun) get a clear answer."""
    if len(ctx.text) > 20:
        return False
    said = choices.reader(ctx).read(ctx.text, ("resume", "continue", "restore", "submit"))
    if not said.plain or not said.meanings:
        return False
    if said.meanings & {"resume", "continue", "restore"} and ctx.state.data.get("cancelled_draft"):
        restored = Draft.from_dict(ctx.state.data.pop("cancelled_draft"))
        ctx.say(t.RESTORED)
        advance(ctx, restored)
        return True
    filed = ctx.state.data.get("filed") or {}
    if filed:
        ctx.say(t.ALREADY_DONE.format(ticket=list(filed.values())[-1]), rows(new_complaint_button()))
    else:
        ctx.say(t.NOTHING_IN_PROGRESS, rows(new_complaint_button()))
    return True


def offer_resume(ctx: Context) -> None:
    draft = load(ctx) or Draft()
    touched = ctx.state.data.get("touched")
    when = _when(ctx, touched) if touched else "之前"
    ctx.say(
        t.RESUME.format(when=when, filled=_filled_labels(draft)),
        rows(
            button(t.CONTINUE, "resume", "continue", "continue", "resume"),
            button(t.RESTART, "resume", "restart", "restart"),
            button(t.DROP, "resume", "drop", "cancel"),
            per_row=3,
        ),
    )


def _filled_labels(draft: Draft) -> str:
    filled = [k for k in ("name", "phone", "address", "facts", "request", "reason") if draft.filled(k)]
    return labels(filled) or "还没有"


def _when(ctx: Context, iso: str) -> str:
    then = datetime.fromisoformat(iso).astimezone(ctx.services.timezone)
    return f"{then.month}月{then.day}日 {then:%H:%M}"


def _stale(ctx: Context) -> bool:
    touched = ctx.state.data.get("touched")
    if not touched:
        return False
    try:
        return ctx.services.now() - datetime.fromisoformat(touched) > STALE_AFTER
    except (TypeError, ValueError):
        return False


def _current_step(ctx: Context) -> str:
    return ctx.state.name.split(":", 1)[1] if ctx.state.name.startswith("intake:") else "confirm"


def welcome_back(ctx: Context, draft: Draft) -> None:
    ask(ctx, draft, _current_step(ctx), t.WELCOME_BACK.format(filled=_filled_labels(draft)))


# ── buttons (pressed, or typed: handlers/choices.py turns typing into the press) ──


@router.button("intake")
async def intake_button(ctx: Context, payload: str) -> None:
    action, value = INTAKE.parse(payload)
    draft = load(ctx)
    in_dialogue = draft is not None and ctx.state.name.startswith("intake:")
    if action == "start":
        if in_dialogue:
            offer_resume(ctx)
        else:
            start_filing(ctx)
        return
    if action == "restore":
        saved = ctx.state.data.pop("cancelled_draft", None)
        if saved:
            restored = Draft.from_dict(saved)
            ctx.say(t.RESTORED)
            advance(ctx, restored)
        else:
            ctx.say(t.NOTHING_TO_RESTORE)
            begin(ctx)
        return
    if action == "submit":
        await submit(ctx, value)
        return
    if action == "resume":
        if value == "continue" and in_dialogue:
            assert draft is not None
            advance(ctx, draft)
        elif value == "restart":
            begin(ctx)
        else:
            await cancel(ctx, "")
        return
    if not in_dialogue:
        # a button from a finished or abandoned dialogue
        ctx.say(t.FINISHED_STEP, rows(new_complaint_button()))
        return
    assert draft is not None
    choices.clear_misses(ctx)
    if action == "cancel":
        await cancel(ctx, "")
    elif action == "anonymous":
        draft.go_anonymous()
        advance(ctx, draft, t.ANONYMOUS_NOTE)
    elif action == "files":
        ask(ctx, draft, "attachments", t.ATTACH_HOW)
    elif action == "skip" and value in ("reason", "attachments", "representatives", "phone", "address"):
        _skip(ctx, draft, value)
    elif action == "group":
        # 「还有三户邻居」 typed: the number came with the answer
        _group(ctx, draft, 1 if value == "1" else group_size_in(ctx.text) if ctx.text else None)
    elif action == "edit":
        ctx.go("intake:confirm")
        ctx.say(t.EDIT_WHICH, field_menu())
    elif action == "field" and value in t.FIELD_LABELS:
        draft.editing = True
        if value == "attachments":
            draft.attachments_done = False
        ask(ctx, draft, value)
    else:
        ctx.say(t.STALE, rows(new_complaint_button()))


def _skip(ctx: Context, draft: Draft, step: str) -> None:
    """The citizen leaves an optional answer out (typed 「没有」「不知道」「不方便」, or the button)."""
    note = None
    if step == "reason":
        as_above(draft)
    elif step == "attachments":
        draft.attachments_done = True
    elif step == "representatives":
        draft.representatives = []
    elif step == "phone":
        draft.skip("phone")
        note = None if draft.anonymous else t.NO_PHONE
    elif step == "address":
        told = extract_fields(draft.facts or "").address
        if told:  # 「前面说过了」 — and it was: 「住在……」 in the story
            draft.set("address", told)
            advance(ctx, draft)
            return
        if not draft.anonymous and "address" not in draft.declined:
            draft.declined.append("address")  # explained once; a second 「不方便」 is taken
            ask(ctx, draft, "address", t.ADDRESS_WHY)
            return
        draft.skip("address")
        note = None if draft.anonymous else t.NO_ADDRESS
    elif step == "request":
        # 「前面说过了」: the wish in the story if there is one, else the request every petition makes
        draft.request = extract_fields(draft.facts or "").request or t.REQUEST_DEFAULT
    elif step == "group_size":
        draft.group_size, draft.group_size_unknown = 2, True
    advance(ctx, draft, note)


def _group(ctx: Context, draft: Draft, size: int | None) -> None:
    """One person, several (how many known), or several of a number still to ask."""
    if not size:
        ask(ctx, draft, "group_size")
        return
    draft.group_size = size
    if size == 1:
        draft.representatives = []
    advance(ctx, draft)


# ── answering the questions ─────────────────────────────────────────────────


@router.state(*STEP_STATES, reads_choices=True)
async def answer(ctx: Context) -> None:
    draft = load(ctx)
    if draft is None:  # the state outlived its draft (an old row): start over rather than fail
        begin(ctx)
        return
    step = _current_step(ctx)
    reader = choices.reader(ctx)
    if _stale(ctx) and not ctx.state.data.get("resume_offered"):
        if ctx.text and reader.read(ctx.text, ("resume", "continue")).found:
            welcome_back(ctx, draft)
        else:
            ctx.state.data["resume_offered"] = True
            offer_resume(ctx)
        return
    ctx.state.data.pop("resume_offered", None)
    if ctx.incoming.attachments:
        stored = await _take_files(ctx, draft)
        if step == "attachments" or not ctx.text:
            save(ctx, draft)
            if step != "attachments" or not stored:
                ask(ctx, draft, step)  # files arrived early (kept) or were refused: the question stands
            return
    text = ctx.text
    if not text:
        ask(ctx, draft, step)
        return
    if step == "confirm" and _corrected(ctx, draft, text):
        return
    pressed = _typed_button(ctx, draft)
    if pressed is not None:
        await intake_button(ctx, pressed)
        return
    if _not_an_answer(ctx, draft, step, text):
        return
    if step == "confirm":
        await _at_summary(ctx, draft, text)
        return
    if await _question_mid_way(ctx, draft, step, text):
        return
    if step == "group":
        _group_typed(ctx, draft, text)
        return
    if step == "attachments":
        _attachments_typed(ctx, draft, text)
        return
    said = reader.read(text, ("skip", "decline", "as_above", "anonymous", "only_me", "others"))
    if said.plain and _declined(ctx, draft, step, said.meanings):
        return
    if said.found and not said.plain and _declined_in_passing(ctx, draft, step, text, said.meanings):
        return
    _take_answer(ctx, draft, step, text)


def _not_an_answer(ctx: Context, draft: Draft, step: str, text: str) -> bool:
    """「稍等」「回头再说」 (once), 「刚才说到哪了」, 「重新开始」, 「不弄了」: about the dialogue, not the step."""
    meant = choices.reader(ctx).read(text, ("cancel", "restart", "resume", "continue", "wait", "later"))
    in_passing = step not in (*FREE_TEXT_STEPS, "confirm", "attachments") and len(text) <= SHORT_ASIDE
    aside = meant.found and meant.meanings <= {"wait", "later"} and (meant.plain or in_passing)
    # an aside said a second time at the same step is read as an answer after all
    if aside and choices.count_miss(ctx) == 1:
        save(ctx, draft)
        step_buttons = confirm_buttons(draft) if step == "confirm" else buttons_for(draft, step)
        ctx.say(t.WAITING if "wait" in meant.meanings else t.LATER, step_buttons)
        return True
    if not meant.plain or len(meant.meanings) != 1:
        return False
    (meaning,) = meant.meanings
    if meaning in ("resume", "continue"):  # 「刚才说到哪了」「继续」: where we are, and what is kept
        welcome_back(ctx, draft)
    elif meaning == "restart":
        begin(ctx)
    elif meaning == "cancel":
        save(ctx, draft)
        ctx.say(
            t.CONFIRM_CANCEL,
            rows(
                button(t.CANCEL_FILING, "cancel", "", "cancel", "yes", "confirm"),  # 「要取消吗？」「是的」「确定」
                button(t.CONTINUE, "resume", "continue", "continue", "no"),
            ),
        )
    else:
        return False
    return True


def _attachments_typed(ctx: Context, draft: Draft, text: str) -> None:
    if _typed_button(ctx, draft, strict=False) is not None:  # 「有视频但是发不了」: none to send now
        _skip(ctx, draft, "attachments")
        return
    missed = choices.count_miss(ctx)
    if missed > 1:  # no file after two answers: go on, files can come later
        draft.attachments_done = True
        choices.clear_misses(ctx)
        advance(ctx, draft, t.FILES_LATER)
    elif "yes" in choices.reader(ctx).read(text, ("yes",)).meanings:
        ask(ctx, draft, "attachments", t.ATTACH_HOW)
    else:
        save(ctx, draft)
        choices.hint(ctx, [b for row in buttons_for(draft, "attachments") for b in row], missed)


def _declined(ctx: Context, draft: Draft, step: str, meanings: frozenset[str]) -> bool:
    """「不想留名」「不知道」「没有」「不方便」「同上」 at a step that allows it; False: not a refusal."""
    if "anonymous" in meanings and step in ("name", "phone", "address") and not draft.name:
        draft.go_anonymous()
        advance(ctx, draft, t.ANONYMOUS_NOTE)
        return True
    if step == "representatives" and "only_me" in meanings and not meanings & {"skip", "decline"}:
        draft.representatives = [draft.name] if draft.name else []
        advance(ctx, draft)
        return True
    if step == "group_size" and "others" in meanings:
        meanings = meanings | {"skip"}  # 「好多人」「还有别人」 without a number: how many is not known
    if not meanings & {"skip", "decline", "as_above"}:
        return False
    if step == "name":
        draft.go_anonymous()
        advance(ctx, draft, t.ANONYMOUS_NOTE)
        return True
    if step in ("phone", "address", "reason", "representatives", "request", "group_size"):
        _skip(ctx, draft, step)
        return True
    return False


def _declined_in_passing(ctx: Context, draft: Draft, step: str, text: str, meanings: frozenset[str]) -> bool:
    """A refusal inside a longer answer — 「我要匿名，怕被打击报复」 for the name, 「其他人也一样……」 for
    how many — where the answer cannot be what the step asks for anyway."""
    # not leaving a name wins over anything else said at the name (「我叫…，不过别写名字」)
    if step == "name" and (
        "anonymous" in meanings or ("decline" in meanings and not looks_like_name(own_answer(step, text)))
    ):
        draft.go_anonymous()
        advance(ctx, draft, t.ANONYMOUS_NOTE)
        return True
    if step == "group_size" and group_size_in(text) is None:
        _skip(ctx, draft, step)  # several people, how many not known
        return True
    return False


def _take_answer(ctx: Context, draft: Draft, step: str, text: str) -> None:
    taken = absorb(draft, text, step)
    error = set_field(draft, step, own_answer(step, text))
    if error is None and step == "facts" and (full := facts_within_limit(draft, ctx.cut)):
        choices.clear_misses(ctx)
        advance(ctx, draft, f"{t.NOTED.format(fields=labels(taken))}\n{full}" if taken else full)
        return
    if error is None:
        choices.clear_misses(ctx)
        if step == "group_size" and draft.group_size and draft.group_size > 1 and draft.representatives is None:
            ask(ctx, draft, "representatives", t.NOTED.format(fields=labels(taken)) if taken else None)
            return
        advance(ctx, draft, t.NOTED.format(fields=labels(taken)) if taken else None)
        return
    if taken:
        note = t.LONG_STORY_KEPT if taken == ["facts"] else t.NOTED.format(fields=labels(taken))
        ask(ctx, draft, step, note)
        return
    if choices.reader(ctx).read(text, ("resume",)).found:  # 「我回来了，刚才有点事……」
        welcome_back(ctx, draft)
        return
    _not_taken(ctx, draft, step, error, text)


def _not_taken(ctx: Context, draft: Draft, step: str, error: str | None, text: str = "") -> None:
    """Explain once, with the question. The second time the question is not asked again: what the
    citizen said is taken as it is, or the step is left open with a note (the summary shows it and
    a typed correction changes it); only a name never given stays asked, with a way out."""
    if step in ("attachments", "group"):
        save(ctx, draft)
        choices.hint(ctx, [b for row in buttons_for(draft, step) for b in row])
        return
    assert error is not None
    if choices.count_miss(ctx) == 1:
        ask(ctx, draft, step, error)
        return
    note = None
    if step in ACCEPTED_AS_SAID and any(ch.isalnum() for ch in text):
        # said twice the same way: it is what the citizen has to say; staff can ask for more
        setattr(draft, step, text[:256] if step == "address" else text)
        if step == "facts":
            draft.summary = draft.summary or text[:60]
    elif step == "name" and valid_name(text) and len(text) <= MAX_NAME_AS_SAID:
        draft.name, draft.anonymous = text.strip(), False
    elif step == "phone":
        draft.skip("phone")
        note = t.PHONE_LATER
    elif step == "group_size":
        draft.group_size, draft.group_size_unknown = 2, True
    elif step == "representatives":
        draft.representatives = []
    else:
        save(ctx, draft)
        ctx.say(f"{error}{t.INVALID_AGAIN.format(hotline=ctx.services.hotline)}", buttons_for(draft, step))
        return
    choices.clear_misses(ctx)
    advance(ctx, draft, note)


def _group_typed(ctx: Context, draft: Draft, text: str) -> None:
    size = group_size_in(text)
    if size:
        _group(ctx, draft, size)
        return
    pressed = _typed_button(ctx, draft, strict=False)  # the question has only two answers: a looser reading will do
    if pressed is not None:
        _group(ctx, draft, 1 if INTAKE.parse(pressed) == ("group", "1") else None)
        return
    missed = choices.count_miss(ctx)
    if missed > 1:  # still unclear: file it as the citizen's own, which the summary shows and lets them change
        choices.clear_misses(ctx)
        draft.group_size, draft.representatives = 1, []
        advance(ctx, draft, t.GROUP_ASSUMED)
        return
    save(ctx, draft)
    choices.hint(ctx, [b for row in buttons_for(draft, "group") for b in row], missed)


async def _question_mid_way(ctx: Context, draft: Draft, step: str, text: str) -> bool:
    """A question asked instead of an answer: answered (as well as we can), then the step again.

    At a short-answer step anything ending like a question is one (「会不会让他知道？」 is no name);
    in the story steps only a short question that reads as one about the regulation.
    """
    if step in FREE_TEXT_STEPS:
        if len(text) > 40 or not _QUESTION_END.search(text) or ctx.engine.intent(text).intent is not Intent.ASK:
            return False
    elif not _QUESTION_END.search(text) and not (
        _QUESTION.search(text) and ctx.engine.intent(text).intent is Intent.ASK
    ):
        return False
    await qa.answer_question(ctx, text)
    ask(ctx, draft, step)
    return True


# ── at the summary ──────────────────────────────────────────────────────────


def _typed_button(ctx: Context, draft: Draft, *, strict: bool = True) -> str | None:
    """The intake button (its payload after 「intake:」) the typed text chooses: among those last
    shown, or — when something else came in between (a /help, a menu) — the step's own."""
    shown = [b for b in choices.offered(ctx) if INTAKE.matches(b.data) and not b.data.startswith("intake:start")]
    if not shown:
        step = _current_step(ctx)
        shown = [b for row in (confirm_buttons(draft) if step == "confirm" else buttons_for(draft, step)) for b in row]
    chosen = choices.pick(ctx, shown, strict=strict)
    return chosen.data.partition(":")[2] if chosen is not None else None


def _corrected(ctx: Context, draft: Draft, text: str) -> bool:
    """At the summary, 「电话写错了，应该是……」「我不想留名了」 change the draft (before any button)."""
    said = choices.reader(ctx).read(text, ("anonymous",))
    if "anonymous" in said.meanings and not draft.anonymous:  # 「名字还是别写了……匿名吧」
        draft.go_anonymous()
        confirm(ctx, draft, t.ANONYMOUS_NOTE)
        return True
    correction = read_correction(text, ctx.engine.knowledge.choices)
    if correction is None:
        return False
    if correction.field is None:
        correction = _by_old_value(draft, text) or correction
    if correction.field is None:  # 「有地方写错了」: which one?
        save(ctx, draft)
        ctx.say(t.EDIT_WHICH, field_menu())
    else:
        _correct(ctx, draft, correction.field, correction.value, text)
    return True


async def _at_summary(ctx: Context, draft: Draft, text: str) -> None:
    pressed = _typed_button(ctx, draft, strict=False)  # only three answers here: a looser reading will do
    if pressed is not None:
        await intake_button(ctx, pressed)
        return
    if await _question_mid_way(ctx, draft, "confirm", text):
        return
    save(ctx, draft)
    ctx.say(t.CORRECT_HOW)
    choices.hint(ctx, [b for row in confirm_buttons(draft) for b in row])


def _by_old_value(draft: Draft, text: str) -> Correction | None:
    """「不是张三，是张珊」: the field whose present value the citizen quotes."""
    m = re.search(r"不是(.+?)[，,]?(?:而)?是(.+)$", text)
    if not m:
        return None
    old, new = m.group(1).strip("「」 "), m.group(2).strip("「」。. ")
    for field in ("name", "address", "request", "facts", "reason"):
        value = getattr(draft, field) or ""
        if old and value and (old == value or (len(old) >= 4 and old in value)):
            return Correction(field, value.replace(old, new) if field != "name" else new)
    return None


def _correct(ctx: Context, draft: Draft, field: str, value: str | None, text: str) -> None:
    if field in ("group", "attachments") or value is None:
        draft.editing = True
        if field == "attachments":
            draft.attachments_done = False
        ask(ctx, draft, field)
        return
    if field in ("facts", "reason", "request") and "补充" in text:
        value = f"{getattr(draft, field) or ''}\n{value}".strip()
    error = set_field(draft, field, value)
    if error:
        draft.editing = True
        ask(ctx, draft, field, error)
        return
    shown = mask_phone(draft.phone) if field == "phone" and draft.phone else getattr(draft, field)
    confirm(ctx, draft, t.CHANGED.format(field=t.FIELD_LABELS[field], value=shown))


# ── files ───────────────────────────────────────────────────────────────────


async def _take_files(ctx: Context, draft: Draft) -> int:
    """Store the files that pass the checks; say what was kept and what was not."""
    stored: list[str] = []
    for attachment in ctx.incoming.attachments:
        if len(draft.attachments) >= MAX_FILES:
            ctx.say(t.TOO_MANY_FILES.format(max_files=MAX_FILES))
            break
        if attachment.refused:
            ctx.say(t.FILE_REFUSED.format(why=attachment.refused))
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
            ctx.say(t.FILE_REFUSED.format(why=exc))
            continue
        draft.attachments.append(saved.id)
        draft.attachment_names.append(saved.file_name)
        stored.append(saved.file_name)
    if stored:
        ctx.say(
            t.GOT_FILES.format(count=len(draft.attachments), names="、".join(draft.attachment_names)),
            rows(button(t.NO_MORE_FILES, "skip", "attachments", "skip", "done")),
        )
    return len(stored)
