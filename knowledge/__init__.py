"""The domain as data: the regulation and laws, the FAQ, the lexicon, channels and departments.

Everything here is read from package data files that a petition officer can edit, validated
once at start-up (`load_knowledge()`), and then shared read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from .accusations import AccusationRules, load_accusations
from .channels import Channel, load_channels
from .choices import ChoiceVocabulary, Meaning, load_choices
from .colloquial import Colloquial, load_colloquial
from .departments import Category, Department, Taxonomy, load_taxonomy
from .errors import KnowledgeError
from .faq import Citation, FaqEntry, load_faq
from .laws import REGULATION, Article, Law, load_laws
from .lexicon import Lexicon, load_lexicon
from .outreach import Outreach, QuizItem, load_outreach
from .qa_model import QaModel, load_qa_model
from .remedies import Remedies, load_remedies
from .steering import HarmVocabulary, SteeringRules, load_harm, load_steering

__all__ = [
    "REGULATION",
    "AccusationRules",
    "Article",
    "Category",
    "Channel",
    "ChoiceVocabulary",
    "Citation",
    "Colloquial",
    "Department",
    "FaqEntry",
    "HarmVocabulary",
    "Knowledge",
    "KnowledgeError",
    "Law",
    "Lexicon",
    "Meaning",
    "Outreach",
    "QaModel",
    "QuizItem",
    "Remedies",
    "SteeringRules",
    "Taxonomy",
    "load_knowledge",
]


@dataclass(frozen=True, slots=True)
class Knowledge:
    laws: dict[str, Law]
    faq: tuple[FaqEntry, ...]
    lexicon: Lexicon
    taxonomy: Taxonomy
    channels: dict[str, Channel]
    outreach: Outreach
    remedies: Remedies
    choices: ChoiceVocabulary
    accusations: AccusationRules
    steering: SteeringRules
    harm: HarmVocabulary
    colloquial: Colloquial = field(default_factory=load_colloquial)
    qa_model: QaModel = field(default_factory=load_qa_model)

    @property
    def regulation(self) -> Law:
        return self.laws[REGULATION]

    def article(self, citation: Citation) -> Article:
        return self.laws[citation.law].article(citation.article)


@cache
def load_knowledge() -> Knowledge:
    """Load and validate every data file; raises KnowledgeError naming the file and line."""
    laws = load_laws()
    taxonomy = load_taxonomy()
    return Knowledge(
        laws=laws,
        faq=load_faq(laws),
        lexicon=load_lexicon(),
        taxonomy=taxonomy,
        channels=load_channels(laws),
        outreach=load_outreach(laws[REGULATION]),
        remedies=load_remedies(laws),
        choices=load_choices(),
        accusations=load_accusations(taxonomy),
        steering=load_steering(),
        harm=load_harm(),
    )
