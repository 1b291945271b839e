"""Logging set-up: one format, PII masked on every handler, noisy libraries quieted."""

from __future__ import annotations

import logging

from nlp.pii import install_log_masking


def setup_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "aiosqlite", "alembic", "jieba", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    install_log_masking()
