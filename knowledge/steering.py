"""诉访分离 as data: what a citizen's words mean (who acted, what happened, what they want), which
door each combination leads to, the one clarifying question, and the words that signal harm.

steering.toml holds the vocabulary (`[[group]]`), the statute's logic (`[[rule]]`: a door follows
from a combination of meanings), the order the law puts doors in when a matter mixes them
(`precedence`) and the answers to the clarifying question (`[[choice]]`). harm.toml holds the
words for danger to a person (条例第二十五条). Both are validated at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from .channels import CHANNEL_IDS
from .datafile import DataFile, load_toml, require_str, require_str_list
from .vocabulary import Group, Term, parse_groups, parse_term

STEERING_FILE = "steering.toml"
HARM_FILE = "harm.toml"
PETITION = "petition"

# the meanings the code itself relies on (nlp/steer.py: what counts as petition context);
# any other group name is the data's own choice, checked only against the rules that use it
REQUIRED_GROUPS = ("what.public", "what.service", "want.mediate", "want.act", "what.reporter_worry")
SLOTS: dict[str, tuple[str, ...] | None] = {"who": None, "what": None, "want": None, "neutral": None}
HARM_KINDS = ("self_harm", "violence", "threat", "missing_child", "danger", "gathering")


@dataclass(frozen=True, slots=True)
class Rule:
    door: str
    reason: str  # shown to the citizen as why (with the words that matched)
    when: tuple[tuple[str, ...], ...]  # every entry must hold; an entry holds when any of its keys is present
    unless: tuple[str, ...]  # none of these may be present
    strength: float
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer to the clarifying question: a button, what it means, and typed equivalents."""

    button: str
    means: str
    doors: tuple[str, ...]  # the first is the default when the message says nothing more
    typed: tuple[Term, ...]

    def matches(self, text: str) -> int:
        """How many of the typed equivalents the answer contains."""
        return sum(bool(t.pattern.search(text)) if t.pattern is not None else t.parts[0][0] in text for t in self.typed)


@dataclass(frozen=True, slots=True)
class SteeringRules:
    groups: tuple[Group, ...]
    rules: tuple[Rule, ...]
    precedence: tuple[str, ...]  # all doors but petition, in the order the law puts them
    choices: tuple[Choice, ...]
    firm: float  # a door whose best rule reaches this is named; below it (but ≥ `weak`) we ask
    weak: float


@dataclass(frozen=True, slots=True)
class HarmVocabulary:
    groups: tuple[Group, ...]
    past: tuple[str, ...] = ()  # 「去年」「以前」: a clause told in the past is history, not danger now …
    present: tuple[str, ...] = ()  # … unless it also says 「现在」「又」「今天」
    past_kinds: tuple[str, ...] = ()  # the kinds this applies to (never self-harm: any mention counts)


def _keys(groups: tuple[Group, ...]) -> set[str]:
    return {g.key for g in groups}


def parse_steering(file: DataFile) -> SteeringRules:
    groups = parse_groups(file, SLOTS)
    known = _keys(groups)
    missing = [k for k in REQUIRED_GROUPS if k not in known]
    if missing:
        raise file.error(f"缺少词组：{', '.join(missing)}（判断“普通信访”要用到）")
    doors = set(CHANNEL_IDS)
    rules: list[Rule] = []
    for index, item in enumerate(file.data.get("rule", [])):
        line = file.item_line("rule", index)
        door = require_str(file, item, "door", line)
        if door not in doors:
            raise file.error(f"rule 的 door「{door}」不是已知途径", line)
        when = tuple(tuple(k.strip() for k in entry.split("|")) for entry in require_str_list(file, item, "when", line))
        unless = tuple(item.get("unless", []))
        for key in [k for entry in when for k in entry] + list(unless):
            if key not in known:
                raise file.error(f"rule 引用了没有定义的词组「{key}」", line)
        strength = item.get("strength")
        if not isinstance(strength, int | float) or not 0 < strength <= 10:
            raise file.error("rule 的 strength 应为 0 到 10 之间的数", line)
        also = tuple(item.get("also", []))
        if any(a not in doors for a in also):
            raise file.error(f"rule 的 also {also} 里有未知途径", line)
        rules.append(
            Rule(door, require_str(file, item, "reason", line, max_len=40), when, unless, float(strength), also)
        )
    if not rules:
        raise file.error("没有任何 [[rule]]")
    precedence = tuple(file.data.get("precedence", []))
    if sorted(precedence) != sorted(d for d in CHANNEL_IDS if d != PETITION):
        raise file.error("precedence 应当把除 petition 以外的每个途径各列一次")
    choices = []
    for index, item in enumerate(file.data.get("choice", [])):
        line = file.item_line("choice", index)
        choice_doors = tuple(require_str_list(file, item, "doors", line))
        if any(d not in doors for d in choice_doors):
            raise file.error(f"choice 的 doors {choice_doors} 里有未知途径", line)
        typed = tuple(parse_term(file, word, line) for word in require_str_list(file, item, "typed", line))
        choices.append(
            Choice(
                require_str(file, item, "button", line, max_len=16),
                require_str(file, item, "means", line, max_len=60),
                choice_doors,
                typed,
            )
        )
    covered = {d for c in choices for d in c.doors}
    if covered != doors:
        raise file.error(f"[[choice]] 没有覆盖这些途径：{', '.join(sorted(doors - covered))}")
    thresholds = file.data.get("threshold", {})
    firm, weak = thresholds.get("firm"), thresholds.get("weak")
    if not all(isinstance(v, int | float) for v in (firm, weak)) or not 0 < weak < firm:
        raise file.error("[threshold] 要写 firm 和 weak 两个数，且 0 < weak < firm")
    return SteeringRules(groups, tuple(rules), precedence, tuple(choices), float(firm), float(weak))


def load_steering(text: str | None = None) -> SteeringRules:
    return parse_steering(load_toml(STEERING_FILE, text))


def load_harm(text: str | None = None) -> HarmVocabulary:
    file = load_toml(HARM_FILE, text)
    groups = parse_groups(file, {"kind": HARM_KINDS, "neutral": None})
    tense = file.data.get("tense", {})
    past = tuple(require_str_list(file, tense, "past", None)) if tense else ()
    present = tuple(require_str_list(file, tense, "present", None)) if tense else ()
    kinds = tuple(tense.get("kinds", [])) if tense else ()
    unknown = [k for k in kinds if k not in HARM_KINDS or k == "self_harm"]
    if unknown:
        raise file.error(f"[tense] kinds 里有不认识或不允许的类别：{', '.join(unknown)}")
    return HarmVocabulary(groups, past, present, kinds)
