"""Domain lexicon (words jieba must keep whole), colloquial→statutory synonyms, stop-words."""

from __future__ import annotations

from dataclasses import dataclass

from .datafile import DataFile, load_toml, read_text, require_str_list

LEXICON_FILE = "lexicon.toml"
STOPWORDS_FILE = "stopwords.txt"


@dataclass(frozen=True, slots=True)
class Lexicon:
    terms: frozenset[str]
    synonyms: dict[str, tuple[str, ...]]
    stopwords: frozenset[str]

    @property
    def all_words(self) -> frozenset[str]:
        """Every word the segmenter must keep whole: terms, both sides of the synonym map."""
        words = set(self.terms) | set(self.synonyms)
        for targets in self.synonyms.values():
            words.update(targets)
        return frozenset(w for w in words if len(w) > 1)


def parse_lexicon(file: DataFile, stopword_text: str) -> Lexicon:
    terms_table = file.data.get("terms")
    if not isinstance(terms_table, dict):
        raise file.error("缺少 [terms] 表")
    terms = require_str_list(file, terms_table, "words", file.key_line("words"))
    synonyms_table = file.data.get("synonyms", {})
    if not isinstance(synonyms_table, dict):
        raise file.error("[synonyms] 应为 “口语” = [“条文用语”, …] 的形式")
    synonyms: dict[str, tuple[str, ...]] = {}
    for key, value in synonyms_table.items():
        line = file.key_line(key)
        if not key.strip():
            raise file.error("同义词的左边不能为空", line)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise file.error(f"「{key}」的右边应为非空的文字列表", line)
        synonyms[key.strip()] = tuple(v.strip() for v in value)
    stopwords = frozenset(
        line.strip() for line in stopword_text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )
    return Lexicon(frozenset(terms), synonyms, stopwords)


def load_lexicon() -> Lexicon:
    _, stop_text = read_text(STOPWORDS_FILE)
    return parse_lexicon(load_toml(LEXICON_FILE), stop_text)
