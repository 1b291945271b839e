"""What citizens type instead of pressing a button: meanings, their everyday phrases, field names.

Read from knowledge/data/choices.toml, which a petition officer extends when citizens answer in a
way nobody wrote down yet. `nlp/choices.py` does the reading; this module only loads and checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .datafile import DataFile, load_toml, require_str, require_str_list

CHOICES_FILE = "choices.toml"
GAP = "…"  # in a phrase: a few characters may stand here (「不…留名」 ⊇ 「不想留名」「不愿意留名」)
FIELDS = ("name", "phone", "address", "facts", "request", "reason", "attachments", "group")
_MEANING_ID = re.compile(r"^[a-z_]{2,32}$")


@dataclass(frozen=True, slots=True)
class Meaning:
    id: str
    label: str
    phrases: tuple[str, ...]
    negated: str | None = None  # the meaning when preceded by 不/没/别 (「不太满意」)
    answers_yes: bool = False  # a bare 「好的」 selects the one button that means this
    answers_no: bool = False


@dataclass(frozen=True, slots=True)
class ChoiceVocabulary:
    meanings: dict[str, Meaning]
    fields: dict[str, tuple[str, ...]]  # field id → how citizens call it (「电话」「手机」)
    corrections: tuple[str, ...]  # 「写错了」「改成」「应该是」
    fillers: tuple[str, ...]  # particles and courtesies that carry no choice


def parse_choices(file: DataFile) -> ChoiceVocabulary:
    table = file.data.get("meanings")
    if not isinstance(table, dict) or not table:
        raise file.error("缺少 [meanings.…] 表")
    meanings: dict[str, Meaning] = {}
    for key, item in table.items():
        line = file.text_line(f"[meanings.{key}]")
        if not _MEANING_ID.match(key):
            raise file.error(f"意思的名称「{key}」只能用小写英文字母和下划线", line)
        if not isinstance(item, dict):
            raise file.error(f"[meanings.{key}] 应为一个表", line)
        phrases = require_str_list(file, item, "phrases", line)
        for phrase in phrases:
            if phrase.startswith(GAP) or phrase.endswith(GAP) or GAP * 2 in phrase:
                raise file.error(f"说法「{phrase}」：「…」只能写在两段文字中间", line)
        negated = item.get("negated")
        if negated is not None and not isinstance(negated, str):
            raise file.error("negated 应为另一个意思的名称", line)
        for flag in ("answers_yes", "answers_no"):
            if not isinstance(item.get(flag, False), bool):
                raise file.error(f"{flag} 只能是 true 或 false", line)
        meanings[key] = Meaning(
            key,
            require_str(file, item, "label", line, max_len=20),
            tuple(dict.fromkeys(p.lower() for p in phrases)),
            negated,
            bool(item.get("answers_yes", False)),
            bool(item.get("answers_no", False)),
        )
    for meaning in meanings.values():
        if meaning.negated is not None and meaning.negated not in meanings:
            raise file.error(
                f"[meanings.{meaning.id}] negated 指向不存在的意思「{meaning.negated}」",
                file.text_line(f"[meanings.{meaning.id}]"),
            )
    fields_table = file.data.get("fields")
    if not isinstance(fields_table, dict):
        raise file.error("缺少 [fields] 表")
    fields: dict[str, tuple[str, ...]] = {}
    for key in FIELDS:
        if key not in fields_table:
            raise file.error(f"[fields] 缺少 {key}", file.text_line("[fields]"))
        fields[key] = tuple(require_str_list(file, fields_table, key, file.key_line(key)))
    unknown = set(fields_table) - set(FIELDS)
    if unknown:
        raise file.error(f"[fields] 有不认识的项：{'、'.join(sorted(unknown))}", file.text_line("[fields]"))
    corrections = file.data.get("corrections")
    fillers = file.data.get("fillers")
    if not isinstance(corrections, dict) or not isinstance(fillers, dict):
        raise file.error("缺少 [corrections] 或 [fillers] 表")
    return ChoiceVocabulary(
        meanings,
        fields,
        tuple(require_str_list(file, corrections, "phrases", file.text_line("[corrections]"))),
        tuple(require_str_list(file, fillers, "words", file.text_line("[fillers]"))),
    )


def load_choices() -> ChoiceVocabulary:
    return parse_choices(load_toml(CHOICES_FILE))
