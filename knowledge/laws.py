"""Law texts as data: the markdown files in data/laws/ parsed into chapters and articles.

The files are the published texts, copied verbatim from the shared corpus and named
`名称(版本日期).md`, so every citation can say which version of the text it rests on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from .errors import KnowledgeError
from .numerals import article_label, cn_to_int

REGULATION = "信访工作条例"

_FILE_NAME = re.compile(r"^(?P<name>.+)\((?P<date>\d{4}-\d{2}-\d{2})\)\.md$")
_HEADING = re.compile(r"^(#+)\s*(.*?)\s*$")
_CHAPTER = re.compile(r"^第([零〇一二三四五六七八九十百千]+)章\s*(.*)$")
_ARTICLE = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条[\s\u3000]*(.*)$")


@dataclass(frozen=True, slots=True)
class Article:
    law: str
    number: int
    chapter: int  # 0 when the law has no chapters
    chapter_title: str
    paragraphs: tuple[str, ...]

    @property
    def label(self) -> str:
        return article_label(self.number)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def citation(self) -> str:
        return f"《{self.law}》{self.label}"


@dataclass(frozen=True, slots=True)
class Law:
    name: str
    version_date: date
    articles: dict[int, Article] = field(repr=False)
    chapters: dict[int, str] = field(repr=False)

    def article(self, number: int) -> Article:
        try:
            return self.articles[number]
        except KeyError:
            raise KnowledgeError(f"{self.name}", None, f"没有第{number}条") from None

    def chapter_articles(self, chapter: int) -> list[Article]:
        return [a for a in self.articles.values() if a.chapter == chapter]


def parse_law(text: str, name: str, version_date: date, source: str = "") -> Law:
    """Parse one law file. Articles must be numbered 1, 2, 3 … without gaps."""
    articles: dict[int, Article] = {}
    chapters: dict[int, str] = {}
    chapter, chapter_title = 0, ""
    current: tuple[int, list[str]] | None = None
    in_body = "<!-- INFO END -->" not in text

    def flush() -> None:
        if current is not None:
            number, paragraphs = current
            articles[number] = Article(name, number, chapter_of[number], title_of[number], tuple(paragraphs))

    chapter_of: dict[int, int] = {}
    title_of: dict[int, str] = {}
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not in_body:
            in_body = line == "<!-- INFO END -->"
            continue
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading:
            m = _CHAPTER.match(heading.group(2).replace(" ", "").replace("\u3000", ""))
            if m:
                # 民事诉讼法 restarts chapter numbers per 编; keep them increasing
                chapter = len(chapters) + 1
                chapter_title = re.sub(r"^第.+?章[\s\u3000]*", "", heading.group(2)).strip()
                chapters[chapter] = chapter_title
            continue
        m = _ARTICLE.match(line)
        if m:
            flush()
            number = cn_to_int(m.group(1))
            expected = len(articles) + 1
            if number != expected:
                raise KnowledgeError(source or name, line_no, f"条文编号不连续：应为第{expected}条，实为{number}")
            chapter_of[number], title_of[number] = chapter, chapter_title
            current = (number, [m.group(2).strip()])
        elif current is not None:
            current[1].append(line)
    flush()
    if not articles:
        raise KnowledgeError(source or name, None, "没有解析到任何条文")
    return Law(name, version_date, articles, chapters)


@cache
def load_laws() -> dict[str, Law]:
    """Every law shipped in data/laws/, by name."""
    laws: dict[str, Law] = {}
    folder = resources.files("knowledge") / "data" / "laws"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        m = _FILE_NAME.match(entry.name)
        if not m:
            continue
        source = f"knowledge/data/laws/{entry.name}"
        # 「民法典-总则编」 is cited as 《民法典》
        name = m.group("name").split("-")[0]
        law = parse_law(entry.read_text("utf-8"), name, date.fromisoformat(m.group("date")), source)
        laws[law.name] = law
    if REGULATION not in laws:
        raise KnowledgeError("knowledge/data/laws", None, f"缺少《{REGULATION}》")
    return laws


def regulation() -> Law:
    return load_laws()[REGULATION]
