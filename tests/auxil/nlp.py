"""One NLP engine for the whole test session: the `engine` fixture and the helpers that file
cases through the real filing code (which reads every draft with it) share it."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from knowledge import load_knowledge
from nlp import Engine


@cache
def shared_engine() -> Engine:
    return Engine.build(load_knowledge(), Path(tempfile.mkdtemp(prefix="xinfang-jieba-")))
