"""The one error the knowledge loaders raise: it names the file and line at fault."""

from __future__ import annotations


class KnowledgeError(ValueError):
    """A data file under knowledge/data is malformed. Raised at start-up, never later."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source, self.line, self.message = source, line, message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")
