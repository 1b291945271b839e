"""The questions: what each step asks, the buttons it offers (and what typing them looks like),
how an answer is checked and stored, and the summary shown before filing."""

from __future__ import annotations

import re

from backend import attachments as attachment_store
from backend.filing import MAX_FACTS_CHARS
from knowledge import payloads
from nlp.choices import compact, reader_for
from nlp.extract import (
    answer_for,
    extract_fields,
    find_phone,
    group_size_in,
    looks_like_address,
    looks_like_name,
    normalise_phone,
    split_reason,
    strip_symbols,
)
from nlp.normalize import chinese_punctuation
from nlp.pii import mask_phone

from ..context import Context
from ..story import ANNOUNCEMENT, MIN_STORY_CHARS, tells_something
from ..types import Button, rows
from . import text as t
from .draft import AS_ABOVE, Draft

DRAFT_KEY = "draft"
MAX_FILES = attachment_store.MAX_FILES_PER_CASE
MIN_FACTS_CHARS = 10
LONG_STORY = 30  # characters: an answer this long at a short-answer step is the story, told early
# a first message that only names its topic: 「我们村好多户想一起反映灌溉渠的事」「现就我所居住社区的道路安全
# 问题向您反映」 — kept as the subject, while the facts (time, place, what happened) are still asked
_GREETING = re.compile(r"^(?:尊敬的[^，,：:！!。]{1,8}|领导|同志|您好|你好|老师)[，,：:！!。\s]*")
_SELF_INTRO = re.compile(r"^(?:我|本人)(?:是|叫)[^，,。！!]{1,16}[，,。！!]\s*")
_TOPIC_ONLY = re.compile(
    r"^[^，,。！!？?]{0,24}?(?:反映|投诉|举报|说说|说一下|讲讲|讲一下|告状)[^，,。！!？?]{0,20}?"
    r"(?:的事|的事情|的问题|的情况|问题|情况|事情|一下)?[。！!~～\s]*$"
    r"|^[^，,。！!？?]{0,28}?(?:的事|的事情|的问题|的情况|问题)(?:向您|向你们|给您|跟您|跟你们)?(?:反映|投诉|说说|说一下)[。！!\s]*$"
)
_NAME_SEPARATORS = re.compile(r"[，,、;；\s/]+|和|及|与|跟|还有")
_NOT_A_REPRESENTATIVE = re.compile(
    r"^(?:我们|大家)?(?:推选了?|选了?|定了?)?(?:代表是|代表|就是|就|是)*|等?(?:[两二三四五\d](?:个人|个|位|人|名)|他们|我们)?$"
)
_NOT_YET = re.compile(r"[没不暂无未]")
_ME = frozenset({"我", "我自己", "本人", "自己"})
_CJK = re.compile(r"[\u4e00-\u9fa5]")


def button(label: str, action: str, value: str = "", *meanings: str) -> Button:
    return Button(label, payloads.INTAKE.build(action, value), meanings)


# ── the draft in the dialogue state ─────────────────────────────────────────


def load(ctx: Context) -> Draft | None:
    raw = ctx.state.data.get(DRAFT_KEY)
    return Draft.from_dict(raw) if isinstance(raw, dict) and raw else None


def save(ctx: Context, draft: Draft) -> None:
    ctx.state.data[DRAFT_KEY] = draft.to_dict()
    ctx.state.data["touched"] = ctx.services.now().isoformat()


# ── asking ──────────────────────────────────────────────────────────────────


def buttons_for(draft: Draft, step: str) -> tuple[tuple[Button, ...], ...]:
    if step == "name":
        return rows(button(t.ANONYMOUS, "anonymous", "", "anonymous", "decline"))
    if step == "phone":
        label = t.SKIP if draft.anonymous else t.NO_PHONE_BUTTON
        return rows(button(label, "skip", "phone", "skip", "decline"))
    if step == "address" and draft.anonymous:
        return rows(button(t.SKIP, "skip", "address", "skip", "decline"))
    if step == "reason":
        return rows(button(t.AS_ABOVE_BUTTON, "skip", "reason", "as_above", "skip", "decline"))
    if step == "attachments":
        return rows(
            button(t.HAVE_FILES, "files", "", "yes"),
            button(t.NO_MORE_FILES, "skip", "attachments", "skip", "done", "later"),  # 「先不发了」
        )
    if step == "group":
        return rows(button(t.ONLY_ME, "group", "1", "only_me"), button(t.OTHERS, "group", "many", "others"))
    if step == "representatives":
        return rows(button(t.NO_REPRESENTATIVES, "skip", "representatives", "skip", "decline"))
    return ()


def prompt(ctx: Context, step: str) -> str:
    return t.PROMPTS[step].format(max_mb=ctx.services.max_attachment_bytes // 1024 // 1024, max_files=MAX_FILES)


def ask(ctx: Context, draft: Draft, step: str, note: str | None = None) -> None:
    """Ask one step (the summary for 「confirm」), after a note on what just happened."""
    if step == "confirm":
        confirm(ctx, draft, note)
        return
    ctx.go(f"intake:{step}")
    save(ctx, draft)
    ctx.say(f"{note}\n\n{prompt(ctx, step)}" if note else prompt(ctx, step), buttons_for(draft, step))


def advance(ctx: Context, draft: Draft, note: str | None = None) -> None:
    """Ask the first thing still missing, or show the summary to confirm."""
    if draft.editing:
        draft.editing = False
        confirm(ctx, draft, note)
        return
    missing = draft.missing()
    if missing:
        ask(ctx, draft, missing[0], note)
    else:
        confirm(ctx, draft, note)


def group_text(draft: Draft) -> str:
    if not draft.group_size or draft.group_size <= 1:
        return t.ONLY_ME
    group = t.GROUP_UNKNOWN if draft.group_size_unknown else f"约 {draft.group_size} 人"
    if draft.representatives:
        group += f"，代表：{'、'.join(draft.representatives)}"
    return group


def confirm(ctx: Context, draft: Draft, note: str | None = None) -> None:
    ctx.go("intake:confirm")
    save(ctx, draft)
    summary = t.SUMMARY.format(
        name=draft.display_name,
        phone=mask_phone(draft.phone) if draft.phone else "（未留）",
        address=draft.address or "（未留）",
        facts=_preview(draft.facts or ""),
        request=_preview(draft.request or ""),
        reason=_preview(draft.reason or ""),
        files="、".join(draft.attachment_names) or "无",
        group=group_text(draft),
    )
    ctx.say(f"{note}\n\n{summary}" if note else summary, confirm_buttons(draft))


def confirm_buttons(draft: Draft) -> tuple[tuple[Button, ...], ...]:
    return rows(
        button(t.SUBMIT, "submit", draft.nonce, "submit"),
        button(t.EDIT, "edit", "", "edit"),
        button(t.CANCEL, "cancel", "", "cancel", "later"),  # 「先不提交了，我再问问」 keeps it for later
        per_row=3,
    )


def field_menu() -> tuple[tuple[Button, ...], ...]:
    return rows(*(button(label, "field", key) for key, label in t.FIELD_LABELS.items()), per_row=4)


def _preview(text: str, limit: int = 200) -> str:
    text = chinese_punctuation(text)
    return text if len(text) <= limit else text[:limit] + "……"


# ── taking answers ──────────────────────────────────────────────────────────


def set_field(draft: Draft, step: str, text: str) -> str | None:
    """Check and store one answer; the error to tell the citizen, or None."""
    text = text.strip()
    if step == "name":
        if not looks_like_name(text):
            return t.INVALID["name"]
        draft.name, draft.anonymous = text, False
    elif step == "phone":
        phone = normalise_phone(text) or find_phone(text)
        if not phone:
            return t.INVALID["phone"]
        draft.set("phone", phone)
    elif step == "address":
        if len(text) < 4 or not _CJK.search(text):
            return t.INVALID["address"]
        draft.set("address", text[:256])
    elif step == "facts":
        if len(text) < MIN_FACTS_CHARS:
            return t.INVALID["facts"]
        draft.facts = text
        draft.summary = draft.summary or text.split("\n", 1)[0][:60]
    elif step == "request":
        if len(text) < 2:
            return t.INVALID["request"]
        request, reason = split_reason(text)
        draft.request = request
        if reason and not draft.reason:
            draft.reason = reason  # 「……，因为……」 answers the next question too
    elif step == "reason":
        if len(text) < 2:
            return t.INVALID["reason"]
        draft.reason = text
    elif step == "group_size":
        size = group_size_in(text)
        if not size:
            return t.INVALID["group_size"]
        draft.group_size, draft.group_size_unknown = size, False
        if size == 1:
            draft.representatives = []
    elif step == "representatives":
        names = representatives_in(text, draft.name)
        if names and not any(looks_like_name(n) for n in names) and _NOT_YET.search(text):
            draft.representatives = []  # 「还没选出来」: none chosen yet
        elif not names or len(names) > 5 or not all(looks_like_name(n) and len(n) >= 2 for n in names):
            return t.INVALID["representatives"]
        else:
            draft.representatives = names
    return None


def representatives_in(text: str, own_name: str | None) -> list[str]:
    """「代表是张三和李四两个人」 → [张三, 李四]; 「我」 is the citizen (by name when they gave one)."""
    names: list[str] = []
    for part in _NAME_SEPARATORS.split(text):
        part = _NOT_A_REPRESENTATIVE.sub("", (part or "").strip(" 。.!！"))
        if part in _ME:
            part = own_name or ""
        if part and part not in names:
            names.append(part)
    return names


def own_answer(step: str, text: str) -> str:
    """The part of an answer that answers this step (「张三，13812345678」 → 「张三」 for the name)."""
    if step in ("name", "address", "representatives"):
        text = strip_symbols(text) or text  # 「万科城7栋🏠」: emoji are no part of an address
    if step in ("name", "address", "request", "reason"):
        return answer_for(step, text) or text
    return text


def absorb(draft: Draft, text: str, step: str) -> list[str]:
    """Fields other than `step` that the answer states plainly and the draft still lacks."""
    found = extract_fields(text)
    taken: list[str] = []
    if step != "name" and found.name and not draft.filled("name"):
        draft.name = found.name
        taken.append("name")
    if step != "phone" and found.phone and not draft.phone:
        draft.set("phone", found.phone)
        taken.append("phone")
    if step != "address" and found.address and not draft.address:
        draft.set("address", found.address)
        taken.append("address")
    # at the address question, an address said at length (「A市 嗯 A6区 那个 金星北路……」) is no story:
    # only what is left beyond it can be
    place = own_answer(step, text) if step == "address" else ""
    rest = text.replace(place, "") if place and looks_like_address(place) else text
    story = len(rest) >= LONG_STORY and step not in ("facts", "request", "reason")
    if (step in ("facts", "reason") or story) and found.request and not draft.request:
        draft.request = found.request
        taken.append("request")
    if story and not draft.facts:
        # the whole story, told at a short question: its facts (the rest was taken out above)
        draft.facts, draft.summary = text, draft.summary or text[:60]
        taken.append("facts")
    return taken


def absorb_story(ctx: Context, draft: Draft, story: str) -> list[str]:
    """A grievance told before the dialogue began: its facts, and any field it states plainly."""
    taken: list[str] = []
    # 「我想反映个问题」「问一下反映物业收费的事」 announce a complaint; they are not its facts
    if topic_only(story):
        if sum(1 for ch in ANNOUNCEMENT.sub("", story) if ch.isalnum()) >= MIN_STORY_CHARS // 2:  # 「要投诉」
            draft.summary = story.strip().split("\n", 1)[0][:60]  # the subject, kept; the facts are asked
    elif tells_something(story):
        draft.facts = story
        draft.summary = story.split("\n", 1)[0][:60]
        taken.append("facts")
    taken += absorb(draft, story, "facts" if draft.facts or draft.summary else "")
    reading = reader_for(ctx.engine.knowledge.choices).read(story, ("anonymous",))
    # 「我不想留名」 in the story; a bare 「匿名」 might be 「匿名信」, so only the spelled-out refusals count
    said = compact(story)
    if not draft.name and any(said[f.start] in "不别" for f in reading.found):
        draft.go_anonymous()
        taken.append("name")
    return taken


def topic_only(story: str) -> bool:
    """A message that names what it is about but tells nothing of what happened."""
    text = story.strip()
    text = _GREETING.sub("", text)
    text = _GREETING.sub("", text)
    text = _SELF_INTRO.sub("", text)
    return bool(text) and "\n" not in text and bool(_TOPIC_ONLY.match(text))


def facts_within_limit(draft: Draft, cut: bool = False) -> str | None:
    """The one limit on the facts (backend/filing.py): what is past it is cut, and said (the note).
    A message cut at the same limit (Context.cut) filled the facts too."""
    if draft.facts and (len(draft.facts) > MAX_FACTS_CHARS or (cut and len(draft.facts) >= MAX_FACTS_CHARS)):
        draft.facts = draft.facts[:MAX_FACTS_CHARS]
        return t.FACTS_FULL.format(limit=MAX_FACTS_CHARS)
    return None


def labels(fields: list[str]) -> str:
    return "、".join(t.FIELD_LABELS.get(f, f) for f in dict.fromkeys(fields))


def as_above(draft: Draft) -> None:
    draft.reason = AS_ABOVE
