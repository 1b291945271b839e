"""Where the shared development data lives (beside the repository, in ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DEV = SHARED / "dev"
LOCAL_DATA = REPO / "tests" / "nlp" / "data"


def dev_file(name: str) -> Path:
    """A file of ../shared/dev, or skip: a clone without the shared folder cannot run this test."""
    path = DEV / name
    if not path.exists():
        pytest.skip(f"{path} is not present (the shared development data sits beside the repository)")
    return path
