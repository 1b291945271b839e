"""Where the shared development data lives (beside the repository, in ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DEV = SHARED / "dev"
LOCAL_DATA = REPO / "tests" / "nlp" / "data"
VENDORED_DEV = REPO / "tests" / "data" / "dev"


def dev_file(name: str) -> Path:
    """A file of ../shared/dev (or its copy in tests/data/dev), or skip with the reason."""
    for path in (DEV / name, VENDORED_DEV / name):
        if path.exists():
            return path
    pytest.skip(f"{DEV / name} is not present (the shared development data sits beside the repository)")
